"""Personal data end to end: fake CINs, names, phones, RIBs, e-mails and birth dates go in;
not one of them comes out of any command's output or any file written (issue 11)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from fixtures.awrach_tables import base_tables, write_csv_folder, write_workbook

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SECRET = "pii-end-to-end-secret-32-chars!!"

CINS = ["BE123456", "A987654", "JK456789", "Q778899"]
NAMES = ["Zoubida Tazarinia", "Hmad Oubelkacem", "Itto Amhaouch", "Tazarinia", "Oubelkacem"]
PHONES = ["06 12 34 56 78", "+212612345678", "0698765432", "07.11.22.33.44"]
RIBS = ["011780000012345678901234", "230 810 1234567890123456 78"]
EMAILS = ["zoubida.tazarinia@example.ma", "hmad.o@mail.example"]
BIRTHS = ["1990-05-17", "03/11/1987", "1979-12-02"]


def _variants() -> list[str]:
    """Every fake personal value, as typed and as a program might rewrite it."""
    out = [*CINS, *NAMES, *PHONES, *RIBS, *EMAILS, *BIRTHS, SECRET]
    for p in PHONES:
        digits = "".join(c for c in p if c.isdigit())
        out += [digits, digits[-9:]]  # 0612345678 / 612345678, 212612345678 / 612345678
    out += ["".join(c for c in r if c.isdigit()) for r in RIBS]
    out += ["17/05/1990", "1987-11-03", "02/12/1979", "zoubida.tazarinia"]
    return sorted(set(out))


NEEDLES = _variants()


# --- the fixture ------------------------------------------------------------------------------


def _folder(tmp: Path) -> Path:
    """A data folder: headerless beneficiaries, personal columns in partners, a shifted line."""
    tables = base_tables()
    tables["partners"][0] |= {"CNIE": CINS[3], "N°Tél": PHONES[3], "Compte bancaire": RIBS[0]}
    for p in tables["partners"][1:]:
        p |= {"CNIE": "", "N°Tél": "", "Compte bancaire": ""}
    tables["partners"][1]["home_commune"] = PHONES[1]  # a phone in a wrong column
    tables["projects"][1]["title_fr"] = "Restauration de la kasbah"
    folder = write_csv_folder(tmp / "folder", tables)
    # beneficiaries without their header row: the first person's CIN, name and phone would
    # become "column names"
    rows = [
        [CINS[0], "K1", "female", "25-34", "secondary", "05.301.01.01", "2022-03-01",
         "2022-06-30", "contract_end", NAMES[0], PHONES[0], BIRTHS[0]],
        [CINS[1], "K1", "male", "35-44", "none", "05.301.01.01", "2022-03-01", "", "",
         NAMES[1], PHONES[1], BIRTHS[1]],
        [CINS[2], "K2", "male", "15-24", "primary", "05.301.07.07", "2022-04-01", "", "",
         NAMES[2], PHONES[2], BIRTHS[2]],
    ]  # fmt: skip
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    (folder / "beneficiaries.csv").write_text(out.getvalue(), encoding="utf-8")
    # a shifted line in progress: a phone typed in an extra cell pushes the values right
    lines = (folder / "progress.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    lines[2] = ",".join([cells[0], PHONES[2], *cells[1:]])
    (folder / "progress.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return folder


def _reference(tmp: Path) -> Path:
    """The provincial team's workbook: beneficiaries under tricky headers, CINs as keys."""
    t = base_tables()
    sheets = {}
    for name, fr in (("partners", "partenaires"), ("agreements", "conventions"),
                     ("projects", "projets"), ("targets", "objectifs")):  # fmt: skip
        rows = t[name]
        sheets[fr] = [list(rows[0]), *[list(r.values()) for r in rows]]
    sheets["partenaires"][0] += ["N°CIN", "N°Tél"]
    sheets["partenaires"][1] += [CINS[3], PHONES[0]]
    for r in sheets["partenaires"][2:]:
        r += [None, None]
    headers = ["N°CIN", "id_projet", "sexe", "tranche d'âge", "niveau d'instruction",
               "commune de résidence", "date_debut", "date_fin", "motif de sortie", "Nom",
               "N°Tél", "Compte bancaire", "Né(e) le", "E-mail"]  # fmt: skip
    bens = [
        [CINS[0], "K1", "femme", "25-34", "secondaire", "05.301.01.01", "2022-03-01",
         "2022-06-30", "contract_end", NAMES[0], PHONES[0], RIBS[0], BIRTHS[0], EMAILS[0]],
        [CINS[1], "K1", "homme", "35-44", PHONES[1], "05.301.01.01", "2022-03-01", None,
         None, NAMES[1], PHONES[1], RIBS[1], BIRTHS[1], EMAILS[1]],  # phone: wrong column
        [CINS[2], "K2", "homme", "15-24", "primaire", "05.301.07.07", "2022-04-01", None,
         CINS[3], NAMES[2], PHONES[2], RIBS[0], BIRTHS[2], EMAILS[0]],  # CIN: wrong column
        [CINS[3], "K2", EMAILS[1], "25-34", "primaire", BIRTHS[0], "2022-04-01", None,
         None, NAMES[3], PHONES[3], RIBS[1], BIRTHS[1], EMAILS[1]],  # e-mail, date: wrong
    ]  # fmt: skip
    sheets["beneficiaires"] = [headers, *bens]
    return write_workbook(tmp / "reference.xlsx", sheets)


def _progress(tmp: Path) -> list[Path]:
    """Partners' monthly files; one row has a phone and a CIN in number columns."""
    headers = ["id_projet", "mois", "emplois occupés", "femmes", "jeunes", "jours travaillés",
               "salaires versés", "avancement physique", "statut"]  # fmt: skip
    p1 = write_workbook(
        tmp / "P1_2022-03.xlsx",
        {"suivi": [headers, ["K1", "2022-03", 10, 3, 6, 220, 22000, 25, "ongoing"]]},
    )
    p1b = write_workbook(
        tmp / "P1_2022-04.xlsx",
        {"suivi": [headers, ["K1", "2022-04", PHONES[1], 3, CINS[0], 198, 19800, 50, "ongoing"]]},
    )
    p2 = write_workbook(
        tmp / "P2_2022-04.xlsx",
        {"suivi": [headers, ["K2", "2022-04", 6, 2, 3, 132, 13200, 20, "ongoing"]]},
    )
    p2b = write_workbook(
        tmp / "P2_2022-05.xlsx",
        {"suivi": [headers, ["K2", "2022-05", 6, 2, 3, 132, 13200, 30, EMAILS[0]]]},
    )
    return [p1, p1b, p2, p2b]


# --- running and scanning ---------------------------------------------------------------------


class Run:
    def __init__(self, cwd: Path):
        self.cwd = cwd
        self.env = {**os.environ, "AWRACH_PSEUDONYM_KEY": SECRET, "PYTHONPATH": str(ROOT)}
        self.env.pop("AWRACH_PSEUDONYM_KEY_FILE", None)
        self.output: list[tuple[str, str]] = []

    def __call__(self, *args: str, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
        run = subprocess.run(
            [sys.executable, "-m", "awrach_analysis", *args],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        self.output.append((" ".join(args), run.stdout + run.stderr))
        assert run.returncode in ok, (args, run.returncode, run.stderr[-3000:])
        return run


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def _parquet_text(path: Path) -> str:
    import pyarrow.parquet as pq

    df = pd.read_parquet(path)
    meta = pq.read_metadata(path).metadata or {}
    parts = [*map(str, df.columns), *(str(v) for v in df.astype(str).to_numpy().ravel())]
    parts += [v.decode("utf-8", "replace") for v in meta.values()]
    return "\n".join(parts)


def _duckdb_text(path: Path) -> str:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        parts = []
        for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            cols = [d[0] for d in con.execute(f'SELECT * FROM "{name}" LIMIT 0').description]
            parts += [name, *cols]
            for row in con.execute(f'SELECT * FROM "{name}"').fetchall():
                parts += [str(v) for v in row]
        return "\n".join(parts)
    finally:
        con.close()


def _png_text(path: Path) -> str:
    from PIL import Image

    with Image.open(path) as im:
        im.load()
        info = {**getattr(im, "text", {}), **im.info}
    return "\n".join(f"{k}={v}" for k, v in info.items() if isinstance(v, str | bytes))


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    meta = reader.metadata or {}
    return "\n".join([*(p.extract_text() or "" for p in reader.pages), *map(str, meta.values())])


READERS = {
    ".xlsx": _xlsx_text,
    ".parquet": _parquet_text,
    ".duckdb": _duckdb_text,
    ".png": _png_text,
    ".pdf": _pdf_text,
}


def _file_text(path: Path) -> str:
    raw = path.read_bytes()
    text = raw.decode("utf-8", "replace")
    reader = READERS.get(path.suffix.lower())
    if reader is not None:
        text += "\n" + reader(path)
    if path.suffix.lower() in (".html", ".json", ".ipynb", ".js"):
        import html

        text += "\n" + html.unescape(text)
        with contextlib.suppress(ValueError):  # \\u escapes
            text += "\n" + json.dumps(json.loads(raw), ensure_ascii=False)
    return text


def _hits(text: str) -> list[str]:
    return [n for n in NEEDLES if n in text]


# --- the analyst notebooks ------------------------------------------------------------------

NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[1-6]_*.ipynb"))


def _run_notebooks(sources: dict[str, Path], out: Path, monkeypatch) -> list[Path]:
    """Execute the six analyst notebooks on each data source; write every output to files.

    The executed notebooks are saved as ``.ipynb`` (every text, HTML and JSON output), and
    each image output as its own ``.png``/``.svg`` file, so that the scan reads PNG text
    chunks too. The kernel gets the same pseudonym key as the commands.
    """
    import base64

    import nbformat

    from awrach_analysis.documents import render

    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06"]
    monkeypatch.setenv("AWRACH_PSEUDONYM_KEY", SECRET)
    monkeypatch.delenv("AWRACH_PSEUDONYM_KEY_FILE", raising=False)
    folder = out / "notebooks"
    folder.mkdir()
    written = []
    with render.KernelSession(cwd=out) as session:
        for label, data in sources.items():
            for path in NOTEBOOKS:
                params = {"data_path": str(data), "month": "2022-04", "lang": "fr"}
                nb = render.execute(path, params, client=session)
                errors = [
                    o
                    for c in nb.cells
                    for o in c.get("outputs", [])
                    if o.get("output_type") == "error"
                ]
                assert not errors, (label, path.name, errors[0].get("ename"))
                target = folder / f"{label}_{path.name}"
                nbformat.write(nb, target)
                written.append(target)
                images = [
                    (mime, o["data"][mime])
                    for c in nb.cells
                    for o in c.get("outputs", [])
                    for mime in ("image/png", "image/svg+xml")
                    if mime in o.get("data", {})
                ]
                for i, (mime, value) in enumerate(images):
                    if mime == "image/png":
                        image = folder / f"{label}_{path.stem}_{i}.png"
                        image.write_bytes(base64.b64decode(value))
                    else:
                        image = folder / f"{label}_{path.stem}_{i}.svg"
                        image.write_text(value, encoding="utf-8")
                    written.append(image)
    return written


# --- the test ---------------------------------------------------------------------------------


def test_no_personal_value_reaches_any_output(tmp_path, monkeypatch):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    folder = _folder(inputs)
    reference = _reference(inputs)
    progress = _progress(inputs)
    # the inputs do hold every fake value (a test that cannot fail would prove nothing)
    input_text = "".join(_file_text(p) for p in [*folder.iterdir(), reference, *progress])
    assert not set(CINS + PHONES[:3] + [NAMES[0], EMAILS[0], BIRTHS[0], RIBS[0]]) - set(
        _hits(input_text)
    )

    out = tmp_path / "out"
    out.mkdir()
    run = Run(out)
    db = out / "store.duckdb"
    for target in (folder, reference, *progress):
        for extra in ([], ["--json"]):
            run("validate", str(target), *extra, ok=(0, 1))
    run("ingest", str(reference), *map(str, progress), "--store", str(db), ok=(0, 1))
    run("status", "--store", str(db))
    run("status", "--store", str(db), "--json")
    run("quarantine", "--store", str(db), "--export", str(out / "quarantine.xlsx"))
    run("quarantine", "--store", str(db), "--export", str(out / "q_ar.xlsx"), "--lang", "ar")
    run("export", "--store", str(db), "--out", str(out / "export"))
    reports = out / "reports"
    run("report", "--data", str(db), "--month", "2022-04", "--lang", "fr", "--lang", "ar",
        "--lang", "en", "--out", str(reports))  # fmt: skip
    run("report", "--data", str(folder), "--month", "2022-03", "--lang", "fr", "--out",
        str(out / "reports_folder"))  # fmt: skip
    run("slides", "--data", str(db), "--month", "2022-04", "--lang", "fr", "--out",
        str(out / "deck"))  # fmt: skip

    # the six analyst notebooks, on the raw folder (CINs as keys, personal columns) and on
    # the store: every output is written under out/notebooks and scanned with the rest
    notebooks = _run_notebooks({"folder": folder, "store": db}, out, monkeypatch)
    assert len([p for p in notebooks if p.suffix == ".ipynb"]) == 12
    assert any(p.suffix == ".png" for p in notebooks)  # the matplotlib figures were scanned
    for label in ("folder", "store"):  # they ran on the fixture, not on the bundled sample
        quality = _file_text(out / "notebooks" / f"{label}_01_data_quality.ipynb")
        assert "Association Atlas" in quality and "Khénifra" in quality
        assert "P22-001" not in quality

    # the commands did their work: the store has the pseudonymised beneficiaries, the
    # quarantine has the wrong-column rows, the exports and reports exist
    written = [p for p in out.rglob("*") if p.is_file()]
    suffixes = {p.suffix.lower() for p in written}
    assert {".duckdb", ".xlsx", ".csv", ".parquet", ".html", ".png"} <= suffixes, suffixes
    keys = pd.read_parquet(out / "export" / "beneficiaries.parquet")["beneficiary_key"]
    assert len(keys) >= 1 and keys.str.startswith("ps-").all()
    assert len(pd.read_parquet(out / "export" / "quarantine.parquet")) >= 3
    assert list(reports.rglob("*.html")) and list((out / "deck").rglob("*.html"))

    hits = {}
    for path in written:
        found = _hits(_file_text(path))
        if found:
            hits[str(path.relative_to(out))] = found
    for command, text in run.output:
        found = _hits(text)
        if found:
            hits[f"output of `awrach {command}`"] = found
    assert hits == {}
