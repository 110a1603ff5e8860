"""Commune charts: the ranking by jobs per 1,000 unemployed and the equity scatter."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.axes import Axes

from .. import i18n
from ..i18n import fmt_int, fmt_num, fmt_pct, key_value, t
from . import style
from .chart_base import (
    _SEP,
    _finish_mpl,
    _finish_plotly,
    _legend,
    _new_axes,
    _num_formatter,
    _p,
    _pct_formatter,
    _require,
    _rows_mpl,
    _share_ticks,
    _source_text,
)

# ---------------------------------------------------------------------------------------
# Commune ranking: jobs per 1,000 unemployed
# ---------------------------------------------------------------------------------------


@dataclass
class _Ranking:
    codes: list[str]
    names: list[str]
    values: list[float]  # NaN where the commune has no census figure
    jobs: list[int]
    average: float | None
    title: str
    subtitle: str


def _ranking_data(ctx: pd.DataFrame, lang: str, metric: str) -> _Ranking:
    _require(
        ctx,
        ["commune_code", "name_fr", "name_ar", metric, "jobs_to_date", "unemployed_2024"],
        "commune_ranking",
        "commune_context",
    )
    d = ctx.copy()
    d["_v"] = pd.to_numeric(d[metric], errors="coerce").astype(float)
    d = d.sort_values(
        ["_v", "commune_code"], ascending=[False, True], na_position="last", kind="stable"
    )
    names = [i18n.commune_name(row, lang) for _, row in d.iterrows()]
    values = [float(v) for v in d["_v"]]
    jobs = pd.to_numeric(d["jobs_to_date"], errors="coerce").fillna(0)
    unemployed = pd.to_numeric(d["unemployed_2024"], errors="coerce")
    known = unemployed.notna() & (unemployed > 0)
    average = (
        1000 * float(jobs[known].sum()) / float(unemployed[known].sum()) if known.any() else None
    )
    if metric == "jobs_per_1000_inhabitants":
        population = pd.to_numeric(d.get("population_2024"), errors="coerce")
        ok = population.notna() & (population > 0)
        average = 1000 * float(jobs[ok].sum()) / float(population[ok].sum()) if ok.any() else None
    if values and not math.isnan(values[0]) and values[0] > 0:
        title = t(
            "title.ranking",
            lang,
            top=names[0],
            value=fmt_num(values[0], lang, 1),
            average=fmt_num(average, lang, 1),
        )
    else:
        title = t("title.ranking_empty", lang)
    subtitle = t("subtitle.ranking", lang)
    if metric != "jobs_per_1000_unemployed":
        subtitle = t(f"col.{metric}", lang)
    return _Ranking(
        [str(c) for c in d["commune_code"]],
        names,
        values,
        [int(v) for v in jobs],
        average,
        title,
        subtitle,
    )


def commune_ranking(
    ctx: pd.DataFrame,
    lang: str = "fr",
    *,
    metric: str = "jobs_per_1000_unemployed",
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> go.Figure:
    """Return the ranking of communes by jobs per 1,000 unemployed (horizontal bars).

    Parameters
    ----------
    ctx : pandas.DataFrame
        ``indicators.commune_context(...)``.
    lang : {"fr", "ar", "en"}
        Language. In Arabic the names sit on the right and the bars grow leftwards.
    metric : str, default "jobs_per_1000_unemployed"
        Column ranked (``jobs_per_1000_inhabitants`` also works).
    context, source, sample
        See the module docstring.

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 0: one bar per commune (every commune of the province, highest first,
        communes without jobs at 0, communes without census figure last and empty);
        trace 1: the province average (vertical line).
    """
    r = _ranking_data(ctx, lang, metric)
    rtl = lang == "ar"
    texts = [fmt_num(v, lang, 1) for v in r.values]  # "n.d." without census figure
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[None if math.isnan(v) else v for v in r.values],
            y=r.codes,
            orientation="h",
            marker={"color": style.COLORS["achieved"]},
            name=_p(t(f"col.{metric}", lang), lang),
            text=[_p(x, lang) for x in texts],
            textposition="outside",
            cliponaxis=False,
            hovertext=[
                _p(key_value(n, f"{x} ({fmt_int(j, lang)} {t('unit.jobs', lang)})", lang), lang)
                for n, x, j in zip(r.names, texts, r.jobs, strict=True)
            ],
            hoverinfo="text",
            showlegend=False,
        )
    )
    if r.average is not None:
        fig.add_trace(
            go.Scatter(
                x=[r.average, r.average],
                y=[r.codes[0], r.codes[-1]],
                mode="lines",
                line={"color": style.COLORS["average"], "dash": "dash", "width": 1.5},
                name=_p(
                    f"{t('legend.province_average', lang)} ({fmt_num(r.average, lang, 1)})", lang
                ),
                hoverinfo="name",
            )
        )
    fig.update_yaxes(
        tickvals=r.codes,
        ticktext=[_p(n, lang) for n in r.names],
        autorange="reversed",
        side="right" if rtl else "left",
        showgrid=False,
        type="category",
    )
    fig.update_xaxes(
        title={
            "text": _p(
                t(f"axis.{metric}", lang)
                if f"axis.{metric}" in i18n.CATALOGUE
                else t(f"col.{metric}", lang),
                lang,
            )
        },
        autorange="reversed" if rtl else True,
        rangemode="tozero",
    )
    fig.update_layout(height=max(style.sizes(context)["plotly_height"], 26 * len(r.codes) + 220))
    return _finish_plotly(
        fig,
        "commune_ranking",
        lang,
        r.title,
        r.subtitle,
        _source_text(source, lang, sample),
        context,
        legend_at="bottom left" if rtl else "bottom right",
    )


def commune_ranking_mpl(
    ctx: pd.DataFrame,
    lang: str = "fr",
    ax: Axes | None = None,
    *,
    metric: str = "jobs_per_1000_unemployed",
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> Axes:
    """Draw the commune ranking with matplotlib (see :func:`commune_ranking`)."""
    r = _ranking_data(ctx, lang, metric)
    rtl = lang == "ar"
    with style.mpl_style(lang, context):
        s = style.sizes(context)
        height = max(s["figsize"][1], 0.28 * len(r.codes) * s["base"] / 10 + 1.8)
        ax = _new_axes(ax, context, height=height)
        y = np.arange(len(r.codes))
        vals = np.array([0.0 if math.isnan(v) else v for v in r.values])
        ax.barh(y, vals, color=style.COLORS["achieved"], height=0.7)
        for yi, v in zip(y, r.values, strict=True):
            ax.annotate(
                fmt_num(v, lang, 1),
                xy=(0 if math.isnan(v) else v, yi),
                xytext=(-3 if rtl else 3, 0),
                textcoords="offset points",
                va="center",
                ha="right" if rtl else "left",
                fontsize=s["small"],
            )
        if r.average is not None:
            ax.axvline(
                r.average,
                color=style.COLORS["average"],
                linestyle="--",
                linewidth=1.2,
                label=f"{t('legend.province_average', lang)} ({fmt_num(r.average, lang, 1)})",
            )
        ax.xaxis.set_major_formatter(_num_formatter(lang))
        ax.set_xlim(0, max([*vals, r.average or 0, 1]) * 1.18)
        ax.set_xlabel(
            t("axis.jobs_per_1000_unemployed", lang)
            if metric == "jobs_per_1000_unemployed"
            else t(f"col.{metric}", lang)
        )
        _rows_mpl(ax, r.names, lang, mirror_x=True)
        _legend(ax, lang, loc="lower right" if not rtl else "lower left")
        _finish_mpl(ax, lang, r.title, r.subtitle, _source_text(source, lang, sample), context)
    return ax


# ---------------------------------------------------------------------------------------
# Equity scatter: share of unemployed vs share of jobs
# ---------------------------------------------------------------------------------------


@dataclass
class _Equity:
    x: list[float]
    y: list[float]
    names: list[str]
    types: list[str]
    jobs: list[int]
    limit: float
    title: str
    subtitle: str
    labelled: dict[int, str] = field(default_factory=dict)  # index -> label position


#: Label positions tried around a point, in order (plotly ``textposition`` names).
_LABEL_POSITIONS = (
    "top right",
    "bottom right",
    "top left",
    "bottom left",
    "top center",
    "bottom center",
)


def _label_plan(
    x: Sequence[float],
    y: Sequence[float],
    names: Sequence[str],
    limit: float,
    max_labels: int,
    char: float = 0.018,
    line: float = 0.045,
) -> dict[int, str]:
    """Place point labels without overlaps; return ``{index: position}``.

    Points furthest from parity are labelled first, at most ``max_labels``. Each label
    takes the first position around its point (:data:`_LABEL_POSITIONS`) where its
    estimated box (``char`` wide per character, ``line`` tall, in fractions of the axis)
    stays inside the plot and overlaps no point and no label already placed; a label
    that fits nowhere is left out (the name stays in the hover text).
    """
    u = [xi / limit for xi in x]
    v = [yi / limit for yi in y]
    dot = 0.012
    boxes = [(a - dot, b - dot, a + dot, b + dot) for a, b in zip(u, v, strict=True)]
    order = sorted(range(len(x)), key=lambda i: (-abs(y[i] - x[i]), -x[i], i))
    plan: dict[int, str] = {}
    for i in order[:max_labels]:
        w, h = len(names[i]) * char, line
        for pos in _LABEL_POSITIONS:
            vert, horiz = pos.split()
            x0 = {"right": u[i] + dot, "left": u[i] - dot - w, "center": u[i] - w / 2}[horiz]
            y0 = v[i] + dot if vert == "top" else v[i] - dot - h
            box = (x0, y0, x0 + w, y0 + h)
            if box[0] < 0 or box[2] > 1 or box[1] < 0 or box[3] > 1:
                continue
            if any(
                k != i and box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                for k, b in enumerate(boxes)
                if k < len(x)
            ) or any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                for b in boxes[len(x) :]
            ):
                continue
            plan[i] = pos
            boxes.append(box)
            break
    return plan


def _equity_data(ctx: pd.DataFrame, lang: str, max_labels: int) -> _Equity:
    _require(
        ctx,
        [
            "commune_code",
            "name_fr",
            "name_ar",
            "share_of_unemployed",
            "share_of_jobs",
            "jobs_to_date",
        ],
        "equity_scatter",
        "commune_context",
    )
    d = ctx.copy()
    d["_x"] = pd.to_numeric(d["share_of_unemployed"], errors="coerce").astype(float)
    d["_y"] = pd.to_numeric(d["share_of_jobs"], errors="coerce").astype(float).fillna(0.0)
    d = d[d["_x"].notna() & (d["_x"] > 0)].sort_values("commune_code", kind="stable")
    below = int((d["_y"] < d["_x"]).sum())
    limit = float(max(d["_x"].max() if len(d) else 0, d["_y"].max() if len(d) else 0, 0.05))
    types = (
        d["commune_type"].astype("string").fillna("").tolist()
        if "commune_type" in d
        else [""] * len(d)
    )
    out = _Equity(
        x=d["_x"].tolist(),
        y=d["_y"].tolist(),
        names=[i18n.commune_name(row, lang) for _, row in d.iterrows()],
        types=[str(x) for x in types],
        jobs=[int(v) for v in pd.to_numeric(d["jobs_to_date"], errors="coerce").fillna(0)],
        limit=limit * 1.1,
        title=t("title.equity", lang, n=fmt_int(below, lang), total=fmt_int(len(d), lang)),
        subtitle=t("subtitle.equity", lang),
    )
    out.labelled = _label_plan(out.x, out.y, out.names, out.limit, max_labels)
    return out


def _type_groups(types: Sequence[str]) -> list[tuple[str, list[int]]]:
    groups: dict[str, list[int]] = {}
    for i, code in enumerate(types):
        groups.setdefault(code, []).append(i)
    order = {c: k for k, c in enumerate(("urban", "rural"))}
    return sorted(groups.items(), key=lambda kv: (order.get(kv[0], 9), kv[0]))


def equity_scatter(
    ctx: pd.DataFrame,
    lang: str = "fr",
    *,
    max_labels: int = 12,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> go.Figure:
    """Return the equity scatter: each commune's share of unemployed vs share of jobs.

    Parameters
    ----------
    ctx : pandas.DataFrame
        ``indicators.commune_context(...)``.
    lang : {"fr", "ar", "en"}
        Language.
    max_labels : int, default 12
        Communes named on the chart: those furthest from the diagonal (every commune is
        in the hover text).
    context, source, sample
        See the module docstring.

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 0: the parity diagonal (share of jobs = share of unemployed); then one
        marker trace per commune type (urban, rural) with the commune names as labels.
        Communes below the diagonal get fewer jobs than their share of the unemployed;
        the title counts them. Communes without census figure are left out.
    """
    e = _equity_data(ctx, lang, max_labels)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[0, e.limit],
            y=[0, e.limit],
            mode="lines",
            line={"color": style.COLORS["parity"], "dash": "dash", "width": 1.2},
            name=_p(t("legend.parity", lang), lang),
            hoverinfo="skip",
        )
    )
    for code, idx in _type_groups(e.types):
        name = i18n.label("commune_type", code, lang) if code else t("ui.unknown", lang)
        fig.add_trace(
            go.Scatter(
                x=[e.x[i] for i in idx],
                y=[e.y[i] for i in idx],
                mode="markers+text",
                cliponaxis=False,
                marker={
                    "size": 10,
                    "color": style.COLORS.get(code, style.PALETTE[2]),
                    "line": {"width": 0.5, "color": "white"},
                },
                text=[_p(e.names[i], lang) if i in e.labelled else "" for i in idx],
                textposition=[e.labelled.get(i, "top center") for i in idx],
                textfont={"size": max(9, style.sizes(context)["plotly_base"] - 3)},
                name=_p(name, lang),
                hovertext=[
                    _p(
                        f"{e.names[i]} — "
                        + key_value(
                            t("col.share_of_unemployed", lang), fmt_pct(e.x[i], lang, 1), lang
                        )
                        + _SEP[lang]
                        + key_value(t("col.share_of_jobs", lang), fmt_pct(e.y[i], lang, 1), lang)
                        + f" ({fmt_int(e.jobs[i], lang)} {t('unit.jobs', lang)})",
                        lang,
                    )
                    for i in idx
                ],
                hoverinfo="text",
            )
        )
    ticks = _share_ticks(e.limit)
    texts = [_p(fmt_pct(v, lang), lang) for v in ticks]
    fig.update_xaxes(
        title={"text": _p(t("axis.share_of_unemployed", lang), lang)},
        range=[0, e.limit],
        tickvals=ticks,
        ticktext=texts,
        constrain="domain",
    )
    fig.update_yaxes(
        title={"text": _p(t("axis.share_of_jobs", lang), lang)},
        range=[0, e.limit],
        tickvals=ticks,
        ticktext=texts,
        scaleanchor="x",
        scaleratio=1,
        constrain="domain",
    )
    return _finish_plotly(
        fig,
        "equity_scatter",
        lang,
        e.title,
        e.subtitle,
        _source_text(source, lang, sample),
        context,
        legend_at="top right",
    )


def equity_scatter_mpl(
    ctx: pd.DataFrame,
    lang: str = "fr",
    ax: Axes | None = None,
    *,
    max_labels: int = 12,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> Axes:
    """Draw the equity scatter with matplotlib (see :func:`equity_scatter`)."""
    e = _equity_data(ctx, lang, max_labels)
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
        for code, idx in _type_groups(e.types):
            name = i18n.label("commune_type", code, lang) if code else t("ui.unknown", lang)
            ax.scatter(
                [e.x[i] for i in idx],
                [e.y[i] for i in idx],
                s=s["base"] * 4,
                color=style.COLORS.get(code, style.PALETTE[2]),
                label=name,
                zorder=3,
                edgecolor="white",
                linewidth=0.5,
            )
        for i, pos in e.labelled.items():
            vert, horiz = pos.split()
            dx = {"right": 4, "left": -4, "center": 0}[horiz]
            ax.annotate(
                e.names[i],
                (e.x[i], e.y[i]),
                xytext=(dx, 3 if vert == "top" else -3),
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
        _legend(ax, lang, loc="best")
        _finish_mpl(ax, lang, e.title, e.subtitle, _source_text(source, lang, sample), context)
    return ax
