// Load :AMENDS relationships (Document → Document). $rows: [{from, to, key, props}]; key tells
// apart several AMENDS relationships between the same two nodes.
UNWIND $rows AS row
MATCH (a:Document {id: row.from})
MATCH (b:Document {id: row.to})
MERGE (a)-[r:AMENDS {key: row.key}]->(b)
SET r = row.props
