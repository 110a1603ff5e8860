"""Printing a deck to PDF through headless Chromium (Playwright, the system browser)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from ..errors import PrintError
from .deck_assets import SLIDE_HEIGHT, SLIDE_WIDTH

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
