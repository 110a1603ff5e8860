"""Messages in the user's language: every problem and CLI error in French, Arabic and English."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fixtures.awrach_tables import assert_invariants, base_tables, write_csv_folder

from awrach_analysis import cli, i18n
from awrach_analysis.analysis import indicators
from awrach_analysis.data import validate
from awrach_analysis.data.load import load
from awrach_analysis.data.parse import ParseError, parse_date, parse_number
from awrach_analysis.documents import report
from awrach_analysis.i18n import CATALOGUE, LRI, PDI, RLI
from awrach_analysis.model import schema

LANGS = ("fr", "ar", "en")
PACKAGE = Path(validate.__file__).resolve().parents[1]


def _arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def _iso(text: str) -> str:
    return LRI + text + PDI


# --- a data set that breaks many rules at once --------------------------------------------


def _broken_tables() -> dict:
    t = base_tables()
    t["progress"][0]["jobs_filled"] = "neuf"  # type
    t["progress"][1]["women"] = "12"  # women_over_jobs (9 jobs)
    t["progress"][2]["jobs_filled"] = "8"  # jobs_over_plan (warning)
    t["projects"][1]["commune_code"] = "Sidi Lamin"  # commune (error)
    t["partners"][0]["home_commune"] = "Azrou"  # commune of Ifrane (warning, kept)
    t["agreements"][1]["signed_on"] = "31/02/2022"  # type, then references follow
    t["projects"][0]["budget_mad"] = "80,000"  # ambiguous_number (warning)
    t["projects"][0]["title_fr"] = " "  # required
    t["progress"].append(dict(t["progress"][0], jobs_filled="9"))  # unique
    for row in t["projects"]:
        row["Observations"] = "RAS"  # unknown_column (warning)
        row["N° CIN"] = ""  # personal_data (warning), empty
    del t["targets"]  # missing_table + no target of the province? published targets used
    return t


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken") / "data"
    write_csv_folder(folder, _broken_tables(), headers={"progress": {"women": "femmes"}})
    program = load(folder)
    assert_invariants(program)
    return folder, program


# --- the catalogue -------------------------------------------------------------------------


def _problem_keys() -> dict[str, dict[str, str]]:
    """The keys of problems.yaml (other topics' files have their own tests)."""
    import yaml

    path = PACKAGE / "i18n" / "catalogue" / "problems.yaml"
    mine = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {k: v for k, v in CATALOGUE.items() if k in mine}


def test_every_problem_key_has_three_languages_with_the_same_placeholders():
    keys = _problem_keys()
    assert len(keys) > 150
    for key, entry in keys.items():
        names = {lang: i18n.placeholders(entry[lang]) for lang in LANGS}
        assert names["fr"] == names["ar"] == names["en"], (key, names)
        assert all(entry[lang].strip() for lang in LANGS), key
        # a placeholder named like a Problem field or t()'s own arguments would collide
        assert not names["en"] & {"key", "lang", "file", "sheet", "row", "column", "value"} or (
            key.startswith(
                ("problem.cause.", "problem.part.", "problem.reason.", "error.", "validate.")
            )
        ), key
    for key in keys:  # every suggestion belongs to a message
        if key.endswith(".hint"):
            assert key[: -len(".hint")] in CATALOGUE, key


def test_every_catalogue_key_named_in_the_code_exists():
    source = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (PACKAGE / "data").glob("*.py")
        if p.name
        in ("load.py", "parse.py", "validate.py", "cells.py", "references.py", "reports.py")
    ) + (PACKAGE / "cli.py").read_text(encoding="utf-8")
    named = set(re.findall(r'"((?:problem|error|validate)\.[a-z_]+(?:\.[a-z_]+)*)"', source))
    assert len(named) > 60
    assert sorted(k for k in named if k not in CATALOGUE) == []
    # keys built from a name: one per rule, table, vocabulary, severity
    built = [f"problem.noun.{t}" for t in schema.TABLES]
    built += [f"problem.vocab.{v}" for v in schema.VOCABULARIES]
    built += [f"problem.severity.{s}" for s in ("error", "warning", "info")]
    built += [f"problem.{r}" for r in ("women_over_jobs", "youth_over_jobs")]
    assert [k for k in built if k not in CATALOGUE] == []


# --- every problem of a broken data set, in three languages -------------------------------


def test_every_problem_is_worded_from_the_catalogue(broken):
    _, program = broken
    records = program.problems.to_dict("records")
    rules = {r["rule"] for r in records}
    assert {"type", "required", "commune", "unique", "reference", "ambiguous_number"} <= rules
    assert {"unknown_column", "personal_data", "missing_table", "women_over_jobs"} <= rules
    assert [r["message"] for r in records if not r["key"]] == []
    for r in records:
        en = i18n.problem_texts(r, "en")
        assert en == (r["message"], r["suggestion"])  # English is the stored text
        fr, ar = i18n.problem_texts(r, "fr"), i18n.problem_texts(r, "ar")
        assert fr != en and ar != en, r["key"]
        assert _arabic(ar[0]) and not _arabic(fr[0].replace(r["value"] or "", "")), r["key"]


def test_french_and_arabic_wording_of_a_cell_problem(broken):
    _, program = broken
    (women,) = [r for r in program.problems.to_dict("records") if r["rule"] == "women_over_jobs"]
    assert women["message"] == "value '12' is more than jobs filled (9)."
    fr, fr_hint = i18n.problem_texts(women, "fr")
    assert fr == "la valeur '12' dépasse le nombre d'emplois occupés (9)."
    assert fr_hint.startswith("Vérifiez les deux nombres pour ce projet et ce mois\u00a0:")
    ar, _ = i18n.problem_texts(women, "ar")
    # the value and the number stay whole, left to right, inside the Arabic sentence
    assert ar == f"القيمة {_iso(repr('12'))} تتجاوز عدد المناصب المشغولة ({_iso('9')})."


def test_nested_messages_cause_nouns_and_rows_are_translated(broken):
    _, program = broken
    refs = [r for r in program.problems.to_dict("records") if r["rule"] == "reference"]
    first = refs[0]
    assert first["message"].startswith("agreement 'A2' was rejected (agreements.csv, row 3)")
    fr, fr_hint = i18n.problem_texts(first, "fr")
    assert fr.startswith("la convention 'A2' figure parmi les lignes écartées")
    assert "(agreements.csv, ligne 3)" in fr
    assert "Cause\u00a0: agreements.csv, ligne 3, colonne 'signed_on'\u00a0: la valeur" in fr_hint
    ar, ar_hint = i18n.problem_texts(first, "ar")
    assert "الاتفاقية" in ar and _iso("agreements.csv") in ar and _iso("3") in ar
    assert "السبب" in ar_hint and _iso("'31/02/2022'") in ar_hint


def test_parse_errors_carry_a_key_and_read_in_every_language():
    with pytest.raises(ParseError) as exc:
        parse_number("abc")
    assert exc.value.key == "problem.not_a_number"
    assert dict(exc.value.params)["cell"] == "'abc'"
    problem = {"key": exc.value.key, "params": exc.value.params}
    assert i18n.problem_texts(problem, "fr")[0] == "la valeur 'abc' n'est pas un nombre."
    with pytest.raises(ParseError) as exc:
        parse_date("2022")  # a year: the Excel-date message with its nested sentence
    problem = {"key": exc.value.key, "params": exc.value.params}
    assert exc.value.message.endswith("2022 looks like a year, not a date.")
    assert "2022 ressemble à une année" in i18n.problem_texts(problem, "fr")[0]


def test_column_labels_come_from_the_data_model(broken):
    _, program = broken
    (req,) = [r for r in program.problems.to_dict("records") if r["rule"] == "required"]
    assert req["message"] == "title in french is required but the cell is empty."
    assert i18n.problem_texts(req, "fr")[0].startswith("intitulé est obligatoire")
    assert "العنوان بالفرنسية" in i18n.problem_texts(req, "ar")[0]


# --- reasons of the rows set aside ----------------------------------------------------------


def test_quarantine_reasons_in_any_language_match_the_stored_ones(broken):
    _, program = broken
    for table, rows in program.quarantine.items():
        en = validate.quarantine_reasons(program, table, "en")
        assert en.tolist() == rows["reasons"].tolist(), table
    fr = validate.quarantine_reasons(program, "progress", "fr").tolist()
    assert any(
        "colonne 'femmes'\u00a0: la valeur '12' dépasse le nombre d'emplois occupés" in r
        for r in fr
    )
    ar = validate.quarantine_reasons(program, "progress", "ar").tolist()
    assert any(f"العمود {_iso(repr('femmes'))}:" in r for r in ar)


def test_missing_column_reason_in_every_language(tmp_path):
    tables = base_tables()
    for row in tables["progress"]:
        del row["women"]
    program = load(write_csv_folder(tmp_path, tables))
    en = validate.quarantine_reasons(program, "progress", "en").tolist()
    assert en == ["required column 'women' is missing from the file"] * 3
    assert (
        validate.quarantine_reasons(program, "progress", "fr").tolist()
        == ["la colonne obligatoire 'women' est absente du fichier"] * 3
    )


# --- awrach validate ------------------------------------------------------------------------


def test_validate_in_arabic_keeps_files_rows_and_values_whole(broken, capsys):
    folder, _ = broken
    assert cli.main(["validate", str(folder), "--lang", "ar"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("المعطيات: ")
    header = next(line for line in lines if line.startswith("الدرجة"))
    assert header.split()[-1] == "الرسالة"
    (women,) = [line for line in lines if "تتجاوز عدد المناصب المشغولة" in line]
    assert women.startswith("خطأ")
    for part in ("progress.csv", "3", "femmes", "12"):
        assert _iso(part) in women, part
    assert women.endswith(f"القيمة {_iso(repr('12'))} تتجاوز عدد المناصب المشغولة ({_iso('9')}).")
    # no file name, row number or value outside an isolate anywhere in the report
    bare = re.compile(r"(?<![\u2066\u2067\w.])(?:progress|projects|agreements)\.csv(?!\u2069)")
    assert not bare.findall(out)
    # table names and counts in Arabic; counts isolated
    assert f"{RLI}التتبع{PDI}" in out and "الأسطر المقروءة" in out
    assert "تنبيه" in out and "خطأ،" in out


def test_validate_in_french(broken, capsys):
    folder, _ = broken
    assert cli.main(["validate", str(folder), "--lang", "fr"]) == 1
    out = capsys.readouterr().out
    assert "gravité" in out and "avertissement" in out
    assert "suivi          lignes lues      4 = retenues      0 + écartées     4" in out
    assert "la valeur 'neuf' n'est pas un nombre." in out
    assert "value" not in out.replace("valeur", "")  # no English word left


def test_validate_json_localises_words_but_not_machine_fields(broken, capsys):
    folder, _ = broken
    results = {}
    for lang in LANGS:
        assert cli.main(["validate", str(folder), "--json", "--lang", lang]) == 1
        results[lang] = json.loads(capsys.readouterr().out)
    assert [results[lang]["lang"] for lang in LANGS] == list(LANGS)
    machine = ("file", "sheet", "row", "column", "value", "rule", "severity", "table", "key")
    for lang in ("fr", "ar"):
        assert results[lang]["tables"] == results["en"]["tables"]
        for p, e in zip(results[lang]["problems"], results["en"]["problems"], strict=True):
            assert [p[k] for k in machine] == [e[k] for k in machine]
            assert p["params"] == e["params"] and isinstance(p["params"], dict)
            assert p["message"] != e["message"]
    women = next(p for p in results["fr"]["problems"] if p["rule"] == "women_over_jobs")
    assert women["message"] == "la valeur '12' dépasse le nombre d'emplois occupés (9)."
    assert women["params"] == {"cell": "'12'", "jobs": "9"}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "ar_MA.UTF-8"}, "ar"),
        ({"LANG": "fr_FR"}, "fr"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "fr"),
        ({"LANG": "POSIX"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "fr"),
        ({}, "fr"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "ar_MA.UTF-8"}, "ar"),
        ({"LANG": "ar_MA.UTF-8", "LC_MESSAGES": "ar_MA", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "", "LANG": "ar_MA.utf8@latin"}, "ar"),
    ],
)
def test_default_language_comes_from_the_locale(env, expected):
    assert cli.default_lang(env) == expected


def test_validate_speaks_the_locale_when_no_lang_is_given(broken, capsys, monkeypatch):
    folder, _ = broken
    for name in cli.LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "ar_MA.UTF-8")
    assert cli.main(["validate", str(folder)]) == 1
    assert capsys.readouterr().out.startswith("المعطيات: ")
    monkeypatch.setenv("LC_ALL", "C")
    assert cli.main(["validate", str(folder)]) == 1
    assert capsys.readouterr().out.startswith("Données\u00a0: ")
    assert cli.main(["validate", str(folder), "--lang", "en"]) == 1  # --lang wins
    assert capsys.readouterr().out.startswith("Data: ")


# --- CLI errors -----------------------------------------------------------------------------


def test_unreadable_input_is_one_line_in_arabic(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert cli.main(["validate", str(missing), "--lang", "ar"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("awrach: تعذرت قراءة المعطيات: ")
    assert _iso(str(missing)) in err and "الملف أو المجلد غير موجود" in err


@pytest.mark.parametrize(
    ("argv", "code", "expected"),
    [
        (["summary", "--data", "/nonexistent/x", "--lang", "fr"], 2, "fichier ou dossier"),
        (["communes", "--province", "Khenifr", "--lang", "fr"], 2, "Nom inconnu (province)"),
        (["communes", "--province", "Khenifr", "--lang", "ar"], 2, "اسم غير معروف (إقليم)"),
        (["report", "--month", "2023-13", "--lang", "ar"], 1, "شهر غير صالح"),
        (["report", "--month", "2023-13", "--lang", "fr"], 1, "mois invalide '2023-13'"),
    ],
)
def test_cli_errors_are_one_line_in_the_language_asked(argv, code, expected, capsys, tmp_path):
    assert cli.main([*argv, *(["--out", str(tmp_path)] if argv[0] == "report" else [])]) == code
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err


def test_empty_csv_error_in_french(tmp_path, capsys):
    path = tmp_path / "projets.csv"
    path.write_bytes(b"")
    assert cli.main(["validate", str(path), "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "awrach\u00a0: impossible de lire les données\u00a0: projets.csv\u00a0: le fichier est "
        "vide. Exportez la table à nouveau, avec sa ligne d'en-têtes.\n"
    )


# --- the report's data-quality appendix ----------------------------------------------------


def test_arabic_report_appendix_shows_arabic_messages(broken):
    _, program = broken
    schedule = indicators.schedule(program, as_of="2022-06")
    html = report.data_quality(program, schedule, "ar", as_of="2022-06", limit=100)
    assert "تتجاوز عدد المناصب المشغولة" in html  # women over jobs, in Arabic
    assert "is more than jobs filled" not in html and "value '" not in html
    assert "ليست عددا" in html  # 'neuf' is not a number
    assert _iso("progress.csv") in html and "المستفيدون" in html and "خطأ" in html
    fr = report.data_quality(program, schedule, "fr", as_of="2022-06", limit=100)
    assert "dépasse le nombre d&#39;emplois occupés" in fr and "avertissement" in fr


def test_describe_in_every_language(broken):
    _, program = broken
    (women,) = [r for r in program.problems.to_dict("records") if r["rule"] == "women_over_jobs"]
    assert validate.describe(women).startswith(
        "progress.csv, row 3, column 'femmes': value '12' is more than jobs filled (9). Check"
    )
    assert validate.describe(women, "fr").startswith(
        "progress.csv, ligne 3, colonne 'femmes'\u00a0: la valeur '12' dépasse"
    )
    ar = validate.describe(women, "ar")
    assert ar.startswith(
        f"{_iso('progress.csv')}، السطر {_iso('3')}، العمود {_iso(repr('femmes'))}:"
    )


def test_unknown_column_names_the_table_in_the_language(broken):
    _, program = broken
    (col,) = [r for r in program.problems.to_dict("records") if r["column"] == "Observations"]
    assert (
        col["message"]
        == "column 'Observations' is not a column of the projects table; it is not read."
    )
    assert "de la table projets\u202f;" in i18n.problem_texts(col, "fr")[0]
    assert f"جدول {RLI}المشاريع{PDI}" in i18n.problem_texts(col, "ar")[0]


def test_text_report_counts_info_lines_in_every_language(broken):
    import dataclasses

    from awrach_analysis.data import problems as factory
    from awrach_analysis.data.validate import problems_frame

    _, program = broken
    info = factory.make(
        "missing_table", "problem.single_table", severity="info", table="targets", name="'x'"
    )
    records = program.problems.to_dict("records")
    frame = problems_frame([*(validate.Problem(**r) for r in records), info])
    prog = dataclasses.replace(program, problems=frame)
    assert validate.report_text(prog, "en").endswith(
        "15 error(s), 5 warning(s), 1 info line(s). Rows with errors are set aside in "
        "Program.quarantine."
    )
    fr = validate.report_text(prog, "fr")
    assert "information" in fr and "1 information(s)." in fr
    ar = validate.report_text(prog, "ar")
    assert f"{_iso('1')} معلومة." in ar and "معلومة" in ar.splitlines()[-1]


def test_parameter_conventions_apply_only_to_values_that_fit():
    # plain text in a parameter that only ends like a convention stays text
    text = i18n.problem_message("problem.not_a_number", {"cell": "'x'"}, "fr")
    assert text == "la valeur 'x' n'est pas un nombre."
    # neither a catalogue key, nor "table.column", nor a table: kept as text, not looked up
    params = {"cell": "'x'", "sort_key": "abc", "first_column": "x", "in_table": "y"}
    assert i18n.problem_message("problem.not_a_number", params, "en") == (
        "value 'x' is not a number."
    )
    assert i18n.problem_message("problem.part.row", {"row_key": "abc", "row": "4"}, "fr") == (
        "ligne 4"
    )
    params = {"label_column": "projects.title_fr", "name": "title_fr", "header": "'T'"}
    assert i18n.problem_message("problem.required", params, "ar").startswith(
        "خانة العنوان بالفرنسية إلزامية"
    )
    assert i18n.table_label("beneficiaries", "ar") == "المستفيدون"
    assert i18n.field_label("progress", "women", "fr") == "femmes"
