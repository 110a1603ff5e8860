"""Keep third-party imports fast: jsonschema without the RFC 3987 grammar it builds at import."""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys

#: The module whose import is sped up, and the optional module it is made to go without.
_TARGET = "jsonschema._format"
_SKIPPED = "rfc3987_syntax"


class _SkipIriGrammar(importlib.abc.MetaPathFinder):
    """Import ``jsonschema._format`` as if ``rfc3987_syntax`` were not installed.

    plotly.io, nbclient and nbconvert import nbformat, which imports jsonschema; with the
    format extras that JupyterLab's dependencies install, jsonschema's format checkers import
    ``rfc3987_syntax``, which builds a URI grammar at import: 1.2 to 1.5 s of every report
    process and of every report kernel. Only the ``iri`` and ``iri-reference`` format
    checkers need it; nbformat checks no such format. While ``jsonschema._format`` runs,
    ``rfc3987_syntax`` is hidden (jsonschema skips those two checkers, as it does when the
    package is absent); afterwards it imports normally for anyone who asks.
    """

    def find_spec(self, name, path=None, target=None):
        if name != _TARGET or _SKIPPED in sys.modules:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        run = spec.loader.exec_module

        def exec_module(module):
            sys.modules[_SKIPPED] = None  # makes `import rfc3987_syntax` raise ImportError
            try:
                run(module)
            finally:
                if sys.modules.get(_SKIPPED, 0) is None:
                    del sys.modules[_SKIPPED]

        spec.loader.exec_module = exec_module
        return spec


def install() -> None:
    """Install the import hook once (before jsonschema is imported; no effect after)."""
    if _TARGET in sys.modules or any(isinstance(f, _SkipIriGrammar) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _SkipIriGrammar())
