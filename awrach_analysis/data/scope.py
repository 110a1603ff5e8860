"""Narrow a data set to a scope (a region or a province of a wider data set), every table."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from ..errors import InputError
from ..model.codes import COMMUNE_DIGITS, NATIONAL_CODE, in_scope, scope_level
from ..model.program import Program
from . import problems as _problems
from .headers import column_for_header

__all__ = ["narrow", "contains"]

#: Tables placed through their project, and the column naming it.
_BY_PROJECT = ("progress", "beneficiaries", "payroll")


def contains(outer: str, inner: str) -> bool:
    """Return True when scope ``inner`` lies inside (or is) scope ``outer``."""
    if outer == NATIONAL_CODE:
        return True
    if inner == NATIONAL_CODE:
        return False
    return in_scope(inner, outer)


def _prefix_mask(codes: pd.Series, scope_code: str) -> np.ndarray:
    """Vectorised :func:`~awrach_analysis.model.codes.in_scope` on a column of place codes."""
    if scope_code == NATIONAL_CODE:
        return np.ones(len(codes), dtype=bool)
    text = codes.astype("string").str.strip()
    digits = text.str.fullmatch(COMMUNE_DIGITS.pattern).fillna(False).astype(bool)
    if digits.any():  # a commune code typed as a number, its dots and leading zero lost
        padded = text[digits].str.zfill(9)
        text = text.copy()
        text[digits] = (
            padded.str[:2] + "." + padded.str[2:5] + "." + padded.str[5:7] + "." + padded.str[7:]
        )
    ok = (text == scope_code) | text.str.startswith(scope_code + ".")
    return ok.fillna(False).to_numpy(dtype=bool)


def _isin(values: pd.Series, keep: pd.Index | set) -> np.ndarray:
    return values.astype("string").isin(list(keep)).fillna(False).to_numpy(dtype=bool)


def _id_lists(series: pd.Series) -> set[str]:
    """Every id of a column of ``;``-separated id lists (agreements' cosigners)."""
    parts = series.dropna().astype(str).str.split(";").explode().str.strip()
    return set(parts[parts != ""])


def _raw_column(frame: pd.DataFrame, table: str, column: str) -> pd.Series | None:
    """Return the column of a quarantine frame (headers as written) holding ``column``."""
    for header in frame.columns:
        if header not in ("excel_row", "reasons") and column_for_header(table, header) == column:
            return frame[header]
    return None


def narrow(program: Program, scope_code: str) -> Program:
    """Return the part of ``program`` that lies in ``scope_code``, every table narrowed.

    Projects are kept by the prefix of their commune code
    (:func:`~awrach_analysis.model.codes.in_scope`); progress, beneficiaries and payroll by
    their project; agreements that the kept projects reference; partners that the kept
    agreements name (implementing partner or co-signer); targets of the scope, of the
    places inside it, and the national ones; the reference communes of the scope
    (:func:`~awrach_analysis.reference.scopes.scope_communes`).

    Quarantined rows follow the same rules on their text as read (commune code typed
    with dots or as digits, ids); a quarantined row that names no place or no kept parent
    cannot be placed and is left out (counted in ``meta["narrowed"]["unplaced_rows"]``).
    ``rows_read`` becomes accepted + quarantined rows kept, table by table. Problems
    located on a quarantined row follow it; problems on a whole file, or on a row kept
    after a warning (its spreadsheet row is not carried by the accepted tables), are kept,
    and those counted in ``meta["narrowed"]["problems_kept_unplaced"]``.

    Parameters
    ----------
    program : Program
        A national, regional or province data set.
    scope_code : str
        ``"MA"``, a region (``"05"``) or a province (``"05.301"``) inside the data set's
        scope (:func:`~awrach_analysis.reference.scopes.resolve_scope` turns a name into it).

    Returns
    -------
    Program
        ``program`` itself when the scope is the data set's own; otherwise a new Program
        whose ``province_code`` is ``scope_code`` and ``province`` its French name.

    Raises
    ------
    InputError
        When ``scope_code`` is not inside the data set's scope (a province of another
        region, or the country asked of a regional data set).
    """
    from ..reference.scopes import scope_communes, scope_label

    scope_level(scope_code)  # ValueError on a malformed code
    if scope_code == program.province_code:
        return program
    if not contains(program.province_code, scope_code):
        raise _problems.error(
            InputError,
            "error.scope_outside",
            scope=scope_code,
            data=program.province_code,
        )
    pj = program.projects
    keep_pj = _prefix_mask(pj["commune_code"], scope_code)
    projects = pj[keep_pj]
    project_ids = set(projects["project_id"].astype(str))
    q = {name: frame for name, frame in program.quarantine.items()}
    unplaced: dict[str, int] = {}
    kept_q: dict[str, np.ndarray] = {}

    def place_quarantine(table: str, mask_of) -> None:
        frame = q.get(table)
        if frame is None or not len(frame):
            return
        mask, placeable = mask_of(frame)
        kept_q[table] = mask
        if (~placeable).any():
            unplaced[table] = int((~placeable).sum())

    def by_column(table: str, column: str, test):
        def mask_of(frame):
            col = _raw_column(frame, table, column)
            if col is None:
                none = np.zeros(len(frame), dtype=bool)
                return none, none
            placeable = col.notna().to_numpy(dtype=bool) & (
                col.astype("string").str.strip() != ""
            ).fillna(False).to_numpy(dtype=bool)
            return test(col) & placeable, placeable

        return mask_of

    place_quarantine(
        "projects", by_column("projects", "commune_code", lambda c: _prefix_mask(c, scope_code))
    )
    if "projects" in kept_q:
        col = _raw_column(q["projects"], "projects", "project_id")
        if col is not None:
            project_ids |= set(col[kept_q["projects"]].dropna().astype(str).str.strip())
    for table in _BY_PROJECT:
        place_quarantine(
            table, by_column(table, "project_id", lambda c: _isin(c.str.strip(), project_ids))
        )
    agreement_ids = set(projects["agreement_id"].dropna().astype(str))
    if "projects" in kept_q:
        col = _raw_column(q["projects"], "projects", "agreement_id")
        if col is not None:
            agreement_ids |= set(col[kept_q["projects"]].dropna().astype(str).str.strip())
    ag = program.agreements
    agreements = ag[_isin(ag["agreement_id"], agreement_ids)]
    place_quarantine(
        "agreements",
        by_column("agreements", "agreement_id", lambda c: _isin(c.str.strip(), agreement_ids)),
    )
    partner_ids = set(agreements["partner_id"].dropna().astype(str)) | _id_lists(
        agreements["cosigners"]
    )
    if "agreements" in kept_q:
        kept = q["agreements"][kept_q["agreements"]]
        for column in ("partner_id", "cosigners"):
            col = _raw_column(kept, "agreements", column)
            if col is not None:
                partner_ids |= _id_lists(col.str.replace(r"[,|؛]", ";", regex=True))
    pa = program.partners
    partners = pa[_isin(pa["partner_id"], partner_ids)]
    place_quarantine(
        "partners",
        by_column("partners", "partner_id", lambda c: _isin(c.str.strip(), partner_ids)),
    )
    tg = program.targets
    tg_codes = tg["scope_code"].astype("string").fillna("")
    keep_tg = (tg["scope"].astype("string") == "national").fillna(False).to_numpy(dtype=bool) | (
        _prefix_mask(tg_codes, scope_code)
    )
    targets = tg[keep_tg]

    def target_mask(c: pd.Series) -> np.ndarray:
        text = c.astype("string").str.strip()
        return (text == NATIONAL_CODE).fillna(False).to_numpy(dtype=bool) | _prefix_mask(
            text.fillna(""), scope_code
        )

    place_quarantine("targets", by_column("targets", "scope_code", target_mask))

    quarantine = {}
    for name, frame in q.items():
        mask = kept_q.get(name)
        quarantine[name] = (
            frame if mask is None and not len(frame) else frame[mask].reset_index(drop=True)
        )
    tables = {
        "partners": partners,
        "agreements": agreements,
        "projects": projects,
        "progress": program.progress[_isin(program.progress["project_id"], project_ids)],
        "beneficiaries": program.beneficiaries[
            _isin(program.beneficiaries["project_id"], project_ids)
        ],
        "payroll": program.payroll[_isin(program.payroll["project_id"], project_ids)],
        "targets": targets,
    }
    tables = {name: frame.reset_index(drop=True) for name, frame in tables.items()}
    rows_read = {
        name: len(tables[name]) + len(quarantine.get(name, ()))
        for name in program.rows_read
        if name in tables
    }
    problems, unplaced_problems = _narrow_problems(program, quarantine)
    meta = dict(program.meta)
    meta["narrowed"] = {
        "from": program.province_code,
        "scope_code": scope_code,
        "unplaced_rows": unplaced,
        "problems_kept_unplaced": unplaced_problems,
    }
    return replace(
        program,
        **tables,
        communes=scope_communes(scope_code),
        province_code=scope_code,
        province=scope_label(scope_code, "fr"),
        problems=problems,
        quarantine=quarantine,
        rows_read=rows_read,
        meta=meta,
    )


def _narrow_problems(program: Program, quarantine: dict[str, pd.DataFrame]) -> tuple:
    """Keep the problems of the kept quarantined rows, of whole files, and of kept rows."""
    pb = program.problems
    if not len(pb) or "row" not in pb or "rule" not in pb:
        return pb, 0
    rows = pb["row"]
    located = rows.notna().to_numpy(dtype=bool)
    keep = ~located
    placed = np.zeros(len(pb), dtype=bool)
    table = pb["table"].astype("string").fillna("") if "table" in pb else pd.Series([""] * len(pb))
    for name, frame in program.quarantine.items():
        if not len(frame) or "excel_row" not in frame:
            continue
        of_table = (table == name).to_numpy(dtype=bool) & located
        all_rows = set(frame["excel_row"].dropna().astype(int))
        kept_rows = set(quarantine[name]["excel_row"].dropna().astype(int))
        row_values = rows.fillna(-1).astype("int64").to_numpy()
        in_quarantine = of_table & np.isin(row_values, list(all_rows))
        placed |= in_quarantine
        keep |= in_quarantine & np.isin(row_values, list(kept_rows))
    unplaced = located & ~placed
    keep |= unplaced
    # "no target for <the data set's scope>" speaks of the scope narrowed away
    keep &= (pb["rule"].astype("string") != "no_target").fillna(True).to_numpy(dtype=bool)
    return pb[keep].reset_index(drop=True), int(unplaced.sum())
