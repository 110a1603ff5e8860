"""Validation by column: the payroll table, and the fast path giving what cell-by-cell gives."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from fixtures.awrach_tables import assert_invariants, base_tables, problems_of, write_csv_folder

from awrach_analysis.data import read
from awrach_analysis.data.load import load
from awrach_analysis.data.validate import RawTable, _Checker

T = pd.Timestamp


def payroll_row(key="B1", project="K1", month="2022-03", days="20", amount="2000"):
    return {
        "beneficiary_key": key,
        "project_id": project,
        "month": month,
        "days_worked": days,
        "amount_paid_mad": amount,
    }


def load_payroll(tmp_path, rows):
    tables = base_tables()
    tables["payroll"] = rows
    program = load(write_csv_folder(tmp_path, tables))
    assert_invariants(program)
    return program


# --- payroll -----------------------------------------------------------------------------


def test_clean_payroll_rows_are_accepted_typed_and_sorted(tmp_path):
    p = load_payroll(
        tmp_path,
        [
            payroll_row("B2", "K1", "2022-04", "22", "2200"),
            payroll_row("B1", "K1", "2022-03", "0", "0"),
            payroll_row("B1", "K1", "2022-04", "31", "3 100,50"),
        ],
    )
    assert p.rows_read["payroll"] == 3
    pay = p.payroll
    assert list(pay["beneficiary_key"]) == ["B1", "B1", "B2"]
    assert list(pay["month"]) == [T("2022-03-01"), T("2022-04-01"), T("2022-04-01")]
    assert list(pay["days_worked"]) == [0, 31, 22]
    assert list(pay["amount_paid_mad"]) == [0.0, 3100.5, 2200.0]
    assert str(pay["days_worked"].dtype) == "Int8"  # compact: 0–31 days
    assert str(pay["amount_paid_mad"].dtype) == "Float64"
    assert not (p.problems["table"] == "payroll").any()


def test_payroll_key_shared_by_two_rows_quarantines_both(tmp_path):
    p = load_payroll(
        tmp_path,
        [
            payroll_row("B1", "K1", "2022-03"),
            payroll_row("B1", "K1", "2022-04"),
            payroll_row("B1", "K1", "03/2022", days="5"),  # the same month written otherwise
        ],
    )
    found = problems_of(p, "unique")
    assert [(x["row"], x["column"]) for x in found] == [(2, "month"), (4, "month")]
    # a payroll row is about one person: located, never quoted (as for beneficiaries)
    assert all(m.endswith("(personal data, not shown).") for m in (x["message"] for x in found))
    assert all(pd.isna(x["value"]) for x in found)
    assert sorted(p.quarantine["payroll"]["excel_row"]) == [2, 4]
    assert list(p.payroll["month"]) == [T("2022-04-01")]


@pytest.mark.parametrize(
    ("days", "key"),
    [
        ("32", "problem.personal.range"),
        ("-1", "problem.personal.range"),
        ("", "problem.personal.required"),
        ("2,5", "problem.personal.type"),
    ],
)
def test_days_worked_lie_between_0_and_31(tmp_path, days, key):
    p = load_payroll(tmp_path, [payroll_row(days="20"), payroll_row(month="2022-04", days=days)])
    errors = p.problems[(p.problems["table"] == "payroll") & (p.problems["severity"] == "error")]
    # the rule is stated, the row and column named, the value (a person's days) not quoted
    assert list(errors["key"]) == [key]
    assert list(errors["row"]) == [3]
    assert list(errors["column"]) == ["days_worked"]
    assert errors["value"].isna().all()
    assert not days or errors["message"].iloc[0].endswith("(personal data, not shown).")
    assert len(p.payroll) == 1 and len(p.quarantine["payroll"]) == 1


def test_payroll_refers_to_accepted_projects(tmp_path):
    p = load_payroll(tmp_path, [payroll_row(project="K1"), payroll_row(project="K3")])
    (problem,) = problems_of(p, "reference")
    assert (problem["table"], problem["row"], problem["column"]) == ("payroll", 3, "project_id")
    assert problem["message"] == "project 'K3' is not in projects.csv."
    assert list(p.payroll["project_id"]) == ["K1"]


# --- fast path = cell by cell ------------------------------------------------------------

#: Messy cells mixed with many clean ones: ambiguous, comma decimals, units, Arabic digits,
#: spaces, words, empty, out of range, Excel values (not text).
MESSY = [
    "1.100", "12,5", "1 100", "300 DH", "١٢", " 7 ", "abc", "", "  ", "-3", "2.5", "12.0",
    "0.5", ".5", "00012", "1,100.50", "45%", "1e3", "nan", 12, 12.0, 2.5, True, None,
]  # fmt: skip


def cell_by_cell(raw: RawTable) -> _Checker:
    """Parse every cell one at a time, as validation did before it worked by column."""
    checker = _Checker(raw, None)
    for c in checker.table.columns:
        if c.name in raw.columns:
            memo: dict = {}
            for i in range(checker.n):
                checker._parse_cell(i, c, memo)
    return checker


def problem_list(checker):
    return [(p.row, p.column, p.rule, p.severity, p.message, p.value) for p in checker.problems]


def test_column_fast_path_gives_the_values_and_problems_of_cell_by_cell():
    rng = np.random.default_rng(14)
    clean_days = [str(d) for d in rng.integers(0, 40, 300)]  # some above 31
    clean_amounts = [f"{a:.2f}" for a in rng.uniform(0, 25000, 300)]  # some above 20000
    rows = []
    for i in range(300 + len(MESSY)):
        messy = MESSY[i - 300] if i >= 300 else None
        rows.append(
            [
                f"B{i % 97}" if i % 50 else f" B {i} ",
                "K1",
                messy if i >= 300 else f"2022-{1 + i % 12:02d}",
                messy if i >= 300 else clean_days[i],
                messy if i >= 300 else clean_amounts[i],
            ]
        )
    raw = RawTable(
        table="payroll",
        file="payroll.csv",
        sheet=None,
        headers=["beneficiary_key", "project_id", "month", "days_worked", "amount_paid_mad"],
        columns={
            "beneficiary_key": 0,
            "project_id": 1,
            "month": 2,
            "days_worked": 3,
            "amount_paid_mad": 4,
        },
        rows=rows,
        excel_rows=list(range(2, len(rows) + 2)),
    )
    fast = _Checker(raw, None)
    fast.parse_cells()
    slow = cell_by_cell(raw)
    for name in raw.columns:
        assert list(fast.values[name]) == list(slow.values[name]), name
        assert [type(v) for v in fast.values[name]] == [type(v) for v in slow.values[name]]
    assert dict(fast.bad) == {k: v for k, v in slow.bad.items() if v}
    assert problem_list(fast) == problem_list(slow)
    assert fast.rejected_rows() == slow.rejected_rows()
    assert {i: fast.causes[i] for i in fast.rejected_rows()} == {
        i: slow.causes[i] for i in slow.rejected_rows()
    }
    # the mix holds problems of every kind, and clean rows the fast path read
    rules = {p.rule for p in fast.problems}
    assert {"type", "range", "required", "ambiguous_number"} <= rules
    assert fast.values["days_worked"][0] == int(clean_days[0])


# --- CSV without quotes = what the csv module reads --------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a,b\r\n1,2\r\n",
        "a,b\n1,2\n\n3,4",
        "a,b\r1,2\r,\r  ,\t\r",
        "a;b;c\n1;;3\n;;\n",
        "a\tb\n1\t2 \n",
        "h1,h2\nخنيفرة, é\n\n\n",
        "only",
        "a,b,\n1,2,\n",
    ],
)
def test_csv_without_quotes_splits_as_the_csv_module(text):
    delim = read.sniff_delimiter(text)
    lines = io.StringIO(text, newline="").readlines()
    expected = [(n, fields) for n, fields in enumerate(csv.reader(lines, delimiter=delim), 1)]
    grid, problems = read.split_csv(text, delim, "t.csv")
    assert grid == expected and problems == []
    assert read.nonblank(grid) == [(n, r) for n, r in expected if any(v.strip() for v in r)]
