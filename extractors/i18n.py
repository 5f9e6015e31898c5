"""The user's language (ngôn ngữ): the message catalogues of the command
line, read through the standard :mod:`gettext` machinery.

English is the default. ``cancu --lang vi`` or a Vietnamese locale
(``LANG=vi_VN.UTF-8``, or ``LC_ALL``, ``LC_MESSAGES``, ``LANGUAGE``) prints
headers, relation names, statuses and messages in Vietnamese. The catalogue
is ``data/locale/vi/LC_MESSAGES/cancu.po``; ``cancu.mo`` beside it is
compiled from it by :func:`compile_po` (``python -m cancu.extractors.i18n``),
and a test checks that the two agree and that every message the command
line marks has a translation.

>>> language(None, {"LANG": "vi_VN.UTF-8"}), language(None, {"LANG": "C.UTF-8"}), language("en", {"LANG": "vi_VN"})
('vi', 'en', 'en')
>>> translation("vi").gettext("no tasks")
'không có nhiệm vụ'
>>> translation("en").gettext("no tasks")
'no tasks'
"""

from __future__ import annotations

import ast
import gettext
import os
import struct
import sys
from functools import cache
from importlib import resources
from pathlib import Path

DOMAIN = "cancu"
LANGUAGES = ("en", "vi")
#: the environment variables that name the user's locale, in gettext's order
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def language(chosen: str | None = None, environ: dict | None = None) -> str:
    """The language to print in: ``chosen`` (``--lang``) if given, else
    Vietnamese when the locale is Vietnamese, else English."""
    if chosen:
        return chosen
    env = os.environ if environ is None else environ
    for var in LOCALE_VARIABLES:
        value = env.get(var)
        if value:
            return "vi" if value.split(":")[0].lower().startswith("vi") else "en"
    return "en"


def locale_dir() -> Path:
    """The folder of the catalogues (``<lang>/LC_MESSAGES/cancu.mo``)."""
    return Path(str(resources.files(__package__).joinpath("data", "locale")))


@cache
def translation(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (English: no catalogue, the messages as written)."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(locale_dir()), languages=[lang])


# -- the catalogue's source and its compiled form ---------------------------------


def _unquote(s: str) -> str:
    return ast.literal_eval(s)


def parse_po(text: str) -> dict[str, str]:
    """The entries of a ``.po`` file: msgid (``context\\x04msgid`` for an
    entry with ``msgctxt``) → msgstr, the header under ``""``.

    >>> parse_po('msgid ""\\nmsgstr "Content-Type: text/plain; charset=UTF-8\\\\n"\\n\\n'
    ...          'msgctxt "column"\\nmsgid "role"\\nmsgstr "vai trò"\\n')
    {'': 'Content-Type: text/plain; charset=UTF-8\\n', 'column\\x04role': 'vai trò'}
    """
    entries: dict[str, str] = {}
    cur: dict[str, str] = {}
    field = None

    def flush():
        if "msgid" in cur:
            key = (cur["msgctxt"] + "\x04" if "msgctxt" in cur else "") + cur["msgid"]
            entries[key] = cur.get("msgstr", "")
        cur.clear()

    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            if not line and cur.get("msgstr") is not None:
                flush()
            continue
        word, _, rest = line.partition(" ")
        if word in ("msgctxt", "msgid", "msgstr"):
            if word in ("msgctxt",) or (word == "msgid" and "msgstr" in cur):
                flush()
            field = word
            cur[field] = _unquote(rest)
        elif line.startswith('"') and field:
            cur[field] += _unquote(line)
    flush()
    return entries


def compile_po(text: str) -> bytes:
    """The GNU ``.mo`` bytes of a ``.po`` text (what ``msgfmt`` writes,
    entries sorted by msgid), for :mod:`gettext` to read."""
    entries = sorted((k.encode("utf-8"), v.encode("utf-8")) for k, v in parse_po(text).items() if v or not k)
    n = len(entries)
    ids_off = 7 * 4
    strs_off = ids_off + n * 8
    data_off = strs_off + n * 8
    ids, strs, blob = [], [], b""
    for k, _ in entries:
        ids.append((len(k), data_off + len(blob)))
        blob += k + b"\0"
    for _, v in entries:
        strs.append((len(v), data_off + len(blob)))
        blob += v + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, n, ids_off, strs_off, 0, 0)
    table = b"".join(struct.pack("<2I", *p) for p in ids) + b"".join(struct.pack("<2I", *p) for p in strs)
    return head + table + blob


def catalogue_paths(lang: str = "vi") -> tuple[Path, Path]:
    """The ``.po`` source and the ``.mo`` compiled catalogue of ``lang``."""
    folder = locale_dir() / lang / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def main() -> int:
    """Compile every catalogue's ``.po`` into its ``.mo``."""
    for lang in LANGUAGES[1:]:
        po, mo = catalogue_paths(lang)
        mo.write_bytes(compile_po(po.read_text(encoding="utf-8")))
        print(mo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
