// Load :FOR_PROVINCE relationships (Document → Province). $rows: [{from, to, key, props}]; key tells
// apart several FOR_PROVINCE relationships between the same two nodes.
UNWIND $rows AS row
MATCH (a:Document {id: row.from})
MATCH (b:Province {id: row.to})
MERGE (a)-[r:FOR_PROVINCE {key: row.key}]->(b)
SET r = row.props
