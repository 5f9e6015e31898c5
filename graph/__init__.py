"""cancu's knowledge graph (đồ thị tri thức): the model built from extraction
records (:mod:`graph.model`), its embedded store (:mod:`graph.store`), the
questions it answers (:mod:`graph.query`), the data-quality report
(:mod:`graph.check`) and the rows a Neo4j loader reads (:mod:`graph.rows`)."""

from .errors import AmbiguousTarget, GraphError, StoreError, TargetError, TargetNotFound

__all__ = ["AmbiguousTarget", "GraphError", "StoreError", "TargetError", "TargetNotFound"]
