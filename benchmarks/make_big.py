"""Make big synthetic inputs for the validation benchmarks from the bundled sample.

The bundled sample (``data/sample``) is copied ``--copies`` times with every id renamed
(``P22-001`` becomes ``P22-001-c0042`` in copy 42), so that the copies never share a key:
about 675 progress rows per copy (300 copies: about 200,000 rows). Beneficiaries are
copied ``--beneficiary-copies`` times (70: about 165,000), and a payroll table of
``--payroll-rows`` rows (default 1,000,000) lists, for the beneficiaries of as many
copies as needed, each month of their contract (days worked, amount paid at 100 MAD a
day). Every value is synthetic, like the sample it comes from; ``dataset.json`` says so.

Usage::

    python benchmarks/make_big.py OUT [--copies 300] [--beneficiary-copies 70]
        [--payroll-rows 1000000] [--tables progress,projects,...]

Writes CSV files in UTF-8 to ``OUT`` (created), plus ``dataset.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"

#: Id columns renamed in each copy, per table (``cosigners`` is a ``;`` list of ids).
ID_COLUMNS = {
    "partners": ("partner_id",),
    "agreements": ("agreement_id", "partner_id", "cosigners"),
    "projects": ("project_id", "agreement_id"),
    "progress": ("project_id",),
    "beneficiaries": ("beneficiary_key", "project_id"),
}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)


def _copies(df: pd.DataFrame, columns: tuple[str, ...], copies: int) -> pd.DataFrame:
    """Return ``copies`` copies of ``df`` with the ids of ``columns`` suffixed ``-cNNNN``."""
    n = len(df)
    out = pd.concat([df] * copies, ignore_index=True)
    suffix = pd.Series(np.repeat([f"-c{k:04d}" for k in range(copies)], n))
    for col in columns:
        values = out[col]
        if col == "cosigners":
            values = values.str.split(";")
            out[col] = [
                ";".join(p + s for p in parts if p) if isinstance(parts, list) else ""
                for parts, s in zip(values, suffix, strict=True)
            ]
        else:
            blank = values.eq("")
            out[col] = (values + suffix).where(~blank, "")
    return out


def _payroll(beneficiaries: pd.DataFrame, rows: int, seed: int = 14) -> pd.DataFrame:
    """Return ``rows`` payroll rows: each month of each contract, over as many copies as needed."""
    start = pd.to_datetime(beneficiaries["start_date"]).dt.to_period("M")
    end = pd.to_datetime(beneficiaries["end_date"].replace("", "2023-12-31")).dt.to_period("M")
    span = (end - start).map(lambda d: d.n).to_numpy() + 1
    span = np.clip(span, 1, None)
    base = pd.DataFrame(
        {
            "beneficiary_key": np.repeat(beneficiaries["beneficiary_key"].to_numpy(), span),
            "project_id": np.repeat(beneficiaries["project_id"].to_numpy(), span),
            "month": np.concatenate(
                [
                    pd.period_range(s, periods=k, freq="M").strftime("%Y-%m")
                    for s, k in zip(start, span, strict=True)
                ]
            ),
        }
    )
    copies = -(-rows // len(base))
    out = _copies(base, ("beneficiary_key", "project_id"), copies).iloc[:rows].copy()
    rng = np.random.default_rng(seed)
    days = rng.integers(12, 27, size=len(out))
    out["days_worked"] = days
    out["amount_paid_mad"] = days * 100
    return out


def make(out: Path, copies: int, beneficiary_copies: int, payroll_rows: int, tables: set[str]):
    """Write the big data set to ``out``; return the rows written per table."""
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for name, columns in ID_COLUMNS.items():
        if name not in tables:
            continue
        n = beneficiary_copies if name == "beneficiaries" else copies
        df = _copies(_read(name), columns, n)
        df.to_csv(out / f"{name}.csv", index=False)
        written[name] = len(df)
    if "targets" in tables:
        _read("targets").to_csv(out / "targets.csv", index=False)
        written["targets"] = len(_read("targets"))
    if "payroll" in tables and payroll_rows:
        df = _payroll(_read("beneficiaries"), payroll_rows)
        df.to_csv(out / "payroll.csv", index=False)
        written["payroll"] = len(df)
    meta = json.loads((SAMPLE / "dataset.json").read_text(encoding="utf-8"))
    meta = {k: meta[k] for k in ("province_code", "province", "is_sample", "as_of")}
    meta["generator"] = f"benchmarks/make_big.py (copies={copies})"
    meta["synthetic_note"] = "Synthetic benchmark input: the bundled sample copied, ids renamed."
    (out / "dataset.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--copies", type=int, default=300)
    parser.add_argument("--beneficiary-copies", type=int, default=70)
    parser.add_argument("--payroll-rows", type=int, default=1_000_000)
    parser.add_argument(
        "--tables",
        default="partners,agreements,projects,progress,beneficiaries,payroll,targets",
        help="comma-separated tables to write",
    )
    args = parser.parse_args(argv)
    t = time.perf_counter()
    tables = set(args.tables.split(","))
    written = make(args.out, args.copies, args.beneficiary_copies, args.payroll_rows, tables)
    print(json.dumps(written), f"({time.perf_counter() - t:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
