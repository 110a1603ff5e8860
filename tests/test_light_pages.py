"""Light, fast offline pages: the vendored plotly.js bundle, file sizes, first paint, locales."""

from __future__ import annotations

import json
import re

import browser_util
import nbformat
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs_version

from awrach_analysis import config
from awrach_analysis.documents import render, slides

#: Bound of issue 12 for the Khénifra report and the council deck.
MAX_PAGE_BYTES = 2_000_000
BUNDLE_DIR = config.PROJECT_DIR / "js" / "plotly-bundle"


# --- the bundle ---------------------------------------------------------------------------------


def test_bundle_is_plotly_js_of_the_version_plotly_py_writes_for():
    """The figure JSON that plotly.py writes is read by the plotly.js version it was made for."""
    head = render.PLOTLY_JS.read_text(encoding="utf-8")[:300]
    version = get_plotlyjs_version()
    assert f"plotly.js v{version} " in head
    lock = json.loads((BUNDLE_DIR / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/plotly.js"]["version"] == version
    package = json.loads((BUNDLE_DIR / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["plotly.js"] == version


def test_bundle_is_light_and_carries_its_licence():
    size = render.PLOTLY_JS.stat().st_size
    assert 500_000 < size < 2_000_000  # plotly.min.js of plotly.py: 4.8 MB
    licence = (config.ASSETS_DIR / "plotly.js.LICENSE").read_text(encoding="utf-8")
    assert "MIT" in licence or "Permission is hereby granted" in licence


def test_bundle_registers_every_trace_type_the_figures_use():
    """Every ``go.<Trace>`` built in the package is a trace type registered in the bundle."""
    used = set()
    for path in (config.PACKAGE_DIR / "figures").glob("*.py"):
        used |= set(re.findall(r"\bgo\.([A-Z][a-z]+)\(", path.read_text(encoding="utf-8")))
    used -= {"Figure"}
    assert used, "figures build plotly traces"
    entry = (BUNDLE_DIR / "entry.js").read_text(encoding="utf-8")
    registered = set(re.findall(r"plotly\.js/lib/([a-z]+)'", entry)) | {"scatter"}
    assert {name.lower() for name in used} <= registered
    assert "plotly.js/lib/locales/fr" in entry and "plotly.js/lib/locales/ar" in entry


# --- figure config and notebook outputs ---------------------------------------------------------


def test_figure_config_follows_the_report_language():
    try:
        render.setup_notebook("ar")
        cfg = render.figure_config()
        assert cfg["locale"] == "ar"
        months = cfg["locales"]["ar"]["format"]["months"]
        assert months[0] == "يناير" and months[4] == "ماي" and months[7] == "غشت"
        render.setup_notebook("fr")
        cfg = render.figure_config()
        assert cfg["locale"] == "fr" and cfg["locales"]["fr"]["format"]["months"][1] == "février"
        render.setup_notebook("en")
        assert "locale" not in render.figure_config()
    finally:
        render.reset_state()


def test_figure_html_waits_for_plotly_js_loaded_later():
    html = render.figure_html(go.Figure(go.Bar(x=[1], y=[2])))
    assert "if(window.Plotly){draw();}" in html
    assert f"window.{render.PLOT_QUEUE}" in html


def test_report_export_drops_the_notebook_plotly_js_output():
    """The output that carries plotly.js for plain exports never reaches a report twice."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("start()")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"text/html": render.plotly_js_html()},
            metadata={render.PLOTLY_JS_OUTPUT: True},
        ),
        nbformat.v4.new_output("stream", name="stdout", text="Khénifra\n"),
    ]
    nb.cells = [cell]
    clean = render.clean_for_export(nb)
    assert [o["output_type"] for o in clean.cells[0].outputs] == ["stream"]
    html = render.export_html(nb, lang="fr", title="t")
    assert 'id="plotly-js"' not in html  # no figure: no plotly.js at all


# --- built pages ---------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_report_is_at_most_2_mb(built_reports, lang):
    html = built_reports[lang].read_text(encoding="utf-8")
    assert len(html.encode("utf-8")) <= MAX_PAGE_BYTES
    # plotly.js after the text: nothing but styles before the first heading's paint
    assert html.index('id="plotly-js"') > html.index("<main")


@pytest.fixture(scope="module")
def council_fr(kernel_session, tmp_path_factory):
    out = tmp_path_factory.mktemp("council_fr")
    return slides.build_slides(lang="fr", out_dir=out, pdf=False, client=kernel_session)


@pytest.mark.slow
def test_council_deck_is_at_most_2_mb(council_fr):
    assert council_fr.html.stat().st_size <= MAX_PAGE_BYTES


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_first_paint_and_charts_drawn_are_measured(built_reports, browser, lang):
    """Timing is printed by ``make bench``; here the measure must work (no timing bound)."""
    timing = browser_util.measure(browser, built_reports[lang])
    assert timing.charts >= 3
    assert 0 < timing.first_contentful_paint <= timing.charts_drawn


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "title"),
    [("fr", "Réinitialiser les axes"), ("ar", "إعادة تعيين المحاور")],
)
def test_chart_toolbar_speaks_the_report_language(built_reports, browser, lang, title):
    visit = browser_util.visit(browser, built_reports[lang])
    try:
        titles = visit.page.evaluate(
            "() => Array.from(document.querySelectorAll('.modebar-btn'))"
            ".map(b => b.getAttribute('data-title'))"
        )
        assert titles, "charts have a toolbar"
        assert title in titles
        assert "Reset axes" not in titles
    finally:
        visit.close()
