// Title: Every piece of evidence for one edge
// Answers: every statement behind the relationships from $source (a plan or a document)
//   to $target: one row per occurrence, by type, in the order of the relationship's
//   evidence lists (stating text, offset), with the section, the citation as written and
//   the clause. The graph keeps one relationship per (from, to, type); this query opens it.
// Parameters: $source, a plan (node id, file name, or province and year) or a document
//   key; $target, a document key or node id.
// :param source => 'Yên Bái 2024'
// :param target => '57-KL/TW'
// Same as: cancu query evidence "Yên Bái 2024" 57-KL/TW
MATCH (s:Document)
WHERE s.id = $source OR s.key = $source OR s.source = $source OR s.source ENDS WITH ('/' + $source)
   OR (s.ingested = true AND (s.province + ' ' + toString(s.year)) = $source)
MATCH (t:Document)
WHERE t.key = $target OR t.id = $target
MATCH (s)-[r]->(t)
WITH s, t, r,
     CASE type(r) WHEN 'BASED_ON' THEN 0 WHEN 'IMPLEMENTS' THEN 1 WHEN 'GUIDES' THEN 2
       WHEN 'AMENDS' THEN 3 WHEN 'REPLACES' THEN 4 WHEN 'REPEALS' THEN 5 WHEN 'ISSUES' THEN 6
       WHEN 'CITES' THEN 7 ELSE 8 END AS rank
UNWIND range(0, r.occurrences - 1) AS i
RETURN type(r) AS type, i + 1 AS n, r.source_plans[i] AS stated_in,
       CASE r.sections[i] WHEN '' THEN null ELSE r.sections[i] END AS section,
       r.texts[i] AS text, r.contexts[i] AS context, r.starts[i] AS start, r.ends[i] AS end,
       s.id AS from, t.id AS to
ORDER BY rank, type, n
