// Load :HAS_TASK relationships (Document → Task). $rows: [{from, to, key, props}]; key tells
// apart several HAS_TASK relationships between the same two nodes.
UNWIND $rows AS row
MATCH (a:Document {id: row.from})
MATCH (b:Task {id: row.to})
MERGE (a)-[r:HAS_TASK {key: row.key}]->(b)
SET r = row.props
