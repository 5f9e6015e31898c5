"""Compiled patterns kept from one run to the next (mẫu đã biên dịch).

Python compiles a regular expression in Python code, every time a process
starts: cancu's patterns (the designators, the provinces, the known
agencies, every cue word) took 0.2 s of a one-file ``cancu extract``, as
long as the extraction of the file itself. :func:`compile_pattern` is
``re.compile`` with a cache, for the patterns cancu makes of its own data
(a pattern made of a document's own words is compiled by ``re.compile``: it
would only fill the cache). The first run keeps what the compiler made of
each pattern (the regular-expression engine's own program, with its groups)
in a cache file, and the next runs hand that program to the engine directly
(``_sre.compile``, which checks it before it takes it), as Python's own
bytecode cache spares the compiling of modules. The pattern that comes back
is the one ``re.compile`` returns: the same pattern, flags, groups and
program.

The cache is a file of the user's cache folder (``CANCU_CACHE_DIR`` when it
is set; else ``%LOCALAPPDATA%\\cancu`` on Windows, ``~/Library/Caches/cancu``
on macOS, ``$XDG_CACHE_HOME/cancu`` or ``~/.cache/cancu`` elsewhere), one
per Python version (its bytecode tag and the engine's version are in the
name and in the file, so another Python never takes it). It is written when a
process ends having compiled patterns it did not find there, atomically (a
file written whole beside it, then renamed). ``CANCU_CACHE_DIR=""`` turns it
off. A cache that cannot be read, is damaged or was written by another
Python is ignored (and written again); a cache folder that cannot be written
costs only the time it would have saved: nothing of a user's results depends
on it.

>>> p = compile_pattern(r"Nghị định\\s+(?P<number>\\d+)")
>>> p.search("theo Nghị định 13/2023/NĐ-CP").group("number")
'13'
>>> p == re.compile(r"Nghị định\\s+(?P<number>\\d+)")
True
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from pathlib import Path

try:  # the engine and its compiler (CPython's; another Python compiles as re does)
    import _sre
    from re import _compiler, _parser

    _ENGINE = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}"
except (ImportError, AttributeError):  # pragma: no cover - not CPython
    _sre = None
    _ENGINE = None

#: what a cache file starts with: the format and the engine it was made for
_HEADER = ("cancu-patterns", 1, _ENGINE, sys.hexversion)
#: a cache grown past this many patterns (old versions of cancu) starts again
MAX_PATTERNS = 5000

_entries: dict[tuple[str, int], tuple] | None = None  # (pattern, flags) → the engine's arguments
_added = 0  # patterns compiled here that the cache did not have
_compiled: dict[tuple[str, int], re.Pattern] = {}  # the patterns of this process, made once each


def cache_file() -> Path | None:
    """The cache file of this Python, or None when the cache is off.

    >>> cache_file().name.startswith("patterns-" + sys.implementation.cache_tag)
    True
    """
    if _ENGINE is None:
        return None
    folder = os.environ.get("CANCU_CACHE_DIR")
    if folder is None:
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
        elif sys.platform == "darwin":
            base = os.path.expanduser("~/Library/Caches")
        else:
            base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        folder = os.path.join(base, "cancu")
    elif not folder:
        return None
    return Path(folder) / f"patterns-{_ENGINE}.marshal"


def _read(path: Path) -> dict[tuple[str, int], tuple]:
    """The patterns of the cache file ``path``; none when there is none yet,
    or when it is damaged or another Python's."""
    try:
        header, entries = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return entries if header == _HEADER and isinstance(entries, dict) else {}


def _load() -> dict[tuple[str, int], tuple]:
    global _entries
    if _entries is None:
        path = cache_file()
        _entries = {} if path is None else _read(path)
    return _entries


def _made(pattern: str, flags: int) -> tuple:
    """What ``re._compiler.compile`` hands the engine for ``pattern``."""
    p = _parser.parse(pattern, flags)
    code = list(map(int, _compiler._code(p, flags)))  # (its opcodes are named ints: plain ones keep)
    groupindex = dict(p.state.groupdict)
    indexgroup = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    return (flags | p.state.flags, code, p.state.groups - 1, groupindex, tuple(indexgroup))


def compile_pattern(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, from the cache when it has it.

    >>> compile_pattern(r"(?i)tỉnh\\s+(\\w+)").match("TỈNH Lào").groups()
    ('Lào',)
    """
    global _added
    flags = int(flags)
    if _sre is None or not isinstance(pattern, str) or flags & re.DEBUG:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    compiled = _compiled.get(key)
    if compiled is not None:  # asked again in this process: the same object, as re's own cache gives
        return compiled
    entries = _load()
    made = entries.get(key)
    if made is not None:
        try:
            compiled = _compiled[key] = _sre.compile(pattern, *made)
            return compiled
        except (RuntimeError, TypeError, ValueError, OverflowError):  # damaged: the engine refused it
            pass
    try:
        made = _made(pattern, flags)
        compiled = _sre.compile(pattern, *made)
    except re.error:
        raise
    except Exception:  # the compiler's inside is not what it was: compile as re does
        return re.compile(pattern, flags)
    entries[key] = made
    _compiled[key] = compiled
    _added += 1
    return compiled


def save() -> bool:
    """Write the cache when this process compiled patterns it did not have;
    whether it was written. Called when the process ends; a reader process,
    which ends without that, calls it itself."""
    global _added
    path = cache_file()
    if not _added or path is None or _entries is None:
        return False
    # with what other processes (the readers, another command) wrote meanwhile
    entries = {**_read(path), **_entries}
    if len(entries) > MAX_PATTERNS:
        entries = _entries if len(_entries) <= MAX_PATTERNS else {}
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps((_HEADER, entries)))
        os.replace(tmp, path)
    except (OSError, ValueError):
        try:
            tmp.unlink()
        except OSError:
            pass
        return False
    _added = 0
    return True


atexit.register(save)  # (a process that compiled nothing new writes nothing)
