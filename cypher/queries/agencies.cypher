// Title: Agencies of a plan
// Answers: the agencies a plan gives tasks to, leading (chủ trì) or supporting
//   (phối hợp), task by task in the order of the text.
// Parameters: $plan, the plan's node id, source path, file name, or province and year.
// :param plan => 'Cao Bằng 2023'
// Same as: cancu query agencies "Cao Bằng 2023"
MATCH (p:Document)
WHERE p.ingested = true
  AND (p.id = $plan OR p.source = $plan OR p.source ENDS WITH ('/' + $plan)
       OR (p.province + ' ' + toString(p.year)) = $plan)
MATCH (p)-[:HAS_TASK]->(task:Task)-[r:LED_BY|SUPPORTED_BY]->(a:Agency)
UNWIND range(0, r.occurrences - 1) AS i
RETURN task.section AS section, CASE type(r) WHEN 'LED_BY' THEN 'lead' ELSE 'support' END AS role,
       a.name AS agency, task.title AS title, r.texts[i] AS text, r.starts[i] AS start,
       task.id AS task, a.id AS agency_id, p.id AS plan
ORDER BY start, agency_id, role
