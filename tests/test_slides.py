"""Council deck machinery: offline reveal.js vendored from npm, RTL, notes, names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from awrach_analysis import config
from awrach_analysis.documents import deck_assets, deck_build, render, slides
from awrach_analysis.errors import AwrachError, UnknownNameError

ROOT = Path(__file__).resolve().parents[1]

# module-scoped decks are built once per worker: keep the module on one worker

# --- reveal.js is vendored from the npm package, with web fonts removed -----------------------


def test_reveal_is_read_from_the_vendored_npm_copy_with_its_licence():
    assets = deck_assets.reveal_assets()
    assert assets.source == config.ASSETS_DIR / "revealjs"
    lock = json.loads((ROOT / "js" / "reveal" / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"]["node_modules/reveal.js"]["version"]
    assert assets.version == pinned and pinned.startswith("5.")
    assert "Reveal" in assets.reveal_js[:2000]
    assert "RevealNotes" in assets.notes_js[:2000]
    assert "Permission is hereby granted" in assets.licence
    assert (assets.source / "LICENSE").read_text(encoding="utf-8").strip() == assets.licence


def test_only_the_files_the_deck_needs_are_vendored():
    folder = config.ASSETS_DIR / "revealjs"
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert files == [
        "LICENSE",
        "VERSION",
        "dist/reveal.css",
        "dist/reveal.js",
        "dist/theme/white.css",
        "plugin/notes/notes.js",
    ]
    assert sum((folder / f).stat().st_size for f in files) < 300_000  # 244 kB with 5.2.1


def test_reveal_js_needs_no_sphinx():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    deps = project["project"]["dependencies"]
    assert not [d for d in deps if "sphinx" in d.lower()]
    assert "sphinx" not in (ROOT / "environment.yml").read_text(encoding="utf-8").lower()


def test_strip_web_fonts_removes_imports_font_faces_and_remote_urls_only():
    css = (
        "@import url(https://fonts.googleapis.com/css?family=Lato);\n"
        "@import url(./fonts/source-sans-pro/source-sans-pro.css);\n"
        "@font-face { font-family: X; src: url(x.woff); }\n"
        ".a { background: url(//cdn.example.org/bg.png); }\n"
        ".b { background: url(data:image/png;base64,AAAA); color: red; }\n"
    )
    out = deck_assets.strip_web_fonts(css)
    assert "@import" not in out
    assert "@font-face" not in out
    assert "cdn.example.org" not in out
    assert "url(data:image/png;base64,AAAA)" in out
    assert "color: red" in out


def test_inlined_theme_and_core_css_load_nothing():
    assets = deck_assets.reveal_assets()
    for css in (assets.theme_css, assets.reveal_css):
        assert "@import" not in css
        assert "@font-face" not in css
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css)


def test_unknown_theme_lists_the_known_ones():
    with pytest.raises(AwrachError, match="Known themes: .*white"):
        deck_assets.reveal_assets("no-such-theme")


def test_reveal_config_is_rtl_for_arabic_only_and_16_by_9():
    ar, fr = deck_assets.reveal_config("ar"), deck_assets.reveal_config("fr")
    assert ar["rtl"] is True and fr["rtl"] is False
    assert (ar["width"], ar["height"]) == (1280, 720)
    assert ar["hash"] is True and ar["slideNumber"]
    assert ar["pdfMaxPagesPerSlide"] == 1 and ar["pdfSeparateFragments"] is False
    assert deck_assets.reveal_config("fr", transition="fade")["transition"] == "fade"


def test_credit_names_reveal_version_and_licence():
    credit = slides.reveal_credit()
    assert deck_assets.reveal_assets().version in credit
    assert "MIT" in credit and "Hakim El Hattab" in credit


# --- file names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Khénifra", "khenifra"),
        ("M'Rirt", "m-rirt"),
        ("Sidi Amar", "sidi-amar"),
        ("  Béni Mellal ", "beni-mellal"),
    ],
)
def test_slugify(name, slug):
    assert deck_build.slugify(name) == slug


def test_slugify_refuses_names_without_latin_letters():
    with pytest.raises(AwrachError, match="French name"):
        deck_build.slugify("خنيفرة")


def test_deck_and_figure_paths_follow_the_naming_rule(tmp_path):
    assert deck_build.deck_path(tmp_path, "Khénifra", "2022-09", "ar") == (
        tmp_path / "2022-09" / "awrach_khenifra_2022-09_slides_ar.html"
    )
    assert deck_build.figures_dir(tmp_path, "2022-09-01") == tmp_path / "2022-09" / "figures"


def test_bad_month_says_how_to_write_it():
    with pytest.raises(AwrachError, match="YYYY-MM"):
        slides.month_text("september")
    with pytest.raises(AwrachError, match="YYYY-MM"):
        slides.month_text("2022-13")
    assert slides.month_text("2022-9") == "2022-09"


def test_check_province_accepts_name_or_code_and_suggests_the_data_province():
    class P:
        province, province_code = "Khénifra", "05.301"

    slides.check_province(P, None)
    slides.check_province(P, "khenifra")
    slides.check_province(P, "05.301")
    with pytest.raises(UnknownNameError) as err:
        slides.check_province(P, "Ifrane")
    assert "Khénifra" in str(err.value)


# --- slide structure -------------------------------------------------------------------------


def _cell(kind="md", source="x", slide="-", tags=None):
    cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
    cell.metadata["slideshow"] = {"slide_type": slide}
    if tags:
        cell.metadata["tags"] = tags
    return cell


def test_count_slides_ignores_skipped_notes_and_parameter_cells():
    nb = new_notebook(
        cells=[
            _cell("code", "a = 1", "-", tags=["parameters"]),  # removed before export
            _cell("code", "a = 2", "-", tags=["injected-parameters"]),
            _cell("md", "# intro", "skip"),
            _cell("md", "# one", "-"),  # first visible cell opens slide 1
            _cell("md", "more", "fragment"),
            _cell("md", "notes", "notes"),
            _cell("md", "# two", "slide"),
            _cell("md", "# two, below", "subslide"),
            _cell("md", "# three", "slide"),
        ]
    )
    assert deck_build.count_slides(nb) == 3


def test_deck_info_round_trips_through_a_notebook_output():
    info = slides.DeckInfo(
        month="2022-09",
        province="Khénifra",
        province_code="05.301",
        lang="ar",
        figures=["03_jobs_vs_target.png"],
    )
    bundle = info._repr_mimebundle_()
    cell = new_code_cell("display(info)")
    cell.outputs = [new_output("display_data", data=bundle)]
    got = deck_build.deck_info(new_notebook(cells=[cell]))
    assert got == {
        "month": "2022-09",
        "province": "Khénifra",
        "province_code": "05.301",
        "lang": "ar",
        "figures": ["03_jobs_vs_target.png"],
    }
    with pytest.raises(AwrachError, match="DeckInfo"):
        deck_build.deck_info(new_notebook(cells=[new_code_cell("1")]))


# --- HTML pieces -----------------------------------------------------------------------------


def test_heading_and_tables_escape_names_from_data():
    h = slides.heading("<script>alert(1)</script> Sidi Amar", "fin <b>septembre</b>")
    assert "<script>" not in h and "&lt;script&gt;" in h
    assert "&lt;b&gt;" in h
    assert h._repr_html_() == str(h)
    import pandas as pd

    rows = pd.DataFrame(
        {"name": [f"<i>c{i}</i>" for i in range(12)], "jobs": [str(i) for i in range(12)]}
    )
    table = slides.deck_table(
        rows, {"name": "Commune", "jobs": "Emplois"}, numeric=["jobs"], max_rows=5
    )
    assert table.count("<tr>") == 6  # header + 5 rows: a slide is not a listing
    assert "&lt;i&gt;c0&lt;/i&gt;" in table
    assert table.count('class="num"') == 6  # header + 5 cells


def test_big_numbers_and_notes():
    html = slides.big_numbers([("84", "conventions"), ("1 100", "emplois")])
    assert html.count('class="big-number"') == 2
    assert slides.speaker_notes(["un", "deux"]) == "<p>un</p><p>deux</p>"


def test_for_slide_sets_the_slide_height_and_drops_title_and_source():
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    fig.update_layout(title={"text": "Titre"}, height=300)
    fig.add_annotation(text="Source : HCP", name="source", showarrow=False)
    fig.add_annotation(text="Limites non disponibles", name="no_boundary", showarrow=False)
    out = slides.for_slide(fig, height=480)
    assert out is fig and fig.layout.height == 480
    assert not fig.layout.title.text
    assert [a.name for a in fig.layout.annotations] == ["no_boundary"]


# --- export: one offline page ------------------------------------------------------------------

NOTE_TEXT = "ألف ومائة منصب"


def _prebuilt_deck(lang: str):
    """A deck notebook with outputs already in place (what execution would produce)."""
    import plotly.graph_objects as go

    render.reset_state()

    def out(html):
        cell = new_code_cell("...")
        cell.outputs = [new_output("display_data", data={"text/html": html, "text/plain": ""})]
        return cell

    def with_slide(cell, slide, key=None):
        cell.metadata["slideshow"] = {"slide_type": slide}
        if key:
            cell.metadata["slideshow"]["data"] = {"slide_key": key}
        return cell

    geo = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "A"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[-5.7, 32.9], [-5.7, 33.0], [-5.6, 33.0], [-5.6, 32.9], [-5.7, 32.9]]
                    ],
                },
            }
        ],
    }
    chart = go.Figure(go.Bar(x=["خنيفرة", "الحمام"], y=[12, 7]))
    carte = go.Figure(
        go.Choropleth(geojson=geo, locations=["A"], z=[1], featureidkey="properties.code")
    )
    cells = [
        with_slide(_cell("code", "params", "skip", tags=["parameters"]), "skip"),
        with_slide(out(slides.title_slide("أوراش", "خنيفرة")), "slide"),
        with_slide(out(slides.heading("مبيان") + render.figure_html(chart)), "slide", "jobs"),
        with_slide(out(slides.speaker_notes([NOTE_TEXT])), "notes"),
        with_slide(out(slides.heading("خريطة") + render.figure_html(carte)), "slide", "map"),
        with_slide(new_markdown_cell("## Sources\n\n" + slides.reveal_credit()), "slide"),
    ]
    cells[0].metadata["tags"] = ["parameters"]
    nb = new_notebook(cells=cells, metadata={"language_info": {"name": "python"}})
    return deck_assets.export_deck(nb, lang=lang, title=f"Deck <{lang}>")


@pytest.fixture(scope="module")
def decks():
    return {lang: _prebuilt_deck(lang) for lang in ("ar", "fr")}


def _reveal_config(html: str) -> dict:
    match = re.search(r"var config = (\{.*?\});", html)
    assert match, "Reveal.initialize config not found"
    return json.loads(match.group(1))


def _html_attributes(html: str) -> dict:
    tag = re.search(r"<html\b([^>]*)>", html).group(1)
    return dict(re.findall(r'(\w+)="([^"]*)"', tag))


def test_arabic_deck_is_rtl_and_french_is_ltr(decks):
    assert _html_attributes(decks["ar"]) == {"lang": "ar", "dir": "rtl"}
    assert _html_attributes(decks["fr"]) == {"lang": "fr", "dir": "ltr"}
    assert _reveal_config(decks["ar"])["rtl"] is True
    assert _reveal_config(decks["fr"])["rtl"] is False


def test_deck_loads_nothing_from_outside(decks):
    html = decks["ar"]
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+stylesheet", html)
    assert "@import" not in html.split('id="plotly-js"')[0]  # CSS sits before plotly.js
    for marker in (
        "require.js",
        "require.min.js",
        "MathJax.Hub",
        "mermaid",
        "jquery",
        "fonts.googleapis",
        "unpkg.com",
        "cdnjs",
    ):
        assert marker not in html.replace("MathJaxConfig", ""), marker
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_reveal_notes_plugin_and_plotly_are_inlined_once(decks):
    html = decks["ar"]
    assert html.count('id="reveal-js"') == 1
    assert html.count('id="reveal-notes-js"') == 1
    assert html.count('id="plotly-js"') == 1
    version = deck_assets.reveal_assets().version
    assert html.count(f"reveal.js {version}") >= 1
    assert "plugins = [RevealNotes]" in html
    assert "Reveal.initialize(config)" in html
    assert "Plotly.Plots.resize" in html and '"slidechanged"' in html


def test_licence_notice_is_kept_in_the_page_and_on_the_sources_slide(decks):
    head = decks["fr"].split("<html", 1)[0]
    assert "reveal.js licence" in head and "Permission is hereby granted" in head
    assert "MIT licence" in decks["fr"].split('class="slides"', 1)[1]


def test_slides_sections_and_notes(decks):
    html = decks["ar"]
    body = html.split('<div class="slides">', 1)[1].split('<script id="reveal-js">')[0]
    # nbconvert opens a slide and its first vertical subslide with the same data attributes
    assert len(re.findall(r'<section\s+data-slide-key="map">', body)) == 2
    notes = re.findall(r'<aside class="notes">(.*?)</aside>', body, flags=re.S)
    assert len(notes) == 1 and NOTE_TEXT in notes[0]
    assert body.count("<section") == 2 * 4  # 4 slides, each a slide + its first subslide
    assert "&lt;ar&gt;" in html.split("</title>")[0]  # the title is escaped


def test_export_refuses_an_unknown_language():
    with pytest.raises(AwrachError, match="Unknown language"):
        deck_assets.deck_resources("de")


def test_template_files_ship_with_the_package():
    folder = deck_assets.SLIDES_TEMPLATE_DIR
    conf = json.loads((folder / "conf.json").read_text())
    assert conf["base_template"] == "reveal"
    assert (folder / "index.html.j2").exists() and (folder / "static" / "deck.css").exists()
    css = (folder / "static" / "deck.css").read_text()
    assert "@import" not in css and "url(" not in css


def test_smoke_notebook_is_committed_clean():
    nb = nbformat.read(Path(__file__).parent / "notebooks" / "slides_smoke.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


# --- the council presentation: messages computed from the data (tiny_program) ---------------


def _plain(text: str) -> str:
    """Return ``text`` with ordinary spaces and without the isolates of Arabic numbers."""
    return text.translate({0xA0: " ", 0x202F: " ", 0x2066: None, 0x2069: None})


@pytest.fixture(scope="module")
def tiny():
    from awrach_analysis.testing import tiny_program

    return tiny_program()


@pytest.fixture(scope="module")
def deck_fr(tiny):
    return slides.council_deck(tiny, lang="fr")


@pytest.fixture(scope="module")
def deck_ar(tiny):
    return slides.council_deck(tiny, lang="ar")


def test_deck_has_nine_slides_in_order_and_uses_the_last_reported_month(deck_fr):
    assert list(deck_fr.texts) == list(slides.COUNCIL_SLIDES)
    assert deck_fr.as_of.strftime("%Y-%m") == "2023-05"
    assert _plain(deck_fr.slide("01_title").title) == (
        "Awrach — province de Khénifra, situation à fin mai 2023"
    )


def test_three_numbers(deck_fr):
    # 5 agreements, 51 people employed (B01..B51), projects in all 3 communes
    s = deck_fr.slide("02_three_numbers")
    assert s.title == "51 emplois créés dans 3 communes grâce à 5 conventions"
    html = deck_fr.three_numbers()
    assert re.findall(r'class="value">([^<]*)<', html) == ["5", "51", "3"]
    assert "51 (cinquante et un)" in _plain(s.notes[0])
    assert "85 %" in _plain(s.notes[0])  # 51 of a target of 40 + 20 = 60


def test_jobs_against_target_with_forecast(deck_fr, deck_ar):
    s = deck_fr.slide("03_jobs_vs_target")
    assert _plain(s.title) == "51 emplois sur 60 : 85 % de l'objectif"
    # Pipeline forecast: only K23-03 (5 planned jobs) has not started; at the fill rate
    # observed (50 / 56) it adds 4.5 jobs, and the running K23-02 owes no contract (the
    # completed projects made 33 contracts for 38 planned jobs): 55.5 < 60 by December
    # 2023, 4.5 jobs over 7 months = 0.6 a month.
    assert _plain(s.subtitle) == (
        "D'après les projets prévus et le rythme récent (≈ 0,6 par mois), "
        "objectif non atteint avant décembre 2023"
    )
    assert s.values["reachable"] is False
    assert _plain(deck_ar.slide("03_jobs_vs_target").title).startswith(
        "المناصب المحدثة: 51 من أصل 60"
    )


def test_map_slide_names_the_leading_commune(deck_fr):
    # El Hammam: 12 jobs for 500 unemployed = 24 per 1,000; province 51 / 10,000 = 5.1
    s = deck_fr.slide("04_commune_map")
    assert _plain(s.title) == "El Hammam en tête : 24 emplois pour 1 000 chômeurs (province : 5)"
    assert s.values["top"] == "05.301.07.07"
    assert s.values["average"] == pytest.approx(5.1)


def test_communes_needing_attention_same_commune(deck_fr, deck_ar):
    # Khénifra: 27 jobs / 8,500 unemployed = 3.2 per 1,000 (lowest); 25 % unemployment ties
    # with Sidi Lamine, whose 12 per 1,000 is better: Khénifra is both.
    s = deck_fr.slide("05_communes_attention")
    assert _plain(s.title) == "Khénifra : chômage le plus élevé, le moins d'emplois par chômeur"
    assert deck_ar.slide("05_communes_attention").title == (
        "خنيفرة: أعلى نسبة بطالة وأقل عدد من المناصب لكل عاطل"
    )
    assert s.values["listed"] == ["05.301.01.01", "05.301.05.25", "05.301.07.07"]
    table = deck_fr.table("05_communes_attention")
    assert table.count("<tr>") == 4  # header + 3 communes
    assert "<td>" not in table and ">3<" in table  # 3.18 per 1,000 shown as 3


def test_communes_needing_attention_two_communes(tiny):
    import dataclasses

    communes = tiny.communes.copy()
    communes.loc[communes["commune_code"] == "05.301.07.07", "unemployment_rate_2024"] = 40.0
    deck = slides.council_deck(dataclasses.replace(tiny, communes=communes), lang="fr")
    assert _plain(deck.slide("05_communes_attention").title) == (
        "Khénifra : le moins d'emplois par chômeur (3 pour 1 000) ; "
        "chômage le plus élevé : El Hammam (40 %)"
    )


def test_partners_and_domains(deck_fr):
    # P01, P02 (associations) and P03 (cooperative) implement; P04/P05 only co-sign.
    # Trails: 12 of 51 jobs = 23.5 %.
    s = deck_fr.slide("06_partners_domains")
    assert _plain(s.title) == (
        "Partenaires : 3 (associations : 2, coopératives : 1) ; "
        "premier domaine : Pistes et sentiers (24 % des emplois)"
    )
    fig = deck_fr.figure("06_partners_domains")
    assert list(fig.data[0].x) == sorted(fig.data[0].x)  # largest bar at the top
    assert max(fig.data[0].x) == 12


def test_inclusion(deck_fr):
    # 20 women and 28 young people among 51
    s = deck_fr.slide("07_inclusion")
    assert _plain(s.title) == "Femmes : 39 % des personnes employées ; jeunes : 55 %"
    assert "183 (cent quatre-vingt-trois)" in _plain(s.notes[0])  # published Awrach 1 figure


def test_projects_needing_attention_with_follow_up(deck_fr):
    s = deck_fr.slide("08_projects_attention")
    assert _plain(s.title) == "Projets à surveiller : 6 sur 8"
    assert s.values["listed"][0] == "K22-03"  # suspended comes first
    table = deck_fr.table("08_projects_attention")
    assert table.count("<tr>") == 1 + slides.TABLE_ROWS
    assert "Visite de terrain et plan de reprise avec le partenaire" in table
    assert "Réhabilitation de la piste d&#39;El Hammam" in table


def test_caveats_and_sources(deck_fr):
    s = deck_fr.slide("09_caveats_sources")
    # K22-04 did not report for 2022-05; nothing was quarantined
    assert _plain(s.title) == (
        "Limites des données — rapports mensuels manquants : 1 ; lignes écartées : 0"
    )
    html = deck_fr.caveats()
    assert "chiffres synthétiques" in html  # the fixture is flagged as sample data
    assert "maroc24.com" in html and "reveal.js" in html and "MIT" in html


def test_no_beneficiary_key_reaches_the_slides(tiny, deck_fr, deck_ar):
    keys = set(tiny.beneficiaries["beneficiary_key"].astype(str))
    for deck in (deck_fr, deck_ar):
        text = " ".join(
            [t.title + t.subtitle + " ".join(t.notes) for t in deck.texts.values()]
            + [
                deck.table("05_communes_attention"),
                deck.table("08_projects_attention"),
                deck.caveats(),
            ]
        )
        assert not {k for k in keys if re.search(rf"\b{k}\b", text)}


def test_slide_figures_drop_their_own_titles(deck_ar):
    fig = deck_ar.figure("04_commune_map")
    choropleth = [t for t in fig.data if t.type == "choropleth"]
    assert choropleth and len(choropleth[0].locations) == 3
    assert not fig.layout.title.text
    assert all(a.name != "source" for a in fig.layout.annotations)
    assert fig.layout.height == slides.FIGURE_HEIGHT


def test_spell_number_for_speaker_notes():
    assert _plain(slides.spell_number(2357, "fr")) == (
        "2 357 (deux mille trois cent cinquante-sept)"
    )
    # Arabic: the conjunction wa is joined to the next word
    assert slides.spell_number(2357, "ar").endswith("(ألفان وثلاثمائة وسبعة وخمسون)")
    assert slides.spell_number(2.5, "en") == "3"  # not a count: digits only, rounded
    assert slides.spell_number(None, "fr") == "n.d."


def test_every_print_figure_draws_with_its_message(deck_ar):
    import matplotlib.pyplot as plt

    for key in slides.PRINT_FIGURES:
        ax = deck_ar.print_figure(key)
        try:
            fig = ax.get_figure(root=True)
            texts = [t.get_text() for a in fig.axes for t in a.texts] + [
                a.get_title(loc) for a in fig.axes for loc in ("left", "center", "right")
            ]
            assert any(t.strip() for t in texts), key
            assert any("\u0600" <= ch <= "\u06ff" for t in texts for ch in t), key  # Arabic
        finally:
            plt.close(ax.get_figure(root=True))


def test_print_figures_are_exactly_the_slides_flagged_in_the_deck_list(deck_ar):
    """PRINT_FIGURES is read off COUNCIL_DECK: the flag and print_figure() must agree."""
    assert tuple(s.key for s in slides.COUNCIL_DECK) == slides.COUNCIL_SLIDES
    assert slides.PRINT_FIGURES == (
        "03_jobs_vs_target",
        "04_commune_map",
        "05_communes_attention",
        "06_partners_domains",
        "07_inclusion",
        "08_projects_attention",
    )
    for key in set(slides.COUNCIL_SLIDES) - set(slides.PRINT_FIGURES):
        with pytest.raises(AwrachError, match="no print figure"):
            deck_ar.print_figure(key)


def test_print_figures_are_png_300_dpi_and_pdf(deck_ar, tmp_path):
    from PIL import Image

    names = deck_ar.write_figures(tmp_path, keys=["06_partners_domains"])
    assert names == ["06_partners_domains.png", "06_partners_domains.pdf"]
    png, pdf = (tmp_path / n for n in names)
    assert round(Image.open(png).info["dpi"][0]) == 300
    assert Image.open(png).size[0] >= 6 * 300  # at least 6 inches wide at 300 dpi
    assert pdf.read_bytes().startswith(b"%PDF")


# --- command line: option errors stop before any work ------------------------------------


def test_cli_rejects_a_bad_month_before_doing_anything(tmp_path, capsys):
    from awrach_analysis import cli

    assert cli.main(["slides", "--month", "2023-13", "--out", str(tmp_path)]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_cli_names_a_missing_data_folder(tmp_path, capsys):
    from awrach_analysis import cli

    missing = tmp_path / "no-such-folder"
    assert cli.main(["slides", "--data", str(missing), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err and "bundled sample" in err
    assert not (tmp_path / "out").exists()
