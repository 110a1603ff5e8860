"""The monthly store: ingest, corrections, atomicity, concurrency, quarantine round trip."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from awrach_analysis import config
from awrach_analysis.analysis import indicators
from awrach_analysis.cli import main
from awrach_analysis.data import store, store_db, template
from awrach_analysis.data.load import load
from awrach_analysis.model import schema
from awrach_analysis.model.schema import drop_unused_codes

ROOT = Path(__file__).resolve().parents[1]
MONTH = "2022-06"
HEADERS = [
    "id_projet",
    "mois",
    "emplois occupés",
    "femmes",
    "jeunes",
    "jours travaillés",
    "salaires versés",
    "avancement physique",
    "statut",
]
HEADER_COLUMNS = schema.PROGRESS.column_names  # the columns HEADERS name, in order
# ASSO-001's rows of 2022-06 in data/sample/progress.csv (projects P22-001 and P22-002)
ASSO_001 = [
    ["P22-001", "2022-06", 15, 0, 9, 318, 31800, 57.3, "ongoing"],
    ["P22-002", "2022-06", 8, 2, 8, 172, 17200, 55.9, "ongoing"],
]


def write_xlsx(path: Path, rows: list[list], headers: list[str] = HEADERS) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "suivi"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as typed with a '
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The sample split as partners send it: reference workbook, one file per partner."""
    d = tmp_path_factory.mktemp("files")
    ref = store.write_reference_workbook(config.SAMPLE_DIR, d / "reference.xlsx")
    partner_files = store.write_partner_files(config.SAMPLE_DIR, d / "partners", [MONTH])
    return {"dir": d, "ref": ref, "partners": partner_files}


@pytest.fixture(scope="module")
def base_store(files, tmp_path_factory):
    path = tmp_path_factory.mktemp("base") / "awrach.duckdb"
    [result] = store.ingest([files["ref"]], path)
    assert result.status == "accepted"
    return path


@pytest.fixture
def db(base_store, tmp_path):
    """A store holding the reference tables only (a fresh copy per test)."""
    path = tmp_path / "store.duckdb"
    shutil.copy(base_store, path)
    return path


def current(path: Path, table: str = "progress") -> pd.DataFrame:
    return store.load_program(path).table(table)


# --- round trip ---------------------------------------------------------------------------


def test_one_month_of_partner_files_equals_the_sample(files, db):
    sample = load(config.SAMPLE_DIR)
    results = store.ingest(files["partners"], db)
    # the sample's 2022-06 has 45 partners reporting: one file each, all accepted
    assert len(results) == 45
    assert {r.status for r in results} == {"accepted"}
    assert sum(r.rows_accepted for r in results) == 72  # rows of 2022-06 in progress.csv
    program = load(db)
    expected = sample.progress[sample.progress["month"] == MONTH].reset_index(drop=True)
    pd.testing.assert_frame_equal(program.progress, drop_unused_codes(expected, "progress"))
    for table in ("partners", "agreements", "projects", "targets"):
        pd.testing.assert_frame_equal(program.table(table), sample.table(table))
    assert program.province_code == "05.301"


def test_whole_history_gives_the_same_headline_as_the_sample(files, tmp_path):
    sample = load(config.SAMPLE_DIR)
    ref = store.write_reference_workbook(
        config.SAMPLE_DIR, tmp_path / "ref.xlsx", [*store.REFERENCE_TABLES, "beneficiaries"]
    )
    progress = pd.read_csv(config.SAMPLE_DIR / "progress.csv", dtype=str)
    monthly = []
    for month, part in progress.groupby("month"):  # the province's consolidated month files
        rows = [
            [store._cell(v) if c != "month" else v for c, v in r.items()]
            for _, r in part.iterrows()
        ]
        monthly.append(write_xlsx(tmp_path / f"province_{month}.xlsx", rows))
    assert len(monthly) == 22
    path = tmp_path / "history.duckdb"
    results = store.ingest([ref, *monthly], path)
    assert [r.status for r in results] == ["accepted"] * 23
    program = load(path)
    for table in store.TABLES:
        pd.testing.assert_frame_equal(program.table(table), sample.table(table))
    pd.testing.assert_frame_equal(indicators.headline(program), indicators.headline(sample))
    assert indicators.headline(program).set_index("indicator").loc["jobs_to_date", "value"] > 0


# --- idempotence, corrections ---------------------------------------------------------------


def test_same_file_twice_changes_nothing(files, db):
    first = store.ingest(files["partners"][:1], db)
    before = store.checksums(db)
    again = store.ingest(files["partners"][:1], db)
    assert first[0].status == "accepted" and again[0].status == "already"
    assert again[0].submission_id == first[0].submission_id
    assert store.checksums(db) == before


def test_correction_supersedes_only_that_partners_rows(files, db, tmp_path):
    store.ingest(files["partners"][:3], db)  # ASSO-001, ASSO-002, ASSO-003
    before = current(db)
    with store.open_store(db, read_only=True) as con:
        events = con.execute("SELECT * FROM events ORDER BY event_id").fetchall()
    fixed = [list(ASSO_001[0]), list(ASSO_001[1])]
    fixed[0][2] = 14  # P22-001: 14 jobs instead of 15
    fixed[0][3] = 2
    [result] = store.ingest([write_xlsx(tmp_path / "ASSO-001_2022-06_v2.xlsx", fixed)], db)
    assert result.status == "superseded" and result.partner_id == "ASSO-001"
    after = current(db)
    changed = after.merge(before, how="outer", indicator=True)
    changed = changed[changed["_merge"] != "both"]
    assert sorted(changed["project_id"]) == ["P22-001", "P22-001"]
    assert after.set_index("project_id").loc["P22-001", "jobs_filled"] == 14
    assert len(after) == len(before)
    with store.open_store(db, read_only=True) as con:
        subs = con.execute(
            "SELECT file_name, superseded_by FROM submissions WHERE partner_id = 'ASSO-001'"
        ).fetchall()
    assert subs == [("ASSO-001_2022-06.xlsx", result.submission_id), (result.file, None)]
    with store.open_store(db, read_only=True) as con:
        now = con.execute("SELECT * FROM events ORDER BY event_id").fetchall()
    assert now[: len(events)] == events  # the log only grows
    assert json.loads(now[-1][4])["supersedes"] == [2]
    [revision] = store.load_program(db).meta["revisions"]
    assert (revision["partner_id"], revision["month"], revision["file"]) == (
        "ASSO-001",
        MONTH,
        "ASSO-001_2022-06.xlsx",
    )
    assert revision["superseded_by"] == result.file
    grid = store.status(db, MONTH)
    asso1 = next(g for g in grid["grid"] if g["partner_id"] == "ASSO-001")
    assert asso1["cells"][-1]["state"] == "corrected"


def test_rows_of_another_month_or_partner_are_quarantined_with_the_reason(db, tmp_path):
    rows = [*ASSO_001, ["P22-001", "2022-05", 15, 0, 9, 317, 31700, 43, "ongoing"]]
    rows.append(["P22-003", "2022-06", 1, 0, 0, 1, 1, 1, "ongoing"])  # ASSO-002's project
    [r] = store.ingest([write_xlsx(tmp_path / "a.xlsx", rows)], db, partner="ASSO-001")
    assert (r.status, r.rows_read, r.rows_accepted, r.rows_quarantined) == ("quarantined", 4, 2, 2)
    q = store.load_program(db).problems
    keys = sorted(q.loc[q["severity"] == "error", "key"])
    assert keys == ["problem.store_other_month", "problem.store_other_partner"]
    assert sorted(q.loc[q["severity"] == "error", "row"]) == [4, 5]


# --- atomicity ------------------------------------------------------------------------------


def test_exception_after_half_the_rows_leaves_the_store_unchanged(files, db, monkeypatch):
    store.ingest(files["partners"][:2], db)
    before = store.checksums(db)
    big = files["ref"]  # 355 rows: the reference tables again, as a new file
    copy = db.parent / "reference_v2.xlsx"
    wb = openpyxl.load_workbook(big)
    wb["projets"]["C2"] = "Entretien des jardins (v2)"
    wb.save(copy)
    seen = []

    def fail_at_half(table, done, total):
        seen.append((table, done))
        if sum(d for _, d in seen) >= 170:
            raise RuntimeError("injected failure")

    monkeypatch.setattr(store_db, "CHUNK_ROWS", 10)  # the hooks live in store_db
    monkeypatch.setattr(store_db, "_checkpoint", fail_at_half)
    with pytest.raises(RuntimeError, match="injected"):
        store.ingest([copy], db)
    assert len(seen) > 5  # rows had been inserted before the failure
    assert store.checksums(db) == before
    monkeypatch.undo()
    [again] = store.ingest([copy], db)  # the store still works, and takes the file
    assert again.status == "superseded"


SLOW_INGEST = """
import sys, time
from awrach_analysis.data import store, store_db
store_db.CHUNK_ROWS = 5
def slow(table, done, total):
    if done >= total // 2:
        print("HALF", table, done, flush=True)
    time.sleep(float(sys.argv[3]))
store_db._checkpoint = slow
results = store.ingest([sys.argv[2]], sys.argv[1], wait=float(sys.argv[4]))
print("DONE", results[0].status, flush=True)
"""


def _slow(db: Path, file: Path, sleep: float = 0.2, wait: float = 0.0) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", SLOW_INGEST, str(db), str(file), str(sleep), str(wait)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_for(proc: subprocess.Popen, word: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith(word):
            return
        if not line and proc.poll() is not None:
            raise AssertionError(f"process ended early: {proc.stderr.read()}")
    raise AssertionError(f"no {word!r} from the process")


def test_kill_9_during_a_large_ingest_leaves_the_store_unchanged(files, db):
    before = store.checksums(db)
    copy = db.parent / "reference_v2.xlsx"
    wb = openpyxl.load_workbook(files["ref"])
    wb["projets"]["C2"] = "Entretien des jardins (v2)"
    wb.save(copy)
    proc = _slow(db, copy)
    _wait_for(proc, "HALF")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert store.checksums(db) == before
    [again] = store.ingest([copy], db)
    assert again.status == "superseded"


def test_two_ingests_at_once_serialise_or_the_second_fails_clearly(files, db):
    first = _slow(db, files["partners"][0], sleep=6.0)
    _wait_for(first, "HALF")
    # without waiting: a clear message, exit 2, nothing changed by the second
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "awrach_analysis",
            "ingest",
            str(files["partners"][1]),
            "--store",
            str(db),
            "--wait",
            "0",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 2
    assert "in use by another awrach process" in proc.stderr
    # waiting: the third runs after the first
    third = _slow(db, files["partners"][2], sleep=0.0, wait=60)
    out1, _ = first.communicate(timeout=120)
    out3, err3 = third.communicate(timeout=120)
    assert "DONE accepted" in out1 and "DONE accepted" in out3, err3
    program = store.load_program(db)
    assert len(program.progress) == 4  # ASSO-001 and ASSO-003, 2 rows each; not ASSO-002
    assert not program.progress["project_id"].isin(["P22-003", "P22-004"]).any()


# --- schema versions ------------------------------------------------------------------------


def test_a_version_1_store_is_migrated(tmp_path):
    path = tmp_path / "v1.duckdb"
    with store.open_store(path, _upto=1) as con:
        assert store._version(con) == 1
        cols = [r[0] for r in con.execute("DESCRIBE quarantine").fetchall()]
        assert "status" not in cols
        con.execute(
            "INSERT INTO quarantine (quarantine_id, submission_id, table_name, excel_row, rule) "
            "VALUES (1, 1, 'progress', 7, 'type')"
        )
    with store.open_store(path) as con:
        assert store._version(con) == store.SCHEMA_VERSION == 3
        assert con.execute("SELECT excel_row, status FROM quarantine").fetchall() == [(7, "open")]
        events = con.execute("SELECT event, detail FROM events").fetchall()
    assert events == [
        ("migrated", json.dumps({"from": 1, "to": 2})),
        ("migrated", json.dumps({"from": 2, "to": 3})),
    ]


def test_a_version_2_store_gets_the_payroll_table(tmp_path):
    path = tmp_path / "v2.duckdb"
    with store.open_store(path, _upto=2) as con:
        assert store._version(con) == 2
        tables = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        assert "payroll" not in tables and "progress" in tables
        con.execute(
            "INSERT INTO progress (project_id, month, jobs_filled, women, status, "
            "submission_id, current) VALUES ('P1', DATE '2022-06-01', 3, 1, 'ongoing', 1, true)"
        )
    with store.open_store(path) as con:
        assert store._version(con) == 3
        cols = [r[0] for r in con.execute("DESCRIBE payroll").fetchall()]
        assert cols == [*schema.PAYROLL.column_names, "submission_id", "current"]
        assert con.execute("SELECT count(*) FROM payroll").fetchall() == [(0,)]
        assert con.execute("SELECT project_id, jobs_filled FROM progress").fetchall() == [("P1", 3)]
        events = con.execute("SELECT event, detail FROM events").fetchall()
    assert events[-1] == ("migrated", json.dumps({"from": 2, "to": 3}))
    # a store opened for reading only is migrated first, and reads an empty payroll
    assert len(store.load_program(path).payroll) == 0


# --- unknown projects, released later -------------------------------------------------------


def test_rows_of_unknown_projects_wait_and_are_released_when_the_project_arrives(files, tmp_path):
    partial = tmp_path / "reference_without_p22_001.xlsx"
    wb = openpyxl.load_workbook(files["ref"])
    ws = wb["projets"]
    assert ws["A2"].value == "P22-001"
    ws.delete_rows(2)
    wb.save(partial)
    db = tmp_path / "s.duckdb"
    store.ingest([partial], db)
    [r] = store.ingest([write_xlsx(tmp_path / "ASSO-001_2022-06.xlsx", ASSO_001)], db)
    assert (r.status, r.rows_accepted, r.rows_quarantined) == ("quarantined", 1, 1)
    program = store.load_program(db)
    err = program.problems[program.problems["severity"] == "error"].iloc[0]
    assert (err["key"], err["row"], err["value"]) == ("problem.store_unknown_project", 2, "P22-001")
    assert list(program.quarantine["progress"]["id_projet"]) == ["P22-001"]
    [ref] = store.ingest([files["ref"]], db)
    assert ref.released == 1
    program = store.load_program(db)
    assert sorted(program.progress["project_id"]) == ["P22-001", "P22-002"]
    assert len(program.quarantine["progress"]) == 0
    assert program.progress.set_index("project_id").loc["P22-001", "jobs_filled"] == 15


def test_a_partner_file_before_any_reference_waits_in_quarantine(files, tmp_path):
    db = tmp_path / "empty.duckdb"
    [r] = store.ingest([write_xlsx(tmp_path / "ASSO-001_2022-06.xlsx", ASSO_001)], db)
    assert (r.rows_read, r.rows_accepted, r.rows_quarantined) == (2, 0, 2)
    assert len(store.load_program(db).progress) == 0
    [ref] = store.ingest([files["ref"]], db)
    assert ref.released == 2
    assert sorted(store.load_program(db).progress["project_id"]) == ["P22-001", "P22-002"]


# --- quarantine export and corrections ------------------------------------------------------


def test_quarantine_export_corrected_and_sent_back_resolves_the_rows(db, tmp_path):
    bad = [list(ASSO_001[0]), list(ASSO_001[1])]
    bad[0][3] = "=1+1"  # women: a formula-like text, not a number
    bad[1][0] = "P22-0002"  # a typo: no such project
    [r] = store.ingest([write_xlsx(tmp_path / "ASSO-001_2022-06.xlsx", bad)], db)
    assert (r.rows_accepted, r.rows_quarantined) == (0, 2)
    out = tmp_path / "to_fix.xlsx"
    assert main(["quarantine", "--export", str(out), "--store", str(db), "--lang", "ar"]) == 0
    wb = openpyxl.load_workbook(out)
    # formatted like the partner's template: instructions first, then the partner's sheet
    assert wb.sheetnames == ["تعليمات", "ASSO-001", "awrach"] and wb.active.title == "ASSO-001"
    ws = wb["ASSO-001"]
    assert ws["A1"].value.startswith("أسطر الحجر صدرها awrach")  # the note above the headers
    header = [c.value for c in ws[2]]
    assert header[:2] == ["رقم المشروع\nCode projet", "الشهر\nMois"]  # read back by the loader
    assert header[:9] == [template.header_text("progress", c, "ar") for c in HEADER_COLUMNS]
    assert header[-3:] == ["مرجع awrach", "سبب الرفض", "ما العمل"]
    assert ws["D3"].value == "'=1+1"  # neutralised: shown as text, never run
    assert ws["C3"].value == 15 and ws["H3"].value == 57.3  # numbers stay numbers
    assert ws.cell(3, len(header) - 1).value.startswith("femmes")
    reason, hint = ws.cell(4, len(header) - 1).value, ws.cell(4, len(header)).value
    # the id stays whole in Arabic (bidi isolate, as every value in a message)
    expected = (
        "المشروع \u2066P22-0002\u2069 غير موجود (بعد) في الجداول المرجعية؛ "
        "السطر في انتظار في الحجر."
    )
    assert reason == "id_projet: " + expected
    assert hint.startswith("صحح رقم المشروع")
    assert ws.sheet_view.rightToLeft and ws.freeze_panes == "A3"
    # the cells to correct are open, the reference and reasons locked, the sheet protected
    assert ws.protection.sheet
    assert not ws["A4"].protection.locked and not ws["D3"].protection.locked
    assert all(ws.cell(3, c).protection.locked for c in range(len(header) - 2, len(header) + 1))
    # the status column gets the template's drop-down list, the women column its check
    checks = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert checks["I3:I4"].type == "list" and checks["I3:I4"].formula1 == "awrach_list_status"
    assert checks["D3:D4"].type == "whole"
    assert "awrach_list_status" in wb.defined_names
    # the partner corrects the two cells and sends the workbook back
    ws["D3"] = 1
    ws["A4"] = "P22-002"
    wb.save(out)
    [c] = store.ingest([out], db)
    assert (c.status, c.rows_accepted, c.rows_quarantined, c.resolved) == ("corrections", 2, 0, 2)
    program = store.load_program(db)
    assert len(program.quarantine["progress"]) == 0
    got = program.progress.set_index("project_id")
    assert got.loc["P22-001", "women"] == 1 and got.loc["P22-002", "jobs_filled"] == 8
    assert [r.status for r in store.ingest([out], db)] == ["already"]


def test_export_tables_neutralises_formula_text_in_csv(files, tmp_path):
    ref = tmp_path / "reference.xlsx"
    wb = openpyxl.load_workbook(files["ref"])
    cell = wb["projets"]["C2"]  # P22-001's French title, typed as text starting with "="
    cell.value, cell.data_type = '=HYPERLINK("http://x")', "s"
    wb.save(ref)
    db = tmp_path / "s.duckdb"
    store.ingest([ref], db)
    out = tmp_path / "out"
    assert main(["export", "--store", str(db), "--out", str(out)]) == 0
    projects = pd.read_csv(out / "projects.csv", dtype=str).set_index("project_id")
    assert len(projects) == 145
    assert projects.loc["P22-001", "title_fr"] == '\'=HYPERLINK("http://x")'
    assert projects.loc["P22-002", "title_fr"] == "Aide à domicile aux personnes âgées à Khenifra"
    pq = pd.read_parquet(out / "projects.parquet").set_index("project_id")
    assert pq.loc["P22-001", "title_fr"] == '=HYPERLINK("http://x")'  # Parquet: as typed
    assert {p.name for p in out.iterdir()} >= {"submissions.csv", "quarantine.parquet"}
    assert store.neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert [store.neutralise(x) for x in ("+1", "-x", "@a", "\tb", "\rc", "ok", 5)] == [
        "'+1",
        "'-x",
        "'@a",
        "'\tb",
        "'\rc",
        "ok",
        5,
    ]


def test_personal_values_never_reach_the_store(db, tmp_path):
    rows = [[*r, "AB123456", "0612345678"] for r in ASSO_001]
    rows[1][2] = "x"  # quarantined too: its personal cells must not be kept either
    path = write_xlsx(tmp_path / "p.xlsx", rows, [*HEADERS, "CIN", "Téléphone"])
    store.ingest([path], db)
    raw = db.read_bytes()
    with store.open_store(db, read_only=True) as con:
        dump = repr([con.execute(f'SELECT * FROM "{t}"').fetchall() for t in store.checksums(db)])
    assert "AB123456" not in dump and "0612345678" not in dump
    assert b"AB123456" not in raw


# --- command line ---------------------------------------------------------------------------


def test_help_lists_the_store_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("ingest", "status", "quarantine", "export"):
        assert command in out


def test_cli_ingest_exit_codes_and_status(files, db, tmp_path, capsys):
    assert main(["ingest", str(files["partners"][0]), "--store", str(db), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "ASSO-001_2022-06.xlsx: accepted (submission #2, partner ASSO-001" in out
    bad = write_xlsx(
        tmp_path / "b.xlsx", [["P22-003", "2022-06", "many", 0, 0, 1, 1, 1, "ongoing"]]
    )
    assert main(["ingest", str(bad), "--store", str(db)]) == 1
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    before = store.checksums(db)
    assert main(["ingest", str(junk), "--store", str(db), "--lang", "en"]) == 2
    assert "junk.xlsx: unreadable" in capsys.readouterr().out
    assert store.checksums(db) == before
    assert main(["status", "--store", str(db), "--month", MONTH, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "To chase for 2022-06 (43 partners)" in out
    assert "  ASSO-003: P22-005, P22-006" in out
    assert main(["summary", "--data", str(db)]) == 0


def test_a_row_already_sent_in_another_file_is_quarantined_not_doubled(files, db, tmp_path):
    store.ingest(files["partners"][:1], db)  # ASSO-001: P22-001 and P22-002
    rows = [ASSO_001[0], ["P22-003", "2022-06", 10, 2, 5, 200, 20000, 50.0, "ongoing"]]
    [r] = store.ingest([write_xlsx(tmp_path / "province_2022-06.xlsx", rows)], db)
    assert (r.partner_id, r.rows_accepted, r.rows_quarantined) == (None, 1, 1)
    program = store.load_program(db)
    assert sorted(program.progress["project_id"]) == ["P22-001", "P22-002", "P22-003"]
    errors = program.problems[program.problems["severity"] == "error"]
    assert list(errors["key"]) == ["problem.store_duplicate"]
    assert program.rows_read["progress"] == 4


def test_a_workbook_with_every_table_keeps_the_partners_rows(files, tmp_path):
    db = tmp_path / "s.duckdb"
    store.ingest([files["ref"], files["partners"][0]], db)  # reference, then ASSO-001's June
    everything = store.write_reference_workbook(
        config.SAMPLE_DIR, tmp_path / "all.xlsx", [*store.TABLES]
    )
    [r] = store.ingest([everything], db)
    assert r.kind == "reference" and r.supersedes == [1]
    program = store.load_program(db)
    assert len(program.progress) == 675  # every row once: ASSO-001's two June rows kept
    errors = program.problems[program.problems["severity"] == "error"]
    assert sorted(errors["value"]) == ["P22-001", "P22-002"]
    assert set(errors["key"]) == {"problem.store_duplicate"}
    assert len(program.projects) == 145


def test_reference_rows_are_exported_too_and_their_fix_releases_the_waiting_rows(files, tmp_path):
    bad_ref = tmp_path / "reference.xlsx"
    wb = openpyxl.load_workbook(files["ref"])
    assert wb["projets"]["A2"].value == "P22-001" and wb["projets"]["I1"].value == "planned_jobs"
    wb["projets"]["I2"] = "beaucoup"
    wb.save(bad_ref)
    db = tmp_path / "s.duckdb"
    [ref] = store.ingest([bad_ref], db)
    assert (ref.rows_quarantined, ref.rows_read) == (1, 355)
    [r] = store.ingest([write_xlsx(tmp_path / "ASSO-001_2022-06.xlsx", ASSO_001)], db)
    assert (r.rows_accepted, r.rows_quarantined) == (1, 1)
    assert store.status(db, MONTH)["reference_quarantined"] == 1
    assert "1 ligne(s) des tableaux de référence" in store.format_status(store.status(db), "fr")
    out = tmp_path / "fix.xlsx"
    path, rows = store.export_quarantine(out, db, lang="fr")
    assert rows == 2
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Instructions", "ASSO-001", "projets", "awrach"]
    ws = wb["projets"]
    assert [c.value for c in ws[2]][8] == template.header_text("projects", "planned_jobs", "fr")
    assert ws["I3"].value == "beaucoup"
    ws["I3"] = 15
    wb.save(out)
    [c] = store.ingest([out], db)
    assert c.status == "corrections" and c.released == 1
    program = store.load_program(db)
    assert program.projects.set_index("project_id").loc["P22-001", "planned_jobs"] == 15
    assert sorted(program.progress["project_id"]) == ["P22-001", "P22-002"]
    assert sum(len(q) for q in program.quarantine.values()) == 0
