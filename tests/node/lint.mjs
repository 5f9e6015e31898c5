// Lint Cypher with Neo4j's own front end (@neo4j-cypher/language-support).
// stdin: JSON [{"name": ..., "query": ..., "parameters": {...}}, ...]
// plus optional {"schema": {...}} fields given to every statement (labels, relationshipTypes ...).
// stdout: JSON [{"name": ..., "diagnostics": [{"severity": 1|2, "message": ..., "offset": n}]}]
import { lintCypherQuery } from '@neo4j-cypher/language-support';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const { statements, schema = {} } = JSON.parse(input);
const out = statements.map(({ name, query, parameters = {} }) => {
  const { diagnostics } = lintCypherQuery(query, { ...schema, parameters }, { consoleCommandsEnabled: true });
  return {
    name,
    diagnostics: diagnostics.map((d) => ({ severity: d.severity, message: d.message, offset: d.offsets?.start })),
  };
});
process.stdout.write(JSON.stringify(out));
