"""Validation rules: every bad input gives a located, actionable problem; nothing is lost."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from fixtures.awrach_tables import (
    assert_invariants,
    base_tables,
    problems_of,
    write_csv_folder,
)

from awrach_analysis import cli
from awrach_analysis.data.load import load
from awrach_analysis.data.validate import RULES, describe, problem_counts, table_counts
from awrach_analysis.errors import Problem
from awrach_analysis.model.schema import TABLES

T = pd.Timestamp


def load_broken(tmp_path, edit, **kwargs):
    """Load the base data set after ``edit(tables)``; check the invariants."""
    tables = base_tables()
    edit(tables)
    program = load(write_csv_folder(tmp_path, tables, **kwargs))
    assert_invariants(program)
    return program


def only(program, rule):
    found = problems_of(program, rule)
    assert len(found) == 1, (rule, program.problems.to_string())
    return found[0]


def error_rules(program):
    return sorted(program.problems.loc[program.problems["severity"] == "error", "rule"])


def test_base_fixture_is_clean(tmp_path):
    p = load_broken(tmp_path, lambda t: None)
    assert p.problems.empty, p.problems.to_string()
    assert p.rows_read == {"partners": 3, "agreements": 2, "projects": 2, "progress": 3,
                           "beneficiaries": 3, "payroll": 0, "targets": 1}  # fmt: skip
    assert all(q.empty for q in p.quarantine.values())


def test_accepted_tables_follow_the_dtype_contract(tmp_path):
    from awrach_analysis.model.schema import TABLES, dtype_for

    p = load_broken(tmp_path, lambda t: None)
    for name, table in TABLES.items():
        for c in table.columns:
            assert str(p.table(name)[c.name].dtype) == str(dtype_for(c)), (name, c.name)
    assert p.agreements["cosigners"].tolist() == ["S1", pd.NA]
    assert p.progress["month"].tolist() == [T("2022-03-01"), T("2022-04-01"), T("2022-04-01")]


# ---------------------------------------------------------------------------------------
# Cell rules: type, required, allowed values, range, commune
# ---------------------------------------------------------------------------------------


def test_unreadable_number_names_file_row_column_value_and_forms(tmp_path):
    def edit(t):
        t["progress"][1]["jobs_filled"] = "neuf"

    headers = {"progress": {"jobs_filled": "Emplois occupés"}}
    p = load_broken(tmp_path, edit, headers=headers)
    e = only(p, "type")
    assert (e["file"], e["sheet"], e["row"], e["column"], e["value"], e["severity"]) == (
        "progress.csv", None, 3, "Emplois occupés", "neuf", "error"
    )  # fmt: skip
    assert e["message"] == "value 'neuf' is not a number."
    assert "1\u202f100" in e["suggestion"] and "1.100,50" in e["suggestion"]  # catalogue typography
    assert describe(e).startswith("progress.csv, row 3, column 'Emplois occupés': value 'neuf'")
    q = p.quarantine["progress"]
    assert q["excel_row"].tolist() == [3]
    assert q["Emplois occupés"].tolist() == ["neuf"]
    assert q["reasons"].tolist() == ["column 'Emplois occupés': value 'neuf' is not a number."]
    assert len(p.progress) == 2


def test_unreadable_date(tmp_path):
    p = load_broken(tmp_path, lambda t: t["agreements"][1].update(signed_on="31/02/2022"))
    e = only(p, "type")
    assert (e["file"], e["row"], e["column"], e["value"]) == (
        "agreements.csv", 3, "signed_on", "31/02/2022"
    )  # fmt: skip
    assert "not a real date (day 31 of month 2)" in e["message"]
    assert "dd/mm" not in e["message"] and "15/03/2022" in e["suggestion"]
    # the agreement's project, and that project's progress and beneficiary, follow it,
    # each naming the first cause
    assert error_rules(p) == ["reference"] * 3 + ["type"]
    progress = problems_of(p, "reference")[1]
    assert (progress["table"], progress["row"]) == ("progress", 4)
    assert progress["message"] == (
        "project 'K2' was rejected (projects.csv, row 3), so this row is set aside too."
    )
    assert progress["suggestion"] == (
        "Fix the project first. Cause: agreements.csv, row 3, column 'signed_on': "
        "value '31/02/2022' is not a real date (day 31 of month 2)."
    )


def test_required_value_missing(tmp_path):
    p = load_broken(tmp_path, lambda t: t["projects"][0].update(title_fr="  "))
    e = only(p, "required")
    assert (e["file"], e["row"], e["column"]) == ("projects.csv", 2, "title_fr")
    assert e["message"] == "title in french is required but the cell is empty."
    assert "Fill in the title_fr" in e["suggestion"]


def test_category_not_in_vocabulary_suggests_closest(tmp_path):
    headers = {"projects": {"domain": "Domaine"}}
    p = load_broken(
        tmp_path, lambda t: t["projects"][1].update(domain="patrimone"), headers=headers
    )
    e = only(p, "allowed_values")
    assert (e["row"], e["column"], e["value"]) == (3, "Domaine", "patrimone")
    assert e["message"] == "value 'patrimone' is not an accepted domain."
    assert e["suggestion"].startswith("Closest: heritage")
    assert "heritage (Restauration du patrimoine / ترميم التراث)" in e["suggestion"]


def test_category_labels_in_any_language_are_accepted(tmp_path):
    def edit(t):
        t["projects"][0]["domain"] = "Pistes et sentiers"
        t["projects"][1]["domain"] = "ترميم التراث"
        t["progress"][0]["status"] = "En cours"
        t["beneficiaries"][0]["sex"] = "Femme"
        t["beneficiaries"][1]["sex"] = "ذكر"

    p = load_broken(tmp_path, edit)
    assert p.problems.empty, p.problems.to_string()
    assert p.projects["domain"].tolist() == ["trails", "heritage"]
    assert p.beneficiaries["sex"].tolist() == ["female", "male", "male"]


def test_negative_count_and_value_above_maximum(tmp_path):
    def edit(t):
        t["progress"][0]["women"] = "-2"
        t["progress"][2]["physical_progress_pct"] = "120"

    p = load_broken(tmp_path, edit)
    low, high = problems_of(p, "range")
    assert (low["row"], low["column"], low["value"]) == (2, "women", "-2")
    assert low["message"] == "value '-2' is below the minimum 0 jobs."
    assert low["suggestion"].startswith("Counts and amounts cannot be negative.")
    assert (high["row"], high["column"], high["value"]) == (4, "physical_progress_pct", "120")
    assert high["message"] == "value '120' is above the maximum 100%."
    assert high["suggestion"] == "Write a value between 0 and 100."
    assert p.quarantine["progress"]["excel_row"].tolist() == [2, 4]


def test_commune_names_resolve_exactly_in_french_or_arabic(tmp_path):
    def edit(t):
        t["projects"][0]["commune_code"] = "Khénifra"
        t["projects"][1]["commune_code"] = "الحمام"
        t["beneficiaries"][2]["residence_commune"] = "053010707"  # digits only

    p = load_broken(tmp_path, edit)
    assert p.problems.empty, p.problems.to_string()
    assert p.projects["commune_code"].tolist() == ["05.301.01.01", "05.301.07.07"]
    assert p.beneficiaries["residence_commune"].tolist()[2] == "05.301.07.07"


def test_commune_outside_province_or_misspelt(tmp_path):
    def edit(t):
        t["projects"][0]["commune_code"] = "01.511.01.01"  # Assilah, Tanger-Assilah
        t["projects"][1]["commune_code"] = "Sidi Lamin"
        t["partners"][0]["home_commune"] = "Azrou"  # a commune of Ifrane

    p = load_broken(tmp_path, edit)
    partner, code, name = problems_of(p, "commune")
    assert (code["row"], code["column"], code["value"]) == (2, "commune_code", "01.511.01.01")
    assert code["message"] == (
        "value '01.511.01.01' is commune Assilah (01.511.01.01) of Tanger-Assilah (01.511), "
        "not of Khénifra (05.301)."
    )
    assert code["suggestion"].startswith("Use a commune of province 05.301; closest codes: 05.301.")
    assert name["value"] == "Sidi Lamin"
    assert name["message"] == "value 'Sidi Lamin' is not a commune of Khénifra (05.301)."
    assert name["suggestion"].startswith("Did you mean 'Sidi Lamine'")
    # a partner's seat (or a beneficiary's residence) may lie next door: warning, kept
    assert (partner["table"], partner["severity"]) == ("partners", "warning")
    assert partner["message"] == (
        "value 'Azrou' is commune Azrou (03.271.01.01) of Ifrane (03.271), not of "
        "Khénifra (05.301). It is kept."
    )
    assert p.partners["home_commune"].tolist()[0] == "03.271.01.01"
    assert (code["severity"], name["severity"]) == ("error", "error")
    assert p.projects.empty


# ---------------------------------------------------------------------------------------
# Keys and references
# ---------------------------------------------------------------------------------------


def test_duplicate_keys_quarantine_every_row_sharing_them(tmp_path):
    def edit(t):
        t["progress"].append(dict(t["progress"][0], jobs_filled="8"))  # row 5 = row 2's key
        t["progress"][2]["month"] = "04/2022"  # same month written differently: not a dup

    p = load_broken(tmp_path, edit)
    first, second = problems_of(p, "unique")
    assert (first["row"], first["column"], first["value"]) == (2, "month", "2022-03")
    assert first["message"] == "project 'K1', month 2022-03 also appears in row 5."
    assert second["row"] == 5 and second["message"].endswith("also appears in row 2.")
    assert "keep one of these rows" in first["suggestion"]
    assert p.quarantine["progress"]["excel_row"].tolist() == [2, 5]
    assert p.rows_read["progress"] == 4 and len(p.progress) == 2


def test_duplicate_parent_key_cascades_to_children(tmp_path):
    def edit(t):
        t["projects"].append(dict(t["projects"][1], title_fr="Autre"))  # K2 twice: rows 3, 4

    p = load_broken(tmp_path, edit)
    assert [u["row"] for u in problems_of(p, "unique")] == [3, 4]
    refs = problems_of(p, "reference")
    assert [(r["table"], r["row"]) for r in refs] == [("progress", 4), ("beneficiaries", 4)]
    assert refs[0]["message"] == (
        "project 'K2' was rejected (projects.csv, rows 3 and 4), so this row is set aside too."
    )
    assert refs[0]["suggestion"] == (
        "Fix the project first. Cause: projects.csv, row 3, column 'project_id': "
        "project_id 'K2' also appears in row 4."
    )
    reasons = p.quarantine["beneficiaries"]["reasons"].tolist()
    assert reasons == [
        "column 'project_id': project 'K2' was rejected (projects.csv, rows 3 and 4), so this "
        "row is set aside too."
    ]


def test_unknown_references_suggest_close_ids(tmp_path):
    def edit(t):
        t["projects"][1]["agreement_id"] = "A3"
        t["agreements"][0]["cosigners"] = "S1; S9"
        t["beneficiaries"][0]["project_id"] = "K7"

    p = load_broken(tmp_path, edit)
    refs = {(r["table"], r["row"]): r for r in problems_of(p, "reference")}
    cos = refs[("agreements", 2)]
    assert (cos["column"], cos["value"]) == ("cosigners", "S1; S9")
    assert cos["message"] == "partner 'S9' is not in partners.csv."
    assert "Closest: 'S1'" in cos["suggestion"]
    proj = refs[("projects", 3)]
    assert proj["message"] == "agreement 'A3' is not in agreements.csv."
    assert proj["suggestion"].startswith("Correct the id or add the agreement to agreements.csv.")
    # A1 is rejected (bad cosigner), so K1 and everything under K1 follow; K2 has no A3.
    assert {k for k in refs} == {
        ("agreements", 2), ("projects", 2), ("projects", 3), ("progress", 2), ("progress", 3),
        ("progress", 4), ("beneficiaries", 2), ("beneficiaries", 3), ("beneficiaries", 4),
    }  # fmt: skip
    assert "K7" in refs[("beneficiaries", 2)]["message"]
    assert p.agreements["agreement_id"].tolist() == ["A2"]
    assert p.projects.empty and p.progress.empty
    assert p.beneficiaries.empty


# ---------------------------------------------------------------------------------------
# Row rules: dates, women/youth, plan, targets
# ---------------------------------------------------------------------------------------


def test_planned_end_before_start(tmp_path):
    p = load_broken(tmp_path, lambda t: t["projects"][0].update(planned_end="28/02/2022"))
    e = only(p, "date_order")
    assert (e["row"], e["column"], e["value"]) == (2, "planned_end", "28/02/2022")
    assert e["message"] == "planned end 2022-02-28 is before planned start 2022-03-01."
    assert "dd/mm/yyyy" in e["suggestion"]


def test_beneficiary_end_before_start(tmp_path):
    p = load_broken(tmp_path, lambda t: t["beneficiaries"][0].update(end_date="2022-02-01"))
    e = only(p, "date_order")
    assert (e["table"], e["row"], e["column"]) == ("beneficiaries", 2, "end_date")
    # a person's contract dates are personal: the message names no date (PRIVACY.md)
    assert e["message"] == (
        "the date of column end_date is before the start date (personal data, not shown)."
    )
    assert e["value"] is None or e["value"] != e["value"]


def test_table_and_problem_counts_show_what_was_set_aside(tmp_path):
    def edit(t):
        t["projects"].append(dict(t["projects"][1], title_fr="Autre"))  # K2 twice: rows 3, 4
        t["progress"][0]["women"] = "99"  # K1, 2022-03: more women than jobs filled

    p = load_broken(tmp_path, edit)
    counts = table_counts(p)
    assert counts.index.tolist() == list(TABLES)
    # projects: 3 read, both K2 rows set aside; progress: K1's bad row and K2's row;
    # beneficiaries: K2's person. Targets and partners untouched.
    assert counts.loc["projects"].tolist() == [3, 1, 2]
    assert counts.loc["progress"].tolist() == [3, 1, 2]
    assert counts.loc["beneficiaries"].tolist() == [3, 2, 1]
    assert counts.loc["partners"].tolist() == [3, 3, 0]
    assert (counts["rows_read"] == counts["accepted"] + counts["quarantined"]).all()
    problems = problem_counts(p.problems)["problems"]
    assert problems.to_dict() == {
        ("beneficiaries", "error", "reference"): 1,
        ("progress", "error", "reference"): 1,
        ("progress", "error", "women_over_jobs"): 1,
        ("projects", "error", "unique"): 2,
    }
    clean = load_broken(tmp_path / "clean", lambda t: None)
    assert problem_counts(clean.problems).empty


def test_women_more_than_jobs_filled_reads_well(tmp_path):
    headers = {"progress": {"women": "femmes", "jobs_filled": "emplois occupés"}}
    p = load_broken(
        tmp_path, lambda t: t["progress"][1].update(women="12"), headers=headers
    )  # fmt: skip
    e = only(p, "women_over_jobs")
    assert (e["row"], e["column"], e["value"]) == (3, "femmes", "12")
    assert describe(e) == (
        "progress.csv, row 3, column 'femmes': value '12' is more than jobs filled (9). "
        "Check the two numbers for this project and month: women are counted among the "
        "jobs filled."
    )


def test_youth_more_than_jobs_filled(tmp_path):
    p = load_broken(tmp_path, lambda t: t["progress"][2].update(youth="7"))
    e = only(p, "youth_over_jobs")
    assert (e["row"], e["column"], e["value"]) == (4, "youth", "7")
    assert e["message"] == "value '7' is more than jobs filled (6)."


def test_jobs_over_plan_and_late_month_are_warnings_that_keep_the_row(tmp_path):
    def edit(t):
        t["progress"][2]["jobs_filled"] = "8"  # K2 plans 6
        t["progress"].append(dict(t["progress"][0], month="2023-01"))  # K1 ends 2022-06-30
        t["progress"].append(dict(t["progress"][0], month="2022-12"))  # within 6 months: fine

    p = load_broken(tmp_path, edit)
    over = only(p, "jobs_over_plan")
    assert (over["row"], over["column"], over["value"], over["severity"]) == (
        4, "jobs_filled", "8", "warning"
    )  # fmt: skip
    assert over["message"] == "8 jobs filled is more than the 6 planned for the project."
    late = only(p, "month_outside_span")
    assert (late["row"], late["value"], late["severity"]) == (5, "2023-01", "warning")
    assert "2022-03-01 to 2022-06-30 (plus 6 months)" in late["message"]
    assert len(p.progress) == 5 and p.quarantine["progress"].empty


def test_target_rules(tmp_path):
    def edit(t):
        base = t["targets"][0]
        t["targets"] = [
            dict(base, target_id="T1", scope="national", scope_code="05.301"),
            dict(base, target_id="T2", period_start="2022-12", period_end="2022-01"),
            dict(base, target_id="T3", wave="2023"),
        ]

    p = load_broken(tmp_path, edit)
    scope = only(p, "target_scope")
    assert (scope["row"], scope["column"], scope["value"]) == (2, "scope_code", "05.301")
    assert scope["suggestion"] == "For a national target write 'MA'."
    order = only(p, "date_order")
    assert (order["row"], order["column"]) == (3, "period_end")
    wave = only(p, "target_wave")
    assert (wave["row"], wave["severity"]) == (4, "warning")
    assert p.targets["target_id"].tolist() == ["T3"]


def test_no_target_for_the_province_is_a_warning(tmp_path):
    def edit(t):
        t["targets"][0].update(scope="national", scope_code="MA", wave="")

    p = load_broken(tmp_path, edit)
    w = only(p, "no_target")
    assert w["severity"] == "warning" and "05.301" in w["message"]


# ---------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------


def test_missing_required_column_quarantines_the_whole_table(tmp_path):
    def edit(t):
        for row in t["progress"]:
            del row["women"]

    p = load_broken(tmp_path, edit)
    e = only(p, "missing_column")
    assert (e["file"], e["row"], e["column"]) == ("progress.csv", None, "women")
    assert "'femmes'" in e["suggestion"] and "'النساء'" in e["suggestion"]
    assert (
        p.quarantine["progress"]["reasons"].tolist()
        == ["required column 'women' is missing from the file"] * 3
    )
    assert p.progress.empty


def test_unknown_and_duplicate_columns_are_warnings(tmp_path):
    def edit(t):
        for row in t["projects"]:
            row["Observations"] = "RAS"
            row["code commune"] = row["commune_code"]

    p = load_broken(tmp_path, edit)
    unknown = only(p, "unknown_column")
    assert (unknown["column"], unknown["row"]) == ("Observations", 1)
    assert "Accepted columns: project_id, agreement_id" in unknown["suggestion"]
    dup = only(p, "duplicate_column")
    assert dup["column"] == "code commune" and "'commune_code'" in dup["message"]
    assert "Observations" not in p.projects.columns
    assert len(p.projects) == 2


def test_ambiguous_decimal_is_a_warning(tmp_path):
    p = load_broken(tmp_path, lambda t: t["projects"][0].update(budget_mad="80,000"))
    w = only(p, "ambiguous_number")
    assert w["severity"] == "warning" and w["value"] == "80,000"
    assert "read as 80000" in w["message"] and "80" in w["suggestion"]
    assert p.projects["budget_mad"].tolist()[0] == 80000


def test_blank_lines_keep_excel_row_numbers(tmp_path):
    folder = write_csv_folder(tmp_path, base_tables())
    path = folder / "progress.csv"
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    lines.insert(2, "")  # a blank row 3: the second data row moves to row 4
    lines[3] = lines[3].replace(",9,", ",x,")
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    p = load(folder)
    assert_invariants(p)
    assert only(p, "type")["row"] == 4
    assert p.rows_read["progress"] == 3


def test_many_problems_are_all_collected(tmp_path):
    def edit(t):
        t["progress"][0].update(jobs_filled="abc", women="x", status="??")

    p = load_broken(tmp_path, edit)
    assert [(e["rule"], e["column"]) for e in p.problems.to_dict("records")] == [
        ("type", "jobs_filled"),
        ("type", "women"),
        ("allowed_values", "status"),
    ]
    (reasons,) = p.quarantine["progress"]["reasons"].tolist()
    assert reasons.count(";") == 2


def test_every_rule_is_documented():
    import inspect
    import re

    from awrach_analysis.data import store_ingest
    from awrach_analysis.data.rules import Rule

    # every rule is a Rule member documented in RULES (raise sites: tests/test_rules.py)
    assert set(RULES) == set(Rule)
    # and every rule the store raises is declared (documented in data/README.md)
    raised = {n.lower() for n in re.findall(r"Rule\.(\w+)", inspect.getsource(store_ingest))}
    assert raised == {"submission", "reference"}
    assert raised <= set(RULES)
    severities = ("error", "warning", "error / warning", "error / info", "info")
    assert all(sev in severities for sev, _ in RULES.values())


# ---------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------


def test_cli_validate_clean_exit_0(tmp_path, capsys):
    folder = write_csv_folder(tmp_path, base_tables())
    assert cli.main(["validate", str(folder), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "progress       rows read      3 = accepted      3 + quarantined     0" in out
    assert "0 error(s), 0 warning(s)." in out


def test_cli_validate_warnings_only_exit_0(tmp_path, capsys):
    tables = base_tables()
    tables["progress"][2]["jobs_filled"] = "8"
    assert cli.main(["validate", str(write_csv_folder(tmp_path, tables)), "--lang", "en"]) == 0
    assert "0 error(s), 1 warning(s)." in capsys.readouterr().out


def test_cli_validate_errors_exit_1_with_table(tmp_path, capsys):
    tables = base_tables()
    tables["progress"][1]["women"] = "12"
    folder = write_csv_folder(tmp_path, tables, headers={"progress": {"women": "femmes"}})
    assert cli.main(["validate", str(folder), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("severity"))
    assert header.split() == ["severity", "file", "sheet", "row", "column", "value", "message"]
    row = lines[lines.index(header) + 1]
    assert row.split()[:5] == ["error", "progress.csv", "3", "femmes", "12"]
    assert row.endswith("value '12' is more than jobs filled (9).")
    assert lines[lines.index(header) + 2].strip().startswith("→ Check the two numbers")
    assert "progress       rows read      3 = accepted      2 + quarantined     1" in out
    assert "1 error(s), 0 warning(s)." in out


def test_cli_validate_json(tmp_path, capsys):
    tables = base_tables()
    tables["progress"][1]["women"] = "12"
    assert cli.main(["validate", str(write_csv_folder(tmp_path, tables)), "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is False
    assert result["tables"]["progress"] == {"rows_read": 3, "accepted": 2, "quarantined": 1}
    assert result["tables"]["targets"] == {"rows_read": 1, "accepted": 1, "quarantined": 0}
    (problem,) = result["problems"]
    assert list(problem) == list(Problem.__dataclass_fields__)
    assert (problem["file"], problem["row"], problem["column"], problem["value"]) == (
        "progress.csv", 3, "women", "12"
    )  # fmt: skip
    assert problem["sheet"] is None


@pytest.mark.parametrize("kind", ["missing", "junk"])
def test_cli_validate_unreadable_exit_2(tmp_path, capsys, kind):
    path = tmp_path / "projects.csv"
    if kind == "junk":
        path.write_bytes(bytes(range(256)) * 8)
    assert cli.main(["validate", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("awrach: cannot read input:")
    assert "projects.csv" in err


def test_cli_validate_province_argument(tmp_path, capsys):
    folder = write_csv_folder(tmp_path, base_tables(), meta=None)
    assert cli.main(["validate", str(folder), "--province", "خنيفرة", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["province_code"] == "05.301"
    assert cli.main(["validate", str(folder), "--province", "Atlantis"]) == 2


def test_data_readme_is_generated_from_the_schema():
    from awrach_analysis.data.docs import DATA_README, schema_doc

    text = schema_doc()
    assert DATA_README.read_text(encoding="utf-8") == text, (
        "data/README.md is stale: run `python -m awrach_analysis.data.docs`"
    )
    assert "### `progress`" in text
    assert "| `women_over_jobs` | error | More women than jobs filled in a progress row. |" in text
    assert "| `women` | whole number | `Int64` | yes | jobs | ≥ 0 |" in text
    assert "from the referenced id: `code projet`" in text
    # The one list of personal-data headers (the one the loader uses), documented whole.
    from awrach_analysis.data.load import is_personal_header
    from awrach_analysis.model.schema import PERSONAL_DATA_HEADERS

    line = next(x for x in text.splitlines() if x.startswith("Headers ("))
    listed = line.split(": ", 1)[1].rstrip(".").split(", ")
    assert listed == [f"`{h}`" for h in PERSONAL_DATA_HEADERS]
    assert all(is_personal_header(h) for h in PERSONAL_DATA_HEADERS)
