"""National scale: payroll in the store, push-down reads (scope, columns), the headline."""

from __future__ import annotations

import dataclasses

import openpyxl
import pandas as pd
import pytest

from awrach_analysis import config
from awrach_analysis.analysis import national
from awrach_analysis.data import columnar, store, store_db
from awrach_analysis.model import schema
from awrach_analysis.testing import tiny_program

T = pd.Timestamp
# Projects in two provinces of Béni Mellal-Khénifra (05) and one in Al Hoceima (01).
PROJECTS = [
    ("P1", "A1", "05.301.01.01"),
    ("P2", "A1", "05.301.07.07"),
    ("P3", "A2", "05.311.01.01"),
    ("P4", "A2", "01.051.01.01"),
]
# beneficiary, project, month, days, amount
PAYROLL = [
    ("B1", "P1", "2022-06", 20, 2000.0),
    ("B1", "P2", "2022-06", 5, 500.0),  # same person, two projects of 05.301: one job
    ("B2", "P1", "2022-06", 10, None),  # no amount given: left out of the wages
    ("B2", "P1", "2022-07", 22, 2200.0),
    ("B3", "P3", "2022-06", 8, 800.0),
    ("B4", "P4", "2022-07", 4, None),  # the cell's only row has no amount: wages NA
    ("B9", "PX", "2022-06", 3, 300.0),  # a project the projects table does not hold
]
# Hand-computed: (province, month, jobs, person_days, wages)
EXPECTED = [
    ("01.051", "2022-07", 1, 4, None),
    ("05.301", "2022-06", 2, 35, 2500.0),
    ("05.301", "2022-07", 1, 22, 2200.0),
    ("05.311", "2022-06", 1, 8, 800.0),
]


def expected(rows=EXPECTED) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "province_code": pd.array([r[0] for r in rows], dtype="string"),
            "month": pd.to_datetime([r[1] for r in rows]).astype("datetime64[ns]"),
            "jobs": pd.array([r[2] for r in rows], dtype="int64"),
            "person_days": pd.array([r[3] for r in rows], dtype="Int64"),
            "wages_mad": pd.array([r[4] for r in rows], dtype="Float64"),
        }
    )


def _frames() -> dict[str, pd.DataFrame]:
    tiny = tiny_program()
    projects = pd.DataFrame(
        {
            "project_id": [p for p, _, _ in PROJECTS],
            "agreement_id": [a for _, a, _ in PROJECTS],
            "title_fr": [f"Chantier {p}" for p, _, _ in PROJECTS],
            "domain": "trails",
            "commune_code": [c for _, _, c in PROJECTS],
            "planned_start": T("2022-05-01"),
            "planned_end": T("2022-12-31"),
            "planned_jobs": 10,
        }
    )
    agreements = pd.DataFrame(
        {
            "agreement_id": ["A1", "A2"],
            "signed_on": T("2022-04-01"),
            "partner_id": ["ASSO-1", "ASSO-2"],
            "cosigners": ["DS-1", pd.NA],
            "wave": 2022,
        }
    )
    partners = pd.DataFrame(
        {
            "partner_id": ["ASSO-1", "ASSO-2", "ASSO-3", "DS-1"],
            "name_fr": ["Asso 1", "Asso 2", "Asso 3", "Service 1"],
            "partner_type": ["association", "association", "other", "decentralized_service"],
        }
    )
    payroll = pd.DataFrame(
        PAYROLL,
        columns=["beneficiary_key", "project_id", "month", "days_worked", "amount_paid_mad"],
    )
    progress = pd.DataFrame(
        {
            "project_id": ["P1", "P3", "P4"],
            "month": T("2022-06-01"),
            "jobs_filled": [2, 1, 1],
            "women": [1, 0, 0],
            "status": "ongoing",
        }
    )

    def typed(df, name):
        return schema.coerce(df, name)[schema.TABLES[name].column_names]

    return {
        "partners": typed(partners, "partners"),
        "agreements": typed(agreements, "agreements"),
        "projects": typed(projects, "projects"),
        "progress": typed(progress, "progress"),
        "beneficiaries": schema.empty_frame("beneficiaries"),
        "payroll": typed(payroll, "payroll"),
        "targets": tiny.targets,
    }


@pytest.fixture(scope="module")
def frames():
    return _frames()


@pytest.fixture(scope="module")
def program(frames):
    return dataclasses.replace(tiny_program(), **frames)


@pytest.fixture(scope="module")
def parquet(frames, tmp_path_factory):
    out = tmp_path_factory.mktemp("parquet")
    columnar.write_parquet(frames, out)
    return out


@pytest.fixture(scope="module")
def duck(frames, tmp_path_factory):
    """A store holding the frames as one submission's current rows."""
    path = tmp_path_factory.mktemp("store") / "national.duckdb"
    with store.open_store(path) as con:
        for name, df in frames.items():
            store_db._insert_frame(con, name, store_db._to_store_frame(df, name, 1))
        con.execute("INSERT INTO meta VALUES ('province_code', 'MA')")
    return path


# --- the headline, by three paths ------------------------------------------------------------


def test_headline_in_memory_matches_the_hand_computed_figures(program):
    pd.testing.assert_frame_equal(national.headline_by_province_month(program), expected())


@pytest.mark.parametrize("where", ["duck", "parquet"])
def test_headline_pushed_down_to_duckdb_matches_the_hand_computed_figures(where, request):
    path = request.getfixturevalue(where)
    pd.testing.assert_frame_equal(national.headline_by_province_month(path), expected())


@pytest.mark.parametrize("scope", ["05", "05.301", "01.051", "MA"])
def test_headline_of_a_scope_is_the_same_in_memory_and_in_duckdb(scope, program, duck, parquet):
    want = expected([r for r in EXPECTED if scope == "MA" or r[0].startswith(scope)])
    pd.testing.assert_frame_equal(national.headline_by_province_month(program, scope), want)
    pd.testing.assert_frame_equal(national.headline_by_province_month(duck, scope), want)
    pd.testing.assert_frame_equal(national.headline_by_province_month(parquet, scope), want)


# --- push-down reads ------------------------------------------------------------------------


def test_the_store_reads_a_province_only(duck):
    p = store.load_program(duck, scope="05.301")
    assert p.projects["project_id"].tolist() == ["P1", "P2"]
    assert p.agreements["agreement_id"].tolist() == ["A1"]
    assert p.partners["partner_id"].tolist() == ["ASSO-1", "DS-1"]  # implementing, co-signing
    assert p.payroll["project_id"].astype(str).tolist() == ["P1", "P2", "P1", "P1"]
    assert p.progress["project_id"].astype(str).tolist() == ["P1"]
    assert p.province_code == "05.301" and p.province == "Khénifra"
    assert set(p.communes["commune_code"].str[:6]) == {"05.301"}
    for name, t in schema.TABLES.items():
        for c in t.columns:
            assert str(p.table(name)[c.name].dtype) == str(schema.dtype_for(c, name)), c.name


def test_a_region_reads_its_provinces_and_national_reads_all(duck):
    region = store.load_program(duck, scope="05", tables=["projects", "payroll"])
    assert region.projects["project_id"].tolist() == ["P1", "P2", "P3"]
    assert len(region.payroll) == 5 and len(region.progress) == 0
    everything = store.load_program(duck)
    assert len(everything.payroll) == len(PAYROLL) and everything.province_code == "MA"
    assert len(everything.communes) > 1500  # every commune of Morocco


def test_only_the_columns_asked_for_are_read_with_their_compact_dtypes(duck, parquet):
    cols = {"payroll": ["project_id", "month", "days_worked"]}
    for p, projects, days in (
        (
            store.load_program(duck, tables=["payroll"], columns=cols),
            ["P1", "P2", "P3", "P4", "PX"],
            72,
        ),
        # Parquet partitions hold the rows of known projects only (PX has no province)
        (
            columnar.load_parquet(parquet, tables=["payroll"], columns=cols),
            ["P1", "P2", "P3", "P4"],
            69,
        ),
    ):
        pay = p.payroll
        assert pay.columns.tolist() == cols["payroll"]
        assert isinstance(pay["project_id"].dtype, pd.CategoricalDtype)
        assert pay["project_id"].cat.categories.tolist() == projects
        assert str(pay["days_worked"].dtype) == "Int8"
        assert pay["days_worked"].sum() == days
        assert len(p.projects) == 0


def test_parquet_partitions_by_province_and_reads_back_the_same_tables(parquet, frames):
    assert sorted(d.name for d in (parquet / "payroll").iterdir()) == [
        "province_code=01.051",
        "province_code=05.301",
        "province_code=05.311",
    ]  # PX has no province: a row without project is not written
    p = columnar.load_parquet(parquet)
    assert p.province_code == "MA"
    for name in ("partners", "agreements", "projects"):
        pd.testing.assert_frame_equal(p.table(name), frames[name])
    known = frames["payroll"][frames["payroll"]["project_id"] != "PX"]
    known = known.sort_values(["beneficiary_key", "project_id", "month"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(p.payroll, schema.drop_unused_codes(known, "payroll"))


def test_a_bad_scope_is_refused(duck):
    with pytest.raises(Exception, match="scope"):
        store.load_program(duck, scope="Khénifra")


# --- payroll files go into the store -------------------------------------------------------


def _payroll_file(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "paie"
    ws.append(["clé", "id_projet", "mois", "jours travaillés", "montant versé"])
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def test_payroll_files_are_ingested_and_replace_the_partners_previous_payroll(tmp_path):
    db = tmp_path / "store.duckdb"
    ref = store.write_reference_workbook(config.SAMPLE_DIR, tmp_path / "reference.xlsx")
    partners = store.write_partner_files(config.SAMPLE_DIR, tmp_path / "partners", ["2022-06"])
    first = _payroll_file(
        tmp_path / "paie_ASSO-001_2022-06.xlsx",
        [("K-0001", "P22-001", "2022-06", 20, 1900), ("K-0002", "P22-002", "2022-06", 18, 1710)],
    )
    again = _payroll_file(
        tmp_path / "paie_ASSO-001_2022-06_v2.xlsx",
        [("K-0001", "P22-001", "2022-06", 21, 1995), ("K-0003", "P22-001", "2022-06", 40, 1)],
    )
    asso1 = next(f for f in partners if "ASSO-001" in f.name)
    results = store.ingest([ref, asso1, first], db)
    assert [r.status for r in results] == ["accepted"] * 3
    assert (results[2].kind, results[2].partner_id, results[2].month) == (
        "payroll",
        "ASSO-001",
        "2022-06",
    )
    [second] = store.ingest([again], db)
    # the new file replaces the partner's payroll of the month, not its progress file;
    # 40 days in a month is quarantined
    assert second.status == "quarantined" and second.supersedes == [results[2].submission_id]
    assert (second.rows_accepted, second.rows_quarantined) == (1, 1)
    p = store.load_program(db)
    assert p.payroll[["beneficiary_key", "days_worked"]].astype(object).values.tolist() == [
        ["K-0001", 21]
    ]
    assert len(p.progress) == 2  # ASSO-001's two projects in 2022-06
    assert len(p.quarantine["payroll"]) == 1
