// Load :Province nodes. $rows: [{id, props}], props holding every property (id included).
UNWIND $rows AS row
MERGE (n:Province {id: row.id})
SET n = row.props
