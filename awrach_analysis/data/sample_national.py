"""Generate the deterministic national (or regional) sample programme, every province at once.

The national sample covers the 75 provinces and prefectures and their 1,503 communes
(HCP, RGPH 2024). It keeps every published figure of
:mod:`awrach_analysis.reference.facts`: the national 2022 total (103,599 beneficiaries, 30 %
women), Khénifra exactly as the province sample (:func:`~.sample_build.generate`), and the
published figures of Taza, Al Hoceima, Ouezzane, Sidi Bennour and Ifrane. Provinces start
in their roll-out phase's month (:mod:`awrach_analysis.reference.rollout`). Everything else
is synthetic: the provinces without a figure and, inside every province, the units get
their jobs and sites by the allocation rule of :mod:`~.allocation` (in proportion to the
unemployed, rural communes weighted so that about half of the beneficiaries are rural, with
log-normal dispersion and largest-remainder rounding). The units are the communes, except in
the six divided cities, whose projects go to the arrondissements (and a small share to the
city's own code: :data:`~.sample_specs.CITY_UNASSIGNED_SHARE`).

Beneficiaries, their payroll (one row per person and month worked) and the monthly progress
are built with numpy, without a Python loop over people or rows; progress is summed from the
payroll, so the two tables agree. A region's sample is the national one restricted to the
region's provinces: every province draws from its own seed, so the rows are identical.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from .. import config
from ..errors import AwrachError
from ..model import schema
from ..reference import facts
from .allocation import DISPERSION, allocate, largest_remainder
from .sample_build import generate
from .sample_specs import (
    _ABSENCES,
    _AGE_P,
    _ASSOCIATION_PURPOSES,
    _ASSOCIATION_STEMS,
    _COOPERATIVE_ACTIVITIES,
    _COOPERATIVE_STEMS,
    _DOMAIN_SIZE,
    _DOMAIN_WEIGHTS,
    _DOMAIN_WOMEN,
    _EXIT_EARLY,
    _EXIT_EARLY_P,
    _KHENIFRA,
    _SERVICES,
    _SKILLED_DOMAINS,
    _TITLES,
    DAILY_WAGE_MAD,
    GENERATOR,
    LAST_MONTH,
    STARTS_2023,
    SUPERVISION_FEE_MAD,
    SYNTHETIC_NOTE,
    WORKING_DAYS_PER_MONTH,
    _de,
    unit_weights,
)

#: Scope code of the whole country.
NATIONAL_CODE = "MA"
#: Awrach 2 (2023) beneficiaries of the national sample: synthetic, chosen to agree with the
#: published "more than 60,000 beneficiaries reported" (lavieeco; barlamane).
BENEFICIARIES_2023 = 65_000
#: Synthetic share of women in 2023 (the published 2022 share, 30 %, carried over).
WOMEN_SHARE_2023 = 0.30
#: Beneficiaries per site on average, per wave (synthetic; the published averages run from
#: 13 in Khénifra to 49 in Taza, 18 nationally in mid-2022), and their spread across provinces.
SITE_SIZE = {2022: 18.0, 2023: 20.0}
SITE_SIZE_RANGE = (13.0, 49.0)
SITE_SIZE_DISPERSION = 0.25
#: People hired at least on every site (synthetic).
MIN_SITE_PEOPLE = 5
#: Implementing partners per site (synthetic), share of cooperatives among them, share of
#: 2023 partners that already worked in 2022.
PARTNERS_PER_SITE = 0.8
COOPERATIVE_SHARE = 0.1
REUSE_2023 = 0.75
#: Share of people who leave early and are replaced (synthetic).
REPLACEMENT_RATE = 0.02
#: Share of people living in another commune (of the same type) than their site's.
ELSEWHERE_SHARE = 0.1
#: Months between a phase's start and the last 2022 site start, with their weights.
START_OFFSETS_2022 = (0, 1, 2, 3, 4)
START_WEIGHTS_2022 = (0.30, 0.28, 0.20, 0.12, 0.10)
#: Site durations in months (2022: mean ≈ 5.9, "about 6 months", each at least 3).
DURATIONS_2022 = (3, 4, 5, 6, 7, 8)
DURATION_WEIGHTS_2022 = (0.08, 0.10, 0.17, 0.30, 0.17, 0.18)
DURATIONS_2023 = (3, 4, 6)
DURATION_WEIGHTS_2023 = (0.5, 0.2, 0.3)
START_WEIGHTS_2023 = (0.34, 0.26, 0.22, 0.18)
#: Minimum beneficiaries of a province without a published figure (synthetic): one small
#: site per wave. Larger floors gave the smallest provinces more jobs than unemployed
#: (Aousserd, 185 unemployed: 1,730 jobs per 1,000 with a floor of 200 + 120).
MIN_PROVINCE_2022 = 20
MIN_PROVINCE_2023 = 15
#: Months of contract of Ifrane's published cost model (3,468 person-months / 867 people).
IFRANE = "03.271"

_TAZA, _HOCEIMA, _OUEZZANE, _BENNOUR = "03.561", "01.051", "01.405", "06.467"
_WAVES = (2022, 2023)
_EDU_REST = ("primary", "secondary", "higher")
_EDU_REST_P = {"manual": (0.60, 0.33, 0.07), "skilled": (0.15, 0.50, 0.35)}


# ---------------------------------------------------------------------------------------------
# Reference and national plan
# ---------------------------------------------------------------------------------------------


def reference() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (provinces, units) of the national sample, sorted by code.

    ``units`` has the columns of :func:`awrach_analysis.reference.arrondissements.unit_table`
    (the communes, each of the six divided cities replaced by its arrondissements plus the
    city's own row; missing figures as 0) plus ``place_fr``, ``place_ar`` (the name in
    titles: the city's plain name on its own row) and ``weight``: the unemployed, rural
    communes multiplied by :func:`rural_weight`, a city's own row
    :data:`~.sample_specs.CITY_UNASSIGNED_SHARE` of its arrondissements' weight.
    ``provinces`` adds to :func:`~awrach_analysis.reference.communes.provinces` the roll-out
    phase and start month and the province's summed ``weight`` and ``unemployed_2024``,
    both over its communes (the census figures of the cities, not of their
    arrondissements, whose rounded unemployed differ by a few dozen), so that the national
    plan does not depend on how the cities are divided.
    """
    provinces, units = _reference()
    return provinces.copy(), units.copy()


@functools.lru_cache(maxsize=1)
def _reference() -> tuple[pd.DataFrame, pd.DataFrame]:
    from ..reference import communes as ref
    from ..reference.arrondissements import unit_table
    from ..reference.rollout import rollout

    communes = _communes()
    provinces = ref.provinces().merge(
        rollout()[["province_code", "phase", "start_month"]],
        left_on="code",
        right_on="province_code",
    )
    sums = communes.groupby("province_code")[["weight", "unemployed_2024"]].sum()
    provinces = provinces.join(sums, on="code")

    units = unit_table()
    for col in ("population_2024", "unemployed_2024"):
        units[col] = units[col].fillna(0).astype("int64")
    city = (units["unit_type"] == "city").to_numpy()
    parents = units["parent_commune_code"].astype(str)
    plain = communes.set_index("commune_code")
    for lang in ("fr", "ar"):
        units[f"place_{lang}"] = np.where(
            city,
            parents.map(plain[f"name_{lang}"]).astype(str),
            units[f"name_{lang}"].astype(str),
        )
    rural = (units["commune_type"] == "rural").to_numpy()
    weight = units["unemployed_2024"].to_numpy(float) * np.where(rural, rural_weight(communes), 1.0)
    units["weight"] = unit_weights(units, weight)
    return provinces.sort_values("code", ignore_index=True), units


@functools.lru_cache(maxsize=1)
def _communes() -> pd.DataFrame:
    """Return the communes (``commune_table``) with their ``weight``, as the plan uses them."""
    from ..reference import communes as ref

    communes = ref.commune_table()
    communes["unemployed_2024"] = communes["unemployed_2024"].fillna(0).astype("int64")
    rural = (communes["commune_type"] == "rural").to_numpy()
    communes["weight"] = communes["unemployed_2024"].to_numpy(float) * np.where(
        rural, rural_weight(communes), 1.0
    )
    return communes


def rural_weight(communes: pd.DataFrame) -> float:
    """Return the weight of a rural commune's unemployed (urban = 1).

    Chosen so that rural and urban communes get the same number of jobs nationally: about
    half of the 2022 beneficiaries were rural (yabiladi, 137007), while a third of the
    unemployed live in rural communes (RGPH 2024).
    """
    unemployed = communes["unemployed_2024"].to_numpy(float)
    rural = (communes["commune_type"] == "rural").to_numpy()
    return float(unemployed[~rural].sum() / unemployed[rural].sum())


def _province_seed(code: str) -> int:
    return int(code.replace(".", ""))


def plan(seed: int = config.DEFAULT_SEED) -> pd.DataFrame:
    """Return the national plan: per province and wave, beneficiaries, women and sites.

    Published figures are kept; the other provinces share the rest of the national total by
    :func:`~awrach_analysis.data.allocation.allocate` (weighted unemployed, dispersion,
    minimum per province). Computed for the whole country whatever the scope written, so a
    region's sample has the same figures as the national one.

    Returns
    -------
    pandas.DataFrame
        One row per province: ``code, name_fr, region_code, phase, start_month`` and, per
        wave, ``beneficiaries_<w>``, ``women_<w>``, ``sites_<w>``, ``published_<w>``.
    """
    provinces, _ = reference()
    out = provinces[["code", "name_fr", "name_ar", "region_code", "phase", "start_month"]].copy()
    weight = provinces["weight"].to_numpy(float)
    codes = list(out["code"])
    rng = np.random.default_rng([int(seed), 0])
    fixed22 = {
        _KHENIFRA: int(facts.fact("beneficiaries_2022")),
        _TAZA: int(facts.fact("beneficiaries_2022_taza")),
        _HOCEIMA: int(facts.fact("beneficiaries_2022_al_hoceima")),
        _OUEZZANE: int(facts.fact("beneficiaries_2022_ouezzane")),
        IFRANE: int(facts.fact("beneficiaries_ifrane")),
    }
    fixed23 = {
        _KHENIFRA: int(facts.fact("beneficiaries_2023")),
        _TAZA: int(facts.fact("jobs_target_2023_taza")),
    }
    totals = {
        2022: int(facts.fact("beneficiaries_national_2022")),
        2023: BENEFICIARIES_2023,
    }
    minimum = {2022: MIN_PROVINCE_2022, 2023: MIN_PROVINCE_2023}
    for wave, fixed in ((2022, fixed22), (2023, fixed23)):
        free = np.array([c not in fixed for c in codes])
        people = np.zeros(len(codes), dtype=np.int64)
        people[~free] = [fixed[c] for c in np.array(codes)[~free]]
        rest = totals[wave] - int(people.sum())
        people[free] = allocate(weight[free], rest, rng, minimum=minimum[wave])
        out[f"beneficiaries_{wave}"] = people
        out[f"published_{wave}"] = ~free
        size = np.clip(
            SITE_SIZE[wave] * rng.lognormal(0.0, SITE_SIZE_DISPERSION, len(codes)),
            *SITE_SIZE_RANGE,
        )
        out[f"sites_{wave}"] = np.maximum(1, np.round(people / size)).astype(np.int64)
    sites = {
        (2022, _TAZA): int(facts.fact("sites_2022_taza")),
        (2022, _HOCEIMA): int(facts.fact("sites_2022_al_hoceima")),
        (2022, _OUEZZANE): int(facts.fact("projects_2022_ouezzane")),
        (2022, _BENNOUR): int(facts.fact("agreements_2022_sidi_bennour")),
        (2022, _KHENIFRA): int(facts.fact("projects_2022")),
        (2023, _KHENIFRA): int(facts.fact("sites_2023")),
    }
    for (wave, code), n in sites.items():
        out.loc[out["code"] == code, f"sites_{wave}"] = n
    # women: the published national share in 2022, Khénifra's and Taza's published counts
    # kept, the rest in proportion to beneficiaries
    women_fixed = {
        _KHENIFRA: int(facts.fact("women_2022")),
        _TAZA: int(facts.fact("women_2022_taza")),
    }
    women_total = round(facts.fact("women_share_national_2022") * totals[2022])
    free = ~out["code"].isin(list(women_fixed)).to_numpy()
    women = np.zeros(len(codes), dtype=np.int64)
    women[~free] = [women_fixed[c] for c in np.array(codes)[~free]]
    women[free] = largest_remainder(
        out.loc[free, "beneficiaries_2022"].to_numpy(float), women_total - int(women.sum())
    )
    out["women_2022"] = women
    out["women_2023"] = np.round(out["beneficiaries_2023"] * WOMEN_SHARE_2023).astype(np.int64)
    return out


# ---------------------------------------------------------------------------------------------
# Small vectorised helpers
# ---------------------------------------------------------------------------------------------


def _split_by_group(
    group: np.ndarray, weights: np.ndarray, totals: np.ndarray, minimum: int = 0
) -> np.ndarray:
    """Split ``totals[g]`` over the items of each group ``g`` (largest remainder, vectorised).

    ``group`` holds each item's group (0..G-1); every item gets ``minimum`` first.
    """
    n_groups = len(totals)
    count = np.bincount(group, minlength=n_groups)
    rest = totals - minimum * count
    if (rest < 0).any():
        raise AwrachError("a group cannot give the minimum to each of its items")
    wsum = np.bincount(group, weights=weights, minlength=n_groups)
    expected = rest[group] * weights / np.where(wsum[group] > 0, wsum[group], 1)
    base = np.floor(expected).astype(np.int64)
    short = rest - np.bincount(group, weights=base, minlength=n_groups).astype(np.int64)
    order = np.lexsort((np.arange(len(group)), -(expected - base), group))
    starts = np.concatenate([[0], np.cumsum(count)[:-1]])
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - starts[group[order]]
    return minimum + base + (rank < short[group])


def _pick(weights: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Return a boolean mask of ``k`` items drawn without replacement with ``weights``."""
    keys = rng.exponential(size=len(weights)) / np.maximum(weights, 1e-12)
    mask = np.zeros(len(weights), dtype=bool)
    mask[np.argsort(keys, kind="stable")[:k]] = True
    return mask


def _month_ordinal(text: str) -> int:
    year, month = text.split("-")
    return int(year) * 12 + int(month) - 1


def _month_dates(ordinals: np.ndarray) -> np.ndarray:
    """First day of each month ordinal, as ``datetime64[ns]``."""
    months = (np.asarray(ordinals, dtype=np.int64) - 1970 * 12).astype("datetime64[M]")
    return months.astype("datetime64[ns]")


def _days_in(ordinals: np.ndarray) -> np.ndarray:
    first = (np.asarray(ordinals, dtype=np.int64) - 1970 * 12).astype("datetime64[M]")
    return ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)


def _number(index: np.ndarray, width: int) -> pd.Series:
    return pd.Series(index + 1).astype(str).str.zfill(width)


# ---------------------------------------------------------------------------------------------
# One province, one wave
# ---------------------------------------------------------------------------------------------


def _place(
    weight: np.ndarray, sites: int, people: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Return (sites, people) per commune: both by the allocation rule, with the same factors.

    Each commune's share is its weighted unemployed times one log-normal factor
    (:data:`~.allocation.DISPERSION`); sites are the largest-remainder split of ``sites``,
    people go to the communes that have a site, :data:`MIN_SITE_PEOPLE` per site first and
    the rest by the same shares.
    """
    share = weight * rng.lognormal(0.0, DISPERSION, len(weight))
    per_site = allocate(share, sites, rng, dispersion=0.0)
    has = per_site > 0
    base = MIN_SITE_PEOPLE * per_site
    if base.sum() > people:
        raise AwrachError("too many sites for the people of the province")
    share = np.where(has, share, 0.0)
    if share.sum() <= 0:
        share = has.astype(float)
    extra = largest_remainder(share, people - int(base.sum()))
    return per_site, base + extra


class _Province:
    """Build the rows of one province, wave after wave (vectorised inside a wave)."""

    def __init__(self, code: str, row: pd.Series, communes: pd.DataFrame, seed: int):
        self.code = code
        self.row = row
        self.communes = communes.reset_index(drop=True)
        self.seed = seed
        self.tables: dict[str, list[pd.DataFrame]] = {
            k: [] for k in ("partners", "agreements", "projects", "beneficiaries", "payroll")
        }
        seat = int(np.argmax(self.communes["population_2024"].to_numpy(float)))
        self.seat = str(self.communes["parent_commune_code"].iloc[seat])
        self.partners_2022: np.ndarray = np.array([], dtype=object)
        self.partner_count = {"association": 0, "cooperative": 0}
        self.tables["partners"].append(
            pd.DataFrame(
                {
                    "partner_id": [f"{code}-{s[0]}" for s in _SERVICES],
                    "name_fr": [s[1] for s in _SERVICES],
                    "name_ar": [s[2] for s in _SERVICES],
                    "partner_type": "decentralized_service",
                    "home_commune": self.seat,
                }
            )
        )

    def wave(self, wave: int) -> None:
        rng = np.random.default_rng([self.seed, wave, _province_seed(self.code)])
        n_sites = int(self.row[f"sites_{wave}"])
        people = int(self.row[f"beneficiaries_{wave}"])
        c = self.communes
        weight = c["weight"].to_numpy(float)
        rural = (c["commune_type"] == "rural").to_numpy()
        if wave == 2022 and self.code == _TAZA:  # rural and urban beneficiaries published
            n_rural = int(facts.fact("rural_2022_taza"))
            s_rural = round(n_sites * n_rural / people)
            site_c = np.zeros(len(c), dtype=np.int64)
            people_c = np.zeros(len(c), dtype=np.int64)
            for mask, s, p in (
                (rural, s_rural, n_rural),
                (~rural, n_sites - s_rural, people - n_rural),
            ):
                site_c[mask], people_c[mask] = _place(weight[mask], s, p, rng)
        else:
            site_c, people_c = _place(weight, n_sites, people, rng)
        commune = np.repeat(np.arange(len(c)), site_c)  # commune of each site

        # domains: the published split where there is one, else drawn
        split = facts.DOMAIN_SPLITS.get(self.code) if wave == 2022 else None
        if split is not None:
            domains = np.array([d for _, n, d in split[1] for _ in range(n)], dtype=object)
            domains = domains[rng.permutation(len(domains))]
        else:
            names = np.array(list(_DOMAIN_WEIGHTS), dtype=object)
            p = np.array(list(_DOMAIN_WEIGHTS.values()))
            domains = names[rng.choice(len(names), n_sites, p=p / p.sum())]
        size_w = np.array([_DOMAIN_SIZE[d] for d in domains]) * rng.lognormal(0, 0.35, n_sites)
        n_people = _split_by_group(commune, size_w, people_c, minimum=MIN_SITE_PEOPLE)

        # months
        if wave == 2022:
            first = _month_ordinal(str(self.row["start_month"]))
            ow = np.array(START_WEIGHTS_2022)
            start = first + rng.choice(START_OFFSETS_2022, n_sites, p=ow / ow.sum())
            start[int(np.argmax(n_people))] = first  # the province starts in its phase month
            if self.code == IFRANE:  # published cost model: 4 months each
                months = int(
                    facts.fact("person_months_ifrane") / facts.fact("beneficiaries_ifrane")
                )
                duration = np.full(n_sites, months)
            else:
                dw = np.array(DURATION_WEIGHTS_2022)
                duration = rng.choice(DURATIONS_2022, n_sites, p=dw / dw.sum())
        else:
            sw = np.array(START_WEIGHTS_2023)
            start = np.array([_month_ordinal(m) for m in STARTS_2023])[
                rng.choice(len(STARTS_2023), n_sites, p=sw / sw.sum())
            ]
            dw = np.array(DURATION_WEIGHTS_2023)
            duration = rng.choice(DURATIONS_2023, n_sites, p=dw / dw.sum())
            duration = np.minimum(duration, _month_ordinal(LAST_MONTH) - start + 1)
        end = start + duration - 1

        # people: positions, replacements (a replacement finishes the contract of the person
        # who left; positions = people - replacements)
        replaced = np.minimum(rng.binomial(n_people, REPLACEMENT_RATE), n_people // 3)
        positions = n_people - replaced
        total = int(n_people.sum())
        site = np.repeat(np.arange(n_sites), n_people)
        offsets = np.concatenate([[0], np.cumsum(n_people)[:-1]])
        rank = np.arange(total) - offsets[site]
        successor = rank >= positions[site]
        leaver = rank < replaced[site]
        p_start, p_end = start[site].copy(), end[site].copy()
        leave = p_start + np.floor(rng.uniform(size=total) * (duration[site] - 1)).astype(np.int64)
        end_day = rng.integers(3, 27, total)
        holder = offsets[site] + rank - positions[site]  # the person a successor replaces
        p_start[successor] = leave[holder[successor]] + 1
        p_end[leaver] = leave[leaver]
        exit_reason = np.where(leaver, "", "contract_end").astype(object)
        ep = np.array(_EXIT_EARLY_P)
        exit_reason[leaver] = np.array(_EXIT_EARLY, dtype=object)[
            rng.choice(len(_EXIT_EARLY), int(leaver.sum()), p=ep / ep.sum())
        ]

        # who they are
        dom_p = domains[site]
        skilled = np.isin(dom_p, _SKILLED_DOMAINS)
        women = _pick(
            np.array([_DOMAIN_WOMEN[d] for d in domains])[site],
            int(self.row[f"women_{wave}"]),
            rng,
        )
        no_diploma = _pick(
            np.where(skilled, 0.3, 1.0),
            round(facts.fact("no_diploma_share_national_2022") * total),
            rng,
        )
        education = np.empty(total, dtype=object)
        education[no_diploma] = "none"
        u = rng.uniform(size=total)
        for kind, mask in (("manual", ~skilled), ("skilled", skilled)):
            cum = np.cumsum(_EDU_REST_P[kind])
            pick = np.searchsorted(cum, u * cum[-1])
            sel = mask & ~no_diploma
            education[sel] = np.array(_EDU_REST, dtype=object)[pick[sel]]
        bands = np.array(list(schema.AGE_BANDS), dtype=object)
        ap = np.array(_AGE_P)
        age = bands[rng.choice(len(bands), total, p=ap / ap.sum())]
        # residence: the site's unit, or another unit of the same type (an arrondissement
        # rather than a city's own row)
        codes = c["commune_code"].to_numpy(dtype=object)
        home = commune[site]
        away = rng.uniform(size=total) < ELSEWHERE_SHARE
        placed = (c["unit_type"] != "city").to_numpy()
        pools = [np.flatnonzero((rural == r) & placed) for r in (False, True)]
        other = home.copy()
        for r, pool in zip((False, True), pools, strict=True):
            sel = away & (rural[home] == r)
            if len(pool) > 1 and sel.any():
                other[sel] = pool[rng.integers(0, len(pool), int(sel.sum()))]
        residence = codes[other]

        yy = wave % 100
        pwidth = max(3, len(str(n_sites)))
        project_id = (f"{self.code}-P{yy}-" + _number(np.arange(n_sites), pwidth)).to_numpy()
        agreement_id = (f"{self.code}-A{yy}-" + _number(np.arange(n_sites), pwidth)).to_numpy()
        bwidth = max(4, len(str(total)))
        key = (f"{self.code}-B{yy}-" + _number(np.arange(total), bwidth)).to_numpy()
        start_date = _month_dates(p_start)
        end_date = _month_dates(p_end + 1) - np.timedelta64(1, "D")
        days_end = _days_in(p_end)
        end_date = np.where(
            leaver,
            _month_dates(p_end) + (end_day - 1).astype("timedelta64[D]"),
            end_date,
        ).astype("datetime64[ns]")
        self.tables["beneficiaries"].append(
            pd.DataFrame(
                {
                    "beneficiary_key": key,
                    "project_id": project_id[site],
                    "sex": np.where(women, "female", "male"),
                    "age_band": age,
                    "education": education,
                    "residence_commune": residence,
                    "start_date": start_date,
                    "end_date": end_date,
                    "exit_reason": exit_reason,
                }
            )
        )

        # payroll: one row per person and month worked
        wage = DAILY_WAGE_MAD[wave]
        n_months = p_end - p_start + 1
        who = np.repeat(np.arange(total), n_months)
        row_off = np.concatenate([[0], np.cumsum(n_months)[:-1]])
        month = p_start[who] + np.arange(len(who)) - row_off[who]
        full = np.full(len(who), WORKING_DAYS_PER_MONTH, dtype=np.int64)
        last = leaver[who] & (month == p_end[who])
        full[last] = np.round(
            WORKING_DAYS_PER_MONTH * end_day[who[last]] / days_end[who[last]]
        ).astype(np.int64)
        days = np.maximum(1, full - rng.choice(_ABSENCES, len(who)))
        self.tables["payroll"].append(
            pd.DataFrame(
                {
                    "beneficiary_key": key[who],
                    "project_id": project_id[site[who]],
                    "month": _month_dates(month),
                    "days_worked": days,
                    "amount_paid_mad": days * wage,
                }
            )
        )

        # partners and agreements
        n_partners = self._n_partners(wave, n_sites)
        partner = self._partners(wave, n_partners, commune, rng)
        first_day = _month_dates(start).astype("datetime64[D]")
        signed = first_day - rng.integers(7, 38, n_sites).astype("timedelta64[D]")
        services = [s for s in _SERVICES]
        service_of = {d: [s[0] for s in services if d in s[3]] for d in _DOMAIN_WEIGHTS}
        pick_s = rng.integers(0, 1000, n_sites)
        cosigners = np.array(
            [
                f"{self.code}-{service_of[d][k % len(service_of[d])]}"
                for d, k in zip(domains, pick_s, strict=True)
            ],
            dtype=object,
        )
        person_months = positions * duration
        budget = np.round(person_months * (WORKING_DAYS_PER_MONTH * wage + SUPERVISION_FEE_MAD), -2)
        self.tables["agreements"].append(
            pd.DataFrame(
                {
                    "agreement_id": agreement_id,
                    "signed_on": signed.astype("datetime64[ns]"),
                    "partner_id": partner,
                    "cosigners": cosigners,
                    "budget_mad": budget,
                    "wave": wave,
                }
            )
        )
        title_fr, title_ar = self._titles(domains, commune, rng)
        self.tables["projects"].append(
            pd.DataFrame(
                {
                    "project_id": project_id,
                    "agreement_id": agreement_id,
                    "title_fr": title_fr,
                    "title_ar": title_ar,
                    "domain": domains,
                    "commune_code": codes[commune],
                    "planned_start": _month_dates(start),
                    "planned_end": _month_dates(end + 1) - np.timedelta64(1, "D"),
                    "planned_jobs": positions,
                    "planned_person_months": person_months.astype(float),
                    "budget_mad": budget,
                }
            )
        )

    def _n_partners(self, wave: int, n_sites: int) -> int:
        if wave == 2022 and self.code == _HOCEIMA:
            return int(facts.fact("partners_2022_al_hoceima"))
        return max(1, min(n_sites, round(PARTNERS_PER_SITE * n_sites)))

    def _partners(
        self, wave: int, n_partners: int, commune: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """Assign a partner to each site; new partners are added to the partners table."""
        n_sites = len(commune)
        order = rng.permutation(n_sites)
        owner = np.empty(n_sites, dtype=np.int64)
        owner[order[:n_partners]] = np.arange(n_partners)
        owner[order[n_partners:]] = rng.integers(0, n_partners, n_sites - n_partners)
        first_site = np.full(n_partners, -1)
        first_site[owner[order[:n_partners]]] = order[:n_partners]
        ids = np.empty(n_partners, dtype=object)
        reuse = 0
        if wave > 2022 and len(self.partners_2022):
            reuse = min(len(self.partners_2022), round(REUSE_2023 * n_partners))
            ids[:reuse] = self.partners_2022[rng.permutation(len(self.partners_2022))[:reuse]]
        new = n_partners - reuse
        coop = _pick(np.ones(new), round(COOPERATIVE_SHARE * new), rng)
        home = commune[first_site[reuse:]]
        names_fr, names_ar, new_ids, kinds = [], [], [], []
        cfr = self.communes["place_fr"].to_numpy(dtype=object)[home]
        car = self.communes["place_ar"].to_numpy(dtype=object)[home]
        stem = rng.integers(0, 10_000, new)
        purpose = rng.integers(0, 10_000, new)
        for i in range(new):  # one loop over partners (a few hundred per province at most)
            kind = "cooperative" if coop[i] else "association"
            self.partner_count[kind] += 1
            n = self.partner_count[kind]
            if kind == "association":
                s = _ASSOCIATION_STEMS[stem[i] % len(_ASSOCIATION_STEMS)]
                p = _ASSOCIATION_PURPOSES[purpose[i] % len(_ASSOCIATION_PURPOSES)]
                fr, ar = (
                    f"Association {s[0]} {p[0]} {_de(cfr[i])}",
                    f"جمعية {s[1]} {p[1]} ب{car[i]}",
                )
                new_ids.append(f"{self.code}-ASSO-{n:03d}")
            else:
                s = _COOPERATIVE_STEMS[stem[i] % len(_COOPERATIVE_STEMS)]
                p = _COOPERATIVE_ACTIVITIES[purpose[i] % len(_COOPERATIVE_ACTIVITIES)]
                fr, ar = (
                    f"Coopérative {p[0]} {s[0]} {_de(cfr[i])}",
                    f"تعاونية {s[1]} {p[1]} ب{car[i]}",
                )
                new_ids.append(f"{self.code}-COOP-{n:03d}")
            names_fr.append(fr)
            names_ar.append(ar)
            kinds.append(kind)
        ids[reuse:] = new_ids
        frame = pd.DataFrame(
            {
                "partner_id": new_ids,
                "name_fr": names_fr,
                "name_ar": names_ar,
                "partner_type": kinds,
                "home_commune": self.communes["commune_code"].to_numpy(dtype=object)[home],
            }
        )
        self.tables["partners"].append(frame)
        if wave == 2022:
            self.partners_2022 = ids.copy()
        return ids[owner]

    def _titles(
        self, domains: np.ndarray, commune: np.ndarray, rng: np.random.Generator
    ) -> tuple[pd.Series, pd.Series]:
        cfr = self.communes["place_fr"].to_numpy(dtype=object)[commune]
        car = self.communes["place_ar"].to_numpy(dtype=object)[commune]
        pick = rng.integers(0, 1000, len(domains))
        fr, ar = [], []
        for d, k, f, a in zip(domains, pick, cfr, car, strict=True):
            tfr, tar = _TITLES[d][k % len(_TITLES[d])]
            fr.append(tfr.format(fr=f))
            ar.append(tar.format(ar=a))
        title_fr, title_ar = pd.Series(fr, dtype=object), pd.Series(ar, dtype=object)
        lot = title_fr.groupby(title_fr).cumcount().to_numpy()
        many = title_fr.map(title_fr.value_counts()).to_numpy() > 1
        suffix = pd.Series(np.where(many, lot + 1, 0)).astype(str)
        title_fr = title_fr.where(~many, title_fr + " (lot " + suffix + ")")
        title_ar = title_ar.where(~many, title_ar + " (الشطر " + suffix + ")")
        return title_fr, title_ar


# ---------------------------------------------------------------------------------------------
# Progress from the payroll; Khénifra's payroll from its progress
# ---------------------------------------------------------------------------------------------


def _progress_from_payroll(
    payroll: pd.DataFrame, beneficiaries: pd.DataFrame, projects: pd.DataFrame, seed: int
) -> pd.DataFrame:
    """Return the monthly progress of ``projects``: sums of the payroll per project and month."""
    who = beneficiaries.set_index("beneficiary_key")
    female = payroll["beneficiary_key"].map(who["sex"]).astype(object).eq("female")
    young = (
        payroll["beneficiary_key"].map(who["age_band"]).astype(object).isin(schema.YOUNG_AGE_BANDS)
    )
    frame = pd.DataFrame(
        {
            "project_id": payroll["project_id"].to_numpy(),
            "month": payroll["month"].to_numpy(),
            "jobs_filled": 1,
            "women": female.to_numpy(dtype=np.int64),
            "youth": young.to_numpy(dtype=np.int64),
            "person_days": payroll["days_worked"].to_numpy(dtype=float),
            "wages_paid_mad": payroll["amount_paid_mad"].to_numpy(dtype=float),
        }
    )
    out = frame.groupby(["project_id", "month"], sort=True, as_index=False).sum()
    plan_ = projects.set_index("project_id")
    start = pd.to_datetime(out["project_id"].map(plan_["planned_start"]))
    end = pd.to_datetime(out["project_id"].map(plan_["planned_end"]))
    k = (out["month"].dt.year - start.dt.year) * 12 + out["month"].dt.month - start.dt.month
    duration = (end.dt.year - start.dt.year) * 12 + end.dt.month - start.dt.month + 1
    rng = np.random.default_rng([int(seed), 9])
    gamma = pd.Series(rng.uniform(0.8, 1.25, len(plan_)), index=plan_.index)
    pct = np.round(100 * ((k + 1) / duration) ** out["project_id"].map(gamma), 1)
    done = (k + 1) >= duration
    out["physical_progress_pct"] = np.where(done, 100.0, np.minimum(pct, 99.0))
    out["status"] = np.where(done, "completed", "ongoing")
    out["wages_paid_mad"] = out["wages_paid_mad"].round(2)
    return out


def _khenifra(seed: int) -> dict[str, Any]:
    """Return Khénifra's province sample (:func:`generate`) with national ids and a payroll.

    Ids get the province code in front (``05.301-P22-001``); the payroll splits each
    progress row's person-days between the people at work that month (largest remainder, in
    proportion to the days each could work), so it sums to the progress exactly.
    """
    t = generate(_KHENIFRA, seed)
    prefix = f"{_KHENIFRA}-"
    out: dict[str, Any] = {"meta": t["meta"]}
    for name in ("partners", "agreements", "projects", "progress", "beneficiaries"):
        df = t[name].copy()
        for col in ("partner_id", "agreement_id", "project_id", "beneficiary_key"):
            if col in df:
                df[col] = prefix + df[col].astype(str)
        if "cosigners" in df:
            df["cosigners"] = (
                df["cosigners"]
                .astype(str)
                .str.split(";")
                .map(lambda ids: ";".join(prefix + i for i in ids))
            )
        out[name] = df
    bens = out["beneficiaries"]
    wave = out["projects"].merge(out["agreements"][["agreement_id", "wave"]], on="agreement_id")
    wage = bens["project_id"].map(wave.set_index("project_id")["wave"]).map(DAILY_WAGE_MAD)
    start = pd.to_datetime(bens["start_date"])
    end = pd.to_datetime(bens["end_date"])
    p_start = (start.dt.year * 12 + start.dt.month - 1).to_numpy(np.int64)
    p_end = (end.dt.year * 12 + end.dt.month - 1).to_numpy(np.int64)
    n_months = p_end - p_start + 1
    who = np.repeat(np.arange(len(bens)), n_months)
    row_off = np.concatenate([[0], np.cumsum(n_months)[:-1]])
    month = p_start[who] + np.arange(len(who)) - row_off[who]
    end_day = end.dt.day.to_numpy()
    days_end = end.dt.days_in_month.to_numpy()
    full = np.full(len(who), float(WORKING_DAYS_PER_MONTH))
    last = (month == p_end[who]) & (end_day[who] < days_end[who])
    full[last] = np.round(WORKING_DAYS_PER_MONTH * end_day[who[last]] / days_end[who[last]])
    payroll = pd.DataFrame(
        {
            "beneficiary_key": bens["beneficiary_key"].to_numpy()[who],
            "project_id": bens["project_id"].to_numpy()[who],
            "month": _month_dates(month),
        }
    )
    progress = out["progress"].set_index(["project_id", "month"])["person_days"]
    reported = pd.MultiIndex.from_frame(payroll[["project_id", "month"]])
    total = progress.reindex(reported).to_numpy()
    has = ~np.isnan(total)
    rng = np.random.default_rng([int(seed), 7, _province_seed(_KHENIFRA)])
    days = np.maximum(1, full - rng.choice(_ABSENCES, len(who))).astype(np.int64)
    groups, group = np.unique(
        np.char.add(payroll["project_id"].to_numpy(str)[has], payroll["month"].to_numpy(str)[has]),
        return_inverse=True,
    )
    totals = np.zeros(len(groups), dtype=np.int64)
    totals[group] = total[has].astype(np.int64)
    days[has] = _split_by_group(group, full[has], totals)
    payroll["days_worked"] = days
    payroll["amount_paid_mad"] = days * wage.to_numpy()[who]
    out["payroll"] = payroll
    return out


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def _targets(plan_: pd.DataFrame, projects: pd.DataFrame, agreements: pd.DataFrame) -> pd.DataFrame:
    rows = [dict(t) for t in facts.PUBLISHED_TARGETS if t["scope"] == "national"]
    rows += [dict(t) for t in facts.PUBLISHED_TARGETS_NATIONAL if t["scope"] == "national"]
    published = {
        (t["scope_code"], t["wave"]): t
        for t in (*facts.PUBLISHED_TARGETS, *facts.PUBLISHED_TARGETS_NATIONAL)
        if t["scope"] == "province"
    }
    wave = projects.merge(agreements[["agreement_id", "wave"]], on="agreement_id")
    wave["province"] = wave["project_id"].str.split("-").str[0]
    jobs = wave.groupby(["province", "wave"])["planned_jobs"].sum()
    for code in plan_["code"]:
        for w in _WAVES:
            if (code, w) in published:
                rows.append(dict(published[(code, w)]))
                continue
            rows.append(
                {
                    "target_id": f"T-{code}-{w}",
                    "scope": "province",
                    "scope_code": code,
                    "wave": w,
                    "period_start": f"{w}-01",
                    "period_end": f"{w}-12",
                    "jobs_target": int(jobs.get((code, w), 0)),
                    "source": "synthetic: the sample's planned jobs; no target is published "
                    "for this province",
                }
            )
    return pd.DataFrame(rows)


def _frame(df: pd.DataFrame, table: str) -> pd.DataFrame:
    t = schema.TABLES[table]
    df = schema.coerce(df[t.column_names].reset_index(drop=True), t)
    return df.sort_values(list(t.key), ignore_index=True)


def resolve_region(name: str) -> tuple[str, str]:
    """Return (code, French name) of the region ``name`` (code, ``5`` for ``05``, or name).

    Raises
    ------
    UnknownNameError
        When ``name`` names no region (a province is not a region either).
    """
    from ..errors import UnknownNameError
    from ..model.codes import scope_level
    from ..reference.scopes import regions, resolve_scope, scope_label

    text = str(name).strip()
    code = resolve_scope(f"0{text}" if text.isdigit() and len(text) == 1 else text)
    if scope_level(code) != "region":
        raise UnknownNameError(text, "region", list(regions()["name_fr"]))
    return code, scope_label(code, "fr")


def generate_national(seed: int = config.DEFAULT_SEED, region: str | None = None) -> dict[str, Any]:
    """Generate the national sample, or its part in one region.

    Parameters
    ----------
    seed : int
        Random seed; the same seed gives the same tables.
    region : str, optional
        Region code (``05``) or name: only the provinces of that region, with exactly the rows
        the national sample has for them.

    Returns
    -------
    dict
        The seven tables of :data:`awrach_analysis.model.schema.TABLES` (``payroll``
        included), sorted by key, and ``meta`` (the contents of ``dataset.json``).
    """
    seed = int(seed)
    plan_ = plan(seed)
    _, communes = reference()
    if region is not None:
        scope_code, scope_name = resolve_region(region)
        plan_ = plan_[plan_["region_code"] == scope_code].reset_index(drop=True)
        scope = "region"
    else:
        scope, scope_code, scope_name = "national", NATIONAL_CODE, "Maroc"
    parts: dict[str, list[pd.DataFrame]] = {
        k: []
        for k in ("partners", "agreements", "projects", "progress", "beneficiaries", "payroll")
    }
    khenifra_meta = None
    for row in plan_.itertuples(index=False):
        code = row.code
        if code == _KHENIFRA:
            k = _khenifra(seed)
            khenifra_meta = k["meta"]
            for name in parts:
                parts[name].append(k[name])
            continue
        prov = _Province(
            code, pd.Series(row._asdict()), communes[communes["province_code"] == code], seed
        )
        for wave in _WAVES:
            prov.wave(wave)
        tables = {
            name: pd.concat(frames, ignore_index=True) for name, frames in prov.tables.items()
        }
        tables["progress"] = _progress_from_payroll(
            tables["payroll"],
            tables["beneficiaries"],
            tables["projects"],
            seed + _province_seed(code),
        )
        for name in parts:
            parts[name].append(tables[name])
    tables: dict[str, Any] = {
        name: _frame(pd.concat(frames, ignore_index=True), name) for name, frames in parts.items()
    }
    tables["targets"] = _frame(_targets(plan_, tables["projects"], tables["agreements"]), "targets")
    as_of = tables["progress"]["month"].max()
    fact_keys = [f.key for f in facts.FACTS if f.scope in ("national", *plan_["code"])]
    tables["meta"] = {
        "scope": scope,
        "scope_code": scope_code,
        "province_code": scope_code,
        "province": scope_name,
        "is_sample": True,
        "generator": GENERATOR,
        "seed": seed,
        "synthetic_note": SYNTHETIC_NOTE,
        "facts": fact_keys,
        "as_of": as_of.strftime("%Y-%m"),
        "provinces": plan_["code"].tolist(),
        "communes": int(
            (
                communes["province_code"].isin(plan_["code"])
                & (communes["unit_type"] != "arrondissement")
            ).sum()
        ),
        "trouble": (khenifra_meta or {}).get("trouble", {}),
        "parameters": {
            "daily_wage_mad": {str(k): v for k, v in DAILY_WAGE_MAD.items()},
            "working_days_per_month": WORKING_DAYS_PER_MONTH,
            "supervision_fee_mad_per_person_month": SUPERVISION_FEE_MAD,
            "beneficiaries_2023": BENEFICIARIES_2023,
            "women_share_2023": WOMEN_SHARE_2023,
            "rural_weight": round(rural_weight(_communes()), 4),
            "dispersion": DISPERSION,
            "site_size": {str(k): v for k, v in SITE_SIZE.items()},
            "replacement_rate": REPLACEMENT_RATE,
        },
    }
    return tables


__all__ = ["NATIONAL_CODE", "generate_national", "plan", "reference", "resolve_region"]
