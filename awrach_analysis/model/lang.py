"""The one check of a language argument (re-exported as ``awrach_analysis.i18n.check_lang``)."""

from __future__ import annotations

from .. import config
from ..errors import UnsupportedLanguageError


def check_lang(lang: str) -> str:
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

    Returns
    -------
    str
        ``lang`` (one of ``config.LANGUAGES``).

    Raises
    ------
    awrach_analysis.errors.UnsupportedLanguageError
        (an ``AwrachError`` and a ``ValueError``) naming the code and the supported ones:
        ``Unknown language 'de'; use one of fr, ar, en.``
    """
    if not isinstance(lang, str) or lang not in config.LANGUAGES:
        raise UnsupportedLanguageError(
            f"Unknown language {lang!r}; use one of {', '.join(config.LANGUAGES)}."
        )
    return lang
