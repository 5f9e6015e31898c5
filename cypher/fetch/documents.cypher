// Title: Every document, in brief (for cancu query --neo4j)
// Answers: the properties by which a person names a document or a plan (key, name, number, type,
//   year, date, spellings, source, files, province) and its issuers' names, for every document:
//   the plans a plan's name may mean, and the closest names when a typed name matches none.
// Parameters: $ingested, true for the plans only, false for every document.
// :param ingested => true
// Same as: cancu query ... --neo4j URI (internal)
MATCH (d:Document)
WHERE $ingested = false OR d.ingested = true
OPTIONAL MATCH (d)-[:ISSUED_BY]->(a:Agency)
WITH d, collect(DISTINCT a.name) AS issuers
RETURN d.id AS id, labels(d) AS labels,
       {key: d.key, name: d.name, number: d.number, type_code: d.type_code, year: d.year,
        spellings: d.spellings, ingested: d.ingested, source: d.source, files: d.files,
        province: d.province, status: d.status, doc_types: d.doc_types, date: d.date,
        dates: d.dates} AS props, issuers
