"""Agency normalisation (chuẩn hóa cơ quan): every spelling of a body becomes
one name, scoped to its province when it is a local body and national when
it is a central one. The list of known bodies is the extractor's
``extractors/data/agencies.jsonl``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..extractors.agencies import known_agencies, match_known
from ..extractors.vocabulary import fold, province_in
from .ids import agency_id

#: a leading office holder: "Bộ trưởng Bộ TTTT" is issued by the Bộ
_HOLDER = re.compile(r"^(?:Bộ trưởng|Thủ trưởng|Chủ tịch|Giám đốc|Trưởng ban|Bí thư)\s+(?=\S)", re.I)
_NATIONAL_START = re.compile(
    r"^(?:Bộ\s|Chính phủ|Thủ tướng|Quốc hội|Ủy ban Thường vụ Quốc hội|Ban Chấp hành Trung ương|Cục\s|"
    r"Tổng cục|Văn phòng Chính phủ|Văn phòng Trung ương|Ban Bí thư|Tòa án nhân dân tối cao|"
    r"Viện kiểm sát nhân dân tối cao|Kiểm toán nhà nước)",
    re.I,
)


@lru_cache(maxsize=1)
def known_aliases() -> dict[str, tuple[str, ...]]:
    """Name → aliases of every known body."""
    return {a.name: a.aliases for a in known_agencies()}


@lru_cache(maxsize=65536)
def normalize_agency(raw: str, province: str | None = None) -> dict:
    """One body's canonical name, scope, province and node id.

    ``province`` is the province of the text that names the body: a local
    body without a province of its own belongs to it.

    >>> a = normalize_agency("Sở TT&TT", "Yên Bái")
    >>> a["name"], a["scope"], a["province"], a["id"]
    ('Sở Thông tin và Truyền thông', 'province', 'Yên Bái', 'agency:yen-bai:so-thong-tin-va-truyen-thong')
    >>> normalize_agency("UBND tỉnh Quảng Trị", "Yên Bái")["id"]
    'agency:quang-tri:uy-ban-nhan-dan-tinh'
    >>> normalize_agency("UBND các huyện, thành phố", "Cao Bằng")["name"]
    'Ủy ban nhân dân các huyện, thành phố'
    >>> b = normalize_agency("Bộ trưởng Bộ TTTT", "Yên Bái")
    >>> b["name"], b["scope"], b["province"]
    ('Bộ Thông tin và Truyền thông', 'national', None)
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
            stripped = re.sub(r"\s+(?:tỉnh|thành phố)?\s*" + re.escape(own) + r"$", "", name, flags=re.I)
            name = stripped if len(stripped) >= 4 else name
        scope = "national" if _NATIONAL_START.match(name) or re.search(r"Trung ương", name) else "province"
        name = re.sub(r"(?<!\w)UBND(?!\w)", "Ủy ban nhân dân", name)
        name = re.sub(r"(?<!\w)HĐND(?!\w)", "Hội đồng nhân dân", name)
        if name[:1].islower():
            name = name[:1].upper() + name[1:]
    prov = (own or province) if scope == "province" else None
    return {
        "id": agency_id(name, prov),
        "name": name,
        "scope": scope,
        "province": prov,
        "alias": raw.strip() if fold(raw) != fold(name) else None,
    }
