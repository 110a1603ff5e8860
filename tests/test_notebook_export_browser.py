"""Analysts' notebooks exported the ordinary way (plain nbconvert) draw offline in Chromium."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import browser_util
import pytest

from awrach_analysis import config

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("notebook_exports")]

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("0[1-6]_*.ipynb"))
JUPYTER = Path(sys.executable).parent / "jupyter"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The six analyst notebooks, executed and exported by one plain nbconvert command."""
    out = tmp_path_factory.mktemp("exports")
    cmd = [str(JUPYTER), "nbconvert", "--to", "html", "--execute", "--output-dir", str(out)]
    proc = subprocess.run([*cmd, *map(str, NOTEBOOKS)], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return {nb.stem: out / f"{nb.stem}.html" for nb in NOTEBOOKS}


def test_the_six_notebooks_are_there():
    assert [nb.name[:3] for nb in NOTEBOOKS] == ["01_", "02_", "03_", "04_", "05_", "06_"]


@pytest.mark.parametrize("name", [nb.stem for nb in NOTEBOOKS])
def test_exported_notebook_draws_every_chart_offline(exported, browser, name):
    html = exported[name].read_text(encoding="utf-8")
    assert html.count('id="plotly-js"') == 1, "plotly.js once per page"
    visit = browser_util.visit(browser, exported[name])
    try:
        assert visit.external_requests == []
        assert not visit.figures_timed_out
        figures = browser_util.plotly_summary(visit.page)
        for fig in figures:
            assert fig["drawn"] and fig["svgs"] > 0, fig
        for fig in figures:
            if "choropleth" in fig["traces"]:
                assert fig["choropleth_paths"] >= 10, fig  # Khénifra: 22 communes
        assert html.count("plotly-graph-div") >= len(figures)
        print(name, len(figures), "figures")
    finally:
        visit.close()
