"""Exports: file and sheet names built from data are safe; nothing from input is executed."""

from __future__ import annotations

import ast
import shutil
import unicodedata
from pathlib import Path, PureWindowsPath

import openpyxl
import pandas as pd
import pytest

from awrach_analysis import config
from awrach_analysis.data import store
from awrach_analysis.data.safe_output import WINDOWS_RESERVED, safe_file_name, safe_sheet_title

PACKAGE = Path(__file__).resolve().parents[1] / "awrach_analysis"
HOSTILE = [
    "../../etc/x",
    "CON",
    "a/b",
    "=cmd|' /C calc'!A0",
    "..\\..\\windows\\win.ini",
    "nul.txt",
    "COM1",
    "..",
    "",
    "x\x00y\n\u202ez",
    "lpt9.xlsx",
    " . ",
    "[partner]:*?",
]


def _is_safe(name: str) -> bool:
    return (
        bool(name)
        and "/" not in name
        and "\\" not in name
        and ".." not in name
        and not any(unicodedata.category(c) in ("Cc", "Cf") for c in name)
        and name.split(".")[0].strip().upper() not in WINDOWS_RESERVED
        and not name.endswith((".", " "))
        and PureWindowsPath(name).name == name
        and Path(name).name == name
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_file_name_cannot_leave_its_folder(text, tmp_path):
    name = safe_file_name(text)
    assert _is_safe(name), (text, name)
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_safe_file_name_keeps_ordinary_names():
    assert safe_file_name("ASSO-001") == "ASSO-001"
    assert safe_file_name("2022-06") == "2022-06"
    assert safe_file_name("جمعية الرحمة") == "جمعية الرحمة"
    assert safe_file_name("CONSEIL") == "CONSEIL"  # only the exact device names are reserved


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    titles = [safe_sheet_title(t, taken) for t in [*HOSTILE, "a_b", "A_B", "x" * 40, "History"]]
    assert len(set(t.lower() for t in titles)) == len(titles)
    wb = openpyxl.Workbook()
    for t in titles:
        assert len(t) <= 31 and not t.startswith("'")
        wb.create_sheet(t)  # openpyxl raises on a title Excel refuses


HOSTILE_PARTNERS = ["../../etc/x", "CON", "a/b", "=cmd|' /C calc'!A0"]


@pytest.fixture
def hostile_sample(tmp_path):
    """The sample with its first four partners renamed to hostile ids."""
    src = tmp_path / "sample"
    shutil.copytree(config.SAMPLE_DIR, src)
    partners = pd.read_csv(src / "partners.csv", dtype=str, keep_default_na=False)
    agreements = pd.read_csv(src / "agreements.csv", dtype=str, keep_default_na=False)
    rename = dict(zip(partners["partner_id"][:4], HOSTILE_PARTNERS, strict=True))
    partners["partner_id"] = partners["partner_id"].replace(rename)
    agreements["partner_id"] = agreements["partner_id"].replace(rename)
    partners.to_csv(src / "partners.csv", index=False)
    agreements.to_csv(src / "agreements.csv", index=False)
    return src


def test_partner_files_stay_in_their_folder(hostile_sample, tmp_path):
    out = tmp_path / "out" / "inner"
    written = store.write_partner_files(hostile_sample, out, months=["2022-06"])
    assert written
    for path in written:
        assert path.resolve().parent == out.resolve(), path
        assert _is_safe(path.name), path.name
    names = {p.name for p in written}
    assert "_CON_2022-06.xlsx" in names and "a_b_2022-06.xlsx" in names
    assert not list((tmp_path / "out").glob("*.xlsx"))  # nothing climbed out of `inner`
    assert not (tmp_path / "etc").exists()


def test_quarantine_export_with_hostile_partner_ids(hostile_sample, tmp_path):
    ref = store.write_reference_workbook(hostile_sample, tmp_path / "ref.xlsx")
    db = tmp_path / "s.duckdb"
    store.ingest([ref], db)
    files = store.write_partner_files(hostile_sample, tmp_path / "files", months=["2022-06"])
    bad = []
    for path in files:  # spoil one row per file: a month that is not a month
        wb = openpyxl.load_workbook(path)
        wb.active["B2"] = "juin?"
        wb.save(path)
        bad.append(path)
    store.ingest(bad, db)
    partners = {
        r[0]
        for r in __import__("duckdb")
        .connect(str(db))
        .execute(
            "SELECT DISTINCT s.partner_id FROM quarantine q "
            "JOIN submissions s USING (submission_id)"
        )
        .fetchall()
    }
    assert set(HOSTILE_PARTNERS) <= partners  # the hostile ids do reach the export
    path, rows = store.export_quarantine(tmp_path / "q.xlsx", db)
    assert rows >= 4
    wb = openpyxl.load_workbook(path)
    titles = wb.sheetnames
    assert "a_b" in titles and "CON" in titles and ".._.._etc_x" in titles
    for ws in wb.worksheets:  # no cell a spreadsheet would run as a formula
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and v.startswith(("=", "+", "@"))), v
    # the workbook sent back resolves the rows (titles do not matter to the round trip)
    for ws in wb.worksheets:
        if ws.title in ("a_b", "CON"):
            for row in ws.iter_rows(min_row=1):
                for cell in row:
                    if cell.value == "juin?":
                        cell.value = "2022-06"
    wb.save(path)
    [back] = store.ingest([path], db)
    assert back.status == "corrections" and back.resolved >= 2


def test_csv_export_neutralises_hostile_ids(hostile_sample, tmp_path):
    ref = store.write_reference_workbook(hostile_sample, tmp_path / "ref.xlsx")
    db = tmp_path / "s.duckdb"
    store.ingest([ref], db)
    written = store.export_tables(tmp_path / "export", db)
    assert all(p.resolve().parent == (tmp_path / "export").resolve() for p in written)
    text = (tmp_path / "export" / "partners.csv").read_text(encoding="utf-8")
    assert "'=cmd|' /C calc'!A0" in text
    assert "\n=cmd" not in text and ",=cmd" not in text
    back = pd.read_parquet(tmp_path / "export" / "partners.parquet")
    assert set(HOSTILE_PARTNERS) <= set(back["partner_id"])  # Parquet keeps values as they are


# names whose use on input would run or unpickle something
_BANNED_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "joblib", "marshal", "shelve"}
_BANNED_BUILTINS = {"eval", "exec", "compile", "__import__"}
_BANNED_METHODS = {"read_pickle", "unsafe_load", "full_load"}


def test_nothing_from_input_is_unpickled_or_executed():
    found = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                mods = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(m.split(".")[0] in _BANNED_MODULES for m in mods):
                    found.append(f"{path.name}:{node.lineno} import")
            elif isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")
                banned = _BANNED_BUILTINS if isinstance(f, ast.Name) else _BANNED_METHODS
                if name in banned:
                    found.append(f"{path.name}:{node.lineno} {name}()")
                if name == "load" and isinstance(f, ast.Attribute):
                    owner = getattr(f.value, "id", "")
                    loader = {k.arg: ast.unparse(k.value) for k in node.keywords}.get("Loader", "")
                    if owner == "yaml" and "Safe" not in loader and loader != "loader":
                        found.append(f"{path.name}:{node.lineno} yaml.load")
                for k in node.keywords:
                    if k.arg == "allow_pickle" and ast.unparse(k.value) != "False":
                        found.append(f"{path.name}:{node.lineno} allow_pickle")
    assert found == []


def test_partner_template_keeps_a_formula_like_title_as_text(tmp_path):
    from fixtures.awrach_tables import base_tables, write_csv_folder

    from awrach_analysis.data import template
    from awrach_analysis.data.load import load

    tables = base_tables()
    tables["projects"][0]["title_fr"] = "=cmd|' /C calc'!A0"
    program = load(write_csv_folder(tmp_path / "data", tables))
    wb = template.partner_template(program, "P1", "2022-04", "fr")
    path = template.save(wb, tmp_path / "P1.xlsx")
    cells = [
        c
        for ws in openpyxl.load_workbook(path).worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and "calc" in c.value
    ]
    assert [(c.value, c.data_type) for c in cells] == [("=cmd|' /C calc'!A0", "s")]
