// Title: The documents a typed name may mean (for cancu query --neo4j)
// Answers: the documents whose id is $text or whose number begins with $number, whole, with the
//   names of their issuers: the candidates among which cancu resolves "Kết luận 57", "57-KL/TW"
//   or an id as on the embedded store, and lists them when several match.
// Parameters: $text, the name as typed; $number, its first number (null: none).
// :param text => '57-KL/TW'
// :param number => '57'
// Same as: cancu query ... --neo4j URI (internal)
MATCH (d:Document)
WHERE d.id = $text OR ($number IS NOT NULL AND d.number STARTS WITH $number)
OPTIONAL MATCH (d)-[:ISSUED_BY]->(a:Agency)
WITH d, collect(DISTINCT a.name) AS issuers
RETURN d.id AS id, labels(d) AS labels, properties(d) AS props, issuers
