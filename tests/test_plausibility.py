"""Plausibility: months in the future, dates far ahead, absurd amounts, inferred values."""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures.awrach_tables import assert_invariants, base_tables, problems_of, write_csv_folder

from awrach_analysis import config, i18n
from awrach_analysis.analysis import indicators
from awrach_analysis.analysis.summary import program_summary
from awrach_analysis.data.load import load
from awrach_analysis.testing import tiny_program

T = pd.Timestamp


@pytest.fixture
def today(monkeypatch):
    """Fix "today" for the plausibility checks (``AWRACH_TODAY``)."""

    def fix(date: str) -> None:
        monkeypatch.setenv("AWRACH_TODAY", date)

    return fix


def load_edited(tmp_path, edit, **kwargs):
    tables = base_tables()
    edit(tables)
    program = load(write_csv_folder(tmp_path, tables, **kwargs))
    assert_invariants(program)
    return program


def progress_row(project: str, month: str, **values: str) -> dict:
    row = {
        "project_id": project,
        "month": month,
        "jobs_filled": "6",
        "women": "2",
        "youth": "3",
        "person_days": "132",
        "wages_paid_mad": "13200",
        "physical_progress_pct": "40",
        "status": "ongoing",
    }
    row.update(values)
    return row


def texts(problem: dict, lang: str) -> tuple[str, str]:
    return i18n.problem_texts(problem, lang)


# --- the clock ------------------------------------------------------------------------------


def test_today_comes_from_the_environment_when_fixed(today):
    today("2023-06-30")
    assert config.today().isoformat() == "2023-06-30"
    today("30/06/2023")
    with pytest.raises(ValueError, match="AWRACH_TODAY='30/06/2023' is not a date"):
        config.today()


# --- months in the future -----------------------------------------------------------------


def test_a_month_in_the_future_is_quarantined_and_never_the_as_of_month(tmp_path, today):
    today("2024-01-15")
    # CSV row 5: a typo 2031-09 for 2022-05 on K2
    program = load_edited(tmp_path, lambda t: t["progress"].append(progress_row("K2", "2031-09")))
    assert program.rows_read["progress"] == 4
    assert len(program.progress) == 3 and len(program.quarantine["progress"]) == 1
    (p,) = problems_of(program, "month_in_future")
    assert (p["severity"], p["file"], p["row"], p["column"], p["value"]) == (
        "error",
        "progress.csv",
        5,
        "month",
        "2031-09",
    )
    assert p["message"].startswith("month 2031-09 is after the current month (2024-01)")
    assert "2031-09 → 2023-09" in p["suggestion"]
    fr, _ = texts(p, "fr")
    assert "postérieur au mois en cours (2024-01)" in fr
    ar, _ = texts(p, "ar")
    assert "2031-09" in ar and "2024-01" in ar
    # no milder second message for the same cell
    assert problems_of(program, "month_outside_span") == []
    # the month every figure, the summary and the report default to
    assert indicators.default_as_of(program) == T("2022-04-01")
    assert program_summary(program)["as_of"] == "2022-04"


def test_the_current_month_itself_is_accepted(tmp_path, today):
    today("2022-05-31")
    program = load_edited(tmp_path, lambda t: t["progress"].append(progress_row("K2", "2022-05")))
    assert problems_of(program, "month_in_future") == []
    assert indicators.default_as_of(program) == T("2022-05-01")


def test_a_month_far_outside_the_projects_span_is_quarantined(tmp_path, today):
    today("2026-12-04")

    def edit(t):
        t["progress"].append(progress_row("K2", "2024-09"))  # row 5: 26 months after 2022-07
        t["progress"].append(progress_row("K2", "2023-03"))  # row 6: 8 months late, kept

        t["progress"].append(progress_row("K2", "2021-03"))  # row 7: 13 months early

    program = load_edited(tmp_path, edit)
    late, early = problems_of(program, "month_implausible")
    assert (late["severity"], late["row"], late["value"]) == ("error", 5, "2024-09")
    assert "falls 26 months after the project's planned end (2022-07-31)" in late["message"]
    assert (early["severity"], early["row"], early["value"]) == ("error", 7, "2021-03")
    assert "falls 13 months before the project's planned start (2022-04-01)" in (early["message"])
    assert texts(early, "fr")[0].startswith("le mois 2021-03 tombe 13 mois avant le début")
    assert program.quarantine["progress"]["excel_row"].tolist() == [5, 7]
    (kept,) = problems_of(program, "month_outside_span")
    assert (kept["severity"], kept["row"]) == ("warning", 6)
    assert indicators.default_as_of(program) == T("2023-03-01")
    assert indicators.monthly_jobs(program)["month"].iloc[0] == T("2022-03-01")


def test_default_as_of_skips_future_months_even_without_validation(today):
    today("2023-12-31")
    program = tiny_program()
    typo = program.progress.iloc[[0]].copy()
    typo["month"] = T("2031-09-01")
    program.progress = pd.concat([program.progress, typo], ignore_index=True)
    assert indicators.default_as_of(program) == T("2023-05-01")
    assert program_summary(program)["as_of"] == "2023-05"
    assert indicators.monthly_jobs(program).attrs["as_of"] == T("2023-05-01")
    # with a clock after the typo, the typo is the latest month again (nothing hidden)
    today("2031-10-01")
    assert indicators.default_as_of(program) == T("2031-09-01")


def test_the_report_defaults_to_the_same_month(monkeypatch, today, tmp_path):
    from awrach_analysis.documents import report, report_build

    today("2023-12-31")
    program = tiny_program()
    typo = program.progress.iloc[[0]].copy()
    typo["month"] = T("2031-09-01")
    program.progress = pd.concat([program.progress, typo], ignore_index=True)

    class PlannedError(Exception):
        pass

    def plan_jobs(program, wanted, *args, **kwargs):
        raise PlannedError(wanted)

    monkeypatch.setattr(report_build, "plan_jobs", plan_jobs)
    with pytest.raises(PlannedError) as info:
        report._build(
            program=program,
            month=None,
            all_months=False,
            months=None,
            langs=("fr",),
            out_dir=tmp_path,
            force=False,
            workers=1,
            notebook=None,
            progress=False,
            index=False,
            session=None,
        )
    assert info.value.args[0] == ["2023-05"]


# --- dates far ahead and two-digit years ---------------------------------------------------


def test_a_two_digit_year_far_ahead_gets_a_warning_and_a_four_digit_suggestion(tmp_path, today):
    today("2024-01-15")

    def edit(t):
        t["projects"][1]["planned_end"] = "31/07/52"  # CSV row 3: read as 2052-07-31
        t["agreements"][1]["signed_on"] = "01/03/22"  # a two-digit year that is fine

    program = load_edited(tmp_path, edit)
    (p,) = problems_of(program, "date_far_future")
    assert (p["severity"], p["table"], p["row"], p["column"], p["value"]) == (
        "warning",
        "projects",
        3,
        "planned_end",
        "31/07/52",
    )
    assert "two-digit year of '31/07/52' was read as 2052-07-31" in p["message"]
    assert "31/07/2052" in p["suggestion"]
    fr_message, fr_hint = texts(p, "fr")
    assert "année à deux chiffres" in fr_message and "31/07/2052" in fr_hint
    assert len(program.projects) == 2  # kept: planned dates may lie ahead
    assert program.agreements["signed_on"].tolist() == [T("2022-02-15"), T("2022-03-01")]


def test_a_four_digit_date_far_ahead_gets_a_plain_warning(tmp_path, today):
    today("2024-01-15")
    program = load_edited(tmp_path, lambda t: t["beneficiaries"][2].update(end_date="2099-12-31"))
    (p,) = problems_of(program, "date_far_future")
    # a beneficiary's contract date is personal: worded without it (PRIVACY.md)
    assert p["message"] == (
        "the date of column end_date lies far in the future; it is kept but looks "
        "implausible (personal data, not shown)."
    )
    assert p["column"] == "end_date" and p["value"] is None and p["severity"] == "warning"


# --- amounts -------------------------------------------------------------------------------


def test_absurd_wages_and_person_days_get_warnings(tmp_path, today):
    today("2024-01-15")

    def edit(t):
        t["progress"][0]["wages_paid_mad"] = "100000000000000000000"  # 10^20 MAD, row 2
        t["progress"][1]["person_days"] = "9999"  # 9 jobs: at most 279 days, row 3
        t["progress"][2].update(person_days="", wages_paid_mad="5000000")  # 6 jobs, row 4

    program = load_edited(tmp_path, edit)
    found = {(p["row"], p["column"]): p for p in problems_of(program, "amount_implausible")}
    assert sorted(found) == [(2, "wages_paid_mad"), (3, "person_days"), (4, "wages_paid_mad")]
    assert all(p["severity"] == "warning" for p in found.values())
    wage = found[(2, "wages_paid_mad")]
    assert wage["value"] == "100000000000000000000"
    assert "for 220 person-days" in wage["message"] and "above 1 000 MAD a day" in wage["message"]
    assert "extra zeros" in wage["suggestion"]
    days = found[(3, "person_days")]
    assert days["message"].startswith("9 999 person-days in the month for 9 jobs filled")
    no_days = found[(4, "wages_paid_mad")]
    assert (
        "more than 6 job(s) can be paid (186 000 MAD: 31 days at 1 000 MAD)" in (no_days["message"])
    )
    for p in found.values():
        for lang in ("fr", "ar"):
            message, hint = texts(p, lang)
            assert message and hint and "{" not in message + hint
    assert len(program.progress) == 3  # warnings keep the rows


def test_negative_person_days_stay_an_error(tmp_path, today):
    today("2024-01-15")
    program = load_edited(tmp_path, lambda t: t["progress"][1].update(person_days="-5"))
    (p,) = problems_of(program, "range")
    assert (p["severity"], p["row"], p["column"]) == ("error", 3, "person_days")
    assert problems_of(program, "amount_implausible") == []


def test_the_sample_raises_no_plausibility_problem(today):
    today("2026-12-04")
    program = load()
    assert program.problems.empty


# --- inferred values -----------------------------------------------------------------------


def drop_wave(t):
    for row in t["agreements"]:
        del row["wave"]


def test_the_wave_is_inferred_from_the_signing_date_when_the_column_is_absent(tmp_path, today):
    today("2024-01-15")
    program = load_edited(tmp_path, drop_wave)
    assert program.agreements["wave"].tolist() == [2022, 2022]
    assert len(program.projects) == 2 and len(program.progress) == 3
    assert problems_of(program, "missing_column") == []
    (p,) = problems_of(program, "wave_inferred")  # once for the table, with the count
    assert (p["severity"], p["file"], p["table"], p["row"]) == (
        "warning",
        "agreements.csv",
        "agreements",
        None,
    )
    assert (
        "the wave of 2 agreement(s) was inferred from the year of their signing" in (p["message"])
    )
    assert "(2022: 2)" in p["message"]
    fr, _ = texts(p, "fr")
    assert "déduite de l'année de leur date de signature" in fr
    assert program.waves == [2022]


def test_a_signing_year_that_is_no_wave_is_a_located_error(tmp_path, today):
    today("2024-01-15")

    def edit(t):
        drop_wave(t)
        t["agreements"][1]["signed_on"] = "2019-03-01"  # row 3

    program = load_edited(tmp_path, edit)
    (p,) = [p for p in problems_of(program, "wave_inferred") if p["severity"] == "error"]
    assert (p["row"], p["column"], p["value"]) == (3, "signed_on", "2019-03-01")
    assert "signing year (2019) matches no wave (2022 to 2030)" in p["message"]
    assert program.agreements["agreement_id"].tolist() == ["A1"]


@pytest.mark.parametrize("communes", ["codes", "names"])
def test_the_province_is_inferred_from_the_communes_without_dataset_json(tmp_path, communes, today):
    today("2024-01-15")

    def edit(t):
        if communes == "names":
            names = {"05.301.01.01": "Khénifra", "05.301.07.07": "El Hammam"}
            for row in t["projects"]:
                row["commune_code"] = names[row["commune_code"]]

    program = load_edited(tmp_path, edit, meta=None)
    assert program.province_code == "05.301" and program.province == "Khénifra"
    assert problems_of(program, "province") == []
    assert program.projects["commune_code"].tolist() == ["05.301.01.01", "05.301.07.07"]


# --- beneficiaries coverage ------------------------------------------------------------------


def test_a_partial_beneficiaries_table_gets_a_coverage_warning(tmp_path, today):
    today("2024-01-15")
    program = load_edited(tmp_path, lambda t: t["beneficiaries"].pop())  # B3, K2's only one
    (p,) = problems_of(program, "beneficiaries_coverage")
    assert (p["severity"], p["file"], p["table"]) == (
        "warning",
        "beneficiaries.csv",
        "beneficiaries",
    )
    assert p["message"].startswith(
        "beneficiaries are listed for 1 of 2 projects with jobs filled (50%); for the other 1,"
    )
    assert "(e.g. K2)" in p["suggestion"]
    fr, _ = texts(p, "fr")
    assert "listés pour 1 des 2 projets" in fr
    # jobs to date: K1's 2 contracts + K2's peak of 6 jobs filled
    assert indicators.jobs_to_date(program)["jobs_to_date"] == 8
    assert program_summary(program)["waves"]["2022"]["jobs_filled_to_date"] == 8


def test_a_complete_beneficiaries_table_gets_no_coverage_warning(tmp_path, today):
    today("2024-01-15")
    program = load_edited(tmp_path, lambda t: None)
    assert program.problems.empty
