"""Benchmarks at national scale (issue 14): medians of several runs, one table, saved as JSON.

Input: ``awrach sample --scale national --out DIR`` when the command knows ``--scale``;
otherwise a synthetic national-size stand-in made here (about 10k projects in every
province, 300k progress rows, 165k beneficiaries, 1M payroll rows; synthetic, seeded).

Rows (each the median of ``--runs`` runs, with the peak resident memory of the process):

- national sample generation;
- first load from files: the CSV folder read with the schema's dtypes (pyarrow), then
  written as a store and as province-partitioned Parquet;
- load from the store, national (``store.load_program``) and one province;
- the headline (jobs, person-days, wages by province and month from payroll) by three
  paths: the project's (``national.headline_by_province_month`` on the store), a naive
  pandas baseline (``read_csv`` without dtypes, then ``groupby().apply``), plain DuckDB SQL
  on the same Parquet files; with the ratios (targets: project >= 5x naive, within 1.5x of
  DuckDB SQL);
- hooks left for the lead: validation throughput, national indicators, national report,
  Khénifra report, notebooks (``--hooks`` runs those that exist).

Results go to ``benchmarks/results/national-<UTC time>.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"
BIN = Path(sys.executable).parent
TARGET_NAIVE_RATIO = 5.0
TARGET_SQL_RATIO = 1.5
TARGET_STORE_LOAD_S = 2.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time(fn: Callable[[], object], runs: int) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def _has_national_sample() -> bool:
    proc = subprocess.run(
        [str(BIN / "awrach"), "sample", "--help"], capture_output=True, text=True, check=False
    )
    return "--scale" in proc.stdout


def synthetic(out: Path, *, projects: int = 10_000, seed: int = 14) -> dict[str, int]:
    """Write a synthetic national-size data set (CSV, canonical headers) to ``out``."""
    import numpy as np
    import pandas as pd

    from awrach_analysis.reference import communes

    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    codes = communes.all_communes()["commune_code"].astype(str).to_numpy()
    n = projects
    pid = np.array([f"P{i:05d}" for i in range(n)])
    aid = np.array([f"C{i:05d}" for i in range(n)])
    partner = np.array([f"ASSO-{i % 4000:04d}" for i in range(n)])
    start = pd.to_datetime("2022-03-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D")
    pd.DataFrame(
        {
            "partner_id": np.unique(partner),
            "name_fr": [f"Association {p}" for p in np.unique(partner)],
            "partner_type": "association",
        }
    ).to_csv(out / "partners.csv", index=False)
    pd.DataFrame(
        {
            "agreement_id": aid,
            "signed_on": (start - pd.Timedelta(days=30)).strftime("%Y-%m-%d"),
            "partner_id": partner,
            "wave": np.where(start.year < 2023, 2022, 2023),
        }
    ).to_csv(out / "agreements.csv", index=False)
    planned = rng.integers(5, 30, n)
    pd.DataFrame(
        {
            "project_id": pid,
            "agreement_id": aid,
            "title_fr": [f"Chantier {p}" for p in pid],
            "domain": rng.choice(["trails", "green_spaces", "heritage", "social_care"], n),
            "commune_code": rng.choice(codes, n),
            "planned_start": start.strftime("%Y-%m-%d"),
            "planned_end": (start + pd.Timedelta(days=240)).strftime("%Y-%m-%d"),
            "planned_jobs": planned,
        }
    ).to_csv(out / "projects.csv", index=False)
    months = pd.period_range("2022-03", periods=30, freq="M").astype(str)
    g = np.repeat(np.arange(n), 30)
    jobs = rng.integers(0, 30, len(g))
    pd.DataFrame(
        {
            "project_id": pid[g],
            "month": np.tile(months, n),
            "jobs_filled": jobs,
            "women": jobs // 3,
            "youth": jobs // 2,
            "person_days": jobs * 20,
            "wages_paid_mad": jobs * 2000.0,
            "status": "ongoing",
        }
    ).to_csv(out / "progress.csv", index=False)
    people = 165_000
    pg = rng.integers(0, n, people)
    keys = np.array([f"K{i:07d}" for i in range(people)])
    bstart = start[pg]
    pd.DataFrame(
        {
            "beneficiary_key": keys,
            "project_id": pid[pg],
            "sex": rng.choice(["female", "male"], people),
            "age_band": rng.choice(["15-24", "25-34", "35-44", "45-54"], people),
            "start_date": bstart.strftime("%Y-%m-%d"),
        }
    ).to_csv(out / "beneficiaries.csv", index=False)
    spells = rng.integers(3, 10, people)  # months paid per person: ~6 on average, ~1M rows
    row_person = np.repeat(np.arange(people), spells)
    offset = np.arange(len(row_person)) - np.repeat(np.cumsum(spells) - spells, spells)
    first = bstart.to_period("M")[row_person]
    paid_month = (first + offset).astype(str)
    days = rng.integers(10, 27, len(row_person))
    pd.DataFrame(
        {
            "beneficiary_key": keys[row_person],
            "project_id": pid[pg][row_person],
            "month": paid_month,
            "days_worked": days,
            "amount_paid_mad": days * 100.0,
        }
    ).to_csv(out / "payroll.csv", index=False)
    (out / "dataset.json").write_text(
        json.dumps({"scope": "national", "scope_code": "MA", "province_code": "MA",
                    "province": "Maroc", "is_sample": True, "generator": "bench_national"}),
        encoding="utf-8",
    )  # fmt: skip
    return {"projects": n, "progress": len(g), "beneficiaries": people, "payroll": len(days)}


def read_typed_csv(folder: Path) -> dict:
    """Read a trusted CSV folder into the schema's typed tables (pyarrow CSV reader)."""
    import pandas as pd

    from awrach_analysis.model import schema

    frames = {}
    for name, t in schema.TABLES.items():
        f = folder / f"{name}.csv"
        if not f.is_file():
            frames[name] = schema.empty_frame(t)
            continue
        df = pd.read_csv(f, engine="pyarrow", dtype_backend="pyarrow")
        text = [c.name for c in t.columns if c.kind not in ("int", "float") and c.name in df]
        df[text] = df[text].astype("string")
        frames[name] = schema.coerce(df, t)[t.column_names]
    return frames


def write_store(frames: dict, path: Path) -> None:
    """Write typed tables into a new store as one trusted submission (bulk, in DuckDB)."""
    from awrach_analysis.data import store_db

    with store_db.open_store(path) as con:
        con.execute(
            "INSERT INTO submissions VALUES (1, 'national', '-', 'reference', NULL, NULL, "
            "now()::TIMESTAMP, 0, 0, 0, NULL, '[]')"
        )
        for name, df in frames.items():
            cols = ", ".join(f'"{c}"' for c in df.columns)
            con.register("_t", df)
            con.execute(
                f'INSERT INTO "{name}" ({cols}, submission_id, current) '
                f"SELECT {cols}, 1, true FROM _t"
            )
            con.unregister("_t")
        con.execute("INSERT OR REPLACE INTO meta VALUES ('province_code', 'MA')")


NAIVE_NOTE = "read_csv without dtypes, merge, groupby().apply"


def naive_headline(folder: Path):
    """The baseline an analyst writes first: untyped CSV, merge, ``groupby().apply``."""
    import pandas as pd

    pay = pd.read_csv(folder / "payroll.csv")
    projects = pd.read_csv(folder / "projects.csv")
    projects["province_code"] = projects["commune_code"].str[:6]
    df = pay.merge(projects[["project_id", "province_code"]], on="project_id")
    return df.groupby(["province_code", "month"]).apply(
        lambda g: pd.Series(
            {
                "jobs": g["beneficiary_key"].nunique(),
                "person_days": g["days_worked"].sum(),
                "wages_mad": g["amount_paid_mad"].sum(),
            }
        ),
        include_groups=False,
    )


def duckdb_sql_headline(parquet: Path):
    """Plain DuckDB SQL on the same Parquet files (the yardstick)."""
    import duckdb

    return duckdb.sql(
        f"""SELECT substr(p.commune_code, 1, 6) AS province_code, y.month,
                   count(DISTINCT y.beneficiary_key) AS jobs, sum(y.days_worked) AS person_days,
                   sum(y.amount_paid_mad) AS wages_mad
            FROM read_parquet('{parquet}/payroll/*/*.parquet') y
            JOIN read_parquet('{parquet}/projects.parquet') p USING (project_id)
            GROUP BY 1, 2 ORDER BY 1, 2"""
    ).df()


def frame_mb(frames: dict) -> float:
    return sum(df.memory_usage(deep=True).sum() for df in frames.values()) / 1e6


def main() -> None:
    import pandas as pd

    from awrach_analysis.analysis import national
    from awrach_analysis.data import columnar, store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each row (default 3)")
    parser.add_argument("--naive-runs", type=int, default=1, help="runs of the naive baseline")
    parser.add_argument("--keep", help="keep the generated files in this folder")
    args = parser.parse_args()

    rows: list[dict] = []

    def row(name: str, median: float | None, times: list[float], note: str = "", **extra) -> None:
        rows.append(
            {"row": name, "median_s": median, "times_s": times, "peak_mb": round(_peak_mb()),
             "note": note, **extra}
        )  # fmt: skip

    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="awrach-national-"))
    csv_dir, parquet_dir, db = tmp / "csv", tmp / "parquet", tmp / "national.duckdb"
    try:
        if _has_national_sample():
            cmd = [str(BIN / "awrach"), "sample", "--scale", "national", "--out", str(csv_dir)]

            def gen():
                shutil.rmtree(csv_dir, ignore_errors=True)
                subprocess.run(cmd, check=True, capture_output=True)

            what = "awrach sample --scale national"
        else:

            def gen():
                shutil.rmtree(csv_dir, ignore_errors=True)
                return synthetic(csv_dir)

            what = "synthetic stand-in (bench_national.synthetic)"
        med, times, counts = _time(gen, 1)
        row("national sample generation", med, times, what)

        def first_load():
            frames = read_typed_csv(csv_dir)
            db.unlink(missing_ok=True)
            write_store(frames, db)
            shutil.rmtree(parquet_dir, ignore_errors=True)
            columnar.write_parquet(frames, parquet_dir)
            return frames

        med, times, frames = _time(first_load, args.runs)
        counts = {n: len(df) for n, df in frames.items()}
        row("first load from files (CSV -> typed -> store + Parquet)", med, times,
            ", ".join(f"{n} {v:,}" for n, v in counts.items() if v))  # fmt: skip

        # memory of the big tables: compact dtypes against the former contract
        loose = {
            n: frames[n].astype(
                {c: ("string" if str(frames[n][c].dtype) == "category" else
                     "Int64" if str(frames[n][c].dtype).startswith("Int") else frames[n][c].dtype)
                 for c in frames[n].columns}
            )
            for n in ("progress", "beneficiaries", "payroll")
        }  # fmt: skip
        compact_mb = frame_mb({n: frames[n] for n in loose})
        loose_mb = frame_mb(loose)
        del loose
        med, times, program = _time(lambda: store.load_program(db), args.runs)
        row(f"load from the store, national (target <= {TARGET_STORE_LOAD_S} s)", med, times,
            f"frames of progress+beneficiaries+payroll: {compact_mb:.0f} MB compact, "
            f"{loose_mb:.0f} MB with string codes and Int64",
            compact_mb=compact_mb, loose_mb=loose_mb)  # fmt: skip
        med, times, _ = _time(
            lambda: store.load_program(db, tables=["projects", "payroll"]), args.runs
        )
        row("load from the store, national, projects + payroll only", med, times)
        med, times, _ = _time(lambda: store.load_program(db, scope="05.301"), args.runs)
        row("load from the store, one province (05.301)", med, times)
        med, times, _ = _time(lambda: columnar.load_parquet(parquet_dir), args.runs)
        row("load from Parquet, national", med, times)

        med_p, times, ours = _time(lambda: national.headline_by_province_month(db), args.runs)
        row("headline: project (SQL pushed down to the store)", med_p, times)
        med_m, times, mem = _time(lambda: national.headline_by_province_month(program), args.runs)
        row("headline: project (in memory, Program loaded)", med_m, times)
        med_n, times, _ = _time(lambda: naive_headline(csv_dir), args.naive_runs)
        row("headline: naive pandas baseline", med_n, times, NAIVE_NOTE)
        med_s, times, sql = _time(lambda: duckdb_sql_headline(parquet_dir), args.runs)
        row("headline: plain DuckDB SQL on the Parquet files", med_s, times)
        pd.testing.assert_frame_equal(ours, mem)
        assert len(sql) == len(ours) and int(sql["jobs"].sum()) == int(ours["jobs"].sum())
        ratios = {
            "naive_over_project": med_n / med_p,
            "project_over_duckdb_sql": med_p / med_s,
            "naive_over_in_memory": med_n / med_m,
        }
        for hook in ("validation throughput", "national indicators", "national report",
                     "Khénifra report", "notebooks"):  # fmt: skip
            row(f"(hook) {hook}", None, [], "left for the lead")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    width = max(len(r["row"]) for r in rows)
    print(f"{'row':<{width}}  {'median s':>9}  {'peak MB':>8}  note")
    for r in rows:
        med = "" if r["median_s"] is None else f"{r['median_s']:.3f}"
        print(f"{r['row']:<{width}}  {med:>9}  {r['peak_mb']:>8}  {r['note']}")
    print(
        f"ratios: naive / project = {ratios['naive_over_project']:.1f}x "
        f"(target >= {TARGET_NAIVE_RATIO}x); project / DuckDB SQL = "
        f"{ratios['project_over_duckdb_sql']:.2f}x (target <= {TARGET_SQL_RATIO}x); "
        f"naive / in memory = {ratios['naive_over_in_memory']:.1f}x"
    )
    out = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "input": what,
        "rows_by_table": counts,
        "rows": rows,
        "ratios": ratios,
        "targets": {"naive_over_project": TARGET_NAIVE_RATIO,
                    "project_over_duckdb_sql": TARGET_SQL_RATIO,
                    "store_load_s": TARGET_STORE_LOAD_S},
    }  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"national-{stamp}.json").write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
