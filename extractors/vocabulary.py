"""The vocabulary layer (từ vựng): the domain knowledge that the extractors,
the graph and the views share, each piece written once.

* :func:`load_data`: the one loader of the data files in ``data/``;
* :func:`fold`: the one comparison form of Vietnamese names (case, spacing,
  the old tone-mark placement "uỷ"/"hoá" read as "ủy"/"hóa", ``Ð`` for ``Đ``),
  and :func:`plain`, the same without diacritics (không dấu), as people type;
* provinces and centrally-run cities (tỉnh, thành phố trực thuộc Trung ương):
  :func:`provinces`, :func:`province_alternation`, :func:`province_in`
  (``data/provinces.json``);
* the colour scheme and Vietnamese names of node labels and relationship
  types (``data/scheme.json``), read by ``cancu viz`` and written into
  ``cypher/style.grass``.

Everything here is data-driven and cached: a pattern is compiled once per
process.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

from .patterncache import compile_pattern

#: the old tone-mark placement on oa, oe, uy ("hoá", "thuỷ", "uỷ") → the new one
#: (Quyết định 1989/QĐ-BGDĐT keeps both; texts of every province mix them)
TONE_MARKS = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
#: only at a syllable's end and not after the "q" of "qu": "hoá" → "hóa",
#: but "Đoàn", "Ngoại", "hoạch", "khuỷu" and "Quỹ" are written right already
_TONE = compile_pattern("(?<!q)(?:" + "|".join(TONE_MARKS) + r")(?!\w)")
#: a run of spaces (``\s+``), the one pattern for it of every module
SPACES = compile_pattern(r"\s+")


@cache
def load_data(name: str) -> dict:
    """One JSON file of ``extractors/data`` (read through importlib.resources,
    so that an installed wheel finds it), parsed once per process: callers
    read it and do not change it.

    >>> sorted(load_data("scheme.json"))[:2]
    ['description', 'labels']
    """
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


#: letters the regex engine takes, ignoring case, for a Latin letter that
#: ``str.lower`` reads otherwise ("İ" lower-cased is two characters; "ı" and
#: "ſ" are the engine's "i" and "s"): a text holding none of them may be
#: searched lower-cased for words of :func:`plain_case` letters
FOLDED_APART = ("İ", "ı", "ſ")
#: a character whose case ``str.lower`` may not map as the engine's case
#: folding does: outside Latin, Vietnamese and caseless punctuation, or one
#: with an extra equivalent there (tests/test_selfinfo.py checks the engine
#: against ``str.lower`` for every character)
_NOT_PLAIN_CASE = compile_pattern(
    "[^\x00-\u036f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf\u2190-\u23ff\u2500-\u27bf\u3000-\u303f]|[µİıſ\u0345ṡẛ]"
)


def plain_case(*words: str) -> bool:
    """Whether ``words`` hold only letters whose case ``str.lower`` maps as
    the regex engine's case folding does: in a text free of
    :data:`FOLDED_APART`, a plain search of the lower-cased text finds them
    where a case-insensitive search would.

    >>> plain_case("Đề nghị", "CHỦ TRÌ"), plain_case("ΣΧΟΛΗ")
    (True, False)
    """
    return not any(_NOT_PLAIN_CASE.search(w) for w in words)


def folds_apart(text: str) -> bool:
    """Whether ``text`` holds a letter of :data:`FOLDED_APART`."""
    return any(c in text for c in FOLDED_APART)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The comparison form of a name: NFC, ``Đ`` for the look-alike ``Ð``,
    the new tone-mark placement, spaces collapsed, case folded.

    >>> fold("  Ủy ban  nhân dân ") == fold("uỷ ban nhân dân")
    True
    >>> fold("Sở Văn hoá, Thể thao và Du lịch")
    'sở văn hóa, thể thao và du lịch'
    >>> fold("NÐ-CP")
    'nđ-cp'
    >>> fold("Liên đoàn Lao động tỉnh"), fold("Sở Kế hoạch và Đầu tư"), fold("Quỹ")
    ('liên đoàn lao động tỉnh', 'sở kế hoạch và đầu tư', 'quỹ')
    """
    s = unicodedata.normalize("NFC", text).replace("\u00d0", "Đ")
    s = SPACES.sub(" ", s).strip().casefold()
    return _TONE.sub(lambda m: TONE_MARKS[m.group(0)], s)


def _unaccented(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    return unicodedata.normalize("NFD", ch)[0]


_UNACCENT: dict[str, str] = {}


def unaccent(text: str) -> str:
    """The text without its diacritics (không dấu), character for character:
    ``đ`` → ``d``, ``ệ`` → ``e``; an NFC text keeps its length, so that an
    offset in the one is the offset in the other (the search index and the
    typed-name matching read texts this way).

    >>> unaccent("Kết luận số 57-KL/TW, Đồng Nai")
    'Ket luan so 57-KL/TW, Dong Nai'
    >>> len(unaccent("Nghị quyết")) == len("Nghị quyết")
    True
    """
    out = []
    for ch in text:
        if ch < "\u00c0":
            out.append(ch)
            continue
        u = _UNACCENT.get(ch)
        if u is None:
            u = _UNACCENT[ch] = _unaccented(ch)
        out.append(u)
    return "".join(out)


@lru_cache(maxsize=65536)
def plain(text: str) -> str:
    """The comparison form of a name as people type it without diacritics:
    :func:`fold`, then :func:`unaccent` (``Ð``/``Đ``/``đ`` → ``d``).

    >>> plain("Sở Nội vụ") == plain("So Noi vu") == plain("SỞ NỘI VỤ")
    True
    >>> plain("72/2015/NĐ-CP")
    '72/2015/nd-cp'
    """
    return unaccent(fold(text))


# -- provinces -----------------------------------------------------------------


@lru_cache(maxsize=1)
def provinces() -> tuple[dict, ...]:
    """The provinces and centrally-run cities of ``data/provinces.json``:
    ``{"name", "aliases", "kind"}`` each.

    >>> len(provinces()), provinces()[0]["name"]
    (63, 'An Giang')
    """
    return tuple(load_data("provinces.json")["provinces"])


@lru_cache(maxsize=1)
def province_names() -> tuple[str, ...]:
    """Every name and alias spelling of a province, longest first (so that
    "Thừa Thiên Huế" wins over "Huế")."""
    names = {n for p in provinces() for n in (p["name"], *p.get("aliases", []))}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


@lru_cache(maxsize=1)
def province_alternation() -> str:
    """A regex alternation of :func:`province_names`, a line break or spaces
    allowed between words (hard-wrapped texts)."""
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in province_names()) or r"(?!x)x"


@lru_cache(maxsize=1)
def _official() -> dict[str, str]:
    out = {fold(n): p["name"] for p in provinces() for n in (p["name"], *p.get("aliases", []))}
    typed: dict[str, set[str]] = {}
    for f, name in out.items():
        typed.setdefault(plain(f), set()).add(name)
    # typed without diacritics ("Yen Bai"), where that spelling names one province only
    for k, names in typed.items():
        if len(names) == 1:
            out.setdefault(k, next(iter(names)))
    return out


def official_province(name: str) -> str | None:
    """The official name of a province however it is spelled, with or
    without diacritics.

    >>> official_province("Bà Rịa Vũng Tàu"), official_province("Atlantis")
    ('Bà Rịa - Vũng Tàu', None)
    >>> official_province("yen bai"), official_province("Thua Thien Hue")
    ('Yên Bái', 'Thừa Thiên Huế')
    """
    table = _official()
    return table.get(fold(name)) or table.get(plain(name))


@lru_cache(maxsize=1)
def _province_search() -> re.Pattern:
    return compile_pattern(r"(?<!\w)(?:" + province_alternation() + r")(?!\w)", re.IGNORECASE)


def province_in(text: str) -> str | None:
    """The province a text names (the longest name found), by its official name.

    >>> province_in("Sở Thông tin và Truyền thông tỉnh Thừa Thiên Huế")
    'Thừa Thiên Huế'
    >>> province_in("Bộ Chính trị") is None
    True
    """
    best = None
    for m in _province_search().finditer(text):
        if best is None or len(m.group(0)) > len(best):
            best = m.group(0)
    return official_province(SPACES.sub(" ", best)) if best else None


# -- the colour scheme and names of the graph's types ---------------------------


@lru_cache(maxsize=1)
def scheme() -> dict:
    """Node labels and relationship types: colour (and shape, caption) and
    their names in Vietnamese and English (``data/scheme.json``).

    >>> scheme()["relationships"]["BASED_ON"]["vi"]
    'căn cứ'
    """
    return load_data("scheme.json")


def node_style(label: str) -> dict:
    """Shape, colour and caption of a node label (a document subtype not
    listed takes ``Document``'s).

    >>> node_style("Decree")["color"], node_style("Treaty")["color"] == node_style("Document")["color"]
    ('#1f77b4', True)
    """
    labels = scheme()["labels"]
    return labels.get(label, labels["Document"])


def relationship_style(rel_type: str) -> dict:
    """Colour and names of a relationship type.

    >>> relationship_style("IMPLEMENTS")["color"], relationship_style("IMPLEMENTS")["vi"]
    ('#d62728', 'thực hiện')
    """
    rels = scheme()["relationships"]
    return rels.get(rel_type, {"color": "#999999", "vi": rel_type.lower(), "en": rel_type.lower()})


# -- cue words (từ tín hiệu) ------------------------------------------------------


@lru_cache(maxsize=1)
def cues() -> dict:
    """The cue words of agency roles (``data/cues.json``; those of relations
    are :func:`relation_grammar`'s).

    >>> sorted(cues()["agency_roles"])[:2]
    ['head_words', 'requests']
    """
    return load_data("cues.json")


def _words(words) -> str:
    """A non-capturing alternation of literal words (in their order), a space
    matching one space."""
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


def relation_grammar() -> dict:
    """The grammar of relations between a text and what it cites
    (``data/relations.json``): openings, cues, the passive voice, proposals,
    partial objects and declared ends of effect, each with real examples.

    >>> relation_grammar()["relations"][:3]
    ['based_on', 'implements', 'amends']
    """
    return load_data("relations.json")


def _spaces(regex: str) -> str:
    """A grammar regex whose spaces (written ``[ ]``) also match a line break:
    texts are hard-wrapped inside cue words ("sửa" / "đổi")."""
    return regex.replace("[ ]", r"\s")


def _relation_regex(name: str, flags: int = re.IGNORECASE) -> re.Pattern:
    return compile_pattern(_spaces(relation_grammar()[name]["regex"]), re.VERBOSE | flags)


#: the character classes of a parsed pattern a first character may fall in
_CATEGORY_CLASSES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_WORD": r"\w", "CATEGORY_SPACE": r"\s"}


def _first_items(items) -> tuple[set[str], bool] | None:
    r"""What may open a match of parsed pattern ``items`` (``re._parser``'s
    tree): character class items (an escaped character, a range, ``\d``),
    and whether the items may match nothing at all; None for what this does
    not read (a negated class, any character, a back-reference, a change of
    flags)."""
    out: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            return out | {re.escape(chr(av))}, False
        if name == "IN":
            for iop, iav in av:
                iname = str(iop)
                if iname == "LITERAL":
                    out.add(re.escape(chr(iav)))
                elif iname == "RANGE":
                    out.add(re.escape(chr(iav[0])) + "-" + re.escape(chr(iav[1])))
                elif iname == "CATEGORY" and str(iav) in _CATEGORY_CLASSES:
                    out.add(_CATEGORY_CLASSES[str(iav)])
                else:
                    return None
            return out, False
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # takes no character: what follows opens the match
        if name == "SUBPATTERN":
            if av[1] or av[2]:
                return None
            sub = _first_items(av[3])
        elif name == "BRANCH":
            subs = [_first_items(b) for b in av[1]]
            if any(s is None for s in subs):
                return None
            sub = (set().union(*(s[0] for s in subs)), any(s[1] for s in subs))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            sub = _first_items(av[2])
            if sub is not None and av[0] == 0:
                sub = (sub[0], True)
        else:
            return None
        if sub is None:
            return None
        out |= sub[0]
        if not sub[1]:
            return out, False
    return out, True


def first_letters(regex: str, flags: int = 0) -> str | None:
    r"""A character class (``[...]``) holding every character a match of
    ``regex`` (compiled with ``flags``) may open with, or None when that is
    not known (the pattern may match nothing, or opens with any character).
    Put in a look-ahead before an alternation, it lets a search pass over a
    position none of the alternatives can start at in one test.

    >>> first_letters(r"thay[ ]thế|\d+[ ]năm|(?<!kèm[ ])theo", re.VERBOSE)
    '[\\dt]'
    >>> first_letters(r"a?") is None
    True
    """
    from re import _parser  # the parser re itself uses: patterns are read as re reads them

    found = _first_items(_parser.parse(regex, flags))
    if found is None or found[1] or not found[0]:
        return None
    return "[" + "".join(sorted(found[0])) + "]"


@lru_cache(maxsize=1)
def relation_cue_regex() -> re.Pattern:
    """The cue words before a citation (từ tín hiệu quan hệ), one named group
    per relation, in priority order (``data/relations.json``); a relation may
    have several forms (``implements_1`` ...: the group name up to ``_``).

    The alternation stands behind a look-ahead for the forms' first letters
    (:func:`first_letters`): the same matches, found without trying every
    form at every character.

    >>> cue_relation(relation_cue_regex().search("Thực hiện Kết luận số 57-KL/TW"))
    'implements'
    """
    alts, seen = [], {}
    for c in relation_grammar()["cues"]["forms"]:
        n = seen[c["relation"]] = seen.get(c["relation"], -1) + 1
        name = c["relation"] + (f"_{n}" if n else "")
        alts.append(f"(?P<{name}>{_spaces(c['regex'])})")
    flags = re.VERBOSE | re.IGNORECASE
    alternation = "|".join(alts)
    guard = first_letters(alternation, flags)
    return compile_pattern(f"(?={guard})(?:{alternation})" if guard else alternation, flags)


def cue_relation(m: re.Match) -> str:
    """The relation a match of :func:`relation_cue_regex` names.

    >>> cue_relation(relation_cue_regex().search("theo quy định tại Nghị định"))
    'implements'
    """
    return m.lastgroup.split("_")[0] if m.lastgroup.rsplit("_", 1)[-1].isdigit() else m.lastgroup


@lru_cache(maxsize=1)
def opening_regex() -> re.Pattern:
    """How a paragraph before the body opens (Căn cứ, Thực hiện, Xét ...):
    one group per form, ``o0``, ``o1`` ... in the order of
    :func:`opening_relations`; case-sensitive but for the first letter.

    >>> m = opening_regex().match("Để tiếp tục thực hiện nghiêm Chỉ thị số 05/CT-TTg")
    >>> m.group(), opening_relations()[int(m.lastgroup[1:])]
    ('Để tiếp tục thực hiện', ('based_on', 'implements'))
    """
    forms = relation_grammar()["openings"]["forms"]
    return compile_pattern("|".join(f"(?P<o{i}>{_spaces(f['regex'])})" for i, f in enumerate(forms)), re.VERBOSE)


@lru_cache(maxsize=1)
def opening_relations() -> tuple[tuple[str, ...], ...]:
    """The relations of each opening form of :func:`opening_regex`."""
    return tuple(tuple(f["relations"]) for f in relation_grammar()["openings"]["forms"])


@lru_cache(maxsize=1)
def passive_regex() -> re.Pattern:
    """The passive voice that names the acting document after the verb
    ("được sửa đổi, bổ sung bởi ...").

    >>> passive_regex().search("Luật số 22/2023/QH15 được sửa đổi, bổ sung tại Luật số 57/2024/QH15").group()
    'được sửa đổi, bổ sung tại '
    """
    return _relation_regex("passive")


@lru_cache(maxsize=1)
def proposal_regex() -> re.Pattern:
    """Words that make an amendment a proposal, not this text's act (tham mưu, đề xuất ...)."""
    return _relation_regex("proposals")


@lru_cache(maxsize=1)
def partial_object_regex() -> re.Pattern:
    """What a replacement may apply to short of the whole document (cụm từ, điểm, khoản ...)."""
    return _relation_regex("partial_objects", 0)


@lru_cache(maxsize=1)
def ends_effect_regex() -> re.Pattern:
    """A declared end of effect after a citation ("... hết hiệu lực kể từ")."""
    return _relation_regex("ends_effect")


@lru_cache(maxsize=1)
def issued_with_regex() -> re.Pattern:
    """The header of a document issued with a decision or resolution ("(Ban
    hành kèm theo Quyết định số ...)"): that decision issues it (ISSUES)."""
    return _relation_regex("issued_with", re.IGNORECASE | re.MULTILINE)


def head_words() -> tuple[str, ...]:
    """The words that open a body's name (từ mở đầu tên cơ quan: Sở, Bộ, Ủy
    ban ...), old spellings ("Uỷ ban") included.

    >>> "Sở" in head_words(), "Uỷ ban" in head_words()
    (True, True)
    """
    group = cues()["agency_roles"]["head_words"]
    return (*group["words"], *group["old_spellings"])


@lru_cache(maxsize=1)
def verb_stop_regex() -> re.Pattern:
    """The verbs and prepositions that end an inline list of bodies (động từ
    kết thúc danh sách cơ quan), lower case only.

    >>> verb_stop_regex().search("Sở Ngoại vụ tổ chức đón các đoàn").group()
    'tổ chức'
    """
    # not right after "các"/"những": "các tổ chức ..." names bodies
    words = _words(cues()["agency_roles"]["verb_stops"]["words"])
    return compile_pattern(r"(?<!các\s)(?<!những\s)(?:(?<![\w])" + words + r"(?![\w]))")


@lru_cache(maxsize=1)
def request_regex() -> re.Pattern:
    """The words a request opens with (từ đề nghị: "Đề nghị X chủ trì",
    "Mời X", "Yêu cầu X phối hợp"), any case.

    >>> request_regex().search("a) Đề nghị Ban Tuyên giáo Tỉnh ủy").group()
    'Đề nghị'
    """
    return compile_pattern(
        r"(?<![\w])" + _words(cues()["agency_roles"]["requests"]["words"]) + r"(?![\w])", re.IGNORECASE
    )
