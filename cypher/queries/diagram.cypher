// Title: A document's diagram (lược đồ)
// Answers: the document's diagram as the legal portals show it, built from your own
//   folder: every document it is based on, carries out, guides, amends, replaces,
//   repeals, issues or mentions (direction 'outgoing'), and every one that does so to
//   it ('incoming'), grouped by relationship type, with dates, validity and the first
//   of the sentences that say so (occurrences counts them all).
// Parameters: $target, the document's key ('123/2016/NĐ-CP') or node id.
// :param target => '22/2016/TT-BTTTT'
// Same as: cancu query diagram 22/2016/TT-BTTTT
MATCH (t:Document)
WHERE t.key = $target OR t.id = $target
MATCH (t)-[r:BASED_ON|IMPLEMENTS|GUIDES|AMENDS|REPLACES|REPEALS|ISSUES|CITES]-(o:Document)
WITH t, r, o,
     CASE WHEN startNode(r) = t THEN 'outgoing' ELSE 'incoming' END AS direction,
     CASE type(r) WHEN 'BASED_ON' THEN 0 WHEN 'IMPLEMENTS' THEN 1 WHEN 'GUIDES' THEN 2
       WHEN 'AMENDS' THEN 3 WHEN 'REPLACES' THEN 4 WHEN 'REPEALS' THEN 5 WHEN 'ISSUES' THEN 6
       ELSE 7 END AS rank,
     CASE WHEN o.key IS NOT NULL AND coalesce(o.ingested, false) = false THEN o.key ELSE o.name END AS key,
     coalesce(o.date, head(o.dates)) AS date
RETURN direction, type(r) AS type, key, o.name AS name, date,
       coalesce(o.status_in_force, 'in force') AS in_force, o.ended AS ended,
       r.occurrences AS occurrences, r.contexts[0] AS context,
       CASE r.sections[0] WHEN '' THEN null ELSE r.sections[0] END AS section,
       r.starts[0] AS start, r.source_plans[0] AS stated_in, o.id AS id, t.id AS target
ORDER BY direction DESC, rank, coalesce(date, ''), key, id
