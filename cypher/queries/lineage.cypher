// Title: The history of a province (lịch sử đơn vị hành chính)
// Answers: what the province or city $unit was merged into (MERGED_INTO, sáp nhập) or
//   renamed to (RENAMED_TO, đổi tên), and what was merged into it, since when and by
//   what act, with the corpus files that state it. Follow more steps with
//   (a)-[:MERGED_INTO|RENAMED_TO|SPLIT_INTO*1..3]->(b).
// Parameters: $unit, the province's name as the graph holds it ('Lào Cai').
// :param unit => 'Lào Cai'
// Same as: cancu query lineage "Lào Cai"
MATCH (p:Province)
WHERE p.name = $unit
MATCH (a:Province)-[r:MERGED_INTO|RENAMED_TO|SPLIT_INTO]->(b:Province)
WHERE a = p OR b = p
RETURN a.name AS unit, type(r) AS kind, b.name AS successor, r.since AS since, r.act AS act,
       r.sources AS sources
ORDER BY since, unit
