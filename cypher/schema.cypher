// cancu graph schema for Neo4j 5: run before loading (cancu load does it).
// Every node key is unique; the indexes serve the lookups of queries/*.cypher.
// FalkorDB has no CREATE CONSTRAINT syntax: cypher/dialect.py translates these
// statements for it (the one place where the engines' dialects differ).
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (n:Agency) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT province_id IF NOT EXISTS FOR (n:Province) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE;
CREATE INDEX document_key IF NOT EXISTS FOR (n:Document) ON (n.key);
CREATE INDEX document_number IF NOT EXISTS FOR (n:Document) ON (n.number);
CREATE INDEX document_ingested IF NOT EXISTS FOR (n:Document) ON (n.ingested);
CREATE INDEX agency_name IF NOT EXISTS FOR (n:Agency) ON (n.name);
