// Load :SUPPORTED_BY relationships (Task → Agency). $rows: [{from, to, key, props}]; key tells
// apart several SUPPORTED_BY relationships between the same two nodes.
UNWIND $rows AS row
MATCH (a:Task {id: row.from})
MATCH (b:Agency {id: row.to})
MERGE (a)-[r:SUPPORTED_BY {key: row.key}]->(b)
SET r = row.props
