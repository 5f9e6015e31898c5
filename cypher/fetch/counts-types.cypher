// Title: How many relationships of each type (for cancu query stats --neo4j)
// Answers: one row per relationship type leaving cancu's nodes, with how many there are.
// Parameters: $kinds, the base labels of cancu's nodes.
// :param kinds => ['Document', 'Agency', 'Province', 'Task']
// Same as: cancu query stats --neo4j URI (internal)
MATCH (n)-[r]->()
WHERE any(l IN labels(n) WHERE l IN $kinds)
RETURN type(r) AS type, count(*) AS n
ORDER BY type
