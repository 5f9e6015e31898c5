"""The README and docs/ show the real --help output and the current docs
(cog-style check), docs/cli.md holds every command, and the README stays a
front door."""

from __future__ import annotations

import importlib.util
import re

from .conftest import ROOT


def _readme_module():
    spec = importlib.util.spec_from_file_location("readme", ROOT / "docs" / "readme.py")
    readme = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(readme)
    return readme


def test_generated_parts_are_up_to_date():
    readme = _readme_module()
    for path in readme.FILES:
        current = path.read_text(encoding="utf-8")
        assert readme.render(current) == current, f"{path.name} is out of date: run python docs/readme.py"


def test_cli_reference_has_every_command():
    readme = _readme_module()
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    shown = re.findall(r"<!-- help:([^>]*?) -->", text)
    assert sorted(shown) == sorted(readme.commands())
    assert len(shown) == len(set(shown))


def test_readme_is_a_front_door():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    # every link to docs/ points at a page that exists
    for target in re.findall(r"\]\((docs/[^)#]+)", text):
        assert (ROOT / target).exists(), target


def test_style_sheet_is_made_from_the_one_colour_scheme():
    from cancu.cypher import style, style_sheet
    from cancu.extractors.vocabulary import node_style, relationship_style
    from cancu.graph import viz

    assert style() == style_sheet(), "run: python docs/readme.py"
    # Neo4j Browser and cancu viz colour every type alike
    for rel, colour in viz.EDGE_COLORS.items():
        assert f"relationship.{rel} {{\n  color: {colour};" in style()
        assert relationship_style(rel)["color"] == colour
    assert f"node.Decree {{\n  color: {node_style('Decree')['color']};" in style()
    assert viz.NODE_STYLE["Decree"] == ("dot", node_style("Decree")["color"])
