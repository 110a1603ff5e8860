"""Indicators and the programme summary: frames in, frames out."""
