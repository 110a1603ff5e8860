"""Saving figures to files: PNG (300 dpi) and PDF for matplotlib, HTML/JSON for plotly."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import plotly.graph_objects as go
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["MPL_FORMATS", "PLOTLY_FORMATS", "save_figure"]

#: Formats written for a matplotlib figure.
MPL_FORMATS = ("png", "pdf", "svg")
#: Formats written for a plotly figure without a browser (static images of plotly figures
#: need kaleido and Chromium: draw the ``*_mpl`` twin of the chart for print instead).
PLOTLY_FORMATS = ("html", "json")

# Metadata that would change on every run (dates, library versions) is left out, so the
# same figure gives the same bytes.
_METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
    "svg": {"Creator": None, "Date": None},
}

# Read at save time, not at drawing time: TrueType fonts embedded in PDF/PS (text stays
# searchable and Arabic glyphs are the shaped ones), stable SVG ids.
_SAVE_RC = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.hashsalt": "awrach"}


def save_figure(
    fig_or_ax: Figure | Axes | go.Figure,
    path_stem: str | Path,
    formats: Sequence[str] = ("png", "pdf"),
    dpi: int = 300,
) -> list[Path]:
    """Write a figure to ``<path_stem>.<format>`` for each format and return the paths.

    Parameters
    ----------
    fig_or_ax : matplotlib Figure or Axes, or plotly Figure
        What to save (an Axes saves its whole figure).
    path_stem : str or Path
        Path without extension; parent folders are created. An extension already
        present (``chart.png``) is replaced.
    formats : sequence of str, default ("png", "pdf")
        matplotlib: ``png``, ``pdf``, ``svg``. plotly: ``html`` (one offline file with
        plotly.js inlined and MathJax off) and ``json``.
    dpi : int, default 300
        Resolution of raster formats.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.

    Raises
    ------
    ValueError
        For a format the figure type cannot be written to, with what to do instead.
    TypeError
        When ``fig_or_ax`` is not a figure.
    """
    stem = Path(path_stem)
    if stem.suffix.lower().lstrip(".") in (*MPL_FORMATS, *PLOTLY_FORMATS):
        stem = stem.with_suffix("")
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    if isinstance(fig_or_ax, go.Figure):
        for fmt in formats:
            if fmt not in PLOTLY_FORMATS:
                raise ValueError(
                    f"cannot save a plotly figure as {fmt!r} without a browser; use one of "
                    f"{', '.join(PLOTLY_FORMATS)}, or draw the chart's *_mpl twin "
                    "(awrach_analysis.figures.charts) for PNG/PDF"
                )
            path = stem.with_suffix(f".{fmt}")
            if fmt == "html":
                fig_or_ax.write_html(
                    path,
                    include_plotlyjs=True,
                    include_mathjax=False,
                    full_html=True,
                    div_id=stem.name,
                    config={"displaylogo": False},
                )
            else:
                path.write_text(fig_or_ax.to_json(), encoding="utf-8")
            paths.append(path)
        return paths
    if isinstance(fig_or_ax, Axes | Figure):
        fig = fig_or_ax.get_figure(root=True)
    else:
        raise TypeError(
            f"save_figure needs a matplotlib Figure or Axes or a plotly Figure, "
            f"not {type(fig_or_ax).__name__}"
        )
    for fmt in formats:
        if fmt not in MPL_FORMATS:
            raise ValueError(
                f"cannot save a matplotlib figure as {fmt!r}; use one of {', '.join(MPL_FORMATS)}"
            )
        path = stem.with_suffix(f".{fmt}")
        with mpl.rc_context(_SAVE_RC):
            fig.savefig(path, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
        paths.append(path)
    return paths
