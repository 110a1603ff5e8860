"""Turn a table file (CSV, XLSX, XLS, ODS, Parquet) into sheets of raw cells, with reading problems.

Reading never loses or changes a value without a word: every data line of a CSV is a row
(a stray quote does not swallow the lines after it), every row of a workbook is read
whatever its declared size, a cell shown as ``45%`` reads as 45, and what cannot be read
as the user sees it (formulas without a saved value, a guessed encoding) is reported as a
located problem. Which table a sheet holds is decided later, by :mod:`.load`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import io
import re
import stat
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..errors import InputError, Problem
from . import problems
from .parse import _BLANKS, _SPACES, as_text, is_blank
from .rules import Rule

__all__ = [
    "Grid",
    "Sheet",
    "TABLE_EXTENSIONS",
    "WORKBOOK_EXTENSIONS",
    "UNSUPPORTED",
    "col_letter",
    "nonblank",
    "check_regular_file",
    "not_regular_problem",
    "decode_text",
    "decode_csv",
    "sniff_delimiter",
    "split_csv",
    "is_percent_format",
    "read_file",
    "name_columns",
    "paused_gc",
]

#: File extensions read as tables.
TABLE_EXTENSIONS = (
    ".csv",
    ".tsv",
    ".txt",
    ".xlsx",
    ".xlsm",
    ".xls",
    ".ods",
    ".parquet",
    ".pq",
)
#: Extensions of workbooks (several sheets).
WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
#: Spreadsheet formats that cannot be read, with the advice given.
UNSUPPORTED = {
    ".numbers": "Numbers files cannot be read; export the sheets as .xlsx or CSV",
}

Grid = list[tuple[int, list[Any]]]  # (row number as a spreadsheet shows it, cells)


@dataclass
class Sheet:
    """The cells of one sheet (or of a CSV/Parquet file) as read, with reading problems.

    Attributes
    ----------
    name : str or None
        Sheet name in a workbook, ``None`` for CSV and Parquet files.
    rows : list of (int, list)
        Each row's number as a spreadsheet shows it and its cells (text for CSV; Python
        objects for workbooks and Parquet). Rows may differ in length.
    problems : list of Problem
        What could not be read exactly as the user sees it. ``column`` is the column
        letter (``"C"``) until :func:`name_columns` replaces it by the header.
    """

    name: str | None
    rows: Grid
    problems: list[Problem] = field(default_factory=list)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while big tables are read and checked.

    Reading makes a list per row and a string per cell, all kept: the collector would
    walk them again and again as they pile up (most of the time of reading a million
    rows). Nothing made while reading forms reference cycles that must be freed early;
    the collector resumes as it was when the block ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                # what was made meanwhile joins the oldest generation without being walked
                # now (freeze and unfreeze do that): walking millions of live cells on
                # resuming would cost a second or more each time
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def col_letter(pos: int) -> str:
    """Return the spreadsheet letter of the 0-based column ``pos`` (0 -> ``A``, 26 -> ``AA``)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(pos + 1)


def _col_index(letters: str) -> int:
    pos = 0
    for ch in letters:
        pos = pos * 26 + ord(ch) - 64
    return pos - 1


def name_columns(found: list[Problem], header: list[Any], table: str) -> list[Problem]:
    """Return reading problems located by header (``"Budget (DH)"``) instead of by letter.

    Parameters
    ----------
    found : list of Problem
        Problems of a :class:`Sheet`, whose ``column`` is a column letter or ``None``.
    header : list
        Cells of the sheet's header row.
    table : str
        Table the sheet holds.
    """
    out = []
    for p in found:
        column = p.column
        if column and re.fullmatch(r"[A-Z]{1,3}", column):
            pos = _col_index(column)
            text = as_text(header[pos]).strip() if pos < len(header) else ""
            column = text or f"column {column}"
        out.append(replace(p, column=column, table=table))
    return out


def _rows_text(rows: list[int], limit: int = 5) -> str:
    shown = ", ".join(map(str, rows[:limit]))
    return shown + (", …" if len(rows) > limit else "")


# --- the file itself -----------------------------------------------------------------------


def check_regular_file(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` is a regular file that can be opened.

    A FIFO, socket or device is refused (reading one could block forever); a file that
    cannot be opened (permissions) gets a one-line message.
    """
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise _cannot_read(path, exc) from None
    if not stat.S_ISREG(mode):
        raise problems.error(InputError, "error.not_regular", name=path.name)
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise problems.error(
            InputError, "error.cannot_open", name=path.name, reason=exc.strerror or exc
        ) from None


def not_regular_problem(name: str) -> Problem:
    """Return the warning for a folder entry that is not a regular file (it is not opened)."""
    return problems.make(
        Rule.UNKNOWN_TABLE, "problem.read.not_regular", severity="warning", file=name, name=name
    )


def _read_bytes(path: Path) -> bytes:
    check_regular_file(path)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _cannot_read(path, exc) from None


def _cannot_read(path: Path, exc: OSError) -> InputError:
    return problems.error(
        InputError, "error.cannot_read", name=path.name, reason=exc.strerror or exc
    )


# --- bytes to text -------------------------------------------------------------------------

#: Legacy Windows code pages tried when a CSV file is not UTF-8: Arabic, then Western.
_LEGACY = ("cp1256", "cp1252")
_LEGACY_NAMES = {"cp1256": "Windows-1256 (Arabic)", "cp1252": "Windows-1252 (French)"}
_WORD = re.compile(r"[^\W\d_]+")


def _implausible(text: str) -> int:
    """Count the letters of words that no one types: mixed scripts, or mostly accents.

    French or English words are Latin letters, mostly unaccented; Arabic words are
    Arabic letters. A text decoded with the wrong code page shows Arabic letters inside
    Latin words (``ةCOLE``) or words made of accented capitals (``ÇáãÔÇÑíÚ``).
    """
    bad = 0
    memo: dict[str, int] = {}
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        if word not in memo:
            scripts, accented = set(), 0
            for ch in word:
                if ch.isascii():
                    scripts.add("latin")
                    continue
                name = unicodedata.name(ch, "")
                if name.startswith("ARABIC"):
                    scripts.add("arabic")
                elif name.startswith("LATIN"):
                    scripts.add("latin")
                    accented += 1
                else:
                    scripts.add("other")
            mixed = len(scripts) > 1 or "other" in scripts
            odd = scripts == {"latin"} and len(word) > 1 and accented * 2 > len(word)
            memo[word] = len(word) if mixed or odd else 0
        bad += memo[word]
    return bad


def decode_csv(data: bytes, name: str) -> tuple[str, str, list[Problem]]:
    """Decode a CSV file and say when the encoding is a guess.

    BOM first, then strict UTF-8; UTF-16 is recognised by its BOM, or without BOM by its
    zero bytes. Otherwise the file was saved by Windows in a legacy code page: Arabic
    Windows (Windows-1256) and French Windows (Windows-1252) decode every byte, so the one
    whose text is plausible wins (Latin letters inside Latin words, Arabic letters inside
    Arabic words); when both are as plausible and read differently, a warning says so.

    Parameters
    ----------
    data : bytes
        File contents.
    name : str
        File name, for messages.

    Returns
    -------
    tuple
        ``(text, encoding, problems)``.

    Raises
    ------
    InputError
        When the file is empty or is not text (binary, a renamed workbook...).
    """
    found: list[Problem] = []
    if not data.strip(b" \t\r\n\x00"):
        raise problems.error(InputError, "error.file_empty", file=name)
    if data.startswith(b"PK\x03\x04"):
        raise problems.error(InputError, "error.zip_not_csv", file=name)
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data[:4096]:
        sample = data[:4096]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > len(sample) // 4 and even < odd // 10:
            encoding = "utf-16-le"
        elif even > len(sample) // 4 and odd < even // 10:
            encoding = "utf-16-be"
        else:
            raise problems.error(InputError, "error.binary_file", file=name)
    else:
        try:
            return _check_text(data.decode("utf-8"), name), "utf-8", found
        except UnicodeDecodeError as exc:
            if damaged := _damaged_utf8(data, name, exc.start):
                return damaged
            encoding, found = _guess_legacy(data, name)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise problems.error(
            InputError,
            "error.cannot_decode",
            file=name,
            encoding=encoding,
            reason=exc.reason,
            byte=exc.start,
        ) from None
    return _check_text(text, name), encoding, found


def _damaged_utf8(data: bytes, name: str, start: int) -> tuple[str, str, list[Problem]] | None:
    """Read a UTF-8 file with a few broken bytes as UTF-8, saying where they are.

    A UTF-8 file damaged in a few places (a value pasted from elsewhere) is not a legacy
    Windows file: decoding it as Windows-1252 would turn every ``é`` into ``Ã©``. When
    valid multi-byte characters far outnumber the broken bytes, the file is read as
    UTF-8, each broken byte shown as ``�``, with a warning naming the first row.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    if bad <= 0 or good < 3 or bad * 10 > good:
        return None
    row = data.count(b"\n", 0, start) + 1
    problem = problems.make(
        Rule.ENCODING,
        "problem.read.damaged_utf8",
        severity="warning",
        file=name,
        row=row,
        count=bad,
        row_number=row,
    )
    return _check_text(text, name), "utf-8", [problem]


def _guess_legacy(data: bytes, name: str) -> tuple[str, list[Problem]]:
    texts: dict[str, str] = {}
    for encoding in _LEGACY:
        with contextlib.suppress(UnicodeDecodeError):
            texts[encoding] = data.decode(encoding)
    if len(texts) == 1 or len(set(texts.values())) == 1:
        return next(iter(texts)), []
    sample = {enc: text[:1_000_000] for enc, text in texts.items()}
    scores = {enc: _implausible(text) for enc, text in sample.items()}
    best = min(_LEGACY, key=lambda enc: scores[enc])  # ties: Windows-1256, as before
    other = next(enc for enc in _LEGACY if enc != best)
    if scores[best] == 0 and scores[other] > 0:
        return best, []  # only one reading is plausible: not a guess
    a, b = sample[best], sample[other]
    first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), 0)
    line = a.count("\n", 0, first) + 1
    return best, [
        problems.make(
            Rule.ENCODING,
            "problem.read.encoding_guess",
            severity="warning",
            file=name,
            row=line,
            encoding=_LEGACY_NAMES[best],
            other=_LEGACY_NAMES[other],
            row_number=line,
        )
    ]


def _check_text(text: str, name: str) -> str:
    sample = text[:20000]
    control = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n")
    if "\x00" in sample or control > max(2, len(sample) // 100):
        raise problems.error(InputError, "error.binary_file", file=name)
    return text


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode a CSV file; return ``(text, encoding)`` (see :func:`decode_csv`)."""
    text, encoding, _ = decode_csv(data, name)
    return text, encoding


@contextlib.contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let the csv module read fields up to ``size`` characters (its default is 128 KB)."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, size + 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def sniff_delimiter(text: str) -> str:
    """Return the delimiter of a CSV text: ``;``, ``,``, tab or ``|``.

    The delimiter giving the most rows with the same (more than one) number of fields
    among the first lines wins; ties go to the one giving more fields.
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()][:20]
    best, best_score = ",", (0, 0)
    with _field_limit(max((len(line) for line in lines), default=0)):
        for delim in (";", ",", "\t", "|"):
            counts = Counter(len(r) for r in csv.reader(lines, delimiter=delim))
            if not counts:
                break
            fields, freq = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            if fields > 1 and (freq, fields) > best_score:
                best, best_score = delim, (freq, fields)
    return best


# --- CSV text to rows ----------------------------------------------------------------------


def _alone(line: str, delim: str) -> list[str] | None:
    """Parse one physical line on its own; None when a quote is left open or misplaced."""
    try:
        rows = list(csv.reader([line.rstrip("\r\n")], delimiter=delim, strict=True))
    except csv.Error:
        return None
    return rows[0] if rows else []


def _closed(span: list[str], delim: str) -> bool:
    """Return True when ``span`` is one record whose quotes all close where they should."""
    try:
        return len(list(csv.reader(span, delimiter=delim, strict=True))) == 1
    except csv.Error:
        return False


def _literal_quote(line: str, delim: str, width: int) -> tuple[list[str], int] | None:
    """Read one line whose stray ``"`` is a character; return (fields, its column).

    Each ``"`` of the line is tried as a plain character; the first that lets the line
    parse cleanly into ``width`` fields is kept.
    """
    body = line.rstrip("\r\n")
    if len(body) > 100_000 or "\x00" in body:
        return None
    positions = [i for i, ch in enumerate(body) if ch == '"'][:20]
    for i in positions:
        fields = _alone(body[:i] + "\x00" + body[i + 1 :], delim)
        if fields is not None and len(fields) == width:
            column = next(j for j, f in enumerate(fields) if "\x00" in f)
            return [f.replace("\x00", '"') for f in fields], column
    return None


def split_csv(text: str, delim: str, name: str) -> tuple[Grid, list[Problem]]:
    """Split CSV text into rows, one per record as a spreadsheet shows them.

    A quoted value may span several lines (a line break typed inside a cell): when its
    quotes close properly and the row has as many fields as the others, it is one row.
    Otherwise a ``"`` opened a value and was never closed (or closed in the wrong
    place), swallowing the lines after it into that value: when each of those lines
    reads on its own as a full row, they are read as their own rows, the quote as a
    character, and a warning locates the quote; when they do not, the file is refused
    with the row and column of the quote.

    Returns
    -------
    tuple
        ``(rows, problems)``; rows are numbered from 1 (the header is row 1 when it is
        the first line).

    Raises
    ------
    InputError
        When a quote leaves lines that cannot be read as rows.
    """
    with _field_limit(len(text)):  # a cell of any size is read, even beyond 128 KB
        return _split_csv(text, delim, name)


#: Line ends as the csv module reads them (``\r\n``, ``\r`` or ``\n``).
_LINE_END = re.compile(r"\r\n|\r|\n")


class _Rows(list):
    """Rows of a grid, known to hold no blank row when ``blank_free`` (see :func:`nonblank`)."""

    blank_free = False


def _split_plain(text: str, delim: str) -> Grid:
    """Split CSV text without any quote (nor NUL) into rows, as the csv module does.

    Without quotes a record is one line and a field the text between two delimiters:
    ``str.split`` gives the very fields the csv module gives, an empty line none.
    """
    lines = _LINE_END.split(text)
    if lines and not lines[-1]:
        lines.pop()  # the text ends with a line end
    grid = _Rows((n, line.split(delim) if line else []) for n, line in enumerate(lines, 1))
    body = text[: -2 if text.endswith("\r\n") else -1] if text.endswith(("\r", "\n")) else text
    body = "\n" + body.replace("\r\n", "\n").replace("\r", "\n") + "\n"
    blank = "\n[" + re.escape(delim + _SPACES) + "\t]*\n"
    grid.blank_free = bool(lines) and re.search(blank, body) is None
    return grid


def _split_csv(text: str, delim: str, name: str) -> tuple[Grid, list[Problem]]:
    if '"' not in text and "\x00" not in text:
        return _split_plain(text, delim), []
    lines = io.StringIO(text, newline="").readlines()
    records: list[tuple[int, int, list[str]]] = []  # (first line, last line, fields)
    reader = csv.reader(lines, delimiter=delim)
    previous = 0
    for fields in reader:
        records.append((previous + 1, reader.line_num, fields))
        previous = reader.line_num
    widths = Counter(len(f) for a, b, f in records if a == b and len(f) > 1)
    width = max(widths.items(), key=lambda kv: (kv[1], kv[0]))[0] if widths else 0
    grid: Grid = []
    found: list[Problem] = []

    def stray(row: int, column: int, until: int | None) -> None:
        found.append(
            problems.make(
                Rule.CSV_QUOTE,
                "problem.read.stray_quote" if until else "problem.read.quote_in_value",
                severity="warning",
                file=name,
                row=row,
                column=col_letter(column),
                until=until or row,
            )
        )

    for first, last, fields in records:
        span = lines[first - 1 : last]
        if '"' not in "".join(span):
            grid.append((len(grid) + 1, fields))
            continue
        if first == last:  # one line: a quote that is closed and then followed by text
            if _alone(span[0], delim) is None and (fixed := _literal_quote(span[0], delim, width)):
                fields, column = fixed
                stray(len(grid) + 1, column, None)
            grid.append((len(grid) + 1, fields))
            continue
        closed = _closed(span, delim)
        if closed and (len(fields) == width or not width):
            grid.append((len(grid) + 1, fields))  # a value with line breaks typed in it
            continue
        parsed: list[tuple[list[str], int | None]] = []
        for line in span:
            alone = _alone(line, delim)
            if alone is not None and len(alone) == width:
                parsed.append((alone, None))
            elif fixed := _literal_quote(line, delim, width):
                parsed.append(fixed)
            else:
                break
        if width and len(parsed) == len(span) and any(c is not None for _, c in parsed):
            start = len(grid) + 1
            for row_fields, column in parsed:
                if column is not None:
                    stray(len(grid) + 1, column, start + len(span) - 1)
                grid.append((len(grid) + 1, row_fields))
            continue
        if closed:  # well quoted, only shorter or longer than the other rows
            grid.append((len(grid) + 1, fields))
            continue
        row = len(grid) + 1
        column = next((j for j, f in enumerate(fields) if "\n" in f or "\r" in f), 0)
        raise problems.error(
            InputError,
            "error.quote_runs_over",
            name=name,
            row=row,
            column=col_letter(column),
            lines=last - first + 1,
            last=last,
        )
    return grid, found


def _read_csv(path: Path) -> Sheet:
    text, _, found = decode_csv(_read_bytes(path), path.name)
    first, _, rest = text.partition("\n")
    if m := re.fullmatch(r"sep=(.)\r?", first.strip(" ")):  # Excel's delimiter hint line
        text, delim = rest, m[1]  # Excel hides this line: rows keep their numbers
    else:
        delim = sniff_delimiter(text)
    try:
        grid, more = split_csv(text, delim, path.name)
    except csv.Error as exc:
        raise problems.error(InputError, "error.bad_csv", file=path.name, detail=exc) from None
    return Sheet(None, grid, found + more)


# --- workbooks -----------------------------------------------------------------------------

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def is_percent_format(number_format: str | None) -> bool:
    r"""Return True when a cell's number format shows its value times 100 with ``%``.

    ``0%``, ``0.00%`` and ``#,##0.0%`` are; ``0" %"`` (a literal sign in quotes) and
    ``0\%`` are not.
    """
    if not number_format or "%" not in number_format:
        return False
    return "%" in _QUOTED.sub("", number_format)


def _percent(value: Any) -> Any:
    """Return ``value`` times 100 exactly as shown (0.45 -> 45, not 45.00000000000001)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    try:
        scaled = Decimal(repr(value)) * 100
    except InvalidOperation:
        return value
    return int(scaled) if scaled == scaled.to_integral_value() else float(scaled)


def _formula_warnings(name: str, sheet: str, missing: dict[int, list[int]]) -> list[Problem]:
    return [
        problems.make(
            Rule.FORMULA_NO_VALUE,
            "problem.read.formula_no_value",
            severity="warning",
            file=name,
            sheet=sheet,
            row=rows[0],
            column=col_letter(col),
            count=len(rows),
            rows=_rows_text(rows),
        )
        for col, rows in sorted(missing.items())
    ]


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _uncached_formulas(archive: zipfile.ZipFile, member: str) -> dict[int, list[int]]:
    """Return column -> rows of the formula cells of one sheet XML that have no saved value."""
    with archive.open(member) as fh:
        if not _FORMULA_TAG.search(fh.read()):
            return {}
    missing: dict[int, list[int]] = defaultdict(list)
    with archive.open(member) as fh:
        for _, elem in ElementTree.iterparse(fh):
            if elem.tag.rsplit("}", 1)[-1] != "c":
                continue
            tags = {child.tag.rsplit("}", 1)[-1]: child for child in elem}
            value = tags.get("v")
            saved = "is" in tags or (value is not None and (value.text or elem.get("t") == "str"))
            m = _CELL_REF.fullmatch(elem.get("r", ""))
            if "f" in tags and not saved and m:  # openpyxl writes <f>..</f><v/>: no result
                missing[_col_index(m[1])].append(int(m[2]))
            elem.clear()
    return missing


#: Built-in Excel number formats that show a percentage (``0%`` and ``0.00%``).
_BUILTIN_PERCENT = (9, 10)


def _has_percent_formats(wb: Any) -> bool:
    """Return True unless the workbook's styles surely hold no percent number format."""
    try:
        ids = {style.numFmtId for style in wb._cell_styles}
        custom = [is_percent_format(fmt) for fmt in wb._number_formats]
    except (AttributeError, TypeError):  # openpyxl internals changed: check every cell
        return True
    return bool(ids & set(_BUILTIN_PERCENT)) or any(custom)


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_regular_file(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise problems.error(
            InputError, "error.bad_workbook", name=path.name, reason=type(exc).__name__
        ) from None
    sheets: list[Sheet] = []
    members: list[str | None] = []
    percent = _has_percent_formats(wb)
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # the declared <dimension> may be wrong: read every row
            grid: Grid = []
            if not percent:  # no percent format in the workbook: values alone, faster
                grid = [(n, list(r)) for n, r in enumerate(ws.iter_rows(values_only=True), 1)]
            for n, cells in enumerate(ws.iter_rows() if percent else (), 1):
                row = []
                for c in cells:
                    value = c.value
                    if value is not None and is_percent_format(getattr(c, "number_format", "")):
                        value = _percent(value)
                    row.append(value)
                grid.append((n, row))
            sheets.append(Sheet(ws.title, grid))
            members.append(getattr(ws, "_worksheet_path", None))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError) as exc:
        raise problems.error(
            InputError, "error.bad_workbook", name=path.name, reason=type(exc).__name__
        ) from None
    finally:
        wb.close()
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for sheet, member in zip(sheets, members, strict=True):
            member = (member or "").lstrip("/")
            if member in names:
                missing = _uncached_formulas(archive, member)
                sheet.problems += _formula_warnings(path.name, str(sheet.name), missing)
    return sheets


_ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}


def _ods_cells(path: Path) -> dict[str, tuple[set[tuple[int, int]], dict[int, list[int]]]]:
    """Return, per sheet of an ODS file: percent cells (0-based row, col) and uncached formulas.

    calamine gives the values but not how they are shown: a cell of value type
    ``percentage`` shows 0.45 as 45%, and a formula without ``office:value`` has no saved
    result. Both are read here from ``content.xml``.
    """
    t, o = _ODS["table"], _ODS["office"]
    out: dict[str, tuple[set[tuple[int, int]], dict[int, list[int]]]] = {}
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as fh:
        sheet: str | None = None
        row = col = 0
        rows_repeat = 1
        for event, elem in ElementTree.iterparse(fh, events=("start", "end")):
            tag = elem.tag
            if event == "start":
                if tag == f"{{{t}}}table":
                    sheet, row = elem.get(f"{{{t}}}name", ""), 0
                    out[sheet] = (set(), defaultdict(list))
                elif tag == f"{{{t}}}table-row":
                    col = 0
                    rows_repeat = int(elem.get(f"{{{t}}}number-rows-repeated", "1"))
                continue
            if sheet is None:
                continue
            if tag in (f"{{{t}}}table-cell", f"{{{t}}}covered-table-cell"):
                repeat = int(elem.get(f"{{{t}}}number-columns-repeated", "1"))
                kind = elem.get(f"{{{o}}}value-type")
                if kind == "percentage" and repeat * rows_repeat <= 100_000:
                    for r in range(rows_repeat):
                        out[sheet][0].update((row + r, col + c) for c in range(repeat))
                if elem.get(f"{{{t}}}formula") and kind is None:
                    for c in range(min(repeat, 1000)):
                        out[sheet][1][col + c].append(row + 1)
                col += repeat
                elem.clear()
            elif tag == f"{{{t}}}table-row":
                row += rows_repeat
                elem.clear()
    return out


def _read_calamine(path: Path) -> list[Sheet]:
    """Read an ``.xls`` or ``.ods`` workbook with python-calamine.

    calamine reads values only. For ``.ods`` files, percentages and formulas without a
    saved result are found in the file's XML. In ``.xls`` files formulas always carry a
    saved result, but number formats cannot be seen: a sheet with values between 0 and 1
    gets a warning that they may be percentages shown as ``45%`` (read 0.45).
    """
    import python_calamine

    check_regular_file(path)
    ext = path.suffix.lower()
    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        raw = [
            (n, wb.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in wb.sheet_names
        ]
        extra = _ods_cells(path) if ext == ".ods" else {}
    except (
        python_calamine.CalamineError,
        OSError,
        ValueError,
        KeyError,
        zipfile.BadZipFile,
        ElementTree.ParseError,
    ) as exc:
        kind = "OpenDocument (.ods)" if ext == ".ods" else "Excel 97-2003 (.xls)"
        raise problems.error(
            InputError,
            "error.bad_old_workbook",
            name=path.name,
            kind=kind,
            reason=type(exc).__name__,
        ) from None
    sheets = []
    for title, rows in raw:
        percent, missing = extra.get(title, (set(), {}))
        grid: Grid = []
        fractions: list[tuple[int, int]] = []
        for i, cells in enumerate(rows):
            row = []
            for j, value in enumerate(cells):
                if isinstance(value, str) and value == "":
                    value = None
                elif (i, j) in percent:
                    value = _percent(value)
                elif ext == ".xls" and isinstance(value, float) and 0 < abs(value) < 1:
                    fractions.append((i + 1, j))
                row.append(value)
            grid.append((i + 1, row))
        sheet = Sheet(title, grid, _formula_warnings(path.name, title, dict(missing)))
        if fractions:
            first_row, first_col = fractions[0]
            sheet.problems.append(
                problems.make(
                    Rule.XLS_FORMATS,
                    "problem.read.xls_formats",
                    severity="warning",
                    file=path.name,
                    sheet=title,
                    row=first_row,
                    column=col_letter(first_col),
                    count=len(fractions),
                )
            )
        sheets.append(sheet)
    return sheets


def _read_parquet(path: Path) -> Sheet:
    import pyarrow as pa
    import pyarrow.parquet as pq

    check_regular_file(path)
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise problems.error(InputError, "error.bad_parquet", file=path.name, detail=exc) from None
    names = [n for n in table.column_names if not n.startswith("__index_level_")]
    columns = [table.column(n).to_pylist() for n in names]
    grid: Grid = [(1, list(names))]
    grid += [(i + 2, [c[i] for c in columns]) for i in range(table.num_rows)]
    return Sheet(None, grid)


def read_file(path: str | Path) -> list[Sheet]:
    """Read a table file into sheets of raw cells.

    Parameters
    ----------
    path : str or Path
        A ``.csv``/``.tsv``/``.txt``, ``.xlsx``/``.xlsm``, ``.xls``, ``.ods`` or
        ``.parquet``/``.pq`` file.

    Returns
    -------
    list of Sheet
        One per worksheet of a workbook (in order), one for other files.

    Raises
    ------
    InputError
        When the file is not a regular readable file, or not of its declared type
        (empty, binary, corrupt), or its extension is not read.
    """
    path = Path(path)
    with paused_gc():
        return _read_any(path)


def _read_any(path: Path) -> list[Sheet]:
    ext = path.suffix.lower()
    if ext in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if ext in (".xls", ".ods"):
        return _read_calamine(path)
    if ext in (".parquet", ".pq"):
        return [_read_parquet(path)]
    if ext in (".csv", ".tsv", ".txt"):
        return [_read_csv(path)]
    raise problems.error(
        InputError, "error.unknown_file_type", file=path.name, ext=repr(ext or "(none)")
    )


def nonblank(grid: Grid) -> Grid:
    """Return the rows of ``grid`` that hold at least one value."""
    if getattr(grid, "blank_free", False):  # a CSV file without blank lines
        return grid
    out: Grid = []
    for n, r in grid:
        try:  # a row of text (CSV) is blank when its cells joined are
            if "".join(r).strip(_BLANKS):
                out.append((n, r))
            continue
        except TypeError:  # a cell that is not text (workbook, Parquet)
            pass
        if not all(is_blank(v) for v in r):
            out.append((n, r))
    return out
