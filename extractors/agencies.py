"""The bodies a plan names as leading and supporting its tasks (cơ quan chủ trì,
cơ quan phối hợp).

A Vietnamese plan assigns every task (nhiệm vụ) to a *lead* body, the one that
"chủ trì" (presides over) it, and to *support* bodies, those that "phối hợp"
(co-ordinate) with it. The assignment is written in a few recurring ways:

* a field under the task: ``- Đơn vị chủ trì: Sở Thông tin và Truyền thông;``,
  ``- Đơn vị tham mưu, thực hiện: ...`` (lead), ``- Đơn vị phối hợp: ...``
  (support); a plain ``Đơn vị thực hiện: A; B; C`` gives no role;
* a clause: ``X chủ trì, phối hợp với Y, Z`` (X lead, Y and Z support),
  ``Đề nghị X chủ trì``, ``Yêu cầu X phối hợp ...`` (X support);
* an assignment heading naming a body (``2. Sở Thông tin và Truyền thông``)
  whose items start ``Chủ trì ...`` (the body leads) or ``Phối hợp với Z ...``
  (the body supports, and so does Z, the named partner);
* an appendix table with ``Đơn vị chủ trì`` / ``Đơn vị phối hợp`` columns,
  tab-separated or as the legal portals render it: ``|`` alone on a line
  before each cell (:func:`pipe_tables`, :func:`table_rows`);
* the named partner of ``phối hợp (với) Y`` supports whenever someone does the
  coordinating (the subject, a line's opening bodies or the heading's);
  ``X chủ trì cùng Y`` makes Y support; ``chỉ đạo Y phối hợp`` makes Y the
  subject.

Lists are split on ``,``, ``;``, `` và `` and `` cùng `` while keeping names
that contain them whole ("Sở Văn hóa, Thể thao và Du lịch"): known names come
from ``data/agencies.jsonl``; otherwise a piece that does not open like a body
name (``Sở ...``, ``Ban ...``, ``UBND ...``, ``các ...``) continues the name
before it ("các sở, ban, ngành"). Inline lists end at the first verb
("... phối hợp với Sở Ngoại vụ tổ chức đón các đoàn").

Names are normalised per document: the province after "tỉnh" is dropped
("Công an tỉnh Cao Bằng" → "Công an tỉnh"), a known provincial body takes
"tỉnh" ("Đài Phát thanh - Truyền hình Lào Cai" → "Đài Phát thanh - Truyền hình
tỉnh"), abbreviations are expanded only when the text spells the name out,
variants of one body take one spelling, generic collectives ("các sở, ban,
ngành") are kept as written but merged with their variants, and catch-alls
("các cơ quan, đơn vị liên quan") are dropped.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .agency_known import (
    KnownAgency,
    _all_alias_patterns,
    _form_words,
    _is_abbreviation,
    known_agencies,
    match_known,
)
from .agency_lists import (
    _ADVERBS,
    _IS_LEAD,
    _NOT_ACTIVE_LEAD,
    _NOUN_BEFORE,
    _RECIPIENTS,
    _SKIP,
    CAUSE,
    COLLECTIVE_START,
    CUE,
    FIELD,
    HEAD,
    OWN_UNITS,
    VERB_STOP,
    _apposition,
    _fold,
    _key,
    is_catch_all,
    is_collective,
    names_a_kind,
    names_no_body,
    parse_list,
)
from .agency_names import (
    _collective_key,
    _Namer,
    canonical_agency,
    is_company,
)
from .models import AgencyMention, Section
from .outline import APPENDIX, _headings, outline
from .patterncache import compile_pattern
from .vocabulary import SPACES, folds_apart, load_data
from .vocabulary import cues as cue_words

ROLES = ("lead", "support")

#: what other modules import from here (the known bodies and the list parsing
#: live in :mod:`.agency_known` and :mod:`.agency_lists`)
__all__ = [
    "CUE",
    "HEAD",
    "ROLES",
    "VERB_STOP",
    "KnownAgency",
    "find_agencies",
    "find_assignments",
    "is_catch_all",
    "is_collective",
    "known_agencies",
    "match_known",
    "parse_list",
]

# -- text preparation ------------------------------------------------------------

_PARENS = compile_pattern(r"\([^()\n]*\)")
_TAG = compile_pattern(r"<[^<>\n]*>")
#: a run of underscores (blanked when it opens or closes a word: "___" of a
#: form to fill in, "_Sở Y tế_" in italics, not "ten_file")
_UNDERSCORE_RUN = compile_pattern(r"__*")  # (a literal first: searched for in C)


def _blank_underscores(s: str) -> str:
    """``s`` with each run of underscores that a word character does not
    precede, or does not follow, made spaces: what ``(?<!\\w)_+|_+(?!\\w)``
    blanks (a pattern opening with an assertion, tried at every position).
    ``\\w`` is what :meth:`str.isalnum` accepts, and ``_``; a whole run's
    neighbours are not ``_``.

    >>> _blank_underscores("a__b __c d__ _")
    'a__b   c d    '
    """
    out, pos, n = [], 0, len(s)
    for m in _UNDERSCORE_RUN.finditer(s):
        a, b = m.span()
        if a == 0 or b == n or not s[a - 1].isalnum() or not s[b].isalnum():
            out.append(s[pos:a])
            out.append(" " * (b - a))
            pos = b
    if not out:
        return s
    out.append(s[pos:])
    return "".join(out)


#: a line break inside a sentence (hard-wrapped text): no closing punctuation
#: before it, the next line going on in lower case ("phối hợp với Văn" /
#: "phòng UBND tỉnh" breaks differently, so a capital may follow "với")
#: (the line break first: a pattern that opens with a literal is searched for
#: in C, one that opens with an assertion is tried at every position)
_WRAP = compile_pattern(
    r"\n(?<![.;:!?\n\t]\n)(?=[ ]*(?!\d{1,2}(?:\.\d{1,2})*[.)]?[ \t]|[a-zđê][.)][ \t])[a-zđàáảãạâầấẩẫậăằắẳẵặèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ0-9(])"  # noqa: E501
)


def _spaces(m: re.Match) -> str:
    return " " * (m.end() - m.start())


def _blank(s: str) -> str:
    """``s`` with every character but its line breaks made a space."""
    return "\n".join(" " * len(line) for line in s.split("\n"))


def _masked(text: str, preamble_end: int) -> str:
    """A same-length copy of ``text`` for matching: the preamble, recipient
    blocks, parentheses, markup and link targets are blanked out."""
    regions = [(0, preamble_end)]
    for m in _recipients(text, preamble_end):
        regions.append((m.start(), _recipients_end(text, m)))
    pieces, pos = [], 0
    for a, b in sorted(regions):
        a = max(a, pos)
        if b <= a:
            continue
        pieces.append(text[pos:a])
        pieces.append(_blank(text[a:b]))
        pos = b
    pieces.append(text[pos:])
    s = _WRAP.sub(" ", "".join(pieces))
    if "<" in s:
        s = _TAG.sub(_spaces, s)
    s = s.replace("*", " ")
    if "_" in s:
        s = _blank_underscores(s)
    # parentheses, innermost first: a pass or two of a regex for a real text,
    # one pass of a bracket matcher for deeper nesting (one regex pass per
    # level made a text nested a thousand deep cost quadratic time)
    for _ in range(3):
        if "(" not in s:
            break
        prev, s = s, _PARENS.sub(_spaces, s)
        if s == prev:
            break
    else:
        s = _blank_parentheses(s)
    return s.replace("[", " ").replace("]", " ")


#: the words a recipients block opens with (:data:`_RECIPIENTS`)
_RECIPIENT_WORDS = ("Nơi nhận", "Kính gửi")


def _recipients(text: str, start: int) -> list[re.Match]:
    """The matches of :data:`_RECIPIENTS` from ``start`` on, in order, as its
    ``finditer`` gives them: the pattern is tried at the start of each line
    that holds one of its words (each line once)."""
    lines = set()
    for w in _RECIPIENT_WORDS:
        q = text.find(w, start)
        while q >= 0:
            lines.add(text.rfind("\n", 0, q) + 1)
            e = text.find("\n", q)
            if e < 0:
                break
            q = text.find(w, e)
    return [m for a in sorted(lines) if a >= start and (m := _RECIPIENTS.match(text, a))]


#: the last line of a "Nơi nhận" list ("- Lưu: VT, TH."), and a heading in
#: capitals that opens the next document bound after it ("**KẾ HOẠCH**")
_FILED_LINE = compile_pattern(r"^[ \t*_|]*[-+•]?[ \t*_]*Lưu\b[^\n]*", re.MULTILINE)
_CAPS_HEADING = compile_pattern(r"^[ \t*_|]*[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ,]{3,}[ \t*_]*$", re.MULTILINE)
#: how far after "Nơi nhận" its list is looked for
_RECIPIENTS_REACH = 4000


def _recipients_end(text: str, m: re.Match) -> int:
    """Where a recipients block (nơi nhận, kính gửi) opened by ``m`` ends: a
    "Kính gửi" block at its paragraph's end; a "Nơi nhận" list at its "Lưu"
    line, else before the next capitals heading ("**KẾ HOẠCH**" of a plan
    issued with the decision) or appendix, else at the end of the text."""
    if text[m.start() : m.end()].strip(" *_").startswith("Kính"):
        stop = text.find("\n\n", m.end())
        return len(text) if stop < 0 else stop
    hi = min(len(text), m.end() + _RECIPIENTS_REACH)
    filed = _FILED_LINE.search(text, m.end(), hi)
    if filed:
        return filed.end()
    ends = [x.start() for x in (_CAPS_HEADING.search(text, m.end()), APPENDIX.search(text, m.end())) if x]
    return min(ends) if ends else len(text)


_PAREN_OR_NEWLINE = compile_pattern(r"[()\n]")


def _blank_parentheses(s: str) -> str:
    r"""``s`` with every pair of parentheses on one line blanked out, with
    what they hold (nested pairs too, an unmatched one kept): in one pass,
    where removing the innermost pair again and again took one pass per
    level of nesting.

    >>> _blank_parentheses("Sở A (Cục B (Bộ C)) và (D\n) (E")
    'Sở A                và (D\n) (E'
    """
    opened: list[int] = []
    pairs: list[tuple[int, int]] = []  # outermost first within each line
    for m in _PAREN_OR_NEWLINE.finditer(s):
        ch = m.group()
        if ch == "(":
            opened.append(m.start())
        elif ch == ")":
            if opened:
                a = opened.pop()
                while pairs and pairs[-1][0] > a:  # inner pairs of this one
                    pairs.pop()
                pairs.append((a, m.end()))
        else:
            opened.clear()
    out, pos = [], 0
    for a, b in pairs:
        out.append(s[pos:a])
        out.append(" " * (b - a))
        pos = b
    out.append(s[pos:])
    return "".join(out)


# -- tables written with pipe lines ------------------------------------------------

#: a line holding nothing but a cell mark: the legal portals render a table so,
#: "|" alone on its line and each cell's text on the lines after it (an empty
#: cell, "|" right after "|", also closes a row before the next one opens)
_PIPE_LINE = compile_pattern(r"^[ \t]*\|[ \t]*$", re.MULTILINE)
_PIPE_LINE_AFTER_BREAK = compile_pattern(r"\n[ \t]*\|[ \t]*$", re.MULTILINE)
#: a blank line: a table written with pipe lines ends there
_BLANK_LINE = compile_pattern(r"\n[ \t]*\n")
#: the number a table row opens with ("1", "2.3", "**II**", "a)")
_ROW_NUMBER = compile_pattern(r"[*_\s]*(?:\d{1,3}(?:\.\d{1,2}){0,2}|[IVXL]{1,6}|[a-zđ])[.)]?[*_\s]*")
#: how long a cell may be (a longer gap between two marks is not a table)
_LONGEST_CELL = 6000


#: markup and spaces, read as one space in a column heading
_MARKS_AND_SPACES = compile_pattern(r"[*_\s]+")


@lru_cache(maxsize=1)
def _column_words() -> dict:
    """The column headings of ``data/agency_columns.json``."""
    from .vocabulary import load_data

    return load_data("agency_columns.json")


@lru_cache(maxsize=1)
def _longer_than_heading() -> re.Pattern:
    """More characters other than markup and spaces than a column heading
    has (``longest_heading``): a cell that holds them is longer than a
    heading once its markup and spaces are read as one space. Matched from
    the cell's start, it reads no further than that many of them."""
    return compile_pattern(r"(?:[*_\s]*+[^*_\s]){" + str(_column_words()["longest_heading"] + 1) + "}")


@lru_cache(maxsize=4096)
def column_role(heading: str, executing_is_lead: bool = False) -> str | None:
    """The role a column heading gives to the bodies in its cells (cột "Cơ
    quan chủ trì" / "Cơ quan phối hợp"), or None.

    >>> column_role("**Cơ quan chủ trì**"), column_role("Đơn vị phối hợp")
    ('lead', 'support')
    >>> column_role("Cơ quan chủ trì giải quyết"), column_role("Thời gian hoàn thành")
    (None, None)
    >>> column_role("Cơ quan thực hiện"), column_role("Cơ quan thực hiện", executing_is_lead=True)
    (None, 'lead')
    """
    words = _column_words()
    h = _fold(_MARKS_AND_SPACES.sub(" ", heading)).strip()
    if not h or len(h) > words["longest_heading"] or any(w in h for w in words["excluded"]):
        return None
    lead = any(w in h for w in words["lead"])
    support = any(w in h for w in words["support"])
    if lead != support:
        return "lead" if lead else "support"
    if not lead and executing_is_lead and any(w in h for w in words["executing"]):
        return "lead"
    return None


def pipe_tables(text: str) -> list[list[tuple[int, int]]]:
    r"""The tables of ``text`` written with pipe lines, each as its cells'
    spans in order (an empty cell included: it closes a row).

    >>> t = "|\nTT\n|\nCơ quan chủ trì\n|\n|\n1\n|\nSở Y tế\n|\n\nSau bảng."
    >>> [[t[a:b] for a, b in tb] for tb in pipe_tables(t)]
    [['TT', 'Cơ quan chủ trì', '', '1', 'Sở Y tế']]
    """
    tables: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    prev = None
    for m_start, m_end in _pipe_lines(text):
        if prev is not None:
            a, b = prev + 1, max(prev + 1, m_start - 1)
            if b - a > _LONGEST_CELL or _BLANK_LINE.search(text, a, b):
                if cur:
                    tables.append(cur)
                cur = []
            else:
                while a < b and text[a].isspace():
                    a += 1
                while b > a and text[b - 1].isspace():
                    b -= 1
                cur.append((a, b))
        prev = m_end
    if cur:
        tables.append(cur)
    return [t for t in tables if len(t) > 1]


def _headers(text: str, cells: list[tuple[int, int]]) -> list[tuple[int, int, dict[int, str]]]:
    """The heading rows of a table that have role columns, as (index of
    their first cell, index of the cell after them, role of each column).
    A heading row holds short cells and ends at an empty cell; it may follow
    other cells of a page laid out as a table (the document's own header)."""
    limit = _column_words()["longest_heading"]
    longer = _longer_than_heading()

    known: dict[int, bool] = {}

    def short(k: int) -> bool:
        if k not in known:
            a, b = cells[k]
            # (a cell no longer than the limit is short however it is spaced;
            # one with more letters than the limit is not, however it is)
            known[k] = a < b and (
                b - a <= limit
                or (not longer.match(text, a, b) and len(_MARKS_AND_SPACES.sub(" ", text[a:b]).strip()) <= limit)
            )
        return known[k]

    out: list[tuple[int, int, dict[int, str]]] = []
    k = 0
    while k < len(cells):
        if not (short(k) and column_role(text[cells[k][0] : cells[k][1]], executing_is_lead=True)):
            k += 1
            continue
        first = k
        while first > (out[-1][1] if out else 0) and short(first - 1):
            first -= 1
        end = next((i for i in range(k, len(cells)) if cells[i][0] == cells[i][1]), len(cells))
        heads = [text[a:b] for a, b in cells[first:end]]
        has_lead = any(column_role(h) == "lead" for h in heads)
        has_support = any(column_role(h) == "support" for h in heads)
        cols = {}
        for c, h in enumerate(heads):
            role = column_role(h, executing_is_lead=has_support and not has_lead)
            if role:
                cols[c] = role
        if cols:
            out.append((first, end + 1, cols))
        k = end + 1
    return out


def table_rows(text: str, cells: list[tuple[int, int]], n: int, last: int) -> list[list[tuple[int, int]]]:
    """The rows of a table's body, each as its cells (an empty cell
    included), its first cell standing for the row number column.

    A numbered row opens with its number after an empty cell (or after a
    row's worth of cells: "…....." closing a cut row). A row of more
    cells than the heading ends at its first empty cell past column ``last``
    (the last role column); what follows, up to the next numbered row, are
    rows whose number cell is merged with the row above (rowspan), each
    read from column 1 (an empty cell, standing for it, is put first).
    """
    groups: list[list[tuple[int, int]]] = []
    for i, (a, b) in enumerate(cells):
        after = i == 0 or cells[i - 1][0] == cells[i - 1][1] or (groups and len(groups[-1]) >= n)
        opens = a < b and _ROW_NUMBER.fullmatch(text, a, b) and after
        if opens or not groups:
            groups.append([])
        groups[-1].append((a, b))
    rows = []
    for g in groups:
        first = g[0][0] < g[0][1] and _ROW_NUMBER.fullmatch(text, *g[0])
        if not first:
            g = [(g[0][0], g[0][0])] + g  # no number: the merged number cell
        cut = next((k for k in range(last + 1, len(g)) if g[k][0] == g[k][1]), len(g))
        cut = min(cut, n)
        rows.append(g[:cut])
        rest = g[cut:]
        while rest:
            while rest and rest[0][0] == rest[0][1]:
                rest = rest[1:]
            if not rest:
                break
            k = next((k for k, c in enumerate(rest) if c[0] == c[1]), len(rest))
            rows.append([(rest[0][0], rest[0][0])] + rest[:k])
            rest = rest[k:]
    return rows


def _fields(work: str) -> list[re.Match]:
    """The matches of :data:`FIELD` in ``work``, as ``FIELD.finditer`` gives
    them: a field is one line and holds a colon, so only the lines with a
    colon are tried (the pattern, anchored at a line start, was tried at
    every position)."""
    out = []
    q = work.find(":")
    while q >= 0:
        m = FIELD.match(work, work.rfind("\n", 0, q) + 1)
        if m:
            out.append(m)
        e = work.find("\n", q)
        if e < 0:
            break
        q = work.find(":", e)
    return out


def _pipe_lines(text: str) -> list[tuple[int, int]]:
    r"""The spans of :data:`_PIPE_LINE` in ``text``, as its ``finditer`` gives
    them: the first line is tried alone, every other one as the line after a
    line break (a pattern that opens with one, searched for in C; it leaves
    the next line's break to the next match).

    >>> _pipe_lines("|\nTT\n |\n|\nx |")
    [(0, 1), (5, 7), (8, 9)]
    """
    first = _PIPE_LINE.match(text)
    out = [first.span()] if first else []
    out.extend((m.start() + 1, m.end()) for m in _PIPE_LINE_AFTER_BREAK.finditer(text))
    return out


def _opens_body(item: tuple[int, int, str, KnownAgency | None]) -> bool:
    """Whether a table cell's item opens like a body's name or a collective
    ("Sở Y tế", "UBND cấp xã", "Cơ quan, địa phương liên quan"), not like a
    date or a product ("Quý IV/2026", "Thường xuyên")."""
    written, known = item[2].strip(), item[3]
    return known is not None or bool(HEAD.match(written) or COLLECTIVE_START.match(_fold(written)))


# -- the extractor ---------------------------------------------------------------


@dataclass(slots=True)
class _Raw:
    """A mention before its name is settled for the document."""

    role: str
    start: int
    end: int
    written: str
    known: KnownAgency | None
    pos: int  # offset of the statement (for its task)


_GIUA = compile_pattern(r"\s+giữa(?![\w])")
#: "chủ trì cùng (với)": the partners of the lead
_CUNG = compile_pattern(r"\s+cùng(?:\s+với)?(?![\w])")
#: the words between "phối hợp" and the partners it names
_PARTNER_LEAD = compile_pattern(r"(?:\s*,)?\s*(?:chặt\s+chẽ\s+)?(?:với\s+)?(?:phối\s+hợp\s+)?(?:với\s+)?")
#: where an inline list of partners ends: ; : a line or tab break, a full
#: stop before a space, a line break or the end
#: (these patterns open with a class of the marks, searched for in C, a full
#: stop then told by what follows it: ``[;:\n\t]|\.(?=...)`` was tried at
#: every position, one alternative after the other)
_LIST_END = compile_pattern(r"[.;:\n\t](?:(?<=\.)(?=[ \n]|$)|(?<!\.))")
#: what ends a clause (; : a line or tab break, a full stop before a space or
#: a line break), and a sentence (a line or tab break, that full stop)
_CLAUSE_STOP = compile_pattern(r"[.;:\n\t](?:(?<=\.)(?=[ \n])|(?<!\.))")
_SENTENCE_STOP = compile_pattern(r"[.\n\t](?:(?<=\.)(?=[ \n])|(?<!\.))")
_NEWLINE = compile_pattern("\n")
#: the two cues written as verbs (lower case, as :data:`VERB_STOP` has them):
#: a list of bodies never runs over one, as no body's name holds them
#: (each word opens with its first letter, the look-behind after it: the
#: pattern is searched for by those letters, in C)
_VERB_CUE = compile_pattern(r"(?:c(?<![\w]c)hủ trì|p(?<![\w]p)hối hợp)(?![\w])")
#: the words of :data:`_VERB_CUE`, as plain strings
_VERB_CUE_WORDS = ("chủ trì", "phối hợp")


def _is_word_char(c: str) -> bool:
    """Whether ``\\w`` matches the character ``c``."""
    return c.isalnum() or c == "_"


#: the two cues, any case ("Chủ trì", "PHỐI HỢP"), as inline() reads them
_CUE_WORDS = compile_pattern(r"(?<![\w])(chủ\s+trì|phối\s+hợp)(?![\w])", re.IGNORECASE)
#: the second word of each cue ("trì", "hợp"), found by its accented letter
#: in either case (a pattern that opens with one letter is searched for in C,
#: as fast as a plain string search; "được" and "vì" have the letter, the
#: look-behind tells them), after a space and ending a word, as
#: :data:`_CUE_WORDS` has it: as (the pattern, how far before the letter the
#: word starts, how long the first word is: "chủ", "phối")
_CUE_SEARCH = tuple(
    (compile_pattern(letter + rf"(?<=\s{before}{letter}){after}(?![\w])"), offset, first)
    for letter, before, after, offset, first in (
        ("ì", "[tT][rR]", "", 2, 3),
        ("Ì", "[tT][rR]", "", 2, 3),
        ("ợ", "[hH]", "[pP]", 1, 4),
        ("Ợ", "[hH]", "[pP]", 1, 4),
    )
)


def _cue_words(work: str) -> list[re.Match]:
    """Every match of :data:`_CUE_WORDS` in ``work``, in order, as
    ``_CUE_WORDS.finditer(work)`` gives them.

    A pattern that ignores case is tried at every position of the text; here
    each second word ("trì", "hợp") is found by its accented letter
    (:data:`_CUE_SEARCH`) and the pattern is tried where the first word would
    start, before the spaces in front of it. Each letter of the second words
    matches, ignoring case, exactly its two cases, so no match is missed; the
    matches cannot overlap, so none is found twice (they are sorted: each
    letter is searched for on its own).

    >>> [m.group(1) for m in _cue_words("Sở A chủ trì, PHỐI  HỢP với B; vụ phối hợp; chủ trìx")]
    ['chủ trì', 'PHỐI  HỢP', 'phối hợp']
    """
    found = []
    for pattern, offset, before in _CUE_SEARCH:
        for c in pattern.finditer(work):
            j = c.start() - offset  # where the second word starts
            i = j
            while i > 0 and work[i - 1].isspace():
                i -= 1
            if i >= before:
                m = _CUE_WORDS.match(work, i - before)
                if m and m.end() == j + 3:
                    found.append(m)
    found.sort(key=lambda m: m.start())
    return found


#: the marks that end a clause and a sentence (:data:`_CLAUSE_STOP`,
#: :data:`_SENTENCE_STOP`) as a reversed text has them: a full stop is
#: preceded there by the space or line break that follows it in the text
_CLAUSE_STOP_BACK = compile_pattern(r"[;:\n\t]|(?<=[ \n])\.")
_SENTENCE_STOP_BACK = compile_pattern(r"[\n\t]|(?<=[ \n])\.")
#: three words and the spaces around them, read back in the reversed text,
#: and how far back they are looked for so first
_THREE_WORDS_BACK = compile_pattern(r"\s*+\S*+\s*+\S*+\s*+\S*+\s*+")
_WORDS_WINDOW = 64


#: how far before its verb a subject is looked for (a clause may run on for
#: pages in a hostile text; a real subject is a few names long)
SUBJECT_REACH = 1000
#: how far past the next verb cue a list of partners is read
LIST_MARGIN = 200
#: a run of spaces this long is not counted in SUBJECT_REACH (masked
#: parentheses, justified text)
_LONG_SPACES = compile_pattern(r"\s{64,}")


@lru_cache(maxsize=1)
def _cues_end_lists() -> bool:
    """Whether no known body's name holds a verb cue, so that a list of bodies
    cannot run over one (true of ``data/agencies.jsonl``; checked, not assumed)."""
    return not any(_VERB_CUE.search(f) for ag in known_agencies() for f in (ag.name, *ag.aliases))


#: how far a boundary is looked for near an offset before the whole text's
#: boundaries are listed (once) to find it
_NEAR = 512


class _Positions:
    """Sorted offsets of one kind of mark in a text, found on first use, for
    "the last before" and "the first from" in O(log n) instead of a scan."""

    def __init__(self, regex: re.Pattern, text: str):
        self.regex, self.text = regex, text
        self._at: list[int] | None = None

    @property
    def at(self) -> list[int]:
        if self._at is None:
            self._at = [m.start() for m in self.regex.finditer(self.text)]
        return self._at

    def last_before(self, p: int) -> int | None:
        k = bisect_left(self.at, p) - 1
        return self.at[k] if k >= 0 else None

    def first_from(self, p: int) -> int | None:
        k = bisect_left(self.at, p)
        return self.at[k] if k < len(self.at) else None


class _Intervals:
    """Membership in a union of half-open intervals, in O(log n)."""

    def __init__(self, intervals: Iterable[tuple[int, int]]):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in sorted(i for i in intervals if i[1] > i[0]):
            if self.starts and a <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], b)
            else:
                self.starts.append(a)
                self.ends.append(b)

    def __contains__(self, p: int) -> bool:
        k = bisect_right(self.starts, p) - 1
        return k >= 0 and p < self.ends[k]


class _SectionTree:
    """The sections holding an offset, innermost first, in O(log n + depth):
    an outline's sections nest, so those holding ``p`` are the last one
    starting at or before ``p`` and its ancestors. Sections that cross
    (not an outline) are searched one by one."""

    def __init__(self, sections: list[Section]):
        self.sections = sections  # sorted by (start, level)
        self.starts = [s.start for s in sections]
        self.parents: list[int] | None = []
        stack: list[int] = []
        for i, s in enumerate(sections):
            while stack and sections[stack[-1]].end <= s.start:
                stack.pop()
            if stack and s.end > sections[stack[-1]].end:
                self.parents = None  # crossing sections
                break
            self.parents.append(stack[-1] if stack else -1)
            stack.append(i)

    def holding(self, p: int) -> list[Section]:
        if self.parents is None:
            hold = [s for s in self.sections if s.start <= p < s.end]
        else:
            hold = []
            i = bisect_right(self.starts, p) - 1
            while i >= 0:
                s = self.sections[i]
                if s.start <= p < s.end:
                    hold.append(s)
                i = self.parents[i]
            # (innermost first already when the levels fall towards the root)
            if all(a.level > b.level for a, b in zip(hold, hold[1:])):
                return hold
        return sorted(hold, key=lambda s: (-s.level, -s.start))


#: a heading's number alone on its line, its title on the next one
#: ("**1.\nSở Công Thương:**", as the portals break a bold heading)
_NUMBER_ALONE = compile_pattern(
    r"^([ \t]*(?:[*_]+[ \t]*)?(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2}){0,3})\.[ \t]*)\n(?=[ \t]*\S)", re.MULTILINE
)


#: a full stop after a digit or a Roman numeral at the end of a line (where a
#: number alone on its line ends; a sentence's full stop is not one)
_STOP_AT_LINE_END = compile_pattern(r"\.(?<=[\dIVX]\.)[ \t]*\n")
_MARKUP = compile_pattern(r"[*_][*_]*")  # (a class first: searched for in C)
#: what opens a numbered or bulleted line before its words ("3. ", "- ", "a) ")
_LINE_MARK = compile_pattern(r"[ \t]*(?:[-+•][ \t]*|[a-zđ]\)[ \t]*|(?:[IVX]+|\d{1,2}(?:\.\d{1,2}){0,3})\.?[ \t]+)*")


def join_numbers(text: str) -> str:
    r"""``text`` with each heading number that stands alone on its line joined
    to the title on the next one (same length: the line break becomes a space).

    >>> join_numbers("**1.\nSở Công Thương:**\n- Chủ trì")
    '**1. Sở Công Thương:**\n- Chủ trì'
    """
    # only a line that ends with a full stop can be one: each such line end is
    # found with a search for the full stop (done in C), and its line tried,
    # where the pattern anchored at a line start was tried at every position
    # (the full stop of a number follows a digit or a Roman numeral: the
    # search finds no other; ``\d`` is what str.isdecimal accepts)
    out, pos = [], 0
    for end in _STOP_AT_LINE_END.finditer(text):
        m = _NUMBER_ALONE.match(text, text.rfind("\n", 0, end.start()) + 1)
        if m and m.end() == end.end():
            out.append(text[pos : m.end() - 1])
            out.append(" ")
            pos = m.end()
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _hidden_heading(text: str, plain: str, sections: list[Section]) -> bool:
    """Whether a line that markup or a lone number changed reads as a heading
    once plain, with no heading of the outline starting in it: only then can
    a second outline find more (``plain`` is as long as ``text``)."""
    starts = sorted(s.start for s in sections)
    n = len(text)
    # a line that plain changed holds markup: only those lines count
    # (joining a lone number changes the line break after a line, not the
    # line); each line that reads as a heading in plain starts a line of text
    for a, _ in _headings(plain, len(plain)):
        b = text.find("\n", a)
        b = n if b < 0 else b
        k = bisect_left(starts, a)  # (a heading of the outline in it: not hidden)
        if (k == len(starts) or starts[k] > b) and _MARKUP.search(text, a, b):
            return True
    return False


#: the number a heading's title opens with ("2. ", "II. ", "a) ")
_TITLE_NUMBER = compile_pattern(r"^[ \t]*(?:[IVX]+\.|\d+(?:\.\d+)*\.?|[a-zđê]\))[ \t]+")
#: the mark a clause opens with ("- ", "a) ", "2.1. ")
_CLAUSE_MARK = compile_pattern(r"^\s*(?:[-+•]|[a-zđê]\)|\d+(?:\.\d+)*\.)?\s*")
#: "đối với X, ...": X is the subject
_DOI_VOI = compile_pattern(r"(?i)đối\s+với\s+(.+?),")
_COMMA = compile_pattern(r",\s*")
#: the number cell of a tab-separated row ("1", "2.3.")
_TAB_ROW_NUMBER = compile_pattern(r"\s*\d{1,2}(?:\.\d{1,2}){0,2}\.?\s*")
#: "... chủ trì" after a table cell's bodies ("Đề nghị X chủ trì triển khai")
_CHU_TRI_AFTER = compile_pattern(r"\s+chủ\s+trì\b")


def _role_lines(work: str, starts: list[int]) -> list[int] | None:
    """The lines of ``work`` (their indexes; ``starts``: where each starts)
    that hold "chủ trì" or "phối hợp" in any case: only such a line can be
    the heading of a table of roles. Found by a search of the text in lower
    case; None when lowering changes its length (its offsets would not be
    the text's)."""
    low = work.lower()
    if len(low) != len(work):
        return None
    found = set()
    for word in ("chủ trì", "phối hợp"):
        q = low.find(word)
        while q >= 0:
            found.add(bisect_right(starts, q) - 1)
            q = low.find(word, q + 1)
    return sorted(found)


#: the words of :data:`CUE` and :data:`CAUSE` in lower case
_REQUEST_WORDS = tuple(
    w.lower()
    for w in (*cue_words()["agency_roles"]["requests"]["words"], *load_data("agency_kinds.json")["causatives"])
)


def _may_hold_request(seg: str) -> bool:
    """Whether :data:`CUE` or :data:`CAUSE`, which ignore case, may match in
    ``seg``: one of their words is in it in lower case (a plain search), or
    it holds a letter the engine and :meth:`str.lower` fold apart
    (:func:`~.vocabulary.folds_apart`; the words' own letters are
    :func:`~.vocabulary.plain_case`, tests/test_agencies.py checks)."""
    if folds_apart(seg):
        return True
    low = seg.lower()
    return any(w in low for w in _REQUEST_WORDS)


class _Lowered:
    """A text and its copy in lower case, to find where the pattern of a
    known body's spelling (:func:`.agency_known._form_pattern`, which ignores
    case) matches by a plain search for its first word, not by trying the
    pattern at every position: the pattern opens with that word, so it can
    match only where the copy holds it. Offsets are the text's: the copy is
    used only when lowering keeps its length and it holds no letter the
    engine and :meth:`str.lower` fold apart (:func:`~.vocabulary.folds_apart`)."""

    def __init__(self, text: str):
        self.text = text
        low = text.lower()
        self.low = low if len(low) == len(text) and not folds_apart(text) else None

    def search(self, pat, form: str, pos: int) -> re.Match | None:
        """``pat.search(text, pos)`` for the pattern of the spelling ``form``."""
        if self.low is None:
            return pat.search(self.text, pos)
        word = _form_words(form)[0][0].lower()
        q = self.low.find(word, pos)
        while q >= 0:
            m = pat.match(self.text, q)
            if m:
                return m
            q = self.low.find(word, q + 1)
        return None


class _Extractor:
    def __init__(self, text: str, sections: list[Section], preamble_end: int):
        self.text = text
        self._joined = join_numbers(text)
        self._given = sections
        self._sections: list[Section] | None = None
        self.work = _masked(self._joined, preamble_end)
        self.preamble_end = preamble_end
        self.raws: list[_Raw] = []
        self.blocked: list[tuple[int, int]] = []  # field labels and tables
        self._heading_cache: dict[str, list[tuple[int, int, str, KnownAgency | None]] | None] = {}
        self.line_subjects: dict[int, list[tuple[int, int, str, KnownAgency | None]]] = {}
        # every boundary found once per text: looking back for them from each
        # cue made long clauses cost quadratic time
        # (near an offset, a bounded look; further, the text's list, made once)
        self._holding_at: dict[int, list[Section]] = {}
        self._clause_at: dict[int, int] = {}  # the start of the clause ending at an offset
        self._tree_index: _SectionTree | None = None  # made on first use (a text with no cue needs none)
        self._newlines = _Positions(_NEWLINE, self.work)
        self._clause_stops = _Positions(_CLAUSE_STOP, self.work)
        self._sentence_stops = _Positions(_SENTENCE_STOP, self.work)
        self._list_ends = _Positions(_LIST_END, self.work)
        self._verb_cues = _Positions(_VERB_CUE, self.work) if _cues_end_lists() else None
        self._blocked_index: _Intervals | None = None
        self._runs: tuple[list[int], list[int]] | None = None  # long runs of spaces, listed on first use

    @property
    def sections(self) -> list[Section]:
        """The outline's sections, sorted by (start, level); read again when
        markup hides headings from it ("**2.** **Sở Y tế:**")."""
        if self._sections is None:
            sections = self._given
            # markup made spaces: the text as the outline should read it
            plain = self._joined.replace("*", " ").replace("_", " ")
            if plain != self.text and _hidden_heading(self.text, plain, sections):
                given = {s.start: s for s in sections}
                sections = [
                    given.get(s.start) or dataclasses.replace(s, title=SPACES.sub(" ", s.title)) for s in outline(plain)
                ]
            self._sections = sorted(sections, key=lambda s: (s.start, s.level))
        return self._sections

    @property
    def _tree(self) -> _SectionTree:
        if self._tree_index is None:
            self._tree_index = _SectionTree(self.sections)
        return self._tree_index

    # .. helpers
    def _emit(self, role: str, items: Iterable[tuple[int, int, str, KnownAgency | None]], pos: int) -> None:
        for a, b, written, known in items:
            if is_catch_all(written):
                continue
            self.raws.append(_Raw(role, a, b, written, known, pos))

    def _items(self, a: int, b: int, strict=False, inline=False, starts: set[int] | None = None):
        """Parse ``work[a:b]``; items as (start, end, text, known) in ``text``
        offsets. ``starts`` collects where its pieces start (in ``text`` offsets)."""
        pieces: list[int] | None = [] if starts is not None else None
        got = parse_list(self.work[a:b], strict=strict, inline=inline, starts=pieces)
        if starts is not None:
            starts.update(a + i for i in pieces)
        if got is None:
            return None
        return [(a + i.start, a + i.end, i.text, i.known) for i in got]

    def _blocked(self, p: int) -> bool:
        """Inside a field label or a table (indexed when first asked: fields()
        and tables() fill ``blocked`` before inline() asks)."""
        if self._blocked_index is None:
            self._blocked_index = _Intervals(self.blocked)
        return p in self._blocked_index

    def _containing(self, p: int) -> list[Section]:
        """Sections holding ``p``, innermost first (looked up once per offset:
        a statement's offset is asked for by each of its cues and mentions)."""
        hold = self._holding_at.get(p)
        if hold is None:
            hold = self._holding_at[p] = self._tree.holding(p)
        return hold

    def _heading_bodies(self, p: int):
        """The bodies named by the nearest heading above ``p`` whose title is
        nothing but bodies ("2. Sở Thông tin và Truyền thông", "1. Đề nghị Ban
        Tuyên giáo Tỉnh ủy - Cơ quan thường trực ...")."""
        for sec in self._containing(p):
            if sec.id not in self._heading_cache:
                self._heading_cache[sec.id] = self._title_bodies(sec)
            got = self._heading_cache[sec.id]
            if got:
                return got
        return None

    def _title_bodies(self, sec: Section):
        line_end = self.work.find("\n", sec.start)
        line_end = len(self.work) if line_end < 0 else line_end
        line = self.work[sec.start : line_end]
        m = _TITLE_NUMBER.match(line)
        if not m:
            return None
        a = sec.start + m.end()
        c = CUE.match(self.work, a)
        if c and c.start() == a:
            a = c.end()
            while a < line_end and self.work[a] in " \t:":  # "6. Đề nghị: Hiệp hội Doanh nghiệp tỉnh, ..."
                a += 1
        seg = self.work[a:line_end]
        ap = _apposition(seg)
        b = a + ap if ap is not None else line_end
        seg = self.work[a:b].rstrip(" :.")
        if not seg.strip() or not HEAD.match(seg.lstrip()):
            return None
        if seg.isupper() and len(seg.split()) > 1 and match_known(self.work, a + len(seg) - len(seg.lstrip())) is None:
            return None  # a part's title in capitals ("KINH PHÍ THỰC HIỆN"), not a body
        items = self._items(a, a + len(seg), strict=True, inline=True)
        if not items:
            return None
        # the whole title must be consumed by the bodies
        if self.work[items[-1][1] : a + len(seg)].strip(" .,;:"):
            return None
        return items

    def _line_start(self, p: int) -> int:
        """Start of the line holding ``p`` (after its line break); 0 when none."""
        w = self.work
        lo = p - _NEAR if p > _NEAR else 0
        q = w.rfind("\n", lo, p)
        if q >= 0 or lo == 0:
            return q + 1
        q = self._newlines.last_before(p)
        return 0 if q is None else q + 1

    def _clause_start(self, p: int) -> int:
        """Start of the clause ending at ``p`` (after . ; : newline or tab);
        looked for once per offset (a cue's is asked for again by its subject)."""
        cs = self._clause_at.get(p)
        if cs is None:
            cs = self._clause_at[p] = self._stop_before(p, _CLAUSE_STOP_BACK, self._clause_stops)
        return cs

    def _sentence_start(self, p: int) -> int:
        """Start of the sentence ending at ``p`` (after a newline, a tab or a full stop)."""
        return self._stop_before(p, _SENTENCE_STOP_BACK, self._sentence_stops)

    def _stop_before(self, p: int, back: re.Pattern, index: _Positions) -> int:
        """Just after the last of the marks ``back`` finds in the reversed
        text (a full stop counts when a space or a line break follows it, the
        one right before ``p`` too) before ``p``; 0 when none. Looked for
        back from ``p`` as far as :data:`_NEAR` (in a reversed window of the
        text: one search in C), then in the text's list of them."""
        # the window and the character at p, reversed: its k-th character
        # is work[top - k]; the first match from the one before p is the
        # last mark before p (the look-behind of a full stop sees what
        # follows it in the text, at p too)
        lo = p - _NEAR if p > _NEAR else 0
        window = self.work[lo : p + 1][::-1]
        top = lo + len(window) - 1
        m = back.search(window, top - p + 1)
        if m is not None:
            return top - m.start() + 1
        if lo == 0:
            return 0
        q = index.last_before(p)
        return 0 if q is None else q + 1

    def _first_from(self, regex: re.Pattern, index: _Positions, a: int, b: int | None = None) -> int | None:
        """Where the first match of ``regex`` (one of ``index``: a few
        characters long) at or after ``a``, and before ``b``, starts, if any.
        Looked for as far as 8 × :data:`_NEAR`, then in the text's list."""
        n = len(self.work)
        hi = min(n, a + 8 * _NEAR) if b is None else min(n, a + 8 * _NEAR, b + 16)
        m = regex.search(self.work, a, hi)
        if m and (m.end() < hi or hi == n):  # its lookahead saw the real text
            return m.start() if b is None or m.start() < b else None
        if not m and (hi == n or (b is not None and hi == b + 16)):
            return None
        q = index.first_from(a)
        return q if q is not None and (b is None or q < b) else None

    def _verb_cue_from(self, a: int, b: int) -> int | None:
        """:meth:`_first_from` for :data:`_VERB_CUE` (``a`` to ``b``): its
        words found by :meth:`str.find` (a search for a plain string, in C;
        the pattern's opens with a class of "c" and "p", tried at each of
        them), each checked for the word ends the pattern asks for
        (``\\w`` is what :meth:`str.isalnum` accepts, and "_")."""
        work = self.work
        n = len(work)
        hi = min(n, a + 8 * _NEAR, b + 16)
        first = None  # (start, end) of the first match before hi
        for word in _VERB_CUE_WORDS:
            q = work.find(word, a, hi)
            while q >= 0 and (first is None or q < first[0]):
                e = q + len(word)
                if (q == 0 or not _is_word_char(work[q - 1])) and (e == hi or not _is_word_char(work[e])):
                    first = (q, e)
                    break
                q = work.find(word, q + 1, hi)
        if first is not None and (first[1] < hi or hi == n):  # its lookahead saw the real text
            return first[0] if first[0] < b else None
        if first is None and (hi == n or hi == b + 16):
            return None
        q = self._verb_cues.first_from(a)
        return q if q is not None and q < b else None

    def _reach_start(self, p: int, floor: int) -> int:
        """:data:`SUBJECT_REACH` characters back from ``p`` (not before
        ``floor``), runs of spaces of :data:`_LONG_SPACES` not counted."""
        if self._runs is None:
            found = [(m.start(), m.end()) for m in _LONG_SPACES.finditer(self.work)]
            self._runs = ([a for a, _ in found], [b for _, b in found])
        starts, ends = self._runs
        i, budget = p, SUBJECT_REACH
        k = bisect_left(starts, i) - 1
        while i > floor and budget > 0:
            if k >= 0 and ends[k] >= i:  # in a long run, or at its end: skip it
                i = max(floor, starts[k])
                k -= 1
                continue
            step = min(budget, i - max(floor, ends[k] if k >= 0 else floor))
            i -= step
            budget -= step
        return i

    def _words_before(self, p: int, floor: int) -> int:
        """Where the last three words before ``p`` (not before ``floor``)
        start, with the spaces before them: every cue word pattern anchored
        at ``p`` ("đơn vị chủ trì", "là cơ quan chủ trì") lies inside.
        Read back in the reversed window of :data:`_WORDS_WINDOW` characters
        before ``p`` (one match in C); word by word when that is too short."""
        w = self.work
        lo = max(floor, p - _WORDS_WINDOW)
        i = p - _THREE_WORDS_BACK.match(w[lo:p][::-1]).end()
        if i > lo or lo == floor:
            return i
        i = p
        for _ in range(3):
            while i > floor and w[i - 1].isspace():
                i -= 1
            while i > floor and not w[i - 1].isspace():
                i -= 1
        while i > floor and w[i - 1].isspace():
            i -= 1
        return i

    def _last_verb_cue_end(self, a: int, b: int) -> int | None:
        """The end of the last verb cue lying wholly in ``work[a:b]``, if any
        (``b - a`` is at most :data:`SUBJECT_REACH`)."""
        if self._verb_cues is None or (self.work.find("chủ trì", a, b) < 0 and self.work.find("phối hợp", a, b) < 0):
            return None
        last = None
        for m in _VERB_CUE.finditer(self.work, a, min(len(self.work), b + 1)):
            if m.end() <= b:
                last = m.end()
        return last

    def _subject(self, p: int):
        """The explicit subject of a verb at ``p``: the bodies between the
        clause start (or a request word, "đề nghị", "yêu cầu") and the verb;
        None when the clause has no body before the verb."""
        cs = self._clause_start(p)
        if p - cs > SUBJECT_REACH:
            # a clause longer than any subject: read its last words only,
            # from a word's start
            a = self._reach_start(p, cs)
            while a < p and not self.work[a - 1].isspace():
                a += 1
            a += len(self.work[a:p]) - len(self.work[a:p].lstrip())
        else:
            seg = self.work[cs:p]
            m = _CLAUSE_MARK.match(seg)
            a = cs + m.end()
        seg = self.work[a:p]
        dv = _DOI_VOI.match(seg)
        if dv:
            items = self._items(a + dv.start(1), a + dv.end(1), strict=True, inline=True)
            if items:
                return items
        cues = (
            sorted([*CUE.finditer(seg), *CAUSE.finditer(seg)], key=lambda c: c.end()) if _may_hold_request(seg) else []
        )
        caused = False
        if cues:
            # "Bộ trưởng Bộ Nội vụ chỉ đạo chủ trì": nothing after the cue, read before it
            after = self.work[a + cues[-1].end() : p]
            adv = _ADVERBS.search(after)
            if after[: adv.start() if adv else len(after)].strip():
                caused = bool(CAUSE.fullmatch(cues[-1].group()))
                a = a + cues[-1].end()
                seg = self.work[a:p]
            elif len(cues) > 1:
                a = a + cues[-2].end()
                seg = self.work[a:p]
        adv = _ADVERBS.search(seg)
        b = a + adv.start() if adv else p
        if not self.work[a:b].strip():
            return None
        if caused:
            return self._caused(a, b, p)
        # a list of bodies that runs over a verb cue cannot reach b: no list
        # read before the last cue can be the subject
        cue_end = self._last_verb_cue_end(a, b)
        # where a list was read from and failed: the list read from any later
        # piece of it goes on the same way and fails too
        dead: set[int] = set()
        if cue_end is None:
            items = self._items(a, b, strict=True, inline=True, starts=dead)
            if items and not self.work[items[-1][1] : b].strip(" ,;"):
                return items
        # "Trên cơ sở đó, Sở X chủ trì": the bodies after the last comma(s)
        lo = a if cue_end is None else cue_end
        for c in _COMMA.finditer(self.work[lo:b]):
            a2 = lo + c.end()
            if not HEAD.match(self.work, a2) or (dead and _SKIP.match(self.work, a2, b).end() in dead):
                continue
            tried: set[int] = set()
            items = self._items(a2, b, strict=True, inline=True, starts=tried)
            if items and not self.work[items[-1][1] : b].strip(" ,;"):
                return items
            dead |= tried
        return None

    def _caused(self, a: int, b: int, p: int):
        """The subject after "chỉ đạo" ("chỉ đạo các bộ, ngành phối hợp"), the
        body giving the order added when it is that body's own units ("Chỉ đạo
        các đơn vị trực thuộc, lực lượng Công an xã tăng cường phối hợp")."""
        items = self._items(a, b, strict=True, inline=True)  # up to its first verb
        if not items:
            return None
        if any(OWN_UNITS.search(_fold(it[2]).strip()) for it in items):
            return (self._implicit(p) or []) + items
        return items

    def _implicit(self, p: int):
        """Who does a verb without subject: the subject named earlier in the
        same item, else the body of the heading above."""
        ls = self._line_start(p)
        if ls in self.line_subjects:
            return self.line_subjects[ls]
        return self._line_opening(ls, p) or self._heading_bodies(p)

    def _line_opening(self, ls: int, p: int):
        """The bodies a line opens with, the subject of its first clause
        ("3. Bộ Tư pháp có trách nhiệm kiểm tra ...; chủ trì, phối hợp với
        ..."; "3. Sở Tài chính, trên cơ sở đề xuất ..., chủ trì tổng hợp"),
        when the verb at ``p`` has none of its own."""
        m = _LINE_MARK.match(self.work, ls, p)
        a = m.end() if m else ls
        if a >= p or not (HEAD.match(self.work, a) or match_known(self.work, a)):
            return None
        items = self._items(a, min(p, a + SUBJECT_REACH), strict=True, inline=True)  # a subject is short
        if items and all(it[3] is not None or ("," not in it[2] and ";" not in it[2]) for it in items):
            rest = _SKIP.match(self.work, items[-1][1]).end()
            if rest >= p or VERB_STOP.match(self.work, rest):
                return items
        known = match_known(self.work, a)
        if known and known[1] < p and self.work[known[1]] in ", ":
            return [(a, known[1], self.work[a : known[1]], known[0])]
        return None

    # .. the cues
    def fields(self) -> None:
        """Fields under a task: "- Cơ quan chủ trì: ...", "- Đơn vị phối hợp:
        ...". A plain "Cơ quan thực hiện: ..." gives no role, but leads in a
        task that has a "Cơ quan phối hợp" field and no "chủ trì" one
        ("- Cơ quan thực hiện: Sở Tư pháp; ..." / "- Cơ quan phối hợp: Các
        sở, ngành")."""
        found = []
        for m in _fields(self.work):
            self.blocked.append((m.start("label"), m.start("list")))
            kinds = (m.group("kinds") or m.group("bare") or "").lower()
            if "phối hợp" in kinds:
                role = "support"
            elif "chủ trì" in kinds or "tham mưu" in kinds:
                role = "lead"
            else:
                role = None
            found.append((m, role, self._task_of(m.start())))
        paired = {t for _, r, t in found if r == "support"} - {t for _, r, t in found if r == "lead"}
        for m, role, task in found:
            a, b = m.start("list"), m.end("list")
            if role is None:
                # "Đơn vị thực hiện: X chủ trì, phối hợp với Y": the inline scan reads it
                if task not in paired or _VERB_CUE.search(self.work, a, b):
                    continue
                role = "lead"
            # "Đề nghị X chủ trì ..." inside a lead field: the inline scan handles it
            items = self._items(a, b, inline=role == "lead" and task in paired)
            if items:
                # the lead field "Thông tin và Truyền thông" with "Sở" missing
                self._emit(role, [self._fix_missing_so(it) for it in items], m.start())
            self.blocked.append((a, b))

    def _task_of(self, p: int) -> int | None:
        """The innermost section holding ``p`` (its start), for grouping the fields of a task."""
        hold = self._containing(p)
        return hold[0].start if hold else None

    def _fix_missing_so(self, it):
        a, b, written, known = it
        if known is None and written[:1].isupper() and not HEAD.match(written):
            k = match_known("Sở " + written)
            if k and k[1] == len("Sở " + written):
                return (a, b, "Sở " + written, k[0])
        return it

    def tables(self) -> None:
        """Appendix tables with "Đơn vị chủ trì" / "Đơn vị phối hợp" columns,
        tab-separated, a row per task (continuation lines add to its cells)."""
        work = self.work
        if "\t" not in work:
            return  # every line is one cell
        lines = []
        pos = 0
        for line in work.split("\n"):
            lines.append((pos, line))
            pos += len(line) + 1
        heads = _role_lines(work, [start for start, _ in lines])
        i = 0
        while i < len(lines):
            if heads is not None:  # a line that names no role is no heading: skip to the next that does
                k = bisect_left(heads, i)
                if k == len(heads):
                    break
                i = heads[k]
            start, line = lines[i]
            cells = line.split("\t")
            cols = {}
            if len(cells) > 2:
                for k, c in enumerate(cells):
                    lc = c.lower()
                    if "chủ trì" in lc and "phối hợp" not in lc:
                        cols[k] = "lead"
                    elif "phối hợp" in lc and "chủ trì" not in lc:
                        cols[k] = "support"
            if not cols:
                i += 1
                continue
            t_start = start
            rows: list[tuple[int, dict[int, list[tuple[int, int]]]]] = []
            j = i + 1
            while j < len(lines):
                s2, l2 = lines[j]
                if not l2.strip():
                    j += 1
                    continue
                if "\t" not in l2:
                    break
                cells2 = l2.split("\t")
                offs = []
                o = s2
                for c in cells2:
                    offs.append((o, o + len(c)))
                    o += len(c) + 1
                if _TAB_ROW_NUMBER.fullmatch(cells2[0]):
                    rows.append((s2, {}))
                if rows:
                    for k, (ca, cb) in enumerate(offs):
                        if k in cols and self.work[ca:cb].strip():
                            rows[-1][1].setdefault(k, []).append((ca, cb))
                j += 1
            self.blocked.append(
                (t_start, lines[j - 1][0] + len(lines[j - 1][1]) if j - 1 < len(lines) else len(self.work))
            )
            for row_start, cellmap in rows:
                for k, segs in cellmap.items():
                    self._emit(cols[k], [self._fix_missing_so(it) for it in self._cell_items(segs)], row_start)
            i = j

    def pipe_tables(self) -> None:
        """Tables written with pipe lines (:func:`pipe_tables`) whose heading
        has "Cơ quan chủ trì" / "Cơ quan phối hợp" columns: the bodies of each
        row's role cells (only names that open like a body's)."""
        for cells in pipe_tables(self.text):
            heads = _headers(self.text, cells)
            for h, (first, start, cols) in enumerate(heads):
                stop = heads[h + 1][0] if h + 1 < len(heads) else len(cells)
                body = cells[start:stop]
                self.blocked.append((cells[first][0], body[-1][1] if body else cells[min(start, len(cells)) - 1][1]))
                for row in table_rows(self.text, body, start - 1 - first, max(cols)):
                    for k, role in cols.items():
                        if k < len(row) and row[k][0] < row[k][1]:
                            segs = self._lines(*row[k])
                            # a line of its own in a cell is an item of its own
                            items = [self._fix_missing_so(it) for it in self._cell_items(segs, "; ")]
                            self._emit(role, [it for it in items if _opens_body(it)], row[0][0])

    def _lines(self, a: int, b: int) -> list[tuple[int, int]]:
        """The lines of ``text[a:b]``, as spans."""
        out, pos = [], a
        while pos < b:
            e = self.text.find("\n", pos, b)
            e = b if e < 0 else e
            if self.text[pos:e].strip():
                out.append((pos, e))
            pos = e + 1
        return out

    def _cell_items(self, segs: list[tuple[int, int]], sep: str = " "):
        """Items of a table cell that may run over several lines: parsed on the
        joined text, each span clipped to the piece of the cell it starts in."""
        joined = ""
        starts = []
        for a, b in segs:
            if joined:
                joined += sep
            starts.append((len(joined), a, b))
            joined += self.work[a:b]
        # "Đề nghị X chủ trì triển khai": the body only
        cut = _CHU_TRI_AFTER.search(joined)
        if cut:
            joined = joined[: cut.start()]
        got = parse_list(joined) or []
        out = []
        for it in got:
            for off, a, b in reversed(starts):
                if it.start >= off:
                    s = a + it.start - off
                    e = min(b, a + it.end - off)
                    while e > s and self.text[e - 1].isspace():
                        e -= 1
                    out.append((s, e, it.text, it.known))
                    break
        return out

    def inline(self) -> None:
        """ "X chủ trì, phối hợp với Y", "Đề nghị X chủ trì", "Yêu cầu X phối
        hợp", and verbs with no subject under a body's heading."""
        cues = [m for m in _cue_words(self.work) if not self._blocked(m.start())]
        leads_at: list[int] = []
        work = self.work
        for m in cues:
            p = m.start()
            kind = "lead" if m.group(1).lower().startswith("chủ") else "support"
            # the words before the cue in its clause, as far as the patterns
            # anchored at the cue can reach
            w = self._words_before(p, self._clause_start(p))
            if kind == "lead":
                # (a slice: it may open the clause; without "là", in any case, no match)
                before = work[w:p]
                is_lead = _IS_LEAD.search(before) if "là" in before.lower() else None
                if _NOT_ACTIVE_LEAD.search(work, w, p) and not is_lead:
                    continue
                leads_at.append(p)
                self._emit_subject("lead", p, p - len(is_lead.group()) if is_lead else p)
                with_ = _CUNG.match(work, m.end())  # "Bộ Tài chính chủ trì cùng Bộ Xây dựng"
                if with_:
                    self._emit("support", self._partners(with_.end(), strict=True), p)
                continue
            # phối hợp
            if _NOUN_BEFORE.search(work, w, p) or _GIUA.match(work, m.end()):
                continue
            ss = self._sentence_start(p)
            k = bisect_left(leads_at, p) - 1  # a lead cue earlier in the sentence
            if k >= 0 and leads_at[k] >= ss:
                self._emit("support", self._partners(m.end(), strict=False), p)
                continue
            # "Phối hợp với Sở Xây dựng, Sở Quy hoạch - Kiến trúc hướng dẫn"
            # under "1. Sở Tài chính": the named partners support too; a task
            # title with no one to do it ("2. Phối hợp với Bộ X triển khai
            # ...") assigns nothing
            if self._emit_subject("support", p, p):
                self._emit("support", self._partners(m.end(), strict=True), p)

    def _partners(self, a: int, strict: bool) -> list:
        """The bodies named after "phối hợp (chặt chẽ) (với)" or "chủ trì cùng
        (với)" at ``a``: the list up to its first verb. ``strict``: only a
        list that opens like a body's name ("phối hợp tổ chức" names none)."""
        work = self.work
        a = _PARTNER_LEAD.match(work, a).end()
        stop = self._first_from(_LIST_END, self._list_ends, a)
        b = len(work) if stop is None else stop
        # the list stops at the next verb cue: read no further past it
        nxt = self._verb_cue_from(a, b) if self._verb_cues is not None else None
        if nxt is not None:
            b = min(b, nxt + LIST_MARGIN)
        if strict and not (HEAD.match(work, a) or COLLECTIVE_START.match(work, a)):
            return []
        return self._items(a, b, strict=strict, inline=True) or []

    def _emit_subject(self, role: str, p: int, verb: int) -> bool:
        """The bodies a verb at ``p`` (its subject read back from ``verb``)
        gives ``role`` to: the explicit subject, remembered for its line, or
        the implicit one of the heading above. Whether there were any."""
        subj = self._subject(verb)
        if subj is not None:
            self.line_subjects.setdefault(self._line_start(p), subj)
        else:
            subj = self._implicit(p)
        if subj:
            self._emit(role, subj, p)
        return bool(subj)

    # .. names
    def mentions(self, canonical: bool = False) -> list[AgencyMention]:
        """The mentions, each name settled for the document; with
        ``canonical``, each with its canonical body too."""
        namer = _Namer(self.text)
        # known bodies: one spelling per document
        forms: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for r in self.raws:
            if r.known:
                forms[r.known.name].append((r.start, namer.known_form(r.written, r.known)))
        chosen: dict[str, str] = {}
        lowered: _Lowered | None = None  # the text in lower case, made when first asked for
        for name, fl in forms.items():
            full = [(p, f) for p, f in fl if not _is_abbreviation(f)]
            if not full:
                # spelled out elsewhere in the text (its recipients too:
                # "Bộ CHQS tỉnh" in a table, "Bộ Chỉ huy Quân sự tỉnh" in Nơi nhận)?
                for pat, ag, form in _all_alias_patterns():
                    if ag.name == name and not _is_abbreviation(form):
                        if lowered is None:
                            lowered = _Lowered(self.text)
                        m = lowered.search(pat, form, self.preamble_end)
                        if m:
                            full = [(m.start(), namer.known_form(m.group(), ag))]
                            break
            if not full:
                chosen[name] = namer.expand_ubnd(fl[0][1])
                continue
            if any(_fold(f) == _fold(name) for _, f in full):
                chosen[name] = name
                continue
            cnt = Counter(_fold(f) for _, f in full)
            first, firstpos = {}, {}
            for p, f in sorted(full):
                first.setdefault(_fold(f), f)
                firstpos.setdefault(_fold(f), p)  # (its least offset: sorted)
            best = max(cnt, key=lambda k: (cnt[k], -firstpos[k]))
            chosen[name] = first[best]
        # collectives: most frequent variant; others: most frequent spelling
        groups: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
        names: list[str | None] = []
        keys: list[tuple | None] = []  # the group of each mention not of a known body
        for r in self.raws:
            if r.known:
                names.append(chosen[r.known.name])
                keys.append(None)
                continue
            if is_collective(namer.clean(r.written)):
                n = namer.collective(r.written)
                g = ("c",) + _collective_key(n)
            else:
                n = namer.specific(r.written)
                g = ("s", _key(n))
            groups[g].append((r.start, n))
            names.append(None)
            keys.append(g)
        rep = {}
        for g, fl in groups.items():
            cnt = Counter(_fold(f) for _, f in fl)
            firstpos = {}
            firstform = {}
            for p, f in sorted(fl):
                firstpos.setdefault(_fold(f), p)
                firstform.setdefault(_fold(f), f)
            best = max(cnt, key=lambda k: (cnt[k], -firstpos[k]))
            rep[g] = firstform[best]
        # one mention per (start, end, role, name, task), the last one's section kept
        uniq: dict[tuple, Section | None] = {}
        for r, n, g in zip(self.raws, names, keys):
            hold = self._containing(r.pos)
            sec = hold[0] if hold else None
            uniq[(r.start, r.end, r.role, rep[g] if n is None else n, sec.id if sec else None)] = sec
        text = self.text
        out = [
            AgencyMention(
                n,
                role,
                task,
                a,
                b,
                text[a:b],
                sec.title if sec else None,
                canonical_agency(n)[0] if canonical else None,
            )
            for (a, b, role, n, task), sec in uniq.items()
        ]
        out.sort(key=lambda m: (m.start, m.role, m.name, m.task or ""))
        return out


def find_agencies(text: str, sections: list[Section], preamble_end: int) -> list[AgencyMention]:
    """The bodies a plan names as leading (chủ trì) and supporting (phối hợp)
    its tasks.

    Parameters
    ----------
    text : the cleaned text (:func:`extractors.clean.clean`).
    sections : its outline (:func:`extractors.outline.outline`).
    preamble_end : where its preamble stops (:func:`extractors.outline.preamble_end`);
        nothing before it is read.

    Returns
    -------
    One :class:`AgencyMention` per (name, role, task) occurrence, sorted by
    (start, role, name); ``text[m.start:m.end] == m.text``.
    """
    return _find(text, sections, preamble_end)


def _find(text: str, sections: list[Section], preamble_end: int, canonical: bool = False) -> list[AgencyMention]:
    """:func:`find_agencies`; with ``canonical``, each mention with its canonical body."""
    ex = _Extractor(text, sections, preamble_end)
    ex.fields()
    ex.tables()
    ex.pipe_tables()
    ex.inline()
    if not ex.raws:
        return []  # (mentions() would find none: a text with no cue is not read further)
    return ex.mentions(canonical)


def find_assignments(
    text: str, sections: list[Section], preamble_end: int
) -> tuple[list[AgencyMention], list[AgencyMention]]:
    r"""The named bodies of :func:`find_agencies` and, apart, the generic
    collectives (tập thể) that name no body ("các sở, ban, ngành", "Ủy ban
    nhân dân cấp xã") and the companies ("Tập đoàn Bưu chính Viễn thông Việt
    Nam"): ``(agencies, collectives)``, each sorted as :func:`find_agencies`
    sorts, each mention with its ``canonical`` body
    (:func:`extractors.agency_names.canonical_agency`: "UBND tỉnh" → "Ủy ban
    nhân dân tỉnh").

    >>> ags, cols = find_assignments("1. Nhiệm vụ\nSở Y tế chủ trì, phối hợp với UBND tỉnh Lai Châu, "
    ...     "Công ty Điện lực và các sở, ban, ngành triển khai.\n", [], 0)
    >>> [(m.role, m.name, m.canonical) for m in ags]
    [('lead', 'Sở Y tế', 'Sở Y tế'), ('support', 'UBND tỉnh', 'Ủy ban nhân dân tỉnh')]
    >>> [m.name for m in cols]
    ['Công ty Điện lực', 'các sở, ban, ngành']
    """
    agencies, collectives = [], []
    for m in _find(text, sections, preamble_end, canonical=True):
        if names_no_body(m.name):
            continue  # "Không" in a column of partners, an outline label
        kind = is_collective(m.name) or names_a_kind(m.name) or is_company(m.name)
        (collectives if kind else agencies).append(m)
    return agencies, collectives
