"""Every chart and map builds from the indicators of real-sized data, in fr, ar and en.

Two data sets: the bundled Khénifra sample (``awrach_analysis.load()``) and the generated
sample of another province (Azilal, 44 communes). Each figure is built from the indicator
frames as the notebooks build it, and must show those frames: the same totals, every
commune, the same map values per commune.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import awrach_analysis  # noqa: E402
from awrach_analysis.analysis import indicators
from awrach_analysis.data import sample
from awrach_analysis.figures import (
    charts,
    maps,
    style,  # noqa: E402
)

LANGS = ("fr", "ar", "en")
PROVINCES = ("khenifra", "azilal")
RLI = "\u2067"  # right-to-left isolate that opens every Arabic plotly string


@pytest.fixture(scope="session")
def programs():
    """The two data sets, loaded or generated once."""
    return {
        "khenifra": awrach_analysis.load(),
        "azilal": sample.build_program(sample.generate("Azilal")),
    }


@pytest.fixture(scope="session")
def frames(programs):
    """Indicator frames of each data set (computed once), as the notebooks compute them."""
    out = {}
    for name, p in programs.items():
        out[name] = {
            "program": p,
            "monthly": indicators.monthly_jobs(p),
            "forecast": indicators.forecast(p),
            "by_month": indicators.monthly_breakdown(p, "partner_type"),
            "context": indicators.commune_context(p),
            "attention": indicators.attention(p),
            "inclusion": indicators.inclusion(p, by="commune"),
        }
    return out


def _charts(f: dict, lang: str, mpl: bool = False) -> dict:
    """Build every chart of :mod:`.figures.charts` from the frames of one data set."""
    suffix = "_mpl" if mpl else ""
    args = {
        "burnup": (f["monthly"], f["forecast"]),
        "jobs_by_month": (f["by_month"], "partner_type"),
        "commune_ranking": (f["context"],),
        "equity_scatter": (f["context"],),
        "schedule_gantt": (f["attention"],),
        "inclusion_shares": (f["inclusion"], "commune"),
    }
    return {name: getattr(charts, name + suffix)(*a, lang=lang) for name, a in args.items()}


def _planned_ids(trace) -> list[str]:
    """Project ids of a gantt trace (each bar is two points and a gap)."""
    return [y for y in trace.y if y is not None][::2]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("province", PROVINCES)
def test_every_plotly_chart_shows_the_indicators(frames, province, lang):
    f = frames[province]
    figs = _charts(f, lang)
    for name, fig in figs.items():
        assert fig.data, name
        assert fig.layout.meta["lang"] == lang, name
        title = fig.layout.title.text
        assert title and title.startswith(RLI) == (lang == "ar"), name
    monthly, context = f["monthly"], f["context"]
    # The burn-up ends on the jobs to date of the last month.
    assert figs["burnup"].data[-1].y[-1] == monthly["jobs_to_date"].iloc[-1]
    # The stacked bars add up to the province's positions filled, month by month.
    stacked = np.sum([np.asarray(t.y, dtype=float) for t in figs["jobs_by_month"].data], axis=0)
    assert stacked.tolist() == monthly["jobs_filled"].tolist()
    # Every commune of the province is ranked and placed on the equity scatter.
    bars = figs["commune_ranking"].data[0]
    assert sorted(bars.y) == sorted(context["commune_code"])
    points = sum(len(t.x) for t in figs["equity_scatter"].data[1:])
    assert points == len(context)
    # The schedule draws every project needing attention; inclusion one row per group.
    assert sorted(_planned_ids(figs["schedule_gantt"].data[0])) == sorted(
        f["attention"]["project_id"]
    )
    assert len(figs["inclusion_shares"].layout.yaxis.ticktext) == len(f["inclusion"])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("province", PROVINCES)
def test_every_print_chart_builds(frames, province, lang):
    axes = _charts(frames[province], lang, mpl=True)
    try:
        for name, ax in axes.items():
            assert isinstance(ax, matplotlib.axes.Axes), name
            assert {"awrach-title", "awrach-subtitle"} <= {a.get_gid() for a in ax.texts}, name
            assert ax.figure._supxlabel.get_text() == style.source_line(lang), name
        # Print ranking: one bar per commune.
        assert len(axes["commune_ranking"].patches) >= len(frames[province]["context"])
    finally:
        for ax in axes.values():
            plt.close(ax.figure)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("province", PROVINCES)
def test_both_maps_draw_every_commune_with_its_indicator_value(frames, province, lang):
    f = frames[province]
    program, context = f["program"], f["context"]
    fig = maps.commune_map(context, program.communes, lang=lang)
    trace = fig.data[0]
    assert trace.type == "choropleth"
    drawn = int(program.communes["has_boundary"].sum())
    assert len(trace.geojson["features"]) == drawn
    expected = dict(zip(context["commune_code"], context["jobs_per_1000_unemployed"], strict=True))
    got = dict(zip(trace.locations, trace.z, strict=True))
    assert got == pytest.approx({code: expected[code] for code in got})
    if province == "khenifra":
        # The acceptance figure: all 22 communes of Khénifra, each with its table value.
        assert len(trace.geojson["features"]) == 22
        assert {feat["properties"]["commune_code"] for feat in trace.geojson["features"]} == set(
            context["commune_code"]
        )
        assert got == pytest.approx(expected)
    ax = maps.commune_map_mpl(context, program.communes, lang=lang)
    try:
        (polys,) = [a for a in ax.findobj() if a.get_gid() == "communes"]
        assert len(polys.get_paths()) == drawn
    finally:
        plt.close(ax.figure)
