"""Parse cell values as people type them: headers, numbers, dates, months and categories."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import pandas as pd

from .. import i18n
from ..model.schema import Term
from ..reference.names import fold_text

__all__ = [
    "ParseError",
    "as_text",
    "is_blank",
    "normalise",
    "header_key",
    "words",
    "loose_key",
    "FILLER_WORDS",
    "closest",
    "parse_number",
    "parse_date",
    "parse_month",
    "parse_id",
    "parse_idlist",
    "VocabularyIndex",
]


class ParseError(ValueError):
    """A value could not be read; ``suggestion`` says which forms are accepted.

    Parameters
    ----------
    message : str
        What is wrong with the value, in one sentence (ignored with ``key``).
    suggestion : str
        What the user can write instead (ignored with ``key``).
    key : str, optional
        Catalogue key of the message (``problem.<...>``, suggestion ``<key>.hint``): the
        message and suggestion are then worded from the catalogue in English, and
        ``key``/``params`` let a Problem show them in any language.
    **params
        Placeholder values of the message (see :func:`i18n.problem_message`).
    """

    def __init__(self, message: str = "", suggestion: str = "", *, key: str = "", **params: Any):
        self.key = key
        # as problems.freeze (not imported: problems -> privacy -> parse)
        self.params = tuple((n, "" if v is None else str(v)) for n, v in params.items())
        # with a key, the English texts are worded only when asked for (cells that fail
        # are many, and validation words each problem from key and params anyway)
        self._texts = None if key else (message, suggestion)
        super().__init__(message)

    def _worded(self) -> tuple[str, str]:
        if self._texts is None:
            hint = f"{self.key}.hint"
            self._texts = (
                i18n.problem_message(self.key, self.params, "en"),
                i18n.problem_message(hint, self.params, "en") if hint in i18n.CATALOGUE else "",
            )
        return self._texts

    @property
    def message(self) -> str:
        """What is wrong with the value, in one sentence (English)."""
        return self._worded()[0]

    @property
    def suggestion(self) -> str:
        """What the user can write instead (English)."""
        return self._worded()[1]

    def __str__(self) -> str:
        return self.message


# ---------------------------------------------------------------------------
# Text normalisation
# ---------------------------------------------------------------------------

#: Arabic-Indic (U+0660...) and Persian (U+06F0...) digits, Arabic decimal and thousands
#: separators, and the Unicode minus sign, mapped to their ASCII forms.
_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})
_DIGITS.update({ord("٫"): ".", ord("٬"): " ", ord("−"): "-", ord("،"): ","})

#: Space characters used as thousands separators (space, NBSP, narrow NBSP, thin...).
_SPACES = "\u0020\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003"
_BLANKS = _SPACES + "\t\r\n"


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Return ``text`` folded for comparison: case, accents, spaces and Arabic variants.

    Folds as place names do (:func:`awrach_analysis.reference.names.fold_text`: case,
    accents, Arabic diacritics, hamza forms to bare alef, ta marbuta to ha, alef maqsura
    to ya, tatweel removed, ``ڭ``/``گ`` to kaf), reads Arabic-Indic digits as ASCII digits,
    turns underscores, hyphens and dots into spaces and collapses runs of spaces.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The folded text, e.g. ``"Date_Début  prévue"`` -> ``"date debut prevue"``.
    """
    s = fold_text(str(text).translate(_DIGITS))
    s = re.sub(r"[’‘ʼ`´]", "'", s)
    s = re.sub(r"[\s_\-./]+", " ", s)
    return s.strip()


@lru_cache(maxsize=65536)
def header_key(text: str) -> str:
    """Return the key used to match headers and names: :func:`normalise` without punctuation.

    ``"N° convention"``, ``"n_convention"`` and ``"N convention"`` share the key
    ``"nconvention"``.
    """
    return "".join(ch for ch in normalise(text) if ch.isalnum())


#: Words that change nothing in a header or a category label, once folded and made
#: singular (see :func:`words`): articles and prepositions (fr, en, ar), ``date``/``تاريخ``
#: before a date's name, ``prévu``/``المتوقع`` (every plan is "planned"), ``n°``/``no``.
FILLER_WORDS = frozenset(
    (
        "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "un",
        "une", "pour", "par", "sur", "dans", "n", "no", "nr", "num", "numero", "of", "the",
        "in", "for", "and", "date", "prevu", "prevue",
        "في", "من", "على", "الى", "ل", "و", "تاريخ", "متوقع", "متوقعه",
    )
)  # fmt: skip

_WORD = re.compile(r"[^\W_]+")
_ARTICLES = ("بال", "وال", "لل", "ال")


def _singular(word: str) -> str:
    if word.isascii() and len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]
    return word


def _bare(word: str) -> str:
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 3:
            return word[len(article) :]
    return word


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """Return the folded words of ``text``.

    :func:`normalise`, split on anything not a letter or digit, French plurals made
    singular and the Arabic article removed.

    >>> words("Nom de l'association"), words("اسم الجمعية")
    (('nom', 'de', 'l', 'association'), ('اسم', 'جمعيه'))
    """
    return tuple(_bare(_singular(w)) for w in _WORD.findall(normalise(text)))


@lru_cache(maxsize=65536)
def loose_key(text: str) -> str:
    """Return ``text``'s words without :data:`FILLER_WORDS`, sorted.

    The key ignores word order and filler words as well as everything :func:`header_key`
    ignores.

    ``"Date début"``, ``"date de début"`` and ``"début prévu"`` share the key ``"debut"``;
    ``"Nom du partenaire"`` and ``"partenaire nom"`` share ``"nom partenaire"``.
    """
    return " ".join(sorted({w for w in words(text) if w not in FILLER_WORDS}))


def closest(value: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` of ``choices`` closest to ``value`` (by their :func:`header_key`).

    Parameters
    ----------
    value : str
        What the user wrote.
    choices : iterable of str
        Accepted spellings.
    n : int
        How many suggestions at most.

    Returns
    -------
    list of str
        The closest choices, best first, as spelled in ``choices``.
    """
    by_key: dict[str, str] = {}
    for c in choices:
        by_key.setdefault(header_key(c), c)
    keys = difflib.get_close_matches(header_key(value), list(by_key), n=n, cutoff=0.5)
    return [by_key[k] for k in keys]


# ---------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------


def is_blank(value: Any) -> bool:
    """Return True for an empty cell: ``None``, NaN, NA or text made only of spaces."""
    if value.__class__ is str:
        return not value.strip(_BLANKS)
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return value.strip(_SPACES + "\t\r\n") == ""
    return False


def as_text(value: Any) -> str:
    """Return a cell value as the text a user would recognise ("" for an empty cell).

    Whole floats lose their ``.0`` (Excel stores 12 as 12.0), datetimes at midnight
    show as dates.
    """
    if is_blank(value):
        return "" if not isinstance(value, str) else value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


#: Invisible marks a cell can carry around a number or date copied from an Arabic page or
#: report: bidi marks and isolates (LRM, RLM, ALM, LRE..RLO, LRI..PDI), zero-width space,
#: byte-order mark. They change nothing a person sees, so they are dropped before parsing.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
)


def _clean(value: str) -> str:
    return value.translate(_INVISIBLE).translate(_DIGITS).strip(_SPACES + "\t\r\n")


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------

NUMBER_FORMS = "forms such as 1100, 1 100, 1.100,50, 1,100.50, 12,5 or ١١٠٠"
_NUMBER = "problem.forms.number"  # the same, in every language

_UNIT = re.compile(r"\s*(%|mad|dhs?|dh\.|د\.?م\.?|درهم)\s*$", re.IGNORECASE)
_PLAIN = re.compile(r"\d+")
_DECIMAL = re.compile(r"(\d*)([.,])(\d+)")
_GROUPED = re.compile(r"\d{1,3}(?P<g>[ .,'])\d{3}(?:(?P=g)\d{3})*(?:(?P<d>[.,])(?P<frac>\d+))?")
_AMBIGUOUS = re.compile(r"[1-9]\d{0,2}[.,]\d{3}")


def parse_number(value: Any, *, integer: bool = False) -> tuple[float | int | None, bool]:
    """Read a number written in any of the usual Moroccan, French or English forms.

    Accepted: plain digits; thousands separated by a space (also no-break and narrow
    no-break spaces), a dot, a comma, an apostrophe or ``٬``; decimals after a comma,
    a dot or ``٫``; Arabic-Indic and Persian digits; a trailing ``%``, ``DH`` or ``MAD``.
    A single separator followed by exactly three digits (``1,100`` or ``1.100``) is read
    as a thousands separator; the second item of the result says when that happened.

    Parameters
    ----------
    value : object
        The cell: text, int, float or empty.
    integer : bool
        Require a whole number and return an ``int``.

    Returns
    -------
    tuple
        ``(number, ambiguous)``; ``number`` is ``None`` for an empty cell.

    Raises
    ------
    ParseError
        When the value is not a number (or not a whole number when ``integer``).
    """
    if is_blank(value):
        return None, False
    ambiguous = False
    if isinstance(value, (bool, dt.date, dt.datetime, pd.Timestamp)):
        raise ParseError(key="problem.not_a_number", cell=repr(as_text(value)), forms_key=_NUMBER)
    if isinstance(value, (int, float)):
        number: float | int = value
    else:
        text = _clean(str(value))
        text = _UNIT.sub("", text)
        sign = 1
        if text and text[0] in "+-":
            sign = -1 if text[0] == "-" else 1
            text = text[1:].lstrip(_SPACES)
        text = "".join(" " if ch in _SPACES else ch for ch in text)
        if _PLAIN.fullmatch(text):
            number = int(text)
        elif _AMBIGUOUS.fullmatch(text):
            number = int(text.replace(",", "").replace(".", ""))
            ambiguous = True
        elif m := _DECIMAL.fullmatch(text):
            number = float(f"{m.group(1) or 0}.{m.group(3)}")
        elif m := _GROUPED.fullmatch(text):
            if m.group("d") == m.group("g"):
                raise ParseError(key="problem.not_a_number", cell=repr(value), forms_key=_NUMBER)
            whole = text[: m.start("d")] if m.group("d") else text
            whole = re.sub(r"[ .,']", "", whole)
            number = float(f"{whole}.{m.group('frac')}") if m.group("d") else int(whole)
        else:
            raise ParseError(key="problem.not_a_number", cell=repr(str(value)), forms_key=_NUMBER)
        number = sign * number
    if isinstance(number, float) and not math.isfinite(number):
        raise ParseError(key="problem.not_finite", cell=repr(as_text(value)), forms_key=_NUMBER)
    if integer:
        if float(number) != int(number):
            raise ParseError(key="problem.not_whole", cell=repr(as_text(value)))
        return int(number), ambiguous
    return float(number), ambiguous


# ---------------------------------------------------------------------------
# Dates and months
# ---------------------------------------------------------------------------

DATE_FORMS = "2022-03-15, 15/03/2022, 15-03-2022, 15 mars 2022 or an Excel date"
MONTH_FORMS = "2022-03, 03/2022, mars 2022, مارس 2022 or a date in the month"
#: Catalogue keys of DATE_FORMS and MONTH_FORMS, for messages in every language.
_FORMS_KEY = {DATE_FORMS: "problem.forms.date", MONTH_FORMS: "problem.forms.month"}

#: Dates outside this window are rejected as implausible for the programme.
DATE_MIN = pd.Timestamp("2000-01-01")
DATE_MAX = pd.Timestamp("2099-12-31")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")

_MONTH_NAMES: dict[str, int] = {}
for _i, _names in enumerate(
    (
        "janvier janv jan january يناير جانفي كانون الثاني",
        "fevrier fevr fev feb february فبراير فيفري شباط",
        "mars mar march مارس اذار",
        "avril avr apr april ابريل افريل نيسان",
        "mai may ماي مايو ايار",
        "juin jun june يونيو جوان حزيران",
        "juillet juil jul july يوليوز يوليو جويليه تموز",
        "aout aug august غشت اغسطس اوت اب",
        "septembre sept sep september شتنبر سبتمبر ايلول",
        "octobre oct october اكتوبر تشرين الاول",
        "novembre nov november نونبر نوفمبر تشرين الثاني",
        "decembre dec december دجنبر ديسمبر كانون الاول",
    ),
    start=1,
):
    for _n in _names.split():
        _MONTH_NAMES[header_key(_n)] = _i
# Levantine two-word names (the single words above are ambiguous on their own).
for _name, _i in (
    ("كانون الثاني", 1),
    ("تشرين الاول", 10),
    ("تشرين الثاني", 11),
    ("كانون الاول", 12),
):
    _MONTH_NAMES[header_key(_name)] = _i
for _ambiguous in ("كانون", "تشرين", "الثاني", "الاول"):
    _MONTH_NAMES.pop(header_key(_ambiguous), None)

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_SERIAL = re.compile(r"\d{4,5}(?:\.\d+)?")
_NAMED_DATE = re.compile(r"(\d{1,2})(?:er)?\s+(\D+?)\s+(\d{4})")
_YM = re.compile(r"(\d{4})[-/.](\d{1,2})")
_MY = re.compile(r"(\d{1,2})[-/.](\d{4})")
_NAMED_MONTH = re.compile(r"(\D+?)[\s\-/.]+(\d{4})")


def _checked(year: int, month: int, day: int, original: Any, forms: str) -> pd.Timestamp:
    if year < 100:
        year += 2000
    if not 1 <= month <= 12:
        hint = "problem.part.day_first" if 1 <= day <= 12 and month <= 31 else ""
        raise ParseError(
            key="problem.no_month",
            cell=repr(as_text(original)),
            month=month,
            day_first_key=hint,
            forms_key=_FORMS_KEY[forms],
        )
    try:
        stamp = pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        raise ParseError(
            key="problem.not_real_date",
            cell=repr(as_text(original)),
            day=day,
            month=month,
            forms_key=_FORMS_KEY[forms],
        ) from None
    return _plausible(stamp, original, forms)


def _plausible(stamp: pd.Timestamp, original: Any, forms: str) -> pd.Timestamp:
    if not DATE_MIN <= stamp <= DATE_MAX:
        raise ParseError(
            key="problem.date_out_of_range",
            cell=repr(as_text(original)),
            date=f"{stamp:%Y-%m-%d}",
            first=f"{DATE_MIN:%Y}",
            last=f"{DATE_MAX:%Y}",
            forms_key=_FORMS_KEY[forms],
        )
    return stamp


def _from_serial(serial: float, original: Any, forms: str) -> pd.Timestamp:
    stamp = _EXCEL_EPOCH + pd.Timedelta(days=math.floor(serial))
    if not DATE_MIN <= stamp <= DATE_MAX:
        looks_like_year = float(serial).is_integer() and 1990 <= serial <= 2100
        raise ParseError(
            key="problem.not_excel_date",
            cell=repr(as_text(original)),
            date=f"{stamp:%Y-%m-%d}",
            year_key="problem.part.looks_like_year" if looks_like_year else "",
            forms_key=_FORMS_KEY[forms],
            **{"year.cell": as_text(original)},
        )
    return stamp


@lru_cache(maxsize=8192)
def _parse_date_text(text: str) -> pd.Timestamp:
    s = _clean(text)
    if m := _ISO.fullmatch(s):
        return _checked(int(m[1]), int(m[2]), int(m[3]), text, DATE_FORMS)
    if m := _DMY.fullmatch(s):
        return _checked(int(m[3]), int(m[2]), int(m[1]), text, DATE_FORMS)
    if _SERIAL.fullmatch(s):
        return _from_serial(float(s), text, DATE_FORMS)
    if (m := _NAMED_DATE.fullmatch(s)) and (month := _MONTH_NAMES.get(header_key(m[2]))):
        return _checked(int(m[3]), month, int(m[1]), text, DATE_FORMS)
    raise ParseError(key="problem.not_a_date", cell=repr(text), forms_key=_FORMS_KEY[DATE_FORMS])


def parse_date(value: Any) -> pd.Timestamp | None:
    """Read a date: ISO, day-first with ``/``, ``-`` or ``.``, month names, Excel serials.

    Parameters
    ----------
    value : object
        Text, a ``datetime``/``date`` (from Excel or Parquet), an Excel serial number,
        or empty.

    Returns
    -------
    pandas.Timestamp or None
        The date at midnight; ``None`` for an empty cell.

    Raises
    ------
    ParseError
        When the value is not a date, not a real calendar date (31/02/2022) or lies
        outside 2000–2099.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ParseError(
            key="problem.not_a_date", cell=repr(as_text(value)), forms_key=_FORMS_KEY[DATE_FORMS]
        )
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return _plausible(pd.Timestamp(value).normalize(), value, DATE_FORMS)
    if isinstance(value, (int, float)):
        return _from_serial(float(value), value, DATE_FORMS)
    return _parse_date_text(str(value))


@lru_cache(maxsize=8192)
def _parse_month_text(text: str) -> pd.Timestamp:
    s = _clean(text)
    if m := _YM.fullmatch(s):
        return _checked(int(m[1]), int(m[2]), 1, text, MONTH_FORMS)
    if m := _MY.fullmatch(s):
        return _checked(int(m[2]), int(m[1]), 1, text, MONTH_FORMS)
    if (m := _NAMED_MONTH.fullmatch(s)) and (month := _MONTH_NAMES.get(header_key(m[1]))):
        return _checked(int(m[2]), month, 1, text, MONTH_FORMS)
    try:
        day = _parse_date_text(text)
    except ParseError:
        raise ParseError(
            key="problem.not_a_month", cell=repr(text), forms_key=_FORMS_KEY[MONTH_FORMS]
        ) from None
    return day.replace(day=1)


def parse_month(value: Any) -> pd.Timestamp | None:
    """Read a month (``YYYY-MM``, ``MM/YYYY``, month name and year, or any date).

    Returns
    -------
    pandas.Timestamp or None
        The first day of the month; ``None`` for an empty cell.

    Raises
    ------
    ParseError
        When the value is not a month.
    """
    if is_blank(value):
        return None
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp, int, float)) and not isinstance(
        value, bool
    ):
        try:
            day = parse_date(value)
        except ParseError as exc:
            params = {**dict(exc.params), "forms_key": _FORMS_KEY[MONTH_FORMS]}
            raise ParseError(key=exc.key, **params) from None
        return day.replace(day=1)
    return _parse_month_text(str(value))


# ---------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------


def parse_id(value: Any) -> str | None:
    """Return an identifier as clean text (``12.0`` from Excel becomes ``"12"``)."""
    if is_blank(value):
        return None
    return " ".join(as_text(value).split())


_LIST_SEP = re.compile(r"\s*[;,|؛]\s*")


def parse_idlist(value: Any) -> str | None:
    """Return a list of ids separated by ``;`` (also accepts ``,``, ``|`` and ``؛``).

    Returns
    -------
    str or None
        The ids joined by ``";"``, duplicates removed, order kept; ``None`` when empty.
    """
    if is_blank(value):
        return None
    parts = [p for p in _LIST_SEP.split(as_text(value).strip()) if p]
    return ";".join(dict.fromkeys(parts)) or None


# ---------------------------------------------------------------------------
# Categories
# ---------------------------------------------------------------------------


class VocabularyIndex:
    """Look up a vocabulary code from its code, any label (fr/ar/en) or an alias.

    A value matches a spelling when their :func:`header_key` are equal, or else when their
    :func:`loose_key` are (word order, plurals, articles and filler words ignored:
    ``Activité culturelle`` = ``activités culturelles``), provided only one code has it.

    Parameters
    ----------
    terms : mapping of str to Term
        A vocabulary from :data:`awrach_analysis.model.schema.VOCABULARIES`.
    name : str
        Vocabulary name, for messages.
    """

    def __init__(self, terms: Mapping[str, Term], name: str = ""):
        self.name = name
        self.terms = dict(terms)
        found: dict[str, set[str]] = {}
        loose: dict[str, set[str]] = {}
        for t in self.terms.values():
            for spelling in (t.code, t.fr, t.ar, t.en, *t.aliases):
                found.setdefault(header_key(spelling), set()).add(t.code)
                loose.setdefault(loose_key(spelling), set()).add(t.code)
        #: loose key -> code, for loose keys that name exactly one code.
        self.loose = {k: next(iter(v)) for k, v in loose.items() if len(v) == 1 and k}
        #: loose keys shared by several codes.
        self.loose_ambiguous = {k: sorted(v) for k, v in loose.items() if len(v) > 1 and k}
        #: key -> code, for keys that name exactly one code.
        self.lookup = {k: next(iter(v)) for k, v in found.items() if len(v) == 1 and k}
        #: keys shared by several codes (they are refused as ambiguous).
        self.ambiguous = {k: sorted(v) for k, v in found.items() if len(v) > 1}

    def accepted(self) -> str:
        """Return the accepted codes with their French and Arabic labels, for suggestions."""
        return ", ".join(f"{t.code} ({t.fr} / {t.ar})" for t in self.terms.values())

    def resolve(self, value: Any) -> str | None:
        """Return the code for ``value``; ``None`` for an empty cell.

        Raises
        ------
        ParseError
            When the value names no code (the suggestion lists the closest values).
        """
        if is_blank(value):
            return None
        text = as_text(value).strip()
        key = header_key(text)
        if key in self.lookup:
            return self.lookup[key]
        if key in self.ambiguous:
            raise ParseError(
                key="problem.ambiguous_category",
                cell=repr(text),
                codes=" / ".join(self.ambiguous[key]),
                accepted=self.accepted(),
            )
        loose = loose_key(text)
        if loose in self.loose:
            return self.loose[loose]
        if loose in self.loose_ambiguous:
            raise ParseError(
                key="problem.ambiguous_category",
                cell=repr(text),
                codes=" / ".join(self.loose_ambiguous[loose]),
                accepted=self.accepted(),
            )
        spellings = [s for t in self.terms.values() for s in (t.code, t.fr, t.ar, t.en, *t.aliases)]
        near = closest(text, [s for s in spellings if header_key(s) in self.lookup])
        codes = list(dict.fromkeys(self.lookup[header_key(s)] for s in near))
        vocab = f"problem.vocab.{self.name or 'value'}"
        named = {"vocab_key": vocab} if vocab in i18n.CATALOGUE else {"vocab": self.name}
        raise ParseError(
            key="problem.not_in_vocabulary",
            cell=repr(text),
            closest_key="problem.part.closest_codes" if codes else "",
            accepted=self.accepted(),
            **named,
            **{"closest.codes": ", ".join(codes)},
        )
