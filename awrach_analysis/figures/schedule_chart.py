"""Schedule chart: planned against actual period per project, flagged projects highlighted."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.dates as mdates
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.axes import Axes

from .. import i18n
from ..i18n import fmt_int, fmt_month, key_value, safe, t
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
    _p,
    _require,
    _rows_mpl,
    _source_text,
)

#: Project labels on the schedule chart are cut to this many characters.
PROJECT_LABEL_CHARS = 42
#: Height of a schedule row in font sizes: two lines of text (label, reason) above the bars.
GANTT_ROW = 4.4


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


def _project_label(row: pd.Series, pid: str, lang: str) -> str:
    """Return the project's row label: its id and title (Arabic when asked and given), cut."""
    title = row["title_ar"] if lang == "ar" and not pd.isna(row["title_ar"]) else row["title_fr"]
    label = i18n.shorten(f"{pid} · {'' if pd.isna(title) else title}", PROJECT_LABEL_CHARS)
    return i18n.contain_bidi(label)  # an override in a title ends with the title


def _actual_period(row: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Return the actual period (start month, end of the last reported month), or None."""
    if pd.isna(row["actual_start"]):
        return None
    start = _month(row["actual_start"])
    last = _month(row["last_report"]) if not pd.isna(row["last_report"]) else start
    return (start, last + pd.offsets.MonthEnd(0))


def _main_reason(row: pd.Series, codes: Sequence[str], has_reason: bool, lang: str) -> str:
    """Return the label of the project's main reason ('' when it has none)."""
    main = (
        row["reason"]
        if has_reason and isinstance(row.get("reason"), str)
        else (codes[0] if codes else "")
    )
    return t(f"reason.{main}", lang) if main else ""


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
        ids.append(pid)
        labels.append(_project_label(row, pid, lang))
        p = (pd.Timestamp(row["planned_start"]), pd.Timestamp(row["planned_end"]))
        planned.append(p)
        a = _actual_period(row)
        actual.append(a)
        codes = row["_flags"]
        flagged.append(bool(codes))
        reasons.append(_main_reason(row, codes, "reason" in d, lang))
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
    base = style.sizes(context)["plotly_base"]
    fig = go.Figure()
    _gantt_bars(fig, g, lang, width)
    _gantt_hover(fig, g, lang)
    _gantt_as_of(fig, g, lang)
    _gantt_x_axis(fig, g, lang)
    row = round(base * GANTT_ROW)
    n_rows = len(g.ids) + _gantt_legend_rows(g, base, row)
    _gantt_rows(fig, g, lang, n_rows, rtl)
    _gantt_labels(fig, g, lang, width, base, rtl)
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


def _gantt_bars(fig: go.Figure, g: _Gantt, lang: str, width: float) -> None:
    """Add the bars: planned periods (grey), then actual periods without and with alert."""
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


def _gantt_hover(fig: go.Figure, g: _Gantt, lang: str) -> None:
    """Add one hover point per project (its label and reason are written above its bars)."""
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


def _gantt_as_of(fig: go.Figure, g: _Gantt, lang: str) -> None:
    """Add the reference month as a dotted vertical line (when known and there are rows)."""
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


def _gantt_x_axis(fig: go.Figure, g: _Gantt, lang: str) -> None:
    """Set the month ticks and the time range (left to right in every language)."""
    ticks, texts = _month_ticks(g.months, lang)
    fig.update_xaxes(tickvals=ticks, ticktext=[_p(x, lang) for x in texts], type="date")
    if g.months:
        right = g.months[-1] + pd.offsets.MonthEnd(0)
        fig.update_xaxes(range=[g.months[0] - pd.Timedelta(days=5), right + pd.Timedelta(days=5)])


def _gantt_legend_rows(g: _Gantt, base: float, row: float) -> int:
    """Return the number of empty rows at the bottom that hold the legend (never over a bar)."""
    shown = {f for f, a in zip(g.flagged, g.actual, strict=True) if a is not None}
    entries = 1 + (g.as_of is not None) + len(shown)  # planned, as of, actual (by alert)
    return math.ceil((entries * base * 1.5 + base) / row)


def _gantt_rows(fig: go.Figure, g: _Gantt, lang: str, n_rows: int, rtl: bool) -> None:
    """Lay out a row per project, first at the top, then the legend rows at the bottom."""
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


def _gantt_labels(
    fig: go.Figure, g: _Gantt, lang: str, width: float, base: float, rtl: bool
) -> None:
    """Write each project's label (and the reason it is flagged) above its bars.

    The labels sit inside the plot, at the reading start: no side column of labels, so the
    bars keep the figure's width on a phone as on a page, and no text runs past the right
    edge.
    """
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
        _gantt_bars_mpl(ax, g, lang, s["small"])
        _gantt_as_of_mpl(ax, g, lang)
        _gantt_axes_mpl(ax, g, lang)
        _gantt_legend_mpl(ax, lang, s["small"])
        _finish_mpl(ax, lang, g.title, g.subtitle, _source_text(source, lang, sample), context)
    return ax


def _gantt_bars_mpl(ax: Axes, g: _Gantt, lang: str, small: float) -> None:
    """Draw the planned bars, the actual bars (by alert) and the reasons next to flagged rows."""
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
                fontsize=small,
                color=style.COLORS["flagged_text"],
                fontweight="bold",
            )


def _gantt_as_of_mpl(ax: Axes, g: _Gantt, lang: str) -> None:
    """Draw the reference month as a dotted vertical line (when known)."""
    if g.as_of is not None:
        ax.axvline(
            mdates.date2num(g.as_of + pd.offsets.MonthEnd(0)),
            color=style.COLORS["target"],
            linestyle=":",
            linewidth=1.2,
            label=f"{t('legend.as_of', lang)} ({fmt_month(g.as_of, lang)})",
        )


def _gantt_axes_mpl(ax: Axes, g: _Gantt, lang: str) -> None:
    """Set the time range (room on the right for the reasons), month ticks and row labels."""
    num = mdates.date2num
    if g.months:
        right = num(g.months[-1] + pd.offsets.MonthEnd(0))
        span = right - num(g.months[0])
        ax.set_xlim(num(g.months[0]) - 5, right + max(90, span * 0.4))
    _date_axis_mpl(ax, g.months, lang)
    _rows_mpl(ax, g.labels, lang, mirror_x=False)


def _gantt_legend_mpl(ax: Axes, lang: str, small: float) -> None:
    """Place the legend under the month ticks whatever the height.

    A fraction of a short axis would sit on the ticks: the offset is in points from the
    bottom of the axes' tick labels.
    """
    _legend(
        ax,
        lang,
        loc="upper center",
        bbox_to_anchor=(0.5, 0),
        bbox_transform=ax.transAxes
        + mtransforms.ScaledTranslation(0, -2.2 * small / 72, ax.figure.dpi_scale_trans),
        ncols=2,
    )
