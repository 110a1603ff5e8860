"""Indicators of the programme: the public entry point re-exporting every indicator.

The code lives in the modules of :mod:`awrach_analysis.analysis` along its seams:
:mod:`.selection` (what is known at a month, people counts), :mod:`.progress` (jobs month
by month, headline, targets), :mod:`.breakdowns` (breakdowns, communes, inclusion,
suppression, money), :mod:`.schedule` (schedule, attention, reporting) and
:mod:`.forecast` (forecast and backtest). Notebooks and documents call ``indicators.X``.
"""

from __future__ import annotations

# The codes live in the data model (i18n labels them); re-exported here for analysts.
from ..model.codes import HEADLINE_INDICATORS, HEADLINE_UNITS, LEVELS, REASONS, SEVERITY
from ..model.months import to_month
from .breakdowns import _people_table as _people_table
from .breakdowns import (
    breakdown,
    commune_context,
    commune_view,
    inclusion,
    money,
    suppress_small,
    unemployment_rate,
)
from .forecast import (
    FORECAST_HORIZON_MONTHS,
    FORECAST_METHODS,
    backtest,
    backtest_summary,
    forecast,
)
from .progress import (
    headline,
    headline_by_wave,
    jobs_to_date,
    monthly_breakdown,
    monthly_jobs,
    other_readings,
    target_for,
)
from .schedule import (
    attention,
    flag_counts,
    project_crosstab,
    rank_reporting,
    reporting,
    reporting_grid,
    schedule,
)
from .selection import (
    COMPLEMENTARY_MARK,
    FORECAST_WINDOW_MONTHS,
    FTE_DAYS_PER_MONTH,
    LATE_START_MONTHS,
    PERSON_LEVELS,
    SMALL_MARK,
    STALL_MONTHS,
    UNDERFILL_THRESHOLD,
    default_as_of,
)
from .selection import _Selection as _Selection

# ``_Selection`` and ``_people_table`` (private) are re-exported for the privacy tests.
__all__ = [
    "HEADLINE_INDICATORS",
    "HEADLINE_UNITS",
    "LEVELS",
    "REASONS",
    "SEVERITY",
    "to_month",
    "FTE_DAYS_PER_MONTH",
    "UNDERFILL_THRESHOLD",
    "STALL_MONTHS",
    "LATE_START_MONTHS",
    "FORECAST_WINDOW_MONTHS",
    "SMALL_MARK",
    "COMPLEMENTARY_MARK",
    "PERSON_LEVELS",
    "default_as_of",
    "target_for",
    "monthly_jobs",
    "monthly_breakdown",
    "jobs_to_date",
    "headline",
    "other_readings",
    "headline_by_wave",
    "breakdown",
    "commune_context",
    "commune_view",
    "unemployment_rate",
    "suppress_small",
    "inclusion",
    "money",
    "schedule",
    "attention",
    "reporting",
    "reporting_grid",
    "rank_reporting",
    "flag_counts",
    "project_crosstab",
    "FORECAST_METHODS",
    "forecast",
    "FORECAST_HORIZON_MONTHS",
    "backtest",
    "backtest_summary",
]
