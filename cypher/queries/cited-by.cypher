// Title: What cites a document
// Answers: every plan or document that cites $target, one row per citing node and
//   relationship type (BASED_ON, IMPLEMENTS, AMENDS, REPLACES, REPEALS, GUIDES, CITES), with how often and the
//   first sentence that says so, and the citing text's province as written (the saved query
//   implements-as-of follows the provinces' mergers).
// Parameters: $target, the document's key ('47/NQ-CP') or node id.
// :param target => '72/2015/NĐ-CP'
// Same as: cancu query cited-by 72/2015/NĐ-CP
MATCH (t:Document)
WHERE t.key = $target OR t.id = $target
// one relationship per (citing node, type): its evidence lists are in the order
// of (plan, offset), index 0 the first statement
MATCH (u)-[r:BASED_ON|IMPLEMENTS|AMENDS|REPLACES|REPEALS|GUIDES|CITES]->(t)
WITH t, u, type(r) AS type, r,
     CASE WHEN u.key IS NOT NULL AND coalesce(u.ingested, false) = false THEN u.key ELSE u.name END AS name
RETURN name, type, u.province AS province, r.occurrences AS occurrences,
       CASE r.dates[0] WHEN '' THEN null ELSE r.dates[0] END AS date,
       CASE r.sections[0] WHEN '' THEN null ELSE r.sections[0] END AS section,
       r.contexts[0] AS context, coalesce(r.links[0], false) AS link, r.source_plans[0] AS stated_in,
       u.id AS id, t.id AS target
ORDER BY type, name, id
