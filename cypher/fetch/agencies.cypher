// Title: Every agency, whole (for cancu query --neo4j)
// Answers: every Agency node with its properties, to match an agency a person names against
//   every spelling, province and lineage step, as the embedded store does.
// Parameters: $limit, the most nodes to return.
// :param limit => 1000000
// Same as: cancu query agency ... --neo4j URI (internal)
MATCH (a:Agency)
RETURN a.id AS id, labels(a) AS labels, properties(a) AS props
ORDER BY id
LIMIT $limit
