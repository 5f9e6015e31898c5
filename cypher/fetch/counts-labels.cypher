// Title: How many nodes carry each label (for cancu query stats --neo4j)
// Answers: one row per label of cancu's nodes (Document, Agency, Province, Task and the document
//   types) with how many nodes carry it; other data in the database is not counted.
// Parameters: $kinds, the base labels of cancu's nodes.
// :param kinds => ['Document', 'Agency', 'Province', 'Task']
// Same as: cancu query stats --neo4j URI (internal)
MATCH (n)
WHERE any(l IN labels(n) WHERE l IN $kinds)
UNWIND labels(n) AS label
RETURN label, count(*) AS n
ORDER BY label
