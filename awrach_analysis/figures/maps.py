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
  arrow, cercle boundaries, notes and source line; :func:`national_map_mpl` is the print
  twin of :func:`national_map` (provinces).

Both take the ``commune_context`` table of :mod:`awrach_analysis.analysis.indicators` (one row per
commune) and the communes GeoDataFrame of the programme (``program.communes``).

This module is the public entry point and re-exports every name of its parts:
:mod:`.map_base` (offline config, constants, value formats, geometry helpers),
:mod:`.map_plotly` (interactive maps, HTML) and :mod:`.map_print` (the static print map).
"""

# ruff: noqa: F401 (this module re-exports the names of its parts, private ones included)

from __future__ import annotations

from .map_base import (
    BOUNDARY_COLOR,
    COORD_DECIMALS,
    EMPTY_TOPOJSON_URL,
    EMPTY_TOPOLOGY,
    MAP_CONFIG,
    MPL_CMAP,
    NATIONAL_SIMPLIFY_TOLERANCE,
    NO_DATA_COLOR,
    PLOTLY_COLORSCALE,
    SCHEMES,
    SIMPLIFY_TOLERANCE,
    UNCOVERED_COLOR,
    VALUE_FORMATS,
    _check_inputs,
    _dissolve,
    _names,
    _numeric,
    _province_label,
    _province_title,
    cercle_shapes,
    display_geometry,
    format_value,
    missing_boundaries,
    outline_shapes,
    province_shapes,
    to_geojson,
    value_label,
)
from .map_plotly import (
    _HOVER_LINES,
    _boundary_lines,
    _choropleth_figure,
    _drawn_geojson,
    _hover_texts,
    _map_layout,
    _map_names,
    _no_data_trace,
    _notes_below,
    _outline_trace,
    _uncovered_trace,
    _value_trace,
    commune_map,
    map_html,
    national_map,
    write_map_html,
)
from .map_print import (
    _MAPCLASSIFY_SCHEMES,
    _class_labels,
    _commune_map_mpl,
    _draw_cercles,
    _draw_classes,
    _draw_province_outline,
    _draw_uncovered,
    _fit_legend,
    _legend_and_marks,
    _mpl_path,
    _nice_length,
    _notes_and_source,
    _place_labels,
    _print_shapes,
    _renderer,
    _rings,
    add_north_arrow,
    add_scale_bar,
    classify,
    commune_map_mpl,
    metric_crs,
    national_map_mpl,
)
