// Load :IN_PROVINCE relationships (Agency → Province). $rows: [{from, to, key, props}]; one
// relationship per (from, to, type): key is the type, props carry its occurrences and evidence lists.
UNWIND $rows AS row
MATCH (a:Agency {id: row.from})
MATCH (b:Province {id: row.to})
MERGE (a)-[r:IN_PROVINCE {key: row.key}]->(b)
SET r = row.props
