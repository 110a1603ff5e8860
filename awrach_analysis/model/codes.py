"""Codes shared by every layer: HCP place codes, and the reasons, levels and headlines."""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------------------
# HCP place codes: the one parser of province and commune codes (match with ``fullmatch``)
# ---------------------------------------------------------------------------------------

#: An HCP province (or prefecture) code: ``05.301``.
PROVINCE_CODE = re.compile(r"\d{2}\.\d{3}")
#: An HCP commune code, ``05.301.01.01`` (last part one or two digits); group 1 is the
#: code of its province.
COMMUNE_CODE = re.compile(r"(\d{2}\.\d{3})\.\d{2}\.\d{1,2}")
#: A commune code typed as a number, its dots and leading zero lost (``53010101``).
COMMUNE_DIGITS = re.compile(r"\d{8,9}")
#: Any HCP code from province to commune (``05.301``, ``05.301.01``, ``05.301.01.01``).
CODE_LIKE = re.compile(r"\d{2}\.\d{3}(?:\.\d{1,2}){0,2}")
#: An HCP region code: ``05``.
REGION_CODE = re.compile(r"\d{2}")
#: The scope code of the whole country (targets' ``scope_code``, national data sets).
NATIONAL_CODE = "MA"
#: Scope levels, widest first.
SCOPE_LEVELS = ("national", "region", "province")


def scope_level(code: str) -> str:
    """Return the level of a scope code: ``"national"``, ``"region"`` or ``"province"``.

    Parameters
    ----------
    code : str
        ``"MA"`` (the country), a region code (``"05"``) or a province code (``"05.301"``).

    Raises
    ------
    ValueError
        When ``code`` is none of these shapes.
    """
    text = str(code).strip()
    if text == NATIONAL_CODE:
        return "national"
    if REGION_CODE.fullmatch(text):
        return "region"
    if PROVINCE_CODE.fullmatch(text):
        return "province"
    raise ValueError(f"{code!r} is not a scope code: 'MA', a region (05) or a province (05.301)")


def in_scope(place_code: str, scope_code: str) -> bool:
    """Return True when the province or commune ``place_code`` lies in ``scope_code``."""
    if scope_code == NATIONAL_CODE:
        return True
    return str(place_code) == scope_code or str(place_code).startswith(scope_code + ".")


def province_of(commune_code: str) -> str:
    """Return the province code of an HCP commune code.

    Parameters
    ----------
    commune_code : str
        A commune code such as ``"05.301.01.01"`` (surrounding spaces ignored).

    Returns
    -------
    str
        Its province code: ``"05.301"``.

    Raises
    ------
    ValueError
        When ``commune_code`` is not shaped like a commune code.
    """
    match = COMMUNE_CODE.fullmatch(str(commune_code).strip())
    if match is None:
        raise ValueError(f"{commune_code!r} is not an HCP commune code such as 05.301.01.01")
    return match.group(1)


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
    "province": ("province_code", "name_fr", "name_ar"),
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
