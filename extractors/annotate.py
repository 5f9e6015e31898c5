"""The annotated text (văn bản chú thích): a plan's own text with what was
extracted highlighted in place, displaCy-style, to check extraction by eye.

:func:`spans` turns an extraction record into highlight spans (citations,
their dates and issuers, and the agencies that lead or support tasks);
:func:`to_html` renders the text with them, a legend and an index of the
cited keys (each citation links to its key's row, each row back to its
citations); :func:`annotate_file` reads and extracts one file and renders
it. A Markdown page (a page saved from a legal portal) is shown rendered,
its tables as tables and its wrapped lines joined, with every highlight at
its exact span (:mod:`extractors.mdview` keeps the map from what is shown
to the source offsets), and a toggle shows the raw text. The page is one
HTML file with no script and no external resource.
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
    citation's key), ``title`` (the tooltip) and ``count``, how many facts of
    the record it stands for (an agency named once in a table row that
    supports two tasks holds two roles: one highlight, ``count`` 2)."""

    kind: str
    start: int
    end: int
    label: str
    key: str | None = None
    title: str = ""
    count: int = 1


def anchor(key: str) -> str:
    """The HTML id of a key's row in the index.

    >>> anchor("72/2015/NĐ-CP"), anchor("57-KL/TW")
    ('key-72/2015/nđ-cp', 'key-57-kl/tw')
    """
    return "key-" + re.sub(r"\s+", "", key).casefold()


def spans(record: dict) -> list[Span]:
    """The highlight spans of an extraction record (``DocumentRecord.to_dict()``),
    sorted by position. A date or issuer that a short mention only inherits
    from an earlier citation is not marked again. Facts of one kind at the
    same span (an agency mention that holds a role in several tasks) make one
    span, whose ``count`` says how many and whose tooltip lists each.

    >>> from cancu.extractors.pipeline import extract_text
    >>> rec = extract_text("Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;\\n").to_dict()
    >>> [(s.kind, s.start, s.end, s.label) for s in spans(rec)]
    [('citation', 7, 33, '72/2015/NĐ-CP'), ('date', 34, 48, 'DATE'), ('issuer', 53, 62, 'ISSUER')]
    >>> rec = {"agencies": [{"name": "Hội Nông dân tỉnh", "role": "support", "task": t, "start": 5, "end": 22}
    ...                     for t in ("IV.6.a", "IV.6.b")]}
    >>> [(s.kind, s.count, s.title) for s in spans(rec)]
    [('support', 2, 'Hội Nông dân tỉnh: phối hợp, task IV.6.a\\nHội Nông dân tỉnh: phối hợp, task IV.6.b')]
    """
    groups: dict[tuple, list[tuple]] = {}

    def add(kind: str, start: int, end: int, label: str, key: str | None, title: str) -> None:
        if end > start:
            groups.setdefault((kind, start, end), []).append((label, key, title))

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
        add("citation", c["start"], c["end"], c["key"], c["key"], tip)
        inherited = c.get("inherited") or ()
        if c.get("date_start") is not None and "date" not in inherited:
            add("date", c["date_start"], c["date_end"], "DATE", c["key"], f"{c.get('date')} ({c['key']})")
        if c.get("issuer_start") is not None and "issuer" not in inherited:
            add("issuer", c["issuer_start"], c["issuer_end"], "ISSUER", c["key"], f"{c.get('issuer')} ({c['key']})")
    for a in record.get("agencies", ()):
        kind = "lead" if a.get("role") == "lead" else "support"
        role = "chủ trì" if kind == "lead" else "phối hợp"
        add(kind, a["start"], a["end"], kind.upper(), None, f"{a.get('name')}: {role}, task {a.get('task') or '-'}")
    out = []
    for (kind, start, end), facts in groups.items():
        label, key, _ = facts[0]
        title = "\n".join(dict.fromkeys(t for *_, t in facts))
        out.append(Span(kind, start, end, label, key, title, len(facts)))
    return sorted(out, key=lambda s: (s.start, -s.end, _PRIORITY[s.kind]))


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


def _open(s: Span, first: bool = True, ids: bool = True) -> str:
    """The opening tags of a highlight; ``first`` false for the fragments
    after the first of one that crosses blocks (no id, class ``cont``)."""
    color = KINDS[s.kind][1]
    attrs = (
        f'class="entity {s.kind}{"" if first else " cont"}" style="background: {color}" '
        f'title="{html.escape(s.title)}" data-kind="{s.kind}" data-start="{s.start}" data-end="{s.end}"'
        + (f' data-count="{s.count}"' if s.count > 1 else "")
    )
    if s.kind == "citation":
        at = f'id="c-{s.start}" ' if first and ids else ""
        return (
            f'<a class="cite" {at}href="#{html.escape(anchor(s.key))}" data-key="{html.escape(s.key)}"><mark {attrs}>'
        )
    return f"<mark {attrs}>"


def _close(s: Span, last: bool = True) -> str:
    """The closing tags of a highlight, with its label after its last fragment."""
    tag = (f'<span class="label">{html.escape(s.label)}</span>' if last else "") + "</mark>"
    return tag + ("</a>" if s.kind == "citation" else "")


def render_text(text: str, items: list[Span], ids: bool = True) -> str:
    """``text`` as HTML with ``items`` (nested, see :func:`nest`) marked,
    as it is (to be shown with its white space kept); ``ids`` false leaves
    out the citations' ids (a second copy of the text in one page).

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
        out.append(_open(s, ids=ids))
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
#text, #raw { flex: 3; line-height: 2.3; font-size: 15px; max-width: 960px; min-width: 0; }
#text.plain, #raw { white-space: pre-wrap; }
#raw { display: none; }
#text p { margin: 0 0 0.6em; }
#text h1, #text h2, #text h3, #text h4, #text h5, #text h6 { line-height: 1.6; margin: 0.8em 0 0.4em; }
#text hr.md { width: 30%; margin: 0.2em auto 0.6em; border: 0; border-top: 1px solid #888; }
#text table.md { border-collapse: collapse; margin: 0.4em 0 1em; line-height: 1.9; font-size: 14px; }
#text table.md td, #text table.md th { border: 1px solid #bbb; padding: 2px 6px; vertical-align: top;
                                       text-align: left; }
#text table.md p { margin: 0.1em 0; }
#show-raw { position: absolute; left: -9999px; }
label.toggle { display: inline-block; margin-top: 8px; font-size: 13px; cursor: pointer; border: 1px solid #aaa;
               border-radius: 4px; padding: 1px 8px; background: #fff; user-select: none; }
label.toggle::before { content: "☐ "; }
#show-raw:checked ~ header label.toggle::before { content: "☑ "; }
#show-raw:checked ~ main #text { display: none; }
#show-raw:checked ~ main #raw { display: block; }
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


def facts(record: dict) -> dict[str, int]:
    """How many facts of each kind of :data:`KINDS` the record holds, as
    the page's legend counts them: its citations, the dates and issuers
    they state themselves, and its agency roles (vai trò: chủ trì, phối
    hợp), so that ``facts["lead"] + facts["support"]`` is the number of
    agency roles ``cancu annotate`` reports.

    >>> facts({"citations": [{"key": "K", "start": 0, "end": 1, "date_start": 2, "date_end": 3}],
    ...        "agencies": [{"role": "lead", "start": 4, "end": 5}, {"role": "support", "start": 4, "end": 5}]})
    {'citation': 1, 'date': 1, 'issuer': 0, 'lead': 1, 'support': 1}
    """
    counts = Counter({k: 0 for k in KINDS})
    for s in spans(record):
        counts[s.kind] += s.count
    return dict(counts)


def to_html(text: str, record: dict, title: str | None = None, markdown: bool | None = None) -> str:
    """The annotated page of ``text`` (the text the record's offsets refer
    to) and its extraction ``record``.

    A Markdown page (``markdown``; by default when the record's ``format``
    is ``md``, a page saved from a legal portal) is shown rendered, with its
    tables as tables, bold as bold and wrapped lines joined into paragraphs
    (:mod:`extractors.mdview`), each highlight around the very text of its
    span; a toggle (``#show-raw``, no script) shows the raw text instead,
    highlighted the same. Any other text is shown as it is. The header and
    the legend count the record's facts (:func:`facts`): as many citations
    and agency roles as ``cancu annotate`` reports.

    >>> from cancu.extractors.pipeline import extract_text
    >>> t = "Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;\\n"
    >>> page = to_html(t, extract_text(t).to_dict(), "t")
    >>> page.count('<mark class="entity citation"'), 'id="legend"' in page, "http" in page
    (1, True, False)
    >>> md = "**Căn cứ** Nghị định số\\n72/2015/NĐ-CP;\\n"
    >>> page = to_html(md, extract_text(md).to_dict(), "t", markdown=True)
    >>> re.search(r'<p><b>Căn cứ</b> <a .*?data-start="11"[^>]*>(.*?)<span', page).group(1)
    'Nghị định số 72/2015/NĐ-CP'
    >>> page.count('data-start="11"'), 'id="show-raw"' in page
    (2, True)
    """
    from . import mdview

    if markdown is None:
        markdown = record.get("format") == "md"
    items, dropped = nest(spans(record))
    me = record.get("self") or {}
    counts = facts(record)
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
    if markdown:
        shown, unplaced = mdview.render(text, items, lambda s, first: _open(s, first), _close)
        body = f'<div id="text" class="md">{shown}</div>\n<div id="raw">{render_text(text, items, ids=False)}</div>'
        toggle = '<label class="toggle" for="show-raw">raw text</label>'
    else:
        unplaced = []
        body = f'<div id="text" class="plain">{render_text(text, items)}</div>'
        toggle = ""
    not_shown = [(s, "overlapping") for s in dropped] + [(s, "in markup only") for s in unplaced]
    note = (
        (
            f'<p class="dropped">{len(not_shown)} span(s) not shown: '
            + html.escape(", ".join(f"{s.kind} {s.start}-{s.end} ({why})" for s, why in not_shown))
            + "</p>"
        )
        if not_shown
        else ""
    )
    head = html.escape(title or record.get("source") or "annotated text")
    n = len(record.get("citations", ()))
    return (
        f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="generator" content="cancu annotate">\n<title>{head}</title>\n<style>{_CSS}</style>\n'
        f"</head>\n<body>\n"
        + ('<input type="checkbox" id="show-raw">\n' if markdown else "")
        + f'<header><h1>{head}</h1><div class="meta">{html.escape(meta)}</div>'
        f'<div class="meta" id="counts">{n} citations, {len(by_key)} documents, '
        f"{len(record.get('agencies', ()))} agency roles</div>\n"
        f'<div id="legend">{legend}</div>{toggle}{note}</header>\n<main>\n{body}\n'
        f'<aside id="keys"><table><thead><tr><th>key</th><th>type</th>'
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
