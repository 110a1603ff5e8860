"""Exports from the store: the quarantine workbook, CSV/Parquet tables, sample partner files."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import config, i18n
from ..model import schema
from ..model.schema import TABLES
from .safe_output import keep_text, neutralise, safe_file_name, safe_sheet_title
from .store_db import (
    _EXPORT_KEYS,
    EXPORT_MARKER,
    REFERENCE_TABLES,
    _current_frame,
    _meta,
    open_store,
)

# --- exports -----------------------------------------------------------------------------


def _quarantine_rows(con, partner: str | None) -> pd.DataFrame:
    df = con.execute(
        """SELECT q.quarantine_id, q.table_name, q.file_name, q.sheet, q.excel_row,
                  q.reasons, q.cells, s.partner_id, s.month
           FROM quarantine q JOIN submissions s USING (submission_id)
           WHERE q.status = 'open' AND s.superseded_by IS NULL
           ORDER BY s.partner_id, q.quarantine_id"""
    ).df()
    # a partner's progress rows go to the partner's sheet; other tables' rows (the
    # provincial team's) to a sheet named after the table, which reads back as that table
    by_partner = df["table_name"].eq("progress") & df["partner_id"].notna()
    df["sheet_title"] = df["partner_id"].where(
        by_partner, df["table_name"].map(lambda t: TABLES[t].fr[0] if TABLES[t].fr else t)
    )
    if partner is not None:
        df = df[df["partner_id"].eq(partner) & by_partner]
    return df


def write_quarantine_workbook(
    sheets: dict[str, dict[str, Any]],
    out: Path,
    lang: str,
    *,
    province_code: str = config.DEFAULT_PROVINCE_CODE,
) -> Path:
    """Write the quarantine workbook in the fill-in template's form, one sheet per partner.

    ``sheets`` maps a sheet title to ``{"table": str, "headers": [...], "rows": [[...]]}``;
    the last three headers are the reference, reason and suggestion columns. Each sheet is
    written by :func:`template.write_correction_sheet` (bilingual headers the loader reads
    back, drop-down lists, checks, right to left in Arabic, the context columns locked),
    after the template's instructions sheet; every text is neutralised (:func:`neutralise`).
    A hidden ``awrach`` sheet marks the workbook as an export for :func:`ingest_file`.
    """
    import openpyxl

    from .. import __version__
    from . import template

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    tlang = lang if lang in template.TEMPLATE_LANGS else "fr"
    note = i18n.t(
        "store.export.note",
        lang,
        version=__version__,
        date=dt.date.today().strftime("%d/%m/%Y"),
        n=sum(len(sheet["rows"]) for sheet in sheets.values()),
    )
    for title, sheet in sheets.items():
        template.write_correction_sheet(
            wb,
            title,
            sheet.get("table", "progress"),
            sheet["headers"],
            sheet["rows"],
            tlang,
            province_code=province_code,
            note=note,
            context=3,
            neutralise=neutralise,
        )
    wb.active = 1 if len(wb.sheetnames) > 1 else 0
    marker = wb.create_sheet("awrach")
    marker["A1"] = EXPORT_MARKER
    marker.sheet_state = "hidden"
    wb.properties.keywords = EXPORT_MARKER
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def export_quarantine(
    out: str | Path,
    store: str | Path | None = None,
    *,
    partner: str | None = None,
    lang: str = "fr",
) -> tuple[Path, int]:
    """Write the open quarantined rows to a workbook, one sheet per partner.

    Progress rows go to their partner's sheet; rows of the reference tables (and of files
    whose partner is not known) to a sheet named after their table, for the provincial team.

    Each row keeps its cells as the partner wrote them, then the reference of the row,
    the reason and the suggestion in ``lang``. The partner corrects the cells and sends
    the workbook back; ``awrach ingest`` of it resolves those rows.

    Returns
    -------
    tuple of (Path, int)
        The workbook written and the number of rows in it.
    """
    i18n.check_lang(lang)
    with open_store(store, read_only=True) as con:
        df = _quarantine_rows(con, partner)
        province_code = _meta(con).get("province_code") or config.DEFAULT_PROVINCE_CODE
    ref, reason, hint = (i18n.t(k, lang) for k in _EXPORT_KEYS)
    sheets: dict[str, dict[str, Any]] = {}
    taken: set[str] = set()
    for pid, part in df.groupby("sheet_title", sort=True):
        headers: list[str] = []
        cells_list = [json.loads(c) for c in part["cells"]]
        for cells in cells_list:
            headers += [h for h in cells if h not in headers]
        rows = []
        for rec, cells in zip(part.to_dict("records"), cells_list, strict=True):
            texts = [i18n.problem_texts(p, lang) for p in json.loads(rec["reasons"])]
            located = [
                (f"{p['column']}: " if p.get("column") else "") + m
                for p, (m, _) in zip(json.loads(rec["reasons"]), texts, strict=True)
            ]
            rows.append(
                [cells.get(h, "") for h in headers]
                + [
                    rec["quarantine_id"],
                    "\n".join(located),
                    "\n".join(dict.fromkeys(s for _, s in texts if s)),
                ]
            )
        # a partner id is data: made a title Excel accepts (no / \\ [ ] : * ?, 31 chars)
        sheets[safe_sheet_title(pid, taken)] = {
            "table": part["table_name"].iloc[0],
            "headers": [*headers, ref, reason, hint],
            "rows": rows,
        }
    if not sheets:
        sheets[i18n.t("store.export.empty_sheet", lang)] = {
            "table": "progress",
            "headers": [ref, reason, hint],
            "rows": [],
        }
    path = write_quarantine_workbook(sheets, Path(out), lang, province_code=province_code)
    return path, len(df)


def export_tables(out: str | Path, store: str | Path | None = None) -> list[Path]:
    """Write the store's current tables and its records as CSV and Parquet files.

    CSV text that a spreadsheet would run as a formula is neutralised (:func:`neutralise`);
    Parquet keeps values as they are.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with open_store(store, read_only=True) as con:
        frames = {name: _current_frame(con, name) for name in TABLES}
        for name in ("submissions", "quarantine", "events"):
            frames[name] = con.execute(f"SELECT * FROM {name} ORDER BY 1").df()
    for name, df in frames.items():
        pq = out / f"{name}.parquet"
        plain = df.copy()
        for c in plain.columns:
            if isinstance(plain[c].dtype, pd.CategoricalDtype):
                plain[c] = plain[c].astype("string")
        plain.to_parquet(pq, index=False)
        csv = out / f"{name}.csv"
        text = plain.copy()
        for c in text.columns:
            if text[c].dtype == object or isinstance(text[c].dtype, pd.StringDtype):
                text[c] = text[c].map(neutralise, na_action="ignore")
        text.to_csv(csv, index=False, date_format="%Y-%m-%d")
        written += [csv, pq]
    return written


# --- sample files (round trip, benchmarks, training) ----------------------------------------


def _cell(text: Any) -> Any:
    if text is None or (isinstance(text, float) and text != text) or text is pd.NA:
        return None
    s = str(text)
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    if re.fullmatch(r"-?\d+\.\d+", s):
        return float(s)
    return s


def _append_text(ws, values: list[Any]) -> None:
    """Append a row; text starting with ``=`` stays text (openpyxl would write a formula)."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        keep_text(cell)


def write_partner_files(
    source: str | Path, out: str | Path, months: Iterable[str] | None = None
) -> list[Path]:
    """Split a data folder's progress rows into one workbook per partner and month.

    Headers are the French ones (``id_projet``, ``mois``...), numbers are numbers,
    months are text as a partner types them. Returns the files written,
    named ``<partner>_<YYYY-MM>.xlsx`` (both parts made safe by :func:`safe_file_name`:
    a partner id cannot name a path outside ``out``).
    """
    import openpyxl

    source, out = Path(source), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    progress = pd.read_csv(source / "progress.csv", dtype=str, keep_default_na=False)
    projects = pd.read_csv(source / "projects.csv", dtype=str, keep_default_na=False)
    agreements = pd.read_csv(source / "agreements.csv", dtype=str, keep_default_na=False)
    owner = projects[["project_id", "agreement_id"]].merge(
        agreements[["agreement_id", "partner_id"]], on="agreement_id"
    )
    df = progress.merge(owner[["project_id", "partner_id"]], on="project_id", how="left")
    wanted = set(months) if months is not None else None
    headers = [(c.fr[0] if c.fr else c.name) for c in schema.PROGRESS.columns]
    written = []
    for (pid, month), part in df.groupby(["partner_id", "month"], sort=True):
        if wanted is not None and month not in wanted:
            continue
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "suivi"
        ws.append(headers)
        for rec in part[schema.PROGRESS.column_names].itertuples(index=False, name=None):
            _append_text(
                ws,
                [
                    v if c == "month" else _cell(v or None)
                    for c, v in zip(schema.PROGRESS.column_names, rec, strict=True)
                ],
            )
        path = out / f"{safe_file_name(pid, 'partner')}_{safe_file_name(month, 'month')}.xlsx"
        wb.save(path)
        written.append(path)
    return written


def write_reference_workbook(
    source: str | Path, path: str | Path, tables: Sequence[str] = REFERENCE_TABLES
) -> Path:
    """Write a data folder's reference tables as the provincial team's workbook.

    One sheet per table, named in French (``partenaires``, ``conventions``...), cells as
    text exactly as in the CSV files.
    """
    import openpyxl

    source, path = Path(source), Path(path)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in tables:
        f = source / f"{name}.csv"
        if not f.exists():
            continue
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        ws = wb.create_sheet(TABLES[name].fr[0] if TABLES[name].fr else name)
        ws.append(list(df.columns))
        for rec in df.itertuples(index=False, name=None):
            _append_text(ws, [v if v != "" else None for v in rec])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
