"""Data-derived text reaches figures as text: never parsed as markup, maths or links."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from awrach_analysis.analysis import indicators  # noqa: E402
from awrach_analysis.figures import charts, style  # noqa: E402
from awrach_analysis.testing import tiny_program  # noqa: E402

DOLLARS = r"Budget $x^^2$ \frac{1}{ et 100$"  # mathtext would fail to parse it


def _texts(ax):
    """Draw the figure (mathtext would raise) and return the texts that hold a dollar."""
    fig = ax.get_figure(root=True)
    fig.canvas.draw()
    found = [t for t in fig.findobj(matplotlib.text.Text) if "$" in t.get_text()]
    assert found, "the data-derived text is not in the figure"
    assert all(t.get_parse_math() is False for t in found)
    return [t.get_text() for t in found]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_dollar_signs_in_project_titles_are_drawn_literally_by_matplotlib(lang):
    sched = indicators.schedule(tiny_program())
    sched["title_fr"] = DOLLARS
    sched["title_ar"] = DOLLARS
    sched["project_id"] = sched["project_id"] + "$"
    ax = charts.schedule_gantt_mpl(sched, lang, only_flagged=False)
    try:
        texts = _texts(ax)
        assert any("$x^^2$" in t for t in texts), texts
    finally:
        plt.close(ax.get_figure(root=True))


def test_dollar_signs_in_commune_names_are_drawn_literally_by_matplotlib():
    ctx = indicators.commune_context(tiny_program())
    ctx["name_fr"] = [f"{DOLLARS} {i}" for i in range(len(ctx))]
    ax = charts.commune_ranking_mpl(ctx, "fr")
    try:
        assert any("$x^^2$" in t for t in _texts(ax))
    finally:
        plt.close(ax.get_figure(root=True))


def test_house_style_turns_mathtext_off():
    assert style.rc("fr")["text.parse_math"] is False
