"""Exceptions of the extraction library (lỗi). ``cli.py`` turns them into
one-line messages; nothing here prints."""


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
