"""awrach_analysis: load, check, analyse and report on Awrach public-works projects."""

from __future__ import annotations

__version__ = "0.1.0"

from .data.load import load
from .errors import (
    AmbiguousNameError,
    AwrachError,
    InputError,
    Problem,
    UnknownNameError,
    ValidationError,
)
from .model.program import Program

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
