"""Breakdowns by place, partner and domain, communes in context, inclusion, suppression, money."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import config
from ..model.codes import LEVELS
from ..model.program import Program
from . import disclosure
from .selection import (
    COMPLEMENTARY_MARK,
    FTE_DAYS_PER_MONTH,
    PERSON_LEVELS,
    SMALL_MARK,
    _check_level,
    _floats,
    _group,
    _level_order,
    _num,
    _obj,
    _ratio,
    _Selection,
)

# ---------------------------------------------------------------------------------------
# Breakdowns and communes
# ---------------------------------------------------------------------------------------

_BREAKDOWN_SUMS = (
    "projects",
    "planned_jobs",
    "jobs_to_date",
    "people_published",
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
        (jobs), ``people_published`` (the people of jobs_to_date counted in sex/age
        figures: the published state of the disclosure rule, see :func:`monthly_jobs`),
        ``women``, ``youth`` (people among people_published), ``person_days``,
        ``wages_paid_mad`` (MAD), ``peak_jobs_filled`` (jobs: sum over projects of the
        highest monthly jobs filled) and ``fill_rate`` (share) = peak_jobs_filled /
        planned_jobs. Every sum adds up to the province figure. Counts are not suppressed:
        pass the frame through :func:`suppress_small` before publishing it.
    """
    sel = _Selection(program, wave, as_of)
    shown = sel.published()
    facts = {
        **sel.facts(),
        "people_published": shown["people"],
        "women": shown["women"],
        "youth": shown["youth"],
    }
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
        One row per unit of ``program.communes`` (zeros where there is no project), in
        code order. The units are the communes, except in the six prefectures of the
        divided cities, where each city is replaced by its arrondissements (HCP figures
        per arrondissement) and by a row for the projects placed on the city without an
        arrondissement: that row ("<city> (arrondissement non précisé)", ``unit_type``
        ``"city"``) is kept only when it holds a project; it has no census figure, so its
        ratios are NaN, but its jobs count in ``share_of_jobs``. Columns:
        ``commune_code`` (the unit's code), ``name_fr``, ``name_ar``, ``cercle_code``,
        ``commune_type``, ``population_2024``, ``active_2024``, ``unemployed_2024``
        (people), ``unemployment_rate_2024`` (%), ``projects``, ``planned_jobs``, ``jobs_to_date``
        (jobs), ``share_of_planned_jobs`` (share) = jobs_to_date / planned_jobs of the
        commune (not the province's share of its published target),
        ``jobs_per_1000_unemployed`` = 1000 · jobs_to_date / unemployed_2024,
        ``jobs_per_1000_inhabitants`` = 1000 · jobs_to_date / population_2024,
        ``share_of_jobs`` (share) = jobs_to_date / sum over the communes,
        ``share_of_unemployed`` (share) = unemployed_2024 / sum over the communes,
        ``equity_ratio`` = share_of_jobs / share_of_unemployed (1 = jobs in proportion
        to unemployment; above 1, more than its share), ``has_boundary``, ``unit_type``
        (``commune``, ``arrondissement``, ``city``) and ``parent_commune_code`` (the
        commune: the city of an arrondissement). Ratios are NaN when the denominator is
        missing or zero. Projects whose commune is not in ``program.communes`` are left
        out; ``attrs["jobs_outside_communes"]`` counts their jobs to date. The
        province's rate: :func:`unemployment_rate`.
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
    out["jobs_to_date"] = per_commune(facts["jobs_to_date"])
    place_ratios(out)
    has = (
        cm["has_boundary"].astype("boolean").fillna(False).to_numpy(dtype=bool)[order]
        if "has_boundary" in cm
        else np.zeros(len(codes), dtype=bool)
    )
    out["has_boundary"] = has
    # Units: a divided city's arrondissements, and the city's own row for the projects
    # that give no arrondissement (kept only when it holds one: it has no census figure
    # and no polygon of its own).
    unit_type = (
        column("unit_type") if "unit_type" in cm else np.full(len(codes), "commune", dtype=object)
    )
    parent = column("parent_commune_code") if "parent_commune_code" in cm else codes
    out["unit_type"] = pd.array(unit_type, dtype="string")
    out["parent_commune_code"] = pd.array(parent, dtype="string")
    out = out[(out["unit_type"] != "city") | (out["projects"] > 0)].reset_index(drop=True)
    out.attrs.update(
        jobs_to_date_method=sel.method,
        as_of=sel.as_of,
        jobs_outside_communes=int(facts["jobs_to_date"][~ok].sum()),
    )
    return out


def place_ratios(places: pd.DataFrame) -> pd.DataFrame:
    """Add the ratios of a set of places (communes, provinces, regions), in place.

    The one definition of the equity figures, used by :func:`commune_context` and by
    :mod:`awrach_analysis.analysis.territories`: from ``jobs_to_date``, ``planned_jobs``,
    ``unemployed_2024`` and ``population_2024``, the columns ``share_of_planned_jobs`` =
    jobs_to_date / planned_jobs, ``jobs_per_1000_unemployed``,
    ``jobs_per_1000_inhabitants``, ``share_of_jobs`` and ``share_of_unemployed`` (of the
    sums over the rows) and ``equity_ratio`` = share_of_jobs / share_of_unemployed. NaN
    where a denominator is missing or zero. Returns ``places``.
    """
    jobs = places["jobs_to_date"].to_numpy()
    places["share_of_planned_jobs"] = _ratio(jobs, places["planned_jobs"].to_numpy())
    unemployed = places["unemployed_2024"].to_numpy()
    places["jobs_per_1000_unemployed"] = 1000 * _ratio(jobs, unemployed)
    places["jobs_per_1000_inhabitants"] = 1000 * _ratio(jobs, places["population_2024"].to_numpy())
    places["share_of_jobs"] = _ratio(jobs, np.full(len(jobs), jobs.sum()))
    places["share_of_unemployed"] = _ratio(unemployed, np.full(len(jobs), np.nansum(unemployed)))
    places["equity_ratio"] = _ratio(
        places["share_of_jobs"].to_numpy(), places["share_of_unemployed"].to_numpy()
    )
    return places


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


def commune_view(context_df: pd.DataFrame) -> pd.DataFrame:
    """Return the commune context with people counts below 5 hidden, for the map and table.

    ``jobs_to_date`` goes through ``suppress_small`` (with a province total row,
    so complementary suppression applies); where it is hidden, the rates computed from it
    (``jobs_per_1000_unemployed``, ``jobs_per_1000_inhabitants``, ``share_of_jobs``,
    ``equity_ratio``) are blanked too, since they would give the count back.

    Parameters
    ----------
    context_df : pandas.DataFrame
        Output of :func:`commune_context`.

    Returns
    -------
    pandas.DataFrame
        Same rows (no total row), ``jobs_to_date`` as object (ints, ``"<5"`` or ``"x"``).
    """
    df = context_df.reset_index(drop=True).copy()
    total = pd.DataFrame({"jobs_to_date": [int(df["jobs_to_date"].sum())], "is_total": [True]})
    work = pd.concat([df[["jobs_to_date"]].assign(is_total=False), total], ignore_index=True)
    safe = suppress_small(work, ["jobs_to_date"])
    hidden = safe.attrs["suppressed"]["jobs_to_date"].to_numpy()[: len(df)]
    df["jobs_to_date"] = safe["jobs_to_date"].iloc[: len(df)].to_numpy()
    for col in (
        "jobs_per_1000_unemployed",
        "jobs_per_1000_inhabitants",
        "share_of_jobs",
        "share_of_planned_jobs",
        "equity_ratio",
    ):
        if col in df:
            df[col] = df[col].astype("float64").where(~hidden, np.nan)
    df.attrs["jobs_total"] = int(total["jobs_to_date"].iloc[0])
    return df


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
