// Title: The relationships out of Document nodes (for cancu query --neo4j)
// Answers: every relationship of a type in $types that starts at a Document node whose id is in $ids,
//   with its properties and the node it ends at, whole.
// Parameters: $ids, a list of node ids; $types, a list of relationship types.
// :param ids => ['doc:57-kl/tw']
// :param types => ['BASED_ON']
// Same as: cancu query ... --neo4j URI (internal)
UNWIND $ids AS id
MATCH (u:Document {id: id})-[r]->(v)
WHERE type(r) IN $types
RETURN u.id AS from, v.id AS to, labels(v) AS to_labels, properties(v) AS to_props, type(r) AS type,
       properties(r) AS props
