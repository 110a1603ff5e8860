"""A bilingual workbook typed by hand, as a provincial team really keeps one.

Title rows and merged titles above the headers, totals rows, the headers people write
(``Nom du partenaire``, ``Date début``, ``اسم الجمعية``), French and Arabic-Indic numbers,
dates typed as text, commune names spelt in several ways, no wave column: ``awrach
validate`` must accept it (exit 0) and read every real row, and nothing else.
"""

from __future__ import annotations

import openpyxl
import pytest

from awrach_analysis import cli, load
from awrach_analysis.data.validate import table_counts

TITLE = "Programme Awrach — Province de Khénifra"


def _sheet(wb, name, title, headers, rows, totals=None):
    ws = wb.create_sheet(name)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(["Mis à jour le 05/04/2022 par le service provincial"])
    ws.append([])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    if totals:
        ws.append(totals(ws.max_row))
    return ws


def messy_workbook(path):
    """Write the workbook; return the number of real data rows of each table."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    partners = [
        [
            "P1",
            "Association Atlas pour le développement",
            "جمعية الأطلس للتنمية",
            "Association",
            "Khénifra",
        ],
        ["P2", "Coopérative Oum Rabia", "تعاونية أم الربيع", "Coopérative", "El Hammam"],
        ["P3", "Association Ajdir", "جمعية أجدير", "جمعية", "Mrirt"],
        [
            "S1",
            "Direction provinciale de l'agriculture",
            "المديرية الإقليمية للفلاحة",
            "Service déconcentré",
            "",
        ],
    ]
    _sheet(
        wb,
        "Partenaires",
        TITLE,
        ["Code partenaire", "Nom du partenaire", "اسم الجمعية", "Type", "Commune du siège"],
        partners,
    )
    agreements = [
        ["A1", "15/02/2022", "P1", "S1", "100 000"],
        ["A2", "1er mars 2022", "P2", "", "50 000,00"],
        ["A3", "2022-03-10", "P3", "S1", "٨٠ ٠٠٠"],
    ]
    _sheet(
        wb,
        "Conventions",
        TITLE,
        ["N° convention", "Date de signature", "Partenaire", "Cosignataires", "Budget (DH)"],
        agreements,
        totals=lambda last: ["Total", None, None, None, f"=SUM(E5:E{last})"],
    )
    projects = [
        [
            "K1",
            "A1",
            "Pistes rurales",
            "المسالك القروية",
            "Travaux de chantier et environnement",
            "Commune de Khénifra",
            "01/03/2022",
            "30/06/2022",
            "10",
            "40",
            "80 000",
        ],
        [
            "K2",
            "A2",
            "Restauration de la kasbah",
            "ترميم القصبة",
            "Patrimoine",
            "الحمام",
            "1 avril 2022",
            "31/07/2022",
            "٦",
            "٢٤",
            "45 000",
        ],
        [
            "K3",
            "A3",
            "Soutien scolaire",
            "الدعم المدرسي",
            "Soutien scolaire",
            "M'Rirt",
            "01/03/2022",
            "31/05/2022",
            "4",
            "12",
            "30 000",
        ],
    ]
    _sheet(
        wb,
        "Projets",
        TITLE,
        [
            "Code projet",
            "Convention",
            "Intitulé",
            "العنوان",
            "Domaine",
            "Commune",
            "Date début",
            "Date fin",
            "Postes prévus",
            "Mois-personnes",
            "Budget",
        ],
        projects,
    )
    progress = [
        ["K1", "mars 2022", "10", "3", "6", "220", "22 000,00", "25 %", "En cours"],
        ["K1", "avril 2022", "9", "3", "5", "198", "19 800", "50 %", "En cours"],
        ["K2", "أبريل 2022", "٦", "٢", "٤", "١٣٢", "١٣ ٢٠٠", "20", "جارٍ"],
        ["K3", "03/2022", "4", "4", "4", "88", "8 800", "30", "En cours"],
    ]
    _sheet(
        wb,
        "Suivi mensuel",
        "Suivi mensuel des chantiers — mars et avril 2022",
        [
            "Projet",
            "Mois",
            "Emplois occupés",
            "Dont femmes",
            "Jeunes",
            "Jours travaillés",
            "Salaires versés (DH)",
            "Avancement physique",
            "Statut",
        ],
        progress,
        totals=lambda last: [
            "Total général",
            None,
            f"=SUM(C5:C{last})",
            f"=SUM(D5:D{last})",
            f"=SUM(E5:E{last})",
            None,
            None,
            None,
            None,
        ],
    )
    wb.save(path)
    return {"partners": 4, "agreements": 3, "projects": 3, "progress": 4}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("messy") / "suivi_awrach_khenifra.xlsx"
    return path, messy_workbook(path)


def test_awrach_validate_accepts_the_messy_workbook(workbook, capsys):
    path, _ = workbook
    code = cli.main(["validate", str(path), "--lang", "fr"])
    out = capsys.readouterr().out
    assert code == 0, out


def test_every_real_row_is_read_and_nothing_else(workbook):
    path, expected = workbook
    program = load(path)
    counts = table_counts(program)
    for table, n in expected.items():
        assert counts.loc[table, "rows_read"] == n, (table, program.problems.to_string())
        assert counts.loc[table, "accepted"] == n, (table, program.problems.to_string())
    errors = program.problems[program.problems["severity"] == "error"]
    assert errors.empty, errors.to_string()


def test_values_are_read_as_typed(workbook):
    path, _ = workbook
    p = load(path)
    ag = p.agreements.set_index("agreement_id")
    assert ag.loc["A3", "budget_mad"] == 80_000  # Arabic-Indic digits with a space
    assert ag.loc["A2", "budget_mad"] == 50_000  # French decimal comma
    assert str(ag.loc["A2", "signed_on"].date()) == "2022-03-01"  # "1er mars 2022"
    assert set(ag["wave"].astype(int)) == {2022}  # no wave column: taken from the signing date
    pr = p.projects.set_index("project_id")
    assert pr.loc["K2", "planned_jobs"] == 6
    assert pr.loc["K1", "commune_code"] == "05.301.01.01"  # "Commune de Khénifra"
    assert pr.loc["K3", "commune_code"] == pr.loc["K3", "commune_code"]  # M'Rirt resolved
    prog = p.progress.set_index(["project_id", "month"]).sort_index()
    k2 = prog.loc[("K2", prog.loc["K2"].index[0])]
    assert (k2["jobs_filled"], k2["women"], k2["wages_paid_mad"]) == (6, 2, 13_200)
    assert prog.loc["K1"]["physical_progress_pct"].tolist() == [25, 50]
    assert p.partners.set_index("partner_id").loc["P3", "partner_type"] == "association"
