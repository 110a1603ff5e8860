"""Reading files into cells never loses or changes a value without a word (issue 9, §1)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from fixtures.awrach_tables import (
    assert_invariants,
    base_tables,
    csv_text,
    problems_of,
    rows_as_grid,
    write_csv_folder,
    write_workbook,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from awrach_analysis.cli import main
from awrach_analysis.data.load import decode_text, load
from awrach_analysis.data.read import is_percent_format, split_csv
from awrach_analysis.data.validate import RULES, table_counts
from awrach_analysis.i18n import problem_texts

AWRACH = [sys.executable, "-m", "awrach_analysis"]
SOFFICE = shutil.which("soffice")


def four_projects() -> dict[str, list[dict]]:
    """The base data set with projects K3 and K4 added (copies of K2): 4 project rows."""
    t = base_tables()
    for pid in ("K3", "K4"):
        row = dict(t["projects"][1], project_id=pid, title_fr=f"Chantier {pid}")
        t["projects"].append(row)
    return t


def counts(program, table: str) -> tuple[int, int, int]:
    c = table_counts(program).loc[table]
    assert c["rows_read"] == c["accepted"] + c["quarantined"]
    return int(c["rows_read"]), int(c["accepted"]), int(c["quarantined"])


def assert_worded_in_three_languages(problem: dict) -> None:
    assert problem["key"], problem
    for lang in ("fr", "ar", "en"):
        message, hint = problem_texts(problem, lang)
        assert message and hint, (lang, problem["key"])


# ---------------------------------------------------------------------------------------
# 1. CSV quotes and huge cells
# ---------------------------------------------------------------------------------------


def test_stray_quote_does_not_swallow_the_following_rows(tmp_path):
    folder = write_csv_folder(tmp_path, four_projects())
    path = folder / "projects.csv"
    text = path.read_text("utf-8")
    assert text.count("Pistes rurales") == 1
    path.write_text(text.replace("Pistes rurales", '"Pistes rurales'), "utf-8")
    program = load(folder)
    assert_invariants(program)
    # A person sees a header and four data lines: four rows read, all accepted.
    assert counts(program, "projects") == (4, 4, 0)
    titles = program.projects.set_index("project_id")["title_fr"]
    assert titles["K1"] == '"Pistes rurales'  # the quote is kept as typed
    assert titles["K4"] == "Chantier K4"
    (warning,) = problems_of(program, "csv_quote")
    assert (warning["file"], warning["row"], warning["column"]) == ("projects.csv", 2, "title_fr")
    assert warning["severity"] == "warning"
    assert "5" in warning["message"]  # the lines up to row 5 were read as rows
    assert_worded_in_three_languages(warning)


def test_quote_closed_then_followed_by_text_keeps_the_quotes(tmp_path):
    folder = write_csv_folder(tmp_path, four_projects())
    path = folder / "projects.csv"
    text = path.read_text("utf-8").replace("Chantier K3", '"Chantier" K3')
    path.write_text(text, "utf-8")
    program = load(folder)
    assert counts(program, "projects") == (4, 4, 0)
    assert program.projects.set_index("project_id").loc["K3", "title_fr"] == '"Chantier" K3'
    (warning,) = problems_of(program, "csv_quote")
    assert (warning["row"], warning["column"]) == (4, "title_fr")


def test_line_break_typed_inside_a_cell_stays_one_row(tmp_path):
    t = four_projects()
    t["projects"][0]["title_fr"] = "Pistes rurales\nTranche 1"
    program = load(write_csv_folder(tmp_path, t))
    assert counts(program, "projects") == (4, 4, 0)
    assert program.projects.loc[0, "title_fr"] == "Pistes rurales\nTranche 1"
    assert not problems_of(program, "csv_quote")


def test_quote_trouble_that_cannot_be_read_as_rows_is_a_located_error(tmp_path, capsys):
    path = tmp_path / "projects.csv"
    text = csv_text(four_projects()["projects"]).replace("Chantier K3", '"Chantier K3')
    # the last line loses its last fields: it cannot be read as a row on its own
    lines = text.split("\r\n")
    lines[-2] = ",".join(lines[-2].split(",")[:4])
    path.write_text("\r\n".join(lines), "utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "projects.csv, row 4, column C" in err
    assert "Traceback" not in err and "quote" in err and "save the file again" in err


def test_ten_megabyte_cell_is_read_not_a_crash(tmp_path):
    t = base_tables()
    t["projects"][1]["title_fr"] = "x" * 10_000_000
    folder = write_csv_folder(tmp_path, t)
    proc = subprocess.run(
        [*AWRACH, "validate", str(folder / "projects.csv")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode in (0, 1), proc.stderr
    program = load(folder)
    assert counts(program, "projects") == (2, 2, 0)
    assert len(program.projects.set_index("project_id").loc["K2", "title_fr"]) == 10_000_000


# ---------------------------------------------------------------------------------------
# 2. XLSX with a wrong <dimension>
# ---------------------------------------------------------------------------------------


def _patch_dimension(path: Path, ref: str) -> None:
    """Rewrite every sheet's <dimension ref=...> of an xlsx file (as other tools may)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                start = text.index("<dimension ref=")
                end = text.index("/>", start)
                assert text[start:end] != f'<dimension ref="{ref}"'
                data = (text[:start] + f'<dimension ref="{ref}"' + text[end:]).encode("utf-8")
            dst.writestr(item, data)
    tmp.replace(path)


def test_xlsx_declaring_fewer_rows_and_columns_is_read_whole(tmp_path):
    path = write_workbook(
        tmp_path / "projects.xlsx", {"projects": rows_as_grid(four_projects()["projects"])}
    )
    _patch_dimension(path, "A1:C2")  # declares 2 rows and 3 columns; the sheet has 5 and 11
    program = load(path, province="05.301")
    assert_invariants(program)
    assert counts(program, "projects") == (4, 4, 0)
    assert program.projects["budget_mad"].tolist() == [80000, 45000, 45000, 45000]
    assert not problems_of(program, "unknown_column")


# ---------------------------------------------------------------------------------------
# 3. Formulas without a saved result
# ---------------------------------------------------------------------------------------


def test_formulas_without_saved_result_are_counted_per_column(tmp_path):
    rows = rows_as_grid(base_tables()["progress"])
    days = rows[0].index("person_days")
    wages = rows[0].index("wages_paid_mad")
    for n, row in enumerate(rows[1:], start=2):
        row[days] = f"=22*{row[2]}"  # jobs_filled * 22 days, as a script would write it
        if n == 3:
            row[wages] = f"={days}*100"
    path = write_workbook(tmp_path / "progress.xlsx", {"progress": rows})
    program = load(path, province="05.301")
    assert_invariants(program)
    assert counts(program, "progress") == (3, 3, 0)
    found = sorted(problems_of(program, "formula_no_value"), key=lambda p: p["column"])
    assert [(p["column"], p["row"], p["severity"]) for p in found] == [
        ("person_days", 2, "warning"),
        ("wages_paid_mad", 3, "warning"),
    ]
    assert "3 formula cell(s)" in found[0]["message"] and "2, 3, 4" in found[0]["message"]
    assert "1 formula cell(s)" in found[1]["message"]
    assert "LibreOffice" in found[0]["suggestion"]
    assert_worded_in_three_languages(found[0])


@pytest.mark.skipif(not SOFFICE and not os.environ.get("CI"), reason="needs LibreOffice")
def test_formulas_saved_by_libreoffice_read_their_result_without_warning(tmp_path):
    rows = rows_as_grid(base_tables()["progress"])
    days = rows[0].index("person_days")
    for row in rows[1:]:
        row[days] = f"=22*{row[2]}"
    (tmp_path / "in").mkdir()
    src = write_workbook(tmp_path / "in" / "progress.xlsx", {"progress": rows})
    out = _convert(src, "xlsx", tmp_path / "out")
    program = load(out, province="05.301")
    assert not problems_of(program, "formula_no_value")
    assert program.progress["person_days"].tolist() == [220, 198, 132]


# ---------------------------------------------------------------------------------------
# 4. Percentages
# ---------------------------------------------------------------------------------------


def _percent_workbook(path: Path) -> Path:
    rows = rows_as_grid(base_tables()["progress"])
    col = rows[0].index("physical_progress_pct")
    for row, share in zip(rows[1:], (0.25, 0.455, 0.2), strict=True):
        row[col] = share
    write_workbook(path, {"progress": rows})
    wb = openpyxl.load_workbook(path)
    ws = wb["progress"]
    for r in range(2, 5):
        ws.cell(r, col + 1).number_format = "0.0%"
    wb.save(path)
    return path


def test_cells_formatted_as_percent_read_as_shown(tmp_path):
    xlsx = load(_percent_workbook(tmp_path / "progress.xlsx"), province="05.301")
    assert_invariants(xlsx)
    assert xlsx.progress["physical_progress_pct"].tolist() == [25.0, 45.5, 20.0]
    # the same figures typed as text in a CSV
    t = base_tables()
    for row, text in zip(t["progress"], ("25%", "45,5 %", "20%"), strict=True):
        row["physical_progress_pct"] = text
    csv = load(write_csv_folder(tmp_path / "csv", {"progress": t["progress"]}), province="05.301")
    assert csv.progress["physical_progress_pct"].tolist() == [25.0, 45.5, 20.0]


def test_literal_percent_sign_in_a_format_is_not_a_percentage():
    assert is_percent_format("0%") and is_percent_format("#,##0.00%")
    assert not is_percent_format('0" %"') and not is_percent_format("0\\%")
    assert not is_percent_format("General") and not is_percent_format(None)


# ---------------------------------------------------------------------------------------
# 5. Encodings
# ---------------------------------------------------------------------------------------


def test_french_windows_csv_is_not_read_as_arabic(tmp_path):
    t = base_tables()
    for row in t["partners"]:
        row["name_ar"] = ""  # French Excel: no Arabic in the file
    t["partners"][0]["name_fr"] = "ÉCOLE DES MÉTIERS À KHÉNIFRA"
    t["partners"][1]["name_fr"] = "Coopérative Oum Rabia"
    folder = write_csv_folder(tmp_path, {"partners": t["partners"]}, encoding="cp1252")
    text, encoding = decode_text((folder / "partners.csv").read_bytes(), "partners.csv")
    assert encoding == "cp1252"
    program = load(folder / "partners.csv", province="05.301")
    names = program.partners.set_index("partner_id")["name_fr"]
    assert names["P1"] == "ÉCOLE DES MÉTIERS À KHÉNIFRA"
    assert names["P2"] == "Coopérative Oum Rabia"
    assert not problems_of(program, "encoding")  # one reading only is plausible


def test_arabic_windows_csv_still_reads_arabic(tmp_path):
    t = base_tables()
    t["partners"][0]["name_fr"] = "Association Atlas"
    folder = write_csv_folder(tmp_path, {"partners": t["partners"]}, encoding="cp1256")
    program = load(folder / "partners.csv", province="05.301")
    assert program.partners.set_index("partner_id").loc["P1", "name_ar"] == "جمعية الأطلس"
    assert not problems_of(program, "encoding")


def test_a_guessed_encoding_is_a_located_warning(tmp_path):
    t = base_tables()
    for row in t["partners"]:
        row["name_ar"] = ""
    t["partners"][2]["name_fr"] = "Direction À"  # 'À' alone: Latin in 1252, Arabic in 1256
    folder = write_csv_folder(tmp_path, {"partners": t["partners"]}, encoding="cp1252")
    program = load(folder / "partners.csv", province="05.301")
    (warning,) = problems_of(program, "encoding")
    assert (warning["file"], warning["row"], warning["severity"]) == ("partners.csv", 4, "warning")
    assert "CSV UTF-8" in warning["suggestion"]
    assert_worded_in_three_languages(warning)


# ---------------------------------------------------------------------------------------
# 6. .xls and .ods
# ---------------------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(
    not SOFFICE and not os.environ.get("CI"), reason="LibreOffice (soffice) is not installed"
)


def _convert(src: Path, fmt: str, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "profile"
    subprocess.run(
        [SOFFICE or "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", fmt, str(src), "--outdir", str(out)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    target = out / f"{src.stem}.{fmt}"
    assert target.exists(), f"soffice did not write {target}"
    return target


def _whole_workbook(path: Path) -> Path:
    t = base_tables()
    sheets = {name: rows_as_grid(rows) for name, rows in t.items()}
    write_workbook(path, sheets)
    wb = openpyxl.load_workbook(path)
    ws = wb["progress"]
    col = sheets["progress"][0].index("physical_progress_pct") + 1
    for r, share in zip(range(2, 5), (0.25, 0.5, 0.2), strict=True):
        ws.cell(r, col).value = share
        ws.cell(r, col).number_format = "0%"
    wb.save(path)
    return path


@needs_soffice
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_ods_and_xls_workbooks_are_read(tmp_path, fmt):
    (tmp_path / "src").mkdir()
    xlsx = _whole_workbook(tmp_path / "src" / "awrach.xlsx")
    other = _convert(xlsx, fmt, tmp_path / fmt)
    program = load(other)
    reference = load(xlsx)
    assert_invariants(program)
    for table in ("partners", "agreements", "projects", "progress", "beneficiaries"):
        assert counts(program, table) == counts(reference, table), table
    assert program.projects["title_ar"].tolist() == ["المسالك القروية", "ترميم القصبة"]
    assert program.progress["jobs_filled"].tolist() == [10, 9, 6]
    pct = program.progress["physical_progress_pct"].tolist()
    if fmt == "ods":  # the file says which cells are percentages
        assert pct == [25.0, 50.0, 20.0]
        assert not problems_of(program, "xls_formats")
    else:  # an .xls file does not tell: the values are read as stored, with a warning
        assert pct == [0.25, 0.5, 0.2]
        (warning,) = problems_of(program, "xls_formats")
        assert (warning["sheet"], warning["row"], warning["column"]) == (
            "progress",
            2,
            "physical_progress_pct",
        )
        assert "45%" in warning["message"] and ".xlsx" in warning["suggestion"]


def test_corrupt_ods_is_a_one_line_input_error(tmp_path, capsys):
    (tmp_path / "projects.ods").write_bytes(b"PK\x03\x04 not really a spreadsheet")
    assert main(["validate", str(tmp_path / "projects.ods")]) == 2
    err = capsys.readouterr().err
    assert "projects.ods: not a readable OpenDocument spreadsheet" in err
    assert "Traceback" not in err


# ---------------------------------------------------------------------------------------
# 7. Files that are not regular, or cannot be read
# ---------------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_refused_not_read_forever(tmp_path):
    fifo = tmp_path / "projects.csv"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [*AWRACH, "validate", str(fifo)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert "projects.csv: not a regular file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_unreadable_folder_is_exit_2_with_one_line(tmp_path, capsys, monkeypatch):
    folder = write_csv_folder(tmp_path / "data", base_tables())
    if os.geteuid() == 0:  # root reads everything: simulate the refusal
        real = Path.iterdir

        def refuse(self):
            if self == folder:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "iterdir", refuse)
    else:
        folder.chmod(0)
    try:
        assert main(["validate", str(folder)]) == 2
    finally:
        folder.chmod(0o755)
    err = capsys.readouterr().err.strip()
    assert "Permission denied" in err and len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_unreadable_file_is_exit_2_with_one_line(tmp_path, capsys, monkeypatch):
    folder = write_csv_folder(tmp_path / "data", base_tables())
    target = folder / "projects.csv"
    if os.geteuid() == 0:
        real = Path.open

        def refuse(self, *args, **kwargs):
            if self == target:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", refuse)
    else:
        target.chmod(0)
    assert main(["validate", str(folder)]) == 2
    err = capsys.readouterr().err.strip()
    assert "projects.csv: cannot be read (Permission denied)" in err
    assert len(err.splitlines()) == 1


def test_new_rules_are_documented():
    for rule in ("csv_quote", "encoding", "formula_no_value", "xls_formats"):
        assert rule in RULES


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_in_a_folder_is_named_and_not_opened(tmp_path):
    folder = write_csv_folder(tmp_path / "data", base_tables())
    os.mkfifo(folder / "notes.csv")
    proc = subprocess.run(
        [*AWRACH, "validate", "--json", str(folder)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "notes.csv is not a regular file" in proc.stdout


# ---------------------------------------------------------------------------------------
# Properly written CSV is never "repaired"
# ---------------------------------------------------------------------------------------

_CELL = st.text(alphabet='ab É,;"\n\r\tتر1', max_size=12)
_PLAIN = st.text(alphabet="ab É;\tتر1", max_size=12)


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@settings(max_examples=300, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda w: st.lists(st.lists(_CELL, min_size=w, max_size=w), min_size=1, max_size=8)
    )
)
def test_csv_written_by_a_csv_writer_reads_back_exactly(rows):
    grid, found = split_csv(_csv(rows), ",", "x.csv")
    assert [r for _, r in grid] == rows
    assert [n for n, _ in grid] == list(range(1, len(rows) + 1))
    assert found == []


@settings(max_examples=300, deadline=None)
@given(
    st.integers(3, 8).flatmap(
        lambda w: st.lists(st.lists(_PLAIN, min_size=w, max_size=w), min_size=2, max_size=8)
    ),
    st.data(),
)
def test_a_stray_quote_anywhere_never_loses_a_row(rows, data):
    i = data.draw(st.integers(1, len(rows) - 1), label="row")
    j = data.draw(st.integers(0, len(rows[0]) - 1), label="column")
    rows[i][j] = '"' + rows[i][j]  # typed by hand: opens a value, never closes it
    text = "\r\n".join(",".join(r) for r in rows) + "\r\n"
    grid, found = split_csv(text, ",", "x.csv")
    assert [r for _, r in grid] == rows  # every line a row, the quote kept as typed
    assert [(p.row, p.column) for p in found] == [(i + 1, chr(65 + j))]


def test_utf8_file_with_one_broken_byte_is_not_read_as_windows_1252(tmp_path):
    folder = write_csv_folder(tmp_path, {"partners": base_tables()["partners"]})
    path = folder / "partners.csv"
    data = path.read_bytes().replace(b"Association Atlas", b"Association Atlas \xe9")
    path.write_bytes(data)
    program = load(path, province="05.301")
    names = program.partners.set_index("partner_id")["name_fr"]
    assert names["P2"] == "Coopérative Oum Rabia"  # not 'CoopÃ©rative'
    assert names["P1"] == "Association Atlas \ufffd"
    (warning,) = problems_of(program, "encoding")
    assert (warning["row"], warning["severity"]) == (2, "warning")
    assert "1 byte(s)" in warning["message"]
    assert_worded_in_three_languages(warning)


def test_huge_cells_with_quotes_and_line_breaks_are_read_whole():
    big = "x" * 300_000  # beyond the csv module's 128 KB field limit
    rows = [["a", "b", "c"], ["1", f'{big}"\n{big}', "3"], ["4", "5", "6"]]
    grid, found = split_csv(_csv(rows), ",", "x.csv")
    assert [r for _, r in grid] == rows and found == []
