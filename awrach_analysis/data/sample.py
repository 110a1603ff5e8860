"""Generate the deterministic sample data set: published facts plus labelled synthetic detail.

For Khénifra (HCP ``05.301``) the sample reproduces every published figure of
:mod:`awrach_analysis.reference.facts`
(84 agreements, 42 associations and 4 cooperatives, 84 projects
over the 22 communes, 1,100 jobs and beneficiaries of whom 183 women; 61 sites and 1,257
beneficiaries in 2023, quota 953). For any other province the same structure is scaled by
population and the province targets are marked synthetic. Everything else (names, dates,
durations, jobs per project, people, wages...) is synthetic and documented table by table
in the ``README.md`` written next to the data (:func:`readme_text`).

The generator is pure (:func:`generate` returns frames); :func:`write_sample` writes them.
The same seed gives byte-identical files. The parameters and vocabulary live in
:mod:`~awrach_analysis.data.sample_specs`, the builder in
:mod:`~awrach_analysis.data.sample_build`; this module writes the files, the README and the
in-memory :class:`~awrach_analysis.model.program.Program`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pandas as pd

from .. import config, i18n
from ..model import schema
from ..reference import facts
from .sample_build import generate
from .sample_specs import (
    _KHENIFRA,
    DAILY_WAGE_MAD,
    GENERATOR,
    LAST_MONTH,
    SIGN_LEAD_MONTHS_2023,
    STARTS_2022,
    STARTS_2023,
)

#: Files written by :func:`write_sample`, in order.
SAMPLE_FILES = (
    "partners.csv",
    "agreements.csv",
    "projects.csv",
    "progress.csv",
    "beneficiaries.csv",
    "targets.csv",
    config.DATASET_META_FILE,
    "README.md",
)


def _format_float(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _cell(value: Any, kind: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "month":
        return pd.Timestamp(value).strftime("%Y-%m")
    if kind == "int":
        return str(int(value))
    if kind == "float":
        return _format_float(float(value))
    return str(value)


def write_sample(tables: dict[str, Any], out_dir: str | Path) -> list[Path]:
    """Write a generated data set as CSV files, ``dataset.json`` and ``README.md``.

    Parameters
    ----------
    tables : dict
        The output of :func:`generate`.
    out_dir : str or Path
        Folder to write into (created if needed). Files of the same names are replaced;
        other files are left alone.

    Returns
    -------
    list of Path
        The files written, in :data:`SAMPLE_FILES` order.

    Notes
    -----
    CSV files are UTF-8 without BOM with Unix (LF) line endings and canonical English headers;
    dates are ISO (``2022-03-01``), months ``YYYY-MM``, numbers use a dot and at most two
    decimals without trailing zeros. The output depends only on ``tables``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in schema.TABLES.items():
        df = tables.get(name)
        if df is None or (not table.required and name == "payroll" and df.empty):
            continue  # the payroll is optional: a province sample has none
        path = out / f"{name}.csv"
        kinds = [table.column(c).kind for c in table.column_names]
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(table.column_names)
            for row in df[table.column_names].itertuples(index=False, name=None):
                writer.writerow([_cell(v, k) for v, k in zip(row, kinds, strict=True)])
        written.append(path)
    meta_path = out / config.DATASET_META_FILE
    meta_path.write_text(
        json.dumps(tables["meta"], ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    written.append(meta_path)
    readme = out / "README.md"
    readme.write_text(readme_text(tables), encoding="utf-8", newline="\n")
    written.append(readme)
    return written


# ---------------------------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _month_name(text: str) -> str:
    """English name of the month of ``YYYY-MM`` (``i18n``'s, independent of the locale)."""
    return i18n.fmt_month(text, "en").rsplit(" ", 1)[0]


def _cohorts_text() -> str:
    """``February, May, August and October 2023``: the 2023 cohort start months."""
    names = [_month_name(m) for m in STARTS_2023]
    return f"{', '.join(names[:-1])} and {names[-1]} {STARTS_2023[-1][:4]}"


def readme_text(tables: dict[str, Any]) -> str:
    """Return the ``README.md`` that documents a generated data set.

    It states, table by table and column by column, which figures are published (with their
    source) and which are synthetic, the seed, the command that regenerates the files, the
    trouble injected (project ids) and the credits for the commune data. The prose lives in
    the template ``templates/sample/README.md.j2``; this function computes its values.

    Parameters
    ----------
    tables : dict
        The output of :func:`generate`.

    Returns
    -------
    str
        Markdown text ending with a newline.
    """
    import jinja2

    from ..reference.communes import ATTRIBUTION

    meta = tables["meta"]
    code, name, seed = meta["province_code"], meta["province"], meta["seed"]
    published = code == _KHENIFRA
    trouble = meta["trouble"]
    params = meta["parameters"]
    agreements = tables["agreements"]
    projects = tables["projects"].merge(agreements[["agreement_id", "wave"]], on="agreement_id")
    bens = tables["beneficiaries"].merge(projects[["project_id", "wave"]], on="project_id")
    waves = sorted(int(w) for w in agreements["wave"].unique())
    impl = agreements.merge(tables["partners"], on="partner_id")

    def per_wave(count) -> list[str]:
        return [_n(count(w)) for w in waves]

    def partners_of(kind: str):
        return lambda w: impl.loc[
            (impl["wave"] == w) & (impl["partner_type"] == kind), "partner_id"
        ].nunique()

    def ids(items: list[Any]) -> str:
        return ", ".join(f"`{i}`" for i in items) if items else "none"

    by_key = {f.key: f for f in facts.FACTS}
    context = {
        "name": name,
        "code": code,
        "seed": seed,
        "cmd": "awrach sample --out DIR"
        + ("" if published else f" --province {code}")
        + ("" if seed == config.DEFAULT_SEED else f" --seed {seed}"),
        "make_sample": published and seed == config.DEFAULT_SEED,
        "as_of": meta["as_of"],
        "published": published,
        "pub": "**published**" if published else "synthetic",
        "facts": [
            {
                "description": by_key[key].description,
                "key": key,
                "value": _n(by_key[key].value),
                "source": by_key[key].source,
            }
            for key in meta["facts"]
        ],
        "n_projects": _n(tables["projects"].shape[0]),
        "waves": [str(w) for w in waves],
        "wave_rows": [
            ("agreements = projects", per_wave(lambda w: (agreements["wave"] == w).sum())),
            ("implementing partners: association", per_wave(partners_of("association"))),
            ("implementing partners: cooperative", per_wave(partners_of("cooperative"))),
            (
                "communes covered",
                per_wave(lambda w: projects.loc[projects["wave"] == w, "commune_code"].nunique()),
            ),
            (
                "planned jobs",
                per_wave(lambda w: projects.loc[projects["wave"] == w, "planned_jobs"].sum()),
            ),
            (
                "beneficiaries (distinct)",
                per_wave(lambda w: bens.loc[bens["wave"] == w, "beneficiary_key"].nunique()),
            ),
            (
                "of whom women",
                per_wave(lambda w: ((bens["wave"] == w) & (bens["sex"] == "female")).sum()),
            ),
            (
                "replacements (people hired after someone left)",
                per_wave(lambda w: trouble["replacements"][str(w)]),
            ),
        ],
        "sign_lead_months": SIGN_LEAD_MONTHS_2023,
        "working_days": params["working_days_per_month"],
        "first_start_2022": _month_name(STARTS_2022[0]),
        "last_start_2022": _month_name(STARTS_2022[-1]),
        "cohorts": _cohorts_text(),
        "contract_months": _n(facts.fact("contract_months_2023")),
        "last_month": LAST_MONTH,
        "daily_wages": ", ".join(f"{v:g} in {k}" for k, v in params["daily_wage_mad"].items()),
        "women_share": f"{params['synthetic_women_share']:.0%}",
        "targets": [
            {
                "target_id": row.target_id,
                "scope": row.scope,
                "scope_code": row.scope_code,
                "wave": None if pd.isna(row.wave) else f"{row.wave}",
                "jobs": _n(row.jobs_target),
                "source": row.source,
            }
            for row in tables["targets"].itertuples(index=False)
        ],
        "late_start": ", ".join(
            f"`{x['project_id']}` (+{x['delay_months']} months)" for x in trouble["late_start"]
        )
        or "none",
        "suspended": ids(trouble["suspended"]),
        "cancelled": ids(trouble["cancelled"]),
        "underfilled": ", ".join(
            f"`{x['project_id']}` ({x['staffed']} of {x['planned_jobs']})"
            for x in trouble["underfilled"]
        )
        or "none",
        "missing_report": ", ".join(
            f"`{x['project_id']}` ({x['month']})" for x in trouble["missing_report"]
        )
        or "none",
        "replacements": ", ".join(f"{v} in {k}" for k, v in trouble["replacements"].items()),
        "census": ATTRIBUTION["census"],
        "boundaries": ATTRIBUTION["boundaries"],
    }
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(config.TEMPLATES_DIR / "sample"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("README.md.j2").render(context)


def build_program(tables: dict[str, Any]):
    """Return a :class:`~awrach_analysis.model.program.Program` built from :func:`generate` output.

    No file is read or written: useful in tests and notebooks to work on a generated data
    set of any province without going through the loader.

    Parameters
    ----------
    tables : dict
        The output of :func:`generate`.

    Returns
    -------
    awrach_analysis.model.program.Program
        With the province's reference communes, ``is_sample=True`` and ``meta`` set.
    """
    from ..model.program import Program
    from ..reference import arrondissements as ref

    meta = tables["meta"]
    frames = {
        name: tables[name].copy() if name in tables else schema.empty_frame(name)
        for name in schema.TABLES
    }
    return Program(
        **frames,
        communes=ref.province_units(meta["province_code"]),
        province_code=meta["province_code"],
        province=meta["province"],
        is_sample=True,
        problems=pd.DataFrame(columns=list(_PROBLEM_COLUMNS)),
        quarantine={},
        rows_read={name: len(df) for name, df in frames.items()},
        source=None,
        fingerprint="",
        meta=dict(meta),
    )


_PROBLEM_COLUMNS = (
    "file",
    "sheet",
    "row",
    "column",
    "value",
    "rule",
    "severity",
    "message",
    "suggestion",
    "table",
)

__all__ = [
    "DAILY_WAGE_MAD",
    "GENERATOR",
    "SAMPLE_FILES",
    "build_program",
    "generate",
    "readme_text",
    "write_sample",
]
