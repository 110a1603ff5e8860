"""Benchmarks of report rendering (`make bench`): medians of several runs, saved as JSON.

Measured, each in fresh processes as a user runs them:

(a) one report: ``awrach report --month M --lang fr --force`` (Python start, kernel start,
    imports, execution, export, write);
(b) ``awrach report --all --force`` on the bundled data, divided by the reports it built;
(c) the common two-step pipeline on the same notebook for one report:
    ``papermill`` then ``jupyter nbconvert --to html --no-input``.

Targets: (a) <= 8 s; (c) / (b) >= 3; every HTML file < 6 MB.
Results go to ``benchmarks/results/reports-<UTC time>.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results"
TARGET_ONE_REPORT_S = 8.0
TARGET_SPEEDUP = 3.0
TARGET_HTML_BYTES = 6_000_000


def _run(cmd: list[str], **kw) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return elapsed


def _data_dir(work: Path) -> tuple[Path, str]:
    from awrach_analysis import config

    sample = Path(config.SAMPLE_DIR)
    if sample.is_dir() and any(sample.glob("*.csv")):
        return sample, "bundled sample"
    from awrach_analysis.data import sample as sample_module

    out = work / "sample"
    sample_module.write_sample(sample_module.generate(), out)
    return out, "sample regenerated (data/sample is empty)"


def _months(data: Path) -> list[str]:
    from awrach_analysis.data.load import load
    from awrach_analysis.documents.report import months_with_data

    return months_with_data(load(data))


def bench_one_report(data: Path, month: str, out: Path, runs: int) -> list[float]:
    cmd = [
        str(BIN / "awrach"),
        "report",
        "--month",
        month,
        "--lang",
        "fr",
        "--force",
        "--data",
        str(data),
        "--out",
        str(out),
    ]
    return [_run(cmd) for _ in range(runs)]


def bench_all(data: Path, out: Path, runs: int) -> tuple[list[float], int]:
    cmd = [
        str(BIN / "awrach"),
        "report",
        "--all",
        "--force",
        "--data",
        str(data),
        "--out",
        str(out),
    ]
    times = [_run(cmd) for _ in range(runs)]
    built = len(list(out.rglob("awrach_*.html")))
    return times, built


def bench_two_step(data: Path, month: str, work: Path, runs: int) -> list[float]:
    notebook = ROOT / "notebooks" / "monthly_report.ipynb"
    times = []
    for i in range(runs):
        executed = work / f"two_step_{i}.ipynb"
        start = time.perf_counter()
        _run(
            [
                str(BIN / "papermill"),
                "--no-progress-bar",
                "--log-level",
                "ERROR",
                "--cwd",
                str(notebook.parent),
                str(notebook),
                str(executed),
                "-p",
                "data_path",
                str(data),
                "-p",
                "month",
                month,
                "-p",
                "lang",
                "fr",
            ]
        )
        _run(
            [
                str(BIN / "jupyter"),
                "nbconvert",
                "--to",
                "html",
                "--no-input",
                "--log-level",
                "ERROR",
                str(executed),
            ]
        )
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median kept)")
    parser.add_argument("--all-runs", type=int, default=2, help="runs of --all (slow)")
    parser.add_argument("--month", default=None, help="month of (a) and (c); default latest")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="awrach-bench-"))
    try:
        data, data_note = _data_dir(work)
        months = _months(data)
        month = args.month or months[-1]
        print(f"data: {data} ({data_note}); {len(months)} months; month {month}", flush=True)
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()}", flush=True)

        one = bench_one_report(data, month, work / "one", args.runs)
        print(f"(a) one report: {[round(t, 2) for t in one]}", flush=True)
        two = bench_two_step(data, month, work, args.runs)
        print(f"(c) papermill + nbconvert: {[round(t, 2) for t in two]}", flush=True)
        all_times, built = bench_all(data, work / "all", args.all_runs)
        print(f"(b) --all: {[round(t, 2) for t in all_times]} for {built} reports", flush=True)

        sizes = [p.stat().st_size for p in (work / "all").rglob("awrach_*.html")]
        one_s = statistics.median(one)
        per_report = statistics.median(all_times) / built
        two_s = statistics.median(two)
        speedup = two_s / per_report
        rows = [
            (
                "(a) one report, awrach report",
                f"{one_s:.2f} s",
                f"<= {TARGET_ONE_REPORT_S:.0f} s",
                one_s <= TARGET_ONE_REPORT_S,
            ),
            (f"(b) --all, per report ({built} reports)", f"{per_report:.2f} s", "", None),
            ("(c) papermill + nbconvert, one report", f"{two_s:.2f} s", "", None),
            (
                "ratio (c) / (b)",
                f"{speedup:.1f}x",
                f">= {TARGET_SPEEDUP:.0f}x",
                speedup >= TARGET_SPEEDUP,
            ),
            (
                "largest HTML file",
                f"{max(sizes) / 1e6:.2f} MB",
                "< 6 MB",
                max(sizes) < TARGET_HTML_BYTES,
            ),
        ]
        width = max(len(r[0]) for r in rows)
        print()
        print(f"{'measure':<{width}}  {'median':>10}  {'target':>9}  ok")
        for name, value, target, ok in rows:
            mark = "" if ok is None else ("yes" if ok else "NO")
            print(f"{name:<{width}}  {value:>10}  {target:>9}  {mark}")

        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        result = {
            "when": stamp,
            "machine": {
                "cpus": os.cpu_count(),
                "load_average": os.getloadavg(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            "data": {"path": str(data), "note": data_note, "months": len(months), "month": month},
            "runs": {"one_report_s": one, "all_s": all_times, "two_step_s": two},
            "median": {
                "one_report_s": one_s,
                "all_per_report_s": per_report,
                "two_step_s": two_s,
                "speedup": speedup,
            },
            "reports_built_by_all": built,
            "html_bytes": {"max": max(sizes), "min": min(sizes)},
            "targets_met": {
                "one_report": one_s <= TARGET_ONE_REPORT_S,
                "speedup": speedup >= TARGET_SPEEDUP,
                "html_size": max(sizes) < TARGET_HTML_BYTES,
            },
        }
        path = RESULTS / f"reports-{stamp}.json"
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"\nsaved {path.relative_to(ROOT)}")
        return 0 if all(result["targets_met"].values()) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
