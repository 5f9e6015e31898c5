// Title: Plans × most-cited documents
// Answers: for each plan (of $year, or every plan when $year is null) and each of the
//   $top documents cited by the most plans, the relationship types by which the plan
//   cites it; an empty list where it does not cite it. Plans are grouped by the province
//   that holds theirs on $as_of (MERGED_INTO, RENAMED_TO: a Yên Bái plan under Lào Cai).
// Parameters: $top, how many documents; $year, a plan year or null; $as_of, an ISO date.
// :param top => 8
// :param year => null
// :param as_of => '2026-01-01'
// Same as: cancu query matrix --top 8 --as-of 2026-01-01
MATCH (p:Document)-[:BASED_ON|IMPLEMENTS|AMENDS|REPLACES|REPEALS|GUIDES|CITES]->(d:Document)
WHERE p.ingested = true
WITH d, count(DISTINCT p) AS plans,
     CASE WHEN d.key IS NOT NULL AND coalesce(d.ingested, false) = false THEN d.key ELSE d.name END AS document
ORDER BY plans DESC, document
LIMIT $top
WITH collect({node: d, document: document, plans: plans}) AS columns
MATCH (p:Document)
WHERE p.ingested = true AND ($year IS NULL OR p.year = $year)
UNWIND columns AS c
WITH p, c, c.node AS d
OPTIONAL MATCH (p)-[r:BASED_ON|IMPLEMENTS|AMENDS|REPLACES|REPEALS|GUIDES|CITES]->(d)
WITH p, c, collect(DISTINCT type(r)) AS types
OPTIONAL MATCH (:Province {name: p.province})-[m:MERGED_INTO|RENAMED_TO]->(now:Province)
WHERE m.since <= $as_of
RETURN p.name AS plan, c.document AS document, types, c.plans AS cited_by_plans,
       p.id AS id, p.province AS province, coalesce(now.name, p.province) AS province_as_of,
       p.year AS year
ORDER BY province_as_of, year, id, cited_by_plans DESC, document
