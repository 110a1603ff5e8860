"""Read an Awrach data set (folder, workbook or table file) into a validated ``Program``."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import config, i18n
from ..errors import InputError, Problem, UnknownNameError, ValidationError
from ..model.codes import COMMUNE_CODE, COMMUNE_DIGITS, province_of
from ..model.program import Program
from ..model.schema import TABLES
from . import privacy, read
from . import problems as _problems
from .headers import (
    _TOTAL_HINT,
    HeaderMatch,
    column_aliases,
    column_for_header,
    context_table,
    formula_total_rows,
    is_note_sheet,
    is_personal_header,
    is_total_label,
    match_header,
    names_personal_id,
    table_for_name,
)
from .parse import as_text, is_blank
from .read import TABLE_EXTENSIONS, Grid, decode_text, sniff_delimiter
from .rules import Rule
from .validate import RawTable, problems_frame, validate_tables

__all__ = [
    "load",
    "read_source",
    "Source",
    "fingerprint",
    "decode_text",
    "sniff_delimiter",
    "is_personal_header",
    "table_for_name",
    "column_for_header",
    "column_aliases",
    "context_table",
    "is_note_sheet",
    "TABLE_EXTENSIONS",
]

_UNSUPPORTED = read.UNSUPPORTED


def _unsupported(ext: str) -> dict[str, str]:
    """Return the placeholder ``reason`` of an unreadable format (from the catalogue)."""
    key = f"problem.unsupported.{ext.lstrip('.')}"
    return {"reason_key": key} if key in i18n.CATALOGUE else {"reason": _UNSUPPORTED[ext]}


#: Rows scanned for the header row (title lines above the header are allowed).
HEADER_SCAN_ROWS = 10

# --- names: see headers.py ----------------------------------------------------------------

# --- grids to raw tables -------------------------------------------------------------------


_col_letter = read.col_letter


def _score(cells: list[Any], table: str) -> int:
    found = {column_for_header(table, c) for c in cells if not is_blank(c)}
    return len(found - {None})


def _has_key(cells: list[Any], table: str) -> bool:
    found = {column_for_header(table, c) for c in cells if not is_blank(c)}
    return all(k in found for k in TABLES[table].key)


def _find_header(rows: Grid, table: str | None) -> tuple[int, str] | None:
    """Return (index in ``rows``, table) of the header row, or None when none is found.

    The header is the row, among the first :data:`HEADER_SCAN_ROWS` non-blank rows, that
    names the most columns of the table (at least two; the first such row on a tie): title
    rows, merged title cells and form lines above it (``Projet : K1 | Mois : mars 2022``)
    are skipped. For a sheet not named after a table, the row must also name the key of
    one table more clearly than of any other.
    """
    best: tuple[int, int, str] | None = None  # (score, -index, table)
    for idx, (_, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        if table is not None:
            scored = [(_score(cells, table), table)]
        else:
            scored = sorted(
                ((_score(cells, t), t) for t in TABLES if _has_key(cells, t)), reverse=True
            )
            if len(scored) > 1 and scored[0][0] == scored[1][0]:
                continue
        if scored and scored[0][0] >= 2 and (best is None or scored[0][0] > best[0]):
            best = (scored[0][0], -idx, scored[0][1])
    return None if best is None else (-best[1], best[2])


def _is_total_row(cells: list[Any], key_pos: list[int]) -> bool:
    """Return True for a totals or subtotals row.

    Its first filled cell reads ``Total``, ``Sous-total``, ``المجموع``... (see
    :func:`headers.is_total_label`) and its key cells (positions ``key_pos``) are empty or
    that label: a partner named ``Total Maroc`` with an id is data.
    """
    first = next((v for v in cells if not is_blank(v)), None)
    if not is_total_label(first):
        return False
    keys = [cells[p] for p in key_pos if p < len(cells)]
    return all(is_blank(v) or is_total_label(v) for v in keys)


def _total_rows(below: Grid, key_pos: list[int], sum_rows: Collection[int]) -> list[int]:
    """Return the row numbers of the totals rows among ``below`` (see :func:`_raw_table`).

    A row whose first cell is text that is no total label is no totals row: that label is
    looked up once per distinct first cell.
    """
    firsts = [r[0] if r else None for _, r in below]
    if not sum_rows and not _TOTAL_HINT.search("\n".join(f for f in firsts if f.__class__ is str)):
        # no first cell reads like a total: only rows whose first cell is empty can be
        return [
            n
            for (n, r), f in zip(below, firsts, strict=True)
            if (f.__class__ is not str or not f.strip()) and _is_total_row(r, key_pos)
        ]
    labels: dict[str, bool] = {}
    found = []
    for n, r in below:
        first = r[0] if r else None
        if first.__class__ is str and first.strip():
            if first not in labels:
                labels[first] = is_total_label(first)
            if not labels[first] and n not in sum_rows:
                continue
        if n in sum_rows or _is_total_row(r, key_pos):
            found.append(n)
    return found


def _raw_table(
    table: str,
    rows: Grid,
    header_idx: int,
    file: str,
    sheet: str | None,
    sum_rows: Collection[int] = (),
) -> RawTable:
    """Map headers, drop personal-data columns, and keep the data rows of one table.

    Rows above the header (titles) are not data. Totals and subtotals rows are not data
    either: a person reads them as totals, not as a project or a month. They are left
    out of the rows read (so rows read = accepted + quarantined = the data rows) and
    reported in one ``totals_row`` info problem naming their Excel rows. A totals row is
    one whose first filled cell reads ``Total``, ``Sous-total``, ``المجموع``... or, in a
    workbook, one of ``sum_rows`` (numbers only as column ``=SUM()`` formulas, see
    :func:`headers.formula_total_rows`).
    """
    header_cells = rows[header_idx][1]
    header_row = rows[header_idx][0]
    below = rows[header_idx + 1 :]
    headers = [as_text(h).replace("\ufeff", "").strip() for h in header_cells]
    key = TABLES[table].key
    key_pos = [p for p, h in enumerate(headers) if h and match_header(table, h).column in key]
    totals = _total_rows(below, key_pos, sum_rows)
    skipped = set(totals)
    data = [(n, r) for n, r in below if n not in skipped] if skipped else below
    width = max([len(header_cells), *map(len, (r for _, r in data))])
    headers += [""] * (width - len(headers))
    problems: list[Problem] = []
    where = {"file": file, "sheet": sheet, "table": table}
    if totals:
        problems.append(
            _problems.make(
                Rule.TOTALS_ROW,
                "problem.totals_rows",
                severity="info",
                row=totals[0],
                count=len(totals),
                rows=", ".join(map(str, totals)),
                **where,
            )
        )

    def warn(column: str | None, rule: Rule | str, key: str, **params: Any) -> None:
        problems.append(
            _problems.make(
                rule,
                key,
                severity="warning",
                file=file,
                sheet=sheet,
                row=header_row,
                column=column,
                table=table,
                **params,
            )
        )

    accepted = ", ".join(c.name for c in TABLES[table].columns)
    # A CIN/CNIE column of beneficiaries is their key, pseudonymised on read (privacy).
    cin_pos = privacy.identifier_position(table, headers, lambda h: column_for_header(table, h))
    matches = {}
    for pos, header in enumerate(headers):
        if pos == cin_pos:
            matches[pos] = HeaderMatch("beneficiary_key", 0)
        elif header:
            m = match_header(table, header)
            # a declared column keeps its meaning outside beneficiaries (``Nom``, ``Nom en
            # français`` are a partner's name), unless only loosely matched and naming an
            # identity number, phone, bank account, e-mail or birth date
            personal = is_personal_header(header) and (
                table in privacy.PERSON_TABLES
                or m.column is None
                or (m.strength > 0 and names_personal_id(header))
            )
            matches[pos] = None if personal else m
    # When two headers name one column, the closer match is read (``Code partenaire``
    # before a generic ``N°``); between equals, the first one.
    best: dict[str, tuple[int, int]] = {}
    for pos, m in matches.items():
        if m is not None and m.column is not None:
            best[m.column] = min(best.get(m.column, (m.strength, pos)), (m.strength, pos))
    columns: dict[str, int] = {}
    keep: list[int] = []
    kept_headers: list[str] = []
    for pos, header in enumerate(headers):
        if not header:
            if not any(pos < len(r) and not is_blank(r[pos]) for _, r in data):
                continue  # an empty column with no header: nothing to read
            header = f"column {_col_letter(pos)}"
            warn(
                header,
                Rule.UNKNOWN_COLUMN,
                "problem.unnamed_column",
                letter=_col_letter(pos),
                accepted=accepted,
            )
        else:
            m = matches[pos]
            if m is None:
                warn(
                    header,
                    Rule.PERSONAL_DATA,
                    "problem.personal_data",
                    header=repr(header),
                )
                continue
            column = m.column
            if column is not None and best[column][1] != pos:
                first = headers[best[column][1]]
                warn(
                    header,
                    Rule.DUPLICATE_COLUMN,
                    "problem.duplicate_column",
                    header=repr(header),
                    canonical=column,
                    first=repr(first),
                )
            elif column is not None:
                columns[column] = len(keep)
            elif m.candidates:
                problems.append(
                    _problems.make(
                        Rule.AMBIGUOUS_COLUMN,
                        "problem.ambiguous_column",
                        severity="warning",
                        row=header_row,
                        column=header,
                        header=repr(header),
                        candidates=" / ".join(m.candidates),
                        accepted=" / ".join(
                            repr(a) for c in m.candidates for a in column_aliases(table)[c][:2]
                        ),
                        **where,
                    )
                )
            elif (ref := context_table(table, header)) is not None:
                problems.append(
                    _problems.make(
                        Rule.CONTEXT_COLUMN,
                        "problem.context_column",
                        severity="info",
                        file=file,
                        sheet=sheet,
                        row=rows[header_idx][0],
                        column=header,
                        table=table,
                        header=repr(" / ".join(header.splitlines())),
                        ref=ref,
                    )
                )
                continue
            elif m.closest:
                problems.append(
                    _problems.make(
                        Rule.UNKNOWN_COLUMN,
                        "problem.unknown_column_near",
                        severity="warning",
                        row=header_row,
                        column=header,
                        header=repr(header),
                        table_name_table=table,
                        closest=" / ".join(repr(c) for c in m.closest),
                        accepted=accepted,
                        **where,
                    )
                )
            else:
                warn(
                    header,
                    Rule.UNKNOWN_COLUMN,
                    "problem.unknown_column",
                    header=repr(header),
                    table_name_table=table,
                    accepted=accepted,
                )
        keep.append(pos)
        kept_headers.append(header)
    for column, sibling in _FALLBACKS.get(table, ()):
        if column not in columns and sibling in columns:
            # An Arabic-only sheet names the partner or project in Arabic only: that name
            # is the name, rather than every row being refused for want of a French one.
            columns[column] = columns[sibling]
            problems.append(
                _problems.make(
                    Rule.COLUMN_FALLBACK,
                    "problem.column_fallback",
                    severity="info",
                    row=header_row,
                    column=kept_headers[columns[sibling]],
                    header=repr(kept_headers[columns[sibling]]),
                    name=column,
                    sibling=sibling,
                    **where,
                )
            )
    if keep == list(range(width)):  # every column kept: rows as read, padded
        out_rows = [r if len(r) == width else [*r, *[None] * (width - len(r))] for _, r in data]
    else:
        out_rows = [[r[p] if p < len(r) else None for p in keep] for _, r in data]
    # CINs never kept; a changed row is a new list, never the sheet's own row
    privacy.pseudonymise_rows(table, kept_headers, columns, out_rows)
    return RawTable(
        table=table,
        file=file,
        sheet=sheet,
        headers=kept_headers,
        columns=columns,
        rows=out_rows,
        excel_rows=[n for n, _ in data],
        problems=problems,
    )


#: Required columns read from a sibling column when absent (table -> (column, sibling)).
_FALLBACKS: dict[str, tuple[tuple[str, str], ...]] = {
    "partners": (("name_fr", "name_ar"),),
    "projects": (("title_fr", "title_ar"),),
}


def _headerless_table(table: str, rows: Grid, file: str, sheet: str | None) -> RawTable:
    """Return the rows of a sheet named after ``table`` in which no header row was found.

    Every non-blank row is kept (rows read = the rows a person sees) and quarantined by
    validation under one ``no_header`` error for the whole sheet, rather than one
    ``missing_column`` error per column.
    """
    width = max(len(r) for _, r in rows)
    # a column headed like personal data in the first rows is not kept, even unread
    personal = {
        p
        for _, r in rows[:HEADER_SCAN_ROWS]
        for p, v in enumerate(r)
        if isinstance(v, str) and is_personal_header(v)
    }
    names = [a for c in TABLES[table].columns if c.required for a in c.aliases[:2]]
    problem = _problems.make(
        Rule.NO_HEADER,
        "problem.no_header",
        file=file,
        sheet=sheet,
        table=table,
        where=repr(sheet or file),
        table_name_table=table,
        rows=HEADER_SCAN_ROWS,
        accepted=", ".join(repr(a) for a in names),
    )
    return RawTable(
        table=table,
        file=file,
        sheet=sheet,
        headers=[f"column {_col_letter(p)}" for p in range(width)],
        columns={},
        rows=[
            [None if p in personal else v for p, v in enumerate(r)] + [None] * (width - len(r))
            for _, r in rows
        ],
        excel_rows=[n for n, _ in rows],
        problems=[problem],
    )


_nonblank = read.nonblank


@dataclass
class Source:
    """Tables read from a path, before validation.

    Attributes
    ----------
    path : Path
        What was given.
    tables : dict of str to RawTable
        Tables found, by canonical name.
    files : list of Path
        Files that were read (tables and ``dataset.json``): the fingerprint covers them.
    meta : dict
        Contents of ``dataset.json`` when present.
    single_table : bool
        True when one table file was given (absent tables are then only warnings).
    problems : list of Problem
        Problems about files and sheets (ignored files, empty sheets).
    """

    path: Path
    tables: dict[str, RawTable] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    single_table: bool = False
    problems: list[Problem] = field(default_factory=list)

    def add(self, raw: RawTable) -> None:
        """Add a table; two sources for the same table are an input error."""
        if raw.table in self.tables:
            first = self.tables[raw.table]
            raise _problems.error(
                InputError,
                "error.two_sources",
                table=raw.table,
                first=first.label,
                second=raw.label,
            )
        self.tables[raw.table] = raw

    def note(self, file: str, sheet: str | None, rule: Rule | str, key: str, **params: Any):
        """Record a warning about a whole file or sheet, worded by catalogue ``key``."""
        self.problems.append(
            _problems.make(rule, key, severity="warning", file=file, sheet=sheet, **params)
        )


_NAMES_HINT = "; ".join(f"{t.name} ({', '.join(t.aliases[1:])})" for t in TABLES.values())


def _grid_tables(
    src: Source,
    grid: Grid,
    file: str,
    sheet: str | None,
    name: str | None,
    sum_rows: Collection[int] = (),
    reading: list[Problem] | None = None,
) -> bool:
    """Add the table held in ``grid`` (named by ``name`` or guessed from headers).

    ``sum_rows`` are the rows of column-total formulas; ``reading`` holds the problems
    found while reading the sheet, kept (located by header) when the sheet is a table.
    """
    rows = _nonblank(grid)
    where = (
        {"where_key": "problem.part.sheet", "where.sheet": repr(sheet)}
        if sheet
        else {"where_key": "problem.part.file", "where.file": file}
    )
    if not rows:
        if name is not None:
            src.note(file, sheet, Rule.MISSING_TABLE, "problem.empty_sheet", **where)
        return False
    found = _find_header(rows, name)
    if found is None and name is not None:
        src.add(_headerless_table(name, rows, file, sheet))
        src.problems += read.name_columns(reading or [], [], name)
        return True
    if found is None:
        src.note(
            file, sheet, Rule.UNKNOWN_TABLE, "problem.unknown_table", names=_NAMES_HINT, **where
        )
        return False
    idx, table = found
    src.add(_raw_table(table, rows, idx, file, sheet, sum_rows))
    src.problems += read.name_columns(reading or [], rows[idx][1], table)
    return True


def _read_file(src: Source, path: Path, *, single: bool) -> None:
    ext = path.suffix.lower()
    name = table_for_name(path.stem)
    if ext in _UNSUPPORTED:
        if single or name:
            raise _problems.error(
                InputError, "error.unsupported_file", file=path.name, **_unsupported(ext)
            )
        src.note(
            path.name,
            None,
            Rule.UNKNOWN_TABLE,
            "problem.unsupported_file",
            name=path.name,
            **_unsupported(ext),
        )
        return
    if ext not in TABLE_EXTENSIONS:
        if single:
            raise _problems.error(
                InputError, "error.unknown_file_type", file=path.name, ext=repr(ext or "(none)")
            )
        return
    if ext == ".txt" and not name and not single:
        return  # notes and read-me files beside the data
    used = False
    sheets = read.read_file(path)
    if ext in read.WORKBOOK_EXTENSIONS:
        sums = formula_total_rows(path) if ext in (".xlsx", ".xlsm") else defaultdict(set)
        by_name = {s.name: table_for_name(str(s.name)) for s in sheets}
        if any(by_name.values()):
            for s in sheets:
                if by_name[s.name] is None and is_note_sheet(str(s.name)):
                    src.problems.append(
                        _problems.make(
                            Rule.NOTE_SHEET,
                            "problem.note_sheet",
                            severity="info",
                            file=path.name,
                            sheet=s.name,
                            name=repr(s.name),
                        )
                    )
                    continue
                used |= _grid_tables(
                    src, s.rows, path.name, s.name, by_name[s.name], sums[s.name], s.problems
                )
            src.single_table = False
        else:
            nonempty = [s for s in sheets if _nonblank(s.rows)]
            if name and nonempty:
                first = nonempty[0]
                title = first.name
                used = _grid_tables(
                    src, first.rows, path.name, title, name, sums[title], first.problems
                )
                for other in (s.name for s in nonempty[1:]):
                    src.note(
                        path.name,
                        other,
                        Rule.UNKNOWN_TABLE,
                        "problem.sheet_ignored",
                        sheet_name=repr(other),
                        table_name_table=name,
                        used=repr(title),
                    )
            else:
                for s in sheets:
                    used |= _grid_tables(
                        src, s.rows, path.name, s.name, None, sums[s.name], s.problems
                    )
            src.single_table = single and len(src.tables) == 1
    else:
        (s,) = sheets
        used = _grid_tables(src, s.rows, path.name, None, name, reading=s.problems)
        src.single_table = single
    if used:
        src.files.append(path)


def _read_meta(path: Path) -> dict:
    read.check_regular_file(path)
    try:
        meta = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InputError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _problems.error(InputError, "error.bad_json", file=path.name, detail=exc) from None
    if not isinstance(meta, dict):
        raise _problems.error(InputError, "error.json_not_object", file=path.name)
    return meta


def read_source(path: str | Path) -> Source:
    """Read every table of a folder, a workbook or a single table file, without validating.

    Parameters
    ----------
    path : str or Path
        A folder of CSV/XLSX/Parquet files (one per table, plus an optional
        ``dataset.json``), one XLSX workbook with a sheet per table, or one table file.
        File and sheet names may be English, French or Arabic.

    Returns
    -------
    Source
        The raw tables with the files read and ``dataset.json``.

    Raises
    ------
    InputError
        When the path does not exist, a file is not a table (empty, binary, corrupt),
        a table has two sources, or no table at all is found.
    """
    with read.paused_gc():
        return _read_source(Path(path).expanduser())


def _read_source(path: Path) -> Source:
    src = Source(path=path)
    try:
        exists, is_dir = path.exists(), path.is_dir()
        entries = sorted(path.iterdir(), key=lambda p: p.name) if is_dir else []
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be read ({exc.strerror or exc}). Check its permissions."
        ) from None
    if not exists:
        raise _problems.error(InputError, "error.no_such_path", path=path)
    if is_dir:
        for f in entries:
            if f.name.startswith((".", "~$")) or f.is_dir():
                continue
            if not f.is_file():  # a pipe, socket, device or broken link: never opened
                src.problems.append(read.not_regular_problem(f.name))
                continue
            if f.name == config.DATASET_META_FILE:
                src.meta = _read_meta(f)
                src.files.append(f)
                continue
            _read_file(src, f, single=False)
        src.single_table = False
    else:
        read.check_regular_file(path)
        _read_file(src, path, single=True)
    if not src.tables:
        expected = ", ".join(f"{t}.csv" for t in TABLES)
        raise _problems.error(InputError, "error.no_table", path=path, expected=expected)
    return src


def fingerprint(files: Iterable[Path]) -> str:
    """Return the SHA-256 of the files' bytes, taken in sorted file-name order.

    Each file contributes its length then its bytes, so that moving bytes from one file
    to the next changes the fingerprint.
    """
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda p: (p.name, str(p))):
        data = Path(f).read_bytes()
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


# --- province ------------------------------------------------------------------------------

_CODE = COMMUNE_CODE  # group 1: the province code


def _infer_province(src: Source) -> str | None:
    from ..reference import communes

    counts: Counter[str] = Counter()
    names: dict[str, str | None] = {}
    for table, column in (
        ("projects", "commune_code"),
        ("partners", "home_commune"),
        ("beneficiaries", "residence_commune"),
    ):
        raw = src.tables.get(table)
        if raw is None or column not in raw.columns:
            continue
        for row in raw.rows:
            value = row[raw.columns[column]]
            if is_blank(value):
                continue
            text = " ".join(as_text(value).split())
            if COMMUNE_DIGITS.fullmatch(text):
                text = text.zfill(9)
                text = f"{text[:2]}.{text[2:5]}.{text[5:7]}.{text[7:]}"
            if m := _CODE.fullmatch(text):
                counts[m[1]] += 1
                continue
            if text not in names:
                try:
                    names[text] = province_of(communes.resolve_commune(text))
                except (UnknownNameError, LookupError, ValueError):
                    names[text] = None
            if names[text]:
                counts[names[text]] += 1
        if counts:
            break  # projects decide when they can; other tables only as a fallback
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _province_name(code: str, meta: dict) -> str:
    if meta.get("province") and str(meta.get("province_code", code)) == code:
        return str(meta["province"])
    from ..reference.scopes import scope_label

    return scope_label(code, "fr")


def _province(src: Source, province: str | None) -> tuple[str, list[Problem]]:
    from ..reference.scopes import resolve_scope
    from .scope import contains

    problems: list[Problem] = []

    def warn(key: str, **params: Any) -> None:
        problems.append(
            _problems.make(
                Rule.PROVINCE,
                key,
                severity="warning",
                file=config.DATASET_META_FILE if src.meta else "",
                **params,
            )
        )

    declared = (
        src.meta.get("scope_code") or src.meta.get("province_code") or src.meta.get("province")
    )
    if declared:
        code = resolve_scope(str(declared))
        if province is not None:
            asked = resolve_scope(province)
            if asked != code and not contains(code, asked):  # inside: narrowed by load()
                warn("problem.province_conflict", code=code, asked=repr(province), asked_code=asked)
        return code, problems
    if province is not None:
        return resolve_scope(province), problems
    inferred = _infer_province(src)
    if inferred is not None:
        return inferred, problems
    warn(
        "problem.province_assumed",
        code=config.DEFAULT_PROVINCE_CODE,
        name=config.DEFAULT_PROVINCE,
    )
    return config.DEFAULT_PROVINCE_CODE, problems


# --- load ----------------------------------------------------------------------------------


def load(
    path: str | Path | None = None,
    province: str | None = None,
    *,
    scope: str | None = None,
    strict: bool = False,
) -> Program:
    """Load, check and type an Awrach data set.

    Every problem is collected (nothing stops at the first one): rows with errors are
    quarantined with their reasons, warnings keep the row. For every table
    ``program.rows_read[t] == len(program.table(t)) + len(program.quarantine[t])``.

    Parameters
    ----------
    path : str or Path, optional
        A folder of CSV/XLSX/Parquet files, a workbook with one sheet per table, a
        single table file, a store written by ``awrach ingest`` (``.duckdb``), or a
        snapshot of a data set validated before (:mod:`~awrach_analysis.data.snapshot`,
        what a report's kernel reads). Default: the bundled sample (``config.SAMPLE_DIR``).
    province : str, optional
        The data set's scope when the data carry no ``dataset.json`` (otherwise it is
        inferred from the projects' commune codes): a province name or HCP code, a region
        (``"05"``, ``"Béni Mellal-Khénifra"``) or ``"national"`` (see
        :func:`~awrach_analysis.reference.scopes.resolve_scope`). When the data set
        declares a wider scope that contains it (a national data set asked for a region
        or a province), the data are narrowed to it (:func:`.scope.narrow`).
    scope : str, optional
        The same as ``province`` (the name the command line's ``--scope`` gives it); it
        wins when both are given.
    strict : bool
        Raise :class:`~awrach_analysis.errors.ValidationError` when any error is found.

    Returns
    -------
    Program
        Accepted tables typed to the schema's dtype contract, sorted by key, with
        ``problems``, ``quarantine``, ``rows_read``, ``fingerprint`` and ``meta``.

    Raises
    ------
    InputError
        When the input cannot be read at all.
    UnknownNameError
        When ``province`` names no province.
    ValidationError
        With ``strict=True``, when the data hold errors.
    """
    from ..reference.scopes import scope_units
    from . import snapshot, store

    province = scope if scope is not None else province
    if snapshot.is_snapshot(path):  # validated once already (a report's kernel reads it)
        return _narrowed(snapshot.read_snapshot(path), province)
    if store.is_store(path):  # a consolidated store (awrach ingest): its current data
        program = _narrowed(store.load_program(path), province)
        errors = [p for p in program.problems.itertuples() if p.severity == "error"]
        if strict and errors:
            raise ValidationError(f"{path}: {len(errors)} error(s) in quarantine", [])
        return program
    src = read_source(config.SAMPLE_DIR if path is None else path)
    province_code, province_problems = _province(src, province)
    communes = scope_units(province_code)
    result = validate_tables(src.tables, province_code, communes, single_table=src.single_table)
    problems = [*src.problems, *province_problems, *result.problems]
    program = Program(
        **result.tables,
        communes=communes,
        province_code=province_code,
        province=_province_name(province_code, src.meta),
        is_sample=bool(src.meta.get("is_sample", False)),
        problems=problems_frame(problems),
        quarantine=result.quarantine,
        rows_read=result.rows_read,
        source=src.path,
        fingerprint=fingerprint(src.files),
        meta=dict(src.meta),
    )
    program = _narrowed(program, province)
    if strict:
        if program is not None and len(program.problems) < len(problems):
            kept = program.problems[program.problems["severity"] == "error"]
            errors = [p for p in problems if p.severity == "error" and _kept(p, kept)]
        else:
            errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise ValidationError(f"{src.path}: {len(errors)} error(s); first: {errors[0]}", errors)
    return program


def scope_of(path: str | Path | None = None, province: str | None = None) -> str:
    """Return the scope code :func:`load` gives ``(path, province)``, reading only metadata.

    The scope the data set declares (``dataset.json``, or a store's own record), narrowed
    to ``province`` when that lies inside it (as :func:`load` narrows); without a
    declaration, ``province`` when given, else a province (:func:`load` infers one from
    the projects). Lets a command choose between a province's and a wider scope's
    documents before loading the data.

    Parameters
    ----------
    path : str or Path, optional
        As :func:`load` (default: the bundled sample).
    province : str, optional
        As :func:`load`'s ``province`` (or ``scope``).

    Returns
    -------
    str
        ``"MA"``, a region code, a province code, or ``""`` for "some province, inferred
        from the data".
    """
    from ..reference.scopes import resolve_scope
    from . import store
    from .scope import contains

    path = config.SAMPLE_DIR if path is None else Path(path).expanduser()
    declared = None
    if store.is_store(path):
        from .store_db import _meta, open_store

        with open_store(path, read_only=True) as con:
            declared = _meta(con).get("province_code")
    elif path.is_dir() and (path / config.DATASET_META_FILE).is_file():
        meta = _read_meta(path / config.DATASET_META_FILE)
        declared = meta.get("scope_code") or meta.get("province_code") or meta.get("province")
    asked = resolve_scope(province) if province is not None else None
    if not declared:
        return asked or ""
    code = resolve_scope(str(declared))
    if asked is not None and asked != code and contains(code, asked):
        return asked
    return code


def _kept(problem: Problem, kept) -> bool:
    """Tell whether ``problem`` is among the rows of the problems frame ``kept``."""
    same = (kept["table"] == (problem.table or "")) & (kept["file"] == problem.file)
    if problem.row is not None:
        same &= kept["row"] == problem.row
    return bool(same.fillna(False).any())


def _narrowed(program: Program, province: str | None) -> Program:
    """Narrow a wider data set to the scope ``province`` names, when it lies inside it."""
    if province is None:
        return program
    from ..reference.scopes import resolve_scope
    from .scope import contains, narrow

    asked = resolve_scope(province)
    if asked != program.province_code and contains(program.province_code, asked):
        return narrow(program, asked)
    return program
