"""Regular expressions of the designator grammar (ngữ pháp số, ký hiệu văn bản).

The patterns themselves live as data in ``extractors/data/designators.json``,
each with example strings; this module fills their ``{placeholders}`` with the
small building blocks below and compiles them in verbose mode. Everything here
works on *cleaned* text (see :mod:`extractors.clean`): NFC, ``Đ`` for the
look-alike ``Ð``, ``-`` for every dash, a plain space for a non-breaking one.
"""

from __future__ import annotations

import re
from functools import cache

from .patterncache import compile_pattern
from .vocabulary import first_letters
from .vocabulary import load_data as load_data  # the one loader of the data files, re-exported

# -- building blocks -------------------------------------------------------

#: a line break the text may wrap at, with the indentation after it
LINE_WRAP = r"(?:[ \t]*\n[ \t]*){0,2}"

#: a gap between words: spaces, or one line break (texts are often hard-wrapped)
GAP = r"(?:[ \t]*\n[ \t]*|[ \t]+)"
#: an optional gap
GAP0 = r"[ \t]*(?:\n[ \t]*)?"
#: a line break that ends a paragraph rather than wrapping a line: a blank
#: line, or a next line that opens a list item, a table row or a heading
PARA_BREAK = r"\n(?=[ \t]*\n|[ \t]*[-+*•|#>]|[ \t]*(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,4}|[a-zđ])[.)][ \t])"

#: capital letters that may open a symbol segment (Vietnamese Đ included)
CAPITALS = "A-ZĐÀ-ỸÂĂÊÔƠƯ"


def number() -> str:
    """The document's number: 1–6 digits, optionally a sub-number after a
    dot (Nghị quyết 66.2/2025/NQ-CP) and a one-letter suffix.

    >>> [bool(re.fullmatch(number(), n)) for n in ("15a", "66.2", "1.")]
    [True, True, False]
    """
    return r"(?P<num>\d{1,6}(?:\.\d{1,3})?[a-zA-Z]?)"


def year() -> str:
    """A four-digit year of the 20th or 21st century, captured as ``year``."""
    return r"(?P<year>(?:19|20)\d{2})"


def segment() -> str:
    """One segment of a symbol (ký hiệu): NĐ, TTg, BTTTT, QH15, TT&TT, E.K.LM.

    >>> bool(re.fullmatch(segment(), "TTg")), bool(re.fullmatch(segment(), "tại"))
    (True, False)
    """
    return rf"[{CAPITALS}][\w&]*(?:\.[{CAPITALS}][\w&]*)*"


def dash() -> str:
    """A hyphen (after cleaning, every dash is ``-``), then optional spaces or
    a line break: texts wrap designators after the hyphen ("57-" / "KL/TW")
    and sometimes leave a space after it ("3155/STTTT- TTBCXB") or before it
    ("71/NQ -CP"), never both (" - " separates a list's items)."""
    return rf"(?:[ \t]-(?![ \t])|-[ \t]?{LINE_WRAP})"


def slash() -> str:
    """A slash with at most one space either side and an optional line wrap."""
    return rf"[ \t]?/[ \t]?{LINE_WRAP}"


def alternation(words) -> str:
    """A non-capturing alternation of literal words, longest first.

    >>> alternation(["TT", "TTr"])
    '(?:TTr|TT)'
    """
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w) for w in ordered) + ")"


# -- data ------------------------------------------------------------------


@cache
def type_codes() -> tuple[str, ...]:
    """Every type code (mã loại văn bản) that can open an administrative symbol."""
    codes = {c for t in load_data("doc_types.json")["types"] for c in t["codes"]}
    return tuple(sorted(codes))


def fill(template: str) -> str:
    """Fill a pattern template's placeholders with the building blocks."""
    parts = {
        "num": number(),
        "year": year(),
        "seg": segment(),
        "dash": dash(),
        "slash": slash(),
        "type_code": alternation(type_codes()),
    }
    return re.sub(r"\{(\w+)\}", lambda m: parts[m.group(1)], template)


@cache
def designator_patterns() -> tuple[tuple[str, str, re.Pattern], ...]:
    """Each grammar pattern as ``(name, kind, compiled regex)``, in priority order."""
    out = []
    for p in load_data("designators.json")["patterns"]:
        out.append((p["name"], p["kind"], compile_pattern(fill(p["regex"]), re.VERBOSE)))
    return tuple(out)


@cache
def designator_regex() -> re.Pattern:
    """One regex that finds any designator; the group named after the pattern
    that matched tells which (``normative``, ``party``, ...)."""
    alts = []
    for p in load_data("designators.json")["patterns"]:
        body = fill(p["regex"])
        # group names must be unique across the alternation
        body = re.sub(r"\(\?P<(\w+)>", lambda m, n=p["name"]: f"(?P<{n}_{m.group(1)}>", body)
        alts.append(f"(?P<{p['name']}> {body} )")
    # every designator opens with a digit: testing for it first lets the
    # engine skip most positions cheaply (three times faster than testing
    # the look-behind first)
    boundary_left = r"(?=\d)(?<![\w/.\-])"
    boundary_right = r"(?![\w/])"
    return compile_pattern(boundary_left + "(?:" + " | ".join(alts) + ")" + boundary_right, re.VERBOSE)


#: what follows a designator's number in every pattern: a slash or a hyphen,
#: a space or a tab before it at most (see :func:`designator_matches`)
_AFTER_NUMBER = ("{num} {slash}", "{num} {dash}", "{num} (?: {slash} | {dash} )")
#: a slash or hyphen after a number's last digit (its letter, a space between)
_NUMBER_END = compile_pattern(r"[/-](?:(?<=\d[/-])|(?<=\d[ \t][/-])|(?<=\d[a-zA-Z][/-])|(?<=\d[a-zA-Z][ \t][/-]))")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


@cache
def _numbers_first() -> bool:
    """Whether every pattern opens as :data:`_AFTER_NUMBER` says."""
    return all(p["regex"].startswith(_AFTER_NUMBER) for p in load_data("designators.json")["patterns"])


def designator_matches(text: str):
    """The matches of :func:`designator_regex` in ``text``, as its
    ``finditer`` gives them, found from the slashes and hyphens that follow
    a number: the regex is tried only at the number before each (its digits,
    a sub-number after a dot), not at every character of the text.

    Every pattern opens with ``{num}`` (digits, ``.`` and digits, a letter)
    and a slash or a hyphen after at most one space; a number opens where
    no letter, digit, ``/``, ``.`` or ``-`` stands before it, so walking
    back from the slash over that shape finds where any match would start.

    >>> [m.group() for m in designator_matches("Nghị định 72/2015/NĐ-CP, ngày 15/6/2023, số 66.2/2025/NQ-CP")]
    ['72/2015/NĐ-CP', '66.2/2025/NQ-CP']
    """
    regex = designator_regex()
    if not _numbers_first():
        yield from regex.finditer(text)  # a pattern of another shape: every position is tried
        return
    pos = 0  # no match starts before pos: the last match's end
    while (slash := _NUMBER_END.search(text, pos)) is not None:
        j = slash.start()
        if text[j - 1] in " \t":
            j -= 1
        if text[j - 1] in _ASCII_LETTERS:
            j -= 1
        k = j
        while k and text[k - 1].isdecimal():  # \d: a Unicode decimal digit
            k -= 1
        if k >= 2 and text[k - 1] == "." and text[k - 2].isdecimal():
            k -= 1
            while k and text[k - 1].isdecimal():
                k -= 1
        if k >= pos and (m := regex.match(text, k)):
            yield m
            pos = m.end()
        else:
            pos = slash.start() + 1


# -- the words around a designator -----------------------------------------


def case_variants(phrase: str) -> list[str]:
    """A phrase as texts write it: Capitalised, lower case and UPPER CASE.

    >>> case_variants("Quyết định")
    ['Quyết định', 'quyết định', 'QUYẾT ĐỊNH']
    """
    cap = phrase[0].upper() + phrase[1:]
    low = phrase[0].lower() + phrase[1:]
    out = []
    for v in (cap, low, phrase.upper()):
        if v not in out:
            out.append(v)
    return out


@cache
def doc_type_names() -> tuple[str, ...]:
    return tuple(t["name"] for t in load_data("doc_types.json")["types"])


@cache
def abbreviations() -> dict[str, str]:
    """Type words written as their code, "QĐ số ...", and the type they stand for."""
    return dict(load_data("doc_types.json").get("abbreviations", {}))


LOWER_WORD = r"[a-zđàáảãạâầấẩẫậăằắẳẵặèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]+"


@cache
def type_word_before() -> re.Pattern:
    """The type word that introduces a designator, anchored at the end of the
    text before it: "Quyết định số ", "tại Công văn số ", "Kế hoạch ",
    "Chương trình phối hợp công tác ", "Luật Nhà ở số ", "QĐ số ",
    "Thông tư số [" (markdown link).

    Groups: ``type`` (the type word), ``qual`` (lower-case words between the
    type word and the number, e.g. "phối hợp công tác"), ``name`` (a proper
    name between the type word and "số": "Nhà ở"), ``abbr`` (a code used as
    the type word). A window may hold several type words; the caller takes
    the last match.

    >>> m = type_word_before().search("căn cứ Luật Nhà ở số ")
    >>> m.group("type"), m.group("name").strip()
    ('Luật', 'Nhà ở')
    """
    variants = [v for name in doc_type_names() for v in case_variants(name)]
    so = r"(?:số|Số|SỐ)" + GAP0 + r":?" + GAP0
    pattern = (
        r"(?<![\w])(?:(?P<type>" + alternation(variants) + r")"
        r"(?:(?P<qual>(?:" + GAP + r"(?!số\b)" + LOWER_WORD + r"){0,4}?)" + GAP0 + r"(?:" + so + r")?"
        r"|(?P<name>" + GAP + rf"[{CAPITALS}][\w()-]*(?:" + GAP + r"(?!số\b)[\w()-]+){0,7}?)" + GAP + so + r")"
        r"|(?P<abbr>" + alternation(abbreviations()) + r")" + GAP + so + r")"
        r"[\[(*_]*$"
    )
    # behind a look-ahead for the first letters of the type words and codes:
    # a position none can start at fails one test, not the look-behind and
    # every alternative
    guard = first_letters(pattern)
    return compile_pattern(f"(?={guard}){pattern}" if guard else pattern)


DATE_AFTER = compile_pattern(
    rf"""[\])*_]*(?:\(\#\))?{GAP0},?{GAP0}(?:(?:được{GAP})?ban{GAP}hành{GAP})?
        (?P<word>ngày|Ngày|NGÀY){GAP}
        (?: (?P<d1>\d{{1,2}})[ \t]*[/.\-][ \t]*(?P<m1>\d{{1,2}})[ \t]*[/.\-][ \t]*(?P<y1>\d{{4}})
          | (?P<d2>\d{{1,2}}){GAP}(?:tháng|THÁNG){GAP}(?P<m2>\d{{1,2}}){GAP}(?:năm|NĂM){GAP}(?P<y2>\d{{4}})
        )""",
    re.VERBOSE,
)

#: "của <issuer>" or "giữa <A> và <B>" right after the designator or its date
ISSUER_AFTER = compile_pattern(r"[\])*_]*(?:\(\#\))?" + GAP0 + ",?" + GAP0 + r"(?P<prep>của|giữa|CỦA|GIỮA)" + GAP)

#: where an issuer's name stops: the verbs and prepositions that open the
#: document's subject (a line break may stand for a space in them),
#: punctuation, markup, a footnote mark ("Chính phủ[5]", "Ban Tổ chức Trung
#: ương *thực hiện ...") or a control character
ISSUER_STOP = compile_pattern(
    PARA_BREAK
    + r"""|[;,.:"“”(*_\[\x00-\x08\x0b-\x1f]
        |\s(?:Sửa\sđổi|Bổ\ssung|Thay\sthế|Bãi\sbỏ|Thi\shành|Triển\skhai|Căn\scứ|Theo)\b
        |\s(?:và|hoặc)\s(?=(?:Đề\sán|Kế\shoạch|Chương\strình|Quyết\sđịnh
            |Nghị\sđịnh|Nghị\squyết|Thông\stư|Kết\sluận|Chỉ\sthị|Công\svăn|Văn\sbản|Luật)\b)
        |\s(?:VỀ|NGÀY|TẠI|THEO|TRONG|TRÊN|BAN\sHÀNH|PHÊ\sDUYỆT|QUY\sĐỊNH|HƯỚNG\sDẪN|THỰC\sHIỆN|TRIỂN\sKHAI)\b
        |\s(?:về|Về|V/v|v/v|hướng\sdẫn|Hướng\sdẫn|ban\shành|Ban\shành|phê\sduyệt|Phê\sduyệt|
        quy\sđịnh|Quy\sđịnh|thực\shiện|Thực\shiện|quản\slý|tại|theo|trong|triển\skhai|việc|đến|giai\sđoạn|
        thay\sthế|bãi\sbỏ|thi\shành|
        năm|ngày|sửa\sđổi|bổ\ssung|với|nhằm|để|tiếp\stục|hàng|thông\squa|đã|sau|cho|khi|chỉ\sđạo|là)\b""",
    re.VERBOSE,
)

#: "của <issuer> tại " just before the type word: the issuer named first
#: ("hướng dẫn của Bộ Thông tin và Truyền thông tại Công văn số ...")
ISSUER_BEFORE = compile_pattern(rf"(?:của|Của)[ \t]+(?P<issuer>[{CAPITALS}][^;:\n.]{{1,89}}?)[ \t]+tại[ \t]+$")

#: the subject clause (trích yếu) after the designator, date and issuer
SUBJECT_AFTER = compile_pattern(
    GAP0
    + ",?"
    + GAP0
    + r"(?P<lead>về\s+việc|về|V/v|v/v|hướng\s+dẫn|ban\s+hành|phê\s+duyệt|quy\s+định|Quy\s+định|Phê\s+duyệt|Ban\s+hành)"
    + GAP
    # (a run of characters at a time, not one per turn of the group: the same
    # match, as nothing follows the group, in a third of the time)
    + r"(?P<subject>(?:[^;\n]+|(?!"
    + PARA_BREAK
    + r")\n)+)"
)
