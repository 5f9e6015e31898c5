// Title: Citation chains between two documents
// Answers: every citation path (BASED_ON, IMPLEMENTS, AMENDS, REPLACES, REPEALS, GUIDES, CITES; at most 4 steps,
//   no document twice) from $source, a plan or document, to $target; shortest first.
//   Neo4j Browser draws `path` (one of the relationships per step). At most 100 paths,
//   as `cancu query chain` shows by default (change the LIMIT for more).
// Parameters: $source, a plan (node id, file name, or province and year) or a document
//   key; $target, a document key or node id. Longer paths: change the 4 in *1..4.
// :param source => 'Phú Thọ 2025'
// :param target => '57-KL/TW'
// Same as: cancu query chain "Phú Thọ 2025" 57-KL/TW
MATCH (s:Document)
WHERE s.id = $source OR s.key = $source OR s.source = $source OR s.source ENDS WITH ('/' + $source)
   OR (s.ingested = true AND (s.province + ' ' + toString(s.year)) = $source)
MATCH p = (s)-[:BASED_ON|IMPLEMENTS|AMENDS|REPLACES|REPEALS|GUIDES|CITES*1..4]->(t:Document)
WHERE t.key = $target OR t.id = $target
WITH p, nodes(p) AS ns
WHERE all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
WITH [n IN ns | n.id] AS ids, collect(p)[0] AS path
RETURN length(path) AS hops,
       [n IN nodes(path) | CASE WHEN n.key IS NOT NULL AND coalesce(n.ingested, false) = false
                                THEN n.key ELSE n.name END] AS chain,
       [r IN relationships(path) | r.contexts[0]] AS evidence, ids, path
ORDER BY hops, ids
LIMIT 100
