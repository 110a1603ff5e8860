"""Scopes (issue 14): narrowing a regional data set, --scope, indicators by province."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import regional_util

from awrach_analysis.analysis import indicators, territories
from awrach_analysis.data.sample import build_program
from awrach_analysis.data.scope import narrow
from awrach_analysis.errors import InputError
from awrach_analysis.model import schema
from awrach_analysis.model.program import Program
from awrach_analysis.reference.scopes import scope_communes

KHENIFRA, AZILAL = "05.301", "05.081"


@pytest.fixture(scope="module")
def tables():
    return regional_util.regional_tables()


@pytest.fixture(scope="module")
def region(tables) -> Program:
    """The regional data set as a Program (no file read: the tables as generated)."""
    frames = {n: tables.get(n, schema.empty_frame(n)).copy() for n in schema.TABLES}
    frames = {n: (schema.empty_frame(n) if df.empty else df) for n, df in frames.items()}
    return Program(
        **frames,
        communes=scope_communes("05"),
        province_code="05",
        province="Béni Mellal-Khénifra",
        is_sample=True,
        rows_read={n: len(df) for n, df in frames.items()},
        meta=dict(tables["meta"]),
    )


@pytest.fixture(scope="module")
def khenifra(tables) -> Program:
    return build_program(tables["parts"][KHENIFRA])


# --- narrowing -----------------------------------------------------------------------------


def test_narrow_to_a_province_keeps_exactly_its_rows(region, tables):
    for code in (KHENIFRA, AZILAL):
        part = tables["parts"][code]
        narrowed = narrow(region, code)
        assert narrowed.province_code == code
        for name in ("partners", "agreements", "projects", "progress", "beneficiaries"):
            assert len(narrowed.table(name)) == len(part[name]), (code, name)
            assert narrowed.rows_read[name] == len(part[name])
        # its two wave targets and the national one
        assert sorted(narrowed.targets["scope_code"]) == sorted([code, code, "MA"])
        assert len(narrowed.communes) == len(scope_communes(code))
        # every id of the narrowed set carries the province's tag
        assert narrowed.projects["project_id"].str.startswith(regional_util.tag(code)).all()


def test_narrow_counts_by_hand(region):
    # Khénifra sample (data/sample/*.csv): 62 partners (50 associations, 5 cooperatives,
    # 7 co-signing services), 145 agreements and projects, 675 progress rows, 2,357
    # beneficiaries; Azilal: 91, 225, 225, 1,052, 3,655.
    k = narrow(region, KHENIFRA)
    a = narrow(region, AZILAL)
    assert [len(k.table(n)) for n in ("partners", "agreements", "projects", "progress")] == [
        62,
        145,
        145,
        675,
    ]
    assert len(k.beneficiaries) == 2357
    assert [len(a.table(n)) for n in ("partners", "agreements", "projects", "progress")] == [
        91,
        225,
        225,
        1052,
    ]
    # the region is the sum of its two provinces, nothing lost or doubled
    assert len(region.projects) == 145 + 225


def test_narrowed_region_gives_the_province_headline(region, khenifra):
    narrowed = narrow(region, KHENIFRA)
    mine = indicators.headline(narrowed).set_index("indicator")
    theirs = indicators.headline(khenifra).set_index("indicator")
    pd.testing.assert_frame_equal(mine, theirs)
    assert indicators.jobs_to_date(narrowed)["jobs_to_date"] == 2357


def test_narrow_to_own_scope_is_the_program_and_outside_is_refused(region):
    assert narrow(region, "05") is region
    with pytest.raises(InputError):
        narrow(region, "MA")  # wider than the data
    with pytest.raises(InputError):
        narrow(region, "06.061")  # a province of another region


def test_narrow_quarantine_and_problems_follow_their_rows(region):
    q = {n: pd.DataFrame({"excel_row": pd.array([], dtype="Int64")}) for n in schema.TABLES}
    q["projects"] = pd.DataFrame(
        {
            "id_projet": pd.array(["P301-X1", "P081-X2", "X3"], dtype="string"),
            "commune": pd.array(["05.301.01.01", "50810101", None], dtype="string"),
            "excel_row": pd.array([10, 11, 12], dtype="Int64"),
            "reasons": pd.array(["r", "r", "r"], dtype="string"),
        }
    )
    q["progress"] = pd.DataFrame(
        {
            "id_projet": pd.array(["P301-X1", "P081-P22-001"], dtype="string"),
            "excel_row": pd.array([5, 6], dtype="Int64"),
            "reasons": pd.array(["r", "r"], dtype="string"),
        }
    )
    problems = pd.DataFrame(
        {
            "file": ["projects.csv"] * 3 + ["progress.csv"] * 2 + ["x.txt"],
            "row": pd.array([10, 11, 12, 5, 6, None], dtype="Int64"),
            "rule": ["type"] * 5 + ["unknown_table"],
            "severity": ["error"] * 5 + ["warning"],
            "table": ["projects"] * 3 + ["progress"] * 2 + [""],
        }
    )
    rows_read = dict(region.rows_read)
    rows_read["projects"] += 3
    rows_read["progress"] += 2
    dirty = Program(
        **{n: region.table(n) for n in schema.TABLES},
        communes=region.communes,
        province_code="05",
        province=region.province,
        quarantine=q,
        problems=problems,
        rows_read=rows_read,
    )
    k = narrow(dirty, KHENIFRA)
    assert list(k.quarantine["projects"]["excel_row"]) == [10]
    assert list(k.quarantine["progress"]["excel_row"]) == [5]  # its project is kept
    a = narrow(dirty, AZILAL)
    assert list(a.quarantine["projects"]["excel_row"]) == [11]  # commune typed as digits
    assert list(a.quarantine["progress"]["excel_row"]) == [6]
    for n in schema.TABLES:  # rows read = accepted + quarantined, table by table
        assert k.rows_read[n] == len(k.table(n)) + len(k.quarantine[n])
    assert k.meta["narrowed"]["unplaced_rows"] == {"projects": 1}
    assert sorted(k.problems["row"].dropna().astype(int)) == [5, 10]
    assert (k.problems["file"] == "x.txt").sum() == 1  # a file problem stays


def test_load_narrows_a_regional_folder(tmp_path):
    from awrach_analysis.data.load import load

    regional_util.write_regional(tmp_path / "reg")
    whole = load(tmp_path / "reg")
    assert whole.scope_level == "region" and len(whole.projects) == 370
    k = load(tmp_path / "reg", scope="Khénifra")
    assert k.province_code == KHENIFRA and len(k.projects) == 145
    assert "province_conflict" not in set(k.problems["rule"])
    assert "no_target" not in set(k.problems["rule"])  # said of the region, not of Khénifra


# --- --scope on the command line -----------------------------------------------------------


def test_scope_words():
    from awrach_analysis.cli import scope_text

    assert scope_text(["national"]) == "MA"
    assert scope_text(["region", "Béni", "Mellal-Khénifra"]) == "05"
    assert scope_text(["region", "05"]) == "05"
    assert scope_text(["province", "Khénifra"]) == KHENIFRA
    assert scope_text(["province", "05.301"]) == KHENIFRA
    assert scope_text(None, "Khénifra") == KHENIFRA  # --province, its synonym
    assert scope_text(["province", "Khénifra"], "05.301") == KHENIFRA
    assert scope_text(None, None) is None
    for bad in (["province"], ["national", "x"], ["region"]):
        with pytest.raises(InputError):
            scope_text(bad)
    with pytest.raises(InputError):
        scope_text(["province", "Azilal"], "Khénifra")
    from awrach_analysis.errors import UnknownNameError

    with pytest.raises(UnknownNameError):
        scope_text(["region", "Khénifra"])  # a province, not a region


@pytest.mark.parametrize("command", ["summary", "validate", "report", "slides", "template"])
def test_every_data_command_takes_scope(command):
    from awrach_analysis.cli import _scope, build_parser

    extra = ["out.xlsx"] if command == "template" else []
    args = build_parser().parse_args([command, *extra, "--scope", "region", "Béni Mellal-Khénifra"])
    assert _scope(args) == "05"
    args = build_parser().parse_args([command, *extra, "--province", "Khénifra"])
    assert _scope(args) == KHENIFRA


def test_summary_scope_on_the_command_line(tmp_path, capsys):
    from awrach_analysis.cli import main

    regional_util.write_regional(tmp_path / "reg")
    assert main(["summary", "--data", str(tmp_path / "reg"), "--scope", "province", "Azilal"]) == 0
    assert "Azilal (05.081)" in capsys.readouterr().out
    code = main(["summary", "--data", str(tmp_path / "reg"), "--scope", "province"])
    assert code == 2


# --- indicators by territory -----------------------------------------------------------------


def test_territories_by_province_by_hand(region):
    t = territories.territories(region, "province").set_index("province_code")
    # the 5 provinces of Béni Mellal-Khénifra, the 3 without data at zero
    assert list(t.index) == ["05.081", "05.091", "05.255", "05.301", "05.311"]
    assert t.loc[KHENIFRA, "jobs_to_date"] == 2357 and t.loc[AZILAL, "jobs_to_date"] == 3655
    assert t.loc["05.091", "jobs_to_date"] == 0
    # quotas: Khénifra's published 1,100 + 953; Azilal's synthetic (scaled) 3,184; none else
    assert t.loc[KHENIFRA, "target"] == 2053 and not t.loc[KHENIFRA, "target_synthetic"]
    assert t.loc[AZILAL, "target"] == 3184 and t.loc[AZILAL, "target_synthetic"]
    assert t.loc[["05.091", "05.255", "05.311"], "target"].isna().all()
    assert t.loc[KHENIFRA, "pct_of_target"] == pytest.approx(100 * 2357 / 2053)
    # equity: 2,357 jobs for 28,898 unemployed (census 2024, sum of its 22 communes)
    assert t.loc[KHENIFRA, "unemployed_2024"] == 28898
    assert t.loc[KHENIFRA, "jobs_per_1000_unemployed"] == pytest.approx(1000 * 2357 / 28898)
    share_jobs = 2357 / (2357 + 3655)
    share_unemployed = 28898 / t["unemployed_2024"].sum()
    assert t.loc[KHENIFRA, "equity_ratio"] == pytest.approx(share_jobs / share_unemployed)
    # women share: the published state of the disclosure rule, as the province headline
    k = indicators.headline(narrow(region, KHENIFRA)).set_index("indicator")
    assert t.loc[KHENIFRA, "women_share"] == pytest.approx(k.at["women_share", "value"])
    assert (t["phase"].astype(int).to_dict()) == {
        "05.081": 1,
        "05.091": 3,
        "05.255": 3,
        "05.301": 2,
        "05.311": 3,
    }


def test_region_quota_is_never_made_up(region):
    r = territories.territories(region, "region").iloc[0]
    assert r["jobs_to_date"] == 2357 + 3655
    assert np.isnan(r["target"])  # 3 of 5 provinces have no quota
    assert r["target_partial"] == 2053 + 3184
    assert (r["provinces_with_target"], r["provinces"]) == (2, 5)
    tgt = territories.scope_target(region)
    assert tgt["target"] is None and tgt["provinces_with_target"] == 2
    head = territories.scope_headline(region).set_index("indicator")
    assert np.isnan(head.at["target", "value"]) and np.isnan(head.at["pct_of_target", "value"])


def test_by_phase_and_commune_level(region):
    p = territories.by_phase(region).set_index("phase")
    assert p.loc[1, "jobs_to_date"] == 3655 and p.loc[2, "jobs_to_date"] == 2357
    assert p.loc[3, "jobs_to_date"] == 0 and p.loc[3, "provinces"] == 3
    assert np.isnan(p.loc[3, "target"])
    c = territories.territories(region, "commune")
    assert len(c) == len(scope_communes("05"))
    assert c["jobs_to_date"].sum() == 2357 + 3655
    assert set(c.loc[c["province_code"] == AZILAL, "phase"]) == {1}
