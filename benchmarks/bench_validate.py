"""Benchmark of reading and validation at national scale: medians of runs in fresh processes.

Inputs are made by ``benchmarks/make_big.py`` (the bundled sample copied, ids renamed) in a
temporary folder. Measured, each run in a fresh process:

(a) payroll: validating a ~1,000,000-row payroll table alone (read before the clock
    starts), in rows per second (target >= 100,000 rows/s);
(b) progress: ``load()`` of a folder whose progress table has ~200,000 rows (with its
    ~43,500 projects, agreements, partners), read and validated (target <= 5 s);
(c) national: ``load()`` of ~1M payroll + ~165k beneficiaries + ~200k progress + projects,
    first load (target <= 20 s, peak memory <= 2 GB).

Prints one JSON line per case (median seconds, CPU seconds, peak RSS in MB); ``--runs``
sets the runs (default 3).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: One run, in a fresh process: prints seconds, CPU seconds and peak RSS (MB) as JSON.
_RUN = """
import json, resource, sys, time
case, path = sys.argv[1], sys.argv[2]
from awrach_analysis.data import load as L, validate as V
from awrach_analysis.reference.scopes import scope_units
if case == "payroll":
    src = L.read_source(path)
    code = src.meta.get("scope_code") or src.meta["province_code"]
    frame = scope_units(code)  # a province's communes, or a region's or the country's
    raw = {"payroll": src.tables["payroll"]}
    t, c = time.perf_counter(), time.process_time()
    result = V.validate_tables(raw, code, frame, single_table=True)
    rows = result.rows_read["payroll"]
else:
    t, c = time.perf_counter(), time.process_time()
    program = L.load(path)
    rows = sum(program.rows_read.values())
seconds, cpu = time.perf_counter() - t, time.process_time() - c
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows, "rss_mb": rss}))
"""


def _one(case: str, path: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AWRACH_TODAY": "2024-01-15"}
    out = subprocess.run(
        [sys.executable, "-c", _RUN, case, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _make(out: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "make_big.py"), str(out), *args], check=True
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="folder for the inputs (default: temporary)")
    parser.add_argument("--cases", default="payroll,progress,national")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        national = work / "national"
        progress = work / "progress200k"
        if not (national / "payroll.csv").exists():
            _make(national)
        if not (progress / "progress.csv").exists():
            _make(progress, "--tables", "partners,agreements,projects,progress,targets")
        paths = {"payroll": national, "progress": progress, "national": national}
        for case in args.cases.split(","):
            runs = [_one(case, paths[case]) for _ in range(args.runs)]
            seconds = statistics.median(r["seconds"] for r in runs)
            line = {
                "case": case,
                "rows": runs[0]["rows"],
                "median_s": round(seconds, 2),
                "median_cpu_s": round(statistics.median(r["cpu"] for r in runs), 2),
                "peak_rss_mb": round(max(r["rss_mb"] for r in runs)),
                "runs_s": [round(r["seconds"], 2) for r in runs],
            }
            if case == "payroll":
                line["rows_per_s"] = round(runs[0]["rows"] / seconds)
            print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
