"""Where Neo4j's and FalkorDB's Cypher differ, for the statements cancu
ships: the one place that knows it.

Every load statement and saved query runs unchanged on both engines. Only the
schema DDL differs:

* Neo4j 5: ``CREATE CONSTRAINT name IF NOT EXISTS FOR (n:L) REQUIRE n.p IS
  UNIQUE`` and ``CREATE INDEX name IF NOT EXISTS FOR (n:L) ON (n.p)``.
* FalkorDB rejects both (no ``CREATE CONSTRAINT``, no index names, no ``IF
  NOT EXISTS``): it takes ``CREATE INDEX FOR (n:L) ON (n.p)`` (an error if the
  index exists) and makes unique constraints with its ``GRAPH.CONSTRAINT
  CREATE`` command on an indexed property.

The saved queries avoid ``shortestPath`` (FalkorDB takes it only inside
``WITH``/``RETURN``, Neo4j mostly in ``MATCH``): the shortest chain is the
first of the paths ordered by length, which both engines run alike.

>>> falkordb_schema("CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE")
[('index', 'CREATE INDEX FOR (n:Document) ON (n.id)'), ('unique', ('Document', 'id'))]
>>> falkordb_schema("CREATE INDEX document_key IF NOT EXISTS FOR (n:Document) ON (n.key)")
[('index', 'CREATE INDEX FOR (n:Document) ON (n.key)')]
"""

from __future__ import annotations

import re

_CONSTRAINT = re.compile(r"^CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \((\w+):(\w+)\) REQUIRE \1\.(\w+) IS UNIQUE$")
_INDEX = re.compile(r"^CREATE INDEX \w+ IF NOT EXISTS FOR \((\w+):(\w+)\) ON \(\1\.(\w+)\)$")


def falkordb_schema(statement: str) -> list[tuple[str, object]]:
    """The FalkorDB actions for one statement of ``schema.cypher``:
    ``("index", cypher)`` (run it; "already indexed" is fine) and
    ``("unique", (label, property))`` (a unique constraint)."""
    s = " ".join(statement.split())
    m = _CONSTRAINT.match(s)
    if m:
        var, label, prop = m.groups()
        return [("index", f"CREATE INDEX FOR ({var}:{label}) ON ({var}.{prop})"), ("unique", (label, prop))]
    m = _INDEX.match(s)
    if m:
        var, label, prop = m.groups()
        return [("index", f"CREATE INDEX FOR ({var}:{label}) ON ({var}.{prop})")]
    raise ValueError(f"schema statement the FalkorDB dialect does not know: {statement!r}")
