// Load :BASED_ON relationships (Document → Document). $rows: [{from, to, key, props}]; key tells
// apart several BASED_ON relationships between the same two nodes.
UNWIND $rows AS row
MATCH (a:Document {id: row.from})
MATCH (b:Document {id: row.to})
MERGE (a)-[r:BASED_ON {key: row.key}]->(b)
SET r = row.props
