"""The package as users get it: a wheel in a fresh virtualenv, used from an empty folder.

Nothing here may come from the checkout: the wheel is built, installed with its core
dependencies only (no editable install, no extras), and every command runs in an empty
temporary folder on the bundled sample shipped inside the wheel.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _run(cmd, cwd, env, timeout=900):
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd} -> {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh virtualenv holding the wheel of this checkout, and an empty working folder."""
    base = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"), "."],
        ROOT,
        env,
    )
    wheel = next((base / "dist").glob("awrach_analysis-*.whl"))
    venv.create(base / "venv", with_pip=True)
    bin_dir = base / "venv" / "bin"
    _run([str(bin_dir / "pip"), "install", "-q", str(wheel)], base, env)
    work = base / "work"
    work.mkdir()
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env.pop("AWRACH_SAMPLE_DIR", None)
    env.pop("AWRACH_REPORTS_DIR", None)
    return bin_dir, work, env


def test_the_installed_package_is_the_wheel_not_the_checkout(installed):
    bin_dir, work, env = installed
    out = _run(
        [str(bin_dir / "python"), "-c", "import awrach_analysis as a; print(a.__file__)"], work, env
    ).stdout
    assert str(bin_dir.parent) in out and str(ROOT) not in out


def test_validate_and_summary_work_on_the_bundled_sample(installed):
    bin_dir, work, env = installed
    out = _run([str(bin_dir / "awrach"), "validate"], work, env).stdout
    assert "_bundled" in out and "sample" in out
    summary = _run([str(bin_dir / "awrach"), "summary"], work, env).stdout
    assert re.search(r"^Agreements\s+84\s+61$", summary, re.M), summary
    # every commune has a 2022 site (published); 2023's 61 sites leave 5 small communes out
    assert re.search(r"^Communes covered\s+22\s+17$", summary, re.M), summary


def test_sample_report_slides_and_notebooks_write_into_the_working_folder(installed):
    bin_dir, work, env = installed
    awrach = str(bin_dir / "awrach")
    _run([awrach, "sample", "--out", "generated"], work, env)
    assert (work / "generated" / "progress.csv").is_file()
    _run([awrach, "report", "--month", "2023-12", "--lang", "fr"], work, env)
    reports = list((work / "reports").rglob("*.html"))
    assert any(r.name.endswith("_2023-12_fr.html") for r in reports), reports
    _run([awrach, "slides", "--month", "2023-12", "--lang", "ar"], work, env)
    assert list((work / "reports").rglob("*slides_ar.html"))
    _run([awrach, "notebooks", "nb"], work, env)
    assert (work / "nb" / "03_communes.ipynb").is_file()
    assert (work / "nb" / "03_communes.py").is_file()
    site = next((bin_dir.parent / "lib").glob("python3*/site-packages/awrach_analysis"))
    assert not list(site.rglob("*.html")), "nothing may be written inside the installed package"
