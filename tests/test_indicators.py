"""Indicators on the tiny fixture (expected values counted by hand from its docstring)."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pandas as pd
import pytest

from awrach_analysis.analysis import indicators as ind
from awrach_analysis.model import schema
from awrach_analysis.model.program import Program
from awrach_analysis.testing import tiny_program

T = pd.Timestamp
LEVELS = list(ind.LEVELS)


@pytest.fixture(scope="session")
def tiny() -> Program:
    # Indicators are pure: sharing one fixture across tests also checks they do not mutate.
    return tiny_program()


def months(*values: str) -> list[pd.Timestamp]:
    return [T(v) for v in values]


def replace_table(program: Program, **tables) -> Program:
    return dataclasses.replace(program, **tables)


# --- monthly_jobs ----------------------------------------------------------------------


def test_monthly_jobs_all_waves(tiny):
    m = ind.monthly_jobs(tiny)
    gap = ["2022-07", "2022-08", "2022-09", "2022-10", "2022-11", "2022-12", "2023-01"]
    assert list(m["month"]) == months(
        "2022-03", "2022-04", "2022-05", "2022-06", *gap, "2023-02", "2023-03", "2023-04", "2023-05"
    )
    z = [0] * 7
    assert list(m["jobs_filled"]) == [22, 27, 18, 24, *z, 14, 14, 14, 6]
    # Sex and age: the published state (disclosure rule, batches of >= 5 per project),
    # not the monthly report counts. K22-01 10 people (3 women, 6 young) from 2022-03, its
    # replacement (+1 in 2022-05) never published; K22-03 12 (2, 7) from 2022-03; K22-04
    # 5 (5, 2) from 2022-04, its sixth (2022-06) never; K22-02 8 (4, 5) from 2022-05;
    # K23-01 8 (2, 4) and K23-02 6 (3, 3) from 2023-02.
    assert list(m["people_published"]) == [22, 27, 35, 35, *[35] * 7, 49, 49, 49, 49]
    assert list(m["women"]) == [5, 10, 14, 14, *[14] * 7, 19, 19, 19, 19]
    assert list(m["youth"]) == [13, 15, 20, 20, *[20] * 7, 27, 27, 27, 27]
    assert list(m["person_days"]) == [484, 584, 396, 516, *z, 308, 308, 308, 132]
    assert m["fte"].iloc[1] == pytest.approx(584 / 22)
    assert m["fte"].iloc[-1] == pytest.approx(6.0)
    assert list(m["wages_paid_mad"]) == [48400, 58400, 39600, 51600, *z, 30800, 30800, 30800, 13200]
    assert list(m["new_beneficiaries"]) == [22, 5, 9, 1, *z, 14, 0, 0, 0]
    assert list(m["jobs_to_date"]) == [22, 27, 36, 37, *[37] * 7, 51, 51, 51, 51]
    assert list(m["change_jobs_to_date"]) == [22, 5, 9, 1, *z, 14, 0, 0, 0]
    assert (m["target"] == 60).all()  # 40 (2022) + 20 (2023)
    assert m["pct_of_target"].iloc[-1] == pytest.approx(85.0)
    assert list(m["gap"].iloc[[0, 3, -1]]) == [38, 23, 9]
    assert m["wave"].isna().all()
    assert m.attrs["jobs_to_date_method"] == "beneficiaries"


def test_monthly_jobs_one_wave_and_as_of(tiny):
    m = ind.monthly_jobs(tiny, wave=2022)
    assert list(m["month"]) == months("2022-03", "2022-04", "2022-05", "2022-06")
    assert list(m["wave"]) == [2022] * 4
    assert list(m["target"]) == [40] * 4
    assert list(m["pct_of_target"]) == pytest.approx([55.0, 67.5, 90.0, 92.5])
    assert list(m["gap"]) == [18, 13, 4, 3]
    early = ind.monthly_jobs(tiny, as_of="2022-04")
    assert list(early["jobs_to_date"]) == [22, 27]
    assert list(early["jobs_filled"]) == [22, 27]
    # Any date inside the month means that month.
    pd.testing.assert_frame_equal(early, ind.monthly_jobs(tiny, as_of=T("2022-04-17")))
    w23 = ind.monthly_jobs(tiny, wave=2023)
    assert list(w23["jobs_to_date"]) == [14, 14, 14, 14]
    assert list(w23["pct_of_target"]) == pytest.approx([70.0] * 4)


def test_without_beneficiaries_jobs_to_date_is_the_peak_lower_bound(tiny):
    q = replace_table(tiny, beneficiaries=schema.empty_frame("beneficiaries"))
    m = ind.monthly_jobs(q, wave=2022)
    # Running peaks: K22-01 10, K22-03 12 (03); + K22-04 5 (04); + K22-02 8 (05);
    # K22-04 peak 5 -> 6 (06). The replacement in K22-01 is missed: 36, not 37.
    assert list(m["jobs_to_date"]) == [22, 27, 35, 36]
    assert list(m["new_beneficiaries"]) == [22, 5, 8, 1]
    assert m.attrs["jobs_to_date_method"] == "peak_jobs_filled"
    assert ind.monthly_jobs(q)["jobs_to_date"].iloc[-1] == 50
    h = ind.headline(q).set_index("indicator")
    # Women and youth of each project's first peak month, in the published state: K22-04's
    # peak moved 5 -> 6 in June, one person, so it stays published at 5 (April, 5 women):
    # 3+4+2+5 (2022) + 2+3 (2023) women among 10+8+12+5+8+6 = 49 people.
    assert h.loc["women_share", "value"] == pytest.approx(19 / 49)
    assert h.loc["youth_share", "value"] == pytest.approx((6 + 5 + 7 + 2 + 4 + 3) / 49)


def test_projects_with_jobs_but_no_beneficiary_rows_make_the_method_mixed(tiny):
    b = tiny.beneficiaries
    q = replace_table(tiny, beneficiaries=b[b["project_id"] != "K22-03"])
    m = ind.monthly_jobs(q, wave=2022)
    assert m.attrs["jobs_to_date_method"] == "mixed"
    assert list(m["jobs_to_date"]) == [22, 27, 36, 37]  # K22-03: peak 12 = its 12 people


# --- monthly_breakdown -----------------------------------------------------------------


def test_monthly_breakdown_by_partner_type_by_hand(tiny):
    mb = ind.monthly_breakdown(tiny, "partner_type")
    assert list(mb.columns) == [
        "month",
        "partner_type",
        "jobs_filled",
        "people_published",
        "women",
        "youth",
        "person_days",
        "wages_paid_mad",
        "new_beneficiaries",
        "jobs_to_date",
    ]
    # 15 months (2022-03 .. 2023-05, the empty months included) x 2 partner types.
    assert len(mb) == 30
    assert list(mb["partner_type"].iloc[:4]) == ["association", "cooperative"] * 2
    assoc = mb[mb["partner_type"] == "association"].reset_index(drop=True)
    coop = mb[mb["partner_type"] == "cooperative"].reset_index(drop=True)
    assert list(assoc["month"]) == list(ind.monthly_jobs(tiny)["month"])
    z = [0] * 7
    # Associations (P01: K22-01, K22-02, K23-01, K23-02; P02: K22-03, K22-05):
    # 2022-03 10 + 12, 2022-04 10 + 12, 2022-05 10 + 8 + 0 (suspended) + 0 (cancelled),
    # 2022-06 10 + 8, then K23-01 8 + K23-02 6 until K23-01 ends after 2023-04.
    assert list(assoc["jobs_filled"]) == [22, 22, 18, 18, *z, 14, 14, 14, 6]
    # Women of the published states (see test_monthly_jobs_all_waves): K22-01 3 + K22-03
    # 2 from 2022-03, K22-02 4 from 2022-05, K23-01 2 + K23-02 3 from 2023-02.
    assert list(assoc["women"]) == [5, 5, 9, 9, *[9] * 7, 14, 14, 14, 14]
    # Cooperative P03: K22-04 (5 in 2022-04, no report in 2022-05, 6 in 2022-06) and
    # K23-03, which never reports: months without report are zeros, not gaps.
    assert list(coop["jobs_filled"]) == [0, 5, 0, 6, *z, 0, 0, 0, 0]
    assert list(coop["person_days"]) == [0, 100, 0, 120, *z, 0, 0, 0, 0]
    assert list(coop["wages_paid_mad"]) == [0, 10000, 0, 12000, *z, 0, 0, 0, 0]
    # Contracts: K22-04 5 people from 2022-04 and 1 from 2022-06.
    assert list(coop["new_beneficiaries"]) == [0, 5, 0, 1, *z, 0, 0, 0, 0]
    assert list(coop["jobs_to_date"]) == [0, 5, 5, 6, *[6] * 7, 6, 6, 6, 6]
    assert list(assoc["jobs_to_date"]) == [22, 22, 31, 31, *[31] * 7, 45, 45, 45, 45]
    assert mb.attrs["jobs_to_date_method"] == "beneficiaries"


def test_monthly_breakdown_adds_up_to_monthly_jobs(tiny):
    for kw in ({}, {"wave": 2022, "as_of": "2022-05"}, {"wave": 2023}):
        assert_monthly_breakdowns_add_up(tiny, **kw)


def test_monthly_breakdown_wave_as_of_and_keys(tiny):
    mb = ind.monthly_breakdown(tiny, "cercle", wave=2022, as_of="2022-05")
    assert list(mb["month"].unique()) == months("2022-03", "2022-04", "2022-05")
    # Cercle 05.301.05 (Khénifra: K22-04), 05.301.07 (Aguelmous: K22-03, K22-05) and the
    # urban municipality, which belongs to no cercle (K22-01, K22-02), last.
    assert list(mb["cercle_code"].iloc[:3]) == ["05.301.05", "05.301.07", pd.NA]
    assert list(mb["name_fr"].iloc[:2]) == ["Khénifra", "Aguelmous"]
    may = mb[mb["month"] == T("2022-05")]
    assert list(may["jobs_filled"]) == [0, 0, 18]
    assert str(mb["cercle_code"].dtype) == "string"
    w = ind.monthly_breakdown(tiny, "wave")
    assert str(w["wave"].dtype) == "Int64"
    assert list(w.loc[w["month"] == T("2023-02"), "jobs_filled"]) == [0, 14]
    with pytest.raises(ValueError, match="by='douar' is not a breakdown level"):
        ind.monthly_breakdown(tiny, "douar")


def assert_monthly_breakdowns_add_up(program, wave=None, as_of=None):
    m = ind.monthly_jobs(program, wave=wave, as_of=as_of)
    columns = [
        "jobs_filled",
        "people_published",
        "women",
        "youth",
        "person_days",
        "wages_paid_mad",
        "new_beneficiaries",
        "jobs_to_date",
    ]
    for level in LEVELS:
        mb = ind.monthly_breakdown(program, level, wave=wave, as_of=as_of)
        total = mb.groupby("month", sort=True)[columns].sum()
        assert list(total.index) == list(m["month"]), level
        for col in columns:
            np.testing.assert_allclose(total[col], m[col], err_msg=f"{level} {col}")
        groups = len(ind.breakdown(program, level, wave=wave, as_of=as_of))
        assert len(mb) == groups * len(m), level  # every group in every month


# --- headline --------------------------------------------------------------------------


def test_headline(tiny):
    h = ind.headline(tiny).set_index("indicator")
    assert list(h.index) == [
        "agreements",
        "active_projects",
        "jobs_filled_month",
        "jobs_to_date",
        "target",
        "pct_of_target",
        "women_share",
        "youth_share",
        "wages_paid_mad",
    ]
    expected = {  # value, previous (2023-04)
        "agreements": (5, 5),
        "active_projects": (1, 2),
        "jobs_filled_month": (6, 14),
        "jobs_to_date": (51, 51),
        "target": (60, 60),
        "pct_of_target": (85.0, 85.0),
        # among the 49 people of the published state (disclosure rule, see inclusion)
        "women_share": (19 / 49, 19 / 49),
        "youth_share": (27 / 49, 27 / 49),
        "wages_paid_mad": (303_600, 290_400),
    }
    for key, (value, previous) in expected.items():
        assert h.loc[key, "value"] == pytest.approx(value), key
        assert h.loc[key, "previous"] == pytest.approx(previous), key
        assert h.loc[key, "change"] == pytest.approx(value - previous), key
    assert h.loc["pct_of_target", "unit"] == "%"
    assert h.loc["women_share", "unit"] == "share"


def test_headline_one_wave_early(tiny):
    h = ind.headline(tiny, as_of="2022-03", wave=2022).set_index("indicator")
    # Signed by 2022-03-31: A2201, A2202, A2203; by 2022-02-28: A2201, A2202.
    assert (h.loc["agreements", "value"], h.loc["agreements", "previous"]) == (3, 2)
    assert h.loc["active_projects", "value"] == 2  # K22-01, K22-03
    assert h.loc["jobs_to_date", "value"] == 22
    assert h.loc["target", "value"] == 40
    assert h.loc["pct_of_target", "value"] == pytest.approx(55.0)
    assert h.loc["women_share", "value"] == pytest.approx(5 / 22)
    assert h.loc["wages_paid_mad", "value"] == 48_400
    assert h.loc["wages_paid_mad", "previous"] == 0


# --- breakdown -------------------------------------------------------------------------


def test_breakdown_by_commune(tiny):
    b = ind.breakdown(tiny, "commune")
    assert list(b.columns[:3]) == ["commune_code", "name_fr", "name_ar"]
    rows = b.set_index("commune_code")
    # Khénifra: K22-01 (11 people), K22-02 (8), K23-01 (8).
    assert rows.loc[
        "05.301.01.01",
        [
            "projects",
            "planned_jobs",
            "jobs_to_date",
            "women",
            "youth",
            "person_days",
            "wages_paid_mad",
            "peak_jobs_filled",
        ],
    ].tolist() == [3, 28, 27, 9, 15, 1760, 176_000, 26]  # published youth: K22-01 6
    # El Hammam: K22-03 (12 people), K22-05 cancelled, K23-03 not started.
    assert rows.loc[
        "05.301.07.07",
        ["projects", "planned_jobs", "jobs_to_date", "women", "youth", "person_days"],
    ].tolist() == [3, 23, 12, 2, 7, 528]
    assert rows.loc["05.301.07.07", "fill_rate"] == pytest.approx(12 / 23)
    # Sidi Lamine: K22-04 (6 people), K23-02 (6).
    assert rows.loc[
        "05.301.05.25", ["projects", "planned_jobs", "jobs_to_date", "women", "youth"]
    ].tolist() == [2, 16, 12, 8, 5]  # published: K22-04 5 (5 women), K23-02 6 (3)
    assert rows.loc["05.301.05.25", "name_ar"] == "سيدي لامين"


def test_breakdown_by_cercle_keeps_the_municipality_without_cercle(tiny):
    b = ind.breakdown(tiny, "cercle")
    assert list(b["cercle_code"].fillna("none")) == ["05.301.05", "05.301.07", "none"]
    assert list(b["name_fr"].fillna("none")) == ["Khénifra", "Aguelmous", "none"]
    assert list(b["jobs_to_date"]) == [12, 12, 27]
    assert b["jobs_to_date"].sum() == 51


def test_breakdown_other_levels(tiny):
    pt = ind.breakdown(tiny, "partner_type").set_index("partner_type")
    assert pt.loc["association", ["projects", "planned_jobs", "jobs_to_date"]].tolist() == [
        6,
        52,
        45,
    ]
    assert pt.loc["cooperative", ["projects", "planned_jobs", "jobs_to_date"]].tolist() == [
        2,
        15,
        6,
    ]
    assert pt.loc["cooperative", "fill_rate"] == pytest.approx(6 / 15)
    partner = ind.breakdown(tiny, "partner")
    assert list(partner["partner_id"]) == ["P01", "P02", "P03"]  # co-signers have no project
    assert list(partner["jobs_to_date"]) == [33, 12, 6]
    assert list(partner["partner_type"]) == ["association", "association", "cooperative"]
    ct = ind.breakdown(tiny, "commune_type").set_index("commune_type")
    assert ct.loc["urban", "jobs_to_date"] == 27
    assert ct.loc["rural", "jobs_to_date"] == 24
    wave = ind.breakdown(tiny, "wave").set_index("wave")
    assert wave.loc[
        2022, ["projects", "planned_jobs", "jobs_to_date", "women", "youth"]
    ].tolist() == [5, 48, 37, 14, 20]  # published: 35 people of 37
    assert wave.loc[2023, ["person_days", "wages_paid_mad"]].tolist() == [1056, 105_600]
    domain = ind.breakdown(tiny, "domain")
    # Vocabulary order, only domains with a project.
    assert list(domain["domain"]) == [
        "site_works_environment",
        "green_spaces",
        "trails",
        "heritage",
        "social_care",
        "education_support",
        "archive_digitisation",
        "culture_sport",
    ]
    assert list(domain["jobs_to_date"]) == [11, 0, 12, 6, 6, 8, 8, 0]


def test_breakdown_as_of_and_wave(tiny):
    b = ind.breakdown(tiny, "commune", as_of="2022-04", wave=2022).set_index("commune_code")
    # Known at 2022-04: all 2022 projects (signed by 2022-03-01).
    assert b.loc["05.301.01.01", ["projects", "jobs_to_date", "person_days"]].tolist() == [
        2,
        10,
        440,
    ]
    assert b.loc["05.301.05.25", ["projects", "jobs_to_date", "person_days"]].tolist() == [
        1,
        5,
        100,
    ]
    before = ind.breakdown(tiny, "partner", as_of="2022-02")
    assert list(before["partner_id"]) == ["P01", "P02"]  # A2203 signed 2022-03-01
    assert before["jobs_to_date"].sum() == 0


def test_breakdown_rejects_unknown_level(tiny):
    with pytest.raises(ValueError, match="douar.*commune|commune.*cercle"):
        ind.breakdown(tiny, "douar")


def test_breakdown_by_province_sums_the_provinces_projects(tiny):
    by_province = ind.breakdown(tiny, "province")
    assert list(by_province["province_code"]) == [tiny.province_code]
    assert int(by_province["projects"].sum()) == int(
        ind.breakdown(tiny, "commune")["projects"].sum()
    )


@pytest.mark.parametrize("wave", [None, 2022, 2023])
def test_breakdowns_add_up_to_the_province(tiny, wave):
    assert_breakdowns_add_up(tiny, wave=wave)


def province_totals(program, wave=None, as_of=None):
    m = ind.monthly_jobs(program, wave=wave, as_of=as_of)
    s = ind.schedule(program, wave=wave, as_of=as_of)
    h = ind.headline(program, wave=wave, as_of=as_of).set_index("indicator")["value"]
    return {
        "projects": len(s),
        "planned_jobs": int(s["planned_jobs"].sum()),
        "jobs_to_date": int(m["jobs_to_date"].iloc[-1]) if len(m) else 0,
        "person_days": float(m["person_days"].sum()),
        "wages_paid_mad": float(m["wages_paid_mad"].sum()),
        "peak_jobs_filled": int(s["peak_jobs_filled"].sum()),
        "women": float(ind.breakdown(program, "wave", wave=wave, as_of=as_of)["women"].sum()),
        "women_share": h["women_share"],
    }


def assert_breakdowns_add_up(program, wave=None, as_of=None):
    total = province_totals(program, wave, as_of)
    for level in LEVELS:
        b = ind.breakdown(program, level, wave=wave, as_of=as_of)
        for col, value in total.items():
            if col == "women_share":
                continue
            assert b[col].sum() == pytest.approx(value), (level, col)
        m = ind.money(program, by=level, wave=wave, as_of=as_of)
        assert m["wages_paid_mad"].sum() == pytest.approx(total["wages_paid_mad"]), level
        assert m["jobs_to_date"].sum() == total["jobs_to_date"], level
    assert_monthly_breakdowns_add_up(program, wave=wave, as_of=as_of)
    inc = ind.inclusion(program, wave=wave, as_of=as_of)
    # inclusion counts the published state (disclosure rule): the jobs to date minus the
    # people not published yet; the headline shares are of the same people.
    people = inc["people"].iloc[0]
    shown = total["jobs_to_date"] - inc.attrs["unpublished"]
    assert people == shown or (people == "<5" and shown < 5)
    if people != "<5" and inc["women"].iloc[0] not in ("<5", "x") and shown:
        assert total["women_share"] == pytest.approx(inc["women"].iloc[0] / shown)


# --- commune_context -------------------------------------------------------------------


def test_commune_context(tiny):
    c = ind.commune_context(tiny).set_index("commune_code")
    assert list(c.index) == ["05.301.01.01", "05.301.05.25", "05.301.07.07"]
    assert c["jobs_to_date"].tolist() == [27, 12, 12]
    assert c["projects"].tolist() == [3, 2, 3]
    assert c["jobs_per_1000_unemployed"].tolist() == pytest.approx([27 / 8.5, 12.0, 24.0])
    assert c["jobs_per_1000_inhabitants"].tolist() == pytest.approx([0.225, 0.75, 1.2])
    assert c["share_of_jobs"].tolist() == pytest.approx([27 / 51, 12 / 51, 12 / 51])
    assert c["share_of_unemployed"].tolist() == pytest.approx([0.85, 0.10, 0.05])
    assert c["equity_ratio"].tolist() == pytest.approx(
        [27 / 51 / 0.85, 12 / 51 / 0.10, 12 / 51 / 0.05]
    )
    assert pd.isna(c.loc["05.301.01.01", "cercle_code"])
    assert c.loc["05.301.07.07", "commune_type"] == "rural"
    assert c["has_boundary"].all()


def test_commune_context_reports_jobs_outside_the_reference_communes(tiny):
    pj = tiny.projects.copy()
    pj.loc[pj.project_id == "K22-03", "commune_code"] = "05.301.03.01"  # Ait Ishaq: not in table
    c = ind.commune_context(replace_table(tiny, projects=pj))
    assert c.attrs["jobs_outside_communes"] == 12
    assert c["jobs_to_date"].sum() == 51 - 12
    assert ind.commune_context(tiny).attrs["jobs_outside_communes"] == 0
    # The breakdown keeps it, with empty labels, so that totals still add up.
    b = ind.breakdown(replace_table(tiny, projects=pj), "commune").set_index("commune_code")
    assert b.loc["05.301.03.01", "jobs_to_date"] == 12
    assert pd.isna(b.loc["05.301.03.01", "name_fr"])


def test_commune_context_keeps_communes_without_project(tiny):
    c = ind.commune_context(tiny, wave=2023).set_index("commune_code")
    assert len(c) == 3
    # 2023: K23-01 in Khénifra (8 people), K23-02 in Sidi Lamine (6), K23-03 not started.
    assert c["jobs_to_date"].tolist() == [8, 6, 0]
    assert c["projects"].tolist() == [1, 1, 1]
    c = ind.commune_context(tiny, as_of="2022-02").set_index("commune_code")
    assert c.loc["05.301.05.25", ["projects", "planned_jobs", "jobs_to_date"]].tolist() == [0, 0, 0]
    assert c["share_of_jobs"].isna().all()  # no job anywhere: 0 / 0


# --- schedule and attention ------------------------------------------------------------

EXPECTED_FLAGS = {
    "K22-01": (),
    "K22-02": ("late_start",),
    "K22-03": ("suspended", "overdue"),
    "K22-04": ("missing_report", "underfilled"),
    "K22-05": ("cancelled",),
    "K23-01": (),
    "K23-02": ("stalled",),
    "K23-03": ("not_started",),
}


def test_schedule(tiny):
    s = ind.schedule(tiny).set_index("project_id")
    assert s["flags"].to_dict() == EXPECTED_FLAGS
    assert s["status"].tolist() == [
        "completed",
        "completed",
        "suspended",
        "completed",
        "cancelled",
        "completed",
        "ongoing",
        "planned",
    ]
    assert s.loc["K22-02", "actual_start"] == T("2022-05")
    assert s.loc["K22-02", "start_delay_months"] == 2
    assert s.loc["K22-02", "fill_rate"] == pytest.approx(0.8)  # exactly 80 %: not underfilled
    assert s.loc["K22-04", "fill_rate"] == pytest.approx(0.6)
    assert s.loc["K22-04", "missing_months"] == 1
    assert s.loc["K22-04", "reason"] == "missing_report"
    assert s.loc["K22-03", "physical_progress_pct"] == 40
    assert s.loc["K22-03", "last_report"] == T("2022-06")
    assert pd.isna(s.loc["K23-03", "actual_start"])
    assert pd.isna(s.loc["K23-03", "last_report"])
    assert pd.isna(s.loc["K23-03", "start_delay_months"])
    assert s.loc["K23-02", "partner_id"] == "P01"
    assert s.loc["K23-02", "wave"] == 2023
    assert set(s["reason"].dropna()) <= set(ind.REASONS)


def test_schedule_flags_depend_on_as_of(tiny):
    def flags(as_of, wave=None):
        return ind.schedule(tiny, as_of=as_of, wave=wave).set_index("project_id")["flags"]

    # 2022-06: K22-03 suspended but not yet overdue (planned end 2022-06-30).
    assert flags("2022-06")["K22-03"] == ("suspended",)
    assert flags("2022-07")["K22-03"] == ("suspended", "overdue")
    # 2022-04: K22-02 has not started (planned 2022-03) and K22-04 has no gap yet.
    f = flags("2022-04")
    assert f["K22-02"] == ("not_started",)
    assert f["K22-04"] == ("underfilled",)
    # 2022-05: K22-04 is ongoing and did not report May: one missing month up to as_of.
    assert flags("2022-05")["K22-04"] == ("missing_report", "underfilled")
    # Stalled needs 2 unchanged months: only 1 at 2023-04.
    assert flags("2023-04", 2023)["K23-02"] == ()
    assert flags("2023-05", 2023)["K23-02"] == ("stalled",)
    # K23-03 is due from 2023-03.
    assert flags("2023-02", 2023)["K23-03"] == ()
    assert flags("2023-03", 2023)["K23-03"] == ("not_started",)


def test_missing_report_runs_up_to_as_of_while_ongoing(tiny):
    prog = tiny.progress
    q = replace_table(
        tiny, progress=prog[~((prog.project_id == "K23-02") & (prog.month == T("2023-05")))]
    )
    s = ind.schedule(q, as_of="2023-05").set_index("project_id")
    assert s.loc["K23-02", "flags"] == ("missing_report",)  # 40 -> 40 once: not stalled
    assert s.loc["K23-02", "missing_months"] == 1
    assert s.loc["K23-02", "reports"] == 3


def test_attention_sorted_by_severity(tiny):
    a = ind.attention(tiny)
    assert list(a["project_id"]) == ["K22-03", "K23-03", "K23-02", "K22-04", "K22-05", "K22-02"]
    assert list(a["reason"]) == [
        "suspended",
        "not_started",
        "stalled",
        "missing_report",
        "cancelled",
        "late_start",
    ]
    assert list(a["severity"]) == [1, 2, 3, 5, 6, 8]
    assert list(a.columns) == list(ind.schedule(tiny).columns)


# --- forecast --------------------------------------------------------------------------


def test_forecast_reachable(tiny):
    f = ind.forecast(tiny, wave=2022, as_of="2022-06", method="linear")
    # Increases over 2022-04..06: +5, +9, +1 -> mean 5, min 1, max 9; 3 jobs to go.
    assert f["target"] == 40 and f["achieved"] == 37
    assert (f["pace_per_month"], f["pace_low"], f["pace_high"]) == (5.0, 1.0, 9.0)
    assert f["month_reached"] == T("2022-07")  # ceil(3 / 5) = 1 month
    assert f["month_low"] == T("2022-07")  # ceil(3 / 9) = 1
    assert f["month_high"] == T("2022-09")  # ceil(3 / 1) = 3
    assert f["reachable"] is True
    assert f["period_end"] == T("2022-12")
    assert f["method"] == "linear_mean_increase_3m"


def test_forecast_not_reachable_with_no_pace(tiny):
    f = ind.forecast(tiny, wave=2023, method="linear")
    # 14 of 20 and no new contract in 2023-03..05.
    assert (f["achieved"], f["target"], f["pace_per_month"]) == (14, 20, 0.0)
    assert f["month_reached"] is None and f["month_high"] is None
    assert f["reachable"] is False
    assert f["share_of_target"] == pytest.approx(0.7)


def test_forecast_not_reachable_before_period_end(tiny):
    t = tiny.targets.copy()
    t.loc[t.target_id == "T-05.301-2022", "jobs_target"] = 100
    f = ind.forecast(replace_table(tiny, targets=t), wave=2022, as_of="2022-06", method="linear")
    # 63 to go at 5 a month: ceil(12.6) = 13 months -> 2023-07, after 2022-12.
    assert f["month_reached"] == T("2023-07")
    assert f["month_low"] == T("2023-01")  # ceil(63 / 9) = 7
    assert f["month_high"] == T("2027-09")  # 63 months at 1 a month
    assert f["reachable"] is False


def test_forecast_already_reached(tiny):
    t = tiny.targets.copy()
    t.loc[t.target_id == "T-05.301-2022", "jobs_target"] = 30
    f = ind.forecast(replace_table(tiny, targets=t), wave=2022, as_of="2022-06", method="linear")
    assert f["month_reached"] == T("2022-05")  # 27 in April, 36 in May
    assert f["reachable"] is True


def test_forecast_national_is_the_province_contribution(tiny):
    f = ind.forecast(tiny, scope="national", method="linear")
    assert f["target"] == 250_000
    assert f["achieved"] == 51
    assert f["period_end"] == T("2023-12")
    assert "province_contribution" in f["method"]
    assert "not measurable" in f["note"]
    assert f["reachable"] is False


def test_forecast_without_target(tiny):
    t = tiny.targets[tiny.targets.scope != "province"]
    f = ind.forecast(replace_table(tiny, targets=t), wave=2022, method="linear")
    assert f["target"] is None and f["reachable"] is None
    assert f["achieved"] == 37


def test_forecast_pipeline_from_planned_projects_and_fill_rate(tiny):
    # Wave 2022 at 2022-04: 27 jobs to date, target 40. Started: K22-01 (peak 10 of 10),
    # K22-03 (12 of 12), K22-04 (5 of 10): fill rate 27 / 32 = 0.84375, no start delay.
    # Not started: K22-02 (10 planned, planned start 2022-03 passed: starts 2022-05) and
    # K22-05 (6, planned 2022-05). No completed project, no replacement yet.
    f = ind.forecast(tiny, wave=2022, as_of="2022-04")
    assert f["method"] == "pipeline"
    assert (f["achieved"], f["pipeline_projects"], f["pipeline_jobs"]) == (27, 2, 16)
    assert f["fill_rate"] == pytest.approx(27 / 32)
    # Central: May adds 16 x 0.84375 = 13.5, plus the 5 contracts K22-04 still owes (one
    # per planned job: no project has completed yet) spread over May-June: 2.5 -> 43.
    assert f["path_mid"][:2] == pytest.approx([27, 43.0])
    assert f["month_reached"] == T("2022-05") and f["month_low"] == T("2022-05")
    # Late: one month later and the lower quartile of fill rates (0.75): K22-02 in May
    # (+7.5), K22-05 in June (+4.5): 39 < 40, never reached -> open band.
    assert f["path_low"][:3] == pytest.approx([27, 34.5, 39.0])
    assert f["month_high"] is None
    assert f["reachable"] is True


def test_forecast_rejects_an_unknown_method(tiny):
    with pytest.raises(ValueError, match="pipeline.*linear"):
        ind.forecast(tiny, method="magic")


def test_backtest_compares_each_month_with_when_the_target_was_reached(tiny):
    # Target 30 for wave 2022: jobs to date 22 (March), 27 (April), 36 (May): reached May.
    t = tiny.targets.copy()
    t.loc[t.target_id == "T-05.301-2022", "jobs_target"] = 30
    bt = ind.backtest(replace_table(tiny, targets=t), waves=[2022])
    rows = {(r.as_of.strftime("%Y-%m"), r.method): r for r in bt.itertuples()}
    assert sorted(rows) == [
        ("2022-03", "linear"),
        ("2022-03", "pipeline"),
        ("2022-04", "linear"),
        ("2022-04", "pipeline"),
    ]
    assert set(bt["actual"]) == {T("2022-05")}
    # Linear at March: increases 0, 0, 22 -> 8 to go at 7.33 a month: May; band April ..
    # open (slowest increase 0): inside, error 0.
    r = rows["2022-03", "linear"]
    assert (r.month_reached, r.month_low, r.inside, r.error_months) == (
        T("2022-05"),
        T("2022-04"),
        True,
        0.0,
    )
    assert pd.isna(r.month_high)
    # Pipeline at March: K22-01 and K22-03 full (fill 1); K22-02 (10, planned March) and
    # K22-04 (10, April) start in April: 22 + 20 = 42 -> April in every scenario (late: one
    # month later, K22-02 still April, 32 >= 30): band April .. April, one month early.
    r = rows["2022-03", "pipeline"]
    assert (r.month_reached, r.month_low, r.month_high) == (T("2022-04"),) * 3
    assert (r.inside, r.error_months) == (False, -1.0)
    # April: both methods say May.
    assert rows["2022-04", "linear"].error_months == 0.0
    assert rows["2022-04", "pipeline"].error_months == 0.0 and rows["2022-04", "pipeline"].inside
    summary = ind.backtest_summary(bt)
    assert summary.loc["linear", "inside_share"] == 1.0
    assert summary.loc["pipeline", "inside_share"] == 0.5
    assert summary.loc["pipeline", "mean_abs_error_months"] == 0.5
    assert summary.loc["pipeline", "months"] == 2


# --- inclusion and suppression ---------------------------------------------------------


def test_inclusion_by_commune_suppresses_small_cells(tiny):
    inc = ind.inclusion(tiny, by="commune")
    assert list(inc["commune_code"].fillna("total")) == [
        "05.301.01.01",
        "05.301.05.25",
        "05.301.07.07",
        "total",
    ]
    # Disclosure rule: K22-01's 11th hire (a young man, May) and K22-04's 6th (a woman,
    # June) each joined alone, fewer than 5 new people since the project's last release:
    # they are not counted yet (2 unpublished).
    assert list(inc["people"]) == [26, 11, 12, 49]
    assert inc.attrs["unpublished"] == 2
    # El Hammam has 2 women (< 5). Sidi Lamine has 8 women but only 3 men: women hidden
    # ("x") so that the men cannot be computed, which also protects El Hammam's cell.
    assert list(inc["women"]) == [9, "x", "<5", 19]
    assert list(inc["youth"]) == [15, 5, 7, 27]
    assert inc["women_share"].iloc[0] == pytest.approx(9 / 26)
    assert np.isnan(inc["women_share"].iloc[1]) and np.isnan(inc["women_share"].iloc[2])
    assert inc["youth_share"].iloc[1] == pytest.approx(5 / 11)
    assert list(inc["is_total"]) == [False, False, False, True]
    assert inc["women"].dtype == object


def test_inclusion_province_and_person_levels(tiny):
    total = ind.inclusion(tiny)
    # 51 people, less the 2 lone late hires of 2022 (see above): 49.
    assert total[["people", "women", "youth"]].iloc[0].tolist() == [49, 19, 27]
    assert total["women_share"].iloc[0] == pytest.approx(19 / 49)
    by_wave = ind.inclusion(tiny, by="wave")
    assert by_wave[["people", "women", "youth"]].values.tolist() == [
        [35, 14, 20],
        [14, 5, 7],
        [49, 19, 27],
    ]
    bands = ind.inclusion(tiny, by="age_band")
    assert list(bands["age_band"].fillna("total")) == [
        "15-24",
        "25-34",
        "35-44",
        "45-54",
        "55+",
        "total",
    ]
    # The table by age band moves as a whole (disclosure rule): the 14 hires of 2023-02
    # add fewer than 5 people to some band, so it stays at the 35 people of 2022.
    assert bands["people"].iloc[:-1].astype(int).sum() == 35
    assert bands["people"].iloc[-1] == 35
    q = replace_table(tiny, beneficiaries=schema.empty_frame("beneficiaries"))
    with pytest.raises(ValueError, match="beneficiaries"):
        ind.inclusion(q, by="age_band")


def test_inclusion_as_of(tiny):
    inc = ind.inclusion(tiny, as_of="2022-03")
    # 22 people by 2022-03: 10 in K22-01 (3 women) and 12 in K22-03 (2 women).
    assert inc[["people", "women", "youth"]].iloc[0].tolist() == [22, 5, 13]


def original_values(frame, col):
    return frame[col].astype(int).tolist()


def feasible_values(hidden_ranges, known_sum):
    """Values each hidden cell can take, given each cell's range and the cells' sum."""
    out = []
    for i, (lo, hi) in enumerate(hidden_ranges):
        others = [r for j, r in enumerate(hidden_ranges) if j != i]
        reachable = {0}
        for a, b in others:
            reachable = {s + v for s in reachable for v in range(a, b + 1) if s + v <= known_sum}
        out.append({v for v in range(lo, hi + 1) if known_sum - v in reachable})
    return out


def check_suppressed(raw: pd.DataFrame, out: pd.DataFrame, threshold=5):
    cols = ["people", "women", "youth"]
    hidden = out.attrs["suppressed"]
    for c in cols:
        for i in range(len(raw)):
            v, shown = raw[c].iloc[i], out[c].iloc[i]
            if v < threshold:
                assert shown == "<5", (c, i)  # every small count is hidden ...
            elif shown != "x":
                assert shown == v and not hidden[c].iloc[i]  # ... and shown ones are exact
            else:
                assert hidden[c].iloc[i]
    total = raw.index[raw["is_total"]]
    detail = raw.index[~raw["is_total"]]
    for c in cols:
        if len(total) and out.loc[total[0], c] not in ("<5", "x"):
            # Subtraction from the total must leave every hidden cell at least 2 values.
            hid = [i for i in detail if out.loc[i, c] in ("<5", "x")]
            known = int(raw.loc[total[0], c] - sum(raw.loc[i, c] for i in detail if i not in hid))
            ranges = [
                (0, threshold - 1) if out.loc[i, c] == "<5" else (threshold, known) for i in hid
            ]
            for i, values in zip(hid, feasible_values(ranges, known), strict=True):
                assert len(values) > 1, (c, i, values)
                assert raw.loc[i, c] in values
    for part in ("women", "youth"):
        rest = raw["people"] - raw[part]
        for i in raw.index:
            if rest[i] >= threshold:
                continue
            p_shown = out.loc[i, "people"] not in ("<5", "x")
            if p_shown and out.loc[i, part] not in ("<5", "x"):
                raise AssertionError(f"row {i}: {part} and people shown, complement {rest[i]}")
            if p_shown and out.loc[i, part] == "x":
                assert raw.loc[i, "people"] > threshold  # x >= 5 must not pin the complement


@pytest.mark.parametrize("seed", range(40))
def test_suppression_never_leaks_a_small_count(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 6))
    people = rng.integers(0, 16, n)
    women = np.array([rng.integers(0, p + 1) for p in people])
    youth = np.array([rng.integers(0, p + 1) for p in people])
    raw = pd.DataFrame(
        {
            "group": [f"g{i}" for i in range(n)],
            "people": people,
            "women": women,
            "youth": youth,
            "is_total": False,
        }
    )
    total = pd.DataFrame(
        {
            "group": [pd.NA],
            "people": [people.sum()],
            "women": [women.sum()],
            "youth": [youth.sum()],
            "is_total": [True],
        }
    )
    raw = pd.concat([raw, total], ignore_index=True)
    out = ind.suppress_small(
        raw, ["people", "women", "youth"], complements={"women": "people", "youth": "people"}
    )
    check_suppressed(raw, out)
    assert list(out["group"]) == list(raw["group"])


def test_suppression_hand_cases():
    # Two zeros under a shown total of 12 would both be known to be 0.
    raw = pd.DataFrame({"people": [0, 0, 12, 12], "is_total": [False, False, False, True]})
    out = ind.suppress_small(raw, ["people"])
    assert list(out["people"]) == ["<5", "<5", "x", 12]
    # One small cell: the smallest other cell is hidden with it.
    raw = pd.DataFrame({"people": [3, 7, 9, 19], "is_total": [False, False, False, True]})
    assert list(ind.suppress_small(raw, ["people"])["people"]) == ["<5", "x", 9, 19]
    # Without a total row only small cells are hidden.
    raw = pd.DataFrame({"people": [3, 7]})
    assert list(ind.suppress_small(raw, ["people"])["people"]) == ["<5", 7]
    with pytest.raises(KeyError, match="women"):
        ind.suppress_small(raw, ["people"], complements={"women": "people"})


# --- money and reporting ---------------------------------------------------------------


def test_money(tiny):
    m = ind.money(tiny).iloc[0]
    assert m["budget_mad"] == 1_000_000
    assert m["wages_paid_mad"] == 303_600
    assert m["jobs_to_date"] == 51
    assert m["person_months"] == pytest.approx(138.0)  # 3,036 person-days / 22
    assert m["cost_per_job"] == pytest.approx(303_600 / 51)
    assert m["cost_per_person_month"] == pytest.approx(2_200.0)
    w = ind.money(tiny, by="wave").set_index("wave")
    assert w["budget_mad"].tolist() == [650_000, 350_000]
    assert w["person_months"].tolist() == pytest.approx([90.0, 48.0])
    assert w["cost_per_job"].tolist() == pytest.approx([198_000 / 37, 105_600 / 14])
    d = ind.money(tiny, by="domain").set_index("domain")
    assert np.isnan(d.loc["green_spaces", "cost_per_job"])  # no job yet: no unit cost


def test_reporting(tiny):
    r = ind.reporting(tiny).set_index("partner_id")
    assert list(r.index) == ["P01", "P02", "P03"]
    assert r["projects"].tolist() == [4, 2, 2]
    # P01: 4 + 4 + 3 + 4 months; P02: 4 + 1; P03: K22-04 2 of 3, K23-03 never reported.
    assert r["months_expected"].tolist() == [15, 5, 3]
    assert r["months_reported"].tolist() == [15, 5, 2]
    assert r["missing_months"].tolist() == [0, 0, 1]
    assert r["punctuality"].tolist() == pytest.approx([1.0, 1.0, 2 / 3])
    assert r["projects_never_reported"].tolist() == [0, 0, 1]
    assert r["fill_rate"].tolist() == pytest.approx([32 / 34, 12 / 18, 6 / 15])
    assert r.loc["P03", "partner_type"] == "cooperative"
    assert r.loc["P02", "name_ar"] == "جمعية أجدير"


def grid_of(df: pd.DataFrame, column: str) -> dict[str, list[int]]:
    """``{partner: [value of each month]}`` of a reporting grid."""
    return {pid: g[column].tolist() for pid, g in df.groupby("partner_id", sort=True)}


def test_reporting_grid_by_hand(tiny):
    g = ind.reporting_grid(tiny)
    # 3 partners x the 15 months 2022-03 .. 2023-05 (first report .. K23-02 ongoing at as_of)
    assert len(g) == 45
    assert g["month"].iloc[:15].tolist() == list(pd.date_range("2022-03", "2023-05", freq="MS"))
    gap = [0] * 7  # 2022-07 .. 2023-01: no project in its active span
    # P01: K22-01 and K22-02 2022-03..06, K23-01 2023-02..04, K23-02 2023-02..05 (ongoing)
    # P02: K22-03 2022-03..06, K22-05 2022-05 only; P03: K22-04 2022-04..06, no 2022-05
    # report; K23-03 never reported, so never expected.
    assert grid_of(g, "projects_expected") == {
        "P01": [2, 2, 2, 2, *gap, 2, 2, 2, 1],
        "P02": [1, 1, 2, 1, *gap, 0, 0, 0, 0],
        "P03": [0, 1, 1, 1, *gap, 0, 0, 0, 0],
    }
    assert grid_of(g, "projects_missing") == {
        "P01": [0] * 15,
        "P02": [0] * 15,
        "P03": [0, 0, 1, 0, *gap, 0, 0, 0, 0],
    }
    assert (g["projects_reported"] == g["projects_expected"] - g["projects_missing"]).all()
    assert g["partner_id"].dtype == "string" and g.attrs["as_of"] == T("2023-05")


def test_reporting_grid_span_runs_to_as_of_while_ongoing(tiny):
    # At 2023-06 K23-02 (P01) is still ongoing, its June report missing; P03's only 2023
    # project (K23-03) never reported: a row of zeros, not a missing partner.
    g = ind.reporting_grid(tiny, as_of="2023-06", wave=2023)
    assert g["month"].dt.strftime("%Y-%m").unique().tolist() == [
        "2023-02",
        "2023-03",
        "2023-04",
        "2023-05",
        "2023-06",
    ]
    assert grid_of(g, "projects_expected") == {"P01": [2, 2, 2, 1, 1], "P03": [0] * 5}
    assert grid_of(g, "projects_reported") == {"P01": [2, 2, 2, 1, 0], "P03": [0] * 5}
    # At 2022-05, K22-04 (P03) is ongoing after its 2022-04 report: 2022-05 is missing.
    early = ind.reporting_grid(tiny, as_of="2022-05", wave=2022)
    assert grid_of(early, "projects_missing") == {"P01": [0] * 3, "P02": [0] * 3, "P03": [0, 0, 1]}
    assert grid_of(early, "projects_expected")["P02"] == [1, 1, 2]  # K22-05 in 2022-05


def assert_reporting_grid_adds_up(program: Program, **kw) -> None:
    grid = ind.reporting_grid(program, **kw)
    rep = ind.reporting(program, **kw).set_index("partner_id")
    sums = grid.groupby("partner_id")[
        ["projects_expected", "projects_reported", "projects_missing"]
    ].sum()
    if len(grid):
        assert set(grid["partner_id"]) == set(rep.index)
        assert grid.groupby("partner_id").size().nunique() == 1  # every partner, every month
    sums = sums.reindex(rep.index, fill_value=0)
    assert sums["projects_expected"].tolist() == rep["months_expected"].tolist()
    assert sums["projects_reported"].tolist() == rep["months_reported"].tolist()
    assert sums["projects_missing"].tolist() == rep["missing_months"].tolist()


@pytest.mark.parametrize("kw", [{}, {"wave": 2022}, {"as_of": "2022-05"}, {"as_of": "2023-06"}])
def test_reporting_grid_totals_match_reporting(tiny, kw):
    assert_reporting_grid_adds_up(tiny, **kw)


def test_rank_reporting_puts_the_least_complete_first(tiny):
    r = ind.rank_reporting(ind.reporting(tiny))
    # P03 (2 of 3 months, one project never reported) first; P01 and P02 complete, by id.
    assert r["partner_id"].tolist() == ["P03", "P01", "P02"]
    assert r["complete"].tolist() == [False, True, True]
    # A partner whose only project never reported has no punctuality: it comes first.
    r23 = ind.rank_reporting(ind.reporting(tiny, wave=2023))
    assert r23["partner_id"].tolist() == ["P03", "P01"]
    assert np.isnan(r23["punctuality"].iloc[0]) and not r23["complete"].iloc[0]


def test_flag_counts_by_hand(tiny):
    # At 2023-06: overdue K22-03, K23-02 (planned end 2023-05), K23-03; missing_report
    # K22-04 and K23-02 (June report of an ongoing project); every other flag once.
    counts = ind.flag_counts(ind.schedule(tiny, as_of="2023-06"))["projects"]
    assert list(counts.index) == list(ind.SEVERITY)
    assert counts.to_dict() == {
        "suspended": 1,
        "not_started": 1,
        "stalled": 1,
        "overdue": 3,
        "missing_report": 2,
        "cancelled": 1,
        "underfilled": 1,
        "late_start": 1,
    }
    # Wave 2022 at 2022-04: K22-02 (planned 2022-03) has no job yet; K22-04 has 5 of 10.
    early = ind.flag_counts(ind.attention(tiny, as_of="2022-04", wave=2022))["projects"]
    assert early[early > 0].to_dict() == {"not_started": 1, "underfilled": 1}


def test_project_crosstab_by_hand(tiny):
    t = ind.project_crosstab(tiny, "commune", "partner_type")
    # Khénifra: K22-01, K22-02, K23-01 (P01); Sidi Lamine: K22-04 (P03), K23-02 (P01);
    # El Hammam: K22-03, K22-05 (P02), K23-03 (P03).
    assert t.index.tolist() == ["05.301.01.01", "05.301.05.25", "05.301.07.07", "total"]
    assert t.columns.tolist() == ["association", "cooperative", "total"]
    assert t.to_numpy().tolist() == [[3, 0, 3], [1, 1, 2], [2, 1, 3], [6, 2, 8]]
    w = ind.project_crosstab(tiny, "wave", "partner_type", as_of="2022-12")
    assert w.to_dict("index") == {
        2022: {"association": 4, "cooperative": 1, "total": 5},
        "total": {"association": 4, "cooperative": 1, "total": 5},
    }
    with pytest.raises(ValueError, match="two different levels"):
        ind.project_crosstab(tiny, "domain", "domain")


def test_headline_by_wave_holds_each_wave_and_all_waves(tiny):
    h = ind.headline_by_wave(tiny)
    assert h.columns.tolist()[:2] == [2022, 2023] and pd.isna(h.columns[2])
    assert h.loc["target"].tolist() == [40, 20, 60]
    assert h.loc["jobs_to_date"].tolist() == [37, 14, 51]
    assert h.loc["pct_of_target"].tolist() == pytest.approx([92.5, 70.0, 85.0])
    assert h.attrs["units"]["wages_paid_mad"] == "MAD"
    assert ind.headline_by_wave(tiny, as_of="2022-04").loc["jobs_to_date"].tolist() == [27, 0, 27]


# --- properties: order, as_of, purity, errors ------------------------------------------

ALL_CALLS = {
    "monthly_jobs": lambda p, **kw: ind.monthly_jobs(p, **kw),
    "headline": lambda p, **kw: ind.headline(p, **kw),
    **{f"breakdown_{lvl}": functools.partial(ind.breakdown, by=lvl) for lvl in LEVELS},
    "monthly_breakdown_partner": functools.partial(ind.monthly_breakdown, by="partner"),
    "monthly_breakdown_cercle": functools.partial(ind.monthly_breakdown, by="cercle"),
    "commune_context": lambda p, **kw: ind.commune_context(p, **kw),
    "schedule": lambda p, **kw: ind.schedule(p, **kw),
    "attention": lambda p, **kw: ind.attention(p, **kw),
    "inclusion_commune": lambda p, **kw: ind.inclusion(p, by="commune", **kw),
    "inclusion_education": lambda p, **kw: ind.inclusion(p, by="education", **kw),
    "money_partner": lambda p, **kw: ind.money(p, by="partner", **kw),
    "reporting": lambda p, **kw: ind.reporting(p, **kw),
    "reporting_grid": lambda p, **kw: ind.reporting_grid(p, **kw),
    "crosstab": lambda p, **kw: ind.project_crosstab(p, "domain", "partner_type", **kw),
}


def shuffled(program: Program, seed: int) -> Program:
    rng = np.random.default_rng(seed)
    tables = {}
    for name in (
        "partners",
        "agreements",
        "projects",
        "progress",
        "beneficiaries",
        "targets",
        "communes",
    ):
        t = getattr(program, name)
        tables[name] = t.iloc[rng.permutation(len(t))].reset_index(drop=True)
    return dataclasses.replace(program, **tables)


def test_results_do_not_depend_on_row_order(tiny):
    other = shuffled(tiny, 7)
    for name, call in ALL_CALLS.items():
        for kw in ({}, {"wave": 2022, "as_of": "2022-05"}):
            pd.testing.assert_frame_equal(call(tiny, **kw), call(other, **kw), obj=name)
    assert ind.forecast(tiny, wave=2022, as_of="2022-06") == ind.forecast(
        other, wave=2022, as_of="2022-06"
    )


def test_as_of_ignores_later_rows(tiny):
    # Dropping everything after 2022-05 must not change any result at as_of 2022-05.
    prog, ben = tiny.progress, tiny.beneficiaries
    cut = replace_table(
        tiny,
        progress=prog[prog.month <= T("2022-05")],
        beneficiaries=ben[ben.start_date <= T("2022-05-31")],
    )
    for name, call in ALL_CALLS.items():
        pd.testing.assert_frame_equal(
            call(tiny, as_of="2022-05"), call(cut, as_of="2022-05"), obj=name
        )


def test_inputs_are_not_modified():
    p, ref = tiny_program(), tiny_program()
    for call in ALL_CALLS.values():
        call(p)
    ind.forecast(p)
    for name in ("partners", "agreements", "projects", "progress", "beneficiaries", "targets"):
        pd.testing.assert_frame_equal(getattr(p, name), getattr(ref, name), obj=name)


def test_bad_parameters_say_what_to_do(tiny):
    with pytest.raises(ValueError, match="wave 2031 is not in the data.*2022, 2023"):
        ind.monthly_jobs(tiny, wave=2031)
    with pytest.raises(ValueError, match="YYYY-MM"):
        ind.headline(tiny, as_of="June")
    with pytest.raises(ValueError, match="province.*national"):
        ind.forecast(tiny, scope="commune")
    with pytest.raises(ValueError, match="age_band"):
        ind.money(tiny, by="age_band")


# --- random programmes: breakdowns add up ----------------------------------------------


def random_program(seed: int) -> Program:
    """Random projects, progress and beneficiaries on the tiny fixture's reference data."""
    rng = np.random.default_rng(seed)
    base = tiny_program()
    communes = [*base.communes["commune_code"], "05.301.03.01"]  # last: not in the table
    domains = list(schema.DOMAINS)
    projects, progress, people = [], [], []
    for i in range(int(rng.integers(4, 12))):
        agreement = base.agreements.iloc[int(rng.integers(0, 5))]
        wave = int(agreement["wave"])
        start = int(rng.integers(1, 9))
        length = int(rng.integers(1, 5))
        planned = int(rng.integers(1, 15))
        pid = f"R{i:02d}"
        projects.append(
            {
                "project_id": pid,
                "agreement_id": agreement["agreement_id"],
                "title_fr": pid,
                "domain": domains[int(rng.integers(0, len(domains)))],
                "commune_code": communes[int(rng.integers(0, len(communes)))],
                "planned_start": f"{wave}-{start:02d}-01",
                "planned_end": (
                    T(f"{wave}-{start:02d}-01")
                    + pd.DateOffset(months=length)
                    - pd.Timedelta(days=1)
                ),
                "planned_jobs": planned,
                "budget_mad": float(rng.integers(0, 5)) * 10_000,
            }
        )
        pct = 0.0
        for k in range(length + 2):
            if rng.random() < 0.2:
                continue  # missing report
            month = T(f"{wave}-{start:02d}-01") + pd.DateOffset(months=k)
            jobs = int(rng.integers(0, planned + 1))
            pct = min(100.0, pct + float(rng.integers(0, 40)))
            progress.append(
                {
                    "project_id": pid,
                    "month": month,
                    "jobs_filled": jobs,
                    "women": int(rng.integers(0, jobs + 1)),
                    "youth": int(rng.integers(0, jobs + 1)),
                    "person_days": float(jobs * 20),
                    "wages_paid_mad": float(jobs * 2000),
                    "physical_progress_pct": pct,
                    "status": ["planned", "ongoing", "suspended", "completed"][
                        int(rng.integers(0, 4))
                    ],
                }
            )
            if rng.random() < 0.7:
                for _ in range(int(rng.integers(0, 3))):
                    people.append(
                        {
                            "beneficiary_key": f"B{len(people):03d}",
                            "project_id": pid,
                            "sex": "female" if rng.random() < 0.3 else "male",
                            "age_band": list(schema.AGE_BANDS)[int(rng.integers(0, 5))],
                            "start_date": month + pd.Timedelta(days=int(rng.integers(0, 28))),
                        }
                    )
    ben = (
        schema.coerce(pd.DataFrame(people), "beneficiaries")
        if people
        else schema.empty_frame("beneficiaries")
    )
    return dataclasses.replace(
        base,
        projects=schema.coerce(pd.DataFrame(projects), "projects"),
        progress=schema.coerce(pd.DataFrame(progress), "progress"),
        beneficiaries=ben,
    )


@pytest.mark.parametrize("seed", range(8))
def test_breakdowns_add_up_on_random_programmes(seed):
    p = random_program(seed)
    assert_breakdowns_add_up(p)
    # One wave at an earlier month (alternating), so that as_of cuts through the data.
    wave = p.waves[seed % 2]
    assert_breakdowns_add_up(p, wave=wave, as_of=f"{wave}-{4 + seed % 4:02d}")
    assert_reporting_grid_adds_up(p)
    assert_reporting_grid_adds_up(p, wave=wave, as_of=f"{wave}-{4 + seed % 4:02d}")
    # Every flag comes from the fixed list and attention holds exactly the flagged projects.
    s = ind.schedule(p)
    assert all(set(f) <= set(ind.REASONS) for f in s["flags"])
    assert set(ind.attention(p)["project_id"]) == set(s.loc[s["flags"].map(len) > 0, "project_id"])
    # Suppression holds on real inclusion tables too.
    for level in ("commune", "partner_type", "domain"):
        out = ind.inclusion(p, by=level)
        raw = ind._people_table(ind._Selection(p, None, None), level)
        raw = pd.concat(
            [
                raw.assign(is_total=False),
                pd.DataFrame(
                    {
                        "people": [raw.people.sum()],
                        "women": [raw.women.sum()],
                        "youth": [raw.youth.sum()],
                        "is_total": [True],
                    }
                ),
            ],
            ignore_index=True,
        )
        check_suppressed(raw, out)


# --- optional cross-check on the generated Khénifra sample -----------------------------


@pytest.fixture(scope="session")
def sample_program():
    sample = pytest.importorskip("awrach_analysis.data.sample")
    if not hasattr(sample, "build_program"):
        pytest.skip("awrach_analysis.data.sample.build_program is not available")
    return sample.build_program(sample.generate())


def test_breakdowns_add_up_on_the_sample(sample_program):
    assert_breakdowns_add_up(sample_program)
    for wave in sample_program.waves:
        assert_breakdowns_add_up(sample_program, wave=wave)
    assert len(ind.commune_context(sample_program)) == len(sample_program.communes)


def test_sample_reproduces_the_published_khenifra_figures(sample_program):
    from awrach_analysis.reference.facts import fact

    w = ind.breakdown(sample_program, "wave").set_index("wave")
    assert w.loc[2022, "jobs_to_date"] == fact("beneficiaries_2022")
    # every woman hired, not only the published ones (disclosure rule)
    women = ind._Selection(sample_program, 2022, None).facts()["women"].sum()
    assert women == fact("women_2022")
    assert w.loc[2022, "projects"] == fact("projects_2022")
    assert w.loc[2023, "jobs_to_date"] == fact("beneficiaries_2023")
    assert w.loc[2023, "projects"] == fact("sites_2023")
