"""Safe output from data: file and sheet names, and cells a spreadsheet would run as formulas."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

__all__ = [
    "safe_file_name",
    "safe_sheet_title",
    "neutralise",
    "keep_text",
    "FORMULA_START",
    "WINDOWS_RESERVED",
]

#: First characters that make a spreadsheet run a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Device names Windows refuses as a file name, whatever the extension (``CON.xlsx``).
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(10)}
    | {f"LPT{i}" for i in range(10)}
    | {f"COM{c}" for c in "¹²³"}
    | {f"LPT{c}" for c in "¹²³"}
)
# separators, characters Windows forbids, and the formula/shell characters `|` and `;`
_FILE_BAD = re.compile(r'[\\/:*?"<>|;\x00-\x1f\x7f]')
_SHEET_BAD = re.compile(r"[\\/:*?\[\]\x00-\x1f\x7f]")
#: Longest name part kept (characters): far below every file system's limit.
MAX_NAME = 100


def _clean(text: Any) -> str:
    s = unicodedata.normalize("NFC", "" if text is None else str(text))
    # format and other control characters (bidi overrides, zero-width) as well
    return "".join("_" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in s)


def safe_file_name(text: Any, fallback: str = "file") -> str:
    r"""Return ``text`` as one file-name part that cannot leave its folder or misbehave.

    Path separators (``/``, ``\``), characters Windows forbids (``: * ? " < > |``),
    ``;``, control and invisible format characters become ``_``; ``..`` is broken up;
    leading and trailing dots and spaces are dropped; a reserved Windows device name
    (``CON``, ``NUL``, ``COM1``..., also with an extension) gets a leading ``_``. The
    result is never empty (``fallback``) and at most :data:`MAX_NAME` characters.

    Examples
    --------
    >>> safe_file_name("../../etc/x"), safe_file_name("CON"), safe_file_name("a/b")
    ('_._etc_x', '_CON', 'a_b')
    """
    s = _FILE_BAD.sub("_", _clean(text))
    s = re.sub(r"\.{2,}", ".", s)
    s = re.sub(r"_{2,}", "_", s).strip(" .")
    s = s[:MAX_NAME].strip(" .")
    if not s:
        return fallback
    if s.split(".")[0].strip().upper() in WINDOWS_RESERVED:
        s = "_" + s
    return s


def safe_sheet_title(text: Any, taken: set[str] | None = None, fallback: str = "feuille") -> str:
    r"""Return ``text`` as a worksheet title Excel accepts, unique among ``taken``.

    Characters Excel forbids in sheet names (``\ / : * ? [ ]``) and control characters
    become ``_``; leading and trailing apostrophes are dropped; at most 31 characters;
    ``History`` (reserved by Excel) gets a leading ``_``. When ``taken`` is given, a
    number is appended until the title (compared without case) is new, and the title is
    added to it.
    """
    s = _SHEET_BAD.sub("_", _clean(text)).strip().strip("'").strip()
    s = s[:31] or fallback
    if s.lower() == "history":
        s = "_" + s
    if taken is not None:
        lower = {t.lower() for t in taken}
        base, n = s, 2
        while s.lower() in lower:
            suffix = f" ({n})"
            s = base[: 31 - len(suffix)] + suffix
            n += 1
        taken.add(s)
    return s


def neutralise(value: Any) -> Any:
    """Return text that a spreadsheet would run as a formula with a leading apostrophe.

    Cells starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return are prefixed
    with ``'`` so Excel and LibreOffice show them as text. Other values are unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def keep_text(cell) -> None:
    """Store an openpyxl cell holding text that starts with ``=`` as text, not a formula.

    openpyxl writes any string starting with ``=`` as a formula; a string cell is never
    run by a spreadsheet, and reads back exactly as written.
    """
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"
