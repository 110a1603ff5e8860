"""Open pages in headless Chromium (Debian's /usr/bin/chromium) and record what they do."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: Debian's Chromium; ``playwright install`` is never used (no download at test time).
CHROMIUM = Path(os.environ.get("AWRACH_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: URL schemes a self-contained page may load from.
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
#: CI sets this so that a missing browser fails the run instead of skipping.
REQUIRE_ENV = "AWRACH_REQUIRE_BROWSER"


def browser_required() -> bool:
    """Return True when browser tests must run (``AWRACH_REQUIRE_BROWSER=1``)."""
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def browser_missing_reason() -> str | None:
    """Return why the browser cannot be used, or None when it can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (install Debian's chromium: `make system-deps`)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright (Python) is not installed"
    return None


def launch(playwright):
    """Launch headless Chromium with the project's arguments."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


@dataclass
class Visit:
    """A page opened from disk, with everything it asked for and complained about."""

    page: object
    url: str
    external_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    figures_timed_out: bool = False

    def close(self) -> None:
        self.page.context.close()


#: JavaScript summarising every plotly graph of the page.
_PLOTLY_SUMMARY = """
() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(gd => ({
    id: gd.id,
    drawn: gd.classList.contains('js-plotly-plot'),
    svgs: gd.querySelectorAll('.main-svg').length,
    choropleth_paths: gd.querySelectorAll('.choroplethlocation').length,
    traces: (gd.data || []).map(t => t.type),
    ltr: gd.closest('[dir]') ? gd.closest('[dir]').getAttribute('dir') : null,
}))
"""


def visit(
    browser,
    path: str | Path,
    *,
    width: int = 1280,
    height: int = 900,
    context_options: dict | None = None,
) -> Visit:
    """Open ``path`` from ``file://`` and wait until its plotly figures are drawn.

    Every request whose URL is not ``file:``/``data:``/``blob:``/``about:`` is recorded
    (and aborted), as are console errors, uncaught exceptions and dialogs (dismissed).
    """
    url = Path(path).resolve().as_uri()
    context = browser.new_context(
        viewport={"width": width, "height": height}, **(context_options or {})
    )
    page = context.new_page()
    result = Visit(page=page, url=url)

    def on_request(request):
        if not request.url.startswith(LOCAL_SCHEMES):
            result.external_requests.append(request.url)

    def on_route(route):
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            route.abort()

    def on_dialog(dialog):
        result.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("request", on_request)
    page.on("console", lambda m: m.type == "error" and result.console_errors.append(m.text))
    page.on("pageerror", lambda e: result.console_errors.append(f"uncaught: {e}"))
    page.on("dialog", on_dialog)
    context.route("**/*", on_route)
    page.goto(url, wait_until="load")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.plotly-graph-div'))"
            ".every(gd => gd.querySelector('.main-svg'))",
            timeout=30_000,
        )
    except PlaywrightTimeout:
        result.figures_timed_out = True  # the tests then say which figure is empty
    page.wait_for_timeout(300)  # let late callbacks (fonts, resize) report errors
    return result


def plotly_summary(page) -> list[dict]:
    """Return one dict per plotly graph: id, drawn, svgs, choropleth_paths, traces, ltr."""
    return page.evaluate(_PLOTLY_SUMMARY)


#: Installed before a page's own scripts: records in ``window.__awrachDrawnAt`` the time
#: (ms since navigation start) at which the parsed page has every plotly graph drawn.
_DRAWN_PROBE = """
(() => {
  function check() {
    if (document.readyState !== 'loading') {
      const gds = document.querySelectorAll('.plotly-graph-div');
      if (Array.from(gds).every(gd => gd.querySelector('.main-svg'))) {
        window.__awrachDrawnAt = performance.now();
        return;
      }
    }
    requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();
"""


@dataclass
class Timing:
    """Load figures of one opening of a page, in seconds from navigation start."""

    first_contentful_paint: float
    charts_drawn: float
    charts: int


def measure(browser, path: str | Path, *, width: int = 1280, height: int = 900) -> Timing:
    """Open ``path`` from ``file://`` in a fresh context and time its first paint and charts.

    First contentful paint comes from the browser's paint timing; "charts drawn" is the
    first animation frame at which every ``.plotly-graph-div`` holds its SVG. Network
    requests other than ``file:``/``data:``/``blob:``/``about:`` are aborted.
    """
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(LOCAL_SCHEMES) else route.abort()
            ),
        )
        context.add_init_script(_DRAWN_PROBE)
        page = context.new_page()
        page.goto(Path(path).resolve().as_uri(), wait_until="load")
        page.wait_for_function("() => window.__awrachDrawnAt !== undefined", timeout=30_000)
        fcp = page.evaluate(
            "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime"
        )
        drawn = page.evaluate("() => window.__awrachDrawnAt")
        charts = page.evaluate("() => document.querySelectorAll('.plotly-graph-div').length")
        return Timing(first_contentful_paint=fcp / 1000, charts_drawn=drawn / 1000, charts=charts)
    finally:
        context.close()
