// Title: Legal basis of a plan
// Answers: the documents a plan cites as its legal basis (căn cứ, BASED_ON), in the
//   order its text cites them, with date and issuer as stated.
// Parameters: $plan, the plan's node id, source path, file name, or province and year.
// :param plan => 'Phú Thọ 2025'
// Same as: cancu query basis "Phú Thọ 2025"
MATCH (p:Document)
WHERE p.ingested = true
  AND (p.id = $plan OR p.source = $plan OR p.source ENDS WITH ('/' + $plan)
       OR (p.province + ' ' + toString(p.year)) = $plan)
MATCH (p)-[r:BASED_ON]->(d:Document)
WITH p, d, r
ORDER BY r.source_plan, r.start
WITH p, d, collect(r)[0] AS e
RETURN d.key AS key, d.name AS name, e.date AS date, e.issuer AS issuer, e.section AS section,
       e.context AS context, e.start AS start, d.id AS id, p.id AS plan
ORDER BY start, id
