// Load :LED_BY relationships (Task → Agency). $rows: [{from, to, key, props}]; key tells
// apart several LED_BY relationships between the same two nodes.
UNWIND $rows AS row
MATCH (a:Task {id: row.from})
MATCH (b:Agency {id: row.to})
MERGE (a)-[r:LED_BY {key: row.key}]->(b)
SET r = row.props
