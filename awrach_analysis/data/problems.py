"""Data problems: one factory for a located Problem whose message comes from the catalogue."""

from __future__ import annotations

from typing import Any

from .. import i18n
from ..errors import AwrachError, Problem
from . import privacy
from .rules import Rule

__all__ = ["make", "error", "freeze"]


def freeze(params: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Return placeholder values as the ``(name, text)`` pairs a Problem keeps."""
    return tuple((name, "" if v is None else str(v)) for name, v in params.items())


def make(
    rule: Rule | str,
    key: str,
    *,
    severity: str = "error",
    file: str = "",
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
    table: str = "",
    redact_as: str | None = None,
    **params: Any,
) -> Problem:
    """Return a :class:`~awrach_analysis.errors.Problem` worded by the catalogue.

    Parameters
    ----------
    rule : Rule or str
        Validation rule code: a :class:`~awrach_analysis.data.rules.Rule` member (a key of
        ``rules.RULES``); kept in the Problem as its plain text (``"range"``).
    key : str
        Catalogue key of the message (``problem.<...>``); ``<key>.hint``, when present, is
        the suggestion. Both must exist in fr, ar and en (``i18n/catalogue/*.yaml``).
    severity : {"error", "warning", "info"}, default "error"
        ``"error"`` quarantines the row, ``"warning"`` keeps it, ``"info"`` only tells.
    file, sheet, row, column, value, table
        Where the problem is, as the user sees it (``row`` as Excel numbers it). For a
        personal cell (beneficiaries table, personal-looking value or header) the value is
        dropped and the message reworded by :func:`privacy.redact`.
    redact_as : str, optional
        Canonical column of the cell, when known, for :func:`privacy.redact`.
    **params
        Placeholder values of the message, converted to text. Never a personal value.

    Returns
    -------
    Problem
        With ``message`` and ``suggestion`` in English (logs, JSON) and ``key``/``params``
        so that :func:`awrach_analysis.i18n.problem_texts` words it in any language.
    """
    frozen = freeze(params)
    message, suggestion = i18n.problem_texts({"key": key, "params": frozen}, "en")
    problem = Problem(
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        value=value,
        rule=str(rule),
        severity=severity,
        message=message,
        suggestion=suggestion,
        table=table,
        key=key,
        params=frozen,
    )
    # personal cells: no value, worded without it; ``redact_as`` is the cell's canonical
    # column when the caller knows it (privacy.redact)
    return privacy.redact(problem, redact_as)


def error(cls: type[AwrachError], key: str, **params: Any) -> AwrachError:
    """Return an exception of class ``cls`` worded by the catalogue (message in English).

    Parameters
    ----------
    cls : type
        A subclass of :class:`~awrach_analysis.errors.AwrachError` whose constructor takes
        the message alone (``InputError``...).
    key : str
        Catalogue key of the whole message (``error.<...>``), in fr, ar and en.
    **params
        Placeholder values, converted to text. Never a personal value.

    Returns
    -------
    AwrachError
        With ``key`` and ``params`` set, so that the command line can print it in the
        user's language (:func:`awrach_analysis.i18n.problem_message`).
    """
    frozen = freeze(params)
    exc = cls(i18n.problem_message(key, frozen, "en"))
    exc.key, exc.params = key, frozen
    return exc
