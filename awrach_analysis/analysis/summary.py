"""Summarise a loaded programme in figures, per wave (``awrach summary``).

:func:`program_summary` returns a plain dict; ``awrach summary --json`` prints it as JSON.
This JSON is a stable interface: keys are only ever added, never renamed or removed.

Top level
    ``province`` (str, French name), ``province_code`` (HCP code), ``is_sample`` (bool),
    ``quarantined_rows`` (int, rows rejected by validation), ``as_of`` (``YYYY-MM``: the
    last month with a progress report, or the month asked for; null without progress),
    ``communes_in_province`` (int), ``national_target`` (object with ``jobs_target``,
    ``period_start``, ``period_end``, ``source``; null when the targets table has none),
    ``waves`` (object keyed by wave year as a string).

Per wave (``waves["2022"]``...)
    ``agreements``, ``projects`` (int): agreements of the wave and the projects on them.
    ``partners`` (object): IMPLEMENTING partners (the ``partner_id`` of the wave's
    agreements) counted by type, every type of the vocabulary present
    (``association, cooperative, decentralized_service, commune, other``).
    ``cosigning_services`` (int): distinct co-signers named on the wave's agreements.
    ``communes_covered`` (int): distinct communes of the wave's projects.
    ``planned_jobs`` (int): sum of planned jobs of the wave's projects.
    ``beneficiaries`` (int or null): distinct beneficiary keys on the wave's projects;
    null when the data set has no beneficiaries table.
    ``women``, ``men`` (int or null): people of the wave by sex as the disclosure rule
    publishes them (:mod:`awrach_analysis.analysis.disclosure`, PRIVACY.md): the women of
    ``indicators.inclusion`` at ``as_of`` (its *published state*: contracts of each
    project's last release of at least 5 people) and the men = its people - women. Null
    without a beneficiaries table, or when the rule hides the count (``"<5"``/``"x"``).
    They can lag behind ``beneficiaries``: ``people_not_yet_published`` (int or null)
    counts the contracts of the jobs to date not in the published state yet.
    ``jobs_filled_to_date`` (int): the jobs to date of the report's headline, computed by
    :func:`awrach_analysis.analysis.indicators.jobs_to_date` (one definition): per
    project, the contracts that started by the end of the ``as_of`` month; for projects
    without beneficiary rows, the peak monthly ``jobs_filled`` up to ``as_of`` - a lower
    bound, since people replaced during a project are not seen. ``jobs_filled_basis``
    says which: ``"beneficiaries"``, ``"peak_monthly_jobs_filled"`` (no beneficiaries
    table) or ``"mixed"`` (beneficiaries listed for only some projects with jobs).
    ``beneficiaries_coverage`` (object): ``projects_with_jobs`` (projects with jobs filled
    reported up to ``as_of``) and ``projects_with_beneficiaries`` (of those, the ones
    with beneficiary rows).
    ``target`` (int or null), ``target_source`` (str or null): the province target of the
    wave from the targets table.
    ``projects_by_status`` (object): every status code of the vocabulary with the number
    of projects in it at ``as_of`` (status of the last report at or before ``as_of``;
    projects without any report yet count as ``planned``).
    ``person_days`` (float), ``wages_paid_mad`` (float, 2 decimals): sums of the progress
    reports of the wave up to ``as_of``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..model import schema
from ..model.months import to_month
from ..model.program import Program
from . import indicators, territories


def _int(value: Any) -> int | None:
    if value is None or pd.isna(value):
        return None
    return int(value)


#: ``indicators.jobs_to_date`` method -> ``jobs_filled_basis`` of the JSON (stable names).
_BASIS = {
    "beneficiaries": "beneficiaries",
    "peak_jobs_filled": "peak_monthly_jobs_filled",
    "mixed": "mixed",
}


def _published_by_sex(
    program: Program, wave: int, as_of: pd.Timestamp | None
) -> tuple[int | None, int | None, int]:
    """Return women, men and unpublished people of a wave under the disclosure rule.

    One definition: the province row of :func:`indicators.inclusion` (the published state
    the report's tables and cards use); a count it hides gives ``None``.
    """
    row = indicators.inclusion(program, as_of=as_of, wave=wave)
    unpublished = int(row.attrs["unpublished"])
    people, women = row["people"].iloc[0], row["women"].iloc[0]
    if isinstance(people, str) or isinstance(women, str):
        return None, None, unpublished
    return int(women), int(people) - int(women), unpublished


def _wave_summary(program: Program, wave: int, as_of: pd.Timestamp | None) -> dict[str, Any]:
    agreements = program.agreements[(program.agreements["wave"] == wave).fillna(False).astype(bool)]
    projects = program.projects[program.projects["agreement_id"].isin(agreements["agreement_id"])]
    pids = set(projects["project_id"])
    progress = program.progress[program.progress["project_id"].isin(pids)]
    if as_of is not None:
        progress = progress[progress["month"] <= as_of]

    partners = program.partners.set_index("partner_id")
    implementing = agreements["partner_id"].dropna().unique()
    types = partners.reindex(implementing)["partner_type"]
    by_type = {code: int((types == code).sum()) for code in schema.PARTNER_TYPES}

    cosigners: set[str] = set()
    for value in agreements["cosigners"].dropna():
        cosigners.update(s.strip() for s in str(value).split(";") if s.strip())

    bens = program.beneficiaries
    if len(bens):
        bens = bens[bens["project_id"].isin(pids)]
        beneficiaries: int | None = int(bens["beneficiary_key"].nunique())
        women, men, unpublished = _published_by_sex(program, wave, as_of)
    else:
        beneficiaries = women = men = unpublished = None
    # One definition of jobs to date: the one of the report's headline.
    if len(projects) or len(progress):
        jobs = indicators.jobs_to_date(program, wave, as_of)
    else:
        jobs = {"jobs_to_date": 0, "method": "beneficiaries" if len(bens) else "peak_jobs_filled"}
        jobs.update(projects_with_jobs=0, projects_with_beneficiaries=0)
    jobs_to_date = jobs["jobs_to_date"]
    basis = _BASIS[jobs["method"]]

    # one definition of the scope's quota: the report's (a region's is the sum of its
    # provinces' when each has one); the country's spans both waves: its own line below
    quota = territories.scope_target(program, wave)
    target = quota["target"] if program.scope_level != "national" else None
    target_source = quota["source"] or None if target is not None else None

    last = progress.sort_values("month").groupby("project_id", observed=True)["status"].last()
    statuses = last.reindex(sorted(pids))
    by_status = {code: int((statuses == code).sum()) for code in schema.STATUSES}
    by_status["planned"] += int(statuses.isna().sum())

    wages = float(progress["wages_paid_mad"].sum(skipna=True))
    person_days = float(progress["person_days"].sum(skipna=True))
    return {
        "agreements": int(len(agreements)),
        "projects": int(len(projects)),
        "partners": by_type,
        "cosigning_services": len(cosigners),
        "communes_covered": int(projects["commune_code"].nunique()),
        "planned_jobs": int(projects["planned_jobs"].sum(skipna=True)),
        "beneficiaries": beneficiaries,
        "women": women,
        "men": men,
        "people_not_yet_published": unpublished,
        "jobs_filled_to_date": jobs_to_date,
        "jobs_filled_basis": basis,
        "beneficiaries_coverage": {
            "projects_with_jobs": jobs["projects_with_jobs"],
            "projects_with_beneficiaries": jobs["projects_with_beneficiaries"],
        },
        "target": target,
        "target_source": target_source,
        "projects_by_status": by_status,
        "person_days": round(person_days, 2) if not math.isnan(person_days) else 0.0,
        "wages_paid_mad": round(wages, 2) if not math.isnan(wages) else 0.0,
    }


def program_summary(program: Program, as_of: str | pd.Timestamp | None = None) -> dict[str, Any]:
    """Return the programme in figures, per wave, as a JSON-ready dict.

    Parameters
    ----------
    program : Program
        A loaded data set.
    as_of : str or Timestamp, optional
        Month (``"YYYY-MM"``) the figures are counted up to; default: the last month with a
        progress report.

    Returns
    -------
    dict
        The structure documented in this module's docstring (only built-in types: it can be
        passed to :func:`json.dumps` as is).
    """
    if as_of is not None:
        month: pd.Timestamp | None = to_month(as_of)
    elif len(program.progress):
        month = indicators.default_as_of(program)
    else:
        month = None

    national = program.targets[program.targets["scope"] == "national"]
    national_target = None
    if len(national):
        n = national.iloc[0]
        national_target = {
            "jobs_target": _int(n["jobs_target"]),
            "period_start": pd.Timestamp(n["period_start"]).strftime("%Y-%m"),
            "period_end": pd.Timestamp(n["period_end"]).strftime("%Y-%m"),
            "source": str(n["source"]),
        }
    return {
        "province": program.province,
        "province_code": program.province_code,
        "is_sample": bool(program.is_sample),
        "quarantined_rows": int(program.quarantined_rows),
        "as_of": month.strftime("%Y-%m") if month is not None else None,
        "communes_in_province": int(len(program.communes)),
        "national_target": national_target,
        "waves": {str(w): _wave_summary(program, w, month) for w in program.waves},
    }


#: Figures of a wave that count people by sex.
_BY_SEX = ("women", "men")


def waves_table(summary: dict[str, Any], *, counts_by_sex: bool = False) -> pd.DataFrame:
    """Return the per-wave figures of a :func:`program_summary` dict as a table.

    Parameters
    ----------
    summary : dict
        The output of :func:`program_summary`.
    counts_by_sex : bool, default False
        Keep ``women`` and ``men`` (the disclosure rule's published counts, see the module
        docstring); left out by default, like the other counts of people by sex.

    Returns
    -------
    pandas.DataFrame
        One row per figure of a wave, nested figures flattened with a dot
        (``partners.association``, ``projects_by_status.ongoing``), in the order of the
        module docstring; one column per wave (``"2022"``...). Values as in the dict.
    """
    waves = list(summary["waves"])
    rows: dict[str, list[Any]] = {}
    for i, w in enumerate(waves):
        for key, value in summary["waves"][w].items():
            if key in _BY_SEX and not counts_by_sex:
                continue
            items = value.items() if isinstance(value, dict) else [(None, value)]
            for sub, v in items:
                name = key if sub is None else f"{key}.{sub}"
                rows.setdefault(name, [None] * len(waves))[i] = v
    return pd.DataFrame.from_dict(rows, orient="index", columns=waves, dtype=object)


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


#: Lines of the readable summary: (label, path in the wave dict).
_LINES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Agreements", ("agreements",)),
    ("Projects", ("projects",)),
    ("Implementing partners: associations", ("partners", "association")),
    ("  cooperatives", ("partners", "cooperative")),
    ("  decentralized services", ("partners", "decentralized_service")),
    ("  communes", ("partners", "commune")),
    ("  other", ("partners", "other")),
    ("Co-signing services", ("cosigning_services",)),
    ("Communes covered", ("communes_covered",)),
    ("Planned jobs", ("planned_jobs",)),
    ("Target (scope)", ("target",)),
    ("Beneficiaries (distinct)", ("beneficiaries",)),
    ("  women", ("women",)),
    ("  men", ("men",)),
    ("Jobs filled to date", ("jobs_filled_to_date",)),
    ("Projects planned", ("projects_by_status", "planned")),
    ("  ongoing", ("projects_by_status", "ongoing")),
    ("  suspended", ("projects_by_status", "suspended")),
    ("  completed", ("projects_by_status", "completed")),
    ("  cancelled", ("projects_by_status", "cancelled")),
    ("Person-days worked", ("person_days",)),
    ("Wages paid (MAD)", ("wages_paid_mad",)),
)


def _published_fact(summary: dict[str, Any], path: tuple[str, ...], wave: str) -> Any:
    """Return the published fact of a sample's count by sex (``reference.facts``), or None.

    A sample whose wave has the published number of beneficiaries reproduces the
    published figures; where the disclosure rule's published
    state differs from one of them (women and men of 2022: 183 and 917 published, the
    contracts of the last releases give fewer), the readable summary quotes the fact with
    its source rather than a recomputed count.
    """
    from ..reference import facts

    if not summary["is_sample"] or path[0] not in _BY_SEX:
        return None
    found = {
        f.key: f for f in facts.FACTS if f.scope == summary["province_code"] and f.unit == "people"
    }
    people = found.get(f"beneficiaries_{wave}")
    # only a sample that reproduces the published population of the wave quotes its split
    if people is None or people.value != summary["waves"][wave]["beneficiaries"]:
        return None
    return found.get(f"{path[0]}_{wave}")


def format_summary(summary: dict[str, Any]) -> str:
    """Return the readable, aligned English text of a :func:`program_summary` dict.

    Parameters
    ----------
    summary : dict
        The output of :func:`program_summary`.

    Returns
    -------
    str
        One line per figure, one column per wave, then the sources of the targets.
    """
    waves = list(summary["waves"])
    head = f"Awrach programme summary: {summary['province']} ({summary['province_code']})"
    out = [head]
    if summary["is_sample"]:
        out.append("SAMPLE DATA: synthetic except the published figures (see data/sample).")
    out.append(
        f"As of {summary['as_of'] or 'n/a'}; communes in scope: "
        f"{summary['communes_in_province']}; quarantined rows: {summary['quarantined_rows']}"
    )
    out.append("")
    label_w = max(len(label) for label, _ in _LINES)
    cells = []
    notes: list[str] = []
    for _, path in _LINES:
        row = []
        for w in waves:
            value: Any = summary["waves"][w]
            for key in path:
                value = value[key]
            fact = _published_fact(summary, path, w)
            if fact is not None and fact.value != value:
                row.append(_fmt(int(fact.value)) + "*")
                notes.append(
                    f"* {w} {path[0]}: {int(fact.value):,} is the published figure "
                    f"({fact.source}), quoted instead of the count of the disclosure "
                    "rule's published state (PRIVACY.md)."
                )
            else:
                row.append(_fmt(value))
        cells.append(row)
    col_w = max([len(w) for w in waves] + [len(c) for row in cells for c in row] + [4])
    out.append(" " * label_w + "".join(f"  {w:>{col_w}}" for w in waves))
    for (label, _), row in zip(_LINES, cells, strict=True):
        out.append(f"{label:<{label_w}}" + "".join(f"  {c:>{col_w}}" for c in row))
    out.extend(notes)
    out.append("")
    for w in waves:
        ws = summary["waves"][w]
        if ws["jobs_filled_basis"] == "peak_monthly_jobs_filled":
            out.append(
                f"{w}: no beneficiaries table; jobs filled to date is the sum of each "
                "project's peak monthly jobs filled (a lower bound)."
            )
        elif ws["jobs_filled_basis"] == "mixed":
            cov = ws["beneficiaries_coverage"]
            covered, total = cov["projects_with_beneficiaries"], cov["projects_with_jobs"]
            out.append(
                f"{w}: beneficiaries listed for {covered} of {total} projects with jobs "
                f"({round(100 * covered / total) if total else 0} %); the others count "
                "their peak monthly jobs filled (a lower bound)."
            )
        if ws["target_source"]:
            out.append(f"{w} target source: {ws['target_source']}")
    nat = summary.get("national_target")
    if nat:
        out.append(
            f"National target: {nat['jobs_target']:,} jobs, {nat['period_start']} to "
            f"{nat['period_end']} ({nat['source']})"
        )
    return "\n".join(out).rstrip() + "\n"


__all__ = ["format_summary", "program_summary", "waves_table"]
