"""Plausibility checks: values that parse but cannot be right, and values inferred when absent.

Choices (each holds a test in ``tests/test_plausibility.py``):

- A progress **month after the current month** is an **error**: the row is quarantined.
  A month that has not happened cannot have been reported, and keeping the row would make
  it the "as of" month of every figure and the default month of the report (a typo such
  as 2031-09 would silently move the whole report years ahead). "Today" comes from
  :func:`awrach_analysis.config.today` (``AWRACH_TODAY`` fixes it for tests and re-runs).
- A progress month more than :data:`LATE_MONTHS_MAX` months after its project's planned
  end (or before its planned start) is an **error** too (most likely a typo in the year:
  2025 for 2023, 2012 for 2022): such a month is far outside the range the data can
  describe, and would otherwise become the "as of" month (or stretch every monthly
  series back to it). Between :data:`~awrach_analysis.data.validate.SPAN_GRACE_MONTHS` and
  :data:`LATE_MONTHS_MAX` months late, the existing ``month_outside_span`` warning keeps
  the row (late work does happen).
- A date more than :data:`FAR_FUTURE_YEARS` years after today (``15/03/52`` read as
  2052-03-15) is a **warning**: planned dates may lie ahead, so the row is kept, but the
  user is told, with a four-digit-year suggestion when the year was written with two.
- Person-days above :data:`MAX_DAYS_PER_JOB` per job filled, and wages above
  :data:`MAX_DAILY_WAGE_MAD` per person-day (or per possible day when person-days are
  not given), are **warnings**: the row is kept (the count of jobs may be the wrong
  cell), the message says which bound is crossed. Negative values are already errors
  (column minimum).
- When the agreements table has **no wave column**, the wave is the year of the signing
  date (waves are named by their year; the signing date is required, so every accepted
  agreement has one): one warning per table with the count. A signing year outside the
  waves the model knows (the column's bounds) is an error for that row.
- When the beneficiaries table lists people for only part of the projects with jobs
  filled, a warning gives the coverage: jobs to date then mix contract counts and peak
  monthly jobs (see :func:`awrach_analysis.analysis.indicators.jobs_to_date`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import config
from ..errors import Problem
from . import problems
from .parse import as_text
from .rules import PLAUSIBILITY_RULES, Rule
from .rules import RULES as ALL_RULES

if TYPE_CHECKING:  # pragma: no cover
    from .validate import _Checker

__all__ = [
    "RULES",
    "FAR_FUTURE_YEARS",
    "LATE_MONTHS_MAX",
    "MAX_DAYS_PER_JOB",
    "MAX_DAILY_WAGE_MAD",
    "INFERABLE",
    "infer_wave",
    "check_cells",
    "check_progress_months",
    "beneficiaries_coverage",
]

#: Rules of this module: code -> (severity, what it checks); all are in ``rules.RULES``.
RULES: dict[Rule, tuple[str, str]] = {r: ALL_RULES[r] for r in PLAUSIBILITY_RULES}

#: Dates further ahead than this many years (from today) get a plausibility warning.
FAR_FUTURE_YEARS = 5
#: Progress months more than this many months after the planned end are errors.
LATE_MONTHS_MAX = 12
#: A job filled counts at most this many person-days in a month.
MAX_DAYS_PER_JOB = 31
#: Highest plausible wage of one person-day (Awrach pays about the minimum wage, ~100 MAD).
MAX_DAILY_WAGE_MAD = 1000

#: Required columns that are inferred when absent: (table, column).
INFERABLE = frozenset({("agreements", "wave")})

_TWO_DIGIT_YEAR = re.compile(r"\s*\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*(\d{2})(?:\s.*)?")


def _today() -> pd.Timestamp:
    return pd.Timestamp(config.today())


def _fmt_number(x: float) -> str:
    return f"{x:,.0f}".replace(",", " ")


# ---------------------------------------------------------------------------------------
# Inferred values
# ---------------------------------------------------------------------------------------


def infer_wave(checker: _Checker) -> None:
    """Fill the wave of agreements from the signing year when the wave column is absent.

    Call after ``parse_cells`` (the signing dates are then parsed). Rows whose signing
    date could not be read are already rejected; a signing year outside the wave
    column's bounds is an error on the row. One warning for the table gives the count.
    """
    if checker.table.name != "agreements" or "wave" in checker.raw.columns:
        return
    column = checker.table.column("wave")
    accepted = ", ".join(repr(a) for a in column.aliases)
    inferred: dict[int, int] = {}
    for i in checker.rows_where(checker.ok_mask("signed_on")):
        year = int(checker.values["signed_on"][i].year)
        if (column.min is not None and year < column.min) or (
            column.max is not None and year > column.max
        ):
            checker.bad["wave"].add(i)
            signed = checker.cell(i, "signed_on") if "signed_on" in checker.raw.columns else None
            checker.add(
                i,
                "signed_on",
                signed,
                Rule.WAVE_INFERRED,
                key="problem.wave_not_inferred",
                year=year,
                first=int(column.min or 0),
                last=int(column.max or 0),
                accepted=accepted,
            )
            continue
        checker.values["wave"][i] = year
        inferred[year] = inferred.get(year, 0) + 1
    if inferred:
        waves = ", ".join(f"{w}: {n}" for w, n in sorted(inferred.items()))
        checker.add(
            None,
            None,
            None,
            Rule.WAVE_INFERRED,
            key="problem.wave_inferred",
            severity="warning",
            count=sum(inferred.values()),
            waves=waves,
            accepted=accepted,
        )


# ---------------------------------------------------------------------------------------
# Cells and rows
# ---------------------------------------------------------------------------------------


def check_cells(checker: _Checker) -> None:
    """Check dates far ahead, progress months after today and implausible amounts.

    Call after ``parse_cells`` and ``check_rows``: only cells that parsed are checked.
    """
    today = _today()
    this_month = today.replace(day=1)
    horizon = today + pd.DateOffset(years=FAR_FUTURE_YEARS)
    for c in checker.table.columns:
        if c.kind != "date" or c.name not in checker.raw.columns:
            continue
        for i in checker.rows_where(checker.datetimes(c.name) > horizon.to_datetime64()):
            raw = checker.cell(i, c.name)
            date = checker.values[c.name][i]
            params = {"date": f"{date:%Y-%m-%d}", "years": FAR_FUTURE_YEARS}
            params["today"] = f"{today:%Y-%m-%d}"
            text = as_text(raw).strip()
            if isinstance(raw, str) and (m := _TWO_DIGIT_YEAR.fullmatch(text)):
                example = text[: m.start(1)] + str(date.year) + text[m.end(1) :]
                checker.add(
                    i,
                    c.name,
                    raw,
                    Rule.DATE_FAR_FUTURE,
                    key="problem.two_digit_year",
                    severity="warning",
                    written=repr(text),
                    example=example,
                    **params,
                )
            else:
                checker.add(
                    i,
                    c.name,
                    raw,
                    Rule.DATE_FAR_FUTURE,
                    key="problem.date_far_future",
                    severity="warning",
                    **params,
                )
    if checker.table.name != "progress":
        return
    v = checker.values
    future = checker.datetimes("month") > this_month.to_datetime64()
    for i in checker.rows_where(future | _amounts_to_check(checker)):
        if checker.ok(i, "month") and v["month"][i] > this_month:
            month = v["month"][i]
            checker.bad["month"].add(i)
            checker.add(
                i,
                "month",
                checker.cell(i, "month"),
                Rule.MONTH_IN_FUTURE,
                key="problem.month_in_future",
                month=f"{month:%Y-%m}",
                today=f"{this_month:%Y-%m}",
                typo_example=f"{month:%Y-%m} → {min(month.year, today.year - 1)}-{month:%m}"
                if month.year > today.year
                else f"{month:%Y-%m} → {month.year}-{max(month.month - 1, 1):02d}",
            )
        _check_amounts(checker, i)


def _amounts_to_check(checker: _Checker) -> np.ndarray:
    """Return the progress rows that :func:`_check_amounts` may warn about (a few more)."""
    jobs = checker.numbers("jobs_filled")
    days = checker.numbers("person_days") if "person_days" in checker.values else jobs * np.nan
    wages = checker.numbers("wages_paid_mad")
    margin = 1 - 1e-9  # found with floats, decided exactly by _check_amounts
    with np.errstate(invalid="ignore"):
        many_days = days > jobs * MAX_DAYS_PER_JOB * margin
        per_day = np.where(
            np.nan_to_num(days) != 0,
            days * MAX_DAILY_WAGE_MAD,
            jobs * MAX_DAYS_PER_JOB * MAX_DAILY_WAGE_MAD,
        )
        high_wages = (wages > 0) & (wages > per_day * margin)
    return ~np.isnan(jobs) & (many_days | high_wages)


def _check_amounts(checker: _Checker, i: int) -> None:
    v = checker.values
    if not checker.ok(i, "jobs_filled"):
        return
    jobs = int(v["jobs_filled"][i])
    days = v["person_days"][i] if checker.ok(i, "person_days") else None
    wages = v["wages_paid_mad"][i] if checker.ok(i, "wages_paid_mad") else None
    if days is not None and days > jobs * MAX_DAYS_PER_JOB:
        checker.add(
            i,
            "person_days",
            checker.cell(i, "person_days"),
            Rule.AMOUNT_IMPLAUSIBLE,
            key="problem.person_days_implausible",
            severity="warning",
            days=_fmt_number(days),
            jobs=jobs,
            max_days=MAX_DAYS_PER_JOB,
        )
    if wages is None or wages <= 0:
        return
    if days:
        if wages > days * MAX_DAILY_WAGE_MAD:
            checker.add(
                i,
                "wages_paid_mad",
                checker.cell(i, "wages_paid_mad"),
                Rule.AMOUNT_IMPLAUSIBLE,
                key="problem.wage_implausible",
                severity="warning",
                wages=_fmt_number(wages),
                days=_fmt_number(days),
                per_day=_fmt_number(wages / days),
                max_wage=_fmt_number(MAX_DAILY_WAGE_MAD),
            )
        return
    most = jobs * MAX_DAYS_PER_JOB * MAX_DAILY_WAGE_MAD
    if wages > most:
        checker.add(
            i,
            "wages_paid_mad",
            checker.cell(i, "wages_paid_mad"),
            Rule.AMOUNT_IMPLAUSIBLE,
            key="problem.wages_implausible_no_days",
            severity="warning",
            wages=_fmt_number(wages),
            jobs=jobs,
            max_total=_fmt_number(most),
            max_days=MAX_DAYS_PER_JOB,
            max_wage=_fmt_number(MAX_DAILY_WAGE_MAD),
        )


def check_progress_months(progress: _Checker, projects: _Checker) -> None:
    """Quarantine progress months far before the planned start or after the planned end.

    "Far" is more than :data:`LATE_MONTHS_MAX` months: a month a year or more outside its
    project's span is a typo in the year far more often than real work, and kept it
    would stretch every monthly series (and the "as of" month) to it.

    Call before the span warnings (``month_outside_span``): a row rejected here gets no
    second, milder message.
    """
    from .references import month_number, plans

    ids, span = plans(projects, ("planned_start", "planned_end"))
    ok = progress.ok_mask("project_id", "month")
    found = ids.get_indexer(progress.values["project_id"])
    ok &= found >= 0
    if not ok.any():
        return
    where = np.where(ok, found, 0)
    month = month_number(progress.datetimes("month", ok))
    late = month - month_number(span["planned_end"])[where]
    early = month_number(span["planned_start"])[where] - month
    for i in progress.rows_where(ok & ((early > LATE_MONTHS_MAX) | (late > LATE_MONTHS_MAX))):
        start = pd.Timestamp(span["planned_start"][found[i]])
        end = pd.Timestamp(span["planned_end"][found[i]])
        month = progress.values["month"][i]
        late = (month.year - end.year) * 12 + month.month - end.month
        early = (start.year - month.year) * 12 + start.month - month.month
        if early > LATE_MONTHS_MAX:
            progress.bad["month"].add(i)
            progress.add(
                i,
                "month",
                progress.cell(i, "month"),
                Rule.MONTH_IMPLAUSIBLE,
                key="problem.month_too_early",
                month=f"{month:%Y-%m}",
                early=early,
                start=f"{start:%Y-%m-%d}",
            )
        elif late > LATE_MONTHS_MAX:
            progress.bad["month"].add(i)
            progress.add(
                i,
                "month",
                progress.cell(i, "month"),
                Rule.MONTH_IMPLAUSIBLE,
                key="problem.month_implausible",
                month=f"{month:%Y-%m}",
                late=late,
                end=f"{end:%Y-%m-%d}",
            )


# ---------------------------------------------------------------------------------------
# Coverage of the beneficiaries table
# ---------------------------------------------------------------------------------------


def beneficiaries_coverage(
    tables: dict[str, pd.DataFrame], file: str = "", sheet: str | None = None
) -> Problem | None:
    """Return a warning when beneficiaries are listed for only some projects with jobs.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Accepted tables (``progress`` and ``beneficiaries`` are used).
    file, sheet : str
        File (and sheet) of the beneficiaries table, for the message.

    Returns
    -------
    Problem or None
        ``beneficiaries_coverage`` warning with the counts and share, or ``None`` when the
        table is absent, empty, or covers every project with jobs filled.
    """
    bn, pr = tables.get("beneficiaries"), tables.get("progress")
    if bn is None or pr is None or bn.empty:
        return None
    worked = pr.loc[(pr["jobs_filled"].fillna(0) > 0).to_numpy(dtype=bool), "project_id"]
    worked_ids = sorted(set(worked.astype(str)))
    listed = set(bn["project_id"].astype(str))
    missing = [p for p in worked_ids if p not in listed]
    if not worked_ids or not missing:
        return None
    covered = len(worked_ids) - len(missing)
    return problems.make(
        Rule.BENEFICIARIES_COVERAGE,
        "problem.beneficiaries_coverage",
        severity="warning",
        file=file,
        sheet=sheet,
        table="beneficiaries",
        covered=covered,
        projects=len(worked_ids),
        pct=round(100 * covered / len(worked_ids)),
        missing=len(missing),
        examples=", ".join(missing[:3]) + (", …" if len(missing) > 3 else ""),
    )
