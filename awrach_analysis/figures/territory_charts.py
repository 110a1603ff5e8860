"""Charts of a national or regional scope: provinces against their quota, equity, phases."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.axes import Axes

from ..i18n import fmt_int, fmt_num, fmt_pct, key_value, t
from . import style
from .chart_base import (
    _finish_mpl,
    _finish_plotly,
    _legend,
    _new_axes,
    _num_formatter,
    _p,
    _pct_formatter,
    _require,
    _rows_mpl,
    _source_text,
)

#: Colours of the roll-out phases (colour-blind-safe, from the house palette's family).
PHASE_COLORS = {1: "#1b9e77", 2: "#d95f02", 3: "#7570b3"}
#: Colour of a quota marked synthetic in the targets table (the samples' scaled quotas).
SYNTHETIC_COLOR = "#9ecae1"


def _names(df: pd.DataFrame, lang: str) -> list[str]:
    col = "name_ar" if lang == "ar" else "name_fr"
    return [str(v) for v in df[col].astype("string").fillna("")]


@dataclass
class _Quota:
    """What the quota ranking shows, for both drawings (lowest share first)."""

    frame: pd.DataFrame  # ``_v``: % of quota (NaN: no quota); places without quota first
    names: list[str]
    synthetic: pd.Series
    has: pd.Series
    title: str
    subtitle: str


def _quota_data(provinces: pd.DataFrame, lang: str) -> _Quota:
    _require(
        provinces,
        ["province_code", "name_fr", "name_ar", "pct_of_target", "jobs_to_date", "target"],
        "quota_ranking",
        "territories",
    )
    d = provinces.copy()
    d["_v"] = pd.to_numeric(d["pct_of_target"], errors="coerce").astype(float)
    d = d.sort_values(["_v", "province_code"], ascending=[True, False], na_position="first")
    synthetic = d.get("target_synthetic", pd.Series(False, index=d.index)).astype(bool)
    has = d["_v"].notna()
    return _Quota(
        d,
        _names(d, lang),
        synthetic,
        has,
        t("chart.quota.title", lang, n=fmt_int(int((d["_v"] >= 100).sum()), lang)),
        t("chart.quota.subtitle", lang, missing=fmt_int(int((~has).sum()), lang)),
    )


def quota_ranking(
    provinces: pd.DataFrame,
    lang: str = "fr",
    *,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> go.Figure:
    """Return the provinces ranked by their share of quota (horizontal bars).

    Parameters
    ----------
    provinces : pandas.DataFrame
        ``territories(program, "province")``.
    lang : {"fr", "ar", "en"}
        Language (Arabic: names on the right, bars growing leftwards).
    context, source, sample
        As every chart of :mod:`awrach_analysis.figures.charts`.

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 0: provinces with a published quota; trace 1: provinces whose quota the
        targets table marks synthetic (another colour, named so in the legend); trace 2:
        the provinces without quota, at 0 with the words "no quota" (never a made-up
        one); a vertical line at 100 %. Highest share first.
    """
    qd = _quota_data(provinces, lang)
    d, names, synthetic, has = qd.frame, qd.names, qd.synthetic, qd.has
    rtl = lang == "ar"
    fig = go.Figure()
    for label, mask, color in (
        (t("chart.quota.published", lang), has & ~synthetic, style.COLORS["achieved"]),
        (t("chart.quota.synthetic", lang), has & synthetic, SYNTHETIC_COLOR),
    ):
        rows = d[mask.to_numpy()]
        fig.add_trace(
            go.Bar(
                x=(rows["_v"] / 100).tolist(),
                y=[n for n, m in zip(names, mask, strict=True) if m],
                orientation="h",
                marker={"color": color},
                name=_p(label, lang),
                text=[_p(fmt_pct(v / 100, lang), lang) for v in rows["_v"]],
                textposition="outside",
                cliponaxis=False,
                hovertext=[
                    _p(
                        key_value(
                            n,
                            t(
                                "chart.quota.hover",
                                lang,
                                jobs=fmt_int(j, lang),
                                target=fmt_int(q, lang),
                            ),
                            lang,
                        ),
                        lang,
                    )
                    for n, j, q in zip(
                        [n for n, m in zip(names, mask, strict=True) if m],
                        rows["jobs_to_date"],
                        rows["target"],
                        strict=True,
                    )
                ],
                hoverinfo="text",
            )
        )
    missing = d[~has.to_numpy()]
    fig.add_trace(
        go.Scatter(
            x=[0.0] * len(missing),
            y=[n for n, h in zip(names, has, strict=True) if not h],
            mode="text",
            text=[
                _p(t("chart.quota.none", lang, jobs=fmt_int(j, lang)), lang)
                for j in missing["jobs_to_date"]
            ],
            textposition="middle left" if rtl else "middle right",
            name=_p(t("chart.quota.no_quota", lang), lang),
            hoverinfo="skip",
        )
    )
    fig.add_vline(x=1.0, line={"color": style.COLORS["parity"], "dash": "dash", "width": 1.2})
    fig.update_xaxes(tickformat=".0%", autorange="reversed" if rtl else True, rangemode="tozero")
    # highest share at the top, the provinces without quota at the bottom
    fig.update_yaxes(
        side="right" if rtl else "left",
        automargin=True,
        categoryorder="array",
        categoryarray=names,
    )
    _finish_plotly(
        fig,
        "quota_ranking",
        lang,
        qd.title,
        qd.subtitle,
        _source_text(source, lang, sample),
        context,
        # the bottom rows are the provinces without quota, their words by the axis
        legend_at="bottom left" if rtl else "bottom right",
    )
    # no legend over the bars (on a phone it hid them): the subtitle names the colours
    fig.update_layout(height=max(360, 30 * len(d) + 220), bargap=0.25, showlegend=False)
    return fig


@dataclass
class _EquityDots:
    """What the equity chart of places shows, for both drawings."""

    frame: pd.DataFrame  # ``_x`` share of the unemployed, ``_y`` share of the jobs
    names: list[str]
    limit: float
    labelled: set[int]  # positions of the places named on the chart
    phases: pd.Series
    title: str
    subtitle: str


def _equity_dots_data(provinces: pd.DataFrame, lang: str, max_labels: int) -> _EquityDots:
    _require(
        provinces,
        ["name_fr", "name_ar", "share_of_unemployed", "share_of_jobs", "phase"],
        "equity_dots",
        "territories",
    )
    d = provinces.copy()
    d["_x"] = pd.to_numeric(d["share_of_unemployed"], errors="coerce").astype(float)
    d["_y"] = pd.to_numeric(d["share_of_jobs"], errors="coerce").astype(float).fillna(0.0)
    d = d[d["_x"].notna() & (d["_x"] > 0)]
    limit = 1.1 * float(max(d["_x"].max() if len(d) else 0, d["_y"].max() if len(d) else 0, 0.05))
    gap = (d["_y"] - d["_x"]).abs().to_numpy()
    below = int((d["_y"] < d["_x"]).sum())
    return _EquityDots(
        d,
        _names(d, lang),
        limit,
        set(np.argsort(-gap, kind="stable")[:max_labels].tolist()),
        d["phase"].astype("Int64"),
        t(
            "chart.equity_provinces.title",
            lang,
            n=fmt_int(below, lang),
            total=fmt_int(len(d), lang),
        ),
        t("subtitle.equity", lang),
    )


def equity_dots(
    provinces: pd.DataFrame,
    lang: str = "fr",
    *,
    max_labels: int = 12,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> go.Figure:
    """Return each province's share of the unemployed against its share of the jobs.

    Parameters
    ----------
    provinces : pandas.DataFrame
        ``territories(program, "province")`` (or ``"region"``: any frame with
        ``share_of_unemployed``, ``share_of_jobs``, names and ``phase``).
    lang : {"fr", "ar", "en"}
        Language.
    max_labels : int, default 12
        Places named on the chart: the furthest from the diagonal.
    context, source, sample
        As every chart of :mod:`awrach_analysis.figures.charts`.

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 0: the parity diagonal (jobs in proportion to the unemployed); then one
        marker trace per roll-out phase. Places below the diagonal get fewer jobs than
        their share of the unemployed; the title counts them.
    """
    e = _equity_dots_data(provinces, lang, max_labels)
    d, names, limit, labelled = e.frame, e.names, e.limit, e.labelled
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, limit],
            y=[0, limit],
            mode="lines",
            line={"color": style.COLORS["parity"], "dash": "dash", "width": 1.2},
            name=_p(t("legend.parity", lang), lang),
            hoverinfo="skip",
        )
    )
    phases = e.phases
    positions = np.arange(len(d))
    for phase in sorted(int(p) for p in phases.dropna().unique()):
        idx = positions[(phases == phase).fillna(False).to_numpy(dtype=bool)]
        fig.add_trace(
            go.Scatter(
                x=d["_x"].iloc[idx].tolist(),
                y=d["_y"].iloc[idx].tolist(),
                mode="markers+text",
                marker={"size": 10, "color": PHASE_COLORS.get(phase, "#666666")},
                text=[_p(names[i], lang) if i in labelled else "" for i in idx],
                textposition="top center",
                name=_p(t("chart.phase", lang, phase=fmt_int(phase, lang)), lang),
                hovertext=[
                    _p(
                        key_value(
                            names[i],
                            t(
                                "chart.equity.hover",
                                lang,
                                jobs=fmt_pct(d["_y"].iloc[i], lang),
                                unemployed=fmt_pct(d["_x"].iloc[i], lang),
                                per1000=fmt_num(
                                    d["jobs_per_1000_unemployed"].iloc[i]
                                    if "jobs_per_1000_unemployed" in d
                                    else math.nan,
                                    lang,
                                    1,
                                ),
                            ),
                            lang,
                        ),
                        lang,
                    )
                    for i in idx
                ],
                hoverinfo="text",
            )
        )
    fig.update_xaxes(
        tickformat=".0%", range=[0, limit], autorange="reversed" if lang == "ar" else None
    )
    fig.update_yaxes(tickformat=".0%", range=[0, limit])
    _finish_plotly(
        fig,
        "equity_dots",
        lang,
        e.title,
        e.subtitle,
        _source_text(source, lang, sample),
        context,
    )
    return fig


@dataclass
class _Phases:
    """What the phase chart shows, for both drawings (one item per phase, in order)."""

    labels: list[str]
    values: list[float]  # jobs per 1,000 unemployed (NaN: no census figure)
    colors: list[str]
    texts: list[str]  # jobs and provinces of the phase
    title: str
    subtitle: str


def _phase_data(phases: pd.DataFrame, lang: str) -> _Phases:
    _require(
        phases,
        ["phase", "jobs_to_date", "jobs_per_1000_unemployed", "provinces"],
        "phase_bars",
        "by_phase",
    )
    return _Phases(
        [t("chart.phase", lang, phase=fmt_int(int(p), lang)) for p in phases["phase"]],
        pd.to_numeric(phases["jobs_per_1000_unemployed"], errors="coerce").astype(float).tolist(),
        [PHASE_COLORS.get(int(p), "#666666") for p in phases["phase"]],
        [
            t("chart.phase.label", lang, jobs=fmt_int(j, lang), provinces=fmt_int(n, lang))
            for j, n in zip(phases["jobs_to_date"], phases["provinces"], strict=True)
        ],
        t("chart.phase.title", lang),
        t("col.jobs_per_1000_unemployed", lang),
    )


def phase_bars(
    phases: pd.DataFrame,
    lang: str = "fr",
    *,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> go.Figure:
    """Return jobs per 1,000 unemployed by roll-out phase (bars; jobs in the labels).

    Parameters
    ----------
    phases : pandas.DataFrame
        ``territories.by_phase(program)``.
    lang : {"fr", "ar", "en"}
        Language.
    context, source, sample
        As every chart of :mod:`awrach_analysis.figures.charts`.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar per phase (1–3), coloured as in :func:`equity_dots`, labelled with the
        jobs to date and the number of provinces.
    """
    b = _phase_data(phases, lang)
    fig = go.Figure(
        go.Bar(
            x=[_p(x, lang) for x in b.labels],
            y=b.values,
            marker={"color": b.colors},
            text=[_p(x, lang) for x in b.texts],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="skip",
            name=_p(b.subtitle, lang),
        )
    )
    if lang == "ar":
        fig.update_xaxes(autorange="reversed")
    _finish_plotly(
        fig,
        "phase_bars",
        lang,
        b.title,
        b.subtitle,
        _source_text(source, lang, sample),
        context,
    )
    return fig


# ---------------------------------------------------------------------------------------
# Print twins (matplotlib): the same data and messages, for the council's documents
# ---------------------------------------------------------------------------------------


def quota_ranking_mpl(
    provinces: pd.DataFrame,
    lang: str = "fr",
    ax: Axes | None = None,
    *,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> Axes:
    """Draw the provinces against their quota with matplotlib (see :func:`quota_ranking`).

    Highest share first; a synthetic quota in the light colour; a province without quota
    at 0 with the words "no quota (N jobs)"; a dashed line at 100 %.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    qd = _quota_data(provinces, lang)
    d = qd.frame.iloc[::-1]
    names = qd.names[::-1]
    synthetic = qd.synthetic.iloc[::-1].to_numpy()
    has = qd.has.iloc[::-1].to_numpy()
    rtl = lang == "ar"
    with style.mpl_style(lang, context):
        s = style.sizes(context)
        height = max(s["figsize"][1], 0.3 * len(d) * s["base"] / 10 + 1.8)
        ax = _new_axes(ax, context, height=height)
        values = (d["_v"].fillna(0.0) / 100).to_numpy(dtype=float)
        colors = [SYNTHETIC_COLOR if syn else style.COLORS["achieved"] for syn in synthetic]
        y = np.arange(len(d))
        ax.barh(y, values, color=colors, height=0.7)
        for yi, v, ok, jobs in zip(y, values, has, d["jobs_to_date"], strict=True):
            text = fmt_pct(v, lang) if ok else t("chart.quota.none", lang, jobs=fmt_int(jobs, lang))
            ax.annotate(
                text,
                xy=(v, yi),
                xytext=(-3 if rtl else 3, 0),
                textcoords="offset points",
                va="center",
                ha="right" if rtl else "left",
                fontsize=s["small"],
                color=style.COLORS["text"] if ok else style.COLORS["muted"],
            )
        ax.axvline(1.0, color=style.COLORS["parity"], linestyle="--", linewidth=1.2)
        ax.set_xlim(0, max([*values, 1.0]) * 1.25)
        ax.xaxis.set_major_formatter(_pct_formatter(lang))
        _rows_mpl(ax, names, lang, mirror_x=True)
        handles = [
            Patch(color=color, label=t(key, lang))
            for key, color, shown in (
                ("chart.quota.published", style.COLORS["achieved"], (has & ~synthetic).any()),
                ("chart.quota.synthetic", SYNTHETIC_COLOR, (has & synthetic).any()),
            )
            if shown
        ]
        handles.append(
            Line2D([], [], color=style.COLORS["parity"], linestyle="--", label=fmt_pct(1.0, lang))
        )
        # under the axis, not over the bars
        ax.legend(
            handles=handles,
            loc="upper right" if rtl else "upper left",
            bbox_to_anchor=(1.0 if rtl else 0.0, -0.12),
            ncol=len(handles),
            frameon=False,
            markerfirst=not rtl,
            fontsize=s["small"],
        )
        _finish_mpl(ax, lang, qd.title, qd.subtitle, _source_text(source, lang, sample), context)
    return ax


def equity_dots_mpl(
    provinces: pd.DataFrame,
    lang: str = "fr",
    ax: Axes | None = None,
    *,
    max_labels: int = 12,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> Axes:
    """Draw each place's share of the jobs against its share of the unemployed (matplotlib).

    See :func:`equity_dots`: the parity diagonal, one colour per roll-out phase, the
    places furthest from parity named where their label finds room.
    """
    from .commune_charts import _label_plan

    e = _equity_dots_data(provinces, lang, max_labels)
    d = e.frame
    x, y = d["_x"].tolist(), d["_y"].tolist()
    with style.mpl_style(lang, context):
        s = style.sizes(context)
        ax = _new_axes(ax, context, height=s["figsize"][0] * 0.8)
        ax.plot(
            [0, e.limit],
            [0, e.limit],
            linestyle="--",
            linewidth=1.2,
            color=style.COLORS["parity"],
            label=t("legend.parity", lang),
        )
        positions = np.arange(len(d))
        for phase in sorted(int(p) for p in e.phases.dropna().unique()):
            idx = positions[(e.phases == phase).fillna(False).to_numpy(dtype=bool)]
            ax.scatter(
                [x[i] for i in idx],
                [y[i] for i in idx],
                s=s["base"] * 5,
                color=PHASE_COLORS.get(phase, "#666666"),
                label=t("chart.phase", lang, phase=fmt_int(phase, lang)),
                zorder=3,
                edgecolor="white",
                linewidth=0.5,
            )
        plan = _label_plan(x, y, e.names, e.limit, max_labels)
        for i, pos in plan.items():
            if i not in e.labelled:
                continue
            vert, horiz = pos.split()
            ax.annotate(
                e.names[i],
                (x[i], y[i]),
                xytext=({"right": 4, "left": -4, "center": 0}[horiz], 3 if vert == "top" else -3),
                textcoords="offset points",
                fontsize=s["small"],
                ha={"right": "left", "left": "right", "center": "center"}[horiz],
                va="bottom" if vert == "top" else "top",
            )
        ax.set_xlim(0, e.limit)
        ax.set_ylim(0, e.limit)
        ax.set_aspect("equal", adjustable="box")
        ax.xaxis.set_major_formatter(_pct_formatter(lang))
        ax.yaxis.set_major_formatter(_pct_formatter(lang))
        ax.set_xlabel(t("axis.share_of_unemployed", lang))
        ax.set_ylabel(t("axis.share_of_jobs", lang))
        _legend(ax, lang, loc="upper left" if lang != "ar" else "upper right")
        _finish_mpl(ax, lang, e.title, e.subtitle, _source_text(source, lang, sample), context)
    return ax


def phase_bars_mpl(
    phases: pd.DataFrame,
    lang: str = "fr",
    ax: Axes | None = None,
    *,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> Axes:
    """Draw jobs per 1,000 unemployed by roll-out phase with matplotlib (:func:`phase_bars`).

    Phase 1 on the reading start (left; right in Arabic), each bar labelled with its
    jobs and provinces.
    """
    b = _phase_data(phases, lang)
    with style.mpl_style(lang, context):
        s = style.sizes(context)
        ax = _new_axes(ax, context)
        x = np.arange(len(b.labels))
        values = [0.0 if math.isnan(v) else v for v in b.values]
        ax.bar(x, values, color=b.colors, width=0.6)
        for xi, v, text in zip(x, b.values, b.texts, strict=True):
            ax.annotate(
                f"{fmt_num(v, lang, 1)}\n{text}",
                xy=(xi, 0.0 if math.isnan(v) else v),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=s["small"],
            )
        ax.set_xticks(x, b.labels)
        ax.set_ylim(0, max([*values, 1.0]) * 1.3)
        ax.yaxis.set_major_formatter(_num_formatter(lang))
        ax.set_ylabel(b.subtitle)
        ax.grid(axis="x", visible=False)
        if lang == "ar":
            ax.invert_xaxis()
            ax.yaxis.tick_right()
            ax.yaxis.set_label_position("right")
        _finish_mpl(ax, lang, b.title, b.subtitle, _source_text(source, lang, sample), context)
    return ax


__all__ = [
    "quota_ranking",
    "equity_dots",
    "phase_bars",
    "quota_ranking_mpl",
    "equity_dots_mpl",
    "phase_bars_mpl",
]
