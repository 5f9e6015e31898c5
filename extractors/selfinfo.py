"""What a text says about itself (thông tin văn bản): its type, own number,
province, year, status, issuer, signer and title; and whether the file holds a
cover letter (công văn) before the document itself.
"""

from __future__ import annotations

import re
from functools import cache

from . import regexes as rx
from .find import DesignatorMatch, parse_date
from .vocabulary import official_province, province_alternation, provinces

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
HEADING = re.compile(
    r"^[ \t]*(?:[*_#]+[ \t]*)?(?P<type>" + "|".join(re.escape(t) for t in _HEADING_TYPES) + r")[ \t]*(?:[*_]+[ \t]*)?$",
    re.MULTILINE,
)
#: where a title stops: the preamble, the first part, or the issuer's line
#: above the preamble ("BỘ TRƯỞNG BỘ ...", "ỦY BAN NHÂN DÂN TỈNH ...")
_TITLE_STOP = re.compile(
    r"^[ \t]*(?:[*_]+[ \t]*)?(?:Căn cứ|CĂN CỨ|Thực hiện|Xét|Theo|Trên cơ sở|I\.|1\.|Điều 1|QUYẾT ĐỊNH|QUYẾT NGHỊ|Kính gửi"  # noqa: E501
    r"|(?:BỘ TRƯỞNG|THỦ TƯỚNG|CHỦ TỊCH|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|CHÍNH PHỦ|BAN THƯỜNG VỤ|BAN CHẤP HÀNH)\b[^a-zđà-ỹ]*$)"  # noqa: E501
)
#: a year the title names as the plan's own: "năm 2025", not "đến năm 2035"
_TITLE_YEAR = re.compile(r"(?<!đến )(?<!ĐẾN )(?<!tới )(?<!TỚI )(?<!nhìn )(?<!NHÌN )(?:năm|NĂM)[ \t]+(\d{4})")
_OWN_NUMBER = re.compile(r"^[ \t*_]*(?:Số|SỐ)[ \t]*:?[ \t]*(?P<rest>[^\n]*)$", re.MULTILINE)
_DRAFT = re.compile(r"^[ \t*_]*(?:DỰ THẢO|Dự thảo|DỰ THẢO LẦN \d+)[ \t*_]*\d*$", re.MULTILINE)
_PLACE_DATE = re.compile(
    r"^[ \t*_|]*(?P<place>[^\n,|]{2,40}),\s*ngày\s+(?P<d>\d{1,2}|\.{2,}|…)?\s*tháng\s+(?P<m>\d{1,2}|\.{2,}|…)?\s*năm\s+(?P<y>\d{4})",  # noqa: E501
    re.MULTILINE,
)
_VV = re.compile(
    r"^[ \t*_]*(?:V/v|V/V|v/v)[ \t]*:?[ \t]*(?P<title>[^\n*|]*(?:\n(?![ \t]*[\n|*_])(?![^\n]*,[ \t]*ngày)[^\n*|]*){0,3})",  # noqa: E501
    re.MULTILINE,
)
#: the signer's title line ("CHỦ TỊCH", "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"), the
#: signer's name a few lines below it. Lines "KT.", "TM.", "TL." ... may stand
#: above it; they cannot be a title line themselves, so the last title line
#: is found without them (matching them too, "(?:(?:KT|TM|...)\.[ \t]*[^\n]*\n)*",
#: backtracked exponentially over a run of such lines)
_SIGN_TITLE = re.compile(
    r"^[ \t*_]*(?:PHÓ[ \t]+)?(?:CHỦ[ \t]+TỊCH|GIÁM[ \t]+ĐỐC|BỘ[ \t]+TRƯỞNG|THỦ[ \t]+TƯỚNG|BÍ[ \t]+THƯ|TRƯỞNG[ \t]+BAN|CHÁNH[ \t]+VĂN[ \t]+PHÒNG|TỔNG[ \t]+GIÁM[ \t]+ĐỐC|CỤC[ \t]+TRƯỞNG)[ \t*_]*$",  # noqa: E501
    re.MULTILINE,
)
_PERSON = re.compile(r"^[ \t*_]*(?P<name>(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+[ \t]+){1,4}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+)[ \t*_]*$")
_UBND_ISSUES = re.compile(
    r"(?:Ủy ban [Nn]hân dân|Uỷ ban [Nn]hân dân|UBND)(?:[ \t]+\(UBND\))?[ \t]+(?:tỉnh|thành phố)\b[^\n;]{0,40}?ban hành"
    r"|TM\.[ \t]*(?:ỦY|UỶ)[ \t]+BAN[ \t]+NHÂN[ \t]+DÂN"
)


@cache
def _province_regex() -> re.Pattern:
    """A province named after "tỉnh", "thành phố" or "TP." (the names of
    :mod:`extractors.vocabulary`)."""
    return re.compile(r"(?:tỉnh|thành phố|TP\.?)[ \t]+(?P<name>" + province_alternation() + r")(?![\w])", re.IGNORECASE)


@cache
def _cities() -> frozenset[str]:
    """The centrally-run cities (thành phố trực thuộc Trung ương)."""
    return frozenset(p["name"] for p in provinces() if p["kind"] == "city")


def find_province(text: str) -> str | None:
    """The province a text names first after "tỉnh"/"thành phố".

    >>> find_province("CÔNG TÁC THÔNG TIN ĐỐI NGOẠI TRÊN ĐỊA BÀN TỈNH PHÚ THỌ NĂM 2025")
    'Phú Thọ'
    """
    m = _province_regex().search(text)
    return official_province(m.group("name")) if m else None


def _sentence_case(title: str) -> str:
    if title.upper() != title:
        return title
    low = " ".join(w if any(ch.isdigit() for ch in w) else w.lower() for w in title.split(" "))
    # restore the province and country names the lower-casing flattened
    for m in list(_province_regex().finditer(low))[::-1]:
        name = official_province(m.group("name"))
        low = low[: m.start("name")] + name + low[m.end("name") :]
    low = low.replace("việt nam", "Việt Nam")
    return low[:1].upper() + low[1:]


def _title_after(text: str, pos: int) -> str | None:
    lines = []
    for line in text[pos : pos + 1200].split("\n")[1:]:
        if not line.strip() or not line.strip(" *_\t"):
            if lines:
                break
            continue
        # the line right under the heading is the title, whatever its first
        # words ("THỰC HIỆN LỘ TRÌNH ..."); later lines may open the preamble
        if (lines or line.lstrip(" *_\t").startswith(("Căn cứ", "Số"))) and _TITLE_STOP.match(line):
            break
        lines.append(line.strip(" *_\t"))
        if len(lines) >= 4:
            break
    title = " ".join(lines).strip()
    return _sentence_case(title) if title else None


def _signer(text: str, start: int, end: int) -> str | None:
    found = None
    for m in _SIGN_TITLE.finditer(text, start, end):
        found = m
    if not found:
        return None
    for line in text[found.end() : found.end() + 300].split("\n")[1:8]:
        if not line.strip() or line.strip(" *_") == "":
            continue
        pm = _PERSON.match(line)
        return pm.group("name") if pm else None
    return None


def describe(text: str, own_numbers: list[DesignatorMatch]) -> dict:
    """The text's description of itself (see the module docstring).

    ``own_numbers`` are the designators written after "Số:" in headings.
    """
    headings = list(HEADING.finditer(text))
    vv = _VV.search(text)
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
            _DRAFT.finditer(text, vv.end(), main.start())
        ):
            letter_end = min(letter_end, m.start())
        letter = text[:letter_end]
        nums = [d for d in own_numbers if d.start < vv.start()]
        pd = _PLACE_DATE.search(letter)
        issuer_lines = [
            l.strip(" *_") for l in letter[: (nums[0].start if nums else vv.start())].split("\n") if l.strip()
        ]
        contains.append(
            {
                "doc_type": "Công văn",
                "key": nums[-1].designator.key if nums else None,
                "date": parse_date(pd.group("d"), pd.group("m"), pd.group("y"))
                if pd and pd.group("d") and pd.group("d").isdigit() and pd.group("m") and pd.group("m").isdigit()
                else None,
                "issuer": _sentence_issuer(issuer_lines),
                "signer": _signer(text, 0, letter_end),
                "title": "V/v " + re.sub(r"\s+", " ", vv.group("title")).strip(" *_"),
                "start": 0,
                "end": letter_end,
            }
        )
        body_start = letter_end
    doc_type = None
    title = None
    if main is not None:
        doc_type = next(
            (n for n in rx.doc_type_names() if n.upper() == main.group("type")), main.group("type").capitalize()
        )
        title = _title_after(text, main.start())
    elif vv is not None:
        # an official letter (công văn) has no type heading, only "V/v ..."
        doc_type = "Công văn"
        title = "V/v " + re.sub(r"\s+", " ", vv.group("title")).strip(" *_")
    region = text[body_start:]
    number_line = None
    for m in _OWN_NUMBER.finditer(text, body_start, main.start() if main else min(len(text), body_start + 3000)):
        number_line = m
    key = None
    blank_number = False
    if number_line:
        line_end = number_line.end()
        if not re.sub(r"[\s*_|]+", "", number_line.group("rest")):  # the number on the next line
            nxt = text.find("\n", line_end + 1)
            line_end = len(text) if nxt < 0 else nxt
        own = [d for d in own_numbers if number_line.start() <= d.start < line_end]
        if own:
            key = own[0].designator.key
        elif re.match(r"[ \t]*\.{0,6}[ \t…]*/", number_line.group("rest")):
            blank_number = True
    draft = bool(_DRAFT.search(text, body_start, (main.end() + 200) if main else len(text))) or blank_number
    pd = _PLACE_DATE.search(text, body_start, main.start() if main else len(text))
    if pd and not (pd.group("d") and pd.group("d").isdigit()):
        draft = True
    province = find_province(title or "") or find_province(region[:3000]) or find_province(region)
    year = None
    if title:
        ym = _TITLE_YEAR.findall(title)
        if ym:
            year = int(ym[-1])
    if year is None and pd:
        year = int(pd.group("y"))
    if year is None and title:
        ym = re.findall(r"\b((?:19|20)\d{2})\b", title)
        year = int(ym[0]) if ym else None
    issuer = None
    if _UBND_ISSUES.search(region) and province:
        unit = "thành phố" if province in _cities() else "tỉnh"
        issuer = f"Ủy ban nhân dân {unit} {province}"
    else:
        # the issuing body's name in the header block (tên cơ quan ban hành)
        head_end = number_line.start() if number_line else (main.start() if main else body_start)
        if head_end > body_start:
            lines = [l.strip(" *_|#") for l in text[body_start:head_end].split("\n")]
            issuer = _sentence_issuer([l for l in lines if l and not set(l) <= set("-_*| ")])
    return {
        "doc_type": doc_type,
        "key": key,
        "province": province,
        "year": year,
        "status": "draft" if draft else "issued",
        "issuer": issuer,
        "signer": _signer(text, body_start, len(text)),
        "title": title,
        "contains": contains,
    }


def _sentence_issuer(lines: list[str]) -> str | None:
    """The issuing body of a cover letter from its header lines
    ("UBND TỈNH THỪA THIÊN HUẾ" / "SỞ THÔNG TIN VÀ TRUYỀN THÔNG")."""
    header = [l for l in lines if l.isupper() and not re.search(r"CỘNG H[OÒ]À|XÃ HỘI|ĐỘC LẬP|CHỦ NGHĨA|VIỆT NAM", l)]
    if not header:
        return None
    body = _sentence_case(header[-1])
    body = re.sub(r"\b(thông tin|truyền thông)\b", lambda m: m.group(1).capitalize(), body)
    parent_province = find_province(" ".join(header))
    return body + (f" tỉnh {parent_province}" if parent_province and "tỉnh" not in body else "")
