"""The council deck in headless Chromium: offline, reveal running, maps drawn, RTL, PDF."""

from __future__ import annotations

from pathlib import Path

import browser_util
import pytest

from awrach_analysis.documents import deck_build, slides

# One worker builds the decks once (module fixtures) and runs every test that opens them.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

SMOKE = Path(__file__).parent / "notebooks" / "slides_smoke.ipynb"
SMOKE_SLIDES = 5  # title, chart (+ notes), map, table, sources


@pytest.fixture(scope="module")
def smoke_decks(kernel_session, browser, tmp_path_factory):
    """The smoke notebook built in Arabic (with its PDF) and in French, once."""
    out = tmp_path_factory.mktemp("slides")
    return {
        lang: slides.build_slides(
            month="2022-09",
            lang=lang,
            out_dir=out,
            notebook=SMOKE,
            pdf=(lang == "ar"),
            client=kernel_session,
            browser=browser,
        )
        for lang in ("ar", "fr")
    }


def _open(browser, path):
    visit = browser_util.visit(browser, path, width=1280, height=720)
    visit.page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
    return visit


def _go_to(page, key):
    index = page.evaluate(
        "(key) => Array.from(document.querySelectorAll('.slides > section'))"
        ".findIndex(s => s.dataset.slideKey === key)",
        key,
    )
    assert index >= 0, f"no slide {key!r}"
    page.evaluate("(i) => Reveal.slide(i)", index)
    page.wait_for_function(
        "() => document.documentElement.getAttribute('data-plots-ready') === '1'"
    )
    return index


def test_build_writes_the_deck_where_the_council_expects_it(smoke_decks):
    ar = smoke_decks["ar"]
    assert ar.html.name == "awrach_khenifra_2022-09_slides_ar.html"
    assert ar.html.parent.name == "2022-09"
    assert ar.slides == SMOKE_SLIDES
    assert not list(ar.html.parent.parent.glob(".figures-*")), "staging folder left behind"


def test_deck_opens_offline_with_reveal_running(browser, smoke_decks):
    visit = _open(browser, smoke_decks["ar"].html)
    try:
        page = visit.page
        assert visit.external_requests == []
        assert visit.console_errors == []
        assert page.evaluate("() => Reveal.isReady()") is True
        assert page.evaluate("() => Reveal.getTotalSlides()") == SMOKE_SLIDES
        assert page.evaluate("() => document.querySelectorAll('aside.notes').length") == 1
    finally:
        visit.close()


def test_map_on_a_hidden_slide_is_drawn_at_slide_width_when_shown(browser, smoke_decks):
    visit = _open(browser, smoke_decks["fr"].html)
    try:
        page = visit.page
        _go_to(page, "map")
        graph = page.evaluate(
            "() => { const gd = document.querySelector('section.present .js-plotly-plot');"
            " return {paths: gd.querySelectorAll('.choroplethlocation').length,"
            " width: gd.getBoundingClientRect().width,"
            " svg: gd.querySelector('.main-svg').getAttribute('width')}; }"
        )
        assert graph["paths"] == 3  # the three squares of the smoke notebook
        # drawn at the slide's width (1280 minus padding), not plotly's 700 px default
        assert float(graph["svg"]) > 1000
        assert visit.external_requests == []
    finally:
        visit.close()


def test_arabic_deck_is_right_to_left(browser, smoke_decks):
    visit = _open(browser, smoke_decks["ar"].html)
    try:
        page = visit.page
        assert page.evaluate("() => document.documentElement.dir") == "rtl"
        assert page.evaluate("() => Reveal.getConfig().rtl") is True
        assert page.evaluate("() => document.querySelector('.reveal').classList.contains('rtl')")
        _go_to(page, "table")
        align = page.evaluate(
            "() => getComputedStyle(document.querySelector('section.present td')).direction"
        )
        assert align == "rtl"
        # plotly keeps its own left-to-right layout inside the RTL page
        summary = browser_util.plotly_summary(page)
        assert summary and all(g["ltr"] == "ltr" for g in summary)
        # controls sit at the bottom left, on the side Arabic readers move towards
        box = page.evaluate(
            "() => document.querySelector('.reveal .controls .navigate-left')"
            ".getBoundingClientRect().left"
        )
        assert 0 <= box < 200
    finally:
        visit.close()


def test_pdf_has_one_page_per_slide(smoke_decks):
    from pypdf import PdfReader

    pdf = smoke_decks["ar"].pdf
    assert pdf is not None and pdf.exists()
    reader = PdfReader(pdf)
    assert len(reader.pages) == SMOKE_SLIDES
    box = reader.pages[0].mediabox
    assert float(box.width) / float(box.height) == pytest.approx(16 / 9, rel=0.01)


def test_figures_are_written_next_to_the_deck(smoke_decks):
    ar = smoke_decks["ar"]
    names = sorted(p.name for p in ar.figures)
    assert names == ["02_jobs.pdf", "02_jobs.png"]
    assert all(p.parent == ar.html.parent / "figures" and p.stat().st_size > 0 for p in ar.figures)


def test_print_without_chromium_says_what_to_do(monkeypatch, smoke_decks, tmp_path):
    monkeypatch.setenv("AWRACH_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(slides.PrintError, match="no Chromium found"):
        slides.print_pdf(smoke_decks["fr"].html, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_print_pdf_launches_its_own_chromium(smoke_decks, tmp_path):
    """The path the CLI takes: no shared browser, Playwright started by print_pdf itself."""
    import subprocess
    import sys

    from pypdf import PdfReader

    out = tmp_path / "own.pdf"
    code = (
        "import sys; from awrach_analysis.documents import deck_build, slides; "
        "slides.print_pdf(sys.argv[1], sys.argv[2])"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(smoke_decks["fr"].html), str(out)], check=True, timeout=180
    )
    assert len(PdfReader(out).pages) == SMOKE_SLIDES


def test_cli_writes_the_deck_and_exits_3_when_it_cannot_print(monkeypatch, tmp_path, capsys):
    from awrach_analysis import cli

    monkeypatch.setattr(deck_build, "COUNCIL_NOTEBOOK", SMOKE)
    monkeypatch.setenv("AWRACH_CHROMIUM", str(tmp_path / "no-chromium"))
    code = cli.main(["slides", "--lang", "fr", "--out", str(tmp_path), "--pdf"])
    out, err = capsys.readouterr()
    assert code == slides.EXIT_NO_PDF == 3
    html = tmp_path / "2022-09" / "awrach_khenifra_2022-09_slides_fr.html"
    assert out.splitlines()[0] == str(html) and html.exists()
    assert "no Chromium found" in err and "5 slides" in err
    assert not list(tmp_path.glob("2022-09/*.pdf"))


# --- the council presentation itself, on the bundled sample (Arabic, printed) ----------------


@pytest.fixture(scope="module")
def council_ar(kernel_session, browser, tmp_path_factory):
    out = tmp_path_factory.mktemp("council")
    return slides.build_slides(
        lang="ar", out_dir=out, pdf=True, client=kernel_session, browser=browser
    )


def test_council_deck_has_every_slide_and_works_offline(browser, council_ar):
    assert council_ar.slides == len(slides.COUNCIL_SLIDES) == 9
    visit = _open(browser, council_ar.html)
    try:
        page = visit.page
        assert visit.external_requests == []
        assert visit.console_errors == []
        assert page.evaluate("() => Reveal.getTotalSlides()") == 9
        keys = page.evaluate(
            "() => Array.from(document.querySelectorAll('.slides > section'))"
            ".map(s => s.dataset.slideKey)"
        )
        assert keys == list(slides.COUNCIL_SLIDES)
        # one speaker-notes block per slide, in Arabic
        notes = page.evaluate(
            "() => Array.from(document.querySelectorAll('aside.notes')).map(n => n.textContent)"
        )
        assert len(notes) == 9 and all(any("\u0600" <= c <= "\u06ff" for c in n) for n in notes)
    finally:
        visit.close()


#: Where the keyboard focus is: outside the slides, on the slide shown, or on a hidden one.
_FOCUS = """() => {
  const a = document.activeElement;
  if (!a || a === document.body) { return {where: "body"}; }
  const section = a.closest(".slides section");
  if (!section) { return {where: "outside"}; }
  const key = (section.closest("[data-slide-key]") || section).dataset.slideKey || null;
  const where = section.classList.contains("present") ? "present" : "hidden";
  return {where: where, key: key, tag: a.tagName};
}"""


_INERT_COUNT = "() => document.querySelectorAll('.slides > section[inert]').length"


def test_tab_never_lands_in_a_hidden_slide(browser, council_ar):
    """Issue 12: Tab went through the chart toolbars of every hidden slide of the deck."""
    visit = _open(browser, council_ar.html)
    try:
        page = visit.page
        for key in ("01_title", "03_jobs_vs_target", "07_inclusion"):
            _go_to(page, key)
            page.evaluate("() => document.activeElement && document.activeElement.blur()")
            seen = []
            for _ in range(40):
                page.keyboard.press("Tab")
                seen.append(page.evaluate(_FOCUS))
            hidden = [f for f in seen if f["where"] == "hidden"]
            assert hidden == [], f"from {key}: focus in hidden slides {hidden[:3]}"
            if key != "01_title":
                # the chart of the slide shown stays reachable by keyboard
                assert any(f["where"] == "present" and f["key"] == key for f in seen), seen[:5]
            inert = page.evaluate(
                "() => Array.from(document.querySelectorAll('.slides > section'))"
                ".map(s => [s.dataset.slideKey, s.hasAttribute('inert')])"
            )
            assert [k for k, is_inert in inert if not is_inert] == [key]
        # the overview (Esc) shows every slide: all of them can be clicked, then back to one
        page.keyboard.press("Escape")
        page.wait_for_function("() => Reveal.isOverview()")
        assert page.evaluate(_INERT_COUNT) == 0
        page.keyboard.press("Escape")
        page.wait_for_function("() => !Reveal.isOverview()")
        assert page.evaluate(_INERT_COUNT) == len(slides.COUNCIL_SLIDES) - 1
        assert visit.external_requests == []
        assert page.evaluate("() => Reveal.isReady()") is True
    finally:
        visit.close()


def test_council_map_draws_the_22_communes(browser, council_ar):
    visit = _open(browser, council_ar.html)
    try:
        page = visit.page
        _go_to(page, "04_commune_map")
        paths = page.evaluate(
            "() => document.querySelectorAll('section.present .choroplethlocation').length"
        )
        assert paths == 22  # every commune of Khénifra has a boundary
        assert page.evaluate("() => document.documentElement.dir") == "rtl"
        assert page.evaluate("() => Reveal.getConfig().rtl") is True
        assert visit.external_requests == []
    finally:
        visit.close()


def test_axis_titles_do_not_overlap_tick_labels_in_the_rtl_deck(browser, council_ar):
    """plotly measures text in an SVG under <body>; RTL there put titles over the ticks.

    The rotated title's box is as wide as the Arabic font's line (about 2 em), so the test
    asks for the tick labels to start right of the title's middle line: measured with the
    fix 61 px against a middle at 50 px; without it the labels started at 30 px.
    """
    visit = _open(browser, council_ar.html)
    try:
        page = visit.page
        _go_to(page, "03_jobs_vs_target")
        title_middle, ticks_left = page.evaluate(
            "() => { const gd = document.querySelector('section.present .js-plotly-plot');"
            " const t = gd.querySelector('.ytitle').getBoundingClientRect();"
            " const ticks = Array.from(gd.querySelectorAll('.ytick text'))"
            "   .map(x => x.getBoundingClientRect().left);"
            " return [t.left + t.width / 2, Math.min(...ticks)]; }"
        )
        assert ticks_left > title_middle
    finally:
        visit.close()


def test_council_pdf_and_print_figures(council_ar):
    from PIL import Image
    from pypdf import PdfReader

    assert len(PdfReader(council_ar.pdf).pages) == 9
    names = sorted(p.name for p in council_ar.figures)
    assert names == sorted(f"{k}.{e}" for k in slides.PRINT_FIGURES for e in ("png", "pdf"))
    png = council_ar.html.parent / "figures" / "04_commune_map.png"
    assert round(Image.open(png).info["dpi"][0]) == 300


# --- the deck of a region (reduced national sample, region 05) -------------------------------


def test_regional_deck_draws_its_provinces_offline_in_arabic(
    browser, regional_sample_dir, kernel_session, tmp_path
):
    from awrach_analysis.documents import slides_national

    result = slides.build_slides(
        lang="ar", data_path=regional_sample_dir, out_dir=tmp_path, client=kernel_session
    )
    keys = list(slides_national.SCOPE_SLIDES)
    visit = _open(browser, result.html)
    try:
        page = visit.page
        assert page.evaluate("() => Reveal.getTotalSlides()") == len(keys) == 7
        assert page.evaluate("() => Reveal.getConfig().rtl") is True
        _go_to(page, "03_province_map")
        paths = page.evaluate(
            "() => document.querySelectorAll('section.present .choroplethlocation').length"
        )
        assert paths == 5  # the five provinces of Béni Mellal-Khénifra
        for key in ("04_quota_ranking", "05_equity", "06_phases"):
            _go_to(page, key)
            drawn = page.evaluate(
                "() => document.querySelectorAll('section.present .main-svg').length"
            )
            assert drawn >= 1, key
            active = page.evaluate(
                "() => Array.from(document.querySelectorAll('.slides > section'))"
                ".filter(s => !s.hasAttribute('inert')).map(s => s.dataset.slideKey)"
            )
            assert active == [key]  # every hidden slide is inert
        assert visit.external_requests == []
        assert visit.console_errors == []
    finally:
        visit.close()
