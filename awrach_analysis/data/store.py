"""Monthly consolidation: every partner's file in one DuckDB store (public names of the store).

The store is one DuckDB file (default ``data/store/awrach.duckdb``). It holds the tables of
the data model (``model.schema.TABLES``) with, on each row, the submission it came from and
whether it is current; ``submissions`` (one row per file ingested), ``quarantine`` (every
rejected row with its reasons, as catalogue keys so it can be worded in any language),
``problems`` (warnings of current files), an append-only ``events`` log and ``meta``
(schema version, province).

Files are read and checked by the same reader as folders (:func:`load.read_source`,
:func:`validate.validate_tables`); each file goes in within one transaction, so a failure
or a killed process leaves the store as it was.

The code lives in modules along its seams; this module gathers their public names:

- :mod:`.store_db` — schema and migrations, opening with a lock wait, shared helpers;
- :mod:`.store_ingest` — ingesting a file or a quarantine export sent back;
- :mod:`.store_read` — the store as a ``Program``, checksums, status;
- :mod:`.store_export` — quarantine workbook, CSV/Parquet export, sample partner files;
- :mod:`.store_forget` — deleting one beneficiary everywhere (``awrach forget``).

The ingest hooks (``CHUNK_ROWS``, ``_checkpoint``) are read in :mod:`.store_db`: patch them
there.
"""

from __future__ import annotations

from ..model.schema import TABLES
from .safe_output import safe_file_name, safe_sheet_title
from .store_db import (
    CHUNK_ROWS,
    DEFAULT_STORE,
    DEFAULT_WAIT,
    EXPORT_MARKER,
    MIGRATIONS,
    REFERENCE_TABLES,
    SCHEMA_VERSION,
    STATUSES,
    StoreBusyError,
    _version,  # noqa: F401 (tests read the schema version)
    is_store,
    open_store,
)
from .store_export import (
    _cell,  # noqa: F401 (tests write sample cells as partners type them)
    export_quarantine,
    export_tables,
    neutralise,
    write_partner_files,
    write_quarantine_workbook,
    write_reference_workbook,
)
from .store_forget import ForgetResult, forget
from .store_ingest import IngestResult, ingest, ingest_file
from .store_read import checksums, format_status, load_program, status

__all__ = [
    "DEFAULT_STORE",
    "SCHEMA_VERSION",
    "StoreBusyError",
    "IngestResult",
    "open_store",
    "is_store",
    "ingest",
    "ingest_file",
    "load_program",
    "status",
    "format_status",
    "export_quarantine",
    "export_tables",
    "checksums",
    "neutralise",
    "safe_file_name",
    "safe_sheet_title",
    "write_partner_files",
    "write_reference_workbook",
    "write_quarantine_workbook",
    "forget",
    "ForgetResult",
    "CHUNK_ROWS",
    "DEFAULT_WAIT",
    "EXPORT_MARKER",
    "MIGRATIONS",
    "REFERENCE_TABLES",
    "STATUSES",
    "TABLES",
]
