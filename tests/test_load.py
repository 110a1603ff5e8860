"""Reading data sets: formats, encodings, names, value parsing, personal data, provenance."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from fixtures.awrach_tables import (
    META,
    assert_invariants,
    base_tables,
    csv_text,
    problems_of,
    rows_as_grid,
    write_csv_folder,
    write_workbook,
)

from awrach_analysis import config
from awrach_analysis.data.load import (
    decode_text,
    fingerprint,
    is_personal_header,
    load,
    sniff_delimiter,
    table_for_name,
)
from awrach_analysis.data.parse import (
    ParseError,
    VocabularyIndex,
    header_key,
    normalise,
    parse_date,
    parse_month,
    parse_number,
)
from awrach_analysis.errors import InputError, UnknownNameError, ValidationError
from awrach_analysis.model.schema import PERSONAL_DATA_HEADERS, TABLES, VOCABULARIES

T = pd.Timestamp

# ---------------------------------------------------------------------------------------
# Value parsing
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1100", 1100),
        ("1 100", 1100),
        ("1\u00a0100", 1100),  # no-break space
        ("1\u202f100", 1100),  # narrow no-break space (French Excel)
        ("1 100 000", 1_100_000),
        ("1.100,50", 1100.5),
        ("1,100.50", 1100.5),
        ("1 100,50", 1100.5),
        ("1.100.000", 1_100_000),
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("0,500", 0.5),
        ("٢٥", 25),
        ("۲۵", 25),  # Persian digits
        ("١٢٫٥", 12.5),  # Arabic decimal separator
        ("١٬١٠٠", 1100),  # Arabic thousands separator
        ("-3", -3),
        ("−3", -3),  # Unicode minus
        ("45 %", 45),
        ("1 100 DH", 1100),
        (" 7 ", 7),
        (12.0, 12.0),
        (3, 3),
    ],
)
def test_parse_number_accepts_common_forms(text, expected):
    number, ambiguous = parse_number(text)
    assert number == expected
    assert not ambiguous


@pytest.mark.parametrize("text", ["1,100", "1.100", "12,500"])
def test_single_separator_before_three_digits_is_thousands_but_flagged(text):
    number, ambiguous = parse_number(text)
    assert number == int(text.replace(",", "").replace(".", ""))
    assert ambiguous


@pytest.mark.parametrize("text", ["abc", "1.100.5", "12 34", "1,2,3", "12-3", "%", "1e3"])
def test_parse_number_refuses_garbage_and_says_what_is_accepted(text):
    with pytest.raises(ParseError) as exc:
        parse_number(text)
    assert repr(text) in exc.value.message
    assert "1\u202f100" in exc.value.suggestion and "١١٠٠" in exc.value.suggestion


def test_parse_number_integer_mode():
    assert parse_number("12.0", integer=True) == (12, False)
    assert parse_number("1 100", integer=True) == (1100, False)
    with pytest.raises(ParseError, match="not a whole number"):
        parse_number("12,5", integer=True)
    with pytest.raises(ParseError, match="not a number"):
        parse_number(dt.datetime(2022, 3, 1))
    assert parse_number("  ") == (None, False)
    assert parse_number(None) == (None, False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-03-15", T("2022-03-15")),
        ("2022-03-15 00:00:00", T("2022-03-15")),
        ("15/03/2022", T("2022-03-15")),
        ("15-03-2022", T("2022-03-15")),
        ("15.03.2022", T("2022-03-15")),
        ("5/3/22", T("2022-03-05")),
        ("١٥/٠٣/٢٠٢٢", T("2022-03-15")),
        ("1er mars 2022", T("2022-03-01")),
        ("15 Février 2022", T("2022-02-15")),
        ("15 مارس 2022", T("2022-03-15")),
        (44621, T("2022-03-01")),  # Excel serial: 1899-12-30 + 44621 days
        (44621.75, T("2022-03-01")),
        ("44621", T("2022-03-01")),
        (dt.datetime(2022, 3, 15, 14, 30), T("2022-03-15")),
        (dt.date(2022, 3, 15), T("2022-03-15")),
    ],
)
def test_parse_date_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("31/02/2022", "not a real date (day 31 of month 2)"),
        ("03/15/2022", "read day first"),
        ("2022", "looks like a year"),
        ("mars", "not a date"),
        ("15/03/1990", "outside 2000–2099"),
    ],
)
def test_parse_date_errors_explain(value, fragment):
    with pytest.raises(ParseError) as exc:
        parse_date(value)
    assert fragment in exc.value.message
    assert "15/03/2022" in exc.value.suggestion


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-03", T("2022-03-01")),
        ("2022/3", T("2022-03-01")),
        ("03/2022", T("2022-03-01")),
        ("3-2022", T("2022-03-01")),
        ("mars 2022", T("2022-03-01")),
        ("Juillet 2022", T("2022-07-01")),
        ("août 2022", T("2022-08-01")),
        ("مارس ٢٠٢٢", T("2022-03-01")),
        ("غشت 2022", T("2022-08-01")),  # Moroccan name of August
        ("أغسطس 2022", T("2022-08-01")),
        ("2022-03-15", T("2022-03-01")),
        ("15/03/2022", T("2022-03-01")),
        (dt.datetime(2022, 3, 15), T("2022-03-01")),
        (44635, T("2022-03-01")),
    ],
)
def test_parse_month_forms(value, expected):
    assert parse_month(value) == expected


def test_parse_month_errors():
    with pytest.raises(ParseError, match="no month 13") as exc:
        parse_month("13/2022")
    assert "2022-03" in exc.value.suggestion
    with pytest.raises(ParseError, match="not a month"):
        parse_month("mois de mars")


def test_normalise_folds_case_accents_spacing_and_arabic_variants():
    assert normalise("Date_Début  prévue") == "date debut prevue"
    assert normalise("إقليم") == normalise("اقليم") == normalise("أقليم")
    assert normalise("مدرسة") == normalise("مدرسه")  # ta marbuta
    assert normalise("مستشفى") == normalise("مستشفي")  # alef maqsura
    assert normalise("خـنـيـفـرة") == normalise("خنيفرة")  # tatweel
    assert header_key("N° convention") == header_key("n_convention") == "nconvention"


def test_vocabulary_accepts_codes_labels_and_aliases_in_three_languages():
    partner = VocabularyIndex(VOCABULARIES["partner_type"], "partner_type")
    for value in ("cooperative", "Coopérative", "COOPERATIVE", "تعاونية", "coop", " Coop "):
        assert partner.resolve(value) == "cooperative"
    sex = VocabularyIndex(VOCABULARIES["sex"], "sex")
    assert [sex.resolve(v) for v in ("F", "Femme", "أنثى", "h", "Homme", "ذكر")] == [
        "female",
        "female",
        "female",
        "male",
        "male",
        "male",
    ]
    with pytest.raises(ParseError) as exc:
        partner.resolve("asociation")
    assert "'asociation' is not an accepted partner_type" in exc.value.message
    assert exc.value.suggestion.startswith("Closest: association.")
    assert "cooperative (Coopérative / تعاونية)" in exc.value.suggestion


def test_every_vocabulary_spelling_resolves_to_its_own_code():
    for name, terms in VOCABULARIES.items():
        index = VocabularyIndex(terms, name)
        assert not index.ambiguous, (name, index.ambiguous)
        for t in terms.values():
            for spelling in (t.code, t.fr, t.ar, t.en, *t.aliases):
                assert index.resolve(spelling) == t.code, (name, spelling)


# ---------------------------------------------------------------------------------------
# Names and headers
# ---------------------------------------------------------------------------------------


def test_table_names_in_three_languages():
    assert table_for_name("Suivi_mensuel") == "progress"
    assert table_for_name("المشاريع") == "projects"
    assert table_for_name("BÉNÉFICIAIRES") == "beneficiaries"
    assert table_for_name("Conventions") == "agreements"
    assert table_for_name("الشركاء") == "partners"
    assert table_for_name("objectifs") == "targets"
    assert table_for_name("notes") is None


def test_each_header_alias_names_one_column_per_table():
    for table in TABLES.values():
        seen: dict[str, str] = {}
        for c in table.columns:
            for alias in c.aliases:
                key = header_key(alias)
                assert seen.setdefault(key, c.name) == c.name, (table.name, alias)


@pytest.mark.parametrize(
    "header",
    [
        *PERSONAL_DATA_HEADERS,
        "N° CIN",
        "Nom et prénom",
        "Téléphone portable",
        "E-mail",
        "Date de naissance",
        "الاسم العائلي",
        "رقم الهاتف",
        "first_name",
    ],
)
def test_personal_headers_are_recognised(header):
    assert is_personal_header(header)


@pytest.mark.parametrize("header", ["sexe", "projet", "commune de résidence", "age", "clé"])
def test_ordinary_headers_are_not_personal(header):
    assert not is_personal_header(header)


# ---------------------------------------------------------------------------------------
# Encodings and delimiters
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("cp1256", "cp1256"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
    ],
)
def test_decode_text_detects_encoding(encoding, expected):
    text = "title_fr,title_ar\r\nRéhabilitation,ترميم القصبة\r\n"
    decoded, found = decode_text(text.encode(encoding), "x.csv")
    assert found == expected
    assert decoded.lstrip("\ufeff") == text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1256", "utf-16"])
def test_folder_in_each_encoding_loads_arabic_and_french_intact(tmp_path, encoding):
    program = load(write_csv_folder(tmp_path, base_tables(), encoding=encoding))
    assert_invariants(program)
    assert (program.problems["severity"] == "error").sum() == 0
    projects = program.projects.set_index("project_id")
    assert projects.loc["K2", "title_ar"] == "ترميم القصبة"
    assert projects.loc["K2", "title_fr"] == "Restauration de la kasbah"
    assert program.partners.set_index("partner_id").loc["P2", "name_fr"] == "Coopérative Oum Rabia"


def test_semicolon_csv_with_french_decimals(tmp_path):
    tables = base_tables()
    tables["progress"][0]["physical_progress_pct"] = "12,5"
    tables["progress"][1]["wages_paid_mad"] = "19 800,50"
    program = load(write_csv_folder(tmp_path, tables, delimiter=";"))
    assert_invariants(program)
    progress = program.progress.set_index(["project_id", "month"])
    assert progress.loc[("K1", T("2022-03-01")), "physical_progress_pct"] == 12.5
    assert progress.loc[("K1", T("2022-04-01")), "wages_paid_mad"] == 19800.5
    assert not len(program.problems[program.problems["severity"] == "error"])


def test_excel_sep_line_sets_the_delimiter_and_is_not_a_row(tmp_path):
    folder = write_csv_folder(tmp_path, base_tables(), delimiter=";")
    path = folder / "progress.csv"
    text = path.read_bytes().decode("utf-8").replace(";9;", ";neuf;")
    path.write_bytes(("sep=;\r\n" + text).encode("utf-8"))
    p = load(folder)
    assert_invariants(p)
    (bad,) = problems_of(p, "type")
    assert (bad["row"], bad["column"], bad["value"]) == (3, "jobs_filled", "neuf")


def test_sniff_delimiter():
    assert sniff_delimiter("a;b;c\n1;2,5;3\n4;5,5;6\n") == ";"
    assert sniff_delimiter("a,b,c\n1,2,3\n") == ","
    assert sniff_delimiter("a\tb\tc\n1\t2\t3\n") == "\t"


# ---------------------------------------------------------------------------------------
# Formats: workbook (fr/ar names), parquet, single table
# ---------------------------------------------------------------------------------------

FR_HEADERS = {
    "projects": {"project_id": "Code projet", "agreement_id": "N° convention",
                 "title_fr": "Intitulé", "title_ar": "Intitulé arabe", "domain": "Domaine",
                 "commune_code": "Commune", "planned_start": "Date début prévue",
                 "planned_end": "Date fin prévue", "planned_jobs": "Emplois prévus",
                 "planned_person_months": "Hommes-mois prévus", "budget_mad": "Budget (DH)"},
}  # fmt: skip
AR_PROGRESS = {
    "project_id": "رقم المشروع", "month": "الشهر", "jobs_filled": "المناصب المشغولة",
    "women": "النساء", "youth": "الشباب", "person_days": "أيام العمل",
    "wages_paid_mad": "الأجور المدفوعة", "physical_progress_pct": "نسبة الإنجاز",
    "status": "الحالة",
}  # fmt: skip


@pytest.fixture(scope="module")
def workbook_program(tmp_path_factory):
    """A workbook with French and Arabic sheet names and headers, title rows, Excel cells."""
    t = base_tables()
    projects = rows_as_grid(t["projects"], FR_HEADERS["projects"])
    for row in projects[1:]:  # real datetime cells and numbers, as Excel stores them
        row[6] = dt.datetime.fromisoformat(row[6])
        row[7] = 44773 if row[7] == "2022-07-31" else dt.datetime.fromisoformat(row[7])
        row[8] = int(row[8])
        row[10] = float(row[10])
    projects[2][5] = "El Hammam"  # a commune by exact name
    progress = rows_as_grid(t["progress"], AR_PROGRESS)
    progress[1][1] = dt.datetime(2022, 3, 1)
    progress[2][1] = "أبريل 2022"
    progress[3][1] = "04/2022"
    for row in progress[1:]:
        row[2] = int(row[2])
    progress[3][2] = "٦"
    progress[3][8] = "في طور الإنجاز"  # the Arabic label of 'ongoing'
    partners = rows_as_grid(t["partners"])
    partners[3][4] = None
    sheets = {
        "Partenaires": partners,
        "Conventions": rows_as_grid(t["agreements"]),
        # a title and a blank row above the header: rows keep their real sheet numbers
        "Projets": [["Projets Awrach – Khénifra"], [], *projects],
        "التتبع الشهري": progress,
        "المستفيدون": rows_as_grid(t["beneficiaries"]),
        "Objectifs": rows_as_grid(t["targets"]),
        "Notes": [["Rempli par la province"]],
    }
    path = write_workbook(tmp_path_factory.mktemp("wb") / "awrach_khenifra.xlsx", sheets)
    return load(path, province="Khénifra")


def test_workbook_with_french_and_arabic_sheets_and_headers(workbook_program):
    p = workbook_program
    assert_invariants(p)
    assert {k: v for k, v in p.rows_read.items()} == {
        "partners": 3, "agreements": 2, "projects": 2, "progress": 3, "beneficiaries": 3,
        "payroll": 0, "targets": 1,
    }  # fmt: skip
    assert not (p.problems["severity"] == "error").any(), p.problems.to_string()
    projects = p.projects.set_index("project_id")
    assert projects.loc["K2", "commune_code"] == "05.301.07.07"
    assert projects.loc["K2", "planned_end"] == T("2022-07-31")  # from Excel serial 44773
    assert projects.loc["K1", "planned_start"] == T("2022-03-01")
    progress = p.progress
    assert list(progress["month"]) == [T("2022-03-01"), T("2022-04-01"), T("2022-04-01")]
    assert list(progress["jobs_filled"]) == [10, 9, 6]
    assert list(progress["status"]) == ["ongoing"] * 3


def test_workbook_reports_unknown_sheet_with_its_name(workbook_program):
    unknown = problems_of(workbook_program, "unknown_table")
    assert [(u["file"], u["sheet"]) for u in unknown] == [("awrach_khenifra.xlsx", "Notes")]
    assert "partners (partenaires" in unknown[0]["suggestion"]


def test_workbook_rows_are_real_sheet_rows(tmp_path):
    t = base_tables()
    projects = rows_as_grid(t["projects"], FR_HEADERS["projects"])
    projects[2][8] = "six"  # second project, on sheet row 3 + 2 title rows = 5
    sheets = {"Projets": [["Titre"], [], *projects]}
    p = load(write_workbook(tmp_path / "projets.xlsx", sheets), province="05.301")
    assert_invariants(p)
    (bad,) = problems_of(p, "type")
    assert (bad["file"], bad["sheet"], bad["row"], bad["column"], bad["value"]) == (
        "projets.xlsx",
        "Projets",
        5,
        "Emplois prévus",
        "six",
    )
    assert p.quarantine["projects"]["excel_row"].tolist() == [5]
    assert p.quarantine["projects"]["Emplois prévus"].tolist() == ["six"]


def test_sheet_starting_below_row_1_keeps_real_row_numbers(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "suivi"
    rows = rows_as_grid(base_tables()["progress"])
    rows[3][2] = "x"  # third data row
    for r, row in enumerate(rows, start=4):  # header on row 4, from column C
        for c, value in enumerate(row, start=3):
            ws.cell(row=r, column=c, value=value)
    wb.save(tmp_path / "suivi.xlsx")
    p = load(tmp_path / "suivi.xlsx", province="05.301")
    assert_invariants(p)
    (bad,) = problems_of(p, "type")
    assert (bad["sheet"], bad["row"], bad["column"], bad["value"]) == (
        "suivi",
        7,
        "jobs_filled",
        "x",
    )


def test_parquet_folder(tmp_path):
    t = base_tables()
    for table, rows in t.items():
        df = pd.DataFrame(rows)
        if table == "progress":
            df["jobs_filled"] = df["jobs_filled"].astype(int)
            df["month"] = pd.to_datetime(df["month"])
        if table == "projects":
            df["planned_start"] = pd.to_datetime(df["planned_start"]).dt.date
        df.to_parquet(tmp_path / f"{table}.parquet")
    (tmp_path / "dataset.json").write_text(json.dumps(META), "utf-8")
    p = load(tmp_path)
    assert_invariants(p)
    assert not (p.problems["severity"] == "error").any(), p.problems.to_string()
    assert p.rows_read["progress"] == 3
    assert list(p.progress["jobs_filled"]) == [10, 9, 6]
    assert p.projects["planned_start"].tolist() == [T("2022-03-01"), T("2022-04-01")]


def test_single_table_file_is_checked_alone(tmp_path):
    path = tmp_path / "suivi mensuel.csv"
    path.write_text(csv_text(base_tables()["progress"]), "utf-8")
    p = load(path, province="Khénifra")
    assert_invariants(p)
    assert p.rows_read["progress"] == 3 and len(p.progress) == 3
    missing = problems_of(p, "missing_table")
    assert {m["table"] for m in missing} == {"partners", "agreements", "projects", "targets"}
    assert all(m["severity"] == "warning" for m in missing)
    assert not (p.problems["severity"] == "error").any()


def test_single_file_with_unknown_name_is_recognised_by_its_headers(tmp_path):
    path = tmp_path / "export (3).csv"
    path.write_text(csv_text(base_tables()["projects"]), "utf-8")
    p = load(path)
    assert p.rows_read["projects"] == 2
    assert p.province_code == "05.301"  # inferred from the projects' commune codes
    assert_invariants(p)


# ---------------------------------------------------------------------------------------
# Input that cannot be read (InputError)
# ---------------------------------------------------------------------------------------


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        load(tmp_path / "nope")


def test_folder_without_tables(tmp_path):
    (tmp_path / "README.md").write_text("hello", "utf-8")
    (tmp_path / "misc.csv").write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(InputError, match="no table found") as exc:
        load(tmp_path)
    assert "partners.csv" in str(exc.value)


def test_binary_junk_and_empty_files(tmp_path):
    junk = tmp_path / "projects.csv"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="projects.csv: this is a binary file"):
        load(junk)
    empty = tmp_path / "progress.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="progress.csv: the file is empty"):
        load(empty)
    fake = tmp_path / "partners.xlsx"
    fake.write_text("not a workbook", "utf-8")
    with pytest.raises(InputError, match="partners.xlsx: not a readable Excel workbook"):
        load(fake)
    renamed = tmp_path / "targets.csv"
    renamed.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(InputError, match="Give it the .xlsx extension"):
        load(renamed)


def test_two_sources_for_one_table(tmp_path):
    write_csv_folder(tmp_path, base_tables())
    (tmp_path / "projets.csv").write_text(csv_text(base_tables()["projects"]), "utf-8")
    with pytest.raises(InputError, match="two sources for the projects table"):
        load(tmp_path)


def test_old_excel_file_is_refused_with_advice(tmp_path):
    (tmp_path / "projects.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError, match=r"save it as \.xlsx"):
        load(tmp_path / "projects.xls")


def test_bad_province_argument(tmp_path):
    write_csv_folder(tmp_path, base_tables(), meta=None)
    with pytest.raises(UnknownNameError):
        load(tmp_path, province="Atlantis")


# ---------------------------------------------------------------------------------------
# Personal data
# ---------------------------------------------------------------------------------------


def test_personal_columns_never_reach_program_or_quarantine(tmp_path):
    t = base_tables()
    secrets = {"CIN": "AB123456", "Nom et prénom": "Fatima Zahra Amrani",
               "Téléphone": "0612345678", "الهاتف": "0698765432"}  # fmt: skip
    for row in t["beneficiaries"]:
        row.update(secrets)
    t["beneficiaries"][2]["sex"] = "x"  # one row quarantined: it must not carry secrets
    t["partners"][0]["GSM"] = "0600000000"
    p = load(write_csv_folder(tmp_path, t))
    assert_invariants(p)
    warnings = problems_of(p, "personal_data")
    assert sorted((w["table"], w["column"]) for w in warnings) == [
        ("beneficiaries", "CIN"),
        ("beneficiaries", "Nom et prénom"),
        ("beneficiaries", "Téléphone"),
        ("beneficiaries", "الهاتف"),
        ("partners", "GSM"),
    ]
    assert all(w["value"] is None or pd.isna(w["value"]) for w in warnings)
    assert len(p.quarantine["beneficiaries"]) == 1
    everything = pd.concat(
        [p.problems.astype(str), *(df.astype(str) for df in p.quarantine.values()),
         *(p.table(n).astype(str) for n in TABLES)],
        ignore_index=True,
    )  # fmt: skip
    text = everything.to_csv()
    for secret in [*secrets.values(), "0600000000"]:
        assert secret not in text
    for header in secrets:
        assert header not in p.quarantine["beneficiaries"].columns
        assert header not in p.beneficiaries.columns


def test_partner_name_header_nom_is_the_organisation_name(tmp_path):
    headers = {"partners": {"name_fr": "Nom", "partner_id": "Code partenaire"}}
    p = load(write_csv_folder(tmp_path, base_tables(), headers=headers))
    assert_invariants(p)
    assert p.partners["name_fr"].tolist()[0] == "Association Atlas"
    assert not problems_of(p, "personal_data")


# ---------------------------------------------------------------------------------------
# Province, targets, provenance
# ---------------------------------------------------------------------------------------


def test_province_from_dataset_json_argument_or_communes(tmp_path):
    with_meta = load(write_csv_folder(tmp_path / "a", base_tables()))
    assert (with_meta.province_code, with_meta.province) == ("05.301", "Khénifra")
    inferred = load(write_csv_folder(tmp_path / "b", base_tables(), meta=None))
    assert inferred.province_code == "05.301"
    assert inferred.province == "Khénifra"
    assert not problems_of(inferred, "province")
    assert len(inferred.communes) == 22


def test_province_conflict_is_a_warning(tmp_path):
    p = load(write_csv_folder(tmp_path, base_tables()), province="Ifrane")
    assert_invariants(p)
    (w,) = problems_of(p, "province")
    assert w["severity"] == "warning" and "05.301 is used" in w["message"]
    assert p.province_code == "05.301"


def test_missing_targets_use_published_targets(tmp_path):
    t = base_tables()
    del t["targets"]
    p = load(write_csv_folder(tmp_path, t))
    assert_invariants(p)
    assert p.targets["target_id"].tolist() == ["T-05.301-2022", "T-05.301-2023", "T-MA-2022-2023"]
    assert p.targets["jobs_target"].tolist() == [1100, 953, 250000]
    (w,) = problems_of(p, "missing_table")
    assert w["severity"] == "warning" and w["table"] == "targets"
    assert "published targets" in w["message"]


def test_missing_core_table_is_an_error(tmp_path):
    t = base_tables()
    del t["agreements"]
    p = load(write_csv_folder(tmp_path, t))
    assert_invariants(p)
    (e,) = problems_of(p, "missing_table")
    assert e["severity"] == "error" and e["table"] == "agreements"
    assert "'conventions'" in e["suggestion"] and "'الاتفاقيات'" in e["suggestion"]
    assert len(p.agreements) == 0 and len(p.projects) == 2  # references to it unchecked


def test_strict_raises_validation_error_listing_problems(tmp_path):
    t = base_tables()
    t["projects"][0]["planned_jobs"] = "-1"
    folder = write_csv_folder(tmp_path, t)
    with pytest.raises(ValidationError) as exc:
        load(folder, strict=True)
    # K1 rejected: its 2 progress rows and its 2 beneficiaries (B1, B2) follow it
    assert [p.rule for p in exc.value.problems] == ["range"] + ["reference"] * 4
    assert [p.table for p in exc.value.problems[1:]] == ["progress"] * 2 + ["beneficiaries"] * 2
    assert load(folder).rows_read["projects"] == 2


def test_fingerprint_is_stable_and_sensitive(tmp_path):
    folder = write_csv_folder(tmp_path, base_tables())
    first = load(folder).fingerprint
    assert first == load(folder).fingerprint
    files = sorted(folder.iterdir())
    assert first == fingerprint(reversed(files))
    assert len(first) == 64
    (folder / "notes.txt").write_text("not data", "utf-8")  # not an input file
    assert load(folder).fingerprint == first
    path = folder / "targets.csv"
    path.write_bytes(path.read_bytes().replace(b"1100", b"1101"))
    assert load(folder).fingerprint != first


def test_is_sample_and_meta_come_from_dataset_json(tmp_path):
    meta = dict(META, is_sample=True, generator="test", seed=7)
    p = load(write_csv_folder(tmp_path, base_tables(), meta=meta))
    assert_invariants(p)
    assert p.is_sample is True
    assert p.meta["seed"] == 7
    assert p.source == tmp_path


def test_load_without_argument_reads_the_configured_sample(tmp_path, monkeypatch):
    write_csv_folder(tmp_path, base_tables(), meta=dict(META, is_sample=True))
    monkeypatch.setattr(config, "SAMPLE_DIR", tmp_path)
    p = load()
    assert_invariants(p)
    assert p.is_sample and p.source == tmp_path and p.rows_read["projects"] == 2


def test_bundled_sample_loads_without_errors():
    if not any(config.SAMPLE_DIR.glob("*.csv")):
        pytest.skip("data/sample has not been generated yet (make sample)")
    p = load()
    assert_invariants(p)
    assert p.is_sample
    errors = p.problems[p.problems["severity"] == "error"]
    assert errors.empty, errors.to_string()
    assert (p.province_code, p.province) == ("05.301", "Khénifra")
