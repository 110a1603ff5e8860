"""Check raw tables against the data model: collect every problem, quarantine bad rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem
from ..model import schema
from ..model.codes import COMMUNE_CODE, PROVINCE_CODE, in_scope, scope_level
from ..model.schema import TABLES, Column, Table
from ..reference.facts import PUBLISHED_TARGETS
from . import plausibility, privacy, problems
from . import problems as _problems  # validate_tables has a local named problems
from .cells import (
    _VOCABS,
    COMMUNES_ANYWHERE,
    CommuneIndex,
    OutsideProvinceError,
    _fmt,
    _fmt_key,
    _rows_text,
)
from .parse import (
    ParseError,
    as_text,
    closest,
    is_blank,
    parse_date,
    parse_id,
    parse_idlist,
    parse_month,
    parse_number,
)
from .read import paused_gc
from .references import SPAN_GRACE_MONTHS, _Parent, check_references
from .reports import (
    _cause,
    _reasons_by_row,
    describe,
    problem_counts,
    problems_frame,
    problems_in,
    quarantine_reasons,
    reason_text,
    report_json,
    report_text,
    table_counts,
)
from .rules import RULES, Rule

__all__ = [
    "RULES",
    "Rule",
    "SPAN_GRACE_MONTHS",
    "RawTable",
    "Validated",
    "CommuneIndex",
    "validate_tables",
    "problems_frame",
    "describe",
    "table_counts",
    "problem_counts",
    "report_text",
    "report_json",
    "reason_text",
    "quarantine_reasons",
    "problems_in",
]


#: Tables whose absence makes the data set unusable for reports.
CORE_TABLES = ("partners", "agreements", "projects", "progress")

_PROVINCE_CODE = PROVINCE_CODE
_COMMUNE_CODE = COMMUNE_CODE

#: Catalogue key of each column unit, put after a number in range messages ("0 jobs").
_UNIT_KEYS = {
    "jobs": "problem.unit.jobs",
    "person-months": "problem.unit.person_months",
    "person-days": "problem.unit.person_days",
    "days": "problem.unit.days",
    "MAD": "problem.unit.mad",
    "%": "problem.unit.percent",
}


@dataclass
class RawTable:
    """One table as read from a file or sheet, before any value is parsed.

    Attributes
    ----------
    table : str
        Canonical table name.
    file : str
        File name as given (the workbook for a sheet).
    sheet : str or None
        Sheet name for workbooks.
    headers : list of str
        Headers as written, personal-data columns already removed.
    columns : dict of str to int
        Canonical column name -> position in ``headers``.
    rows : list of list
        Cell values (text for CSV; Python objects for Excel and Parquet), aligned with
        ``headers``. Blank rows are not included.
    excel_rows : list of int
        Row number of each row as a spreadsheet shows it (header row = 1 for CSV).
    problems : list of Problem
        Problems found while reading headers (personal data, unknown columns...).
    """

    table: str
    file: str
    sheet: str | None
    headers: list[str]
    columns: dict[str, int]
    rows: list[list[Any]]
    excel_rows: list[int]
    problems: list[Problem] = field(default_factory=list)

    @property
    def label(self) -> str:
        """Return ``file`` or ``file [sheet]`` for messages."""
        return self.file + (f" [{self.sheet}]" if self.sheet else "")

    def header(self, column: str) -> str:
        """Return the header as written for canonical ``column`` (its name when absent)."""
        return self.headers[self.columns[column]] if column in self.columns else column


@dataclass
class Validated:
    """Result of :func:`validate_tables`.

    Attributes
    ----------
    tables : dict of str to DataFrame
        Accepted rows per table, typed with :func:`schema.coerce`, sorted by key.
    quarantine : dict of str to DataFrame
        Rejected rows per table as read (text), plus ``excel_row`` and ``reasons``.
    problems : list of Problem
        Every problem, sorted by table, row and column.
    rows_read : dict of str to int
        Data rows read per table.
    """

    tables: dict[str, pd.DataFrame]
    quarantine: dict[str, pd.DataFrame]
    problems: list[Problem]
    rows_read: dict[str, int]


# ---------------------------------------------------------------------------
# Checking one table
# ---------------------------------------------------------------------------


class _Checker:
    """Parse and check the rows of one raw table, collecting problems and reasons."""

    def __init__(self, raw: RawTable, communes: CommuneIndex | None):
        self.raw = raw
        self.table = TABLES[raw.table]
        self.communes = communes
        self.n = len(raw.rows)
        #: Parsed values per column, one per row (``None`` when empty or unreadable).
        self.values: dict[str, np.ndarray] = {
            c.name: np.full(self.n, None, dtype=object) for c in self.table.columns
        }
        self.bad: dict[str, set[int]] = defaultdict(set)  # column -> rows whose cell failed
        #: Messages of the errors of each rejected row (rows without error are absent).
        self.reasons: dict[int, list[str]] = defaultdict(list)
        #: First cause of each rejected row, located ("file, row n, column 'c': message"), as
        #: the placeholders ``cause_key`` and ``cause.*`` of a message (see :func:`_cause`).
        self.causes: dict[int, tuple[tuple[str, str], ...] | None] = {}
        #: Raw cells by position (rows transposed once, see :meth:`_raw_column`).
        self._columns: list[tuple[Any, ...]] | None = None
        # header problems made while reading: same rule, no personal header quoted
        self.problems: list[Problem] = [privacy.redact(p) for p in raw.problems]

    # -- problem helpers -------------------------------------------------------------------

    def add(
        self,
        i: int | None,
        column: str | None,
        value: Any,
        rule: Rule | str,
        message: str = "",
        suggestion: str = "",
        severity: str = "error",
        cause: tuple[tuple[str, str], ...] | None = None,
        *,
        key: str = "",
        **params: Any,
    ) -> None:
        """Record a problem on row ``i`` (``None`` for the whole table).

        ``cause`` is the first cause (see :func:`_cause`) when this error only follows from
        another row's.
        With ``key`` (a catalogue key, see :func:`problems.make`) the message and suggestion
        come from the catalogue in every language and ``params`` fill its placeholders;
        ``message`` and ``suggestion`` are then ignored.
        """
        header = self.raw.header(column) if column else None
        where = {
            "file": self.raw.file,
            "sheet": self.raw.sheet,
            "row": self.raw.excel_rows[i] if i is not None else None,
            "column": header,
            "value": None if value is None else as_text(value),
            "table": self.table.name,
        }
        if key:
            problem = problems.make(
                rule, key, severity=severity, redact_as=column, **where, **params
            )
            message = problem.message
        else:
            problem = Problem(
                **where, rule=str(rule), severity=severity, message=message, suggestion=suggestion
            )
        problem = privacy.redact(problem, column)  # personal cells: no value, no quote
        message = problem.message
        self.problems.append(problem)
        if severity == "error" and i is not None:
            # marks the row as rejected; the quarantine's ``reasons`` are worded from the
            # row's problems (_reasons_by_row), in any language
            self.reasons[i].append(problem.message)
            if self.causes.get(i) is None:
                self.causes[i] = cause or _cause(self.raw.label, problem)

    def cell(self, i: int, column: str) -> Any:
        """Return the raw cell of row ``i`` under canonical ``column``."""
        return self.raw.rows[i][self.raw.columns[column]]

    def ok(self, i: int, *columns: str) -> bool:
        """Return True when the cells of ``columns`` in row ``i`` parsed and are present."""
        return all(i not in self.bad[c] and self.values[c][i] is not None for c in columns)

    def ok_mask(self, *columns: str) -> np.ndarray:
        """Return, for every row at once, :meth:`ok` of ``columns`` (a boolean array)."""
        mask = np.ones(self.n, dtype=bool)
        for c in columns:
            mask &= ~pd.isna(self.values[c])
            if self.bad[c]:
                mask[list(self.bad[c])] = False
        return mask

    def numbers(self, column: str, mask: np.ndarray | None = None) -> np.ndarray:
        """Return a number column as floats (NaN where not ``ok``, or outside ``mask``)."""
        mask = self.ok_mask(column) if mask is None else mask & self.ok_mask(column)
        return np.where(mask, self.values[column], np.nan).astype(float)

    def datetimes(self, column: str, mask: np.ndarray | None = None) -> np.ndarray:
        """Return the values of a date or month column as datetime64 (NaT where not ``ok``)."""
        mask = self.ok_mask(column) if mask is None else mask & self.ok_mask(column)
        stamps = pd.DatetimeIndex(np.where(mask, self.values[column], None))
        return stamps.to_numpy(dtype="datetime64[ns]")

    def rows_where(self, mask: np.ndarray) -> list[int]:
        """Return the rows where ``mask`` holds, in order, as Python ints."""
        return np.flatnonzero(mask).tolist()

    # -- cells -----------------------------------------------------------------------------

    def parse_cells(self) -> None:
        """Parse every cell of every mapped column; record type/required/range problems."""
        no_header = [p for p in self.raw.problems if p.rule == Rule.NO_HEADER]
        if no_header:
            reason = reason_text(no_header[0], "en")
            cause = _cause(self.raw.label, no_header[0])
            for i in range(self.n):  # one problem for the sheet, already recorded
                self.reasons[i].append(reason)
                self.causes[i] = cause
            return
        missing = [
            c
            for c in self.table.columns
            if c.required
            and c.name not in self.raw.columns
            and (self.table.name, c.name) not in plausibility.INFERABLE
        ]
        for c in missing:
            accepted = ", ".join(repr(a) for a in c.aliases)
            self.add(
                None,
                c.name,
                None,
                Rule.MISSING_COLUMN,
                key="problem.missing_column",
                name=repr(c.name),
                where=self.raw.label,
                accepted=accepted,
            )
            cause = _cause(self.raw.label, self.problems[-1])
            for i in range(self.n):
                self.reasons[i].append(self.problems[-1].message)
                if self.causes.get(i) is None:
                    self.causes[i] = cause
        for c in self.table.columns:
            if c.name in self.raw.columns:
                self._parse_column(c)
        self._columns = None  # the values are parsed: the raw cells stay in the rows only

    def _parse_column(self, c: Column) -> None:
        """Parse the cells of column ``c``: each distinct text once, problems per cell.

        Text cells repeat a lot (ids, months, counts): each distinct text is converted
        once, with the very function that converts a single cell (:meth:`_convert`), and
        its value spread to the rows that hold it. Cells whose value needs a problem
        (unreadable, ambiguous, empty and required, out of range, a commune of another
        province) and cells that are not text (workbooks, Parquet) go through
        :meth:`_parse_cell`, one by one in row order, exactly as if every cell did.
        """
        pos = self.raw.columns[c.name]
        cells = np.empty(self.n, dtype=object)
        cells[:] = self._raw_column(pos)
        if pd.api.types.infer_dtype(cells, skipna=False) == "string":  # CSV: text only
            is_text = np.ones(self.n, dtype=bool)
        else:
            is_text = np.fromiter((v.__class__ is str for v in cells), dtype=bool, count=self.n)
        memo: dict[str, Any] = {}
        slow = ~is_text
        out = self.values[c.name]
        if is_text.any():
            every = bool(is_text.all())
            rows = np.flatnonzero(is_text)
            codes, uniques = pd.factorize(cells if every else cells[rows])
            uniques = np.asarray(uniques, dtype=object)
            clean, values = self._clean_texts(c, uniques, memo)
            if every and clean.all():  # the common case: every cell is clean text
                out[:] = values.take(codes)
            else:
                row_clean = clean[codes]
                out[rows[row_clean]] = values[codes[row_clean]]
                slow[rows[~row_clean]] = True
        for i in np.flatnonzero(slow).tolist():
            self._parse_cell(i, c, memo)

    def _raw_column(self, pos: int) -> list[Any] | tuple[Any, ...]:
        """Return the raw cells at position ``pos`` of every row."""
        if self._columns is None:
            rows = self.raw.rows
            same = self.n > 0 and len(set(map(len, rows))) == 1
            self._columns = list(zip(*rows, strict=True)) if same else []
        if pos < len(self._columns):
            return self._columns[pos]
        return [r[pos] for r in self.raw.rows]

    def _clean_texts(
        self, c: Column, texts: np.ndarray, memo: dict
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return which distinct ``texts`` of column ``c`` read without any problem, and values.

        Plain numbers (ASCII digits, a dot before decimals) are read for the whole array at
        once; any other text by :meth:`_try_convert`, its result kept in ``memo`` for the
        cells that need :meth:`_parse_cell`.
        """
        clean = np.zeros(len(texts), dtype=bool)
        values = np.full(len(texts), None, dtype=object)
        if c.kind in ("int", "float") and len(texts) >= 64:
            plain, numbers = _plain_numbers(c, texts)
            clean[plain] = True
            values[plain] = numbers
        elif c.kind == "id" and len(texts) >= 64:  # an id without spaces is itself
            series = pd.Series(texts, dtype=object)
            plain = ~series.str.contains(r"\s|^$").to_numpy(dtype=bool)
            clean[plain] = True
            values[plain] = texts[plain]
        for k in np.flatnonzero(~clean).tolist():
            text = texts[k]
            result = memo[text] = self._try_convert(c, text)
            if isinstance(result, ParseError):
                continue
            value, ambiguous = result
            if ambiguous or (value is None and c.required):
                continue
            if value is not None and c.kind in ("int", "float") and not _within(c, value):
                continue
            clean[k] = True
            values[k] = value
        return clean, values

    def _parse_cell(self, i: int, c: Column, memo: dict) -> None:
        """Parse the cell of row ``i`` under column ``c``: convert, then check presence, range."""
        raw_value = self.cell(i, c.name)
        result = self._converted(i, c, raw_value, memo)
        if isinstance(result, ParseError):
            rule = {"category": Rule.ALLOWED_VALUES, "commune": Rule.COMMUNE}.get(c.kind, Rule.TYPE)
            self.bad[c.name].add(i)
            if result.key:
                self.add(i, c.name, raw_value, rule, key=result.key, **dict(result.params))
            else:
                self.add(i, c.name, raw_value, rule, f"value {result.message}", result.suggestion)
            return
        value, ambiguous = result
        if ambiguous:
            decimal = f"{value / 1000:g}".replace(".", ",")
            self.add(
                i,
                c.name,
                raw_value,
                Rule.AMBIGUOUS_NUMBER,
                key="problem.ambiguous_number",
                severity="warning",
                cell=repr(as_text(raw_value).strip()),
                number=_fmt(value),
                decimal=decimal,
            )
        if value is None:
            if c.required:
                self.bad[c.name].add(i)
                self.add(
                    i,
                    c.name,
                    raw_value,
                    Rule.REQUIRED,
                    key="problem.required",
                    label_column=f"{self.table.name}.{c.name}",
                    name=c.name,
                    header=repr(self.raw.header(c.name)),
                )
            return
        if c.kind in ("int", "float") and not self._in_range(i, c, raw_value, value):
            return
        self.values[c.name][i] = value

    def _converted(
        self, i: int, c: Column, raw_value: Any, memo: dict
    ) -> tuple[Any, bool] | ParseError:
        """Return the cell converted (value, ambiguous) or its ParseError.

        A commune of another province where any commune is allowed is kept, with a warning.
        """
        if isinstance(raw_value, str):  # text cells repeat a lot: convert each once
            if raw_value not in memo:
                memo[raw_value] = self._try_convert(c, raw_value)
            result = memo[raw_value]
        else:
            result = self._try_convert(c, raw_value)
        if isinstance(result, OutsideProvinceError) and (
            (self.table.name, c.name) in COMMUNES_ANYWHERE
        ):
            self.add(
                i,
                c.name,
                raw_value,
                Rule.COMMUNE,
                key="problem.commune_kept",
                severity="warning",
                message_key=result.key,
                **{f"message.{n}": v for n, v in result.params},
            )
            result = (result.code, False)
        return result

    def _in_range(self, i: int, c: Column, raw_value: Any, value: Any) -> bool:
        """Return True when a number lies within its column's bounds; else record the error."""
        unit = _UNIT_KEYS.get(c.unit, "")
        if c.min is not None and value < c.min:
            self.bad[c.name].add(i)
            self.add(
                i,
                c.name,
                raw_value,
                Rule.RANGE,
                key="problem.negative" if c.min == 0 else "problem.below_minimum",
                cell=repr(as_text(raw_value)),
                min=_fmt(c.min),
                unit_key=unit,
                name=c.name,
            )
            return False
        if c.max is not None and value > c.max:
            self.bad[c.name].add(i)
            self.add(
                i,
                c.name,
                raw_value,
                Rule.RANGE,
                key="problem.above_maximum",
                cell=repr(as_text(raw_value)),
                min=_fmt(c.min or 0),
                max=_fmt(c.max),
                unit_key=unit,
            )
            return False
        return True

    def _try_convert(self, c: Column, value: Any) -> tuple[Any, bool] | ParseError:
        try:
            return self._convert(c, value)
        except ParseError as exc:
            return exc

    def _convert(self, c: Column, value: Any) -> tuple[Any, bool]:
        """Return ``(parsed value, ambiguous)``; ambiguous only for decimal numbers."""
        kind = c.kind
        if kind == "id":
            return parse_id(value), False
        if kind == "text":
            return (None if is_blank(value) else as_text(value).strip()), False
        if kind == "idlist":
            return parse_idlist(value), False
        if kind in ("int", "float"):
            number, ambiguous = parse_number(value, integer=kind == "int")
            return number, ambiguous and kind == "float"
        if kind == "date":
            return parse_date(value), False
        if kind == "month":
            return parse_month(value), False
        if kind == "category":
            return _VOCABS[c.vocab].resolve(value), False
        if kind == "commune":
            if self.communes is None:
                return (None if is_blank(value) else as_text(value).strip()), False
            return self.communes.resolve(value), False
        raise ValueError(f"unknown column kind {kind!r}")  # pragma: no cover

    # -- rows ------------------------------------------------------------------------------

    def check_rows(self) -> None:
        """Apply the checks that compare cells of the same row.

        Each check finds its rows for the whole table at once; a problem is then made,
        row by row, for the rows found.
        """
        name = self.table.name
        if name == "targets":  # a few rows, several checks each
            for i in range(self.n):
                if self.ok(i, "period_start", "period_end"):
                    self._date_order(i, "period_start", "period_end", "period_end", "period_start")
                self._target_row(i)
            return
        dates = _DATE_PAIRS.get(name)
        if dates is not None:
            start, end = dates[0], dates[1]
            mask = self.ok_mask(start, end)
            late = self.datetimes(end, mask) < self.datetimes(start, mask)
            for i in self.rows_where(late):
                self._date_order(i, *dates)
        if name == "progress":
            jobs = self.numbers("jobs_filled")
            for col, rule in (("women", Rule.WOMEN_OVER_JOBS), ("youth", Rule.YOUTH_OVER_JOBS)):
                if col not in self.raw.columns:
                    continue
                for i in self.rows_where(self.numbers(col) > jobs):
                    if self.ok(i, "jobs_filled", col) and self.values[col][i] > (
                        n := self.values["jobs_filled"][i]
                    ):
                        self.bad[col].add(i)
                        self.add(
                            i,
                            col,
                            self.cell(i, col),
                            rule,
                            key=f"problem.{rule}",
                            cell=repr(as_text(self.cell(i, col))),
                            jobs=n,
                        )

    def _date_order(self, i: int, start: str, end: str, end_label: str, start_label: str):
        s, e = self.values[start][i], self.values[end][i]
        if e < s:
            self.bad[end].add(i)
            self.add(
                i,
                end,
                self.cell(i, end),
                Rule.DATE_ORDER,
                key="problem.date_order",
                end_label_key=f"problem.date.{end_label}",
                end=f"{e:%Y-%m-%d}",
                start_label_key=f"problem.date.{start_label}",
                start=f"{s:%Y-%m-%d}",
                start_header=repr(self.raw.header(start)),
                end_header=repr(self.raw.header(end)),
            )

    def _target_row(self, i: int) -> None:
        """Check a target's scope code against its scope, and its wave against its period."""
        v = self.values
        if self.ok(i, "scope", "scope_code"):
            scope, code = v["scope"][i], v["scope_code"][i]
            expected = {
                "national": ("problem.scope_code.national", lambda s: s == "MA"),
                "province": ("problem.scope_code.province", _PROVINCE_CODE.fullmatch),
                "commune": ("problem.scope_code.commune", _COMMUNE_CODE.fullmatch),
            }[scope]
            if not expected[1](code):
                self.bad["scope_code"].add(i)
                self.add(
                    i,
                    "scope_code",
                    self.cell(i, "scope_code"),
                    Rule.TARGET_SCOPE,
                    key="problem.target_scope",
                    cell=repr(code),
                    scope=scope,
                    expected_key=expected[0],
                )
        if self.ok(i, "wave", "period_start", "period_end"):
            wave, start, end = v["wave"][i], v["period_start"][i], v["period_end"][i]
            if not start.year <= wave <= end.year:
                self.add(
                    i,
                    "wave",
                    self.cell(i, "wave"),
                    Rule.TARGET_WAVE,
                    key="problem.target_wave",
                    severity="warning",
                    wave=wave,
                    start=f"{start:%Y-%m}",
                    end=f"{end:%Y-%m}",
                )

    # -- keys ------------------------------------------------------------------------------

    def key(self, i: int) -> tuple | None:
        """Return the key of row ``i``, or None when a key cell is missing or unreadable."""
        if not self.ok(i, *self.table.key):
            return None
        return tuple(self.values[k][i] for k in self.table.key)

    def check_unique(self) -> None:
        """Quarantine every row sharing a key with another row, each naming the others."""
        key = self.table.key
        ok = self.ok_mask(*key)
        columns = {}
        for k in key:
            if self.table.column(k).kind in ("date", "month"):
                columns[k] = self.datetimes(k, ok).view("int64")
            else:
                columns[k] = np.where(ok, self.values[k], None)
        shared = ok & pd.DataFrame(columns).duplicated(keep=False).to_numpy(dtype=bool)
        seen: dict[tuple, list[int]] = defaultdict(list)
        for i in self.rows_where(shared):
            seen[tuple(self.values[k][i] for k in key)].append(i)
        for k, rows in seen.items():
            if len(rows) < 2:
                continue
            for i in rows:
                others = [self.raw.excel_rows[j] for j in rows if j != i]
                col = key[-1] if self.table.name in ("progress", "payroll") else key[0]
                self.add(
                    i,
                    col,
                    self.cell(i, col),
                    Rule.UNIQUE,
                    key="problem.unique",
                    **_fmt_key(self.table, k),
                    **_rows_text(others),
                )

    def check_reference(self, column: str, parent: _Parent | None, *, many: bool = False):
        """Check that ``column`` points at accepted rows of ``parent``."""
        if parent is None or column not in self.raw.columns:
            return
        ok = self.ok_mask(column)
        if many:
            known = parent.accepted
            rows = [
                i
                for i in self.rows_where(ok)
                if not all(r in known for r in self.values[column][i].split(";"))
            ]
        else:
            found = pd.Index(list(parent.accepted), dtype=object).get_indexer(self.values[column])
            rows = self.rows_where(ok & (found < 0))
        for i in rows:
            ids = self.values[column][i].split(";") if many else [self.values[column][i]]
            for ref in ids:
                if ref in parent.accepted:
                    continue
                noun = f"problem.noun.{parent.table}"
                cause = None
                if ref in parent.rejected:
                    rows, cause = parent.rejected[ref]
                    key = "problem.parent_rejected"
                    params = {**_rows_text(rows), **dict(cause or (("cause", ""),))}
                else:
                    near = closest(ref, list(parent.accepted) + list(parent.rejected))
                    key = "problem.unknown_reference"
                    params = {
                        "closest_key": "problem.part.closest_ids" if near else "",
                        "closest.ids": ", ".join(repr(x) for x in near),
                    }
                self.add(
                    i,
                    column,
                    self.cell(i, column),
                    Rule.REFERENCE,
                    cause=cause,
                    key=key,
                    noun_key=noun,
                    ref=repr(ref),
                    where=parent.label,
                    **params,
                )

    def rejected_rows(self) -> set[int]:
        """Return the rows that have at least one error."""
        return {i for i, reasons in self.reasons.items() if reasons}


#: Start and end dates of a row that must come in order: (start, end, end label, start label).
_DATE_PAIRS = {
    "projects": ("planned_start", "planned_end", "planned_end", "planned_start"),
    "beneficiaries": ("start_date", "end_date", "contract_end", "contract_start"),
}


def _within(c: Column, value: Any) -> bool:
    """Return True when ``value`` lies within the bounds of column ``c`` (see ``_in_range``)."""
    return not (c.min is not None and value < c.min) and not (c.max is not None and value > c.max)


_PLAIN_INT = r"[0-9]{1,15}"
#: A decimal with a dot, but not ``1.100`` (read as one thousand one hundred, with a warning).
_PLAIN_DECIMAL = r"(?![1-9][0-9]{0,2}\.[0-9]{3}$)[0-9]{0,15}\.[0-9]{1,15}"


def _plain_numbers(c: Column, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return which of ``texts`` are plain numbers within ``c``'s bounds, and their values.

    Plain: ASCII digits (and, in a decimal column, a dot followed by digits, except the
    ambiguous ``1.100``). Their values are those :func:`parse.parse_number` gives: Python
    ints for an ``int`` column, floats otherwise.
    """
    series = pd.Series(texts, dtype=object)
    plain = series.str.fullmatch(_PLAIN_INT).fillna(False).to_numpy(dtype=bool, copy=True)
    if c.kind == "float":
        plain |= series.str.fullmatch(_PLAIN_DECIMAL).fillna(False).to_numpy(dtype=bool)
    floats = np.full(len(texts), np.nan)
    floats[plain] = texts[plain].astype(float)
    if c.min is not None:
        plain &= floats >= c.min
    if c.max is not None:
        plain &= floats <= c.max
    chosen = texts[plain]
    if c.kind == "int":
        numbers = chosen.astype(np.int64).astype(object)
    else:
        numbers = chosen.astype(float).astype(object)
    return plain, numbers


# ---------------------------------------------------------------------------
# Whole data set
# ---------------------------------------------------------------------------


def _quarantine_frame(checker: _Checker, rows: list[int]) -> pd.DataFrame:
    raw = checker.raw
    if raw.table in privacy.PERSON_TABLES:
        positions = sorted(raw.columns.values())  # free text about a person never leaves
    else:
        positions = list(range(len(raw.headers)))
    names: list[str] = []
    for p in positions:
        name = (privacy.shown(raw.headers[p]) if raw.headers[p] else "") or f"column {p + 1}"
        while name in names or name in ("excel_row", "reasons"):
            name += " (2)"
        names.append(name)
    canonical = {p: c for c, p in raw.columns.items()}
    data = {
        n: pd.array(
            [privacy.shown(raw.rows[i][p], raw.table, canonical.get(p)) for i in rows],
            dtype="string",
        )
        for n, p in zip(names, positions, strict=True)
    }
    data["excel_row"] = pd.array([raw.excel_rows[i] for i in rows], dtype="Int64")
    reasons = _reasons_by_row(_sorted(checker.problems, {raw.table: raw}), "en")
    data["reasons"] = pd.array([reasons[raw.excel_rows[i]] for i in rows], dtype="string")
    return pd.DataFrame(data)


def _empty_quarantine() -> pd.DataFrame:
    return pd.DataFrame(
        {"excel_row": pd.array([], dtype="Int64"), "reasons": pd.array([], dtype="string")}
    )


def _accepted_frame(checker: _Checker, rows: np.ndarray) -> pd.DataFrame:
    table = checker.table
    data: dict[str, Any] = {}
    for c in table.columns:
        values = checker.values[c.name][rows]
        if c.kind in ("date", "month"):
            values = pd.DatetimeIndex(values).as_unit("ns")
        elif c.kind in ("int", "float"):
            values = _typed_numbers(values, schema.dtype_for(c))
        data[c.name] = values
    df = schema.coerce(pd.DataFrame(data, columns=table.column_names), table)
    return df.sort_values(list(table.key), kind="stable").reset_index(drop=True)


def _typed_numbers(values: np.ndarray, dtype: Any) -> pd.api.extensions.ExtensionArray:
    """Return parsed numbers (Python ints or floats, ``None`` when empty) as ``dtype``."""
    missing = pd.isna(values)
    filled = np.where(missing, 0, values)
    if isinstance(dtype, pd.Int64Dtype) and all(v.__class__ is int for v in filled[~missing]):
        try:
            return pd.arrays.IntegerArray(filled.astype(np.int64), missing)
        except OverflowError:  # beyond 64 bits: pandas says so as it did before
            return pd.array(values, dtype=dtype)
    if isinstance(dtype, pd.Float64Dtype):
        return pd.arrays.FloatingArray(filled.astype(np.float64), missing)
    return pd.array(values, dtype=dtype)


def _published_targets(province_code: str) -> pd.DataFrame:
    rows = [
        t for t in PUBLISHED_TARGETS if t["scope"] == "national" or t["scope_code"] == province_code
    ]
    data = {
        c.name: [
            (pd.Timestamp(t[c.name] + "-01") if c.kind == "month" else t[c.name]) for t in rows
        ]
        for c in schema.TARGETS.columns
    }
    df = schema.coerce(pd.DataFrame(data, columns=schema.TARGETS.column_names), "targets")
    return df.sort_values("target_id").reset_index(drop=True)


def validate_tables(
    raw_tables: Mapping[str, RawTable],
    province_code: str,
    communes: pd.DataFrame | None,
    *,
    single_table: bool = False,
) -> Validated:
    """Parse and check every table; return accepted rows, quarantine and problems.

    Every problem is collected before anything is reported. Rows with an error are
    quarantined with their reasons, never dropped: for each table,
    ``rows_read == len(tables[t]) + len(quarantine[t])``. Warnings keep the row.
    A row referencing a quarantined parent row is quarantined too.

    Parameters
    ----------
    raw_tables : mapping of str to RawTable
        Tables as read, by canonical name (absent tables are simply missing).
    province_code : str
        HCP code of the province the data are about.
    communes : pandas.DataFrame or None
        Communes of the province (``commune_code`` and names). ``None`` skips the
        commune checks (commune cells are then kept as written).
    single_table : bool
        True when a single table file was given: absent tables are then warnings.

    Returns
    -------
    Validated
        Accepted tables, quarantine, problems and rows read.
    """
    with paused_gc():
        return _validate_tables(raw_tables, province_code, communes, single_table)


def _validate_tables(
    raw_tables: Mapping[str, RawTable],
    province_code: str,
    communes: pd.DataFrame | None,
    single_table: bool,
) -> Validated:
    index = CommuneIndex(province_code, communes) if communes is not None else None
    checkers = _check_each_table(raw_tables, index)
    check_references(checkers)
    tables: dict[str, pd.DataFrame] = {}
    quarantine: dict[str, pd.DataFrame] = {}
    rows_read: dict[str, int] = {}
    problems: list[Problem] = []
    for name, table in TABLES.items():
        if name in checkers:
            ch = checkers[name]
            bad = ch.rejected_rows()
            accepted = np.ones(ch.n, dtype=bool)
            accepted[list(bad)] = False
            tables[name] = _accepted_frame(ch, np.flatnonzero(accepted))
            quarantine[name] = _quarantine_frame(ch, sorted(bad))
            rows_read[name] = ch.n
            problems.extend(ch.problems)
        else:
            tables[name], problem = _absent_table(table, province_code, single_table)
            quarantine[name] = _empty_quarantine()
            rows_read[name] = len(tables[name])  # published targets count as read
            if problem is not None:
                problems.append(problem)
    problems.extend(_data_set_checks(raw_tables, tables, province_code))
    return Validated(tables, quarantine, _sorted(problems, raw_tables), rows_read)


def _check_each_table(
    raw_tables: Mapping[str, RawTable], index: CommuneIndex | None
) -> dict[str, _Checker]:
    """Step 1: parse and check the cells and rows of each table given, in loading order."""
    checkers: dict[str, _Checker] = {}
    for name in TABLES:
        if name in raw_tables:
            ch = _Checker(raw_tables[name], index)
            ch.parse_cells()
            plausibility.infer_wave(ch)
            ch.check_rows()
            plausibility.check_cells(ch)
            ch.check_unique()
            checkers[name] = ch
    return checkers


def _absent_table(
    table: Table, province_code: str, single_table: bool
) -> tuple[pd.DataFrame, Problem | None]:
    """Step 3 for a table not given: its frame (empty, or published targets) and problem."""
    name = table.name
    accepted = ", ".join(repr(a) for a in table.aliases)
    if name == "targets":
        published = _published_targets(province_code)
        problem = _problems.make(
            Rule.MISSING_TABLE,
            "problem.published_targets",
            severity="warning",
            table=name,
            ids=", ".join(published["target_id"]),
            accepted=accepted,
        )
        return published, problem
    frame = schema.empty_frame(table)
    if table.required and not single_table:
        return frame, _problems.make(
            Rule.MISSING_TABLE,
            "problem.missing_table",
            severity="error" if name in CORE_TABLES else "warning",
            table=name,
            name=repr(name),
            accepted=accepted,
        )
    if table.required:
        return frame, _problems.make(
            Rule.MISSING_TABLE,
            "problem.single_table",
            severity="warning",
            table=name,
            name=repr(name),
        )
    return frame, None


def _data_set_checks(
    raw_tables: Mapping[str, RawTable], tables: Mapping[str, pd.DataFrame], province_code: str
) -> list[Problem]:
    """Step 4: checks of the accepted data set as a whole (beneficiaries coverage, target)."""
    found: list[Problem] = []
    if "beneficiaries" in raw_tables:
        raw = raw_tables["beneficiaries"]
        coverage = plausibility.beneficiaries_coverage(tables, raw.file, raw.sheet)
        if coverage is not None:
            found.append(coverage)
    targets = tables["targets"]
    # a national or regional data set is answered for by its own target or its provinces'
    codes = targets["scope_code"].astype(str)
    if not codes.map(lambda c: in_scope(c, province_code)).any():
        found.append(_no_target(province_code))
    return found


def _no_target(scope_code: str) -> Problem:
    """Return the warning of a data set whose scope has no job target, worded for its level."""
    if scope_level(scope_code) == "province":
        return _problems.make(
            Rule.NO_TARGET,
            "problem.no_target",
            severity="warning",
            table="targets",
            province=scope_code,
            code=repr(scope_code),
        )
    from ..reference.scopes import scope_label

    return _problems.make(
        Rule.NO_TARGET,
        "problem.no_target_scope",
        severity="warning",
        table="targets",
        place=scope_label(scope_code, with_code=True),
        code=repr(scope_code),
    )


def _sorted(problems: list[Problem], raw_tables: Mapping[str, RawTable]) -> list[Problem]:
    order = {name: n for n, name in enumerate(TABLES)}

    def col_pos(p: Problem) -> int:
        raw = raw_tables.get(p.table)
        if raw is not None and p.column in raw.headers:
            return raw.headers.index(p.column)
        return -1

    return sorted(problems, key=lambda p: (order.get(p.table, 99), p.row or 0, col_pos(p)))
