"""Round trip of one month: partner templates filled as people type, ingested into a store."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil

import openpyxl
import pandas as pd
import pytest

from awrach_analysis import config
from awrach_analysis.analysis import indicators
from awrach_analysis.data import store, template
from awrach_analysis.data.load import load
from awrach_analysis.documents import report
from awrach_analysis.errors import InputError
from awrach_analysis.model.schema import drop_unused_codes

MONTH = "2022-06"
SENT = dt.date(2022, 7, 1)


def lang_of(partner_id: str) -> str:
    """Some partners work in Arabic: those whose id ends in 3, 6 or 9 get an Arabic template."""
    return "ar" if partner_id[-1] in "369" else "fr"


@pytest.fixture(scope="module")
def sample():
    return load(config.SAMPLE_DIR)


@pytest.fixture(scope="module")
def roundtrip(sample, tmp_path_factory):
    """A fresh store fed as in real life for MONTH.

    The provincial team's workbook (``template.program_workbook``: every table, with the
    progress of the months before MONTH), then one template per partner with projects due in
    MONTH, filled from the sample's rows with the template's own fill function.
    """
    d = tmp_path_factory.mktemp("roundtrip")
    month = pd.Timestamp(MONTH)
    before = dataclasses.replace(sample, progress=sample.progress[sample.progress["month"] < month])
    reference = template.save(
        template.program_workbook(before, "fr", generated_on=SENT), d / "province.xlsx"
    )
    rows = sample.progress[sample.progress["month"] == month]
    files, written = [], {}
    for pid in sample.partners["partner_id"]:
        try:
            wb = template.partner_template(sample, pid, MONTH, lang_of(pid), generated_on=SENT)
        except InputError:  # nothing due that month
            continue
        written[pid] = template.fill_partner_sheet(wb.active, rows, lang_of(pid))
        files.append(template.save(wb, d / f"{pid}_{MONTH}.xlsx"))
    path = d / "awrach.duckdb"
    results = store.ingest([reference, *files], path)
    return {"path": path, "results": results, "written": written, "files": files}


def test_every_partner_due_gets_a_template_and_every_file_goes_in(sample, roundtrip):
    written = roundtrip["written"]
    # 46 partners have a project due in 2022-06 (from its planned start to SPAN_GRACE_MONTHS
    # after its planned end); 45 of them have progress rows that month. ASSO-016's only
    # project, P22-031, ended on 2022-05-31 (last row 2022-05): its template is sent back
    # with the line left blank.
    assert len(written) == 46
    assert sorted(p for p, n in written.items() if n == 0) == ["ASSO-016"]
    assert sum(written.values()) == 72  # rows of 2022-06 in progress.csv
    results = roundtrip["results"]
    assert [r.status for r in results] == ["accepted"] * 47
    assert sum(r.rows_accepted for r in results[1:]) == 72
    assert sum(r.rows_quarantined for r in results) == 0
    blank = next(r for r in results if r.file == f"ASSO-016_{MONTH}.xlsx")
    assert (blank.partner_id, blank.rows_read, blank.rows_accepted) == ("ASSO-016", 0, 0)
    # four template lines are left blank, as the sample has no row for them that month:
    # P22-031 and P22-055 ended in 2022-05; P22-042 (planned April) and P22-046 (planned
    # April, ASSO-024) start late, in 2022-07 and 2022-08. Each is noted (info), not
    # quarantined.
    program = load(roundtrip["path"])
    notes = program.problems.loc[program.problems["key"] == "problem.store_not_reported"]
    assert notes[["file", "row", "value"]].values.tolist() == [
        [f"ASSO-016_{MONTH}.xlsx", 3, "P22-031"],
        [f"ASSO-022_{MONTH}.xlsx", 3, "P22-042"],
        [f"ASSO-024_{MONTH}.xlsx", 3, "P22-046"],
        [f"ASSO-028_{MONTH}.xlsx", 3, "P22-055"],
    ]
    assert set(notes["severity"]) == {"info"}
    assert "P22-031" in notes["message"].iloc[0] and "2022-06" in notes["message"].iloc[0]


def test_the_stores_month_equals_the_samples(sample, roundtrip):
    program = load(roundtrip["path"])
    month = pd.Timestamp(MONTH)
    got = program.progress
    expected = sample.progress
    pd.testing.assert_frame_equal(
        drop_unused_codes(got[got["month"] == month].reset_index(drop=True), "progress"),
        drop_unused_codes(expected[expected["month"] == month].reset_index(drop=True), "progress"),
    )
    # and the months before, from the provincial workbook
    before = expected[expected["month"] <= month].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, drop_unused_codes(before, "progress"))
    for table in ("partners", "agreements", "projects", "targets", "beneficiaries"):
        pd.testing.assert_frame_equal(program.table(table), sample.table(table))
    assert len(program.quarantine["progress"]) == 0


def report_figures(program, month: str) -> dict:
    """Every figure the monthly report notebook shows, computed as it computes them."""
    as_of = indicators.to_month(month)
    wave = report.current_wave(program, as_of)
    kw = {"as_of": as_of, "wave": wave}
    out = {
        "wave": wave,
        "headline": indicators.headline(program, **kw),
        "readings": indicators.other_readings(program, **kw),
        "forecast": indicators.forecast(program, **kw),
        "target": indicators.target_for(program, wave),
        "monthly_jobs": indicators.monthly_jobs(program, **kw),
        "communes": report.commune_view(indicators.commune_context(program, **kw)),
        "reporting": indicators.reporting(program, **kw),
        "attention": indicators.attention(program, **kw),
        "schedule": indicators.schedule(program, **kw),
        "missing_months": report.missing_months(program, as_of),
    }
    for level in ("partner_type", "domain"):
        out[f"breakdown_{level}"] = indicators.breakdown(program, level, **kw)
        out[f"inclusion_{level}"] = indicators.inclusion(program, by=level, **kw)
    return out


def test_the_report_from_the_store_has_the_numbers_of_the_report_from_the_sample(sample, roundtrip):
    want = report_figures(sample, MONTH)
    got = report_figures(load(roundtrip["path"]), MONTH)
    assert got.keys() == want.keys()
    for name, value in want.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(got[name], value, obj=name)
        else:
            assert got[name] == value, name
    headline = got["headline"].set_index("indicator")["value"]
    assert headline["jobs_to_date"] > 0
    assert len(got["reporting"]) == 46  # partners expected to report, as in the sample


def test_a_blank_template_line_is_skipped_but_a_half_filled_one_is_quarantined(
    sample, roundtrip, tmp_path
):
    db = tmp_path / "s.duckdb"
    [ref] = store.ingest([roundtrip["files"][0].parent / "province.xlsx"], db)
    assert ref.status == "accepted"
    wb = template.partner_template(sample, "ASSO-001", MONTH, "fr", generated_on=SENT)
    ws = wb.active
    status = template.PARTNER_COLUMNS.index("status") + 1
    ws.cell(template.FIRST_DATA_ROW, status, "En cours")  # P22-001: status only
    path = template.save(wb, tmp_path / "ASSO-001.xlsx")  # P22-002 left blank
    [r] = store.ingest([path], db)
    assert (r.status, r.rows_read, r.rows_accepted, r.rows_quarantined) == ("quarantined", 1, 0, 1)
    problems = store.load_program(db).problems
    mine = problems.loc[problems["file"] == "ASSO-001.xlsx"]
    rules = mine.groupby("row")["rule"].apply(set)
    assert rules[4] == {"submission"}  # P22-002: nothing typed, noted
    assert mine.set_index("row").loc[4, "key"] == "problem.store_not_reported"
    assert "required" in rules[3]  # P22-001: a status without its figures
    assert openpyxl.load_workbook(path).active.cell(4, 1).value == "P22-002"


def test_a_corrected_template_changes_only_its_partners_rows_and_the_appendix_names_it(
    sample, roundtrip, tmp_path
):
    db = tmp_path / "s.duckdb"
    shutil.copy(roundtrip["path"], db)
    before = load(db)
    rows = sample.progress[sample.progress["month"] == pd.Timestamp(MONTH)].copy()
    fix = rows["project_id"] == "P22-001"
    assert rows.loc[fix, "jobs_filled"].tolist() == [15]
    rows.loc[fix, "jobs_filled"] = 14  # ASSO-001 corrects P22-001: 14 jobs, not 15
    wb = template.partner_template(sample, "ASSO-001", MONTH, "fr", generated_on=SENT)
    assert template.fill_partner_sheet(wb.active, rows, "fr") == 2
    name = "ASSO-001_<juin> corrigé.xlsx"  # a name that must be escaped in the report
    [r] = store.ingest([template.save(wb, tmp_path / name)], db)
    assert (r.status, r.partner_id, r.month, r.rows_accepted) == (
        "superseded",
        "ASSO-001",
        MONTH,
        2,
    )
    after = load(db)
    changed = after.progress.merge(before.progress, how="outer", indicator=True)
    changed = changed[changed["_merge"] != "both"]
    assert changed[["project_id", "jobs_filled", "_merge"]].values.tolist() == [
        ["P22-001", 14, "left_only"],
        ["P22-001", 15, "right_only"],
    ]
    assert len(after.progress) == len(before.progress)
    with store.open_store(db, read_only=True) as con:
        on_record = con.execute(
            "SELECT file_name, superseded_by FROM submissions WHERE partner_id = 'ASSO-001' "
            "ORDER BY submission_id"
        ).fetchall()
    assert on_record == [(f"ASSO-001_{MONTH}.xlsx", r.submission_id), (name, None)]
    [revision] = after.meta["revisions"]
    assert (revision["file"], revision["partner_id"], revision["superseded_by"]) == (
        f"ASSO-001_{MONTH}.xlsx",
        "ASSO-001",
        name,
    )
    as_of = indicators.to_month(MONTH)
    schedule = indicators.schedule(after, as_of=as_of)
    html = report.data_quality(after, schedule, "fr", as_of=as_of)
    assert "Révisions du mois (juin 2022)\u00a0: 1 fichier remplacé" in html
    assert f"<td>ASSO-001_{MONTH}.xlsx</td>" in html
    # the partner cell: its id (kept whole and left-to-right in a <bdi>), then its name
    assert "<td>ASSO-001 – " in re.sub(r"</?bdi[^>]*>", "", html)
    assert "<td>ASSO-001_&lt;juin&gt; corrigé.xlsx</td>" in html and "<juin>" not in html
    received = pd.Timestamp(revision["received_at"])
    assert f"<td>{received.day} " in html and f"{received:%H:%M}</td>" in html
    arabic = report.data_quality(after, schedule, "ar", as_of=as_of)
    assert "مراجعات الشهر" in arabic and "ASSO-001_&lt;juin&gt; corrigé.xlsx" in arabic
    # the month before has no revision; data read from files has none at all
    earlier = report.data_quality(after, schedule, "fr", as_of=indicators.to_month("2022-05"))
    assert "Révisions du mois" not in earlier
    plain = report.data_quality(sample, indicators.schedule(sample, as_of=as_of), "fr", as_of=as_of)
    assert "Révisions du mois" not in plain
