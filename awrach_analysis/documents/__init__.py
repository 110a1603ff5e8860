"""Documents: notebook rendering, the monthly report, the council deck, the notebook opening."""
