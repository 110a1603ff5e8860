"""The package uses only the public APIs of its dependencies (issue 13)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from awrach_analysis.documents import render

PACKAGE = Path(render.__file__).resolve().parents[1]
#: ``from plotly.io._base_renderers import …``, ``import nbclient._x``: a dependency's private
#: module (relative imports of the package's own modules are not concerned).
_PRIVATE_MODULE = re.compile(r"^\s*(?:from|import)\s+[A-Za-z]\w*(?:\.\w+)*\._\w", re.MULTILINE)
#: Private methods of dependency objects that the package once called.
_PRIVATE_CALLS = re.compile(r"\b(?:client|km|kc|pio)\._[a-z]\w*\(")


def test_no_private_module_or_method_of_a_dependency_is_used():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in (_PRIVATE_MODULE, _PRIVATE_CALLS):
            found += [
                f"{path.relative_to(PACKAGE)}: {m.group(0).strip()}" for m in pattern.finditer(text)
            ]
    assert found == []


def test_report_renderer_is_a_plotly_mimetype_renderer():
    """plotly accepts only its own renderer classes, taken from the public base_renderers."""
    import plotly.io as pio
    from plotly.io.base_renderers import MimetypeRenderer

    render.register_renderer()
    renderer = pio.renderers[render.RENDERER_NAME]
    assert isinstance(renderer, MimetypeRenderer)
    bundle = renderer.to_mimebundle({"data": [{"type": "bar", "y": [1, 2]}], "layout": {}})
    assert render.PLOTLY_MIME in bundle and "Plotly.newPlot" in bundle["text/html"]


def _alive(pid: int) -> bool:
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
    return state.stdout.strip() not in ("", "Z")


@pytest.mark.slow
def test_a_kernel_launched_but_never_used_is_stopped_on_close():
    """close() before start() stops the kernel process through jupyter_client's public API."""
    session = render.KernelSession().launch()
    km = session._launched.km
    pid = km.provisioner.pid
    assert _alive(pid)
    session.close()
    assert not _alive(pid)


def test_the_import_hook_keeps_the_iri_grammar_out_of_report_processes():
    """jsonschema._format is an internal module name: if it changes, say so loudly.

    The package's import hook (awrach_analysis/_imports.py) hides ``rfc3987_syntax`` while
    jsonschema builds its format checkers (1.2 s per report process and kernel); nbformat,
    imported through plotly.io or nbclient, must then load without that grammar.
    """
    import subprocess
    import sys

    code = (
        "import sys, awrach_analysis, nbformat, jsonschema._format; "
        "print('rfc3987_syntax' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stdout + out.stderr
