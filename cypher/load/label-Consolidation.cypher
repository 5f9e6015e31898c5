// Add the label :Consolidation to documents loaded by node-Document. $rows: [{id}].
UNWIND $rows AS row
MATCH (n:Document {id: row.id})
SET n:Consolidation
