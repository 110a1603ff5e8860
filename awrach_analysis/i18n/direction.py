"""Text direction: bidi isolates that keep numbers and Arabic lines in order, Arabic for matplotlib.

Re-exported by :mod:`awrach_analysis.i18n` (``i18n.ltr``, ``i18n.isolate``...).
"""

from __future__ import annotations

from ..model.lang import check_lang

#: LEFT-TO-RIGHT ISOLATE, RIGHT-TO-LEFT ISOLATE and POP DIRECTIONAL ISOLATE (Unicode bidi).
LRI = "\u2066"
RLI = "\u2067"
PDI = "\u2069"

#: Explicit embeddings and overrides (LRE, RLE, LRO, RLO) closed by POP DIRECTIONAL
#: FORMATTING (PDF); isolates (LRI, RLI, FSI) closed by PDI.
_EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
_ISOLATES = frozenset("\u2066\u2067\u2068")
PDF = "\u202c"


def contain_bidi(text: str) -> str:
    """Return ``text`` with its bidi controls balanced, so their effect ends with the text.

    A name holding RIGHT-TO-LEFT OVERRIDE (U+202E) would otherwise reverse everything shown
    after it on the same line: the numbers of a hover label ("12 emplois" shown as
    "emplois 21"), the row of a data-quality message. Every visible character is kept; a
    closing control with nothing to close (which could end an isolate around the value) is
    dropped, and the embeddings and isolates left open are closed at the end. Text without
    bidi controls is returned unchanged.

    Parameters
    ----------
    text : str
        Text from data.

    Returns
    -------
    str
        The same text, with no bidi control reaching past its end.
    """
    if not any(c in _EMBEDDINGS or c in _ISOLATES or c in (PDF, PDI) for c in text):
        return text
    out: list[str] = []
    stack: list[str] = []
    for c in text:
        if c in _EMBEDDINGS:
            stack.append(PDF)
        elif c in _ISOLATES:
            stack.append(PDI)
        elif c == PDF:
            if not stack or stack[-1] != PDF:
                continue  # closes nothing inside the text (or would cross an isolate)
            stack.pop()
        elif c == PDI:
            if PDI not in stack:
                continue  # would close an isolate opened around the text
            while stack.pop() != PDI:  # a PDI also closes the embeddings inside it
                pass
        out.append(c)
    out.extend(reversed(stack))
    return "".join(out)


def ltr(text: str, lang: str) -> str:
    """Return ``text`` kept left to right inside right-to-left text (Arabic only).

    In Arabic the text is wrapped in LEFT-TO-RIGHT ISOLATE (U+2066) ... POP DIRECTIONAL
    ISOLATE (U+2069): the Unicode bidi algorithm then lays it out as one left-to-right
    block, whatever stands around it, without changing the direction of the sentence it
    sits in (as a left-to-right mark at the start of a line would). Browsers, SVG text in
    plotly and matplotlib (libraqm) all honour it, and the two marks are invisible. This is
    what keeps "+31", "-0,1", "27,7%" and "<5" from showing as "31+", "0,1-", "%27,7" and
    "5>" in Arabic. Text already wrapped is returned as is; French and English unchanged.

    Parameters
    ----------
    text : str
        A number, a code or a Latin name.
    lang : {"fr", "ar", "en"}
        Language of the text around it.

    Returns
    -------
    str
        The text, isolated in Arabic.
    """
    if lang != "ar" or not text or (text.startswith(LRI) and text.endswith(PDI)):
        return text
    return LRI + text + PDI


def _strip_isolate(text: str) -> str:
    return text[1:-1] if text.startswith(LRI) and text.endswith(PDI) else text


def direction(lang: str) -> str:
    """Return the writing direction of ``lang``: ``"rtl"`` for Arabic, else ``"ltr"``."""
    return "rtl" if check_lang(lang) == "ar" else "ltr"


def isolate(text: str, lang: str) -> str:
    """Return text that a left-to-right container shows in the right order (for plotly).

    Browsers lay out SVG text with the direction of its container, not of its first
    letter; plotly figures must sit in a left-to-right container (plotly.js #2790), so an
    Arabic title with numbers or Latin words would be ordered as a left-to-right line.
    In Arabic each line (lines split at ``<br>``) is wrapped in RIGHT-TO-LEFT ISOLATE ...
    POP DIRECTIONAL ISOLATE, which restores the right-to-left order whatever the
    container; a line already wrapped is left as it is, so isolating twice changes
    nothing. French and English are returned unchanged. Not for matplotlib, which finds
    the direction itself.

    Parameters
    ----------
    text : str
        Text (already escaped for plotly).
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The text, isolated line by line in Arabic.
    """
    if direction(lang) != "rtl" or not text:
        return text
    return "<br>".join(
        line if line.startswith(RLI) and line.endswith(PDI) else RLI + line + PDI
        for line in text.split("<br>")
    )


def _matplotlib_shapes_text() -> bool:
    """Return True when matplotlib lays out complex scripts itself (libraqm, >= 3.11)."""
    from matplotlib import ft2font

    return hasattr(ft2font, "__libraqm_version__")


def ar_text(text: str) -> str:
    """Return Arabic text ready for matplotlib on the installed version.

    matplotlib >= 3.11 lays out text with libraqm: it shapes Arabic (joining forms) and
    orders mixed right-to-left/left-to-right runs itself. The old recipe (``arabic_reshaper``
    then ``python-bidi``) feeds it presentation forms in visual order, which libraqm
    reverses *again* (matplotlib #32262). So on this version the function is the identity;
    ``tests/test_i18n.py`` proves on rendered pixels that the word خنيفرة is joined and
    starts (خ) at the right. On an older matplotlib without libraqm it applies the old
    recipe when those two packages are installed, and otherwise raises.

    Parameters
    ----------
    text : str
        Text in logical order, as typed.

    Returns
    -------
    str
        Text to pass to matplotlib.

    Raises
    ------
    RuntimeError
        On a matplotlib without libraqm when ``arabic_reshaper``/``python-bidi`` are
        missing: Arabic would be drawn unjoined and left to right.
    """
    if _matplotlib_shapes_text() or not any("\u0600" <= c <= "\u06ff" for c in text):
        return text
    try:  # pragma: no cover - only on matplotlib < 3.11
        import arabic_reshaper
        from bidi.algorithm import get_display
    except ImportError as exc:  # pragma: no cover
        raise RuntimeError(
            "this matplotlib cannot shape Arabic; install matplotlib>=3.11 "
            "(or arabic-reshaper and python-bidi)"
        ) from exc
    return get_display(arabic_reshaper.reshape(text))  # pragma: no cover
