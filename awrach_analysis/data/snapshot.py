"""A validated data set written once and read back whole: what a report's kernel loads.

Validating a national data set (about a million rows) takes seconds; a report build
validates it once in the command's process and hands the kernel this snapshot (Parquet
tables, the problems, the quarantine and the provenance) instead of the raw files, so the
same data are not validated twice. A snapshot holds exactly what :func:`load.load`
returned — pseudonymous keys, no personal cell (the quarantine hides them) — and lives in a
temporary folder for the duration of the build.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..model.program import Program
from ..model.schema import TABLES

#: The file that marks a folder as a snapshot (and holds its provenance).
MARK = "awrach-snapshot.json"
#: Snapshot format; a reader refuses another one.
FORMAT = 1


def is_snapshot(path: str | Path | None) -> bool:
    """Return True when ``path`` is a folder written by :func:`write_snapshot`."""
    return path is not None and (Path(path) / MARK).is_file()


def _categories(frame: pd.DataFrame) -> dict[str, dict]:
    """Return the categorical columns with their categories and the categories' dtype.

    Parquet keeps neither an empty column's categories nor always their dtype.
    """
    return {
        str(c): {
            "dtype": str(frame[c].cat.categories.dtype),
            "values": frame[c].cat.categories.tolist(),
        }
        for c in frame.columns
        if isinstance(frame[c].dtype, pd.CategoricalDtype)
    }


def _restore(frame: pd.DataFrame, categories: dict[str, dict]) -> pd.DataFrame:
    for c, cat in categories.items():
        index = pd.Index(cat["values"], dtype=cat["dtype"])
        frame[c] = frame[c].astype(object).astype(pd.CategoricalDtype(index))
    return frame


def _params_text(params: object) -> str:
    return json.dumps([list(p) for p in params] if params else [], ensure_ascii=False)


def write_snapshot(program: Program, folder: str | Path) -> Path:
    """Write ``program`` to ``folder`` (created) so that :func:`read_snapshot` gives it back.

    Parameters
    ----------
    program : Program
        A loaded data set.
    folder : str or Path
        Where to write (a temporary folder: a snapshot is not an archive format).

    Returns
    -------
    Path
        The folder.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        program.table(name).to_parquet(out / f"{name}.parquet", index=False)
    for name, frame in program.quarantine.items():
        frame.to_parquet(out / f"quarantine.{name}.parquet", index=False)
    problems = program.problems.copy()
    if "params" in problems:
        problems["params"] = problems["params"].map(_params_text).astype("string")
    problems.to_parquet(out / "problems.parquet", index=False)
    program.communes.to_parquet(out / "communes.parquet", index=False)
    mark = {
        "format": FORMAT,
        "categories": {name: _categories(program.table(name)) for name in TABLES},
        "province_code": program.province_code,
        "province": program.province,
        "is_sample": bool(program.is_sample),
        "rows_read": {k: int(v) for k, v in program.rows_read.items()},
        "quarantine": sorted(program.quarantine),
        "source": None if program.source is None else str(program.source),
        "fingerprint": program.fingerprint,
        "meta": program.meta,
    }
    text = json.dumps(mark, ensure_ascii=False, indent=1, default=str)
    (out / MARK).write_text(text, encoding="utf-8")
    return out


def read_snapshot(folder: str | Path) -> Program:
    """Return the :class:`Program` written by :func:`write_snapshot` in ``folder``."""
    import geopandas as gpd

    from ..errors import InputError

    root = Path(folder)
    mark = json.loads((root / MARK).read_text(encoding="utf-8"))
    if mark.get("format") != FORMAT:
        raise InputError(f"{root}: snapshot format {mark.get('format')!r}, expected {FORMAT}.")
    tables = {
        name: _restore(pd.read_parquet(root / f"{name}.parquet"), mark["categories"][name])
        for name in TABLES
    }
    quarantine = {
        name: pd.read_parquet(root / f"quarantine.{name}.parquet") for name in mark["quarantine"]
    }
    problems = pd.read_parquet(root / "problems.parquet")
    if "params" in problems:
        problems["params"] = [
            tuple(tuple(p) for p in json.loads(text)) if isinstance(text, str) else ()
            for text in problems["params"]
        ]
        problems["params"] = problems["params"].astype(object)
    return Program(
        **tables,
        communes=gpd.read_parquet(root / "communes.parquet"),
        province_code=mark["province_code"],
        province=mark["province"],
        is_sample=mark["is_sample"],
        problems=problems,
        quarantine=quarantine,
        rows_read=mark["rows_read"],
        source=None if mark["source"] is None else Path(mark["source"]),
        fingerprint=mark["fingerprint"],
        meta=mark["meta"],
    )
