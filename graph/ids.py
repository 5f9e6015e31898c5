"""Identity (định danh): how a key, a plan, an agency or a province becomes a
node id, so that one real document gets one node however it is written.

Rules (see ``docs/schema.md``):

* keys are compared after NFC, ``Ð`` read as ``Đ``, every dash read as ``-``,
  whitespace removed and case folded (:func:`fold_key`);
* normative and party keys carry identity alone (``doc:72/2015/nđ-cp``);
  administrative and official-letter keys, whose numbers restart every year,
  carry the year (``doc:1191/qđ-ttg@2020``) and stay keyed without a year when
  the citation gives no date (reported by ``cancu check``);
* keys issued by local bodies (``UBND``, ``HĐND``, Tỉnh ủy ``TU``, the Sở
  ``STTTT`` ...) are scoped to their province: ``doc:3017/kh-ubnd@2024@phu-tho``;
* a plan without its own number is ``plan:<province>:<year>:<sha256[:12]>``.
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]")
_KEY = re.compile(r"^(?P<num>\d+[a-zA-Z]?)(?:/(?P<year>\d{4}))?[/-](?P<sym>.+)$")
#: symbol segments that name a local (provincial) issuer
LOCAL_SEGMENTS = frozenset({"UBND", "HĐND", "UB", "TU", "HU", "TƯ"})
#: symbol segments that name a central issuer even when they look local
NATIONAL_SEGMENTS = frozenset({"TW", "CP", "TTG", "QH", "UBTVQH", "VPCP", "VPTW", "BCT", "BBT"})


def clean_key(key: str) -> str:
    """The canonical spelling of a key: NFC, ``Đ`` for ``Ð``, ``-`` for every
    dash, no whitespace.

    >>> clean_key("57 – KL/TW")
    '57-KL/TW'
    """
    key = unicodedata.normalize("NFC", key).replace("\u00d0", "Đ")
    return re.sub(r"\s+", "", _DASHES.sub("-", key))


def fold_key(key: str) -> str:
    """The comparison form of a key (GOLD-SCHEMA "Comparing keys").

    >>> fold_key("72/2015/NÐ–CP") == fold_key("72/2015/nđ-cp")
    True
    """
    return clean_key(key).casefold()


def slug(text: str) -> str:
    """ASCII slug of a name.

    >>> slug("Thừa Thiên Huế"), slug("Sở Thông tin và Truyền thông")
    ('thua-thien-hue', 'so-thong-tin-va-truyen-thong')
    """
    s = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "x"


def split_key(key: str) -> dict:
    """Number, year written in the number, symbol and type code of a key.

    >>> split_key("72/2015/NĐ-CP")
    {'number': '72', 'year': 2015, 'symbol': 'NĐ-CP', 'type_code': 'NĐ'}
    >>> split_key("57-KL/TW")["type_code"], split_key("3089/BTTTT-TTĐN")["type_code"]
    ('KL', 'BTTTT')
    """
    m = _KEY.match(clean_key(key))
    if not m:
        return {"number": None, "year": None, "symbol": key, "type_code": None}
    sym = m["sym"]
    return {
        "number": m["num"],
        "year": int(m["year"]) if m["year"] else None,
        "symbol": sym,
        "type_code": re.split(r"[/-]", sym)[0],
    }


def kind_of_key(key: str) -> str:
    """The designator kind of a bare key, as the extractor would name it.

    >>> [kind_of_key(k) for k in ("72/2015/NĐ-CP", "57-KL/TW", "1191/QĐ-TTg", "3089/BTTTT-TTĐN")]
    ['normative', 'party', 'administrative', 'official_letter']
    """
    from ..extractors.regexes import type_codes

    k = clean_key(key)
    parts = split_key(k)
    if parts["year"] is not None:
        return "normative"
    if re.match(r"^\d+[a-zA-Z]?-", k):
        return "party"
    return "administrative" if parts["type_code"] in type_codes() else "official_letter"


def needs_year(kind: str) -> bool:
    """Whether a key of this kind needs its year to identify a document.

    >>> needs_year("administrative"), needs_year("party")
    (True, False)
    """
    return kind in ("administrative", "official_letter")


def is_local_key(key: str) -> bool:
    """Whether a key names a document of a local (provincial) body.

    >>> [is_local_key(k) for k in ("3017/KH-UBND", "182-CTr/TU", "1696/TTr-STTTT", "9112/UBND-GD")]
    [True, True, True, True]
    >>> [is_local_key(k) for k in ("47/NQ-CP", "57-KL/TW", "22/2016/TT-BTTTT", "36-NQ/TW")]
    [False, False, False, False]
    """
    segs = [s.upper() for s in re.split(r"[/-]", split_key(key)["symbol"]) if s]
    if any(s in NATIONAL_SEGMENTS for s in segs):
        return False
    for s in segs:
        if s in LOCAL_SEGMENTS or (len(s) > 2 and s.endswith("TU")):
            return True
        if len(s) >= 3 and s.startswith("S") and s.isupper():  # a Sở: STTTT, SNV, SVHTTDL
            return True
    return False


def document_id(key: str, kind: str | None = None, year: int | None = None, province: str | None = None) -> str:
    """The node id of a cited document.

    >>> document_id("72/2015/NĐ-CP"), document_id("1191/QĐ-TTg", year=2020)
    ('doc:72/2015/nđ-cp', 'doc:1191/qđ-ttg@2020')
    >>> document_id("3017/KH-UBND", year=2024, province="Phú Thọ")
    'doc:3017/kh-ubnd@2024@phu-tho'
    >>> document_id("3089/BTTTT-TTĐN")  # no date anywhere: keyed without a year
    'doc:3089/btttt-ttđn'
    """
    kind = kind or kind_of_key(key)
    out = "doc:" + fold_key(key)
    if needs_year(kind) and year:
        out += f"@{year}"
    if province and is_local_key(key):
        out += "@" + slug(province)
    return out


def plan_id(province: str | None, year: int | None, sha256: str) -> str:
    """The node id of an ingested text that has no number of its own.

    >>> plan_id("Yên Bái", 2024, "1850db4a5287" + "0" * 52)
    'plan:yen-bai:2024:1850db4a5287'
    """
    return f"plan:{slug(province) if province else 'unknown'}:{year or 'unknown'}:{sha256[:12]}"


def agency_id(name: str, province: str | None) -> str:
    """The node id of an agency: scoped to its province, or national.

    >>> agency_id("Sở Thông tin và Truyền thông", "Yên Bái"), agency_id("Chính phủ", None)
    ('agency:yen-bai:so-thong-tin-va-truyen-thong', 'agency:national:chinh-phu')
    """
    return f"agency:{slug(province) if province else 'national'}:{slug(name)}"


def province_id(name: str) -> str:
    """The node id of a province.

    >>> province_id("Lào Cai")
    'province:lao-cai'
    """
    return "province:" + slug(name)
