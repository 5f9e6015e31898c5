// Load :SPLIT_INTO relationships (Province → Province). $rows: [{from, to, key, props}]; one
// relationship per (from, to, type): key is the type, props carry its occurrences and evidence lists.
UNWIND $rows AS row
MATCH (a:Province {id: row.from})
MATCH (b:Province {id: row.to})
MERGE (a)-[r:SPLIT_INTO {key: row.key}]->(b)
SET r = row.props
