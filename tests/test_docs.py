"""Documentation that names tests names real ones: docs/data-quality.md stays honest."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cited_tests(text: str) -> list[tuple[str, str]]:
    """Return (file, test) pairs cited as ``file.py::test`` or ``::test`` (same file)."""
    cited = []
    for line in text.splitlines():
        current = None
        for m in re.finditer(r"`(?:(test_\w+\.py))?::(test_\w+)(?:\[[^\]]*\])?`", line):
            current = m.group(1) or current
            assert current, f"a '::test' reference without its file: {line}"
            cited.append((current, m.group(2)))
    return cited


def test_every_test_named_in_the_data_quality_table_exists():
    text = (ROOT / "docs" / "data-quality.md").read_text(encoding="utf-8")
    cited = _cited_tests(text)
    assert len(cited) >= 30
    missing = [
        f"{f}::{name}"
        for f, name in cited
        if not re.search(rf"^def {name}\(", (ROOT / "tests" / f).read_text(encoding="utf-8"), re.M)
    ]
    assert not missing, missing


def test_the_data_quality_table_lists_at_least_thirty_classes():
    text = (ROOT / "docs" / "data-quality.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \|", text, re.M)
    assert len(rows) >= 30 and len(set(rows)) == len(rows)
