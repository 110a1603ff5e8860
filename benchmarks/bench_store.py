"""Benchmarks of the monthly store (`make bench`): medians of several runs, saved as JSON.

Measured in this process, on the bundled sample split as partners send it (one workbook
per partner and month, written with openpyxl; the reference workbook first):

(a) one month: the partner files of the busiest month ingested into a store that holds
    the reference tables (one transaction per file);
(b) the whole history: the reference workbook then every partner file of every month
    (22 months) into a new store.

Each prints the median time, files per second and progress rows per second.
Results go to ``benchmarks/results/store-<UTC time>.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results"


def _rows(files: list[Path]) -> int:
    import openpyxl

    n = 0
    for f in files:
        wb = openpyxl.load_workbook(f, read_only=True)
        n += wb.active.max_row - 1
        wb.close()
    return n


def main() -> None:
    import pandas as pd

    from awrach_analysis import config
    from awrach_analysis.data import store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of (a) (default 3)")
    parser.add_argument("--history-runs", type=int, default=1, help="runs of (b) (default 1)")
    args = parser.parse_args()

    progress = pd.read_csv(config.SAMPLE_DIR / "progress.csv", dtype=str)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ref = store.write_reference_workbook(config.SAMPLE_DIR, work / "reference.xlsx")
        every = store.write_partner_files(config.SAMPLE_DIR, work / "partners")
        file_months = pd.Series([f.stem.rsplit("_", 1)[1] for f in every])
        busiest = file_months.value_counts().sort_index().idxmax()
        month_files = [f for f, m in zip(every, file_months, strict=True) if m == busiest]
        month_rows = int((progress["month"] == busiest).sum())
        base = work / "base.duckdb"
        store.ingest([ref], base)

        one = []
        for k in range(args.runs):
            path = work / f"month{k}.duckdb"
            shutil.copy(base, path)
            start = time.perf_counter()
            results = store.ingest(month_files, path)
            one.append(time.perf_counter() - start)
            assert sum(r.rows_accepted for r in results) == month_rows
        history = []
        for k in range(args.history_runs):
            path = work / f"history{k}.duckdb"
            start = time.perf_counter()
            results = store.ingest([ref, *every], path)
            history.append(time.perf_counter() - start)
            assert sum(r.rows_accepted for r in results[1:]) == len(progress)

    def line(name: str, times: list[float], files: int, rows: int) -> dict:
        med = statistics.median(times)
        print(
            f"{name}: {files} files, {rows} progress rows: median {med:.2f} s over "
            f"{len(times)} run(s) = {files / med:.1f} files/s, {rows / med:.0f} rows/s"
        )
        return {"files": files, "rows": rows, "times_s": times, "median_s": med}

    out = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "one_month": {
            "month": busiest,
            **line(f"(a) one month ({busiest})", one, len(month_files), month_rows),
        },
        "history": line("(b) whole history", history, len(every) + 1, len(progress)),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"store-{stamp}.json").write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
