"""Cross-table checks: references to parent rows, progress against its project's plan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import plausibility
from .rules import Rule

if TYPE_CHECKING:
    from .validate import _Checker

__all__ = ["SPAN_GRACE_MONTHS", "check_references"]

#: Progress may be reported up to this many months after the planned end (late work).
SPAN_GRACE_MONTHS = 6


def check_references(checkers: dict[str, _Checker]) -> None:
    """Step 2 of validation: check references between tables, parents first.

    A row referencing a missing or quarantined parent row is an error; progress rows are
    then checked against their project's plan (months in its span, jobs within plan).
    """

    def parent(name: str) -> _Parent | None:
        return _parent_of(checkers[name]) if name in checkers else None

    # TABLES is in loading order: parents first
    if "agreements" in checkers:
        partners = parent("partners")
        checkers["agreements"].check_reference("partner_id", partners)
        checkers["agreements"].check_reference("cosigners", partners, many=True)
    if "projects" in checkers:
        checkers["projects"].check_reference("agreement_id", parent("agreements"))
    projects = parent("projects")
    for child in ("progress", "beneficiaries", "payroll"):
        if child in checkers:
            checkers[child].check_reference("project_id", projects)
    if "progress" in checkers and "projects" in checkers:
        plausibility.check_progress_months(checkers["progress"], checkers["projects"])
        _progress_against_projects(checkers["progress"], checkers["projects"])


@dataclass
class _Parent:
    table: str
    label: str
    accepted: set[str]
    rejected: dict[str, tuple[list[int], tuple[tuple[str, str], ...]]]


def _parent_of(checker: _Checker) -> _Parent:
    bad = checker.rejected_rows()
    col = checker.table.key[0]
    ok = checker.ok_mask(col)
    good = ok.copy()
    good[list(bad)] = False
    accepted: set[str] = set(checker.values[col][good].tolist())
    rejected: dict[str, tuple[list[int], tuple[tuple[str, str], ...]]] = {}
    for i in sorted(i for i in bad if ok[i]):
        key = checker.values[col][i]
        rows, why = rejected.get(key, ([], ()))
        rejected[key] = (rows + [checker.raw.excel_rows[i]], why or checker.causes.get(i) or ())
    return _Parent(checker.table.name, checker.raw.label, accepted, rejected)


def plans(projects: _Checker, columns: tuple[str, ...]) -> tuple[pd.Index, dict[str, np.ndarray]]:
    """Return the ids of the accepted projects whose ``columns`` are all readable, and those.

    Returns
    -------
    tuple
        ``(ids, values)``: an Index of project ids and, per column, an array aligned with it
        (datetime64 for dates, floats for numbers, NaN/NaT when empty).
    """
    keep = projects.ok_mask("project_id", *columns)
    keep[list(projects.rejected_rows())] = False
    ids = pd.Index(projects.values["project_id"][keep], dtype=object)
    values = {}
    for c in columns:
        kind = projects.table.column(c).kind
        array = projects.datetimes(c) if kind in ("date", "month") else projects.numbers(c)
        values[c] = array[keep]
    return ids, values


def month_number(stamps: np.ndarray) -> np.ndarray:
    """Return year * 12 + month - 1 of datetime64 values (months can then be subtracted)."""
    months = stamps.astype("datetime64[M]").astype("int64")
    return np.where(np.isnat(stamps), np.iinfo(np.int64).min // 2, months)


def _progress_against_projects(progress: _Checker, projects: _Checker) -> None:
    """Warn about months outside the project's span and jobs above plan."""
    good = np.ones(projects.n, dtype=bool)
    good[list(projects.rejected_rows())] = False
    pv = projects.values
    plan_of = {
        pv["project_id"][j]: (pv["planned_start"][j], pv["planned_end"][j], pv["planned_jobs"][j])
        for j in projects.rows_where(good)
    }
    ok = progress.ok_mask("project_id", "month")
    ok[list(progress.rejected_rows())] = False
    index = pd.Index(list(plan_of), dtype=object)
    found = index.get_indexer(progress.values["project_id"])
    ok &= found >= 0  # rows of other projects are rejected (reference), never here
    if not ok.any():
        return
    starts = np.array([v[0] for v in plan_of.values()], dtype="datetime64[ns]")
    ends = np.array([v[1] for v in plan_of.values()], dtype="datetime64[ns]")
    planned = np.array([np.nan if v[2] is None else v[2] for v in plan_of.values()], dtype=float)
    where = np.where(ok, found, 0)
    month = month_number(progress.datetimes("month", ok))
    outside = ok & (
        (month < month_number(starts)[where])
        | (month > month_number(ends)[where] + SPAN_GRACE_MONTHS)
    )
    over = ok & (progress.numbers("jobs_filled", ok) > planned[where])
    for i in progress.rows_where(outside | over):
        _span_and_plan(progress, i, plan_of[progress.values["project_id"][i]])


def _span_and_plan(progress: _Checker, i: int, plan: tuple) -> None:
    """Warn when progress row ``i`` lies outside its project's span or above its jobs."""
    start, end, planned = plan
    month = progress.values["month"][i]
    first = start.replace(day=1)
    last = (end + pd.DateOffset(months=SPAN_GRACE_MONTHS)).replace(day=1)
    if not first <= month <= last:
        progress.add(
            i,
            "month",
            progress.cell(i, "month"),
            Rule.MONTH_OUTSIDE_SPAN,
            key="problem.month_outside_span",
            severity="warning",
            month=f"{month:%Y-%m}",
            start=f"{start:%Y-%m-%d}",
            end=f"{end:%Y-%m-%d}",
            grace=SPAN_GRACE_MONTHS,
        )
    if progress.ok(i, "jobs_filled") and planned is not None:
        jobs = progress.values["jobs_filled"][i]
        if jobs > planned:
            progress.add(
                i,
                "jobs_filled",
                progress.cell(i, "jobs_filled"),
                Rule.JOBS_OVER_PLAN,
                key="problem.jobs_over_plan",
                severity="warning",
                jobs=jobs,
                planned=planned,
            )
