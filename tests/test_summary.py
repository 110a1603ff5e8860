"""Tests of the programme summary (``awrach summary``) on hand-countable and sample data."""

from __future__ import annotations

import json

import pytest

from awrach_analysis import cli, config
from awrach_analysis.analysis.summary import format_summary, program_summary, waves_table
from awrach_analysis.data.sample import build_program, generate
from awrach_analysis.model import schema
from awrach_analysis.testing import TINY_SOURCE, tiny_program

STATUS_ZERO = dict.fromkeys(schema.STATUSES, 0)


@pytest.fixture(scope="session")
def sample_program():
    return build_program(generate())


@pytest.fixture(scope="session")
def sample_summary(sample_program):
    return program_summary(sample_program)


# --- the tiny fixture: every expected value counted by hand from its docstring ----------------


def test_tiny_program_summary_by_hand():
    s = program_summary(tiny_program())
    assert s["province"] == "Khénifra" and s["province_code"] == "05.301"
    assert s["is_sample"] is True and s["quarantined_rows"] == 0
    assert s["as_of"] == "2023-05"  # last month with a progress report
    assert s["communes_in_province"] == 3
    assert s["national_target"]["jobs_target"] == 250000
    assert s["national_target"]["period_start"] == "2022-01"
    assert s["national_target"]["period_end"] == "2023-12"
    assert list(s["waves"]) == ["2022", "2023"]

    w22 = s["waves"]["2022"]
    assert w22 == {
        "agreements": 3,  # A2201, A2202, A2203
        "projects": 5,  # K22-01..05
        # implementing partners P01, P02 (associations), P03 (cooperative); P04/P05 only co-sign
        "partners": {**dict.fromkeys(schema.PARTNER_TYPES, 0), "association": 2, "cooperative": 1},
        "cosigning_services": 2,  # P04, P05
        "communes_covered": 3,
        "planned_jobs": 48,  # 10 + 10 + 12 + 10 + 6
        "beneficiaries": 37,  # 11 + 8 + 12 + 6
        # disclosure rule (published state, releases of >= 5 people per project): K22-01's
        # 10 first contracts (3 women), K22-02 8 (4), K22-03 12 (2), K22-04's first 5 (5
        # women); K22-01's replacement man and K22-04's sixth woman join alone (+1 < 5)
        "women": 14,  # 3 + 4 + 2 + 5 (15 people listed, one not published yet)
        "men": 21,  # 35 published contracts - 14 women
        "people_not_yet_published": 2,
        "jobs_filled_to_date": 37,
        "jobs_filled_basis": "beneficiaries",
        # K22-01..04 have jobs filled and beneficiary rows; K22-05 never reported
        "beneficiaries_coverage": {"projects_with_jobs": 4, "projects_with_beneficiaries": 4},
        "target": 40,
        "target_source": TINY_SOURCE,
        # K22-01, -02, -04 completed; K22-03 suspended; K22-05 cancelled
        "projects_by_status": {**STATUS_ZERO, "completed": 3, "suspended": 1, "cancelled": 1},
        "person_days": 1980.0,  # 484 + 584 + 396 + 516
        "wages_paid_mad": 198000.0,
    }
    w23 = s["waves"]["2023"]
    assert w23["agreements"] == 2 and w23["projects"] == 3
    assert w23["partners"]["association"] == 1 and w23["partners"]["cooperative"] == 1
    assert w23["cosigning_services"] == 2  # P05 on A2301, P04 on A2302
    assert w23["planned_jobs"] == 19
    # K23-01 8 people (2 women) and K23-02 6 (3 women), each a single release of >= 5
    assert (w23["beneficiaries"], w23["women"], w23["men"]) == (14, 5, 9)
    assert w23["people_not_yet_published"] == 0
    assert w23["jobs_filled_to_date"] == 14
    assert w23["target"] == 20
    # K23-01 completed, K23-02 still ongoing, K23-03 never reported: planned
    assert w23["projects_by_status"] == {**STATUS_ZERO, "completed": 1, "ongoing": 1, "planned": 1}
    assert w23["person_days"] == 1056.0 and w23["wages_paid_mad"] == 105600.0


def test_tiny_program_summary_as_of_an_earlier_month():
    s = program_summary(tiny_program(), as_of="2022-04")
    assert s["as_of"] == "2022-04"
    w22 = s["waves"]["2022"]
    # people who started by the end of April 2022: 22 in March + 5 in April
    assert w22["jobs_filled_to_date"] == 27
    assert w22["beneficiaries"] == 37  # distinct people of the wave, whatever the month
    # published state at 2022-04: K22-01 10 (3 women), K22-03 12 (2), K22-04 5 (5)
    assert (w22["women"], w22["men"], w22["people_not_yet_published"]) == (10, 17, 0)
    # 2023: nobody yet; the rule hides the counts ("<5"), the summary shows null
    assert s["waves"]["2023"]["women"] is None and s["waves"]["2023"]["men"] is None
    # K22-01, K22-03, K22-04 ongoing; K22-02 reports "planned"; K22-05 has no report yet
    assert w22["projects_by_status"] == {**STATUS_ZERO, "ongoing": 3, "planned": 2}
    assert w22["person_days"] == 484.0 + 584.0
    assert s["waves"]["2023"]["jobs_filled_to_date"] == 0
    assert s["waves"]["2023"]["projects_by_status"] == {**STATUS_ZERO, "planned": 3}


def test_without_beneficiaries_jobs_to_date_is_the_peak_lower_bound():
    program = tiny_program()
    program.beneficiaries = schema.empty_frame("beneficiaries")
    s = program_summary(program)
    w22, w23 = s["waves"]["2022"], s["waves"]["2023"]
    # peaks: K22-01 10, K22-02 8, K22-03 12, K22-04 6, K22-05 0 -> 36 (one replacement missed)
    assert w22["jobs_filled_to_date"] == 36
    assert w23["jobs_filled_to_date"] == 14  # 8 + 6 + 0
    assert w22["jobs_filled_basis"] == "peak_monthly_jobs_filled"
    assert w22["beneficiaries"] is None and w22["women"] is None and w22["men"] is None
    text = format_summary(s)
    assert "lower bound" in text
    assert json.loads(json.dumps(s))["waves"]["2022"]["beneficiaries"] is None


def test_waves_table_flattens_the_figures_and_leaves_out_counts_by_sex():
    s = program_summary(tiny_program())
    t = waves_table(s)
    assert t.columns.tolist() == ["2022", "2023"]
    assert t.loc["partners.association"].tolist() == [2, 1]  # P01, P02 in 2022; P01 in 2023
    assert t.loc["projects_by_status.planned"].tolist() == [0, 1]  # K23-03 never reported
    assert t.loc["planned_jobs"].tolist() == [48, 19]
    assert t.loc["target_source"].tolist() == [TINY_SOURCE, TINY_SOURCE]
    assert t.index[:3].tolist() == ["agreements", "projects", "partners.association"]
    # 2023: 14 people, 5 women, 9 men: shown only when asked for
    assert not {"women", "men"} & set(t.index)
    with_sex = waves_table(s, counts_by_sex=True)
    assert with_sex.loc["women"].tolist() == [14, 5]
    assert with_sex.loc["men"].tolist() == [21, 9]
    assert len(with_sex) == len(t) + 2


def test_summary_is_plain_json():
    s = program_summary(tiny_program())
    assert json.loads(json.dumps(s)) == s


def test_province_target_without_wave_is_not_a_wave_target():
    program = tiny_program()
    program.targets.loc[program.targets["target_id"] == "T-05.301-2022", "wave"] = None
    s = program_summary(program)
    assert s["waves"]["2022"]["target"] is None
    assert s["waves"]["2023"]["target"] == 20


def test_province_target_of_another_province_is_not_taken():
    program = tiny_program()
    program.targets["scope_code"] = (
        program.targets["scope_code"].astype(str).replace("05.301", "03.271")
    )
    s = program_summary(program)
    assert s["waves"]["2022"]["target"] is None and s["waves"]["2022"]["target_source"] is None


# --- readable form ---------------------------------------------------------------------------


def test_readable_summary_is_aligned_and_complete():
    text = format_summary(program_summary(tiny_program()))
    lines = text.splitlines()
    assert lines[0] == "Awrach programme summary: Khénifra (05.301)"
    assert "SAMPLE DATA" in lines[1]
    header = next(i for i, line in enumerate(lines) if line.split() == ["2022", "2023"])
    table = lines[header : header + 23]
    assert len({len(line) for line in table}) == 1  # every row has the same width
    rows = {" ".join(line.split()[:-2]): line.split()[-2:] for line in table[1:]}
    assert len(rows) == 22
    assert rows["Planned jobs"] == ["48", "19"]
    assert rows["Beneficiaries (distinct)"] == ["37", "14"]
    assert rows["women"] == ["14", "5"]  # the published state (see the test above)
    assert "*" not in text  # the tiny fixture quotes no published fact
    assert rows["Wages paid (MAD)"] == ["198,000", "105,600"]
    assert f"2022 target source: {TINY_SOURCE}" in text
    assert "National target: 250,000 jobs" in text


# --- the generated Khénifra sample -----------------------------------------------------------


def test_sample_summary_shows_the_published_facts(sample_summary, sample_program):
    s = sample_summary
    assert s["province"] == "Khénifra" and s["is_sample"] is True
    w22, w23 = s["waves"]["2022"], s["waves"]["2023"]
    assert (w22["agreements"], w22["projects"]) == (84, 84)
    assert w22["partners"] == {
        "association": 42,
        "cooperative": 4,
        "decentralized_service": 0,
        "commune": 0,
        "other": 0,
    }
    assert w22["communes_covered"] == 22 and w22["planned_jobs"] == 1100
    # women/men follow the disclosure rule: the published state of 2022 (1061 of the 1100
    # contracts, in releases of >= 5 per project; the sites of 4 positions in small
    # communes never reach a release) has 173 women, 888 men, the same figures as
    # indicators.inclusion; the readable text quotes the published facts. (Recounted with
    # a plain loop over projects and months on beneficiaries.csv.)
    assert w22["beneficiaries"] == 1100
    assert (w22["women"], w22["men"], w22["people_not_yet_published"]) == (173, 888, 39)
    from awrach_analysis.analysis import indicators

    inc = indicators.inclusion(sample_program, as_of="2023-12", wave=2022).iloc[0]
    assert (inc["women"], inc["people"] - inc["women"]) == (173, 888)
    text = format_summary(s)
    rows = {" ".join(line.split()[:-2]): line.split()[-2:] for line in text.splitlines()}
    assert rows["women"][0] == "183*" and rows["men"][0] == "917*"
    assert "* 2022 women: 183 is the published figure (rni.ma (?p=209716))" in text
    assert "* 2022 men: 917 is the published figure" in text
    assert w22["jobs_filled_to_date"] == 1100
    assert w22["target"] == 1100 and "maroc24" in w22["target_source"]
    assert w22["cosigning_services"] >= 5
    assert w22["projects_by_status"]["cancelled"] == 1
    assert w22["wages_paid_mad"] > 0
    assert (w23["projects"], w23["beneficiaries"], w23["planned_jobs"]) == (61, 1257, 1257)
    assert w23["target"] == 953 and "taxinews" in w23["target_source"]
    # data run to December 2023, when the last 3-month cohort (October) completes: by then
    # every 2023 site has completed and everyone hired in 2023 counts as a job filled
    assert s["as_of"] == "2023-12"
    assert w23["projects_by_status"] == {**STATUS_ZERO, "completed": 61}
    assert w23["jobs_filled_to_date"] == 1257


# --- command line ----------------------------------------------------------------------------


def test_cli_summary_json_on_the_bundled_sample(capsys, sample_summary):
    assert cli.main(["summary", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["province_code"] == config.DEFAULT_PROVINCE_CODE
    assert out["quarantined_rows"] == 0
    # the loaded files say exactly what the in-memory generator output says
    assert out == sample_summary


def test_cli_summary_readable_on_a_data_folder(tmp_path, capsys):
    from awrach_analysis.data.sample import write_sample

    write_sample(generate("Ifrane"), tmp_path)
    assert cli.main(["summary", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Awrach programme summary: Ifrane (03.271)")
    planned = next(line for line in out.splitlines() if line.startswith("Planned jobs"))
    assert planned.split()[2] == "478"


def test_cli_summary_missing_folder_exits_2(tmp_path, capsys):
    assert cli.main(["summary", "--data", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err


# --- one definition of jobs to date (summary = report headline) ------------------------------


def _headline_jobs(program, wave):
    from awrach_analysis.analysis import indicators

    h = indicators.headline(program, wave=wave).set_index("indicator")
    return int(h.loc["jobs_to_date", "value"])


def test_partial_beneficiaries_summary_equals_the_report_headline():
    program = tiny_program()
    bn = program.beneficiaries
    program.beneficiaries = bn[bn["project_id"] == "K22-03"].reset_index(drop=True)
    s = program_summary(program)
    w22, w23 = s["waves"]["2022"], s["waves"]["2023"]
    # K22-03 counts its 12 contracts; the others their peak: K22-01 10, K22-02 8, K22-04 6
    assert w22["jobs_filled_to_date"] == 10 + 8 + 12 + 6 == _headline_jobs(program, 2022)
    # no 2023 project has beneficiary rows: peaks 8 + 6 + 0
    assert w23["jobs_filled_to_date"] == 14 == _headline_jobs(program, 2023)
    assert w22["jobs_filled_basis"] == "mixed"
    assert w22["beneficiaries_coverage"] == {
        "projects_with_jobs": 4,
        "projects_with_beneficiaries": 1,
    }
    assert w22["beneficiaries"] == 12  # distinct people listed, a different figure
    assert "2022: beneficiaries listed for 1 of 4 projects with jobs (25 %)" in format_summary(s)


def test_cli_summary_json_equals_the_report_headline_with_a_partial_table(tmp_path, capsys):
    import shutil

    import pandas as pd

    from awrach_analysis.data.load import load

    folder = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DIR, folder)
    bn = pd.read_csv(folder / "beneficiaries.csv", dtype=str)
    kept = ["P22-001", "P22-002", "P22-003"]
    bn[bn["project_id"].isin(kept)].to_csv(folder / "beneficiaries.csv", index=False)

    assert cli.main(["summary", "--json", "--data", str(folder)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == "2023-12"

    # expected, counted from the CSV files: contracts of the 3 listed projects, the peak
    # monthly jobs filled of every other project of the wave
    progress = pd.read_csv(folder / "progress.csv", dtype={"project_id": str})
    projects = pd.read_csv(folder / "projects.csv", dtype=str)
    agreements = pd.read_csv(folder / "agreements.csv", dtype=str)
    wave_of = projects.merge(agreements, on="agreement_id").set_index("project_id")["wave"]
    peak = progress.groupby("project_id")["jobs_filled"].max()
    listed = bn[bn["project_id"].isin(kept)].groupby("project_id").size()
    program = load(folder)
    for wave in ("2022", "2023"):
        ids = wave_of.index[wave_of == wave]
        expected = sum(int(listed.get(p, peak.get(p, 0))) for p in ids)
        figure = out["waves"][wave]["jobs_filled_to_date"]
        assert figure == expected == _headline_jobs(program, int(wave))
    w22 = out["waves"]["2022"]
    assert w22["jobs_filled_basis"] == "mixed"
    assert w22["beneficiaries_coverage"]["projects_with_beneficiaries"] == 3
    assert w22["beneficiaries"] == int(listed.sum())

    assert cli.main(["validate", str(folder), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    with_jobs = progress.loc[progress["jobs_filled"] > 0, "project_id"].nunique()
    pct = round(100 * 3 / with_jobs)
    assert f"beneficiaries are listed for 3 of {with_jobs} projects with jobs filled ({pct}%)" in (
        text
    )
