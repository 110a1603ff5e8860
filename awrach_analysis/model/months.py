"""Months: one representation (first day of the month as a pandas Timestamp) and one ordinal.

Every module that handles months uses these helpers: a month is ``pandas.Timestamp`` at
midnight on the first day of the month, and its ordinal counts months since 1970-01
(``1970-01`` is 0, ``2022-05`` is 628), the origin of ``numpy.datetime64[M]``. Reading
what a person typed ("mai 2022", "05/2022") stays in :mod:`awrach_analysis.data.parse`.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "to_month",
    "month_or_none",
    "ordinal",
    "ordinals",
    "from_ordinal",
    "from_ordinals",
    "month_text",
    "month_range",
]

_MONTH_TEXT = re.compile(r"^\s*\d{4}-\d{1,2}(-\d{1,2})?([ T].*)?$")


def to_month(value: Any) -> pd.Timestamp:
    """Return the first day of the month of ``value``.

    Parameters
    ----------
    value : str, pandas.Timestamp, pandas.Period, datetime.date
        A month (``"2022-05"``) or any date in it.

    Returns
    -------
    pandas.Timestamp
        Midnight on the first day of that month.

    Raises
    ------
    ValueError
        When ``value`` is missing or is not a month, with the expected form.

    Examples
    --------
    >>> to_month("2022-05-17")
    Timestamp('2022-05-01 00:00:00')
    """
    if isinstance(value, pd.Period):
        return value.asfreq("M").to_timestamp()
    if isinstance(value, str) and not _MONTH_TEXT.match(value):
        raise ValueError(
            f"as_of {value!r} is not a month; write it as 'YYYY-MM' (for example '2022-06')."
        )
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"as_of {value!r} is not a month; write it as 'YYYY-MM' (for example '2022-06')."
        ) from exc
    if ts is pd.NaT:
        raise ValueError("as_of is missing; write it as 'YYYY-MM' or leave it out.")
    return pd.Timestamp(year=ts.year, month=ts.month, day=1)


def month_or_none(value: Any) -> pd.Timestamp | None:
    """Return :func:`to_month` of ``value``, or ``None`` when it is missing (None, NaN, NaT)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return to_month(value)


def ordinal(month: Any) -> int:
    """Return the ordinal of the month of ``month``: months since 1970-01.

    Examples
    --------
    >>> ordinal("2022-05")
    628
    """
    ts = to_month(month)
    return (ts.year - 1970) * 12 + ts.month - 1


def ordinals(series: pd.Series) -> np.ndarray:
    """Return the ordinals (:func:`ordinal`) of a datetime column; missing dates give -1."""
    values = series.to_numpy(dtype="datetime64[M]")
    out = values.astype("int64")
    out[np.isnat(values)] = -1
    return out


def from_ordinal(n: int) -> pd.Timestamp:
    """Return the month of ordinal ``n`` (the inverse of :func:`ordinal`).

    Examples
    --------
    >>> from_ordinal(628)
    Timestamp('2022-05-01 00:00:00')
    """
    n = int(n)
    return pd.Timestamp(year=1970 + n // 12, month=n % 12 + 1, day=1)


def from_ordinals(values) -> pd.Series:
    """Return the months of an array of ordinals as a ``datetime64[ns]`` Series."""
    idx = pd.PeriodIndex.from_ordinals(np.asarray(values, dtype="int64"), freq="M")
    return pd.Series(idx.to_timestamp().astype("datetime64[ns]"))


def month_text(month: Any) -> str:
    """Return ``"YYYY-MM"`` for a month or any date in it.

    Examples
    --------
    >>> month_text(pd.Timestamp("2022-05-17"))
    '2022-05'
    """
    return to_month(month).strftime("%Y-%m")


def month_range(start: Any, end: Any) -> list[pd.Timestamp]:
    """Return every month from ``start`` to ``end``, both included (empty when end < start).

    Examples
    --------
    >>> [month_text(m) for m in month_range("2022-11", "2023-01")]
    ['2022-11', '2022-12', '2023-01']
    """
    return list(pd.date_range(to_month(start), to_month(end), freq="MS"))
