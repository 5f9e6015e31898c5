"""Exceptions of the extraction library (lỗi). ``cli.py`` turns them into
one-line messages; nothing here prints."""
from __future__ import annotations

import unicodedata


class CancuError(Exception):
    """Base class of every error cancu raises on purpose."""


class InputError(CancuError):
    """A source file that cannot be used; ``path`` names it, ``reason`` says why."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class DecodeError(InputError):
    """The bytes of a file are not text cancu can read."""


class OverBudget(InputError):
    """A file whose reading went over its time or memory budget (``--timeout``,
    the memory limit of a reader process); the reader was stopped."""


class ReadTimeout(OverBudget):
    """Reading and extracting one file took longer than ``--timeout``."""


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
    """No process could be started to read files in."""
