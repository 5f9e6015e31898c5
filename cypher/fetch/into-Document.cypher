// Title: The relationships into Document nodes (for cancu query --neo4j)
// Answers: every relationship of a type in $types that ends at a Document node whose id is in $ids,
//   with its properties and the node it starts from, whole.
// Parameters: $ids, a list of node ids; $types, a list of relationship types.
// :param ids => ['doc:57-kl/tw']
// :param types => ['IMPLEMENTS']
// Same as: cancu query ... --neo4j URI (internal)
UNWIND $ids AS id
MATCH (u)-[r]->(v:Document {id: id})
WHERE type(r) IN $types
RETURN u.id AS from, labels(u) AS from_labels, properties(u) AS from_props, v.id AS to, type(r) AS type,
       properties(r) AS props
