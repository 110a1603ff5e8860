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

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import config, i18n
from ..model import schema
from ..reference import facts
from .allocation import CLIP, DISPERSION, equity_ratio
from .sample_build import generate
from .sample_specs import (
    _KHENIFRA,
    DAILY_WAGE_MAD,
    GENERATOR,
    LAST_MONTH,
    MIN_JOBS_PER_SITE,
    SIGN_LEAD_MONTHS_2023,
    STARTS_2022,
    STARTS_2023,
    _province_reference,
)

#: Communes with at least this many unemployed are "large enough" in the README's spread of
#: equity ratios (below it, one site of a few positions already weighs a lot).
EQUITY_MIN_UNEMPLOYED = 300

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

#: Tables written only when the data set has rows for them.
_OPTIONAL_FILES = ("payroll",)


def _format_float(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _column_text(values: pd.Series, kind: str) -> pd.Series:
    """Format a column as :func:`write_sample` writes it, vectorised.

    ISO dates, ``YYYY-MM`` months, integers, at most two decimals without trailing zeros;
    missing values are empty cells.
    """
    if len(values) > 10_000 and kind in ("date", "month", "int", "float"):
        # large tables: format each distinct value once
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        text = _format(pd.Series(uniques, dtype=values.dtype), kind).to_numpy(dtype=object)
        out = np.where(codes >= 0, text[np.maximum(codes, 0)] if len(text) else "", "")
        return pd.Series(out, index=values.index, dtype=object)
    return _format(values, kind)


def _format(values: pd.Series, kind: str) -> pd.Series:
    missing = values.isna().to_numpy()
    if kind in ("date", "month"):
        text = pd.to_datetime(values).dt.strftime("%Y-%m-%d" if kind == "date" else "%Y-%m")
    elif kind == "int":
        text = values.astype("Int64").astype(str)
    elif kind == "float":
        floats = values.astype("Float64").to_numpy(dtype=float, na_value=0.0)
        text = pd.Series(np.char.mod("%.2f", floats), index=values.index, dtype=object)
        text = text.str.rstrip("0").str.rstrip(".").replace({"-0": "0", "": "0"})
    else:
        text = values.astype(object).map(str, na_action="ignore")
    text = text.astype(object)
    text[missing] = ""
    return text


def write_table(df: pd.DataFrame, table: schema.Table, path: Path) -> None:
    """Write one table as CSV in the sample's format (see :func:`write_sample`)."""
    cells = pd.DataFrame(
        {c.name: _column_text(df[c.name], c.kind) for c in table.columns}, index=df.index
    )
    cells.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


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
        if df is None or (name in _OPTIONAL_FILES and df.empty):
            continue  # e.g. no payroll: the province sample has none, its files stay as they were
        path = out / f"{name}.csv"
        write_table(df, table, path)
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


def _target_rows(rows) -> list[dict]:
    """Return the targets as the sample README lists them (jobs formatted, wave as text)."""
    return [
        {
            "target_id": row.target_id,
            "scope": row.scope,
            "scope_code": row.scope_code,
            "wave": None if pd.isna(row.wave) else f"{row.wave}",
            "jobs": _n(row.jobs_target),
            "source": row.source,
        }
        for row in rows
    ]


def _month_name(text: str) -> str:
    """English name of the month of ``YYYY-MM`` (``i18n``'s, independent of the locale)."""
    return i18n.fmt_month(text, "en").rsplit(" ", 1)[0]


def _cohorts_text() -> str:
    """``February, May, August and October 2023``: the 2023 cohort start months."""
    names = [_month_name(m) for m in STARTS_2023]
    return f"{', '.join(names[:-1])} and {names[-1]} {STARTS_2023[-1][:4]}"


def _spread(values: pd.Series) -> str:
    """``0.52–1.47``: lowest and highest of ``values`` (two decimals), or ``–`` if none."""
    values = values.dropna()
    if values.empty:
        return "–"
    return f"{values.min():.2f}–{values.max():.2f}"


def commune_equity(tables: dict[str, Any]) -> pd.DataFrame:
    """Return planned jobs and equity ratios per commune, by wave and over all waves.

    Parameters
    ----------
    tables : dict
        The output of :func:`generate`.

    Returns
    -------
    pandas.DataFrame
        One row per commune of the province (sorted by code): ``commune_code``, ``name_fr``,
        ``unemployed_2024`` (as the generator weighs it), then per wave ``W`` and for
        ``all`` waves: ``sites_W``, ``jobs_W`` (planned jobs) and ``ratio_W``, the
        commune's planned jobs per unemployed person relative to the province's
        (:func:`~awrach_analysis.data.allocation.equity_ratio`; 0 without a site).
    """
    _, _, communes = _province_reference(tables["meta"]["province_code"])
    out = communes[["commune_code", "name_fr", "unemployed_2024"]].copy()
    projects = tables["projects"].merge(
        tables["agreements"][["agreement_id", "wave"]], on="agreement_id"
    )
    waves = [str(int(w)) for w in sorted(projects["wave"].unique())]
    for label in [*waves, "all"]:
        part = projects if label == "all" else projects[projects["wave"] == int(label)]
        grouped = part.groupby("commune_code")["planned_jobs"].agg(["size", "sum"])
        codes = out["commune_code"]
        out[f"sites_{label}"] = codes.map(grouped["size"]).fillna(0).astype("int64")
        out[f"jobs_{label}"] = codes.map(grouped["sum"]).fillna(0).astype("int64")
        out[f"ratio_{label}"] = equity_ratio(out[f"jobs_{label}"], out["unemployed_2024"])
    return out


def _equity_context(tables: dict[str, Any]) -> dict[str, Any]:
    """Values of the README's allocation section: the spread of equity ratios."""
    eq = commune_equity(tables)
    labels = [c.removeprefix("ratio_") for c in eq.columns if c.startswith("ratio_")]
    large = eq["unemployed_2024"] >= EQUITY_MIN_UNEMPLOYED
    unemployed = int(eq["unemployed_2024"].sum())

    def row(label: str, cell) -> tuple[str, list[str]]:
        return label, [cell(x) for x in labels]

    def quartiles(x: str) -> str:
        q1, q3 = eq[f"ratio_{x}"].quantile([0.25, 0.75])
        return f"{q1:.2f}–{q3:.2f}"

    rows = [
        row(
            "province rate: planned jobs per 1,000 unemployed",
            lambda x: f"{1000 * eq[f'jobs_{x}'].sum() / unemployed:.1f}",
        ),
        row("communes with a site", lambda x: f"{(eq[f'sites_{x}'] > 0).sum()} of {len(eq)}"),
        row("middle half of the communes (quartiles)", quartiles),
        row(
            f"communes with {EQUITY_MIN_UNEMPLOYED} unemployed or more: lowest–highest",
            lambda x: _spread(eq.loc[large, f"ratio_{x}"]),
        ),
        row(
            "communes with fewer unemployed: lowest–highest",
            lambda x: _spread(eq.loc[~large, f"ratio_{x}"]),
        ),
    ]
    order = eq.sort_values(["ratio_all", "commune_code"], ascending=[False, True])

    def who(c) -> str:
        sites = f"site{'s' if c['sites_all'] != 1 else ''}"
        return (
            f"{c['name_fr']} ({_n(c['unemployed_2024'])} unemployed, {_n(c['jobs_all'])} "
            f"planned jobs in {_n(c['sites_all'])} {sites}: {c['ratio_all']:.2f})"
        )

    low, high = np.exp(-CLIP * DISPERSION), np.exp(CLIP * DISPERSION)
    return {
        "equity_labels": ["all waves" if x == "all" else x for x in labels],
        "equity_rows": rows,
        "equity_top": who(order.iloc[0]),
        "equity_bottom": who(order.iloc[-1]),
        "factor_low": f"{low:.1f}",
        "factor_high": f"{high:.0f}",
        "min_jobs_per_site": MIN_JOBS_PER_SITE,
        "equity_min_unemployed": _n(EQUITY_MIN_UNEMPLOYED),
    }


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
    if meta.get("scope") in ("national", "region"):
        return _national_readme_text(tables)
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
        "targets": _target_rows(tables["targets"].itertuples(index=False)),
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
        **_equity_context(tables),
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


def _render(template: str, context: dict[str, Any]) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(config.TEMPLATES_DIR / "sample"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template(template).render(context)


def _national_readme_text(tables: dict[str, Any]) -> str:
    """Return the ``README.md`` of a national or regional sample (``README_national.md.j2``)."""
    from ..reference.communes import ATTRIBUTION
    from ..reference.rollout import PHASES, rollout
    from . import sample_national as nat

    meta = tables["meta"]
    params = meta["parameters"]
    provinces = meta["provinces"]
    agreements = tables["agreements"]
    projects = tables["projects"].merge(agreements[["agreement_id", "wave"]], on="agreement_id")
    bens = tables["beneficiaries"].merge(projects[["project_id", "wave"]], on="project_id")
    waves = sorted(int(w) for w in agreements["wave"].unique())
    types = nat.reference()[1].set_index("commune_code")["commune_type"]
    rural = bens["residence_commune"].astype(str).map(types).eq("rural")
    months = (
        (projects["planned_end"].dt.year - projects["planned_start"].dt.year) * 12
        + projects["planned_end"].dt.month
        - projects["planned_start"].dt.month
        + 1
    )

    def per_wave(values) -> list[str]:
        return [_n(values(w)) for w in waves]

    def share(mask, w) -> str:
        sel = bens["wave"] == w
        return f"{mask[sel].mean():.1%}"

    wave_rows = [
        ("projects = agreements", per_wave(lambda w: (agreements["wave"] == w).sum())),
        (
            "planned jobs",
            per_wave(lambda w: projects.loc[projects["wave"] == w, "planned_jobs"].sum()),
        ),
        ("beneficiaries (distinct)", per_wave(lambda w: (bens["wave"] == w).sum())),
        (
            "of whom women",
            per_wave(lambda w: ((bens["wave"] == w) & (bens["sex"] == "female")).sum()),
        ),
        ("share of women", [share(bens["sex"] == "female", w) for w in waves]),
        ("share living in a rural commune", [share(rural, w) for w in waves]),
        ("share without a diploma", [share(bens["education"] == "none", w) for w in waves]),
        (
            "payroll rows",
            per_wave(
                lambda w: (
                    tables["payroll"]["project_id"]
                    .isin(projects.loc[projects["wave"] == w, "project_id"])
                    .sum()
                )
            ),
        ),
    ]
    by_key = {f.key: f for f in facts.FACTS}
    roll = rollout()
    roll = roll[roll["province_code"].isin(provinces)]
    domain_map = [
        {"province": code, "label": label, "count": count, "domain": domain}
        for code, (_, split) in facts.DOMAIN_SPLITS.items()
        if code in provinces
        for label, count, domain in split
    ]
    published_targets = [
        row
        for row in tables["targets"].itertuples(index=False)
        if not str(row.source).startswith("synthetic")
    ]
    cmd = "awrach sample " + (
        "--scale national" if meta["scope"] == "national" else f"--region {meta['scope_code']}"
    )
    if meta["seed"] != config.DEFAULT_SEED:
        cmd += f" --seed {meta['seed']}"
    context = {
        "name": meta["province"],
        "code": meta["scope_code"],
        "scope": meta["scope"],
        "seed": meta["seed"],
        "cmd": cmd + " --out DIR",
        "n_provinces": len(provinces),
        "n_communes": _n(meta["communes"]),
        "as_of": meta["as_of"],
        "waves": [str(w) for w in waves],
        "wave_rows": wave_rows,
        "facts": [
            {
                "description": by_key[key].description,
                "key": key,
                "scope": by_key[key].scope,
                "value": f"{by_key[key].value:.0%}"
                if by_key[key].unit == "share"
                else _n(by_key[key].value),
                "source": by_key[key].source,
            }
            for key in meta["facts"]
        ],
        "rural_2022": share(rural, 2022) if 2022 in waves else "n/a",
        "ben_2023": _n(params["beneficiaries_2023"]),
        "women_2023": f"{params['women_share_2023']:.0%} outside Khénifra",
        "domain_map": domain_map,
        "phases": [
            {
                "number": p.number,
                "start": p.start_month,
                "count": int((roll["phase"] == p.number).sum()),
                "source": p.source,
            }
            for p in PHASES
        ],
        "rural_weight": f"{params['rural_weight']:.2f}",
        "dispersion": f"{params['dispersion']:g}",
        "min_2022": _n(nat.MIN_PROVINCE_2022),
        "min_2023": _n(nat.MIN_PROVINCE_2023),
        "min_site": nat.MIN_SITE_PEOPLE,
        "site_2022": f"{nat.SITE_SIZE[2022]:g}",
        "site_2023": f"{nat.SITE_SIZE[2023]:g}",
        "site_range": "–".join(f"{x:g}" for x in nat.SITE_SIZE_RANGE),
        "durations_2022": f"{min(nat.DURATIONS_2022)} to {max(nat.DURATIONS_2022)}",
        "mean_2022": f"{months[projects['wave'] == 2022].mean():.1f}",
        "cohorts": _cohorts_text(),
        "last_month": LAST_MONTH,
        "replacement": f"{params['replacement_rate']:.0%}",
        "working_days": params["working_days_per_month"],
        "daily_wages": ", ".join(f"{v:g} in {k}" for k, v in params["daily_wage_mad"].items()),
        "targets": _target_rows(published_targets),
        "n_synthetic_targets": len(tables["targets"]) - len(published_targets),
        "census": ATTRIBUTION["census"],
        "boundaries": ATTRIBUTION["boundaries"],
    }
    return _render("README_national.md.j2", context)


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
    "commune_equity",
    "generate",
    "readme_text",
    "write_sample",
]
