"""Headers, header rows, totals rows, personal data and vocabularies as people really type them."""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures.awrach_tables import (
    assert_invariants,
    base_tables,
    problems_of,
    rows_as_grid,
    write_csv_folder,
    write_workbook,
)

from awrach_analysis import i18n
from awrach_analysis.data import headers
from awrach_analysis.data.load import column_for_header, is_personal_header, load
from awrach_analysis.data.parse import ParseError, VocabularyIndex, loose_key
from awrach_analysis.model import schema
from awrach_analysis.model.schema import TABLES, VOCABULARIES

# ---------------------------------------------------------------------------------------
# Header folding
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    ["Date début", "date de début", "début prévu", "Début prévu", "DATE_DEBUT", "Début"],
)
def test_start_date_headers_fold_to_one_column(header):
    assert column_for_header("projects", header) == "planned_start"
    assert column_for_header("beneficiaries", header) == "start_date"


def test_loose_key_ignores_order_fillers_accents_and_plurals():
    assert loose_key("Date début") == loose_key("date de début") == loose_key("début prévu")
    assert loose_key("Nom du partenaire") == loose_key("partenaire : nom") == "nom partenaire"
    assert loose_key("Emplois prévus") == loose_key("emploi")


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Nom du partenaire", "name_fr"),
        ("Nom de l'association", "name_fr"),
        ("Nom de l’association", "name_fr"),  # typographic apostrophe
        ("Raison sociale", "name_fr"),
        ("Dénomination", "name_fr"),
        ("DENOMINATION", "name_fr"),
        ("اسم الجمعية", "name_ar"),
        ("اسم الشريك", "name_ar"),
        ("التسمية", "name_ar"),
        ("Nom en français", "name_fr"),
        ("Nom en arabe", "name_ar"),
        ("Identifiant", "partner_id"),
        ("Code", "partner_id"),
        ("N°", "partner_id"),
        ("رقم", "partner_id"),
        ("Type de partenaire", "partner_type"),
        ("partenaire (type)", "partner_type"),
    ],
)
def test_partner_headers_people_write(header, column):
    assert column_for_header("partners", header) == column


def test_generic_ids_name_the_key_of_each_table():
    assert column_for_header("projects", "N°") == "project_id"
    assert column_for_header("agreements", "Code") == "agreement_id"
    assert column_for_header("agreements", "N° convention") == "agreement_id"
    # the key of progress is a project and a month, of beneficiaries two ids: no guess
    assert column_for_header("progress", "N°") is None
    assert column_for_header("beneficiaries", "Identifiant") is None
    assert headers.match_header("beneficiaries", "N°").candidates == (
        "beneficiary_key",
        "project_id",
    )


def test_every_declared_alias_still_names_its_own_column():
    for name in TABLES:
        for column, aliases in headers.column_aliases(name).items():
            for alias in aliases:
                assert column_for_header(name, alias) == column, (name, alias)


def test_a_fold_shared_by_two_columns_is_never_resolved(monkeypatch):
    demo = schema.Table(
        "demo",
        "two columns whose headers fold together",
        (
            schema.Column("demo_id", "id", True, fr=("code demo",)),
            schema.Column("start", "date", True, fr=("date de début du contrat",)),
            schema.Column("contract_start", "date", False, fr=("début contrat",)),
        ),
        key=("demo_id",),
    )
    monkeypatch.setitem(TABLES, "demo", demo)
    index = headers._Index("demo")
    assert index.ambiguous == {"contrat debut": ("contract_start", "start")}
    monkeypatch.setitem(headers._INDEX, "demo", index)
    # each exact spelling keeps its column; the folded form picks neither
    assert column_for_header("demo", "date de début du contrat") == "start"
    assert column_for_header("demo", "début contrat") == "contract_start"
    match = headers.match_header("demo", "Contrat - date début")
    assert (match.column, match.candidates) == (None, ("contract_start", "start"))


def test_ambiguous_header_is_reported_not_guessed(tmp_path):
    t = base_tables()
    for row in t["beneficiaries"]:
        row["N°"] = "1"
    p = load(write_csv_folder(tmp_path, t))
    assert_invariants(p)
    (warning,) = problems_of(p, "ambiguous_column")
    assert (warning["file"], warning["row"], warning["column"]) == ("beneficiaries.csv", 1, "N°")
    assert "could mean beneficiary_key / project_id" in warning["message"]
    assert p.rows_read["beneficiaries"] == 3 and len(p.beneficiaries) == 3


def test_unknown_header_gets_the_closest_accepted_header(tmp_path):
    headers_ = {"partners": {"home_commune": "Comune du siege"}}
    t = base_tables()
    for row in t["partners"]:
        row["Observations"] = "ok"
    p = load(write_csv_folder(tmp_path, t, headers=headers_))
    assert_invariants(p)
    unknown = {w["column"]: w for w in problems_of(p, "unknown_column")}
    assert set(unknown) == {"Comune du siege", "Observations"}
    assert unknown["Comune du siege"]["suggestion"].startswith("Did you mean 'commune du siège'?")
    ar = i18n.problem_texts(unknown["Comune du siege"], "ar")[1]
    assert "هل تقصد \u2066'commune du siège'\u2069" in ar  # isolated: stays whole


def test_generic_id_gives_way_to_a_named_id(tmp_path):
    t = base_tables()
    for n, row in enumerate(t["partners"], start=1):
        row = {"N°": str(n), **row}
        t["partners"][n - 1] = row
    headers_ = {"partners": {"partner_id": "Code partenaire"}}
    p = load(write_csv_folder(tmp_path, t, headers=headers_))
    assert_invariants(p)
    assert p.partners["partner_id"].tolist() == ["P1", "P2", "S1"]
    (dup,) = problems_of(p, "duplicate_column")
    assert dup["column"] == "N°" and "'Code partenaire', which is the one read" in dup["message"]


def test_messy_french_headers_load_cleanly(tmp_path):
    headers_ = {
        "partners": {"partner_id": "Identifiant", "name_fr": "Nom de l'association",
                     "partner_type": "Type de partenaire", "home_commune": "Commune du siège"},
        "projects": {"project_id": "N°", "planned_start": "Date début",
                     "planned_end": "Fin prévue", "planned_jobs": "Emplois prévus (postes)"},
    }  # fmt: skip
    p = load(write_csv_folder(tmp_path, base_tables(), headers=headers_))
    assert_invariants(p)
    assert not (p.problems["severity"] == "error").any(), p.problems.to_string()
    assert p.partners["name_fr"].tolist()[0] == "Association Atlas"
    assert p.projects["planned_start"].tolist() == [
        pd.Timestamp("2022-03-01"),
        pd.Timestamp("2022-04-01"),
    ]
    assert not problems_of(p, "personal_data") and not problems_of(p, "unknown_column")


def test_arabic_only_names_are_the_names(tmp_path):
    t = base_tables()
    for row in t["partners"]:
        del row["name_fr"]
    for row in t["projects"]:
        del row["title_fr"]
    headers_ = {"partners": {"name_ar": "اسم الجمعية"}, "projects": {"title_ar": "عنوان المشروع"}}
    p = load(write_csv_folder(tmp_path, t, headers=headers_))
    assert_invariants(p)
    assert not (p.problems["severity"] == "error").any(), p.problems.to_string()
    assert p.partners["name_fr"].tolist()[0] == "جمعية الأطلس"
    assert p.partners["name_ar"].tolist()[0] == "جمعية الأطلس"
    assert p.projects["title_fr"].tolist()[0] == "المسالك القروية"
    fallbacks = problems_of(p, "column_fallback")
    assert sorted((f["table"], f["column"], f["severity"]) for f in fallbacks) == [
        ("partners", "اسم الجمعية", "info"),
        ("projects", "عنوان المشروع", "info"),
    ]


# ---------------------------------------------------------------------------------------
# Personal data
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "N°CIN", "CNIE", "N° CNIE", "N°Tél", "Tél.", "GSM", "رقم البطاقة", "رقم الهاتف",
        "Compte bancaire", "RIB", "N°RIB", "Né(e) le", "Date de naissance", "E-mail",
        "Nom du président", "Nom et prénom du bénéficiaire", "Prénom", "تاريخ الازدياد",
        "اسم الرئيس", "Téléphone de l'association", "Adresse e-mail", "Président",
        "Président(e) de l'association", "Responsable", "الرئيس", "Née le", "Né à",
    ],
)  # fmt: skip
def test_personal_headers_people_write(header):
    assert is_personal_header(header)


@pytest.mark.parametrize(
    "header",
    [
        "Nom de l'association", "Nom du partenaire", "Raison sociale", "Dénomination",
        "اسم الجمعية", "اسم الشريك", "التسمية", "Nom de la coopérative", "Adresse du siège",
        "Nom du projet", "Commune", "Date début", "N°", "Code", "Bénéficiaires",
        "Ne pas remplir",
    ],
)  # fmt: skip
def test_organisation_names_are_not_personal(header):
    assert not is_personal_header(header)


def test_personal_columns_of_a_partners_table_are_dropped_everywhere(tmp_path):
    t = base_tables()
    secrets = {"N°CIN": "BE765432", "CNIE": "JA112233", "N°Tél": "0661223344",
               "N°RIB": "011780000012345678901234", "Compte bancaire": "230810000099988877",
               "Nom du président": "Mohamed Alaoui"}  # fmt: skip
    for row in t["partners"]:
        row.update(secrets)
    t["partners"][1]["partner_type"] = "Banque"  # one partner quarantined, with its row
    headers_ = {"partners": {"name_fr": "Nom de l'association"}}
    p = load(write_csv_folder(tmp_path, t, headers=headers_))
    assert_invariants(p)
    assert sorted(w["column"] for w in problems_of(p, "personal_data")) == sorted(secrets)
    assert len(p.quarantine["partners"]) == 1
    assert p.partners["name_fr"].tolist() == [
        "Association Atlas",
        "Direction provinciale de l'agriculture",
    ]
    text = pd.concat(
        [p.problems.astype(str), *(df.astype(str) for df in p.quarantine.values()),
         *(p.table(n).astype(str) for n in TABLES)],
        ignore_index=True,
    ).to_csv()  # fmt: skip
    for header, secret in secrets.items():
        assert secret not in text, header
        assert header not in p.quarantine["partners"].columns
    for lang in ("fr", "ar", "en"):
        for problem in p.problems.to_dict("records"):
            message, hint = i18n.problem_texts(problem, lang)
            assert not any(s in message + hint for s in secrets.values())


# ---------------------------------------------------------------------------------------
# Header rows
# ---------------------------------------------------------------------------------------


def test_header_under_a_merged_title_and_blank_rows_and_columns(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Suivi mensuel"
    ws["A1"] = "Suivi mensuel — Association X"
    ws.merge_cells("A1:F1")
    heads = ["N° projet", "Mois", "Emplois occupés", "Dont femmes", "Statut"]
    ws.append([])  # row 2 blank
    ws.append([None, *heads])  # row 3: headers from column B, column A blank
    ws.append([])  # row 4 blank
    ws.append([None, "K1", "2022-03", 10, 3, "En cours"])  # row 5
    ws.append([None, "K1", "2022-04", "neuf", 3, "En cours"])  # row 6: an error
    ws.append([None, "K2", "2022-04", 6, 2, "En cours de réalisation"])  # row 7
    wb.save(tmp_path / "suivi.xlsx")
    p = load(tmp_path / "suivi.xlsx", province="05.301")
    assert_invariants(p)
    assert p.rows_read["progress"] == 3
    (bad,) = problems_of(p, "type")
    assert (bad["sheet"], bad["row"], bad["column"], bad["value"]) == (
        "Suivi mensuel",
        6,
        "Emplois occupés",
        "neuf",
    )
    assert not problems_of(p, "missing_column") and not problems_of(p, "unknown_column")
    assert p.progress["status"].tolist() == ["ongoing", "ongoing"]


def test_form_lines_above_the_header_are_not_the_header(tmp_path):
    grid = rows_as_grid(base_tables()["progress"])
    sheets = {
        "Suivi": [
            ["Suivi mensuel — Association Atlas"],
            ["Projet :", "K1", "Mois :", "mars 2022"],  # names two columns, but is a form line
            [],
            *grid,  # header on row 4
        ]
    }
    p = load(write_workbook(tmp_path / "suivi.xlsx", sheets), province="05.301")
    assert_invariants(p)
    assert p.rows_read["progress"] == 3 == len(p.progress)
    assert not (p.problems["table"] == "progress").any(), p.problems.to_string()


def test_sheet_without_header_row_is_said_once(tmp_path):
    t = base_tables()
    grid = rows_as_grid(t["partners"])
    grid[0] = ["Colonne 1", "Colonne 2", "Colonne 3", "Colonne 4", "Colonne 5"]
    sheets = {
        "Partenaires": [["Liste des partenaires"], [], *grid],
        "Conventions": rows_as_grid(t["agreements"]),
    }
    p = load(write_workbook(tmp_path / "awrach.xlsx", sheets), province="05.301")
    assert_invariants(p)
    partners = p.problems[p.problems["table"] == "partners"]
    assert partners["rule"].tolist().count("no_header") == 1
    assert not problems_of(p, "missing_column")
    (problem,) = problems_of(p, "no_header")
    assert (problem["file"], problem["sheet"], problem["severity"]) == (
        "awrach.xlsx",
        "Partenaires",
        "error",
    )
    # every row a person sees is read and kept in the quarantine, with its sheet row
    assert p.rows_read["partners"] == 5
    assert p.quarantine["partners"]["excel_row"].tolist() == [1, 3, 4, 5, 6]
    assert "no header row" in p.quarantine["partners"]["reasons"].iloc[0]
    assert "first 10 rows of 'Partenaires' (table partners)" in problem["message"]
    # the sheet name isolated, the table named in Arabic
    ar = i18n.problem_texts(problem, "ar")[0]
    assert "\u2066'Partenaires'\u2069 (جدول \u2067الشركاء\u2069)" in ar


# ---------------------------------------------------------------------------------------
# Totals rows
# ---------------------------------------------------------------------------------------


def test_totals_rows_are_not_data(tmp_path):
    t = base_tables()
    t["progress"].insert(2, {"project_id": "Sous-total K1", "jobs_filled": "19", "women": "6"})
    t["progress"].append({"project_id": "TOTAL GÉNÉRAL", "jobs_filled": "25", "women": "8"})
    t["progress"].append({"project_id": "المجموع", "jobs_filled": "25", "women": "8"})
    t["progress"].append({"project_id": "S/Total", "jobs_filled": "25", "women": "8"})
    p = load(write_csv_folder(tmp_path, t))
    assert_invariants(p)
    assert not (p.problems["severity"] == "error").any(), p.problems.to_string()
    assert p.rows_read["progress"] == 3 == len(p.progress)
    (info,) = problems_of(p, "totals_row")
    assert (info["severity"], info["row"]) == ("info", 4)
    assert "4 totals or subtotals row(s) (rows 4, 6, 7, 8)" in info["message"]
    assert "(الأسطر \u20664, 6, 7, 8\u2069)" in i18n.problem_texts(info, "ar")[0]


def test_totals_row_in_a_workbook_keeps_sheet_rows(tmp_path):
    t = base_tables()
    grid = rows_as_grid(t["projects"])
    grid.append(["Total", None, None, None, None, None, None, None, 16, 64, 125000])
    grid.append(["المجموع الفرعي", None, None, None, None, None, None, None, 16, 64, 125000])
    p = load(write_workbook(tmp_path / "projets.xlsx", {"Projets": [["Titre"], *grid]}), "05.301")
    assert_invariants(p)
    assert p.rows_read["projects"] == 2
    (info,) = problems_of(p, "totals_row")
    assert (info["sheet"], info["row"]) == ("Projets", 5)
    assert "rows 5, 6" in info["message"]


def test_a_row_with_an_id_is_data_even_if_it_starts_with_total(tmp_path):
    t = base_tables()
    t["partners"] = [{"name_fr": r["name_fr"], **r} for r in t["partners"]]  # name first
    t["partners"][1]["name_fr"] = "Total Maroc"
    p = load(write_csv_folder(tmp_path, t))
    assert_invariants(p)
    assert not problems_of(p, "totals_row")
    assert "Total Maroc" in p.partners["name_fr"].tolist()


def test_sheet_without_header_keeps_no_personal_column(tmp_path):
    sheets = {
        "Partenaires": [
            ["Liste"],
            ["Colonne", "CIN du président", "Libellé"],
            ["P1", "AB123456", "Association Atlas"],
        ]
    }
    p = load(write_workbook(tmp_path / "awrach.xlsx", sheets), province="05.301")
    assert_invariants(p)
    assert p.rows_read["partners"] == 3
    text = p.quarantine["partners"].astype(str).to_csv() + p.problems.astype(str).to_csv()
    assert "AB123456" not in text and "Association Atlas" in text


# ---------------------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vocab", "value", "code"),
    [
        ("domain", "Prise en charge sociale", "social_care"),
        ("domain", "Activités culturelles", "culture_sport"),
        ("domain", "Activité culturelle", "culture_sport"),
        ("domain", "Environnement", "site_works_environment"),
        ("domain", "Travaux de chantier", "site_works_environment"),
        ("domain", "Soutien scolaire", "education_support"),
        ("domain", "Numérisation des archives", "archive_digitisation"),
        ("domain", "الأنشطة الثقافية", "culture_sport"),
        ("domain", "البيئة", "site_works_environment"),
        ("domain", "الدعم المدرسي", "education_support"),
        ("partner_type", "Association", "association"),
        ("partner_type", "Asso.", "association"),
        ("partner_type", "Coopératives", "cooperative"),
        ("partner_type", "جمعية", "association"),
        ("partner_type", "الجمعية", "association"),
        ("partner_type", "تعاونية", "cooperative"),
        ("partner_type", "Services déconcentrés", "decentralized_service"),
        ("status", "En cours de réalisation", "ongoing"),
        ("status", "Non démarré", "planned"),
        ("status", "Terminé", "completed"),
        ("status", "قيد الإنجاز", "ongoing"),
        ("status", "منتهي", "completed"),
    ],
)
def test_vocabulary_words_people_use(vocab, value, code):
    assert VocabularyIndex(VOCABULARIES[vocab], vocab).resolve(value) == code


def test_vocabularies_have_no_ambiguous_folds():
    for name, terms in VOCABULARIES.items():
        index = VocabularyIndex(terms, name)
        assert not index.ambiguous and not index.loose_ambiguous, name


def test_unknown_domain_is_a_located_error_with_the_closest_values(tmp_path):
    t = base_tables()
    t["projects"][1]["domain"] = "Environement"
    p = load(write_csv_folder(tmp_path, t, headers={"projects": {"domain": "Domaine"}}))
    assert_invariants(p)
    (bad,) = problems_of(p, "allowed_values")
    assert (bad["file"], bad["row"], bad["column"], bad["value"]) == (
        "projects.csv",
        3,
        "Domaine",
        "Environement",
    )
    assert bad["suggestion"].startswith("Closest: site_works_environment")
    assert p.quarantine["projects"]["excel_row"].tolist() == [3]


def test_an_ambiguous_folded_value_is_refused():
    terms = schema._vocab(
        schema.Term("a", "Travaux publics", "", "Public works"),
        schema.Term("b", "Publics travaux", "", "Works, public", ("travaux publiques",)),
    )
    index = VocabularyIndex(terms, "demo")
    assert index.resolve("Travaux publics") == "a"
    with pytest.raises(ParseError) as exc:
        index.resolve("public - travaux")
    assert "could mean a / b" in exc.value.message


def _with_cached_values(path, values: dict[str, str]):
    """Rewrite ``path`` as Excel saves it: formula cells carry their computed value."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/"):
            text = data.decode("utf-8")
            for ref, value in values.items():
                text = re.sub(
                    rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v>\s*</v>)?',
                    rf"\1<v>{value}</v>",
                    text,
                )
            parts[name] = text.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_row_of_column_sums_is_a_totals_row(tmp_path):
    grid = rows_as_grid(base_tables()["progress"])
    for row in grid[1:]:
        row[2:8] = [int(v) for v in row[2:8]]
    # a row of =SUM() under each count, no label; a row-wise sum beside typed numbers is data
    grid.append([None, None, "=SUM(C2:C4)", "=SUM(D2:D4)", "=SUM(E2:E4)", None, None, None])
    grid[2][5] = "=SUM(C3:E3)"  # person_days of K1 2022-04 computed across the row
    path = write_workbook(tmp_path / "suivi.xlsx", {"suivi": grid})
    path = _with_cached_values(path, {"C5": "25", "D5": "8", "E5": "14", "F3": "17"})
    assert headers.formula_total_rows(path) == {"suivi": {5}}
    p = load(path, province="05.301")
    assert_invariants(p)
    assert p.rows_read["progress"] == 3
    (info,) = problems_of(p, "totals_row")
    assert (info["row"], info["severity"]) == (5, "info")
    assert not problems_of(p, "required")
    assert p.progress["person_days"].tolist() == [220, 17, 132]


# ---------------------------------------------------------------------------------------
# One text folding for headers and place names
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Œuvres sociales", "Date_Début  prévue", "أمڭاسن", "إقليم خنيفرة", "مدرسة", "Ksar Sghir"],
)
def test_headers_and_place_names_fold_alike(text):
    from awrach_analysis.data.parse import header_key, normalise
    from awrach_analysis.reference import names

    assert header_key(text) == "".join(names._words(text))
    assert normalise(text) == " ".join(names._words(text))


def test_ligatures_and_maghrebi_letters_fold_in_headers():
    from awrach_analysis.data.parse import header_key

    assert header_key("Œuvres sociales") == header_key("oeuvres sociales")
    assert header_key("أمڭاسن") == header_key("امكاسن")
