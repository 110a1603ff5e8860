"""The synthetic samples' allocation rule: shares in proportion to unemployed, with dispersion.

Published figures stop at the province (FACTS.md has no per-commune breakdown), so the
generators must place sites and jobs in communes themselves. They do it with one rule,
stated in every sample's README: a unit's expected share is its number of unemployed
(HCP, RGPH 2024) times a log-normal factor (median 1, ``dispersion`` its log standard
deviation, clipped at ``CLIP`` standard deviations) drawn once per unit from the seed;
integer counts are then the largest-remainder rounding of ``total × share``, after giving
each unit its ``minimum``. Jobs per
unemployed person therefore vary around the provincial rate, as they would when
associations apply where they are, instead of being equal per commune whatever its size.
"""

from __future__ import annotations

import numpy as np

#: Log standard deviation of the dispersion factor: about two thirds of units get between
#: 0.7 and 1.4 times their proportional share.
DISPERSION = 0.35
#: The factor's logarithm is clipped at this many standard deviations (0.5 to 2 with the
#: default dispersion).
CLIP = 2.0


def largest_remainder(expected: np.ndarray, total: int) -> np.ndarray:
    """Round non-negative ``expected`` to integers summing to ``total`` (largest remainder).

    Ties go to the earlier unit, so the result depends only on the inputs.
    """
    expected = np.asarray(expected, dtype=float)
    if total < 0 or (expected < 0).any():
        raise ValueError("expected shares and total must be non-negative")
    if expected.sum() <= 0:
        if total == 0:
            return np.zeros(len(expected), dtype=np.int64)
        raise ValueError("cannot allocate a positive total over zero weights")
    scaled = expected * (total / expected.sum())
    base = np.floor(scaled).astype(np.int64)
    short = total - int(base.sum())
    if short:
        order = np.lexsort((np.arange(len(scaled)), -(scaled - base)))
        base[order[:short]] += 1
    return base


def dispersion_factors(
    n: int, rng: np.random.Generator, dispersion: float = DISPERSION
) -> np.ndarray:
    """Return ``n`` log-normal factors of median 1 (log standard deviation ``dispersion``).

    One draw per unit, in order, clipped at :data:`CLIP` standard deviations (with the
    default dispersion every factor lies between 0.5 and 2): a sample shows uneven
    coverage, never a commune left out or swamped by the luck of one draw. ``dispersion``
    0 gives ones without drawing. Draw them once to give several totals (sites, then
    jobs, wave after wave) the same per-unit factor.
    """
    if dispersion > 0:
        z = np.clip(rng.standard_normal(n), -CLIP, CLIP)
        return np.exp(dispersion * z)
    return np.ones(n)


def allocate(
    unemployed: np.ndarray,
    total: int,
    rng: np.random.Generator,
    *,
    dispersion: float = DISPERSION,
    minimum: int | np.ndarray = 0,
) -> np.ndarray:
    """Split ``total`` over units in proportion to their unemployed, with dispersion.

    Parameters
    ----------
    unemployed : array of numbers
        Unemployed people per unit (commune, arrondissement or province), RGPH 2024.
    total : int
        What to split (sites, jobs, people).
    rng : numpy.random.Generator
        Source of the dispersion factors (one draw per unit, in order).
    dispersion : float
        Log standard deviation of the factor; 0 gives the strictly proportional split.
    minimum : int or array of int
        Count every unit gets first, the same for all or one per unit (their sum must not
        exceed ``total``).

    Returns
    -------
    numpy.ndarray of int64
        Counts per unit, summing to ``total``.
    """
    weights = np.asarray(unemployed, dtype=float)
    n = len(weights)
    floor = np.broadcast_to(np.asarray(minimum, dtype=np.int64), (n,))
    if (floor < 0).any() or int(floor.sum()) > total:
        raise ValueError(f"cannot give {minimum} to each of {n} units out of {total}")
    share = np.clip(weights, 0, None) * dispersion_factors(n, rng, dispersion)
    if share.sum() <= 0:
        share = np.ones(n)
    rest = total - int(floor.sum())
    # the floor counts towards the proportional share: units that would get more than the
    # minimum anyway are not topped up twice
    target = share / share.sum() * total
    extra = np.clip(target - floor, 0, None)
    if extra.sum() <= 0:
        extra = share
    return floor + largest_remainder(extra, rest)


def equity_ratio(jobs: np.ndarray, unemployed: np.ndarray) -> np.ndarray:
    """Return each unit's jobs per unemployed person relative to the whole (1 = the mean).

    The indicator the equity charts show, normalised: ``(jobs / unemployed) /
    (Σ jobs / Σ unemployed)``; units with no unemployed get NaN.
    """
    jobs = np.asarray(jobs, dtype=float)
    unemployed = np.asarray(unemployed, dtype=float)
    overall = jobs.sum() / unemployed.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(unemployed > 0, jobs / unemployed / overall, np.nan)
