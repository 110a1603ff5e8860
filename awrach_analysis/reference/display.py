"""Commune geometry for screens: ring orientation for plotly, simplification, GeoJSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry


def orient_for_plotly(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of ``gdf`` with exterior rings clockwise and holes anticlockwise.

    Plotly (d3) fills the outside of an anticlockwise polygon; this is the orientation
    its ``go.Choropleth`` expects.
    """
    out = gdf.copy()
    values = np.asarray(out.geometry.values, dtype=object)
    out[out.geometry.name] = gpd.GeoSeries(
        shapely.orient_polygons(values, exterior_cw=True), index=out.index, crs=out.crs
    )
    return out


#: Decimals kept in display GeoJSON (5 decimals of a degree is about 1 m).
DISPLAY_DECIMALS = 5


def simplify_for_display(
    gdf: gpd.GeoDataFrame, tolerance: float = 0.002, decimals: int | None = None
) -> gpd.GeoDataFrame:
    """Return a copy of ``gdf`` with lighter geometry for figures, oriented for plotly.

    This is the one place where polygons are made light for display: the GeoJSON of
    :func:`display_geojson` and the maps of :mod:`awrach_analysis.figures.maps` go through it.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons in EPSG:4326 (e.g. from :func:`province_communes`).
    tolerance : float
        Simplification tolerance in degrees (0.002° ≈ 200 m; 0 keeps every vertex).
        When the polygons form a valid coverage (``shapely.coverage_is_valid``: no
        overlap, neighbours share their vertices, as :func:`province_communes` returns
        them), shared borders are simplified once so neighbours stay joined
        (``shapely.coverage_simplify``). Otherwise, for example provinces dissolved from
        communes, whose borders no longer match vertex for vertex, coverage
        simplification finds no shared edge and barely removes a vertex (the 75
        provinces at 0.01°: 94,610 of 257,151 vertices kept, a 2.07 MB GeoJSON); each
        polygon is then simplified on its own, keeping its topology (4,999 vertices,
        107 KB).
    decimals : int, optional
        Round coordinates to this many decimals after simplifying (``None``: keep them).

    Returns
    -------
    geopandas.GeoDataFrame
        Same rows and columns, polygons as MultiPolygons with exterior rings clockwise
        and holes anticlockwise; ``area_km2`` and other figures are not recomputed.
    """
    out = gdf.copy()
    geom = out.geometry
    present = (geom.notna() & ~geom.is_empty).to_numpy()
    values = np.asarray(geom.values, dtype=object).copy()
    part = values[present]
    if len(part) and tolerance:
        if shapely.coverage_is_valid(part):
            part = shapely.coverage_simplify(part, tolerance)
        else:
            part = shapely.simplify(part, tolerance, preserve_topology=True)
    if len(part) and decimals is not None:
        part = shapely.transform(part, lambda xy: np.round(xy, decimals))
    values[present] = [_as_multipolygon(g) for g in part]
    out[out.geometry.name] = gpd.GeoSeries(values, index=out.index, crs=out.crs)
    return orient_for_plotly(out)


def display_geojson(
    gdf: gpd.GeoDataFrame,
    id_column: str = "commune_code",
    tolerance: float | None = 0.002,
    properties: Sequence[str] = ("name_fr", "name_ar"),
    *,
    feature_id: bool = True,
) -> dict:
    """Return a small GeoJSON FeatureCollection for plotly maps.

    Each feature's ``properties[id_column]`` (and ``id``, with ``feature_id``) holds
    ``id_column``, so plotly draws with ``featureidkey="properties.<id_column>"`` (or
    ``featureidkey="id"``). Rows without geometry are left out.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons in EPSG:4326.
    id_column : str
        Column identifying features (``commune_code``, ``cercle_code``...).
    tolerance : float or None
        Simplification tolerance in degrees (see :func:`simplify_for_display`);
        None keeps full detail (still oriented and rounded).
    properties : sequence of str
        Other columns to carry, when present.
    feature_id : bool, default True
        Also set each feature's ``id`` to its ``id_column`` value.

    Returns
    -------
    dict
        GeoJSON in the order of ``gdf``, coordinates rounded to
        :data:`DISPLAY_DECIMALS` decimals (about 1 m), exteriors clockwise.
    """
    light = simplify_for_display(gdf, tolerance or 0, decimals=DISPLAY_DECIMALS)
    light = light[light.geometry.notna() & ~light.geometry.is_empty]
    keep = [id_column, *[p for p in properties if p in light.columns and p != id_column]]
    features = []
    for row, geom in zip(light[keep].itertuples(index=False), light.geometry, strict=True):
        props = {k: (None if pd.isna(v) else v) for k, v in zip(keep, row, strict=True)}
        feature: dict = {"type": "Feature"}
        if feature_id:
            feature["id"] = props[id_column]
        feature["properties"] = props
        feature["geometry"] = json.loads(shapely.to_geojson(geom))
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def _as_multipolygon(geom: BaseGeometry | None) -> BaseGeometry | None:
    geom = _polygonal(geom)
    if geom is None:
        return None
    if geom.geom_type == "Polygon":
        return shapely.MultiPolygon([geom])
    return geom


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry | None:
    """Keep only the polygons of ``geom`` (make_valid may add lines or points)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    return shapely.union_all(parts)


#: Holes in the union of a province's commune polygons smaller than this (km²) are
#: slivers between neighbouring polygons of the source, not areas without a commune.
UNCOVERED_MIN_KM2 = 1.0


def uncovered_areas(
    communes_gdf: gpd.GeoDataFrame, min_km2: float = UNCOVERED_MIN_KM2
) -> gpd.GeoDataFrame:
    """Return the areas inside a province that no commune polygon covers.

    The boundary source leaves holes in some provinces (Khénifra: 143 km² north-west of
    Khénifra city, see ``docs/geography.md``). Maps draw them hatched, with a legend
    entry, so that a reader does not take them for a commune with no data.

    Parameters
    ----------
    communes_gdf : geopandas.GeoDataFrame
        Commune polygons of one province (any CRS; EPSG:4326 when unset).
    min_km2 : float, default :data:`UNCOVERED_MIN_KM2`
        Smaller holes are slivers between polygons and are left out.

    Returns
    -------
    geopandas.GeoDataFrame
        One polygon per uncovered area, in the CRS of ``communes_gdf``, with ``area_km2``.
        The country's (seconds of unions) is cached by its input
        (:func:`~awrach_analysis.reference.cache.cached_derived`).
    """
    from .cache import cached_derived

    return cached_derived(
        f"uncovered-{min_km2:g}",
        communes_gdf,
        lambda: _uncovered_areas(communes_gdf, min_km2),
    )


def _uncovered_areas(communes_gdf: gpd.GeoDataFrame, min_km2: float) -> gpd.GeoDataFrame:
    from .. import config

    geoms = communes_gdf.geometry
    crs = geoms.crs or config.CRS_STORAGE
    geoms = geoms[geoms.notna() & ~geoms.is_empty]
    empty = gpd.GeoDataFrame({"area_km2": []}, geometry=[], crs=crs)
    if not len(geoms):
        return empty
    union = shapely.union_all(np.asarray(geoms.values, dtype=object))
    filled = shapely.union_all(
        [shapely.Polygon(p.exterior) for p in shapely.get_parts(union) if p.geom_type == "Polygon"]
    )
    holes = [h for h in shapely.get_parts(filled.difference(union)) if not h.is_empty]
    if not holes:
        return empty
    out = gpd.GeoDataFrame(geometry=holes, crs=crs)
    out["area_km2"] = out.to_crs(config.CRS_EQUAL_AREA).area / 1e6
    out = out[out["area_km2"] >= min_km2]
    return out.sort_values("area_km2", ascending=False).reset_index(drop=True)[
        ["area_km2", "geometry"]
    ]


def hatch_lines(geom: BaseGeometry, spacing: float, angle: float = 45.0) -> BaseGeometry:
    """Return parallel lines at ``angle`` degrees, ``spacing`` apart, clipped to ``geom``.

    Plotly's map traces cannot fill with a pattern; these lines, drawn as a line trace,
    hatch an area the way the print map's ``///`` hatch does.

    Parameters
    ----------
    geom : shapely geometry
        The (multi)polygon to hatch.
    spacing : float
        Distance between lines, in the units of ``geom``.
    angle : float, default 45
        Direction of the lines, in degrees from the x axis.

    Returns
    -------
    shapely geometry
        A (multi)line string inside ``geom`` (empty when ``geom`` is).
    """
    if geom is None or geom.is_empty:
        return shapely.MultiLineString([])
    x0, y0, x1, y1 = geom.bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = max(x1 - x0, y1 - y0)  # lines long enough to cross the box at any angle
    t = np.radians(angle)
    d = np.array([np.cos(t), np.sin(t)])  # along the lines
    n = np.array([-np.sin(t), np.cos(t)])  # across them
    offsets = np.arange(-half, half + spacing, spacing)
    lines = [
        shapely.LineString([(cx, cy) + o * n - half * d, (cx, cy) + o * n + half * d])
        for o in offsets
    ]
    return shapely.intersection(shapely.MultiLineString(lines), geom)
