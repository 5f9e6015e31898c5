// Load :RENAMED_TO relationships (Agency → Agency: a provincial body whose province was renamed,
// Thừa Thiên Huế → Huế). $rows: [{from, to, key, props}]; one relationship per (from, to, type):
// key is the type, props carry since, act and sources.
UNWIND $rows AS row
MATCH (a:Agency {id: row.from})
MATCH (b:Agency {id: row.to})
MERGE (a)-[r:RENAMED_TO {key: row.key}]->(b)
SET r = row.props
