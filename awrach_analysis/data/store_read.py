"""Reading the store: the current data as a Program, checksums, and who sent what (status)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from .. import config, i18n
from ..errors import Problem
from ..model.program import Program
from ..model.schema import TABLES
from . import columnar
from .store_db import (
    DEFAULT_WAIT,
    REFERENCE_TABLES,
    _meta,
    _one,
    _parse_month_arg,
    open_store,
)
from .validate import problems_frame

# --- reading the store -------------------------------------------------------------------


def load_program(
    path: str | Path,
    scope: str | None = None,
    tables: Iterable[str] | None = None,
    columns: Mapping[str, Sequence[str]] | None = None,
    *,
    wait: float = DEFAULT_WAIT,
) -> Program:
    """Return the store's current data as a :class:`Program`, as :func:`load.load` does.

    Tables hold the current rows (superseded files left out); ``quarantine`` the open
    quarantined rows; ``problems`` their errors and the warnings of current files;
    ``meta["revisions"]`` every superseded file (partner, month, file, received_at,
    superseded_by, replaced_at) for the report's data-quality appendix.

    Parameters
    ----------
    path : str or Path
        The store.
    scope : str, optional
        ``"MA"`` (national), a region (``"05"``) or a province (``"05.301"``): only the
        projects of its communes, and their rows, are read (a ``WHERE`` in DuckDB).
        Default: the store's province (every row).
    tables : iterable of str, optional
        Tables to read (default: all); the others come back empty.
    columns : mapping, optional
        Table -> columns to read (default: all); see :func:`columnar.read_tables`.
    wait : float
        Seconds to wait while another process holds the store.
    """
    from ..reference.scopes import scope_units

    with open_store(path, read_only=True, wait=wait) as con:
        meta = _meta(con)
        tables = columnar.read_tables(
            con, columnar.store_sources(con), scope=scope, tables=tables, columns=columns
        )
        q = con.execute(
            """SELECT q.table_name, q.excel_row, q.reasons, q.cells, q.file_name, q.sheet
               FROM quarantine q JOIN submissions s USING (submission_id)
               WHERE q.status = 'open' AND s.superseded_by IS NULL
               ORDER BY q.quarantine_id"""
        ).fetchall()
        warn = con.execute(
            """SELECT p.* EXCLUDE (submission_id) FROM problems p JOIN submissions s
               USING (submission_id) WHERE s.superseded_by IS NULL"""
        ).df()
        shas = [r[0] for r in con.execute("SELECT sha256 FROM submissions ORDER BY 1").fetchall()]
        revisions = con.execute(
            """SELECT o.partner_id, strftime(o.month, '%Y-%m') AS month, o.file_name AS file,
                      o.received_at, n.file_name AS superseded_by, n.received_at AS replaced_at
               FROM submissions o JOIN submissions n ON o.superseded_by = n.submission_id
               ORDER BY o.month, o.partner_id, o.submission_id"""
        ).df()
    province_code = meta.get("province_code", config.DEFAULT_PROVINCE_CODE)
    quarantine: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name in TABLES:
        recs = [r for r in q if r[0] == name]
        data = [
            {
                **json.loads(cells),
                "excel_row": row,
                "reasons": "; ".join(p["message"] for p in json.loads(reasons)),
            }
            for _, row, reasons, cells, _, _ in recs
        ]
        df = pd.DataFrame(data) if data else pd.DataFrame({"excel_row": [], "reasons": []})
        df["excel_row"] = df["excel_row"].astype("Int64")
        quarantine[name] = df.astype({c: "string" for c in df.columns if c != "excel_row"})
        for _, _, reasons, _, _, _ in recs:
            for p in json.loads(reasons):
                p["params"] = tuple(tuple(x) for x in p.get("params", []))
                problems.append(Problem(**p))
    for rec in warn.to_dict("records"):
        problems.append(
            Problem(
                file=rec["file"] or "",
                sheet=rec["sheet"],
                row=None if pd.isna(rec["row"]) else int(rec["row"]),
                column=rec["column"],
                value=rec["value"],
                rule=rec["rule"],
                severity=rec["severity"],
                message=rec["message"],
                suggestion=rec["suggestion"],
                table=rec["table_name"] or "",
                key=rec["key"] or "",
                params=tuple(tuple(x) for x in json.loads(rec["params"] or "[]")),
            )
        )
    if scope is not None:
        province_code = columnar.NATIONAL if columnar.scope_prefix(scope) is None else scope
    return Program(
        **tables,
        communes=scope_units(province_code),
        province_code=province_code,
        province=columnar.scope_name(province_code),
        is_sample=False,
        problems=problems_frame(problems),
        quarantine=quarantine,
        rows_read={n: len(tables[n]) + len(quarantine[n]) for n in TABLES},
        source=Path(path),
        fingerprint=hashlib.sha256("\n".join(shas).encode()).hexdigest(),
        meta={
            **{k: v for k, v in meta.items() if k != "schema_version"},
            "revisions": revisions.to_dict("records"),
        },
    )


def checksums(path: str | Path, *, wait: float = DEFAULT_WAIT) -> dict[str, tuple[int, str]]:
    """Return ``{table: (rows, sha256 of every row in order)}`` for every table of the store."""
    out = {}
    with open_store(path, read_only=True, wait=wait) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables ORDER BY table_name"
            ).fetchall()
        ]
        for name in names:
            rows = con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            out[name] = (len(rows), digest)
    return out


# --- status ------------------------------------------------------------------------------


def _expected(con, month: pd.Timestamp) -> pd.DataFrame:
    """Partners with a project running in ``month``, with their projects."""
    return con.execute(
        """SELECT a.partner_id, list(p.project_id ORDER BY p.project_id) AS projects
           FROM projects p JOIN agreements a ON p.agreement_id = a.agreement_id AND a.current
           WHERE p.current AND date_trunc('month', p.planned_start) <= ?
             AND date_trunc('month', p.planned_end) >= ?
           GROUP BY a.partner_id ORDER BY a.partner_id""",
        [month.date(), month.date()],
    ).df()


def status(
    store: str | Path | None = None, month: str | None = None, *, months: int = 6
) -> dict[str, Any]:
    """Return who sent what: a partners x months grid and the partners to chase.

    Each grid cell is ``received`` (a current file), ``corrected`` (a file superseded by a
    later one, or quarantined rows corrected), ``missing`` (a project running that month
    but no file) or ``""`` (nothing expected), with the open quarantined rows.
    """
    with open_store(store, read_only=True) as con:
        subs = con.execute(
            "SELECT submission_id, partner_id, month, superseded_by, kind FROM submissions"
        ).df()
        last = con.execute("SELECT max(month) FROM submissions WHERE kind = 'progress'").fetchall()[
            0
        ][0]
        sel = _parse_month_arg(month) if month else (pd.Timestamp(last) if last else None)
        if sel is None:
            return {
                "month": None,
                "months": [],
                "grid": [],
                "chase": [],
                "reference_quarantined": 0,
            }
        month_list = [sel - pd.DateOffset(months=k) for k in range(months - 1, -1, -1)]
        q = con.execute(
            """SELECT s.partner_id, s.month, count(*) FROM quarantine q
               JOIN submissions s USING (submission_id)
               WHERE q.status = 'open' AND s.superseded_by IS NULL GROUP BY ALL"""
        ).fetchall()
        fixed = con.execute(
            """SELECT DISTINCT s.partner_id, s.month FROM quarantine q
               JOIN submissions s USING (submission_id) WHERE q.status = 'resolved'"""
        ).fetchall()
        expected = {m: _expected(con, m) for m in month_list}
        reference_q = _one(
            con,
            f"""SELECT count(*) FROM quarantine q JOIN submissions s USING (submission_id)
                WHERE q.status = 'open' AND s.superseded_by IS NULL
                  AND q.table_name IN {tuple(REFERENCE_TABLES)}""",
        )[0]
        partners = [
            r[0]
            for r in con.execute(
                "SELECT partner_id FROM partners WHERE current ORDER BY partner_id"
            ).fetchall()
        ]
    quarantined = {(p, pd.Timestamp(m)): n for p, m, n in q if m is not None}
    corrected_q = {(p, pd.Timestamp(m)) for p, m in fixed if m is not None}
    progress_subs = subs[subs["kind"] == "progress"].copy()
    progress_subs["month"] = pd.to_datetime(progress_subs["month"])
    grid = []
    active = set()
    for m, df in expected.items():
        active |= {(p, m) for p in df["partner_id"]}
    shown = [p for p in partners if any((p, m) in active for m in month_list)] or partners
    shown = sorted(set(shown) | set(progress_subs["partner_id"].dropna()))
    for p in shown:
        cells = []
        for m in month_list:
            mine = progress_subs[(progress_subs["partner_id"] == p) & (progress_subs["month"] == m)]
            if len(mine) > 1 or (p, m) in corrected_q:
                state = "corrected"
            elif len(mine) == 1:
                state = "received"
            elif (p, m) in active:
                state = "missing"
            else:
                state = ""
            cells.append({"state": state, "quarantined": int(quarantined.get((p, m), 0))})
        grid.append({"partner_id": p, "cells": cells})
    chase = []
    got = set(progress_subs.loc[progress_subs["month"] == sel, "partner_id"].dropna())
    for rec in expected[sel].to_dict("records"):
        if rec["partner_id"] not in got:
            chase.append({"partner_id": rec["partner_id"], "projects": list(rec["projects"])})
    return {
        "month": f"{sel:%Y-%m}",
        "months": [f"{m:%Y-%m}" for m in month_list],
        "grid": grid,
        "chase": chase,
        "reference_quarantined": int(reference_q),
    }


def format_status(result: dict[str, Any], lang: str = "fr") -> str:
    """Return the status grid and the partners to chase as text in ``lang``."""
    if result["month"] is None:
        return i18n.t("store.status.empty", lang)
    marks = {
        "received": i18n.t("store.status.received", lang),
        "corrected": i18n.t("store.status.corrected", lang),
        "missing": i18n.t("store.status.missing", lang),
        "": "·",
    }
    header = [i18n.t("store.status.partner", lang), *result["months"]]
    rows = [header]
    for line in result["grid"]:
        cells = [line["partner_id"]]
        for c in line["cells"]:
            text = marks[c["state"]]
            if c["quarantined"]:
                text += f" (+{c['quarantined']})"
            cells.append(text)
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    out = [i18n.t("store.status.title", lang, month=result["month"])]
    for n, r in enumerate(rows):
        out.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    out.append(i18n.t("store.status.legend", lang))
    if result.get("reference_quarantined"):
        n = i18n.fmt_int(result["reference_quarantined"], lang)
        out.append(i18n.t("store.status.reference_quarantined", lang, n=n))
    out.append("")
    if result["chase"]:
        out.append(
            i18n.t("store.status.chase", lang, month=result["month"], n=len(result["chase"]))
        )
        for c in result["chase"]:
            out.append(f"  {c['partner_id']}: {', '.join(c['projects'])}")
    else:
        out.append(i18n.t("store.status.none_missing", lang, month=result["month"]))
    return "\n".join(out) + "\n"
