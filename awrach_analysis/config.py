"""Paths and constants shared by the whole package, in one place."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

#: Root of the package (in a checkout, or inside site-packages once installed).
PACKAGE_DIR = Path(__file__).resolve().parent
#: Data shipped inside the package: the sample and the notebooks. In a checkout
#: ``_bundled/`` holds links to ``data/sample/`` and ``notebooks/``; a wheel holds copies.
BUNDLED_DIR = PACKAGE_DIR / "_bundled"
#: True when the package runs from a checkout of the repository (``make``, editable install),
#: False once installed from a wheel: then user paths are relative to the working folder.
IN_CHECKOUT = (PACKAGE_DIR.parent / "pyproject.toml").is_file()
#: Root of the repository in a checkout; the working folder once installed.
PROJECT_DIR = PACKAGE_DIR.parent if IN_CHECKOUT else Path.cwd()
#: The bundled Khenifra sample (synthetic except for the published facts).
SAMPLE_DIR = Path(os.environ.get("AWRACH_SAMPLE_DIR", (BUNDLED_DIR / "sample").resolve()))
#: The data-model documentation, generated from schema.py (python -m awrach_analysis.data.docs).
DATA_README = PROJECT_DIR / "data" / "README.md"
#: Where users put their own data; ignored by git.
RAW_DIR = PROJECT_DIR / "data" / "raw"
#: Where rendered reports, slides and figures go.
REPORTS_DIR = Path(os.environ.get("AWRACH_REPORTS_DIR", PROJECT_DIR / "reports"))
#: Notebooks shipped with the project (``awrach notebooks DIR`` copies them out).
NOTEBOOKS_DIR = (BUNDLED_DIR / "notebooks").resolve()
#: Jinja/nbconvert templates and static assets shipped inside the package.
TEMPLATES_DIR = PACKAGE_DIR / "templates"
#: Where reference frames derived from the installed data are cached between runs (the
#: country's communes and arrondissements with their polygons): ``AWRACH_CACHE_DIR``, else
#: ``$XDG_CACHE_HOME/awrach-analysis`` (``~/.cache/awrach-analysis``). ``AWRACH_CACHE_DIR=off``
#: turns the cache off. It never holds data of a data set.
CACHE_ENV = "AWRACH_CACHE_DIR"
ASSETS_DIR = PACKAGE_DIR / "assets"

#: Province of the bundled sample (HCP code and French name).
DEFAULT_PROVINCE_CODE = "05.301"
DEFAULT_PROVINCE = "Khénifra"

#: Name of the metadata file that describes a data folder.
DATASET_META_FILE = "dataset.json"

#: Languages the project speaks to people in; code and docs are in English.
LANGUAGES = ("fr", "ar", "en")
DEFAULT_LANGUAGE = "fr"

#: Breakdown cells counting fewer people than this are suppressed ("<5").
SMALL_COUNT_THRESHOLD = 5

#: Coordinate reference systems: storage (WGS 84) and metric work (Morocco Lambert / UTM 30N).
CRS_STORAGE = "EPSG:4326"
CRS_METRIC = "EPSG:32630"
#: Equal-area CRS for computing surfaces (WGS 84 / NSIDC EASE-Grid 2.0 Global).
CRS_EQUAL_AREA = "EPSG:6933"

#: Default seed of the sample generator.
DEFAULT_SEED = 2022

#: Environment variable that fixes "today" (``YYYY-MM-DD``) for the plausibility checks, so
#: that tests and re-runs of an old data set give the same answer whatever the real date.
TODAY_ENV = "AWRACH_TODAY"


def today() -> date:
    """Return the date the plausibility checks take as today.

    ``AWRACH_TODAY`` (``YYYY-MM-DD``) overrides the system clock, so that a month "in the
    future" means the same thing in tests, in CI and when an old data set is re-checked.

    Returns
    -------
    datetime.date
        The date of ``AWRACH_TODAY`` when set, else the system's local date.

    Raises
    ------
    ValueError
        When ``AWRACH_TODAY`` is set but is not a ``YYYY-MM-DD`` date.
    """
    fixed = os.environ.get(TODAY_ENV, "").strip()
    if not fixed:
        return date.today()
    try:
        return date.fromisoformat(fixed)
    except ValueError:
        raise ValueError(
            f"{TODAY_ENV}={fixed!r} is not a date; write it as YYYY-MM-DD (e.g. 2023-12-31)."
        ) from None
