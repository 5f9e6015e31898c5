"""The names of bodies (tên cơ quan) as one document writes them: the province
after "tỉnh" dropped, abbreviations expanded only when the text spells the
name out, collectives grouped so that their variants merge. Part of
:mod:`extractors.agencies`, which re-exports what it uses."""

from __future__ import annotations

import re
from functools import lru_cache

from .agency_known import (
    KnownAgency,
    _province_patterns,
    match_known,
)
from .agency_lists import (
    _LEADING,
    _QUALIFIERS,
    _UNITS_DISTRICT,
    _fold,
    _key,
)
from .patterncache import compile_pattern
from .vocabulary import load_data, province_in

# -- names -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _kinds() -> dict:
    """Company words and office holders (``data/agency_kinds.json``)."""
    return load_data("agency_kinds.json")


@lru_cache(maxsize=1)
def _holder_before_body() -> re.Pattern:
    """An office holder before the body's name: "Bộ trưởng Bộ Nội vụ" is Bộ Nội vụ."""
    words = sorted(_kinds()["office_holders"], key=len, reverse=True)
    bodies = r"(?=(?:Bộ|Sở|Ủy ban|Uỷ ban|UBND|Ban|Văn phòng)\s)"
    return compile_pattern(r"^(?:" + "|".join(map(re.escape, words)) + r")\s+" + bodies)


@lru_cache(maxsize=8192)
def is_company(name: str) -> bool:
    """A company (doanh nghiệp), not a body: "Tập đoàn Bưu chính Viễn thông Việt
    Nam", "Công ty Điện lực Đắk Lắk".

    >>> is_company("Tập đoàn Bưu chính Viễn thông Việt Nam"), is_company("Sở Công Thương")
    (True, False)
    """
    n = re.sub(r"\s+", " ", name).strip()
    return any(p.match(n) for p in _company_words())


@lru_cache(maxsize=1)
def _company_words() -> tuple[re.Pattern, ...]:
    """The words a company's name opens with ("Tập đoàn", "Công ty"), each as
    a pattern (compiled once: one by one through ``re.match`` they crowded
    the regex cache out)."""
    return tuple(compile_pattern(re.escape(w) + r"(?!\w)", re.I) for w in _kinds()["companies"])


@lru_cache(maxsize=8192)
def _clean_name(raw: str) -> str:
    s = re.sub(r"\s+", " ", raw).strip()
    s = _LEADING.sub("", s)
    s = _holder_before_body().sub("", s)
    s = re.sub(r"[\s.,;:…]+$", "", s)
    return re.sub(r"\s+chủ\s+trì.*$", "", s)


#: "Ủy ban nhân dân" spelt out, as a text may write it
_UBND_SPELLED = ("Ủy ban nhân dân", "Ủy ban Nhân dân", "Uỷ ban nhân dân", "Uỷ ban Nhân dân", "ủy ban nhân dân")


_PROVINCE_LEVEL = compile_pattern(r"\s+cấp\s+tỉnh$")


class _Namer:
    """Normalises the names of one document (see the module docstring)."""

    def __init__(self, text: str):
        self.spells_ubnd = any(w in text for w in _UBND_SPELLED)
        self._tinh_province, self._end_province = _province_patterns()

    def clean(self, raw: str) -> str:
        """Whitespace collapsed, request words and trailing punctuation dropped."""
        return _clean_name(raw)

    def drop_province(self, s: str) -> str:
        """ "Công an tỉnh Cao Bằng" → "Công an tỉnh"."""
        return self._tinh_province.sub("tỉnh", s)

    def expand_ubnd(self, s: str) -> str:
        return expand_ubnd(s) if self.spells_ubnd else s

    def known_form(self, raw: str, ag: KnownAgency) -> str:
        """The written form of a known body, province dropped and "tỉnh" added
        where the full name has it."""
        return _known_form(raw, ag.name.endswith(" tỉnh"))

    def specific(self, raw: str) -> str:
        """A named body's name: "Ban Chỉ huy Phòng thủ dân sự cấp tỉnh" is the
        province's own "Ban Chỉ huy Phòng thủ dân sự tỉnh"."""
        return self.expand_ubnd(_specific(raw))

    def collective(self, raw: str) -> str:
        return _collective(raw)


# the names of one document's bodies recur: each form is worked out once


@lru_cache(maxsize=8192)
def _collective(raw: str) -> str:
    """A collective's name: cleaned, the province after "tỉnh" dropped."""
    return _province_patterns()[0].sub("tỉnh", _clean_name(raw))


@lru_cache(maxsize=8192)
def _known_form(raw: str, with_tinh: bool) -> str:
    """:meth:`_Namer.known_form` of a body whose full name ends with "tỉnh"
    (``with_tinh``) or not."""
    s = _collective(raw)
    s = _province_patterns()[1].sub("", s) if not s.endswith(" tỉnh") else s
    if with_tinh and not s.endswith(" tỉnh"):
        s += " tỉnh"
    return s


@lru_cache(maxsize=8192)
def _specific(raw: str) -> str:
    """:meth:`_Namer.specific` before "UBND" is written out."""
    return _PROVINCE_LEVEL.sub(" tỉnh", _collective(raw))


#: the district-level units, each as a word
_DISTRICT_WORDS = tuple(compile_pattern(r"(?<![\w])" + u + r"(?![\w])") for u in _UNITS_DISTRICT)


@lru_cache(maxsize=8192)
def _collective_key(name: str) -> tuple:
    """Which group a collective names, so that its variants merge: "UBND các
    huyện, thị xã, thành phố" = "Ủy ban nhân dân huyện, thành phố" = "UBND cấp
    huyện"; "các sở, ban, ngành" = "Các Sở, ban ngành" = "các sở, ngành liên quan"."""
    s = _fold(name)
    s = re.sub(r"(?<![\w])ubnd(?![\w])", "ủy ban nhân dân", s)
    s = re.sub(r"^các\s+", "", s)
    if s.startswith("cơ quan") and re.search(r"báo chí|thông tấn", s):
        return ("press",)
    m = re.match(r"(văn phòng\s+)?ủy ban nhân dân\s+(.*)$", s)
    if m:
        rest = m.group(2)
        level = (
            "district" if any(p.search(rest) for p in _DISTRICT_WORDS) and not re.search(r"cấp xã", rest) else "commune"
        )
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


#: a leading office holder: "Bộ trưởng Bộ TTTT" is issued by the Bộ
_HOLDER = compile_pattern(r"^(?:Bộ trưởng|Thủ trưởng|Chủ tịch|Giám đốc|Trưởng ban|Bí thư)\s+(?=\S)", re.I)
_NATIONAL_START = compile_pattern(
    r"^(?:Bộ\s|Chính phủ|Thủ tướng|Quốc hội|Ủy ban Thường vụ Quốc hội|Ban Chấp hành Trung ương|Cục\s|"
    r"Tổng cục|Văn phòng Chính phủ|Văn phòng Trung ương|Ban Bí thư|Tòa án nhân dân tối cao|"
    r"Viện kiểm sát nhân dân tối cao|Kiểm toán nhà nước)",
    re.I,
)


_UBND = compile_pattern(r"(?<!\w)UBND(?!\w)")
_HDND = compile_pattern(r"(?<!\w)HĐND(?!\w)")


def expand_ubnd(s: str) -> str:
    """UBND written out (Ủy ban nhân dân).

    >>> expand_ubnd("UBND tỉnh")
    'Ủy ban nhân dân tỉnh'
    """
    return _UBND.sub("Ủy ban nhân dân", s)


def expand_hdnd(s: str) -> str:
    """HĐND written out (Hội đồng nhân dân).

    >>> expand_hdnd("Thường trực HĐND tỉnh")
    'Thường trực Hội đồng nhân dân tỉnh'
    """
    return _HDND.sub("Hội đồng nhân dân", s)


@lru_cache(maxsize=256)
def _province_at_end(province: str) -> re.Pattern:
    """ "(tỉnh|thành phố) <province>" closing a name (one pattern per province)."""
    return compile_pattern(r"\s+(?:tỉnh|thành phố)?\s*" + re.escape(province) + r"$", re.I)


@lru_cache(maxsize=65536)
def canonical_agency(raw: str) -> tuple[str, str, str | None]:
    """The canonical name of a body however a text writes it (chuẩn hóa tên cơ
    quan), its scope (``"province"`` or ``"national"``) and the province its
    own name gives, if any: a known body's official name, else the name with
    its office holder, a trailing province and the abbreviations UBND/HĐND
    resolved.

    >>> canonical_agency("Sở TT&TT")
    ('Sở Thông tin và Truyền thông', 'province', None)
    >>> canonical_agency("Bộ trưởng Bộ TTTT")
    ('Bộ Thông tin và Truyền thông', 'national', None)
    >>> canonical_agency("Hội Nhà báo tỉnh Lào Cai")
    ('Hội Nhà báo tỉnh', 'province', 'Lào Cai')
    """
    text = re.sub(r"\s+", " ", raw).strip().strip(",;.:")
    text = _HOLDER.sub("", text)
    hit = match_known(text, 0) if text else None
    if hit:
        known, end = hit
        name, scope = known.name, known.scope
        own = province_in(text[:end]) if scope == "province" else None
    else:
        own = province_in(text)
        name = text
        if own:  # "Báo Lào Cai" keeps its name; "Hội Nhà báo tỉnh Lào Cai" loses the province
            stripped = _province_at_end(own).sub("", name)
            name = stripped if len(stripped) >= 4 else name
        scope = "national" if _NATIONAL_START.match(name) or "Trung ương" in name else "province"
        name = expand_hdnd(expand_ubnd(name))
        if name[:1].islower():
            name = name[:1].upper() + name[1:]
    return name, scope, own
