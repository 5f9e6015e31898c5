"""Find every numbered document a text cites (tìm trích dẫn).

:func:`find_designators` scans cleaned text with the designator grammar;
:func:`find_citations` reads the words around each designator: the type word
before it ("Quyết định số"), the date, issuer and subject after it. Offsets
are into the cleaned text; :mod:`extractors.pipeline` maps them to the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as _date
from functools import cache

from . import regexes as rx
from .models import Designator
from .patterncache import compile_pattern
from .vocabulary import SPACES

_KEY_WITH_YEAR = compile_pattern(r"([^/]+)/(\d{4})[/-](.+)")  # "72/2015/NĐ-CP"
_TERM_AFTER = compile_pattern(r"[ \t]*\((?:khóa|khoá|Khóa|Khoá)[^)\n]{1,20}\)")  # "(khóa XIII)"
_MARK_AFTER = compile_pattern(r"[\])*_]*(?:\(\#\))?")  # markup closing a designator
_FULL_STOP = compile_pattern(r"(?<=[^\s.])\.(?:\s|$)")  # a sentence's full stop
#: a document's own number in its heading ("Số: 123/KH-UBND") or in a
#: portal's metadata table ("**Số hiệu:** | 38/2025/QĐ-UBND")
#: what a line may hold besides a number without holding text (markup, table borders)
_MARKUP_ONLY = compile_pattern(r"[\s*_|#]+")
_OWN_NUMBER = compile_pattern(r"(?:^|\n)[ \t*_#|]*(?:Số|SỐ|số)(?:[ \t]+(?:hiệu|HIỆU|ký hiệu))?[ \t*_]*:?[ \t*_|]*$")
#: a form or an annex is not a document: "Mẫu số 01/TB-ĐKT", "Phụ lục số 02/..."
_FORM_BEFORE = compile_pattern(r"(?:Mẫu|mẫu|MẪU|Biểu|biểu|Phụ lục|phụ lục)(?:[ \t]+(?:số|Số))?[ \t]*:?[ \t]*[\[(*_]*$")


def canonical_key(raw: str) -> str:
    """The canonical designator: no spaces or line breaks, and the official
    spelling of segments that mix cases (``TTg`` in a title in capitals).

    >>> canonical_key("3155/STTTT- TTBCXB")
    '3155/STTTT-TTBCXB'
    >>> canonical_key("57-\\n\\nKL/TW")
    '57-KL/TW'
    >>> canonical_key("32/CT-TTG")
    '32/CT-TTg'
    """
    key = SPACES.sub("", raw)
    cases = _segment_case()
    if any(seg in cases for seg in _SEGMENT.findall(key)):
        key = _SEGMENT.sub(lambda m: cases.get(m.group(), m.group()), key)
    return key


_SEGMENT = compile_pattern(r"[^/\-]+")


def _variants() -> dict:
    return rx.load_data("designators.json")["spelling_variants"]


def _is_party_body(segment: str) -> bool:
    """Whether a symbol's last part is a Party body's code (TW, TU, BTCTW ...).

    >>> _is_party_body("TW"), _is_party_body("BTCTW"), _is_party_body("CP")
    (True, True, False)
    """
    v = _variants()
    return segment in v["party_bodies"] or (len(segment) > 2 and segment.endswith(v["party_body_suffix"]))


def _joined_symbol(symbol: str) -> str | None:
    """``CT-TTg`` for a symbol written without its hyphen (``CTTg``: the type
    code's last letter merged with the issuer's first, or ``QĐUBND``), if it is
    a type code joined to a state issuer's code; else None.

    >>> _joined_symbol("CTTg"), _joined_symbol("QĐUBND"), _joined_symbol("SL")
    ('CT-TTg', 'QĐ-UBND', None)
    """
    for issuer in _variants()["joined_issuers"]:
        if not symbol.endswith(issuer):
            continue
        rest = symbol[: -len(issuer)]
        for code in (rest, rest + issuer[0]):
            if code and code in rx.type_codes():
                return f"{code}-{issuer}"
    return None


@cache
def _segment_case() -> dict[str, str]:
    table = rx.load_data("designators.json").get("segment_case", {})
    return {k: v for k, v in table.items() if not k.startswith("_")}


@dataclass(frozen=True, slots=True)
class DesignatorMatch:
    designator: Designator
    start: int
    end: int
    own_number: bool  # "Số: 123/KH-UBND" in a document's own heading


def parse_designator(raw: str, kind: str, groups: dict) -> Designator:
    """Split a matched designator into number, symbol, year and type code."""
    key = canonical_key(raw)
    if kind == "normative":
        m = _KEY_WITH_YEAR.match(key)
        number, year, symbol = m.groups()
        for wrong, right in _variants()["ocr_segments"].items():
            if re.fullmatch(re.escape(wrong) + r"\d{1,2}", symbol):  # "22/2023/OH15" is 22/2023/QH15
                symbol = right + symbol[len(wrong) :]
        key = f"{number}/{year}/{symbol}"  # "146/2025-NĐ-CP" is 146/2025/NĐ-CP
        return Designator(key, kind, number, symbol, int(year), symbol.split("-")[0])
    if kind == "party":
        number, rest = key.split("-", 1)
        return Designator(key, kind, number, rest, None, rest.split("/")[0])
    if kind == "legacy":
        m = re.match(r"([^/-]+)[/-](.+)", key)
        joined = _joined_symbol(m.group(2))
        if joined:  # "05/CTTg" is 05/CT-TTg
            return Designator(
                f"{m.group(1)}/{joined}", "administrative", m.group(1), joined, None, joined.split("-")[0]
            )
        return Designator(key, kind, m.group(1), m.group(2), None, m.group(2))
    number, symbol = key.split("/", 1)
    if kind == "administrative":
        code, _, body = symbol.partition("-")
        if _is_party_body(body):  # "57/NQ- TW", "57/KL-TW": the Party's 57-NQ/TW, 57-KL/TW
            return Designator(f"{number}-{code}/{body}", "party", number, f"{code}/{body}", None, code)
    code = symbol.split("-")[0] if kind == "administrative" else None
    return Designator(key, kind, number, symbol, None, code)


def find_designators(text: str) -> list[DesignatorMatch]:
    """Every designator in cleaned ``text``, in order.

    >>> [m.designator.key for m in find_designators("Kết luận số 57-\\n\\nKL/TW và Nghị định 72/2015/NĐ-CP")]
    ['57-KL/TW', '72/2015/NĐ-CP']
    """
    out = []
    for m in rx.designator_matches(text):
        kind = next(k for name, k, _ in rx.designator_patterns() if m.group(name))
        raw = m.group()
        d = parse_designator(raw, kind, m.groupdict())
        # the line before the designator, from the line break before it; only
        # its last 48 characters matter (looking back to the line's start
        # took quadratic time on a long line)
        lo = max(0, m.start() - 48)
        line_start = text.rfind("\n", lo, m.start()) + 1 or (0 if lo == 0 else lo - 1)
        prefix = text[max(line_start - 1, 0) : m.start()]
        if _FORM_BEFORE.search(prefix[-24:]):
            continue
        own = len(prefix) < 48 and bool(_OWN_NUMBER.search(prefix))  # "Số:" opens a short line
        if not own and line_start and not _MARKUP_ONLY.sub("", text[line_start : m.start()]):
            # the number wrapped onto its own line under "Số:" (a heading's table cell)
            above = text[max(0, line_start - 49) : line_start - 1]
            own = bool(_OWN_NUMBER.search("\n" + above.rsplit("\n", 1)[-1]))
        out.append(DesignatorMatch(d, m.start(), m.end(), own))
    return out


@dataclass(slots=True)
class RawCitation:
    """A citation as first read, before relations and short mentions (slots:
    a text may hold thousands)."""

    designator: Designator
    start: int  # head start: the type word, or the designator
    end: int  # end of the designator
    des_start: int
    doc_type: str | None
    doc_type_inferred: bool
    date: str | None = None
    date_text: str | None = None
    date_span: tuple[int, int] | None = None
    issuer: str | None = None
    issuer_span: tuple[int, int] | None = None
    subject: str | None = None
    subject_start: int | None = None
    tail_end: int = 0  # end of what describes this citation (date, issuer, subject)
    core_end: int = 0  # end of the designator with its date and issuer, before the subject
    extra: dict = field(default_factory=dict)


def _last_type_word(type_re: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    """The last (nearest) type word that introduces the designator at ``end``."""
    found = None
    m = type_re.search(text, start, end)
    while m:
        found = m
        # go on after the type word itself ("Sắc lệnh" holds "lệnh")
        m = type_re.search(text, m.end("type") if m.group("type") else m.end("abbr"), end)
    return found


def _type_name(word: str) -> str:
    """The canonical type name for a type word as written (any case)."""
    return _type_names().get(word.casefold(), word)


@cache
def _type_names() -> dict[str, str]:
    """Each type name casefolded, and the name (the first of the names that fold alike)."""
    out: dict[str, str] = {}
    for name in rx.doc_type_names():
        out.setdefault(name.casefold(), name)
    return out


def infer_doc_type(d: Designator) -> str | None:
    """The type a designator's code implies when the text names none.

    >>> infer_doc_type(parse_designator("1191/QĐ-TTg", "administrative", {}))
    'Quyết định'
    >>> infer_doc_type(parse_designator("3089/BTTTT-TTĐN", "official_letter", {}))
    'Công văn'
    """
    if d.kind == "official_letter":
        return "Công văn"
    if d.kind == "legacy":
        return None
    code = d.type_code or ""
    if d.kind == "party" and code == "TT":
        return "Thông tri"
    if d.kind == "normative" and re.fullmatch(r"(?:UBTV)?QH\d*", code):
        return "Luật" if code.startswith("QH") else "Pháp lệnh"
    for t in rx.load_data("doc_types.json")["types"]:
        if code in t["codes"]:
            return t["name"]
    return None


def parse_date(day: str, month: str, year: str) -> str | None:
    """ISO date, or None when the numbers are no calendar date.

    >>> parse_date("9", "02", "2017"), parse_date("31", "02", "2017")
    ('2017-02-09', None)
    """
    try:
        return _date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _read_date(text: str, pos: int, rc: RawCitation) -> int:
    """Read the issue date at ``pos`` into ``rc``, if one stands there;
    return where reading goes on."""
    m = rx.DATE_AFTER.match(text, pos, min(len(text), pos + 60))
    if not m:
        return pos
    g = m.groupdict()
    day, month, year = (g["d1"], g["m1"], g["y1"]) if g["d1"] else (g["d2"], g["m2"], g["y2"])
    rc.date = parse_date(day, month, year)
    rc.date_span = (m.start("word"), m.end())
    rc.date_text = text[rc.date_span[0] : rc.date_span[1]]
    return m.end()


def _read_issuer(text: str, pos: int) -> tuple[str, int, int] | None:
    """The issuer named by "của ..." / "giữa ..." at ``pos``, if any."""
    m = rx.ISSUER_AFTER.match(text, pos, min(len(text), pos + 20))
    if not m:
        return None
    start = m.end()
    window = text[start : start + 160]
    stop = rx.ISSUER_STOP.search(window)
    name = window[: stop.start()] if stop else window
    # keep a term qualifier such as "(khóa XII)"
    paren = _TERM_AFTER.match(window[len(name) :])
    if paren:
        name = name + paren.group()
    name = SPACES.sub(" ", name).rstrip(" \t*_")
    if name.endswith(")") and "(" not in name:
        name = name[:-1].rstrip(" \t*_")
    if len(name) < 2 or not (name[0].isupper() or name.startswith(("UBND", "ở "))):
        return None
    return name, start, start + len(name)


def find_citations(text: str, matches: list[DesignatorMatch] | None = None) -> list[RawCitation]:
    """Read each designator of cleaned ``text`` with its type word, date,
    issuer and subject; a document's own number ("Số: ...") is left out.

    >>> c = find_citations("Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị về tiếp tục nâng cao")[0]
    >>> (c.designator.key, c.doc_type, c.date, c.issuer, c.subject)
    ('57-KL/TW', 'Kết luận', '2023-06-15', 'Bộ Chính trị', 'tiếp tục nâng cao')
    """
    if matches is None:
        matches = find_designators(text)
    out: list[RawCitation] = []
    type_re = rx.type_word_before()
    for dm in matches:
        if dm.own_number:
            continue
        d = dm.designator
        s, e = dm.start, dm.end
        tm = _last_type_word(type_re, text, max(0, s - 120), s)
        if tm:
            word = tm.group("type") or rx.abbreviations()[tm.group("abbr")]
            doc_type, head, inferred = _type_name(word), tm.start(), False
        elif d.kind == "legacy":
            continue  # a bare "12/CP" is too loose to count without a type word
        else:
            doc_type, head, inferred = infer_doc_type(d), s, True
        rc = RawCitation(d, head, e, s, doc_type, inferred)
        pos = e
        # markdown link artefact right after the designator: "[03/2023/TT-BTTTT](#)"
        art = _MARK_AFTER.match(text[pos : pos + 8])
        if art:
            pos += art.end()
        pos = _read_date(text, pos, rc)
        iss = _read_issuer(text, pos)
        if iss:
            rc.issuer, a, b = iss
            rc.issuer_span = (a, b)
            pos = b
            if rc.date is None:  # "... của Bộ Tư pháp ngày 31/12/2020"
                pos = _read_date(text, pos, rc)
        else:
            before = rx.ISSUER_BEFORE.search(text, max(0, head - 120), head)
            if before:
                rc.issuer = before.group("issuer").strip()
                rc.issuer_span = (before.start("issuer"), before.start("issuer") + len(rc.issuer))
        rc.core_end = pos
        sm = rx.SUBJECT_AFTER.match(text, pos, min(len(text), pos + 600))
        if sm:
            subject = _FULL_STOP.split(sm.group("subject"), maxsplit=1)[0]
            rc.subject = SPACES.sub(" ", subject).strip(" ,*_") or None
            rc.subject_start = sm.start("subject")
            pos = sm.start("subject") + len(subject)
        rc.tail_end = pos
        out.append(rc)
    share_dates(text, out)
    return out


#: what joins two numbers of one list that share a date: "số 008/CĐ-UBND và số 009/CĐ-UBND ngày 19/11/2025"
_SHARED_GAP = compile_pattern(r"[\s,*_]*(?:(?:và|hoặc)\s+)?(?:số\s*)?")


def share_dates(text: str, cits: list[RawCitation]) -> None:
    """A number listed with no date of its own, joined by "và" or a comma to
    the next one, takes the date written after the next ("Các Công điện: ...,
    số 008/CĐ-UBND và số 009/CĐ-UBND ngày 19/11/2025" dates both).

    >>> t = "Các Công điện: số 008/CĐ-UBND và số 009/CĐ-UBND ngày 19/11/2025 của UBND tỉnh"
    >>> [(c.designator.key, c.date) for c in find_citations(t)]
    [('008/CĐ-UBND', '2025-11-19'), ('009/CĐ-UBND', '2025-11-19')]
    """
    for k in range(len(cits) - 2, -1, -1):
        a, b = cits[k], cits[k + 1]
        if a.date is None and b.date and a.issuer is None and _SHARED_GAP.fullmatch(text, a.end, b.des_start):
            a.date, a.date_text, a.date_span = b.date, b.date_text, b.date_span
