"""Chart text is readable: WCAG 2.1 contrast >= 4.5:1 against what it is drawn on."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from awrach_analysis.analysis import indicators  # noqa: E402
from awrach_analysis.figures import charts, style  # noqa: E402
from awrach_analysis.testing import tiny_program  # noqa: E402

#: WCAG 2.1 AA for normal-size text.
MIN_CONTRAST = 4.5
CHARTS = (
    "burnup",
    "jobs_by_month",
    "commune_ranking",
    "equity_scatter",
    "schedule_gantt",
    "inclusion_shares",
)
_RGB = re.compile(r"rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)")
#: Keys of a plotly figure whose ``color`` is the colour of text.
_FONT_KEYS = ("font", "textfont", "tickfont", "insidetextfont", "outsidetextfont")


def rgba(color) -> tuple[float, float, float, float]:
    """Parse a CSS/plotly or matplotlib colour into RGBA floats in 0..1."""
    if isinstance(color, str):
        match = _RGB.fullmatch(color.strip())
        if match:
            r, g, b, a = match.groups()
            return (float(r) / 255, float(g) / 255, float(b) / 255, float(a or 1))
    return mcolors.to_rgba(color)


def over(fg, bg) -> tuple[float, float, float]:
    """Composite ``fg`` (possibly translucent) over the opaque ``bg``."""
    r, g, b, a = rgba(fg)
    br, bgg, bb, _ = rgba(bg)
    return (r * a + br * (1 - a), g * a + bgg * (1 - a), b * a + bb * (1 - a))


def luminance(rgb) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg, bg="#FFFFFF") -> float:
    """WCAG contrast ratio of text colour ``fg`` drawn over background ``bg``."""
    bg_rgb = rgba(bg)[:3]
    lums = sorted((luminance(over(fg, bg)), luminance(bg_rgb)), reverse=True)
    return (lums[0] + 0.05) / (lums[1] + 0.05)


def test_contrast_formula_matches_wcag_reference_values():
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#FFFFFF") == pytest.approx(1.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)  # the classic AA grey
    assert contrast("#D55E00") == pytest.approx(3.87, abs=0.01)  # Okabe–Ito vermillion


@pytest.fixture(scope="module")
def frames():
    p = tiny_program()
    return {
        "burnup": (indicators.monthly_jobs(p), indicators.forecast(p, method="linear")),
        "jobs_by_month": (indicators.monthly_breakdown(p, "partner_type"), "partner_type"),
        "commune_ranking": (indicators.commune_context(p),),
        "equity_scatter": (indicators.commune_context(p),),
        "schedule_gantt": (indicators.schedule(p),),
        "inclusion_shares": (indicators.inclusion(p, by="commune"), "commune"),
    }


def _plotly_text_colours(obj, key: str = "", found: list | None = None) -> list[str]:
    """Every ``color`` under a font-like key of a plotly figure dict (template included)."""
    found = [] if found is None else found
    if isinstance(obj, dict):
        if key in _FONT_KEYS and isinstance(obj.get("color"), str):
            found.append(obj["color"])
        for k, v in obj.items():
            _plotly_text_colours(v, k, found)
    elif isinstance(obj, list | tuple):
        for v in obj:
            _plotly_text_colours(v, key, found)
    return found


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("name", CHARTS)
def test_plotly_chart_text_contrast(frames, name, lang):
    fig = getattr(charts, name)(*frames[name], lang=lang)
    full = fig.to_plotly_json()
    background = full["layout"].get("paper_bgcolor") or style.COLORS["background"]
    plot_bg = full["layout"].get("plot_bgcolor") or background
    colours = set(_plotly_text_colours(full))
    assert colours, "the figure sets its text colours"
    for colour in colours:
        for bg in {background, plot_bg}:
            assert contrast(colour, bg) >= MIN_CONTRAST, (name, colour, bg, contrast(colour, bg))


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("name", CHARTS)
def test_matplotlib_chart_text_contrast(frames, name, lang):
    ax = getattr(charts, name + "_mpl")(*frames[name], lang=lang)
    fig = ax.figure
    try:
        fig.canvas.draw()
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        assert len(texts) > 3
        for text in texts:
            patch = text.get_bbox_patch()
            bg = patch.get_facecolor() if patch is not None else fig.get_facecolor()
            bg = over(bg, fig.get_facecolor())
            ratio = contrast(text.get_color(), bg)
            assert ratio >= MIN_CONTRAST, (name, text.get_text()[:40], text.get_color(), ratio)
    finally:
        plt.close(fig)


def test_text_colours_of_the_house_style():
    """Every colour the house style gives to text, on the white background."""
    for key in ("text", "muted", "flagged_text"):
        assert contrast(style.COLORS[key]) >= MIN_CONTRAST, key


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_map_text_contrast(lang):
    from awrach_analysis.figures import maps

    p = tiny_program()
    context = indicators.commune_context(p)
    fig = maps.commune_map(context, p.communes, lang=lang)
    for colour in set(_plotly_text_colours(fig.to_plotly_json())):
        assert contrast(colour) >= MIN_CONTRAST, colour
    ax = maps.commune_map_mpl(context, p.communes, lang=lang)
    try:
        ax.figure.canvas.draw()
        for text in ax.figure.findobj(Text):
            if text.get_visible() and text.get_text().strip():
                patch = text.get_bbox_patch()
                bg = over(patch.get_facecolor(), "#FFFFFF") if patch is not None else "#FFFFFF"
                assert contrast(text.get_color(), bg) >= MIN_CONTRAST, text.get_text()[:40]
    finally:
        plt.close(ax.figure)
