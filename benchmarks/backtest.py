"""Back-test of the jobs forecast (`make bench`): old (linear) and new (pipeline) methods.

For every month of the bundled sample and of two generated provinces (Azilal, Ifrane),
every wave still below its target is forecast from that month with each method of
``indicators.forecast`` and compared with the month the target was really reached
(``indicators.backtest``). Printed per data set and in all: the share of months whose
band held the real month (goal >= 80 %) and the mean error in months.
Results go to ``benchmarks/results/backtest-<UTC time>.json`` (git-ignored).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
GOAL_INSIDE = 0.8
PROVINCES = ("Azilal", "Ifrane")


def programs():
    """Yield (name, Program): the bundled sample, then generated provinces."""
    from awrach_analysis.data import sample
    from awrach_analysis.data.load import load

    yield "Khénifra (bundled sample)", load()
    with tempfile.TemporaryDirectory() as tmp:
        for name in PROVINCES:
            out = Path(tmp) / name
            sample.write_sample(sample.generate(name), out)
            yield f"{name} (generated)", load(out)


def main() -> int:
    from awrach_analysis.analysis import indicators

    frames = []
    for name, program in programs():
        frame = indicators.backtest(program).assign(data=name)
        frames.append(frame)
    results = pd.concat(frames, ignore_index=True)
    table = {name: indicators.backtest_summary(frame) for name, frame in results.groupby("data")}
    table["all"] = indicators.backtest_summary(results)
    print("Forecast back-test: band holds the real month / mean |error| (months)")
    print(
        f"{'data':34} {'method':9} {'months':>6} {'inside':>7} {'open':>6} "
        f"{'|err|':>6} {'err':>6} {'n err':>5}"
    )
    for name, summary in table.items():
        for method, r in summary.iterrows():
            print(
                f"{name:34} {method:9} {int(r['months']):6d} {r['inside_share']:7.0%} "
                f"{r['open_bands']:6.0%} {r['mean_abs_error_months']:6.2f} "
                f"{r['mean_error_months']:6.2f} {int(r['with_error']):5d}"
            )
    new = table["all"].loc["pipeline", "inside_share"]
    print(f"pipeline band holds the real month in {new:.0%} of months (goal >= {GOAL_INSIDE:.0%})")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"backtest-{stamp}.json"
    out.write_text(
        json.dumps({k: v.reset_index().to_dict("records") for k, v in table.items()}, indent=1)
        + "\n",
        encoding="utf-8",
    )
    print(f"saved {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
