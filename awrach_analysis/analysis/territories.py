"""Indicators by region, province and commune for a national or regional data set."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..model.program import Program
from .breakdowns import commune_context, place_ratios, suppress_small
from .progress import target_for
from .selection import _num, _ratio, _Selection

#: Levels of :func:`territories`, widest first.
TERRITORY_LEVELS = ("region", "province", "commune")
#: Start of the ``source`` of a target that no one published (the samples' scaled quotas).
SYNTHETIC_PREFIX = "synthetic"

_CODE_LENGTH = {"region": 2, "province": 6}


def _places(program: Program, level: str) -> pd.DataFrame:
    """Return the regions or provinces of the data set's scope, with names, in code order."""
    from ..reference.scopes import regions, scope_provinces

    provinces = scope_provinces(program.province_code)
    if level == "province":
        out = provinces[["code", "name_fr", "name_ar", "region_code"]].rename(
            columns={"code": "province_code"}
        )
    else:
        codes = set(provinces["region_code"].astype(str))
        table = regions()
        out = table[table["region_code"].isin(codes)][["region_code", "name_fr", "name_ar"]]
    out = out.sort_values(f"{level}_code", ignore_index=True)
    return out.astype(dict.fromkeys(out.columns, "string"))


def _census(program: Program, level: str, codes: pd.Series) -> pd.DataFrame:
    """Sum the communes' census figures per place; the rate as :func:`unemployment_rate`."""
    cm = program.communes
    key = cm[f"{level}_code"].astype("string") if f"{level}_code" in cm else None
    out = pd.DataFrame(index=pd.Index(codes.astype(str), name="code"))
    if key is None:
        for c in ("population_2024", "active_2024", "unemployed_2024"):
            out[c] = np.nan
    else:
        frame = pd.DataFrame(
            {
                "code": key.to_numpy(dtype=object),
                "population_2024": _num(cm["population_2024"]),
                "active_2024": _num(cm["active_2024"]),
                "unemployed_2024": _num(cm["unemployed_2024"]),
            }
        )
        both = frame["active_2024"].notna() & frame["unemployed_2024"].notna()
        frame["active_known"] = frame["active_2024"].where(both)
        frame["unemployed_known"] = frame["unemployed_2024"].where(both)
        sums = frame.groupby("code").sum(min_count=1)
        out = out.join(sums)
        out["unemployment_rate_2024"] = 100 * _ratio(
            out.pop("unemployed_known"), out.pop("active_known")
        )
    if "unemployment_rate_2024" not in out:
        out["unemployment_rate_2024"] = np.nan
    has = cm["has_boundary"].astype("boolean").fillna(False) if "has_boundary" in cm else None
    if key is not None and has is not None:
        drawn = pd.Series(has.to_numpy(dtype=bool)).groupby(key.to_numpy(dtype=object)).any()
        out["has_boundary"] = drawn.reindex(out.index).fillna(False).astype(bool)
    else:
        out["has_boundary"] = False
    return out.reset_index(drop=True)


def _project_place(sel: _Selection, level: str) -> np.ndarray:
    """Return the code of the region or province of every selected project ("" unknown)."""
    codes = pd.Series(sel.p["commune_code"], dtype="string").fillna("")
    return codes.str[: _CODE_LENGTH[level]].to_numpy(dtype=object)


def _targets(program: Program, codes: pd.Series, wave: int | None) -> pd.DataFrame:
    """Province targets of the targets table (summed over waves as :func:`target_for`)."""
    t = program.targets
    rows = t[
        (
            (t["scope"].astype("string") == "province")
            & t["wave"].notna()
            & t["scope_code"].astype("string").isin(list(codes.astype(str)))
        )
        .fillna(False)
        .astype(bool)
    ]
    if wave is not None:
        rows = rows[rows["wave"] == int(wave)]
    grouped = rows.groupby(rows["scope_code"].astype(str))
    out = pd.DataFrame(index=pd.Index(codes.astype(str)))
    out["target"] = grouped["jobs_target"].sum().reindex(out.index).astype("float64")
    sources = grouped["source"].agg(lambda s: "; ".join(dict.fromkeys(s.astype(str))))
    out["target_source"] = pd.array(sources.reindex(out.index), dtype="string")
    out["target_synthetic"] = (
        out["target_source"].str.startswith(SYNTHETIC_PREFIX).fillna(False).astype(bool)
    )
    return out.reset_index(drop=True)


def _people(sel: _Selection, groups: np.ndarray, n: int, active: np.ndarray) -> pd.DataFrame:
    """Return published people and women per group, small counts suppressed.

    The disclosure rule's published state (:meth:`_Selection.published`), summed per
    place; the places with projects (``active``) and their total go through
    :func:`suppress_small` (women protected through people); a place without any project
    has no one to protect and shows 0.
    """
    pub = sel.published()
    people = np.bincount(groups, weights=pub["people"], minlength=n + 1)[:n].astype("int64")
    women = np.bincount(groups, weights=pub["women"], minlength=n + 1)[:n].astype("int64")
    rows = np.flatnonzero(active)
    table = pd.DataFrame({"people": people[rows], "women": women[rows], "is_total": False})
    total = pd.DataFrame(
        {"people": [int(people[rows].sum())], "women": [int(women[rows].sum())]}
    ).assign(is_total=True)
    table = pd.concat([table, total], ignore_index=True)
    safe = suppress_small(table, ["people", "women"], complements={"women": "people"})
    hidden = safe.attrs["suppressed"]
    share = _ratio(table["women"], table["people"])
    share[(hidden["women"] | hidden["people"]).to_numpy()] = np.nan
    shown_people = np.zeros(n, dtype=object)
    shown_women = np.zeros(n, dtype=object)
    shares = np.full(n, np.nan)
    shown_people[rows] = safe["people"].iloc[: len(rows)].to_numpy()
    shown_women[rows] = safe["women"].iloc[: len(rows)].to_numpy()
    shares[rows] = share[: len(rows)]
    return pd.DataFrame(
        {"people_published": shown_people, "women": shown_women, "women_share": shares}
    )


def territories(
    program: Program, by: str = "province", as_of: Any = None, wave: int | None = None
) -> pd.DataFrame:
    """Return the jobs of every region, province or commune of the scope against its quota.

    Parameters
    ----------
    program : Program
        A national or regional data set (a province data set gives its one province).
    by : {"region", "province", "commune"}
        Level of the rows.
    as_of : str or pandas.Timestamp or None
        Last month taken into account (default: the last month with progress).
    wave : int or None
        Wave to keep (``None``: all waves; targets are then summed over the waves).

    Returns
    -------
    pandas.DataFrame
        One row per place of the scope (places without project included, with zeros), in
        code order. For ``"commune"``: the frame of :func:`commune_context` with
        ``province_code``, ``phase`` and ``start_month`` added. For ``"province"`` and
        ``"region"``: the code (``province_code`` or ``region_code``), ``name_fr``,
        ``name_ar`` (and ``region_code`` for provinces), then

        - ``phase`` (1–3) and ``start_month`` of the roll-out
          (:func:`awrach_analysis.reference.rollout.rollout`; provinces only, a region's
          rows hold its earliest phase);
        - ``projects``, ``planned_jobs`` and ``jobs_to_date`` (jobs, THE definition of
          :func:`jobs_to_date`, summed over the place's projects);
        - ``target`` (jobs): the province's quota in the targets table (sum of its wave
          targets when ``wave`` is None), NaN where the table has none: **no quota is
          invented**; ``target_source`` (its source text) and ``target_synthetic`` (True
          when the source says ``synthetic``: the samples' quotas scaled by population,
          never a published figure); for a region, ``target`` is the sum of its
          provinces' quotas and ``provinces_with_target`` / ``provinces`` tell how many
          of them have one (a sum over some provinces only is not the region's quota:
          ``target`` is then NaN and ``target_partial`` holds that sum);
        - ``pct_of_target`` (%) = 100 · jobs_to_date / target; ``gap`` = target − jobs;
        - ``people_published``, ``women`` (people of the published state of the
          disclosure rule, small counts shown as ``"<5"``/``"x"``) and ``women_share``
          (share, NaN where hidden);
        - census 2024: ``population_2024``, ``active_2024``, ``unemployed_2024`` (sums
          over the place's communes), ``unemployment_rate_2024`` (%);
        - the equity figures of :func:`place_ratios`: ``share_of_planned_jobs``,
          ``jobs_per_1000_unemployed``, ``jobs_per_1000_inhabitants``, ``share_of_jobs``,
          ``share_of_unemployed``, ``equity_ratio`` (1 = jobs in proportion to the
          unemployed of the scope);
        - ``has_boundary`` (the place can be drawn).

        ``attrs``: ``as_of``, ``jobs_to_date_method``, ``jobs_outside`` (jobs of projects
        whose commune lies in no place of the scope).
    """
    from ..reference.rollout import rollout

    if by not in TERRITORY_LEVELS:
        raise ValueError(f"by={by!r} is not a territory level; use one of {TERRITORY_LEVELS}.")
    phases = rollout().set_index("province_code")
    if by == "commune":
        out = commune_context(program, as_of=as_of, wave=wave)
        province = out["commune_code"].str[:6]
        out.insert(1, "province_code", province)
        out.insert(2, "phase", phases["phase"].reindex(province).to_numpy())
        out.insert(3, "start_month", phases["start_month"].reindex(province).to_numpy())
        out["phase"] = out["phase"].astype("Int8")
        out["start_month"] = out["start_month"].astype("string")
        return out
    sel = _Selection(program, wave, as_of)
    facts = sel.facts()
    places = _places(program, by)
    codes = places[f"{by}_code"]
    index = pd.Index(codes.astype(str))
    groups = index.get_indexer(_project_place(sel, by))
    outside = groups < 0
    groups = np.where(outside, len(index), groups)
    n = len(index)

    def per_place(values: np.ndarray) -> np.ndarray:
        return np.bincount(groups, weights=values, minlength=n + 1)[:n].astype("int64")

    out = places.copy()
    if by == "province":
        out["phase"] = pd.array(phases["phase"].reindex(index).to_numpy(), dtype="Int8")
        out["start_month"] = pd.array(phases["start_month"].reindex(index), dtype="string")
    else:
        region_of = phases.index.str[:2]
        first = phases.groupby(region_of)["phase"].min()
        out["phase"] = pd.array(first.reindex(index).to_numpy(), dtype="Int8")
        starts = phases.groupby(region_of)["start_month"].min()
        out["start_month"] = pd.array(starts.reindex(index), dtype="string")
    out["projects"] = per_place(facts["projects"])
    out["planned_jobs"] = per_place(facts["planned_jobs"])
    out["jobs_to_date"] = per_place(facts["jobs_to_date"])
    if by == "province":
        targets = _targets(program, codes, sel.wave)
        out = pd.concat([out, targets], axis=1)
    else:
        out = pd.concat([out, _region_targets(program, codes, sel.wave)], axis=1)
    out["pct_of_target"] = 100 * _ratio(out["jobs_to_date"], out["target"])
    out["gap"] = out["target"] - out["jobs_to_date"]
    out = pd.concat([out, _people(sel, groups, n, out["projects"].to_numpy() > 0)], axis=1)
    out = pd.concat([out, _census(program, by, codes)], axis=1)
    place_ratios(out)
    cols = [c for c in out.columns if c != "has_boundary"]
    out = out[[*cols, "has_boundary"]]
    out.attrs.update(
        as_of=sel.as_of,
        jobs_to_date_method=sel.method,
        jobs_outside=int(facts["jobs_to_date"][outside].sum()),
    )
    return out


def _region_targets(program: Program, codes: pd.Series, wave: int | None) -> pd.DataFrame:
    """Return a region's quota: its provinces' quotas summed, only when each one has one."""
    from ..reference.scopes import scope_provinces

    provinces = scope_provinces(program.province_code)
    prov = _targets(program, provinces["code"], wave)
    prov["region_code"] = provinces["region_code"].astype(str).to_numpy()
    prov["has"] = prov["target"].notna()
    grouped = prov.groupby("region_code")
    index = pd.Index(codes.astype(str))
    total = grouped["target"].sum(min_count=1).reindex(index)
    has = grouped["has"].sum().reindex(index).fillna(0).astype("int64")
    count = grouped.size().reindex(index).fillna(0).astype("int64")
    complete = (has == count) & (count > 0)
    sources = grouped["target_source"].agg(lambda s: "; ".join(dict.fromkeys(s.dropna())))
    synthetic = grouped["target_synthetic"].any().reindex(index).fillna(False)
    return pd.DataFrame(
        {
            "target": total.where(complete).to_numpy(dtype="float64"),
            "target_partial": total.where(~complete & (has > 0)).to_numpy(dtype="float64"),
            "provinces_with_target": has.to_numpy(),
            "provinces": count.to_numpy(),
            "target_source": pd.array(sources.reindex(index).to_numpy(), dtype="string"),
            "target_synthetic": synthetic.astype(bool).to_numpy(),
        }
    )


def scope_target(program: Program, wave: int | None = None) -> dict:
    """Return the quota of the data set's whole scope, and how it was made.

    A province: :func:`target_for`. The country: the published national target
    (``target_for(..., scope="national")``, wave ignored: it covers 2022–2023). A region:
    the sum of its provinces' quotas when every province has one, else ``None``.

    Returns
    -------
    dict
        As :func:`target_for` (``target``, ``period_start``, ``period_end``, ``source``),
        plus ``synthetic`` (bool), ``provinces_with_target`` and ``provinces``.
    """
    level = program.scope_level
    if level == "province":
        out = target_for(program, wave)
        out.update(provinces_with_target=int(out["target"] is not None), provinces=1)
    elif level == "national":
        from ..reference.scopes import scope_provinces

        out = target_for(program, scope="national")
        codes = scope_provinces(program.province_code)["code"]
        has = int(_targets(program, codes, wave)["target"].notna().sum())
        out.update(provinces_with_target=has, provinces=len(codes))
    else:
        # the figure is target_for's (its provinces' quotas summed when each has one); the
        # table of regions says how many provinces have one and whether any is synthetic
        table = _region_targets(program, pd.Series([program.province_code]), wave).iloc[0]
        out = target_for(program, wave)
        out.update(
            provinces_with_target=int(table["provinces_with_target"]),
            provinces=int(table["provinces"]),
            synthetic=bool(table["target_synthetic"]),
        )
        return out
    out["synthetic"] = str(out.get("source") or "").startswith(SYNTHETIC_PREFIX)
    return out


def by_phase(program: Program, as_of: Any = None, wave: int | None = None) -> pd.DataFrame:
    """Return jobs, quotas and equity by roll-out phase (1–3), from :func:`territories`.

    Returns
    -------
    pandas.DataFrame
        ``phase``, ``start_month``, ``provinces``, ``provinces_with_target``,
        ``projects``, ``planned_jobs``, ``jobs_to_date``, ``target`` (sum of the quotas of
        the phase's provinces, NaN unless every one has a quota), ``pct_of_target``,
        ``unemployed_2024``, ``jobs_per_1000_unemployed``, ``share_of_jobs``,
        ``share_of_unemployed``, ``equity_ratio``.
    """
    prov = territories(program, "province", as_of=as_of, wave=wave)
    prov["has_target"] = prov["target"].notna()
    grouped = prov.groupby("phase", sort=True)
    out = pd.DataFrame(
        {
            "start_month": grouped["start_month"].min(),
            "provinces": grouped.size(),
            "provinces_with_target": grouped["has_target"].sum().astype("int64"),
            "projects": grouped["projects"].sum(),
            "planned_jobs": grouped["planned_jobs"].sum(),
            "jobs_to_date": grouped["jobs_to_date"].sum(),
            "target": grouped["target"].sum(min_count=1),
            "population_2024": grouped["population_2024"].sum(min_count=1),
            "unemployed_2024": grouped["unemployed_2024"].sum(min_count=1),
        }
    ).reset_index()
    complete = out["provinces_with_target"] == out["provinces"]
    out["target"] = out["target"].where(complete)
    out["pct_of_target"] = 100 * _ratio(out["jobs_to_date"], out["target"])
    place_ratios(out)
    out = out.drop(columns=["share_of_planned_jobs", "jobs_per_1000_inhabitants"])
    out.attrs.update(prov.attrs)
    return out


def scope_headline(program: Program, as_of: Any = None, wave: int | None = None) -> pd.DataFrame:
    """Return :func:`headline` with the quota of the whole scope (:func:`scope_target`).

    For a province, the headline itself. For the country or a region, ``target`` and
    ``pct_of_target`` hold the scope's quota (``None``/NaN when there is none: a
    region whose provinces do not all have a quota has none), and ``attrs["target"]``
    the :func:`scope_target` dict (source, synthetic, provinces with a quota).
    """
    from .progress import headline

    out = headline(program, as_of=as_of, wave=wave)
    tgt = scope_target(program, wave)
    if program.scope_level != "province":
        target = np.nan if tgt["target"] is None else float(tgt["target"])
        rows = out.set_index("indicator")
        jobs_now = rows.at["jobs_to_date", "value"]
        jobs_before = rows.at["jobs_to_date", "previous"]
        now = 100 * _ratio(jobs_now, target)
        before = 100 * _ratio(jobs_before, target)
        is_target = (out["indicator"] == "target").to_numpy()
        is_pct = (out["indicator"] == "pct_of_target").to_numpy()
        out.loc[is_target, ["value", "previous", "change"]] = [target, target, 0.0]
        out.loc[is_pct, ["value", "previous", "change"]] = [now, before, now - before]
    out.attrs["target"] = tgt
    return out


__all__ = ["TERRITORY_LEVELS", "territories", "scope_target", "scope_headline", "by_phase"]
