"""Monthly consolidation: every partner's file in one DuckDB store, with history and quarantine.

The store is one DuckDB file (default ``data/store/awrach.duckdb``). It holds the tables of
the data model (``model.schema.TABLES``) with, on each row, the submission it came from and
whether it is current; ``submissions`` (one row per file ingested), ``quarantine`` (every
rejected row with its reasons, as catalogue keys so it can be worded in any language),
``problems`` (warnings of current files), an append-only ``events`` log and ``meta``
(schema version, province).

Files are read and checked by the same reader as folders (:func:`load.read_source`,
:func:`validate.validate_tables`); each file goes in within one transaction, so a failure
or a killed process leaves the store as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import config, i18n
from ..errors import InputError, Problem
from ..model import schema
from ..model.program import Program
from ..model.schema import TABLES
from .parse import ParseError, as_text, is_blank, parse_id, parse_month
from .validate import RawTable, problems_frame, validate_tables

__all__ = [
    "DEFAULT_STORE",
    "SCHEMA_VERSION",
    "StoreBusyError",
    "IngestResult",
    "open_store",
    "is_store",
    "ingest",
    "ingest_file",
    "load_program",
    "status",
    "format_status",
    "export_quarantine",
    "export_tables",
    "checksums",
    "neutralise",
    "write_partner_files",
    "write_reference_workbook",
]

#: Default location of the store (git-ignored).
DEFAULT_STORE = config.PROJECT_DIR / "data" / "store" / "awrach.duckdb"
#: Current version of the store's schema (``meta.schema_version``).
SCHEMA_VERSION = 2
#: Seconds an ingest waits for another process holding the store before giving up.
DEFAULT_WAIT = 30.0
#: Tables sent by the provincial team (the reference workbook).
REFERENCE_TABLES = ("partners", "agreements", "projects", "targets")
#: Rows inserted per statement (a checkpoint between chunks; tests inject failures there).
CHUNK_ROWS = 500
#: Statuses of :class:`IngestResult`, in the order of the summary line.
STATUSES = ("accepted", "quarantined", "superseded", "already", "corrections", "unreadable")
#: Marker of a quarantine export (hidden sheet name and its A1 cell).
EXPORT_MARKER = "awrach-quarantine"
#: Column headers the quarantine export adds to each sheet (by catalogue key).
_EXPORT_KEYS = ("store.export.ref", "store.export.reason", "store.export.suggestion")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DUCK_MAGIC = b"DUCK"

_SQL_TYPE = {
    "id": "VARCHAR",
    "text": "VARCHAR",
    "commune": "VARCHAR",
    "idlist": "VARCHAR",
    "category": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "date": "DATE",
    "month": "DATE",
}


class StoreBusyError(InputError):
    """Another process holds the store (an ingest is running); try again when it ends."""


# --- schema and migrations ---------------------------------------------------------------


def _data_table_sql(table: schema.Table) -> str:
    cols = ", ".join(f'"{c.name}" {_SQL_TYPE[c.kind]}' for c in table.columns)
    return (
        f'CREATE TABLE "{table.name}" ({cols}, submission_id INTEGER NOT NULL, '
        "current BOOLEAN NOT NULL)"
    )


def _migrate_1(con) -> None:
    """Create the first version of the store."""
    _run(con, "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    _run(
        con,
        """CREATE TABLE submissions (
            submission_id INTEGER PRIMARY KEY, file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL, kind VARCHAR NOT NULL, partner_id VARCHAR, month DATE,
            received_at TIMESTAMP NOT NULL, rows_read INTEGER NOT NULL,
            rows_accepted INTEGER NOT NULL, rows_quarantined INTEGER NOT NULL,
            superseded_by INTEGER, tables VARCHAR)""",
    )
    _run(
        con,
        """CREATE TABLE quarantine (
            quarantine_id INTEGER PRIMARY KEY, submission_id INTEGER NOT NULL,
            table_name VARCHAR NOT NULL, file_name VARCHAR, sheet VARCHAR, excel_row INTEGER,
            rule VARCHAR, key VARCHAR, params VARCHAR, message VARCHAR, reasons VARCHAR,
            cells VARCHAR)""",
    )
    _run(
        con,
        """CREATE TABLE problems (
            submission_id INTEGER NOT NULL, file VARCHAR, sheet VARCHAR, row INTEGER,
            "column" VARCHAR, value VARCHAR, rule VARCHAR, severity VARCHAR, message VARCHAR,
            suggestion VARCHAR, table_name VARCHAR, key VARCHAR, params VARCHAR)""",
    )
    _run(
        con,
        """CREATE TABLE events (
            event_id INTEGER PRIMARY KEY, "at" TIMESTAMP NOT NULL, submission_id INTEGER,
            event VARCHAR NOT NULL, detail VARCHAR)""",
    )
    for table in TABLES.values():
        _run(con, _data_table_sql(table))


def _migrate_2(con) -> None:
    """Version 2: quarantined rows get a status (open, released, resolved, superseded)."""
    _run(con, "ALTER TABLE quarantine ADD COLUMN status VARCHAR DEFAULT 'open'")
    _run(con, "ALTER TABLE quarantine ADD COLUMN resolved_by INTEGER")
    _run(con, "UPDATE quarantine SET status = 'open' WHERE status IS NULL")


#: Version -> function bringing the store from the previous version to it.
MIGRATIONS: dict[int, Callable[[Any], None]] = {1: _migrate_1, 2: _migrate_2}


def _version(con) -> int:
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchall()[0][0]
    if not found:
        return 0
    row = _one(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    return int(row[0]) if row else 0


def _migrate(con, upto: int = SCHEMA_VERSION) -> None:
    version = _version(con)
    if version > SCHEMA_VERSION:
        raise InputError(
            f"the store has schema version {version}, newer than this program's "
            f"({SCHEMA_VERSION}). Update awrach-analysis."
        )
    for target in range(version + 1, upto + 1):
        _run(con, "BEGIN TRANSACTION")
        try:
            MIGRATIONS[target](con)
            _run(con, "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(target)])
            if target > 1:
                _event(con, None, "migrated", {"from": target - 1, "to": target})
            _run(con, "COMMIT")
        except BaseException:
            _run(con, "ROLLBACK")
            raise


def is_store(path: str | Path | None) -> bool:
    """Return True when ``path`` is a DuckDB file (a store), whatever its extension."""
    if path is None:
        return False
    p = Path(path).expanduser()
    if not p.is_file():
        return False
    if p.suffix.lower() == ".duckdb":
        return True
    with p.open("rb") as fh:
        head = fh.read(16)
    return head[8:12] == _DUCK_MAGIC


@contextlib.contextmanager
def open_store(
    path: str | Path | None = None,
    *,
    read_only: bool = False,
    wait: float = DEFAULT_WAIT,
    _upto: int = SCHEMA_VERSION,
) -> Iterator[Any]:
    """Open the store (created and migrated when needed) and yield a DuckDB connection.

    Parameters
    ----------
    path : str or Path, optional
        Store file (default :data:`DEFAULT_STORE`).
    read_only : bool
        Open for reading only; the store must exist.
    wait : float
        Seconds to wait while another process holds the store.

    Raises
    ------
    StoreBusyError
        When another process still holds the store after ``wait`` seconds.
    InputError
        When a read-only store does not exist or is not a store.
    """
    import duckdb

    p = Path(path or DEFAULT_STORE).expanduser()
    if read_only and not p.is_file():
        raise InputError(f"{p}: no such store. Create it with `awrach ingest FILES --store {p}`.")
    if not read_only:
        p.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + max(wait, 0)
    while True:
        try:
            con = duckdb.connect(str(p), read_only=read_only)
            break
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" not in text.lower():
                raise InputError(f"{p}: not a readable store ({text}).") from None
            if time.monotonic() >= deadline:
                holder = re.search(r"PID (\d+)", text)
                who = f" (process {holder[1]})" if holder else ""
                raise StoreBusyError(
                    f"{p}: the store is in use by another awrach process{who}; nothing was "
                    f"changed. Run the command again when it has finished."
                ) from None
            time.sleep(0.2)
        except duckdb.Error as exc:
            raise InputError(f"{p}: not a readable store ({exc}).") from None
    _CONTEXT_CACHE.clear()
    try:
        if read_only:
            if _version(con) != SCHEMA_VERSION:
                con.close()
                with open_store(p, wait=wait):
                    pass  # migrate, then reopen read-only
                con = duckdb.connect(str(p), read_only=True)
        else:
            _migrate(con, _upto)
        yield con
    finally:
        _CONTEXT_CACHE.clear()
        con.close()


# --- small helpers -----------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _next_id(con, table: str, column: str) -> int:
    return int(con.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchall()[0][0])


def _event(con, submission_id: int | None, event: str, detail: dict) -> None:
    _run(
        con,
        "INSERT INTO events VALUES (?, ?, ?, ?, ?)",
        [
            _next_id(con, "events", "event_id"),
            _now(),
            submission_id,
            event,
            json.dumps(detail, ensure_ascii=False, default=str),
        ],
    )


def _one(con, sql: str, params: list | None = None) -> tuple | None:
    """Return the first row of a query (the result is read to the end)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def _run(con, sql: str, params: list | None = None) -> None:
    """Execute a statement whose result is not needed, and finish it."""
    con.execute(sql, params or []).fetchall()


def _meta(con) -> dict[str, str]:
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def _checkpoint(table: str, done: int, total: int) -> None:
    """Mark the end of a chunk of inserted rows (tests inject failures and kills here)."""


def _insert_frame(con, table: str, df: pd.DataFrame) -> None:
    """Insert ``df`` into ``table`` in chunks of :data:`CHUNK_ROWS` rows."""
    total = len(df)
    for start in range(0, total, CHUNK_ROWS):
        chunk = df.iloc[start : start + CHUNK_ROWS]
        con.register("_chunk", chunk)
        cols = ", ".join(f'"{c}"' for c in chunk.columns)
        _run(con, f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM _chunk')
        con.unregister("_chunk")
        _checkpoint(table, min(start + CHUNK_ROWS, total), total)


def _to_store_frame(df: pd.DataFrame, table: str, submission_id: int) -> pd.DataFrame:
    t = TABLES[table]
    out = pd.DataFrame(index=range(len(df)))
    for c in t.columns:
        s = df[c.name].reset_index(drop=True)
        if c.kind in ("date", "month"):
            out[c.name] = pd.to_datetime(s).dt.date.astype(object).where(s.notna(), None)
        elif c.kind == "int":
            out[c.name] = s.astype("Int64").astype(object).where(s.notna(), None)
        elif c.kind == "float":
            out[c.name] = s.astype("Float64").astype(object).where(s.notna(), None)
        else:
            out[c.name] = s.astype(object).where(s.notna(), None)
    out["submission_id"] = submission_id
    out["current"] = True
    return out


def _current_frame(con, table: str, where: str = "") -> pd.DataFrame:
    t = TABLES[table]
    cols = ", ".join(f'"{c}"' for c in t.column_names)
    df = con.execute(f'SELECT {cols} FROM "{table}" WHERE current {where}').df()
    df = schema.coerce(df, t)[t.column_names]
    return df.sort_values(list(t.key), kind="stable").reset_index(drop=True)


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


def _raw_from_frame(df: pd.DataFrame, table: str, label: str) -> RawTable:
    """Return accepted store rows as a ``RawTable`` (the context other files are checked in)."""
    names = TABLES[table].column_names
    rows = [[_plain(v) for v in rec] for rec in df[names].itertuples(index=False, name=None)]
    return RawTable(
        table=table,
        file=label,
        sheet=None,
        headers=list(names),
        columns={n: i for i, n in enumerate(names)},
        rows=rows,
        excel_rows=list(range(2, len(rows) + 2)),
    )


def _raw_from_cells(table: str, file: str, sheet: str | None, records: list[tuple]) -> RawTable:
    """Return quarantined rows ``(excel_row, {header: text})`` as a ``RawTable``."""
    from .load import column_for_header

    headers: list[str] = []
    for _, cells in records:
        for h in cells:
            if h not in headers:
                headers.append(h)
    columns: dict[str, int] = {}
    for i, h in enumerate(headers):
        col = column_for_header(table, h)
        if col is not None and col not in columns:
            columns[col] = i
    return RawTable(
        table=table,
        file=file,
        sheet=sheet,
        headers=headers,
        columns=columns,
        rows=[[cells.get(h, "") for h in headers] for _, cells in records],
        excel_rows=[int(r) for r, _ in records],
    )


def _month_text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return pd.Timestamp(value).strftime("%Y-%m")


def _parse_month_arg(month: str | None) -> pd.Timestamp | None:
    if month is None:
        return None
    try:
        parsed = parse_month(month)
    except ParseError:
        parsed = None
    if parsed is None:
        raise InputError(f"--month {month!r}: give a month as YYYY-MM, e.g. 2023-06.")
    return parsed


# --- ingest ------------------------------------------------------------------------------


@dataclass
class IngestResult:
    """What happened to one file given to :func:`ingest`.

    ``status`` is ``accepted``, ``quarantined`` (some rows rejected), ``superseded`` (the
    file replaced an earlier one for the same partner and month), ``already`` (same
    SHA-256 ingested before: nothing changed), ``corrections`` (a quarantine export sent
    back) or ``unreadable`` (nothing changed).
    """

    file: str
    status: str
    submission_id: int | None = None
    kind: str = ""
    partner_id: str | None = None
    month: str | None = None
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    supersedes: list[int] = field(default_factory=list)
    released: int = 0
    resolved: int = 0
    message: str = ""

    def line(self, lang: str = "en") -> str:
        """Return the one-line summary printed by ``awrach ingest``."""
        params = {
            "file": self.file,
            "partner": self.partner_id or "-",
            "month": self.month or "-",
            "read": i18n.fmt_int(self.rows_read, lang),
            "accepted": i18n.fmt_int(self.rows_accepted, lang),
            "quarantined": i18n.fmt_int(self.rows_quarantined, lang),
            "supersedes": ", ".join(f"#{s}" for s in self.supersedes),
            "id": self.submission_id or "-",
            "released": i18n.fmt_int(self.released, lang),
            "resolved": i18n.fmt_int(self.resolved, lang),
            "message": self.message,
        }
        text = i18n.t(f"store.ingest.{self.status}", lang, **params)
        if self.released:
            text += " " + i18n.t("store.ingest.released", lang, **params)
        return text


def _problem_dict(p: Problem) -> dict[str, Any]:
    d = p.to_dict()
    d["params"] = [list(x) for x in p.params]
    return d


def _localisable(p: Problem, table: str, context: dict[str, set[str]]) -> Problem:
    """Give a catalogue key to reference errors the reader words in English only."""
    if p.key or p.rule != "reference":
        return p
    ref = p.value or ""
    parent = "projects" if table in ("progress", "beneficiaries") else None
    if parent and ref not in context.get(parent, set()):
        from . import problems as problems_module

        return problems_module.make(
            "reference",
            "problem.store_unknown_project",
            file=p.file,
            sheet=p.sheet,
            row=p.row,
            column=p.column,
            value=p.value,
            table=p.table,
            project=ref,
        )
    return p


@dataclass
class _Checked:
    accepted: dict[str, pd.DataFrame]
    quarantine: list[dict[str, Any]]  # table, file, sheet, excel_row, reasons, cells
    warnings: list[Problem]
    rows_read: int


def _check(
    raw: dict[str, RawTable],
    context: dict[str, RawTable],
    province_code: str,
    extra: list[dict[str, Any]] | None = None,
) -> _Checked:
    """Validate the file's tables ``raw`` against the store's accepted ``context``."""
    from ..reference import communes as communes_module

    communes = communes_module.province_communes(province_code)
    tables = {**context, **raw}
    result = validate_tables(tables, province_code, communes)
    ids = {
        name: {r[t.columns["project_id"]] for r in t.rows} if "project_id" in t.columns else set()
        for name, t in context.items()
    }
    accepted = {name: result.tables[name] for name in raw}
    errors: dict[tuple[str, int | None], list[Problem]] = {}
    warnings: list[Problem] = []
    for p in result.problems:
        if p.table not in raw or p.rule == "missing_table":
            continue
        if p.severity == "error":
            errors.setdefault((p.table, p.row), []).append(_localisable(p, p.table, ids))
        elif p.rule != "unknown_column" or p.column not in _export_headers():
            warnings.append(p)
    quarantine: list[dict[str, Any]] = list(extra or [])
    for name, rt in raw.items():
        q = result.quarantine[name]
        cell_cols = [c for c in q.columns if c not in ("excel_row", "reasons")]
        for rec in q.to_dict("records"):
            row = int(rec["excel_row"])
            reasons = errors.get((name, row), []) + errors.get((name, None), [])
            quarantine.append(
                {
                    "table": name,
                    "file": rt.file,
                    "sheet": rt.sheet,
                    "excel_row": row,
                    "reasons": [_problem_dict(p) for p in reasons],
                    "cells": {c: ("" if rec[c] is pd.NA else str(rec[c])) for c in cell_cols},
                }
            )
    rows_read = sum(len(rt.rows) for rt in raw.values()) + len(extra or [])
    return _Checked(accepted, quarantine, warnings, rows_read)


def _export_headers() -> set[str]:
    return {i18n.t(k, lang) for k in _EXPORT_KEYS for lang in config.LANGUAGES}


def _project_partners(con) -> dict[str, str]:
    rows = con.execute(
        """SELECT p.project_id, a.partner_id FROM projects p JOIN agreements a
           ON p.agreement_id = a.agreement_id AND a.current WHERE p.current"""
    ).fetchall()
    return dict(rows)


#: Accepted store rows as raw tables, by (table, last reference submission); emptied when
#: a store is opened or closed and when a transaction is rolled back.
_CONTEXT_CACHE: dict[tuple[str, int], RawTable] = {}


def _context(con, names: Iterable[str]) -> dict[str, RawTable]:
    """Return the store's current rows of ``names`` (the context a file is checked in).

    Progress files are checked against the projects only (their agreements and partners
    were checked when the reference workbook came in).
    """
    generation = _one(
        con,
        "SELECT coalesce(max(submission_id), 0) FROM submissions "
        "WHERE kind IN ('reference', 'correction')",
    )[0]
    out = {}
    for name in names:
        key = (name, int(generation))
        if key not in _CONTEXT_CACHE:
            # an empty table too: rows referring to it are then checked (and rejected)
            _CONTEXT_CACHE[key] = _raw_from_frame(_current_frame(con, name), name, "(store)")
        out[name] = _CONTEXT_CACHE[key]
    return out


def _province_code(con, src, province: str | None) -> str:
    meta = _meta(con)
    if meta.get("province_code") and province is None and not src.meta:
        return meta["province_code"]
    from . import load as load_module

    code, _ = load_module._province(src, province)
    return code


def _set_aside(
    rt: RawTable, keep: Callable[[int], tuple[str, dict] | None]
) -> tuple[RawTable, list[dict]]:
    """Split ``rt``: rows for which ``keep(i)`` returns a reason go to the quarantine."""
    kept, aside = [], []
    for i in range(len(rt.rows)):
        why = keep(i)
        if why is None:
            kept.append(i)
            continue
        key, params = why
        column = "month" if "month" in key else "project_id"
        header = rt.header(column)
        value = as_text(rt.rows[i][rt.columns[column]]) if column in rt.columns else None
        from . import problems as problems_module

        p = problems_module.make(
            "submission",
            key,
            file=rt.file,
            sheet=rt.sheet,
            row=rt.excel_rows[i],
            column=header,
            value=value,
            table=rt.table,
            **params,
        )
        aside.append(
            {
                "table": rt.table,
                "file": rt.file,
                "sheet": rt.sheet,
                "excel_row": rt.excel_rows[i],
                "reasons": [_problem_dict(p)],
                "cells": {
                    h or f"column {j + 1}": as_text(v)
                    for j, (h, v) in enumerate(zip(rt.headers, rt.rows[i], strict=False))
                },
            }
        )
    new = RawTable(
        table=rt.table,
        file=rt.file,
        sheet=rt.sheet,
        headers=rt.headers,
        columns=rt.columns,
        rows=[rt.rows[i] for i in kept],
        excel_rows=[rt.excel_rows[i] for i in kept],
        problems=rt.problems,
    )
    return new, aside


def _drop_unfilled(rt: RawTable) -> tuple[RawTable, list[Problem]]:
    """Drop the lines of a partner's sheet where nothing was typed beyond the project and month.

    A partner's template lists every project due that month, the project id and month
    pre-filled; a project that has ended leaves its figures blank. Such a line reports
    nothing: it is neither a row nor a fault, and it is noted (severity ``info``), not
    quarantined. Lines with any figure typed are kept and checked as usual.
    """
    from . import problems as problems_module

    inputs = [j for c, j in rt.columns.items() if c not in ("project_id", "month")]
    keys = [c for c in ("project_id", "month") if c in rt.columns]
    if not inputs or len(keys) < 2:
        return rt, []
    kept, notes = [], []
    for i, row in enumerate(rt.rows):
        if not all(is_blank(row[j]) for j in inputs) or any(
            is_blank(row[rt.columns[c]]) for c in keys
        ):
            kept.append(i)
            continue
        project = as_text(row[rt.columns["project_id"]])
        notes.append(
            problems_module.make(
                "submission",
                "problem.store_not_reported",
                severity="info",
                file=rt.file,
                sheet=rt.sheet,
                row=rt.excel_rows[i],
                column=rt.header("project_id"),
                value=project,
                table=rt.table,
                project=project,
                month=as_text(row[rt.columns["month"]]),
            )
        )
    new = RawTable(
        table=rt.table,
        file=rt.file,
        sheet=rt.sheet,
        headers=rt.headers,
        columns=rt.columns,
        rows=[rt.rows[i] for i in kept],
        excel_rows=[rt.excel_rows[i] for i in kept],
        problems=rt.problems,
    )
    return new, notes


def _cell_month(rt: RawTable, i: int) -> pd.Timestamp | None:
    if "month" not in rt.columns:
        return None
    try:
        return parse_month(rt.rows[i][rt.columns["month"]])
    except ParseError:
        return None


def _cell_project(rt: RawTable, i: int) -> str | None:
    if "project_id" not in rt.columns:
        return None
    return parse_id(rt.rows[i][rt.columns["project_id"]])


def _write_quarantine(con, submission_id: int, rows: list[dict]) -> None:
    next_id = _next_id(con, "quarantine", "quarantine_id")
    records = []
    for n, q in enumerate(rows):
        first = q["reasons"][0] if q["reasons"] else {}
        records.append(
            {
                "quarantine_id": next_id + n,
                "submission_id": submission_id,
                "table_name": q["table"],
                "file_name": q["file"],
                "sheet": q["sheet"],
                "excel_row": q["excel_row"],
                "rule": first.get("rule"),
                "key": first.get("key") or None,
                "params": json.dumps(first.get("params", []), ensure_ascii=False),
                "message": first.get("message"),
                "reasons": json.dumps(q["reasons"], ensure_ascii=False),
                "cells": json.dumps(q["cells"], ensure_ascii=False),
                "status": "open",
                "resolved_by": None,
            }
        )
    if records:
        _insert_frame(con, "quarantine", pd.DataFrame(records))


def _write_problems(con, submission_id: int, warnings: list[Problem]) -> None:
    if not warnings:
        return
    df = pd.DataFrame(
        [
            {
                "submission_id": submission_id,
                "file": p.file,
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column,
                "value": p.value,
                "rule": p.rule,
                "severity": p.severity,
                "message": p.message,
                "suggestion": p.suggestion,
                "table_name": p.table,
                "key": p.key or None,
                "params": json.dumps([list(x) for x in p.params], ensure_ascii=False),
            }
            for p in warnings
        ]
    )
    df["row"] = df["row"].astype("Int64")
    _insert_frame(con, "problems", df)


def _retire(con, submission_id: int, by: int) -> None:
    """Take a submission's rows out of the current data (it stays on record)."""
    for table in TABLES:
        _run(con, f'UPDATE "{table}" SET current = false WHERE submission_id = ?', [submission_id])
    _run(
        con,
        "UPDATE quarantine SET status = 'superseded', resolved_by = ? "
        "WHERE submission_id = ? AND status = 'open'",
        [by, submission_id],
    )
    _run(
        con, "UPDATE submissions SET superseded_by = ? WHERE submission_id = ?", [by, submission_id]
    )


def _release(con, submission_id: int, province_code: str) -> int:
    """Re-check open quarantined rows after reference tables changed; accept those now valid."""
    rows = con.execute(
        """SELECT q.quarantine_id, q.submission_id, q.table_name, q.file_name, q.sheet,
                  q.excel_row, q.cells
           FROM quarantine q JOIN submissions s USING (submission_id)
           WHERE q.status = 'open' AND s.superseded_by IS NULL
             AND q.table_name IN ('progress', 'beneficiaries') AND q.rule = 'reference'
           ORDER BY q.quarantine_id"""
    ).fetchall()
    if not rows:
        return 0
    context = _context(con, ("projects",))
    released = 0
    groups: dict[tuple, list] = {}
    for qid, sid, table, file, sheet, excel_row, cells in rows:
        groups.setdefault((sid, table, file, sheet), []).append((qid, excel_row, json.loads(cells)))
    for (sid, table, file, sheet), items in groups.items():
        raw = _raw_from_cells(table, file, sheet, [(r, c) for _, r, c in items])
        checked = _check({table: raw}, context, province_code)
        still = {q["excel_row"] for q in checked.quarantine}
        ok = [(qid, r) for qid, r, _ in items if r not in still]
        if not ok:
            continue
        accepted = checked.accepted[table]
        existing = _current_frame(con, table)
        key = list(TABLES[table].key)
        if len(existing):
            merged = accepted.merge(existing[key], on=key, how="left", indicator=True)
            accepted = accepted[(merged["_merge"] == "left_only").to_numpy()]
        _insert_frame(con, table, _to_store_frame(accepted, table, sid))
        for qid, _ in ok:
            _run(
                con,
                "UPDATE quarantine SET status = 'released', resolved_by = ? "
                "WHERE quarantine_id = ?",
                [submission_id, qid],
            )
        released += len(ok)
        _event(con, sid, "released", {"rows": len(ok), "by": submission_id, "table": table})
    return released


def _orphans(con, submission_id: int) -> int:
    """Quarantine current progress rows whose project left the reference tables."""
    n = 0
    for table in ("progress", "beneficiaries"):
        df = con.execute(
            f"""SELECT * FROM "{table}" t WHERE t.current AND t.project_id NOT IN
                (SELECT project_id FROM projects WHERE current)"""
        ).df()
        if not len(df):
            continue
        if not con.execute("SELECT count(*) FROM projects WHERE current").fetchall()[0][0]:
            return 0
        names = TABLES[table].column_names
        for sid, part in df.groupby("submission_id"):
            rows = []
            for rec in part[names].to_dict("records"):
                cells = {
                    k: ("" if _plain(v) is None else as_text(_plain(v))) for k, v in rec.items()
                }
                for k in names:
                    if TABLES[table].column(k).kind == "month" and cells[k]:
                        cells[k] = cells[k][:7]
                from . import problems as problems_module

                p = problems_module.make(
                    "reference",
                    "problem.store_unknown_project",
                    table=table,
                    column="project_id",
                    value=cells["project_id"],
                    project=cells["project_id"],
                )
                rows.append(
                    {
                        "table": table,
                        "file": "(store)",
                        "sheet": None,
                        "excel_row": 0,
                        "reasons": [_problem_dict(p)],
                        "cells": cells,
                    }
                )
            _write_quarantine(con, int(sid), rows)
            n += len(rows)
        _run(
            con,
            f"""UPDATE "{table}" SET current = false WHERE current AND project_id NOT IN
                (SELECT project_id FROM projects WHERE current)""",
        )
    if n:
        _event(con, submission_id, "orphaned", {"rows": n})
    return n


def _previous(con, partner: str | None, month: pd.Timestamp | None) -> list[int]:
    """Return the current progress submissions of ``partner`` for ``month`` (to supersede)."""
    if month is None:
        return []
    rows = con.execute(
        """SELECT submission_id FROM submissions WHERE kind = 'progress'
           AND superseded_by IS NULL AND month = ? AND partner_id IS NOT DISTINCT FROM ?
           ORDER BY submission_id""",
        [month.date(), partner],
    ).fetchall()
    return [int(r[0]) for r in rows]


def _previous_reference(con, tables: set[str]) -> list[int]:
    """Return the current reference submissions whose every table ``tables`` replaces."""
    rows = con.execute(
        "SELECT submission_id, tables FROM submissions WHERE kind = 'reference' "
        "AND superseded_by IS NULL ORDER BY submission_id"
    ).fetchall()
    return [int(sid) for sid, old in rows if set(json.loads(old or "[]")) <= tables]


def _taken(con, replaced: Sequence[int] = ()) -> set[tuple[str, pd.Timestamp]]:
    """Return the (project, month) keys of current progress rows, but those of ``replaced``."""
    rows = con.execute(
        "SELECT project_id, month, submission_id FROM progress WHERE current"
    ).fetchall()
    return {(p, pd.Timestamp(m)) for p, m, sid in rows if sid not in set(replaced)}


def _is_export(path: Path) -> bool:
    """Return True for a quarantine export (its hidden ``awrach`` sheet holds the marker)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    import zipfile

    import openpyxl

    try:
        with zipfile.ZipFile(path) as z:
            if b'name="awrach"' not in z.read("xl/workbook.xml"):
                return False
        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            if "awrach" not in wb.sheetnames:
                return False
            first = next(wb["awrach"].iter_rows(max_row=1, values_only=True), ())
            return bool(first) and first[0] == EXPORT_MARKER
        finally:
            wb.close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False


def ingest_file(
    con,
    path: str | Path,
    *,
    month: str | None = None,
    partner: str | None = None,
    province: str | None = None,
) -> IngestResult:
    """Ingest one file into an open store, in one transaction.

    Parameters
    ----------
    con
        Connection from :func:`open_store`.
    path : str or Path
        A partner's progress file, the provincial team's reference workbook, or a
        quarantine export sent back corrected.
    month : str, optional
        ``YYYY-MM`` of the file (default: the month of its rows).
    partner : str, optional
        Partner id (default: the partner of the file's projects).
    province : str, optional
        Province, when the store does not know it yet.

    Returns
    -------
    IngestResult
        What happened. Nothing is changed when the status is ``already`` or ``unreadable``.
    """
    path = Path(path)
    name = path.name
    try:
        with path.open("rb") as fh:
            sha = hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        return IngestResult(name, "unreadable", message=f"{exc.strerror or exc}")
    found = _one(
        con, "SELECT submission_id FROM submissions WHERE sha256 = ? ORDER BY submission_id", [sha]
    )
    if found:
        return IngestResult(name, "already", submission_id=int(found[0]))
    if _is_export(path):
        return _ingest_export(con, path, sha, province)
    from .load import read_source

    try:
        src = read_source(path)
    except InputError as exc:
        return IngestResult(name, "unreadable", message=str(exc))
    tables = set(src.tables)
    kind = "reference" if tables & set(REFERENCE_TABLES) else "progress"
    want_month = _parse_month_arg(month)
    province_code = _province_code(con, src, province)
    raw = dict(src.tables)
    extra: list[dict] = []
    not_reported: list[Problem] = []
    supersedes: list[int] = []
    sub_partner, sub_month = partner, want_month
    if kind == "reference":
        context = _context(con, [t for t in TABLES if t not in raw and t in REFERENCE_TABLES])
        supersedes = _previous_reference(con, tables)
        if "progress" in raw:  # a workbook with every table: its rows must not double others
            rt = raw["progress"]
            taken = _taken(con, supersedes)

            def again(i: int) -> tuple[str, dict] | None:
                m, p = _cell_month(rt, i), _cell_project(rt, i)
                if m is not None and (p, m) in taken:
                    return ("problem.store_duplicate", {"project": p, "month": f"{m:%Y-%m}"})
                return None

            raw["progress"], extra = _set_aside(rt, again)
    else:
        context = _context(con, ("projects",))
        owners = _project_partners(con)
        rt = raw.get("progress")
        if rt is not None:
            if sub_month is None:
                months = Counter(m for i in range(len(rt.rows)) if (m := _cell_month(rt, i)))
                if months:
                    sub_month = sorted(months.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            if sub_partner is None:
                found_partners = Counter(
                    owners[p] for i in range(len(rt.rows)) if (p := _cell_project(rt, i)) in owners
                )
                if len(found_partners) == 1:
                    sub_partner = next(iter(found_partners))
            if sub_partner is None:
                stem = path.stem.upper()
                known = sorted({*owners.values()}, key=len, reverse=True)
                sub_partner = next((p for p in known if p.upper() in stem), None)

            supersedes = _previous(con, sub_partner, sub_month)
            taken = _taken(con, supersedes)

            def wrong(i: int) -> tuple[str, dict] | None:
                m = _cell_month(rt, i)
                if sub_month is not None and m is not None and m != sub_month:
                    return (
                        "problem.store_other_month",
                        {"month": f"{m:%Y-%m}", "expected": f"{sub_month:%Y-%m}"},
                    )
                p = _cell_project(rt, i)
                if sub_partner is not None and p in owners and owners[p] != sub_partner:
                    return (
                        "problem.store_other_partner",
                        {"project": p, "owner": owners[p], "partner": sub_partner},
                    )
                if m is not None and (p, m) in taken:
                    return ("problem.store_duplicate", {"project": p, "month": f"{m:%Y-%m}"})
                return None

            raw["progress"], extra = _set_aside(rt, wrong)
            raw["progress"], not_reported = _drop_unfilled(raw["progress"])
    checked = _check(raw, context, province_code, extra)
    checked.warnings.extend(not_reported)
    n_q = len(checked.quarantine)
    n_a = sum(len(df) for df in checked.accepted.values())
    _run(con, "BEGIN TRANSACTION")
    try:
        sid = _next_id(con, "submissions", "submission_id")
        for t in tables & set(REFERENCE_TABLES) if kind == "reference" else ():
            # the provincial team's table replaces the previous one as a whole
            _run(con, f'UPDATE "{t}" SET current = false WHERE current')
        for old in supersedes:
            _retire(con, old, sid)
        _run(
            con,
            "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            [
                sid,
                name,
                sha,
                kind,
                sub_partner,
                None if sub_month is None else sub_month.date(),
                _now(),
                checked.rows_read,
                n_a,
                n_q,
                json.dumps(sorted(tables)),
            ],
        )
        for t, df in checked.accepted.items():
            _insert_frame(con, t, _to_store_frame(df, t, sid))
        _write_quarantine(con, sid, checked.quarantine)
        _write_problems(con, sid, [*src.problems, *checked.warnings])
        released = 0
        if kind == "reference":
            if "province_code" not in _meta(con) or province or src.meta:
                _run(
                    con, "INSERT OR REPLACE INTO meta VALUES ('province_code', ?)", [province_code]
                )
            _orphans(con, sid)
            released = _release(con, sid, province_code)
        _event(
            con,
            sid,
            "ingested",
            {
                "file": name,
                "kind": kind,
                "partner": sub_partner,
                "month": _month_text(sub_month),
                "accepted": n_a,
                "quarantined": n_q,
                "supersedes": supersedes,
            },
        )
        _run(con, "COMMIT")
    except BaseException:
        _CONTEXT_CACHE.clear()
        _run(con, "ROLLBACK")
        raise
    status = "quarantined" if n_q else ("superseded" if supersedes else "accepted")
    return IngestResult(
        name,
        status,
        submission_id=sid,
        kind=kind,
        partner_id=sub_partner,
        month=_month_text(sub_month),
        rows_read=checked.rows_read,
        rows_accepted=n_a,
        rows_quarantined=n_q,
        supersedes=supersedes,
        released=released,
    )


def _ingest_export(con, path: Path, sha: str, province: str | None) -> IngestResult:
    """Ingest a quarantine export sent back: each row resolves the quarantined row it names."""
    import openpyxl

    from .load import read_source

    meta = _meta(con)
    province_code = meta.get("province_code") or config.DEFAULT_PROVINCE_CODE
    wb = openpyxl.load_workbook(path, data_only=True)
    from .headers import is_note_sheet

    sheets = [
        ws for ws in wb.worksheets if ws.sheet_state == "visible" and not is_note_sheet(ws.title)
    ]
    refs = _export_headers() & {i18n.t("store.export.ref", lang) for lang in config.LANGUAGES}
    context = _context(con, REFERENCE_TABLES)
    taken = _taken(con)
    total = _Checked({}, [], [], 0)
    fixed: list[tuple[int | None, str, pd.DataFrame]] = []  # (quarantine id, table, row)
    resolved_ids: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        for ws in sheets:
            single = openpyxl.Workbook()
            out = single.active
            out.title = ws.title
            for row in ws.iter_rows(values_only=True):
                out.append(list(row))
            tmp_path = Path(tmp) / path.name
            single.save(tmp_path)
            try:
                src = read_source(tmp_path)
            except InputError as exc:
                if not any(any(v is not None for v in r) for r in ws.iter_rows(values_only=True)):
                    continue
                return IngestResult(path.name, "unreadable", message=str(exc))
            total.warnings.extend(src.problems)
            for table, rt in src.tables.items():
                ref_pos = next((i for i, h in enumerate(rt.headers) if h in refs), None)
                for i, excel_row in enumerate(rt.excel_rows):
                    ref = rt.rows[i][ref_pos] if ref_pos is not None else None
                    try:
                        qid = int(float(as_text(ref))) if not is_blank(ref) else None
                    except ValueError:
                        qid = None
                    if qid is not None:
                        resolved_ids.append(qid)
                    one = RawTable(
                        table=table,
                        file=path.name,
                        sheet=rt.sheet,
                        headers=rt.headers,
                        columns=rt.columns,
                        rows=[rt.rows[i]],
                        excel_rows=[excel_row],
                    )
                    checked = _check({table: one}, context, province_code)
                    total.rows_read += 1
                    total.warnings.extend(checked.warnings)
                    for q in checked.quarantine:
                        for h in refs:
                            q["cells"].pop(h, None)
                    total.quarantine.extend(checked.quarantine)
                    accepted = checked.accepted[table]
                    if len(accepted) and table == "progress":
                        key = (accepted["project_id"].iloc[0], accepted["month"].iloc[0])
                        if key in taken:
                            one, aside = _set_aside(
                                one,
                                lambda _i, k=key: (
                                    "problem.store_duplicate",
                                    {"project": k[0], "month": f"{k[1]:%Y-%m}"},
                                ),
                            )
                            total.quarantine.extend(aside)
                            continue
                        taken.add(key)
                    if len(accepted):
                        fixed.append((qid, table, accepted))
    n_a = len(fixed)
    n_q = len(total.quarantine)
    _run(con, "BEGIN TRANSACTION")
    try:
        sid = _next_id(con, "submissions", "submission_id")
        owners = dict(con.execute("SELECT quarantine_id, submission_id FROM quarantine").fetchall())
        partners = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT s.partner_id FROM quarantine q JOIN submissions s "
                "USING (submission_id) WHERE q.quarantine_id IN (SELECT unnest(?))",
                [resolved_ids or [0]],
            ).fetchall()
        }
        partner_id = next(iter(partners)) if len(partners) == 1 else None
        _run(
            con,
            "INSERT INTO submissions VALUES (?, ?, ?, 'correction', ?, NULL, ?, ?, ?, ?, NULL, ?)",
            [
                sid,
                path.name,
                sha,
                partner_id,
                _now(),
                total.rows_read,
                n_a,
                n_q,
                json.dumps(sorted({t for _, t, _ in fixed})),
            ],
        )
        for qid, table, df in fixed:
            owner = owners.get(qid, sid) if qid is not None else sid
            _insert_frame(con, table, _to_store_frame(df, table, owner))
        if resolved_ids:
            _run(
                con,
                "UPDATE quarantine SET status = 'resolved', resolved_by = ? "
                "WHERE status = 'open' AND quarantine_id IN (SELECT unnest(?))",
                [sid, resolved_ids],
            )
        _write_quarantine(con, sid, total.quarantine)
        _write_problems(con, sid, total.warnings)
        released = 0
        if any(t in REFERENCE_TABLES for _, t, _ in fixed):
            released = _release(con, sid, province_code)
        _event(
            con,
            sid,
            "corrections",
            {"file": path.name, "accepted": n_a, "quarantined": n_q, "resolved": resolved_ids},
        )
        _run(con, "COMMIT")
    except BaseException:
        _CONTEXT_CACHE.clear()
        _run(con, "ROLLBACK")
        raise
    return IngestResult(
        path.name,
        "corrections",
        submission_id=sid,
        kind="correction",
        partner_id=partner_id,
        rows_read=total.rows_read,
        rows_accepted=n_a,
        rows_quarantined=n_q,
        resolved=len(resolved_ids),
        released=released,
    )


def ingest(
    files: Sequence[str | Path],
    store: str | Path | None = None,
    *,
    month: str | None = None,
    partner: str | None = None,
    province: str | None = None,
    wait: float = DEFAULT_WAIT,
    on_result: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    """Ingest files into the store, one transaction per file (see :func:`ingest_file`)."""
    results = []
    with open_store(store, wait=wait) as con:
        for f in files:
            result = ingest_file(con, f, month=month, partner=partner, province=province)
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results


# --- reading the store -------------------------------------------------------------------


def load_program(path: str | Path, *, wait: float = DEFAULT_WAIT) -> Program:
    """Return the store's current data as a :class:`Program`, as :func:`load.load` does.

    Tables hold the current rows (superseded files left out); ``quarantine`` the open
    quarantined rows; ``problems`` their errors and the warnings of current files;
    ``meta["revisions"]`` every superseded file (partner, month, file, received_at,
    superseded_by, replaced_at) for the report's data-quality appendix.
    """
    from ..reference import communes as communes_module

    with open_store(path, read_only=True, wait=wait) as con:
        meta = _meta(con)
        tables = {name: _current_frame(con, name) for name in TABLES}
        q = con.execute(
            """SELECT q.table_name, q.excel_row, q.reasons, q.cells, q.file_name, q.sheet
               FROM quarantine q JOIN submissions s USING (submission_id)
               WHERE q.status = 'open' AND s.superseded_by IS NULL
               ORDER BY q.quarantine_id"""
        ).fetchall()
        warn = con.execute(
            """SELECT p.* EXCLUDE (submission_id) FROM problems p JOIN submissions s
               USING (submission_id) WHERE s.superseded_by IS NULL"""
        ).df()
        shas = [r[0] for r in con.execute("SELECT sha256 FROM submissions ORDER BY 1").fetchall()]
        revisions = con.execute(
            """SELECT o.partner_id, strftime(o.month, '%Y-%m') AS month, o.file_name AS file,
                      o.received_at, n.file_name AS superseded_by, n.received_at AS replaced_at
               FROM submissions o JOIN submissions n ON o.superseded_by = n.submission_id
               ORDER BY o.month, o.partner_id, o.submission_id"""
        ).df()
    province_code = meta.get("province_code", config.DEFAULT_PROVINCE_CODE)
    quarantine: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name in TABLES:
        recs = [r for r in q if r[0] == name]
        data = [
            {
                **json.loads(cells),
                "excel_row": row,
                "reasons": "; ".join(p["message"] for p in json.loads(reasons)),
            }
            for _, row, reasons, cells, _, _ in recs
        ]
        df = pd.DataFrame(data) if data else pd.DataFrame({"excel_row": [], "reasons": []})
        df["excel_row"] = df["excel_row"].astype("Int64")
        quarantine[name] = df.astype({c: "string" for c in df.columns if c != "excel_row"})
        for _, _, reasons, _, _, _ in recs:
            for p in json.loads(reasons):
                p["params"] = tuple(tuple(x) for x in p.get("params", []))
                problems.append(Problem(**p))
    for rec in warn.to_dict("records"):
        problems.append(
            Problem(
                file=rec["file"] or "",
                sheet=rec["sheet"],
                row=None if pd.isna(rec["row"]) else int(rec["row"]),
                column=rec["column"],
                value=rec["value"],
                rule=rec["rule"],
                severity=rec["severity"],
                message=rec["message"],
                suggestion=rec["suggestion"],
                table=rec["table_name"] or "",
                key=rec["key"] or "",
                params=tuple(tuple(x) for x in json.loads(rec["params"] or "[]")),
            )
        )
    provinces = communes_module.provinces()
    match = provinces.loc[provinces["code"] == province_code, "name_fr"]
    return Program(
        **tables,
        communes=communes_module.province_communes(province_code),
        province_code=province_code,
        province=str(match.iloc[0]) if len(match) else province_code,
        is_sample=False,
        problems=problems_frame(problems),
        quarantine=quarantine,
        rows_read={n: len(tables[n]) + len(quarantine[n]) for n in TABLES},
        source=Path(path),
        fingerprint=hashlib.sha256("\n".join(shas).encode()).hexdigest(),
        meta={
            **{k: v for k, v in meta.items() if k != "schema_version"},
            "revisions": revisions.to_dict("records"),
        },
    )


def checksums(path: str | Path, *, wait: float = DEFAULT_WAIT) -> dict[str, tuple[int, str]]:
    """Return ``{table: (rows, sha256 of every row in order)}`` for every table of the store."""
    out = {}
    with open_store(path, read_only=True, wait=wait) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables ORDER BY table_name"
            ).fetchall()
        ]
        for name in names:
            rows = con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            out[name] = (len(rows), digest)
    return out


# --- status ------------------------------------------------------------------------------


def _expected(con, month: pd.Timestamp) -> pd.DataFrame:
    """Partners with a project running in ``month``, with their projects."""
    return con.execute(
        """SELECT a.partner_id, list(p.project_id ORDER BY p.project_id) AS projects
           FROM projects p JOIN agreements a ON p.agreement_id = a.agreement_id AND a.current
           WHERE p.current AND date_trunc('month', p.planned_start) <= ?
             AND date_trunc('month', p.planned_end) >= ?
           GROUP BY a.partner_id ORDER BY a.partner_id""",
        [month.date(), month.date()],
    ).df()


def status(
    store: str | Path | None = None, month: str | None = None, *, months: int = 6
) -> dict[str, Any]:
    """Return who sent what: a partners x months grid and the partners to chase.

    Each grid cell is ``received`` (a current file), ``corrected`` (a file superseded by a
    later one, or quarantined rows corrected), ``missing`` (a project running that month
    but no file) or ``""`` (nothing expected), with the open quarantined rows.
    """
    with open_store(store, read_only=True) as con:
        subs = con.execute(
            "SELECT submission_id, partner_id, month, superseded_by, kind FROM submissions"
        ).df()
        last = con.execute("SELECT max(month) FROM submissions WHERE kind = 'progress'").fetchall()[
            0
        ][0]
        sel = _parse_month_arg(month) if month else (pd.Timestamp(last) if last else None)
        if sel is None:
            return {
                "month": None,
                "months": [],
                "grid": [],
                "chase": [],
                "reference_quarantined": 0,
            }
        month_list = [sel - pd.DateOffset(months=k) for k in range(months - 1, -1, -1)]
        q = con.execute(
            """SELECT s.partner_id, s.month, count(*) FROM quarantine q
               JOIN submissions s USING (submission_id)
               WHERE q.status = 'open' AND s.superseded_by IS NULL GROUP BY ALL"""
        ).fetchall()
        fixed = con.execute(
            """SELECT DISTINCT s.partner_id, s.month FROM quarantine q
               JOIN submissions s USING (submission_id) WHERE q.status = 'resolved'"""
        ).fetchall()
        expected = {m: _expected(con, m) for m in month_list}
        reference_q = _one(
            con,
            f"""SELECT count(*) FROM quarantine q JOIN submissions s USING (submission_id)
                WHERE q.status = 'open' AND s.superseded_by IS NULL
                  AND q.table_name IN {tuple(REFERENCE_TABLES)}""",
        )[0]
        partners = [
            r[0]
            for r in con.execute(
                "SELECT partner_id FROM partners WHERE current ORDER BY partner_id"
            ).fetchall()
        ]
    quarantined = {(p, pd.Timestamp(m)): n for p, m, n in q if m is not None}
    corrected_q = {(p, pd.Timestamp(m)) for p, m in fixed if m is not None}
    progress_subs = subs[subs["kind"] == "progress"].copy()
    progress_subs["month"] = pd.to_datetime(progress_subs["month"])
    grid = []
    active = set()
    for m, df in expected.items():
        active |= {(p, m) for p in df["partner_id"]}
    shown = [p for p in partners if any((p, m) in active for m in month_list)] or partners
    shown = sorted(set(shown) | set(progress_subs["partner_id"].dropna()))
    for p in shown:
        cells = []
        for m in month_list:
            mine = progress_subs[(progress_subs["partner_id"] == p) & (progress_subs["month"] == m)]
            if len(mine) > 1 or (p, m) in corrected_q:
                state = "corrected"
            elif len(mine) == 1:
                state = "received"
            elif (p, m) in active:
                state = "missing"
            else:
                state = ""
            cells.append({"state": state, "quarantined": int(quarantined.get((p, m), 0))})
        grid.append({"partner_id": p, "cells": cells})
    chase = []
    got = set(progress_subs.loc[progress_subs["month"] == sel, "partner_id"].dropna())
    for rec in expected[sel].to_dict("records"):
        if rec["partner_id"] not in got:
            chase.append({"partner_id": rec["partner_id"], "projects": list(rec["projects"])})
    return {
        "month": f"{sel:%Y-%m}",
        "months": [f"{m:%Y-%m}" for m in month_list],
        "grid": grid,
        "chase": chase,
        "reference_quarantined": int(reference_q),
    }


def format_status(result: dict[str, Any], lang: str = "fr") -> str:
    """Return the status grid and the partners to chase as text in ``lang``."""
    if result["month"] is None:
        return i18n.t("store.status.empty", lang)
    marks = {
        "received": i18n.t("store.status.received", lang),
        "corrected": i18n.t("store.status.corrected", lang),
        "missing": i18n.t("store.status.missing", lang),
        "": "·",
    }
    header = [i18n.t("store.status.partner", lang), *result["months"]]
    rows = [header]
    for line in result["grid"]:
        cells = [line["partner_id"]]
        for c in line["cells"]:
            text = marks[c["state"]]
            if c["quarantined"]:
                text += f" (+{c['quarantined']})"
            cells.append(text)
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    out = [i18n.t("store.status.title", lang, month=result["month"])]
    for n, r in enumerate(rows):
        out.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    out.append(i18n.t("store.status.legend", lang))
    if result.get("reference_quarantined"):
        n = i18n.fmt_int(result["reference_quarantined"], lang)
        out.append(i18n.t("store.status.reference_quarantined", lang, n=n))
    out.append("")
    if result["chase"]:
        out.append(
            i18n.t("store.status.chase", lang, month=result["month"], n=len(result["chase"]))
        )
        for c in result["chase"]:
            out.append(f"  {c['partner_id']}: {', '.join(c['projects'])}")
    else:
        out.append(i18n.t("store.status.none_missing", lang, month=result["month"]))
    return "\n".join(out) + "\n"


# --- exports -----------------------------------------------------------------------------


def neutralise(value: Any) -> Any:
    """Return text that a spreadsheet would run as a formula with a leading apostrophe.

    Cells starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return are prefixed
    with ``'`` so Excel and LibreOffice show them as text. Other values are unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _quarantine_rows(con, partner: str | None) -> pd.DataFrame:
    df = con.execute(
        """SELECT q.quarantine_id, q.table_name, q.file_name, q.sheet, q.excel_row,
                  q.reasons, q.cells, s.partner_id, s.month
           FROM quarantine q JOIN submissions s USING (submission_id)
           WHERE q.status = 'open' AND s.superseded_by IS NULL
           ORDER BY s.partner_id, q.quarantine_id"""
    ).df()
    # a partner's progress rows go to the partner's sheet; other tables' rows (the
    # provincial team's) to a sheet named after the table, which reads back as that table
    by_partner = df["table_name"].eq("progress") & df["partner_id"].notna()
    df["sheet_title"] = df["partner_id"].where(
        by_partner, df["table_name"].map(lambda t: TABLES[t].fr[0] if TABLES[t].fr else t)
    )
    if partner is not None:
        df = df[df["partner_id"].eq(partner) & by_partner]
    return df


def write_quarantine_workbook(
    sheets: dict[str, dict[str, Any]],
    out: Path,
    lang: str,
    *,
    province_code: str = config.DEFAULT_PROVINCE_CODE,
) -> Path:
    """Write the quarantine workbook in the fill-in template's form, one sheet per partner.

    ``sheets`` maps a sheet title to ``{"table": str, "headers": [...], "rows": [[...]]}``;
    the last three headers are the reference, reason and suggestion columns. Each sheet is
    written by :func:`template.write_correction_sheet` (bilingual headers the loader reads
    back, drop-down lists, checks, right to left in Arabic, the context columns locked),
    after the template's instructions sheet; every text is neutralised (:func:`neutralise`).
    A hidden ``awrach`` sheet marks the workbook as an export for :func:`ingest_file`.
    """
    import openpyxl

    from .. import __version__
    from . import template

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    tlang = lang if lang in template.TEMPLATE_LANGS else "fr"
    note = i18n.t(
        "store.export.note",
        lang,
        version=__version__,
        date=dt.date.today().strftime("%d/%m/%Y"),
        n=sum(len(sheet["rows"]) for sheet in sheets.values()),
    )
    for title, sheet in sheets.items():
        template.write_correction_sheet(
            wb,
            title,
            sheet.get("table", "progress"),
            sheet["headers"],
            sheet["rows"],
            tlang,
            province_code=province_code,
            note=note,
            context=3,
            neutralise=neutralise,
        )
    wb.active = 1 if len(wb.sheetnames) > 1 else 0
    marker = wb.create_sheet("awrach")
    marker["A1"] = EXPORT_MARKER
    marker.sheet_state = "hidden"
    wb.properties.keywords = EXPORT_MARKER
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def export_quarantine(
    out: str | Path,
    store: str | Path | None = None,
    *,
    partner: str | None = None,
    lang: str = "fr",
) -> tuple[Path, int]:
    """Write the open quarantined rows to a workbook, one sheet per partner.

    Progress rows go to their partner's sheet; rows of the reference tables (and of files
    whose partner is not known) to a sheet named after their table, for the provincial team.

    Each row keeps its cells as the partner wrote them, then the reference of the row,
    the reason and the suggestion in ``lang``. The partner corrects the cells and sends
    the workbook back; ``awrach ingest`` of it resolves those rows.

    Returns
    -------
    tuple of (Path, int)
        The workbook written and the number of rows in it.
    """
    i18n.check_lang(lang)
    with open_store(store, read_only=True) as con:
        df = _quarantine_rows(con, partner)
        province_code = _meta(con).get("province_code") or config.DEFAULT_PROVINCE_CODE
    ref, reason, hint = (i18n.t(k, lang) for k in _EXPORT_KEYS)
    sheets: dict[str, dict[str, Any]] = {}
    for pid, part in df.groupby("sheet_title", sort=True):
        headers: list[str] = []
        cells_list = [json.loads(c) for c in part["cells"]]
        for cells in cells_list:
            headers += [h for h in cells if h not in headers]
        rows = []
        for rec, cells in zip(part.to_dict("records"), cells_list, strict=True):
            texts = [i18n.problem_texts(p, lang) for p in json.loads(rec["reasons"])]
            located = [
                (f"{p['column']}: " if p.get("column") else "") + m
                for p, (m, _) in zip(json.loads(rec["reasons"]), texts, strict=True)
            ]
            rows.append(
                [cells.get(h, "") for h in headers]
                + [
                    rec["quarantine_id"],
                    "\n".join(located),
                    "\n".join(dict.fromkeys(s for _, s in texts if s)),
                ]
            )
        sheets[str(pid)] = {
            "table": part["table_name"].iloc[0],
            "headers": [*headers, ref, reason, hint],
            "rows": rows,
        }
    if not sheets:
        sheets[i18n.t("store.export.empty_sheet", lang)] = {
            "table": "progress",
            "headers": [ref, reason, hint],
            "rows": [],
        }
    path = write_quarantine_workbook(sheets, Path(out), lang, province_code=province_code)
    return path, len(df)


def export_tables(out: str | Path, store: str | Path | None = None) -> list[Path]:
    """Write the store's current tables and its records as CSV and Parquet files.

    CSV text that a spreadsheet would run as a formula is neutralised (:func:`neutralise`);
    Parquet keeps values as they are.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with open_store(store, read_only=True) as con:
        frames = {name: _current_frame(con, name) for name in TABLES}
        for name in ("submissions", "quarantine", "events"):
            frames[name] = con.execute(f"SELECT * FROM {name} ORDER BY 1").df()
    for name, df in frames.items():
        pq = out / f"{name}.parquet"
        plain = df.copy()
        for c in plain.columns:
            if isinstance(plain[c].dtype, pd.CategoricalDtype):
                plain[c] = plain[c].astype("string")
        plain.to_parquet(pq, index=False)
        csv = out / f"{name}.csv"
        text = plain.copy()
        for c in text.columns:
            if text[c].dtype == object or isinstance(text[c].dtype, pd.StringDtype):
                text[c] = text[c].map(neutralise, na_action="ignore")
        text.to_csv(csv, index=False, date_format="%Y-%m-%d")
        written += [csv, pq]
    return written


# --- sample files (round trip, benchmarks, training) ----------------------------------------


def _cell(text: Any) -> Any:
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return None
    s = str(text)
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    if re.fullmatch(r"-?\d+\.\d+", s):
        return float(s)
    return s


def write_partner_files(
    source: str | Path, out: str | Path, months: Iterable[str] | None = None
) -> list[Path]:
    """Split a data folder's progress rows into one workbook per partner and month.

    Headers are the French ones (``id_projet``, ``mois``...), numbers are numbers,
    months are text as a partner types them. Returns the files written,
    named ``<partner>_<YYYY-MM>.xlsx``.
    """
    import openpyxl

    source, out = Path(source), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    progress = pd.read_csv(source / "progress.csv", dtype=str, keep_default_na=False)
    projects = pd.read_csv(source / "projects.csv", dtype=str, keep_default_na=False)
    agreements = pd.read_csv(source / "agreements.csv", dtype=str, keep_default_na=False)
    owner = projects[["project_id", "agreement_id"]].merge(
        agreements[["agreement_id", "partner_id"]], on="agreement_id"
    )
    df = progress.merge(owner[["project_id", "partner_id"]], on="project_id", how="left")
    wanted = set(months) if months is not None else None
    headers = [(c.fr[0] if c.fr else c.name) for c in schema.PROGRESS.columns]
    written = []
    for (pid, month), part in df.groupby(["partner_id", "month"], sort=True):
        if wanted is not None and month not in wanted:
            continue
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "suivi"
        ws.append(headers)
        for rec in part[schema.PROGRESS.column_names].itertuples(index=False, name=None):
            ws.append(
                [
                    v if c == "month" else _cell(v or None)
                    for c, v in zip(schema.PROGRESS.column_names, rec, strict=True)
                ]
            )
        path = out / f"{pid}_{month}.xlsx"
        wb.save(path)
        written.append(path)
    return written


def write_reference_workbook(
    source: str | Path, path: str | Path, tables: Sequence[str] = REFERENCE_TABLES
) -> Path:
    """Write a data folder's reference tables as the provincial team's workbook.

    One sheet per table, named in French (``partenaires``, ``conventions``...), cells as
    text exactly as in the CSV files.
    """
    import openpyxl

    source, path = Path(source), Path(path)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in tables:
        f = source / f"{name}.csv"
        if not f.exists():
            continue
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        ws = wb.create_sheet(TABLES[name].fr[0] if TABLES[name].fr else name)
        ws.append(list(df.columns))
        for rec in df.itertuples(index=False, name=None):
            ws.append([v if v != "" else None for v in rec])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
