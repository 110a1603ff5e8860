"""The ``Program``: every table of one data set, typed, validated, with its provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd


def _empty(table: str) -> pd.DataFrame:
    from .schema import empty_frame

    return empty_frame(table)


@dataclass
class Program:
    """One loaded data set.

    Attributes
    ----------
    partners, agreements, projects, progress, beneficiaries, payroll, targets : DataFrame
        The accepted rows of each table, typed (see ``data/README.md``). ``beneficiaries``
        and ``payroll`` are empty when the data set has none.
    communes : geopandas.GeoDataFrame
        Reference communes of the province (HCP census + boundaries), EPSG:4326.
    province_code, province : str
        HCP code (``05.301``) and French name of the province; for a national or regional
        data set, its scope code (``MA``, ``05``) and name (see :attr:`scope_level`).
    is_sample : bool
        True when the data are the synthetic sample; reports show a banner.
    problems : pandas.DataFrame
        Every problem found (errors and warnings), one row each, with file, sheet, row,
        column, value, rule, severity, message, suggestion.
    quarantine : dict[str, pandas.DataFrame]
        Rejected rows per table, as read, with a ``reasons`` column.
    rows_read : dict[str, int]
        Data rows read per table (rows read = rows accepted + rows quarantined).
    source : Path or None
        Where the data came from.
    fingerprint : str
        SHA-256 of the input files (stable across runs for the same bytes).
    meta : dict
        Contents of ``dataset.json`` (generator, seed, notes) when present.
    """

    partners: pd.DataFrame
    agreements: pd.DataFrame
    projects: pd.DataFrame
    progress: pd.DataFrame
    beneficiaries: pd.DataFrame
    targets: pd.DataFrame
    communes: gpd.GeoDataFrame
    province_code: str
    province: str
    payroll: pd.DataFrame = field(default_factory=lambda: _empty("payroll"))
    is_sample: bool = False
    problems: pd.DataFrame = field(default_factory=pd.DataFrame)
    quarantine: dict[str, pd.DataFrame] = field(default_factory=dict)
    rows_read: dict[str, int] = field(default_factory=dict)
    source: Path | None = None
    fingerprint: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def scope_level(self) -> str:
        """``"province"``, ``"region"`` or ``"national"``: what ``province_code`` names.

        A national data set has ``province_code == "MA"`` and ``province == "Maroc"``; a
        regional one the region's code (``"05"``) and name.
        """
        from .codes import scope_level

        return scope_level(self.province_code)

    @property
    def waves(self) -> list[int]:
        """Waves present in the agreements, sorted."""
        return sorted(int(w) for w in self.agreements["wave"].dropna().unique())

    @property
    def quarantined_rows(self) -> int:
        """Total number of quarantined rows across tables."""
        return sum(len(q) for q in self.quarantine.values())

    def table(self, name: str) -> pd.DataFrame:
        """Return the table called ``name``."""
        return getattr(self, name)
