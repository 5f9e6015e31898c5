"""Agency nodes (nút cơ quan): every spelling of a body becomes one node,
scoped to its province when it is a local body and national when it is a
central one. The canonical name itself comes from the one normaliser of the
vocabulary layer, :func:`extractors.agency_names.canonical_agency`; this
module adds the province of the text and the node id.
"""

from __future__ import annotations

from functools import lru_cache

from ..extractors.agencies import known_agencies
from ..extractors.agency_names import canonical_agency
from ..extractors.vocabulary import fold
from .ids import agency_id


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
    name, scope, own = canonical_agency(raw)
    prov = (own or province) if scope == "province" else None
    return {
        "id": agency_id(name, prov),
        "name": name,
        "scope": scope,
        "province": prov,
        "alias": raw.strip() if fold(raw) != fold(name) else None,
    }
