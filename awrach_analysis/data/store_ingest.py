"""Ingest: one file (or a quarantine export sent back) into the store, in one transaction."""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .. import config, i18n
from ..errors import InputError, Problem
from ..model.schema import TABLES
from .parse import ParseError, as_text, is_blank, parse_id, parse_month
from .rules import Rule
from .store_db import (
    _CONTEXT_CACHE,
    _EXPORT_KEYS,
    DEFAULT_WAIT,
    EXPORT_MARKER,
    REFERENCE_TABLES,
    _current_frame,
    _event,
    _insert_frame,
    _meta,
    _month_text,
    _next_id,
    _now,
    _one,
    _parse_month_arg,
    _plain,
    _raw_from_cells,
    _raw_from_frame,
    _run,
    _to_store_frame,
    open_store,
)
from .validate import RawTable, validate_tables

#: Tables whose rows belong to a project (they wait in quarantine for an unknown project).
_PROJECT_TABLES = ("progress", "beneficiaries", "payroll")

# --- ingest ------------------------------------------------------------------------------


@dataclass
class IngestResult:
    """What happened to one file given to :func:`ingest`.

    ``status`` is ``accepted``, ``quarantined`` (some rows rejected), ``superseded`` (the
    file replaced an earlier one for the same partner and month), ``already`` (same
    SHA-256 ingested before: nothing changed), ``corrections`` (a quarantine export sent
    back) or ``unreadable`` (nothing changed).
    """

    file: str
    status: str
    submission_id: int | None = None
    kind: str = ""
    partner_id: str | None = None
    month: str | None = None
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    supersedes: list[int] = field(default_factory=list)
    released: int = 0
    resolved: int = 0
    message: str = ""

    def line(self, lang: str = "en") -> str:
        """Return the one-line summary printed by ``awrach ingest``."""
        params = {
            "file": self.file,
            "partner": self.partner_id or "-",
            "month": self.month or "-",
            "read": i18n.fmt_int(self.rows_read, lang),
            "accepted": i18n.fmt_int(self.rows_accepted, lang),
            "quarantined": i18n.fmt_int(self.rows_quarantined, lang),
            "supersedes": ", ".join(f"#{s}" for s in self.supersedes),
            "id": self.submission_id or "-",
            "released": i18n.fmt_int(self.released, lang),
            "resolved": i18n.fmt_int(self.resolved, lang),
            "message": self.message,
        }
        text = i18n.t(f"store.ingest.{self.status}", lang, **params)
        if self.released:
            text += " " + i18n.t("store.ingest.released", lang, **params)
        return text


def _problem_dict(p: Problem) -> dict[str, Any]:
    d = p.to_dict()
    d["params"] = [list(x) for x in p.params]
    return d


def _localisable(p: Problem, table: str, context: dict[str, set[str]]) -> Problem:
    """Word a reference to a project the store does not hold yet as a row that waits."""
    if p.rule != Rule.REFERENCE or p.key not in ("", "problem.unknown_reference"):
        return p
    ref = p.value or ""
    parent = "projects" if table in _PROJECT_TABLES else None
    if parent and ref not in context.get(parent, set()):
        from . import problems as problems_module

        return problems_module.make(
            Rule.REFERENCE,
            "problem.store_unknown_project",
            file=p.file,
            sheet=p.sheet,
            row=p.row,
            column=p.column,
            value=p.value,
            table=p.table,
            project=ref,
        )
    return p


@dataclass
class _Checked:
    accepted: dict[str, pd.DataFrame]
    quarantine: list[dict[str, Any]]  # table, file, sheet, excel_row, reasons, cells
    warnings: list[Problem]
    rows_read: int


def _check(
    raw: dict[str, RawTable],
    context: dict[str, RawTable],
    province_code: str,
    extra: list[dict[str, Any]] | None = None,
) -> _Checked:
    """Validate the file's tables ``raw`` against the store's accepted ``context``."""
    from ..reference.arrondissements import province_units

    communes = province_units(province_code)
    tables = {**context, **raw}
    result = validate_tables(tables, province_code, communes)
    ids = {
        name: {r[t.columns["project_id"]] for r in t.rows} if "project_id" in t.columns else set()
        for name, t in context.items()
    }
    accepted = {name: result.tables[name] for name in raw}
    errors: dict[tuple[str, int | None], list[Problem]] = {}
    warnings: list[Problem] = []
    for p in result.problems:
        if p.table not in raw or p.rule == "missing_table":
            continue
        if p.severity == "error":
            errors.setdefault((p.table, p.row), []).append(_localisable(p, p.table, ids))
        elif p.rule != "unknown_column" or p.column not in _export_headers():
            warnings.append(p)
    quarantine: list[dict[str, Any]] = list(extra or [])
    for name, rt in raw.items():
        q = result.quarantine[name]
        cell_cols = [c for c in q.columns if c not in ("excel_row", "reasons")]
        for rec in q.to_dict("records"):
            row = int(rec["excel_row"])
            reasons = errors.get((name, row), []) + errors.get((name, None), [])
            quarantine.append(
                {
                    "table": name,
                    "file": rt.file,
                    "sheet": rt.sheet,
                    "excel_row": row,
                    "reasons": [_problem_dict(p) for p in reasons],
                    "cells": {c: ("" if rec[c] is pd.NA else str(rec[c])) for c in cell_cols},
                }
            )
    rows_read = sum(len(rt.rows) for rt in raw.values()) + len(extra or [])
    return _Checked(accepted, quarantine, warnings, rows_read)


def _export_headers() -> set[str]:
    return {i18n.t(k, lang) for k in _EXPORT_KEYS for lang in config.LANGUAGES}


def _project_partners(con) -> dict[str, str]:
    rows = con.execute(
        """SELECT p.project_id, a.partner_id FROM projects p JOIN agreements a
           ON p.agreement_id = a.agreement_id AND a.current WHERE p.current"""
    ).fetchall()
    return dict(rows)


def _context(con, names: Iterable[str]) -> dict[str, RawTable]:
    """Return the store's current rows of ``names`` (the context a file is checked in).

    Progress files are checked against the projects only (their agreements and partners
    were checked when the reference workbook came in).
    """
    generation = _one(
        con,
        "SELECT coalesce(max(submission_id), 0) FROM submissions "
        "WHERE kind IN ('reference', 'correction')",
    )[0]
    out = {}
    for name in names:
        key = (name, int(generation))
        if key not in _CONTEXT_CACHE:
            # an empty table too: rows referring to it are then checked (and rejected)
            _CONTEXT_CACHE[key] = _raw_from_frame(_current_frame(con, name), name, "(store)")
        out[name] = _CONTEXT_CACHE[key]
    return out


def _province_code(con, src, province: str | None) -> str:
    meta = _meta(con)
    if meta.get("province_code") and province is None and not src.meta:
        return meta["province_code"]
    from . import load as load_module

    code, _ = load_module._province(src, province)
    return code


def _keep_rows(rt: RawTable, kept: list[int]) -> RawTable:
    """Return ``rt`` with only the rows at positions ``kept`` (same file, headers, problems)."""
    return replace(
        rt,
        rows=[rt.rows[i] for i in kept],
        excel_rows=[rt.excel_rows[i] for i in kept],
    )


def _set_aside(
    rt: RawTable, keep: Callable[[int], tuple[str, dict] | None]
) -> tuple[RawTable, list[dict]]:
    """Split ``rt``: rows for which ``keep(i)`` returns a reason go to the quarantine."""
    kept, aside = [], []
    for i in range(len(rt.rows)):
        why = keep(i)
        if why is None:
            kept.append(i)
            continue
        key, params = why
        column = "month" if "month" in key else "project_id"
        header = rt.header(column)
        value = as_text(rt.rows[i][rt.columns[column]]) if column in rt.columns else None
        from . import problems as problems_module

        p = problems_module.make(
            Rule.SUBMISSION,
            key,
            file=rt.file,
            sheet=rt.sheet,
            row=rt.excel_rows[i],
            column=header,
            value=value,
            table=rt.table,
            **params,
        )
        aside.append(
            {
                "table": rt.table,
                "file": rt.file,
                "sheet": rt.sheet,
                "excel_row": rt.excel_rows[i],
                "reasons": [_problem_dict(p)],
                "cells": {
                    h or f"column {j + 1}": as_text(v)
                    for j, (h, v) in enumerate(zip(rt.headers, rt.rows[i], strict=False))
                },
            }
        )
    new = _keep_rows(rt, kept)
    return new, aside


def _drop_unfilled(rt: RawTable) -> tuple[RawTable, list[Problem]]:
    """Drop the lines of a partner's sheet where nothing was typed beyond the project and month.

    A partner's template lists every project due that month, the project id and month
    pre-filled; a project that has ended leaves its figures blank. Such a line reports
    nothing: it is neither a row nor a fault, and it is noted (severity ``info``), not
    quarantined. Lines with any figure typed are kept and checked as usual.
    """
    from . import problems as problems_module

    inputs = [j for c, j in rt.columns.items() if c not in ("project_id", "month")]
    keys = [c for c in ("project_id", "month") if c in rt.columns]
    if not inputs or len(keys) < 2:
        return rt, []
    kept, notes = [], []
    for i, row in enumerate(rt.rows):
        if not all(is_blank(row[j]) for j in inputs) or any(
            is_blank(row[rt.columns[c]]) for c in keys
        ):
            kept.append(i)
            continue
        project = as_text(row[rt.columns["project_id"]])
        notes.append(
            problems_module.make(
                Rule.SUBMISSION,
                "problem.store_not_reported",
                severity="info",
                file=rt.file,
                sheet=rt.sheet,
                row=rt.excel_rows[i],
                column=rt.header("project_id"),
                value=project,
                table=rt.table,
                project=project,
                month=as_text(row[rt.columns["month"]]),
            )
        )
    new = _keep_rows(rt, kept)
    return new, notes


def _cell_month(rt: RawTable, i: int) -> pd.Timestamp | None:
    if "month" not in rt.columns:
        return None
    try:
        return parse_month(rt.rows[i][rt.columns["month"]])
    except ParseError:
        return None


def _cell_project(rt: RawTable, i: int) -> str | None:
    if "project_id" not in rt.columns:
        return None
    return parse_id(rt.rows[i][rt.columns["project_id"]])


def _write_quarantine(con, submission_id: int, rows: list[dict]) -> None:
    next_id = _next_id(con, "quarantine", "quarantine_id")
    records = []
    for n, q in enumerate(rows):
        first = q["reasons"][0] if q["reasons"] else {}
        records.append(
            {
                "quarantine_id": next_id + n,
                "submission_id": submission_id,
                "table_name": q["table"],
                "file_name": q["file"],
                "sheet": q["sheet"],
                "excel_row": q["excel_row"],
                "rule": first.get("rule"),
                "key": first.get("key") or None,
                "params": json.dumps(first.get("params", []), ensure_ascii=False),
                "message": first.get("message"),
                "reasons": json.dumps(q["reasons"], ensure_ascii=False),
                "cells": json.dumps(q["cells"], ensure_ascii=False),
                "status": "open",
                "resolved_by": None,
            }
        )
    if records:
        _insert_frame(con, "quarantine", pd.DataFrame(records))


def _write_problems(con, submission_id: int, warnings: list[Problem]) -> None:
    if not warnings:
        return
    df = pd.DataFrame(
        [
            {
                "submission_id": submission_id,
                "file": p.file,
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column,
                "value": p.value,
                "rule": p.rule,
                "severity": p.severity,
                "message": p.message,
                "suggestion": p.suggestion,
                "table_name": p.table,
                "key": p.key or None,
                "params": json.dumps([list(x) for x in p.params], ensure_ascii=False),
            }
            for p in warnings
        ]
    )
    df["row"] = df["row"].astype("Int64")
    _insert_frame(con, "problems", df)


def _retire(con, submission_id: int, by: int) -> None:
    """Take a submission's rows out of the current data (it stays on record)."""
    for table in TABLES:
        _run(con, f'UPDATE "{table}" SET current = false WHERE submission_id = ?', [submission_id])
    _run(
        con,
        "UPDATE quarantine SET status = 'superseded', resolved_by = ? "
        "WHERE submission_id = ? AND status = 'open'",
        [by, submission_id],
    )
    _run(
        con, "UPDATE submissions SET superseded_by = ? WHERE submission_id = ?", [by, submission_id]
    )


def _release(con, submission_id: int, province_code: str) -> int:
    """Re-check open quarantined rows after reference tables changed; accept those now valid."""
    rows = con.execute(
        """SELECT q.quarantine_id, q.submission_id, q.table_name, q.file_name, q.sheet,
                  q.excel_row, q.cells
           FROM quarantine q JOIN submissions s USING (submission_id)
           WHERE q.status = 'open' AND s.superseded_by IS NULL
             AND q.table_name IN ('progress', 'beneficiaries', 'payroll')
             AND q.rule = 'reference'
           ORDER BY q.quarantine_id"""
    ).fetchall()
    if not rows:
        return 0
    context = _context(con, ("projects",))
    released = 0
    groups: dict[tuple, list] = {}
    for qid, sid, table, file, sheet, excel_row, cells in rows:
        groups.setdefault((sid, table, file, sheet), []).append((qid, excel_row, json.loads(cells)))
    for (sid, table, file, sheet), items in groups.items():
        raw = _raw_from_cells(table, file, sheet, [(r, c) for _, r, c in items])
        checked = _check({table: raw}, context, province_code)
        still = {q["excel_row"] for q in checked.quarantine}
        ok = [(qid, r) for qid, r, _ in items if r not in still]
        if not ok:
            continue
        accepted = checked.accepted[table]
        existing = _current_frame(con, table)
        key = list(TABLES[table].key)
        if len(existing):
            merged = accepted.merge(existing[key], on=key, how="left", indicator=True)
            accepted = accepted[(merged["_merge"] == "left_only").to_numpy()]
        _insert_frame(con, table, _to_store_frame(accepted, table, sid))
        for qid, _ in ok:
            _run(
                con,
                "UPDATE quarantine SET status = 'released', resolved_by = ? "
                "WHERE quarantine_id = ?",
                [submission_id, qid],
            )
        released += len(ok)
        _event(con, sid, "released", {"rows": len(ok), "by": submission_id, "table": table})
    return released


def _orphans(con, submission_id: int) -> int:
    """Quarantine current progress rows whose project left the reference tables."""
    n = 0
    for table in _PROJECT_TABLES:
        df = con.execute(
            f"""SELECT * FROM "{table}" t WHERE t.current AND t.project_id NOT IN
                (SELECT project_id FROM projects WHERE current)"""
        ).df()
        if not len(df):
            continue
        if not con.execute("SELECT count(*) FROM projects WHERE current").fetchall()[0][0]:
            return 0
        names = TABLES[table].column_names
        for sid, part in df.groupby("submission_id"):
            rows = []
            for rec in part[names].to_dict("records"):
                cells = {
                    k: ("" if _plain(v) is None else as_text(_plain(v))) for k, v in rec.items()
                }
                for k in names:
                    if TABLES[table].column(k).kind == "month" and cells[k]:
                        cells[k] = cells[k][:7]
                from . import problems as problems_module

                p = problems_module.make(
                    Rule.REFERENCE,
                    "problem.store_unknown_project",
                    table=table,
                    column="project_id",
                    value=cells["project_id"],
                    project=cells["project_id"],
                )
                rows.append(
                    {
                        "table": table,
                        "file": "(store)",
                        "sheet": None,
                        "excel_row": 0,
                        "reasons": [_problem_dict(p)],
                        "cells": cells,
                    }
                )
            _write_quarantine(con, int(sid), rows)
            n += len(rows)
        _run(
            con,
            f"""UPDATE "{table}" SET current = false WHERE current AND project_id NOT IN
                (SELECT project_id FROM projects WHERE current)""",
        )
    if n:
        _event(con, submission_id, "orphaned", {"rows": n})
    return n


def _previous(
    con, partner: str | None, month: pd.Timestamp | None, kind: str = "progress"
) -> list[int]:
    """Return the current ``kind`` submissions of ``partner`` for ``month`` (to supersede).

    A progress file replaces the partner's previous progress file of the month, a payroll
    file the previous payroll file: the two are sent apart.
    """
    if month is None:
        return []
    rows = con.execute(
        """SELECT submission_id FROM submissions WHERE kind = ?
           AND superseded_by IS NULL AND month = ? AND partner_id IS NOT DISTINCT FROM ?
           ORDER BY submission_id""",
        [kind, month.date(), partner],
    ).fetchall()
    return [int(r[0]) for r in rows]


def _previous_reference(con, tables: set[str]) -> list[int]:
    """Return the current reference submissions whose every table ``tables`` replaces."""
    rows = con.execute(
        "SELECT submission_id, tables FROM submissions WHERE kind = 'reference' "
        "AND superseded_by IS NULL ORDER BY submission_id"
    ).fetchall()
    return [int(sid) for sid, old in rows if set(json.loads(old or "[]")) <= tables]


def _taken(
    con, replaced: Sequence[int] = (), table: str = "progress"
) -> set[tuple[str, pd.Timestamp]]:
    """Return the keys of current ``table`` rows, but those of ``replaced``.

    Progress keys are (project, month); payroll keys (beneficiary, project, month).
    """
    cols = ", ".join(TABLES[table].key)
    rows = con.execute(f'SELECT {cols}, submission_id FROM "{table}" WHERE current').fetchall()
    skip = set(replaced)
    return {(*r[:-2], pd.Timestamp(r[-2])) for r in rows if r[-1] not in skip}


def _is_export(path: Path) -> bool:
    """Return True for a quarantine export (its hidden ``awrach`` sheet holds the marker)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    import zipfile

    import openpyxl

    try:
        with zipfile.ZipFile(path) as z:
            if b'name="awrach"' not in z.read("xl/workbook.xml"):
                return False
        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            if "awrach" not in wb.sheetnames:
                return False
            first = next(wb["awrach"].iter_rows(max_row=1, values_only=True), ())
            return bool(first) and first[0] == EXPORT_MARKER
        finally:
            wb.close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False


def ingest_file(
    con,
    path: str | Path,
    *,
    month: str | None = None,
    partner: str | None = None,
    province: str | None = None,
) -> IngestResult:
    """Ingest one file into an open store, in one transaction.

    Parameters
    ----------
    con
        Connection from :func:`open_store`.
    path : str or Path
        A partner's progress file, the provincial team's reference workbook, or a
        quarantine export sent back corrected.
    month : str, optional
        ``YYYY-MM`` of the file (default: the month of its rows).
    partner : str, optional
        Partner id (default: the partner of the file's projects).
    province : str, optional
        Province, when the store does not know it yet.

    Returns
    -------
    IngestResult
        What happened. Nothing is changed when the status is ``already`` or ``unreadable``.
    """
    path = Path(path)
    name = path.name
    try:
        with path.open("rb") as fh:
            sha = hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        return IngestResult(name, "unreadable", message=f"{exc.strerror or exc}")
    found = _one(
        con, "SELECT submission_id FROM submissions WHERE sha256 = ? ORDER BY submission_id", [sha]
    )
    if found:
        return IngestResult(name, "already", submission_id=int(found[0]))
    if _is_export(path):
        return _ingest_export(con, path, sha, province)
    from .load import read_source

    try:
        src = read_source(path)
    except InputError as exc:
        return IngestResult(name, "unreadable", message=str(exc))
    tables = set(src.tables)
    if tables & set(REFERENCE_TABLES):
        kind = "reference"
    elif "progress" in tables or "payroll" not in tables:
        kind = "progress"
    else:
        kind = "payroll"  # a partner's payroll, sent apart from its progress file
    want_month = _parse_month_arg(month)
    province_code = _province_code(con, src, province)
    raw = dict(src.tables)
    extra: list[dict] = []
    not_reported: list[Problem] = []
    supersedes: list[int] = []
    sub_partner, sub_month = partner, want_month
    if kind == "reference":
        context = _context(con, [t for t in TABLES if t not in raw and t in REFERENCE_TABLES])
        supersedes = _previous_reference(con, tables)
        if "progress" in raw:  # a workbook with every table: its rows must not double others
            rt = raw["progress"]
            taken = _taken(con, supersedes)

            def again(i: int) -> tuple[str, dict] | None:
                m, p = _cell_month(rt, i), _cell_project(rt, i)
                if m is not None and (p, m) in taken:
                    return ("problem.store_duplicate", {"project": p, "month": f"{m:%Y-%m}"})
                return None

            raw["progress"], extra = _set_aside(rt, again)
    else:
        context = _context(con, ("projects",))
        owners = _project_partners(con)
        rt = raw.get(kind)
        if rt is not None:
            if sub_month is None:
                months = Counter(m for i in range(len(rt.rows)) if (m := _cell_month(rt, i)))
                if months:
                    sub_month = sorted(months.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            if sub_partner is None:
                found_partners = Counter(
                    owners[p] for i in range(len(rt.rows)) if (p := _cell_project(rt, i)) in owners
                )
                if len(found_partners) == 1:
                    sub_partner = next(iter(found_partners))
            if sub_partner is None:
                stem = path.stem.upper()
                known = sorted({*owners.values()}, key=len, reverse=True)
                sub_partner = next((p for p in known if p.upper() in stem), None)

            supersedes = _previous(con, sub_partner, sub_month, kind)
            taken = _taken(con, supersedes, kind)
            person = rt.columns.get("beneficiary_key")

            def wrong(i: int) -> tuple[str, dict] | None:
                m = _cell_month(rt, i)
                if sub_month is not None and m is not None and m != sub_month:
                    return (
                        "problem.store_other_month",
                        {"month": f"{m:%Y-%m}", "expected": f"{sub_month:%Y-%m}"},
                    )
                p = _cell_project(rt, i)
                if sub_partner is not None and p in owners and owners[p] != sub_partner:
                    return (
                        "problem.store_other_partner",
                        {"project": p, "owner": owners[p], "partner": sub_partner},
                    )
                key = (p, m)
                if kind == "payroll":
                    b = parse_id(rt.rows[i][person]) if person is not None else None
                    key = (b, p, m)
                if m is not None and key in taken:
                    return ("problem.store_duplicate", {"project": p, "month": f"{m:%Y-%m}"})
                return None

            raw[kind], extra = _set_aside(rt, wrong)
            if kind == "progress":
                raw["progress"], not_reported = _drop_unfilled(raw["progress"])
    checked = _check(raw, context, province_code, extra)
    checked.warnings.extend(not_reported)
    n_q = len(checked.quarantine)
    n_a = sum(len(df) for df in checked.accepted.values())
    _run(con, "BEGIN TRANSACTION")
    try:
        sid = _next_id(con, "submissions", "submission_id")
        for t in tables & set(REFERENCE_TABLES) if kind == "reference" else ():
            # the provincial team's table replaces the previous one as a whole
            _run(con, f'UPDATE "{t}" SET current = false WHERE current')
        for old in supersedes:
            _retire(con, old, sid)
        _run(
            con,
            "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            [
                sid,
                name,
                sha,
                kind,
                sub_partner,
                None if sub_month is None else sub_month.date(),
                _now(),
                checked.rows_read,
                n_a,
                n_q,
                json.dumps(sorted(tables)),
            ],
        )
        for t, df in checked.accepted.items():
            _insert_frame(con, t, _to_store_frame(df, t, sid))
        _write_quarantine(con, sid, checked.quarantine)
        _write_problems(con, sid, [*src.problems, *checked.warnings])
        released = 0
        if kind == "reference":
            if "province_code" not in _meta(con) or province or src.meta:
                _run(
                    con, "INSERT OR REPLACE INTO meta VALUES ('province_code', ?)", [province_code]
                )
            _orphans(con, sid)
            released = _release(con, sid, province_code)
        _event(
            con,
            sid,
            "ingested",
            {
                "file": name,
                "kind": kind,
                "partner": sub_partner,
                "month": _month_text(sub_month),
                "accepted": n_a,
                "quarantined": n_q,
                "supersedes": supersedes,
            },
        )
        _run(con, "COMMIT")
    except BaseException:
        _CONTEXT_CACHE.clear()
        _run(con, "ROLLBACK")
        raise
    status = "quarantined" if n_q else ("superseded" if supersedes else "accepted")
    return IngestResult(
        name,
        status,
        submission_id=sid,
        kind=kind,
        partner_id=sub_partner,
        month=_month_text(sub_month),
        rows_read=checked.rows_read,
        rows_accepted=n_a,
        rows_quarantined=n_q,
        supersedes=supersedes,
        released=released,
    )


def _ingest_export(con, path: Path, sha: str, province: str | None) -> IngestResult:
    """Ingest a quarantine export sent back: each row resolves the quarantined row it names."""
    import openpyxl

    from .load import read_source

    meta = _meta(con)
    province_code = meta.get("province_code") or config.DEFAULT_PROVINCE_CODE
    wb = openpyxl.load_workbook(path, data_only=True)
    from .headers import is_note_sheet

    sheets = [
        ws for ws in wb.worksheets if ws.sheet_state == "visible" and not is_note_sheet(ws.title)
    ]
    refs = _export_headers() & {i18n.t("store.export.ref", lang) for lang in config.LANGUAGES}
    context = _context(con, REFERENCE_TABLES)
    taken = _taken(con)
    total = _Checked({}, [], [], 0)
    fixed: list[tuple[int | None, str, pd.DataFrame]] = []  # (quarantine id, table, row)
    resolved_ids: list[int] = []
    with tempfile.TemporaryDirectory() as tmp:
        for ws in sheets:
            single = openpyxl.Workbook()
            out = single.active
            out.title = ws.title
            for row in ws.iter_rows(values_only=True):
                out.append(list(row))
            tmp_path = Path(tmp) / path.name
            single.save(tmp_path)
            try:
                src = read_source(tmp_path)
            except InputError as exc:
                if not any(any(v is not None for v in r) for r in ws.iter_rows(values_only=True)):
                    continue
                return IngestResult(path.name, "unreadable", message=str(exc))
            total.warnings.extend(src.problems)
            for table, rt in src.tables.items():
                ref_pos = next((i for i, h in enumerate(rt.headers) if h in refs), None)
                for i, excel_row in enumerate(rt.excel_rows):
                    ref = rt.rows[i][ref_pos] if ref_pos is not None else None
                    try:
                        qid = int(float(as_text(ref))) if not is_blank(ref) else None
                    except ValueError:
                        qid = None
                    if qid is not None:
                        resolved_ids.append(qid)
                    one = RawTable(
                        table=table,
                        file=path.name,
                        sheet=rt.sheet,
                        headers=rt.headers,
                        columns=rt.columns,
                        rows=[rt.rows[i]],
                        excel_rows=[excel_row],
                    )
                    checked = _check({table: one}, context, province_code)
                    total.rows_read += 1
                    total.warnings.extend(checked.warnings)
                    for q in checked.quarantine:
                        for h in refs:
                            q["cells"].pop(h, None)
                    total.quarantine.extend(checked.quarantine)
                    accepted = checked.accepted[table]
                    if len(accepted) and table == "progress":
                        key = (accepted["project_id"].iloc[0], accepted["month"].iloc[0])
                        if key in taken:
                            one, aside = _set_aside(
                                one,
                                lambda _i, k=key: (
                                    "problem.store_duplicate",
                                    {"project": k[0], "month": f"{k[1]:%Y-%m}"},
                                ),
                            )
                            total.quarantine.extend(aside)
                            continue
                        taken.add(key)
                    if len(accepted):
                        fixed.append((qid, table, accepted))
    n_a = len(fixed)
    n_q = len(total.quarantine)
    _run(con, "BEGIN TRANSACTION")
    try:
        sid = _next_id(con, "submissions", "submission_id")
        owners = dict(con.execute("SELECT quarantine_id, submission_id FROM quarantine").fetchall())
        partners = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT s.partner_id FROM quarantine q JOIN submissions s "
                "USING (submission_id) WHERE q.quarantine_id IN (SELECT unnest(?))",
                [resolved_ids or [0]],
            ).fetchall()
        }
        partner_id = next(iter(partners)) if len(partners) == 1 else None
        _run(
            con,
            "INSERT INTO submissions VALUES (?, ?, ?, 'correction', ?, NULL, ?, ?, ?, ?, NULL, ?)",
            [
                sid,
                path.name,
                sha,
                partner_id,
                _now(),
                total.rows_read,
                n_a,
                n_q,
                json.dumps(sorted({t for _, t, _ in fixed})),
            ],
        )
        for qid, table, df in fixed:
            owner = owners.get(qid, sid) if qid is not None else sid
            _insert_frame(con, table, _to_store_frame(df, table, owner))
        if resolved_ids:
            _run(
                con,
                "UPDATE quarantine SET status = 'resolved', resolved_by = ? "
                "WHERE status = 'open' AND quarantine_id IN (SELECT unnest(?))",
                [sid, resolved_ids],
            )
        _write_quarantine(con, sid, total.quarantine)
        _write_problems(con, sid, total.warnings)
        released = 0
        if any(t in REFERENCE_TABLES for _, t, _ in fixed):
            released = _release(con, sid, province_code)
        _event(
            con,
            sid,
            "corrections",
            {"file": path.name, "accepted": n_a, "quarantined": n_q, "resolved": resolved_ids},
        )
        _run(con, "COMMIT")
    except BaseException:
        _CONTEXT_CACHE.clear()
        _run(con, "ROLLBACK")
        raise
    return IngestResult(
        path.name,
        "corrections",
        submission_id=sid,
        kind="correction",
        partner_id=partner_id,
        rows_read=total.rows_read,
        rows_accepted=n_a,
        rows_quarantined=n_q,
        resolved=len(resolved_ids),
        released=released,
    )


def ingest(
    files: Sequence[str | Path],
    store: str | Path | None = None,
    *,
    month: str | None = None,
    partner: str | None = None,
    province: str | None = None,
    wait: float = DEFAULT_WAIT,
    on_result: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    """Ingest files into the store, one transaction per file (see :func:`ingest_file`)."""
    results = []
    with open_store(store, wait=wait) as con:
        for f in files:
            result = ingest_file(con, f, month=month, partner=partner, province=province)
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results
