"""Benchmarks of report rendering (`make bench`): medians of several runs, saved as JSON.

Measured, each in fresh processes as a user runs them:

(a) one report: ``awrach report --month M --lang fr --force`` (Python start, kernel start,
    imports, execution, export, write);
(b) ``awrach report --all --force`` on the bundled data, divided by the reports it built;
(c) the common two-step pipeline on the same notebook for one report:
    ``papermill`` then ``jupyter nbconvert --to html --no-input``.

Then (d) the stages of one report, each timed in fresh processes (``benchmarks/stages.py``:
parent imports, kernel start, data loading, cell execution, export, write), and (e) the
pages as a reader gets them: the French report of (a) and the French council deck opened
from ``file://`` in headless Chromium (``tests/browser_util.measure``; skipped when
Chromium or playwright is missing), first contentful paint and every chart drawn, and the
file sizes.

Targets (issue 12): (a) <= 4 s; (c) / (b) >= 3; every report and the deck <= 2 MB; first
contentful paint <= 0.5 s and every chart drawn <= 1.5 s (medians of 5 openings).
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
TARGET_ONE_REPORT_S = 4.0
TARGET_SPEEDUP = 3.0
TARGET_HTML_BYTES = 2_000_000
TARGET_FCP_S = 0.5
TARGET_DRAWN_S = 1.5
STAGES = ("parent_imports", "prepare_export", "kernel_start", "load", "cells", "export", "write")


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


def bench_stages(data: Path, month: str, out: Path, runs: int) -> dict[str, list[float]]:
    """Seconds of each stage of one report, one fresh process per run."""
    times: dict[str, list[float]] = {stage: [] for stage in STAGES}
    script = ROOT / "benchmarks" / "stages.py"
    for _ in range(runs):
        cmd = [sys.executable, str(script), "--data", str(data), "--month", month]
        proc = subprocess.run([*cmd, "--out", str(out)], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"stage benchmark failed:\n{proc.stderr}")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        for stage in STAGES:
            times[stage].append(result[stage])
    return times


def build_deck(data: Path, month: str, out: Path) -> Path | None:
    """Build the French council deck of ``month``; return its HTML file."""
    cmd = [str(BIN / "awrach"), "slides", "--month", month, "--lang", "fr"]
    _run([*cmd, "--data", str(data), "--out", str(out)])
    return next(iter(sorted(out.rglob("*_slides_fr.html"))), None)


def bench_pages(pages: dict[str, Path], runs: int) -> dict[str, dict[str, list[float]]] | None:
    """First contentful paint and charts-drawn seconds of each page (``runs`` openings)."""
    sys.path.insert(0, str(ROOT / "tests"))
    import browser_util

    if browser_util.browser_missing_reason():
        print(f"(e) pages: skipped, {browser_util.browser_missing_reason()}", flush=True)
        return None
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, list[float]]] = {}
    with sync_playwright() as pw:
        browser = browser_util.launch(pw)
        try:
            for name, path in pages.items():
                timings = [browser_util.measure(browser, path) for _ in range(runs)]
                out[name] = {
                    "fcp_s": [t.first_contentful_paint for t in timings],
                    "drawn_s": [t.charts_drawn for t in timings],
                    "charts": [t.charts for t in timings],
                }
        finally:
            browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measure (median kept)")
    parser.add_argument("--all-runs", type=int, default=2, help="runs of --all (slow)")
    parser.add_argument("--month", default=None, help="month of (a) and (c); default latest")
    parser.add_argument("--page-runs", type=int, default=5, help="openings of each page (e)")
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

        stages = bench_stages(data, month, work / "stages", args.runs)
        print(f"(d) stages: { {k: [round(t, 2) for t in v] for k, v in stages.items()} }")
        deck = build_deck(data, month, work / "deck")
        one_page = next(iter(sorted((work / "one").rglob("awrach_*_fr.html"))))
        pages = {"report (fr)": one_page, **({"deck (fr)": deck} if deck else {})}
        page_times = bench_pages(pages, args.page_runs)

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
                "largest report HTML file",
                f"{max(sizes) / 1e6:.2f} MB",
                "<= 2 MB",
                max(sizes) <= TARGET_HTML_BYTES,
            ),
        ]
        if deck is not None:
            deck_bytes = deck.stat().st_size
            rows.append(
                ("deck HTML file", f"{deck_bytes / 1e6:.2f} MB", "<= 2 MB", deck_bytes <= 2e6)
            )
        for stage in STAGES:
            rows.append(
                (f"(d) stage: {stage}", f"{statistics.median(stages[stage]):.2f} s", "", None)
            )
        for name, t in (page_times or {}).items():
            fcp, drawn = statistics.median(t["fcp_s"]), statistics.median(t["drawn_s"])
            # The paint target is the report's; a deck paints once reveal.js has laid it out.
            report_page = name.startswith("report")
            rows.append(
                (
                    f"(e) {name}: first paint",
                    f"{fcp:.2f} s",
                    "<= 0.5 s" if report_page else "",
                    (fcp <= TARGET_FCP_S) if report_page else None,
                )
            )
            rows.append(
                (
                    f"(e) {name}: {max(t['charts'])} charts drawn",
                    f"{drawn:.2f} s",
                    "<= 1.5 s",
                    drawn <= TARGET_DRAWN_S,
                )
            )
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
            "stages_s": stages,
            "pages": page_times,
            "deck_bytes": deck.stat().st_size if deck is not None else None,
            "reports_built_by_all": built,
            "html_bytes": {"max": max(sizes), "min": min(sizes)},
            "targets_met": {
                "one_report": one_s <= TARGET_ONE_REPORT_S,
                "speedup": speedup >= TARGET_SPEEDUP,
                "html_size": max(sizes) <= TARGET_HTML_BYTES,
                "deck_size": deck is None or deck.stat().st_size <= TARGET_HTML_BYTES,
                **{
                    f"first_paint {name}": statistics.median(t["fcp_s"]) <= TARGET_FCP_S
                    for name, t in (page_times or {}).items()
                    if name.startswith("report")
                },
                **{
                    f"charts_drawn {name}": statistics.median(t["drawn_s"]) <= TARGET_DRAWN_S
                    for name, t in (page_times or {}).items()
                },
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
