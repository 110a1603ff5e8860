"""Reading tables with DuckDB: only the columns and rows asked for, from a store or Parquet.

One reader for the two columnar sources: a store (``awrach ingest``: its current rows) and
a folder of Parquet files (one ``<table>.parquet`` per table, or a ``<table>/`` folder of
Parquet files, Hive-partitioned or not: ``payroll/province_code=05.301/part-0.parquet``).
The scope is pushed down as a ``WHERE`` on the project's commune code (a province or a
region is a prefix of it; national reads everything), the column list as the ``SELECT``:
DuckDB reads only those columns and, on partitioned Parquet, only those partitions.
Frames come back with the schema's compact dtypes (:func:`model.schema.dtype_for`),
sorted by key. Parquet folders are trusted (written by this program: ``awrach export``,
:func:`write_parquet`); files from partners go through :func:`load.load`, which checks them.

Every table is exposed to SQL by its name in a ``WITH`` clause (:func:`with_clause`), so
that the same query text runs on a store, on Parquet files, and on a cluster engine.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..model import schema
from ..model.schema import TABLES

#: Scope code of the whole country.
NATIONAL = "MA"
#: Tables read through their project (a scope keeps the rows of its projects).
PROJECT_TABLES = ("progress", "beneficiaries", "payroll")
#: Column of the Hive partitions of the large tables written by :func:`write_parquet`.
PARTITION_COLUMN = "province_code"
_FIRST = ("projects", "agreements", "partners")
_SCOPE = re.compile(r"\d{2}(\.\d{3})?")


def scope_prefix(scope: str | None) -> str | None:
    """Return the commune-code prefix of a scope (``None``: national, every row).

    ``"MA"`` or ``None`` is national; ``"05"`` a region (prefix ``"05."``); ``"05.301"``
    a province or prefecture (prefix ``"05.301."``).
    """
    if scope is None or str(scope).strip().upper() == NATIONAL:
        return None
    text = str(scope).strip()
    if not _SCOPE.fullmatch(text):
        raise InputError(
            f"scope {scope!r}: give MA (national), a region code (05) or a province code (05.301)."
        )
    return text + "."


def _quote(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def store_sources(con) -> dict[str, str]:
    """Return the SQL relation of each data table of an open store: its current rows."""
    names = {
        r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    }
    return {
        name: f'(SELECT * EXCLUDE (submission_id, current) FROM main."{name}" WHERE current)'
        for name in TABLES
        if name in names
    }


def parquet_sources(folder: str | Path) -> dict[str, str]:
    """Return the SQL relation of each table found in a folder of Parquet files."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder of Parquet files.")
    out = {}
    for name in TABLES:
        single = folder / f"{name}.parquet"
        part = folder / name
        if single.is_file():
            out[name] = f"read_parquet({_quote(single)})"
        elif part.is_dir() and any(part.glob(f"{PARTITION_COLUMN}=*/*.parquet")):
            glob = _quote(part / f"{PARTITION_COLUMN}=*" / "*.parquet")
            out[name] = (
                f"read_parquet({glob}, hive_partitioning = true, union_by_name = true, "
                f"hive_types = {{'{PARTITION_COLUMN}': VARCHAR}})"
            )
        elif part.is_dir() and any(part.rglob("*.parquet")):
            glob = _quote(part / "**" / "*.parquet")
            out[name] = f"read_parquet({glob}, union_by_name = true)"
    if not out:
        raise InputError(f"{folder}: no Parquet table (expected e.g. projects.parquet).")
    return out


#: The process's in-memory DuckDB database for Parquet reads (made on first use).
_PARQUET_DB = None


def parquet_connection():
    """Return a new cursor on the process's in-memory DuckDB database, for Parquet reads.

    Every cursor shares one database instance, hence its caches (the Parquet files'
    metadata, the extension loaded): a second read of the same files does not pay
    DuckDB's start-up again, as a plain ``duckdb.sql`` call would not. Close the cursor
    after use; the database stays for the next read.
    """
    import duckdb

    global _PARQUET_DB
    if _PARQUET_DB is None:
        _PARQUET_DB = duckdb.connect(":memory:")
    return _PARQUET_DB.cursor()


def is_parquet_folder(path: str | Path | None) -> bool:
    """Return True when ``path`` is a folder holding ``projects.parquet`` or ``projects/``."""
    if path is None:
        return False
    p = Path(path).expanduser()
    return p.is_dir() and (
        (p / "projects.parquet").is_file() or any((p / "projects").glob("**/*.parquet"))
    )


def with_clause(sources: Mapping[str, str], scope: str | None = None) -> str:
    """Return ``WITH partners AS (...), ...`` naming every table of the scope by its name.

    Projects keep those whose commune code starts with the scope's prefix; progress,
    beneficiaries and payroll the rows of those projects; agreements those of the
    projects, partners those of the agreements (implementing or co-signing), targets the
    national ones and those of the scope, above it or inside it. Absent tables are empty.
    """
    prefix = scope_prefix(scope)
    parts = []
    # the scoped projects first, then the tables that refer to them
    order = ["projects", "agreements", "partners", *(n for n in TABLES if n not in _FIRST)]
    for name in order:
        t = TABLES[name]
        if name in sources:
            rel = f"SELECT * FROM {sources[name]}"
        else:
            cols = ", ".join(f'CAST(NULL AS VARCHAR) AS "{c}"' for c in t.column_names)
            rel = f"SELECT * FROM (SELECT {cols} WHERE false)"
        if prefix is not None:
            code = prefix[:-1]
            if name == "projects":
                rel += f" WHERE starts_with(commune_code, {_quote(prefix)})"
            elif name in PROJECT_TABLES:
                rel += " WHERE project_id IN (SELECT project_id FROM projects)"
                if f"{PARTITION_COLUMN}=" in sources.get(name, ""):  # prune the partitions
                    rel += f" AND starts_with({PARTITION_COLUMN} || '.', {_quote(prefix)})"
            elif name == "agreements":
                rel += " WHERE agreement_id IN (SELECT agreement_id FROM projects)"
            elif name == "partners":
                rel += (
                    " WHERE partner_id IN (SELECT partner_id FROM agreements UNION ALL "
                    "SELECT trim(unnest(string_split(cosigners, ';'))) FROM agreements)"
                )
            elif name == "targets":
                rel += (
                    f" WHERE scope_code = {_quote(NATIONAL)} OR starts_with(scope_code, "
                    f"{_quote(code)}) OR starts_with({_quote(code)}, scope_code)"
                )
        parts.append(f'"{name}" AS ({rel})')
    return "WITH " + ",\n".join(parts)


def _typed(df: pd.DataFrame, table: schema.Table) -> pd.DataFrame:
    """Cast the columns present in ``df`` to the schema's dtypes (codes sorted as loaded)."""
    present = tuple(c for c in table.columns if c.name in df.columns)
    sub = dataclasses.replace(table, columns=present)
    for c in present:
        if schema.is_code(c, table) and isinstance(df[c.name].dtype, pd.CategoricalDtype):
            s = df[c.name]
            cats = s.cat.categories.astype(pd.StringDtype())
            df[c.name] = pd.Categorical.from_codes(
                s.cat.codes.to_numpy(), categories=cats, validate=False
            )
            df[c.name] = df[c.name].cat.reorder_categories(cats.sort_values())
    return schema.coerce(df, sub)[[c.name for c in present]]


def _fetch(con, sql: str, table: schema.Table) -> pd.DataFrame:
    """Run ``sql`` and return a pandas frame, code columns dictionary-encoded on the way."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = con.sql(sql).to_arrow_table()
    codes = [c.name for c in table.columns if schema.is_code(c, table)]
    for i, name in enumerate(arrow.column_names):
        if name in codes:
            col = arrow.column(i)
            if not pa.types.is_dictionary(col.type):
                col = pc.dictionary_encode(col.cast(pa.string()))
            arrow = arrow.set_column(i, name, col)
    return arrow.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)


def read_tables(
    con,
    sources: Mapping[str, str],
    *,
    scope: str | None = None,
    tables: Iterable[str] | None = None,
    columns: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, pd.DataFrame]:
    """Return the tables of ``sources`` in ``scope``, with only the columns asked for.

    Parameters
    ----------
    con
        A DuckDB connection (a store's, or an in-memory one for Parquet files).
    sources : mapping
        Table name -> SQL relation (:func:`store_sources`, :func:`parquet_sources`).
    scope : str, optional
        ``"MA"``/``None`` (national), a region (``"05"``) or a province (``"05.301"``).
    tables : iterable of str, optional
        Tables to read (default: every table); the others come back empty, typed.
    columns : mapping, optional
        Table -> columns to read (default: every column of the schema).

    Returns
    -------
    dict[str, pandas.DataFrame]
        Every table of the schema, typed, sorted by its key (when the key is read).
    """
    wanted = set(TABLES if tables is None else tables)
    unknown = wanted - set(TABLES)
    if unknown:
        raise InputError(f"unknown table(s): {', '.join(sorted(unknown))}.")
    head = with_clause(sources, scope)
    out = {}
    for name, t in TABLES.items():
        names = list(t.column_names if columns is None or name not in columns else columns[name])
        bad = [c for c in names if c not in t.column_names]
        if bad:
            raise InputError(f"table {name} has no column {', '.join(bad)}.")
        if name not in wanted or name not in sources:
            out[name] = schema.empty_frame(t)[names]
            continue
        select = ", ".join(f'"{c}"' for c in names)
        order = [k for k in t.key if k in names]
        sql = f'{head}\nSELECT {select} FROM "{name}"'
        if order:
            sql += " ORDER BY " + ", ".join(f'"{k}"' for k in order)
        out[name] = _typed(_fetch(con, sql, t), t)
    return out


def write_parquet(
    frames: Mapping[str, pd.DataFrame], out: str | Path, *, partition: bool = True
) -> list[Path]:
    """Write typed tables as Parquet: one file per small table, province partitions for large.

    The large tables (progress, beneficiaries, payroll) go to ``<table>/province_code=XX.YYY/``
    (the province of their project, from ``frames["projects"]``) when ``partition`` is
    true: a province's reader then opens only its files. Returns the paths written.
    """
    import duckdb

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    con = duckdb.connect()
    try:
        projects = frames["projects"][["project_id", "commune_code"]]
        con.register("_projects", projects)
        for name, df in frames.items():
            if name not in TABLES:
                continue
            con.register("_t", df)
            if partition and name in PROJECT_TABLES:
                target = out / name
                con.execute(
                    f"""COPY (SELECT t.*, substr(p.commune_code, 1, 6) AS {PARTITION_COLUMN}
                        FROM _t t JOIN _projects p USING (project_id))
                        TO {_quote(target)} (FORMAT parquet, PARTITION_BY ({PARTITION_COLUMN}),
                        OVERWRITE_OR_IGNORE true)"""
                )
                written.append(target)
            else:
                target = out / f"{name}.parquet"
                con.execute(f"COPY (SELECT * FROM _t) TO {_quote(target)} (FORMAT parquet)")
                written.append(target)
            con.unregister("_t")
    finally:
        con.close()
    return written


def scope_name(scope: str | None, meta: Mapping | None = None) -> str:
    """Return the French name of a scope (``dataset.json``'s ``province`` when it names it)."""
    from ..reference.scopes import scope_label

    code = NATIONAL if scope_prefix(scope) is None else str(scope).strip()
    meta = meta or {}
    if meta.get("province") and str(meta.get("province_code", "")) == code:
        return str(meta["province"])
    return scope_label(code, "fr")


def load_parquet(
    path: str | Path,
    *,
    scope: str | None = None,
    tables: Iterable[str] | None = None,
    columns: Mapping[str, Sequence[str]] | None = None,
):
    """Return a folder of Parquet tables as a :class:`Program` (trusted: not validated).

    Reads only the tables, columns and scope asked for (see :func:`read_tables`). The
    scope defaults to the one of ``dataset.json`` (``scope_code``, else ``province_code``),
    else national.
    """
    import json

    from .. import config
    from ..model.program import Program
    from ..reference.scopes import scope_units

    folder = Path(path).expanduser()
    meta_file = folder / config.DATASET_META_FILE
    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
    if scope is None:
        scope = meta.get("scope_code") or meta.get("province_code") or NATIONAL
    con = parquet_connection()
    try:
        frames = read_tables(
            con, parquet_sources(folder), scope=scope, tables=tables, columns=columns
        )
    finally:
        con.close()
    code = NATIONAL if scope_prefix(scope) is None else str(scope).strip()
    return Program(
        **frames,
        communes=scope_units(code),
        province_code=code,
        province=scope_name(code, meta),
        is_sample=bool(meta.get("is_sample", False)),
        rows_read={n: len(df) for n, df in frames.items()},
        quarantine={n: pd.DataFrame({"excel_row": pd.Series(dtype="Int64")}) for n in TABLES},
        source=folder,
        meta=meta,
    )
