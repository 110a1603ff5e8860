"""Charts of the programme: plotly figures for screens, matplotlib twins for print and slides.

Naming: ``name(frames..., lang="fr")`` returns a ``plotly.graph_objects.Figure``;
``name_mpl(frames..., lang="fr", ax=None)`` draws the same chart with matplotlib and
returns the Axes. Every function is pure: it takes the frames returned by
:mod:`awrach_analysis.analysis.indicators` (never the ``Program``) and changes none of them.

Common keyword arguments: ``context`` ("report", "slides" or "print": sizes, see
:mod:`awrach_analysis.figures.style`), ``source`` (True: the standard source line; a string: that
line; False: none) and ``sample`` (True when the data are the synthetic sample; the
standard source line says so). Saving is separate: :func:`awrach_analysis.figures.save_figure`.

Every text that comes from data (commune, partner and project names) is HTML-escaped
before it reaches a plotly figure, and trace ``uid``s are fixed, so the same frames give
the same figure JSON.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter

from .. import i18n
from ..i18n import fmt_int, fmt_month, fmt_num, fmt_pct, key_value, safe, t
from ..model.months import month_or_none as _month
from ..model.months import month_range as _month_range
from . import style

__all__ = [
    "burnup",
    "burnup_mpl",
    "commune_ranking",
    "commune_ranking_mpl",
    "equity_scatter",
    "equity_scatter_mpl",
    "inclusion_shares",
    "inclusion_shares_mpl",
    "jobs_by_month",
    "jobs_by_month_mpl",
    "schedule_gantt",
    "schedule_gantt_mpl",
]

#: At most this many groups are stacked; the smallest others are pooled as "Other".
MAX_STACKED_GROUPS = 7
#: Project labels on the schedule chart are cut to this many characters.
PROJECT_LABEL_CHARS = 42
#: Height of a schedule row in font sizes: two lines of text (label, reason) above the bars.
GANTT_ROW = 4.4
#: The projection is drawn at most this many months past the reference month (and never
#: past the end of the target period).
MAX_PROJECTION_MONTHS = 24
#: The burn-up y axis runs to this many times the larger of jobs to date and target.
BURNUP_HEADROOM = 1.3


# ---------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------


def _require(df: pd.DataFrame, columns: Sequence[str], chart: str, producer: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{chart}: the frame has no column {', '.join(map(repr, missing))} "
            f"(it has {', '.join(map(str, df.columns))}). Pass the frame returned by "
            f"awrach_analysis.analysis.indicators.{producer}()."
        )


def _source_text(source: bool | str | None, lang: str, sample: bool) -> str | None:
    if source is None or source is False:
        return None
    if source is True:
        return style.source_line(lang, sample=sample)
    return str(source)


def _month_ticks(months: Sequence[pd.Timestamp], lang: str, max_ticks: int = 6):
    months = list(months)
    if not months:
        return [], []
    step = max(1, math.ceil(len(months) / max_ticks))
    picked = months[::step]
    return picked, [fmt_month(m, lang, short=True) for m in picked]


_SEP = {"fr": " ; ", "ar": "؛ ", "en": "; "}


def _p(text: Any, lang: str) -> str:
    """Return text ready for plotly: HTML-escaped, new lines as <br>, isolated in Arabic."""
    return i18n.isolate(safe(text).replace("\n", "<br>"), lang)


def _finish_plotly(
    fig: go.Figure,
    chart: str,
    lang: str,
    title: str,
    subtitle: str | None,
    source: str | None,
    context: str,
    legend_at: str = "top left",
) -> go.Figure:
    """Escape texts, apply the house layout and fix trace uids."""
    style.plotly_layout(
        fig,
        lang,
        title=_p(title, lang),
        subtitle=_p(subtitle, lang) if subtitle else None,
        source=_p(source, lang) if source else None,
        context=context,
        legend_at=legend_at,
    )
    for i, trace in enumerate(fig.data):
        trace.uid = f"{chart}-{i}"
    return fig


def _new_axes(ax: Axes | None, context: str, height: float | None = None) -> Axes:
    if ax is not None:
        return ax
    width, default_height = style.sizes(context)["figsize"]
    _, ax = plt.subplots(figsize=(width, height or default_height))
    return ax


def _finish_mpl(
    ax: Axes,
    lang: str,
    title: str,
    subtitle: str | None,
    source: str | None,
    context: str,
) -> Axes:
    style.add_titles(ax, title, subtitle, lang=lang, context=context)
    if source:
        style.add_source(ax, source, lang=lang, context=context)
    return ax


def _share_ticks(limit: float) -> list[float]:
    """Round tick values for a share axis from 0 to ``limit`` (at most about 6 ticks)."""
    step = next(s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5) if limit / s <= 6)
    return [round(k * step, 4) for k in range(int(limit / step + 1e-9) + 1)]


def _num_formatter(lang: str, digits: int = 0) -> FuncFormatter:
    return FuncFormatter(lambda v, _pos: fmt_num(v, lang, digits))


def _pct_formatter(lang: str) -> FuncFormatter:
    return FuncFormatter(lambda v, _pos: fmt_pct(v, lang))


def _legend(ax: Axes, lang: str, **kwargs: Any) -> None:
    handles, _ = ax.get_legend_handles_labels()
    if handles:
        rtl = lang == "ar"
        ax.legend(
            loc=kwargs.pop("loc", "best"),
            alignment="right" if rtl else "left",
            markerfirst=not rtl,
            **kwargs,
        )


def _rows_mpl(ax: Axes, labels: Sequence[str], lang: str, mirror_x: bool) -> None:
    """Label one row per item, first at the top; in Arabic the labels go on the right.

    ``mirror_x`` also reverses the x axis in Arabic, so that bars grow from the labels
    (call it after the x limits are set). Time axes are never mirrored.
    """
    rows = np.arange(len(labels))
    ax.set_yticks(rows, labels)
    if len(rows):
        ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    if lang == "ar":
        if mirror_x:
            ax.invert_xaxis()
        ax.yaxis.tick_right()
        ax.spines["right"].set_visible(True)
        ax.spines["left"].set_visible(False)


def _date_axis_mpl(ax: Axes, months: Sequence[pd.Timestamp], lang: str) -> None:
    ticks, texts = _month_ticks(months, lang)
    ax.xaxis.set_major_locator(FixedLocator(mdates.date2num(ticks)))
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda v, pos: texts[pos] if pos is not None and pos < len(texts) else "")
    )
    ax.xaxis.set_minor_locator(FixedLocator([]))


# ---------------------------------------------------------------------------------------
# Burn-up: jobs to date against the target, with the forecast band
# ---------------------------------------------------------------------------------------


@dataclass
class _Burnup:
    months: list[pd.Timestamp]
    jobs: list[float]
    target: float | None
    axis_months: list[pd.Timestamp]
    proj_months: list[pd.Timestamp] = field(default_factory=list)
    proj_mid: list[float] = field(default_factory=list)
    proj_low: list[float] = field(default_factory=list)
    proj_high: list[float] = field(default_factory=list)
    y_max: float = 1.0
    title: str = ""
    subtitle: str | None = None


def _burnup_data(df: pd.DataFrame, fc: Mapping[str, Any], lang: str) -> _Burnup:
    _require(df, ["month", "jobs_to_date"], "burnup", "monthly_jobs")
    d = df.sort_values("month")
    months = [pd.Timestamp(m) for m in d["month"]]
    jobs = [float(v) for v in d["jobs_to_date"]]
    target = fc.get("target")
    target = None if target is None or pd.isna(target) else float(target)
    as_of = _month(fc.get("as_of")) or (months[-1] if months else None)
    achieved = fc.get("achieved")
    achieved = float(achieved) if achieved is not None else (jobs[-1] if jobs else 0.0)
    out = _Burnup(months=months, jobs=jobs, target=target, axis_months=list(months))

    # Projection from the reference month to the end of the target period: the target is
    # about that period, so the band never runs past it (the forecast's slowest pace may
    # reach the target years later). Without a period end, up to the month the target is
    # reached (at most MAX_PROJECTION_MONTHS ahead). Values stop at the target.
    pace = float(fc.get("pace_per_month") or 0.0)
    period_end = _month(fc.get("period_end"))
    if as_of is not None and target is not None and achieved < target:
        if period_end is not None:
            horizon = period_end
        else:
            ends = [
                m
                for m in (_month(fc.get(k)) for k in ("month_reached", "month_high"))
                if m is not None
            ]
            horizon = max(ends) if ends else as_of + pd.DateOffset(months=6)
        horizon = min(horizon, as_of + pd.DateOffset(months=MAX_PROJECTION_MONTHS))
        proj = _month_range(as_of, horizon) if horizon > as_of else []
        k = np.arange(len(proj), dtype=float)
        low = float(fc.get("pace_low") or 0.0)
        high = float(fc.get("pace_high") or 0.0)
        out.proj_months = proj
        if fc.get("path_months"):
            # The pipeline forecast gives its paths month by month from as_of.
            n = min(len(proj), len(fc["path_months"]))
            out.proj_months = proj[:n]
            for name, key in (("proj_mid", "path_mid"), ("proj_low", "path_low")):
                setattr(out, name, list(np.minimum(np.round(fc[key][:n]), target)))
            out.proj_high = list(np.minimum(np.round(fc["path_high"][:n]), target))
        else:
            out.proj_mid = list(np.minimum(achieved + pace * k, target))
            out.proj_low = list(np.minimum(achieved + low * k, target))
            out.proj_high = list(np.minimum(achieved + high * k, target))
    first = months[0] if months else as_of
    last = max([*(months[-1:]), *(out.proj_months[-1:])], default=first)
    if period_end is not None and first is not None and period_end > last:
        last = period_end
    out.axis_months = _month_range(first, last) if first is not None else []
    # Room above the highest of achieved and target (the legend and the target line stay
    # clear of the top), whatever the projection does.
    out.y_max = BURNUP_HEADROOM * max([achieved, *jobs, target or 0.0, 1.0])

    # Message title and forecast subtitle.
    if target:
        out.title = t(
            "title.burnup",
            lang,
            achieved=fmt_int(achieved, lang),
            target=fmt_int(target, lang),
            pct=fmt_pct(achieved / target, lang),
        )
        pace_txt = fmt_num(pace, lang, 0 if pace >= 10 or float(pace).is_integer() else 1)
        reached = _month(fc.get("month_reached"))
        # The pipeline forecast is not "the current pace": its own wording.
        kind = "forecast_plan" if fc.get("method") == "pipeline" else "forecast"
        if achieved >= target:
            out.subtitle = t("title.forecast_done", lang)
        elif reached is not None and fc.get("reachable"):
            out.subtitle = t(
                f"title.{kind}_reached", lang, pace=pace_txt, month=fmt_month(reached, lang)
            )
        elif period_end is not None:
            out.subtitle = t(
                f"title.{kind}_unreachable",
                lang,
                pace=pace_txt,
                month=fmt_month(period_end, lang),
            )
    else:
        out.title = t(
            "title.burnup_no_target",
            lang,
            achieved=fmt_int(achieved, lang),
            month=fmt_month(as_of, lang),
        )
    return out


def burnup(
    df: pd.DataFrame,
    fc: Mapping[str, Any],
    lang: str = "fr",
    *,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> go.Figure:
    """Return the burn-up chart: jobs to date against the target, with the forecast band.

    Parameters
    ----------
    df : pandas.DataFrame
        ``indicators.monthly_jobs(...)`` (``month``, ``jobs_to_date``).
    fc : dict
        ``indicators.forecast(...)`` for the same wave: ``target``, ``achieved``,
        ``pace_per_month``, ``pace_low``, ``pace_high``, ``month_reached``, ``reachable``,
        ``period_end``, ``as_of``.
    lang : {"fr", "ar", "en"}
        Language.
    context, source, sample
        See the module docstring.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces in order: projection band (low, high), projection, target, jobs to date.
        The title states the message ("37 emplois sur 60 : 62 % de l'objectif"), the
        subtitle the forecast.
    """
    b = _burnup_data(df, fc, lang)
    fig = go.Figure()
    if b.proj_months:
        fig.add_trace(
            go.Scatter(
                x=b.proj_months,
                y=b.proj_low,
                mode="lines",
                line={"width": 0},
                showlegend=False,
                hoverinfo="skip",
                name=_p(t("legend.forecast_range", lang), lang),
            )
        )
        fig.add_trace(
            go.Scatter(
                x=b.proj_months,
                y=b.proj_high,
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=style.COLORS["forecast_band"],
                name=_p(t("legend.forecast_range", lang), lang),
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=b.proj_months,
                y=b.proj_mid,
                mode="lines",
                line={"color": style.COLORS["forecast"], "dash": "dash"},
                name=_p(t("legend.forecast", lang), lang),
                hovertext=[
                    _p(key_value(fmt_month(m, lang), fmt_int(v, lang), lang), lang)
                    for m, v in zip(b.proj_months, b.proj_mid, strict=True)
                ],
                hoverinfo="text",
            )
        )
    if b.target is not None and b.axis_months:
        fig.add_trace(
            go.Scatter(
                x=[b.axis_months[0], b.axis_months[-1]],
                y=[b.target, b.target],
                mode="lines",
                line={"color": style.COLORS["target"], "dash": "dot"},
                name=_p(f"{t('legend.target', lang)} ({fmt_int(b.target, lang)})", lang),
                hoverinfo="name",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=b.months,
            y=b.jobs,
            mode="lines+markers",
            line={"color": style.COLORS["achieved"]},
            marker={"size": 6},
            name=_p(t("legend.achieved", lang), lang),
            hovertext=[
                _p(key_value(fmt_month(m, lang), fmt_int(v, lang), lang), lang)
                for m, v in zip(b.months, b.jobs, strict=True)
            ],
            hoverinfo="text",
        )
    )
    ticks, texts = _month_ticks(b.axis_months, lang)
    fig.update_xaxes(
        tickvals=ticks,
        ticktext=[_p(x, lang) for x in texts],
        title={"text": _p(t("axis.month", lang), lang)},
    )
    fig.update_yaxes(title={"text": _p(t("axis.jobs_to_date", lang), lang)}, range=[0, b.y_max])
    return _finish_plotly(
        fig,
        "burnup",
        lang,
        b.title,
        b.subtitle,
        _source_text(source, lang, sample),
        context,
        legend_at="bottom right",
    )


def burnup_mpl(
    df: pd.DataFrame,
    fc: Mapping[str, Any],
    lang: str = "fr",
    ax: Axes | None = None,
    *,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> Axes:
    """Draw the burn-up chart with matplotlib (see :func:`burnup`) and return the Axes."""
    b = _burnup_data(df, fc, lang)
    with style.mpl_style(lang, context):
        ax = _new_axes(ax, context)
        if b.proj_months:
            x = mdates.date2num(b.proj_months)
            ax.fill_between(
                x,
                b.proj_low,
                b.proj_high,
                color=style.COLORS["forecast"],
                alpha=0.25,
                linewidth=0,
                label=t("legend.forecast_range", lang),
            )
            ax.plot(
                x,
                b.proj_mid,
                linestyle="--",
                color=style.COLORS["forecast"],
                label=t("legend.forecast", lang),
            )
        if b.target is not None and b.axis_months:
            ax.axhline(
                b.target,
                color=style.COLORS["target"],
                linestyle=":",
                label=f"{t('legend.target', lang)} ({fmt_int(b.target, lang)})",
            )
        ax.plot(
            mdates.date2num(b.months),
            b.jobs,
            marker="o",
            markersize=4,
            color=style.COLORS["achieved"],
            label=t("legend.achieved", lang),
        )
        if b.axis_months:
            ax.set_xlim(
                mdates.date2num(b.axis_months[0]) - 10, mdates.date2num(b.axis_months[-1]) + 10
            )
        _date_axis_mpl(ax, b.axis_months, lang)
        ax.set_ylim(0, b.y_max)
        ax.yaxis.set_major_formatter(_num_formatter(lang))
        ax.set_ylabel(t("axis.jobs_to_date", lang))
        # time runs left to right in every language: a burn-up leaves its lower right empty
        _legend(ax, lang, loc="lower right")
        _finish_mpl(ax, lang, b.title, b.subtitle, _source_text(source, lang, sample), context)
    return ax


# ---------------------------------------------------------------------------------------
# Monthly jobs by partner type, domain... (stacked)
# ---------------------------------------------------------------------------------------


@dataclass
class _Stack:
    months: list[pd.Timestamp]
    labels: list[str]
    values: np.ndarray  # groups x months
    title: str
    subtitle: str
    axis: str


def _stack_data(df: pd.DataFrame, by: str, lang: str, value: str) -> _Stack:
    code_col = i18n.CODE_COLUMNS.get(by, by)
    _require(df, ["month", code_col, value], "jobs_by_month", "monthly_breakdown")
    d = df.copy()
    d["_month"] = d["month"].map(_month)
    d["_key"] = d[code_col].astype("string").fillna("\x00missing")
    first_rows = d.drop_duplicates("_key").set_index("_key")
    table = d.pivot_table(
        index="_key", columns="_month", values=value, aggfunc="sum", fill_value=0, sort=False
    )
    months = _month_range(min(table.columns), max(table.columns)) if len(table.columns) else []
    table = table.reindex(columns=months, fill_value=0).astype(float)
    # Groups with nothing to stack are left out; largest groups first; beyond
    # MAX_STACKED_GROUPS the smallest are pooled as "Other".
    sums = table.sum(axis=1)
    order = sums[sums != 0].sort_values(ascending=False, kind="stable").index
    table = table.loc[order]
    labels = [i18n.group_label(first_rows.loc[k], by, lang) for k in table.index]
    if len(table) > MAX_STACKED_GROUPS:
        keep = MAX_STACKED_GROUPS - 1
        other = table.iloc[keep:].sum(axis=0)
        table = pd.concat([table.iloc[:keep], other.to_frame(t("ui.other", lang)).T])
        labels = [*labels[:keep], t("ui.other", lang)]
    values = table.to_numpy(dtype=float)
    by_text = t(f"subtitle.by.{by}", lang) if f"subtitle.by.{by}" in i18n.CATALOGUE else by
    cumulative = value == "jobs_to_date"
    totals = values.sum(axis=0) if len(values) else np.array([])
    nonzero = np.flatnonzero(totals > 0)
    if len(nonzero):
        last = int(nonzero[-1])
        top = int(np.argmax(values[:, last]))
        title = t(
            "title.jobs_by_month_to_date" if cumulative else "title.jobs_by_month",
            lang,
            group=labels[top],
            share=fmt_pct(values[top, last] / totals[last], lang),
            month=fmt_month(months[last], lang),
        )
    else:
        title = t("title.jobs_by_month_empty", lang)
    subtitle = t(
        "subtitle.jobs_by_month_to_date" if cumulative else "subtitle.jobs_by_month",
        lang,
        by=by_text,
    )
    axis = t("axis.jobs_to_date" if cumulative else "axis.jobs_filled", lang)
    return _Stack(months, labels, values, title, subtitle, axis)


def jobs_by_month(
    df: pd.DataFrame,
    by: str = "partner_type",
    lang: str = "fr",
    *,
    value: str = "jobs_filled",
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> go.Figure:
    """Return stacked monthly jobs by partner type, domain or another breakdown level.

    Parameters
    ----------
    df : pandas.DataFrame
        ``indicators.monthly_breakdown(program, by)``, or any long frame with one row per
        month and group: ``month``, the key columns of the level as in
        ``indicators.breakdown(by=...)`` (``partner_type``, ``domain``, ``commune_code``
        + ``name_fr``/``name_ar``...) and the ``value`` column.
    by : str, default "partner_type"
        Breakdown level.
    lang : {"fr", "ar", "en"}
        Language.
    value : {"jobs_filled", "jobs_to_date", "women", ...}, default "jobs_filled"
        Measure stacked (a column of ``monthly_breakdown``); ``jobs_to_date`` is titled
        as a cumulative count.
    context, source, sample
        See the module docstring.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar trace per group with a non-zero total (largest first; at most 7, the rest
        pooled as "Other"), stacked; months without a row count as 0. The title names the
        largest group of the last month with jobs and its share.
    """
    s = _stack_data(df, by, lang, value)
    fig = go.Figure()
    for i, (lab, row) in enumerate(zip(s.labels, s.values, strict=True)):
        fig.add_trace(
            go.Bar(
                x=s.months,
                y=row,
                name=_p(lab, lang),
                marker={"color": style.PALETTE[i % len(style.PALETTE)]},
                hovertext=[
                    _p(key_value(f"{lab} — {fmt_month(m, lang)}", fmt_int(v, lang), lang), lang)
                    for m, v in zip(s.months, row, strict=True)
                ],
                hoverinfo="text",
            )
        )
    ticks, texts = _month_ticks(s.months, lang)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(
        tickvals=ticks,
        ticktext=[_p(x, lang) for x in texts],
        title={"text": _p(t("axis.month", lang), lang)},
    )
    fig.update_yaxes(title={"text": _p(s.axis, lang)})
    return _finish_plotly(
        fig,
        "jobs_by_month",
        lang,
        s.title,
        s.subtitle,
        _source_text(source, lang, sample),
        context,
        legend_at="top left",
    )


def jobs_by_month_mpl(
    df: pd.DataFrame,
    by: str = "partner_type",
    lang: str = "fr",
    ax: Axes | None = None,
    *,
    value: str = "jobs_filled",
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> Axes:
    """Draw the stacked monthly jobs with matplotlib (see :func:`jobs_by_month`)."""
    s = _stack_data(df, by, lang, value)
    with style.mpl_style(lang, context):
        ax = _new_axes(ax, context)
        x = np.arange(len(s.months))
        bottom = np.zeros(len(s.months))
        for i, (lab, row) in enumerate(zip(s.labels, s.values, strict=True)):
            ax.bar(
                x,
                row,
                bottom=bottom,
                width=0.8,
                label=lab,
                color=style.PALETTE[i % len(style.PALETTE)],
            )
            bottom = bottom + row
        ticks, texts = _month_ticks(s.months, lang)
        ax.set_xticks([s.months.index(m) for m in ticks], texts)
        ax.grid(axis="x", visible=False)
        ax.yaxis.set_major_formatter(_num_formatter(lang))
        ax.set_ylabel(s.axis)
        _legend(ax, lang, loc="upper right" if lang != "ar" else "upper left")
        _finish_mpl(ax, lang, s.title, s.subtitle, _source_text(source, lang, sample), context)
    return ax


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


# ---------------------------------------------------------------------------------------
# Schedule: planned vs actual period per project, flagged projects highlighted
# ---------------------------------------------------------------------------------------


@dataclass
class _Gantt:
    ids: list[str]
    labels: list[str]
    planned: list[tuple[pd.Timestamp, pd.Timestamp]]
    actual: list[tuple[pd.Timestamp, pd.Timestamp] | None]
    flagged: list[bool]
    reasons: list[str]  # label of the main reason ('' when none)
    all_reasons: list[str]
    status: list[str]
    as_of: pd.Timestamp | None
    months: list[pd.Timestamp]
    title: str
    subtitle: str


def _flags(value: Any) -> list[str]:
    if value is None or isinstance(value, float) and math.isnan(value):
        return []
    if isinstance(value, str):
        return [v for v in value.replace(";", ",").split(",") if v.strip()]
    return [str(v) for v in value]


def _gantt_data(sched: pd.DataFrame, lang: str, only_flagged: bool) -> _Gantt:
    _require(
        sched,
        [
            "project_id",
            "title_fr",
            "title_ar",
            "planned_start",
            "planned_end",
            "actual_start",
            "last_report",
            "status",
            "flags",
        ],
        "schedule_gantt",
        "schedule",
    )
    d = sched.copy()
    d["_flags"] = d["flags"].map(_flags)
    total = int(sched.attrs.get("projects") or len(d))  # projects assessed, not only flagged
    n_flagged = int(d["_flags"].map(bool).sum())
    if only_flagged:
        d = d[d["_flags"].map(bool)]
    d = d.sort_values(["planned_start", "project_id"], kind="stable", na_position="last")
    as_of = _month(sched.attrs.get("as_of"))
    ids, labels, planned, actual, flagged, reasons, all_reasons, status = ([] for _ in range(8))
    lo, hi = [], []
    for _, row in d.iterrows():
        pid = str(row["project_id"])
        title = (
            row["title_ar"] if lang == "ar" and not pd.isna(row["title_ar"]) else row["title_fr"]
        )
        ids.append(pid)
        labels.append(
            i18n.shorten(f"{pid} · {'' if pd.isna(title) else title}", PROJECT_LABEL_CHARS)
        )
        p = (pd.Timestamp(row["planned_start"]), pd.Timestamp(row["planned_end"]))
        planned.append(p)
        a = None
        if not pd.isna(row["actual_start"]):
            start = _month(row["actual_start"])
            last = _month(row["last_report"]) if not pd.isna(row["last_report"]) else start
            a = (start, last + pd.offsets.MonthEnd(0))
        actual.append(a)
        codes = row["_flags"]
        flagged.append(bool(codes))
        main = (
            row["reason"]
            if "reason" in d and isinstance(row.get("reason"), str)
            else (codes[0] if codes else "")
        )
        reasons.append(t(f"reason.{main}", lang) if main else "")
        all_reasons.append(", ".join(t(f"reason.{c}", lang) for c in codes))
        status.append(i18n.label("status", row["status"], lang))
        lo += [x for x in (p[0], a[0] if a else None) if x is not None and not pd.isna(x)]
        hi += [x for x in (p[1], a[1] if a else None) if x is not None and not pd.isna(x)]
    if as_of is not None:
        hi.append(as_of + pd.offsets.MonthEnd(0))
    months = _month_range(_month(min(lo)), _month(max(hi))) if lo else []
    return _Gantt(
        ids,
        labels,
        planned,
        actual,
        flagged,
        reasons,
        all_reasons,
        status,
        as_of,
        months,
        title=t("title.schedule", lang, n=fmt_int(n_flagged, lang), total=fmt_int(total, lang)),
        subtitle=t("subtitle.schedule", lang),
    )


def _segments(pairs: Sequence[tuple[Any, Any] | None], ids: Sequence[str], keep: Sequence[bool]):
    xs: list[Any] = []
    ys: list[Any] = []
    for pair, pid, k in zip(pairs, ids, keep, strict=True):
        if pair is None or not k:
            continue
        xs += [pair[0], pair[1], None]
        ys += [pid, pid, None]
    return xs, ys


def schedule_gantt(
    sched: pd.DataFrame,
    lang: str = "fr",
    *,
    only_flagged: bool = False,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> go.Figure:
    """Return the schedule chart: planned and actual period per project, flags highlighted.

    Parameters
    ----------
    sched : pandas.DataFrame
        ``indicators.schedule(...)`` (or ``attention(...)``); its ``attrs["as_of"]``, when
        present, draws the reference month.
    lang : {"fr", "ar", "en"}
        Language (project titles in Arabic use ``title_ar`` when given).
    only_flagged : bool, default False
        Keep only the projects with at least one flag.
    context, source, sample
        See the module docstring.

    Returns
    -------
    plotly.graph_objects.Figure
        Traces: planned periods (grey), actual periods without alert (blue), actual
        periods of flagged projects (vermillion), the main reason written next to each
        flagged project, and the reference month. Projects in planned-start order, first
        at the top. Time runs left to right in every language.
    """
    g = _gantt_data(sched, lang, only_flagged)
    rtl = lang == "ar"
    width = {"report": 12, "slides": 16, "print": 10}[context]
    fig = go.Figure()
    xs, ys = _segments(g.planned, g.ids, [True] * len(g.ids))
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            name=_p(t("legend.planned", lang), lang),
            line={"color": style.COLORS["planned"], "width": width},
            hoverinfo="skip",
        )
    )
    for flagged_group, key, color in (
        (False, "legend.on_track", style.COLORS["actual"]),
        (True, "legend.flagged", style.COLORS["flagged"]),
    ):
        keep = [f == flagged_group for f in g.flagged]
        xs, ys = _segments(g.actual, g.ids, keep)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=_p(f"{t('legend.actual', lang)} — {t(key, lang)}", lang),
                line={"color": color, "width": width * 0.5},
                hoverinfo="skip",
            )
        )
    # One hover point per project (its label and reason are written above its bars).
    fig.add_trace(
        go.Scatter(
            x=[p[0] for p in g.planned],
            y=g.ids,
            mode="markers",
            marker={"opacity": 0},
            showlegend=False,
            name=_p(t("axis.project", lang), lang),
            hoverinfo="text",
            hovertext=[
                _p(
                    f"{lab} — "
                    + key_value(t("col.status", lang), st, lang)
                    + (f" — {why}" if why else ""),
                    lang,
                )
                for lab, st, why in zip(g.labels, g.status, g.all_reasons, strict=True)
            ],
        )
    )
    if g.as_of is not None and g.ids:
        ref = g.as_of + pd.offsets.MonthEnd(0)
        fig.add_trace(
            go.Scatter(
                x=[ref, ref],
                y=[g.ids[0], g.ids[-1]],
                mode="lines",
                line={"color": style.COLORS["target"], "dash": "dot", "width": 1.2},
                name=_p(f"{t('legend.as_of', lang)} ({fmt_month(g.as_of, lang)})", lang),
                hoverinfo="name",
            )
        )
    ticks, texts = _month_ticks(g.months, lang)
    fig.update_xaxes(tickvals=ticks, ticktext=[_p(x, lang) for x in texts], type="date")
    if g.months:
        right = g.months[-1] + pd.offsets.MonthEnd(0)
        fig.update_xaxes(range=[g.months[0] - pd.Timedelta(days=5), right + pd.Timedelta(days=5)])
    # A row per project, first at the top, then empty rows at the bottom that hold the
    # legend (never over a bar); the height follows the number of rows.
    base = style.sizes(context)["plotly_base"]
    row = round(base * GANTT_ROW)
    shown = {f for f, a in zip(g.flagged, g.actual, strict=True) if a is not None}
    entries = 1 + (g.as_of is not None) + len(shown)  # planned, as of, actual (by alert)
    legend_rows = math.ceil((entries * base * 1.5 + base) / row)
    n_rows = len(g.ids) + legend_rows
    fig.update_yaxes(
        tickvals=g.ids,
        ticktext=[_p(x, lang) for x in g.labels],
        showticklabels=False,
        ticks="",
        type="category",
        categoryorder="array",
        categoryarray=g.ids,
        # Half a row more at the top: the first project's label stands above its bars.
        range=[n_rows - 0.5, -1.0],
        side="right" if rtl else "left",
        showgrid=False,
    )
    # Each project's label (and the reason it is flagged) sits above its bars, inside the
    # plot, at the reading start: no side column of labels, so the bars keep the figure's
    # width on a phone as on a page, and no text runs past the right edge.
    for pid, label, reason in zip(g.ids, g.labels, g.reasons, strict=True):
        text = safe(label)
        if reason:
            colour = style.COLORS["flagged_text"]
            text += f'<br><span style="color:{colour}">{safe(reason)}</span>'
        fig.add_annotation(
            text=i18n.isolate(text, lang),
            xref="paper",
            x=1 if rtl else 0,
            xanchor="right" if rtl else "left",
            yref="y",
            y=pid,
            yanchor="bottom",
            yshift=round(width / 2) + 1,
            align="right" if rtl else "left",
            showarrow=False,
            font={"size": base - 1},
            name="project_label",
        )
    source_text = _source_text(source, lang, sample)
    top = style.title_margin(lang, context, g.title, g.subtitle)
    bottom = (
        style.source_margin(context, style.source_lines(source_text).count("<br>") + 1)
        if source_text
        else round(base * 4)
    )
    fig.update_layout(
        height=top + n_rows * row + round(row / 2) + bottom,
        margin={"t": top, "r": 10, "l": 10},
    )
    return _finish_plotly(
        fig,
        "schedule_gantt",
        lang,
        g.title,
        g.subtitle,
        _source_text(source, lang, sample),
        context,
        legend_at="bottom left",
    )


def schedule_gantt_mpl(
    sched: pd.DataFrame,
    lang: str = "fr",
    ax: Axes | None = None,
    *,
    only_flagged: bool = False,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> Axes:
    """Draw the schedule chart with matplotlib (see :func:`schedule_gantt`)."""
    g = _gantt_data(sched, lang, only_flagged)
    with style.mpl_style(lang, context):
        s = style.sizes(context)
        # A row each (titles, axis, legend and source line take the fixed part).
        height = 0.3 * max(len(g.ids), 1) * s["base"] / 10 + 2.6
        ax = _new_axes(ax, context, height=height)
        y = np.arange(len(g.ids))
        num = mdates.date2num
        for yi, (p0, p1) in zip(y, g.planned, strict=True):
            ax.barh(
                yi,
                num(p1) - num(p0),
                left=num(p0),
                height=0.7,
                color=style.COLORS["planned"],
                label=t("legend.planned", lang) if yi == 0 else None,
            )
        seen: set[bool] = set()
        for yi, a, f, why in zip(y, g.actual, g.flagged, g.reasons, strict=True):
            if a is not None:
                color = style.COLORS["flagged"] if f else style.COLORS["actual"]
                key = "legend.flagged" if f else "legend.on_track"
                ax.barh(
                    yi,
                    num(a[1]) - num(a[0]),
                    left=num(a[0]),
                    height=0.32,
                    color=color,
                    label=None if f in seen else f"{t('legend.actual', lang)} — {t(key, lang)}",
                )
                seen.add(f)
            if f:
                end = max([g.planned[yi][1], *([a[1]] if a else [])])
                ax.annotate(
                    why,
                    (num(end), yi),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    ha="left",
                    fontsize=s["small"],
                    color=style.COLORS["flagged_text"],
                    fontweight="bold",
                )
        if g.as_of is not None:
            ax.axvline(
                num(g.as_of + pd.offsets.MonthEnd(0)),
                color=style.COLORS["target"],
                linestyle=":",
                linewidth=1.2,
                label=f"{t('legend.as_of', lang)} ({fmt_month(g.as_of, lang)})",
            )
        if g.months:
            right = num(g.months[-1] + pd.offsets.MonthEnd(0))
            span = right - num(g.months[0])
            ax.set_xlim(num(g.months[0]) - 5, right + max(90, span * 0.4))
        _date_axis_mpl(ax, g.months, lang)
        _rows_mpl(ax, g.labels, lang, mirror_x=False)
        # Under the month ticks whatever the height (a fraction of a short axis would sit on
        # them): an offset in points from the bottom of the axes' tick labels.
        _legend(
            ax,
            lang,
            loc="upper center",
            bbox_to_anchor=(0.5, 0),
            bbox_transform=ax.transAxes
            + mtransforms.ScaledTranslation(0, -2.2 * s["small"] / 72, ax.figure.dpi_scale_trans),
            ncols=2,
        )
        _finish_mpl(ax, lang, g.title, g.subtitle, _source_text(source, lang, sample), context)
    return ax


# ---------------------------------------------------------------------------------------
# Inclusion: shares of women and youth by group, suppressed cells shown as such
# ---------------------------------------------------------------------------------------


@dataclass
class _Inclusion:
    labels: list[str]
    women: list[float | None]  # share, None when hidden
    youth: list[float | None]
    women_text: list[str]
    youth_text: list[str]
    hidden_marks: set[str]
    title: str
    subtitle: str


def _is_total(row: pd.Series) -> bool:
    value = row.get("is_total", False)
    return False if value is None or pd.isna(value) else bool(value)


def _share_cell(count: Any, share: Any, lang: str) -> tuple[float | None, str]:
    """Return (bar value or None, text) for one cell of the inclusion frame."""
    if i18n.is_suppressed(count):
        return None, fmt_int(count, lang)  # the mark ("<5", "x"), left to right in Arabic
    if share is None or pd.isna(share):
        return None, t("ui.not_available", lang)
    return float(share), fmt_pct(share, lang)


def _inclusion_data(inc: pd.DataFrame, by: str | None, lang: str) -> _Inclusion:
    _require(
        inc,
        ["people", "women", "youth", "women_share", "youth_share"],
        "inclusion_shares",
        "inclusion",
    )
    rows = [r for _, r in inc.iterrows()]
    details = [r for r in rows if not _is_total(r)]
    totals = [r for r in rows if _is_total(r)]
    ordered = details + totals[:1]
    labels = [
        i18n.group_label(r, by, lang) if not _is_total(r) else t("ui.total", lang) for r in ordered
    ]
    women: list[float | None] = []
    youth: list[float | None] = []
    wt: list[str] = []
    yt: list[str] = []
    marks: set[str] = set()
    for r in ordered:
        for count_col, share_col, vals, texts in (
            ("women", "women_share", women, wt),
            ("youth", "youth_share", youth, yt),
        ):
            v, text = _share_cell(r[count_col], r[share_col], lang)
            if v is None and not i18n.is_suppressed(text) and i18n.is_suppressed(r["people"]):
                text = fmt_int(r["people"], lang)
            if i18n.is_suppressed(text):
                marks.add("x" if "x" in text else "<")
            vals.append(v)
            texts.append(text)
    if totals or len(ordered) == 1:
        i = len(ordered) - 1
        title = t("title.inclusion", lang, women=wt[i], youth=yt[i])
    else:
        title = t("section.inclusion", lang)
    by_key = f"subtitle.by.{by}"
    by_text = t(by_key, lang) if by_key in i18n.CATALOGUE else t("ui.province", lang)
    subtitle = t("subtitle.inclusion", lang, by=by_text)
    notes = []
    if "<" in marks:
        notes.append(t("ui.suppressed_note", lang, n=i18n.suppressed_marker()[1:]))
    if "x" in marks:
        notes.append(t("ui.complementary_note", lang))
    if notes:  # one line each: side by side they run past a narrow figure
        subtitle += "\n" + "\n".join(notes)
    return _Inclusion(labels, women, youth, wt, yt, marks, title, subtitle)


def inclusion_shares(
    inc: pd.DataFrame,
    by: str | None = None,
    lang: str = "fr",
    *,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> go.Figure:
    """Return the shares of women and youth by group, suppressed cells shown as "<5".

    Parameters
    ----------
    inc : pandas.DataFrame
        ``indicators.inclusion(..., by=by)``: group columns, ``people``, ``women``,
        ``youth`` (ints or the marks ``"<5"``/``"x"``), ``women_share``, ``youth_share``,
        ``is_total``.
    by : str or None
        The ``by`` given to ``inclusion`` (for the group labels).
    lang : {"fr", "ar", "en"}
        Language.
    context, source, sample
        See the module docstring.

    Returns
    -------
    plotly.graph_objects.Figure
        Trace 0: women (bars), trace 1: youth (bars), trace 2: the marks of hidden cells
        written where the bar would be. A hidden cell has *no* bar (``None``), never a
        bar at 0. The total row comes last. The title gives the province shares.
    """
    d = _inclusion_data(inc, by, lang)
    rtl = lang == "ar"
    n = len(d.labels)
    pos = np.arange(n, dtype=float)
    fig = go.Figure()
    offsets = {"women": -0.2, "youth": 0.2}
    hidden_x, hidden_y, hidden_text = [], [], []
    for key, vals, texts in (("women", d.women, d.women_text), ("youth", d.youth, d.youth_text)):
        y = (pos + offsets[key]).tolist()
        fig.add_trace(
            go.Bar(
                x=vals,
                y=y,
                orientation="h",
                width=0.38,
                name=_p(t(f"legend.{key}", lang), lang),
                marker={"color": style.COLORS[key]},
                text=[
                    _p(x, lang) if v is not None else "" for v, x in zip(vals, texts, strict=True)
                ],
                textposition="outside",
                cliponaxis=False,
                hovertext=[
                    _p(key_value(f"{lab} — {t(f'legend.{key}', lang)}", x, lang), lang)
                    for lab, x in zip(d.labels, texts, strict=True)
                ],
                hoverinfo="text",
            )
        )
        for yi, v, x in zip(y, vals, texts, strict=True):
            if v is None:
                hidden_x.append(0)
                hidden_y.append(yi)
                hidden_text.append(_p(x, lang))
    fig.add_trace(
        go.Scatter(
            x=hidden_x,
            y=hidden_y,
            mode="text",
            text=hidden_text,
            textposition="middle left" if rtl else "middle right",
            showlegend=False,
            hoverinfo="skip",
            name=_p(t("ui.suppressed", lang, n=5), lang),
        )
    )
    fig.update_yaxes(
        tickvals=pos.tolist(),
        ticktext=[_p(x, lang) for x in d.labels],
        autorange="reversed",
        side="right" if rtl else "left",
        showgrid=False,
        zeroline=False,
    )
    ticks = _share_ticks(1.0)
    fig.update_xaxes(
        title={"text": _p(t("axis.share", lang), lang)},
        tickvals=ticks,
        ticktext=[_p(fmt_pct(v, lang), lang) for v in ticks],
        range=[1.12, 0] if rtl else [0, 1.12],
    )
    fig.update_layout(
        barmode="overlay", height=max(style.sizes(context)["plotly_height"], 44 * n + 240)
    )
    return _finish_plotly(
        fig,
        "inclusion_shares",
        lang,
        d.title,
        d.subtitle,
        _source_text(source, lang, sample),
        context,
        legend_at="bottom left" if rtl else "bottom right",
    )


def inclusion_shares_mpl(
    inc: pd.DataFrame,
    by: str | None = None,
    lang: str = "fr",
    ax: Axes | None = None,
    *,
    context: str = "report",
    source: bool | str = True,
    sample: bool = True,
) -> Axes:
    """Draw the inclusion shares with matplotlib (see :func:`inclusion_shares`)."""
    d = _inclusion_data(inc, by, lang)
    rtl = lang == "ar"
    with style.mpl_style(lang, context):
        s = style.sizes(context)
        height = max(s["figsize"][1], 0.45 * len(d.labels) * s["base"] / 10 + 2.2)
        ax = _new_axes(ax, context, height=height)
        pos = np.arange(len(d.labels), dtype=float)
        for key, off, vals, texts in (
            ("women", -0.2, d.women, d.women_text),
            ("youth", 0.2, d.youth, d.youth_text),
        ):
            shown = [i for i, v in enumerate(vals) if v is not None]
            ax.barh(
                pos[shown] + off,
                [vals[i] for i in shown],
                height=0.38,
                color=style.COLORS[key],
                label=t(f"legend.{key}", lang),
            )
            for i, (v, text) in enumerate(zip(vals, texts, strict=True)):
                hidden = v is None
                ax.annotate(
                    text,
                    (0 if hidden else v, pos[i] + off),
                    xytext=(-3 if rtl else 3, 0),
                    textcoords="offset points",
                    va="center",
                    ha="right" if rtl else "left",
                    fontsize=s["small"],
                    color=style.COLORS["muted"] if hidden else style.COLORS["text"],
                    fontstyle="italic" if hidden else "normal",
                )
        ax.set_xlim(0, 1.12)
        ax.xaxis.set_major_formatter(_pct_formatter(lang))
        ax.set_xlabel(t("axis.share", lang))
        _rows_mpl(ax, d.labels, lang, mirror_x=True)
        _legend(ax, lang, loc="lower right" if not rtl else "lower left")
        _finish_mpl(ax, lang, d.title, d.subtitle, _source_text(source, lang, sample), context)
    return ax
