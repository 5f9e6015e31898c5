"""Lists of bodies in agency assignments (danh sách cơ quan): the words that
open a body's name, the verbs that end a list, and :func:`parse_list`, which
splits "Sở Công Thương, Sở Xây dựng, Sở Tài chính" into bodies while keeping
names that contain separators whole ("Sở Văn hóa, Thể thao và Du lịch").
Part of :mod:`extractors.agencies`, which re-exports what it uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .agency_known import (
    KnownAgency,
    match_known,
)
from .legacy import is_syllable
from .patterncache import compile_pattern
from .vocabulary import cues, fold, head_words, load_data, request_regex, verb_stop_regex

# -- small vocabularies ------------------------------------------------------

#: words that open a body's name (capitalised, case-sensitive; ``data/cues.json``)
_HEAD_WORDS = head_words()

#: a piece that opens a new list item: a body's name, a collective ("các ...")
#: or an all-capitals abbreviation (UBND, BCH, VP ...)
HEAD = compile_pattern(
    r"""(?!"""
    + "|".join(re.escape(w).replace("\\ ", "\\s+") for w in load_data("agency_kinds.json")["not_names"])
    + r""")(?:
        [Cc]ác\s
      | (?:UBND|HĐND|[Ủủ]y\ ban\ nhân\ dân|[Uu]ỷ\ ban\ nhân\ dân)\b
      | (?:Ban|Phòng)\s+(?=[A-ZĐÀ-ỸĂÂÊÔƠƯ])          # Ban Tuyên giáo, not "Ban ngành"
      | (?:"""
    + "|".join(re.escape(w) for w in _HEAD_WORDS if w not in ("Ban", "Phòng"))
    + r""")(?![\w])
      | Đơn\ vị\ thuộc\b
      | [A-ZĐ][A-ZĐ&]{1,}(?![\w])                       # BCH, VP, STTTT
    )""",
    re.VERBOSE,
)

#: a lower-case generic noun that may open a collective list ("sở, ngành, địa phương")
COLLECTIVE_START = compile_pattern(
    r"""(?:các|sở|ban|ngành|đoàn\ thể|cơ\ quan|đơn\ vị|địa\ phương|phòng|tổ\ chức|ủy\ ban|uỷ\ ban
        |lực\ lượng|chính\ quyền)\b""",
    re.VERBOSE,
)

#: verbs and prepositions that end an inline list of bodies ("... phối hợp với
#: Sở Ngoại vụ tổ chức đón các đoàn"); lower case only (``data/cues.json``)
#: (not after a determiner: "các tổ chức chính trị - xã hội" is a noun)
VERB_STOP = verb_stop_regex()


def _by_first_letter(words: list[str]) -> re.Pattern:
    r""":data:`VERB_STOP` with its words grouped by their first letter, each
    group opening with that letter and its look-behinds moved after it
    (``t(?<!\wt)(?<!các\st)(?<!những\st)(?:riển\ khai|ổ\ chức|...)``): the
    same matches, in the same order within a letter (words of two letters
    never match at one place), but searched for by their first letters in C,
    where the look-behinds opening :data:`VERB_STOP` made it try every
    position against every word."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    alts = []
    for c, rests in groups.items():
        e = re.escape(c)
        # (the look-behind that most positions, inside a word, fail first)
        alts.append(e + rf"(?<![\w]{e})(?<!các\s{e})(?<!những\s{e})(?:" + "|".join(rests) + ")")
    return compile_pattern("(?:" + "|".join(alts) + r")(?![\w])")


#: :data:`VERB_STOP`, searched for faster (what parse_list uses)
_VERB_STOP_FAST = _by_first_letter(cues()["agency_roles"]["verb_stops"]["words"])

#: words a request opens with: "Đề nghị X chủ trì", "Mời X", "Yêu cầu X phối hợp"
CUE = request_regex()
#: verbs whose object does the next verb ("chỉ đạo các bộ, ngành phối hợp"), and
#: the units of the body that gives the order (``data/agency_kinds.json``)
CAUSE = compile_pattern(
    r"(?<![\w])(?:" + "|".join(map(re.escape, load_data("agency_kinds.json")["causatives"])) + r")(?![\w])", re.I
)
OWN_UNITS = compile_pattern(r"(?i)(?:" + "|".join(map(re.escape, load_data("agency_kinds.json")["own_units"])) + r")$")

#: adverbs between a subject and its verb ("X tiếp tục phối hợp")
#: (each of these patterns opening with spaces starts only where a run of
#: spaces does: tried at every space of a long run, "\s+" read the rest of
#: the run each time, in quadratic time)
_ADVERBS = compile_pattern(
    r"""(?<!\s)(?:\s+(?:tiếp\ tục|chủ\ động|có\ trách\ nhiệm|tích\ cực|thường\ xuyên|cùng|sẽ
        |đồng\ thời|trực\ tiếp|chịu\ trách\ nhiệm|được\ giao|tăng\ cường|khẩn\ trương|phải|cần))+\s*$""",
    re.VERBOSE | re.IGNORECASE,
)

#: "phối hợp" used as a noun ("chương trình phối hợp", "quy chế phối hợp")
_NOUN_BEFORE = compile_pattern(
    r"""(?:chương\ trình|cơ\ chế|quy\ chế|kế\ hoạch|sự|việc|mối|công\ tác|hoạt\ động
        |nội\ dung|đầu\ mối|phối\ kết|văn\ bản)\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
#: "chủ trì" used as a noun or passive ("đơn vị chủ trì", "được giao chủ trì")
_NOT_ACTIVE_LEAD = compile_pattern(
    r"(?:được\s+giao|được\s+phân\s+công|giao|đơn\s+vị|cơ\s+quan|vai\s+trò)\s*$", re.IGNORECASE
)
_IS_LEAD = compile_pattern(r"(?<!\s)\s+là\s+(?:cơ\s+quan|đơn\s+vị)\s*$", re.IGNORECASE)

#: a field naming the bodies of a task: "- Đơn vị chủ trì, thực hiện: ..."
FIELD = compile_pattern(
    r"""^[ \t]*(?:[-+•][ \t]*|[a-zđ]\)[ \t]*)?
    (?P<label>
        (?:Đơn\ vị|Cơ\ quan)(?:[ \t]*,[ \t]*(?:đơn\ vị|cơ\ quan|địa\ phương))*[ \t]+
        (?P<kinds>(?:chủ\ trì|tham\ mưu|phối\ hợp|thực\ hiện)
            (?:[ \t]*(?:,|và)?[ \t]*(?:chủ\ trì|tham\ mưu|phối\ hợp|thực\ hiện))*)
      | (?P<bare>Chủ\ trì|Phối\ hợp)
    )[ \t]*:[ \t]*(?P<list>[^\n]*)""",
    re.VERBOSE | re.MULTILINE | re.IGNORECASE,
)

#: the "Nơi nhận" and "Kính gửi" blocks (recipients, not assignees)
_RECIPIENTS = compile_pattern(r"^[ \t*_]*(?:Nơi nhận|Kính gửi)[ \t*_]*:", re.MULTILINE)

_GENERIC = {"cơ quan", "đơn vị", "địa phương", "tổ chức", "cá nhân", "cơ quan đơn vị", ""}
_QUALIFIERS = compile_pattern(
    r"""(?:\s+(?:có\ liên\ quan|liên\ quan|khác|được\ giao(?:\ nhiệm\ vụ)?|của\ tỉnh|trong\ tỉnh
        |tỉnh|địa\ phương|trên\ địa\ bàn(?:\ tỉnh)?|trung\ ương|của\ trung\ ương|thuộc\ tỉnh))+\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_UNITS_DISTRICT = ("huyện", "thị xã", "thành phố", "thành", "thị", "quận", "cấp huyện")
_UNITS_COMMUNE = ("xã", "phường", "thị trấn", "cấp xã")


_fold = fold  # the one comparison form of names (:func:`extractors.vocabulary.fold`)


@lru_cache(maxsize=8192)
def _key(s: str) -> str:
    """Spelling-blind key of a name: separators (``,``, ``-``, ``&``, "và"),
    "các" and a trailing "tỉnh" dropped ("Sở Văn hóa Thể thao và Du lịch" and
    "Sở Văn hóa, Thể thao và Du lịch" share a key)."""
    s = _fold(s)
    s = re.sub(r"[,&\-–]", " ", s)
    s = re.sub(r"(?<!\w)(?:và|các)(?!\w)", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"\s+tỉnh$", "", s)


# -- list parsing --------------------------------------------------------------


@dataclass(slots=True)
class Item:
    """One body of a list, with offsets local to the parsed string."""

    start: int
    end: int
    text: str
    known: KnownAgency | None = None


_SPLIT = compile_pattern(r"\s*[,;]\s*|\s+(?:và|cùng|cùng\s+với)\s+")
_SKIP = compile_pattern(r"(?:[\s,;.:…]|(?<!\w)(?:và|cùng|với)(?!\w))*")
_SKIP_FIRST = ",;.:…vc"
_APPOSITION = compile_pattern(r"(?<!chính\strị)\s+-\s+(?!xã\s+hội)(?=[a-zà-ỹđ]|[Cc]ơ\s+quan\b)")
# what _SPLIT and _APPOSITION find, without the spaces they open with:
# searched for with those spaces, each space of a long run was tried and the
# rest of the run read again, in quadratic time
# (_SPLIT_AT opens with the class of the first characters of its
# alternatives, _APPOSITION_AT with its "-", the look-behinds after them: a
# pattern opening with a class or a literal is searched for in C; one opening
# with an alternation of a class and words, or with a look-behind, was tried
# at every position)
_SPLIT_AT = compile_pattern(r"[,;vc](?:(?<=[,;])|(?<=\sv)à(?=\s)|(?<=\sc)ùng(?=\s))")
_APPOSITION_AT = compile_pattern(r"-(?<=\s-)(?<!chính\strị\s-)(?=\s+(?!xã\s+hội)(?:[a-zà-ỹđ]|[Cc]ơ\s+quan\b))")


def _spaces_before(s: str, q: int, floor: int) -> int:
    """Where the run of spaces ending at ``q`` starts (not before ``floor``)."""
    while q > floor and s[q - 1].isspace():
        q -= 1
    return q


def _apposition(s: str) -> int | None:
    """Where ``_APPOSITION.search(s)`` would start: " - " before a lower-case
    word or "cơ quan"."""
    m = _APPOSITION_AT.search(s)
    return _spaces_before(s, m.start(), 0) if m else None


_LEADING = compile_pattern(r"^(?:[-+•*]\s*|(?:đề\s+nghị|kính\s+đề\s+nghị|mời|giao|yêu\s+cầu)\s+)+", re.IGNORECASE)


#: a name made of generic nouns only, capitalised or not: "Sở, ban, ngành, tổ
#: chức chính trị - xã hội", "Cơ quan, địa phương liên quan", "Sở" alone
_GENERIC_ONLY = compile_pattern(
    r"(?i)(?:sở|ban|ngành|cơ\s+quan|đơn\s+vị|địa\s+phương|tổ\s+chức|phòng|đoàn\s+thể)"
    r"(?:\s*(?:[,;]|$)|\s+(?:và|có\s+liên\s+quan|liên\s+quan)(?!\w))"
)
#: a level that names every body of a kind, not one: "cấp xã", "các cấp",
#: "Mặt trận cơ sở"
_LEVELS = compile_pattern(r"(?i)(?<!\w)(?:cấp\s+(?:xã|huyện|cơ\s+sở|dưới|trên)|các\s+cấp|cùng\s+cấp)(?!\w)|\scơ\s+sở$")


#: a lower-case generic noun before a proper name: a new item of a list of
#: collectives ("các đơn vị trực thuộc, lực lượng Công an xã")
_NAMED_AFTER = compile_pattern(r"(?:lực\s+lượng|chính\s+quyền)\s+[A-ZĐ]")
#: a named force ("lực lượng Kiểm lâm"), not the force of every commune
#: ("lực lượng Công an xã")
_NAMED_FORCE = compile_pattern(r"(?i:lực\s+lượng)\s+[A-ZĐ][^,;]*(?<!\sxã)(?<!\sphường)$")


#: the words that open a body's name and are one word: written alone, each
#: names a kind of body, not one ("Bộ, ngành", "Viện, Trường", "Sở quản lý
#: ngành" cut after its head)
_HEAD_ALONE = frozenset(w for w in _HEAD_WORDS if " " not in w)
#: an outline label in a table's cell ("IV", "III.1")
_OUTLINE_LABEL = compile_pattern(r"[IVXLC]+(?:\.\d+)*\.?")


def names_no_body(name: str) -> bool:
    """Whether ``name`` cannot be a body's name at all: an outline label, or
    one Vietnamese syllable (not an abbreviation in capitals) that is not
    the head of a body's name ("Không" in a "Cơ quan phối hợp" column, "Ông"
    before a person, "Các" cut from its noun). A body's name in Vietnamese
    is two syllables at least.

    >>> [names_no_body(n) for n in ("Không", "Ông", "Các", "IV", "III.1")]
    [True, True, True, True, True]
    >>> [names_no_body(n) for n in ("Bộ", "ngành", "Sở Y tế", "VNPT", "CIA", "Viettel")]
    [False, False, False, False, False, False]
    """
    n = name.strip()
    if _OUTLINE_LABEL.fullmatch(n):
        return True
    if " " in n or n.isupper() or names_a_kind(n):
        return False  # two words or more, an abbreviation, a kind of body ("Bộ")
    if n.lower() != "các" and COLLECTIVE_START.fullmatch(n.lower()):
        return False  # a generic noun ("ngành"), not the determiner that opens one
    return is_syllable(n)


def names_a_kind(name: str) -> bool:
    """Whether ``name`` is the head word of a body's name alone ("Bộ" of
    "Bộ, cơ quan ngang Bộ", "Viện" of "Viện, Trường"): a kind of body, a
    collective, not one body.

    >>> [names_a_kind(n) for n in ("Bộ", "Viện", "Trường", "Bộ Công an", "Tỉnh ủy")]
    [True, True, True, False, False]
    """
    return name.strip() in _HEAD_ALONE


@lru_cache(maxsize=8192)
def is_collective(name: str) -> bool:
    """A generic group ("các sở, ban, ngành", "UBND các huyện, thị xã, thành
    phố", "đơn vị thuộc Bộ ...") rather than one named body."""
    n = name.strip()
    if not n:
        return False
    if _NAMED_FORCE.match(n):
        return False  # "lực lượng Kiểm lâm"
    if n[0].islower() or re.match(r"(?i)các\s|đơn\s+vị\s+thuộc", n) or _GENERIC_ONLY.match(n):
        return True
    if _LEVELS.search(n):
        return True  # "Ban Chỉ huy Phòng thủ dân sự cấp xã", "UBND các cấp"
    m = re.match(r"(?i)(?:văn\s+phòng\s+)?(?:ubnd|ủy\s+ban\s+nhân\s+dân|uỷ\s+ban\s+nhân\s+dân)\s+(.*)$", n)
    if m:
        rest = m.group(1)
        if re.match(r"(?i)(?:các|cấp)\s", rest) or re.search(r"[,]|\svà\s", rest):
            return True
        # "UBND huyện" with no proper name after it
        return bool(re.fullmatch(r"(?i)(?:huyện|quận|thị\s+xã|thành\s+phố|xã|phường|thị\s+trấn)", rest.strip()))
    return False


def parse_list(
    s: str, strict: bool = False, inline: bool = False, starts: list[int] | None = None
) -> list[Item] | None:
    """Split a list of bodies into items.

    Parameters
    ----------
    s : the list's text (parentheses already blanked out).
    strict : every item must open like a body's name (used to tell a subject
        "Sở X, Sở Y" from an ordinary clause); returns None when it does not.
    inline : the list runs on into a clause; it stops at the first verb.
    starts : when a list, where each piece was read from is appended to it
        (the parse from any of them goes on exactly as from the first).

    Returns
    -------
    Items with offsets into ``s``; catch-alls are kept (see :func:`is_catch_all`).
    """
    items: list[Item] = []
    pos = 0
    n = len(s)
    stopped = False
    while pos < n and not stopped:
        c = s[pos]
        # (what _SKIP skips opens with a space, a mark, or the "v"/"c" of và, với, cùng)
        m = _SKIP.match(s, pos) if c.isspace() or c in _SKIP_FIRST else None
        if m and m.end() > pos:
            pos = m.end()
            if pos >= n:
                break
        if starts is not None:
            starts.append(pos)
        if s[pos] in ".…":  # (an ellipsis "..." too)
            break
        known = match_known(s, pos) if s[pos].isupper() else None  # (a known name opens with a capital)
        ag = known[0] if known else None
        p_end = known[1] if known else pos
        # the words up to the next separator (where ``_SPLIT.search(s,
        # p_end)`` starts: the spaces before the separator are not the tail's)
        sep = _SPLIT_AT.search(s, p_end)
        if sep is not None and sep.start() == p_end and sep.group() not in ",;":
            sep = _SPLIT_AT.search(s, sep.end())  # "và", "cùng" need a space before them, from p_end on
        tail = s[p_end:] if sep is None else s[p_end : sep.start()].rstrip()
        cut = _apposition(tail) if "-" in tail else None
        if cut is not None:
            tail = tail[:cut]
        verb = _VERB_STOP_FAST.search(tail) if tail and (inline or strict) else None
        if verb:
            tail = tail[: verb.start()]
            stopped = True
        if tail.strip():
            ag = None  # more words than the known name: read as written
        p_end += len(tail)
        a = pos
        text = s[a:p_end].rstrip(" \t.,;:…*")
        b = a + len(text)
        if a < b:
            head = ag is not None or HEAD.match(s, a) is not None
            if not items or head:
                if not items and not head and strict and not COLLECTIVE_START.match(s, a):
                    return None
                items.append(Item(a, b, text, ag))
            else:
                prev = items[-1]
                level = _LEVEL_AFTER.search(prev.text) if _LEVEL_ONLY.fullmatch(text) else None
                if level:  # "Ban Chỉ huy Phòng thủ dân sự cấp tỉnh, cấp xã": one body per level
                    items.append(Item(a, b, prev.text[: level.start()] + " " + text, None))
                elif (
                    (not is_collective(prev.text) or _NAMED_AFTER.match(text))
                    and text[:1].islower()
                    and COLLECTIVE_START.match(text)
                ):
                    items.append(Item(a, b, text, None))  # "Sở X, đơn vị thuộc Bộ Y"
                else:
                    prev.end = b
                    prev.text = s[prev.start : b]
                    prev.known = None
        elif not items and strict:
            return None
        # an apposition ends this item; skip to the next hard separator
        if p_end < n and s[p_end].isspace() and _APPOSITION.match(s, p_end):  # (it opens with spaces)
            nxt = s.find(";", p_end)
            pos = nxt + 1 if nxt >= 0 else n
            continue
        pos = max(p_end, pos + 1)
    items = [i for i in items if i.text.strip()]
    if strict and not items:
        return None
    # (a list with no "các" names no units, one with no "Bộ" no ministry)
    if "các" in s:
        items = _named_units(s, items)
    return _distribute_units(s, items) if len(items) > 1 and "Bộ" in s else items


#: "Ủy ban nhân dân các xã: A, B": the bodies of named units, one per name
_NAMED_UNITS = compile_pattern(
    r"(?P<body>(?:Văn\s+phòng\s+)?(?:UBND|[ỦủUu][yỷ]\s+ban\s+nhân\s+dân))\s+các\s+"
    r"(?P<unit>xã|phường|huyện|thị\s+xã|thành\s+phố|thị\s+trấn|quận)\s*:\s*"
)
_UNIT_NAME = compile_pattern(r"[A-ZĐÀ-Ỹ][^\s,;]*(?:\s+[A-ZĐÀ-Ỹ0-9][^\s,;]*)*")


def _named_units(s: str, items: list[Item]) -> list[Item]:
    """ "UBND các phường: Hải Bình, Đào Duy Từ" names two bodies, "UBND phường
    Hải Bình" and "UBND phường Đào Duy Từ" (each spanning its own name)."""
    out = []
    for it in items:
        # (the pattern holds "các": an item without it is not tried)
        m = _NAMED_UNITS.match(s, it.start, it.end) if s.find("các", it.start, it.end) >= 0 else None
        if not m:
            out.append(it)
            continue
        body, unit = re.sub(r"\s+", " ", m.group("body")), re.sub(r"\s+", " ", m.group("unit"))
        names = list(_UNIT_NAME.finditer(s, m.end(), it.end))
        if not names:
            out.append(it)
            continue
        for k, n in enumerate(names):
            out.append(Item(it.start if k == 0 else n.start(), n.end(), f"{body} {unit} {n.group()}", None))
    return out


#: a piece of a list that is a level only ("cấp xã"), and the level a name ends with
_LEVEL_ONLY = compile_pattern(r"cấp\s+(?:tỉnh|huyện|xã|thành\s+phố|cơ\s+sở|trung\s+ương)")
_LEVEL_AFTER = compile_pattern(r"\s+cấp\s+(?:tỉnh|huyện|xã|thành\s+phố|cơ\s+sở|trung\s+ương)$")


_UNITS_OF_MINISTRY = compile_pattern(r"(?i)((?:các\s+)?đơn\s+vị\s+thuộc\s+)Bộ\s")
_AND = compile_pattern(r"\s+và\s+")


def _distribute_units(s: str, items: list[Item]) -> list[Item]:
    """ "các đơn vị thuộc Bộ A và Bộ B" names units of both ministries: the
    second item is read as "các đơn vị thuộc Bộ B"."""
    for prev, it in zip(items, items[1:]):
        m = _UNITS_OF_MINISTRY.match(prev.text)
        if m and it.text.startswith("Bộ ") and _AND.fullmatch(s, prev.end, it.start):
            it.text = m.group(1) + it.text
            it.known = None
    return items


@lru_cache(maxsize=8192)
def is_catch_all(name: str) -> bool:
    """Generic nouns plus "(có) liên quan" that name no identifiable body:
    "các cơ quan, đơn vị liên quan", "các đơn vị", "các cơ quan, đơn vị, địa phương"."""
    n = _fold(name)
    n = re.sub(r"^các\s+", "", n)
    n = _QUALIFIERS.sub("", n)
    parts = [p.strip() for p in re.split(r",|\svà\s|;", n)]
    parts = [re.sub(r"^các\s+", "", p) for p in parts]
    parts = [_QUALIFIERS.sub("", p).strip() for p in parts]
    return all(p in _GENERIC for p in parts)
