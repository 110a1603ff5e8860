"""Run parameterised notebooks and export them as single, offline HTML files."""

from __future__ import annotations

import ast
import copy
import hashlib
import logging
import re
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from .. import __version__, config, i18n
from ..errors import RenderError

log = logging.getLogger(__name__)

#: Tag of the cell holding a notebook's default parameters (papermill and Quarto convention).
PARAMETERS_TAG = "parameters"
#: Tag of the cell that :func:`execute` inserts after it with the values of one run.
INJECTED_TAG = "injected-parameters"
#: Export kinds and the nbconvert exporter each one uses.
KINDS = ("report", "slides")
#: Right-to-left languages among :data:`awrach_analysis.config.LANGUAGES`.
RTL_LANGUAGES = frozenset({"ar"})
#: Name under which the report renderer is registered in ``plotly.io.renderers``.
RENDERER_NAME = "awrach"
#: plotly.js, inlined once per page: the project's partial bundle (scatter, bar, choropleth,
#: scattergeo; fr and ar locales), 1.4 MB instead of the 4.8 MB of plotly's full build. Built
#: from the npm registry's ``plotly.js`` by ``make plotly-bundle`` (js/plotly-bundle/), at the
#: plotly.js version of the plotly package (a test checks they match); MIT licence beside it.
PLOTLY_JS = config.ASSETS_DIR / "plotly-awrach.min.js"
#: Locales registered in :data:`PLOTLY_JS` (toolbar, hover texts, date and number formats).
PLOTLY_LOCALES = frozenset({"fr", "ar"})
#: Catalogue keys of plotly.js's toolbar words (``i18n/catalogue/plotly.yaml``).
_PLOTLY_KEYS = "plotly."
#: Name of the page-level queue of figures waiting for plotly.js (see :func:`figure_html`).
PLOT_QUEUE = "awrachPlots"
#: JavaScript run right after plotly.js: draw the queued figures, then draw any later one at once.
PLOT_QUEUE_DRAIN_JS = (
    f"(function(){{var q=window.{PLOT_QUEUE}||[];"
    f"window.{PLOT_QUEUE}={{push:function(d){{d();}}}};"
    "q.forEach(function(d){d();});})();"
)
#: MIME type of a plotly figure in a notebook output.
PLOTLY_MIME = "application/vnd.plotly.v1+json"

# stderr text that means a cell failed even though it did not raise.
_ERROR_TEXT = re.compile(
    r"Traceback \(most recent call last\)|^\s*(?:[\w.]+(?:Error|Exception)|ERROR)\b[:\s]",
    re.MULTILINE,
)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


# ---------------------------------------------------------------------------------------------
# plotly renderer
# ---------------------------------------------------------------------------------------------

#: Figure config every report figure gets (figure-specific config overrides it).
BASE_FIGURE_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "typesetMath": False,
    "showSendToCloud": False,
}

#: plotly.js measures every text in a hidden ``#js-plotly-tester`` element of the page body.
#: In a right-to-left page (an Arabic report or deck, or any page a figure is pasted into)
#: it would measure right to left and place texts off their marks: Arabic axis titles on
#: the tick labels, colour-bar titles past the right edge, source lines past the left one.
#: Each figure's HTML carries this rule, so the figure is right in any page.
TESTER_STYLE = "<style>#js-plotly-tester{direction:ltr}</style>"
_DEFAULT_HEIGHT_PX = 450
_used_ids: set[str] = set()
#: Language of the report being rendered (set by :func:`setup_notebook`).
_state: dict[str, Any] = {"lang": None}

_ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_BR = re.compile(r"(<br\s*/?>)", re.IGNORECASE)
#: Text already marked right-to-left (RLE, RLO, RLI, RLM, ALM) is left as it is.
_RTL_MARKS = ("\u202b", "\u202e", "\u2067", "\u200f", "\u061c")
#: Figure keys whose strings are identifiers or styles, never text shown to people.
_NOT_TEXT = frozenset({"type", "mode", "uid", "fill", "xaxis", "yaxis", "geo", "legendgroup"})


def rtl_text(value: str) -> str:
    """Return ``value`` with each line holding Arabic letters isolated right-to-left.

    Plot containers stay left-to-right inside Arabic pages (hover labels are misplaced
    otherwise, plotly.js #2790), so an Arabic title starting a left-to-right line would
    show its words and numbers in the wrong order. Each ``<br>``-separated line that
    contains an Arabic letter and is not already marked right-to-left gets the isolate of
    :func:`awrach_analysis.i18n.isolate` (the one the charts use); other lines are unchanged.
    """
    from .. import i18n

    parts = _BR.split(value)
    return "".join(
        i18n.isolate(part, "ar")
        if not _BR.fullmatch(part)
        and _ARABIC_LETTER.search(part)
        and not part.startswith(_RTL_MARKS)
        else part
        for part in parts
    )


def rtl_figure(obj: Any, _key: str = "") -> Any:
    """Return a copy of a figure dict with every Arabic string passed through :func:`rtl_text`."""
    if isinstance(obj, str):
        return obj if _key in _NOT_TEXT else rtl_text(obj)
    if isinstance(obj, dict):
        return {k: rtl_figure(v, k) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [rtl_figure(v, _key) for v in obj]
    dtype = getattr(obj, "dtype", None)
    if type(obj).__module__ == "numpy" and dtype is not None and dtype.kind in "OU":
        return [rtl_figure(v, _key) for v in obj.tolist()]
    return obj


def map_config() -> dict[str, Any]:
    """Return the plotly config that keeps maps offline (``figures.maps.MAP_CONFIG``).

    An empty topology as a data URI: plotly.js never asks a CDN for world_110m.json
    (plotly.js #6767).
    """
    from ..figures import maps

    return dict(maps.MAP_CONFIG)


def figure_config(extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the plotly.js config of a report figure.

    Parameters
    ----------
    extra : mapping, optional
        Figure-specific config; wins over the defaults.

    Returns
    -------
    dict
        :data:`BASE_FIGURE_CONFIG` merged with :func:`map_config`, the plotly.js ``locale``
        of the report language (:data:`PLOTLY_LOCALES`, when one is set) and ``extra``.
    """
    return {**map_config(), **BASE_FIGURE_CONFIG, **plotly_locale(_state["lang"]), **(extra or {})}


def plotly_locale(lang: str | None) -> dict[str, Any]:
    """Return the plotly.js config keys that put a figure's toolbar and dates in ``lang``.

    ``locale`` selects one of the locales of :data:`PLOTLY_LOCALES` (toolbar tips, hover
    words); ``locales`` overrides its month names with the package's own (plotly.js's Arabic
    locale has Levantine names, Morocco says يناير, ماي, غشت...) and gives it the toolbar
    words of the catalogue's ``plotly.*`` keys (plotly.js's Arabic locale has none). Other
    languages: ``{}``.
    """
    from .. import i18n

    if lang not in PLOTLY_LOCALES:
        return {}
    months = [f"2000-{m:02d}" for m in range(1, 13)]
    fmt = {
        "months": [i18n.fmt_month(m, lang).rsplit(" ", 1)[0] for m in months],
        "shortMonths": [i18n.fmt_month(m, lang, short=True).rsplit(" ", 1)[0] for m in months],
    }
    words = {
        i18n.t(key, "en"): i18n.t(key, lang)
        for key in i18n.CATALOGUE
        if key.startswith(_PLOTLY_KEYS)
    }
    return {"locale": lang, "locales": {lang: {"format": fmt, "dictionary": words}}}


def _figure_id(payload: str) -> str:
    base = "awrach-fig-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]
    div_id, n = base, 1
    while div_id in _used_ids:
        n += 1
        div_id = f"{base}-{n}"
    _used_ids.add(div_id)
    return div_id


def reset_state() -> None:
    """Forget the figure ids handed out so far and the report language."""
    _used_ids.clear()
    _state["lang"] = None


def figure_html(fig: Any, *, config: Mapping[str, Any] | None = None) -> str:
    """Return the HTML that draws ``fig`` with an already loaded plotly.js.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or dict
        The figure.
    config : mapping, optional
        Extra plotly.js config (merged over :func:`figure_config`).

    Returns
    -------
    str
        A ``<div dir="ltr">`` holding :data:`TESTER_STYLE`, the graph div and a
        ``<script>`` calling ``Plotly.newPlot``; plotly.js itself is not included. When
        plotly.js is not loaded yet (a report loads it at the end of the page, so that the
        text paints first), the drawing waits in ``window.awrachPlots`` (:data:`PLOT_QUEUE`)
        for the page's template (:data:`PLOT_QUEUE_DRAIN_JS`). The div id is derived from
        the figure JSON (plus a counter when the same figure is shown twice), so the same
        figure always gets the same id.
    """
    from plotly.io.json import to_json_plotly

    fig_dict = fig if isinstance(fig, dict) else fig.to_plotly_json()
    cfg = figure_config(config)
    # to_json_plotly writes "<" as \u003c: no string can close the <script> element.
    data_json = _literal_text(to_json_plotly(fig_dict.get("data", [])))
    layout = dict(fig_dict.get("layout", {}))
    layout_json = _literal_text(to_json_plotly(layout))
    config_json = _literal_text(to_json_plotly(cfg))
    div_id = _figure_id(data_json + layout_json + config_json)
    height = layout.get("height") or (layout.get("template") or {}).get("layout", {}).get("height")
    height_css = f"{int(height)}px" if height else f"{_DEFAULT_HEIGHT_PX}px"
    return (
        f'<div class="awrach-plotly" dir="ltr">{TESTER_STYLE}'
        f'<div id="{div_id}" class="plotly-graph-div" style="height:{height_css};width:100%;">'
        f"</div>"
        f"<script>(function(){{"
        f"function draw(){{"
        f'var gd=document.getElementById("{div_id}");'
        f"if(gd){{Plotly.newPlot(gd,{data_json},{layout_json},{config_json});}}}}"
        f"if(window.Plotly){{draw();}}"
        f"else{{(window.{PLOT_QUEUE}=window.{PLOT_QUEUE}||[]).push(draw);}}"
        f"}})();</script></div>"
    )


#: A ``\uXXXX`` escape in JSON text (not itself escaped by a backslash before it).
_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u([0-9a-fA-F]{4})")
#: Characters kept escaped: ASCII (``<``, ``&``… are escaped on purpose), line and
#: paragraph separators (line ends in older JavaScript), and UTF-16 surrogates.
_KEEP_ESCAPED = frozenset({0x2028, 0x2029})


def _literal_text(json_text: str) -> str:
    """Return plotly JSON with its non-ASCII characters written as themselves.

    plotly escapes every non-ASCII character (``\u0645``: six bytes for one Arabic
    letter); the page is UTF-8, so writing them as they are keeps the same strings and
    makes an Arabic report's figures about a third of the size. ``<``, ``>``, ``&`` and
    the other ASCII escapes are kept, so no string can close the ``<script>`` element.
    """

    def unescape(m: re.Match) -> str:
        code = int(m.group(2), 16)
        if code < 0x80 or code in _KEEP_ESCAPED or 0xD800 <= code <= 0xDFFF:
            return m.group(0)
        return m.group(1) + chr(code)

    return _ESCAPE.sub(unescape, json_text)


#: Output metadata key marking the notebook output that carries plotly.js (see
#: :func:`display_plotly_js`); :func:`clean_for_export` drops it (a report's template inlines
#: plotly.js itself).
PLOTLY_JS_OUTPUT = "awrach_plotly_js"


def plotly_js_html() -> str:
    """Return ``<script>`` elements loading :data:`PLOTLY_JS` and drawing queued figures."""
    js = PLOTLY_JS.read_text(encoding="utf-8")
    return f'<script id="plotly-js">{js}</script><script>{PLOT_QUEUE_DRAIN_JS}</script>'


def display_plotly_js() -> bool:
    """Put plotly.js once in the notebook's output, for pages exported from it.

    An analyst's notebook exported the ordinary way (``jupyter nbconvert --to html``,
    JupyterLab's *Export Notebook As → HTML*) shows each figure through its ``text/html``
    output (:func:`figure_html`), which needs plotly.js in the page. plotly's own renderers
    load it from a CDN or through require.js; here it comes from this output (the project's
    bundle, which sets ``window.Plotly`` even where require.js is loaded), so the exported page
    draws its figures offline. :func:`awrach_analysis.documents.notebook.start` calls this
    once per run of a notebook. JupyterLab itself draws figures from their plotly JSON.

    Returns
    -------
    bool
        Whether the output was displayed (False outside an IPython kernel).
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the notebook stack
        return False
    if get_ipython() is None:
        return False
    from IPython.display import display

    display({"text/html": plotly_js_html()}, raw=True, metadata={PLOTLY_JS_OUTPUT: True})
    return True


def _make_renderer_class():
    from plotly.io.base_renderers import MimetypeRenderer  # public re-export

    class AwrachRenderer(MimetypeRenderer):
        """plotly renderer for reports: interactive in JupyterLab and in exported HTML.

        Each figure becomes a MIME bundle with ``application/vnd.plotly.v1+json`` (JupyterLab
        draws it with its plotly extension) and ``text/html`` (see :func:`figure_html`),
        which nbconvert writes into the page.
        """

        def __init__(self, config: Mapping[str, Any] | None = None):
            self.config = dict(config or {})

        def to_mimebundle(self, fig_dict):
            if _state["lang"] in RTL_LANGUAGES:
                fig_dict = rtl_figure(fig_dict)
            cfg = figure_config(self.config)
            bundle = {PLOTLY_MIME: {**fig_dict, "config": cfg}}
            bundle["text/html"] = figure_html(fig_dict, config=self.config)
            return bundle

    return AwrachRenderer


def register_renderer() -> None:
    """Register the report renderer as ``plotly.io.renderers["awrach"]`` (idempotent)."""
    import plotly.io as pio

    if RENDERER_NAME not in pio.renderers:
        pio.renderers[RENDERER_NAME] = _make_renderer_class()()


def setup_notebook(lang: str = config.DEFAULT_LANGUAGE) -> None:
    """Prepare a notebook kernel for a report: call once, in the first code cell.

    Makes the ``awrach`` plotly renderer the default and resets the figure ids, so that a
    report's HTML depends only on its data and parameters. In right-to-left languages the
    renderer embeds Arabic figure texts right-to-left (:func:`rtl_figure`).

    Parameters
    ----------
    lang : str
        Language of the report (``fr``, ``ar`` or ``en``).
    """
    import plotly.io as pio

    i18n.check_lang(lang)
    register_renderer()
    pio.renderers.default = RENDERER_NAME
    reset_state()
    _state["lang"] = lang


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------


def _literal(value: Any) -> str:
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, tuple):
        value = list(value)
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    raise RenderError(
        f"Parameter value {value!r} of type {type(value).__name__} cannot be injected: "
        "use None, bool, int, float, str, Path, or lists/dicts of those."
    )


def _defined_names(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names.add(target.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def inject_parameters(nb: NotebookNode, parameters: Mapping[str, Any]) -> NotebookNode:
    """Return a copy of ``nb`` with a cell setting ``parameters`` after its parameters cell.

    Parameters
    ----------
    nb : NotebookNode
        The notebook; it is not modified.
    parameters : mapping
        Name -> value. Values must be Python literals (or ``Path``).

    Returns
    -------
    NotebookNode
        A copy with a code cell tagged ``injected-parameters`` right after the cell tagged
        ``parameters`` (at the top when there is none). A previous injected cell is
        replaced.

    Raises
    ------
    RenderError
        When a name is not defined in the parameters cell (a typo would otherwise be
        silently ignored) or a value is not a literal.
    """
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    index = next(
        (
            i
            for i, c in enumerate(out.cells)
            if c.cell_type == "code" and PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])
        ),
        None,
    )
    if index is not None:
        known = _defined_names(out.cells[index].source)
        unknown = sorted(set(parameters) - known)
        if unknown:
            raise RenderError(
                f"Unknown parameter(s) {', '.join(unknown)}: the parameters cell defines "
                f"{', '.join(sorted(known)) or 'nothing'}. Check the spelling."
            )
    lines = ["# Parameters"] + [f"{k} = {_literal(v)}" for k, v in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines) + "\n")
    cell.id = INJECTED_TAG
    cell.metadata["tags"] = [INJECTED_TAG]
    out.cells.insert(0 if index is None else index + 1, cell)
    return out


# ---------------------------------------------------------------------------------------------
# Execution
# ---------------------------------------------------------------------------------------------

_RESET_CODE = """\
get_ipython().run_line_magic("reset", "-f")
import os as _os, sys as _sys
_os.chdir({cwd!r})
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
if "awrach_analysis.documents.render" in _sys.modules:
    _sys.modules["awrach_analysis.documents.render"].reset_state()
del _os, _sys
"""


def _stop_kernel(km: Any) -> None:
    """Shut down a kernel that was started but never connected (jupyter_client's public API)."""
    from jupyter_core.utils import ensure_async, run_sync

    async def stop() -> None:
        if await ensure_async(km.is_alive()):
            await ensure_async(km.shutdown_kernel(now=True))

    run_sync(stop)()


class KernelSession:
    """One kernel kept alive to run several notebooks, one after the other.

    Starting a kernel and importing pandas, geopandas and plotly costs seconds; a session
    pays it once. Before each notebook the kernel's namespace is reset (``%reset -f``),
    figures are closed and the working directory is set to the notebook's folder, so one
    report cannot see another's variables.

    Use as a context manager::

        with KernelSession() as session:
            nb1 = execute("a.ipynb", {...}, client=session)
            nb2 = execute("a.ipynb", {...}, client=session)

    Parameters
    ----------
    kernel_name : str
        Jupyter kernel to start.
    timeout : int
        Seconds a cell may run.
    cwd : str or Path, optional
        Starting directory of the kernel.
    preload : sequence of str
        Modules the kernel imports while it starts (``IPKernelApp.exec_lines``), so that
        the first notebook does not wait for them. Combined with :meth:`launch`, the
        kernel starts and imports while the caller does other work.
    """

    def __init__(
        self,
        kernel_name: str = "python3",
        *,
        timeout: int = 300,
        cwd: str | Path | None = None,
        startup_timeout: int = 120,
        preload: Sequence[str] = (),
    ):
        self.kernel_name = kernel_name
        self.timeout = timeout
        self.cwd = str(cwd) if cwd else str(Path.cwd())
        self.startup_timeout = startup_timeout
        self.preload = tuple(preload)
        self.runs = 0
        self._client = None
        self._launched = None
        self._stack: ExitStack | None = None
        self._kernel_log = None

    @property
    def started(self) -> bool:
        """Whether the kernel is running and connected."""
        return self._client is not None

    def _fail(self, exc: Exception) -> RenderError:
        log_text = self.kernel_log()
        self.close()
        return RenderError(
            f"Could not start the Jupyter kernel {self.kernel_name!r}: {exc}. "
            "Check `jupyter kernelspec list`.",
            traceback=log_text,
        )

    def launch(self) -> KernelSession:
        """Start the kernel process without waiting for it to be ready; return the session."""
        if self._launched is not None:
            return self
        from nbclient import NotebookClient

        extra = []
        if self.preload:
            extra.append("--IPKernelApp.exec_lines=import " + ", ".join(self.preload))
        client = NotebookClient(
            nbformat.v4.new_notebook(),
            kernel_name=self.kernel_name,
            timeout=self.timeout,
            startup_timeout=self.startup_timeout,
            allow_errors=False,
            record_timing=False,
            shutdown_kernel="immediate",
            extra_arguments=extra,
            resources={"metadata": {"path": self.cwd}},
        )
        stack = ExitStack()
        self._stack, self._launched = stack, client
        # The kernel's own stderr (start-up notices, crash messages) goes to a temporary log,
        # quoted when the kernel dies, instead of cluttering the terminal.
        self._kernel_log = stack.enter_context(
            tempfile.TemporaryFile(mode="w+", encoding="utf-8", prefix="awrach-kernel-")  # noqa: SIM115
        )

        def stop_unconnected() -> None:
            if client.km is not None and client.kc is None:
                _stop_kernel(client.km)

        stack.callback(stop_unconnected)
        try:
            client.km = client.create_kernel_manager()
            client.start_new_kernel(cwd=self.cwd, stderr=self._kernel_log)
        except Exception as exc:  # kernel would not start: say which and why
            raise self._fail(exc) from exc
        return self

    def start(self) -> KernelSession:
        """Start the kernel if needed, wait until it is ready, and return the session."""
        if self._client is not None:
            return self
        self.launch()
        client = self._launched
        try:
            self._stack.enter_context(client.setup_kernel(cwd=self.cwd))
        except Exception as exc:
            raise self._fail(exc) from exc
        self._client = client
        return self

    def kernel_log(self) -> str:
        """Return what the kernel process wrote to its stderr so far (last 4,000 chars)."""
        if self._kernel_log is None or self._kernel_log.closed:
            return ""
        self._kernel_log.flush()
        self._kernel_log.seek(0)
        text = self._kernel_log.read()
        self._kernel_log.seek(0, 2)
        return text[-4000:]

    def close(self) -> None:
        """Shut the kernel down (immediately: a report kernel holds nothing to save)."""
        if self._stack is not None:
            try:
                self._stack.close()
            finally:
                self._client, self._launched, self._stack = None, None, None

    def __enter__(self) -> KernelSession:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def _run_cell(self, nb: NotebookNode, index: int, count: int) -> None:
        self._client.nb = nb
        self._client.execute_cell(nb.cells[index], index, execution_count=count)

    def run(self, nb: NotebookNode, *, cwd: str | Path | None = None, name: str = "") -> None:
        """Execute every code cell of ``nb`` in place.

        Parameters
        ----------
        nb : NotebookNode
            The notebook; outputs are written into it.
        cwd : str or Path, optional
            Folder to run in (the notebook's folder).
        name : str
            Notebook name used in error messages.

        Raises
        ------
        RenderError
            When a cell raises, times out or the kernel dies.
        """
        from nbclient.exceptions import (
            CellExecutionError,
            CellTimeoutError,
            DeadKernelError,
        )

        self.start()
        client = self._client
        reset = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(_RESET_CODE.format(cwd=str(cwd or self.cwd)))]
        )
        try:
            self._run_cell(reset, 0, 1)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
            self.close()
            raise RenderError(f"{name}: could not reset the kernel: {exc}") from exc
        if "language_info" not in nb.metadata:
            nb.metadata["language_info"] = {"name": "python"}
        client.reset_execution_trackers()
        count = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            count += 1
            try:
                self._run_cell(nb, index, count)
            except CellExecutionError as exc:
                raise _cell_error(name, nb, index, _ANSI.sub("", str(exc))) from None
            except CellTimeoutError as exc:
                raise RenderError(
                    f"{name}: cell {_cell_number(nb, index)} ran longer than {self.timeout} s.",
                    notebook=name,
                    cell_number=_cell_number(nb, index),
                    source=cell.source,
                    traceback=str(exc),
                ) from None
            except DeadKernelError as exc:
                text = f"{exc}\n{self.kernel_log()}"
                self.close()
                raise RenderError(
                    f"{name}: the kernel died while running cell "
                    f"{_cell_number(nb, index)} (out of memory?).",
                    notebook=name,
                    cell_number=_cell_number(nb, index),
                    source=cell.source,
                    traceback=text,
                ) from None
        self.runs += 1


def _cell_number(nb: NotebookNode, index: int) -> int:
    """Return the 1-based number of cell ``index`` as in the file (the injected cell left out)."""
    return 1 + sum(
        INJECTED_TAG not in c.get("metadata", {}).get("tags", []) for c in nb.cells[:index]
    )


def _cell_error(name: str, nb: NotebookNode, index: int, text: str) -> RenderError:
    cell = nb.cells[index]
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        err = errors[-1]
        text = _ANSI.sub("", "\n".join(err.get("traceback", []))) or (
            f"{err.get('ename')}: {err.get('evalue')}"
        )
        summary = f"{err.get('ename')}: {err.get('evalue')}"
    else:
        summary = text.strip().splitlines()[-1] if text.strip() else "error"
    return RenderError(
        f"{name}: cell {_cell_number(nb, index)} failed with {summary}",
        notebook=name,
        cell_number=_cell_number(nb, index),
        source=cell.source,
        traceback=text,
    )


def check_outputs(nb: NotebookNode, *, name: str = "", log_notes: bool = True) -> list[str]:
    """Log what cells wrote to stderr and fail when one of them wrote an error.

    Parameters
    ----------
    nb : NotebookNode
        An executed notebook.
    name : str
        Notebook name used in messages.
    log_notes : bool
        Log each stderr line as a warning of this module's logger.

    Returns
    -------
    list of str
        One line per stderr message (warnings, logs).

    Raises
    ------
    RenderError
        When a cell has an ``error`` output or wrote a traceback or an error message to
        stderr.
    """
    notes = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise _cell_error(name, nb, index, "")
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = _ANSI.sub("", out.get("text", ""))
                if _ERROR_TEXT.search(text):
                    raise RenderError(
                        f"{name}: cell {_cell_number(nb, index)} wrote an error to stderr.",
                        notebook=name,
                        cell_number=_cell_number(nb, index),
                        source=cell.source,
                        traceback=text,
                    )
                for line in text.strip().splitlines():
                    note = f"{name}: cell {_cell_number(nb, index)}: {line}"
                    if log_notes:
                        log.warning(note)
                    notes.append(note)
    return notes


def execute(
    notebook: str | Path | NotebookNode,
    parameters: Mapping[str, Any] | None = None,
    *,
    kernel_name: str = "python3",
    timeout: int = 300,
    client: KernelSession | None = None,
    cwd: str | Path | None = None,
) -> NotebookNode:
    """Run a notebook with parameters, papermill-style, and return the executed copy.

    Parameters
    ----------
    notebook : str, Path or NotebookNode
        The notebook file, or a notebook already read.
    parameters : mapping, optional
        Values injected in a cell tagged ``injected-parameters`` placed after the cell
        tagged ``parameters``.
    kernel_name : str
        Jupyter kernel, when ``client`` is not given.
    timeout : int
        Seconds a cell may run, when ``client`` is not given.
    client : KernelSession, optional
        A running kernel to reuse (its namespace is reset first). Without it a kernel is
        started and shut down for this notebook.
    cwd : str or Path, optional
        Folder to run in; defaults to the notebook's folder (or the current folder for a
        notebook given as a node).

    Returns
    -------
    NotebookNode
        The executed notebook with its outputs; the input is not modified.

    Raises
    ------
    RenderError
        When a cell fails (message: cell number, source and traceback) or writes an error
        to stderr.
    """
    if isinstance(notebook, NotebookNode):
        nb, name = notebook, str(notebook.metadata.get("name", "notebook"))
        folder = Path(cwd) if cwd else Path.cwd()
    else:
        path = Path(notebook)
        if not path.is_file():
            raise RenderError(f"Notebook {path} not found.")
        nb, name = nbformat.read(path, as_version=4), path.name
        folder = Path(cwd) if cwd else path.resolve().parent
    run_nb = inject_parameters(nb, parameters or {})
    for cell in run_nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    if client is None:
        with KernelSession(kernel_name, timeout=timeout, cwd=folder) as session:
            session.run(run_nb, cwd=folder, name=name)
    else:
        client.run(run_nb, cwd=folder, name=name)
    check_outputs(run_nb, name=name)
    return run_nb


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def _has_plotly(nb: NotebookNode) -> bool:
    return any(
        PLOTLY_MIME in out.get("data", {})
        or "Plotly.newPlot" in str(out.get("data", {}).get("text/html", ""))
        for cell in nb.cells
        for out in cell.get("outputs", [])
    )


def clean_for_export(nb: NotebookNode) -> NotebookNode:
    """Return a copy of ``nb`` ready to show people: no stderr, no warnings, no errors.

    Parameters
    ----------
    nb : NotebookNode
        An executed notebook (checked with :func:`check_outputs` first).

    Returns
    -------
    NotebookNode
        Copy without stderr streams, without the parameters cells and without the
        plotly.js output of :func:`display_plotly_js` (the templates inline plotly.js).

    Raises
    ------
    RenderError
        When a cell holds an error output: a report never shows a traceback.
    """
    check_outputs(nb, name=str(nb.metadata.get("name", "notebook")), log_notes=False)
    # Cells and outputs are copied, their contents shared (nbconvert copies the whole
    # notebook again): deep-copying every figure's JSON twice cost a quarter of a second.
    out = copy.copy(nb)
    out.metadata = copy.deepcopy(nb.metadata)
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {PARAMETERS_TAG, INJECTED_TAG, "remove_cell", "remove-cell"}:
            continue
        cell = copy.copy(cell)
        if cell.cell_type == "code":
            cell.outputs = [
                _without_plotly_json(o)
                for o in cell.outputs
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                and not o.get("metadata", {}).get(PLOTLY_JS_OUTPUT)
            ]
        cells.append(cell)
    out.cells = cells
    return out


def _without_plotly_json(output: Any) -> Any:
    """Return a copy of ``output`` without the plotly JSON when it has the figure's HTML.

    A page shows the ``text/html`` of a figure; its ``application/vnd.plotly.v1+json``
    twin (for JupyterLab) only made the export slower.
    """
    data = output.get("data", {})
    if PLOTLY_MIME not in data or "text/html" not in data:
        return output
    output = copy.copy(output)
    output["data"] = type(data)({k: v for k, v in data.items() if k != PLOTLY_MIME})
    return output


def text_direction(lang: str) -> str:
    """Return ``"rtl"`` for right-to-left languages, ``"ltr"`` otherwise (``i18n.direction``)."""
    from .. import i18n

    return i18n.direction(lang)


#: nbconvert exporters by (kind, language), their templates compiled (see :func:`prepare_export`).
_EXPORTERS: dict[tuple[str, str], Any] = {}


def _exporter(kind: str, lang: str) -> Any:
    key = (kind, lang)
    if key not in _EXPORTERS:
        from nbconvert import HTMLExporter, SlidesExporter

        exporter_cls = HTMLExporter if kind == "report" else SlidesExporter
        _EXPORTERS[key] = exporter_cls(
            template_name=kind,
            extra_template_basedirs=[str(config.TEMPLATES_DIR)],
            extra_template_paths=[str(config.TEMPLATES_DIR)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            exclude_anchor_links=True,
            sanitize_html=False,
            language_code=lang,
        )
    return _EXPORTERS[key]


def prepare_export(kind: str = "report", langs: Sequence[str] = ()) -> None:
    """Import nbconvert and compile the page templates of ``kind`` for ``langs`` ahead of time.

    Compiling the Jinja templates (and nbconvert's first-use set-up) costs about half a
    second of the first export; a report build calls this while its kernel starts, so the
    export after the cells does not wait. An empty notebook is exported once per language.
    """
    v4 = nbformat.v4
    empty = v4.new_notebook(cells=[v4.new_markdown_cell("."), v4.new_code_cell("")])
    for lang in langs:
        export_html(empty, kind=kind, lang=lang, title="")  # compiles every template it uses


def export_html(
    nb: NotebookNode,
    *,
    kind: str = "report",
    lang: str = config.DEFAULT_LANGUAGE,
    title: str,
    extra_resources: Mapping[str, Any] | None = None,
) -> str:
    """Export an executed notebook as one self-contained, offline HTML page.

    Parameters
    ----------
    nb : NotebookNode
        Executed notebook (see :func:`execute`).
    kind : {"report", "slides"}
        Template family under ``awrach_analysis/templates/<kind>/``.
    lang : {"fr", "ar", "en"}
        Page language; Arabic pages are ``dir="rtl"``.
    title : str
        Page title (escaped).
    extra_resources : mapping, optional
        Merged into the template resources (``resources.awrach`` keys for a mapping under
        ``"awrach"``, top-level keys otherwise).

    Returns
    -------
    str
        The HTML: code hidden, no prompts, plotly.js inlined once when a figure needs it,
        no ``<script src>``, no require.js, MathJax, mermaid or web font.
    """
    if kind not in KINDS:
        raise RenderError(f"Unknown export kind {kind!r}; use one of {', '.join(KINDS)}.")
    i18n.check_lang(lang)
    clean = clean_for_export(nb)
    exporter = _exporter(kind, lang)
    awrach = {
        "lang": lang,
        "dir": text_direction(lang),
        "title": title,
        "version": __version__,
        "plotly_js": PLOTLY_JS.read_text(encoding="utf-8") if _has_plotly(clean) else "",
        "plot_queue_js": PLOT_QUEUE_DRAIN_JS,
    }
    resources: dict[str, Any] = {"metadata": {"name": title}}
    for key, value in (extra_resources or {}).items():
        if key == "awrach" and isinstance(value, Mapping):
            awrach.update(value)
        else:
            resources[key] = value
    resources["awrach"] = awrach
    html, _ = exporter.from_notebook_node(clean, resources=resources)
    return html


register_renderer()
