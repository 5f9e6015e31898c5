// Title: What every plan cites, in brief (for cancu query --neo4j)
// Answers: one row per plan, cited document and relationship type of $types, with the cited
//   document's key and name: the matrix and the counts of cancu query matrix and stats.
// Parameters: $types, the citation types.
// :param types => ['BASED_ON', 'IMPLEMENTS', 'AMENDS', 'REPLACES', 'REPEALS', 'GUIDES', 'CITES']
// Same as: cancu query matrix / stats --neo4j URI (internal)
MATCH (p:Document)-[r]->(v:Document)
WHERE p.ingested = true AND type(r) IN $types
RETURN p.id AS from, v.id AS to, type(r) AS type, labels(v) AS to_labels,
       {key: v.key, name: v.name, ingested: v.ingested} AS to_props
