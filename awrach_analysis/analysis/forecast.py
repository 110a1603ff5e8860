"""When the target is reached: forecast from the pipeline or the pace, and its backtest."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..model.months import from_ordinal, ordinal, ordinals, to_month
from ..model.program import Program
from .progress import monthly_jobs, target_for
from .schedule import _schedule_arrays
from .selection import FORECAST_WINDOW_MONTHS, UNDERFILL_THRESHOLD, _Selection, _take

# ---------------------------------------------------------------------------------------
# Forecast
# ---------------------------------------------------------------------------------------


FORECAST_METHODS = ("pipeline", "linear")


def forecast(
    program: Program,
    as_of: Any = None,
    wave: int | None = None,
    scope: str = "province",
    method: str = "pipeline",
) -> dict[str, Any]:
    """Project when jobs to date will reach the target.

    Two methods. ``"pipeline"`` (the default, see :func:`_forecast_pipeline`) adds, month
    by month, the planned jobs of the projects not started yet at their planned start
    month, scaled by the fill rate observed so far, and the replacements at the recent
    rate per job filled; its band comes from an early and a late scenario. ``"linear"``
    (the method used before; always the one of ``scope="national"``) continues the mean
    monthly increase of the last months, as described below.

    Method ``linear`` (``linear_mean_increase_3m``): the pace is the mean monthly increase of jobs
    to date over the last 3 calendar months up to ``as_of`` (months without a new
    contract count as 0; before the first contract jobs to date are 0). The band uses
    the smallest (``pace_low``) and largest (``pace_high``) of those 3 increases.
    Months needed = ceil((target − achieved) / pace), counted from ``as_of``.

    Parameters
    ----------
    program : Program
        The data set.
    as_of : str or pandas.Timestamp or None
        Month of the forecast (default: the last month with progress).
    wave : int or None
        Wave (``None``: all waves against the sum of the province wave targets).
    scope : {"province", "national"}
        ``"national"``: the province's contribution to the national target (250,000
        jobs, 2022–2023). National achievement is not measurable from province data.
    method : {"pipeline", "linear"}
        How to project (see above); ``scope="national"`` always uses ``"linear"``.

    Returns
    -------
    dict
        With ``method="pipeline"``, see :func:`_forecast_pipeline`. With ``"linear"``:
        ``method``, ``scope``, ``target`` (jobs or None), ``achieved`` (jobs to date at
        ``as_of``), ``pace_per_month``, ``pace_low``, ``pace_high`` (jobs/month),
        ``month_reached`` (first day of the month the target is or would be reached, or
        None when the pace is 0), ``month_low`` (earliest: at ``pace_high``),
        ``month_high`` (latest: at ``pace_low``; None when pace_low is 0),
        ``reachable`` (month_reached on or before ``period_end``; None without target),
        ``period_end``, ``as_of``, ``share_of_target`` (achieved / target),
        ``jobs_to_date_method`` and ``note`` (text).
    """
    if scope not in ("province", "national"):
        raise ValueError(f"scope={scope!r} is not supported; use 'province' or 'national'.")
    if method not in FORECAST_METHODS:
        raise ValueError(f"method={method!r} is not supported; use 'pipeline' or 'linear'.")
    if method == "pipeline" and scope == "province":
        return _forecast_pipeline(program, as_of, wave)
    sel_wave = None if scope == "national" else wave
    series = monthly_jobs(program, wave=sel_wave, as_of=as_of)
    as_of_m = series.attrs["as_of"]
    tgt = target_for(program, sel_wave, scope=scope)
    as_ord = ordinal(as_of_m)
    window = np.arange(as_ord - FORECAST_WINDOW_MONTHS, as_ord + 1)
    # Jobs to date on a calendar running to as_of (0 before the first job, then carried).
    s_ord = ordinals(series["month"])
    values = series["jobs_to_date"].to_numpy(dtype="int64")
    calendar = np.arange(min([*s_ord[:1], window[0]]), as_ord + 1)
    pos = np.searchsorted(s_ord, calendar, side="right") - 1
    jtd = pd.Series(
        np.where(pos >= 0, values[np.clip(pos, 0, None)] if len(values) else 0, 0), index=calendar
    )
    if scope == "national" and tgt["period_end"] is not None:
        achieved = int(jtd[jtd.index <= min(as_ord, ordinal(tgt["period_end"]))].iloc[-1])
    else:
        achieved = int(jtd.iloc[-1])
    increases = np.diff(jtd.loc[window[0] :].to_numpy()).astype("float64")
    pace, low, high = float(increases.mean()), float(increases.min()), float(increases.max())
    method = "linear_mean_increase_3m"
    note = (
        f"Pace: mean monthly increase of jobs to date over the last "
        f"{FORECAST_WINDOW_MONTHS} months; band: smallest and largest of those increases."
    )
    if scope == "national":
        method = "province_contribution_linear_mean_increase_3m"
        note = (
            "National achievement is not measurable from province data: figures are the "
            "province's contribution to the national target. " + note
        )
    target = tgt["target"]
    result: dict[str, Any] = {
        "method": method,
        "scope": scope,
        "target": target,
        "achieved": achieved,
        "pace_per_month": pace,
        "pace_low": low,
        "pace_high": high,
        "month_reached": None,
        "month_low": None,
        "month_high": None,
        "reachable": None,
        "period_end": tgt["period_end"],
        "as_of": as_of_m,
        "share_of_target": None if not target else achieved / target,
        "jobs_to_date_method": series.attrs["jobs_to_date_method"],
        "note": note,
    }
    if target is None:
        result["note"] = "No target in the targets table for this scope and wave. " + note
        return result
    remaining = target - achieved
    if remaining <= 0:
        reached = int(jtd[jtd >= target].index.min())
        month = from_ordinal(reached)
        result.update(month_reached=month, month_low=month, month_high=month, reachable=True)
        return result

    def when(rate: float) -> pd.Timestamp | None:
        return from_ordinal(as_ord + math.ceil(remaining / rate)) if rate > 0 else None

    result.update(month_reached=when(pace), month_low=when(high), month_high=when(low))
    result["reachable"] = bool(
        result["month_reached"] is not None and result["month_reached"] <= tgt["period_end"]
    )
    return result


#: Months simulated ahead by the pipeline forecast (beyond: "not reached").
FORECAST_HORIZON_MONTHS = 36


def _signed_on(program: Program, sel: _Selection) -> np.ndarray:
    """Signature date of the agreement of every selected project (NaT when unknown)."""
    ag = program.agreements
    idx = pd.Index(ag["agreement_id"].astype("string")).get_indexer(
        pd.Index(sel.p["agreement_id"], dtype="string")
    )
    return _take(ag["signed_on"].to_numpy(dtype="datetime64[ns]"), idx)


def _fill_rates(sel: _Selection, a: dict[str, np.ndarray]) -> np.ndarray:
    """Peak jobs filled / planned jobs of the started, not cancelled projects of ``sel``."""
    ok = a["started"] & (a["status"] != "cancelled") & (sel.p["planned_jobs"] > 0)
    return np.stack([a["peak"][ok], sel.p["planned_jobs"][ok]]).astype("float64")


def _scenario(
    achieved: int,
    as_ord: int,
    horizon: int,
    starts: np.ndarray,
    ends: np.ndarray,
    jobs: np.ndarray,
    new: np.ndarray,
    rate: float,
    backlog: np.ndarray,
    cap: float = math.inf,
) -> np.ndarray:
    """Return jobs to date for months as_ord .. as_ord + horizon of one scenario.

    ``starts``/``ends``/``jobs``: month span and jobs filled of every project counted
    (running projects start before ``as_of``); ``new``: whether the project's jobs are
    new contracts at its start month (projects not started yet). Each month adds those
    new contracts, then ``rate`` replacements per job filled in projects that started
    before the month, and each project's ``backlog`` (contracts still to come) spread
    evenly from the month after its start (or after ``as_of``) to its end, at most
    ``cap`` a month in all.
    """
    months = np.arange(as_ord + 1, as_ord + horizon + 1)
    gain = np.zeros(horizon)
    # Contracts still to come in each project, spread evenly over its remaining months.
    first = np.maximum(starts + 1, as_ord + 1)
    spread = np.where(backlog > 0, backlog / np.maximum(ends - first + 1, 1), 0.0)
    for i, m in enumerate(months):
        gain[i] = jobs[new & (starts == m)].sum()
        running = (starts < m) & (ends >= m)
        gain[i] += rate * jobs[running].sum()
        gain[i] += min(spread[(first <= m) & (np.maximum(ends, first) >= m)].sum(), cap)
    return np.r_[float(achieved), achieved + np.cumsum(gain)]


def _forecast_pipeline(program: Program, as_of: Any, wave: int | None) -> dict[str, Any]:
    """Project jobs to date from the project pipeline, the fill rate and the replacements.

    Method ``pipeline``, from what the data know at the end of ``as_of``:

    - projects not started yet (no month with jobs filled), neither cancelled nor
      completed, start at their planned start month shifted by the mean start delay
      observed so far (never before the month after ``as_of``) and hire their planned
      jobs times the fill rate observed so far (sum of peak jobs filled / sum of planned
      jobs of the started projects; of every wave when none has started in this one;
      1 when no project has started at all); they keep that many jobs until their
      planned end month (shifted the same way);
    - contracts still owed (replacements, ramp-ups): every project running or to start
      ends with as many contracts per planned job as the completed projects made
      (``contracts_per_planned_job``; 1 in the central and early scenarios while no
      project has completed), spread evenly until its planned end shifted by the mean
      overrun of the completed projects; without that ratio (late scenario before any
      completion), replacements come at the rate of the last
      :data:`FORECAST_WINDOW_MONTHS` months: contracts started in projects that started
      earlier per job filled (``replacement_rate``), times the jobs filled;
    - jobs of the target not covered by a signed agreement come at the pace of the
      planned jobs signed over the last months, after the usual signature-to-start lag.

    The band is the envelope of the central path and two scenarios. Early (``month_low``):
    no start delay, the upper quartile of the projects' fill rates and contract ratios,
    the highest monthly replacement rate seen since the wave began, signatures 1.5 times
    faster. Late (``month_high``): the mean delay rounded up plus one month, the lower
    quartile of fill rates and the 10th percentile of contract ratios, the lowest
    replacement rate of the window, projects running the mean overrun rounded up plus 2
    months, signatures twice slower and, once no project is left to start, contracts
    still owed at most at half the lowest monthly count of such contracts in the window.
    Months beyond :data:`FORECAST_HORIZON_MONTHS` count as not reached.

    Returns
    -------
    dict
        The keys of the linear method (``pace_per_month`` is the mean monthly increase
        of the central path until the target or the end of the period; ``pace_low`` and
        ``pace_high`` those of the late and early paths), plus ``path_months`` (first
        days, from ``as_of``), ``path_mid``, ``path_low``, ``path_high`` (jobs to date,
        starting at ``achieved``), ``pipeline_projects`` (projects not started yet),
        ``pipeline_jobs`` (their planned jobs), ``pipeline_expected`` (planned × fill
        rate), ``fill_rate``, ``fill_low``, ``fill_high`` (shares), ``start_delay_months``
        (mean observed), ``replacement_rate`` (per job filled and month) and
        ``replacements_per_month`` (at that rate on the jobs filled in ``as_of``).
    """
    sel = _Selection(program, wave, as_of)
    as_ord = sel.as_ord
    a = _schedule_arrays(sel)
    tgt = target_for(program, sel.wave)
    target = tgt["target"]
    achieved = int(sel.facts()["jobs_to_date"].sum())
    p = sel.p
    planned = p["planned_jobs"].astype("float64")
    status = a["status"].astype(str)
    closed = np.isin(status, ["completed", "cancelled"])

    # Fill rate observed so far (this wave, else every wave, else the plan).
    peak_planned = _fill_rates(sel, a)
    if peak_planned.shape[1] == 0 and wave is not None:
        every = _Selection(program, None, sel.as_of)
        peak_planned = _fill_rates(every, _schedule_arrays(every))
    if peak_planned.shape[1]:
        rates = peak_planned[0] / peak_planned[1]
        fill = float(peak_planned[0].sum() / peak_planned[1].sum())
        fill_low = float(min(fill, np.quantile(rates, 0.25)))
        fill_high = float(max(fill, np.quantile(rates, 0.75)))
    else:
        fill, fill_low, fill_high = 1.0, UNDERFILL_THRESHOLD, 1.0

    # Start delay observed so far.
    delays = a["delay"][a["known_delay"]]
    mean_delay = float(max(delays.mean(), 0.0)) if len(delays) else 0.0

    # Replacement rate over the window: contracts started in projects that started
    # earlier, per job filled in the month.
    proj, months, counts = sel.new_jobs_by_project()
    later = months > a["actual"][proj]
    first = int(sel.pr["m"].min()) if len(sel.pr["m"]) else as_ord
    every = np.arange(min(first, as_ord - FORECAST_WINDOW_MONTHS + 1), as_ord + 1)
    reps = np.array([counts[later & (months == m)].sum() for m in every], dtype="float64")
    filled = np.array([sel.pr["jobs"][sel.pr["m"] == m].sum() for m in every], dtype="float64")
    in_window = every > as_ord - FORECAST_WINDOW_MONTHS
    worked = filled > 0
    recent_ok = worked & in_window
    if recent_ok.any():
        per_month = reps[recent_ok] / filled[recent_ok]
        rate = float(reps[recent_ok].sum() / filled[recent_ok].sum())
        rate_low = float(per_month.min())
        # Early scenario: the highest monthly rate seen since the wave began.
        rate_high = float((reps[worked] / filled[worked]).max())
    else:
        rate = rate_low = rate_high = 0.0

    # Projects: spans and jobs in each scenario.
    ps = np.where(np.isnat(p["planned_start"]), -1, ordinals(pd.Series(p["planned_start"])))
    pe = np.where(np.isnat(p["planned_end"]), -1, ordinals(pd.Series(p["planned_end"])))
    duration = np.where((ps >= 0) & (pe >= ps), pe - ps + 1, 3)
    pipeline = ~a["started"] & ~closed & (planned > 0)
    running = a["started"] & ~closed
    last_jobs = np.zeros(sel.n)
    last_jobs[sel.pr["g"]] = sel.pr["jobs"]  # rows sorted by month: the last one stays
    horizon = FORECAST_HORIZON_MONTHS

    # Jobs of the target not yet in any signed agreement: they come as the agreements of
    # the last months did (planned jobs signed per month), after the usual lag between
    # signing and planned start, for the usual duration.
    unsigned = max(float(target or 0) - float(planned.sum()), 0.0)
    signed = ordinals(pd.Series(_signed_on(program, sel)))
    recent = (signed > as_ord - FORECAST_WINDOW_MONTHS) & (signed <= as_ord)
    contracting = float(planned[recent].sum()) / FORECAST_WINDOW_MONTHS
    if contracting <= 0 and sel.n and (signed >= 0).any():
        contracting = float(planned.sum()) / max(as_ord - int(signed[signed >= 0].min()) + 1, 1)
    lag_ok = (ps >= 0) & (signed >= 0)
    lag = int(np.median(ps[lag_ok] - signed[lag_ok])) if lag_ok.any() else 1
    usual = int(np.median(duration)) if sel.n else 3

    def future(pace: float) -> tuple[np.ndarray, np.ndarray]:
        """Start months and planned jobs of the agreements still to sign."""
        if unsigned <= 0 or pace <= 0:
            return np.zeros(0, dtype="int64"), np.zeros(0)
        n = math.ceil(unsigned / pace)
        jobs = np.full(n, pace)
        jobs[-1] = unsigned - pace * (n - 1)
        return as_ord + 1 + max(lag, 0) + np.arange(n), jobs

    # Contracts per planned job over a whole project (replacements included), observed on
    # the completed projects (this wave, else every wave): each project still running or
    # to start will reach it; without a completed project, the replacement rate serves.
    contracts = sel.facts()["jobs_to_date"].astype("float64")
    done = (status == "completed") & (planned > 0)
    ratio_planned = np.stack([contracts[done], planned[done]])
    if ratio_planned.shape[1] == 0 and wave is not None:
        every_sel = _Selection(program, None, sel.as_of)
        every_status = _schedule_arrays(every_sel)["status"].astype(str)
        ok = (every_status == "completed") & (every_sel.p["planned_jobs"] > 0)
        ratio_planned = np.stack(
            [every_sel.facts()["jobs_to_date"][ok], every_sel.p["planned_jobs"][ok]]
        ).astype("float64")
    if ratio_planned.shape[1]:
        per = ratio_planned[0] / ratio_planned[1]
        lifetime = float(ratio_planned[0].sum() / ratio_planned[1].sum())
        lifetime_low = float(min(lifetime, np.quantile(per, 0.1)))
        lifetime_high = float(max(lifetime, np.quantile(per, 0.75)))
    else:
        # No project has completed yet: the central and early scenarios assume each project
        # ends with one contract per planned job; the late one uses the replacement rate.
        lifetime, lifetime_low = 1.0, None
        lifetime_high = 1.0

    def path(
        delay: int, fill_x: float, rate_x: float, extra: int, pace: float, cap: float = math.inf
    ) -> np.ndarray:
        base = np.where(ps >= 0, ps, as_ord + 1)
        start = np.where(pipeline, np.maximum(base + delay, as_ord + 1), a["actual"])
        end = np.where(
            pipeline,
            start + duration - 1 + extra,
            np.maximum(np.where(pe >= 0, pe, as_ord) + extra, as_ord + 1),
        )
        jobs = np.where(pipeline, planned * fill_x, np.where(running, last_jobs, 0.0))
        keep = pipeline | running
        f_start, f_jobs = future(pace)
        life = {"mid": lifetime, "early": lifetime_high, "late": lifetime_low}[scenario]
        if life is None:
            backlog = np.zeros(int(keep.sum()) + len(f_start))
        else:
            rate_x = 0.0
            owed = np.where(
                pipeline,
                planned * max(life - fill_x, 0.0),
                np.maximum(planned * life - contracts, 0),
            )
            backlog = np.r_[owed[keep], f_jobs * max(life - fill_x, 0.0)]
        return _scenario(
            achieved,
            as_ord,
            horizon,
            np.r_[start[keep], f_start + delay],
            np.r_[end[keep], f_start + delay + usual - 1 + extra],
            np.r_[jobs[keep], f_jobs * fill_x],
            np.r_[pipeline[keep], np.ones(len(f_start), dtype=bool)],
            rate_x,
            backlog,
            cap,
        )

    # Months the completed projects ran past their planned end (their last report).
    ended = (status == "completed") & (pe >= 0) & a["has"]
    overrun = float(np.maximum(a["last"][ended] - pe[ended], 0).mean()) if ended.any() else 0.0
    scenario = "mid"
    mid = path(round(mean_delay), fill, rate, round(overrun), contracting)
    scenario = "early"
    early = path(0, fill_high, rate_high, 0, 1.5 * contracting)
    scenario = "late"
    # Late: the contracts still owed by started projects come at most at half the lowest
    # monthly count of such contracts over the window.
    slow = 0.5 * float(reps[in_window].min()) if in_window.any() else math.inf
    late = path(
        math.ceil(mean_delay) + 1,
        fill_low,
        rate_low,
        math.ceil(overrun) + 2,
        0.5 * contracting,
        slow if pipeline.sum() == 0 and unsigned <= 0 else math.inf,
    )
    # The band is the envelope of the three paths.
    early, late = np.maximum.reduce([early, mid, late]), np.minimum.reduce([early, mid, late])
    path_months = [from_ordinal(as_ord + k) for k in range(horizon + 1)]
    result: dict[str, Any] = {
        "method": "pipeline",
        "scope": "province",
        "target": target,
        "achieved": achieved,
        "pace_per_month": 0.0,
        "pace_low": 0.0,
        "pace_high": 0.0,
        "month_reached": None,
        "month_low": None,
        "month_high": None,
        "reachable": None,
        "period_end": tgt["period_end"],
        "as_of": sel.as_of,
        "share_of_target": None if not target else achieved / target,
        "jobs_to_date_method": sel.method,
        "note": (
            "Projects not started yet at their planned start (shifted by the mean start "
            "delay observed) times the fill rate observed so far, plus replacements at the "
            f"rate of the last {FORECAST_WINDOW_MONTHS} months per job filled; band: early "
            "and late scenarios."
        ),
        "path_months": path_months,
        "path_mid": [float(v) for v in mid],
        "path_low": [float(v) for v in late],
        "path_high": [float(v) for v in early],
        "pipeline_projects": int(pipeline.sum()),
        "pipeline_jobs": int(planned[pipeline].sum()),
        "pipeline_expected": float(planned[pipeline].sum() * fill),
        "unsigned_jobs": unsigned,
        "contracting_per_month": contracting,
        "fill_rate": fill,
        "fill_low": fill_low,
        "fill_high": fill_high,
        "start_delay_months": mean_delay,
        "overrun_months": overrun,
        "replacement_rate": rate,
        "contracts_per_planned_job": lifetime,
        "replacements_per_month": float(rate * filled[-1]) if len(filled) else 0.0,
    }
    if target is None:
        result["note"] = (
            "No target in the targets table for this scope and wave. " + (result["note"])
        )
        return result
    if achieved >= target:
        series = monthly_jobs(program, wave=wave, as_of=sel.as_of)
        reached = series.loc[series["jobs_to_date"] >= target, "month"].min()
        month = to_month(reached)
        result.update(month_reached=month, month_low=month, month_high=month, reachable=True)
        return result

    def when(values: np.ndarray) -> pd.Timestamp | None:
        hit = np.flatnonzero(values >= target - 1e-9)
        return from_ordinal(as_ord + int(hit[0])) if len(hit) else None

    def pace(values: np.ndarray) -> float:
        hit = np.flatnonzero(values >= target - 1e-9)
        stop = int(hit[0]) if len(hit) else None
        if stop is None and tgt["period_end"] is not None:
            stop = max(ordinal(tgt["period_end"]) - as_ord, 1)
        stop = min(stop or horizon, horizon)
        return float((values[stop] - values[0]) / stop)

    result.update(
        month_reached=when(mid),
        month_low=when(early),
        month_high=when(late),
        pace_per_month=pace(mid),
        pace_low=pace(late),
        pace_high=pace(early),
    )
    result["reachable"] = bool(
        result["month_reached"] is not None
        and (tgt["period_end"] is None or result["month_reached"] <= tgt["period_end"])
    )
    return result


def backtest(
    program: Program, waves: Any = None, methods: tuple[str, ...] = FORECAST_METHODS
) -> pd.DataFrame:
    """Forecast from every past month and compare with the month the target was reached.

    For every wave with a province target and every month from its first month with
    activity to its last month with data, while jobs to date are still below the target,
    :func:`forecast` is called with that month as ``as_of`` (it sees nothing later) and
    each method.

    Parameters
    ----------
    program : Program
        The data set, with the months after each forecast.
    waves : iterable of int or None
        Waves to test (default: every wave of the data).
    methods : tuple of str
        Methods of :func:`forecast`.

    Returns
    -------
    pandas.DataFrame
        One row per wave, month and method: ``wave``, ``as_of``, ``method``,
        ``achieved``, ``target``, ``month_reached``, ``month_low``, ``month_high``
        (forecast), ``actual`` (first month whose jobs to date reach the target in the
        whole data; NaT when never), ``last_month`` (last month with data), ``inside``
        (bool: the actual month lies in [month_low, month_high]; an open band, with no
        ``month_high``, holds every month from ``month_low`` on and "never"; when the
        target was never reached, inside when ``month_high`` is after the last month or
        open) and ``error_months`` (month_reached − actual, in months; NaN when either
        is missing).
    """
    rows = []
    for w in program.waves if waves is None else waves:
        series = monthly_jobs(program, wave=w)
        target = target_for(program, w)["target"]
        if target is None or series.empty:
            continue
        jtd = series["jobs_to_date"].to_numpy()
        months = ordinals(series["month"])
        hit = np.flatnonzero(jtd >= target)
        actual = int(months[hit[0]]) if len(hit) else None
        last = int(months[-1])
        for m in months[jtd < target]:
            for method in methods:
                f = forecast(program, as_of=from_ordinal(int(m)), wave=w, method=method)
                mid, low, high = (
                    None if f[k] is None else ordinal(f[k])
                    for k in ("month_reached", "month_low", "month_high")
                )
                if actual is None:
                    inside = high is None or high > last
                else:
                    inside = low is not None and low <= actual and (high is None or actual <= high)
                rows.append(
                    {
                        "wave": int(w),
                        "as_of": from_ordinal(int(m)),
                        "method": method,
                        "achieved": int(f["achieved"]),
                        "target": int(target),
                        "month_reached": f["month_reached"],
                        "month_low": f["month_low"],
                        "month_high": f["month_high"],
                        "actual": None if actual is None else from_ordinal(actual),
                        "last_month": from_ordinal(last),
                        "inside": bool(inside),
                        "open_band": high is None,
                        "error_months": np.nan
                        if mid is None or actual is None
                        else float(mid - actual),
                    }
                )
    out = pd.DataFrame(rows)
    for c in ("as_of", "month_reached", "month_low", "month_high", "actual", "last_month"):
        if c in out:
            out[c] = pd.to_datetime(out[c])
    return out


def backtest_summary(results: pd.DataFrame) -> pd.DataFrame:
    """Return, per method, how often the band held the real month, and the mean error.

    Parameters
    ----------
    results : pandas.DataFrame
        Output of :func:`backtest` (possibly of several data sets concatenated).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``method``: ``months`` (forecasts made), ``inside_share`` (share of
        them whose band held the real month), ``open_bands`` (share without a latest
        month), ``mean_abs_error_months`` (mean of |error_months| where both months
        exist), ``mean_error_months`` (signed: negative = too early) and ``with_error``
        (forecasts counted in the errors).
    """
    g = results.groupby("method", sort=False)
    err = results.assign(abs_error=results["error_months"].abs()).groupby("method", sort=False)
    return pd.DataFrame(
        {
            "months": g.size(),
            "inside_share": g["inside"].mean(),
            "open_bands": g["open_band"].mean(),
            "mean_abs_error_months": err["abs_error"].mean(),
            "mean_error_months": g["error_months"].mean(),
            "with_error": g["error_months"].count(),
        }
    )
