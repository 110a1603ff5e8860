"""Progress charts: the burn-up against the target and the monthly jobs stacked by group."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.axes import Axes

from .. import i18n
from ..i18n import fmt_int, fmt_month, fmt_num, fmt_pct, key_value, t
from ..model.months import month_or_none as _month
from ..model.months import month_range as _month_range
from . import style
from .chart_base import (
    _date_axis_mpl,
    _finish_mpl,
    _finish_plotly,
    _legend,
    _month_ticks,
    _new_axes,
    _num_formatter,
    _p,
    _require,
    _source_text,
)

#: At most this many groups are stacked; the smallest others are pooled as "Other".
MAX_STACKED_GROUPS = 7
#: The projection is drawn at most this many months past the reference month (and never
#: past the end of the target period).
MAX_PROJECTION_MONTHS = 24
#: The burn-up y axis runs to this many times the larger of jobs to date and target.
BURNUP_HEADROOM = 1.3


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
    _forecast_traces(fig, b, lang)
    _target_trace(fig, b, lang)
    _achieved_trace(fig, b, lang)
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


def _forecast_traces(fig: go.Figure, b: _Burnup, lang: str) -> None:
    """Add the forecast: its range as a band, then its central line."""
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


def _target_trace(fig: go.Figure, b: _Burnup, lang: str) -> None:
    """Add the target as a dotted line across the months shown (when known)."""
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


def _achieved_trace(fig: go.Figure, b: _Burnup, lang: str) -> None:
    """Add the jobs achieved to date, month by month."""
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
