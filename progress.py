"""Progress on a terminal (tiến độ) for the long commands: ``build``,
``extract``, ``load``, ``export``.

One bar on stderr, drawn by tqdm: what is done of the total, how many per
second, the time left and the item just done (a file's short path, a
batch). It is shown only when stderr is a terminal, ``TERM`` is not
``dumb`` and ``CANCU_NO_PROGRESS`` is not set; anywhere else (a pipe, a
log file, a test) nothing is drawn and the commands print exactly what
they print without it. The bar is wiped when the work ends, so that the
command's summary line is the only one left of it.

The library reports progress through callbacks, ``progress(item, done,
total)``, and never prints; :class:`Progress` is such a callback.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

#: set (to anything but the empty string) to never draw a bar
NO_PROGRESS = "CANCU_NO_PROGRESS"
#: the widest item shown beside the bar, in characters
ITEM_WIDTH = 40


def wanted(stream: TextIO | None = None, environ: dict | None = None) -> bool:
    """Whether a bar may be drawn on ``stream`` (default stderr): a
    terminal, ``TERM`` not ``dumb``, :data:`NO_PROGRESS` not set.

    >>> import io
    >>> wanted(io.StringIO())
    False
    """
    stream = sys.stderr if stream is None else stream
    environ = os.environ if environ is None else environ
    if environ.get(NO_PROGRESS) or environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


def under_current_folder(path: str) -> str | None:
    """``path`` relative to the current folder when it lies under it, else None.

    >>> under_current_folder(os.path.abspath("data/plans/a.txt")), under_current_folder("/")
    ('data/plans/a.txt', None)
    """
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return None
    return None if rel.startswith("..") else rel


def short(item: str, width: int = ITEM_WIDTH) -> str:
    """An item (a file's path) as it is shown beside the bar: relative to
    the current folder when it is under it, printable (see
    :func:`~cancu.extractors.errors.shown`), and cut at the left to
    ``width`` characters so that its end, the file's name, stays.

    >>> short("data/plans/yen-bai-2024-ttdn.txt")
    'data/plans/yen-bai-2024-ttdn.txt'
    >>> short("/tmp/corpus/vn-legal-2025/0a1b2c3d4e5f6a7b.md", 24)
    '…/0a1b2c3d4e5f6a7b.md'
    >>> short("kế-hoạch\\n2024.pdf")
    'kế-hoạch\\\\n2024.pdf'
    """
    from .extractors.errors import shown

    if os.path.isabs(item):
        item = under_current_folder(item) or item
    item = shown(item)
    if len(item) <= width:
        return item
    tail = item[-(width - 1) :]
    cut = tail.find("/")
    return "…" + (tail[cut:] if 0 <= cut < len(tail) - 1 else tail)


def _bar_class():
    """tqdm's bar without its monitor thread (which only tunes how often it
    redraws): the build forks reader processes while the bar is up, and a
    process that forks is best left with one thread."""
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0

    return Bar


class Progress:
    """A progress bar on stderr, and the callback that moves it:
    ``progress(item, done, total)`` says that ``done`` of ``total`` are done,
    ``item`` the last. ``unit`` names what is counted (``files``, ``rows``).

    Drawn only where :func:`wanted`; elsewhere every call does nothing but
    count. Use it as a context manager: on leaving, the bar is wiped.
    :meth:`echo` prints a line on stderr (a failure) without breaking the bar.

    >>> import io
    >>> err = io.StringIO()
    >>> with Progress("Building", stream=err) as bar:
    ...     bar("data/plans/yen-bai-2024-ttdn.txt", 1, 5)
    ...     bar.echo("cancu: cannot read x.pdf: not a PDF")
    >>> bar.shown, bar.done, bar.total, err.getvalue()
    (False, 1, 5, 'cancu: cannot read x.pdf: not a PDF\\n')
    """

    def __init__(self, label: str, unit: str = "files", stream: TextIO | None = None):
        self.label = label
        self.unit = unit
        self.stream = sys.stderr if stream is None else stream
        self.shown = wanted(self.stream)
        self.done = 0
        self.total = 0
        self._bar = None

    def __call__(self, item: str, done: int, total: int) -> None:
        self.done, self.total = done, total
        if not self.shown:
            return
        if self._bar is None:
            self._bar = _bar_class()(
                total=total,
                desc=self.label,
                unit=" " + self.unit,
                file=self.stream,
                leave=False,  # wiped at the end: the summary line follows
                dynamic_ncols=True,
                smoothing=0.1,
            )
        bar = self._bar
        if bar.total != total:
            bar.total = total
        bar.set_postfix_str(short(item), refresh=False)
        bar.update(done - bar.n)
        if done >= total:
            bar.refresh()  # the last step is drawn, however soon it came

    def echo(self, message: str) -> None:
        """``message`` on its own line of stderr, the bar drawn again below it."""
        if self._bar is not None:
            self._bar.clear()
            print(message, file=self.stream, flush=True)
            self._bar.refresh()
        else:
            import click

            click.echo(message, file=self.stream)

    def write(self, text: str, out: TextIO) -> None:
        """``text`` on ``out`` (the command's output): where that is the
        terminal the bar is on, the bar is lifted for it and drawn again."""
        if self._bar is not None and wanted(out):
            self._bar.clear()
            out.write(text)
            out.flush()
            self._bar.refresh()
        else:
            out.write(text)

    def close(self) -> None:
        """Wipe the bar: the line it took is blank, the cursor at its start."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
