"""The README shows the real --help output and the current docs (cog-style check)."""
from __future__ import annotations

import importlib.util

from .conftest import ROOT


def test_readme_generated_parts_are_up_to_date():
    spec = importlib.util.spec_from_file_location("readme", ROOT / "docs" / "readme.py")
    readme = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(readme)
    current = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.render(current) == current, "run: python docs/readme.py"
