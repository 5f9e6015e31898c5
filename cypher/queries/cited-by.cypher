// Title: What cites a document
// Answers: every plan or document that cites $target, one row per citing node and
//   relationship type (BASED_ON, IMPLEMENTS, AMENDS, CITES), with how often and the
//   first sentence that says so.
// Parameters: $target, the document's key ('47/NQ-CP') or node id.
// :param target => '72/2015/NĐ-CP'
// Same as: cancu query cited-by 72/2015/NĐ-CP
MATCH (t:Document)
WHERE t.key = $target OR t.id = $target
MATCH (u)-[r:BASED_ON|IMPLEMENTS|AMENDS|CITES]->(t)
WITH t, u, type(r) AS type, r
ORDER BY r.source_plan, r.start
WITH t, u, type, collect(r) AS rs
WITH t, u, type, rs, rs[0] AS e,
     CASE WHEN u.key IS NOT NULL AND coalesce(u.ingested, false) = false THEN u.key ELSE u.name END AS name
RETURN name, type, size(rs) AS occurrences, e.date AS date, e.section AS section, e.context AS context,
       coalesce(e.link, false) AS link, e.source_plan AS stated_in, u.id AS id, t.id AS target
ORDER BY type, name, id
