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


def test_derived_geometry_is_cached_by_its_input_only(fresh):
    from awrach_analysis.figures.map_base import _dissolve, province_shapes
    from awrach_analysis.reference.display import _uncovered_areas, uncovered_areas

    units = arrondissements.all_units()
    keep = ("province_fr", "province_ar", "region_code")
    built = _dissolve(units, "province_code", keep)
    pd.testing.assert_frame_equal(province_shapes(units), built, check_exact=True)
    pd.testing.assert_frame_equal(province_shapes(units), built, check_exact=True)  # cached
    assert len(list(fresh.glob("provinces-*.parquet"))) == 1
    # another input (one province less) is another key, never the cached country
    fewer = units[units["province_code"] != "05.301"]
    assert "05.301" not in set(province_shapes(fewer)["province_code"])
    assert len(list(fresh.glob("provinces-*.parquet"))) == 2
    holes = _uncovered_areas(units, 1.0)
    pd.testing.assert_frame_equal(
        uncovered_areas(units).reset_index(drop=True), holes.reset_index(drop=True)
    )
    # a province's few communes are derived again each time (no file)
    khenifra = units[units["province_code"] == "05.301"]
    province_shapes(khenifra)
    assert len(list(fresh.glob("provinces-*.parquet"))) == 2
