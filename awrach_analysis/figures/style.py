"""Visual identity: colour-blind-safe palette, fonts, sizes, matplotlib and plotly styles."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import matplotlib as mpl
import plotly.graph_objects as go
import plotly.io as pio
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import i18n

__all__ = [
    "COLORS",
    "CONTEXTS",
    "FALLBACK_FONT",
    "PALETTE",
    "PLOTLY_TEMPLATE",
    "STATUS_COLORS",
    "add_source",
    "add_titles",
    "css_font_stack",
    "font_stack",
    "mpl_style",
    "plotly_layout",
    "rc",
    "register_plotly_template",
    "sizes",
    "source_line",
    "source_lines",
    "source_margin",
    "title_margin",
    "wrap",
    "wrap_plotly",
]

#: Okabe–Ito palette (Okabe & Ito 2008), distinguishable with the common colour-vision
#: deficiencies; ordered so that the first colours of a stack are the most distinct.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)

#: Colours with a meaning, used the same way in every chart. Alerts are never encoded by
#: red versus green alone: flagged items are vermillion *and* labelled or marked.
COLORS = {
    "achieved": "#0072B2",
    "target": "#222222",
    "forecast": "#56B4E9",
    "forecast_band": "rgba(86, 180, 233, 0.25)",
    "planned": "#C8C8C8",
    "actual": "#0072B2",
    "flagged": "#D55E00",
    # Text in the flagged colour: vermillion darkened to 5.05:1 on white (WCAG AA asks
    # 4.5:1; the palette's #D55E00 is 3.87:1 and stays for marks only).
    "flagged_text": "#B84F00",
    "women": "#CC79A7",
    "youth": "#E69F00",
    "parity": "#555555",
    "average": "#555555",
    "urban": "#0072B2",
    "rural": "#E69F00",
    "text": "#222222",
    "muted": "#666666",
    "grid": "#E3E3E3",
    "background": "#FFFFFF",
}

#: Status colours (``schema.STATUSES`` codes).
STATUS_COLORS = {
    "planned": "#999999",
    "ongoing": "#0072B2",
    "suspended": "#E69F00",
    "completed": "#009E73",
    "cancelled": "#000000",
}

#: Output contexts: figure size (inches), font sizes (points) and line width.
CONTEXTS: dict[str, dict[str, Any]] = {
    "report": {
        "figsize": (8.0, 4.8),
        "base": 10.0,
        "title": 13.0,
        "subtitle": 10.0,
        "small": 8.0,
        "line": 2.0,
        "plotly_base": 13,
        "plotly_height": 480,
        # Characters per line of plotly titles, subtitles and source lines: a report is
        # read on phones too, where a figure is ~350 px wide and plotly never wraps text.
        "plotly_chars": (33, 46, 60),
    },
    "slides": {
        "figsize": (12.0, 6.4),
        "base": 17.0,
        "title": 24.0,
        "subtitle": 17.0,
        "small": 13.0,
        "line": 3.2,
        "plotly_base": 20,
        "plotly_height": 620,
        "plotly_chars": (70, 90, 110),
    },
    "print": {
        "figsize": (6.3, 3.9),
        "base": 8.5,
        "title": 10.5,
        "subtitle": 8.5,
        "small": 7.0,
        "line": 1.6,
        "plotly_base": 12,
        "plotly_height": 420,
        "plotly_chars": (60, 80, 100),
    },
}

#: Font that always exists (bundled with matplotlib) and covers Latin and Arabic.
FALLBACK_FONT = "DejaVu Sans"
# Preferred faces, used when installed (Debian ``fonts-noto-core``, ``fonts-hosny-amiri``).
# Noto Sans Arabic/Naskh lack Latin letters: the Latin face always follows in the stack,
# and matplotlib falls back glyph by glyph along the list.
_LATIN_FACES = ("Noto Sans",)
_ARABIC_FACES = ("Noto Sans Arabic", "Noto Naskh Arabic", "Amiri")

#: Name under which the plotly template is registered in ``plotly.io.templates``.
PLOTLY_TEMPLATE = "awrach"


def sizes(context: str = "report") -> dict[str, Any]:
    """Return the sizes of an output context.

    Parameters
    ----------
    context : {"report", "slides", "print"}
        Where the figure goes: the monthly HTML report, a council slide (large type), or
        print.

    Returns
    -------
    dict
        ``figsize``, ``base``, ``title``, ``subtitle``, ``small`` (points), ``line``
        (line width), ``plotly_base`` (px), ``plotly_height`` (px) and ``plotly_chars``
        (characters per line of a plotly title, subtitle and source line).
    """
    if context not in CONTEXTS:
        raise ValueError(f"unknown context {context!r}; use one of {', '.join(CONTEXTS)}")
    return CONTEXTS[context]


@cache
def _installed(family: str) -> bool:
    from matplotlib import font_manager

    try:
        font_manager.findfont(family, fallback_to_default=False)
    except ValueError:
        return False
    return True


def font_stack(lang: str) -> list[str]:
    """Return the matplotlib font families for ``lang``, installed ones only.

    One Arabic face and one Latin face (the first installed of each preference list),
    the Arabic one first in Arabic, the Latin one first in French and English; matplotlib
    falls back glyph by glyph along the list. The list always ends with DejaVu Sans, which
    matplotlib bundles and which covers every character of the catalogue, so no glyph is
    ever drawn as a box even on a machine without the preferred faces.

    Parameters
    ----------
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    list of str
        Font family names, most preferred first.
    """
    rtl = i18n.direction(lang) == "rtl"
    arabic = [f for f in _ARABIC_FACES if _installed(f)][:1]
    latin = [f for f in _LATIN_FACES if _installed(f)][:1]
    faces = arabic + latin if rtl else latin + arabic
    return [*faces, FALLBACK_FONT]


def css_font_stack(lang: str) -> str:
    """Return a CSS ``font-family`` value for plotly (local fonts only, no web fonts)."""
    rtl = i18n.direction(lang) == "rtl"
    faces = (_ARABIC_FACES[0], *_LATIN_FACES) if rtl else (*_LATIN_FACES, _ARABIC_FACES[0])
    return ", ".join(f"'{f}'" for f in (*faces, FALLBACK_FONT)) + ", Arial, sans-serif"


def rc(lang: str = "fr", context: str = "report") -> dict[str, Any]:
    """Return the matplotlib rcParams of the house style.

    Parameters
    ----------
    lang : {"fr", "ar", "en"}
        Language: sets the font stack and, for Arabic, right-aligned titles.
    context : {"report", "slides", "print"}
        Output context (sizes).

    Returns
    -------
    dict
        rcParams, for ``matplotlib.rc_context`` or ``matplotlib.rcParams.update``.
    """
    s = sizes(context)
    rtl = i18n.direction(lang) == "rtl"
    return {
        "font.family": font_stack(lang),
        "font.size": s["base"],
        "axes.titlesize": s["title"],
        "axes.titleweight": "bold",
        "axes.titlelocation": "right" if rtl else "left",
        "axes.labelsize": s["base"],
        "axes.labelcolor": COLORS["text"],
        "axes.edgecolor": "#888888",
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": COLORS["grid"],
        "grid.linewidth": 0.8,
        "xtick.labelsize": s["small"],
        "ytick.labelsize": s["small"],
        "xtick.color": COLORS["muted"],
        "ytick.color": COLORS["muted"],
        "legend.fontsize": s["small"],
        "legend.frameon": False,
        "lines.linewidth": s["line"],
        "figure.figsize": s["figsize"],
        "figure.dpi": 100,
        "figure.facecolor": COLORS["background"],
        "figure.constrained_layout.use": True,
        "savefig.dpi": 300,
        "savefig.facecolor": COLORS["background"],
        "text.color": COLORS["text"],
        "text.language": lang,
        # Partners' titles and names may hold "$": draw them as typed, never as mathtext.
        "text.parse_math": False,
        # Embed TrueType (searchable, selectable text in PDF) and keep SVG ids stable.
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.hashsalt": "awrach",
        "axes.unicode_minus": True,
    }


@contextmanager
def mpl_style(lang: str = "fr", context: str = "report") -> Iterator[None]:
    """Apply the house style to the matplotlib figures and texts created inside the block.

    Parameters
    ----------
    lang : {"fr", "ar", "en"}
        Language.
    context : {"report", "slides", "print"}
        Output context.

    Yields
    ------
    None

    Notes
    -----
    Only the style is undone on exit, never the session's state: matplotlib's
    ``rc_context`` would also reset ``interactive``, which Jupyter turns on when pyplot
    picks its backend at the first figure. A first figure made inside the block would then
    leave the notebook non-interactive, and every later figure would wait for
    ``plt.show()``. So the backend is resolved before the block, and ``interactive`` is left
    as the block leaves it.
    """
    settings = rc(lang, context)
    mpl.get_backend()  # resolves the backend now (and lets Jupyter set interactive mode)
    interactive = mpl.is_interactive()
    try:
        with mpl.rc_context(settings):
            try:
                yield
            finally:
                interactive = mpl.is_interactive()
    finally:
        mpl.interactive(interactive)


def wrap(text: str, width: int) -> str:
    """Wrap each line of ``text`` at ``width`` characters (no-break spaces never break)."""
    return "\n".join(
        "\n".join(textwrap.wrap(line, width=width, break_long_words=False)) or line
        for line in text.split("\n")
    )


def _chars_per_line(ax: Axes, fontsize: float) -> int:
    width_in = ax.get_figure(root=True).get_figwidth() * 0.92
    return max(20, int(width_in * 72 / (fontsize * 0.55)))


def add_titles(
    ax: Axes, title: str, subtitle: str | None = None, lang: str = "fr", context: str = "report"
) -> Axes:
    """Put a message title (bold) and an optional subtitle above a matplotlib Axes.

    Both are aligned to the reading start: left in French and English, right in Arabic.
    They are annotations (``gid`` ``"awrach-title"`` and ``"awrach-subtitle"``), the title
    anchored to the top of the subtitle, so that they never overlap whatever the font's
    line height; constrained layout keeps room for both.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes to title.
    title : str
        The message, e.g. "37 emplois sur 40 : 93 % de l'objectif".
    subtitle : str, optional
        What is shown (measure, scope).
    lang : {"fr", "ar", "en"}
        Language.
    context : {"report", "slides", "print"}
        Output context (sizes).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    s = sizes(context)
    rtl = i18n.direction(lang) == "rtl"
    ha = "right" if rtl else "left"
    x = 1.0 if rtl else 0.0
    anchor: Any = "axes fraction"
    gap = 6
    if subtitle:
        anchor = ax.annotate(
            wrap(i18n.ar_text(subtitle), _chars_per_line(ax, s["subtitle"])),
            xy=(x, 1.0),
            xycoords="axes fraction",
            xytext=(0, 6),
            textcoords="offset points",
            ha=ha,
            va="bottom",
            fontsize=s["subtitle"],
            color=COLORS["muted"],
            multialignment=ha,
            gid="awrach-subtitle",
        )
        gap = 3
    ax.annotate(
        wrap(i18n.ar_text(title), _chars_per_line(ax, s["title"])),
        xy=(x, 1.0),
        xycoords=anchor,
        xytext=(0, gap),
        textcoords="offset points",
        ha=ha,
        va="bottom",
        fontsize=s["title"],
        fontweight="bold",
        color=COLORS["text"],
        multialignment=ha,
        gid="awrach-title",
    )
    return ax


def source_line(lang: str, sample: bool = True) -> str:
    """Return the source line shown under each figure.

    Parameters
    ----------
    lang : {"fr", "ar", "en"}
        Language.
    sample : bool, default True
        True for the synthetic sample (says so), False for real monitoring data.

    Returns
    -------
    str
        e.g. "Source : données de suivi Awrach (échantillon synthétique) ; recensement HCP
        2024 (CC BY 4.0)".
    """
    return i18n.t("source.sample" if sample else "source.monitoring", lang)


def add_source(
    fig_or_ax: Figure | Axes, text: str, lang: str = "fr", context: str = "report"
) -> Figure:
    """Write a source line under a matplotlib figure (once per figure).

    The line is the figure's ``supxlabel``, so constrained layout keeps room for it; it
    is aligned left (right in Arabic) and set in small grey type.

    Parameters
    ----------
    fig_or_ax : Figure or Axes
        The figure, or an Axes of it.
    text : str
        Source text (:func:`source_line`).
    lang : {"fr", "ar", "en"}
        Language.
    context : {"report", "slides", "print"}
        Output context (sizes).

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    fig = fig_or_ax.figure if isinstance(fig_or_ax, Axes) else fig_or_ax
    s = sizes(context)
    rtl = i18n.direction(lang) == "rtl"
    width = max(40, int(fig.get_figwidth() * 72 / (s["small"] * 0.52)))
    fig.supxlabel(
        wrap(i18n.ar_text(text), width),
        x=0.99 if rtl else 0.01,
        ha="right" if rtl else "left",
        fontsize=s["small"],
        color=COLORS["muted"],
        multialignment="right" if rtl else "left",
    )
    return fig


# ---------------------------------------------------------------------------------------
# plotly
# ---------------------------------------------------------------------------------------


def register_plotly_template() -> str:
    """Register the house plotly template as ``plotly.io.templates["awrach"]``.

    Returns
    -------
    str
        The template name, to pass as ``template=`` (idempotent).
    """
    axis = {
        "showgrid": True,
        "gridcolor": COLORS["grid"],
        "zeroline": False,
        "linecolor": "#888888",
        "ticks": "outside",
        "tickcolor": "#888888",
        "automargin": True,
        "title": {"standoff": 8},
    }
    pio.templates[PLOTLY_TEMPLATE] = go.layout.Template(
        layout={
            "font": {"family": css_font_stack("fr"), "size": 13, "color": COLORS["text"]},
            "colorway": list(PALETTE),
            "paper_bgcolor": COLORS["background"],
            "plot_bgcolor": COLORS["background"],
            "title": {"font": {"size": 18}, "x": 0, "xanchor": "left", "automargin": True},
            "legend": {"orientation": "h", "bgcolor": "rgba(255,255,255,0)"},
            "hoverlabel": {"font": {"family": css_font_stack("fr")}},
            "xaxis": axis,
            "yaxis": axis,
            # A narrow right margin: on a phone every pixel of width is the plot's.
            "margin": {"l": 60, "r": 10, "t": 90, "b": 90},
            "bargap": 0.25,
        }
    )
    return PLOTLY_TEMPLATE


register_plotly_template()

# plotly ``separators``: decimal mark then thousands separator.
_SEPARATORS = {"fr": ",\u202f", "ar": ",\u202f", "en": ".,"}
#: Height of a drawn line of text, in font sizes. The Arabic glyphs of the fonts a browser
#: finds (DejaVu Sans, Noto) stand much taller than Latin ones: plotly, which sizes lines by
#: the font size, puts Arabic axis titles on their tick labels and titles on the plot.
_LINE_HEIGHT = {"ltr": 1.5, "rtl": 2.2}
#: A source line longer than this many characters is broken after its first ";" or "؛".
SOURCE_LINE_CHARS = 60
_SOURCE_BREAK = re.compile(r"[;؛](?= )")


def _line_count(text: str | None) -> int:
    return 0 if not text else len(re.split(r"<br\s*/?>", text, flags=re.IGNORECASE))


def source_lines(text: str, width: int = SOURCE_LINE_CHARS) -> str:
    """Break a long source line in two after its first ``;`` (``؛`` in Arabic).

    A figure can be narrow (a phone, a slide column, a chart whose labels take most of
    the width): one long line would run off the edge, and plotly does not wrap text. An
    Arabic line isolated with :func:`awrach_analysis.i18n.isolate` is isolated again line by
    line.

    Parameters
    ----------
    text : str
        Source line, plain or escaped for plotly; lines are split at ``<br>``.
    width : int
        Lines up to this many characters are left whole.

    Returns
    -------
    str
        The text with ``<br>`` after the separator of each long line.
    """
    out = []
    for line in text.split("<br>"):
        isolated = line.startswith(i18n.RLI) and line.endswith(i18n.PDI)
        inner = line[1:-1] if isolated else line
        match = _SOURCE_BREAK.search(inner)
        if len(inner) > width and match:
            parts = [inner[: match.end()], inner[match.end() + 1 :]]
            out += [i18n.RLI + x + i18n.PDI if isolated else x for x in parts]
        else:
            out.append(line)
    return "<br>".join(out)


#: Spans that must stay on one line: isolates (numbers, Latin words in Arabic) and tags.
_UNBREAKABLE = re.compile("[\u2066\u2067\u2068][^\u2066-\u2069]*\u2069|<[^>]*>")


def wrap_plotly(text: str, width: int) -> str:
    """Wrap each ``<br>`` line of a plotly string at ``width`` characters, with ``<br>``.

    plotly.js never wraps text: a title longer than its figure is cut at the edge, which on
    a phone is most titles. Lines break at spaces only, never inside a hyphenated word
    (``P23-061``), an isolate (a number or a Latin name inside Arabic) or an HTML tag; a
    line isolated right-to-left (:func:`awrach_analysis.i18n.isolate`) gives lines that are
    each isolated.

    Parameters
    ----------
    text : str
        Text escaped for plotly.
    width : int
        Characters per line (entities count as their source length: a safe estimate).

    Returns
    -------
    str
        The text with ``<br>`` where it wraps.
    """
    out = []
    for line in text.split("<br>"):
        isolated = line.startswith(i18n.RLI) and line.endswith(i18n.PDI)
        inner = line[1:-1] if isolated else line
        protected = _UNBREAKABLE.sub(lambda m: m.group(0).replace(" ", "\x00"), inner)
        parts = textwrap.wrap(protected, width, break_long_words=False, break_on_hyphens=False) or [
            protected
        ]
        parts = [x.replace("\x00", " ") for x in parts]
        out += [i18n.RLI + x + i18n.PDI if isolated else x for x in parts]
    return "<br>".join(out)


def title_margin(
    lang: str, context: str = "report", title: str | None = "", subtitle: str | None = ""
) -> int:
    """Return the top margin (px) that holds a plotly title and subtitle of this language.

    Parameters
    ----------
    lang : {"fr", "ar", "en"}
        Language (Arabic lines are taller).
    context : {"report", "slides", "print"}
        Output context (font sizes).
    title, subtitle : str, optional
        The texts (lines split at ``<br>``); an empty string counts as one line, ``None``
        as none.

    Returns
    -------
    int
        Pixels from the top of the figure to the top of the plot area (at least 90).
    """
    base = sizes(context)["plotly_base"]
    line = _LINE_HEIGHT[i18n.direction(lang)]
    lines = [max(1, _line_count(x)) if x is not None else 0 for x in (title, subtitle)]
    needed = round(base * 1.2) + line * (round(base * 1.35) * lines[0] + base * lines[1])
    needed += round(base * 0.8) * max(0, lines[0] - 1)  # the pad of a wrapped title
    return max(90, round(needed + base * 1.5))


def source_margin(context: str = "report", lines: int = 1) -> int:
    """Return the bottom margin (px) under the plot that holds the source line below the ticks."""
    return round(sizes(context)["plotly_base"] * (5.6 + 1.4 * lines))


def plotly_layout(
    fig: go.Figure,
    lang: str,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    context: str = "report",
    legend_at: str = "top left",
) -> go.Figure:
    """Apply the house template, language and titles to a plotly figure (in place).

    Arabic gets a right-to-left friendly layout: title, subtitle and source line aligned
    right, ``hoverlabel.align="right"``, and an Arabic-first font stack. The page that
    shows the figure must keep the plot container left-to-right (``dir="ltr"`` on the
    figure's ``div``) even in an RTL page: plotly.js misplaces hover labels otherwise
    (plotly.js #2790). Inside that LTR container SVG text is laid out left to right, so
    Arabic strings must be wrapped with :func:`awrach_analysis.i18n.isolate`: this
    function does it for the title, subtitle and source line it is given (isolating
    twice changes nothing); texts a caller puts elsewhere (axis titles, ticks, legend
    names, hover text) are the caller's to isolate.

    The top margin is computed from the lines of the title and subtitle (Arabic lines
    are taller), instead of plotly's title automargin, which grows the margin of Arabic
    figures far past the title. Axis titles stand further from their tick labels in
    Arabic. The source line sits under the plot at the reading start; a long one is
    broken in two (:func:`source_lines`). When the figure has explicit left/right margins
    (a chart that reserves room for its row labels), the source line starts at the
    figure's edge rather than at the plot's.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        Figure to style.
    lang : {"fr", "ar", "en"}
        Language.
    title, subtitle, source : str, optional
        Message title, subtitle and source line, escaped for plotly
        (:func:`awrach_analysis.i18n.safe`); lines are split at ``<br>``.
    context : {"report", "slides", "print"}
        Output context (sizes). The height is set only when the figure has none.
    legend_at : str, default "top left"
        Corner of the plot area holding the legend ("top left", "bottom right"...): inside
        the plot, where the chart leaves room, so it never collides with the titles.

    Returns
    -------
    plotly.graph_objects.Figure
        ``fig``.
    """
    s = sizes(context)
    rtl = i18n.direction(lang) == "rtl"
    x, anchor = (1.0, "right") if rtl else (0.0, "left")
    base = s["plotly_base"]
    title_size = round(base * 1.35)
    vertical, horizontal = legend_at.split()
    source = source_lines(source) if source else source
    title, subtitle, source = (
        wrap_plotly(i18n.isolate(text, lang), chars) if text else text
        for text, chars in zip((title, subtitle, source), s["plotly_chars"], strict=True)
    )
    # Title pad: Arabic marks above the letters (hamza) stay inside; plotly anchors a wrapped
    # title by its middle lines, so each extra line needs more room above.
    top = round(base * 1.2) + round(base * 0.8) * max(0, _line_count(title) - 1)
    fig.update_layout(
        template=PLOTLY_TEMPLATE,
        font={"family": css_font_stack(lang), "size": base},
        separators=_SEPARATORS[lang],
        hoverlabel={"align": "right" if rtl else "left", "font": {"family": css_font_stack(lang)}},
        legend={
            "orientation": "v",
            "x": 0.01 if horizontal == "left" else 0.99,
            "xanchor": horizontal,
            "y": 0.99 if vertical == "top" else 0.01,
            "yanchor": vertical,
            "bgcolor": "rgba(255,255,255,0.85)",
            "bordercolor": COLORS["grid"],
            "borderwidth": 1,
            "font": {"size": base - 1},
        },
        title={
            "text": title,
            "x": 0.99 if rtl else 0.01,
            "xanchor": anchor,
            "xref": "container",
            "yref": "container",
            "y": 1.0,
            "yanchor": "top",
            "pad": {"t": top},
            "font": {"size": title_size},
            "subtitle": {"text": subtitle, "font": {"size": base, "color": COLORS["muted"]}},
            "automargin": False,
        },
        meta={"lang": lang, "dir": i18n.direction(lang)},
    )
    # Lines added by wrapping make the figure taller, never the plot smaller.
    grown = 0
    if title and fig.layout.margin.t is None:
        top_margin = title_margin(lang, context, title, subtitle)
        one_line = title_margin(lang, context, "", "" if subtitle else None)
        grown = top_margin - one_line
        fig.update_layout(margin={"t": top_margin})
    if rtl:  # tall Arabic glyphs: keep axis titles off the tick labels
        fig.update_xaxes(title_standoff=base)
        fig.update_yaxes(title_standoff=base)
    if fig.layout.height is None:
        fig.update_layout(height=s["plotly_height"] + grown)
    if source:
        # From the figure's edge when the chart set its side margin (row labels there).
        margin = fig.layout.margin.r if rtl else fig.layout.margin.l
        shift = max(0, margin - 10) if margin is not None else 0
        fig.add_annotation(
            text=source,
            xref="paper",
            yref="paper",
            x=x,
            y=0,
            xanchor=anchor,
            yanchor="top",
            xshift=shift if rtl else -shift,
            yshift=-round(base * 4.4),
            showarrow=False,
            align=anchor,
            font={"size": base - 2, "color": COLORS["muted"]},
            name="source",
        )
        fig.update_layout(margin={"b": source_margin(context, _line_count(source))})
    return fig
