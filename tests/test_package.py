"""cancu installs as one package: ``cancu`` is the wheel's only top-level
name, every data file is inside it, and a fresh environment imports
``cancu.graph`` but not ``graph``."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_cancu_is_the_only_top_level_name(wheel_names):
    tops = {n.split("/", 1)[0] for n in wheel_names}
    dist_info = {t for t in tops if t.endswith(".dist-info")}
    assert tops - dist_info == {"cancu"}
    assert len(dist_info) == 1
    for part in (
        "cancu/cli.py",
        "cancu/__main__.py",
        "cancu/extractors/__init__.py",
        "cancu/graph/__init__.py",
        "cancu/cypher/__init__.py",
    ):
        assert part in wheel_names


def test_every_data_file_is_inside_the_package(wheel_names):
    data = []
    for pattern in (
        "extractors/data/*.json",
        "extractors/data/*.jsonl",
        "cypher/**/*.cypher",
        "cypher/style.grass",
        "graph/templates/*",
    ):
        data += [p.relative_to(ROOT).as_posix() for p in ROOT.glob(pattern)]
    assert len(data) > 50
    missing = sorted(f for f in data if "cancu/" + f not in wheel_names)
    assert missing == []
    # and nothing from outside the package folders
    assert not [n for n in wheel_names if n.startswith(("cancu/tests/", "cancu/bench/", "cancu/docs/"))]


def test_python_dash_m_cancu_runs_the_command_line(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "cancu", "--version"], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert (out.returncode, out.stdout) == (0, "cancu, version 0.1.0\n")


def test_a_graph_py_in_the_working_folder_does_not_shadow_cancu(tmp_path):
    # the trap of the old layout: a user's graph.py broke `import graph.query`
    (tmp_path / "graph.py").write_text("raise SystemExit('the wrong graph')\n", encoding="utf-8")
    (tmp_path / "cli.py").write_text("raise SystemExit('the wrong cli')\n", encoding="utf-8")
    code = "import cancu.graph.query, cancu.cli; print(cancu.graph.query.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert (out.returncode, out.stdout) == (0, "cancu.graph.query\n")


def test_a_fresh_environment_imports_cancu_and_not_graph(tmp_path, wheel_names):
    # a venv that sees only the built wheel's files: install it without dependencies
    # (they are not needed to import the package names)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    wheel_dir = tmp_path / "w"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    wheel = next(wheel_dir.glob("cancu-*.whl"))
    py = venv / "bin" / "python"
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    out = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    ok = subprocess.run(
        [
            str(py),
            "-c",
            "import importlib.util as u; print(u.find_spec('cancu.graph') is not None, "
            "u.find_spec('cancu.extractors') is not None, u.find_spec('cancu.cypher') is not None, "
            "u.find_spec('graph'), u.find_spec('extractors'), u.find_spec('cli'))",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert ok.stdout == "True True True None None None\n", ok.stderr


def test_extracting_does_not_import_spacy(tmp_path):
    """Importing spaCy takes more than a second: ``cancu extract`` runs the
    stages without it; the spaCy components import it when they are asked for."""
    code = (
        "import sys\n"
        "from cancu.cli import main\n"
        "from cancu.extractors.pipeline import extract_text, load_pipeline\n"
        "r = extract_text('Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;')\n"
        "print(r.citations[0].key, 'spacy' in sys.modules)\n"
        "load_pipeline()\n"
        "print('spacy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.stdout.split() == ["72/2015/NĐ-CP", "False", "True"], out.stderr
