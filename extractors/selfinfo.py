"""What a text says about itself (thông tin văn bản): its type, own number,
province, year, status, issuer, signer and title; the keys it uses for
itself; and whether the file holds a cover letter (công văn) before the
document itself.

The parts are read where the layout rules put them (thể thức văn bản,
Nghị định 30/2020/NĐ-CP Phụ lục I; Hướng dẫn 36-HD/VPTW for Party
documents; the words are data, ``data/self_layout.json``):

* the header (phần đầu): the issuing body's name (tên cơ quan ban hành), a
  parent body's line above it, beside the national title (quốc hiệu) or the
  Party's line; under them the number ("Số: 12/KH-UBND") and the place and
  date ("Nghệ An, ngày 26 tháng 11 năm 2025");
* the type heading ("KẾ HOẠCH"), the title under it, and for a decision the
  authority line under the title (thẩm quyền ban hành: "CHỦ TỊCH ỦY BAN NHÂN
  DÂN TỈNH AN GIANG");
* the signature block (chữ ký): "TM." / "T/M" names the collective body that
  issues, "KT." / "TL." / "Q." the capacity; the signer's name ends it.

A title in capitals is given in sentence case, each word written as the
text's own sentences write it (:func:`sentence_case`).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import cache, partial
from itertools import chain, compress, islice

from . import regexes as rx
from .agency_known import known_agencies
from .find import DesignatorMatch, canonical_key, find_designators, parse_date
from .patterncache import compile_pattern
from .vocabulary import (
    SPACES,
    fold,
    folds_apart,
    load_data,
    official_province,
    plain_case,
    province_alternation,
    province_in,
    provinces,
)

_HEADING_TYPES = (
    "KẾ HOẠCH",
    "QUYẾT ĐỊNH",
    "NGHỊ QUYẾT",
    "NGHỊ ĐỊNH",
    "THÔNG TƯ",
    "CHỈ THỊ",
    "KẾT LUẬN",
    "CHƯƠNG TRÌNH HÀNH ĐỘNG",
    "CHƯƠNG TRÌNH",
    "QUY CHẾ",
    "QUY ĐỊNH",
    "ĐỀ ÁN",
    "TỜ TRÌNH",
    "BÁO CÁO",
    "THÔNG BÁO",
    "HƯỚNG DẪN",
    "LUẬT",
    "PHÁP LỆNH",
    "CÔNG ĐIỆN",
    "THÔNG TRI",
)
_TYPE_ALT = "|".join(re.escape(t) for t in _HEADING_TYPES)
HEADING = compile_pattern(r"^[ \t]*(?:[*_#]+[ \t]*)?(?P<type>" + _TYPE_ALT + r")[ \t*_]*$", re.MULTILINE)
#: a type heading that carries its own designator ("KẾT LUẬN SỐ 221-KL/TW",
#: "HƯỚNG DẪN 37-HD/BTGDVTW"): Party titles set as a heading
_HEADING_NUMBER = compile_pattern(
    r"^[ \t]*(?:[*_#]+[ \t]*)?(?P<type>"
    + _TYPE_ALT
    + r")[ \t]+(?:(?:SỐ|Số|số)[ \t]*:?[ \t]*)?(?P<des>[0-9][^\s*_|]*[/-][^\s*_|]+)[ \t*_]*$",
    re.MULTILINE,
)
#: a type heading with its title on the same line ("# QUYẾT ĐỊNH CÔNG BỐ DANH
#: MỤC ..."): the title in capitals, three words at least
_HEADING_TITLE = compile_pattern(
    r"^[ \t]*(?:[*_#]+[ \t]*)?(?P<type>"
    + _TYPE_ALT
    + r")[ \t]+(?P<title>(?!SỐ\b)[A-ZĐÀ-Ỹ](?:[^\n]*[^\s*_])?)[ \t*_]*$",
    re.MULTILINE,
)
#: the line break before a line that may hold a type heading (spaces and
#: marks, then a type's first letter): a search skips at C speed from one
#: line break to the next, where :data:`HEADING` and :data:`_HEADING_NUMBER`
#: would be tried at every character
_HEADING_LINE = compile_pattern(
    r"\n(?=[ \t]*(?:[*_#]+[ \t]*)?[" + "".join(sorted({re.escape(t[0]) for t in _HEADING_TYPES})) + "])"
)


def _type_headings(text: str) -> tuple[list[re.Match], list[re.Match]]:
    """The type headings of ``text``: the matches of :data:`HEADING` and those
    of :data:`_HEADING_NUMBER` (what their ``finditer`` gives: each match is
    one line), both tried only at the lines :data:`_HEADING_LINE` finds.

    >>> plain, numbered = _type_headings("KẾ HOẠCH\\nvề việc\\n**KẾT LUẬN SỐ 221-KL/TW**\\n")
    >>> [m.group("type") for m in plain], [m.group("des") for m in numbered]
    (['KẾ HOẠCH'], ['221-KL/TW'])
    """
    plain: list[re.Match] = []
    numbered: list[re.Match] = []
    for pos in chain([0], (m.end() for m in _HEADING_LINE.finditer(text))):
        if (m := HEADING.match(text, pos)) is not None:
            plain.append(m)
        elif (m := _HEADING_NUMBER.match(text, pos)) is not None:
            numbered.append(m)
    return plain, numbered


#: lines that open the text under a title: the preamble, the first part
_TITLE_STOP = compile_pattern(
    r"(?:Căn cứ|CĂN CỨ|Thực hiện|Xét|Theo|Trên cơ sở|Kính gửi|Điều 1|Chương|QUYẾT ĐỊNH:|QUYẾT NGHỊ|I\.|1\.|Số\b|SỐ\b)"
)
#: a year the title names as the plan's own: "năm 2025", not "đến năm 2035"
_TITLE_YEAR = compile_pattern(r"(?<!đến )(?<!ĐẾN )(?<!tới )(?<!TỚI )(?<!nhìn )(?<!NHÌN )(?:năm|NĂM)[ \t]+(\d{4})")
_OWN_NUMBER = compile_pattern(r"^[ \t*_|]*(?:Số|SỐ|Luật số|LUẬT SỐ)[ \t]*:?[ \t]*(?P<rest>[^\n]*)$", re.MULTILINE)
_DRAFT = compile_pattern(r"^[ \t*_]*(?:DỰ THẢO|Dự thảo|DỰ THẢO LẦN \d+)[ \t*_]*\d*$", re.MULTILINE)
_PLACE_DATE = compile_pattern(
    r"^[ \t*_|]*(?P<place>[^\n,|]{2,40}),\s*ngày\s*(?P<d>\d{1,2}|\.{2,}|…)?\s*tháng\s*(?P<m>\d{1,2}|\.{2,}|…)?\s*năm\s+(?P<y>\d{4})",  # noqa: E501
    re.MULTILINE,
)
_VV = compile_pattern(
    r"^[ \t*_]*(?:V/v|V/V|v/v)[ \t]*:?[ \t]*(?P<title>[^\n|]*(?:\n(?![ \t]*[\n|*_])(?![^\n]*,[ \t]*ngày)[^\n|]*){0,3})",
    re.MULTILINE,
)
#: the provincial committee issues the text: "Ủy ban nhân dân tỉnh ... ban
#: hành", "TM. ỦY BAN NHÂN DÂN" (behind a look-ahead for the first letters:
#: one test at a position neither can start at)
_UBND_ISSUES = compile_pattern(
    r"(?=[UỦT])(?:(?:Ủy ban [Nn]hân dân|Uỷ ban [Nn]hân dân|UBND)(?:[ \t]+\(UBND\))?[ \t]+(?:tỉnh|thành phố)\b"
    r"[^\n;]{0,40}?ban hành|TM\.[ \t]*(?:ỦY|UỶ)[ \t]+BAN[ \t]+NHÂN[ \t]+DÂN)"
)


def _ubnd_issues(text: str) -> bool:
    """Whether :data:`_UBND_ISSUES` finds the provincial committee issuing
    ``text`` (a text with neither "ban hành" nor "TM." is not searched)."""
    return ("ban hành" in text or "TM." in text) and _UBND_ISSUES.search(text) is not None


#: an appendix header naming the document it belongs to: "(Ban hành kèm theo
#: Quyết định số 2820/QĐ-UBND ...)", "(Kèm theo Kế hoạch số 617/KH-UBND ...)"
_ATTACHED = compile_pattern(
    r"^[ \t*_]*\([ \t*_]*(?:Ban hành[ \t]+)?(?:kèm|Kèm|KÈM)(?:[ \t]+theo|[ \t]+THEO)?"
    r"[ \t]+(?P<type>[^\n()]{2,40}?)[ \t]+(?:số|Số|SỐ)",
    re.MULTILINE,
)
_WORD = compile_pattern(r"\S+")
#: a person's name (họ và tên): two to six words, each capitalised
_PERSON = compile_pattern(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+[ \t]+){1,5}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$")

#: what the first line of a match of :data:`_DRAFT`, :data:`_VV` and
#: :data:`_ATTACHED` holds: a pattern with a literal first letter, which a
#: search finds at C speed (see :func:`_line_matches`)
_DRAFT_WORDS = compile_pattern(r"D(?:Ự THẢO|ự thảo)")
_VV_WORDS = compile_pattern(r"/[vV]")
_ATTACHED_WORDS = compile_pattern(r"\([ \t*_]*(?:Ban hành[ \t]+)?(?:kèm|Kèm|KÈM)")


def _line_matches(pattern: re.Pattern, needle: re.Pattern, text: str, pos: int = 0, endpos: int | None = None):
    """The matches ``pattern.finditer(text, pos, endpos)`` gives, for a
    pattern (``^``, multi-line) whose every match starts at a line's start
    and holds a match of ``needle`` on that line: only the lines that
    ``needle`` finds are tried, not every character of the text.

    >>> [m.group() for m in _line_matches(_DRAFT, _DRAFT_WORDS, "Dự án\\n**DỰ THẢO**\\nDự thảo 2\\n")]
    ['**DỰ THẢO**', 'Dự thảo 2']
    """
    end = len(text) if endpos is None else min(endpos, len(text))
    bound = p = pos  # no match starts before bound: the last match's end
    while (n := needle.search(text, p, end)) is not None:
        start = text.rfind("\n", 0, n.start()) + 1
        if start >= bound and (m := pattern.match(text, start, end)):
            yield m
            bound = m.end()
        eol = text.find("\n", n.start(), end)
        if eol < 0:
            return
        p = max(eol + 1, bound)


# -- data -------------------------------------------------------------------------


@cache
def _layout() -> dict:
    return load_data("self_layout.json")


def _words(key: str, field: str = "words") -> tuple[str, ...]:
    return tuple(_layout()[key][field])


def _starts(line: str, words: tuple[str, ...]) -> str | None:
    """The longest of ``words`` that ``line`` opens with, as a whole word."""
    best = None
    for w in words:
        if line.startswith(w) and (len(line) == len(w) or not line[len(w)].isalnum() or not w[-1].isalnum()):
            if best is None or len(w) > len(best):
                best = w
    return best


@cache
def _province_regex() -> re.Pattern:
    """A province named after "tỉnh", "thành phố" or "TP." (the names of
    :mod:`extractors.vocabulary`)."""
    # "t" or "T" first, case-sensitive: as (?i:t) takes, and a search then
    # skips at C speed to the next "t" (what follows it in any case)
    return compile_pattern(r"[tT](?i:(?:ỉnh|hành phố|P\.?)[ \t]+(?P<name>" + province_alternation() + r")(?![\w]))")


@cache
def cities() -> frozenset[str]:
    """The centrally-run cities (thành phố trực thuộc Trung ương), Huế among
    them since 2025."""
    return frozenset(p["name"] for p in provinces() if p["kind"] == "city") | {
        r["to"] for r in _layout()["province_changes"]["renamed"]
    }


def find_province(text: str) -> str | None:
    """The province a text names first after "tỉnh"/"thành phố".

    >>> find_province("CÔNG TÁC THÔNG TIN ĐỐI NGOẠI TRÊN ĐỊA BÀN TỈNH PHÚ THỌ NĂM 2025")
    'Phú Thọ'
    """
    m = _province_regex().search(text)
    return official_province(m.group("name")) if m else None


def province_on(name: str | None, day: date | None) -> str | None:
    """The province ``name`` as named on ``day``: Huế a city from 2025, the
    merged provinces named after the one they joined from 1 July 2025.

    >>> province_on("Thừa Thiên Huế", date(2024, 11, 17)), province_on("Thừa Thiên Huế", date(2025, 11, 21))
    ('Thừa Thiên Huế', 'Huế')
    >>> province_on("Kiên Giang", date(2025, 11, 18)), province_on("Kiên Giang", None)
    ('An Giang', 'Kiên Giang')
    """
    if name is None or day is None:
        return name
    changes = _layout()["province_changes"]
    for r in changes["renamed"]:
        if name == r["from"] and day >= date.fromisoformat(r["since"]):
            name = r["to"]
    if day >= date.fromisoformat(changes["merged_since"]):
        for into, old in changes["merged"].items():
            if name in old:
                return into
    return name


# -- plain lines and capitals -------------------------------------------------------


def _unmarked(s: str) -> str:
    """``s`` without markdown's marks (``*``, ``_``, ``#``)."""
    return s.replace("*", "").replace("_", "").replace("#", "")


def _plain(line: str) -> str:
    """A line without markup (bold marks inside words too: "C**ỤC THUẾ**"), its
    spaces collapsed."""
    # str.split() and re's \s take the same characters for spaces
    return " ".join(_unmarked(line).split())


#: every byte but the small ASCII letters (a-z), to be dropped
_ASCII_UPPER_KEPT = bytes(b for b in range(128) if not 97 <= b <= 122)


def _is_caps(s: str) -> bool:
    """Written in capitals (chữ in hoa): nine letters in ten upper case."""
    if s.isupper():  # every cased letter upper case: decided at C speed
        return True
    if s.islower():  # no upper case letter at all
        return False
    # small ASCII letters (each a letter not in upper case) over a tenth of
    # the characters are over a tenth of the letters: decided at C speed too
    if 10 * len(s.encode("ascii", "ignore").translate(None, _ASCII_UPPER_KEPT)) > len(s):
        return False
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and sum(map(str.isupper, letters)) >= 0.9 * len(letters)


def _caps_prefix(line: str) -> tuple[str, str]:
    """The words of ``line`` in capitals up to the first that is not, and the
    rest: "PHÓ CHỦ TỊCH Bùi Thanh An" → ("PHÓ CHỦ TỊCH", "Bùi Thanh An")."""
    words = line.split(" ")
    i = 0
    while i < len(words) and (not any(c.isalpha() for c in words[i]) or _is_caps(words[i])):
        i += 1
    return " ".join(words[:i]).strip(), " ".join(words[i:]).strip()


_PUNCT = ".,;:!?()[]“”\"'‘’…"
_SENTENCE_END = (".", ":", ";", "!", "?")
_BULLET = compile_pattern(r"[-+–•]|[a-zđ0-9]{1,3}[.)]|[IVX]+\.")


def _word_caps(words: list[str], caps: list[bool | None], i: int) -> bool:
    """Whether ``words[i]`` is a word in capitals (two letters at least), found once."""
    if caps[i] is None:
        w = words[i]
        caps[i] = _is_caps(w) and sum(c.isalpha() for c in w) > 1
    return caps[i]


def _NOTHING(line: str) -> None:
    """A search that finds nothing."""


def _line_filter(cores: list[str], lowered: bool = False):
    """A search for what makes a line matter to :func:`_windows`: two title
    words in a row (any case), or a title word written in capitals.

    The alternatives are tried behind a look-ahead for their first letters:
    the same lines are found, and a position no alternative can start at is
    passed over at once (without it, every alternative is tried at every
    character of the text). With ``lowered`` (:func:`_plain_case`), the
    pairs are looked for in the lower-cased line, without the engine's
    case folding: the same lines, faster (a third of the filter's time on
    a long title). Made from the document's own words, the patterns are
    compiled with ``re.compile``, not kept in :mod:`.patterncache`."""
    firsts = [(a, b) for a, b in zip(cores, cores[1:]) if a and b]
    upper = sorted({c.upper() for c in cores if sum(ch.isalpha() for ch in c) > 1}, key=len, reverse=True)
    if lowered:
        pairs = [re.escape(a.lower()) + r"[^\w\n]*\s+[^\w\n]*" + re.escape(b.lower()) for a, b in firsts]
        in_lower = re.compile("|".join(pairs)).search if pairs else _NOTHING
        in_caps = re.compile("|".join(map(re.escape, upper))).search if upper else _NOTHING
        return lambda line: in_lower(line.lower()) or in_caps(line)
    pairs = [re.escape(a) + r"[^\w\n]*\s+[^\w\n]*" + re.escape(b) for a, b in firsts]
    alts = ([f"(?i:{'|'.join(pairs)})"] if pairs else []) + [re.escape(u) for u in upper]
    if not alts:
        return lambda line: None
    guard = ([f"(?i:[{''.join(sorted({re.escape(a[0]) for a, _ in firsts}))}])"] if firsts else []) + (
        [f"[{''.join(sorted({re.escape(u[0]) for u in upper}))}]"] if upper else []
    )
    return re.compile(f"(?={'|'.join(guard)})(?:{'|'.join(alts)})").search


def _plain_case(text: str, cores: list[str]) -> bool:
    """Whether :func:`_line_filter` may search ``text`` lower-cased for ``cores``."""
    return plain_case(*cores) and not folds_apart(text)


def _source_tokens(text: str, title_cores: list[str]) -> list[tuple[str, str, bool] | None]:
    """The words of the text's own sentences: (folded core, core as written,
    opens a sentence); ``None`` for a word of a run in capitals (a heading,
    whose case says nothing) and for a word that is none of ``title_cores``
    (only the title's words are looked up: memory stays a pointer per word
    of a long text)."""
    wanted = frozenset(c.casefold() for c in title_cores) - {""}
    out: list[tuple[str, str, bool] | None] = []
    # a line holding no pair of the title's words in a row, nor one of them in
    # capitals, is one break in the runs: only such lines are read word by word
    holds = _line_filter(title_cores, _plain_case(text, title_cores))
    for line in _unmarked(text).split("\n"):
        if not holds(line):
            out.append(None)
            continue
        # the title's words among the line's: casefolding is letter by letter
        # and keeps spaces and punctuation, so the folded line's words are
        # the words' folded forms
        hits = [i for i, f in enumerate(line.casefold().split()) if f.strip(_PUNCT) in wanted]
        words = line.split()
        n = len(words)
        row: list[tuple[str, str, bool] | None] = [None] * (n + 1)  # the line's words, then a break
        if hits:
            caps: list[bool | None] = [None] * n  # found only where a wanted word needs it
            cap = partial(_word_caps, words, caps)
            if all(cap(i) or not any(c.isalpha() for c in w) for i, w in enumerate(words)):
                caps[:] = [True] * n  # a line in capitals: its single words too
            for i in hits:
                if cap(i) and (n == 1 or (i and cap(i - 1)) or (i + 1 < n and cap(i + 1))):
                    continue
                # a bullet ("-", "a)", "1.") or a sentence's end opens the next word
                prev = words[i - 1] if i else ""
                initial = not i or prev.endswith(_SENTENCE_END) or bool(_BULLET.fullmatch(prev))
                core = words[i].strip(_PUNCT)
                row[i] = (core.casefold(), core, initial)
        out += row
    return out


def _windows(title: list[str], src: list) -> list[tuple[int, str] | None]:
    """For each title word (folded core), the longest run of title words
    around it that the source writes in a row (not opening a sentence), and
    how the source writes the word there."""
    index: dict[tuple[str, str], list[int]] = {pair: [] for pair in zip(title, title[1:])}
    last = len(src) - 1
    for i in compress(range(last), src):  # the words read (a token, not None) but the last
        b = src[i + 1]
        if b is not None:
            lst = index.get((src[i][0], b[0]))  # only the title's pairs are looked up
            if lst is not None and len(lst) < 400:
                lst.append(i)
    best: list[tuple[int, Counter] | None] = [None] * len(title)
    for t in range(len(title) - 1):
        for s in index.get((title[t], title[t + 1]), ()):
            n = 0
            while t + n < len(title) and s + n < len(src) and src[s + n] is not None and src[s + n][0] == title[t + n]:
                n += 1
            for k in range(n):
                tok = src[s + k]
                if tok[2]:
                    continue  # a sentence's first word is capitalised anyway
                cur = best[t + k]
                if cur is None or n > cur[0]:
                    best[t + k] = (n, Counter({tok[1]: 1}))
                elif n == cur[0]:
                    cur[1][tok[1]] += 1
    return [(b[0], b[1].most_common(1)[0][0]) if b else None for b in best]


#: a word without the punctuation around it
_WORD_CORE = compile_pattern(r"[^.,;:!?()\[\]“”\"'‘’…]+(?:.*[^.,;:!?()\[\]“”\"'‘’…])?")


def _core_span(word: str) -> tuple[int, int]:
    m = _WORD_CORE.search(word)
    return (m.start(), m.end()) if m else (0, 0)


def _single_case(core: str, src_caps: frozenset[str]) -> str:
    """A word no run of the source shows: a number keeps its letters as the
    designator is written ("32/CT-TTG" → "32/CT-TTg"), a Roman numeral or an
    abbreviation the text writes in capitals stays, any other is lower case."""
    if any(c.isdigit() for c in core):
        return canonical_key(core) if "/" in core else core
    if re.fullmatch(r"[IVXLC]+", core) or core in src_caps:
        return core
    return core.lower()


def sentence_case(title: str, source: str, first: bool = True) -> str:
    """A title in capitals in sentence case: each word as the ``source``
    (the text's own sentences) writes it in the longest run of the title's
    words it holds, a province's and a proper name's words capitalised, the
    first letter upper case.

    >>> sentence_case("VỀ VIỆC CÔNG BỐ DANH MỤC THỦ TỤC CỦA SỞ TÀI CHÍNH TỈNH AN GIANG",
    ...               "Điều 1. Công bố kèm theo Quyết định này danh mục thủ tục của Sở Tài chính.")
    'Về việc công bố danh mục thủ tục của Sở Tài chính tỉnh An Giang'
    """
    words = title.split(" ")
    spans = [_core_span(w) for w in words]
    cores = [w[a:b] for w, (a, b) in zip(words, spans)]
    src = _source_tokens(source, cores)
    src_caps = frozenset(t[1] for t in src if t is not None and t[1].isupper() and len(t[1]) > 1)
    wins = _windows([c.casefold() for c in cores], src)
    out = []
    for w, (a, b), core, win in zip(words, spans, cores, wins):
        new = win[1] if win is not None else _single_case(core, src_caps)
        out.append(w[:a] + new + w[b:])
    low = " ".join(out)
    low = _proper_names(low, [win is not None for win in wins])
    return low[:1].upper() + low[1:] if first else low


def _proper_names(text: str, covered: list[bool]) -> str:
    """Province names after "tỉnh"/"thành phố" and the proper words of
    ``data/self_layout.json`` capitalised where no run of the source wrote them."""
    for m in list(_province_regex().finditer(text))[::-1]:
        name = official_province(m.group("name"))
        if name and fold(name) == fold(m.group("name")):
            text = text[: m.start("name")] + name + text[m.end("name") :]
    starts = [m.start() for m in _WORD.finditer(text)]
    for proper in sorted(_words("proper_words"), key=len, reverse=True):
        for m in list(re.finditer(r"(?<!\w)" + re.escape(proper.lower()) + r"(?!\w)", text))[::-1]:
            k = sum(1 for s in starts if s <= m.start()) - 1
            if 0 <= k < len(covered) and not covered[k]:
                text = text[: m.start()] + proper + text[m.end() :]
    return text


# -- the header: issuing body, parent, number, place and date --------------------------


def _split_heads(line: str) -> list[str]:
    """A header line holding a parent and its body ("BỘ TÀI CHÍNH CỤC THUẾ")
    cut before the body's head word."""
    heads = _words("split_heads")
    not_after = set(_words("split_heads", "not_after"))
    words = line.split(" ")
    parts, cur = [], []
    for i, w in enumerate(words):
        if len(cur) >= 2 and words[i - 1] not in not_after and _starts(" ".join(words[i:]), heads):
            parts.append(" ".join(cur))
            cur = []
        cur.append(w)
    if cur:
        parts.append(" ".join(cur))
    return parts


def _continues(prev: str, part: str) -> bool:
    """The header line ``part`` goes on with the name ``prev`` ("ỦY BAN NHÂN
    DÂN" / "TỈNH AN GIANG", "BỘ VĂN HÓA, THỂ THAO" / "VÀ DU LỊCH")."""
    return prev.endswith((",", " VÀ", "-")) or bool(_starts(part, _words("localities", "continuation")))


#: what ends a header's name on its line: the number ("Số:"), a rule ("-----")
_NUMBER_LABEL = compile_pattern(r"(?:^|\s)(?:Số|SỐ|Luật số)\s*:")
_NUMBER_MARK = compile_pattern(r"(?:^|\s)(?:Số|SỐ)\s*:")
_VV_OPENS = compile_pattern(r"(?:V/v|V/V)\b")


def header_bodies(block: str) -> list[str]:
    """The bodies a header names above and beside the national title, top
    first (the issuing body last), in capitals as written.

    >>> header_bodies("**ỦY BAN NHÂN DÂN **\\nTHÀNH PHỐ HỒ CHÍ MINH\\n|\\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**")
    ['ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH']
    >>> header_bodies("BAN CHẤP HÀNH TRUNG ƯƠNG\\n**BAN TUYÊN GIÁO VÀ DÂN VẬN**\\n*\\n|\\n**ĐẢNG CỘNG SẢN VIỆT NAM**")
    ['BAN CHẤP HÀNH TRUNG ƯƠNG', 'BAN TUYÊN GIÁO VÀ DÂN VẬN']
    """
    names: list[str] = []
    motto = _words("motto")
    for raw in block.split("\n"):
        for cell in raw.split("|"):
            line = _plain(cell)
            if not line:
                continue
            for m in motto:
                if m in line:
                    line = line[: line.index(m)]
            number = None
            if "ố" in line or "Ố" in line:  # what "Số", "SỐ", "Luật số" hold
                line, number = _NUMBER_LABEL.split(line, maxsplit=1)[0], _NUMBER_MARK.search(line)
            line = line.partition("--")[0].strip(" -")  # up to a rule ("-----")
            if not line:
                if number:
                    return names
                continue
            if _OWN_NUMBER.match(line) or ("ngày" in line and _PLACE_DATE.match(line)) or _VV_OPENS.match(line):
                return names
            if not _is_caps(line):
                continue
            for part in _split_heads(line):
                if names and _continues(names[-1], part):
                    names[-1] += " " + part
                else:
                    names.append(part)
            if number:
                return names
    return names


def _locality(name: str) -> str | None:
    """The place a body's name ends with ("TỈNH THỪA THIÊN HUẾ")."""
    m = re.search(r"(?:^|\s)((?:TỈNH|THÀNH PHỐ|TP\.|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|ĐẶC KHU)\s+\S.*)$", name)
    return m.group(1) if m else None


def _issuing_body(names: list[str]) -> str | None:
    """The issuing body's full name from the header: its own line, completed
    by its parent's place ("UBND TỈNH THỪA THIÊN HUẾ" / "SỞ THÔNG TIN VÀ
    TRUYỀN THÔNG") or by the Party centre ("BAN CHẤP HÀNH TRUNG ƯƠNG" / "BAN
    TUYÊN GIÁO VÀ DÂN VẬN" is the Ban ... Trung ương)."""
    if not names:
        return None
    body = names[-1]
    if len(names) > 1:
        parent = names[-2]
        suffix = _layout()["party_parents"]["suffix"].get(parent)
        place = _locality(parent)
        if suffix:
            if not body.endswith(suffix.upper()):
                body = f"{body} {suffix.upper()}"
        elif re.match(r"(?:TỈNH|THÀNH|HUYỆN|ĐẢNG) ?ỦY|(?:TỈNH|THÀNH|HUYỆN|ĐẢNG) ?UỶ", parent):
            body = f"{body} {parent}"
        elif place and not _locality(body):
            body = f"{body} {place}"
    return body


def _is_central(names: list[str]) -> bool:
    """A header of a central body: no place in any name, and a central head
    ("BỘ TƯ PHÁP", "CHÍNH PHỦ", "BAN CHẤP HÀNH TRUNG ƯƠNG", a name ending in
    "TRUNG ƯƠNG")."""
    local = _words("localities", "local")
    if not names or any(re.search(r"(?:^|\s)(?:" + "|".join(map(re.escape, local)) + r")(?:\s|$)", n) for n in names):
        return False
    heads, nots = _words("central"), _words("central", "not")
    return any((_starts(n, heads) and not _starts(n, nots)) or n.endswith("TRUNG ƯƠNG") for n in names)


# -- names of bodies -----------------------------------------------------------------


@cache
def _known_names() -> dict[str, str]:
    return {fold(a.name): a.name for a in known_agencies()}


def _expand(name: str) -> str:
    """A body's name in capitals with its abbreviations spelt out ("UBND",
    "HĐND", "TP.") and the new tone marks ("UỶ" → "ỦY")."""
    name = re.sub(r"\bUBND\b", "ỦY BAN NHÂN DÂN", name)
    name = re.sub(r"\bHĐND\b", "HỘI ĐỒNG NHÂN DÂN", name)
    name = re.sub(r"\bTP\.\s*", "THÀNH PHỐ ", name)
    return name.replace("UỶ", "ỦY").replace("Uỷ", "Ủy")


def _rule_case(name: str) -> str:
    """A body's name in capitals written as names of bodies are written
    (Nghị định 30/2020/NĐ-CP Phụ lục II): the type word and the first word
    of each field it names upper case ("Bộ Văn hóa, Thể thao và Du lịch",
    "Ban Tuyên giáo và Dân vận Trung ương"), "nhân dân", "tỉnh", "thành phố"
    lower case, a province's name as officially written.

    >>> _rule_case("BAN TUYÊN GIÁO VÀ DÂN VẬN TRUNG ƯƠNG"), _rule_case("ỦY BAN NHÂN DÂN TỈNH LAI CHÂU")
    ('Ban Tuyên giáo và Dân vận Trung ương', 'Ủy ban nhân dân tỉnh Lai Châu')
    """
    case = _layout()["name_case"]
    words = name.lower().split(" ")
    head = next((h for h in case["heads"] if " ".join(words[: len(h.split())]) == h.lower()), words[0])
    n = len(head.split())
    out = [head] if head != words[0] else [words[0][:1].upper() + words[0][1:]]
    cap_next = head.lower() not in case["plain_after"]
    for w in words[n:]:
        if cap_next and w not in ("và", "-"):
            w = w[:1].upper() + w[1:]
        cap_next = w in ("và", "-") or w.endswith(",")
        out.append(w)
    s = " ".join(out)
    for proper in (*_words("proper_words"), *case["proper"]):
        s = re.sub(r"(?<!\w)" + re.escape(proper) + r"(?!\w)", proper, s, flags=re.IGNORECASE)
    return _provinces_named(s)


@cache
def _province_anywhere() -> re.Pattern:
    return compile_pattern(r"(?<!\w)(?:" + province_alternation() + r")(?!\w)", re.IGNORECASE)


@cache
def _new_names() -> dict[str, str]:
    """The new names of renamed provinces (Huế), folded → as written."""
    return {fold(r["to"]): r["to"] for r in _layout()["province_changes"]["renamed"]}


def _province_named(spelled: str) -> str:
    spelled = SPACES.sub(" ", spelled)
    # "Huế" is Huế: the new name of Thừa Thiên Huế, not a short form of the old one
    return _new_names().get(fold(spelled)) or official_province(spelled) or spelled


def _provinces_named(s: str) -> str:
    """Every province's name in ``s`` as officially written (a body's name).

    >>> _provinces_named("Ủy ban nhân dân thành phố HUẾ"), _provinces_named("Sở Y tế tỉnh Thừa Thiên - Huế")
    ('Ủy ban nhân dân thành phố Huế', 'Sở Y tế tỉnh Thừa Thiên Huế')
    """
    return _province_anywhere().sub(lambda m: _province_named(m.group()), s)


def body_name(caps: str, source: str) -> str:
    """The full name of a body written in capitals, as the text or the known
    bodies write it: a known body's name, else the text's own spelling of the
    whole name, else :func:`_rule_case`.

    >>> body_name("HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI", "của Hội đồng nhân dân thành phố Hà Nội;")
    'Hội đồng nhân dân thành phố Hà Nội'
    >>> body_name("BAN TUYÊN GIÁO VÀ DÂN VẬN TRUNG ƯƠNG", "")
    'Ban Tuyên giáo và Dân vận Trung ương'
    >>> body_name("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG", "")
    'Chủ tịch Ủy ban nhân dân tỉnh An Giang'
    """
    caps = _expand(SPACES.sub(" ", caps).strip(" ,.:"))
    known = _known_names().get(fold(caps))
    if known:
        return known
    # (the document's own words: not for the pattern cache)
    pattern = re.compile(r"(?<!\w)" + re.escape(caps).replace(r"\ ", r"\s+") + r"(?!\w)", re.IGNORECASE)
    written = Counter(SPACES.sub(" ", m.group()) for m in pattern.finditer(source) if not _is_caps(m.group()))
    if written:
        return written.most_common(1)[0][0]
    title = re.match(r"(?:PHÓ )?(?:CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|GIÁM ĐỐC|CỤC TRƯỞNG|TỔNG CỤC TRƯỞNG|TRƯỞNG BAN) ", caps)
    if title:
        return title.group().capitalize() + body_name(caps[title.end() :], source)
    return _rule_case(caps)


# -- the title and the authority line under it ----------------------------------------


def _title_after(text: str, pos: int) -> tuple[str | None, str | None]:
    """The title under the heading at ``pos`` as written (markup dropped, its
    lines joined) and the authority line under it, in capitals."""
    lines: list[str] = []
    authority = None
    caps = bold = False
    blank = False
    for raw in text[pos : pos + 2000].split("\n")[1:]:
        line = _plain(raw)
        if not line or set(line) <= set("-|. "):
            blank = blank or bool(lines)
            if lines and set(line) & set("-|"):
                break
            continue
        if line.startswith("---"):
            break
        if not lines:
            if _TITLE_STOP.match(line) or _PLACE_DATE.match(line):
                break
            lines.append(line)
            caps, bold = _is_caps(line), raw.strip().startswith("**")
            continue
        head, rest = _caps_prefix(line)
        if head and _starts(head, _words("authority")) and (not rest or rest.startswith("điện")):
            authority = head
            break
        if _TITLE_STOP.match(line) or line.startswith("(") or _PLACE_DATE.match(line):
            break
        if caps != _is_caps(line) or (blank and not caps) or (bold and not raw.strip().startswith("**")):
            break
        lines.append(line)
        if len(lines) >= 6:
            break
    if authority:
        authority = _authority_more(text, pos, authority)
    title = " ".join(lines).strip() or None
    return title, authority


def _authority_more(text: str, pos: int, authority: str) -> str:
    """An authority line wrapped onto a second line ("BỘ TRƯỞNG BỘ VĂN HÓA, THỂ
    THAO" / "VÀ DU LỊCH")."""
    after = text[pos : pos + 2400]
    i = after.find(authority.split(" ")[-1])
    for raw in after[i:].split("\n")[1:4]:
        line = _plain(raw)
        if not line:
            continue
        if _is_caps(line) and (authority.endswith((",", " VÀ")) or _starts(line, ("VÀ",))):
            return f"{authority} {line}"
        break
    return authority


# -- the signature -------------------------------------------------------------------------


@cache
def _sign_regexes() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    sig = _layout()["signature"]
    prefix = compile_pattern(
        r"(?<![\w./])(?:" + "|".join(re.escape(p.strip()) for p in sig["prefixes"]) + r")(?:\s+|(?<=[./])|$)"
    )
    position = compile_pattern(r"(?:PHÓ\s+)?(?:" + "|".join(re.escape(p) for p in sig["positions"]) + r")(?:[\s,]|$)")
    marks = compile_pattern(
        r"^[(\[]?\s*(?:" + "|".join(re.escape(m.strip("()[]")) for m in sig["signed_marks"]) + r")", re.I
    )
    # a line either may open: spaces and marks, then the first two letters
    # of a prefix, of "PHÓ" or of a position, marks between them (what the
    # line opens with once its marks are dropped); the first letter alone
    # for a prefix of one letter ("Q")
    seconds: dict[str, set[str]] = {}
    for w in [p.strip() for p in sig["prefixes"]] + sig["positions"] + ["PHÓ"]:
        seconds.setdefault(w[0], set()).add(w[1:2])
    starts = [
        re.escape(a)
        + ("" if "" in b else r"[*_#]*[" + "".join(r"\s" if c == " " else re.escape(c) for c in sorted(b)) + "]")
        for a, b in sorted(seconds.items())
    ]
    opening = compile_pattern(r"(?:[^\S\n]|[|*_#])*(?:" + "|".join(starts) + ")")
    # the line break before such a line: a search skips at C speed from one
    # line break to the next (a line start, ``^``, would be tried at every
    # character)
    opening_after_break = compile_pattern(r"\n(?=" + opening.pattern + ")")
    return prefix, position, marks, opening, opening_after_break


#: the longest line a signature block's line may be (characters)
SIGNATURE_LINE_MAX = 300


def _lines(text: str, start: int, end: int):
    """The lines of ``text[start:end]``, each a slice of its own: a long text
    is not copied whole, and a long line is cut at :data:`SIGNATURE_LINE_MAX`
    + 1 characters (enough to tell it is too long)."""
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield text[pos : min(stop, pos + SIGNATURE_LINE_MAX + 1)]
        if nl < 0:
            return
        pos = nl + 1


def signature(text: str, start: int, end: int) -> tuple[str | None, str | None]:
    """The first signature block in ``text[start:end]``: the body its "TM." /
    "T/M" line names (in capitals) and the signer's name.

    >>> signature("|\\n**TM. ỦY BAN NHÂN DÂN**\\nKT. CHỦ TỊCH PHÓ CHỦ TỊCH\\nBùi Thanh An\\n|", 0, 70)
    ('ỦY BAN NHÂN DÂN', 'Bùi Thanh An')
    >>> signature("**T/M BỘ CHÍNH TRỊ**\\nTrần Cẩm Tú", 0, 40)
    ('BỘ CHÍNH TRỊ', 'Trần Cẩm Tú')
    """
    prefix, position, marks, opening, opening_after_break = _sign_regexes()
    # only a line that may open with a prefix or a position is read: the
    # first line (from ``start``, which may be inside it), and the lines
    # ``opening`` finds
    starts = (m.end() for m in opening_after_break.finditer(text, max(start - 1, 0), end))
    if start and text[start - 1] != "\n":
        starts = chain([start], starts)
    elif start == 0 and opening.match(text, 0, end):
        starts = chain([0], starts)
    for pos in starts:
        nl = text.find("\n", pos, end)
        raw = text[pos : min(end if nl < 0 else nl, pos + SIGNATURE_LINE_MAX + 1)]
        if len(raw) > SIGNATURE_LINE_MAX:  # a paragraph, not a signature line
            continue
        lead = raw.lstrip(" \t|*_#>")
        if not lead[:1].isupper():  # a signature line opens with a capital
            continue
        line = _plain(raw).strip(" |")
        if not line or not line[0].isupper() or not (prefix.match(line) or position.match(line)):
            continue
        head, rest = _caps_prefix(line)
        if not head or not (prefix.match(head) or position.match(head)) or len(head.split()) > 12:
            continue
        block, name = [head], rest
        for nxt in islice(_lines(text, nl + 1, end), 8) if nl >= 0 else ():
            if name:
                break
            p = _plain(nxt).strip(" |")
            if not p or marks.match(p):
                continue
            h, r = _caps_prefix(p)
            if h and len(block) < 5 and (not r or _PERSON.match(r)):
                block.append(h)
                name = r
                continue
            name = p
        name = re.sub(r"^[(\[]?\s*(?:đã ký|Đã ký)\s*[)\]]?\s*", "", name or "").strip(" |")
        if name and _PERSON.match(name):
            return _collective(" ".join(block), prefix), name
    return None, None


def _collective(block: str, prefix: re.Pattern) -> str | None:
    """The body after "TM." / "T/M" in a signature block ("TM. ỦY BAN NHÂN DÂN
    KT. CHỦ TỊCH ..." → "ỦY BAN NHÂN DÂN")."""
    m = re.search(r"(?:^|\s)(?:TM\.|T/M|T\.M\.?)\s*(?P<body>.+)", block)
    if not m:
        return None
    body = m.group("body")
    nxt = prefix.search(body)
    return (body[: nxt.start()] if nxt else body).strip(" ,") or None


# -- the document's own date ----------------------------------------------------------


#: :data:`_PLACE_DATE` after the line break before it: a search skips at C
#: speed from one line break to the next (``^`` has every character tried)
_PLACE_DATE_AFTER_BREAK = compile_pattern(r"\n(?=" + _PLACE_DATE.pattern + ")", _PLACE_DATE.flags)


def _place_date(text: str, start: int, end: int) -> re.Match | None:
    """The place and date line ("Hà Tĩnh, ngày 01 tháng 12 năm 2025") in
    ``text[start:end]``, read without markup ("ngày **24 **tháng", "202**5"):
    the first line that opens one.

    >>> _place_date("Số: 12/KH-UBND\\nHà Tĩnh, ngày 01 tháng 12 năm 2025", 0, 60).group("place", "y")
    ('Hà Tĩnh', '2025')
    """
    block = _unmarked(text[start:end])
    m = _PLACE_DATE.match(block)
    if m is None and (b := _PLACE_DATE_AFTER_BREAK.search(block)) is not None:
        m = _PLACE_DATE.match(block, b.end())
    return m


def _own_date(pd: re.Match | None) -> date | None:
    if not pd or not (pd.group("d") or "").isdigit() or not (pd.group("m") or "").isdigit():
        return None
    iso = parse_date(pd.group("d"), pd.group("m"), pd.group("y"))
    return date.fromisoformat(iso) if iso else None


def _own_keys(text: str, start: int, key: str | None, doc_types: set[str], numbered: list[re.Match]) -> list[str]:
    """The keys the text uses for itself besides its number line: its
    heading's designator ("KẾT LUẬN SỐ 221-KL/TW"; ``numbered``, the
    text's :data:`_HEADING_NUMBER` lines) and the appendix headers that name
    it ("(Kèm theo Kế hoạch số 617/KH-UBND ...)"), whatever number they
    write."""
    keys = [key] if key else []
    folded = {fold(t) for t in doc_types if t}
    for m in numbered:
        if m.start() >= start:
            keys += [d.designator.key for d in find_designators(m.group("des"))]
    for m in _line_matches(_ATTACHED, _ATTACHED_WORDS, text, start):
        if fold(_plain(m.group("type"))) in folded:
            eol = text.find("\n", m.end())
            line = text[m.end() : eol if eol >= 0 else len(text)]
            found = find_designators(line[:80])
            if found and found[0].start < 12:
                keys.append(found[0].designator.key)
    return list(dict.fromkeys(keys))


# -- the description ----------------------------------------------------------------


def is_central_key(key: str) -> bool:
    """Whether a document's own key ends with a central body's code (its
    symbol's last part, the term number left out): such a document belongs
    to no province.

    >>> is_central_key("1658/NQ-UBTVQH15"), is_central_key("221-KL/TW"), is_central_key("1026/KH-UBND")
    (True, True, False)
    """
    last = re.split(r"[/-]", key)[-1]
    return re.sub(r"\d+$", "", last) in _layout()["central_symbols"]["codes"]


def describe(text: str, own_numbers: list[DesignatorMatch]) -> dict:
    """The text's description of itself (see the module docstring).

    ``own_numbers`` are the designators written after "Số:" in headings.
    """
    plain, numbered = _type_headings(text)
    headings = sorted([*plain, *numbered], key=lambda m: m.start())
    if not headings:
        headings = [m for m in _HEADING_TITLE.finditer(text, 0, 5000) if _is_caps(m.group("title"))]
        headings = [m for m in headings if len(m.group("title").split()) >= 3][:1]
    vv = next(_line_matches(_VV, _VV_WORDS, text), None)
    main = None
    for h in headings:
        # the document's own heading is the first one after any cover letter
        if vv and h.start() < vv.start():
            continue
        main = h
        break
    if main is None and headings:
        main = headings[0]
    contains = []
    body_start = 0
    if vv and main is not None and vv.start() < main.start():
        letter_end = main.start()
        # the cover letter ends where the document's own number or draft mark starts
        for m in list(_OWN_NUMBER.finditer(text, vv.end(), main.start())) + list(
            _line_matches(_DRAFT, _DRAFT_WORDS, text, vv.end(), main.start())
        ):
            letter_end = min(letter_end, m.start())
        contains.append(_letter(text, letter_end, vv, own_numbers))
        body_start = letter_end
    doc_type = None
    title = authority = None
    if main is not None:
        doc_type = next(
            (n for n in rx.doc_type_names() if n.upper() == main.group("type")), main.group("type").capitalize()
        )
        title, authority = _title_after(text, main.start())
        if "title" in main.re.groupindex and main.group("title"):
            more = f" {title}" if title and _is_caps(title) == _is_caps(main.group("title")) else ""
            title = _plain(main.group("title")) + more
    elif vv is not None:
        # an official letter (công văn) has no type heading, only "V/v ..."
        doc_type = "Công văn"
        title = "V/v " + _plain(SPACES.sub(" ", vv.group("title")))
    region = text[body_start:]
    head_end = main.start() if main else (vv.start() if vv else min(len(text), body_start + 3000))
    key, blank_number, number_line = _number(text, body_start, head_end, own_numbers)
    if key is None and not blank_number:
        key = _header_key(text, max(body_start, head_end - 1500), head_end)
    if key is None and main is not None:
        hm = _HEADING_NUMBER.match(text, main.start())
        found = find_designators(hm.group("des")) if hm else []
        key = found[0].designator.key if found else None
    draft_end = (main.end() + 200) if main else len(text)
    draft = any(_line_matches(_DRAFT, _DRAFT_WORDS, text, body_start, draft_end)) or blank_number
    pd = _place_date(text, body_start, head_end)
    if pd is None and vv is not None:
        pd = _place_date(text, body_start, min(len(text), vv.end() + 600))
    if pd and not (pd.group("d") and pd.group("d").isdigit()):
        draft = True
    own_day = _own_date(pd)
    # how the text writes the title's words: read in its first pages (a
    # bounded cost per document, however long its appendices)
    source = region[:SOURCE_FOR_CASE]
    names = header_bodies(text[max(body_start, head_end - 1500) : head_end])
    sign_body, signer = signature(text, main.start() if main else body_start, len(text))
    issuer_caps = _issuer_caps(names, _complete(authority, names), sign_body)
    province = _province(names, issuer_caps, pd, title, region, sign_body)
    province = province_on(province, own_day)
    if key and is_central_key(key):
        province = None
    title = _case_title(title, source)
    issuer = body_name(issuer_caps, source) if issuer_caps else None
    if issuer is None and province and _ubnd_issues(region):
        unit = "thành phố" if province in cities() else "tỉnh"
        issuer = f"Ủy ban nhân dân {unit} {province}"
    return {
        "doc_type": doc_type,
        "key": key,
        "province": province,
        "year": _year(own_day, pd, title) or _key_year(key),
        "date": own_day.isoformat() if own_day else None,
        "effective": effective(text, main.end() if main else body_start, doc_type, own_day),
        "status": "draft" if draft else "issued",
        "issuer": issuer,
        "signer": signer,
        "title": title,
        "contains": contains,
        "own_keys": _own_keys(text, body_start, key, {doc_type} | {c["doc_type"] for c in contains}, numbered),
    }


#: what may stand before a sentence that opens a line: markup, an article's number
_LINE_OPENING = compile_pattern(r"[\s*_#>|]*(?:Điều\s+\d+[a-z]?\s*[.:]\s*)?[\s*_]*")


@cache
def _effective_regex() -> re.Pattern:
    types = sorted({t["name"] for t in load_data("doc_types.json")["types"]}, key=len, reverse=True)
    alt = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in types)
    return compile_pattern(_layout()["effective"]["pattern"].replace("TYPE", alt))


@cache
def _effect_words() -> re.Pattern | None:
    """The words every entry into force states ("có hiệu lực"), when the
    pattern of ``data/self_layout.json`` holds them: a text without them is
    not searched for one."""
    words = r"có\s+hiệu\s+lực"
    return compile_pattern(words) if words in _layout()["effective"]["pattern"] else None


def effective(text: str, start: int, doc_type: str | None, own_day: date | None) -> dict | None:
    """The text's own entry into force (hiệu lực thi hành): ``{date, start,
    end}``, the first "<its type> này có hiệu lực … từ ngày …" after
    ``start`` ("… từ ngày ký": the date of signing, ``own_day``); None when it
    states none.

    >>> t = "Điều 3. Nghị định này có hiệu lực thi hành kể từ ngày 20 tháng 11 năm 2025."
    >>> effective(t, 0, "Nghị định", None)
    {'date': '2025-11-20', 'start': 8, 'end': 74}
    >>> effective("Quyết định này có hiệu lực kể từ ngày ký.", 0, "Quyết định", date(2025, 11, 19))["date"]
    '2025-11-19'
    >>> effective("Luật này có hiệu lực thi hành từ ngày 01/7/2025.", 0, "Nghị định", None) is None
    True
    >>> effective("khi Nghị quyết có hiệu lực từ ngày 01/7/2025", 0, "Nghị quyết", None) is None
    True
    """
    if not doc_type:
        return None
    if (words := _effect_words()) is not None and words.search(text, start) is None:
        return None
    for m in _effective_regex().finditer(text, start):
        if fold(re.sub(r"\s+", " ", m.group("type"))) != fold(doc_type):
            continue
        if not m.group("this") and not _LINE_OPENING.fullmatch(text, text.rfind("\n", 0, m.start()) + 1, m.start()):
            continue  # "khi Nghị quyết có hiệu lực": another's, or not stated
        if m.group("signed"):
            iso = own_day.isoformat() if own_day else None
        else:
            iso = parse_date(m.group("d"), m.group("m"), m.group("y"))
        if iso:
            return {"date": iso, "start": m.start(), "end": m.end()}
    return None


def _header_key(text: str, start: int, end: int) -> str | None:
    """The number written inside a header line ("CHÍNH PHỦ___ Số: 170/2025/NĐ-CP | CỘNG HÒA ...")."""
    for m in re.finditer(r"(?:Số|SỐ)\s*:[\s*_|]*", text[start:end]):
        found = find_designators(text[start + m.end() : start + m.end() + 60])
        if found and found[0].start == 0:
            return found[0].designator.key
    return None


#: how much of the text (characters) shows how it writes a title's words
SOURCE_FOR_CASE = 30_000


def _case_title(title: str | None, source: str) -> str | None:
    """A title in capitals in sentence case, "V/V" (về việc) as "V/v"."""
    if not title or not _is_caps(title):
        return title
    m = re.match(r"V/[Vv]\s+", title)
    if m:
        return "V/v " + sentence_case(title[m.end() :], source, first=False)
    return sentence_case(title, source)


def _number(text: str, start: int, end: int, own_numbers: list[DesignatorMatch]) -> tuple[str | None, bool, int | None]:
    """The document's own key from its number line ("Số: 1026/KH-UBND"),
    whether the number is left blank ("Số: /KH-UBND", a draft), and where the
    number line starts."""
    number_line = None
    for m in _OWN_NUMBER.finditer(text, start, end):
        number_line = m
    if not number_line:
        return None, False, None
    line_end = number_line.end()
    if not re.sub(r"[\s*_|]+", "", number_line.group("rest")):  # the number on the next line
        nxt = text.find("\n", line_end + 1)
        line_end = len(text) if nxt < 0 else nxt
    own = [d for d in own_numbers if number_line.start() <= d.start < line_end]
    if own:
        return own[0].designator.key, False, number_line.start()
    found = find_designators(_unmarked(text[number_line.start("rest") : line_end])[:80])
    if found and found[0].start < 4:  # "Luật số: 60/2024/QH15", a number find.py does not mark
        return found[0].designator.key, False, number_line.start()
    blank = bool(re.match(r"[ \t]*\.{0,6}[ \t…]*/", number_line.group("rest")))
    return None, blank, number_line.start()


def _complete(authority: str | None, names: list[str]) -> str | None:
    """An authority line that names its place by its kind only ("CHỦ TỊCH ỦY
    BAN NHÂN DÂN TỈNH") completed by the header's place ("TỈNH CÀ MAU")."""
    place = _locality(_issuing_body(names) or "")
    m = re.search(r"\s(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|ĐẶC KHU)$", authority or "")
    if m and place and place.startswith(m.group(1)):
        return authority[: m.start()] + " " + place
    return authority


def _issuer_caps(names: list[str], authority: str | None, sign_body: str | None) -> str | None:
    """The issuer in capitals: the authority line under the title, else the
    header's issuing body, unless the signature's "T/M" names a collective
    body the header does not (the Party centre's "T/M BỘ CHÍNH TRỊ")."""
    if authority:
        return authority
    body = _issuing_body(names)
    collective = _words("collective_bodies")
    if sign_body and _starts(sign_body, collective) and (body is None or not fold(body).startswith(fold(sign_body))):
        return sign_body
    return body


def _province(
    names: list[str], issuer: str | None, pd: re.Match | None, title: str | None, region: str, sign_body: str | None
) -> str | None:
    """The province of the issuing body: named in its header or authority
    line; none for a central body; else the place of the date line, the
    title, the text."""
    for n in ([issuer] if issuer else []) + names[::-1]:
        p = province_in(_expand(n))
        if p:
            return p
    if _is_central(names) or (issuer and _is_central([issuer])):
        return None
    if pd:
        place = re.sub(r"^(?:Thành phố|TP\.?)\s+", "", _plain(pd.group("place")))
        if official_province(place):
            return official_province(place)
    return find_province(title or "") or find_province(region[:3000]) or find_province(region)


def _year(own_day: date | None, pd: re.Match | None, title: str | None) -> int | None:
    """The year of the document's own date; a draft's date left blank gives
    way to the year its title names; a text with no date line gives the
    title's year."""
    if own_day:
        return own_day.year
    if title:
        ym = _TITLE_YEAR.findall(title)
        if ym:
            return int(ym[-1])
    if pd:
        return int(pd.group("y"))
    if title:
        ym = re.findall(r"\b((?:19|20)\d{2})\b", title)
        return int(ym[0]) if ym else None
    return None


def _key_year(key: str | None) -> int | None:
    """The year inside a normative document's own number ("60/2024/QH15"),
    for a text that gives no date of its own."""
    m = re.match(r"[^/]+/((?:19|20)\d{2})/", key or "")
    return int(m.group(1)) if m else None


def _letter(text: str, letter_end: int, vv: re.Match, own_numbers: list[DesignatorMatch]) -> dict:
    """The cover letter (công văn) bound before the document."""
    letter = text[:letter_end]
    nums = [d for d in own_numbers if d.start < vv.start()]
    pd = _place_date(letter, 0, len(letter))
    names = header_bodies(letter[: (nums[0].start if nums else vv.start())])
    body = _issuing_body(names)
    _, signer = signature(text, 0, letter_end)
    return {
        "doc_type": "Công văn",
        "key": nums[-1].designator.key if nums else None,
        "date": parse_date(pd.group("d"), pd.group("m"), pd.group("y"))
        if pd and pd.group("d") and pd.group("d").isdigit() and pd.group("m") and pd.group("m").isdigit()
        else None,
        "issuer": body_name(body, letter) if body else None,
        "signer": signer,
        "title": "V/v " + _plain(SPACES.sub(" ", vv.group("title"))),
        "start": 0,
        "end": letter_end,
    }
