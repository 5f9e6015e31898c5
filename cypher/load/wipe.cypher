// Delete up to $limit nodes of the cancu graph (and their relationships);
// cancu load --wipe repeats it until it deletes nothing. Other data is kept.
MATCH (n)
WHERE n:Document OR n:Agency OR n:Province OR n:Task
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted
