// Load :MERGED_INTO relationships (Agency → Agency: a ministry or department and its successor).
// $rows: [{from, to, key, props}]; one relationship per (from, to, type): key is the type, props
// carry since, act, decree, sources.
UNWIND $rows AS row
MATCH (a:Agency {id: row.from})
MATCH (b:Agency {id: row.to})
MERGE (a)-[r:MERGED_INTO {key: row.key}]->(b)
SET r = row.props
