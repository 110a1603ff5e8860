"""Name normalisation and exact resolution of province and commune names."""

from __future__ import annotations

import pytest

from awrach_analysis.errors import UnknownNameError
from awrach_analysis.reference import communes
from awrach_analysis.reference.names import (
    COMMUNE_PREFIXES,
    PROVINCE_PREFIXES,
    TIER_OFFICIAL,
    TIER_PART,
    TIER_VARIANT,
    AmbiguousNameError,
    NameIndex,
    fold_arabic,
    name_key,
    name_keys,
)

# Resolving without a province reads every province's names once per worker.

# --- normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Khénifra", "KHENIFRA"),
        ("khenifra", "Khénifra"),
        ("M'Rirt", "Mrirt"),
        ("M’Rirt", "m rirt"),
        ("Had Bouhssoussen", "Had Bou Hssoussen"),
        ("Had Bouhssoussen", "had-bouhssoussen"),
        ("Sidi Yahya Ou Saad", "Sidi Yahia Ou Saad"),
        ("Ouled Ayad", "Oulad Ayad"),
        ("My Driss Aghbal", "Moulay Driss Aghbal"),
        ("Thighza", "Tighza"),
        ("Rhafsai", "Ghafsai"),
        ("Oued Amlil", "Ouad Amlil"),
        ("Béni Mellal", "Bni Mellal"),
        ("Aguelmous", "Aguelmouss"),
        # Arabic: hamza seats, alef maqsura, ta marbuta, tatweel, diacritics, spaces
        ("أكلموس", "اكلموس"),
        ("إفران", "افران"),
        ("آيت إسحاق", "ايت اسحاق"),
        ("سيدي يحيى أوساعد", "سيدي يحيي او ساعد"),
        ("خنيفرة", "خنيفره"),
        ("خنـيـفـرة", "خنيفرة"),
        ("خَنِيفْرَة", "خنيفرة"),
        ("ٱلحمام", "الحمام"),
        ("أڭلموس", "أكلموس"),
    ],
)
def test_spelling_variants_share_a_key(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Khnifra", "Khénifra"),  # a missing vowel is a different spelling, not a variant
        ("Sidi Amar", "Sidi Amer"),
        ("Sidi Amar", "Sidi Lamine"),
        ("El Kbab", "Kbab"),
        ("أحد بوحسوسن", "احد بوحسون"),
        ("سيدي حسين", "سيدي حسن"),
    ],
)
def test_different_names_keep_different_keys(a, b):
    assert name_key(a) != name_key(b)


def test_fold_arabic_maps_each_variant():
    assert fold_arabic("أإآٱ") == "اااا"
    assert fold_arabic("ى ة ؤ ئ") == "ي ه و ي"
    assert fold_arabic("كـتـاب") == "كتاب"
    assert fold_arabic("مُحَمَّد") == "محمد"
    assert fold_arabic("Khénifra") == "Khénifra"  # Latin untouched


@pytest.mark.parametrize(
    ("text", "prefixes", "core"),
    [
        ("Commune de Aguelmous", COMMUNE_PREFIXES, "Aguelmous"),
        ("Commune rurale d'Aguelmous", COMMUNE_PREFIXES, "Aguelmous"),
        ("COMMUNE URBAINE DE KHENIFRA", COMMUNE_PREFIXES, "Khenifra"),
        ("Municipalité de M'Rirt", COMMUNE_PREFIXES, "M'Rirt"),
        ("جماعة أكلموس", COMMUNE_PREFIXES, "أكلموس"),
        ("الجماعة الترابية أكلموس", COMMUNE_PREFIXES, "أكلموس"),
        ("Thighza (Centre)", COMMUNE_PREFIXES, "Thighza"),
        ("تيغزة المركز", COMMUNE_PREFIXES, "تيغزة"),
        ("Province de Khénifra", PROVINCE_PREFIXES, "Khénifra"),
        ("Province d'Ifrane", PROVINCE_PREFIXES, "Ifrane"),
        ("Préfecture de Meknès", PROVINCE_PREFIXES, "Meknès"),
        ("إقليم خنيفرة", PROVINCE_PREFIXES, "خنيفرة"),
        ("عمالة مكناس", PROVINCE_PREFIXES, "مكناس"),
    ],
)
def test_prefixes_and_centre_suffix_are_tried_off(text, prefixes, core):
    keys = name_keys(text, prefixes)
    assert keys[0] == name_key(text)  # the name as written is always tried first
    assert name_key(core) in keys


def test_a_name_that_is_only_a_prefix_word_is_kept():
    assert name_keys("Commune", COMMUNE_PREFIXES) == [name_key("Commune")]


# --- the index ----------------------------------------------------------------------------


@pytest.fixture()
def index():
    idx = NameIndex("commune", COMMUNE_PREFIXES)
    idx.set_label("A.1", "Sidi Ali", "سيدي علي", "P1")
    idx.set_label("A.2", "Tamda", "تامدة", "P1")
    idx.set_label("B.1", "Sidi Ali", "سيدي علي", "P2")
    idx.add("Sidi Ali", "A.1", scope="P1")
    idx.add("سيدي علي", "A.1", scope="P1")
    idx.add("Tamda", "A.2", scope="P1")
    idx.add("Sidi Ali", "B.1", scope="P2")
    idx.add("Tamda Centre Village", "A.2", tier=TIER_PART, scope="P1")
    idx.add("Sidi Ali Ville", "A.1", tier=TIER_VARIANT, scope="P1")
    # A place inside A.2 bearing the official name of A.1 must not hide A.1
    idx.add("Sidi Ali", "A.2", tier=TIER_PART, scope="P1")
    return idx


def test_index_resolves_exact_keys_within_scope(index):
    assert index.resolve("SIDI-ALI", scope="P1") == "A.1"
    assert index.resolve("Commune de Sidi Ali", scope="P2") == "B.1"
    assert index.resolve("سيدي على", scope="P1") == "A.1"
    assert index.resolve("tamda centre village") == "A.2"


def test_index_prefers_the_official_name_to_a_place_inside_another_commune(index):
    assert index.lookup("Sidi Ali", scope="P1") == ["A.1"]


def test_index_reports_ambiguity_with_codes_and_places(index):
    with pytest.raises(AmbiguousNameError) as err:
        index.resolve("Sidi Ali")
    assert isinstance(err.value, UnknownNameError)  # the CLI maps it to exit code 2
    assert err.value.candidates == ["Sidi Ali (A.1, P1)", "Sidi Ali (B.1, P2)"]
    assert "Pass the province" in str(err.value)


def test_index_never_accepts_a_near_miss(index):
    with pytest.raises(UnknownNameError) as err:
        index.resolve("Tamdaa Centr", scope="P1")
    assert err.value.candidates  # suggested ...
    assert index.lookup("Tamdaa Centr", scope="P1") == []  # ... but not resolved
    with pytest.raises(UnknownNameError) as err:
        index.resolve("Sidi Alo", scope="P1")
    assert err.value.candidates[0] == "Sidi Ali"


def test_suggestions_follow_the_script_of_the_query(index):
    with pytest.raises(UnknownNameError) as err:
        index.resolve("سيدي عل", scope="P1")
    assert err.value.candidates == ["سيدي علي"]


def test_index_ignores_blank_names(index):
    before = len(index)
    index.add(None, "A.9")
    index.add("  ", "A.9")
    assert len(index) == before
    assert TIER_OFFICIAL < TIER_VARIANT < TIER_PART


# --- provinces ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Khénifra",
        "khenifra",
        "KHENIFRA",
        "خنيفرة",
        "Province de Khénifra",
        "إقليم خنيفرة",
        "05.301",
        "05301",
        " Khénifra ",
    ],
)
def test_resolve_province_khenifra(text):
    assert communes.resolve_province(text) == "05.301"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Ifrane", "03.271"),
        ("إفران", "03.271"),
        ("Azilal", "05.081"),
        ("Béni Mellal", "05.091"),
        ("Beni-Mellal", "05.091"),
        ("El Kelaa des Sraghna", "07.191"),
        ("Casablanca", "06.141"),
        ("Préfecture de Meknès", "03.061"),
    ],
)
def test_resolve_other_provinces(text, code):
    assert communes.resolve_province(text) == code


def test_unknown_province_lists_the_closest_names():
    with pytest.raises(UnknownNameError) as err:
        communes.resolve_province("Khnifra")
    assert err.value.kind == "province"
    assert err.value.candidates[0] == "Khénifra"
    assert "Did you mean: 'Khénifra'" in str(err.value)


def test_unknown_province_code():
    with pytest.raises(UnknownNameError) as err:
        communes.resolve_province("05.999")
    assert "province code" in str(err.value)


# --- communes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("M'Rirt", "05.301.01.05"),
        ("Mrirt", "05.301.01.05"),
        ("Mririt", "05.301.01.05"),  # explicit alias
        ("MRIRT", "05.301.01.05"),
        ("مريرت", "05.301.01.05"),
        ("Municipalité de M'Rirt", "05.301.01.05"),
        ("Had Bouhssoussen", "05.301.07.09"),
        ("Had Bou Hssoussen", "05.301.07.09"),
        ("أحد بوحسوسن", "05.301.07.09"),
        ("احد بوحسوسن", "05.301.07.09"),
        ("Tighza", "05.301.07.07"),  # urban centre of El Hammam
        ("Thighza", "05.301.07.07"),
        ("تيغزة", "05.301.07.07"),
        ("Kahf Nssar", "05.301.05.25"),  # urban centre of Sidi Lamine
        ("كهف النسور", "05.301.05.25"),
        ("Sidi Yahya Ou Saad", "05.301.03.11"),
        ("سيدي يحيى أوساعد", "05.301.03.11"),
        ("سيدي يحيى أو ساعد", "05.301.03.11"),
        ("Commune rurale d'Aguelmous", "05.301.07.03"),
        ("الجماعة الترابية أكلموس", "05.301.07.03"),
        ("جماعة القباب", "05.301.03.05"),
        ("Khénifra", "05.301.01.01"),
        ("05.301.07.09", "05.301.07.09"),
        ("053010709", "05.301.07.09"),
        ("53010709", "05.301.07.09"),  # the code typed as a number
    ],
)
def test_resolve_commune_spellings(text, code):
    assert communes.resolve_commune(text, province="Khénifra") == code


def test_resolve_commune_without_province():
    assert communes.resolve_commune("Had Bou Hssoussen") == "05.301.07.09"
    assert communes.resolve_commune("Thighza") == "05.301.07.07"
    # an arrondissement resolves to the city commune holding it
    assert communes.resolve_commune("Anfa") == "06.141.01.0"
    # a 2014 code renumbered in 2015 resolves to the 2024 code (Tizguite, Ifrane)
    assert communes.resolve_commune("03.271.81.03") == "03.271.01.07"


def test_ambiguous_commune_name_lists_every_place():
    with pytest.raises(AmbiguousNameError) as err:
        communes.resolve_commune("Sidi Boubker")
    assert err.value.candidates == [
        "Sidi Boubker (02.275.09.15, Jerada)",
        "Sidi Boubker (07.427.09.15, Rehamna)",
    ]
    assert communes.resolve_commune("Sidi Boubker", province="Jerada") == "02.275.09.15"


def test_unknown_commune_lists_candidates_of_the_province():
    with pytest.raises(UnknownNameError) as err:
        communes.resolve_commune("Sidi Amer", province="Khénifra")
    assert err.value.candidates[0] == "Sidi Amar"
    assert "in Khénifra (05.301)" in str(err.value)
    with pytest.raises(UnknownNameError) as err:
        communes.resolve_commune("اكلمو", province="05.301")
    assert "أكلموس" in err.value.candidates


def test_commune_of_another_province_is_refused():
    with pytest.raises(UnknownNameError) as err:
        communes.resolve_commune("03.271.01.01", province="Khénifra")
    assert err.value.candidates == ["Azrou (03.271.01.01, Ifrane)"]
    with pytest.raises(UnknownNameError):
        communes.resolve_commune("Azrou", province="Khénifra")


def test_unknown_commune_code():
    with pytest.raises(UnknownNameError):
        communes.resolve_commune("05.301.07.99")


def test_official_names_never_collide_within_a_province():
    """Normalisation must not merge two different communes of one province."""
    index = communes._commune_index(None)
    clashes = []
    for key, entries in index._entries.items():
        by_scope: dict[str, set[str]] = {}
        for e in entries:
            if e.tier <= TIER_VARIANT:
                by_scope.setdefault(e.scope, set()).add(e.code)
        clashes += [(key, codes) for codes in by_scope.values() if len(codes) > 1]
    assert clashes == []
