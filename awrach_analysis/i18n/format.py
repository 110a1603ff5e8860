"""Numbers, amounts, percentages, months and dates written the way each language writes them.

French, Arabic (Morocco) and English; re-exported by :mod:`awrach_analysis.i18n`
(``i18n.fmt_int``, ``i18n.fmt_month``...). Month names come from Babel (CLDR): ``fr``,
``ar_MA`` (the Moroccan names يناير ... ماي ... يوليوز ... غشت ... دجنبر) and ``en``;
``tests/test_i18n.py`` holds the project's lists and proves CLDR gives exactly them.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

import pandas as pd

from .. import config
from ..model.lang import check_lang
from .direction import _strip_isolate, ltr

# Narrow no-break space (French and Arabic thousands separator, before "%" in French) and
# no-break space (before ":" in French).
NNBSP = "\u202f"
NBSP = "\u00a0"

#: CLDR locale of the month names of each language (Moroccan Arabic: ``ar_MA``).
MONTH_LOCALES = {"fr": "fr", "ar": "ar_MA", "en": "en"}


@cache
def month_names(lang: str, short: bool = False) -> tuple[str, ...]:
    """Return the twelve month names of ``lang``, January first, from Babel (CLDR).

    Parameters
    ----------
    lang : {"fr", "ar", "en"}
        Language: French ``janvier`` ..., Moroccan Arabic ``يناير`` ... ``ماي`` ... ``غشت``
        ... ``دجنبر`` (CLDR ``ar_MA``), English ``January`` ....
    short : bool, default False
        Abbreviated names for axis ticks (``janv.``, ``Jan``); Arabic month names are never
        abbreviated.

    Returns
    -------
    tuple of str
        Twelve names, in the "format" context (as inside a date).
    """
    from babel.dates import get_month_names

    check_lang(lang)
    width = "abbreviated" if short and lang != "ar" else "wide"
    names = get_month_names(width, "format", MONTH_LOCALES[lang])
    return tuple(str(names[m]) for m in range(1, 13))


def _t(key: str, lang: str) -> str:
    """Return the catalogue text ``key`` (imported when called: the catalogue imports us)."""
    from . import t

    return t(key, lang)


# Number symbols per language. French: narrow no-break space for thousands and before "%",
# decimal comma. Arabic (Morocco): Western digits as in Moroccan usage, the same narrow
# no-break space and decimal comma; each formatted Arabic number is then wrapped in a
# left-to-right isolate (see :func:`ltr`), which keeps "+31", "-0,1", "27,7%" and "<5" in
# that order wherever they stand in right-to-left text.
_SYMBOLS = {
    "fr": {"group": NNBSP, "decimal": ",", "percent": NNBSP + "%", "minus": "−", "plus": "+"},
    "ar": {"group": NNBSP, "decimal": ",", "percent": "%", "minus": "-", "plus": "+"},
    "en": {"group": ",", "decimal": ".", "percent": "%", "minus": "−", "plus": "+"},
}


def _isna(value: Any) -> bool:
    """Return True for None, NaN, NaT and pd.NA (False for any non-scalar)."""
    if value is None:
        return True
    if isinstance(value, list | tuple | dict | set | str):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def suppressed_marker(threshold: int = config.SMALL_COUNT_THRESHOLD) -> str:
    """Return the text shown instead of a small count (``"<5"``)."""
    return f"<{threshold}"


_SUPPRESSED = re.compile(r"^(<\s*\d+|x)$")


def is_suppressed(value: Any) -> bool:
    """Return True when ``value`` is a small-cell mark.

    ``"<5"`` marks a count below the threshold; ``"x"`` a count hidden so that another
    one cannot be recovered by subtraction (``indicators.suppress_small``). A mark as
    formatted for Arabic (isolated, see :func:`ltr`) is recognised too.
    """
    return isinstance(value, str) and bool(_SUPPRESSED.match(_strip_isolate(value.strip())))


def _decimal(value: Any, digits: int) -> Decimal | None:
    """Return ``value`` rounded half up to ``digits`` decimals, or None when missing."""
    if _isna(value):
        return None
    x = value if isinstance(value, Decimal) else Decimal(str(float(value)))
    if not x.is_finite():
        return None
    return x.quantize(Decimal(1).scaleb(-digits) if digits > 0 else Decimal(1), ROUND_HALF_UP)


def _number(value: Any, lang: str, digits: int, signed: bool = False) -> str | None:
    """Format a finite number (not isolated), or return None when it is missing.

    With ``signed`` a number that does not round to zero gets its sign, ``+`` included.
    """
    x = _decimal(value, digits)
    if x is None:
        return None
    sym = _SYMBOLS[lang]
    whole, _, frac = f"{abs(x):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sym["group"].join(groups) + (sym["decimal"] + frac if digits > 0 else "")
    if x < 0:  # -0.4 rounded to 0 is "0", never "-0"
        text = sym["minus"] + text
    elif x > 0 and signed:
        text = sym["plus"] + text
    return text


def _missing_or_suppressed(value: Any, lang: str) -> str | None:
    """Return the text shown for a missing value or a small-cell mark, else None."""
    if is_suppressed(value):
        return ltr(_strip_isolate(str(value).strip()).replace(" ", ""), lang)
    if _isna(value):
        return _t("ui.not_available", lang)
    return None


def _fmt(
    value: Any, lang: str, digits: int, *, signed: bool = False, scale: int = 1, suffix: str = ""
) -> str:
    """Format a number for ``lang``: missing text, small-cell mark or (isolated) number."""
    check_lang(lang)
    special = _missing_or_suppressed(value, lang)
    if special is not None:
        return special
    if scale != 1 and not isinstance(value, Decimal):
        value = Decimal(str(float(value))) * scale
    text = _number(value, lang, digits, signed=signed)
    return _t("ui.not_available", lang) if text is None else ltr(text + suffix, lang)


def fmt_num(value: Any, lang: str, digits: int = 0) -> str:
    """Format a number with the language's separators.

    Parameters
    ----------
    value : number
        Value to format; missing values give "n.d." / "غير متوفر" / "n/a", and a
        small-cell marker (``"<5"``) is returned as is.
    lang : {"fr", "ar", "en"}
        Language: ``1234.5`` -> ``"1 234,5"`` (fr, narrow no-break space),
        ``"1 234,5"`` (ar, Western digits as used in Morocco), ``"1,234.5"`` (en).
    digits : int, default 0
        Decimals, rounded half up.

    Returns
    -------
    str
        The formatted number. Negative numbers use "−" (fr, en) or "-" (ar). In Arabic
        every number (and small-cell mark) is wrapped in a left-to-right isolate
        (:func:`ltr`), so that it reads the same inside right-to-left text.
    """
    return _fmt(value, lang, digits)


def fmt_int(value: Any, lang: str) -> str:
    """Format a count: ``fmt_int(1100, "fr") == "1 100"`` (U+202F), ``"1,100"`` in English.

    Parameters
    ----------
    value : number
        Value, rounded half up to a whole number.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The formatted count (see :func:`fmt_num`).
    """
    return fmt_num(value, lang, 0)


def fmt_signed(value: Any, lang: str, digits: int = 0) -> str:
    """Format a change with its sign: ``+12``, ``−3``, ``0``.

    Parameters
    ----------
    value : number
        Change.
    lang : {"fr", "ar", "en"}
        Language.
    digits : int, default 0
        Decimals.

    Returns
    -------
    str
        The number with an explicit sign (no sign for a value that rounds to zero);
        isolated left to right in Arabic (see :func:`fmt_num`), so "+31" never shows as
        "31+".
    """
    return _fmt(value, lang, digits, signed=True)


def fmt_pct(share: Any, lang: str, digits: int = 0) -> str:
    """Format a share (a fraction) as a percentage.

    Parameters
    ----------
    share : number
        Fraction: ``0.277`` -> ``"28 %"`` (fr, narrow no-break space before ``%``),
        ``"28%"`` (en), ``"28%"`` (ar, isolated left to right so that the ``%`` stays to
        the right of the number inside Arabic text).
    lang : {"fr", "ar", "en"}
        Language.
    digits : int, default 0
        Decimals of the percentage (``fmt_pct(0.277, "fr", 1) == "27,7 %"``).

    Returns
    -------
    str
        The percentage; missing values and ``"<5"`` markers as in :func:`fmt_num`.
    """
    return _fmt(share, lang, digits, scale=100, suffix=_SYMBOLS[lang]["percent"])


_SCALES = {
    "fr": ((1e9, "Md"), (1e6, "M")),
    "ar": ((1e9, "مليار"), (1e6, "مليون")),
    "en": ((1e9, "bn"), (1e6, "m")),
}


def fmt_mad(
    value: Any, lang: str, digits: int = 0, compact: bool = False, *, signed: bool = False
) -> str:
    """Format an amount in dirhams: ``"1 100 MAD"``, ``"1 100 درهم"``, ``"MAD 1,100"``.

    Parameters
    ----------
    value : number
        Amount in MAD.
    lang : {"fr", "ar", "en"}
        Language.
    digits : int, default 0
        Decimals (ignored when ``compact`` picks a scale, which uses up to 2).
    compact : bool, default False
        Write millions and billions with a word: ``"2,25 Md MAD"``, ``"2,25 مليار درهم"``,
        ``"MAD 2.25 bn"``.
    signed : bool, default False
        Write the sign of a change, ``+`` included (as :func:`fmt_signed`):
        ``"+317 940 MAD"``.

    Returns
    -------
    str
        The amount with its currency; in Arabic the number is isolated left to right
        (see :func:`fmt_num`).
    """
    check_lang(lang)
    special = _missing_or_suppressed(value, lang)
    if special is not None:
        return special
    number = None
    if compact and not _isna(value):
        for size, word in _SCALES[lang]:
            if abs(float(value)) >= size:
                text = _number(float(value) / size, lang, 2, signed=signed)
                if text is not None and _SYMBOLS[lang]["decimal"] in text:
                    text = text.rstrip("0").rstrip(_SYMBOLS[lang]["decimal"])
                number = f"{ltr(text or '', lang)} {word}"
                break
    if number is None:
        number = _fmt(value, lang, digits, signed=signed)
    unit = _t("unit.mad", lang)
    return f"{unit} {number}" if lang == "en" else f"{number} {unit}"


def _timestamp(value: Any) -> pd.Timestamp | None:
    if _isna(value):
        return None
    if isinstance(value, pd.Period):
        return value.to_timestamp()
    if isinstance(value, _dt.date | pd.Timestamp | str):
        return pd.Timestamp(value)
    import numpy as np

    if isinstance(value, np.datetime64):
        return pd.Timestamp(value)
    raise TypeError(f"cannot read {value!r} ({type(value).__name__}) as a date")


def fmt_month(value: Any, lang: str, short: bool = False) -> str:
    """Format a month: "mars 2023", "مارس 2023", "March 2023".

    Parameters
    ----------
    value : Timestamp, date, Period or str
        Any day of the month, a ``Period`` or ``"YYYY-MM"``.
    lang : {"fr", "ar", "en"}
        Language. Arabic uses the Moroccan month names (يناير ... ماي ... غشت ... دجنبر).
    short : bool, default False
        Abbreviated French and English month names for axis ticks ("févr. 2023",
        "Feb 2023"); Arabic month names are never abbreviated.

    Returns
    -------
    str
        The month; a missing value gives "n.d.".
    """
    check_lang(lang)
    ts = _timestamp(value)
    if ts is None:
        return _t("ui.not_available", lang)
    names = month_names(lang, short)
    return f"{names[ts.month - 1]} {ts.year}"


def fmt_date(value: Any, lang: str) -> str:
    """Format a date: "1er mars 2023" / "15 mars 2023", "15 مارس 2023", "15 March 2023".

    Parameters
    ----------
    value : Timestamp, date or str
        The date.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The date; a missing value gives "n.d.".
    """
    check_lang(lang)
    ts = _timestamp(value)
    if ts is None:
        return _t("ui.not_available", lang)
    day = "1er" if lang == "fr" and ts.day == 1 else str(ts.day)
    return f"{day} {month_names(lang)[ts.month - 1]} {ts.year}"


def key_value(key: str, value: str, lang: str) -> str:
    """Return "key : value" with the language's spacing before the colon.

    Parameters
    ----------
    key : str
        Label, e.g. ``column_label("jobs_to_date", lang)``.
    value : str
        Formatted value.
    lang : {"fr", "ar", "en"}
        Language: French puts a no-break space before the colon
        (``"Emplois\u00a0: 12"``), Arabic and English none (``"Jobs: 12"``).

    Returns
    -------
    str
        The pair, as one line of a hover text or a note.
    """
    return f"{key}{NBSP}: {value}" if check_lang(lang) == "fr" else f"{key}: {value}"
