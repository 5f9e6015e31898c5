"""Exceptions of the extraction library (lỗi). ``cli.py`` turns them into
one-line messages; nothing here prints.

A message names what gets past a failure in the library's own words: a
parameter (``see max_bytes``), a parameter with the value that helps
(``jobs=1``), a call (``build(rebuild=True)``). ``setting`` holds those
words exactly as the message has them, so that a front end which calls them
something else (the command line: ``--max-size``) can say it its own way
with :func:`reworded`; the library knows nothing of that front end.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping


class CancuError(Exception):
    """Base class of every error cancu raises on purpose; ``setting`` is the
    library's words in the message for what gets past it (see the module's
    description), None when it names nothing."""

    setting: str | None = None


class InputError(CancuError):
    """A source file that cannot be used; ``path`` names it, ``reason`` says
    why. When the failure is over a limit, ``setting`` names the parameter of
    that limit (``max_bytes``, ``timeout``, ``max_memory``: the reason says it)
    and ``limit`` is its value."""

    def __init__(self, path: str, reason: str, *, setting: str | None = None, limit: float | None = None):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.setting = setting
        self.limit = limit


def reworded(message: str, setting: str | None, words: Mapping[str, str], **fields) -> str:
    """``message`` with the library's words for its ``setting`` (the last
    time it names them) replaced by what a front end calls it,
    ``words[setting]``, formatted with ``fields`` (``{store}``). A message
    whose setting ``words`` does not know, or that does not name it, is
    returned as it is.

    >>> words = {"max_bytes": "--max-size", "build(rebuild=True)": "`cancu build --rebuild --store {store}`"}
    >>> reworded("file too large (77,600 bytes; the limit is 51,200, see max_bytes)", "max_bytes", words)
    'file too large (77,600 bytes; the limit is 51,200, see --max-size)'
    >>> reworded("the store s is damaged; rebuild it with build(rebuild=True)", "build(rebuild=True)", words, store="s")
    'the store s is damaged; rebuild it with `cancu build --rebuild --store s`'
    >>> reworded("permission denied", None, words)
    'permission denied'
    """
    if not setting or setting not in words:
        return message
    at = message.rfind(setting)
    if at < 0:
        return message
    return message[:at] + words[setting].format(**fields) + message[at + len(setting) :]


class DecodeError(InputError):
    """The bytes of a file are not text cancu can read."""


class OverBudget(InputError):
    """A file whose reading went over its time or memory budget (``timeout``,
    ``max_memory``: the limits of a reader process); the reader was stopped."""


class ReadTimeout(OverBudget):
    """Reading and extracting one file took longer than its time limit (``timeout``)."""


class OutOfMemory(OverBudget):
    """Reading one file needed more memory than a reader process may use."""


class ReaderCrashed(InputError):
    """The process reading a file stopped by itself (a crash in a parser)."""


class BadFileName(InputError):
    """A file name cancu cannot keep as text: not valid UTF-8."""


def shown(path: str) -> str:
    r"""A path as one printable line: bytes that are not UTF-8 (kept by
    Python as lone surrogates) as ``\xNN``, control characters and line
    separators as escapes; everything else, Vietnamese included, as is.

    >>> shown("kế-hoạch.pdf"), shown("a\udcff\udcfeb.txt"), shown("hai\ndòng.txt")
    ('kế-hoạch.pdf', 'a\\xff\\xfeb.txt', 'hai\\ndòng.txt')
    """
    if not any(_unsafe(ch) for ch in path):
        return path
    out = []
    for ch in path:
        o = ord(ch)
        if not _unsafe(ch):
            out.append(ch)
        elif 0xDC80 <= o <= 0xDCFF:  # an undecodable byte (surrogateescape)
            out.append(f"\\x{o - 0xDC00:02x}")
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif o < 0x100:
            out.append(f"\\x{o:02x}")
        else:
            out.append(f"\\u{o:04x}")
    return "".join(out)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _unsafe(ch: str) -> bool:
    """A control character, a line or paragraph separator, or a lone
    surrogate: what would split, garble or fail to print a line."""
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Cs")


def name_problem(path: str) -> str | None:
    """Why a path cannot be kept as a source name, or None: it must encode
    as UTF-8 (the JSON output and the store hold names as text)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not valid UTF-8 (rename the file; cancu keeps names as UTF-8 text)"
    return None


class WorkerError(CancuError):
    """No process could be started to read files in; the message says what
    may help (``setting``: ``jobs=1``, reading in one process)."""

    def __init__(self, message: str, *, setting: str | None = None):
        super().__init__(message)
        self.setting = setting


class SchedulerError(CancuError):
    """The Dask scheduler that files were to be read on (``scheduler``) cannot
    be reached or used, or dask.distributed is not installed; the message
    says what may help (``setting``: ``with jobs``, reading on this machine)."""

    def __init__(self, message: str, *, setting: str | None = "with jobs"):
        super().__init__(message)
        self.setting = setting
