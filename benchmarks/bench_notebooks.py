"""Measure how long the six analyst notebooks take to run on the bundled data (target: 60 s).

Each run starts a fresh kernel (as a user opening JupyterLab would), then executes
``notebooks/0[1-6]_*.ipynb`` one after the other in it with the default parameters, the way
``tests/test_notebooks_run.py`` does. The figures printed are medians over the runs:
seconds to start the kernel, seconds per notebook, and the total (start-up included).

Usage: ``.venv/bin/python benchmarks/bench_notebooks.py [--runs 3]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[1-6]_*.ipynb"))
#: Budget for all analyst notebooks together on this machine, in seconds.
TARGET_SECONDS = 60.0
STARTUP = "(kernel start)"


def run_once() -> dict[str, float]:
    """Start a kernel, run every analyst notebook once, and return seconds per step."""
    from awrach_analysis.documents.render import KernelSession, execute

    times: dict[str, float] = {}
    t0 = time.perf_counter()
    with KernelSession(cwd=ROOT / "notebooks") as session:
        times[STARTUP] = time.perf_counter() - t0
        for path in NOTEBOOKS:
            t = time.perf_counter()
            execute(path, {}, client=session)
            times[path.stem] = time.perf_counter() - t
    return times


def main(argv: list[str] | None = None) -> int:
    """Print the median seconds per notebook and in total, against the 60 s target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="number of runs (median taken)")
    args = parser.parse_args(argv)
    if not NOTEBOOKS:
        print("no analyst notebook found in notebooks/", file=sys.stderr)
        return 1
    runs = []
    for i in range(args.runs):
        runs.append(run_once())
        print(f"run {i + 1}/{args.runs}: {sum(runs[-1].values()):.1f} s", file=sys.stderr)
    width = max(len(name) for name in runs[0])
    print(f"Analyst notebooks on the bundled data, median of {args.runs} run(s):")
    for name in runs[0]:
        print(f"  {name:<{width}}  {statistics.median(r[name] for r in runs):6.1f} s")
    total = statistics.median(sum(r.values()) for r in runs)
    verdict = "within" if total <= TARGET_SECONDS else "OVER"
    print(f"  {'total':<{width}}  {total:6.1f} s  ({verdict} the {TARGET_SECONDS:.0f} s target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
