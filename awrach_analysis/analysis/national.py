"""The national headline from payroll: jobs, person-days and wages by province and month.

One figure, two paths that give the same frame: SQL pushed down to DuckDB when the data sit
in a store or a folder of Parquet files (only the payroll's and projects' columns needed are
read, the ``GROUP BY`` runs in DuckDB), and vectorised numpy for a :class:`Program` in
memory. :data:`HEADLINE_SQL` is the definition; it names the tables only, so it runs
unchanged on DuckDB, Spark SQL or any SQL engine (see ``docs/scaling.md``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..data import columnar, store_db
from ..model.program import Program

#: Output columns, in order.
HEADLINE_COLUMNS = ("province_code", "month", "jobs", "person_days", "wages_mad")

#: The definition: per province (first 6 characters of the project's commune code) and
#: payroll month, ``jobs`` = distinct beneficiaries paid, ``person_days`` = days worked,
#: ``wages_mad`` = amounts paid (NULL when no row of the cell gives one). Payroll rows of
#: projects unknown to the projects table are left out (inner join).
HEADLINE_SQL = """
SELECT substr(p.commune_code, 1, 6)      AS province_code,
       y.month                           AS month,
       count(DISTINCT y.beneficiary_key) AS jobs,
       sum(y.days_worked)                AS person_days,
       sum(y.amount_paid_mad)            AS wages_mad
FROM payroll AS y
JOIN projects AS p ON p.project_id = y.project_id
GROUP BY 1, 2
ORDER BY 1, 2
"""


#: The same figure on Parquet written by :func:`columnar.write_parquet`: every payroll row
#: already sits in its project's province partition (set through the same inner join with
#: the projects when written), so the join is not repeated; DuckDB reads the partition
#: column from the folder names. Same frame as :data:`HEADLINE_SQL` on those files.
HEADLINE_SQL_PARTITIONED = f"""
SELECT y.{columnar.PARTITION_COLUMN}         AS province_code,
       y.month                           AS month,
       count(DISTINCT y.beneficiary_key) AS jobs,
       sum(y.days_worked)                AS person_days,
       sum(y.amount_paid_mad)            AS wages_mad
FROM payroll AS y
GROUP BY 1, 2
ORDER BY 1, 2
"""


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Give the headline frame its dtypes (the same whichever path computed it)."""
    out = pd.DataFrame(
        {
            "province_code": df["province_code"].astype(pd.StringDtype()),
            "month": pd.to_datetime(df["month"]).astype("datetime64[ns]"),
            "jobs": df["jobs"].astype("int64"),
            "person_days": df["person_days"].astype("Int64"),
            "wages_mad": df["wages_mad"].astype("Float64"),
        }
    )
    return out.reset_index(drop=True)


def _headline_sql(con, sources, scope: str | None) -> pd.DataFrame:
    partitioned = f"{columnar.PARTITION_COLUMN}=" in sources.get("payroll", "")
    query = HEADLINE_SQL_PARTITIONED if partitioned else HEADLINE_SQL
    sql = columnar.with_clause(sources, scope) + "\n" + query
    return _typed(con.sql(sql).df())


def _codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Return integer codes (-1: missing) and their labels, reusing a categorical's codes.

    A categorical column is not converted to text (a million rows would be); other
    columns are factorized through their own array (pyarrow's dictionary encoding for
    Arrow strings).
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(dtype="int64"), pd.Index(values.cat.categories)
    codes, labels = pd.factorize(values.array)
    return np.asarray(codes, dtype="int64"), pd.Index(labels)


def _headline_pandas(program: Program, scope: str | None) -> pd.DataFrame:
    """Compute the same figure in memory: category codes, one sort and ``bincount``."""
    pj, pay = program.projects, program.payroll
    prefix = columnar.scope_prefix(scope)
    communes = pj["commune_code"].astype(pd.StringDtype())
    if prefix is not None:
        keep = communes.str.startswith(prefix).fillna(False).to_numpy(dtype=bool)
        pj, communes = pj[keep], communes[keep]
    prov_codes, prov_names = pd.factorize(communes.str.slice(0, 6), sort=True)
    # payroll project -> province, through the (few) labels of the payroll's project codes
    pay_project, project_labels = _codes(pay["project_id"])
    label_row = pd.Index(pj["project_id"].astype(pd.StringDtype())).get_indexer(
        project_labels.astype(pd.StringDtype())
    )
    label_prov = np.append(np.where(label_row >= 0, prov_codes[label_row], -1), -1)
    prov_all = label_prov[pay_project]  # code -1 (missing) reads the appended -1
    rows = np.flatnonzero(prov_all >= 0)
    prov = prov_all[rows]
    month_codes, months = pd.factorize(pay["month"].to_numpy()[rows], sort=True)
    n_months = max(len(months), 1)
    cell = prov.astype("int64") * n_months + month_codes
    ben_all, _ = _codes(pay["beneficiary_key"])
    ben_codes = ben_all[rows]
    n_cells = len(prov_names) * len(months)
    # distinct (cell, beneficiary) pairs: sort the pair keys, keep the first of each run
    width = int(ben_codes.max(initial=0)) + 2  # code -1 (missing key) becomes 0
    pairs = np.sort(cell * width + (ben_codes + 1))
    first = np.r_[True, pairs[1:] != pairs[:-1]] if len(pairs) else np.zeros(0, dtype=bool)
    known = pairs % width != 0  # count(DISTINCT ...) leaves missing keys out
    jobs = np.bincount(pairs[first & known] // width, minlength=n_cells)
    days = pay["days_worked"].to_numpy(dtype="float64", na_value=np.nan)[rows]
    amount = pay["amount_paid_mad"].to_numpy(dtype="float64", na_value=np.nan)[rows]
    present = np.bincount(cell, minlength=n_cells) > 0
    day_sum = np.bincount(cell, weights=np.nan_to_num(days), minlength=n_cells)
    day_any = np.bincount(cell, weights=~np.isnan(days), minlength=n_cells) > 0
    pay_sum = np.bincount(cell, weights=np.nan_to_num(amount), minlength=n_cells)
    pay_any = np.bincount(cell, weights=~np.isnan(amount), minlength=n_cells) > 0
    grid = np.flatnonzero(present)
    out = pd.DataFrame(
        {
            "province_code": np.asarray(prov_names, dtype=object)[grid // n_months],
            "month": np.asarray(months)[grid % n_months] if len(months) else [],
            "jobs": jobs[grid],
            "person_days": pd.array(np.round(day_sum[grid]).astype("int64")).astype("Int64"),
            "wages_mad": pd.array(pay_sum[grid], dtype="Float64"),
        }
    )
    out.loc[~day_any[grid], "person_days"] = pd.NA
    out.loc[~pay_any[grid], "wages_mad"] = pd.NA
    return _typed(out)


def headline_by_province_month(
    source: Program | str | Path, scope: str | None = None
) -> pd.DataFrame:
    """Return jobs, person-days and wages from the payroll, by province and month.

    Parameters
    ----------
    source : Program, or path of a store or of a folder of Parquet files
        A :class:`Program` is aggregated in memory (numpy); a store (``.duckdb``) or a
        Parquet folder in DuckDB (:data:`HEADLINE_SQL`), reading only the columns needed.
    scope : str, optional
        ``"MA"``/``None`` (national), a region (``"05"``) or a province (``"05.301"``).

    Returns
    -------
    pandas.DataFrame
        One row per province and month with payroll rows, sorted: ``province_code``
        (string, ``05.301``), ``month`` (first day), ``jobs`` (int64, distinct
        beneficiaries paid), ``person_days`` (Int64, days worked), ``wages_mad``
        (Float64, MAD paid; NA when no row of the cell gives an amount).
    """
    if isinstance(source, Program):
        return _headline_pandas(source, scope)
    if store_db.is_store(source):
        with store_db.open_store(source, read_only=True) as con:
            return _headline_sql(con, columnar.store_sources(con), scope)
    con = columnar.parquet_connection()
    try:
        return _headline_sql(con, columnar.parquet_sources(source), scope)
    finally:
        con.close()
