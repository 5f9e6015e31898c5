// Title: Plans that implement a document
// Answers: which plans carry $target out (thực hiện, triển khai), directly or through a
//   chain of documents that carry it out (IMPLEMENTS, or GUIDES where a guidance carries a
//   law out; at most 4 steps): one row per plan
//   with its shortest chain and the sentence behind each step; Neo4j Browser draws `path`.
// Parameters: $target, the document's key ('57-KL/TW') or node id ('doc:57-kl/tw').
//   Longer chains: change the 4 in *1..4 (Cypher takes no parameter there).
// :param target => '57-KL/TW'
// Same as: cancu query implements 57-KL/TW
MATCH (t:Document)
WHERE t.key = $target OR t.id = $target
MATCH p = (plan:Document)-[:IMPLEMENTS|GUIDES*1..4]->(t)
WHERE plan.ingested = true AND plan <> t
WITH t, plan, p
ORDER BY length(p), [n IN nodes(p) | n.id]
WITH t, plan, collect(p)[0] AS path
RETURN plan.name AS plan, plan.province AS province, plan.year AS year, length(path) AS hops,
       [n IN nodes(path) | CASE WHEN n.key IS NOT NULL AND coalesce(n.ingested, false) = false
                                THEN n.key ELSE n.name END] AS chain,
       [r IN relationships(path) | r.contexts[0]] AS evidence,
       plan.id AS id, t.id AS target, path
ORDER BY hops, province, year, id
