"""The roll-out phases: every province has one, matched to HCP codes as published."""

from awrach_analysis.reference import rollout
from awrach_analysis.reference.communes import provinces


def test_every_province_has_exactly_one_phase():
    table = rollout.rollout()
    assert sorted(table["province_code"]) == sorted(provinces()["code"])
    assert table["province_code"].is_unique
    # FACTS.md: 10 provinces in January, 28 named in February (Sidi Kacem also in phase 1)
    assert table["phase"].value_counts().sort_index().to_dict() == {1: 10, 2: 27, 3: 38}


def test_published_names_resolve_to_the_provinces_of_the_press():
    table = rollout.rollout().set_index("province_code")
    assert rollout.phase_of("05.301") == 2  # Khénifra, February 2022 (lavieeco; telquel)
    assert table.loc["05.301", "start_month"] == "2022-02"
    assert rollout.phase_of("03.561") == 3  # Taza, 1 March 2022
    assert rollout.phase_of("05.081") == 1  # Azilal, January 2022
    assert table.loc["04.501", "published_name"] == "Skhirat-Témara"  # HCP: Skhirate-Témara
    assert table.loc["06.371", "published_name"] == "Mohammedia"  # HCP: Mohammadia


def test_sidi_kacem_listed_twice_keeps_the_first_phase_and_says_so():
    row = rollout.rollout().set_index("province_code").loc["04.481"]
    assert row["phase"] == 1 and row["start_month"] == "2022-01"
    assert "also listed in phase 2" in row["note"]
