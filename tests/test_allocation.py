"""The samples' allocation rule: proportional to unemployed, with dispersion, exact totals."""

import numpy as np
import pytest

from awrach_analysis.data.allocation import allocate, equity_ratio, largest_remainder


def test_largest_remainder_by_hand():
    # 10 × (1, 2, 3, 4) / 10 = 1, 2, 3, 4 exactly; 7 over (1, 1, 1): 2.33 each -> 3, 2, 2
    assert largest_remainder(np.array([1, 2, 3, 4]), 10).tolist() == [1, 2, 3, 4]
    assert largest_remainder(np.array([1, 1, 1]), 7).tolist() == [3, 2, 2]
    # 5 over (0.5, 0.3, 0.2): 2.5, 1.5, 1.0 -> floors 2, 1, 1, the 0.5 tie goes first
    assert largest_remainder(np.array([0.5, 0.3, 0.2]), 5).tolist() == [3, 1, 1]


def test_without_dispersion_the_split_is_proportional():
    unemployed = np.array([100, 300, 600])
    counts = allocate(unemployed, 50, np.random.default_rng(0), dispersion=0)
    assert counts.tolist() == [5, 15, 30]
    assert np.allclose(equity_ratio(counts, unemployed), 1.0)


def test_minimum_is_given_once_not_on_top_of_a_larger_share():
    unemployed = np.array([10, 1000, 1000])
    counts = allocate(unemployed, 20, np.random.default_rng(0), dispersion=0, minimum=1)
    # proportional: 0.0995, 9.95, 9.95; above the minimum: 0, 8.95, 8.95, scaled to the 17
    # left: 0, 8.5, 8.5 -> 0, 9, 8 (the tie goes first), plus the minimum
    assert counts.tolist() == [1, 10, 9]
    assert counts.sum() == 20


def test_dispersion_keeps_totals_and_stays_near_proportional():
    rng = np.random.default_rng(2022)
    unemployed = rng.integers(200, 20000, size=400)
    counts = allocate(unemployed, 100_000, np.random.default_rng(7))
    assert counts.sum() == 100_000
    ratio = equity_ratio(counts, unemployed)
    q10, q90 = np.quantile(ratio, [0.1, 0.9])
    assert 0.5 < q10 < 1 < q90 < 2  # log-normal, sigma 0.35: about 0.64 and 1.56
    assert ratio.max() < 4


def test_impossible_minimum_is_refused():
    with pytest.raises(ValueError, match="cannot give"):
        allocate(np.array([1, 2, 3]), 2, np.random.default_rng(0), minimum=1)
