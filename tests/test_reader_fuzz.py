"""Fuzzing the readers: .docx and .pdf files made from a sample plan, then
mutated (bytes flipped, cut, repeated, tokens of the format inserted), never
hang past the time budget, never raise out of cancu (each bad file is one
InputError-style failure line, never an internal error) and never leave a
partial store: a build over a folder of mutated files leaves a whole store.

The examples are few (the whole file runs in well under a minute); each reads
its files through :func:`extract_paths`, in worker processes under the same
budgets as ``cancu extract``."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cancu.cli import main
from cancu.extractors.pipeline import Failure, extract_paths
from cancu.graph.store import load_graph, read_manifest
from tests.fixtures_inputs import FONT, make_docx, need_tool, plan_text

#: seconds a mutated file may take; every file here reads in well under one
BUDGET = 10
#: what a bad file may fail with: reasons about the input, or a budget stop
EXPECTED = {
    "CorruptFile",
    "DecodeError",
    "NeedsOCR",
    "PasswordProtected",
    "FileTooLarge",
    "Unsupported",
    "InputError",
    "ReadTimeout",
    "OutOfMemory",
}
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _excerpt() -> str:
    """The opening of a plan and its appendix table: preamble citations,
    sections, agencies, tab-separated rows."""
    hue = plan_text("thua-thien-hue-2024-ttdn-du-thao").split("\n")
    table = [l for l in hue if "\t" in l][:6]
    return "\n".join(plan_text("phu-tho-2025-ttdn").split("\n")[:30] + table)


def docx_seed(work: Path) -> bytes:
    return make_docx(_excerpt(), work / "seed.docx").read_bytes()


def pdf_seeds() -> tuple[bytes, bytes]:
    """The excerpt as a PDF twice: with its streams deflated (as fpdf2 writes
    them), and uncompressed, so that mutations reach the content operators."""
    need_tool(FONT.exists(), "the DejaVu font (fonts-dejavu-core)")
    from fpdf import FPDF

    out = []
    for compress in (True, False):
        pdf = FPDF()
        pdf.set_compression(compress)
        pdf.add_page()
        pdf.add_font("DejaVu", fname=str(FONT))
        pdf.set_font("DejaVu", size=11)
        for para in _excerpt().split("\n"):
            pdf.multi_cell(0, 6, para.replace("\t", "  ") or " ", new_x="LMARGIN", new_y="NEXT")
        out.append(bytes(pdf.output()))
    return out[0], out[1]


_PDF_TOKENS = [
    b" 0 R",
    b"1 0 R",
    b"/Length 5 0 R",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"(",
    b")",
    b"stream\n",
    b"endstream",
    b"endobj",
    b"xref",
    b"/Filter /FlateDecode",
    b"/Type /Pages",
    b"/Kids [3 0 R]",
    b"-1",
    b"99999999999",
    b"\\",
    b"%%EOF",
    b"/Encrypt 1 0 R",
    b"Tj",
    b"TJ",
    b"BT",
    b"ET",
    b"\x00",
]
_XML_TOKENS = [
    b"<w:p>",
    b"</w:p>",
    b"<w:tbl>",
    b"<w:tr>",
    b"<w:tc>",
    b"</w:body>",
    b"&amp;",
    b"&#0;",
    b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
    b"&a;",
    b"<w:vMerge/>",
    b'w:val="',
    b'"',
    b"<",
    b">",
    b"\xff\xfe",
    b"\x00",
    b"<w:sdt><w:sdtContent>",
    b'xmlns:w="x"',
]


def mutate(data: bytes, draw, tokens: list[bytes]) -> bytes:
    """One to six edits: flip a byte, delete, repeat or overwrite a slice,
    insert a token of the format, or cut the end off."""
    b = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, max(0, len(b) - 1)))
        op = draw(st.sampled_from(["flip", "delete", "repeat", "token", "overwrite", "cut"]))
        if op == "flip" and b:
            b[i] = draw(st.integers(0, 255))
        elif op == "delete":
            del b[i : i + draw(st.integers(1, 64))]
        elif op == "repeat":
            n = draw(st.integers(1, 256))
            b[i:i] = b[i : i + n] * draw(st.integers(1, 8))
        elif op == "token":
            b[i:i] = draw(st.sampled_from(tokens))
        elif op == "overwrite":
            t = draw(st.sampled_from(tokens))
            b[i : i + len(t)] = t
        else:
            b = b[:i]
    return bytes(b)


def mutate_member(data: bytes, draw) -> bytes:
    """A .docx whose container is sound but one member (the body, mostly)
    is mutated."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = [(i, z.read(i)) for i in z.infolist()]
    names = [i.filename for i, _ in members]
    target = draw(st.sampled_from(["word/document.xml"] * 4 + names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, body in members:
            z.writestr(info.filename, mutate(body, draw, _XML_TOKENS) if info.filename == target else body)
    return out.getvalue()


def check_results(files: list[Path], results: list, started: float) -> None:
    assert [r.source for r in results] == [str(f) for f in files]
    for r in results:
        if isinstance(r, Failure):
            assert r.error in EXPECTED, f"{r.source}: {r.error}: {r.reason}\n{r.traceback}"
            assert r.reason and "\n" not in r.reason
        else:
            for c in r.citations:
                assert r.text[c.start : c.end] == c.text
            for a in r.agencies:
                assert r.text[a.start : a.end] == a.text
    assert time.monotonic() - started < len(files) * (BUDGET + 5)


def write(folder: Path, blobs: list[bytes], suffix: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for k, blob in enumerate(blobs):
        f = folder / f"{k:02d}{suffix}"
        f.write_bytes(blob)
        files.append(f)
    return files


class Seeds:
    """The seed files of the examples, made once, and a folder for each example."""

    def __init__(self, work: Path):
        self.work = work
        self.docx = docx_seed(work)
        self.pdf_deflated, self.pdf_plain = pdf_seeds()
        self.count = 0

    def example_dir(self) -> Path:
        self.count += 1
        return self.work / f"ex{self.count:05d}"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> Seeds:
    return Seeds(tmp_path_factory.mktemp("fuzz"))


@settings(max_examples=30, **SETTINGS)
@given(data=st.data())
def test_mutated_docx_files(seeds, data):
    seed = seeds.docx
    blobs = [mutate(seed, data.draw, _XML_TOKENS), mutate_member(seed, data.draw), mutate_member(seed, data.draw)]
    files = write(seeds.example_dir(), blobs, ".docx")
    started = time.monotonic()
    check_results(files, list(extract_paths([str(f) for f in files], timeout=BUDGET)), started)


@settings(max_examples=30, **SETTINGS)
@given(data=st.data())
def test_mutated_pdf_files(seeds, data):
    deflated, plain = seeds.pdf_deflated, seeds.pdf_plain
    blobs = [
        mutate(deflated, data.draw, _PDF_TOKENS),
        mutate(plain, data.draw, _PDF_TOKENS),
        mutate(plain, data.draw, _PDF_TOKENS),
    ]
    files = write(seeds.example_dir(), blobs, ".pdf")
    started = time.monotonic()
    check_results(files, list(extract_paths([str(f) for f in files], timeout=BUDGET)), started)


@pytest.fixture(scope="module")
def old_store(seeds) -> tuple[Path, dict[str, bytes]]:
    """A store of one good plan, built once; each example builds over a copy."""
    good = seeds.work / "good"
    good.mkdir()
    (good / "plan.txt").write_text(plan_text("yen-bai-2024-ttdn"), encoding="utf-8")
    store = seeds.work / "old-store"
    result = CliRunner().invoke(main, ["build", str(good), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return good, {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}


@settings(max_examples=10, **SETTINGS)
@given(data=st.data())
def test_a_build_over_mutated_files_leaves_a_whole_store(seeds, old_store, data):
    good, old_files = old_store
    plain, seed = seeds.pdf_plain, seeds.docx
    here = seeds.example_dir()
    inputs = write(here / "in", [mutate(seed, data.draw, _XML_TOKENS), mutate_member(seed, data.draw)], ".docx")
    inputs += write(here / "in", [mutate(plain, data.draw, _PDF_TOKENS)], ".pdf")
    store = here / "store"
    store.mkdir()
    for name, blob in old_files.items():
        (store / name).parent.mkdir(parents=True, exist_ok=True)
        (store / name).write_bytes(blob)
    result = CliRunner().invoke(
        main, ["build", str(good), str(here / "in"), "--store", str(store), "--timeout", str(BUDGET)]
    )
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    failed = [l for l in result.stderr.splitlines() if l.startswith("cancu: cannot read ")]
    assert (result.exit_code == 1) == bool(failed) and len(failed) <= len(inputs)
    manifest = read_manifest(store)
    read = sorted(set(manifest["sources"]) - {str(good / "plan.txt")})
    assert len(read) + len(failed) == len(inputs)
    for entry in manifest["sources"].values():
        assert json.loads((store / entry["file"]).read_text(encoding="utf-8"))
    assert load_graph(store).number_of_nodes() > 0
    if not read:  # nothing new: the old store, byte for byte
        assert {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()} == old_files
    assert sorted(n for n in os.listdir(here) if n.startswith("store")) in (["store"], ["store", "store.lock"])
    assert sorted(os.listdir(here / "in")) == sorted(f.name for f in inputs)  # no input lost
