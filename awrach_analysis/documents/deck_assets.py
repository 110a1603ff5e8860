"""reveal.js assets of the council deck: the vendored files, theme, options and credit."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import config, i18n
from ..errors import AwrachError

#: Slide size in CSS pixels (16:9); reveal scales it to the screen.
SLIDE_WIDTH = 1280
SLIDE_HEIGHT = 720
#: reveal.js theme the deck starts from (web fonts stripped, see :func:`strip_web_fonts`).
REVEAL_THEME = "white"
#: Where the deck template lives (an nbconvert template extending ``reveal``).
SLIDES_TEMPLATE_DIR = config.TEMPLATES_DIR / "slides"
#: The reveal.js files vendored from the npm registry by ``make reveal`` (js/reveal/).
REVEAL_DIR = config.ASSETS_DIR / "revealjs"


# ---------------------------------------------------------------------------------------
# reveal.js, vendored from the npm registry (never from a CDN, never at run time)
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevealAssets:
    """The reveal.js files a deck inlines.

    Attributes
    ----------
    version : str
        reveal.js version (the npm package's, written to ``VERSION`` by ``make reveal``).
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
    """Return the folder of the reveal.js files vendored into the package.

    ``make reveal`` installs the npm package ``reveal.js`` pinned by
    ``js/reveal/package-lock.json`` and copies the files a deck needs into
    ``awrach_analysis/assets/revealjs/`` (shipped as package data).

    Returns
    -------
    pathlib.Path
        A folder holding ``dist/reveal.js``, ``dist/reveal.css``, ``dist/theme/``,
        ``plugin/notes/notes.js``, ``LICENSE`` and ``VERSION``.

    Raises
    ------
    AwrachError
        When a file is missing (a broken checkout or install).
    """
    needed = ("dist/reveal.js", "dist/reveal.css", "plugin/notes/notes.js", "LICENSE")
    missing = [name for name in needed if not (REVEAL_DIR / name).is_file()]
    if missing:
        raise AwrachError(
            f"reveal.js files missing from {REVEAL_DIR}: {', '.join(missing)}. "
            "Reinstall awrach-analysis, or in a checkout run `make reveal` (needs npm)."
        )
    return REVEAL_DIR


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
    """Read reveal.js, its notes plugin and a theme from the vendored copy.

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
    version_path = folder / "VERSION"
    match = re.search(r"reveal\.js\s+(\d+\.\d+\.\d+)", reveal_js[:300])
    if version_path.is_file():
        version = version_path.read_text(encoding="utf-8").strip()
    else:
        version = match.group(1) if match else "unknown"
    licence = (folder / "LICENSE").read_text(encoding="utf-8").strip()
    return RevealAssets(
        version=version,
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
        "Inlined from the npm package reveal.js (vendored in awrach_analysis/assets/revealjs/); "
        "nothing is fetched from the network."
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
