// Load :ISSUED_BY relationships (Document → Agency). $rows: [{from, to, key, props}]; one
// relationship per (from, to, type): key is the type, props carry its occurrences and evidence lists.
UNWIND $rows AS row
MATCH (a:Document {id: row.from})
MATCH (b:Agency {id: row.to})
MERGE (a)-[r:ISSUED_BY {key: row.key}]->(b)
SET r = row.props
