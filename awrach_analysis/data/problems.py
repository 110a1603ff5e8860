"""Data problems: one factory for a located Problem whose message comes from the catalogue."""

from __future__ import annotations

from typing import Any

from .. import i18n
from ..errors import Problem
from . import privacy


def make(
    rule: str,
    key: str,
    *,
    severity: str = "error",
    file: str = "",
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
    table: str = "",
    **params: Any,
) -> Problem:
    """Return a :class:`~awrach_analysis.errors.Problem` worded by the catalogue.

    Parameters
    ----------
    rule : str
        Validation rule code (a key of ``validate.RULES``).
    key : str
        Catalogue key of the message (``problem.<...>``); ``<key>.hint``, when present, is
        the suggestion. Both must exist in fr, ar and en (``i18n/catalogue/*.yaml``).
    severity : {"error", "warning", "info"}, default "error"
        ``"error"`` quarantines the row, ``"warning"`` keeps it, ``"info"`` only tells.
    file, sheet, row, column, value, table
        Where the problem is, as the user sees it (``row`` as Excel numbers it). For a
        personal cell (beneficiaries table, personal-looking value or header) the value is
        dropped and the message reworded by :func:`privacy.redact`.
    **params
        Placeholder values of the message, converted to text. Never a personal value.

    Returns
    -------
    Problem
        With ``message`` and ``suggestion`` in English (logs, JSON) and ``key``/``params``
        so that :func:`awrach_analysis.i18n.problem_texts` words it in any language.
    """
    frozen = tuple((name, str(v)) for name, v in params.items())
    message, suggestion = i18n.problem_texts({"key": key, "params": frozen}, "en")
    problem = Problem(
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        value=value,
        rule=rule,
        severity=severity,
        message=message,
        suggestion=suggestion,
        table=table,
        key=key,
        params=frozen,
    )
    return privacy.redact(problem)  # personal cells: no value, worded without it
