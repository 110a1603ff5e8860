"""Codes computed by the analysis and named by the labels: reasons, levels, headlines."""

from __future__ import annotations

#: Reason codes of ``indicators.schedule`` and ``indicators.attention`` (the fixed list).
REASONS = (
    "late_start",
    "not_started",
    "stalled",
    "underfilled",
    "missing_report",
    "suspended",
    "cancelled",
    "overdue",
)
#: The same codes, most severe first (order of ``flags``, ``reason`` and ``attention``).
SEVERITY = (
    "suspended",
    "not_started",
    "stalled",
    "overdue",
    "missing_report",
    "cancelled",
    "underfilled",
    "late_start",
)

#: Breakdown levels and their key columns (code first, then French and Arabic labels).
LEVELS: dict[str, tuple[str, ...]] = {
    "commune": ("commune_code", "name_fr", "name_ar"),
    "cercle": ("cercle_code", "name_fr", "name_ar"),
    "commune_type": ("commune_type",),
    "partner_type": ("partner_type",),
    "partner": ("partner_id", "name_fr", "name_ar", "partner_type"),
    "domain": ("domain",),
    "wave": ("wave",),
}

#: Unit of each headline indicator (labelled by ``i18n.unit_label``).
HEADLINE_UNITS = {
    "agreements": "agreements",
    "active_projects": "projects",
    "jobs_filled_month": "jobs",
    "jobs_to_date": "jobs",
    "target": "jobs",
    "pct_of_target": "%",
    "women_share": "share",
    "youth_share": "share",
    "wages_paid_mad": "MAD",
}
#: Headline indicator codes, in the order ``headline`` returns them.
HEADLINE_INDICATORS = tuple(HEADLINE_UNITS)
