"""A small regional data set for tests: province samples merged, their ids renamed.

Until ``awrach sample --region NAME`` exists, the regional data set of the tests is two
(or three) province samples of Béni Mellal-Khénifra merged into one folder with a
``dataset.json`` of scope ``region``. Every id is prefixed with the province's tag (the
sample of each province numbers its partners, agreements, projects and beneficiaries
from 1), including the partner ids listed in ``agreements.cosigners``; the national
target is kept once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

#: Provinces of the test region (Khénifra: phase 2; Azilal: phase 1).
PROVINCES = ("05.301", "05.081")
REGION_CODE = "05"
REGION_NAME = "Béni Mellal-Khénifra"

#: Id columns renamed, by table.
_IDS = {
    "partners": ("partner_id",),
    "agreements": ("agreement_id", "partner_id"),
    "projects": ("project_id", "agreement_id"),
    "progress": ("project_id",),
    "beneficiaries": ("beneficiary_key", "project_id"),
    "payroll": ("beneficiary_key", "project_id"),
    "targets": ("target_id",),
}


def tag(province_code: str) -> str:
    """Return the id prefix of a province: ``"05.301"`` -> ``"P301-"``."""
    return f"P{province_code.split('.')[1]}-"


def _rename(tables: dict, prefix: str) -> dict:
    out = {}
    for name, columns in _IDS.items():
        df = tables.get(name)
        if df is None:
            continue
        df = df.copy()
        if name == "targets":
            df = df[df["scope"].astype(str) != "national"]
        for column in columns:
            renamed = prefix + df[column].astype("string")
            # a compact categorical gets the new ids as its categories
            categorical = isinstance(df[column].dtype, pd.CategoricalDtype)
            df[column] = renamed.astype("category" if categorical else df[column].dtype)
        if name == "agreements":
            df["cosigners"] = df["cosigners"].map(
                lambda v: v if pd.isna(v) else ";".join(prefix + p for p in str(v).split(";"))
            )
        out[name] = df
    return out


def regional_tables(provinces=PROVINCES) -> dict:
    """Return the merged tables (as :func:`data.sample.generate` returns them) and meta."""
    from awrach_analysis.data.sample import generate

    parts = [(code, generate(code)) for code in provinces]
    merged: dict = {}
    for code, tables in parts:
        for name, df in _rename(tables, tag(code)).items():
            merged.setdefault(name, []).append(df)
    national = parts[0][1]["targets"]
    merged["targets"].append(national[national["scope"].astype(str) == "national"])
    out = {name: pd.concat(frames, ignore_index=True) for name, frames in merged.items()}
    out["meta"] = {
        "scope": "region",
        "scope_code": REGION_CODE,
        "province_code": REGION_CODE,
        "province": REGION_NAME,
        "is_sample": True,
        "generator": "tests/regional_util.py (province samples merged)",
        "provinces": list(provinces),
        "as_of": parts[0][1]["meta"]["as_of"],
    }
    out["parts"] = {code: tables for code, tables in parts}
    return out


def write_regional(out_dir: str | Path, provinces=PROVINCES) -> dict:
    """Write the regional data set as CSV files and ``dataset.json``; return its tables."""
    from awrach_analysis.data.sample import write_table
    from awrach_analysis.model import schema

    tables = regional_tables(provinces)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, table in schema.TABLES.items():
        df = tables.get(name)
        if df is None or (name == "payroll" and df.empty):
            continue
        write_table(df, table, out / f"{name}.csv")
    (out / "dataset.json").write_text(
        json.dumps(tables["meta"], ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return tables


def write_province(out_dir: str | Path, province_code: str) -> dict:
    """Write one province sample (unrenamed), as ``awrach sample`` does."""
    from awrach_analysis.data.sample import generate, write_sample

    tables = generate(province_code)
    write_sample(tables, out_dir)
    return tables
