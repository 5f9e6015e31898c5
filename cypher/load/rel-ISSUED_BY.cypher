// Load :ISSUED_BY relationships (Document → Agency). $rows: [{from, to, key, props}]; key tells
// apart several ISSUED_BY relationships between the same two nodes.
UNWIND $rows AS row
MATCH (a:Document {id: row.from})
MATCH (b:Agency {id: row.to})
MERGE (a)-[r:ISSUED_BY {key: row.key}]->(b)
SET r = row.props
