// Title: Whether a document is still in force (hiệu lực)
// Answers: the documents in the graph that replace (thay thế), repeal (bãi bỏ) or amend
//   (sửa đổi, bổ sung) $target, since when (the acting document's own entry into force,
//   else its date), with the first sentence that says so; no row when nothing in the
//   graph acts on it (the graph never guesses).
// Parameters: $target, the document's key ('123/2016/NĐ-CP') or node id.
// :param target => '31/2020/QĐ-UBND'
// Same as: cancu query in-force 31/2020/QĐ-UBND
MATCH (t:Document)
WHERE t.key = $target OR t.id = $target
MATCH (u:Document)-[r:REPLACES|REPEALS|AMENDS]->(t)
WITH t, u, r, coalesce(u.effective, u.date, head(u.dates)) AS since,
     CASE WHEN u.key IS NOT NULL AND coalesce(u.ingested, false) = false THEN u.key ELSE u.name END AS by
RETURN CASE WHEN t.key IS NOT NULL AND coalesce(t.ingested, false) = false THEN t.key ELSE t.name END AS key,
       type(r) AS type, by, since, coalesce(t.status_in_force, 'in force') AS in_force, t.ended AS ended,
       r.occurrences AS occurrences, r.contexts[0] AS context, r.source_plans[0] AS stated_in,
       u.id AS by_id, t.id AS id
ORDER BY coalesce(since, ''), type, by_id
