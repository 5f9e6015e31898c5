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
  (the body supports; Z gets no role, as the text does not say who leads);
* an appendix table with ``Đơn vị chủ trì`` / ``Đơn vị phối hợp`` columns.

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

import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .models import AgencyMention, Section
from .outline import APPENDIX

_DATA = Path(__file__).parent / "data"

ROLES = ("lead", "support")

# -- small vocabularies ------------------------------------------------------

#: words that open a body's name (capitalised, case-sensitive)
_HEAD_WORDS = (
    "Sở", "Bộ", "Văn phòng", "Công an", "Báo", "Đài", "Tạp chí", "Hội", "Liên hiệp",
    "Liên đoàn", "Trung tâm", "Bưu điện", "Cục", "Chi cục", "Vụ", "Tỉnh ủy", "Tỉnh uỷ",
    "Tỉnh đoàn", "Tỉnh Đoàn", "Huyện ủy", "Thành ủy", "Mặt trận", "Hội đồng", "Kho bạc",
    "Ngân hàng", "Viện", "Trường", "Bảo hiểm", "Thanh tra", "Chi nhánh", "Đoàn", "Cổng",
    "Tổng cục", "Đảng ủy", "Chính phủ", "Thủ tướng", "Quốc hội", "Tòa án", "Toà án",
    "Học viện", "Đại học", "Nhà xuất bản", "Thông tấn xã", "Công ty", "Tổng công ty",
    "Hiệp hội", "Quỹ", "Cảng vụ", "Đồn", "Bệnh viện", "Ủy ban", "Uỷ ban", "Ban", "Phòng",
)

#: a piece that opens a new list item: a body's name, a collective ("các ...")
#: or an all-capitals abbreviation (UBND, BCH, VP ...)
HEAD = re.compile(
    r"""(?:
        [Cc]ác\s
      | (?:UBND|HĐND|[Ủủ]y\ ban\ nhân\ dân|[Uu]ỷ\ ban\ nhân\ dân)\b
      | (?:Ban|Phòng)\s+(?=[A-ZĐÀ-ỸĂÂÊÔƠƯ])          # Ban Tuyên giáo, not "Ban ngành"
      | (?:""" + "|".join(re.escape(w) for w in _HEAD_WORDS if w not in ("Ban", "Phòng")) + r""")(?![\w])
      | Đơn\ vị\ thuộc\b
      | [A-ZĐ][A-ZĐ&]{1,}(?![\w])                       # BCH, VP, STTTT
    )""",
    re.VERBOSE,
)

#: a lower-case generic noun that may open a collective list ("sở, ngành, địa phương")
COLLECTIVE_START = re.compile(
    r"(?:các|sở|ban|ngành|đoàn\ thể|cơ\ quan|đơn\ vị|địa\ phương|phòng|tổ\ chức|ủy\ ban|uỷ\ ban)\b",
    re.VERBOSE,
)

#: verbs and prepositions that end an inline list of bodies ("... phối hợp với
#: Sở Ngoại vụ tổ chức đón các đoàn"); lower case only, so that names such as
#: "Ban Quản lý các Khu kinh tế" are not cut
VERB_STOP = re.compile(
    r"""(?<![\w])(?:
        triển\ khai|thực\ hiện|tổ\ chức|tham\ mưu|xây\ dựng|chọn\ lọc|cung\ cấp|hướng\ dẫn
      | rà\ soát|quản\ lý|thanh\ tra|kiểm\ tra|kiểm\ soát|tăng\ cường|khảo\ sát|theo\ dõi
      | tuyên\ truyền|biên\ soạn|biên\ dịch|biên\ tập|phát\ hành|phát\ sóng|đẩy\ mạnh
      | nghiên\ cứu|chỉ\ đạo|định\ hướng|giúp|để|nhằm|trong|theo|tại|khi|kịp\ thời
      | đấu\ tranh|phản\ bác|xử\ lý|đánh\ giá|giám\ sát|báo\ cáo|hỗ\ trợ|vận\ hành
      | sản\ xuất|tập\ huấn|tổng\ hợp|đăng\ tải|quảng\ bá|giới\ thiệu|trao\ đổi|hợp\ tác
      | đôn\ đốc|chuẩn\ bị|đón|thẩm\ định|bố\ trí|lập|xem\ xét|ký\ kết|duy\ trì|nâng\ cao
      | nâng\ cấp|sửa\ chữa|phổ\ biến|vận\ động|giáo\ dục|tiếp\ nhận|đề\ xuất|thống\ nhất
      | tiếp\ tục|chủ\ động|tích\ cực|thường\ xuyên|về|đối\ với|bảo\ đảm|đảm\ bảo
      | phát\ hiện|cập\ nhật|thu\ thập|phối\ hợp|chủ\ trì|là|được|có\ trách\ nhiệm
      | thông\ qua|xúc\ tiến|tìm\ hiểu|ứng\ dụng|khai\ thác|lồng\ ghép|chia\ sẻ|mở
      | tiến\ hành|rà\ soát|trình|ban\ hành|phê\ duyệt|đăng|phát\ lại|thẩm\ tra|kết\ nối
      | căn\ cứ|bố\ trí|cân\ đối|dự\ toán|quyết\ toán|hoàn\ thành|chịu\ trách\ nhiệm
    )(?![\w])""",
    re.VERBOSE,
)

#: words a request opens with: "Đề nghị X chủ trì", "Mời X", "Yêu cầu X phối hợp"
CUE = re.compile(r"(?<![\w])(?:đề\ nghị|yêu\ cầu|giao|mời|kính\ đề\ nghị)(?![\w])", re.IGNORECASE | re.VERBOSE)

#: adverbs between a subject and its verb ("X tiếp tục phối hợp")
_ADVERBS = re.compile(
    r"""(?:\s+(?:tiếp\ tục|chủ\ động|có\ trách\ nhiệm|tích\ cực|thường\ xuyên|cùng|sẽ
        |đồng\ thời|trực\ tiếp|chịu\ trách\ nhiệm|được\ giao))+\s*$""",
    re.VERBOSE | re.IGNORECASE,
)

#: "phối hợp" used as a noun ("chương trình phối hợp", "quy chế phối hợp")
_NOUN_BEFORE = re.compile(
    r"""(?:chương\ trình|cơ\ chế|quy\ chế|kế\ hoạch|sự|việc|mối|công\ tác|hoạt\ động
        |nội\ dung|đầu\ mối|phối\ kết|văn\ bản)\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
#: "chủ trì" used as a noun or passive ("đơn vị chủ trì", "được giao chủ trì")
_NOT_ACTIVE_LEAD = re.compile(r"(?:được\s+giao|được\s+phân\s+công|giao|đơn\s+vị|cơ\s+quan|vai\s+trò)\s*$", re.IGNORECASE)
_IS_LEAD = re.compile(r"\s+là\s+(?:cơ\s+quan|đơn\s+vị)\s*$", re.IGNORECASE)

#: a field naming the bodies of a task: "- Đơn vị chủ trì, thực hiện: ..."
FIELD = re.compile(
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
_RECIPIENTS = re.compile(r"^[ \t*_]*(?:Nơi nhận|Kính gửi)[ \t*_]*:", re.MULTILINE)

_GENERIC = {"cơ quan", "đơn vị", "địa phương", "tổ chức", "cá nhân", "cơ quan đơn vị", ""}
_QUALIFIERS = re.compile(
    r"""(?:\s+(?:có\ liên\ quan|liên\ quan|khác|được\ giao(?:\ nhiệm\ vụ)?|của\ tỉnh|trong\ tỉnh
        |tỉnh|địa\ phương|trên\ địa\ bàn(?:\ tỉnh)?|trung\ ương|của\ trung\ ương|thuộc\ tỉnh))+\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_UNITS_DISTRICT = ("huyện", "thị xã", "thành phố", "thành", "thị", "quận", "cấp huyện")
_UNITS_COMMUNE = ("xã", "phường", "thị trấn", "cấp xã")


@lru_cache(maxsize=8192)
def _fold(s: str) -> str:
    """Comparison form: NFC, casefolded, whitespace collapsed."""
    s = unicodedata.normalize("NFC", s).replace("\u00d0", "Đ")
    return re.sub(r"\s+", " ", s).strip().casefold()


@lru_cache(maxsize=8192)
def _key(s: str) -> str:
    """Spelling-blind key of a name: separators (``,``, ``-``, ``&``, "và"),
    "các" and a trailing "tỉnh" dropped ("Sở Văn hóa Thể thao và Du lịch" and
    "Sở Văn hóa, Thể thao và Du lịch" share a key)."""
    s = _fold(s).replace("uỷ", "ủy").replace("hoá", "hóa")
    s = re.sub(r"[,&\-–]", " ", s)
    s = re.sub(r"(?<!\w)(?:và|các)(?!\w)", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"\s+tỉnh$", "", s)


# -- known bodies (data) -----------------------------------------------------

@dataclass(frozen=True)
class KnownAgency:
    """One line of ``data/agencies.jsonl``: a body's full name, its aliases and
    its scope (``province`` or ``national``)."""

    name: str
    aliases: tuple[str, ...]
    scope: str


def _is_abbreviation(form: str) -> bool:
    """An alias written with an all-capitals abbreviation (Sở TTTT, Đài PT-TH tỉnh)."""
    return bool(re.search(r"(?<![\w])[A-ZĐ]{2,}", form))


@lru_cache(maxsize=1)
def province_names() -> tuple[str, ...]:
    """Province names and their alias spellings, longest first (``data/provinces.json``)."""
    path = _DATA / "provinces.json"
    names: set[str] = set()
    if path.exists():
        for p in json.loads(path.read_text(encoding="utf-8"))["provinces"]:
            names.add(p["name"])
            names.update(p.get("aliases", []))
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def _province_re() -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in province_names()) or r"(?!x)x"


@lru_cache(maxsize=1)
def _province_patterns() -> tuple[re.Pattern, re.Pattern]:
    """"tỉnh <province>" anywhere, and "<province>" at the end (compiled once:
    the alternation of 70 names is too long to rebuild for every name)."""
    alts = _province_re()
    return (re.compile(r"(?<![\w])tỉnh\s+(?:" + alts + r")(?![\w])"),
            re.compile(r"\s+(?:" + alts + r")$"))


@lru_cache(maxsize=1)
def known_agencies() -> tuple[KnownAgency, ...]:
    """The bodies listed in ``data/agencies.jsonl``."""
    out = []
    with open(_DATA / "agencies.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                d = json.loads(line)
                out.append(KnownAgency(d["name"], tuple(d.get("aliases", [])), d.get("scope", "province")))
    return tuple(out)


_SEP = r"(?:\s*[,&\-]\s*|\s+)(?:và\s+)?"


#: what may not follow a body's name: more of a word, or the rest of a
#: collective ("Ủy ban nhân dân các huyện")
_NAME_END = r"(?![\w])(?!\s+(?:các|cấp|huyện|quận|thị\s+xã|thành\s+phố|xã|phường)(?![\w]))"


@lru_cache(maxsize=1)
def _province_after() -> tuple[re.Pattern, re.Pattern]:
    """A province name after a provincial body's name ("Công an tỉnh Lào
    Cai"), and the end check that follows it; one regex shared by every
    name, instead of the 70-name alternation compiled into each of them."""
    return (re.compile(r"\s+(?:" + _province_re() + r")", re.IGNORECASE),
            re.compile(_NAME_END, re.IGNORECASE))


def _form_pattern(form: str, provincial: bool) -> str:
    """Regex for one spelling: words joined by any separator, "tỉnh" optional
    for long provincial names (an optional province name after it is matched
    by :func:`_province_after`)."""
    words = [w for w in re.split(r"\s*[,&\-]\s*|\s+", form) if w and w != "và"]
    has_tinh = words[-1] == "tỉnh" if words else False
    if has_tinh:
        words = words[:-1]
    pat = _SEP.join(re.escape(w) for w in words)
    if provincial:
        base = " ".join(words)
        optional = len(words) >= 3 and not re.search(r"nhân dân|UBND|HĐND", base)
        if has_tinh:
            pat += r"(?:\s+tỉnh)" + ("?" if optional else "")
    # not a prefix of a longer name or of a collective ("Ủy ban nhân dân các huyện")
    return pat + _NAME_END


@lru_cache(maxsize=1)
def _alias_patterns() -> dict[str, tuple[tuple[re.Pattern, KnownAgency, str], ...]]:
    """Every spelling of every known body as (compiled regex, body, spelling),
    longest spelling first, indexed by the spelling's first word (casefolded)
    so that a position is tried only against the names that can start there."""
    rows: dict[str, list] = {}
    for ag in known_agencies():
        for form in (ag.name, *ag.aliases):
            pat = re.compile(_form_pattern(form, ag.scope == "province"), re.IGNORECASE)
            first = re.split(r"[\s,&\-]+", form.strip())[0].casefold()
            rows.setdefault(first, []).append((pat, ag, form))
    return {k: tuple(sorted(v, key=lambda r: -len(r[2]))) for k, v in rows.items()}


@lru_cache(maxsize=1)
def _all_alias_patterns() -> tuple[tuple[re.Pattern, KnownAgency, str], ...]:
    """All spellings, longest first, whatever their first word."""
    rows = [r for group in _alias_patterns().values() for r in group]
    return tuple(sorted(rows, key=lambda r: -len(r[2])))


_FIRST_WORD = re.compile(r"[^\s,&\-]+")


def match_known(s: str, pos: int = 0) -> tuple[KnownAgency, int] | None:
    """The longest known body whose name starts at ``s[pos]`` (its first letter
    must be a capital), as (body, end)."""
    if pos >= len(s) or not s[pos].isupper():
        return None
    word = _FIRST_WORD.match(s, pos)
    candidates = _alias_patterns().get(word.group().casefold(), ()) if word else ()
    best = None
    province, name_end = _province_after()
    for pat, ag, _ in candidates:
        m = pat.match(s, pos)
        if m:
            end = m.end()
            if ag.scope == "province":
                ext = province.match(s, end)
                if ext and name_end.match(s, ext.end()):
                    end = ext.end()
            if best is None or end > best[1]:
                best = (ag, end)
    return best


# -- list parsing --------------------------------------------------------------

@dataclass
class Item:
    """One body of a list, with offsets local to the parsed string."""

    start: int
    end: int
    text: str
    known: KnownAgency | None = None


_SPLIT = re.compile(r"\s*[,;]\s*|\s+(?:và|cùng|cùng\s+với)\s+")
_SKIP = re.compile(r"(?:[\s,;.:…]|(?<!\w)(?:và|cùng|với)(?!\w))*")
_APPOSITION = re.compile(r"\s+-\s+(?=[a-zà-ỹđ]|[Cc]ơ\s+quan\b)")
_LEADING = re.compile(r"^(?:[-+•*]\s*|(?:đề\s+nghị|kính\s+đề\s+nghị|mời|giao|yêu\s+cầu)\s+)+", re.IGNORECASE)


@lru_cache(maxsize=8192)
def is_collective(name: str) -> bool:
    """A generic group ("các sở, ban, ngành", "UBND các huyện, thị xã, thành
    phố", "đơn vị thuộc Bộ ...") rather than one named body."""
    n = name.strip()
    if not n:
        return False
    if n[0].islower() or re.match(r"(?i)các\s|đơn\s+vị\s+thuộc", n):
        return True
    m = re.match(r"(?i)(?:văn\s+phòng\s+)?(?:ubnd|ủy\s+ban\s+nhân\s+dân|uỷ\s+ban\s+nhân\s+dân)\s+(.*)$", n)
    if m:
        rest = m.group(1)
        if re.match(r"(?i)(?:các|cấp)\s", rest) or re.search(r"[,]|\svà\s", rest):
            return True
        # "UBND huyện" with no proper name after it
        return bool(re.fullmatch(r"(?i)(?:huyện|quận|thị\s+xã|thành\s+phố|xã|phường|thị\s+trấn)", rest.strip()))
    return False


def parse_list(s: str, strict: bool = False, inline: bool = False) -> list[Item] | None:
    """Split a list of bodies into items.

    Parameters
    ----------
    s : the list's text (parentheses already blanked out).
    strict : every item must open like a body's name (used to tell a subject
        "Sở X, Sở Y" from an ordinary clause); returns None when it does not.
    inline : the list runs on into a clause; it stops at the first verb.

    Returns
    -------
    Items with offsets into ``s``; catch-alls are kept (see :func:`is_catch_all`).
    """
    items: list[Item] = []
    pos = 0
    n = len(s)
    stopped = False
    while pos < n and not stopped:
        m = _SKIP.match(s, pos)
        if m and m.end() > pos:
            pos = m.end()
            if pos >= n:
                break
        if s.startswith("...", pos) or s[pos] in ".…":
            break
        known = match_known(s, pos)
        ag = known[0] if known else None
        p_end = known[1] if known else pos
        rest = _next_separator(s, p_end)
        tail = s[p_end:rest]
        cut = _APPOSITION.search(tail)
        if cut:
            tail = tail[:cut.start()]
        verb = VERB_STOP.search(tail) if (inline or strict) else None
        if verb:
            tail = tail[:verb.start()]
            stopped = True
        if tail.strip():
            ag = None  # more words than the known name: read as written
        p_end += len(tail)
        piece = (pos, p_end)
        a, b = piece
        while b > a and s[b - 1] in " \t.,;:…*":
            b -= 1
        text = s[a:b]
        if a < b:
            head = bool(HEAD.match(s, a)) or ag is not None
            if not items or head:
                if not items and not head and strict and not COLLECTIVE_START.match(s, a):
                    return None
                items.append(Item(a, b, text, ag))
            else:
                prev = items[-1]
                if not is_collective(prev.text) and text[:1].islower() \
                        and COLLECTIVE_START.match(text):
                    items.append(Item(a, b, text, None))  # "Sở X, đơn vị thuộc Bộ Y"
                else:
                    prev.end = b
                    prev.text = s[prev.start:b]
                    prev.known = None
        elif not items and strict:
            return None
        # an apposition ends this item; skip to the next hard separator
        if p_end < n and _APPOSITION.match(s, p_end):
            nxt = s.find(";", p_end)
            pos = nxt + 1 if nxt >= 0 else n
            continue
        pos = max(p_end, pos + 1)
    items = [i for i in items if i.text.strip()]
    if strict and not items:
        return None
    return _distribute_units(s, items)


def _next_separator(s: str, pos: int) -> int:
    m = _SPLIT.search(s, pos)
    return m.start() if m else len(s)


def _distribute_units(s: str, items: list[Item]) -> list[Item]:
    """"các đơn vị thuộc Bộ A và Bộ B" names units of both ministries: the
    second item is read as "các đơn vị thuộc Bộ B"."""
    for prev, it in zip(items, items[1:]):
        m = re.match(r"(?i)((?:các\s+)?đơn\s+vị\s+thuộc\s+)Bộ\s", prev.text)
        if m and it.text.startswith("Bộ ") and re.fullmatch(r"\s+và\s+", s[prev.end:it.start]):
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


# -- text preparation ------------------------------------------------------------

_NOT_NEWLINE = re.compile(r"[^\n]")
_TAG = re.compile(r"<[^<>\n]*>")
_UNDERSCORES = re.compile(r"(?<!\w)_+|_+(?!\w)")
_PARENS = re.compile(r"\([^()\n]*\)")


#: a line break inside a sentence (hard-wrapped text): no closing punctuation
#: before it, the next line going on in lower case ("phối hợp với Văn" /
#: "phòng UBND tỉnh" breaks differently, so a capital may follow "với")
_WRAP = re.compile(r"(?=\n)(?<![.;:!?\n\t])\n(?=[ ]*(?!\d{1,2}(?:\.\d{1,2})*[.)]?[ \t]|[a-zđê][.)][ \t])[a-zđàáảãạâầấẩẫậăằắẳẵặèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ0-9(])")


def _spaces(m: re.Match) -> str:
    return " " * len(m.group())


def _masked(text: str, preamble_end: int) -> str:
    """A same-length copy of ``text`` for matching: the preamble, recipient
    blocks, parentheses, markup and link targets are blanked out."""
    regions = [(0, preamble_end)]
    for m in _RECIPIENTS.finditer(text, preamble_end):
        app = APPENDIX.search(text, m.end())
        if text[m.start():m.end()].strip(" *_").startswith("Kính"):
            stop = text.find("\n\n", m.end())
            stop = len(text) if stop < 0 else stop
        else:
            stop = app.start() if app else len(text)
        regions.append((m.start(), stop))
    pieces, pos = [], 0
    for a, b in sorted(regions):
        a = max(a, pos)
        if b <= a:
            continue
        pieces.append(text[pos:a])
        pieces.append(_NOT_NEWLINE.sub(" ", text[a:b]))
        pos = b
    pieces.append(text[pos:])
    s = _WRAP.sub(" ", "".join(pieces))
    if "<" in s:
        s = _TAG.sub(_spaces, s)
    s = s.replace("*", " ")
    if "_" in s:
        s = _UNDERSCORES.sub(_spaces, s)
    # parentheses, innermost first
    prev = None
    while prev != s and "(" in s:
        prev = s
        s = _PARENS.sub(_spaces, s)
    return s.replace("[", " ").replace("]", " ")


def _own_province(text: str) -> str | None:
    """The plan's own province: the one most often written after "tỉnh"."""
    counts: Counter[str] = Counter()
    for p in province_names():
        n = len(re.findall(r"(?<![\w])tỉnh\s+" + re.escape(p).replace(r"\ ", r"\s+") + r"(?![\w])", text))
        if n:
            counts[p] = n
    return counts.most_common(1)[0][0] if counts else None


# -- names -----------------------------------------------------------------------

@lru_cache(maxsize=8192)
def _clean_name(raw: str) -> str:
    s = re.sub(r"\s+", " ", raw).strip()
    s = _LEADING.sub("", s)
    s = re.sub(r"[\s.,;:…]+$", "", s)
    return re.sub(r"\s+chủ\s+trì.*$", "", s)


class _Namer:
    """Normalises the names of one document (see the module docstring)."""

    def __init__(self, text: str):
        self.spells_ubnd = bool(re.search(r"Ủy ban [Nn]hân dân|Uỷ ban [Nn]hân dân|ủy ban nhân dân", text))
        self.text = text
        self.provinces = _province_re()
        self._tinh_province, self._end_province = _province_patterns()

    def clean(self, raw: str) -> str:
        """Whitespace collapsed, request words and trailing punctuation dropped."""
        return _clean_name(raw)

    def drop_province(self, s: str) -> str:
        """"Công an tỉnh Cao Bằng" → "Công an tỉnh"."""
        return self._tinh_province.sub("tỉnh", s)

    def expand_ubnd(self, s: str) -> str:
        if self.spells_ubnd:
            s = re.sub(r"(?<![\w])UBND(?![\w])", "Ủy ban nhân dân", s)
        return s

    def known_form(self, raw: str, ag: KnownAgency) -> str:
        """The written form of a known body, province dropped and "tỉnh" added
        where the full name has it."""
        s = self.drop_province(self.clean(raw))
        s = self._end_province.sub("", s) if not s.endswith(" tỉnh") else s
        if ag.name.endswith(" tỉnh") and not s.endswith(" tỉnh"):
            s += " tỉnh"
        return s

    def specific(self, raw: str) -> str:
        s = self.drop_province(self.clean(raw))
        return self.expand_ubnd(s)

    def collective(self, raw: str) -> str:
        return self.drop_province(self.clean(raw))


@lru_cache(maxsize=8192)
def _collective_key(name: str) -> tuple:
    """Which group a collective names, so that its variants merge: "UBND các
    huyện, thị xã, thành phố" = "Ủy ban nhân dân huyện, thành phố" = "UBND cấp
    huyện"; "các sở, ban, ngành" = "Các Sở, ban ngành" = "các sở, ngành liên quan"."""
    s = _fold(name).replace("uỷ", "ủy")
    s = re.sub(r"(?<![\w])ubnd(?![\w])", "ủy ban nhân dân", s)
    s = re.sub(r"^các\s+", "", s)
    if s.startswith("cơ quan") and re.search(r"báo chí|thông tấn", s):
        return ("press",)
    m = re.match(r"(văn phòng\s+)?ủy ban nhân dân\s+(.*)$", s)
    if m:
        rest = m.group(2)
        level = "district" if any(re.search(r"(?<![\w])" + u + r"(?![\w])", rest) for u in _UNITS_DISTRICT) \
            and not re.search(r"cấp xã", rest) else "commune"
        return ("ubnd", bool(m.group(1)), level)
    m = re.match(r"(?:các\s+)?đơn vị thuộc\s+(.*)$", s)
    if m:
        return ("units-of", _key(m.group(1)))
    parts = [p.strip() for p in re.split(r",|\svà\s", s) if p.strip()]
    if parts:
        last = _QUALIFIERS.sub("", parts[-1]).strip()
        parts[-1] = last or parts[-1]
    members: set[str] = set()
    for p in parts:
        p = re.sub(r"^các\s+", "", p)
        members.update(p.split() if p == "ban ngành" else [p])
    if {"sở", "ngành"} <= members:
        members.discard("ban")
    return ("set", frozenset(members))


# -- the extractor ---------------------------------------------------------------

@dataclass
class _Raw:
    """A mention before its name is settled for the document."""

    role: str
    start: int
    end: int
    written: str
    known: KnownAgency | None
    pos: int  # offset of the statement (for its task)


_GIUA = re.compile(r"\s+giữa(?![\w])")
#: the words between "phối hợp" and the partners it names
_PARTNER_LEAD = re.compile(r"(?:\s*,)?\s*(?:chặt\s+chẽ\s+)?(?:với\s+)?(?:phối\s+hợp\s+)?(?:với\s+)?")
#: where an inline list of partners ends
_LIST_END = re.compile(r"[;:\n\t]|\.(?=[ \n]|$)")


class _Extractor:
    def __init__(self, text: str, sections: list[Section], preamble_end: int):
        self.text = text
        self.sections = sorted(sections, key=lambda s: (s.start, s.level))
        self.work = _masked(text, preamble_end)
        self.preamble_end = preamble_end
        self.raws: list[_Raw] = []
        self.blocked: list[tuple[int, int]] = []  # field labels and tables
        self._heading_cache: dict[str, list[tuple[int, int, str, KnownAgency | None]] | None] = {}
        self.line_subjects: dict[int, list[tuple[int, int, str, KnownAgency | None]]] = {}

    # .. helpers
    def _emit(self, role: str, items: Iterable[tuple[int, int, str, KnownAgency | None]], pos: int) -> None:
        for a, b, written, known in items:
            if is_catch_all(written):
                continue
            self.raws.append(_Raw(role, a, b, written, known, pos))

    def _items(self, a: int, b: int, strict=False, inline=False):
        """Parse ``work[a:b]``; items as (start, end, text, known) in ``text`` offsets."""
        got = parse_list(self.work[a:b], strict=strict, inline=inline)
        if got is None:
            return None
        return [(a + i.start, a + i.end, i.text, i.known) for i in got]

    def _blocked(self, p: int) -> bool:
        return any(a <= p < b for a, b in self.blocked)

    def _containing(self, p: int) -> list[Section]:
        """Sections holding ``p``, innermost first."""
        hold = [s for s in self.sections if s.start <= p < s.end]
        return sorted(hold, key=lambda s: (-s.level, -s.start))

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
        line_end = self.text.find("\n", sec.start)
        line_end = len(self.text) if line_end < 0 else line_end
        line = self.work[sec.start:line_end]
        m = re.match(r"^[ \t]*(?:[IVX]+\.|\d+(?:\.\d+)*\.?|[a-zđê]\))[ \t]+", line)
        if not m:
            return None
        a = sec.start + m.end()
        c = CUE.match(self.work, a)
        if c and c.start() == a:
            a = c.end()
        seg = self.work[a:line_end]
        ap = _APPOSITION.search(seg)
        b = a + ap.start() if ap else line_end
        seg = self.work[a:b].rstrip(" :.")
        if not seg.strip() or not HEAD.match(seg.lstrip()):
            return None
        if seg.isupper() and len(seg.split()) > 1 and match_known(self.work, a + len(seg) - len(seg.lstrip())) is None:
            return None  # a part's title in capitals ("KINH PHÍ THỰC HIỆN"), not a body
        items = self._items(a, a + len(seg), strict=True, inline=True)
        if not items:
            return None
        # the whole title must be consumed by the bodies
        if self.work[items[-1][1]:a + len(seg)].strip(" .,;:"):
            return None
        return items

    def _line_start(self, p: int) -> int:
        return self.work.rfind("\n", 0, p) + 1

    def _clause_start(self, p: int) -> int:
        """Start of the clause ending at ``p`` (after . ; : newline or tab)."""
        return self._boundary_before(p, ";:\n\t")

    def _sentence_start(self, p: int) -> int:
        return self._boundary_before(p, "\n\t")

    def _boundary_before(self, p: int, stops: str) -> int:
        """Just after the last of ``stops``, or of a sentence-ending full stop, before ``p``."""
        i = p - 1
        while i >= 0:
            ch = self.work[i]
            if ch in stops or (ch == "." and i + 1 < len(self.work) and self.work[i + 1] in " \n"):
                return i + 1
            i -= 1
        return 0

    def _subject(self, p: int):
        """The explicit subject of a verb at ``p``: the bodies between the
        clause start (or a request word, "đề nghị", "yêu cầu") and the verb;
        None when the clause has no body before the verb."""
        cs = self._clause_start(p)
        seg = self.work[cs:p]
        m = re.match(r"^\s*(?:[-+•]|[a-zđê]\)|\d+(?:\.\d+)*\.)?\s*", seg)
        a = cs + m.end()
        seg = self.work[a:p]
        dv = re.match(r"(?i)đối\s+với\s+(.+?),", seg)
        if dv:
            items = self._items(a + dv.start(1), a + dv.end(1), strict=True, inline=True)
            if items:
                return items
        cues = list(CUE.finditer(seg))
        if cues:
            a = a + cues[-1].end()
            seg = self.work[a:p]
        adv = _ADVERBS.search(seg)
        b = a + adv.start() if adv else p
        if not self.work[a:b].strip():
            return None
        items = self._items(a, b, strict=True, inline=True)
        if items and not self.work[items[-1][1]:b].strip(" ,;"):
            return items
        # "Trên cơ sở đó, Sở X chủ trì": the bodies after the last comma(s)
        for c in re.finditer(r",\s*", self.work[a:b]):
            a2 = a + c.end()
            if not HEAD.match(self.work, a2):
                continue
            items = self._items(a2, b, strict=True, inline=True)
            if items and not self.work[items[-1][1]:b].strip(" ,;"):
                return items
        return None

    def _implicit(self, p: int):
        """Who does a verb without subject: the subject named earlier in the
        same item, else the body of the heading above."""
        ls = self._line_start(p)
        if ls in self.line_subjects:
            return self.line_subjects[ls]
        return self._heading_bodies(p)

    # .. the cues
    def fields(self) -> None:
        for m in FIELD.finditer(self.work):
            self.blocked.append((m.start("label"), m.start("list")))
            kinds = (m.group("kinds") or m.group("bare") or "").lower()
            if "phối hợp" in kinds:
                role = "support"
            elif "chủ trì" in kinds or "tham mưu" in kinds:
                role = "lead"
            else:
                continue  # "Đơn vị thực hiện": a role only through inline cues
            a, b = m.start("list"), m.end("list")
            # "Đề nghị X chủ trì ..." inside a lead field: the inline scan handles it
            items = self._items(a, b)
            if items:
                # the lead field "Thông tin và Truyền thông" with "Sở" missing
                self._emit(role, [self._fix_missing_so(it) for it in items], m.start())
            self.blocked.append((a, b))

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
        lines = []
        pos = 0
        for line in self.work.split("\n"):
            lines.append((pos, line))
            pos += len(line) + 1
        i = 0
        while i < len(lines):
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
                if re.fullmatch(r"\s*\d{1,2}(?:\.\d{1,2}){0,2}\.?\s*", cells2[0]):
                    rows.append((s2, {}))
                if rows:
                    for k, (ca, cb) in enumerate(offs):
                        if k in cols and self.work[ca:cb].strip():
                            rows[-1][1].setdefault(k, []).append((ca, cb))
                j += 1
            self.blocked.append((t_start, lines[j - 1][0] + len(lines[j - 1][1]) if j - 1 < len(lines) else len(self.work)))
            for row_start, cellmap in rows:
                for k, segs in cellmap.items():
                    self._emit(cols[k], [self._fix_missing_so(it) for it in self._cell_items(segs)], row_start)
            i = j

    def _cell_items(self, segs: list[tuple[int, int]]):
        """Items of a table cell that may run over several lines: parsed on the
        joined text, each span clipped to the piece of the cell it starts in."""
        joined = ""
        starts = []
        for a, b in segs:
            if joined:
                joined += " "
            starts.append((len(joined), a, b))
            joined += self.work[a:b]
        # "Đề nghị X chủ trì triển khai": the body only
        cut = re.search(r"\s+chủ\s+trì\b", joined)
        if cut:
            joined = joined[:cut.start()]
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
        """"X chủ trì, phối hợp với Y", "Đề nghị X chủ trì", "Yêu cầu X phối
        hợp", and verbs with no subject under a body's heading."""
        cues = []
        for m in re.finditer(r"(?<![\w])(chủ\s+trì|phối\s+hợp)(?![\w])", self.work, re.IGNORECASE):
            if self._blocked(m.start()):
                continue
            cues.append(m)
        leads_at: list[int] = []
        for m in cues:
            p = m.start()
            kind = "lead" if m.group(1).lower().startswith("chủ") else "support"
            before = self.work[self._clause_start(p):p]
            if kind == "lead":
                if _NOT_ACTIVE_LEAD.search(before) and not _IS_LEAD.search(before):
                    continue
                leads_at.append(p)
                is_lead = _IS_LEAD.search(before)
                self._emit_subject("lead", p, p - len(is_lead.group()) if is_lead else p)
                continue
            # phối hợp
            if _NOUN_BEFORE.search(before) or _GIUA.match(self.work, m.end()):
                continue
            ss = self._sentence_start(p)
            if any(ss <= q < p for q in leads_at):
                a = m.end()
                a = _PARTNER_LEAD.match(self.work, a).end()
                stop = _LIST_END.search(self.work, a)
                b = stop.start() if stop else len(self.work)
                items = self._items(a, b, inline=True) or []
                self._emit("support", items, p)
                continue
            self._emit_subject("support", p, p)

    def _emit_subject(self, role: str, p: int, verb: int) -> None:
        """The bodies a verb at ``p`` (its subject read back from ``verb``)
        gives ``role`` to: the explicit subject, remembered for its line, or
        the implicit one of the heading above."""
        subj = self._subject(verb)
        if subj is not None:
            self.line_subjects.setdefault(self._line_start(p), subj)
        else:
            subj = self._implicit(p)
        if subj:
            self._emit(role, subj, p)

    # .. names
    def mentions(self) -> list[AgencyMention]:
        namer = _Namer(self.text)
        # known bodies: one spelling per document
        forms: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for r in self.raws:
            if r.known:
                forms[r.known.name].append((r.start, namer.known_form(r.written, r.known)))
        chosen: dict[str, str] = {}
        for name, fl in forms.items():
            full = [(p, f) for p, f in fl if not _is_abbreviation(f)]
            if not full:
                # spelled out elsewhere in the text?
                for pat, ag, form in _all_alias_patterns():
                    if ag.name == name and not _is_abbreviation(form):
                        m = pat.search(self.work, self.preamble_end)
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
            first = {}
            for p, f in sorted(full):
                first.setdefault(_fold(f), f)
            best = max(cnt, key=lambda k: (cnt[k], -min(p for p, f in full if _fold(f) == k)))
            chosen[name] = first[best]
        # collectives: most frequent variant; others: most frequent spelling
        groups: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
        names: list[str] = []
        for r in self.raws:
            if r.known:
                names.append(chosen[r.known.name])
                continue
            if is_collective(namer.clean(r.written)):
                n = namer.collective(r.written)
                groups[("c",) + _collective_key(n)].append((r.start, n))
            else:
                n = namer.specific(r.written)
                groups[("s", _key(n))].append((r.start, n))
            names.append(None)
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
        out = []
        index_sections = self.sections
        for r, n in zip(self.raws, names):
            if n is None:
                cn = namer.clean(r.written)
                if is_collective(cn):
                    n = rep[("c",) + _collective_key(namer.collective(r.written))]
                else:
                    n = rep[("s", _key(namer.specific(r.written)))]
            hold = [s for s in index_sections if s.start <= r.pos < s.end]
            sec = max(hold, key=lambda s: (s.level, s.start)) if hold else None
            out.append(AgencyMention(
                name=n, role=r.role, task=sec.id if sec else None,
                start=r.start, end=r.end, text=self.text[r.start:r.end],
                task_title=sec.title if sec else None,
            ))
        uniq = {(m.start, m.end, m.role, m.name, m.task): m for m in out}
        return sorted(uniq.values(), key=lambda m: (m.start, m.role, m.name, m.task or ""))


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
    ex = _Extractor(text, sections, preamble_end)
    ex.fields()
    ex.tables()
    ex.inline()
    return ex.mentions()
