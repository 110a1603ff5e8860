"""Build the monthly HTML reports: one offline file per month and language, a manifest, an index."""

from __future__ import annotations

import dataclasses
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

from .. import __version__, config, i18n
from ..data import problems as _problems
from ..data import snapshot
from ..errors import AwrachError

#: The report notebook, executed once per month and language.
NOTEBOOK_NAME = "monthly_report.ipynb"
#: The report notebook of a national or regional data set (maps and ranking of provinces).
NATIONAL_NOTEBOOK_NAME = "national_report.ipynb"
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


def default_notebook(scope_level: str = "province") -> Path:
    """Return the report notebook shipped with the project for a data set's scope level.

    ``notebooks/monthly_report`` for a province, ``notebooks/national_report`` for the
    country or a region.
    """
    name = NOTEBOOK_NAME if scope_level == "province" else NATIONAL_NOTEBOOK_NAME
    return config.NOTEBOOKS_DIR / name


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
    #: The snapshot of the data set validated by the build (the kernel loads it instead of
    #: validating the files again); not part of the report's inputs.
    snapshot: str = field(default="", compare=False, hash=False)

    def parameters(self) -> dict[str, Any]:
        """Return the values injected into the notebook's parameters cell."""
        return {
            "data_path": self.snapshot or self.data_path,
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

    if program.scope_level != "province":  # the country or a region
        from ..reference.scopes import scope_label

        return scope_label(program.province_code, lang)
    label = province_label(program.province_code, lang)
    return label if label != program.province_code else str(program.province)


def report_title(program, month: str, lang: str) -> str:
    """Return the page title of a report (from the i18n catalogue)."""
    level = program.scope_level
    return i18n.t(
        "ui.report_title" if level == "province" else f"ui.report_title.{level}",
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
    chosen = notebook is not None
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
        program = load(data, province=province)
        if not chosen:
            notebook = default_notebook(program.scope_level)
        return _build(
            program=program,
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
    with tempfile.TemporaryDirectory(prefix="awrach-snapshot-") as tmp:
        # validated once, here: the kernels read this snapshot instead of the files (a
        # national data set takes seconds to validate); it is deleted after the build
        frozen = str(snapshot.write_snapshot(program, tmp))
        result = build_reports(
            [dataclasses.replace(job, snapshot=frozen) for job in jobs],
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
