// Title: Province nodes by id, whole (for cancu query --neo4j)
// Answers: every property of the Province nodes whose id is in $ids; cancu rebuilds from them the part
//   of the graph a question reads, and answers it as on the embedded store.
// Parameters: $ids, a list of node ids.
// :param ids => ['province:lao-cai']
// Same as: cancu query ... --neo4j URI (internal)
UNWIND $ids AS id
MATCH (n:Province {id: id})
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props
