"""Validation rule codes: one enum, every code raised is declared, every declared code raised."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import awrach_analysis
from awrach_analysis.data import problems, validate
from awrach_analysis.data.rules import RULES, Rule

PACKAGE = Path(awrach_analysis.__file__).parent


def _sources(root: Path = PACKAGE) -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.py"))}


def _rule_parameters(trees) -> dict[str, int]:
    """Functions taking a ``rule`` argument: name -> its position as called."""
    found = {"Problem": -1}  # keyword only
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                if "rule" in names:
                    pos = names.index("rule") - (names[:1] == ["self"])
                    assert found.get(node.name, pos) == pos, node.name
                    found[node.name] = pos
    return found


def _raise_sites():
    """Yield (file, line, argument node) for every rule passed to a problem-making call.

    Problems are made in ``data/`` only (other layers never build a Problem).
    """
    trees = _sources(PACKAGE / "data")
    params = _rule_parameters(trees.values())
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name not in params:
                continue
            pos = params[name]
            if 0 <= pos < len(node.args):
                yield path, node.lineno, node.args[pos]
            for kw in node.keywords:
                if kw.arg == "rule":
                    yield path, node.lineno, kw.value


def _enum_uses() -> set[str]:
    """Names X of every ``Rule.X`` written in the package outside rules.py."""
    used = set()
    for path, tree in _sources().items():
        if path.name == "rules.py":
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "Rule"
            ):
                used.add(node.attr)
    return used


def test_scan_finds_the_raise_sites():
    # the scan itself must see the known raise sites, or the tests below prove nothing
    sites = list(_raise_sites())
    files = {p.name for p, _, _ in sites}
    assert {"validate.py", "load.py", "read.py", "plausibility.py"} <= files
    assert len(sites) > 40
    # nothing outside data/ builds a Problem
    outside = [p for p in _sources() if "data" not in p.relative_to(PACKAGE).parts]
    assert not any("Problem(" in p.read_text(encoding="utf-8") for p in outside)
    assert not any("problems.make(" in p.read_text(encoding="utf-8") for p in outside)


def test_every_code_raised_is_declared():
    members = set(Rule.__members__)
    assert _enum_uses() - members == set()
    literals = [
        (p.relative_to(PACKAGE).as_posix(), line, arg.value)
        for p, line, arg in _raise_sites()
        if isinstance(arg, ast.Constant)
    ]
    assert [lit for lit in literals if lit[2] not in set(Rule)] == []
    # codes are written as Rule members everywhere, the store included
    assert literals == []


def test_every_declared_code_is_raised():
    used = {Rule[name] for name in _enum_uses() & set(Rule.__members__)}
    used |= {
        Rule(arg.value)
        for _, _, arg in _raise_sites()
        if isinstance(arg, ast.Constant) and arg.value in set(Rule)
    }
    assert set(Rule) - used == set()


def test_every_code_is_documented_once():
    assert list(RULES) == list(Rule)  # same codes, same order as data/README.md
    severities = ("error", "warning", "error / warning", "error / info", "info")
    assert all(sev in severities and text for sev, text in RULES.values())
    assert validate.RULES is RULES


def test_problem_keeps_the_code_as_text():
    p = problems.make(Rule.RANGE, "problem.unit.jobs", file="f.csv", row=3)
    assert p.rule == "range" and type(p.rule) is str
    assert json.loads(json.dumps({"rule": Rule.RANGE})) == {"rule": "range"}
