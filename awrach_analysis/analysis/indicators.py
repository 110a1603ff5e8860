"""Indicators of the programme: jobs, targets, breakdowns, schedule, inclusion, money."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from .. import config
from ..errors import AwrachError
from ..model import schema

# The codes live in the data model (i18n labels them); re-exported here for analysts.
from ..model.codes import (  # noqa: F401
    HEADLINE_INDICATORS,
    HEADLINE_UNITS,
    LEVELS,
    REASONS,
    SEVERITY,
)
from ..model.program import Program
from . import disclosure

# ---------------------------------------------------------------------------------------
# Constants of the definitions (kept here, next to the formulas that use them).
# ---------------------------------------------------------------------------------------

#: Working days in a month: one full-time-equivalent (FTE) job-month = 22 person-days.
FTE_DAYS_PER_MONTH = 22
#: A started project is "underfilled" when its peak jobs filled < 80 % of planned jobs.
UNDERFILL_THRESHOLD = 0.8
#: "Stalled": physical progress unchanged for this many consecutive reported months.
STALL_MONTHS = 2
#: "Late start": actual start at least this many months after the planned start month.
LATE_START_MONTHS = 1
#: Forecast pace: mean monthly increase of jobs to date over this many last months.
FORECAST_WINDOW_MONTHS = 3
#: Marks of suppressed cells: primary (the count is < threshold) and complementary
#: (hidden so that a primary cell cannot be recovered by subtraction; its value is >= 5).
SMALL_MARK = "<5"
COMPLEMENTARY_MARK = "x"

#: Extra levels accepted by :func:`inclusion` (attributes of people, not of projects).
PERSON_LEVELS = ("age_band", "education")

# Internal column of the enriched project table behind each output key column.
_SOURCE_COLUMN = {
    "commune": {"commune_code": "commune_code", "name_fr": "commune_fr", "name_ar": "commune_ar"},
    "cercle": {"cercle_code": "cercle_code", "name_fr": "cercle_fr", "name_ar": "cercle_ar"},
    "commune_type": {"commune_type": "commune_type"},
    "partner_type": {"partner_type": "partner_type"},
    "partner": {
        "partner_id": "partner_id",
        "name_fr": "partner_fr",
        "name_ar": "partner_ar",
        "partner_type": "partner_type",
    },
    "domain": {"domain": "domain"},
    "wave": {"wave": "wave"},
}
_VOCAB_OF_LEVEL = {
    "commune_type": "commune_type",
    "partner_type": "partner_type",
    "domain": "domain",
    "age_band": "age_band",
    "education": "education",
}


# ---------------------------------------------------------------------------------------
# Months
# ---------------------------------------------------------------------------------------

_MONTH_TEXT = re.compile(r"^\s*\d{4}-\d{1,2}(-\d{1,2})?([ T].*)?$")


def to_month(value: Any) -> pd.Timestamp:
    """Return the first day of the month of ``value``.

    Parameters
    ----------
    value : str, pandas.Timestamp, pandas.Period, datetime.date
        A month (``"2022-05"``) or any date in it.

    Returns
    -------
    pandas.Timestamp
        Midnight on the first day of that month.
    """
    if isinstance(value, pd.Period):
        return value.asfreq("M").to_timestamp()
    if isinstance(value, str) and not _MONTH_TEXT.match(value):
        raise ValueError(
            f"as_of {value!r} is not a month; write it as 'YYYY-MM' (for example '2022-06')."
        )
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"as_of {value!r} is not a month; write it as 'YYYY-MM' (for example '2022-06')."
        ) from exc
    if ts is pd.NaT:
        raise ValueError("as_of is missing; write it as 'YYYY-MM' or leave it out.")
    return pd.Timestamp(year=ts.year, month=ts.month, day=1)


def _ord1(ts: pd.Timestamp) -> int:
    return (ts.year - 1970) * 12 + ts.month - 1


def _month_of(ordinal: int) -> pd.Timestamp:
    return pd.Timestamp(year=1970 + ordinal // 12, month=ordinal % 12 + 1, day=1)


def _months(ordinals) -> pd.Series:
    idx = pd.PeriodIndex.from_ordinals(np.asarray(ordinals, dtype="int64"), freq="M")
    return pd.Series(idx.to_timestamp().astype("datetime64[ns]"))


def default_as_of(program: Program) -> pd.Timestamp:
    """Return the month the data describe: the last month with a progress row.

    Months after the current month (:func:`awrach_analysis.config.today`) are never
    chosen: validation quarantines such rows (``month_in_future``), and a table built
    without validation must not move every figure and the default report month to a
    typo such as 2031-09 either. Falls back to the latest planned start month (not after
    the current month either, when one is) when there is no usable progress month.

    Parameters
    ----------
    program : Program
        The data set.

    Returns
    -------
    pandas.Timestamp
        First day of that month.
    """
    now = to_month(config.today())
    months = program.progress["month"].dropna()
    months = months[months < now + pd.offsets.MonthBegin(1)]
    if len(months):
        return to_month(months.max())
    starts = program.projects["planned_start"].dropna()
    if len(starts):
        past = starts[starts < now + pd.offsets.MonthBegin(1)]
        return to_month(past.max() if len(past) else starts.min())
    raise AwrachError(
        "The data set has no progress row and no project: nothing to compute. "
        "Check that the progress and projects tables were loaded."
    )


# ---------------------------------------------------------------------------------------
# Selection: projects, progress and beneficiaries of a wave, known at as_of.
#
# Everything below works on numpy arrays indexed by the position of the project in the
# selection (``g``), aggregated with ``np.bincount`` and ``ufunc.at``: pandas' fixed cost
# per operation dominates on tables of this size.
# ---------------------------------------------------------------------------------------


def _obj(series: pd.Series) -> np.ndarray:
    """Return a text or category column as an object array, missing values as ``pd.NA``."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cats = np.append(np.asarray(dtype.categories, dtype=object), pd.NA)
        return cats[series.cat.codes.to_numpy()]  # code -1 (missing) takes the last: NA
    if isinstance(dtype, pd.StringDtype):
        return series.to_numpy(dtype=object, na_value=pd.NA)
    return series.astype("string").to_numpy(dtype=object, na_value=pd.NA)


def _num(series: pd.Series, fill: float = np.nan) -> np.ndarray:
    """Return a numeric column as float64, missing values as ``fill``."""
    try:
        out = series.to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError):
        out = pd.to_numeric(series).astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    if not np.isnan(fill):
        out = np.where(np.isnan(out), fill, out)
    return out


def _ords(series: pd.Series) -> np.ndarray:
    """Return month ordinals (months since 1970-01) of a datetime column; NaT gives -1."""
    values = series.to_numpy(dtype="datetime64[M]")
    out = values.astype("int64")
    out[np.isnat(values)] = -1
    return out


def _take(values: np.ndarray, idx: np.ndarray, fill=pd.NA) -> np.ndarray:
    """Return ``values[idx]`` with ``fill`` where ``idx`` is -1 (no match)."""
    out = np.empty(len(idx), dtype=object if values.dtype == object else values.dtype)
    ok = idx >= 0
    out[ok] = values[idx[ok]]
    if (~ok).any():
        if out.dtype != object:
            out = out.astype("float64") if out.dtype.kind in "iub" else out
            fill = np.nan if out.dtype.kind == "f" else np.datetime64("NaT")
        out[~ok] = fill
    return out


class _Selection:
    """Tables restricted to a wave and to what is known at the end of month ``as_of``.

    ``p`` holds one array per project column (sorted by ``project_id``); ``pr`` the progress
    rows of those projects up to ``as_of``, sorted by project then month, with ``g`` the
    project position; ``bn`` the beneficiaries who started by the end of ``as_of``.
    ``method`` tells how jobs to date are counted: ``beneficiaries`` (every project with
    jobs filled has beneficiary rows), ``peak_jobs_filled`` (the data set has no
    beneficiaries table) or ``mixed`` (some projects with jobs have no beneficiary row and
    count their peak monthly jobs filled, a lower bound).
    """

    def __init__(self, program: Program, wave: int | None, as_of: Any):
        self.program = program
        self._published: dict[str, Any] | None = None
        self.wave = None if wave is None else int(wave)
        self.as_of = default_as_of(program) if as_of is None else to_month(as_of)
        self.as_of_end = self.as_of + pd.offsets.MonthEnd(0)
        self.as_ord = _ord1(self.as_of)
        if self.wave is not None and self.wave not in program.waves:
            known = ", ".join(str(w) for w in program.waves) or "none"
            raise ValueError(f"wave {self.wave} is not in the data (waves: {known}).")
        self._projects(program)
        self._progress(program)
        self._beneficiaries(program)

    def _projects(self, program: Program) -> None:
        pj, ag = program.projects, program.agreements
        a_idx = pd.Index(ag["agreement_id"]).get_indexer(pj["agreement_id"])
        wave = _take(_num(ag["wave"]), a_idx)
        signed = _take(ag["signed_on"].to_numpy(dtype="datetime64[ns]"), a_idx)
        keep = ~(signed > np.datetime64(self.as_of_end.to_datetime64()))
        if self.wave is not None:
            keep &= wave == self.wave
        order = np.flatnonzero(keep)
        ids = _obj(pj["project_id"])
        order = order[np.argsort(ids[order].astype(str), kind="stable")]
        a_idx = a_idx[order]
        p: dict[str, np.ndarray] = {"project_id": ids[order]}
        for c in ("agreement_id", "title_fr", "title_ar", "domain", "commune_code"):
            p[c] = _obj(pj[c])[order]
        for c in ("planned_start", "planned_end"):
            p[c] = pj[c].to_numpy(dtype="datetime64[ns]")[order]
        p["planned_jobs"] = _num(pj["planned_jobs"], 0).astype("int64")[order]
        p["planned_person_months"] = _num(pj["planned_person_months"])[order]
        p["budget_mad"] = _num(pj["budget_mad"])[order]
        p["wave"] = wave[order]
        p["partner_id"] = _take(_obj(ag["partner_id"]), a_idx)
        partners = program.partners
        r_idx = pd.Index(partners["partner_id"]).get_indexer(pd.Index(p["partner_id"]))
        p["partner_fr"] = _take(_obj(partners["name_fr"]), r_idx)
        p["partner_ar"] = _take(_obj(partners["name_ar"]), r_idx)
        p["partner_type"] = _take(_obj(partners["partner_type"]), r_idx)
        cm = program.communes
        c_idx = pd.Index(cm["commune_code"].astype("string")).get_indexer(
            pd.Index(p["commune_code"])
        )
        for out, col in (
            ("commune_fr", "name_fr"),
            ("commune_ar", "name_ar"),
            ("commune_type", "commune_type"),
            ("cercle_code", "cercle_code"),
            ("cercle_fr", "cercle_fr"),
            ("cercle_ar", "cercle_ar"),
        ):
            source = _obj(cm[col]) if col in cm else np.full(len(cm), pd.NA, dtype=object)
            p[out] = _take(source, c_idx)
        self.p = p
        self.n = len(order)
        self.index = pd.Index(p["project_id"])

    def _progress(self, program: Program) -> None:
        pr = program.progress
        g = self.index.get_indexer(pr["project_id"])
        m = _ords(pr["month"])
        keep = (g >= 0) & (m <= self.as_ord) & (m >= 0)
        g, m = g[keep], m[keep]
        order = np.lexsort((m, g))
        self.pr = {
            "g": g[order],
            "m": m[order],
            "jobs": _num(pr["jobs_filled"], 0)[keep][order].astype("int64"),
            "women": _num(pr["women"], 0)[keep][order].astype("int64"),
            "youth": _num(pr["youth"], 0)[keep][order].astype("int64"),
            "person_days": _num(pr["person_days"], 0)[keep][order],
            "wages_paid_mad": _num(pr["wages_paid_mad"], 0)[keep][order],
            "pct": _num(pr["physical_progress_pct"])[keep][order],
            "status": _obj(pr["status"])[keep][order],
        }

    def _beneficiaries(self, program: Program) -> None:
        bn = program.beneficiaries
        g_all = self.index.get_indexer(bn["project_id"])
        self.with_people = np.zeros(self.n, dtype=bool)
        self.with_people[g_all[g_all >= 0]] = True
        start = bn["start_date"].to_numpy(dtype="datetime64[ns]")
        keep = (g_all >= 0) & (start <= np.datetime64(self.as_of_end.to_datetime64()))
        self.bn = {
            "g": g_all[keep],
            "m": _ords(bn["start_date"])[keep],
            "female": (_obj(bn["sex"])[keep] == "female").astype(bool),
            "young": np.isin(_obj(bn["age_band"])[keep].astype(str), schema.YOUNG_AGE_BANDS),
            "age_band": _obj(bn["age_band"])[keep],
            "education": _obj(bn["education"])[keep],
        }
        worked = np.zeros(self.n, dtype=bool)
        worked[self.pr["g"][self.pr["jobs"] > 0]] = True
        if len(bn) == 0:
            self.method = "peak_jobs_filled"
        elif (worked & ~self.with_people).any():
            self.method = "mixed"
        else:
            self.method = "beneficiaries"

    # -- per-project figures ----------------------------------------------------------

    def per_project_sum(self, column: str) -> np.ndarray:
        """Sum of a progress column per project (0 without report)."""
        sums = np.bincount(self.pr["g"], weights=self.pr[column], minlength=self.n)
        return sums.astype("float64")

    def peak(self) -> np.ndarray:
        """Highest monthly jobs filled per project (0 without report)."""
        out = np.zeros(self.n, dtype="int64")
        np.maximum.at(out, self.pr["g"], self.pr["jobs"])
        return out

    def _people_facts(
        self, bn_rows: np.ndarray | None = None, pr_rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return people, women and youth per project from the given rows (default: all).

        Projects with beneficiary rows count their contracts; the others count their peak
        jobs filled (the end of the running peak), with the women and youth of the first
        month at that peak.
        """
        b, pr, fallback = self.bn, self.pr, ~self.with_people
        bsel = np.ones(len(b["g"]), dtype=bool) if bn_rows is None else bn_rows
        psel = np.ones(len(pr["g"]), dtype=bool) if pr_rows is None else pr_rows
        g = b["g"][bsel]
        people = np.bincount(g, minlength=self.n)
        women = np.bincount(g, weights=b["female"][bsel], minlength=self.n)
        youth = np.bincount(g, weights=b["young"][bsel], minlength=self.n)
        pg, pm, jobs = pr["g"][psel], pr["m"][psel], pr["jobs"][psel]
        peak = np.zeros(self.n, dtype="int64")
        np.maximum.at(peak, pg, jobs)
        order = np.lexsort((pm, -jobs, pg))
        g_sorted = pg[order]
        first = order[np.r_[True, g_sorted[1:] != g_sorted[:-1]]] if len(order) else order
        at_peak_w = np.zeros(self.n)
        at_peak_y = np.zeros(self.n)
        at_peak_w[pg[first]] = pr["women"][psel][first]
        at_peak_y[pg[first]] = pr["youth"][psel][first]
        return (
            np.where(fallback, peak, people).astype("int64"),
            np.where(fallback, at_peak_w, women).astype("int64"),
            np.where(fallback, at_peak_y, youth).astype("int64"),
        )

    def published(self) -> dict[str, Any]:
        """Return what the disclosure rule lets out about people by sex and age.

        See :mod:`awrach_analysis.analysis.disclosure`: per project, the people, women and
        youth of its published state at ``as_of`` (``people``, ``women``, ``youth``); per
        beneficiary row of ``bn``, the grid month it enters the published state
        (``entry``, -1: never) with the grid length (``months``); and ``unpublished``,
        the people of the jobs to date not counted yet.
        """
        if self._published is not None:
            return self._published
        b, pr = self.bn, self.pr
        starts = np.concatenate([b["m"], pr["m"]])
        first = int(starts.min()) if len(starts) else self.as_ord
        months = max(self.as_ord - first + 1, 1)
        ben = np.zeros((self.n, months), dtype="int64")
        np.add.at(ben, (b["g"], b["m"] - first), 1)
        ben = ben.cumsum(axis=1)
        peak = np.zeros((self.n, months), dtype="int64")
        np.maximum.at(peak, (pr["g"], pr["m"] - first), pr["jobs"])
        peak = np.maximum.accumulate(peak, axis=1)
        history = np.where(self.with_people[:, None], ben, peak)
        releases = disclosure.release_index(history)
        last = releases[:, -1]
        bn_rows = b["m"] - first <= last[b["g"]]
        pr_rows = pr["m"] - first <= last[pr["g"]]
        people, women, youth = self._people_facts(bn_rows, pr_rows)
        self._published = {
            "people": people,
            "women": women,
            "youth": youth,
            "entry": disclosure.entry_month(releases, b["g"], b["m"] - first),
            "months": months,
            "unpublished": int(self._people_facts()[0].sum() - people.sum()),
        }
        return self._published

    def facts(self) -> dict[str, np.ndarray]:
        """Figures per project at ``as_of``: the base of every breakdown."""
        peak = self.peak()
        people, women, youth = self._people_facts()
        return {
            "peak_jobs_filled": peak,
            "jobs_to_date": people,
            "women": women,
            "youth": youth,
            "person_days": self.per_project_sum("person_days"),
            "wages_paid_mad": self.per_project_sum("wages_paid_mad"),
            "planned_jobs": self.p["planned_jobs"],
            "budget_mad": np.nan_to_num(self.p["budget_mad"]),
            "projects": np.ones(self.n, dtype="int64"),
        }

    def new_jobs(self) -> tuple[np.ndarray, np.ndarray]:
        """Return (month ordinals, new jobs) of every job increment.

        Projects with beneficiary rows: one per contract at its start month. Others: the
        increase of the running peak of monthly jobs filled.
        """
        _, months, counts = self.new_jobs_by_project()
        return months, counts

    def new_jobs_by_project(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (project positions, month ordinals, new jobs) of every job increment."""
        pr, b = self.pr, self.bn
        fb = ~self.with_people[pr["g"]]
        g, m, jobs = pr["g"][fb], pr["m"][fb], pr["jobs"][fb]
        big = int(jobs.max()) + 1 if len(jobs) else 1
        run = np.maximum.accumulate(jobs + g * big) - g * big if len(jobs) else jobs
        prev = np.r_[0, run[:-1]] if len(run) else run
        if len(run):
            prev[np.r_[True, g[1:] != g[:-1]]] = 0
        inc = run - prev
        projects = np.concatenate([b["g"], g[inc > 0]]).astype("int64")
        months = np.concatenate([b["m"], m[inc > 0]])
        counts = np.concatenate([np.ones(len(b["m"]), dtype="int64"), inc[inc > 0]])
        return projects, months, counts

    def month_grid(self) -> np.ndarray:
        """Month ordinals from the first to the last month with activity up to ``as_of``.

        Activity is a progress row or a contract start; empty when there is none.
        """
        new_m, _ = self.new_jobs()
        active = np.concatenate([self.pr["m"], new_m])
        if not len(active):
            return np.array([], dtype="int64")
        return np.arange(int(active.min()), int(active.max()) + 1, dtype="int64")


def _floats(x) -> np.ndarray:
    if isinstance(x, pd.Series | pd.Index):
        return x.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    return np.asarray(x, dtype="float64")


def _ratio(num, den):
    """Return num / den as float64 (array, or float for scalars), NaN where undefined."""
    num, den = _floats(num), _floats(den)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.divide(num, den)
    out = np.where(np.isfinite(out), out, np.nan)
    return float(out) if out.ndim == 0 else out


def _level_order(level: str, keys: np.ndarray) -> np.ndarray:
    """Positions sorting ``keys`` in vocabulary order (categories) or code order, NA last."""
    missing = np.array([k is pd.NA or k is None or k != k for k in keys], dtype=bool)
    vocab = _VOCAB_OF_LEVEL.get(level)
    if vocab:
        rank = {code: i for i, code in enumerate(schema.VOCABULARIES[vocab])}
        primary = np.array(
            [
                len(rank) + 1 if miss else rank.get(k, len(rank))
                for k, miss in zip(keys, missing, strict=True)
            ]
        )
    else:
        primary = missing.astype(int)
    text = np.array(["" if miss else str(k) for k, miss in zip(keys, missing, strict=True)])
    return np.lexsort((text, primary))


def _check_level(by: str, allowed) -> None:
    if by not in allowed:
        raise ValueError(f"by={by!r} is not a breakdown level; use one of: {', '.join(allowed)}.")


def _group_keys(sel: _Selection, by: str) -> tuple[np.ndarray, pd.DataFrame]:
    """Return the group of every project and the key columns of the groups.

    The groups are those of the selected projects (projects with an unknown key form
    one group), in code or vocabulary order; ``groups[i]`` is the row of project ``i``
    in the key frame.
    """
    _check_level(by, tuple(LEVELS))
    src = _SOURCE_COLUMN[by]
    key_col = LEVELS[by][0]
    keys = sel.p[src[key_col]]
    if by == "wave":
        keys = np.array([pd.NA if np.isnan(w) else int(w) for w in keys], dtype=object)
    codes, uniques = pd.factorize(keys, use_na_sentinel=False)
    first = np.full(len(uniques), len(codes))
    np.minimum.at(first, codes, np.arange(len(codes)))  # first project of each group
    out: dict[str, Any] = {}
    for col in LEVELS[by]:
        labels = np.asarray(uniques, dtype=object) if col == key_col else sel.p[src[col]][first]
        out[col] = labels
    frame = pd.DataFrame(out, columns=list(LEVELS[by]))
    order = _level_order(by, frame[key_col].to_numpy(dtype=object))
    rank = np.empty(len(order), dtype="int64")
    rank[order] = np.arange(len(order))
    frame = frame.iloc[order].reset_index(drop=True)
    for col in LEVELS[by]:
        frame[col] = frame[col].astype("Int64" if by == "wave" else "string")
    return rank[codes], frame


def _group(sel: _Selection, by: str, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Sum per-project ``values`` per level ``by`` (projects with an unknown key together)."""
    groups, frame = _group_keys(sel, by)
    for name, arr in values.items():
        sums = np.bincount(groups, weights=arr, minlength=len(frame))
        frame[name] = sums.astype(arr.dtype) if np.asarray(arr).dtype.kind in "iu" else sums
    return frame


# ---------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------


def target_for(program: Program, wave: int | None = None, scope: str = "province") -> dict:
    """Return the jobs target of the province (or the national target) and its period.

    Parameters
    ----------
    program : Program
        The data set.
    wave : int or None
        Wave of the province target; ``None`` sums the province's wave targets.
    scope : {"province", "national"}
        ``"national"`` returns the national target (250,000 jobs over 2022–2023).

    Returns
    -------
    dict
        ``target`` (jobs, or ``None`` when the targets table has none), ``period_start``,
        ``period_end`` (first day of the month, or ``None``), ``source`` (text).
    """
    t = program.targets
    if scope == "national":
        rows = t[(t["scope"].astype("string") == "national").fillna(False).astype(bool)]
    elif scope == "province":
        rows = t[
            (
                (t["scope"].astype("string") == "province")
                & (t["scope_code"].astype("string") == program.province_code)
                & t["wave"].notna()
            )
            .fillna(False)
            .astype(bool)
        ]
        if wave is not None:
            rows = rows[rows["wave"] == int(wave)]
    else:
        raise ValueError(f"scope={scope!r} is not supported; use 'province' or 'national'.")
    if rows.empty:
        return {"target": None, "period_start": None, "period_end": None, "source": ""}
    return {
        "target": int(rows["jobs_target"].sum()),
        "period_start": to_month(rows["period_start"].min()),
        "period_end": to_month(rows["period_end"].max()),
        "source": "; ".join(dict.fromkeys(rows["source"].astype(str))),
    }


# ---------------------------------------------------------------------------------------
# Monthly series and headline
# ---------------------------------------------------------------------------------------


def monthly_jobs(program: Program, wave: int | None = None, as_of: Any = None) -> pd.DataFrame:
    """Return the month-by-month jobs series with cumulative jobs and the target.

    Parameters
    ----------
    program : Program
        The data set.
    wave : int or None
        Wave to keep (``None``: all waves together; the ``wave`` column is then empty).
    as_of : str or pandas.Timestamp or None
        Last month taken into account (default: the last month with progress).

    Returns
    -------
    pandas.DataFrame
        One row per calendar month from the first to the last month with activity
        (progress row or contract start) up to ``as_of``, months without report included
        with zeros. Columns and units:

        - ``month`` (first day), ``wave``;
        - ``jobs_filled`` (jobs): sum of progress ``jobs_filled``, positions occupied;
        - ``women``, ``youth`` (jobs): of whom women, aged 15–34;
        - ``person_days`` (person-days) and ``fte`` = person_days / 22 (FTE jobs);
        - ``wages_paid_mad`` (MAD) in the month;
        - ``new_beneficiaries`` (people): contracts starting in the month;
        - ``jobs_to_date`` (jobs): contracts started by the end of the month (distinct
          beneficiary and project); for projects without beneficiary rows, the running
          peak of monthly jobs filled, a lower bound (see ``attrs["jobs_to_date_method"]``:
          ``beneficiaries``, ``peak_jobs_filled`` or ``mixed``);
        - ``target`` (jobs) from :func:`target_for`; ``pct_of_target`` (%) =
          100 · jobs_to_date / target; ``gap`` (jobs) = target − jobs_to_date (negative
          when exceeded);
        - ``change_jobs_to_date`` (jobs): difference with the previous month.
    """
    sel = _Selection(program, wave, as_of)
    pr = sel.pr
    new_m, new_n = sel.new_jobs()
    tgt = target_for(program, sel.wave)
    grid = sel.month_grid()
    first = int(grid[0]) if len(grid) else 0

    def per_month(months, weights):
        return np.bincount(months - first, weights=weights, minlength=len(grid)).astype(float)

    new = per_month(new_m, new_n).astype("int64")
    jobs_to_date = np.cumsum(new)
    target = np.nan if tgt["target"] is None else float(tgt["target"])
    out = pd.DataFrame(
        {
            "month": _months(grid),
            "wave": pd.array([sel.wave] * len(grid), dtype="Int64"),
            "jobs_filled": per_month(pr["m"], pr["jobs"]).astype("int64"),
            "women": per_month(pr["m"], pr["women"]).astype("int64"),
            "youth": per_month(pr["m"], pr["youth"]).astype("int64"),
            "person_days": per_month(pr["m"], pr["person_days"]),
        }
    )
    out["fte"] = out["person_days"] / FTE_DAYS_PER_MONTH
    out["wages_paid_mad"] = per_month(pr["m"], pr["wages_paid_mad"])
    out["new_beneficiaries"] = new
    out["jobs_to_date"] = jobs_to_date
    out["target"] = target
    out["pct_of_target"] = 100 * _ratio(jobs_to_date, target) if len(grid) else np.nan
    out["gap"] = target - jobs_to_date
    out["change_jobs_to_date"] = np.diff(jobs_to_date, prepend=0)
    out.attrs.update(jobs_to_date_method=sel.method, as_of=sel.as_of, target_source=tgt["source"])
    return out


def monthly_breakdown(
    program: Program, by: str, wave: int | None = None, as_of: Any = None
) -> pd.DataFrame:
    """Return the monthly jobs series of every group of a breakdown level.

    The long frame behind stacked monthly charts
    (:func:`awrach_analysis.figures.charts.jobs_by_month` takes it as it is).

    Parameters
    ----------
    program : Program
        The data set.
    by : {"commune", "cercle", "commune_type", "partner_type", "partner", "domain", "wave"}
        Level of the breakdown (as in :func:`breakdown`).
    wave : int or None
        Wave to keep (``None``: all).
    as_of : str or pandas.Timestamp or None
        Last month taken into account (default: the last month with progress).

    Returns
    -------
    pandas.DataFrame
        One row per month and group, sorted by month then group (code or vocabulary
        order): every month of :func:`monthly_jobs` (first to last month with activity up
        to ``as_of``) for every group holding a selected project, with zeros where the
        group has no report. Columns: ``month`` (first day), the key columns of the level
        (as in :func:`breakdown`), then, for the group in the month, ``jobs_filled``
        (jobs), ``women``, ``youth`` (jobs held by women, by people aged 15–34),
        ``person_days``, ``wages_paid_mad`` (MAD), ``new_beneficiaries`` (contracts
        starting) and ``jobs_to_date`` (cumulative, counted as in :func:`monthly_jobs`).
        For each month, every column sums over the groups to the :func:`monthly_jobs`
        figure of the same wave and ``as_of``.
    """
    sel = _Selection(program, wave, as_of)
    groups, keys = _group_keys(sel, by)
    grid = sel.month_grid()
    n_groups, n_months = len(keys), len(grid)
    first = int(grid[0]) if n_months else 0
    pr = sel.pr
    cell = groups[pr["g"]] * n_months + (pr["m"] - first)

    def per_cell(cells, weights) -> np.ndarray:
        sums = np.bincount(cells, weights=weights, minlength=n_groups * n_months)
        # groups x months -> months x groups, flattened month by month
        return sums.reshape(n_groups, n_months).T.ravel()

    new_g, new_m, new_n = sel.new_jobs_by_project()
    new = per_cell(groups[new_g] * n_months + (new_m - first), new_n).astype("int64")
    out = keys.iloc[np.tile(np.arange(n_groups), n_months)].reset_index(drop=True)
    out.insert(0, "month", _months(np.repeat(grid, n_groups)))
    for name, column in (("jobs_filled", "jobs"), ("women", "women"), ("youth", "youth")):
        out[name] = per_cell(cell, pr[column]).astype("int64")
    out["person_days"] = per_cell(cell, pr["person_days"])
    out["wages_paid_mad"] = per_cell(cell, pr["wages_paid_mad"])
    out["new_beneficiaries"] = new
    out["jobs_to_date"] = new.reshape(n_months, n_groups).cumsum(axis=0).ravel()
    out.attrs.update(jobs_to_date_method=sel.method, as_of=sel.as_of)
    return out


def _published_share(shown: dict[str, Any], part: str) -> float:
    """Share of ``part`` (women, youth) among the people of the published state.

    The one definition of the headline shares: the disclosure rule decides which people
    are counted (``_Selection.published``), as in :func:`inclusion`.
    """
    return float(_ratio(shown[part].sum(), shown["people"].sum()))


def _headline_values(program: Program, wave: int | None, as_of: pd.Timestamp) -> dict:
    sel = _Selection(program, wave, as_of)
    facts = sel.facts()
    shown = sel.published()
    ag = program.agreements
    known = ~(
        ag["signed_on"].to_numpy(dtype="datetime64[ns]")
        > np.datetime64(sel.as_of_end.to_datetime64())
    )
    if wave is not None:
        known &= _num(ag["wave"]) == int(wave)
    in_month = sel.pr["m"] == sel.as_ord
    jobs = _jobs_to_date(sel, facts)["jobs_to_date"]
    tgt = target_for(program, sel.wave)["target"]
    return {
        "agreements": float(pd.unique(_obj(ag["agreement_id"])[known]).size),
        "active_projects": float((sel.pr["jobs"][in_month] > 0).sum()),
        "jobs_filled_month": float(sel.pr["jobs"][in_month].sum()),
        "jobs_to_date": float(jobs),
        "target": np.nan if tgt is None else float(tgt),
        "pct_of_target": np.nan if not tgt else 100.0 * jobs / tgt,
        "women_share": _published_share(shown, "women"),
        "youth_share": _published_share(shown, "youth"),
        "wages_paid_mad": float(facts["wages_paid_mad"].sum()),
        "_method": sel.method,
    }


def _jobs_to_date(sel: _Selection, facts: dict[str, np.ndarray] | None = None) -> dict[str, Any]:
    facts = sel.facts() if facts is None else facts
    worked = facts["peak_jobs_filled"] > 0
    return {
        "jobs_to_date": int(facts["jobs_to_date"].sum()),
        "method": sel.method,
        "as_of": sel.as_of,
        "projects_with_jobs": int(worked.sum()),
        "projects_with_beneficiaries": int((worked & sel.with_people).sum()),
    }


def jobs_to_date(program: Program, wave: int | None = None, as_of: Any = None) -> dict[str, Any]:
    """Return the jobs filled to date: THE definition, used by the headline and ``summary``.

    Per project: the contracts (distinct beneficiary and project) that started by the end
    of ``as_of`` when the project has beneficiary rows; otherwise the peak monthly
    ``jobs_filled`` reported up to ``as_of`` (a lower bound: people replaced during a
    project are not seen). The figure is the sum over the selected projects, exactly the
    ``jobs_to_date`` of :func:`headline` and the last value of :func:`monthly_jobs`.

    Parameters
    ----------
    program : Program
        The data set.
    wave : int or None
        Wave to keep (``None``: all waves).
    as_of : str or pandas.Timestamp or None
        Month of the figure (default: :func:`default_as_of`).

    Returns
    -------
    dict
        ``jobs_to_date`` (int, jobs); ``method`` (``"beneficiaries"``,
        ``"peak_jobs_filled"`` or ``"mixed"``, see ``monthly_jobs``); ``as_of`` (first day
        of the month used); ``projects_with_jobs`` (projects with jobs filled reported up
        to ``as_of``) and ``projects_with_beneficiaries`` (of those, the ones with
        beneficiary rows): the coverage of the beneficiaries table.
    """
    return _jobs_to_date(_Selection(program, wave, as_of))


def headline(program: Program, as_of: Any = None, wave: int | None = None) -> pd.DataFrame:
    """Return the headline figures at ``as_of`` and one month earlier.

    Parameters
    ----------
    program : Program
        The data set.
    as_of : str or pandas.Timestamp or None
        Month of the figures (default: the last month with progress).
    wave : int or None
        Wave to keep (``None``: all).

    Returns
    -------
    pandas.DataFrame
        One row per indicator with ``indicator`` (code), ``value``, ``previous`` (the same
        figure at the end of the previous month), ``change`` = value − previous, ``unit``:

        - ``agreements`` (agreements): agreements signed by the end of the month;
        - ``active_projects`` (projects): projects with jobs_filled > 0 in the month;
        - ``jobs_filled_month`` (jobs): positions occupied in the month;
        - ``jobs_to_date`` (jobs): see :func:`monthly_jobs`;
        - ``target`` (jobs): see :func:`target_for`;
        - ``pct_of_target`` (%): 100 · jobs_to_date / target;
        - ``women_share``, ``youth_share`` (share, 0–1): women, people aged 15–34 among
          the jobs to date;
        - ``wages_paid_mad`` (MAD): wages paid from the start up to the end of the month.
    """
    sel_as_of = default_as_of(program) if as_of is None else to_month(as_of)
    now = _headline_values(program, wave, sel_as_of)
    before = _headline_values(program, wave, sel_as_of - pd.DateOffset(months=1))
    method = now.pop("_method")
    before.pop("_method")
    out = pd.DataFrame(
        {
            "indicator": pd.array(list(now), dtype="string"),
            "value": [now[k] for k in now],
            "previous": [before[k] for k in now],
            "unit": pd.array([HEADLINE_UNITS[k] for k in now], dtype="string"),
        }
    )
    out.insert(3, "change", out["value"] - out["previous"])
    out.attrs.update(as_of=sel_as_of, jobs_to_date_method=method)
    return out


def other_readings(program: Program, as_of: Any = None, wave: int | None = None) -> dict:
    """Return the second reading of the headline figures that a reader could misread.

    Parameters
    ----------
    program : Program
        The data set.
    as_of : str or pandas.Timestamp or None
        Month of the figures (default: the last month with progress).
    wave : int or None
        Wave to keep (``None``: all).

    Returns
    -------
    dict
        - ``contracts_started`` (contracts): jobs to date as :func:`headline` counts
          them, replacements and second teams included;
        - ``peak_positions`` (positions): sum over projects of the highest monthly jobs
          filled, the positions opened (replacements not counted again);
        - ``women_share_hired`` (share): women among everyone hired since the wave
          began, as published under the disclosure rule (the headline ``women_share``);
        - ``women_share_month`` (share): women among the jobs filled in the month, from
          the monthly reports (NaN when no job is filled);
        - ``active_projects`` (projects): projects with jobs filled in the month, from
          the reports received;
        - ``projects_without_report`` (projects): projects expected to report in the
          month (active span as in :func:`reporting_grid`: first report to ``as_of``
          while the last report says ongoing) that sent no report for it; they are not
          counted in ``active_projects``, so a missing report is not a fall;
        - ``fill_rate`` (share): peak positions / planned jobs of the projects.
    """
    sel = _Selection(program, wave, as_of)
    facts = sel.facts()
    a = _schedule_arrays(sel)
    pr = sel.pr
    in_month = pr["m"] == sel.as_ord
    reported = np.zeros(sel.n, dtype=bool)
    reported[pr["g"][in_month]] = True
    expected = a["has"] & (a["first"] <= sel.as_ord) & (a["span_end"] >= sel.as_ord)
    jobs = int(facts["jobs_to_date"].sum())
    filled = int(pr["jobs"][in_month].sum())
    return {
        "contracts_started": jobs,
        "peak_positions": int(facts["peak_jobs_filled"].sum()),
        "women_share_hired": _published_share(sel.published(), "women"),
        "women_share_month": float(_ratio(pr["women"][in_month].sum(), filled)),
        "active_projects": int((pr["jobs"][in_month] > 0).sum()),
        "projects_without_report": int((expected & ~reported).sum()),
        "fill_rate": float(_ratio(facts["peak_jobs_filled"].sum(), facts["planned_jobs"].sum())),
    }


def headline_by_wave(program: Program, as_of: Any = None) -> pd.DataFrame:
    """Return the headline figures at ``as_of`` for every wave and for all waves together.

    Parameters
    ----------
    program : Program
        The data set.
    as_of : str or pandas.Timestamp or None
        Month of the figures (default: the last month with progress).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``indicator`` (the codes of :func:`headline`, in its order), one column
        per wave of the data (``wave``, Int64) then a last column for all waves together
        (missing wave; its target is the sum of the wave targets). Values are the
        ``value`` column of :func:`headline`; ``attrs["units"]`` maps each indicator to its
        unit.
    """
    sel_as_of = default_as_of(program) if as_of is None else to_month(as_of)
    waves = [*program.waves, None]
    frames = [headline(program, as_of=sel_as_of, wave=w).set_index("indicator") for w in waves]
    out = pd.concat([f["value"] for f in frames], axis=1)
    out.columns = pd.Index(waves, dtype="Int64", name="wave")
    out.attrs.update(as_of=sel_as_of, units=frames[-1]["unit"].to_dict())
    return out


# ---------------------------------------------------------------------------------------
# Breakdowns and communes
# ---------------------------------------------------------------------------------------

_BREAKDOWN_SUMS = (
    "projects",
    "planned_jobs",
    "jobs_to_date",
    "women",
    "youth",
    "person_days",
    "wages_paid_mad",
    "peak_jobs_filled",
)


def breakdown(
    program: Program, by: str, as_of: Any = None, wave: int | None = None
) -> pd.DataFrame:
    """Return the jobs figures per commune, cercle, commune type, partner, domain or wave.

    Parameters
    ----------
    program : Program
        The data set.
    by : {"commune", "cercle", "commune_type", "partner_type", "partner", "domain", "wave"}
        Level of the breakdown.
    as_of : str or pandas.Timestamp or None
        Last month taken into account (default: the last month with progress).
    wave : int or None
        Wave to keep (``None``: all).

    Returns
    -------
    pandas.DataFrame
        One row per group holding at least one project (projects whose key is unknown,
        for example a commune missing from the reference table or the urban
        municipalities, which belong to no cercle, form a group with an empty key), in
        code or vocabulary order. Key columns: ``commune_code``/``cercle_code``/
        ``partner_id`` with ``name_fr``, ``name_ar`` (and ``partner_type`` for partners),
        or the code alone. Then ``projects``, ``planned_jobs`` (jobs), ``jobs_to_date``
        (jobs), ``women``, ``youth`` (people among jobs_to_date), ``person_days``,
        ``wages_paid_mad`` (MAD), ``peak_jobs_filled`` (jobs: sum over projects of the
        highest monthly jobs filled) and ``fill_rate`` (share) = peak_jobs_filled /
        planned_jobs. Every sum adds up to the province figure. Counts are not suppressed:
        pass the frame through :func:`suppress_small` before publishing it.
    """
    sel = _Selection(program, wave, as_of)
    facts = sel.facts()
    out = _group(sel, by, {c: facts[c] for c in _BREAKDOWN_SUMS})
    out["fill_rate"] = _ratio(out["peak_jobs_filled"], out["planned_jobs"])
    out.attrs.update(jobs_to_date_method=sel.method, as_of=sel.as_of)
    return out


def commune_context(program: Program, as_of: Any = None, wave: int | None = None) -> pd.DataFrame:
    """Return every commune of the province with its jobs and its census context.

    Parameters
    ----------
    program : Program
        The data set.
    as_of : str or pandas.Timestamp or None
        Last month taken into account (default: the last month with progress).
    wave : int or None
        Wave to keep (``None``: all).

    Returns
    -------
    pandas.DataFrame
        One row per commune of ``program.communes`` (zeros where there is no project), in
        code order: ``commune_code``, ``name_fr``, ``name_ar``, ``cercle_code``,
        ``commune_type``, ``population_2024``, ``active_2024``, ``unemployed_2024``
        (people), ``unemployment_rate_2024`` (%), ``projects``, ``planned_jobs``, ``jobs_to_date``
        (jobs), ``share_of_planned_jobs`` (share) = jobs_to_date / planned_jobs of the
        commune (not the province's share of its published target),
        ``jobs_per_1000_unemployed`` = 1000 · jobs_to_date / unemployed_2024,
        ``jobs_per_1000_inhabitants`` = 1000 · jobs_to_date / population_2024,
        ``share_of_jobs`` (share) = jobs_to_date / sum over the communes,
        ``share_of_unemployed`` (share) = unemployed_2024 / sum over the communes,
        ``equity_ratio`` = share_of_jobs / share_of_unemployed (1 = jobs in proportion
        to unemployment; above 1, more than its share), ``has_boundary``.
        Ratios are NaN when the denominator is missing or zero. Projects whose commune
        is not in ``program.communes`` are left out; ``attrs["jobs_outside_communes"]``
        counts their jobs to date. The province's rate: :func:`unemployment_rate`.
    """
    sel = _Selection(program, wave, as_of)
    facts = sel.facts()
    cm = program.communes
    codes = _obj(cm["commune_code"])
    order = np.argsort(codes.astype(str), kind="stable")
    codes = codes[order]
    idx = pd.Index(codes).get_indexer(pd.Index(sel.p["commune_code"]))
    ok = idx >= 0

    def per_commune(values):
        return np.bincount(idx[ok], weights=values[ok], minlength=len(codes)).astype("int64")

    def column(name, numeric=False):
        if name not in cm:
            return np.full(
                len(codes), np.nan if numeric else pd.NA, dtype=None if numeric else object
            )
        return (_num(cm[name]) if numeric else _obj(cm[name]))[order]

    out = pd.DataFrame(
        {
            c: pd.array(column(c), dtype="string")
            for c in ("commune_code", "name_fr", "name_ar", "cercle_code", "commune_type")
        }
    )
    for c in ("population_2024", "active_2024", "unemployed_2024", "unemployment_rate_2024"):
        out[c] = column(c, numeric=True)
    out["projects"] = per_commune(facts["projects"])
    out["planned_jobs"] = per_commune(facts["planned_jobs"])
    jobs = per_commune(facts["jobs_to_date"])
    out["jobs_to_date"] = jobs
    out["share_of_planned_jobs"] = _ratio(jobs, out["planned_jobs"].to_numpy())
    unemployed = out["unemployed_2024"].to_numpy()
    out["jobs_per_1000_unemployed"] = 1000 * _ratio(jobs, unemployed)
    out["jobs_per_1000_inhabitants"] = 1000 * _ratio(jobs, out["population_2024"].to_numpy())
    out["share_of_jobs"] = _ratio(jobs, np.full(len(jobs), jobs.sum()))
    out["share_of_unemployed"] = _ratio(unemployed, np.full(len(jobs), np.nansum(unemployed)))
    out["equity_ratio"] = _ratio(
        out["share_of_jobs"].to_numpy(), out["share_of_unemployed"].to_numpy()
    )
    has = (
        cm["has_boundary"].astype("boolean").fillna(False).to_numpy(dtype=bool)[order]
        if "has_boundary" in cm
        else np.zeros(len(codes), dtype=bool)
    )
    out["has_boundary"] = has
    out.attrs.update(
        jobs_to_date_method=sel.method,
        as_of=sel.as_of,
        jobs_outside_communes=int(facts["jobs_to_date"][~ok].sum()),
    )
    return out


def unemployment_rate(context_df: pd.DataFrame) -> float:
    """Return the unemployment rate (%) of a set of communes: the province's on every row.

    Parameters
    ----------
    context_df : pandas.DataFrame
        Communes with ``unemployed_2024`` and ``active_2024`` (as :func:`commune_context`).

    Returns
    -------
    float
        100 · sum of unemployed / sum of the active population, over the communes where
        both are known (the census definition, not a mean of the commune rates); NaN
        when none is.
    """
    if "active_2024" not in context_df or "unemployed_2024" not in context_df:
        return float("nan")
    unemployed = _floats(context_df["unemployed_2024"])
    active = _floats(context_df["active_2024"])
    ok = ~np.isnan(unemployed) & ~np.isnan(active)
    return float(100 * _ratio(unemployed[ok].sum(), active[ok].sum())) if ok.any() else np.nan


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
    as_ord = _ord1(as_of_m)
    window = np.arange(as_ord - FORECAST_WINDOW_MONTHS, as_ord + 1)
    # Jobs to date on a calendar running to as_of (0 before the first job, then carried).
    s_ord = _ords(series["month"])
    values = series["jobs_to_date"].to_numpy(dtype="int64")
    calendar = np.arange(min([*s_ord[:1], window[0]]), as_ord + 1)
    pos = np.searchsorted(s_ord, calendar, side="right") - 1
    jtd = pd.Series(
        np.where(pos >= 0, values[np.clip(pos, 0, None)] if len(values) else 0, 0), index=calendar
    )
    if scope == "national" and tgt["period_end"] is not None:
        achieved = int(jtd[jtd.index <= min(as_ord, _ord1(tgt["period_end"]))].iloc[-1])
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
        month = _month_of(reached)
        result.update(month_reached=month, month_low=month, month_high=month, reachable=True)
        return result

    def when(rate: float) -> pd.Timestamp | None:
        return _month_of(as_ord + math.ceil(remaining / rate)) if rate > 0 else None

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
    ps = np.where(np.isnat(p["planned_start"]), -1, _ords(pd.Series(p["planned_start"])))
    pe = np.where(np.isnat(p["planned_end"]), -1, _ords(pd.Series(p["planned_end"])))
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
    signed = _ords(pd.Series(_signed_on(program, sel)))
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
    path_months = [_month_of(as_ord + k) for k in range(horizon + 1)]
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
        return _month_of(as_ord + int(hit[0])) if len(hit) else None

    def pace(values: np.ndarray) -> float:
        hit = np.flatnonzero(values >= target - 1e-9)
        stop = int(hit[0]) if len(hit) else None
        if stop is None and tgt["period_end"] is not None:
            stop = max(_ord1(tgt["period_end"]) - as_ord, 1)
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
        months = _ords(series["month"])
        hit = np.flatnonzero(jtd >= target)
        actual = int(months[hit[0]]) if len(hit) else None
        last = int(months[-1])
        for m in months[jtd < target]:
            for method in methods:
                f = forecast(program, as_of=_month_of(int(m)), wave=w, method=method)
                mid, low, high = (
                    None if f[k] is None else _ord1(f[k])
                    for k in ("month_reached", "month_low", "month_high")
                )
                if actual is None:
                    inside = high is None or high > last
                else:
                    inside = low is not None and low <= actual and (high is None or actual <= high)
                rows.append(
                    {
                        "wave": int(w),
                        "as_of": _month_of(int(m)),
                        "method": method,
                        "achieved": int(f["achieved"]),
                        "target": int(target),
                        "month_reached": f["month_reached"],
                        "month_low": f["month_low"],
                        "month_high": f["month_high"],
                        "actual": None if actual is None else _month_of(actual),
                        "last_month": _month_of(last),
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


# ---------------------------------------------------------------------------------------
# Inclusion and small-count suppression
# ---------------------------------------------------------------------------------------


def _pinned(values, hidden, primary, detail, total_idx, threshold) -> bool:
    """Tell whether the shown total pins a hidden cell of one column to a single value.

    Someone who sees the total and the shown cells knows the sum ``S`` of the hidden
    detail cells, that a ``"<5"`` cell lies in [0, threshold − 1] and an ``"x"`` cell in
    [threshold, S]. A cell is recovered when those bounds leave it one value (an ``"x"``
    cell may hide a small complement, such as the men of a row).
    """
    if hidden[total_idx]:
        return False
    hid = np.flatnonzero(detail & hidden)
    if len(hid) == 0:
        return False
    s = int(values[total_idx] - values[detail & ~hidden].sum())
    lo = np.where(primary[hid], 0, threshold)
    hi = np.where(primary[hid], threshold - 1, max(s, threshold))
    for k in range(len(hid)):
        lower = max(lo[k], s - (hi.sum() - hi[k]))
        upper = min(hi[k], s - (lo.sum() - lo[k]))
        if lower >= upper:
            return True
    return False


def suppress_small(
    df: pd.DataFrame,
    count_columns: list[str] | tuple[str, ...],
    threshold: int = config.SMALL_COUNT_THRESHOLD,
    *,
    total_column: str = "is_total",
    complements: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Return a copy of ``df`` safe to publish: no count of people below ``threshold``.

    Primary suppression: every cell of ``count_columns`` below ``threshold`` (0 included)
    shows ``"<5"`` (:data:`SMALL_MARK`). Complementary suppression, repeated until
    nothing changes, so that no small cell can be recovered by subtraction:

    - column rule: when the frame has a total row (``df[total_column]`` True) that is
      shown, the total and the shown cells of a column must not pin a hidden cell to a
      single value (one hidden cell alone, or two hidden zeros, would be): the smallest
      shown detail cell is hidden too, or the total when no detail cell is left;
    - row rule (``complements``, ``{part: whole}``, e.g. ``{"women": "people"}``): when
      whole − part (the men, here) is below ``threshold`` while both are shown, the part
      is hidden; when that leaves the part's only possible value ``threshold`` (whole
      equals ``threshold``), the whole is hidden too.

    Complementary cells show ``"x"`` (:data:`COMPLEMENTARY_MARK`): their value is at
    least ``threshold``. Shown values are unchanged, so the total row stays the sum of
    the original detail rows. The check is made column by column and row by row, not
    jointly across the whole table.

    Parameters
    ----------
    df : pandas.DataFrame
        Counts of people, one row per group, optionally with one total row.
    count_columns : list of str
        Columns holding counts of people.
    threshold : int
        Smallest count that may be shown (``config.SMALL_COUNT_THRESHOLD``, 5).
    total_column : str
        Boolean column marking the total row, if any.
    complements : dict or None
        Hidden complements to protect, as ``{part: whole}``; both must be count columns.

    Returns
    -------
    pandas.DataFrame
        Same rows and columns; ``count_columns`` are of object dtype holding ints or marks.
        ``attrs["suppressed"]`` is a boolean frame (``count_columns``) of the hidden cells.
    """
    cols = list(count_columns)
    complements = dict(complements or {})
    missing = [c for c in [*cols, *complements, *complements.values()] if c not in cols]
    if missing or any(c not in df for c in cols):
        absent = [c for c in [*cols, *missing] if c not in df or c in missing]
        raise KeyError(
            f"suppress_small: {', '.join(map(repr, absent))} must be count columns of the frame"
        )
    raw = np.column_stack([_num(df[c]) for c in cols]).reshape(len(df), len(cols))
    if np.isnan(raw).any() or (raw < 0).any() or (raw != np.round(raw)).any():
        raise ValueError("suppress_small: counts must be whole numbers >= 0, without gaps.")
    values = raw.astype("int64")
    is_total = (
        df[total_column].fillna(False).astype(bool).to_numpy()
        if total_column in df
        else np.zeros(len(df), dtype=bool)
    )
    if is_total.sum() > 1:
        raise ValueError("suppress_small: the frame has more than one total row.")
    detail = ~is_total
    total_idx = int(np.flatnonzero(is_total)[0]) if is_total.any() else None
    primary = values < threshold
    hidden = primary.copy()
    pos = {c: i for i, c in enumerate(cols)}
    changed = True
    while changed:
        changed = False
        for part, whole in complements.items():
            a, b = pos[part], pos[whole]
            small_rest = (values[:, b] - values[:, a]) < threshold
            risky = small_rest & ~hidden[:, a] & ~hidden[:, b]
            pinned = (
                small_rest
                & hidden[:, a]
                & ~primary[:, a]
                & ~hidden[:, b]
                & (values[:, b] <= threshold)
            )
            if risky.any() or pinned.any():
                hidden[risky, a] = True
                hidden[pinned, b] = True
                changed = True
        if total_idx is None:
            continue
        for j in range(len(cols)):
            while _pinned(values[:, j], hidden[:, j], primary[:, j], detail, total_idx, threshold):
                shown = np.flatnonzero(detail & ~hidden[:, j])
                # The smallest shown detail cell (first one on ties), else the total.
                pick = shown[np.argmin(values[shown, j])] if len(shown) else total_idx
                hidden[pick, j] = True
                changed = True
    out = df.copy()
    for j, c in enumerate(cols):
        col = pd.Series(values[:, j], index=df.index, dtype=object)
        col[hidden[:, j] & ~primary[:, j]] = COMPLEMENTARY_MARK
        col[primary[:, j]] = SMALL_MARK
        out[c] = col
    out.attrs["suppressed"] = pd.DataFrame(hidden, index=df.index, columns=cols)
    return out


def _people_table(sel: _Selection, by: str | None, *, protect: bool = True) -> pd.DataFrame:
    """Return people, women and youth per group (unsuppressed).

    The one function every count of people by sex or age goes through: with ``protect``
    (always, outside tests) it counts the published state of the disclosure rule
    (:mod:`awrach_analysis.analysis.disclosure`), not the people known at ``as_of``.
    """
    pub = sel.published()
    if protect:
        values = {"people": pub["people"], "women": pub["women"], "youth": pub["youth"]}
    else:
        facts = sel.facts()
        values = {"people": facts["jobs_to_date"], "women": facts["women"], "youth": facts["youth"]}
    if by is None:
        return pd.DataFrame({name: [int(v.sum())] for name, v in values.items()})
    if by in LEVELS:
        return _group(sel, by, values)
    if sel.method != "beneficiaries":
        raise ValueError(
            f"by={by!r} needs the beneficiaries table for every project; this data set "
            f"counts jobs with method {sel.method!r}. Use a project level instead."
        )
    b = sel.bn
    codes, uniques = pd.factorize(b[by], use_na_sentinel=False)
    k = len(uniques)
    keep = np.ones(len(codes), dtype=bool)
    if protect:  # the whole table moves to a month where every group changed by 0 or >= 5
        at = disclosure.table_index(codes, pub["entry"], pub["months"])[-1]
        keep = (pub["entry"] >= 0) & (pub["entry"] <= at)
    frame = pd.DataFrame(
        {
            by: pd.array(np.asarray(uniques, dtype=object), dtype="string"),
            "people": np.bincount(codes[keep], minlength=k).astype("int64"),
            "women": np.bincount(codes[keep], weights=b["female"][keep], minlength=k).astype(
                "int64"
            ),
            "youth": np.bincount(codes[keep], weights=b["young"][keep], minlength=k).astype(
                "int64"
            ),
        }
    )
    order = _level_order(by, frame[by].to_numpy(dtype=object, na_value=pd.NA))
    return frame.iloc[order].reset_index(drop=True)


def inclusion(
    program: Program, by: str | None = None, as_of: Any = None, wave: int | None = None
) -> pd.DataFrame:
    """Return people, women and youth per group, with small counts suppressed.

    Parameters
    ----------
    program : Program
        The data set.
    by : str or None
        A level of :func:`breakdown`, ``"age_band"`` or ``"education"``; ``None`` gives one
        province row.
    as_of : str or pandas.Timestamp or None
        Last month taken into account (default: the last month with progress).
    wave : int or None
        Wave to keep (``None``: all).

    Returns
    -------
    pandas.DataFrame
        Group columns, then ``people`` (contracts of the *published state* at ``as_of``;
        a person hired on two sites counts in each), ``women``, ``youth`` (aged 15–34),
        ``women_share`` = women / people and ``youth_share`` = youth / people (shares,
        0–1), ``is_total``. With ``by``, a last total row (``is_total`` True, empty keys)
        holds the province figures. Counts pass through :func:`suppress_small` (``"<5"``
        below 5, ``"x"`` hidden to protect another cell, men protected through
        ``people``); a share is NaN when its count or ``people`` is hidden.
        ``attrs["unpublished"]``: people of the jobs to date not counted yet.

    Notes
    -----
    The counts follow the disclosure rule (:mod:`awrach_analysis.analysis.disclosure`,
    PRIVACY.md): a project's people enter them in batches of at least 5, and a table by
    age band or education moves only when each of its groups changed by 0 or at least 5
    people, so that subtracting two reports or two tables never isolates fewer than 5
    people. ``people`` can therefore lag behind :func:`jobs_to_date`.
    """
    sel = _Selection(program, wave, as_of)
    if by is not None:
        _check_level(by, (*LEVELS, *PERSON_LEVELS))
    table = _people_table(sel, by)
    if by is None:
        table["is_total"] = True
    else:
        total = {c: [pd.NA] for c in table.columns if c not in ("people", "women", "youth")}
        total.update({c: [int(table[c].sum())] for c in ("people", "women", "youth")})
        table["is_total"] = False
        total_row = (
            pd.DataFrame(total)
            .assign(is_total=True)
            .astype(
                {c: table[c].dtype for c in table.columns if c not in ("people", "women", "youth")}
            )
        )
        table = pd.concat([table, total_row], ignore_index=True)
    counts = ["people", "women", "youth"]
    raw = table[counts].astype("int64")
    out = suppress_small(table, counts, complements={"women": "people", "youth": "people"})
    hidden = out.attrs["suppressed"]
    for part in ("women", "youth"):
        share = _ratio(raw[part], raw["people"])
        share[(hidden[part] | hidden["people"]).to_numpy()] = np.nan
        out[f"{part}_share"] = share
    order = [c for c in out.columns if c not in ("women_share", "youth_share", "is_total")]
    out = out[[*order, "women_share", "youth_share", "is_total"]]
    out.attrs.update(
        jobs_to_date_method=sel.method,
        as_of=sel.as_of,
        suppressed=hidden,
        unpublished=sel.published()["unpublished"],
    )
    return out


# ---------------------------------------------------------------------------------------
# Money and reporting
# ---------------------------------------------------------------------------------------


def money(
    program: Program, by: str | None = None, as_of: Any = None, wave: int | None = None
) -> pd.DataFrame:
    """Return budgets, wages paid and unit costs, for the province or per group.

    Parameters
    ----------
    program : Program
        The data set.
    by : str or None
        A level of :func:`breakdown`, or ``None`` for one province row.
    as_of : str or pandas.Timestamp or None
        Last month taken into account (default: the last month with progress).
    wave : int or None
        Wave to keep (``None``: all).

    Returns
    -------
    pandas.DataFrame
        Group columns, then ``budget_mad`` (MAD, sum of project budgets, empty budgets
        count as 0), ``wages_paid_mad`` (MAD, paid up to ``as_of``), ``jobs_to_date``
        (jobs), ``person_months`` = person_days / 22 (FTE months), ``cost_per_job`` =
        wages_paid_mad / jobs_to_date (MAD per job) and ``cost_per_person_month`` =
        wages_paid_mad / person_months (MAD per FTE month). Unit costs are wages only:
        no published figure gives supervision or material costs.
    """
    sel = _Selection(program, wave, as_of)
    facts = sel.facts()
    sums = {c: facts[c] for c in ("budget_mad", "wages_paid_mad", "jobs_to_date", "person_days")}
    if by is None:
        out = pd.DataFrame({name: [v.sum()] for name, v in sums.items()})
    else:
        out = _group(sel, by, sums)
    out["person_months"] = out.pop("person_days") / FTE_DAYS_PER_MONTH
    out["cost_per_job"] = _ratio(out["wages_paid_mad"], out["jobs_to_date"])
    out["cost_per_person_month"] = _ratio(out["wages_paid_mad"], out["person_months"])
    out["jobs_to_date"] = out["jobs_to_date"].astype("int64")
    out.attrs.update(jobs_to_date_method=sel.method, as_of=sel.as_of)
    return out


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
            "month": _months(np.tile(grid, n_groups)),
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
