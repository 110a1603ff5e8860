"""Inclusion chart: shares of women and youth by group, suppressed cells shown as such."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from matplotlib.axes import Axes

from .. import i18n
from ..i18n import fmt_int, fmt_pct, key_value, t
from . import style
from .chart_base import (
    _finish_mpl,
    _finish_plotly,
    _legend,
    _new_axes,
    _p,
    _pct_formatter,
    _require,
    _rows_mpl,
    _share_ticks,
    _source_text,
)

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
