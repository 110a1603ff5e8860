"""Project schedule, what needs attention, and who reported when."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..model.codes import LEVELS, SEVERITY
from ..model.months import from_ordinals
from ..model.program import Program
from .selection import (
    LATE_START_MONTHS,
    STALL_MONTHS,
    UNDERFILL_THRESHOLD,
    _group,
    _group_keys,
    _ratio,
    _Selection,
)

# ---------------------------------------------------------------------------------------
# Schedule and attention
# ---------------------------------------------------------------------------------------


def _schedule_arrays(sel: _Selection) -> dict[str, np.ndarray]:
    """Per-project schedule figures and flags, as arrays in project order."""
    n, pr = sel.n, sel.pr
    g, m = pr["g"], pr["m"]
    n_reports = np.bincount(g, minlength=n)
    has = n_reports > 0
    # Rows are sorted by project then month: first and last row of each project.
    is_last = np.r_[g[1:] != g[:-1], True] if len(g) else np.zeros(0, dtype=bool)
    is_first = np.r_[True, g[1:] != g[:-1]] if len(g) else np.zeros(0, dtype=bool)
    last_row = np.full(n, -1)
    last_row[g[is_last]] = np.flatnonzero(is_last)
    first = np.full(n, -1)
    first[g[is_first]] = m[is_first]
    last = np.full(n, -1)
    last[has] = m[last_row[has]]
    big = np.iinfo("int64").max
    actual = np.full(n, big)
    worked = pr["jobs"] > 0
    np.minimum.at(actual, g[worked], m[worked])
    started = actual != big
    status = np.full(n, "planned", dtype=object)
    status[has] = pr["status"][last_row[has]]
    status = np.array(["planned" if (v is pd.NA or v is None) else v for v in status], dtype=object)
    pct = np.full(n, np.nan)
    pct[has] = pr["pct"][last_row[has]]
    # Stalled: the last STALL_MONTHS reports all repeat the progress of the report before.
    flat = has & (n_reports > STALL_MONTHS) & ~np.isnan(pct)
    for k in range(1, STALL_MONTHS + 1):
        if len(g):
            flat &= pr["pct"][np.where(flat, last_row - k, 0)] == pct
    # Active span: first report .. last report, or .. as_of while ongoing.
    ongoing = status == "ongoing"
    span_end = np.where(ongoing, sel.as_ord, last)
    missing = np.where(has, np.maximum(span_end - first + 1 - n_reports, 0), 0)

    planned_start = sel.p["planned_start"]
    as_of_end = np.datetime64(sel.as_of_end.to_datetime64())
    ps_ord = planned_start.astype("datetime64[M]").astype("int64")
    known_delay = started & ~np.isnat(planned_start)
    delay = np.where(known_delay, actual - ps_ord, 0)
    cancelled = status == "cancelled"
    planned_jobs = sel.p["planned_jobs"]
    peak = sel.peak()
    closed = np.isin(status.astype(str), ["completed", "cancelled"])
    flags = {
        "suspended": status == "suspended",
        "not_started": ~started & ~cancelled & (planned_start <= as_of_end),
        "stalled": ongoing & flat,
        "overdue": (sel.p["planned_end"] < as_of_end) & ~closed,
        "missing_report": missing > 0,
        "cancelled": cancelled,
        "underfilled": started
        & ~cancelled
        & (planned_jobs > 0)
        & (peak < UNDERFILL_THRESHOLD * planned_jobs),
        "late_start": known_delay & (delay >= LATE_START_MONTHS),
    }
    return {
        "first": first,
        "last": last,
        "has": has,
        "actual": actual,
        "started": started,
        "status": status,
        "pct": pct,
        "reports": n_reports,
        "missing": missing,
        "span_end": span_end,
        "delay": delay,
        "known_delay": known_delay,
        "peak": peak,
        "flags": flags,
    }


def _month_or_nat(ordinals: np.ndarray, ok: np.ndarray) -> np.ndarray:
    out = np.full(len(ordinals), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[ok] = np.asarray(ordinals[ok], dtype="int64").astype("datetime64[M]")
    return out


def _schedule_frame(sel: _Selection) -> pd.DataFrame:
    a = _schedule_arrays(sel)
    p = sel.p
    matrix = np.column_stack([a["flags"][code] for code in SEVERITY]).reshape(sel.n, len(SEVERITY))
    codes = np.array(SEVERITY, dtype=object)
    flag_tuples = [tuple(codes[row]) for row in matrix]
    rank = {code: i + 1 for i, code in enumerate(SEVERITY)}
    wave = np.array([pd.NA if np.isnan(w) else int(w) for w in p["wave"]], dtype=object)
    delay = np.array(
        [int(d) if ok else pd.NA for d, ok in zip(a["delay"], a["known_delay"], strict=True)],
        dtype=object,
    )
    out = pd.DataFrame(
        {
            **{
                c: pd.array(p[c], dtype="string")
                for c in (
                    "project_id",
                    "title_fr",
                    "title_ar",
                    "commune_code",
                    "partner_id",
                    "domain",
                )
            },
            "wave": pd.array(wave, dtype="Int64"),
            "planned_start": p["planned_start"],
            "planned_end": p["planned_end"],
            "actual_start": _month_or_nat(a["actual"], a["started"]),
            "last_report": _month_or_nat(a["last"], a["has"]),
            "status": pd.array(a["status"], dtype="string"),
            "planned_jobs": p["planned_jobs"],
            "peak_jobs_filled": a["peak"],
            "fill_rate": _ratio(a["peak"], p["planned_jobs"]),
            "start_delay_months": pd.array(delay, dtype="Int64"),
            "physical_progress_pct": a["pct"],
            "reports": a["reports"],
            "missing_months": a["missing"],
        }
    )
    out["flags"] = pd.Series(flag_tuples, dtype=object)
    out["reason"] = pd.array([f[0] if f else pd.NA for f in flag_tuples], dtype="string")
    out["severity"] = pd.array([rank[f[0]] if f else pd.NA for f in flag_tuples], dtype="Int64")
    return out


def schedule(program: Program, as_of: Any = None, wave: int | None = None) -> pd.DataFrame:
    """Return one row per project with its planned and actual schedule and warning flags.

    Parameters
    ----------
    program : Program
        The data set.
    as_of : str or pandas.Timestamp or None
        Month of the assessment (default: the last month with progress); reports after
        it are ignored.
    wave : int or None
        Wave to keep (``None``: all).

    Returns
    -------
    pandas.DataFrame
        Sorted by ``project_id``. ``actual_start`` = first month with jobs_filled > 0;
        ``last_report`` = last month with a progress row; ``status`` = status of that row
        (``planned`` when there is none); ``peak_jobs_filled`` (jobs) = highest monthly
        jobs_filled; ``fill_rate`` (share) = peak_jobs_filled / planned_jobs;
        ``start_delay_months`` = months from the planned start month to the actual start
        month (empty when not started); ``physical_progress_pct`` (%) of the last
        report; ``reports`` and ``missing_months`` (months of the active span without a
        report); ``flags`` (tuple of reason codes, most severe first), ``reason`` (the
        first flag) and ``severity`` (1 = most severe). ``attrs["projects"]`` counts the
        projects assessed (those of the wave whose agreement was signed by ``as_of``): the
        "n of N" of the attention list. Reason codes:

        - ``suspended`` / ``cancelled``: status of the last report;
        - ``not_started``: no month with jobs filled although the planned start date is
          on or before the end of ``as_of`` (and not cancelled);
        - ``stalled``: ongoing and physical progress unchanged over the last 2 reported
          months (3 equal readings in a row);
        - ``overdue``: planned end date before the end of ``as_of`` and the project
          neither completed nor cancelled;
        - ``missing_report``: a month without a report inside the active span (first to
          last report, or first report to ``as_of`` while ongoing);
        - ``underfilled``: started, not cancelled, peak jobs filled < 80 % of planned jobs;
        - ``late_start``: actual start at least 1 month after the planned start month.
    """
    sel = _Selection(program, wave, as_of)
    out = _schedule_frame(sel)
    out.attrs.update(as_of=sel.as_of, projects=sel.n)
    return out


def attention(program: Program, as_of: Any = None, wave: int | None = None) -> pd.DataFrame:
    """Return the projects that need attention, most severe first.

    Parameters
    ----------
    program : Program
        The data set.
    as_of : str or pandas.Timestamp or None
        Month of the assessment (default: the last month with progress).
    wave : int or None
        Wave to keep (``None``: all).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`schedule` with at least one flag, sorted by ``severity`` of the
        main reason (order of :data:`SEVERITY`: suspended, not_started, stalled, overdue,
        missing_report, cancelled, underfilled, late_start), then by number of flags
        (more first), then ``project_id``. ``attrs["projects"]``: the projects assessed,
        as in :func:`schedule`.
    """
    s = schedule(program, as_of=as_of, wave=wave)
    s = s[s["severity"].notna()].copy()
    s["_n"] = s["flags"].map(len)
    s = s.sort_values(
        ["severity", "_n", "project_id"], ascending=[True, False, True], kind="stable"
    )
    out = s.drop(columns="_n").reset_index(drop=True)
    out.attrs.update(as_of=s.attrs.get("as_of"), projects=s.attrs.get("projects"))
    return out


# ---------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------


def reporting(program: Program, as_of: Any = None, wave: int | None = None) -> pd.DataFrame:
    """Return how completely each implementing partner reports, with its fill rate.

    Parameters
    ----------
    program : Program
        The data set.
    as_of : str or pandas.Timestamp or None
        Month of the assessment (default: the last month with progress).
    wave : int or None
        Wave to keep (``None``: all).

    Returns
    -------
    pandas.DataFrame
        One row per partner implementing at least one selected project, by
        ``partner_id``: ``partner_id``, ``name_fr``, ``name_ar``, ``partner_type``,
        ``projects``, ``months_expected`` (months of the projects' active spans, as in
        :func:`schedule`: first to last report, or first report to ``as_of`` while
        ongoing), ``months_reported``, ``missing_months`` = expected − reported,
        ``punctuality`` (share) = months_reported / months_expected (the data hold no
        submission date, so this measures completeness, not lateness),
        ``projects_never_reported`` (planned start on or before ``as_of``, no report,
        not counted in months_expected) and ``fill_rate`` (share) = sum of peak jobs
        filled / sum of planned jobs.
    """
    sel = _Selection(program, wave, as_of)
    a = _schedule_arrays(sel)
    as_of_end = np.datetime64(sel.as_of_end.to_datetime64())
    never = (a["reports"] == 0) & (sel.p["planned_start"] <= as_of_end)
    values = {
        "projects": np.ones(sel.n, dtype="int64"),
        "months_expected": (a["reports"] + a["missing"]).astype("int64"),
        "months_reported": a["reports"].astype("int64"),
        "missing_months": a["missing"].astype("int64"),
        "projects_never_reported": never.astype("int64"),
        "peak": a["peak"],
        "planned": sel.p["planned_jobs"],
    }
    g = _group(sel, "partner", values)
    g["punctuality"] = _ratio(g["months_reported"], g["months_expected"])
    g["fill_rate"] = _ratio(g["peak"], g["planned"])
    cols = [
        "partner_id",
        "name_fr",
        "name_ar",
        "partner_type",
        "projects",
        "months_expected",
        "months_reported",
        "missing_months",
        "punctuality",
        "projects_never_reported",
        "fill_rate",
    ]
    out = g[cols].sort_values("partner_id", kind="stable").reset_index(drop=True)
    out.attrs.update(as_of=sel.as_of)
    return out


def reporting_grid(program: Program, as_of: Any = None, wave: int | None = None) -> pd.DataFrame:
    """Return, per implementing partner and month, the projects expected to report and not.

    A project is expected to report in every month of its active span, as in
    :func:`reporting` and :func:`schedule`: from its first report to its last one, or to
    ``as_of`` while its last report says ``ongoing``. Projects that never reported are
    not expected in any month (:func:`reporting` counts them in
    ``projects_never_reported``).

    Parameters
    ----------
    program : Program
        The data set.
    as_of : str or pandas.Timestamp or None
        Month of the assessment (default: the last month with progress); reports after
        it are ignored.
    wave : int or None
        Wave to keep (``None``: all).

    Returns
    -------
    pandas.DataFrame
        One row per partner of :func:`reporting` and per calendar month, from the first
        month of any active span to the last one (no row when no selected project has
        reported), sorted by ``partner_id`` then ``month``: ``partner_id``, ``month``
        (first day), ``projects_expected`` (projects of the partner whose active span
        holds the month), ``projects_reported`` (of those, projects with a progress row
        for the month) and ``projects_missing`` = expected − reported. Summed over the
        months of a partner, the three counts equal ``months_expected``,
        ``months_reported`` and ``missing_months`` of :func:`reporting`.
    """
    sel = _Selection(program, wave, as_of)
    a = _schedule_arrays(sel)
    groups, keys = _group_keys(sel, "partner")
    has = a["has"]
    n_groups = len(keys)
    if has.any():
        first_month = int(a["first"][has].min())
        grid = np.arange(first_month, int(a["span_end"][has].max()) + 1, dtype="int64")
    else:
        first_month, grid = 0, np.array([], dtype="int64")
    n_months = len(grid)
    # Expected: +1 at the first month of each span, -1 after its last, summed along months.
    steps = np.zeros((n_groups, n_months + 1), dtype="int64")
    np.add.at(steps, (groups[has], a["first"][has] - first_month), 1)
    np.add.at(steps, (groups[has], a["span_end"][has] - first_month + 1), -1)
    expected = steps.cumsum(axis=1)[:, :n_months]
    # Reported: distinct (project, month) progress rows; every one lies inside its span.
    g, m = sel.pr["g"], sel.pr["m"]
    distinct = np.r_[True, (g[1:] != g[:-1]) | (m[1:] != m[:-1])] if len(g) else np.ones(0, bool)
    reported = np.zeros((n_groups, n_months), dtype="int64")
    np.add.at(reported, (groups[g[distinct]], m[distinct] - first_month), 1)
    out = pd.DataFrame(
        {
            "partner_id": pd.array(
                np.repeat(keys["partner_id"].to_numpy(dtype=object), n_months), dtype="string"
            ),
            "month": from_ordinals(np.tile(grid, n_groups)),
            "projects_expected": expected.ravel(),
            "projects_reported": reported.ravel(),
            "projects_missing": (expected - reported).ravel(),
        }
    )
    out.attrs.update(as_of=sel.as_of)
    return out


def rank_reporting(reporting_df: pd.DataFrame) -> pd.DataFrame:
    """Return the partners of :func:`reporting`, least complete first, marked complete or not.

    Parameters
    ----------
    reporting_df : pandas.DataFrame
        The output of :func:`reporting`.

    Returns
    -------
    pandas.DataFrame
        The same rows and columns plus ``complete`` (bool: no month missing and no project
        that never reported), sorted by ``punctuality`` (lowest first; partners whose
        projects never reported, with no punctuality, come first), then by
        ``projects_never_reported`` (most first), then ``partner_id``.
    """
    out = reporting_df.sort_values(
        ["punctuality", "projects_never_reported", "partner_id"],
        ascending=[True, False, True],
        na_position="first",
        kind="stable",
    ).reset_index(drop=True)
    out["complete"] = (out["missing_months"] == 0) & (out["projects_never_reported"] == 0)
    out.attrs = dict(reporting_df.attrs)
    return out


def flag_counts(schedule_df: pd.DataFrame) -> pd.DataFrame:
    """Return how many projects carry each warning flag (a project may carry several).

    Parameters
    ----------
    schedule_df : pandas.DataFrame
        The output of :func:`schedule` or :func:`attention` (its ``flags`` column).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``reason`` (every code of :data:`SEVERITY`, most severe first, zeros
        included), one column ``projects``.
    """
    counts = dict.fromkeys(SEVERITY, 0)
    for flags in schedule_df["flags"]:
        for code in flags:
            counts[code] += 1
    return pd.DataFrame(
        {"projects": pd.array(list(counts.values()), dtype="int64")},
        index=pd.Index(list(counts), dtype="string", name="reason"),
    )


def project_crosstab(
    program: Program, rows: str, columns: str, as_of: Any = None, wave: int | None = None
) -> pd.DataFrame:
    """Return the number of projects for each pair of groups of two breakdown levels.

    Parameters
    ----------
    program : Program
        The data set.
    rows, columns : {"commune", "cercle", "commune_type", "partner_type", "partner", \
"domain", "wave"}
        Levels of the rows and of the columns (as in :func:`breakdown`).
    as_of : str or pandas.Timestamp or None
        Projects of the agreements signed by the end of this month (default: the last
        month with progress).
    wave : int or None
        Wave to keep (``None``: all).

    Returns
    -------
    pandas.DataFrame
        Index: the codes of the row level's groups; columns: the codes of the column
        level's groups (code or vocabulary order, as in :func:`breakdown`, only groups
        holding a selected project), then a ``"total"`` column; a last ``"total"`` row.
        Cells count projects (int64); the totals are the row and column sums.
    """
    if rows == columns:
        raise ValueError(f"rows and columns are both {rows!r}; cross two different levels.")
    sel = _Selection(program, wave, as_of)
    g_row, k_row = _group_keys(sel, rows)
    g_col, k_col = _group_keys(sel, columns)
    n_row, n_col = len(k_row), len(k_col)
    counts = np.bincount(g_row * n_col + g_col, minlength=n_row * n_col).reshape(n_row, n_col)
    table = np.zeros((n_row + 1, n_col + 1), dtype="int64")
    table[:-1, :-1] = counts
    table[-1, :-1] = counts.sum(axis=0)
    table[:, -1] = table[:, :-1].sum(axis=1)

    def labels(keys: pd.DataFrame, level: str) -> pd.Index:
        codes = keys[LEVELS[level][0]].astype(object).tolist()
        return pd.Index([*codes, "total"], dtype=object, name=level)

    out = pd.DataFrame(table, index=labels(k_row, rows), columns=labels(k_col, columns))
    out.attrs.update(as_of=sel.as_of)
    return out
