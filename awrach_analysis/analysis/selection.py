"""The selection behind every indicator: projects, progress and people known at a month."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import config
from ..errors import AwrachError
from ..model import schema
from ..model.codes import LEVELS
from ..model.months import ordinal, ordinals, to_month
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
    "province": {
        "province_code": "province_code",
        "name_fr": "province_fr",
        "name_ar": "province_ar",
    },
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
# The month the data describe
# ---------------------------------------------------------------------------------------


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
        self.as_ord = ordinal(self.as_of)
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
            ("province_code", "province_code"),
            ("province_fr", "province_fr"),
            ("province_ar", "province_ar"),
        ):
            source = _obj(cm[col]) if col in cm else np.full(len(cm), pd.NA, dtype=object)
            p[out] = _take(source, c_idx)
        self.p = p
        self.n = len(order)
        self.index = pd.Index(p["project_id"])

    def _progress(self, program: Program) -> None:
        pr = program.progress
        g = self.index.get_indexer(pr["project_id"])
        m = ordinals(pr["month"])
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
            "m": ordinals(bn["start_date"])[keep],
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
            "releases": releases,
            "first": first,
        }
        return self._published

    def published_history(self, grid: np.ndarray) -> dict[str, np.ndarray]:
        """Return the published state of every project at the end of every month of ``grid``.

        The monthly form of :meth:`published` (the disclosure rule): ``people``, ``women``
        and ``youth`` as ``(projects, months)`` arrays of int, column ``j`` being what
        :meth:`published` gives for ``as_of`` = ``grid[j]``. Release decisions use only the
        data up to their month, so a past column never changes when months are added.
        """
        pub = self.published()
        releases, first = pub["releases"], pub["first"]
        b, pr = self.bn, self.pr
        out = {
            k: np.zeros((self.n, len(grid)), dtype="int64") for k in ("people", "women", "youth")
        }
        for j, month in enumerate(np.asarray(grid, dtype="int64")):
            col = int(month) - first
            if col < 0:
                continue
            last = releases[:, min(col, releases.shape[1] - 1)]
            bn_rows = b["m"] - first <= last[b["g"]]
            pr_rows = pr["m"] - first <= last[pr["g"]]
            for key, values in zip(
                ("people", "women", "youth"), self._people_facts(bn_rows, pr_rows), strict=True
            ):
                out[key][:, j] = values
        return out

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
