"""The notebooks in notebooks/ run end to end (nbclient, the python3 kernel of
this interpreter), and are committed without outputs."""

from __future__ import annotations

import importlib.util

import pytest

from .conftest import ROOT, require

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert "01-explore.ipynb" in [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    import json

    nb = json.loads(path.read_text(encoding="utf-8"))
    stale = [
        i
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    ]
    assert stale == [], f"{path.name}: cells {stale} carry outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_end_to_end(path):
    require(
        all(importlib.util.find_spec(m) for m in ("nbclient", "nbformat", "ipykernel")),
        "nbclient, nbformat and ipykernel (pip install -e '.[test]')",
    )
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    # any error in a cell raises CellExecutionError, naming the cell and the traceback
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", ()) if o.get("output_type") == "error"
    ]
    assert errors == []
