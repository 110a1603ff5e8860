"""`make bench`: one table at national scale (medians of several runs, peak memory per row).

Input: the real national sample, ``awrach sample --scale national --out DIR`` (about 1.08M
rows: payroll about 840k, beneficiaries 169k, progress 47k, projects 9.2k), generated once per
run into a temporary folder (the first row times it). Every row runs in its own fresh
process (``--worker ROW``), so that its peak memory (resident set, the row's setup
included; a command's own process for the command rows) is the row's alone. Times are
medians of ``--runs`` runs (the first run of a process is cold: imports and DuckDB caches;
the runs are listed in the JSON).

Rows and targets (issue 14):

- national sample generation;
- validation: payroll rows per second (national payroll, read before the clock starts),
  and ``load()`` of the 200k-row progress case (``benchmarks/make_big.py``);
- national first load from files (``load()``: read and validate every table);
- the validated tables written once as a store and as province-partitioned Parquet;
- load from the store, national;
- all national indicators: what the national report computes (scope headline, other
  readings, territories by region, province and commune, the commune map's view, by
  phase, schedule) plus the headline by province and month; target <= 3 s;
- one national report (``awrach report --data NATIONAL --lang fr --force``): the first
  build (cold) and the next ones; target <= 20 s;
- one Khénifra report (bundled sample, latest month, fr): target <= 4 s;
- all analyst notebooks (``bench_notebooks.run_once``): target <= 60 s;
- the headline (jobs = distinct beneficiaries, person-days, wages by province and month
  from payroll) by the project's path for national data, SQL pushed down to the
  province-partitioned Parquet (``national.headline_by_province_month(parquet_dir)``);
  the same pushed down to the store, and in memory on a loaded ``Program``; a naive
  pandas baseline on the CSV files (``read_csv`` without dtypes, merge,
  ``groupby().apply``); plain DuckDB SQL on the same Parquet files, and on the CSV files.
  All warm (files in the OS cache), in one process, the paths in turn round after round
  (so that they share the machine's load alike; one peak memory for them). Targets:
  project >= 5x faster than naive, within 1.5x of plain DuckDB SQL on the same files.

Results go to ``benchmarks/results/national-<UTC time>.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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
sys.path.insert(0, str(ROOT / "benchmarks"))
RESULTS = ROOT / "benchmarks" / "results"
BIN = Path(sys.executable).parent
TARGET_NAIVE_RATIO = 5.0
TARGET_SQL_RATIO = 1.5
TARGETS = {
    "validate_payroll": (">=", 100_000),
    "validate_progress200k": ("<=", 5.0),
    "first_load": ("<=", 20.0),
    "indicators": ("<=", 3.0),
    "national_report": ("<=", 20.0),
    "khenifra_report": ("<=", 4.0),
    "notebooks": ("<=", 60.0),
}


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _time(fn: Callable[[], object], runs: int) -> tuple[list[float], list[float], object]:
    """Run ``fn`` ``runs`` times; return wall seconds, CPU seconds (every thread), result."""
    times, cpus, result = [], [], None
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return times, cpus, result


def _command(cmd: list[str], runs: int, env: dict | None = None):
    """Run a command ``runs`` times; CPU seconds and peak memory are the command's."""
    times, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if proc.returncode != 0:
            sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return times, cpus, _peak_mb(resource.RUSAGE_CHILDREN)


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


def _frames(program) -> dict:
    from awrach_analysis.model.schema import TABLES

    return {name: program.table(name) for name in TABLES}


def _indicators(program) -> None:
    """Everything the national report computes from a loaded ``Program``, and the headline."""
    from awrach_analysis.analysis import indicators, national, territories
    from awrach_analysis.documents.notebook import current_wave

    as_of = indicators.default_as_of(program)
    wave = current_wave(program, as_of) if program.scope_level == "region" else None
    territories.scope_headline(program, as_of=as_of, wave=wave)
    indicators.other_readings(program, as_of=as_of, wave=wave)
    for level in ("province", "region", "commune"):
        territories.territories(program, level, as_of=as_of, wave=wave)
    indicators.commune_view(indicators.commune_context(program, as_of=as_of, wave=wave))
    territories.by_phase(program, as_of=as_of, wave=wave)
    indicators.schedule(program, as_of=as_of, wave=wave)
    national.headline_by_province_month(program)


def duckdb_csv_headline(folder: Path):
    """Plain DuckDB SQL on the CSV files (the naive baseline's input)."""
    import duckdb

    return duckdb.sql(
        f"""SELECT substr(p.commune_code, 1, 6) AS province_code, y.month,
                   count(DISTINCT y.beneficiary_key) AS jobs, sum(y.days_worked) AS person_days,
                   sum(y.amount_paid_mad) AS wages_mad
            FROM read_csv('{folder}/payroll.csv') y
            JOIN read_csv('{folder}/projects.csv') p USING (project_id)
            GROUP BY 1, 2 ORDER BY 1, 2"""
    ).df()


def worker(row: str, work: Path, runs: int) -> dict:
    """Measure one row in this process; return its runs (wall, CPU) and extra figures."""
    import bench_validate

    csv_dir, parquet_dir, db = work / "csv", work / "parquet", work / "national.duckdb"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AWRACH_TODAY": "2024-01-15"}
    out: dict = {}
    if row == "generation":
        cmd = [str(BIN / "awrach"), "sample", "--scale", "national", "--out", str(csv_dir)]
        times, cpus, peak = _command(cmd, 1, env)
        out["rows"] = sum(f.read_bytes().count(b"\n") - 1 for f in csv_dir.glob("*.csv"))
        return {"times": times, "cpus": cpus, "peak_mb": peak, **out}
    if row in ("validate_payroll", "validate_progress200k", "first_load"):
        case, path = {
            "validate_payroll": ("payroll", csv_dir),
            "validate_progress200k": ("progress", work / "progress200k"),
            "first_load": ("national", csv_dir),
        }[row]
        if case == "progress" and not (path / "progress.csv").exists():
            bench_validate._make(path, "--tables", "partners,agreements,projects,progress,targets")
        res = [bench_validate._one(case, path) for _ in range(runs)]
        out = {"times": [r["seconds"] for r in res], "cpus": [r["cpu"] for r in res],
               "peak_mb": max(r["rss_mb"] for r in res), "rows": res[0]["rows"]}  # fmt: skip
        if case == "payroll":
            out["rows_per_s"] = res[0]["rows"] / statistics.median(out["times"])
        return out
    if row in ("national_report", "khenifra_report"):
        reports = work / f"reports-{row}"
        if row == "national_report":
            cmd = [str(BIN / "awrach"), "report", "--data", str(csv_dir), "--lang", "fr",
                   "--force", "--out", str(reports)]  # fmt: skip
        else:
            import run as run_bench

            data, _ = run_bench._data_dir(work)
            month = run_bench._months(data)[-1]
            cmd = [str(BIN / "awrach"), "report", "--data", str(data), "--month", month,
                   "--lang", "fr", "--force", "--out", str(reports)]  # fmt: skip
        times, cpus, peak = _command(cmd, runs, env)
        return {"times": times, "cpus": cpus, "peak_mb": peak}
    if row == "notebooks":
        import bench_notebooks

        totals = [sum(bench_notebooks.run_once().values()) for _ in range(runs)]
        return {"times": totals, "cpus": [], "peak_mb": _peak_mb()}

    from awrach_analysis.analysis import national
    from awrach_analysis.data import columnar, load, store

    if row == "write_store_parquet":
        program = load.load(csv_dir)
        frames = _frames(program)

        def write():
            db.unlink(missing_ok=True)
            write_store(frames, db)
            shutil.rmtree(parquet_dir, ignore_errors=True)
            columnar.write_parquet(frames, parquet_dir)

        times, cpus, _ = _time(write, 1)
        return {"times": times, "cpus": cpus, "peak_mb": _peak_mb()}
    if row == "store_load":
        times, cpus, _ = _time(lambda: store.load_program(db), runs)
    elif row == "indicators":
        program = store.load_program(db)
        times, cpus, _ = _time(lambda: _indicators(program), runs)
    elif row == "headline":
        # every path in turn, round after round: they share the machine's load alike
        program = store.load_program(db, tables=["projects", "payroll"])
        paths = {
            "headline_parquet": lambda: national.headline_by_province_month(parquet_dir),
            "headline_store": lambda: national.headline_by_province_month(db),
            "headline_memory": lambda: national.headline_by_province_month(program),
            "headline_naive": lambda: naive_headline(csv_dir),
            "headline_sql_parquet": lambda: duckdb_sql_headline(parquet_dir),
            "headline_sql_csv": lambda: duckdb_csv_headline(csv_dir),
        }
        for name in paths:
            out[name] = {"times": [], "cpus": []}
        for _ in range(runs):
            for name, fn in paths.items():
                t, c, res = _time(fn, 1)
                out[name]["times"] += t
                out[name]["cpus"] += c
                out[name]["jobs"] = int(res["jobs"].sum())
        return {"times": [], "cpus": [], "peak_mb": _peak_mb(), **out}
    else:
        raise SystemExit(f"unknown row {row}")
    return {"times": times, "cpus": cpus, "peak_mb": _peak_mb(), **out}


#: (row, label, unit) in the order measured and printed.
ROWS = (
    ("generation", "national sample generation (awrach sample --scale national)", "s"),
    ("validate_payroll", "validation: national payroll (~840k rows)", "rows/s"),
    ("validate_progress200k", "validation: load() of the 200k-row progress case", "s"),
    ("first_load", "national first load from files (load + validate)", "s"),
    ("write_store_parquet", "write the store + province-partitioned Parquet (once)", "s"),
    ("store_load", "load from the store, national", "s"),
    ("indicators", "all national indicators (report's + headline), Program", "s"),
    ("national_report", "one national report (awrach report --lang fr --force)", "s"),
    ("khenifra_report", "one Khénifra report (bundled sample, fr)", "s"),
    ("notebooks", "all analyst notebooks (kernel start included)", "s"),
    ("headline_parquet", "headline: project, SQL pushed down to Parquet", "s"),
    ("headline_store", "headline: project, SQL pushed down to the store", "s"),
    ("headline_memory", "headline: project, in memory (Program loaded)", "s"),
    ("headline_naive", "headline: naive pandas on the CSV (no dtypes, apply)", "s"),
    ("headline_sql_parquet", "headline: plain DuckDB SQL on the same Parquet", "s"),
    ("headline_sql_csv", "headline: plain DuckDB SQL on the CSV files", "s"),
)


#: The headline's paths, measured in one process, in turn (see ``worker("headline")``).
HEADLINE_ROWS = tuple(r[0] for r in ROWS if r[0].startswith("headline"))


def _run_worker(row: str, work: Path, runs: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AWRACH_TODAY": "2024-01-15"}
    cmd = [sys.executable, __file__, "--worker", row, "--work", str(work), "--runs", str(runs)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        sys.exit(f"row {row} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _ok(row: str, value: float) -> str:
    if row not in TARGETS:
        return ""
    op, bound = TARGETS[row]
    met = value >= bound if op == ">=" else value <= bound
    return f"{op} {bound:,g} {'yes' if met else 'NO'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each row (default 3)")
    parser.add_argument(
        "--slow-runs",
        type=int,
        default=2,
        help="runs of the slow rows: first load, reports, notebooks (default 2)",
    )
    parser.add_argument("--rows", help="comma-separated rows to run (default: all)")
    parser.add_argument("--work", help="keep the generated files in this folder")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)  # fmt: skip
    if args.worker:
        print(json.dumps(worker(args.worker, Path(args.work), args.runs)))
        return 0

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="awrach-national-"))
    work.mkdir(parents=True, exist_ok=True)
    wanted = args.rows.split(",") if args.rows else [r[0] for r in ROWS]
    if "headline" in wanted:
        wanted += list(HEADLINE_ROWS)
    runs_of = {"first_load": args.slow_runs, "national_report": args.slow_runs + 1,
               "khenifra_report": args.runs, "notebooks": args.slow_runs,
               "validate_payroll": args.slow_runs, "validate_progress200k": args.slow_runs,
               "write_store_parquet": 1,
               "generation": 1}  # fmt: skip
    results: dict[str, dict] = {}
    load_avg = os.getloadavg()
    try:
        for row, label, _unit in ROWS:
            if row not in wanted and not (
                row in ("generation", "write_store_parquet")
                and not (work / ("csv" if row == "generation" else "parquet")).exists()
            ):
                continue
            if row.startswith("headline"):
                if "headline_parquet" not in results:
                    both = _run_worker("headline", work, args.runs)
                    for name in HEADLINE_ROWS:
                        results[name] = {**both.pop(name), "peak_mb": both["peak_mb"]}
                if row in results:
                    continue
            results[row] = _run_worker(row, work, runs_of.get(row, args.runs))
            print(f"  {label}: {[round(t, 2) for t in results[row]['times']]}",
                  file=sys.stderr, flush=True)  # fmt: skip
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)

    med = {k: statistics.median(v["times"]) for k, v in results.items()}
    ratios = {}
    if {"headline_parquet", "headline_naive", "headline_sql_parquet"} <= set(med):
        ratios = {
            "naive_over_project": med["headline_naive"] / med["headline_parquet"],
            "project_over_duckdb_sql": med["headline_parquet"] / med["headline_sql_parquet"],
        }
        jobs = {k: results[k]["jobs"] for k in results if "jobs" in results[k]}
        assert len(set(jobs.values())) == 1, f"the headline paths disagree: {jobs}"

    lines = [
        f"awrach national bench, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: "
        f"{os.cpu_count()} cores, load average {load_avg[0]:.1f} at start, Python "
        f"{platform.python_version()}; medians of runs; peak MB = resident memory of the "
        "row's process",
    ]
    width = max(len(label) for _, label, _ in ROWS)
    lines.append(f"{'row':<{width}}  {'median':>10}  {'CPU s':>6}  {'runs':>4}  "
                 f"{'peak MB':>7}  target")  # fmt: skip
    for row, label, unit in ROWS:
        if row not in results:
            continue
        r = results[row]
        value = r["rows_per_s"] if unit == "rows/s" else med[row]
        shown = f"{value:,.0f}/s" if unit == "rows/s" else f"{value:.2f} s"
        cpu = f"{statistics.median(r['cpus']):.2f}" if r["cpus"] else ""
        lines.append(f"{label:<{width}}  {shown:>10}  {cpu:>6}  {len(r['times']):>4}  "
                     f"{r['peak_mb']:>7.0f}  {_ok(row, value)}")  # fmt: skip
    if "national_report" in results:
        t = results["national_report"]["times"]
        lines.append(f"  (national report: first build {t[0]:.1f} s, then "
                     f"{statistics.median(t[1:] or t):.1f} s)")  # fmt: skip
    if ratios:
        ok_n = ratios["naive_over_project"] >= TARGET_NAIVE_RATIO
        ok_s = ratios["project_over_duckdb_sql"] <= TARGET_SQL_RATIO
        lines.append(
            f"headline ratios: naive / project = {ratios['naive_over_project']:.1f}x "
            f"(>= {TARGET_NAIVE_RATIO:g}x {'yes' if ok_n else 'NO'}); project / DuckDB SQL on "
            f"the same Parquet = {ratios['project_over_duckdb_sql']:.2f}x "
            f"(<= {TARGET_SQL_RATIO:g}x {'yes' if ok_s else 'NO'})"
        )
    print("\n".join(lines))
    out = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": load_avg,
                    "platform": platform.platform(), "python": platform.python_version()},
        "input": "awrach sample --scale national",
        "rows": results,
        "medians_s": med,
        "ratios": ratios,
        "targets": {**{k: list(v) for k, v in TARGETS.items()},
                    "naive_over_project": TARGET_NAIVE_RATIO,
                    "project_over_duckdb_sql": TARGET_SQL_RATIO},
        "table": lines,
    }  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"national-{stamp}.json"
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"saved {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
