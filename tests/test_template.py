"""The fill-in template: what people type into it loads back exactly, in Excel and LibreOffice."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from awrach_analysis import config, i18n
from awrach_analysis.cli import main
from awrach_analysis.data import template
from awrach_analysis.data.load import column_for_header, is_note_sheet, load, table_for_name
from awrach_analysis.errors import InputError
from awrach_analysis.model.schema import TABLES, VOCABULARIES

PARTNER, MONTH = "ASSO-001", "2022-06"  # two projects of the sample are due: P22-001, P22-002
PROGRESS_COLUMNS = TABLES["progress"].column_names


@pytest.fixture(scope="module")
def program():
    return load()


def _folder_with(tmp_path: Path, workbook: Path, *, drop: tuple[str, ...]) -> Path:
    """A data folder: the bundled sample without ``drop`` tables, plus ``workbook``."""
    folder = tmp_path / "data"
    folder.mkdir(parents=True, exist_ok=True)
    for f in config.SAMPLE_DIR.iterdir():
        if f.suffix in (".csv", ".json") and f.stem not in drop:
            shutil.copy(f, folder / f.name)
    shutil.copy(workbook, folder / workbook.name)
    return folder


def _faults(program) -> pd.DataFrame:
    """Errors and warnings (info lines, such as the instructions sheet skipped, are fine)."""
    problems = program.problems
    return problems.loc[problems["severity"].isin(["error", "warning"])]


def _assert_clean(program) -> None:
    faults = _faults(program)
    assert faults.empty, faults[["severity", "sheet", "row", "column", "message"]].to_string()


def _expected_progress(rows: list[tuple]) -> pd.DataFrame:
    from awrach_analysis.model.schema import coerce

    frame = pd.DataFrame(rows, columns=PROGRESS_COLUMNS)
    frame["month"] = pd.to_datetime(frame["month"])
    return coerce(frame, "progress")


def _libreoffice_resave(path: Path, out: Path) -> Path:
    """Open ``path`` in LibreOffice and save it again as .xlsx (skip without soffice, off CI)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is missing on CI: `make system-deps` installs libreoffice-calc")
        pytest.skip("LibreOffice (soffice) is not installed")
    out.mkdir(exist_ok=True)
    profile = out / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    resaved = out / path.name
    assert resaved.exists() and resaved.read_bytes() != path.read_bytes()
    return resaved


# --- headers and sheet names -----------------------------------------------------------


def test_bilingual_headers_read_back_to_their_very_column():
    for table in template.TEMPLATE_TABLES:
        for column in TABLES[table].column_names:
            for lang in ("fr", "ar"):
                header = template.header_text(table, column, lang)
                fr, ar = header.split("\n") if lang == "fr" else header.split("\n")[::-1]
                assert column_for_header(table, header) == column, header
                assert column_for_header(table, f"{fr} / {ar}") == column
                assert column_for_header(table, fr) == column and column_for_header(table, ar)
    # the two lines must name the same column: a mixed header names none
    assert column_for_header("projects", "Date début prévue\nتاريخ الانتهاء المتوقع") is None
    assert column_for_header("projects", "Date début prévue / n'importe quoi") is None


def test_sheet_names_name_their_tables_and_instructions_are_notes():
    for lang in ("fr", "ar"):
        for table in template.TEMPLATE_TABLES:
            assert table_for_name(template.sheet_name(table, lang)) == table
        assert is_note_sheet(i18n.CATALOGUE["template.sheet.instructions"][lang])


def test_beneficiaries_sheet_has_no_personal_data_column():
    from awrach_analysis.data.load import is_personal_header

    for lang in ("fr", "ar"):
        headers = [
            template.header_text("beneficiaries", c, lang)
            for c in TABLES["beneficiaries"].column_names
        ]
        assert not [h for h in headers if is_personal_header(h)]


# --- a partner's month, typed as a person would ----------------------------------------


def _partner_sheet(wb):
    return wb[template.sheet_name("progress", "ar" if "تعليمات" in wb.sheetnames else "fr")]


def _type_row(ws, row: int, values: list) -> None:
    for col, value in enumerate(values, start=len(template.PARTNER_CONTEXT) + 1):
        ws.cell(row, col).value = value


def test_partner_sheet_typed_in_french_loads_clean_and_exact(program, tmp_path):
    wb = template.partner_template(program, PARTNER, MONTH, "fr")
    ws = _partner_sheet(wb)
    assert [ws.cell(r, 1).value for r in (3, 4)] == ["P22-001", "P22-002"]
    assert ws.cell(3, 3).value == "Khenifra" and ws.cell(3, 4).value == "2022-06"
    # jobs, women, youth, person-days, wages, progress %, status: French forms typed as text
    _type_row(ws, 3, [14, "3", 9, "297,5", "12 500", "12,5", "En cours"])
    _type_row(ws, 4, ["12", 0, None, 250, "1 100,50", 100, "Achevé"])
    path = tmp_path / "suivi_ASSO-001_2022-06.xlsx"
    template.save(wb, path)
    loaded = load(_folder_with(tmp_path, path, drop=("progress",)))
    _assert_clean(loaded)
    expected = _expected_progress(
        [
            ("P22-001", "2022-06-01", 14, 3, 9, 297.5, 12500.0, 12.5, "ongoing"),
            ("P22-002", "2022-06-01", 12, 0, None, 250.0, 1100.5, 100.0, "completed"),
        ]
    )
    pd.testing.assert_frame_equal(loaded.progress.reset_index(drop=True), expected)
    assert loaded.rows_read["progress"] == 2  # the two lines the partner sees
    info = loaded.problems.loc[loaded.problems["severity"] == "info", "rule"].tolist()
    assert sorted(info) == ["context_column", "context_column", "note_sheet"]


def test_partner_sheet_typed_in_arabic_digits_loads_clean_and_exact(program, tmp_path):
    wb = template.partner_template(program, PARTNER, MONTH, "ar")
    ws = _partner_sheet(wb)
    assert ws.sheet_view.rightToLeft
    assert ws.cell(3, 3).value == "خنيفرة" and ws.cell(3, 2).value.startswith("صيانة الحدائق")
    _type_row(ws, 3, ["١٤", "٣", "٩", "٢٩٧٫٥", "١٢ ٥٠٠", "١٢٫٥", "في طور الإنجاز"])
    _type_row(ws, 4, ["١٢", "٠", "", "٢٥٠", "١١٠٠", "١٠٠", "منجز"])
    path = tmp_path / "التتبع.xlsx"
    template.save(wb, path)
    loaded = load(_folder_with(tmp_path, path, drop=("progress",)))
    _assert_clean(loaded)
    expected = _expected_progress(
        [
            ("P22-001", "2022-06-01", 14, 3, 9, 297.5, 12500.0, 12.5, "ongoing"),
            ("P22-002", "2022-06-01", 12, 0, None, 250.0, 1100.0, 100.0, "completed"),
        ]
    )
    pd.testing.assert_frame_equal(loaded.progress.reset_index(drop=True), expected)


def test_partner_sheet_resaved_by_libreoffice_loads_identically(program, tmp_path):
    frames = []
    for lang, row in (
        ("fr", [14, "3", 9, "297,5", "12 500", "12,5", "En cours"]),
        ("ar", ["١٤", "٣", "٩", "٢٩٧٫٥", "١٢ ٥٠٠", "١٢٫٥", "في طور الإنجاز"]),
    ):
        wb = template.partner_template(program, PARTNER, MONTH, lang)
        ws = _partner_sheet(wb)
        _type_row(ws, 3, row)
        _type_row(ws, 4, [12, 0, None, 250, 1100.5, 100, i18n.label("status", "completed", lang)])
        path = tmp_path / f"partner_{lang}.xlsx"
        template.save(wb, path)
        before = load(_folder_with(tmp_path / lang, path, drop=("progress",)))
        resaved = _libreoffice_resave(path, tmp_path / f"lo_{lang}")
        after = load(_folder_with(tmp_path / f"after_{lang}", resaved, drop=("progress",)))
        _assert_clean(before)
        _assert_clean(after)
        pd.testing.assert_frame_equal(after.progress, before.progress)
        assert after.rows_read == before.rows_read
        frames.append(after.progress.reset_index(drop=True))
    pd.testing.assert_frame_equal(frames[0], frames[1])  # French and Arabic sheets agree


def test_every_partner_template_filled_from_the_sample_loads_back_its_rows(program, tmp_path):
    month = pd.Timestamp("2023-06-01")
    sample = program.progress.loc[program.progress["month"] == month]
    checked = 0
    for partner_id in program.partners["partner_id"]:
        try:
            due = template.partner_projects(program, partner_id, month)
        except InputError:  # partners with nothing due that month
            continue
        rows = sample.loc[sample["project_id"].isin(due["project_id"])]
        wb = template.partner_template(program, partner_id, "2023-06", "ar", rows)
        path = tmp_path / f"{partner_id}.xlsx"
        template.save(wb, path)
        loaded = load(_folder_with(tmp_path / partner_id, path, drop=("progress",)))
        got = loaded.progress.reset_index(drop=True)
        pd.testing.assert_frame_equal(got, rows.reset_index(drop=True), check_categorical=False)
        # a project due without figures is quarantined as "required", never dropped silently
        missing = set(due["project_id"]) - set(rows["project_id"])
        assert set(loaded.quarantine["progress"].iloc[:, 0]) == missing  # headers as written
        assert loaded.rows_read["progress"] == len(due)
        assert set(_faults(loaded)["rule"]) <= {"required"}
        checked += 1
    assert checked >= 10


def test_unknown_partner_and_month_without_projects(program):
    from awrach_analysis.errors import UnknownNameError

    with pytest.raises(UnknownNameError, match="ASSO-01"):
        template.partner_projects(program, "ASSO-01", MONTH)
    with pytest.raises(InputError, match="nothing to report for 2031-01"):
        template.partner_projects(program, PARTNER, "2031-01")


# --- the provincial workbook, typed as a person would ----------------------------------


def _fill_workbook(wb, lang: str) -> None:
    sheet = {t: wb[template.sheet_name(t, lang)] for t in template.TEMPLATE_TABLES}
    ar = lang == "ar"

    def put(table: str, values: list) -> None:
        ws = sheet[table]
        for col, value in enumerate(values, start=1):
            ws.cell(template.FIRST_DATA_ROW, col).value = value

    put(
        "partners",
        [
            "ASSO-900",
            "Association Tilila",
            "جمعية تيليلة",
            "جمعية" if ar else "Association",
            "خنيفرة" if ar else "Khenifra",
        ],
    )
    put(
        "agreements",
        [
            "A-900",
            dt.datetime(2022, 2, 11),
            "ASSO-900",
            None,
            "٢٣٤ ٢٠٠" if ar else "234 200",
            "٢٠٢٢" if ar else 2022,
        ],
    )
    put(
        "projects",
        [
            "P-900",
            "A-900",
            "Entretien des jardins",
            "صيانة الحدائق",
            "المساحات الخضراء وتهيئة المناظر" if ar else "Espaces verts et aménagement paysager",
            "مريرت" if ar else "M'rirt",
            "15/03/2022",
            dt.datetime(2022, 9, 30),
            "١٤" if ar else "14",
            "٩٨٫٥" if ar else "98,5",
            "٢٣٤ ٢٠٠" if ar else "234 200",
        ],
    )
    put(
        "progress",
        [
            "P-900",
            "2022-04",
            "١٢" if ar else "12",
            4,
            "٧" if ar else "7",
            "٢٥٠" if ar else "250",
            "٢٥ ٠٠٠" if ar else "25 000",
            "١٢٫٥" if ar else "12,5",
            "في طور الإنجاز" if ar else "En cours",
        ],
    )
    put(
        "targets",
        [
            "T-900",
            "إقليم" if ar else "Province",
            "05.301",
            2022,
            "2022-01",
            "2022-12",
            "١ ١٠٠" if ar else "1 100",
            "maroc24.com",
        ],
    )
    put(
        "beneficiaries",
        [
            "B-900",
            "P-900",
            "أنثى" if ar else "Femme",
            "25–34 سنة" if ar else "25–34 ans",
            "ثانوي" if ar else "Secondaire",
            "مريرت" if ar else "M'rirt",
            "01/04/2022",
            dt.datetime(2022, 9, 30),
            "انتهاء العقد" if ar else "Fin de contrat",
        ],
    )


def _expected_workbook_tables() -> dict[str, list[dict]]:
    return {
        "partners": [
            {
                "partner_id": "ASSO-900",
                "name_fr": "Association Tilila",
                "name_ar": "جمعية تيليلة",
                "partner_type": "association",
                "home_commune": "05.301.01.01",
            }
        ],
        "agreements": [
            {
                "agreement_id": "A-900",
                "signed_on": pd.Timestamp("2022-02-11"),
                "partner_id": "ASSO-900",
                "budget_mad": 234200.0,
                "wave": 2022,
            }
        ],
        "projects": [
            {
                "project_id": "P-900",
                "agreement_id": "A-900",
                "title_fr": "Entretien des jardins",
                "title_ar": "صيانة الحدائق",
                "domain": "green_spaces",
                "commune_code": "05.301.01.05",
                "planned_start": pd.Timestamp("2022-03-15"),
                "planned_end": pd.Timestamp("2022-09-30"),
                "planned_jobs": 14,
                "planned_person_months": 98.5,
                "budget_mad": 234200.0,
            }
        ],
        "progress": [
            {
                "project_id": "P-900",
                "month": pd.Timestamp("2022-04-01"),
                "jobs_filled": 12,
                "women": 4,
                "youth": 7,
                "person_days": 250.0,
                "wages_paid_mad": 25000.0,
                "physical_progress_pct": 12.5,
                "status": "ongoing",
            }
        ],
        "targets": [
            {
                "target_id": "T-900",
                "scope": "province",
                "scope_code": "05.301",
                "wave": 2022,
                "period_start": pd.Timestamp("2022-01-01"),
                "period_end": pd.Timestamp("2022-12-01"),
                "jobs_target": 1100,
                "source": "maroc24.com",
            }
        ],
        "beneficiaries": [
            {
                "beneficiary_key": "B-900",
                "project_id": "P-900",
                "sex": "female",
                "age_band": "25-34",
                "education": "secondary",
                "residence_commune": "05.301.01.05",
                "start_date": pd.Timestamp("2022-04-01"),
                "end_date": pd.Timestamp("2022-09-30"),
                "exit_reason": "contract_end",
            }
        ],
    }


def _assert_tables(loaded) -> None:
    for table, rows in _expected_workbook_tables().items():
        got = loaded.table(table)
        assert len(got) == 1 and loaded.rows_read[table] == 1, table
        for column, value in rows[0].items():
            cell = got[column].iloc[0]
            assert str(cell) == str(value), (table, column, cell)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_workbook_typed_by_hand_loads_clean_and_exact(tmp_path, lang):
    wb = template.workbook_template("Khénifra", lang)
    _fill_workbook(wb, lang)
    path = tmp_path / f"awrach_{lang}.xlsx"
    template.save(wb, path)
    loaded = load(path)
    _assert_clean(loaded)
    _assert_tables(loaded)
    assert loaded.province_code == "05.301"
    resaved = _libreoffice_resave(path, tmp_path / "lo")
    again = load(resaved)
    _assert_clean(again)
    for table in template.TEMPLATE_TABLES:
        pd.testing.assert_frame_equal(again.table(table), loaded.table(table))


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_sample_written_in_template_form_loads_back_to_itself(program, tmp_path, lang):
    path = template.save(template.program_workbook(program, lang), tmp_path / "sample.xlsx")
    loaded = load(path)
    _assert_clean(loaded)
    for table in template.TEMPLATE_TABLES:
        pd.testing.assert_frame_equal(loaded.table(table), program.table(table), obj=table)


# --- what the file offers a person -----------------------------------------------------


def _list_values(wb, name: str) -> list[str]:
    ((sheet, ref),) = wb.defined_names[name].destinations
    return [c.value for (c,) in wb[sheet][ref.replace("$", "")]]


def test_partner_sheet_structure(program, tmp_path):
    path = template.save(
        template.partner_template(program, PARTNER, MONTH, "ar", generated_on=dt.date(2026, 1, 5)),
        tmp_path / "p.xlsx",
    )
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["تعليمات", "التتبع الشهري"]
    ws = wb["التتبع الشهري"]
    assert ws.freeze_panes == "A3"
    assert ws.sheet_view.rightToLeft and wb["تعليمات"].sheet_view.rightToLeft
    note = ws["A1"].value
    assert all(s in note for s in ("ASSO-001", "يونيو 2022", "خنيفرة", "05/01/2026", "05.301"))
    # protection: ids, titles, communes and month locked; the month's figures editable
    assert ws.protection.sheet
    for row in (3, 4):
        assert all(ws.cell(row, c).protection.locked for c in range(1, 5))
        assert not any(ws.cell(row, c).protection.locked for c in range(5, 12))
    assert all(ws.cell(2, c).protection.locked for c in range(1, 12))
    checks = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert (checks["E3:E4"].type, checks["E3:E4"].formula1, checks["E3:E4"].formula2) == (
        "whole",
        "0",
        "10000",
    )  # jobs filled
    assert (checks["J3:J4"].type, checks["J3:J4"].formula1) == ("decimal", "0")  # progress 0-100
    assert checks["J3:J4"].formula2 == "100"
    status = checks["K3:K4"]
    assert status.type == "list" and status.showErrorMessage
    assert _list_values(wb, status.formula1) == [t.ar for t in VOCABULARIES["status"].values()]
    assert 10 < ws.column_dimensions["B"].width <= 45


def test_workbook_structure(tmp_path):
    wb = openpyxl.load_workbook(
        template.save(template.workbook_template("Khénifra", "fr"), tmp_path / "w.xlsx")
    )
    assert wb.sheetnames == ["Instructions"] + [
        template.sheet_name(t, "fr") for t in template.TEMPLATE_TABLES
    ]
    projects = wb["Projets"]
    assert projects.freeze_panes == "A3" and not projects.sheet_view.rightToLeft
    assert projects["A2"].value == "Code projet\nرقم المشروع"
    checks = {dv.formula1: dv for dv in projects.data_validations.dataValidation}
    assert _list_values(wb, "awrach_list_domain") == [t.fr for t in VOCABULARIES["domain"].values()]
    communes = _list_values(wb, "awrach_list_commune")
    assert len(communes) == 22 and "Khenifra" in communes and "Sidi Hcine" in communes
    assert "awrach_list_commune" in checks and "DATE(2000,1,1)" in checks
    partners = wb["Partenaires"]
    types = {dv.formula1 for dv in partners.data_validations.dataValidation}
    assert types == {"awrach_list_partner_type", "awrach_list_commune"}
    # headers locked, the typing area unlocked, the sheet protected without a password
    assert projects.protection.sheet and projects["A2"].protection.locked
    assert projects.column_dimensions["A"].protection.locked is False
    instructions = wb["Instructions"]
    texts = [c.value for c in instructions["A"] if c.value]
    assert texts[0] == "Comment remplir ce fichier" and "كيفية ملء هذا الملف" in texts


# --- command line ----------------------------------------------------------------------


def test_cli_template_writes_workbook_and_partner_sheet(tmp_path, capsys):
    out = tmp_path / "out.xlsx"
    assert main(["template", str(out), "--lang", "ar"]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "تعليمات" and len(wb.sheetnames) == 7
    part = tmp_path / "partner.xlsx"
    assert main(["template", str(part), "--partner", "ASSO-001", "--month", "2023-06"]) == 0
    assert openpyxl.load_workbook(part).sheetnames == ["Instructions", "Suivi mensuel"]
    assert capsys.readouterr().out.split() == [str(out), str(part)]


def test_cli_template_unknown_partner_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # messages in English (the sheets' --lang is fr)
    out = tmp_path / "x.xlsx"
    assert main(["template", str(out), "--partner", "ASSO-01", "--month", "2023-06"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Unknown partner 'ASSO-01'" in err
    assert not out.exists()
    assert main(["template", str(out), "--partner", "ASSO-001"]) == 2
    assert "--month" in capsys.readouterr().err
