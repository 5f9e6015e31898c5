// Title: Plans of a province that implement a document, across the mergers (sáp nhập)
// Answers: which plans of $province, as the provinces stand on $as_of, carry $target out
//   (IMPLEMENTS, or GUIDES where a guidance carries a law out; at most 4 steps): a plan
//   written in a province merged into $province by then counts (the Yên Bái 2024 plan is a
//   Lào Cai plan from 1 July 2025, by MERGED_INTO), with the province as written and the
//   step of the lineage; a plan of a province merged away by then does not count for it.
// Parameters: $target, the document's key ('57-KL/TW') or node id; $province, the province
//   as of $as_of ('Lào Cai'); $as_of, an ISO date.
//   Longer chains: change the 4 in *1..4 (Cypher takes no parameter there).
// :param target => '57-KL/TW'
// :param province => 'Lào Cai'
// :param as_of => '2026-01-01'
// Same as: cancu query implements 57-KL/TW --province "Lào Cai" --as-of 2026-01-01
MATCH (t:Document)
WHERE t.key = $target OR t.id = $target
MATCH p = (plan:Document)-[:IMPLEMENTS|GUIDES*1..4]->(t)
WHERE plan.ingested = true AND plan <> t
WITH t, plan, p
ORDER BY length(p), [n IN nodes(p) | n.id]
WITH t, plan, collect(p)[0] AS path
// the plan's province as written, merged away by $as_of or not, or merged into $province by then
OPTIONAL MATCH (:Province {name: plan.province})-[gone:MERGED_INTO|RENAMED_TO]->()
WHERE gone.since <= $as_of
OPTIONAL MATCH held = (:Province {name: plan.province})-[:MERGED_INTO|RENAMED_TO*1..3]->(:Province {name: $province})
WHERE all(step IN relationships(held) WHERE step.since <= $as_of)
WITH t, plan, path, count(gone) AS moved, collect(held)[0] AS lineage
WHERE (plan.province = $province AND moved = 0) OR lineage IS NOT NULL
RETURN plan.name AS plan, plan.province AS province, $province AS province_as_of, plan.year AS year,
       length(path) AS hops,
       CASE WHEN lineage IS NULL THEN null
            ELSE [r IN relationships(lineage) | type(r) + ' ' + endNode(r).name + ' ' + r.since] END AS lineage,
       [n IN nodes(path) | CASE WHEN n.key IS NOT NULL AND coalesce(n.ingested, false) = false
                                THEN n.key ELSE n.name END] AS chain,
       [r IN relationships(path) | r.contexts[0]] AS evidence,
       plan.id AS id, t.id AS target, path
ORDER BY hops, province, year, id
