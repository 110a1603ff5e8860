"""Opening a notebook on a data set: month, wave and header."""

from __future__ import annotations

import pandas as pd
import pytest

from awrach_analysis.documents.notebook import start


@pytest.fixture(scope="module")
def latest():
    return start(echo=False)


def test_defaults_to_the_last_month_and_its_wave(latest):
    assert latest.as_of == pd.Timestamp("2023-12-01")
    assert latest.wave == 2023
    assert latest.program.province_code == "05.301"


def test_an_earlier_month_selects_the_wave_whose_target_covers_it():
    s = start(month="2022-06", lang="ar", echo=False)
    assert (s.as_of, s.wave, s.lang) == (pd.Timestamp("2022-06-01"), 2022, "ar")


def test_header_names_the_place_and_flags_sample_data(latest, capsys):
    start()
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Khénifra (05.301)")
    assert "2023" in out[1]
    assert any("synth" in line.lower() for line in out), "the sample banner is missing"
    assert latest.header().splitlines()[0] == out[0]
