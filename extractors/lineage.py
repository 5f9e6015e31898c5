"""Changes of administrative units (sắp xếp đơn vị hành chính) as texts state
them: which provinces, cities or communes were merged (sáp nhập) into which
new unit, and which were split (chia tách), with the act that made the
change and the exact clause.

The grammar is data (``data/lineage.json``, each pattern with real examples):
the articles of Nghị quyết 202/2025/QH15 ("Sắp xếp toàn bộ diện tích tự
nhiên, quy mô dân số của tỉnh Yên Bái và tỉnh Lào Cai thành tỉnh mới có tên
gọi là tỉnh Lào Cai") and of the Standing Committee's commune resolutions
(…/NQ-UBTVQH15), and the news that quotes them ("nhập tỉnh Hà Giang và tỉnh
Tuyên Quang thành tỉnh mới có tên gọi là tỉnh Tuyên Quang").

:func:`find_changes` reads one text; :func:`merged_provinces` groups the
provincial mergers read from many, to be compared with the reviewed table of
``data/self_layout.json`` (``province_changes``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache

from .find import find_designators
from .patterncache import compile_pattern
from .vocabulary import load_data, official_province

#: how a change is named in the graph: a unit merged whole into the new one,
#: or split (only a part of it, or the part left, went into it)
MERGED_INTO = "MERGED_INTO"
SPLIT_INTO = "SPLIT_INTO"


@dataclass(frozen=True)
class UnitChange:
    """One unit's change, as one statement of a text gives it (thay đổi đơn
    vị hành chính): ``unit`` (its name, without its level word) became part
    of ``successor`` (a ``level``: tỉnh, thành phố, xã, phường, đặc khu),
    whole (``MERGED_INTO``) or in part (``SPLIT_INTO``). A unit whose name
    the new one keeps is listed too (``same_name``). ``act`` is the
    resolution the text is or cites for it (a key, or None when it names
    none); ``start``/``end`` the statement's span in ``source``, ``text`` the
    statement as written."""

    unit: str
    kind: str
    successor: str
    level: str
    same_name: bool
    act: str | None
    source: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict:
        return asdict(self)


def _spaces(regex: str) -> str:
    return regex.replace("[ ]", r"\s")


@cache
def _grammar() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    data = load_data("lineage.json")
    statement = compile_pattern(_spaces(data["statement"]["regex"]))
    part = compile_pattern(_spaces(data["part_words"]["regex"]))
    words = sorted(data["unit_words"], key=len, reverse=True)
    unit = compile_pattern(
        r"(?:(?:các|hai|ba)\s+)?(?P<word>" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\s+"
    )
    return statement, part, unit


_NAME = compile_pattern(r"[A-ZĐÀ-Ỹ0-9][^\s,;()*]*(?:\s+-\s+[A-ZĐÀ-Ỹ][^\s,;()*]*|\s+[A-ZĐÀ-Ỹ0-9][^\s,;()*]*)*")
#: what follows a name but is not part of the list: "(Quận 1)", "sau khi sắp xếp theo ..."
_AFTER_NAME = compile_pattern(r"(?:\s*\([^()]*\))?(?:\s+sau\s+khi\s+sắp\s+xếp[^,;]*?(?=,|\s+và\s|$))?")
_SEPARATOR = compile_pattern(r"\s*,\s*(?:và\s+)?|\s+và\s+")
#: where the next item of a list begins, past words that name no unit
_NEXT_ITEM = compile_pattern(r"[,;]|\svà\s")


def _units(list_text: str) -> list[tuple[str, bool]]:
    """The units a statement lists, each with whether only a part of it went
    into the new unit: "tỉnh Vĩnh Phúc, tỉnh Hòa Bình và tỉnh Phú Thọ",
    "phường Bến Nghé và một phần diện tích tự nhiên, quy mô dân số của phường
    Đa Kao, phường Nguyễn Thái Bình", "các phường Nguyễn Cư Trinh, Cầu Kho".

    >>> _units("tỉnh Bến Tre, tỉnh Trà Vinh và tỉnh Vĩnh Long")
    [('Bến Tre', False), ('Trà Vinh', False), ('Vĩnh Long', False)]
    >>> _units("Phường 1, Phường 2 và một phần diện tích tự nhiên, quy mô dân số của Phường 4 (Quận 3)")
    [('1', False), ('2', False), ('4', True)]
    """
    _, part, unit = _grammar()
    s = re.sub(r"\s+", " ", list_text).strip()
    out: list[tuple[str, bool]] = []
    partial = False
    pos = 0
    while pos < len(s):
        m = part.match(s, pos)
        if m:
            partial = True
            pos = m.end()
            while pos < len(s) and s[pos] == " ":
                pos += 1
            continue
        u = unit.match(s, pos)
        pos = u.end() if u else pos
        n = _NAME.match(s, pos)
        if not n:
            nxt = _NEXT_ITEM.search(s, pos)
            if not nxt:
                break
            pos = nxt.end()
            continue
        out.append((n.group().strip(), partial))
        pos = _AFTER_NAME.match(s, n.end()).end()
        sep = _SEPARATOR.match(s, pos)
        if not sep:
            break
        pos = sep.end()
        # units listed after "một phần … của" / "phần còn lại của" are partial
        # up to the next "và", which lists whole units again unless it repeats
        # the words ("… và phần còn lại của phường X")
        if "và" in sep.group():
            partial = False
    return out


def _act(text: str) -> str | None:
    """The resolution a text states the change by: the first resolution of
    the National Assembly or its Standing Committee (…/QH15, …/NQ-UBTVQH15)
    it is or names."""
    for d in find_designators(text):
        key = d.designator.key
        if re.search(r"/(?:\d{4}/)?(?:QH\d+|NQ-UBTVQH\d+)$", key):
            return key
    return None


def _named(name: str, provincial: bool) -> str:
    """A province as the vocabulary names it ("Khánh Hoà" → "Khánh Hòa")."""
    return (official_province(name) or name) if provincial else name


def find_changes(text: str, source: str = "<text>") -> list[UnitChange]:
    """The changes of units ``text`` states, in text order.

    >>> t = ("Sắp xếp toàn bộ diện tích tự nhiên, quy mô dân số của tỉnh Yên Bái và tỉnh Lào Cai "
    ...      "thành tỉnh mới có tên gọi là tỉnh Lào Cai.")
    >>> [(c.unit, c.kind, c.successor, c.same_name) for c in find_changes(t)]
    [('Yên Bái', 'MERGED_INTO', 'Lào Cai', False), ('Lào Cai', 'MERGED_INTO', 'Lào Cai', True)]
    """
    statement, _, _ = _grammar()
    act = _act(text)
    out = []
    for m in statement.finditer(text):
        level = re.sub(r"\s+", " ", m.group("level"))
        provincial = level in ("tỉnh", "thành phố")
        successor = _named(m.group("name").strip(), provincial)
        for name, partial in _units(m.group("units")):
            name = _named(name, provincial)
            out.append(
                UnitChange(
                    unit=name,
                    kind=SPLIT_INTO if partial else MERGED_INTO,
                    successor=successor,
                    level=level,
                    same_name=name.casefold() == successor.casefold(),
                    act=act,
                    source=source,
                    start=m.start(),
                    end=m.end(),
                    text=m.group(),
                )
            )
    return out


def merged_provinces(changes: list[UnitChange]) -> dict[str, list[str]]:
    """The provincial mergers of ``changes``: each new province or city (tỉnh,
    thành phố) → the provinces merged into it that do not give it their
    name, sorted; the form of ``data/self_layout.json``'s ``merged`` table.

    >>> t = "nhập tỉnh Hà Giang và tỉnh Tuyên Quang thành tỉnh mới có tên gọi là tỉnh Tuyên Quang"
    >>> merged_provinces(find_changes(t))
    {'Tuyên Quang': ['Hà Giang']}
    """
    out: dict[str, set[str]] = {}
    for c in changes:
        if c.level in ("tỉnh", "thành phố") and c.kind == MERGED_INTO:
            group = out.setdefault(c.successor, set())
            if not c.same_name:
                group.add(c.unit)
    return {k: sorted(v) for k, v in sorted(out.items())}
