"""Read the files plans come in (đọc tệp): plain text, Word, PDF, web pages.

:func:`read_document` turns one file into the text cancu extracts from, and
says what it did: the ``format`` it read (``txt``, ``md``, ``docx``, ``doc``,
``pdf``, ``html``), the character ``encoding`` of the text and the legacy
``conversion`` applied (TCVN3 or VNI to Unicode, see :mod:`.legacy`). Every
citation offset refers to that text, which ``cancu extract --dump-text`` writes
out.

The format is told by the file's first bytes, then by its name: a ``.doc``
that is really RTF or HTML, or a ``.pdf`` that is not a PDF, is read (or
refused) for what it is. Every failure is an :class:`~.errors.InputError`
subclass whose ``reason`` is one line for people.

* ``.docx`` (python-docx): body paragraphs and tables in reading order; a
  table row is one line, its cells separated by tabs (as the text plans'
  appendix tables are), a cell's own lines joined by spaces.
* ``.pdf`` (pdfminer.six): pages in order; lines wrapped by the layout are
  joined back into paragraphs, designators broken at a line end
  (``57-`` / ``KL/TW``) are rejoined, page numbers dropped.
* ``.html`` (lxml): the main content only, without menus, headers, footers
  and link lists.
* ``.doc`` and ``.rtf``: converted to ``.docx`` by LibreOffice when it is
  installed.

The size limit (``max_bytes``) holds for the bytes on disk;
a ``.docx`` (a ZIP container) may unpack to five times as much (at least
16 MiB: Word's styles alone unpack to hundreds of kilobytes), and its text
may not exceed ``max_bytes`` characters. The sizes its ZIP directory declares
are checked before anything is inflated, and no member is inflated beyond
its declared size (:func:`unpack_zip`), so a "ZIP bomb" (a few hundred
kilobytes that unpack to gigabytes) is refused in milliseconds. Time and
memory are bounded by the caller (:func:`extractors.pipeline.extract_paths`
reads each file in a worker process it can stop).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .clean import decode
from .errors import DecodeError, InputError
from .legacy import LEGACY, fix_legacy
from .patterncache import compile_pattern

#: 20 MiB: characters are cheap, but a 100 MB "plan" is a mistake worth reporting
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: the file name suffixes of the formats read (định dạng), the one list of them: what
#: :func:`~.pipeline.iter_sources` takes from folders and what the command line says it reads
SUFFIXES = (".txt", ".md", ".docx", ".doc", ".rtf", ".pdf", ".html", ".htm")

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


class FileTooLarge(InputError):
    """Over the size limit (``max_bytes``): ``setting`` is ``max_bytes``,
    ``limit`` the limit the file went over."""


class CorruptFile(InputError):
    """A Word, PDF or web file that is damaged, truncated or not what its name says."""


class PasswordProtected(InputError):
    """An encrypted file (tệp có mật khẩu)."""


class NeedsOCR(InputError):
    """A PDF without a text layer: a scan that needs OCR (nhận dạng ký tự)."""


class MissingTool(InputError):
    """A format whose converter (LibreOffice) is not installed."""


class Unsupported(InputError):
    """A format cancu does not read."""


@dataclass(frozen=True)
class Document:
    """The text read from one file and how it was read."""

    text: str
    format: str
    encoding: str | None = None
    conversion: str | None = None


# -- files -------------------------------------------------------------------


def read_bytes(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes; raises :class:`InputError` naming why it cannot be read."""
    p = Path(path)
    name = str(p)
    try:
        if p.is_dir():
            os.listdir(p)  # a folder we may not list says so
            raise InputError(name, "is a folder")
        size = p.stat().st_size
        if size > max_bytes:
            raise FileTooLarge(
                name,
                f"file too large ({size:,} bytes; the limit is {max_bytes:,}, see max_bytes)",
                setting="max_bytes",
                limit=max_bytes,
            )
        with open(p, "rb") as f:
            data = f.read()  # read(max_bytes + 1) would allocate the whole limit for every file
    except InputError:
        raise
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except OSError as e:
        raise InputError(name, e.strerror or str(e)) from None
    if len(data) > max_bytes:  # grew while we read it
        raise FileTooLarge(
            name,
            f"file too large (over the limit of {max_bytes:,} bytes, see max_bytes)",
            setting="max_bytes",
            limit=max_bytes,
        )
    if not data:
        raise DecodeError(name, "empty file")
    return data


def read_document(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file of any supported format; see the module's description."""
    name = str(path)
    data = read_bytes(path, max_bytes)
    kind = sniff(data, Path(name).suffix.lower(), name)
    if kind in ("txt", "md"):
        text, encoding = decode(data, name)
    elif kind == "docx":
        text, encoding = read_docx(data, name, max_bytes), None
    elif kind == "pdf":
        text, encoding = read_pdf(data, name), None
    elif kind == "html":
        text, encoding = read_html(data, name)
    else:  # doc, rtf
        text, encoding = read_docx(convert_with_libreoffice(data, name, kind), name, max_bytes), None
    if not text.strip():
        raise DecodeError(name, f"no text in this {kind.upper()} file")
    if encoding in LEGACY:  # 8-bit TCVN3 or VNI bytes, converted while decoding
        legacy = encoding
    else:  # legacy characters in a Unicode file (an old font kept in Word, or copied text)
        text, legacy = fix_legacy(text)
    if legacy:
        return Document(text, kind, legacy, f"{legacy}-to-unicode")
    return Document(text, kind, encoding or "unicode", None)


def sniff(data: bytes, suffix: str, name: str = "<bytes>") -> str:
    """The format of ``data``: its magic bytes first, then its name's suffix.

    >>> sniff(b"%PDF-1.7 ...", ".txt"), sniff(b"{\\\\rtf1 ...", ".doc"), sniff("Kế hoạch".encode(), ".md")
    ('pdf', 'rtf', 'md')
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise CorruptFile(name, "corrupt or truncated ZIP container (a damaged .docx?)") from None
        if "word/document.xml" in names:
            return "docx"
        raise Unsupported(name, "a ZIP archive but not a Word .docx file (unsupported format)")
    if data.startswith(_OLE):
        if _ENCRYPTED_PACKAGE in data:
            raise PasswordProtected(name, "password-protected (encrypted) Word file; save it without a password")
        return "doc"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "rtf"
    if suffix == ".pdf":
        raise CorruptFile(name, "not a PDF file (no %PDF header; corrupt or truncated)")
    if suffix == ".docx":
        raise CorruptFile(name, "not a Word .docx file (not a ZIP container; corrupt or truncated)")
    if suffix in (".html", ".htm", ".xhtml", ".doc") and re.search(
        rb"<(?:!doctype\s+html|html|body|p|div)\b", head, re.IGNORECASE
    ):
        return "html"  # Word saves "web pages" as .doc too
    if suffix == ".doc":
        raise CorruptFile(name, "not a Word .doc file (corrupt or truncated)")
    return "md" if suffix == ".md" else "txt"


# -- Word (.docx) --------------------------------------------------------------


def unpacked_limit(max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """How much a ZIP container (``.docx``) may unpack to: five times the
    size limit, at least 16 MiB.

    >>> unpacked_limit() == 100 * 1024 ** 2, unpacked_limit(50 * 1024) == 16 * 1024 ** 2
    (True, True)
    """
    return max(5 * max_bytes, 16 * 1024**2)


def unpack_zip(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The ZIP container ``data`` (a ``.docx``) inflated under a limit, as a
    ZIP of the same members stored uncompressed, for python-docx to read
    without inflating anything itself. Raises :class:`FileTooLarge` when the
    contents would unpack to more than :func:`unpacked_limit` of
    ``max_bytes``, :class:`CorruptFile` when they cannot be unpacked.

    The sizes the ZIP directory declares are summed before anything is
    inflated (a bomb of overlapping entries declares the whole of each
    time). A directory can lie, declaring less than a member's data
    inflates to: members are inflated here a megabyte at a time, and no
    further than their declared size (``zipfile`` stops there and checks
    the CRC), so what is inflated stays within the limit; read at once,
    the same member would be inflated whole before being cut. Only the
    methods Word writes (stored, deflated) are accepted: bzip2 and LZMA
    members could not be inflated a megabyte at a time."""
    limit = unpacked_limit(max_bytes)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
            declared = sum(m.file_size for m in members)
            if declared > limit:
                raise FileTooLarge(
                    name,
                    f"too large once unpacked ({declared:,} bytes in its ZIP directory, "
                    f"from {len(data):,} on disk: a ZIP bomb?); the limit is {limit:,} "
                    "(5 × max_bytes)",
                    setting="max_bytes",
                    limit=limit,
                )
            odd = sorted({m.compress_type for m in members} - {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
            if odd:
                raise CorruptFile(
                    name, f"not a Word .docx file (its ZIP uses compression method {odd[0]}, which Word does not write)"
                )
            last = {m.filename: m for m in members}  # of a name given twice, the last (as zipfile reads)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as stored:
                for m in last.values():
                    chunks = []
                    with z.open(m) as f:
                        while chunk := f.read(1 << 20):
                            chunks.append(chunk)
                    stored.writestr(m.filename, b"".join(chunks))
    except InputError:
        raise
    except MemoryError:
        raise
    except Exception as e:  # BadZipFile (a bad CRC), zlib.error, EOFError, NotImplementedError ...
        raise CorruptFile(name, f"corrupt or truncated Word (.docx) file ({_why(e)})") from None
    return out.getvalue()


def _why(e: BaseException) -> str:
    """An exception as a short phrase for a one-line reason."""
    text = " ".join(str(e).split())
    if len(text) > 120:
        text = text[:117] + "..."
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def read_docx(data: bytes, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Paragraphs and tables of a ``.docx`` body in reading order. A table row
    is one line of tab-separated cells, so an appendix table of tasks keeps its
    "Đơn vị chủ trì" / "Đơn vị phối hợp" columns. Contents that unpack to
    too much (:func:`unpack_zip`), or a text longer than ``max_bytes``
    characters, are refused with :class:`FileTooLarge`."""
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    package = unpack_zip(data, name, max_bytes)
    try:
        document = docx.Document(io.BytesIO(package))
        body = document.element.body
    except MemoryError:
        raise
    except Exception:  # python-docx and lxml raise many kinds on damaged packages
        raise CorruptFile(name, "corrupt or truncated Word (.docx) file") from None

    def para_text(p) -> str:
        return Paragraph(p, document).text

    def cell_text(tc) -> str:
        return " ".join(" ".join(para_text(p).split()) for p in tc.iter(qn("w:p"))).strip()

    lines: list[str] = []
    size = 0

    def add(line: str) -> None:
        nonlocal size
        size += len(line) + 1
        if size > max_bytes:
            raise FileTooLarge(
                name,
                f"its text is longer than the limit of {max_bytes:,} characters (see max_bytes)",
                setting="max_bytes",
                limit=max_bytes,
            )
        lines.append(line)

    def walk(parent) -> None:
        for child in parent.iterchildren():
            if child.tag == qn("w:p"):
                add(para_text(child))
            elif child.tag == qn("w:tbl"):
                for tr in child.iterchildren(qn("w:tr")):
                    cells = []
                    for tc in tr.iterchildren(qn("w:tc")):
                        vmerge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                        merged = vmerge is not None and vmerge.get(qn("w:val"), "continue") == "continue"
                        cells.append("" if merged else cell_text(tc))
                    add("\t".join(cells))
            elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
                walk(child)  # content controls wrap paragraphs and tables

    try:
        walk(body)
    except (MemoryError, InputError):
        raise
    except Exception as e:  # a damaged body: attributes of the wrong kind, missing parts ...
        raise CorruptFile(name, f"corrupt Word (.docx) file ({_why(e)})") from None
    return "\n".join(lines)


# -- PDF -------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float

    @property
    def char_width(self) -> float:
        return (self.x1 - self.x0) / max(1, len(self.text))


_PAGE_NUMBER = compile_pattern(r"[-–\s]*(?:Trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–\s]*", re.IGNORECASE)
_ITEM_START = compile_pattern(r"(?:[-+•–*]\s|[a-zđ]\)\s|\d{1,2}(?:\.\d{1,2})*\.\s|[IVX]{1,5}\.\s)")


def read_pdf(data: bytes, name: str) -> str:
    """The text layer of a PDF, pages in order, with line wraps repaired.

    A PDF whose pages have no text (a scan) raises :class:`NeedsOCR`."""
    pages = _pdf_lines(data, name)
    lines: list[_Line] = []
    breaks: list[bool] = []  # for each line: a page ends after it
    for page in pages:
        page = [
            l for k, l in enumerate(page) if not ((k == 0 or k == len(page) - 1) and _PAGE_NUMBER.fullmatch(l.text))
        ]
        lines.extend(page)
        breaks.extend([False] * (len(page) - 1) + [True] if page else [])
    if not any(l.text.strip() for l in lines):
        raise NeedsOCR(name, "PDF has no text layer (a scanned image?); it needs OCR before cancu can read it")
    text = repair_lines(lines, breaks)
    if text.count("(cid:") > max(3, len(text) // 200):
        raise NeedsOCR(name, "PDF text has no Unicode mapping (its fonts give only glyph numbers); it needs OCR")
    return text


def _pdf_lines(data: bytes, name: str) -> list[list[_Line]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextLineHorizontal
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    def lines_of(obj, out: list[_Line]) -> None:
        if isinstance(obj, LTTextLineHorizontal):
            text = " ".join(obj.get_text().split())
            if text:
                out.append(_Line(text, obj.x0, obj.x1, obj.y0, obj.y1))
            return
        try:
            children = iter(obj)
        except TypeError:
            return
        for child in children:
            lines_of(child, out)

    pages: list[list[_Line]] = []
    try:
        with _quiet_pdfminer():
            for layout in extract_pages(io.BytesIO(data), laparams=LAParams()):
                page: list[_Line] = []
                lines_of(layout, page)
                pages.append(page)
    except MemoryError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise PasswordProtected(name, "password-protected (encrypted) PDF; save it without a password") from None
    except Exception as e:  # pdfminer raises many kinds on damaged files
        if "password" in str(e).lower() or "encrypt" in type(e).__name__.lower():
            raise PasswordProtected(name, "password-protected (encrypted) PDF") from None
        raise CorruptFile(name, f"corrupt or truncated PDF ({type(e).__name__})") from None
    if not pages:
        raise CorruptFile(name, "corrupt or truncated PDF (no pages)")
    return pages


@contextlib.contextmanager
def _quiet_pdfminer():
    """Keep pdfminer's log lines ("Invalid MediaBox in /Page, defaulting to
    US Letter" ...) off stderr while it reads: cancu reports a file in its
    own one-line format. Logging configured by a program that imports cancu
    is restored afterwards."""
    log = logging.getLogger("pdfminer")
    handler = logging.NullHandler()
    propagate = log.propagate
    log.addHandler(handler)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.propagate = propagate


def repair_lines(lines: list[_Line], page_ends: list[bool]) -> str:
    """Join lines the layout wrapped back into paragraphs.

    A line continues on the next when the next line's first word would not
    have fitted at its end (the line is "full"), the next line follows closely
    below in the same column (or opens the next page) and does not open a list
    item. ``57-`` + ``KL/TW`` and ``72/2015/`` + ``NĐ-CP`` join without a
    space; a soft hyphen at a line end is dropped.
    """
    if not lines:
        return ""
    out = [lines[0].text]
    right = max(l.x1 for l in lines)
    for prev, line, page_end in zip(lines, lines[1:], page_ends):
        cw = prev.char_width
        first_word = line.text.split(" ", 1)[0]
        full = (right - prev.x1) < (len(first_word) + 1.5) * cw
        height = prev.y1 - prev.y0
        below = page_end or (0 <= prev.y0 - line.y1 < 1.2 * height and abs(line.x0 - prev.x0) < 4 * cw)
        if full and below and not _ITEM_START.match(line.text):
            t = out[-1]
            if t.endswith("\u00ad"):
                out[-1] = t[:-1] + line.text
            elif (t.endswith("-") and len(t) > 1 and not t[-2].isspace()) or t.endswith("/"):
                out[-1] = t + line.text
            else:
                out[-1] = t + " " + line.text
        else:
            out.append(line.text)
    return "\n".join(out)


# -- HTML -------------------------------------------------------------------

_META_CHARSET = compile_pattern(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "nav",
    "header",
    "footer",
    "aside",
    "menu",
    "object",
    "embed",
)
_BOILERPLATE = compile_pattern(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|header|footer|sidebar|side-bar|banner|share|social|"
    r"comments?|related|tin-?lien-?quan|advert|ads|login|search|copyright|toolbar|cookie)(?:$|[-_\s])",
    re.IGNORECASE,
)
_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article main blockquote pre "
    "address figure figcaption hr center caption tbody thead tfoot".split()
)


def decode_html(data: bytes, name: str) -> tuple[str, str]:
    """A web page's text: BOM, then ``<meta charset>``, then UTF-8, then the
    8-bit Vietnamese encodings."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data, name)
    m = _META_CHARSET.search(data[:4096])
    if m:
        label = m.group(1).decode("ascii", "replace").lower()
        try:
            return data.decode(label), label
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, name)


def read_html(data: bytes, name: str) -> tuple[str, str]:
    """The main content of a web page as lines; ``(text, encoding)``. Menus,
    headers, footers, scripts and link lists are left out."""
    import lxml.html
    from lxml import etree

    text, encoding = decode_html(data, name)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise CorruptFile(name, f"not a readable web page ({e})") from None
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for el in list(root.iter(*_DROP_TAGS)):
        _drop(el)
    for el in list(root.iter()):
        if el.getparent() is None or el.tag in ("html", "body"):
            continue
        label = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
        if label.strip() and _BOILERPLATE.search(label) and _own_text(el) < 0.5 * _own_text(root):
            _drop(el)
    return _serialize(main_content(root)), encoding


def _drop(el) -> None:
    """Remove an element but keep the text that follows it."""
    parent = el.getparent()
    if parent is not None:
        el.drop_tree()


def _own_text(el) -> int:
    """Length of ``el``'s text outside links (a menu is mostly links)."""
    total = len(" ".join(el.text_content().split()))
    links = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    return total - links


def main_content(root):
    """The element holding a page's main content: ``<article>``, ``<main>``
    or ``role="main"`` when there is one with text, else the block that holds
    nearly all of the page's non-link text, descending from ``<body>``."""
    for xp in ("//article", "//main", "//*[@role='main']", "//*[@itemprop='articleBody']"):
        found = [e for e in root.xpath(xp) if _own_text(e) > 0]
        if found:
            best = max(found, key=_own_text)
            if _own_text(best) >= 0.5 * _own_text(root):
                return best
    node = root.find("body")
    if node is None:
        node = root
    while True:
        total = _own_text(node)
        children = [c for c in node if isinstance(c.tag, str) and c.tag not in ("table", "ul", "ol", "p")]
        if not children or total == 0:
            return node
        best = max(children, key=_own_text)
        if _own_text(best) < 0.85 * total:
            return node
        node = best


def _serialize(el) -> str:
    """Block elements become lines; a table row is one line of tab-separated cells."""
    parts: list[str] = []

    def cell(c) -> str:
        return " ".join(c.text_content().split())

    def walk(e) -> None:
        tag = e.tag if isinstance(e.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif tag == "table":
            parts.append("\n")
            for tr in e.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
                parts.append("\t".join(cell(c) for c in tr if c.tag in ("td", "th")) + "\n")
        else:
            block = tag in _BLOCKS or tag == "tr"
            if block:
                parts.append("\n")
            if e.text and tag:
                parts.append(e.text)
            for child in e:
                walk(child)
                if child.tail:
                    parts.append(child.tail)
            if block:
                parts.append("\n")

    walk(el)
    lines = []
    for line in "".join(parts).split("\n"):
        if "\t" in line:
            line = "\t".join(" ".join(c.split()) for c in line.split("\t"))
        else:
            line = " ".join(line.split())
        if line.strip():
            lines.append(line)
    return "\n".join(lines)


# -- Word 97-2003 (.doc) and RTF through LibreOffice -------------------------


@contextlib.contextmanager
def _own_memory_limit():
    """Lift the reader process's address-space limit (``RLIMIT_AS``, set by
    :mod:`.pipeline`'s worker processes) while LibreOffice runs, so that the
    converter is not held to a limit sized for Python; the worker only waits
    meanwhile, and LibreOffice has its own time-out."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, AttributeError, OSError, ValueError):
        yield
        return
    lifted = soft != hard
    if lifted:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        except (OSError, ValueError):
            lifted = False
    try:
        yield
    finally:
        if lifted:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def libreoffice() -> str | None:
    """The LibreOffice program (``soffice``), or None when it is not installed."""
    for cmd in ("soffice", "libreoffice"):
        found = shutil.which(cmd)
        if found:
            return found
    for p in (
        "/usr/lib/libreoffice/program/soffice",
        "/opt/libreoffice/program/soffice",
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    ):
        if os.path.exists(p):
            return p
    return None


def convert_with_libreoffice(data: bytes, name: str, kind: str = "doc", timeout: float = 180) -> bytes:
    """Convert a ``.doc`` (or RTF) file to ``.docx`` bytes with LibreOffice."""
    soffice = libreoffice()
    if soffice is None:
        raise MissingTool(
            name,
            "reading .doc files needs LibreOffice, which is not installed "
            "(install LibreOffice, e.g. the libreoffice-writer-nogui package, "
            "or save the file as .docx)",
        )
    with tempfile.TemporaryDirectory(prefix="cancu-lo-") as tmp, _own_memory_limit():
        src = Path(tmp) / f"input.{kind}"
        src.write_bytes(data)
        profile = Path(tmp, "profile").as_uri()  # a private profile: parallel runs do not clash
        cmd = [
            soffice,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(Path(tmp, "out")),
            str(src),
        ]
        try:
            subprocess.run(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise CorruptFile(
                name, f"LibreOffice did not convert it within {timeout:.0f} s (password-protected or damaged .doc?)"
            ) from None
        out = Path(tmp, "out", "input.docx")
        if not out.exists() or out.stat().st_size == 0:
            raise CorruptFile(
                name, "LibreOffice could not convert it (corrupt, truncated or password-protected .doc file)"
            )
        return out.read_bytes()
