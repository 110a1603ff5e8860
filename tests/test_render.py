"""The rendering engine: parameters, failing cells, and what the exported HTML may contain."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from awrach_analysis.documents import render
from awrach_analysis.documents.render import RenderError
from awrach_analysis.errors import UnsupportedLanguageError
from awrach_analysis.figures import maps

TESTS_DIR = Path(__file__).resolve().parent
RENDER_CHECK = TESTS_DIR / "notebooks" / "render_check.ipynb"
PLOTLY_BANNER = "plotly.js v"  # first comment line of plotly.min.js
HOSTILE = "<script>alert(1)</script>"


def _without_plotly_js(html: str) -> str:
    """The page minus the inlined library (plotly.js itself mentions MathJax, URLs...)."""
    js = render.PLOTLY_JS.read_text(encoding="utf-8")
    assert html.count(js) == 1
    return html.replace(js, "")


def _notebook(*sources: str, params: str | None = 'lang = "fr"') -> nbformat.NotebookNode:
    cells = [new_markdown_cell("# t")]
    if params is not None:
        cell = new_code_cell(params)
        cell.metadata["tags"] = ["parameters"]
        cells.append(cell)
    cells += [new_code_cell(s) for s in sources]
    return new_notebook(cells=cells)


# --- parameters (pure) -----------------------------------------------------------------------


def test_injected_cell_follows_the_parameters_cell_and_overrides_it():
    nb = _notebook("print(lang)", params='lang = "fr"\nmonth = None')
    out = render.inject_parameters(nb, {"lang": "ar", "month": "2023-03"})
    assert [c.cell_type for c in out.cells] == ["markdown", "code", "code", "code"]
    injected = out.cells[2]
    assert injected.metadata["tags"] == ["injected-parameters"]
    assert "lang = 'ar'" in injected.source and "month = '2023-03'" in injected.source
    namespace: dict = {}
    exec(out.cells[1].source + "\n" + injected.source, namespace)  # what the kernel will see
    assert namespace["lang"] == "ar" and namespace["month"] == "2023-03"
    assert len(nb.cells) == 3, "the input notebook is left untouched"


def test_injecting_twice_replaces_the_previous_injected_cell():
    nb = render.inject_parameters(_notebook(), {"lang": "ar"})
    again = render.inject_parameters(nb, {"lang": "en"})
    injected = [c for c in again.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "lang = 'en'" in injected[0].source


def test_paths_and_containers_become_python_literals():
    nb = _notebook(params="data_path = None\nlangs = []")
    src = render.inject_parameters(nb, {"data_path": Path("/d/x"), "langs": ("fr", "ar")})
    namespace: dict = {}
    exec(src.cells[2].source, namespace)
    assert namespace["data_path"] == "/d/x" and namespace["langs"] == ["fr", "ar"]


def test_a_misspelt_parameter_is_refused():
    with pytest.raises(RenderError, match=r"Unknown parameter\(s\) lnag.*defines lang"):
        render.inject_parameters(_notebook(), {"lnag": "ar"})


def test_a_value_that_is_not_a_literal_is_refused():
    with pytest.raises(RenderError, match="cannot be injected"):
        render.inject_parameters(_notebook(), {"lang": object()})


def test_without_a_parameters_cell_the_values_go_first():
    out = render.inject_parameters(_notebook("x = 1", params=None), {"lang": "fr"})
    assert "injected-parameters" in out.cells[0].metadata["tags"]


# --- plotly renderer (pure) -------------------------------------------------------------------


def test_renderer_bundle_has_plotly_json_for_lab_and_html_for_the_page():
    render.reset_state()
    renderer = render._make_renderer_class()()
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    bundle = renderer.to_mimebundle(fig.to_plotly_json())
    assert set(bundle) == {"application/vnd.plotly.v1+json", "text/html"}
    cfg = bundle["application/vnd.plotly.v1+json"]["config"]
    assert cfg["displaylogo"] is False and cfg["responsive"] is True
    assert cfg["typesetMath"] is False
    assert cfg["topojsonURL"].startswith("data:"), "maps must not fetch world_110m.json"
    page = bundle["text/html"]
    assert "Plotly.newPlot" in page and 'dir="ltr"' in page
    assert "<script src" not in page and "plotly.js v" not in page, "plotly.js not included"
    assert "uuid" not in page and "MathJax" not in page


def test_figure_ids_depend_on_the_figure_not_on_chance():
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    other = go.Figure(go.Bar(x=["a"], y=[2]))
    render.reset_state()
    first = re.findall(r'id="(awrach-fig-[\w-]+)"', render.figure_html(fig))
    twice = re.findall(r'id="(awrach-fig-[\w-]+)"', render.figure_html(fig))
    different = re.findall(r'id="(awrach-fig-[\w-]+)"', render.figure_html(other))
    render.reset_state()
    again = re.findall(r'id="(awrach-fig-[\w-]+)"', render.figure_html(fig))
    assert first == again, "same figure, same id after a reset"
    assert twice == [first[0] + "-2"], "the same figure shown twice gets a second id"
    assert different != first


def test_figure_html_cannot_be_closed_by_a_string_in_the_data():
    page = render.figure_html(go.Figure(go.Bar(x=["</script><script>alert(1)</script>"], y=[1])))
    assert page.count("</script>") == 1, "only the renderer's own script tag is closed"


def test_export_refuses_an_unknown_kind_or_language():
    nb = _notebook()
    with pytest.raises(RenderError, match="Unknown export kind"):
        render.export_html(nb, kind="pdf", title="t")
    with pytest.raises(UnsupportedLanguageError, match="Unknown language 'de'"):
        render.export_html(nb, lang="de", title="t")


def test_export_refuses_a_notebook_holding_an_error_output():
    nb = _notebook("1/0")
    nb.cells[2].outputs = [
        nbformat.v4.new_output(
            "error",
            ename="ZeroDivisionError",
            evalue="division by zero",
            traceback=["ZeroDivisionError: division by zero"],
        )
    ]
    with pytest.raises(RenderError, match="cell 3 failed with ZeroDivisionError"):
        render.export_html(nb, title="t")


def test_a_page_without_figures_does_not_carry_plotly_js():
    nb = _notebook()
    html = render.export_html(nb, title="t")
    assert PLOTLY_BANNER not in html and "<script" not in html.split("</head>")[0]


# --- execution (a real kernel) ------------------------------------------------------------------


@pytest.mark.slow
def test_parameters_reach_the_kernel(render_check):
    nb, _, _ = render_check["ar"]
    printed = "".join(
        o.get("text", "")
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("name") == "stdout"
    )
    assert "LANG=ar LABEL=Projets" in printed


@pytest.mark.slow
def test_a_failing_cell_raises_render_error_naming_the_cell(kernel_session):
    with pytest.raises(RenderError) as caught:
        render.execute(RENDER_CHECK, {"fail": True}, client=kernel_session)
    err = caught.value
    assert err.cell_number == 6  # as in the file: markdown, parameters, setup, echo, warn, *fail*
    assert 'raise ValueError("boom from the test notebook")' in err.source
    assert "ValueError" in err.traceback and "boom from the test notebook" in err.traceback
    message = str(err)
    assert "cell 6 failed with ValueError: boom from the test notebook" in message
    assert "--- cell source ---" in message and "\x1b[" not in message, "no ANSI colours"
    # The shared kernel is still usable after a failure.
    nb = render.execute(RENDER_CHECK, {"lang": "en"}, client=kernel_session)
    assert any("LANG=en" in o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


@pytest.mark.slow
def test_an_error_written_to_stderr_fails_the_build(kernel_session, tmp_path):
    nb = _notebook('import sys\nsys.stderr.write("ERROR: the province table is empty\\n")')
    with pytest.raises(RenderError, match="cell 3 wrote an error to stderr") as caught:
        render.execute(nb, {}, client=kernel_session, cwd=tmp_path)
    assert "the province table is empty" in str(caught.value)


@pytest.mark.slow
def test_cells_run_in_the_requested_folder_and_namespaces_do_not_leak(kernel_session, tmp_path):
    first = _notebook("secret = 42", "import os\nprint(os.getcwd())")
    nb = render.execute(first, {}, client=kernel_session, cwd=tmp_path)
    assert nb.cells[-1].outputs[0]["text"].strip() == str(tmp_path)
    second = _notebook("print('secret' in dir())")
    nb = render.execute(second, {}, client=kernel_session, cwd=tmp_path)
    assert nb.cells[-1].outputs[0]["text"].strip() == "False"


@pytest.mark.slow
def test_warnings_are_logged_then_dropped_from_the_page(kernel_session, caplog):
    with caplog.at_level(logging.WARNING, logger="awrach_analysis.documents.render"):
        nb = render.execute(RENDER_CHECK, {"warn": True}, client=kernel_session)
    assert any("this warning must not reach the page" in r.getMessage() for r in caplog.records)
    assert any(o.get("name") == "stderr" for c in nb.cells for o in c.get("outputs", []))
    html = render.export_html(nb, title="t")
    assert "this warning must not reach the page" not in html
    assert "UserWarning" not in html


# --- exported page --------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_page_is_offline_single_file_with_plotly_js_once(render_check, lang):
    _, html, _ = render_check[lang]
    assert html.count(PLOTLY_BANNER) == 1
    rest = _without_plotly_js(html).lower()
    assert "<script src" not in rest and re.search(r"<script[^>]+src=", rest) is None
    assert "<link" not in rest, "no stylesheet or font is linked"
    for word in (
        "require.js",
        "require.min.js",
        "requirejs",
        "mathjax",
        "mermaid",
        "@import",
        "fonts.googleapis",
        "cdn.",
        "unpkg",
        "jsdelivr",
    ):
        assert word not in rest, f"{word} found in the page"
    assert "content-security-policy" in rest and "default-src 'none'" in rest
    assert len(html.encode("utf-8")) < 6_000_000


@pytest.mark.slow
def test_code_prompts_and_parameters_are_hidden(render_check):
    _, html, _ = render_check["fr"]
    for code in (
        "setup_notebook(",
        "import plotly",
        "raise ValueError",
        "# Parameters",
        "warn = ",
        'class="jp-InputPrompt',
        "In&nbsp;[",
        "Out[",
    ):
        assert code not in html, f"{code!r} visible in the page"


@pytest.mark.slow
def test_arabic_page_is_rtl_and_plots_stay_ltr(render_check):
    _, html_ar, _ = render_check["ar"]
    _, html_fr, _ = render_check["fr"]
    head_ar = html_ar[: html_ar.index("<head>")]
    head_fr = html_fr[: html_fr.index("<head>")]
    assert 'dir="rtl"' in head_ar and 'lang="ar"' in head_ar
    assert 'dir="ltr"' in head_fr and 'lang="fr"' in head_fr
    assert html_ar.count('class="awrach-plotly" dir="ltr"') == 2
    assert "الحصيلة الشهرية" in html_ar


@pytest.mark.slow
def test_hostile_table_strings_are_escaped(render_check):
    _, html, _ = render_check["fr"]
    rest = _without_plotly_js(html)
    assert HOSTILE not in rest
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rest
    assert '<a href="https://example.org">' not in rest
    assert "<img src=x" not in rest
    assert "&lt;title" not in rest and "<title>render check &lt;fr&gt;</title>" in rest


@pytest.mark.slow
def test_same_inputs_give_the_same_page_in_a_fresh_or_a_reused_kernel(render_check, kernel_session):
    # The shared kernel has since run the Arabic page (and other tests): nothing may leak.
    _, html_first, _ = render_check["fr"]
    params = {"lang": "fr", "warn": True}
    reused = render.execute(RENDER_CHECK, params, client=kernel_session)
    fresh = render.execute(RENDER_CHECK, params)
    pages = [render.export_html(nb, lang="fr", title="render check <fr>") for nb in (reused, fresh)]
    assert pages[0] == html_first
    assert pages[1] == html_first


def test_arabic_figure_texts_are_isolated_right_to_left_line_by_line():
    # The isolate of i18n.isolate (RLI ... PDI), the one the charts use.
    rle, pdf = "\u2067", "\u2069"
    assert render.rtl_text("المناصب: 477 من 953") == f"{rle}المناصب: 477 من 953{pdf}"
    assert render.rtl_text("Khénifra<br>خنيفرة") == f"Khénifra<br>{rle}خنيفرة{pdf}"
    already = "\u2067خنيفرة\u2069"
    assert render.rtl_text(already) == already, "text the charts already isolated stays as is"
    fig = {
        "data": [{"type": "bar", "x": ["خنيفرة", "Mrirt"], "name": "مشاريع", "mode": "x"}],
        "layout": {"title": {"text": "عنوان"}, "xaxis": {"type": "category"}},
    }
    out = render.rtl_figure(fig)
    assert out["data"][0]["x"] == [f"{rle}خنيفرة{pdf}", "Mrirt"]
    assert out["data"][0]["name"] == f"{rle}مشاريع{pdf}"
    assert out["data"][0]["type"] == "bar" and out["layout"]["xaxis"]["type"] == "category"
    assert out["layout"]["title"]["text"] == f"{rle}عنوان{pdf}"
    assert fig["layout"]["title"]["text"] == "عنوان", "the input figure is not modified"


def test_only_arabic_reports_get_right_to_left_figure_texts():
    fig = go.Figure(go.Bar(x=["خنيفرة"], y=[1]))
    renderer = render._make_renderer_class()()
    previous = pio.renderers.default
    try:
        # U+2067 (right-to-left isolate), written as itself in the figure's JSON
        render.setup_notebook("ar")
        assert "\u2067" in renderer.to_mimebundle(fig.to_plotly_json())["text/html"]
        render.setup_notebook("fr")
        assert "\u2067" not in renderer.to_mimebundle(fig.to_plotly_json())["text/html"]
    finally:
        render.reset_state()
        pio.renderers.default = previous


def test_figure_html_measures_texts_left_to_right_in_any_page():
    """plotly.js measures texts in ``#js-plotly-tester``, a child of the page body: in a
    right-to-left page it would inherit right-to-left (see test_charts for the effect)."""
    html = render.figure_html(go.Figure(go.Bar(x=["a"], y=[1])))
    assert html.startswith('<div class="awrach-plotly" dir="ltr">' + render.TESTER_STYLE)
    assert render.TESTER_STYLE == "<style>#js-plotly-tester{direction:ltr}</style>"
    assert render.text_direction("ar") == "rtl" and render.text_direction("fr") == "ltr"
    assert render.map_config() == maps.MAP_CONFIG


def test_arabic_figure_text_is_written_as_itself_and_cannot_close_the_script():
    import json

    text = "مناصب الشغل </script><b>x</b> \u2028 \\u0645"
    fig = go.Figure(go.Bar(x=[1], y=[2], text=[text], name="الجماعة"))
    html = render.figure_html(fig)
    script = html.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    assert "</" not in script and "<b>" not in script  # still escaped: \u003c
    assert "مناصب الشغل" in script and "\\u0645\\u0646" not in script  # 1 char, not 6 bytes
    assert "\\u2028" in script  # a line separator stays escaped (a line end in old JS)
    data = json.loads(script.split("Plotly.newPlot(gd,", 1)[1].split(",{", 1)[0])
    assert data[0]["text"] == [text] and data[0]["name"] == "الجماعة"
