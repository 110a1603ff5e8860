"""Building a deck: execute the presentation notebook, write the deck, figures and PDF."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import config, i18n
from ..errors import AwrachError, UnknownNameError
from .deck_assets import export_deck
from .printing import print_pdf
from .report import month_key, slugify  # shared with the report

#: The presentation notebook rendered by ``awrach slides`` for a province.
COUNCIL_NOTEBOOK = config.NOTEBOOKS_DIR / "council_presentation.ipynb"
#: The one rendered for a national or regional data set (its provinces, quotas, phases).
SCOPE_NOTEBOOK = config.NOTEBOOKS_DIR / "national_presentation.ipynb"
#: MIME type of the (hidden) output by which the notebook tells the builder what it rendered.
DECK_INFO_MIME = "application/vnd.awrach.deck+json"

# ---------------------------------------------------------------------------------------
# File names
# ---------------------------------------------------------------------------------------


#: ``"YYYY-MM"`` of a month given as text, a date or a timestamp (``report.month_key``).
month_text = month_key


def deck_path(out_dir: str | Path, province: str, month: Any, lang: str) -> Path:
    """Return ``<out_dir>/YYYY-MM/awrach_<province-slug>_<YYYY-MM>_slides_<lang>.html``."""
    m = month_text(month)
    return Path(out_dir) / m / f"awrach_{slugify(province)}_{m}_slides_{lang}.html"


def figures_dir(out_dir: str | Path, month: Any) -> Path:
    """Return ``<out_dir>/YYYY-MM/figures``, where print figures go."""
    return Path(out_dir) / month_text(month) / "figures"


def check_province(program: Any, province: str | None) -> None:
    """Check that ``province`` (name or HCP code) names the province of ``program``.

    Accents, case and spaces are ignored (``"khenifra"`` matches ``"Khénifra"``).

    Raises
    ------
    UnknownNameError
        When it names another province; the province of the data is suggested.
    """
    if province is None or str(province).strip() == "":
        return
    wanted = str(province).strip()
    if wanted == str(program.province_code):
        return
    if slugify(wanted) == slugify(program.province):
        return
    raise UnknownNameError(wanted, "province", [program.province, str(program.province_code)])


# ---------------------------------------------------------------------------------------
# Building a deck from the presentation notebook
# ---------------------------------------------------------------------------------------


def default_notebook(data_path: str | Path | None = None, province: str | None = None) -> Path:
    """Return the presentation notebook for a data set and scope.

    :data:`SCOPE_NOTEBOOK` when the data, narrowed to ``province`` as ``load`` narrows
    them, cover a country or a region; :data:`COUNCIL_NOTEBOOK` for a province. Only the
    data set's metadata are read (:func:`awrach_analysis.data.load.scope_of`).
    """
    from ..data.load import scope_of
    from ..model.codes import scope_level

    code = scope_of(data_path, province)
    wide = bool(code) and scope_level(code) != "province"
    return SCOPE_NOTEBOOK if wide else COUNCIL_NOTEBOOK


@dataclass
class SlidesResult:
    """What :func:`build_slides` wrote.

    Attributes
    ----------
    html : pathlib.Path
        The deck.
    month, lang, province : str
        Month shown (``YYYY-MM``), language, province (French name).
    slides : int
        Number of top-level slides.
    figures : list of pathlib.Path
        Print figures written (PNG and PDF).
    pdf : pathlib.Path or None
        The printed deck, when asked for and printed.
    """

    html: Path
    month: str
    lang: str
    province: str
    slides: int
    figures: list[Path] = field(default_factory=list)
    pdf: Path | None = None


def deck_info(nb: Any) -> dict[str, Any]:
    """Return what the notebook reported about its deck (its ``DECK_INFO_MIME`` output).

    Raises
    ------
    AwrachError
        When the notebook did not display a :class:`DeckInfo`.
    """
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if DECK_INFO_MIME in data:
                info = data[DECK_INFO_MIME]
                return json.loads(info) if isinstance(info, str) else dict(info)
    raise AwrachError(
        "The presentation notebook did not report its month and province: it must display "
        "awrach_analysis.documents.slides.DeckInfo(...) once (in a cell whose slide_type "
        "is 'skip')."
    )


@dataclass
class DeckInfo:
    """Facts about a deck that the notebook hands to the builder (shown nowhere).

    Displaying it in a notebook cell adds an output of type :data:`DECK_INFO_MIME`, read
    back by :func:`deck_info`; JupyterLab shows its one-line text, and the cell is skipped
    in the deck.
    """

    month: str
    province: str
    province_code: str
    lang: str
    figures: list[str] = field(default_factory=list)

    def _repr_mimebundle_(self, include=None, exclude=None):  # noqa: D401 - IPython hook
        text = (
            f"Deck: {self.province} ({self.province_code}), {self.month}, {self.lang}; "
            f"{len(self.figures)} print figure file(s)"
        )
        return {
            DECK_INFO_MIME: json.loads(json.dumps(self.__dict__, default=str)),
            "text/plain": text,
        }


def count_slides(nb: Any) -> int:
    """Return the number of top-level slides nbconvert makes from ``nb``.

    A slide starts at the first visible cell and at every cell whose
    ``slideshow.slide_type`` is ``"slide"``; ``skip`` and ``notes`` cells show nothing, and
    the parameters cells are removed before export.
    """
    hidden_tags = {"parameters", "injected-parameters", "remove-cell", "remove_cell"}
    count = 0
    started = False
    for cell in nb.cells:
        meta = cell.get("metadata", {})
        if hidden_tags & set(meta.get("tags", [])):
            continue
        kind = meta.get("slideshow", {}).get("slide_type", "-")
        if kind in ("skip", "notes"):
            continue
        if not started or kind == "slide":
            count += 1
            started = True
    return count


def build_slides(
    *,
    month: str | None = None,
    lang: str = "ar",
    data_path: str | Path | None = None,
    province: str | None = None,
    out_dir: str | Path | None = None,
    pdf: bool = False,
    notebook: str | Path | None = None,
    extra_parameters: Mapping[str, Any] | None = None,
    timeout: int = 300,
    client: Any = None,
    browser: Any = None,
) -> SlidesResult:
    """Execute the presentation notebook and write the deck (and its PDF and figures).

    Parameters
    ----------
    month : str, optional
        ``YYYY-MM``; default is the latest month with data.
    lang : str, default "ar"
        ``ar``, ``fr`` or ``en``.
    data_path : str or Path, optional
        Data folder or workbook; default is the bundled sample.
    province : str, optional
        Province name or HCP code; checked against the data.
    out_dir : str or Path, optional
        Output root (default ``reports/``); files go to ``<out_dir>/YYYY-MM/``.
    pdf : bool, default False
        Also print the deck to PDF. When Chromium is missing the HTML deck is still written
        and :class:`PrintError` is raised afterwards.
    notebook : str or Path, optional
        The notebook to execute; default :func:`default_notebook`:
        ``notebooks/council_presentation.ipynb`` for a province,
        ``notebooks/national_presentation.ipynb`` for a country or a region.
    extra_parameters : mapping, optional
        More notebook parameters.
    timeout : int, default 300
        Seconds allowed per cell.
    client : awrach_analysis.documents.render.KernelSession, optional
        A running kernel to reuse.
    browser : playwright.sync_api.Browser, optional
        A running Chromium to print with (see :func:`print_pdf`).

    Returns
    -------
    SlidesResult
        Paths written and what the deck shows.

    Raises
    ------
    awrach_analysis.documents.render.RenderError
        When a cell fails (nothing is written).
    PrintError
        When ``pdf`` is asked for and cannot be printed (the HTML deck exists).
    """
    from . import render

    i18n.check_lang(lang)
    if notebook is None:  # before anything is written: a bad scope name stops here
        notebook = default_notebook(data_path, province)
    out_root = Path(out_dir) if out_dir else config.REPORTS_DIR
    month = month_text(month) if month else None
    out_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".figures-", dir=out_root))
    parameters: dict[str, Any] = {
        "data_path": str(Path(data_path).resolve()) if data_path else None,
        "province": province,
        "month": month,
        "lang": lang,
        "figures_dir": str(staging.resolve()),
    }
    # Unset options keep the notebook's own defaults.
    parameters = {k: v for k, v in parameters.items() if v is not None}
    parameters.update(extra_parameters or {})
    try:
        nb = render.execute(notebook, parameters, timeout=timeout, client=client)
        info = deck_info(nb)
        html_path = deck_path(out_root, info["province"], info["month"], lang)
        title = f"Awrach — {info['province']} — {info['month']}"
        page = export_deck(nb, lang=lang, title=title)
        html_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = html_path.with_suffix(".html.part")
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(html_path)
        figures = _move_figures(
            staging, figures_dir(out_root, info["month"]), info.get("figures", [])
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result = SlidesResult(
        html=html_path,
        month=info["month"],
        lang=lang,
        province=info["province"],
        slides=count_slides(nb),
        figures=figures,
    )
    if pdf:
        result.pdf = print_pdf(html_path, browser=browser)
    return result


def _move_figures(staging: Path, target: Path, names: Sequence[str]) -> list[Path]:
    moved: list[Path] = []
    if not staging.exists():
        return moved
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        src = staging / name
        if src.exists():
            dst = target / name
            shutil.move(src, dst)
            moved.append(dst)
    return moved
