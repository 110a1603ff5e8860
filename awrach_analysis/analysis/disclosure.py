"""The publication rule for counts of people by sex and age: no differencing isolates < 5 people.

Threat model (PRIVACY.md, "Disclosure across months and tables"): a reader holds every
report ever published and subtracts figures: the same group in two consecutive months,
a cercle and some of its communes, a breakdown's total and the province figure, or any
mix of these. Suppressing small cells inside one table does not stop that: one December
hire on one site shows as +1 person, +1 woman between two reports, all other cells
unchanged. The rule:

1. **Per project, a published state that moves by at least k people.** For every project
   the people counted in the sex/age figures are those of its *published state*: the
   contracts started by the end of its last *release month*. A project's state moves
   to month m (a release) only when at least k people (``config.SMALL_COUNT_THRESHOLD``,
   5) have joined it since its previous release; otherwise it stays where it was. So
   every release adds a batch of at least k people, and every count any table shows is a
   sum of whole batches: the difference of any two figures built from project groups
   (any level, any month, totals included) is again a sum of whole batches, 0 or >= k
   people. Decisions at month m use only data up to m, so the published state of a past
   month never changes when later months are added.
2. **Tables by a person's attribute (age band, education) move as a whole.** Such a table
   is counted on the published state of rule 1 at its own *table month*, which moves
   forward only when, for every group of the table, the people added since the table
   month before are 0 or at least k. Its cells then change by 0 or >= k between two
   reports, and its total differs from the province figure by whole batches.
3. **Every figure of people by sex or age comes from these states**, totals included
   (inclusion tables, the women and youth shares of the headline cards, slides,
   notebooks): nothing is computed from the unpublished people. Small cells are then
   suppressed in each table as before (``indicators.suppress_small``).
4. **Monthly series too.** The month-by-month women and youth of ``monthly_jobs`` and
   ``monthly_breakdown`` are the published state of rule 1 at the end of each month
   (cumulative, with its ``people_published``), the same figure a report of that month
   gives; ``breakdown()``'s women and youth are its published state; the card's reading
   "women among the people at work this month" (``other_readings["women_share_month"]``)
   counts the published state of the projects with jobs filled in the month. The
   partners' monthly women/youth counts of positions occupied are *not* published: they
   go up and down with the people at work, so two consecutive months can differ by one
   person of known sex (choice: one rule for every sex/age figure, rather than a second
   rule for flows such as rounding, which would not bound a difference of two months).

Cost: people join the sex/age figures late (in batches of k per project) and a project
with fewer than k people never enters them; the monthly series lag the jobs to date by 1
to 3 months on the sample (up to 6 in a quiet spell), and the flow of women at work in a
month is no longer shown. :func:`release_index` is the only function deciding it.
"""

from __future__ import annotations

import numpy as np

from .. import config

__all__ = ["release_index", "table_index", "entry_month"]

#: People compared at once by :func:`entry_month` (bounds its temporary matrix).
_BLOCK = 65_536


def release_index(people: np.ndarray, threshold: int = config.SMALL_COUNT_THRESHOLD) -> np.ndarray:
    """Return, for every project and month, the month of its published state.

    Parameters
    ----------
    people : numpy.ndarray
        ``(projects, months)`` cumulative people of each project at the end of each month
        of a contiguous month grid (non-decreasing along months).
    threshold : int
        Smallest batch of people a release may add (5).

    Returns
    -------
    numpy.ndarray
        ``(projects, months)`` of int: the grid position of the project's last release at
        or before each month, ``-1`` while nothing of the project is published. A release
        happens at month ``m`` when ``people[:, m]`` exceeds the people of the previous
        release by ``threshold`` or more.

    Examples
    --------
    >>> release_index(np.array([[1, 4, 6, 8, 11, 11]])).tolist()
    [[-1, -1, 2, 2, 4, 4]]
    """
    people = np.asarray(people)
    n, m = people.shape
    out = np.full((n, m), -1, dtype="int64")
    published = np.zeros(n, dtype=people.dtype if people.size else "int64")
    last = np.full(n, -1, dtype="int64")
    for j in range(m):
        moves = people[:, j] - published >= threshold
        published[moves] = people[moves, j]
        last[moves] = j
        out[:, j] = last
    return out


def entry_month(releases: np.ndarray, project: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Return the grid month at which each person enters the published state (-1: never).

    Parameters
    ----------
    releases : numpy.ndarray
        :func:`release_index` output, ``(projects, months)``.
    project, start : numpy.ndarray
        Project position and contract start (grid position) of each person.

    Returns
    -------
    numpy.ndarray
        The first month ``j >= start`` whose published state of the person's project has
        moved to ``start`` or later, or ``-1`` when that never happens within the grid.
    """
    releases = np.asarray(releases)
    project = np.asarray(project, dtype="int64")
    start = np.asarray(start, dtype="int64")
    n_months = releases.shape[1]
    out = np.full(len(project), -1, dtype="int64")
    grid = np.arange(n_months)
    inside = np.flatnonzero((start >= 0) & (start < n_months))
    # people by blocks: a (block, months) boolean matrix, first True of each row
    for lo in range(0, len(inside), _BLOCK):
        rows = inside[lo : lo + _BLOCK]
        s = start[rows, None]
        hit = (releases[project[rows]] >= s) & (grid >= s)
        found = hit.any(axis=1)
        out[rows[found]] = hit[found].argmax(axis=1)
    return out


def table_index(
    groups: np.ndarray,
    entry: np.ndarray,
    n_months: int,
    threshold: int = config.SMALL_COUNT_THRESHOLD,
) -> np.ndarray:
    """Return, for each month, the month a table by a person's attribute is counted at.

    Parameters
    ----------
    groups : numpy.ndarray
        Group code (0..k-1) of each person in the table (age band, education...).
    entry : numpy.ndarray
        :func:`entry_month` of each person (``-1``: never published).
    n_months : int
        Length of the month grid.
    threshold : int
        Smallest change of a group between two table months (5).

    Returns
    -------
    numpy.ndarray
        For every grid month, the grid month at which the table is counted (``-1``: an
        empty table): the last month ``j`` at which every group changed by 0 or at least
        ``threshold`` people since the previous table month.
    """
    k = int(groups.max()) + 1 if len(groups) else 0
    counts = np.zeros((n_months, k), dtype="int64")
    ok = entry >= 0
    if k:
        np.add.at(counts, (entry[ok], groups[ok]), 1)
    cumulative = counts.cumsum(axis=0)
    out = np.full(n_months, -1, dtype="int64")
    current = np.zeros(k, dtype="int64")
    last = -1
    for j in range(n_months):
        change = cumulative[j] - current if k else np.zeros(0, dtype="int64")
        if change.any() and ((change == 0) | (change >= threshold)).all():
            current = cumulative[j].copy()
            last = j
        out[j] = last
    return out
