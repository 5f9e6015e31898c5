"""The doctests of every module of the installed package ``cancu``, run from
the source folders (extractors/, graph/, cypher/, cli.py) through the one
package name, so that each module is imported once, as ``cancu.…``."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

#: the package's parts (the wheel test in test_cypher_package.py checks that
#: the wheel holds these and nothing else)
PARTS = ("cancu.extractors", "cancu.graph", "cancu.cypher")


def modules() -> list[str]:
    names = ["cancu.cli", "cancu.progress"]  # cancu.__main__ is left out: importing it runs the command line
    for part in PARTS:
        pkg = importlib.import_module(part)
        names.append(part)
        names += [info.name for info in pkgutil.walk_packages(pkg.__path__, part + ".")]
    return sorted(names)


def test_the_modules_are_found_under_the_one_name():
    names = modules()
    for want in ("cancu.cli", "cancu.extractors.pipeline", "cancu.graph.store", "cancu.cypher.loader"):
        assert want in names
    assert len(names) > 30


@pytest.mark.parametrize("name", modules())
def test_doctests(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(module, name):  # each test gets a copy of the module's globals
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed in {name}"
