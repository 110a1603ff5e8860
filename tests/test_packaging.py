"""Project plumbing: dependencies in step, Makefile help, CI entry point, README commands."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_runtime() -> dict[str, str]:
    """Core dependencies plus the [lab] and [pdf] extras: what environment.yml provides."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = data["project"]["optional-dependencies"]
    requirements = [*data["project"]["dependencies"], *extras["lab"], *extras["pdf"]]
    return {_name(r): r.replace(" ", "") for r in requirements}


def _environment_yml() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps: dict[str, str] = {}
    for item in env["dependencies"]:
        specs = item["pip"] if isinstance(item, dict) else [item]
        for spec in specs:
            spec = spec.replace(" ", "")
            name = _name(spec)
            if name in {"python", "pip"} or spec.startswith("-e"):
                continue
            deps[name] = spec
    return deps


def test_environment_yml_lists_the_runtime_dependencies_of_pyproject():
    py, env = _pyproject_runtime(), _environment_yml()
    assert set(py) == set(env), (
        f"only in pyproject.toml: {sorted(set(py) - set(env))}; "
        f"only in environment.yml: {sorted(set(env) - set(py))}"
    )
    drifted = {n: (py[n], env[n]) for n in py if py[n] != env[n]}
    assert not drifted, f"version specifiers differ (pyproject, environment.yml): {drifted}"


def test_bare_make_lists_every_target_with_a_line_each():
    out = subprocess.run(
        ["make", "--no-print-directory"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    for target in ("report", "test", "bench", "lab", "sample", "system-deps"):
        assert re.search(rf"^\s+make {target}\s+\S", out, re.M), f"`make` does not list {target}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make report" in readme
    commands = [ln.strip() for ln in ci.splitlines() if ln.strip() and not ln.startswith("#")]
    assert "make test" in commands
    # CI does nothing the README does not also tell users to do.
    for cmd in commands:
        if cmd.startswith("make "):
            assert cmd.split()[1] in readme, f"{cmd!r} is in .ci/run but not in README.md"


def test_readme_opens_with_a_paragraph_then_the_two_commands_and_a_folder_tree():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_section = text.split("\n## ")[1]
    assert first_section.startswith("Two commands")
    tree = re.search(r"## Folders\n\n```\n(.*?)```", text, re.S).group(1)
    listed = {ln.split()[0].rstrip("/") for ln in tree.splitlines() if ln.strip()}
    for folder in ("awrach_analysis", "data", "notebooks", "reports", "tests"):
        assert folder in listed
    for folder in listed:
        assert (ROOT / folder).exists(), f"README lists {folder}/ which does not exist"


def _lock_direct() -> set[str]:
    """Packages the lock file pins because pyproject.toml asks for them directly."""
    direct: set[str] = set()
    current = None
    for line in (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^([A-Za-z0-9._-]+)==", line):
            current = _name(m.group(1))
        elif current and re.search(r"^\s+#\s+(via\s+)?awrach-analysis\b", line):
            direct.add(current)
    return direct


def test_lock_file_pins_exactly_the_dependencies_of_pyproject():
    """requirements/lock.txt is regenerated (`make lock`) whenever a dependency changes."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = data["project"]["optional-dependencies"]
    wanted = {_name(r) for r in data["project"]["dependencies"]}
    for extra in ("dev", "lab", "pdf", "bench"):
        wanted |= {_name(r) for r in extras[extra] if not r.startswith("awrach-analysis")}
    assert _lock_direct() == wanted
