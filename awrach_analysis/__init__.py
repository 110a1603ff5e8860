"""awrach_analysis: load, check, analyse and report on Awrach public-works projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _imports

_imports.install()  # before anything imports jsonschema (through plotly.io or nbformat)

__version__ = "0.1.0"

from .errors import (  # noqa: E402 - after the import hook
    AmbiguousNameError,
    AwrachError,
    InputError,
    Problem,
    UnknownNameError,
    ValidationError,
)

if TYPE_CHECKING:
    from .data.load import load
    from .model.program import Program

#: Names imported on first use: pandas and geopandas cost a second, and the ``awrach``
#: command starts a report's kernel before it needs them.
_LAZY = {"load": ".data.load", "Program": ".model.program"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "AmbiguousNameError",
    "AwrachError",
    "InputError",
    "Problem",
    "Program",
    "UnknownNameError",
    "ValidationError",
    "__version__",
    "load",
]
