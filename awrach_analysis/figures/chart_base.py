"""Shared chart helpers: source line, finishing plotly/matplotlib figures, axes, formatters."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, FuncFormatter

from .. import i18n
from ..i18n import fmt_month, fmt_num, fmt_pct, safe
from . import style

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
