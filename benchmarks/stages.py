"""One report built stage by stage in this fresh process; prints the seconds of each as JSON.

Run by ``benchmarks/run.py`` (``make bench``) several times, in fresh processes. The stages
run one after the other here (``awrach report`` overlaps the kernel start with the parent's
imports and data loading), so their sum is more than the command's wall time:

- ``parent_imports``: Python's own start is left out; importing the package modules that
  ``awrach report`` imports before it launches the kernel (report, render);
- ``prepare_export``: importing nbconvert and compiling the page templates (``awrach
  report`` does it while the kernel starts);
- ``kernel_start``: launching the kernel and importing its preloaded modules until it is ready;
- ``load``: reading and validating the data set in the parent (plans the jobs);
- ``cells``: executing the report notebook's cells (the kernel loads the data again);
- ``export``: nbconvert export to one HTML page;
- ``write``: writing the file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--month", required=True)
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    times: dict[str, float] = {}
    t = time.perf_counter()
    from awrach_analysis.documents import render, report

    times["parent_imports"] = time.perf_counter() - t

    t = time.perf_counter()
    if hasattr(render, "prepare_export"):  # absent before issue 12: the export compiled it
        render.prepare_export("report", [args.lang])
    times["prepare_export"] = time.perf_counter() - t

    t = time.perf_counter()
    notebook = report.default_notebook()
    session = render.KernelSession(
        timeout=report.CELL_TIMEOUT, cwd=notebook.parent, preload=report.KERNEL_PRELOAD
    ).start()
    times["kernel_start"] = time.perf_counter() - t
    try:
        t = time.perf_counter()
        from awrach_analysis.data.load import load

        program = load(args.data)
        (job,) = report.plan_jobs(
            program, [args.month], [args.lang], out_dir=args.out, notebook=notebook
        )
        times["load"] = time.perf_counter() - t

        t = time.perf_counter()
        nb = render.execute(notebook, job.parameters(), client=session, timeout=report.CELL_TIMEOUT)
        times["cells"] = time.perf_counter() - t
    finally:
        session.close()

    t = time.perf_counter()
    html = render.export_html(nb, kind="report", lang=job.lang, title=job.title)
    times["export"] = time.perf_counter() - t

    t = time.perf_counter()
    path = report.atomic_write_text(job.out_path, html)
    times["write"] = time.perf_counter() - t
    times["bytes"] = Path(path).stat().st_size
    json.dump(times, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
