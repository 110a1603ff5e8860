"""`awrach forget`: one beneficiary removed everywhere in the store, logged without identity."""

from __future__ import annotations

import json

import openpyxl
import pytest

from awrach_analysis.cli import main
from awrach_analysis.data import privacy, store

SECRET = "forget-test-secret-of-32-chars!!"
CIN = "BE123456"
OTHER = "A987654"
HEADERS = ["N° CIN", "id_projet", "sexe", "tranche d'âge", "date_debut", "date_fin"]


def _ref(path, rows):
    """Reference workbook: the sample's reference tables plus a beneficiaries sheet."""
    from awrach_analysis import config

    store.write_reference_workbook(config.SAMPLE_DIR, path)
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("beneficiaires")
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv(privacy.KEY_FILE_ENV, raising=False)
    monkeypatch.setenv(privacy.KEY_ENV, SECRET)
    rows = [
        [CIN, "P22-001", "femme", "25-34", "2022-03-01", "2022-09-30"],
        [CIN, "P22-002", "femme", "25-34", "2022-10-01", "2022-12-31"],  # a second contract
        [OTHER, "P22-001", "homme", "35-44", "2022-03-01", "2022-09-30"],
        [CIN, "P22-003", "licorne", "25-34", "2023-01-01", "2023-02-28"],  # quarantined
    ]
    path = tmp_path / "store.duckdb"
    [result] = store.ingest([_ref(tmp_path / "ref.xlsx", rows)], path)
    assert result.rows_quarantined == 1
    return path


def _cells(path) -> list[str]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        out = []
        for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            for row in con.execute(f'SELECT * FROM "{name}"').fetchall():
                out += [str(v) for v in row]
        return out
    finally:
        con.close()


def test_forget_by_cin_removes_every_row_and_logs_a_count(db, capsys):
    mine = privacy.pseudonym(CIN, SECRET.encode())
    other = privacy.pseudonym(OTHER, SECRET.encode())
    before = _cells(db)
    assert sum(mine in c for c in before) == 3  # two contracts and the quarantined row
    assert main(["forget", CIN, "--store", str(db), "--lang", "en"]) == 0
    out = capsys.readouterr()
    assert "4 row(s)" not in out.out and "3 row(s)" in out.out
    assert CIN not in out.out + out.err and mine not in out.out + out.err
    after = _cells(db)
    assert not any(mine in c for c in after)
    # not even in the file's free blocks (a DELETE alone leaves the old bytes there)
    assert mine.encode() not in db.read_bytes()
    assert [p.name for p in db.parent.iterdir() if p.name.startswith(db.name)] == [db.name]
    assert any(other in c for c in after)  # the other person is kept
    program = store.load_program(db)
    assert list(program.beneficiaries["beneficiary_key"]) == [other]
    assert len(program.quarantine["beneficiaries"]) == 0
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    sql = """SELECT "at", detail FROM events WHERE event = 'forgot'"""
    [(at, detail)] = con.execute(sql).fetchall()
    con.close()
    assert at is not None
    assert json.loads(detail) == {"rows": 3, "tables": {"beneficiaries": 2, "quarantine": 1}}
    # a second time: not found, exit 1, nothing more logged
    assert main(["forget", mine, "--store", str(db)]) == 1
    assert sum(c == "forgot" for c in _cells(db)) == 1


def test_forget_by_pseudonym_and_unknown_key(db):
    other = privacy.pseudonym(OTHER, SECRET.encode())
    before = store.checksums(db)
    assert store.forget("ps-00000000000000000000", db).total == 0
    assert store.checksums(db) == before  # not found: the store is untouched
    assert store.forget(other, db).removed == {"beneficiaries": 1}


def test_forget_is_one_transaction(db, monkeypatch):
    from awrach_analysis.data import store_forget

    before = store.checksums(db)

    def boom(*args, **kwargs):
        raise RuntimeError("injected failure")

    monkeypatch.setattr(store_forget, "_event", boom)  # fails after the deletes
    with pytest.raises(RuntimeError, match="injected"):
        store.forget(CIN, db)
    assert store.checksums(db) == before


def test_forget_by_cin_without_the_secret_is_a_clear_error(db, monkeypatch, capsys):
    monkeypatch.delenv(privacy.KEY_ENV)
    assert main(["forget", CIN, "--store", str(db)]) == 2
    assert privacy.KEY_ENV in capsys.readouterr().err


def test_forget_on_a_missing_store(tmp_path, capsys):
    assert main(["forget", "ps-00000000000000000000", "--store", str(tmp_path / "no.duckdb")]) == 2
    assert not (tmp_path / "no.duckdb").exists()
