"""Shared helpers of the Cypher tests: the sample graph, an embedded FalkorDB,
and the saved queries compared with cancu query."""

from __future__ import annotations

import importlib.util
import sys

from .conftest import PLANS, require


def sample_graph():
    from cancu.extractors.pipeline import extract_paths
    from cancu.graph.model import build_graph

    return build_graph(r.to_dict() for r in extract_paths([str(PLANS)]))


def falkordb_available() -> bool:
    return sys.version_info >= (3, 12) and importlib.util.find_spec("redislite") is not None


def falkor_runner(path):
    require(falkordb_available(), "falkordblite (pip install falkordblite; Python 3.12)")
    from cancu.cypher.runners import FalkorRunner

    return FalkorRunner(str(path))
