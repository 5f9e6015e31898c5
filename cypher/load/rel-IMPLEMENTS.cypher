// Load :IMPLEMENTS relationships (Document → Document). $rows: [{from, to, key, props}]; one
// relationship per (from, to, type): key is the type, props carry its occurrences and evidence lists.
UNWIND $rows AS row
MATCH (a:Document {id: row.from})
MATCH (b:Document {id: row.to})
MERGE (a)-[r:IMPLEMENTS {key: row.key}]->(b)
SET r = row.props
