"""Reports opened from disk in headless Chromium: offline, drawn, right-to-left, safe, printable."""

from __future__ import annotations

import io

import browser_util
import pytest
from conftest import HOSTILE
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def visits(built_reports, hostile_report, render_check, browser):
    """Every page opened once (reports are built before the browser is asked for)."""
    pages = {
        "fr": built_reports["fr"],
        "ar": built_reports["ar"],
        "index": built_reports["out_dir"] / "index.html",
        "hostile": hostile_report[1],
        "check_fr": render_check["fr"][2],
        "check_ar": render_check["ar"][2],
    }
    opened = {name: browser_util.visit(browser, path) for name, path in pages.items()}
    yield opened
    for visit in opened.values():
        visit.close()


@pytest.mark.parametrize("name", ["fr", "ar", "index", "hostile", "check_fr", "check_ar"])
def test_page_makes_no_request_and_logs_no_error(visits, name):
    visit = visits[name]
    assert visit.external_requests == []
    assert visit.console_errors == []
    assert visit.dialogs == []


@pytest.mark.parametrize("name", ["fr", "ar", "hostile", "check_fr", "check_ar"])
def test_every_figure_is_drawn_and_the_map_has_its_polygons(visits, name):
    visit = visits[name]
    assert not visit.figures_timed_out
    figures = browser_util.plotly_summary(visit.page)
    assert figures, "the page has figures"
    for fig in figures:
        assert fig["drawn"] and fig["svgs"] > 0, fig
        assert fig["ltr"] == "ltr", "plots stay left-to-right inside the page"
    maps = [f for f in figures if "choropleth" in f["traces"]]
    assert len(maps) == 1
    assert maps[0]["choropleth_paths"] >= (2 if name.startswith("check") else 10)


@pytest.mark.parametrize(("name", "lang", "direction"), [("fr", "fr", "ltr"), ("ar", "ar", "rtl")])
def test_page_language_and_direction(visits, name, lang, direction):
    page = visits[name].page
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate("document.documentElement.dir") == direction
    align = page.evaluate("getComputedStyle(document.querySelector('main p')).textAlign")
    assert align in (("right", "start") if direction == "rtl" else ("left", "start"))


def test_arabic_text_is_right_aligned_and_tables_read_from_the_right(visits):
    page = visits["ar"].page
    first_cell_x, last_cell_x = page.evaluate(
        """() => {
        const cells = document.querySelectorAll('.awrach-table thead tr')[0].children;
        const x = (c) => c.getBoundingClientRect().x;
        return [x(cells[0]), x(cells[cells.length - 1])];
    }"""
    )
    assert first_cell_x > last_cell_x, "the first column is on the right"


def test_hostile_names_are_shown_as_text_never_as_markup(visits):
    page = visits["hostile"].page
    assert visits["hostile"].dialogs == []
    assert page.locator('a[href="https://example.org"]').count() == 0
    assert page.locator('img[src="x"]').count() == 0, "no element built from data"
    assert page.locator("b", has_text="bold").count() == 0
    assert page.locator("svg a").count() == 0, "no link inside a plotly figure"
    bold = "Array.from(document.querySelectorAll('svg text')).filter(t => /bold/.test(t.innerHTML))"
    assert page.evaluate(f"{bold}.filter(t => /<b>/i.test(t.innerHTML)).length") == 0
    body = page.inner_text("body")
    shown = [h for h in HOSTILE if h in body]
    assert shown == list(HOSTILE), "every payload is visible as text, literally"


def test_index_links_every_report_and_each_target_exists(visits, built_reports):
    page = visits["index"].page
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert sorted(hrefs) == sorted(
        p.relative_to(built_reports["out_dir"]).as_posix()
        for p in (built_reports["fr"], built_reports["ar"])
    )
    for href in hrefs:
        assert (built_reports["out_dir"] / href).is_file()


def test_page_fits_a_phone_screen(browser, built_reports):
    visit = browser_util.visit(browser, built_reports["ar"], width=375, height=740)
    try:
        overflow = visit.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, "wide tables scroll inside their box, not the page"
        assert visit.console_errors == []
    finally:
        visit.close()


def test_print_hides_interactive_chrome_and_breaks_pages_before_sections(browser, built_reports):
    visit = browser_util.visit(browser, built_reports["fr"])
    try:
        page = visit.page
        page.emulate_media(media="print")
        assert page.evaluate(
            "Array.from(document.querySelectorAll('.modebar-container'))"
            ".every(e => getComputedStyle(e).display === 'none')"
        )
        breaks = page.evaluate(
            "Array.from(document.querySelectorAll('.jp-Cell'))"
            ".filter(c => c.querySelector('h2'))"
            ".map(c => getComputedStyle(c).breakBefore)"
        )
        assert breaks[0] == "auto", "the headline figures stay on the title page"
        assert len(breaks) >= 7 and set(breaks[1:]) == {"page"}
        pages = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
        assert len(pages) >= len(breaks) + 1, "the title page, then a page per section at least"
    finally:
        visit.close()


#: For every sign, "%" or "<" stuck to a number in the page's text (HTML and SVG): is it
#: drawn on the side it is typed on? "+31" with "+" left of "3", "27,7%" with "%" right of
#: "7", "<5" with "<" left of "5". Right-to-left text without isolates draws "31+",
#: "0,1-" and "5>".
_NUMBER_ORDER_JS = """() => {
  const bad = [], good = [];
  const skip = '\\u2066\\u2067\\u2069\\u200e\\u200f \\u202f';
  const rect = (n, i) => { const r = document.createRange(); r.setStart(n, i);
    r.setEnd(n, i + 1); return r.getBoundingClientRect(); };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    if (n.parentElement.closest('script, style')) continue;
    const s = n.data;
    for (let i = 0; i < s.length; i++) {
      let j = -1, before = true;
      if ('+-\\u2212<'.includes(s[i]) && !(i > 0 && /[0-9A-Za-z]/.test(s[i - 1]))) {
        j = i + 1; while (j < s.length && '\\u2066\\u2069'.includes(s[j])) j++;
        if (!(j < s.length && /[0-9]/.test(s[j]))) j = -1;
      } else if (s[i] === '%') {
        j = i - 1; before = false; while (j >= 0 && skip.includes(s[j])) j--;
        if (!(j >= 0 && /[0-9]/.test(s[j]))) j = -1;
      }
      if (j < 0) continue;
      const a = rect(n, i), d = rect(n, j);
      if (!a.width || !d.width) continue;
      ((before ? a.x < d.x : a.x > d.x) ? good : bad).push(s.slice(Math.max(0, i - 10), i + 10));
    }
  }
  return {bad, good: good.length};
}"""


def test_arabic_report_keeps_signs_percentages_and_small_cell_marks_in_order(visits):
    result = visits["ar"].page.evaluate(_NUMBER_ORDER_JS)
    assert result["good"] >= 20, "the page has signed numbers and percentages"
    assert result["bad"] == []


#: Text boxes of each figure relative to its SVG, and its y-axis title and tick labels.
_FIGURE_TEXT_JS = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(gd => {
  const svg = gd.querySelector('.main-svg').getBoundingClientRect();
  const box = (e) => { const b = e.getBoundingClientRect();
    return [b.left - svg.left, b.right - svg.left]; };
  const all = (q) => Array.from(gd.querySelectorAll(q)).filter(e => e.getBoundingClientRect().width)
    .map(box);
  return {width: svg.width, texts: all('.gtitle, .gtitle-subtitle, .annotation text, '
            + '.cbtitle text, .yaxislayer-above text, .xaxislayer-above text'),
          ytitle: all('.g-ytitle text'), yticks: all('.yaxislayer-above text')};
})"""


@pytest.mark.parametrize("name", ["fr", "ar"])
def test_figure_texts_stay_inside_their_figure_and_off_the_ticks(visits, name):
    figures = visits[name].page.evaluate(_FIGURE_TEXT_JS)
    assert len(figures) >= 3, "the report's figures are on the page"
    assert all(f["texts"] for f in figures), "every figure's texts are measured"
    for fig in figures:
        for left, right in fig["texts"]:
            assert left >= -1 and right <= fig["width"] + 1, (left, right, fig["width"])
        for title in fig["ytitle"]:
            for tick in fig["yticks"]:
                assert title[1] <= tick[0] or title[0] >= tick[1], (title, tick)
