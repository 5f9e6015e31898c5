"""The known bodies (cơ quan đã biết) of ``data/agencies.jsonl``: each body's
full name, its aliases and its scope, and :func:`match_known`, the longest
known body whose name starts at a position of a text.

Split out of :mod:`extractors.agencies`, which re-exports these names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .patterncache import compile_pattern
from .vocabulary import SPACES, province_alternation

_DATA = Path(__file__).parent / "data"

# -- known bodies (data) -----------------------------------------------------


@dataclass(frozen=True)
class KnownAgency:
    """One line of ``data/agencies.jsonl``: a body's full name, its aliases and
    its scope (``province`` or ``national``)."""

    name: str
    aliases: tuple[str, ...]
    scope: str


_ABBREVIATION = compile_pattern(r"(?<![\w])[A-ZĐ]{2,}")


@lru_cache(maxsize=8192)
def _is_abbreviation(form: str) -> bool:
    """An alias written with an all-capitals abbreviation (Sở TTTT, Đài PT-TH tỉnh)."""
    return bool(_ABBREVIATION.search(form))


@lru_cache(maxsize=1)
def _province_patterns() -> tuple[re.Pattern, re.Pattern]:
    """ "tỉnh <province>" anywhere, and "<province>" at the end (compiled once:
    the alternation of 70 names is too long to rebuild for every name)."""
    alts = province_alternation()
    return (compile_pattern(r"(?<![\w])tỉnh\s+(?:" + alts + r")(?![\w])"), compile_pattern(r"\s+(?:" + alts + r")$"))


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
    return (
        compile_pattern(r"\s+(?:" + province_alternation() + r")", re.IGNORECASE),
        compile_pattern(_NAME_END, re.IGNORECASE),
    )


def _form_words(form: str) -> tuple[list[str], bool]:
    """The words a spelling's pattern matches one by one ("và" and a trailing
    "tỉnh" left to the pattern), and whether it ends with "tỉnh"."""
    words = [w for w in re.split(r"\s*[,&\-]\s*|\s+", form) if w and w != "và"]
    has_tinh = bool(words) and words[-1] == "tỉnh"
    return (words[:-1] if has_tinh else words), has_tinh


def _form_pattern(form: str, provincial: bool) -> str:
    """Regex for one spelling: words joined by any separator, "tỉnh" optional
    for long provincial names (an optional province name after it is matched
    by :func:`_province_after`)."""
    words, has_tinh = _form_words(form)
    pat = _SEP.join(re.escape(w) for w in words)
    if provincial:
        base = " ".join(words)
        optional = len(words) >= 3 and not re.search(r"nhân dân|UBND|HĐND", base)
        if has_tinh:
            pat += r"(?:\s+tỉnh)" + ("?" if optional else "")
    # not a prefix of a longer name or of a collective ("Ủy ban nhân dân các huyện")
    return pat + _NAME_END


class LazyPattern:
    """A regex compiled the first time it is used: a text tries a few of the
    hundreds of known spellings, and compiling them all took half of a
    one-file run (0.2 s of 0.5 s).

    >>> p = LazyPattern(r"Sở\\s+Nội\\s+vụ", re.IGNORECASE)
    >>> p.match("sở nội vụ tỉnh").group(), p.search("Giao Sở Nội vụ").start()
    ('sở nội vụ', 5)
    """

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern, self.flags, self._compiled = pattern, flags, None

    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = compile_pattern(self.pattern, self.flags)
        return self._compiled

    def match(self, s: str, pos: int = 0):
        return self.compiled().match(s, pos)

    def search(self, s: str, pos: int = 0):
        return self.compiled().search(s, pos)


@lru_cache(maxsize=1)
def _alias_patterns() -> dict[str, tuple[tuple[LazyPattern, KnownAgency, str], ...]]:
    """Every spelling of every known body as (its regex, compiled when first
    tried; body; spelling), longest spelling first, indexed by the spelling's
    first word (casefolded) so that a position is tried only against the
    names that can start there."""
    rows: dict[str, list] = {}
    for ag in known_agencies():
        for form in (ag.name, *ag.aliases):
            pat = LazyPattern(_form_pattern(form, ag.scope == "province"), re.IGNORECASE)
            first = re.split(r"[\s,&\-]+", form.strip())[0].casefold()
            rows.setdefault(first, []).append((pat, ag, form))
    return {k: tuple(sorted(v, key=lambda r: -len(r[2]))) for k, v in rows.items()}


#: a separator between two words of a name, as :data:`_SEP` has it (without
#: the optional "và"), and a word
_GAP = compile_pattern(r"(?:\s*[,&\-]\s*|\s+)")
_WORD = compile_pattern(r"\w+")


def _second_word(form: str) -> str | None:
    """The second word of a spelling as its pattern matches it (casefolded),
    or None when the pattern has no second word made of word characters only
    (such a spelling is tried at every position its first word starts)."""
    words, _ = _form_words(form)
    if len(words) < 2 or not _WORD.fullmatch(words[1]):
        return None
    return words[1].casefold()


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, tuple[tuple, dict[str, tuple]]]:
    """:func:`_alias_patterns` indexed further by the second word: for each
    first word, the spellings to try whatever follows it, and for each second
    word the spellings to try when the text's second word is that one (these
    and the former, in their order). A spelling's pattern can only match
    where the text's second word is its own, so no match is lost.

    A spelling whose pattern is that of one before it, for a body of the
    same scope, is left out ("Sở Thông tin và Truyền thông" and "Sở Thông
    tin - Truyền thông" read alike: "và" and "-" are both separators): it
    matches where the other does, as far, and :func:`match_known` keeps the
    first of two matches that end at one place."""
    out = {}
    for first, rows in _alias_patterns().items():
        unique, seen = [], set()
        for r in rows:
            if (r[0].pattern, r[1].scope) not in seen:
                seen.add((r[0].pattern, r[1].scope))
                unique.append(r)
        rows = unique
        second = [_second_word(r[2]) for r in rows]
        always = tuple(r for r, w in zip(rows, second) if w is None)
        by_second = {
            w: tuple(r for r, v in zip(rows, second) if v in (None, w)) for w in dict.fromkeys(second) if w is not None
        }
        out[first] = (always, by_second)
    return out


#: :func:`_alias_index`, kept at hand once built (it is asked for at every
#: capital of every list)
_INDEX: dict | None = None


def _index() -> dict:
    global _INDEX
    _INDEX = _alias_index()
    return _INDEX


def _candidates(s: str, first: str, first_end: int) -> tuple:
    """The spellings that may start at the first word ``first`` ending at
    ``first_end`` in ``s``, in the order of :func:`_alias_patterns`."""
    entry = (_INDEX or _index()).get(first)
    if entry is None:
        return ()
    always, by_second = entry
    gap = _GAP.match(s, first_end)
    word = _WORD.match(s, gap.end()) if gap else None
    if word is None:
        return always
    w = word.group().casefold()
    if w == "và":  # "Sở Văn hóa, và Thể thao": the name may go on after "và"
        gap2 = SPACES.match(s, word.end())
        after = _WORD.match(s, gap2.end()) if gap2 else None
        rows = set(by_second.get(w, always))
        if after is not None:
            rows |= set(by_second.get(after.group().casefold(), always))
        order = {id(r): k for k, r in enumerate(_alias_patterns()[first])}
        return tuple(sorted(rows, key=lambda r: order[id(r)]))
    return by_second.get(w, always)


@lru_cache(maxsize=1)
def _all_alias_patterns() -> tuple[tuple[LazyPattern, KnownAgency, str], ...]:
    """All spellings, longest first, whatever their first word."""
    rows = [r for group in _alias_patterns().values() for r in group]
    return tuple(sorted(rows, key=lambda r: -len(r[2])))


_FIRST_WORD = compile_pattern(r"[^\s,&\-]+")


#: the first word of a name and, after a separator, its second word made of
#: word characters (what :data:`_FIRST_WORD`, :data:`_GAP` and :data:`_WORD`
#: find one after the other, in one match: no backtracking can change them)
_FIRST_TWO_WORDS = compile_pattern(r"([^\s,&\-]+)(?:(?:\s*[,&\-]\s*|\s+)(\w+))?")

#: :func:`_province_after`, kept at hand once built
_PROVINCE_AFTER: tuple[re.Pattern, re.Pattern] | None = None


def match_known(s: str, pos: int = 0) -> tuple[KnownAgency, int] | None:
    """The longest known body whose name starts at ``s[pos]`` (its first letter
    must be a capital), as (body, end)."""
    global _PROVINCE_AFTER
    if pos >= len(s) or not s[pos].isupper():
        return None
    words = _FIRST_TWO_WORDS.match(s, pos)
    entry = (_INDEX or _index()).get(words.group(1).casefold())
    if entry is None:
        return None
    second = words.group(2)
    if second is None:
        candidates = entry[0]
    else:
        second = second.casefold()
        # (after "và" the name may go on: :func:`_candidates` reads on)
        candidates = (
            entry[1].get(second, entry[0])
            if second != "và"
            else _candidates(s, words.group(1).casefold(), words.end(1))
        )
    if not candidates:
        return None
    best = None
    province, name_end = _PROVINCE_AFTER or (_PROVINCE_AFTER := _province_after())
    for pat, ag, _ in candidates:
        m = (pat._compiled or pat.compiled()).match(s, pos)
        if m:
            end = m.end()
            if ag.scope == "province":
                ext = province.match(s, end)
                if ext and name_end.match(s, ext.end()):
                    end = ext.end()
            if best is None or end > best[1]:
                best = (ag, end)
    return best
