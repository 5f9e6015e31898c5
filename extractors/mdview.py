"""A crawled Markdown page as the annotated page shows it (văn bản hiển
thị), with every highlight at its exact place.

The pages saved from legal portals (the corpus' ``.md`` files) are
Markdown of a crawler's making: hard-wrapped lines, ``**bold**`` and
``*italic*`` (a bold run that ends where an italic one starts written
``***``), ``#`` headings, GitHub tables (``| a | b |`` over a ``|---|---|``
row) and the crawler's own tables, one cell per stretch of lines between
lines that hold only ``|`` (two such lines in a row end a row). The
extraction reads that text as it is, so its offsets are offsets in the
Markdown source.

:func:`parse` turns the source into blocks (paragraphs, headings, rules,
tables of cells of paragraphs) whose text is a list of :class:`Run`: a
stretch of the source shown as it is (``start``/``end``), or the line
break between two lines shown as a space or a ``<br>``. Markup (``**``,
``|``, ``#``, the indentation) belongs to no run and is not shown.
:func:`render` writes the blocks as HTML and puts each highlight around
the runs its source span covers, so what a highlight shows is the source
text of its span with its line breaks joined. A highlight that crosses a
block (a table cell, a paragraph) is written as one fragment per block.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .patterncache import compile_pattern

#: style bits of a run
BOLD, ITALIC = 1, 2

_STARS = compile_pattern(r"\*+")
_HEADING = compile_pattern(r" {0,3}(#{1,6})(?=[ \t]|$)")
_CLOSING = compile_pattern(r"(?:^|[ \t]+)#+$")
_RULE = compile_pattern(r"[-_=]{3,}")
_DELIM = compile_pattern(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?")
_BULLET = compile_pattern(r"(?:[-+•–]|\d+[.)]|[a-zđ]\))[ \t]")


@dataclass(frozen=True)
class Run:
    """A piece of a block's text: the source ``[start, end)`` shown as it is,
    or (``join``) the line break between two lines, shown as a space or
    (``brk``) as a line break; ``style`` holds :data:`BOLD` and
    :data:`ITALIC`."""

    start: int
    end: int
    style: int = 0
    join: bool = False
    brk: bool = False


@dataclass
class Block:
    """A paragraph (``p``), heading (``h``, ``level``), rule (``hr``) or
    table (``table``: ``rows`` of cells, each a list of blocks; ``ncols``;
    ``header`` when the first row is a GitHub table's header)."""

    kind: str
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    rows: list[list[list[Block]]] = field(default_factory=list)
    ncols: int = 0
    header: bool = False


def parse(text: str) -> list[Block]:
    """The blocks of a Markdown page (see the module's description).

    >>> bs = parse("**KẾ HOẠCH**\\n\\nThực hiện Kế hoạch số\\n283/KH-UBND;\\n")
    >>> [(b.kind, [(r.start, r.end, r.style, r.join) for r in b.runs]) for b in bs]
    [('p', [(2, 10, 1, False)]), ('p', [(14, 35, 0, False), (35, 36, 0, True), (36, 48, 0, False)])]
    >>> t = parse("|\\nSTT\\n|\\nCơ quan\\n|\\n|\\n1\\n|\\nSở KH&CN\\n|\\n")[0]
    >>> t.kind, t.ncols, [[[r.start for b in c for r in b.runs] for c in row] for row in t.rows]
    ('table', 2, [[[2], [8]], [[20], [24]]])
    """
    return _Parser(text).blocks(0, None)


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.lines: list[tuple[int, int]] = []
        pos = 0
        for line in text.split("\n"):
            self.lines.append((pos, pos + len(line)))
            pos += len(line) + 1

    def line(self, i: int) -> str:
        s, e = self.lines[i]
        return self.text[s:e]

    def blank(self, i: int) -> bool:
        return not self.line(i).strip()

    def bar(self, i: int) -> bool:
        return self.line(i).strip() == "|"

    def gfm_start(self, i: int) -> bool:
        return (
            i + 1 < len(self.lines)
            and "|" in self.line(i)
            and "|" in self.line(i + 1)
            and _DELIM.fullmatch(self.line(i + 1).strip()) is not None
        )

    def heading(self, i: int) -> re.Match | None:
        return _HEADING.match(self.line(i))

    def starts_block(self, i: int) -> bool:
        return self.bar(i) or self.gfm_start(i) or self.heading(i) is not None

    def blocks(self, i: int, end: int | None) -> list[Block]:
        """The blocks of lines ``[i, end)`` at the top of the page."""
        n = len(self.lines) if end is None else end
        out: list[Block] = []
        while i < n:
            if self.blank(i):
                i += 1
            elif self.bar(i) and i + 1 < n and not self.blank(i + 1):
                block, i = self.bar_table(i)
                out.append(block)
            elif self.gfm_start(i):
                block, i = self.gfm_table(i)
                out.append(block)
            elif m := self.heading(i):
                s, e = self.lines[i]
                runs: list[Run] = []
                a, b = self.trim(s + m.end(), e)
                closing = _CLOSING.search(self.text, a, b)
                self.inline(a, closing.start() if closing else b, 0, runs)
                if runs:
                    out.append(Block("h", runs, level=len(m.group(1))))
                i += 1
            else:
                j = i + 1
                while j < n and not self.blank(j) and not self.starts_block(j):
                    j += 1
                out += self.plain(i, j)
                i = j
        return out

    def plain(self, i: int, j: int) -> list[Block]:
        """Lines ``[i, j)`` as paragraphs: a blank line or a rule line
        (``-----``) ends one."""
        out: list[Block] = []
        group: list[int] = []
        for k in range(i, j + 1):
            if k < j and not self.blank(k) and not self.rule(k):
                group.append(k)
                continue
            if group:
                out.append(Block("p", self.paragraph(group)))
                group = []
            if k < j and self.rule(k):
                out.append(Block("hr"))
        return out

    def rule(self, i: int) -> bool:
        """A line of dashes (``-----``, ``**-----**``): a short rule."""
        return _RULE.fullmatch(self.line(i).strip().strip("*").strip()) is not None

    def trim(self, a: int, b: int) -> tuple[int, int]:
        t = self.text
        while a < b and t[a].isspace():
            a += 1
        while b > a and t[b - 1].isspace():
            b -= 1
        return a, b

    def paragraph(self, group: list[int]) -> list[Run]:
        runs: list[Run] = []
        style = 0
        prev = None
        for k in group:
            a, b = self.trim(*self.lines[k])
            if prev is not None:
                brk = _BULLET.match(self.text, a) is not None or self.text[prev - 1] == ":"
                runs.append(Run(prev, a, join=True, brk=brk))
            style = self.inline(a, b, style, runs)
            prev = b
        return runs

    def inline(self, a: int, b: int, style: int, runs: list[Run]) -> int:
        """Append the runs of the source ``[a, b)`` (one line) to ``runs``,
        dropping the emphasis markers; returns the style at its end. A run
        of ``*`` with white space (or the line's edge) on both sides is
        text (the edge of a line is not: the crawler breaks lines right
        after an opening ``**``); one ``*`` toggles italic, two bold, three
        both, and a longer run counts as that many pairs and one."""
        t = self.text
        pos = a
        for m in _STARS.finditer(t, a, b):
            before = t[m.start() - 1] if m.start() > a else ""
            after = t[m.end()] if m.end() < b else ""
            if before.isspace() and after.isspace():
                continue  # "b/a * 100%": a literal star (at a line's edge, a crawled "**" opens or closes)
            if m.start() > pos:
                runs.append(Run(pos, m.start(), style))
            k = len(m.group())  # "****" closes and opens bold: no change
            style ^= (ITALIC if k % 2 else 0) | (BOLD if (k // 2) % 2 else 0)
            pos = m.end()
        if b > pos:
            runs.append(Run(pos, b, style))
        return style

    def bar_table(self, i: int) -> tuple[Block, int]:
        """The crawler's table that starts at the bar line ``i``: a cell is
        the lines between two bar lines; it ends at a bar line followed by a
        blank line or the end of the text."""
        n = len(self.lines)
        segs: list[tuple[int, int] | None] = []
        cur: list[int] | None = None
        j = i + 1
        while j < n:
            if self.bar(j):
                segs.append(tuple(cur) if cur else None)
                cur = None
                if j + 1 >= n or self.blank(j + 1):
                    j += 1
                    break
            elif cur is None:
                if not self.blank(j):
                    cur = [j, j + 1]
            else:
                cur[1] = j + 1
            j += 1
        else:
            if cur:
                segs.append(tuple(cur))
        rows = _rows(segs)
        ncols = max((len(r) for r in rows), default=0)
        cells = [[self.plain(*c) if c else [] for c in row] for row in rows]
        return Block("table", rows=cells, ncols=ncols), j

    def gfm_table(self, i: int) -> tuple[Block, int]:
        """A GitHub table: the header line ``i``, the delimiter row, then
        every line with a ``|`` up to a blank line."""
        rows = [self.cells(i)]
        j = i + 2
        while j < len(self.lines) and not self.blank(j) and "|" in self.line(j):
            rows.append(self.cells(j))
            j += 1
        ncols = max(len(r) for r in rows)
        return Block("table", rows=rows, ncols=ncols, header=True), j

    def cells(self, k: int) -> list[list[Block]]:
        s, e = self.lines[k]
        a, b = self.trim(s, e)
        t = self.text
        if a < b and t[a] == "|":
            a += 1
        if b > a and t[b - 1] == "|":
            b -= 1
        out = []
        start = a
        for p in range(a, b + 1):
            if p == b or t[p] == "|":
                x, y = self.trim(start, p)
                runs: list[Run] = []
                self.inline(x, y, 0, runs)
                out.append([Block("p", runs)] if runs else [])
                start = p + 1
        return out


def _rows(segs: Sequence[tuple[int, int] | None]) -> list[list]:
    """The rows of a crawler's table from its cells in order (``None`` for
    an empty one). Two bar lines in a row end a row or hold an empty cell;
    the number of columns is the most frequent length of the stretches of
    two cells or more between empties, and a run of ``m`` empties is read as empty cells when the row then has exactly
    that many columns, else as the end of the row, with the empties that
    complete it; empties at the end complete the last row (the crawler
    leaves runs of bar lines after some tables).

    >>> _rows(["STT", "Tên", "Điểm", None, "I", "NHÓM", "115", None, None, "1", "a", "20"])
    [['STT', 'Tên', 'Điểm'], ['I', 'NHÓM', '115'], [None, '1', 'a', '20']]
    >>> _rows(["a", "b", "c", None, "1", None, "z", None, "II", None, "2", "y", "w"])
    [['a', 'b', 'c'], ['1', None, 'z'], ['II'], ['2', 'y', 'w']]
    >>> _rows(["a", "b", None, "1", "x", None, None, None, None])
    [['a', 'b'], ['1', 'x']]
    """
    groups = Counter()
    k = 0
    for s in [*segs, None]:  # the rows if every run of empties ended one
        if s is None:
            if k > 1:
                groups[k] += 1
            k = 0
        else:
            k += 1
    ncols = max(groups, key=lambda n: (groups[n], n)) if groups else 1
    rows: list[list] = [[]]
    k = 0
    while k < len(segs):
        if segs[k] is not None:
            rows[-1].append(segs[k])
            k += 1
            continue
        m = 0
        while k + m < len(segs) and segs[k + m] is None:
            m += 1
        ahead = 0
        while k + m + ahead < len(segs) and segs[k + m + ahead] is not None:
            ahead += 1
        r = len(rows[-1])
        if k + m == len(segs):  # empties at the end: the last row's empty cells, if it lacks any
            rows[-1] += [None] * max(0, min(m, ncols - r))
        elif r and r + m + ahead == ncols:  # empty cells inside a row
            rows[-1] += [None] * m
        else:  # the end of the row, with the empties that complete it
            fill = min(m - 1, max(0, ncols - r))
            rows[-1] += [None] * fill
            rows.append([None] * (m - 1 - fill))
        k += m
    return [r for r in rows if r]


def _flows(blocks: list[Block]) -> list[list[Run]]:
    """Every run list of ``blocks``, in source order."""
    out = []
    for b in blocks:
        if b.kind in ("p", "h"):
            if b.runs:
                out.append(b.runs)
        elif b.kind == "table":
            for row in b.rows:
                for cell in row:
                    out += _flows(cell)
    return out


def render(
    text: str,
    items: Sequence,
    open_mark: Callable[[object, bool], str],
    close_mark: Callable[[object, bool], str],
) -> tuple[str, list]:
    """The HTML of the Markdown page ``text`` with ``items`` (highlights
    with ``start``/``end`` offsets in ``text``, nested and sorted by start,
    longest first, as :func:`~extractors.annotate.nest` keeps them) marked;
    ``(html, unplaced)``, ``unplaced`` being the items whose span holds no
    shown character (only markup), which cannot be marked.

    ``open_mark(item, first)`` and ``close_mark(item, last)`` write an
    item's tags; ``first`` is false for the fragments after the first of an
    item that crosses blocks, ``last`` true for its last fragment.

    >>> from types import SimpleNamespace as S
    >>> t = "**Căn cứ** Nghị định số\\n72/2015/NĐ-CP;"
    >>> item = S(start=t.index("Nghị"), end=t.index(";"))
    >>> render(t, [item], lambda s, f: "<mark>", lambda s, l: "</mark>")
    ('<p><b>Căn cứ</b> <mark>Nghị định số 72/2015/NĐ-CP</mark>;</p>', [])
    """
    blocks = parse(text)
    flows = _flows(blocks)
    nexts = {id(f): (flows[k + 1][0].start if k + 1 < len(flows) else len(text)) for k, f in enumerate(flows)}
    w = _Writer(text, items, open_mark, close_mark, nexts)
    out: list[str] = []
    w.blocks(blocks, out)
    w.finish()
    return "".join(out), w.unplaced


class _Writer:
    def __init__(self, text, items, open_mark, close_mark, nexts):
        self.text, self.items = text, items
        self.open_mark, self.close_mark = open_mark, close_mark
        self.nexts = nexts
        self.i = 0
        self.live: list = []
        self.started: set[int] = set()
        self.unplaced: list = []

    def blocks(self, blocks: list[Block], out: list[str]) -> None:
        for b in blocks:
            if b.kind == "p":
                if b.runs:  # a paragraph of markup only ("****") shows nothing
                    out.append(f"<p>{self.flow(b.runs)}</p>")
            elif b.kind == "h":
                out.append(f'<h{b.level} class="md">{self.flow(b.runs)}</h{b.level}>')
            elif b.kind == "hr":
                out.append('<hr class="md">')
            else:
                out.append('<table class="md">')
                for r, row in enumerate(b.rows):
                    out.append("<tr>")
                    for c, cell in enumerate(row):
                        tag = "th" if b.header and r == 0 else "td"
                        span = b.ncols - len(row) + 1 if c == len(row) - 1 else 1
                        out.append(f'<{tag} colspan="{span}">' if span > 1 else f"<{tag}>")
                        self.blocks(cell, out)
                        out.append(f"</{tag}>")
                    out.append("</tr>")
                out.append("</table>")

    def flow(self, runs: list[Run]) -> str:
        if not runs:
            return ""
        fs, fe = runs[0].start, runs[-1].end
        upto = self.nexts[id(runs)]
        live = []
        for h in self.live:
            if h.end > fs:
                live.append(h)
            elif id(h) not in self.started:  # its span held only markup
                self.unplaced.append(h)
        while self.i < len(self.items) and self.items[self.i].start < fe:
            h = self.items[self.i]
            self.i += 1
            (live if h.end > fs else self.unplaced).append(h)
        self.live = live
        out: list[str] = []
        cur: list = []  # the items open, outermost first
        style = 0
        t = self.text
        for run in runs:
            if run.join:
                pieces = [(run.start, run.end)]
            else:
                cuts = sorted({x for h in live for x in (h.start, h.end) if run.start < x < run.end})
                bounds = [run.start, *cuts, run.end]
                pieces = list(zip(bounds, bounds[1:]))
            for a, b in pieces:
                stack = [h for h in live if h.start <= a and h.end >= b]
                p = 0
                while p < len(cur) and p < len(stack) and cur[p] is stack[p]:
                    p += 1
                if p < len(cur) or p < len(stack):
                    out.append(_style_tags(style, close=True))
                    style = 0
                    for h in reversed(cur[p:]):
                        out.append(self.close_mark(h, h.end <= upto))
                    for h in stack[p:]:
                        out.append(self.open_mark(h, id(h) not in self.started))
                        self.started.add(id(h))
                    cur = stack
                if run.style != style and not run.join:
                    out.append(_style_tags(style, close=True) + _style_tags(run.style))
                    style = run.style
                if run.join:
                    out.append("<br>" if run.brk else " ")
                else:
                    out.append(html.escape(t[a:b], quote=False))
        out.append(_style_tags(style, close=True))
        for h in reversed(cur):
            out.append(self.close_mark(h, h.end <= upto))
        return "".join(out)

    def finish(self) -> None:
        self.unplaced += [h for h in self.live if id(h) not in self.started]
        self.unplaced += self.items[self.i :]


def _style_tags(style: int, close: bool = False) -> str:
    tags = [t for bit, t in ((BOLD, "b"), (ITALIC, "i")) if style & bit]
    if close:
        return "".join(f"</{t}>" for t in reversed(tags))
    return "".join(f"<{t}>" for t in tags)
