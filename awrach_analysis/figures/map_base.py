"""Shared map parts: offline config, constants, value labels and formats, geometry helpers."""

from __future__ import annotations

import json
import math
import urllib.parse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import config, i18n
from ..reference.cache import cached_derived

if TYPE_CHECKING:  # pragma: no cover - annotations only; imported where used
    pass


# ---------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------

#: A TopoJSON topology with every base layer plotly.js may look up, all empty.
EMPTY_TOPOLOGY: dict[str, Any] = {
    "type": "Topology",
    "objects": {
        name: {"type": "GeometryCollection", "geometries": []}
        for name in ("coastlines", "countries", "lakes", "land", "ocean", "rivers", "subunits")
    },
    "arcs": [],
}

#: ``topojsonURL`` pointing at :data:`EMPTY_TOPOLOGY` as a ``data:`` URI. plotly.js appends
#: ``/<scope>_<resolution>m.json`` to the URL; the trailing ``#`` turns that suffix into a
#: fragment, which browsers ignore when they read a ``data:`` URI.
EMPTY_TOPOJSON_URL = (
    "data:application/json,"
    + urllib.parse.quote(json.dumps(EMPTY_TOPOLOGY, separators=(",", ":"), sort_keys=True))
    + "#"
)

#: Figure config for every map of this module: no CDN topology, no plotly logo.
MAP_CONFIG: dict[str, Any] = {
    "topojsonURL": EMPTY_TOPOJSON_URL,
    "displaylogo": False,
    "responsive": True,
    "typesetMath": False,
}

#: Display simplification tolerance in degrees (about 200 m): communes and provinces.
SIMPLIFY_TOLERANCE = 0.002
NATIONAL_SIMPLIFY_TOLERANCE = 0.01
#: Decimals kept in the embedded GeoJSON (5 decimals is about 1 m).
COORD_DECIMALS = 5

#: Sequential, colour-blind-safe colour scale (light = low, dark = high).
PLOTLY_COLORSCALE = "Viridis"
MPL_CMAP = "viridis_r"
NO_DATA_COLOR = "#d9d9d9"
BOUNDARY_COLOR = "#222222"
#: Hatching of areas no commune polygon covers (a gap in the boundary source).
UNCOVERED_COLOR = "#6b6b6b"

#: Classification schemes of :func:`commune_map_mpl` (``NaturalBreaks`` is computed with the
#: exact, deterministic Fisher-Jenks algorithm, not mapclassify's random k-means).
SCHEMES = ("NaturalBreaks", "Quantiles", "EqualInterval")


# ---------------------------------------------------------------------------
# Language: messages come from the shared catalogue (``map.*`` keys of
# :mod:`awrach_analysis.i18n`); number formats of mapped columns are kept here.
# ---------------------------------------------------------------------------

#: How each known value column is shown: ``int``, ``dec1``, ``dec2``, ``pct`` (already in
#: percent, e.g. 27.7) or ``share`` (a fraction shown as a percentage).
VALUE_FORMATS: dict[str, str] = {
    "projects": "int",
    "planned_jobs": "int",
    "jobs_to_date": "int",
    "population_2024": "int",
    "unemployed_2024": "int",
    "jobs_per_1000_unemployed": "dec1",
    "jobs_per_1000_inhabitants": "dec1",
    "share_of_jobs": "share",
    "share_of_unemployed": "share",
    "equity_ratio": "dec2",
    "unemployment_rate_2024": "pct",
    "fill_rate": "share",
    "pct_of_target": "pct",
    "share_of_target": "share",
    "share_of_planned_jobs": "share",
}


def value_label(column: str, lang: str) -> str:
    """Return the display label of a mapped column (the column name when it has none).

    Parameters
    ----------
    column : str
        Indicator column, e.g. ``"jobs_per_1000_unemployed"``.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The label of the shared catalogue (``col.<column>``).
    """
    i18n.check_lang(lang)
    try:
        return i18n.column_label(column, lang)
    except KeyError:
        return column


def format_value(x: Any, column: str, lang: str = config.DEFAULT_LANGUAGE) -> str:
    """Format one value of ``column`` for a map label, hover text or legend.

    Parameters
    ----------
    x : number or None
        The value (missing values give the catalogue's "n.d." / "غير متوفر" / "n/a").
    column : str
        Column the value comes from; :data:`VALUE_FORMATS` says how it is shown
        (unknown columns get one decimal, or none for whole numbers).
    lang : {"fr", "ar", "en"}
        Language of the separators (:mod:`awrach_analysis.i18n`).

    Returns
    -------
    str
        For example ``"1 234"`` and ``"27,7 %"`` in French, ``"1,234"`` and ``"27.7%"``
        in English.
    """
    i18n.check_lang(lang)
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return i18n.fmt_num(None, lang)
    kind = VALUE_FORMATS.get(column)
    if kind is None:
        kind = "int" if float(x).is_integer() else "dec1"
    if kind == "int":
        return i18n.fmt_int(x, lang)
    if kind in ("dec1", "dec2"):
        return i18n.fmt_num(x, lang, 1 if kind == "dec1" else 2)
    share = float(x) if kind == "share" else float(x) / 100
    return i18n.fmt_pct(share, lang, 1)


def _names(df: pd.DataFrame, level: str, lang: str) -> pd.Series:
    """Return the display name of every row (:func:`awrach_analysis.i18n.group_label`)."""
    names = [i18n.group_label(row, level, lang) for row in df.to_dict("records")]
    return pd.Series(names, index=df.index, dtype=object)


# ---------------------------------------------------------------------------
# Geometry helpers
# ---------------------------------------------------------------------------


def display_geometry(
    gdf: gpd.GeoDataFrame,
    tolerance: float = SIMPLIFY_TOLERANCE,
    decimals: int = COORD_DECIMALS,
) -> gpd.GeoDataFrame:
    """Return ``gdf`` ready for display: WGS 84, simplified, rounded, exteriors clockwise.

    Rows without geometry (missing or empty) are dropped; the rest goes through
    :func:`awrach_analysis.reference.communes.simplify_for_display`, which simplifies a valid
    coverage as a whole (neighbours keep a common edge) and any other set of polygons
    (e.g. provinces dissolved from communes) one polygon at a time.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons in any CRS (assumed EPSG:4326 when the CRS is unset).
    tolerance : float, default :data:`SIMPLIFY_TOLERANCE`
        Simplification tolerance in degrees; 0 keeps every vertex.
    decimals : int, default :data:`COORD_DECIMALS`
        Decimals kept in each coordinate.

    Returns
    -------
    geopandas.GeoDataFrame
        A new frame in EPSG:4326 with exterior rings clockwise and holes
        counter-clockwise (the orientation plotly.js fills correctly).
    """
    from ..reference.communes import simplify_for_display

    out = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if out.crs is None:
        out = out.set_crs(config.CRS_STORAGE)
    elif not out.crs.equals(config.CRS_STORAGE):
        out = out.to_crs(config.CRS_STORAGE)
    return simplify_for_display(out, tolerance, decimals=decimals)


def to_geojson(gdf: gpd.GeoDataFrame, key: str) -> dict[str, Any]:
    """Return a GeoJSON FeatureCollection whose only property is ``key``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Prepared geometry (see :func:`display_geometry`), one row per place.
    key : str
        Code column, used by plotly as ``featureidkey="properties.<key>"``.

    Returns
    -------
    dict
        Features in the order of ``gdf``, without ``id`` (``to_json`` would use the row
        index, which plotly cannot match), written by
        :func:`awrach_analysis.reference.communes.display_geojson`.
    """
    from ..reference.communes import display_geojson

    return display_geojson(
        gdf.assign(**{key: gdf[key].astype(str)}),
        key,
        tolerance=None,
        properties=(),
        feature_id=False,
    )


def _dissolve(gdf: gpd.GeoDataFrame, by: str, keep: Sequence[str]) -> gpd.GeoDataFrame:
    """Dissolve ``gdf`` by ``by`` (rows with a code only), closing slivers between parts."""
    src = gdf[gdf[by].notna() & gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if src.crs is None:
        src = src.set_crs(config.CRS_STORAGE)
    cols = [c for c in keep if c in src.columns]
    rows = []
    for code, part in src.groupby(src[by].astype(str), sort=True):
        merged = shapely.union_all(np.asarray(part.geometry.values, dtype=object))
        # Close hairline gaps between neighbours of an untidy coverage (~30 m).
        eps = 3e-4 if src.crs.is_geographic else 30.0
        merged = merged.buffer(eps, join_style="mitre").buffer(-eps, join_style="mitre")
        row = {by: code, **{c: part[c].iloc[0] for c in cols}}
        row["geometry"] = merged
        rows.append(row)
    columns = [by, *cols, "geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry="geometry", crs=src.crs)


def cercle_shapes(communes_gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return one polygon per cercle, dissolved from the communes.

    Communes without a cercle (urban municipalities in the HCP nomenclature) are left out.

    Parameters
    ----------
    communes_gdf : geopandas.GeoDataFrame
        Communes with ``cercle_code`` (and optionally ``cercle_fr``, ``cercle_ar``).

    Returns
    -------
    geopandas.GeoDataFrame
        ``cercle_code``, ``cercle_fr``, ``cercle_ar`` (when present), ``geometry``.
    """
    if "cercle_code" not in communes_gdf:
        return gpd.GeoDataFrame(
            {"cercle_code": []}, geometry=gpd.GeoSeries([]), crs=communes_gdf.crs
        )
    return _dissolve(communes_gdf, "cercle_code", ("cercle_fr", "cercle_ar"))


def province_shapes(communes_gdf: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Return one polygon per province, dissolved from communes.

    Parameters
    ----------
    communes_gdf : geopandas.GeoDataFrame, optional
        Communes with ``province_code`` (and optionally ``province_fr``, ``province_ar``,
        ``region_code``). Default: every commune of the country
        (:func:`awrach_analysis.reference.communes.all_communes`).

    Returns
    -------
    geopandas.GeoDataFrame
        ``province_code``, ``province_fr``, ``province_ar``, ``region_code`` (when present)
        and ``geometry``; provinces whose communes have no boundary at all are absent.
    """
    if communes_gdf is None:
        from ..reference.communes import all_communes

        communes_gdf = all_communes()
    keep = ("province_fr", "province_ar", "region_code")
    return cached_derived(  # the country's provinces: seconds of unions, once per install
        "provinces",
        communes_gdf,
        lambda: _dissolve(communes_gdf, "province_code", keep),
        ("province_code", *keep),
    )


def missing_boundaries(
    context_df: pd.DataFrame,
    communes_gdf: gpd.GeoDataFrame,
    key: str = "commune_code",
) -> pd.DataFrame:
    """Return the places of ``context_df`` that cannot be drawn.

    A place cannot be drawn when ``has_boundary`` is False (in either frame), when its
    geometry is missing or empty, or when ``communes_gdf`` has no row with its code.

    Parameters
    ----------
    context_df : pandas.DataFrame
        One row per place, with ``key`` and optionally ``name_fr``, ``name_ar``.
    communes_gdf : geopandas.GeoDataFrame
        Geometry with ``key`` and optionally ``has_boundary``.
    key : str, default "commune_code"
        Code column shared by both frames.

    Returns
    -------
    pandas.DataFrame
        ``key``, ``name_fr``, ``name_ar`` of every place that is not drawn, in the order
        of ``context_df``.
    """
    codes = context_df[key].astype(str)
    geo = communes_gdf.assign(_code=communes_gdf[key].astype(str))
    geo = geo.drop_duplicates("_code").set_index("_code")
    drawable = pd.Series(False, index=codes.index)
    known = codes.isin(geo.index)
    geom = np.asarray(geo.geometry.reindex(codes[known]).values, dtype=object)
    ok = ~(pd.isna(geom) | shapely.is_empty(geom))
    if "has_boundary" in geo:
        ok &= geo["has_boundary"].reindex(codes[known]).fillna(False).astype(bool).to_numpy()
    drawable[known] = ok
    if "has_boundary" in context_df:
        drawable &= context_df["has_boundary"].fillna(False).astype(bool)
    out = context_df.loc[~drawable].copy()
    out[key] = codes[~drawable]
    level = key.removesuffix("_code")  # names may be "name_fr" or e.g. "province_fr"
    for lang in ("fr", "ar"):
        col = f"name_{lang}"
        for source in (col, f"{level}_{lang}"):
            if col in out and out[col].notna().all():
                break
            if source in context_df:
                found = context_df.loc[out.index, source] if source != col else out[col]
            elif source in geo:
                found = pd.Series(geo[source].reindex(out[key]).to_numpy(), index=out.index)
            else:
                continue
            out[col] = out[col].fillna(found) if col in out else found
        if col not in out:
            out[col] = pd.NA
    return out[[key, "name_fr", "name_ar"]].reset_index(drop=True)


def _check_inputs(df: pd.DataFrame, gdf: gpd.GeoDataFrame, key: str, value: str) -> None:
    for frame, what in ((df, "context table"), (gdf, "geometry")):
        if key not in frame:
            raise ValueError(
                f"The {what} has no {key!r} column (columns: {', '.join(map(str, frame.columns))})."
            )
    if value not in df:
        numeric = [
            c
            for c in df.columns
            if pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_bool_dtype(df[c])
            and c != key
        ]
        raise ValueError(
            f"Cannot map {value!r}: the context table has no such column. "
            f"Map one of: {', '.join(map(str, numeric))}."
        )
    dup = df[key][df[key].duplicated()]
    if len(dup):
        raise ValueError(
            f"The context table has several rows for {key} {', '.join(map(str, dup.unique()))}; "
            "give one row per place (aggregate first)."
        )


def _numeric(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def outline_shapes(communes_gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the outlines a commune map draws: cercles of one province, else provinces."""
    if "province_code" in communes_gdf and communes_gdf["province_code"].nunique() > 1:
        return province_shapes(communes_gdf)
    return cercle_shapes(communes_gdf)


def _outline_level(outlines: gpd.GeoDataFrame) -> str:
    """``"cercle"`` or ``"province"``: what the outlines of :func:`outline_shapes` are."""
    return "province" if "cercle_code" not in outlines and "province_code" in outlines else "cercle"


def _province_title(value: str, gdf: gpd.GeoDataFrame, lang: str) -> str:
    """Return "<value> – <place>": the province, or the region or country of many provinces."""
    label = value_label(value, lang)
    codes = gdf["province_code"].dropna().astype(str).unique() if "province_code" in gdf else []
    if len(codes) > 1:
        from ..reference.scopes import scope_label

        regions = {code.split(".")[0] for code in codes}
        if len(regions) == 1:
            region = scope_label(regions.pop(), lang)
            return f"{label} – {i18n.t('scope.heading.region', lang, name=region)}"
        return f"{label} – {scope_label('MA', lang)}"
    place = _province_label(gdf, lang)
    return f"{label} – {i18n.t('ui.province_of', lang, name=place)}" if place else label


def _province_label(gdf: gpd.GeoDataFrame, lang: str) -> str:
    from ..reference.communes import province_label

    if "province_code" in gdf and gdf["province_code"].notna().any():
        return province_label(str(gdf["province_code"].dropna().iloc[0]), lang)
    return ""
