"""Figures: house style, charts, maps, and saving them for print."""

from .save import save_figure

__all__ = ["save_figure"]
