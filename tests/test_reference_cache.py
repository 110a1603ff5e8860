"""The on-disk cache of reference frames: the same frame as built, never stale, optional."""

import pandas as pd
import pytest

from awrach_analysis.reference import arrondissements, cache


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("AWRACH_CACHE_DIR", str(tmp_path))
    arrondissements._all_units.cache_clear()
    yield tmp_path
    arrondissements._all_units.cache_clear()


def test_the_country_units_read_from_the_cache_equal_the_built_ones(fresh):
    built = arrondissements._build_all_units()
    first = arrondissements.all_units()  # builds and writes the file
    files = list(fresh.glob("units-*.parquet"))
    assert len(files) == 1 and cache.digest() in files[0].name
    arrondissements._all_units.cache_clear()
    again = arrondissements.all_units()  # read from the file
    pd.testing.assert_frame_equal(first, built, check_exact=True)
    pd.testing.assert_frame_equal(again, built, check_exact=True)
    assert again.crs == built.crs and len(again) == 1544


def test_a_damaged_file_is_rebuilt_and_off_turns_the_cache_off(fresh, monkeypatch):
    calls = []

    def build():
        calls.append(1)
        return arrondissements._build_all_units().head(3)

    path = fresh / f"tiny-{cache.digest()}.parquet"
    path.write_bytes(b"not parquet")
    assert len(cache.cached_frame("tiny", build)) == 3 and calls == [1]
    assert len(cache.cached_frame("tiny", build)) == 3 and calls == [1]  # now from the file
    monkeypatch.setenv("AWRACH_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    cache.cached_frame("tiny", build)
    assert calls == [1, 1]


def test_an_unwritable_cache_is_skipped(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("AWRACH_CACHE_DIR", str(blocker / "sub"))
    frame = cache.cached_frame("tiny", lambda: arrondissements._build_all_units().head(2))
    assert len(frame) == 2
