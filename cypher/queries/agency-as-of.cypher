// Title: Tasks of an agency and of the bodies merged into it (cơ quan qua các lần sáp nhập)
// Answers: the tasks the agency $agency leads (chủ trì, LED_BY) or supports (phối hợp,
//   SUPPORTED_BY), with those of every body whose work it holds on $as_of: it follows
//   MERGED_INTO and RENAMED_TO back from it, each step in force by then (Sở Khoa học và
//   Công nghệ of Lào Cai holds the work of Sở Thông tin và Truyền thông of Yên Bái from
//   1 July 2025); a body merged away answers for its own tasks.
// Parameters: $agency, the agency's normalised name; $province, its province (null: every
//   province); $as_of, an ISO date.
// :param agency => 'Sở Khoa học và Công nghệ'
// :param province => 'Lào Cai'
// :param as_of => '2026-01-01'
// Same as: cancu query agency "Sở Khoa học và Công nghệ" --province "Lào Cai" --as-of 2026-01-01
MATCH (x:Agency)
WHERE x.name = $agency
// of $province on $as_of: its own, not merged away by then, or one merged into it
OPTIONAL MATCH (:Province {name: x.province})-[gone:MERGED_INTO|RENAMED_TO]->()
WHERE gone.since <= $as_of
OPTIONAL MATCH held = (:Province {name: x.province})-[:MERGED_INTO|RENAMED_TO*1..3]->(:Province {name: $province})
WHERE all(step IN relationships(held) WHERE step.since <= $as_of)
WITH x, count(gone) AS moved, count(held) AS held_by
WHERE $province IS NULL OR (x.province = $province AND moved = 0) OR held_by > 0
// the body itself and every body whose work passed through it by $as_of
MATCH path = (a:Agency)-[:MERGED_INTO|RENAMED_TO*0..4]->(x)
WHERE all(step IN relationships(path) WHERE step.since <= $as_of)
WITH DISTINCT a
MATCH (plan:Document)-[:HAS_TASK]->(task:Task)-[r:LED_BY|SUPPORTED_BY]->(a)
UNWIND range(0, r.occurrences - 1) AS i
RETURN plan.name AS plan, task.section AS section,
       CASE type(r) WHEN 'LED_BY' THEN 'lead' ELSE 'support' END AS role,
       a.name AS agency, a.province AS agency_province, task.title AS title, r.texts[i] AS text,
       r.starts[i] AS start, plan.id AS plan_id, task.id AS task, a.id AS agency_id
ORDER BY plan, plan_id, start, agency_id
