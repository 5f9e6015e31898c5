// Title: Tasks of an agency across plans
// Answers: the tasks an agency leads (chủ trì, LED_BY) or supports (phối hợp,
//   SUPPORTED_BY) in every plan; local bodies of every province share one name.
// Parameters: $agency, the agency's normalised name, one of its aliases, or node id.
// :param agency => 'Sở Thông tin và Truyền thông'
// Same as: cancu query agency "Sở Thông tin và Truyền thông"
MATCH (a:Agency)
WHERE a.id = $agency OR a.name = $agency OR $agency IN a.aliases
MATCH (plan:Document)-[:HAS_TASK]->(task:Task)-[r:LED_BY|SUPPORTED_BY]->(a)
UNWIND range(0, r.occurrences - 1) AS i
RETURN plan.name AS plan, task.section AS section,
       CASE type(r) WHEN 'LED_BY' THEN 'lead' ELSE 'support' END AS role,
       a.name AS agency, task.title AS title, r.texts[i] AS text, r.starts[i] AS start,
       plan.id AS plan_id, task.id AS task, a.id AS agency_id
ORDER BY plan, plan_id, start, agency_id
