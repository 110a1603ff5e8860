"""Charts of a national or regional scope: provinces against their quota, equity, phases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..i18n import fmt_int, fmt_num, fmt_pct, key_value, t
from . import style
from .chart_base import _finish_plotly, _p, _require, _source_text

#: Colours of the roll-out phases (colour-blind-safe, from the house palette's family).
PHASE_COLORS = {1: "#1b9e77", 2: "#d95f02", 3: "#7570b3"}
#: Colour of a quota marked synthetic in the targets table (the samples' scaled quotas).
SYNTHETIC_COLOR = "#9ecae1"


def _names(df: pd.DataFrame, lang: str) -> list[str]:
    col = "name_ar" if lang == "ar" else "name_fr"
    return [str(v) for v in df[col].astype("string").fillna("")]


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
    _require(
        provinces,
        ["province_code", "name_fr", "name_ar", "pct_of_target", "jobs_to_date", "target"],
        "quota_ranking",
        "territories",
    )
    d = provinces.copy()
    d["_v"] = pd.to_numeric(d["pct_of_target"], errors="coerce").astype(float)
    d = d.sort_values(["_v", "province_code"], ascending=[True, False], na_position="first")
    names = _names(d, lang)
    synthetic = d.get("target_synthetic", pd.Series(False, index=d.index)).astype(bool)
    has = d["_v"].notna()
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
    n_missing = int((~has).sum())
    _finish_plotly(
        fig,
        "quota_ranking",
        lang,
        t("chart.quota.title", lang, n=fmt_int(int((d["_v"] >= 100).sum()), lang)),
        t("chart.quota.subtitle", lang, missing=fmt_int(n_missing, lang)),
        _source_text(source, lang, sample),
        context,
        # the bottom rows are the provinces without quota, their words by the axis
        legend_at="bottom left" if rtl else "bottom right",
    )
    # no legend over the bars (on a phone it hid them): the subtitle names the colours
    fig.update_layout(height=max(360, 30 * len(d) + 220), bargap=0.25, showlegend=False)
    return fig


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
    names = _names(d, lang)
    limit = 1.1 * float(max(d["_x"].max() if len(d) else 0, d["_y"].max() if len(d) else 0, 0.05))
    gap = (d["_y"] - d["_x"]).abs().to_numpy()
    labelled = set(np.argsort(-gap, kind="stable")[:max_labels].tolist())
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
    phases = d["phase"].astype("Int64")
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
    below = int((d["_y"] < d["_x"]).sum())
    fig.update_xaxes(
        tickformat=".0%", range=[0, limit], autorange="reversed" if lang == "ar" else None
    )
    fig.update_yaxes(tickformat=".0%", range=[0, limit])
    _finish_plotly(
        fig,
        "equity_dots",
        lang,
        t(
            "chart.equity_provinces.title",
            lang,
            n=fmt_int(below, lang),
            total=fmt_int(len(d), lang),
        ),
        t("subtitle.equity", lang),
        _source_text(source, lang, sample),
        context,
    )
    return fig


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
    _require(
        phases,
        ["phase", "jobs_to_date", "jobs_per_1000_unemployed", "provinces"],
        "phase_bars",
        "by_phase",
    )
    labels = [t("chart.phase", lang, phase=fmt_int(int(p), lang)) for p in phases["phase"]]
    fig = go.Figure(
        go.Bar(
            x=[_p(x, lang) for x in labels],
            y=pd.to_numeric(phases["jobs_per_1000_unemployed"], errors="coerce").tolist(),
            marker={"color": [PHASE_COLORS.get(int(p), "#666666") for p in phases["phase"]]},
            text=[
                _p(
                    t(
                        "chart.phase.label",
                        lang,
                        jobs=fmt_int(j, lang),
                        provinces=fmt_int(n, lang),
                    ),
                    lang,
                )
                for j, n in zip(phases["jobs_to_date"], phases["provinces"], strict=True)
            ],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="skip",
            name=_p(t("col.jobs_per_1000_unemployed", lang), lang),
        )
    )
    if lang == "ar":
        fig.update_xaxes(autorange="reversed")
    _finish_plotly(
        fig,
        "phase_bars",
        lang,
        t("chart.phase.title", lang),
        t("col.jobs_per_1000_unemployed", lang),
        _source_text(source, lang, sample),
        context,
    )
    return fig


__all__ = ["quota_ranking", "equity_dots", "phase_bars"]
