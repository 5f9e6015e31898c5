// Load :IN_PROVINCE relationships (Agency → Province). $rows: [{from, to, key, props}]; key tells
// apart several IN_PROVINCE relationships between the same two nodes.
UNWIND $rows AS row
MATCH (a:Agency {id: row.from})
MATCH (b:Province {id: row.to})
MERGE (a)-[r:IN_PROVINCE {key: row.key}]->(b)
SET r = row.props
