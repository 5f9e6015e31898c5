// Load :SUPPORTED_BY relationships (Task → Agency). $rows: [{from, to, key, props}]; one
// relationship per (from, to, type): key is the type, props carry its occurrences and evidence lists.
UNWIND $rows AS row
MATCH (a:Task {id: row.from})
MATCH (b:Agency {id: row.to})
MERGE (a)-[r:SUPPORTED_BY {key: row.key}]->(b)
SET r = row.props
