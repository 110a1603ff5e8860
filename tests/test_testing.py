"""The tiny fixture holds exactly what its docstring table says."""

import pandas as pd

from awrach_analysis.model import schema
from awrach_analysis.testing import tiny_program


def test_tables_have_the_schema_dtypes():
    p = tiny_program()
    for name in schema.TABLES:
        table = p.table(name)
        for col in schema.TABLES[name].columns:
            assert table[col.name].dtype == schema.dtype_for(col, name), (name, col.name)
    assert p.communes.crs.to_string() == "EPSG:4326"
    assert p.province_code == "05.301"
    assert p.waves == [2022, 2023]


def test_communes_follow_the_reference_table_contract():
    # Same columns, order and dtypes as the real reference communes of the province.
    from awrach_analysis.reference import communes

    real = communes.province_communes("05.301")
    tiny = tiny_program().communes
    assert list(tiny.columns) == list(communes.COLUMNS) == list(real.columns)
    assert tiny.dtypes.astype(str).tolist() == real.dtypes.astype(str).tolist()
    row = tiny.set_index("commune_code").loc["05.301.07.07"]
    assert (row["name_fr"], row["cercle_code"], row["province_fr"]) == (
        "El Hammam",
        "05.301.07",
        "Khénifra",
    )
    assert (row["population_2024"], row["unemployed_2024"]) == (10_000, 500)
    assert tiny["cercle_code"].isna().tolist() == [True, False, False]  # the municipality


def test_counts_match_the_docstring_table():
    p = tiny_program()
    assert (len(p.partners), len(p.agreements), len(p.projects)) == (5, 5, 8)
    assert (len(p.progress), len(p.beneficiaries), len(p.targets)) == (22, 51, 3)
    assert sorted(p.communes["commune_code"]) == ["05.301.01.01", "05.301.05.25", "05.301.07.07"]
    b = p.beneficiaries
    per = b.groupby("project_id").agg(
        people=("sex", "size"),
        women=("sex", lambda s: int((s == "female").sum())),
        youth=("age_band", lambda s: int(s.isin(["15-24", "25-34"]).sum())),
    )
    assert per.to_dict("index") == {
        "K22-01": {"people": 11, "women": 3, "youth": 7},
        "K22-02": {"people": 8, "women": 4, "youth": 5},
        "K22-03": {"people": 12, "women": 2, "youth": 7},
        "K22-04": {"people": 6, "women": 6, "youth": 2},
        "K23-01": {"people": 8, "women": 2, "youth": 4},
        "K23-02": {"people": 6, "women": 3, "youth": 3},
    }
    monthly = p.progress.groupby("month")["jobs_filled"].sum()
    assert monthly.to_dict() == {
        pd.Timestamp(m): v
        for m, v in [
            ("2022-03", 22),
            ("2022-04", 27),
            ("2022-05", 18),
            ("2022-06", 24),
            ("2023-02", 14),
            ("2023-03", 14),
            ("2023-04", 14),
            ("2023-05", 6),
        ]
    }
    assert p.progress["person_days"].sum() == 3036
    assert p.progress["wages_paid_mad"].sum() == 303_600
    assert p.projects["planned_jobs"].sum() == 67
    assert p.projects["budget_mad"].sum() == 1_000_000


def test_progress_agrees_with_beneficiaries_month_by_month():
    # People under contract at the end of each reported month = jobs filled that month.
    p = tiny_program()
    b = p.beneficiaries
    for row in p.progress.itertuples():
        month_end = row.month + pd.offsets.MonthEnd(0)
        active = b[
            (b.project_id == row.project_id)
            & (b.start_date <= month_end)
            & ~(b.end_date < month_end)
        ]
        assert len(active) == row.jobs_filled, (row.project_id, row.month)
        assert int((active.sex == "female").sum()) == row.women, (row.project_id, row.month)


def test_each_call_returns_an_independent_copy():
    a, b = tiny_program(), tiny_program()
    a.progress.loc[0, "jobs_filled"] = 99
    assert b.progress.loc[0, "jobs_filled"] == 10
