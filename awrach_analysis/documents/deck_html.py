"""HTML pieces of a slide (title, heading, bullets, big numbers, table, notes), escaped here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .. import i18n
from .report import Html  # shared with the report

#: The package's one HTML escaping (:func:`awrach_analysis.i18n.safe`), under its old name.
escape = i18n.safe


def title_slide(title: str, subtitle: str = "", *, banner: str = "") -> Html:
    """Return the opening slide: a title, a subtitle and an optional warning banner.

    Parameters
    ----------
    title, subtitle : str
        Plain text (escaped here).
    banner : str, optional
        Shown in a red box, e.g. "synthetic sample data".

    Returns
    -------
    Html
    """
    parts = [f'<h1 class="deck-title">{escape(title)}</h1>']
    if subtitle:
        parts.append(f'<p class="slide-subtitle">{escape(subtitle)}</p>')
    if banner:
        parts.append(f'<p class="sample-banner">{escape(banner)}</p>')
    return Html("\n".join(parts))


def heading(title: str, subtitle: str = "") -> Html:
    """Return a slide heading: the message of the slide in a full sentence.

    Parameters
    ----------
    title : str
        The message (plain text, escaped here).
    subtitle : str, optional
        A short line under it (scope, month, unit).

    Returns
    -------
    Html
    """
    out = f'<h2 class="slide-title">{escape(title)}</h2>'
    if subtitle:
        out += f'\n<p class="slide-subtitle">{escape(subtitle)}</p>'
    return Html(out)


def bullets(items: Sequence[str], *, css_class: str = "") -> Html:
    """Return a bullet list (items are plain text, escaped here)."""
    cls = f' class="{escape(css_class)}"' if css_class else ""
    body = "".join(f"<li>{escape(item)}</li>" for item in items)
    return Html(f"<ul{cls}>{body}</ul>")


def big_numbers(items: Sequence[tuple[str, str]]) -> Html:
    """Return up to four large figures side by side.

    Parameters
    ----------
    items : sequence of (value, label)
        Already formatted value (``"1 100"``) and its label, both plain text.

    Returns
    -------
    Html
    """
    cells = "".join(
        f'<div class="big-number"><span class="value">{escape(v)}</span>'
        f'<span class="label">{escape(label)}</span></div>'
        for v, label in items
    )
    return Html(f'<div class="big-numbers">{cells}</div>')


def deck_table(
    rows: Any,
    columns: Mapping[str, str],
    *,
    numeric: Sequence[str] = (),
    alert: Sequence[str] = (),
    max_rows: int = 8,
) -> Html:
    """Return a large-type table for a slide.

    Parameters
    ----------
    rows : pandas.DataFrame
        Values already formatted for display (text); rows beyond ``max_rows`` are cut.
    columns : mapping
        Column of ``rows`` -> header shown, in display order.
    numeric : sequence of str
        Columns aligned to the end of the cell (numbers).
    alert : sequence of str
        Columns shown in the alert colour.
    max_rows : int, default 8
        A slide shows at most this many rows (the rest belongs in the report).

    Returns
    -------
    Html
    """
    head = "".join(
        f'<th class="{"num" if c in numeric else ""}">{escape(label)}</th>'
        for c, label in columns.items()
    )
    body = []
    for _, row in rows.head(max_rows).iterrows():
        tds = []
        for c in columns:
            classes = " ".join(k for k, on in (("num", c in numeric), ("alert", c in alert)) if on)
            value = row[c]
            text = "" if value is None or (isinstance(value, float) and value != value) else value
            tds.append(f'<td class="{classes}">{escape(text)}</td>')
        body.append("<tr>" + "".join(tds) + "</tr>")
    return Html(
        f'<table class="deck-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def speaker_notes(lines: Sequence[str]) -> Html:
    """Return speaker notes: one paragraph per line (shown in reveal's speaker view, ``S``).

    Display it in a cell whose ``slideshow.slide_type`` is ``"notes"``.
    """
    return Html("".join(f"<p>{escape(line)}</p>" for line in lines))
