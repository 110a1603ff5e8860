"""Jobs month by month, the headline figures, their other readings and the targets."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..model.codes import HEADLINE_UNITS
from ..model.months import from_ordinals, to_month
from ..model.program import Program
from .schedule import _schedule_arrays
from .selection import (
    FTE_DAYS_PER_MONTH,
    _group_keys,
    _num,
    _obj,
    _ratio,
    _Selection,
    default_as_of,
)

# ---------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------


def target_for(program: Program, wave: int | None = None, scope: str = "province") -> dict:
    """Return the jobs target of the province (or the national target) and its period.

    ``scope="province"`` means the data set's own scope: a province's targets; for a
    regional data set the region's own rows, else the sum of its provinces' targets when
    every province has one (a partial sum is no target); for a national data set the
    national rows of each wave.

    Parameters
    ----------
    program : Program
        The data set.
    wave : int or None
        Wave of the target; ``None`` sums the wave targets.
    scope : {"province", "national"}
        ``"national"`` returns the national target: the wave's own when the targets table
        has one (2022: 125,000 jobs), else the target spanning the waves (250,000 jobs
        over 2022–2023). Overlapping national targets are never added up.

    Returns
    -------
    dict
        ``target`` (jobs, or ``None`` when the targets table has none), ``period_start``,
        ``period_end`` (first day of the month, or ``None``), ``source`` (text).
    """
    t = program.targets
    if scope == "national":
        rows = t[(t["scope"].astype("string") == "national").fillna(False).astype(bool)]
        # one target, never a sum of overlapping ones: the wave's own (2022: 125,000) when
        # asked and published, else the one spanning the waves (250,000 over 2022–2023)
        of_wave = rows["wave"] == wave if wave is not None else None
        if of_wave is not None and of_wave.fillna(False).any():
            rows = rows[of_wave.fillna(False).astype(bool)]
        elif rows["wave"].isna().any():
            rows = rows[rows["wave"].isna()]
    elif scope == "province":
        rows = _wave_rows(t, program.province_code, wave)
        if rows.empty and program.scope_level == "region":
            rows = _provinces_rows(t, program.province_code, wave)
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


def _wave_rows(t: pd.DataFrame, code: str, wave: int | None) -> pd.DataFrame:
    """Rows of the wave targets of one scope code (of ``wave``, or every wave)."""
    rows = t[((t["scope_code"].astype("string") == code) & t["wave"].notna()).fillna(False)]
    if wave is not None:
        rows = rows[rows["wave"] == int(wave)]
    return rows


def _provinces_rows(t: pd.DataFrame, region: str, wave: int | None) -> pd.DataFrame:
    """Wave targets of every province of ``region``; none unless each province has some."""
    from ..reference.scopes import scope_provinces

    codes = scope_provinces(region)["code"].astype(str)
    parts = [_wave_rows(t, code, wave) for code in codes]
    if not parts or any(part.empty for part in parts):
        return t[:0]
    return pd.concat(parts)


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
        - ``people_published`` (people): the people of the jobs to date counted in the
          sex/age figures at the end of the month, the published state of the disclosure
          rule (:mod:`awrach_analysis.analysis.disclosure`; people join it in batches of at
          least 5 per project, so it trails ``jobs_to_date``);
        - ``women``, ``youth`` (people): of those, women and people aged 15–34
          (cumulative, like ``people_published``). The monthly women and youth counts of
          the progress reports are not published: a difference of two months would tell
          the sex or age of one hire;
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
    shown = sel.published_history(grid)
    out = pd.DataFrame(
        {
            "month": from_ordinals(grid),
            "wave": pd.array([sel.wave] * len(grid), dtype="Int64"),
            "jobs_filled": per_month(pr["m"], pr["jobs"]).astype("int64"),
            "people_published": shown["people"].sum(axis=0),
            "women": shown["women"].sum(axis=0),
            "youth": shown["youth"].sum(axis=0),
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
        (jobs), ``people_published``, ``women``, ``youth`` (people of the published state
        at the end of the month, of whom women, aged 15–34: see :func:`monthly_jobs`),
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
    out.insert(0, "month", from_ordinals(np.repeat(grid, n_groups)))
    out["jobs_filled"] = per_cell(cell, pr["jobs"]).astype("int64")
    shown = sel.published_history(grid)
    for name, key in (("people_published", "people"), ("women", "women"), ("youth", "youth")):
        sums = np.zeros((n_groups, n_months), dtype="int64")
        np.add.at(sums, groups, shown[key])
        out[name] = sums.T.ravel()
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
        - ``women_share_month`` (share): women among the people of the projects with
          jobs filled in the month, counted on their published state (disclosure rule:
          the monthly women counts of the reports would tell one hire's sex when two
          months are subtracted); NaN when no such project has published people;
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
    shown = sel.published()
    active = np.zeros(sel.n, dtype=bool)
    active[pr["g"][in_month & (pr["jobs"] > 0)]] = True
    return {
        "contracts_started": jobs,
        "peak_positions": int(facts["peak_jobs_filled"].sum()),
        "women_share_hired": _published_share(shown, "women"),
        "women_share_month": float(
            _ratio(shown["women"][active].sum(), shown["people"][active].sum())
        ),
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
