"""Forget one beneficiary: remove every row holding their key from the store, at once."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.schema import TABLES
from . import privacy
from .parse import as_text, is_blank
from .store_db import _CONTEXT_CACHE, DEFAULT_STORE, DEFAULT_WAIT, _event, _run, open_store

__all__ = ["ForgetResult", "forget", "resolve_key"]


@dataclass
class ForgetResult:
    """Rows removed by :func:`forget`, by table (no identity: counts only)."""

    removed: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Number of rows removed in all tables."""
        return sum(self.removed.values())


def resolve_key(key: str) -> str:
    """Return the key as the store holds it: a CIN is pseudonymised with the configured secret.

    A pseudonym (``ps-...``) or any other beneficiary key is returned stripped; a value that
    looks like a CIN/CNIE is replaced by its pseudonym (:func:`privacy.pseudonym`), which
    needs the secret (:func:`privacy.secret_key` raises a clear error when it is absent).
    """
    text = as_text(key).strip()
    if privacy.is_pseudonym(text) or not privacy.looks_like_cin(text):
        return text
    return privacy.pseudonym(text, privacy.secret_key())


def _key_columns() -> dict[str, list[str]]:
    """Return the data tables and their columns that hold a beneficiary key."""
    return {
        name: [c.name for c in t.columns if c.name == "beneficiary_key"]
        for name, t in TABLES.items()
        if any(c.name == "beneficiary_key" for c in t.columns)
    }


def _holds(value: Any, key: str) -> bool:
    return not is_blank(value) and as_text(value).strip() == key


def _quarantine_ids(con, key: str) -> list[int]:
    """Quarantined rows with a cell equal to ``key``, or a reason quoting it as the value."""
    ids = []
    rows = con.execute(
        "SELECT quarantine_id, cells, reasons FROM quarantine WHERE cells LIKE ? OR reasons LIKE ?",
        [f"%{key}%", f"%{key}%"],
    ).fetchall()
    for qid, cells, reasons in rows:
        values = list(json.loads(cells or "{}").values())
        values += [p.get("value") for p in json.loads(reasons or "[]")]
        if any(_holds(v, key) for v in values):
            ids.append(int(qid))
    return ids


def forget(
    key: str, store: str | Path | None = None, *, wait: float = DEFAULT_WAIT
) -> ForgetResult:
    """Remove one beneficiary everywhere in the store and record the deletion without identity.

    Every row of a data table whose ``beneficiary_key`` is the key (current and superseded
    alike), every quarantined row with a cell or a reason value equal to it, and every
    stored warning whose value is the key are deleted; then one ``forgot`` event is
    appended to the ``events`` log with the number of rows removed per table and its
    timestamp, never the key. All of it is one transaction: on any failure the store is
    left as it was. The store is then copied into a fresh file that replaces it, so the
    deleted rows' bytes do not linger in the file's free blocks.

    Parameters
    ----------
    key : str
        The beneficiary's pseudonymous key as stored (``ps-...`` or a programme key), or
        their CIN/CNIE, which is pseudonymised first with the configured secret.
    store : str or Path, optional
        Store file (default :data:`store_db.DEFAULT_STORE`); it must exist.
    wait : float
        Seconds to wait while another process holds the store.

    Returns
    -------
    ForgetResult
        Rows removed per table; ``total`` is 0 when the key was not found (nothing is
        written then, not even an event).
    """
    stored = resolve_key(key)
    result = ForgetResult()
    if not stored:
        return result
    with open_store(store, read_only=True, wait=wait):
        pass  # the store must exist (a clear error otherwise); migrated if needed
    with open_store(store, wait=wait) as con:
        _run(con, "BEGIN TRANSACTION")
        try:
            for table, columns in _key_columns().items():
                where = " OR ".join(f'trim(CAST("{c}" AS VARCHAR)) = ?' for c in columns)
                params = [stored] * len(columns)
                n = con.execute(f'SELECT count(*) FROM "{table}" WHERE {where}', params)
                count = int(n.fetchall()[0][0])
                if count:
                    _run(con, f'DELETE FROM "{table}" WHERE {where}', params)
                    result.removed[table] = count
            ids = _quarantine_ids(con, stored)
            if ids:
                marks = ", ".join("?" * len(ids))
                _run(con, f"DELETE FROM quarantine WHERE quarantine_id IN ({marks})", ids)
                result.removed["quarantine"] = len(ids)
            n = con.execute("SELECT count(*) FROM problems WHERE trim(value) = ?", [stored])
            count = int(n.fetchall()[0][0])
            if count:
                _run(con, "DELETE FROM problems WHERE trim(value) = ?", [stored])
                result.removed["problems"] = count
            if result.total:
                _event(con, None, "forgot", {"rows": result.total, "tables": result.removed})
            _run(con, "COMMIT")
        except BaseException:
            _run(con, "ROLLBACK")
            _CONTEXT_CACHE.clear()
            raise
    if result.total:
        _rewrite(Path(store or DEFAULT_STORE).expanduser(), wait)
    return result


def _rewrite(path: Path, wait: float) -> None:
    """Copy the store into a fresh file and put it in place of the old one.

    A DuckDB ``DELETE`` leaves the old rows' bytes in the file's free blocks until they
    are reused; copying the live data into a new file leaves no trace of the deleted rows.
    """
    fresh = path.with_name(path.name + ".forget-tmp")
    fresh.unlink(missing_ok=True)
    with open_store(path, wait=wait) as con:
        db = con.execute("SELECT current_database()").fetchall()[0][0]
        _run(con, f"ATTACH '{fresh}' AS fresh")
        _run(con, f'COPY FROM DATABASE "{db}" TO fresh')
        _run(con, "DETACH fresh")
    os.replace(fresh, path)
