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
// one relationship per (plan, document): its evidence lists are in the order of
// (plan, offset), so that index 0 is the first time the plan cites it
MATCH (p)-[r:BASED_ON]->(d:Document)
RETURN d.key AS key, d.name AS name,
       CASE r.dates[0] WHEN '' THEN null ELSE r.dates[0] END AS date,
       CASE r.issuers[0] WHEN '' THEN null ELSE r.issuers[0] END AS issuer,
       CASE r.sections[0] WHEN '' THEN null ELSE r.sections[0] END AS section,
       r.contexts[0] AS context, r.starts[0] AS start, d.id AS id, p.id AS plan
ORDER BY start, id
