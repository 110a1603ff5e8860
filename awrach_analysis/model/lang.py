"""The one check of a language argument (re-exported as ``awrach_analysis.i18n.check_lang``)."""

from __future__ import annotations

from collections.abc import Collection

from .. import config
from ..errors import UnsupportedLanguageError


def check_lang(lang: str, among: Collection[str] = config.LANGUAGES) -> str:
    """Return ``lang`` when it is a supported language code, else raise.

    Every function of the package that takes a language validates it here (labels,
    formatting, maps, the report, the deck, the store's exports...), so an unknown code
    always gives the same error and message. It lives in the data model, below
    :mod:`awrach_analysis.reference` and :mod:`awrach_analysis.i18n`, so that every layer
    can call it; use it as ``i18n.check_lang``.

    Parameters
    ----------
    lang : str
        Language code.
    among : collection of str, default ``config.LANGUAGES``
        The languages accepted here, when a document exists in fewer of them (the data-entry
        workbook: ``fr`` and ``ar``).

    Returns
    -------
    str
        ``lang`` (one of ``among``).

    Raises
    ------
    awrach_analysis.errors.UnsupportedLanguageError
        (an ``AwrachError`` and a ``ValueError``) naming the code and the supported ones:
        ``Unknown language 'de'; use one of fr, ar, en.``
    """
    if not isinstance(lang, str) or lang not in among:
        raise UnsupportedLanguageError(f"Unknown language {lang!r}; use one of {', '.join(among)}.")
    return lang
