"""Notebooks are source: paired with jupytext, committed clean, thin, and they run top to bottom."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ANALYST_NOTEBOOKS = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]


def _ids(paths):
    return [p.stem for p in paths]


def test_there_are_analyst_notebooks_for_every_phase():
    stems = {p.stem.split("_", 1)[1] for p in ANALYST_NOTEBOOKS}
    for phase in ("data_quality", "overview", "communes", "progress", "partners", "inclusion"):
        assert any(phase in s for s in stems), f"no analyst notebook for {phase}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name}: a code cell has outputs"
            assert cell.execution_count is None, f"{path.name}: execution counts are set"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_in_sync_with_its_jupytext_pair(path):
    pair = path.with_suffix(".py")
    assert pair.exists(), f"{path.name} has no jupytext percent pair {pair.name}"
    from_py = jupytext.read(pair)
    from_ipynb = nbformat.read(path, as_version=4)
    src_py = [(c.cell_type, c.source.strip()) for c in from_py.cells]
    src_nb = [(c.cell_type, c.source.strip()) for c in from_ipynb.cells]
    assert src_py == src_nb, f"{path.name} and {pair.name} differ: run `jupytext --sync`"
    assert "formats" in from_ipynb.metadata.get("jupytext", {}), "pairing metadata missing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_is_thin(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    bullets = [ln for ln in first.source.splitlines() if re.match(r"\s*[-*] ", ln)]
    assert 3 <= len(bullets) <= 5, f"{path.name}: opening cell should have 3-5 bullets"
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, f"{path.name}: needs exactly one cell tagged 'parameters'"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef), (
                f"{path.name}: define functions in awrach_analysis, not in the notebook"
            )
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
                name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
                assert name not in {
                    "open",
                    "read_csv",
                    "read_excel",
                    "read_parquet",
                    "read_file",
                }, f"{path.name}: read data through awrach_analysis.load(), not {name}()"
