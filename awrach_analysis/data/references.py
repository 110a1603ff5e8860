"""Cross-table checks: references to parent rows, progress against its project's plan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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
    for child in ("progress", "beneficiaries"):
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
    accepted: set[str] = set()
    rejected: dict[str, tuple[list[int], tuple[tuple[str, str], ...]]] = {}
    col = checker.table.key[0]
    for i in range(checker.n):
        key = checker.values[col][i] if checker.ok(i, col) else None
        if key is None:
            continue
        if i in bad:
            rows, why = rejected.get(key, ([], ()))
            rejected[key] = (rows + [checker.raw.excel_rows[i]], why or checker.causes[i] or ())
        else:
            accepted.add(key)
    return _Parent(checker.table.name, checker.raw.label, accepted, rejected)


def _progress_against_projects(progress: _Checker, projects: _Checker) -> None:
    """Warn about months outside the project's span and jobs above plan."""
    bad = projects.rejected_rows()
    plan: dict[str, tuple] = {}
    for j in range(projects.n):
        if j in bad:
            continue
        pv = projects.values
        plan[pv["project_id"][j]] = (
            pv["planned_start"][j],
            pv["planned_end"][j],
            pv["planned_jobs"][j],
        )
    rejected = progress.rejected_rows()
    for i in range(progress.n):
        if i in rejected or not progress.ok(i, "project_id", "month"):
            continue
        start, end, planned = plan[progress.values["project_id"][i]]
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
