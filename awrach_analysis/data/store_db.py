"""The store's file: schema and migrations, opening with a lock wait, and shared helpers."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from .. import config
from ..errors import InputError
from ..model import schema
from ..model.months import month_text
from ..model.schema import TABLES
from .parse import ParseError, parse_month
from .validate import RawTable

#: Default location of the store (git-ignored).
DEFAULT_STORE = config.PROJECT_DIR / "data" / "store" / "awrach.duckdb"
#: Current version of the store's schema (``meta.schema_version``).
SCHEMA_VERSION = 3
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


#: The data tables of the first version (later versions add theirs in their migration).
_V1_TABLES = ("partners", "agreements", "projects", "progress", "beneficiaries", "targets")


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
    for name in _V1_TABLES:
        _run(con, _data_table_sql(TABLES[name]))


def _migrate_2(con) -> None:
    """Version 2: quarantined rows get a status (open, released, resolved, superseded)."""
    _run(con, "ALTER TABLE quarantine ADD COLUMN status VARCHAR DEFAULT 'open'")
    _run(con, "ALTER TABLE quarantine ADD COLUMN resolved_by INTEGER")
    _run(con, "UPDATE quarantine SET status = 'open' WHERE status IS NULL")


def _migrate_3(con) -> None:
    """Version 3: the optional payroll table (days worked and amount per person and month)."""
    _run(con, _data_table_sql(TABLES["payroll"]))


#: Version -> function bringing the store from the previous version to it.
MIGRATIONS: dict[int, Callable[[Any], None]] = {1: _migrate_1, 2: _migrate_2, 3: _migrate_3}


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
    return month_text(value)


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


#: Accepted store rows as raw tables, by (table, last reference submission); emptied when
#: a store is opened or closed and when a transaction is rolled back.
_CONTEXT_CACHE: dict[tuple[str, int], RawTable] = {}
