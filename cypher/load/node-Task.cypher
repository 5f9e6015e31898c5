// Load :Task nodes. $rows: [{id, props}], props holding every property (id included).
UNWIND $rows AS row
MERGE (n:Task {id: row.id})
SET n = row.props
