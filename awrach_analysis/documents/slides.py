"""Council-session slide decks: one offline reveal.js HTML file, PDF printing, print figures."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import config, i18n
from ..errors import AwrachError, PrintError, UnknownNameError
from .report import Html, commune_view, month_key, slugify  # shared with the report

#: Slide size in CSS pixels (16:9); reveal scales it to the screen.
SLIDE_WIDTH = 1280
SLIDE_HEIGHT = 720
#: reveal.js theme the deck starts from (web fonts stripped, see :func:`strip_web_fonts`).
REVEAL_THEME = "white"
#: Where the deck template lives (an nbconvert template extending ``reveal``).
SLIDES_TEMPLATE_DIR = config.TEMPLATES_DIR / "slides"
#: The presentation notebook rendered by ``awrach slides``.
COUNCIL_NOTEBOOK = config.NOTEBOOKS_DIR / "council_presentation.ipynb"
#: MIME type of the (hidden) output by which the notebook tells the builder what it rendered.
DECK_INFO_MIME = "application/vnd.awrach.deck+json"
#: Exit code of ``awrach slides --pdf`` when the deck was written but could not be printed.
EXIT_NO_PDF = 3


# ---------------------------------------------------------------------------------------
# reveal.js, taken from the sphinx-revealjs package at run time (never from a CDN)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevealAssets:
    """The reveal.js files a deck inlines.

    Attributes
    ----------
    version : str
        reveal.js version, read from the banner of ``dist/reveal.js``.
    reveal_css, theme_css : str
        ``dist/reveal.css`` and the theme, with web fonts removed.
    reveal_js, notes_js : str
        ``dist/reveal.js`` and the speaker-notes plugin (``plugin/notes/notes.js``).
    licence : str
        reveal.js MIT licence text (kept in the deck's credits).
    source : pathlib.Path
        Folder the files were read from.
    """

    version: str
    reveal_css: str
    theme_css: str
    reveal_js: str
    notes_js: str
    licence: str
    source: Path


def reveal_dir() -> Path:
    """Return the folder of the reveal.js copy shipped by the ``sphinx-revealjs`` package.

    Returns
    -------
    pathlib.Path
        A folder holding ``dist/reveal.js``, ``dist/reveal.css`` and ``plugin/notes/``.

    Raises
    ------
    AwrachError
        When ``sphinx-revealjs`` is not installed or ships no reveal.js 4+.
    """
    try:
        import sphinx_revealjs
    except ImportError as exc:  # pragma: no cover - it is a declared dependency
        raise AwrachError(
            "reveal.js is taken from the PyPI package 'sphinx-revealjs', which is not "
            "installed. Install it with: pip install 'sphinx-revealjs>=3.0'."
        ) from exc
    root = Path(sphinx_revealjs.__file__).resolve().parent
    candidates = sorted(root.glob("**/revealjs*/dist/reveal.js"))
    for candidate in candidates:
        folder = candidate.parent.parent
        if (folder / "plugin" / "notes" / "notes.js").exists():
            return folder
    raise AwrachError(
        f"No reveal.js 'dist/' folder with the notes plugin found under {root}. "
        "Reinstall 'sphinx-revealjs' (it ships reveal.js 5.x)."
    )


_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
_IMPORT = re.compile(r"@import\s+(?:url\()?[^;]*;", re.IGNORECASE)
_REMOTE_URL = re.compile(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", re.IGNORECASE)


def strip_web_fonts(css: str) -> str:
    """Return ``css`` without anything that would fetch a font or a file.

    Removes ``@import`` rules (reveal themes import Google Fonts or local font files),
    ``@font-face`` blocks and any remaining ``url(http…)`` or ``url(//…)``; ``data:`` URLs
    are kept. The deck's own stylesheet sets local system font stacks instead.

    Parameters
    ----------
    css : str
        A stylesheet.

    Returns
    -------
    str
        The stylesheet, safe to inline in an offline page.
    """
    css = _IMPORT.sub("", css)
    css = _FONT_FACE.sub("", css)
    return _REMOTE_URL.sub("none", css)


@lru_cache(maxsize=4)
def reveal_assets(theme: str = REVEAL_THEME) -> RevealAssets:
    """Read reveal.js, its notes plugin and a theme from the installed ``sphinx-revealjs``.

    Parameters
    ----------
    theme : str, default "white"
        Name of a file of ``dist/theme/`` without ``.css``.

    Returns
    -------
    RevealAssets
        The files, ready to inline.
    """
    folder = reveal_dir()
    dist = folder / "dist"
    theme_path = dist / "theme" / f"{theme}.css"
    if not theme_path.exists():
        known = sorted(p.stem for p in (dist / "theme").glob("*.css"))
        raise AwrachError(f"Unknown reveal.js theme {theme!r}. Known themes: {', '.join(known)}.")
    reveal_js = (dist / "reveal.js").read_text(encoding="utf-8")
    match = re.search(r"reveal\.js\s+(\d+\.\d+\.\d+)", reveal_js[:300])
    licence_path = folder / "LICENSE"
    licence = (
        licence_path.read_text(encoding="utf-8").strip()
        if licence_path.exists()
        else "MIT licensed. Copyright (C) 2011-2024 Hakim El Hattab, https://hakim.se"
    )
    return RevealAssets(
        version=match.group(1) if match else "unknown",
        reveal_css=strip_web_fonts((dist / "reveal.css").read_text(encoding="utf-8")),
        theme_css=strip_web_fonts(theme_path.read_text(encoding="utf-8")),
        reveal_js=reveal_js,
        notes_js=(folder / "plugin" / "notes" / "notes.js").read_text(encoding="utf-8"),
        licence=licence,
        source=folder,
    )


def reveal_credit(assets: RevealAssets | None = None) -> str:
    """Return the one-line credit of reveal.js for the sources slide.

    Parameters
    ----------
    assets : RevealAssets, optional
        Defaults to :func:`reveal_assets`.

    Returns
    -------
    str
        ``"Slides: reveal.js 5.2.0, © 2011-2024 Hakim El Hattab and contributors, MIT licence."``
    """
    assets = assets or reveal_assets()
    holder = re.search(r"Copyright \(C\) ([0-9-]+) ([^,\n]+)", assets.licence)
    years, who = (holder.group(1), holder.group(2)) if holder else ("2011-2024", "Hakim El Hattab")
    return (
        f"Slides: reveal.js {assets.version}, © {years} {who} and contributors, MIT licence "
        "(https://revealjs.com)."
    )


def reveal_config(
    lang: str, *, width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT, **overrides: Any
) -> dict[str, Any]:
    """Return the options passed to ``Reveal.initialize`` for a deck in ``lang``.

    Parameters
    ----------
    lang : str
        ``"fr"``, ``"ar"`` or ``"en"``; Arabic decks get ``rtl: true``.
    width, height : int
        Slide size in CSS pixels (default 1280×720, 16:9).
    **overrides
        Any other reveal option.

    Returns
    -------
    dict
        JSON-serialisable options (plugins are added by the template).
    """
    options: dict[str, Any] = {
        "hash": True,
        "history": False,
        "slideNumber": "c/t",
        "controls": True,
        "controlsTutorial": False,
        "progress": True,
        "center": False,
        "rtl": i18n.direction(lang) == "rtl",
        "width": width,
        "height": height,
        "margin": 0.04,
        "transition": "none",
        "backgroundTransition": "none",
        "showNotes": False,
        "pdfSeparateFragments": False,
        "pdfMaxPagesPerSlide": 1,
        "navigationMode": "linear",
        "help": True,
    }
    options.update(overrides)
    return options


def _deck_css() -> str:
    return (SLIDES_TEMPLATE_DIR / "static" / "deck.css").read_text(encoding="utf-8")


def deck_resources(
    lang: str,
    *,
    theme: str = REVEAL_THEME,
    reveal_options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the resources the slides template needs, under the key ``awrach_slides``.

    Parameters
    ----------
    lang : str
        Deck language (``fr``, ``ar``, ``en``); Arabic gets ``rtl: true``.
    theme : str, default "white"
        reveal.js theme.
    reveal_options : mapping, optional
        Extra ``Reveal.initialize`` options.

    Returns
    -------
    dict
        ``{"awrach_slides": {...}}``, to pass as ``extra_resources`` of
        :func:`awrach_analysis.documents.render.export_html`
        (which adds language, title and plotly.js
        under ``resources.awrach``).
    """
    if lang not in config.LANGUAGES:
        raise AwrachError(
            f"Unknown language {lang!r} for the slides. Use one of: {', '.join(config.LANGUAGES)}."
        )
    assets = reveal_assets(theme)
    credits_comment = (
        f"{reveal_credit(assets)}\nreveal.js licence:\n{assets.licence}\n"
        "Inlined from the PyPI package sphinx-revealjs; nothing is fetched from the network."
    ).replace("--", "- -")
    return {
        "awrach_slides": {
            "reveal_version": assets.version,
            "reveal_css": assets.reveal_css,
            "theme_css": assets.theme_css,
            "deck_css": _deck_css(),
            "reveal_js": assets.reveal_js,
            "notes_js": assets.notes_js,
            "credits_comment": credits_comment,
            "reveal_config": reveal_config(lang, **dict(reveal_options or {})),
        }
    }


def export_deck(nb: Any, *, lang: str, title: str, **options: Any) -> str:
    """Return the self-contained HTML deck of an executed notebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        Executed notebook whose cells carry ``slideshow.slide_type`` metadata.
    lang : str
        Deck language; Arabic decks are right-to-left.
    title : str
        Page title.
    **options
        Passed to :func:`deck_resources` (``theme``, ``reveal_options``).

    Returns
    -------
    str
        One HTML page: reveal.js, its notes plugin and plotly.js inlined, no network access.
    """
    from . import render

    return render.export_html(
        nb,
        kind="slides",
        lang=lang,
        title=title,
        extra_resources=deck_resources(lang, **options),
    )


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
# Printing through headless Chromium
# ---------------------------------------------------------------------------------------

#: Command-line switches for headless Chromium in containers and CI.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
)


def find_chromium() -> Path | None:
    """Return the Chromium/Chrome executable to print with, or ``None``.

    Looks at the environment variable ``AWRACH_CHROMIUM`` first, then ``/usr/bin/chromium``
    and ``chromium``, ``chromium-browser``, ``google-chrome`` on the ``PATH``.
    """
    env = os.environ.get("AWRACH_CHROMIUM")
    if env:
        return Path(env) if Path(env).exists() else None
    default = Path("/usr/bin/chromium")
    if default.exists():
        return default
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def print_pdf(
    html_path: str | Path,
    pdf_path: str | Path | None = None,
    *,
    chromium: str | Path | None = None,
    browser: Any = None,
    timeout: float = 120,
) -> Path:
    """Print a deck to PDF, one page per slide, with headless Chromium.

    Opens the deck in reveal's print view (``?print-pdf``), waits until reveal has laid out
    every slide on its own page (``pdf-ready``) and plotly has redrawn the figures at their
    printed size, then prints with the page size reveal sets (the 16:9 slide plus its
    margin). Requests to the network are aborted.

    Parameters
    ----------
    html_path : str or Path
        The deck written by :func:`build_slides`.
    pdf_path : str or Path, optional
        Defaults to the deck's path with ``.pdf``.
    chromium : str or Path, optional
        Browser executable; defaults to :func:`find_chromium`.
    browser : playwright.sync_api.Browser, optional
        An already launched Chromium to reuse (tests share one); ``chromium`` is then unused.
    timeout : float, default 120
        Seconds to wait for the deck to be ready.

    Returns
    -------
    pathlib.Path
        The PDF written.

    Raises
    ------
    PrintError
        When no Chromium is found, Playwright is missing, or the page does not get ready.
    """
    html_path = Path(html_path).resolve()
    pdf_path = Path(pdf_path) if pdf_path else html_path.with_suffix(".pdf")
    if browser is not None:
        _print_with(browser, html_path, pdf_path, timeout)
        return pdf_path
    exe = Path(chromium) if chromium else find_chromium()
    if exe is None or not exe.exists():
        raise PrintError(
            "Cannot print the deck to PDF: no Chromium found (looked at $AWRACH_CHROMIUM, "
            "/usr/bin/chromium and the PATH). The HTML deck was written; open it in Chromium "
            "or Chrome and print it (Ctrl+P, landscape, no margins), or install Chromium "
            "(Debian: `make system-deps`)."
        )
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise PrintError(
            "Cannot print the deck to PDF: the Python package 'playwright' is missing "
            "(pip install playwright; the browser itself is the system Chromium, "
            "never downloaded)."
        ) from exc
    try:
        with sync_playwright() as pw:
            launched = pw.chromium.launch(executable_path=str(exe), args=list(CHROMIUM_ARGS))
            try:
                _print_with(launched, html_path, pdf_path, timeout)
            finally:
                launched.close()
    except PlaywrightError as exc:
        raise PrintError(f"Chromium ({exe}) failed to print {html_path.name}: {exc}") from exc
    return pdf_path


def _print_with(browser: Any, html_path: Path, pdf_path: Path, timeout: float) -> None:
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport={"width": SLIDE_WIDTH, "height": SLIDE_HEIGHT})
    try:
        page = context.new_page()
        local = ("file:", "data:", "blob:", "about:")
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(local) else route.abort()
            ),
        )
        page.goto(html_path.as_uri() + "?print-pdf", wait_until="load", timeout=timeout * 1000)
        try:
            page.wait_for_function(
                "() => window.Reveal && Reveal.isReady() && "
                "document.documentElement.classList.contains('reveal-print') && "
                "document.documentElement.getAttribute('data-pdf-ready') === '1'",
                timeout=timeout * 1000,
            )
        except PlaywrightError as exc:
            raise PrintError(
                f"{html_path.name} did not get ready for printing within {timeout:g} s "
                "(reveal.js or a figure failed to start; open the deck in a browser and look "
                "at the console)."
            ) from exc
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        part = pdf_path.with_suffix(".pdf.part")
        page.pdf(path=str(part), print_background=True, prefer_css_page_size=True)
        part.replace(pdf_path)
    finally:
        context.close()


# ---------------------------------------------------------------------------------------
# Building a deck from the presentation notebook
# ---------------------------------------------------------------------------------------


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
        The notebook to execute (default :data:`COUNCIL_NOTEBOOK`,
        ``notebooks/council_presentation.ipynb``).
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

    if lang not in config.LANGUAGES:
        raise AwrachError(f"Unknown language {lang!r}. Use one of: {', '.join(config.LANGUAGES)}.")
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
    notebook = COUNCIL_NOTEBOOK if notebook is None else notebook
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


# ---------------------------------------------------------------------------------------
# Slide content: small HTML pieces the presentation notebook displays
# ---------------------------------------------------------------------------------------


#: The package's one HTML escaping (:func:`awrach_analysis.i18n.safe`), under its old name.
escape = i18n.safe


def title_slide(title: str, subtitle: str = "", *, banner: str = "") -> Html:
    """Return the opening slide: a title, a subtitle and an optional warning banner.

    Parameters
    ----------
    title, subtitle : str
        Plain text (escaped here).
    banner : str, optional
        Shown in a red box, e.g. "synthetic sample data".

    Returns
    -------
    Html
    """
    parts = [f'<h1 class="deck-title">{escape(title)}</h1>']
    if subtitle:
        parts.append(f'<p class="slide-subtitle">{escape(subtitle)}</p>')
    if banner:
        parts.append(f'<p class="sample-banner">{escape(banner)}</p>')
    return Html("\n".join(parts))


def heading(title: str, subtitle: str = "") -> Html:
    """Return a slide heading: the message of the slide in a full sentence.

    Parameters
    ----------
    title : str
        The message (plain text, escaped here).
    subtitle : str, optional
        A short line under it (scope, month, unit).

    Returns
    -------
    Html
    """
    out = f'<h2 class="slide-title">{escape(title)}</h2>'
    if subtitle:
        out += f'\n<p class="slide-subtitle">{escape(subtitle)}</p>'
    return Html(out)


def bullets(items: Sequence[str], *, css_class: str = "") -> Html:
    """Return a bullet list (items are plain text, escaped here)."""
    cls = f' class="{escape(css_class)}"' if css_class else ""
    body = "".join(f"<li>{escape(item)}</li>" for item in items)
    return Html(f"<ul{cls}>{body}</ul>")


def big_numbers(items: Sequence[tuple[str, str]]) -> Html:
    """Return up to four large figures side by side.

    Parameters
    ----------
    items : sequence of (value, label)
        Already formatted value (``"1 100"``) and its label, both plain text.

    Returns
    -------
    Html
    """
    cells = "".join(
        f'<div class="big-number"><span class="value">{escape(v)}</span>'
        f'<span class="label">{escape(label)}</span></div>'
        for v, label in items
    )
    return Html(f'<div class="big-numbers">{cells}</div>')


def deck_table(
    rows: Any,
    columns: Mapping[str, str],
    *,
    numeric: Sequence[str] = (),
    alert: Sequence[str] = (),
    max_rows: int = 8,
) -> Html:
    """Return a large-type table for a slide.

    Parameters
    ----------
    rows : pandas.DataFrame
        Values already formatted for display (text); rows beyond ``max_rows`` are cut.
    columns : mapping
        Column of ``rows`` -> header shown, in display order.
    numeric : sequence of str
        Columns aligned to the end of the cell (numbers).
    alert : sequence of str
        Columns shown in the alert colour.
    max_rows : int, default 8
        A slide shows at most this many rows (the rest belongs in the report).

    Returns
    -------
    Html
    """
    head = "".join(
        f'<th class="{"num" if c in numeric else ""}">{escape(label)}</th>'
        for c, label in columns.items()
    )
    body = []
    for _, row in rows.head(max_rows).iterrows():
        tds = []
        for c in columns:
            classes = " ".join(k for k, on in (("num", c in numeric), ("alert", c in alert)) if on)
            value = row[c]
            text = "" if value is None or (isinstance(value, float) and value != value) else value
            tds.append(f'<td class="{classes}">{escape(text)}</td>')
        body.append("<tr>" + "".join(tds) + "</tr>")
    return Html(
        f'<table class="deck-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def speaker_notes(lines: Sequence[str]) -> Html:
    """Return speaker notes: one paragraph per line (shown in reveal's speaker view, ``S``).

    Display it in a cell whose ``slideshow.slide_type`` is ``"notes"``.
    """
    return Html("".join(f"<p>{escape(line)}</p>" for line in lines))


# ---------------------------------------------------------------------------------------
# The council presentation: one message per slide, computed from the data
# ---------------------------------------------------------------------------------------

#: Slides of the council deck, in order; print figures are named after their slide.
COUNCIL_SLIDES = (
    "01_title",
    "02_three_numbers",
    "03_jobs_vs_target",
    "04_commune_map",
    "05_communes_attention",
    "06_partners_domains",
    "07_inclusion",
    "08_projects_attention",
    "09_caveats_sources",
)
#: Slides that have a print figure (PNG 300 dpi + PDF in ``figures/``).
PRINT_FIGURES = (
    "03_jobs_vs_target",
    "04_commune_map",
    "05_communes_attention",
    "06_partners_domains",
    "07_inclusion",
    "08_projects_attention",
)
#: At most this many rows in a slide table (the report has the full lists).
TABLE_ROWS = 5
#: Height of a slide figure in CSS pixels (the slide is 720 high; the title takes the rest).
FIGURE_HEIGHT = 530


def spell_number(value: Any, lang: str) -> str:
    """Return a count as digits followed by words, for speaker notes read aloud.

    ``spell_number(2357, "fr")`` → ``"2 357 (deux mille trois cent cinquante-sept)"``.
    Words come from the ``num2words`` package; without it, or for non-integers, the
    digits alone are returned.

    Parameters
    ----------
    value : int or float
        A count.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
    """
    digits = i18n.fmt_int(value, lang)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return digits
    if number != number or number != int(number) or abs(number) >= 10**9:
        return digits
    try:
        from num2words import num2words
    except ImportError:  # optional: the notes keep the digits
        return digits
    words = num2words(int(number), lang=lang)
    if lang == "ar":
        words = re.sub(r" و (?=\S)", " و", words)  # the conjunction is written joined
    return f"{digits} ({words})"


@dataclass
class SlideText:
    """What one slide says.

    Attributes
    ----------
    key : str
        Slide key (``"03_jobs_vs_target"``), also the stem of its print figure.
    title : str
        The message of the slide, a full sentence computed from the data.
    subtitle : str
        Scope or second message.
    notes : list of str
        Speaker notes, numbers written out.
    values : dict
        The raw numbers behind the texts (for tests and reuse).
    """

    key: str
    title: str
    subtitle: str = ""
    notes: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


def _first_text(series: Any, default: str) -> str:
    values = [v for v in series if isinstance(v, str) and v.strip()]
    return values[0] if values else default


def _number(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return out


class CouncilDeck:
    """The council presentation of one month: texts, figures, tables and print figures.

    Every indicator is computed once, when the deck is made; each slide's message is a
    sentence of :data:`awrach_analysis.i18n.CATALOGUE` (keys ``slide.*``, ``notes.*``...)
    filled with those values. Build it with :func:`council_deck`.

    Attributes
    ----------
    program : Program
        The data.
    lang : str
        Language of every text and figure.
    as_of : pandas.Timestamp
        Reference month.
    texts : dict of str to SlideText
        What each slide of :data:`COUNCIL_SLIDES` says.
    """

    def __init__(self, program: Any, *, as_of: Any = None, lang: str = "ar"):
        from ..analysis import indicators

        if lang not in config.LANGUAGES:
            raise AwrachError(
                f"Unknown language {lang!r}. Use one of: {', '.join(config.LANGUAGES)}."
            )
        self.program = program
        self.lang = lang
        self.as_of = (
            indicators.default_as_of(program) if as_of is None else indicators.to_month(as_of)
        )
        kw = {"as_of": self.as_of}
        self.headline = indicators.headline(program, **kw).set_index("indicator")["value"]
        self.monthly = indicators.monthly_jobs(program, **kw)
        self.forecast = indicators.forecast(program, **kw)
        self.context = indicators.commune_context(program, **kw)
        # What figures show: counts below 5 hidden with the rates computed from them, as in
        # the report (a hover label or a rate must not give a small count back).
        self.context_view = commune_view(self.context)
        self.schedule = indicators.schedule(program, **kw)
        self.attention = indicators.attention(program, **kw)
        self.domains = indicators.breakdown(program, "domain", **kw)
        self.inclusion_total = indicators.inclusion(program, **kw)
        self.inclusion_by_type = indicators.inclusion(program, by="commune_type", **kw)
        self.texts: dict[str, SlideText] = {}
        for key in COUNCIL_SLIDES:
            self.texts[key] = getattr(self, "_text_" + key.split("_", 1)[1])(key)

    # --- helpers ---------------------------------------------------------------------------

    def _m(self, key: str, **values: Any) -> str:
        return i18n.t(key, self.lang, **values)

    def _int(self, value: Any) -> str:
        return i18n.fmt_int(value, self.lang)

    def _spell(self, value: Any) -> str:
        return spell_number(value, self.lang)

    def _pct(self, share: Any) -> str:
        return i18n.fmt_pct(share, self.lang)

    def _num(self, value: Any, digits: int = 0) -> str:
        return i18n.fmt_num(value, self.lang, digits)

    @property
    def month_label(self) -> str:
        """The reference month in words (``"octobre 2023"``, ``"أكتوبر 2023"``)."""
        return i18n.fmt_month(self.as_of, self.lang)

    @property
    def province_name(self) -> str:
        """The province in the deck's language."""
        column = "province_ar" if self.lang == "ar" else "province_fr"
        communes = self.program.communes
        if column in communes:
            return _first_text(communes[column], self.program.province)
        return self.program.province

    def _commune(self, row: Any) -> str:
        return i18n.commune_name(row, self.lang)

    # --- texts ------------------------------------------------------------------------------

    def _text_title(self, key: str) -> SlideText:
        title = self._m("ui.slides_title", province=self.province_name, month=self.month_label)
        notes = [self._m("notes.title", province=self.province_name, month=self.month_label)]
        return SlideText(key, title, self._m("ui.programme"), notes)

    def _text_three_numbers(self, key: str) -> SlideText:
        agreements = _number(self.headline.get("agreements"))
        jobs = _number(self.headline.get("jobs_to_date"))
        target = _number(self.headline.get("target"))
        pct = _number(self.headline.get("pct_of_target"))
        reached = int((self.context["projects"] > 0).sum())
        values = {
            "agreements": agreements,
            "jobs": jobs,
            "communes": reached,
            "all_communes": len(self.context),
            "target": target,
            "pct": pct,
        }
        title = self._m(
            "slide.three_numbers",
            jobs=self._int(jobs),
            communes=self._int(reached),
            agreements=self._int(agreements),
        )
        notes = [
            self._m(
                "notes.three_numbers",
                agreements=self._spell(agreements),
                jobs=self._spell(jobs),
                communes=self._spell(reached),
                all_communes=self._spell(len(self.context)),
                target=self._spell(target),
                pct=self._pct(pct / 100),
            )
        ]
        return SlideText(key, title, self._m("ui.as_of", month=self.month_label), notes, values)

    def _text_jobs_vs_target(self, key: str) -> SlideText:
        fc = self.forecast
        jobs = _number(self.headline.get("jobs_to_date"))
        target = _number(fc.get("target"))
        pace = _number(fc.get("pace_per_month"))
        month = self.month_label
        if target != target or target <= 0:
            title = self._m("title.burnup_no_target", achieved=self._int(jobs), month=month)
            subtitle = ""
        else:
            title = self._m(
                "title.burnup",
                achieved=self._int(jobs),
                target=self._int(target),
                pct=self._pct(jobs / target),
            )
            kind = "forecast_plan" if fc.get("method") == "pipeline" else "forecast"
            if jobs >= target:
                subtitle = self._m("title.forecast_done")
            elif fc.get("reachable") and fc.get("month_reached") is not None:
                subtitle = self._m(
                    f"title.{kind}_reached",
                    pace=self._num(pace, 1),
                    month=i18n.fmt_month(fc["month_reached"], self.lang),
                )
            else:
                subtitle = self._m(
                    f"title.{kind}_unreachable",
                    pace=self._num(pace, 1),
                    month=i18n.fmt_month(fc["period_end"], self.lang),
                )
        notes = [
            self._m(
                "notes.jobs",
                month=month,
                jobs=self._spell(jobs),
                target=self._spell(target) if target == target else "—",
                pace=self._num(pace, 1),
            )
        ]
        if subtitle:
            notes.append(subtitle)
        values = {
            "jobs": jobs,
            "target": target,
            "pace": pace,
            "reachable": bool(fc.get("reachable")),
            "month_reached": fc.get("month_reached"),
        }
        return SlideText(key, title, subtitle, notes, values)

    def _ranked(self):
        ctx = self.context
        ok = ctx[
            (ctx["unemployed_2024"].astype("Float64") > 0) & ctx["jobs_per_1000_unemployed"].notna()
        ]
        return ok.sort_values(
            ["jobs_per_1000_unemployed", "unemployment_rate_2024"],
            ascending=[True, False],
            kind="mergesort",
        )

    def _text_commune_map(self, key: str) -> SlideText:
        ranked = self._ranked()
        ctx = self.context
        unemployed = _number(ctx["unemployed_2024"].astype("Float64").sum())
        jobs = _number(ctx.loc[ctx["unemployed_2024"].astype("Float64") > 0, "jobs_to_date"].sum())
        if ranked.empty or jobs <= 0:
            return SlideText(key, self._m("title.ranking_empty"), self._m("subtitle.ranking"))
        top = ranked.iloc[-1]
        average = jobs / unemployed * 1000
        names = {
            "top": self._commune(top),
            "value": self._num(top["jobs_per_1000_unemployed"]),
            "average": self._num(average),
        }
        notes = [self._m("notes.map", **names)]
        values = {
            "top": str(top["commune_code"]),
            "top_value": float(top["jobs_per_1000_unemployed"]),
            "average": average,
        }
        return SlideText(
            key, self._m("title.ranking", **names), self._m("subtitle.ranking"), notes, values
        )

    def _text_communes_attention(self, key: str) -> SlideText:
        ranked = self._ranked()
        if ranked.empty:
            return SlideText(key, self._m("slide.communes_none"))
        low = ranked.iloc[0]
        by_rate = ranked.sort_values(
            ["unemployment_rate_2024", "jobs_per_1000_unemployed"],
            ascending=[False, True],
            kind="mergesort",
        )
        high = by_rate.iloc[0]
        if low["commune_code"] == high["commune_code"]:
            title = self._m("slide.communes_same", commune=self._commune(low))
        else:
            title = self._m(
                "slide.communes_split",
                low=self._commune(low),
                value=self._num(low["jobs_per_1000_unemployed"]),
                high=self._commune(high),
                rate=self._pct(_number(high["unemployment_rate_2024"]) / 100),
            )
        shown = ranked.head(TABLE_ROWS)
        notes = [
            self._m(
                "notes.commune_row",
                commune=self._commune(r),
                rate=self._pct(_number(r["unemployment_rate_2024"]) / 100),
                unemployed=self._spell(r["unemployed_2024"]),
                jobs=self._spell(r["jobs_to_date"]),
                value=self._num(r["jobs_per_1000_unemployed"]),
            )
            for _, r in shown.iterrows()
        ]
        values = {
            "lowest": str(low["commune_code"]),
            "highest_rate": str(high["commune_code"]),
            "listed": [str(c) for c in shown["commune_code"]],
        }
        return SlideText(
            key, title, self._m("slide.communes_subtitle", n=self._int(len(shown))), notes, values
        )

    def implementing_partners(self) -> Any:
        """Return the partners that implement at least one agreement, with their type."""
        import pandas as pd

        program = self.program
        signed = program.agreements
        if "signed_on" in signed:
            end = self.as_of + pd.offsets.MonthEnd(0)
            signed = signed[signed["signed_on"].isna() | (signed["signed_on"] <= end)]
        ids = set(signed["partner_id"].dropna().astype(str))
        return program.partners[program.partners["partner_id"].astype(str).isin(ids)]

    def _text_partners_domains(self, key: str) -> SlideText:
        partners = self.implementing_partners()
        types = partners["partner_type"].astype(str).value_counts()
        n_assoc, n_coop = int(types.get("association", 0)), int(types.get("cooperative", 0))
        dom = self.domains.sort_values("jobs_to_date", ascending=False, kind="mergesort")
        total = _number(dom["jobs_to_date"].sum())
        top = dom.iloc[0] if len(dom) else None
        domain = i18n.label("domain", top["domain"], self.lang) if top is not None else "—"
        top_jobs = _number(top["jobs_to_date"]) if top is not None else 0.0
        share = top_jobs / total if total > 0 else float("nan")
        title = self._m(
            "slide.partners",
            partners=self._int(len(partners)),
            associations=self._int(n_assoc),
            cooperatives=self._int(n_coop),
            domain=domain,
            share=self._pct(share),
        )
        notes = [
            self._m(
                "notes.partners",
                partners=self._spell(len(partners)),
                associations=self._spell(n_assoc),
                cooperatives=self._spell(n_coop),
                domain=domain,
                jobs=self._spell(top_jobs),
            )
        ]
        values = {
            "partners": len(partners),
            "associations": n_assoc,
            "cooperatives": n_coop,
            "top_domain": None if top is None else str(top["domain"]),
            "share": share,
        }
        return SlideText(
            key, title, self._m("slide.partners_subtitle", month=self.month_label), notes, values
        )

    def _text_inclusion(self, key: str) -> SlideText:
        from ..reference import facts

        total = self.inclusion_total.iloc[-1]

        def share(count_col: str, share_col: str) -> str:
            if i18n.is_suppressed(total[count_col]):
                return self._int(total[count_col])  # the mark, kept left to right in Arabic
            return self._pct(total[share_col])

        women, youth = share("women", "women_share"), share("youth", "youth_share")
        title = self._m("title.inclusion", women=women, youth=youth)
        by = self._m("subtitle.by.commune_type")
        notes = [
            self._m(
                "notes.inclusion",
                people=self._spell(total["people"]),
                women=self._spell(total["women"]),  # a small-cell mark is kept as such
                youth=self._spell(total["youth"]),
                pub_women=self._spell(facts.fact("women_2022")),
                pub_total=self._spell(facts.fact("beneficiaries_2022")),
            )
        ]
        values = {
            "people": total["people"],
            "women": total["women"],
            "youth": total["youth"],
            "women_share": total["women_share"],
            "youth_share": total["youth_share"],
        }
        return SlideText(key, title, self._m("subtitle.inclusion", by=by), notes, values)

    def _text_projects_attention(self, key: str) -> SlideText:
        n, total = len(self.attention), self.schedule.attrs.get("projects", len(self.schedule))
        if n == 0:
            title = self._m("slide.attention_none", total=self._int(total))
        else:
            title = self._m("title.schedule", n=self._int(n), total=self._int(total))
        counts = self.attention["reason"].astype(str).value_counts()
        sep = "، " if self.lang == "ar" else ", "
        by_reason = (
            sep.join(
                i18n.key_value(i18n.t("reason." + code, self.lang), self._spell(count), self.lang)
                for code, count in counts.items()
            )
            or "—"
        )
        notes = [
            self._m(
                "notes.attention", n=self._spell(n), total=self._spell(total), by_reason=by_reason
            )
        ]
        values = {
            "n": n,
            "total": total,
            "by_reason": counts.to_dict(),
            "listed": list(self.attention["project_id"].astype(str).head(TABLE_ROWS)),
        }
        subtitle = self._m("slide.attention_subtitle") if n else ""
        return SlideText(key, title, subtitle, notes, values)

    def _text_caveats_sources(self, key: str) -> SlideText:
        missing = int(_number(self.schedule["missing_months"].fillna(0).sum()))
        projects = int((self.schedule["missing_months"].fillna(0) > 0).sum())
        quarantined = int(self.program.quarantined_rows)
        title = self._m(
            "slide.caveats", missing=self._int(missing), quarantined=self._int(quarantined)
        )
        notes = [
            self._m(
                "notes.caveats", missing=self._spell(missing), quarantined=self._spell(quarantined)
            )
        ]
        values = {"missing": missing, "projects_missing": projects, "quarantined": quarantined}
        return SlideText(key, title, "", notes, values)

    # --- public API ---------------------------------------------------------------------------

    def slide(self, key: str) -> SlideText:
        """Return the texts of slide ``key`` (one of :data:`COUNCIL_SLIDES`)."""
        if key not in self.texts:
            raise AwrachError(f"Unknown slide {key!r}. Slides: {', '.join(COUNCIL_SLIDES)}.")
        return self.texts[key]

    def heading(self, key: str) -> Html:
        """Return the heading of slide ``key``: its message and subtitle."""
        text = self.slide(key)
        return heading(text.title, text.subtitle)

    def notes(self, key: str) -> Html:
        """Return the speaker notes of slide ``key`` (display in a ``notes`` cell)."""
        return speaker_notes(self.slide(key).notes)

    def title_slide(self) -> Html:
        """Return the opening slide (with the sample-data banner when it applies)."""
        text = self.slide("01_title")
        banner = i18n.t("ui.sample_banner", self.lang) if self.program.is_sample else ""
        return title_slide(text.title, text.subtitle, banner=banner)

    def three_numbers(self) -> Html:
        """Return the big numbers of slide 2."""
        v = self.slide("02_three_numbers").values
        return big_numbers(
            [
                (self._int(v["agreements"]), self._m("label.agreements")),
                (self._int(v["jobs"]), self._m("label.jobs_to_date")),
                (self._int(v["communes"]), self._m("label.communes_reached")),
            ]
        )

    def table(self, key: str) -> Html:
        """Return the table of slide ``05_communes_attention`` or ``08_projects_attention``."""
        import pandas as pd

        if key == "05_communes_attention":
            shown = self._ranked().head(TABLE_ROWS)
            rows = pd.DataFrame(
                {
                    "commune": [self._commune(r) for _, r in shown.iterrows()],
                    "rate": [self._pct(_number(x) / 100) for x in shown["unemployment_rate_2024"]],
                    "unemployed": [self._int(x) for x in shown["unemployed_2024"]],
                    "jobs": [self._int(x) for x in shown["jobs_to_date"]],
                    "per_1000": [self._num(x) for x in shown["jobs_per_1000_unemployed"]],
                }
            )
            columns = {
                "commune": i18n.t("ui.commune", self.lang),
                "rate": self._m("col.unemployment_rate"),
                "unemployed": i18n.t("col.unemployed_2024", self.lang)
                if "col.unemployed_2024" in i18n.CATALOGUE
                else "",
                "jobs": i18n.t("col.jobs_to_date", self.lang),
                "per_1000": self._m("col.per_1000"),
            }
            return deck_table(
                rows,
                columns,
                numeric=["rate", "unemployed", "jobs", "per_1000"],
                alert=["per_1000"],
                max_rows=TABLE_ROWS,
            )
        if key == "08_projects_attention":
            shown = self.attention.head(TABLE_ROWS)
            title_col = "title_ar" if self.lang == "ar" else "title_fr"
            titles = [
                r[title_col]
                if isinstance(r.get(title_col), str) and r[title_col].strip()
                else r["title_fr"]
                for _, r in shown.iterrows()
            ]
            communes = self.program.communes
            rows = pd.DataFrame(
                {
                    "project": [
                        f"{pid} — {i18n.shorten(t, 38)}"
                        for pid, t in zip(shown["project_id"], titles, strict=True)
                    ],
                    "commune": [
                        i18n.commune_name(str(c), self.lang, communes=communes)
                        for c in shown["commune_code"]
                    ],
                    "reason": [i18n.t("reason." + str(c), self.lang) for c in shown["reason"]],
                    "follow_up": [self._m("followup." + str(c)) for c in shown["reason"]],
                }
            )
            columns = {
                "project": self._m("col.project"),
                "commune": i18n.t("ui.commune", self.lang),
                "reason": self._m("col.reason"),
                "follow_up": self._m("col.follow_up"),
            }
            return deck_table(rows, columns, alert=["reason"], max_rows=TABLE_ROWS)
        raise AwrachError(f"Slide {key!r} has no table.")

    def caveats(self) -> Html:
        """Return the caveats and sources of the last slide, with the reveal.js credit."""
        from ..reference import facts

        v = self.slide("09_caveats_sources").values
        items = []
        if self.program.is_sample:
            items.append(self._m("caveat.sample"))
        items += [
            self._m(
                "caveat.missing",
                missing=self._int(v["missing"]),
                projects=self._int(v["projects_missing"]),
            ),
            self._m("caveat.quarantine", quarantined=self._int(v["quarantined"])),
            self._m("caveat.press"),
            self._m("caveat.census"),
        ]
        sources = "".join(f"<li>{escape(s)}</li>" for s in facts.PRESS_SOURCES)
        return Html(
            bullets(items, css_class="caveats")
            + f'<div class="sources"><p><strong>{escape(self._m("ui.published_sources"))}'
            f"</strong></p><ul>{sources}</ul>"
            f'<p class="credits">{escape(reveal_credit())}</p></div>'
        )

    def figure(self, key: str) -> Any:
        """Return the interactive (plotly) figure of slide ``key``, sized for the slide.

        The slide's heading carries the message, so the chart's own title, subtitle and
        source line are removed (the sources slide lists the sources).
        """
        from ..figures import charts, maps

        sample = bool(self.program.is_sample)
        if key == "03_jobs_vs_target":
            fig = charts.burnup(
                self.monthly,
                self.forecast,
                self.lang,
                context="slides",
                source=False,
                sample=sample,
            )
        elif key == "04_commune_map":
            fig = maps.commune_map(
                self.context_view,
                self.program.communes,
                "jobs_per_1000_unemployed",
                self.lang,
                context="slides",
            )
        elif key == "06_partners_domains":
            fig = self._domains_figure()
        elif key == "07_inclusion":
            fig = charts.inclusion_shares(
                self.inclusion_by_type,
                "commune_type",
                self.lang,
                context="slides",
                source=False,
                sample=sample,
            )
        else:
            raise AwrachError(f"Slide {key!r} has no figure.")
        return for_slide(fig)

    def _domains_frame(self) -> Any:
        dom = self.domains.sort_values("jobs_to_date", ascending=True, kind="mergesort")
        dom = dom.assign(label=[i18n.label("domain", d, self.lang) for d in dom["domain"]])
        return dom

    def _domains_figure(self) -> Any:
        import plotly.graph_objects as go

        from ..figures import style

        dom = self._domains_frame()
        rtl = self.lang == "ar"
        fig = go.Figure(
            go.Bar(
                x=[float(x) for x in dom["jobs_to_date"]],
                y=[i18n.safe(x) for x in dom["label"]],
                orientation="h",
                marker={"color": style.COLORS["achieved"]},
                text=[self._int(x) for x in dom["jobs_to_date"]],
                textposition="outside",
                cliponaxis=False,
                hoverinfo="skip",
                uid="domains-0",
            )
        )
        style.plotly_layout(fig, self.lang, context="slides")
        fig.update_yaxes(side="right" if rtl else "left", showgrid=False)
        fig.update_xaxes(
            autorange="reversed" if rtl else True,
            rangemode="tozero",
            title={"text": i18n.safe(self._m("label.jobs_to_date"))},
        )
        return fig

    def print_figure(self, key: str, ax: Any = None) -> Any:
        """Draw the print (matplotlib) figure of slide ``key`` and return its Axes.

        Print figures keep their titles and source line: they are pasted into the council's
        own documents, where no slide heading explains them.
        """
        from ..figures import charts, maps

        sample = bool(self.program.is_sample)
        opts = {"context": "print", "sample": sample}
        if key == "03_jobs_vs_target":
            return charts.burnup_mpl(self.monthly, self.forecast, self.lang, ax, **opts)
        if key == "04_commune_map":
            return maps.commune_map_mpl(
                self.context_view, self.program.communes, "jobs_per_1000_unemployed", self.lang, ax
            )
        if key == "05_communes_attention":
            return charts.commune_ranking_mpl(self.context_view, self.lang, ax, **opts)
        if key == "06_partners_domains":
            return self._domains_mpl(ax)
        if key == "07_inclusion":
            return charts.inclusion_shares_mpl(
                self.inclusion_by_type, "commune_type", self.lang, ax, **opts
            )
        if key == "08_projects_attention":
            return charts.schedule_gantt_mpl(self.attention, self.lang, ax, **opts)
        raise AwrachError(f"Slide {key!r} has no print figure.")

    def _domains_mpl(self, ax: Any = None) -> Any:
        import matplotlib.pyplot as plt

        from ..figures import style

        dom = self._domains_frame()
        rtl = self.lang == "ar"
        with style.mpl_style(self.lang, "print"):
            if ax is None:
                width, _ = style.sizes("print")["figsize"]
                _, ax = plt.subplots(figsize=(width, 0.32 * len(dom) + 1.6))
            values = [float(x) for x in dom["jobs_to_date"]]
            ax.barh(range(len(dom)), values, color=style.COLORS["achieved"])
            ax.set_yticks(range(len(dom)), list(dom["label"]))
            for i, v in enumerate(values):
                ax.annotate(
                    self._int(v),
                    (v, i),
                    xytext=(-4 if rtl else 4, 0),
                    textcoords="offset points",
                    va="center",
                    ha="right" if rtl else "left",
                )
            ax.grid(axis="y", visible=False)
            if rtl:
                ax.invert_xaxis()
                ax.yaxis.tick_right()
            ax.set_xlabel(self._m("label.jobs_to_date"))
            text = self.slide("06_partners_domains")
            style.add_titles(ax, text.title, text.subtitle, lang=self.lang, context="print")
            style.add_source(
                ax,
                style.source_line(self.lang, self.program.is_sample),
                lang=self.lang,
                context="print",
            )
        return ax

    def write_figures(
        self, folder: str | Path, *, keys: Sequence[str] = PRINT_FIGURES, dpi: int = 300
    ) -> list[str]:
        """Write the print figures to ``folder`` as PNG and PDF; return the file names.

        Parameters
        ----------
        folder : str or Path
            Where to write (created when missing).
        keys : sequence of str
            Slides whose figure to write (default :data:`PRINT_FIGURES`, all of them).
        dpi : int, default 300
            Resolution of the PNG files.

        Returns
        -------
        list of str
            File names, named after the slides (``03_jobs_vs_target.png``...). A slide
            with nothing to draw (no project needing attention) gets no file.
        """
        import matplotlib.pyplot as plt

        from ..figures import save_figure

        folder = Path(folder)
        written: list[str] = []
        for key in keys:
            if key == "08_projects_attention" and self.attention.empty:
                continue
            ax = self.print_figure(key)
            try:
                paths = save_figure(ax, folder / key, formats=("png", "pdf"), dpi=dpi)
            finally:
                plt.close(ax.get_figure(root=True))
            written += [p.name for p in paths]
        return written

    def deck_info(self, figures: Sequence[str] = ()) -> DeckInfo:
        """Return what the builder needs to name the files (displayed in a hidden cell)."""
        return DeckInfo(
            month=self.as_of.strftime("%Y-%m"),
            province=self.program.province,
            province_code=str(self.program.province_code),
            lang=self.lang,
            figures=list(figures),
        )


def for_slide(fig: Any, *, height: int = FIGURE_HEIGHT) -> Any:
    """Return a chart made for the report adapted to a slide.

    Removes the figure's own title, subtitle and source line (the slide heading states the
    message, the last slide the sources), sets the slide height and keeps the large type
    of the ``slides`` context.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        A chart from :mod:`awrach_analysis.figures.charts` or :mod:`awrach_analysis.figures.maps`.
    height : int
        Height in CSS pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        ``fig``, changed in place.
    """
    fig.update_layout(title={"text": None, "subtitle": {"text": None}})
    # assigned, not passed to update_layout (which would merge element by element)
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name != "source"]
    fig.update_layout(height=height, width=None, autosize=True)
    margin = fig.layout.margin
    fig.update_layout(margin={"t": 50, "b": min(margin.b or 60, 90), "l": margin.l, "r": margin.r})
    return fig


def council_deck(program: Any, *, as_of: Any = None, lang: str = "ar") -> CouncilDeck:
    """Return the council presentation of ``program`` at month ``as_of`` in ``lang``.

    Parameters
    ----------
    program : Program
        Loaded data (``awrach_analysis.data.load.load``).
    as_of : str or pandas.Timestamp, optional
        ``"YYYY-MM"``; default the last month with progress reports.
    lang : {"ar", "fr", "en"}, default "ar"
        Language of the deck.

    Returns
    -------
    CouncilDeck
    """
    return CouncilDeck(program, as_of=as_of, lang=lang)
