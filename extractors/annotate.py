"""The annotated text (văn bản chú thích): a plan's own text with what was
extracted highlighted in place, displaCy-style, to check extraction by eye.

:func:`spans` turns an extraction record into highlight spans (citations,
their dates and issuers, and the agencies that lead or support tasks);
:func:`to_html` renders the text with them, a legend and an index of the
cited keys (each citation links to its key's row, each row back to its
citations); :func:`annotate_file` reads and extracts one file and renders
it. The page is one HTML file with no script and no external resource.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

from .errors import InputError

#: kind → (legend caption, colour), in legend order
KINDS = {
    "citation": ("Citation (trích dẫn)", "#7aecec"),
    "date": ("Date (ngày)", "#bfe1d9"),
    "issuer": ("Issuer (cơ quan ban hành)", "#feca74"),
    "lead": ("Agency leading (chủ trì)", "#aa9cfc"),
    "support": ("Agency supporting (phối hợp)", "#ddd1fc"),
}
#: which kind wins where two spans cross (lower first)
_PRIORITY = {k: i for i, k in enumerate(KINDS)}


@dataclass(frozen=True)
class Span:
    """One highlight: ``kind`` (a key of :data:`KINDS`), ``start``/``end``
    (offsets in the text), ``label`` (shown after the text), ``key`` (the
    citation's key) and ``title`` (the tooltip)."""

    kind: str
    start: int
    end: int
    label: str
    key: str | None = None
    title: str = ""


def anchor(key: str) -> str:
    """The HTML id of a key's row in the index.

    >>> anchor("72/2015/NĐ-CP"), anchor("57-KL/TW")
    ('key-72/2015/nđ-cp', 'key-57-kl/tw')
    """
    return "key-" + re.sub(r"\s+", "", key).casefold()


def spans(record: dict) -> list[Span]:
    """The highlight spans of an extraction record (``DocumentRecord.to_dict()``),
    sorted by position. A date or issuer that a short mention only inherits
    from an earlier citation is not marked again; identical spans are kept
    once.

    >>> from cancu.extractors.pipeline import extract_text
    >>> rec = extract_text("Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;\\n").to_dict()
    >>> [(s.kind, s.start, s.end, s.label) for s in spans(rec)]
    [('citation', 7, 33, '72/2015/NĐ-CP'), ('date', 34, 48, 'DATE'), ('issuer', 53, 62, 'ISSUER')]
    """
    out: dict[tuple, Span] = {}

    def add(s: Span) -> None:
        if s.end > s.start:
            out.setdefault((s.kind, s.start, s.end), s)

    for c in record.get("citations", ()):
        rel = "+".join(c.get("relations") or [c.get("relation") or ""])
        tip = " · ".join(
            x
            for x in (
                c.get("doc_type"),
                c["key"],
                c.get("date"),
                c.get("issuer"),
                rel,
                f"section {c['section']}" if c.get("section") else None,
            )
            if x
        )
        add(Span("citation", c["start"], c["end"], c["key"], c["key"], tip))
        inherited = c.get("inherited") or ()
        if c.get("date_start") is not None and "date" not in inherited:
            add(Span("date", c["date_start"], c["date_end"], "DATE", c["key"], f"{c.get('date')} ({c['key']})"))
        if c.get("issuer_start") is not None and "issuer" not in inherited:
            add(
                Span(
                    "issuer", c["issuer_start"], c["issuer_end"], "ISSUER", c["key"], f"{c.get('issuer')} ({c['key']})"
                )
            )
    for a in record.get("agencies", ()):
        kind = "lead" if a.get("role") == "lead" else "support"
        add(
            Span(
                kind,
                a["start"],
                a["end"],
                "LEAD" if kind == "lead" else "SUPPORT",
                None,
                f"{a.get('name')}: {'chủ trì' if kind == 'lead' else 'phối hợp'}, task {a.get('task') or '-'}",
            )
        )
    return sorted(out.values(), key=lambda s: (s.start, -s.end, _PRIORITY[s.kind]))


def nest(items: list[Span]) -> tuple[list[Span], list[Span]]:
    """Keep the spans that nest (each pair disjoint, or one inside the
    other), citations first; ``(kept, dropped)``.

    Spans are taken in order of kind (citations first), then position; one
    is dropped when it crosses a span already kept. Only spans of one run of
    overlapping spans can cross, so each run is settled on its own: a short
    run pair by pair, a long one with two range trees over its offsets, in
    O(n log n) time however many spans a text has.

    >>> a, b, c = Span("citation", 0, 10, "A"), Span("date", 5, 15, "D"), Span("issuer", 2, 4, "I")
    >>> [s.label for s in nest([a, b, c])[0]], [s.label for s in nest([a, b, c])[1]]
    (['A', 'I'], ['D'])
    """
    order = sorted(items, key=lambda s: (_PRIORITY[s.kind], s.start, s.end))
    runs: dict[int, list[int]] = {}
    run_of = [0] * len(order)
    run, reach = -1, None
    for i in sorted(range(len(order)), key=lambda i: (order[i].start, order[i].end)):
        s = order[i]
        if reach is None or s.start >= reach:
            run, reach = run + 1, s.end
        else:
            reach = max(reach, s.end)
        run_of[i] = run
    for i in range(len(order)):  # each run's spans in the order they are taken
        runs.setdefault(run_of[i], []).append(i)
    keep = [True] * len(order)
    for members in runs.values():
        if len(members) > 1:
            _settle_run([order[i] for i in members], members, keep)
    kept = [s for s, k in zip(order, keep) if k]
    dropped = [s for s, k in zip(order, keep) if not k]
    kept.sort(key=lambda s: (s.start, -s.end, _PRIORITY[s.kind]))
    return kept, dropped


def _crosses(s: Span, k: Span) -> bool:
    return (k.start < s.start < k.end < s.end) or (s.start < k.start < s.end < k.end)


def _settle_run(spans_: list[Span], index: list[int], keep: list[bool]) -> None:
    """Mark in ``keep`` the spans of one run (in the order they are taken)
    that cross a span kept before them."""
    if len(spans_) <= 32:
        kept: list[Span] = []
        for s, i in zip(spans_, index):
            if any(_crosses(s, k) for k in kept):
                keep[i] = False
            else:
                kept.append(s)
        return
    # s crosses a kept k when k ends inside s and starts before it, or k
    # starts inside s and ends after it: the least start of the kept spans
    # ending in (s.start, s.end), and the greatest end of those starting there
    coords = sorted({x for s in spans_ for x in (s.start, s.end)})
    at = {x: j for j, x in enumerate(coords)}
    size = 1
    while size < len(coords):
        size *= 2
    inf = float("inf")
    least_start = [inf] * (2 * size)  # by end offset
    most_end = [-inf] * (2 * size)  # by start offset

    def extreme(tree: list, lo: int, hi: int, pick, best: float) -> float:
        """``pick`` (min or max) of ``tree`` over the leaves ``[lo, hi)``."""
        lo, hi = lo + size, hi + size
        while lo < hi:
            if lo & 1:
                best = pick(best, tree[lo])
                lo += 1
            if hi & 1:
                hi -= 1
                best = pick(best, tree[hi])
            lo //= 2
            hi //= 2
        return best

    def lowest(tree: list, lo: int, hi: int) -> float:
        return extreme(tree, lo, hi, min, inf)

    def highest(tree: list, lo: int, hi: int) -> float:
        return extreme(tree, lo, hi, max, -inf)

    for s, i in zip(spans_, index):
        a, b = at[s.start], at[s.end]
        if a + 1 < b and (lowest(least_start, a + 1, b) < s.start or highest(most_end, a + 1, b) > s.end):
            keep[i] = False
            continue
        j = b + size
        while j and s.start < least_start[j]:
            least_start[j] = s.start
            j //= 2
        j = a + size
        while j and s.end > most_end[j]:
            most_end[j] = s.end
            j //= 2


def _open(s: Span) -> str:
    color = KINDS[s.kind][1]
    attrs = (
        f'class="entity {s.kind}" style="background: {color}" title="{html.escape(s.title)}" '
        f'data-kind="{s.kind}" data-start="{s.start}" data-end="{s.end}"'
    )
    if s.kind == "citation":
        return (
            f'<a class="cite" id="c-{s.start}" href="#{html.escape(anchor(s.key))}" '
            f'data-key="{html.escape(s.key)}"><mark {attrs}>'
        )
    return f"<mark {attrs}>"


def _close(s: Span) -> str:
    tag = f'<span class="label">{html.escape(s.label)}</span></mark>'
    return tag + ("</a>" if s.kind == "citation" else "")


def render_text(text: str, items: list[Span]) -> str:
    """``text`` as HTML with ``items`` (nested, see :func:`nest`) marked.

    >>> render_text("a <b> c", [Span("date", 2, 5, "DATE")])
    'a <mark class="entity date" style="background: #bfe1d9" title="" data-kind="date" data-start="2" \
data-end="5">&lt;b&gt;<span class="label">DATE</span></mark> c'
    """
    out: list[str] = []
    pos = 0
    stack: list[Span] = []
    for s in items:
        while stack and stack[-1].end <= s.start:
            top = stack.pop()
            out.append(html.escape(text[pos : top.end]))
            out.append(_close(top))
            pos = top.end
        out.append(html.escape(text[pos : s.start]))
        out.append(_open(s))
        pos = s.start
        stack.append(s)
    while stack:
        top = stack.pop()
        out.append(html.escape(text[pos : top.end]))
        out.append(_close(top))
        pos = top.end
    out.append(html.escape(text[pos:]))
    return "".join(out)


_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 0; color: #222; }
header { padding: 10px 18px; background: #f4f4f0; border-bottom: 1px solid #ccc; }
header h1 { font-size: 17px; margin: 0 0 4px; }
header .meta { color: #555; font-size: 13px; }
#legend { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 8px; font-size: 13px; }
#legend .swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px; vertical-align: middle;
                  margin-right: 4px; }
main { display: flex; gap: 20px; padding: 12px 18px; align-items: flex-start; }
#text { flex: 3; white-space: pre-wrap; line-height: 2.3; font-size: 15px; max-width: 960px; }
#keys { flex: 2; font-size: 12px; position: sticky; top: 0; max-height: 100vh; overflow: auto; }
#keys table { border-collapse: collapse; width: 100%; }
#keys th, #keys td { border-bottom: 1px solid #ddd; padding: 3px 5px; text-align: left; vertical-align: top; }
#keys tr:target { background: #fff6bf; }
mark.entity { padding: 0.2em 0.35em; margin: 0 0.1em; line-height: 1; border-radius: 0.35em;
              box-decoration-break: clone; -webkit-box-decoration-break: clone; color: #222; }
mark.entity .label { font-size: 0.62em; font-weight: bold; line-height: 1; border-radius: 0.35em;
                     vertical-align: middle; margin-left: 0.4em; }
a.cite { text-decoration: none; color: inherit; }
a.cite:target mark, mark.entity:target { outline: 2px solid #d62728; }
"""


def to_html(text: str, record: dict, title: str | None = None) -> str:
    """The annotated page of ``text`` (the text the record's offsets refer
    to) and its extraction ``record``.

    >>> from cancu.extractors.pipeline import extract_text
    >>> t = "Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;\\n"
    >>> page = to_html(t, extract_text(t).to_dict(), "t")
    >>> page.count('<mark class="entity citation"'), 'id="legend"' in page, "http" in page
    (1, True, False)
    """
    items, dropped = nest(spans(record))
    me = record.get("self") or {}
    counts = Counter(s.kind for s in items)
    legend = "".join(
        f'<span class="kind" data-kind="{k}"><span class="swatch" style="background: {c}"></span>'
        f"{html.escape(cap)} <b>{counts[k]}</b></span>"
        for k, (cap, c) in KINDS.items()
    )
    meta = " · ".join(
        str(x) for x in (me.get("doc_type"), me.get("province"), me.get("year"), me.get("status"), me.get("title")) if x
    )
    by_key: dict[str, list[dict]] = {}
    for c in record.get("citations", ()):
        by_key.setdefault(c["key"], []).append(c)
    rows = []
    for key, cs in sorted(by_key.items(), key=lambda kv: kv[1][0]["start"]):
        dates = sorted({c["date"] for c in cs if c.get("date")})
        issuers = sorted({c["issuer"] for c in cs if c.get("issuer")})
        rels = sorted({r for c in cs for r in (c.get("relations") or [])})
        links = " ".join(f'<a href="#c-{c["start"]}">{html.escape(c.get("section") or "-")}</a>' for c in cs)
        rows.append(
            f'<tr id="{html.escape(anchor(key))}"><td><b>{html.escape(key)}</b></td>'
            f"<td>{html.escape(cs[0].get('doc_type') or '')}</td><td>{html.escape(', '.join(dates))}</td>"
            f"<td>{html.escape('; '.join(issuers))}</td><td>{html.escape(', '.join(rels))}</td>"
            f"<td>{links}</td></tr>"
        )
    note = (
        (
            f'<p class="dropped">{len(dropped)} overlapping span(s) not shown: '
            + html.escape(", ".join(f"{s.kind} {s.start}-{s.end}" for s in dropped))
            + "</p>"
        )
        if dropped
        else ""
    )
    head = html.escape(title or record.get("source") or "annotated text")
    n = len(record.get("citations", ()))
    return (
        f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="generator" content="cancu annotate">\n<title>{head}</title>\n<style>{_CSS}</style>\n'
        f'</head>\n<body>\n<header><h1>{head}</h1><div class="meta">{html.escape(meta)}</div>'
        f'<div class="meta">{n} citations, {len(by_key)} documents, '
        f"{counts['lead'] + counts['support']} agency roles</div>\n"
        f'<div id="legend">{legend}</div>{note}</header>\n<main>\n<div id="text">'
        f'{render_text(text, items)}</div>\n<aside id="keys"><table><thead><tr><th>key</th><th>type</th>'
        f"<th>date</th><th>issuer</th><th>relation</th><th>cited in</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table></aside>\n</main>\n</body>\n</html>\n"
    )


def annotate_file(path: str, max_bytes: int | None = None) -> tuple[str, dict]:
    """Read and extract ``path`` (any supported format) and render its
    annotated page; ``(html, record)``. Raises :class:`InputError` when the
    file cannot be read."""
    from .pipeline import Failure, extract_file

    rec = extract_file(path, max_bytes)
    if isinstance(rec, Failure):
        raise InputError(path, rec.reason)
    d = rec.to_dict()
    return to_html(rec.text or "", d, path), d
