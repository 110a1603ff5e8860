"""The ``awrach`` command as a user runs it: help, version, pipes, error exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from awrach_analysis import __version__
from awrach_analysis.cli import main

AWRACH = [sys.executable, "-m", "awrach_analysis"]


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("summary", "validate", "communes", "sample", "report", "slides"):
        assert command in out


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert __version__ in capsys.readouterr().out


def test_output_piped_into_head_ends_quietly():
    # `awrach summary --json | head -1`: the reader closes the pipe early.
    proc = subprocess.Popen(
        [*AWRACH, "summary", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    first = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert first.strip() == b"{"
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
    assert proc.returncode == 0


def test_unknown_province_is_exit_2_with_candidates(capsys):
    assert main(["communes", "--province", "Khenifr"]) == 2
    err = capsys.readouterr().err
    assert "Khénifra" in err or "Khenifra" in err


def test_missing_data_folder_is_exit_2(tmp_path, capsys):
    assert main(["summary", "--data", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err
