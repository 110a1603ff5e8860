"""A tiny hand-countable ``Program`` for tests, docs and examples (no file I/O).

Every number below is made up for testing, except the commune codes and names (HCP) and
the national target (circular 03/2022). The province targets here are *not* the published
Khénifra targets (1,100 and 953): they are small so that percentages stay readable.

Communes (made-up round figures; geometry: made-up 0.1° squares, EPSG:4326)
---------------------------------------------------------------------------

============  ===========  ======  =========  ==========  =======  ======  ==========
commune_code  name_fr      type    cercle     population  active   rate %  unemployed
============  ===========  ======  =========  ==========  =======  ======  ==========
05.301.01.01  Khénifra     urban   (none)     120,000     34,000   25.0    8,500
05.301.07.07  El Hammam    rural   05.301.07  10,000      2,500    20.0    500
05.301.05.25  Sidi Lamine  rural   05.301.05  16,000      4,000    25.0    1,000
============  ===========  ======  =========  ==========  =======  ======  ==========

Totals: population 146,000; unemployed 10,000. The urban municipality belongs to no
cercle (``cercle_code`` is missing), as in the HCP nomenclature. Cercle 05.301.07 is
Aguelmous, cercle 05.301.05 is Khénifra.

Partners
--------

====  ======================  =========================================
id    type                    role
====  ======================  =========================================
P01   association             implements A2201, A2301
P02   association             implements A2202
P03   cooperative             implements A2203, A2302
P04   decentralized_service   co-signs A2201, A2202, A2302 (no project)
P05   decentralized_service   co-signs A2202, A2203, A2301 (no project)
====  ======================  =========================================

Agreements: A2201 (P01, 2022-02-15, 300,000 MAD), A2202 (P02, 2022-02-20, 200,000),
A2203 (P03, 2022-03-01, 150,000) in wave 2022; A2301 (P01, 2023-01-10, 250,000),
A2302 (P03, 2023-01-15, 100,000) in wave 2023.

Projects
--------

======  =====  ====  ============  =====================  ===============  =====  ======  =======
id      agr.   wave  commune       domain                 planned          jobs   p-m     budget
======  =====  ====  ============  =====================  ===============  =====  ======  =======
K22-01  A2201  2022  05.301.01.01  site_works_environment 2022-03..2022-06  10     40      180,000
K22-02  A2201  2022  05.301.01.01  education_support      2022-03..2022-06  10     40      120,000
K22-03  A2202  2022  05.301.07.07  trails                 2022-03..2022-06  12     48      150,000
K22-04  A2203  2022  05.301.05.25  heritage               2022-04..2022-06  10     30      150,000
K22-05  A2202  2022  05.301.07.07  culture_sport          2022-05..2022-06  6      12      50,000
K23-01  A2301  2023  05.301.01.01  archive_digitisation   2023-02..2023-04  8      24      150,000
K23-02  A2301  2023  05.301.05.25  social_care            2023-02..2023-05  6      24      100,000
K23-03  A2302  2023  05.301.07.07  green_spaces           2023-03..2023-05  5      15      100,000
======  =====  ====  ============  =====================  ===============  =====  ======  =======

Planned dates run from the 1st of the first month to the last day of the last month.
Planned jobs: 48 in 2022, 19 in 2023, 67 in all. Budgets: 650,000 + 350,000 = 1,000,000.

Monthly progress (jobs filled / women / youth / person-days / physical % / status)
-----------------------------------------------------------------------------------

Wages paid are always ``person_days * 100`` MAD (a made-up daily rate).

======  =================  =================  ================  ==================
id      2022-03            2022-04            2022-05           2022-06
======  =================  =================  ================  ==================
K22-01  10/3/6/220/25 ong  10/3/6/220/50 ong  10/3/6/220/75 ong 10/3/6/220/100 compl
K22-02  0/0/0/0/0 planned  0/0/0/0/0 planned  8/4/5/176/50 ong  8/4/5/176/100 compl
K22-03  12/2/7/264/20 ong  12/2/7/264/40 ong  0/0/0/0/40 susp   0/0/0/0/40 susp
K22-04  (before start)     5/5/2/100/10 ong   (no report)       6/6/2/120/100 compl
K22-05  (before start)     (before start)     0/0/0/0/0 cancel  (none after)
======  =================  =================  ================  ==================

======  ================  ================  =================  ================
id      2023-02           2023-03           2023-04            2023-05
======  ================  ================  =================  ================
K23-01  8/2/4/176/30 ong  8/2/4/176/60 ong  8/2/4/176/100 compl (none after)
K23-02  6/3/3/132/20 ong  6/3/3/132/40 ong  6/3/3/132/40 ong   6/3/3/132/40 ong
K23-03  (never reports: not started)
======  ================  ================  =================  ================

What each project exercises: K22-01 normal; K22-02 late start (actual 2022-05, planned
2022-03: 2 months late; peak 8 of 10 = exactly 80 %, *not* underfilled); K22-03 suspended
since 2022-05 and overdue after 2022-06; K22-04 missing report 2022-05 and underfilled
(peak 6 of 10); K22-05 cancelled; K23-01 normal; K23-02 stalled (40 % in 2023-03, -04,
-05: unchanged for 2 consecutive reported months at 2023-05, only 1 at 2023-04);
K23-03 not started (planned start 2023-03 passed, no report). The last month with
progress is 2023-05.

Monthly totals (jobs filled / women / youth / person-days / wages MAD):

- 2022-03: 22 / 5 / 13 / 484 / 48,400
- 2022-04: 27 / 10 / 15 / 584 / 58,400
- 2022-05: 18 / 7 / 11 / 396 / 39,600
- 2022-06: 24 / 13 / 13 / 516 / 51,600   (wave 2022: 1,980 person-days = 90 FTE-months)
- 2022-07 .. 2023-01: no progress
- 2023-02: 14 / 5 / 7 / 308 / 30,800
- 2023-03: 14 / 5 / 7 / 308 / 30,800
- 2023-04: 14 / 5 / 7 / 308 / 30,800
- 2023-05: 6 / 3 / 3 / 132 / 13,200     (wave 2023: 1,056 person-days = 48 FTE-months)

All: 3,036 person-days (138 FTE-months at 22 days), wages 303,600 MAD.

Beneficiaries (51 people; ``B01``..``B51``; youth = age band 15–24 or 25–34)
-----------------------------------------------------------------------------

======  ======  =====  =====  ==========================================================
id      people  women  youth  contracts
======  ======  =====  =====  ==========================================================
K22-01  11      3      7      10 from 2022-03-01; one young man resigns 2022-04-30 and is
                              replaced by a young man from 2022-05-01; all end 2022-06-30
K22-02  8       4      5      2022-05-01 .. 2022-06-30
K22-03  12      2      7      2022-03-01 .. 2022-04-30 (site stopped)
K22-04  6       6      2      5 from 2022-04-01, 1 (not young) from 2022-06-01; to 06-30
K23-01  8       2      4      2023-02-01 .. 2023-04-30
K23-02  6       3      3      from 2023-02-01, no end yet
======  ======  =====  =====  ==========================================================

Totals: 51 people, 20 women, 28 youth; wave 2022: 37 / 15 / 21; wave 2023: 14 / 5 / 7.
By commune: Khénifra 27 (9 women), El Hammam 12 (2 women), Sidi Lamine 12 (9 women).
People by contract start month (new beneficiaries): 2022-03: 22, 2022-04: 5,
2022-05: 9, 2022-06: 1, 2023-02: 14. Jobs to date: 22, 27, 36, 37 (2022), 51 (2023-02 on).
Peak monthly jobs filled per project: K22-01 10, K22-02 8, K22-03 12, K22-04 6, K22-05 0,
K23-01 8, K23-02 6, K23-03 0; sum 36 (2022) + 14 (2023) = 50. That sum is the lower bound
of jobs to date used when there is no beneficiaries table; it misses the one replacement
(50 < 51).

Targets
-------

=============  ========  ======  ====  =================  ========
target_id      scope     code    wave  period             jobs
=============  ========  ======  ====  =================  ========
T-MA-2022-2023 national  MA      —     2022-01..2023-12   250,000
T-05.301-2022  province  05.301  2022  2022-01..2022-12   40
T-05.301-2023  province  05.301  2023  2023-01..2023-12   20
=============  ========  ======  ====  =================  ========
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from .model import schema
from .model.program import Program
from .reference.communes import COLUMNS
from .reference.facts import PUBLISHED_TARGETS

#: Where the tiny fixture says its made-up figures come from.
TINY_SOURCE = "tiny test fixture (made up)"

_COMMUNES = (
    # code, name_fr, name_ar, type, cercle code/fr/ar, pop 2024, pop 2014, households,
    # active, rate %, unemployed, square lower-left corner (lon, lat)
    (
        "05.301.01.01",
        "Khénifra",
        "خنيفرة",
        "urban",
        None,
        None,
        None,
        120_000,
        115_000,
        30_000,
        34_000,
        25.0,
        8_500,
        (-5.70, 32.90),
    ),
    (
        "05.301.07.07",
        "El Hammam",
        "الحمام",
        "rural",
        "05.301.07",
        "Aguelmous",
        "أكلموس",
        10_000,
        12_000,
        2_500,
        2_500,
        20.0,
        500,
        (-5.90, 33.10),
    ),
    (
        "05.301.05.25",
        "Sidi Lamine",
        "سيدي لامين",
        "rural",
        "05.301.05",
        "Khénifra",
        "خنيفرة",
        16_000,
        16_500,
        4_000,
        4_000,
        25.0,
        1_000,
        (-5.50, 32.80),
    ),
)

_PARTNERS = (
    ("P01", "Association Amal", "جمعية الأمل", "association", "05.301.01.01"),
    ("P02", "Association Ajdir", "جمعية أجدير", "association", "05.301.07.07"),
    ("P03", "Coopérative Azghar", "تعاونية أزغار", "cooperative", "05.301.05.25"),
    (
        "P04",
        "Direction provinciale de l'Agriculture",
        "المديرية الإقليمية للفلاحة",
        "decentralized_service",
        "05.301.01.01",
    ),
    (
        "P05",
        "Direction provinciale de l'Éducation nationale",
        "المديرية الإقليمية للتربية الوطنية",
        "decentralized_service",
        "05.301.01.01",
    ),
)

_AGREEMENTS = (
    ("A2201", "2022-02-15", "P01", "P04", 300_000.0, 2022),
    ("A2202", "2022-02-20", "P02", "P04;P05", 200_000.0, 2022),
    ("A2203", "2022-03-01", "P03", "P05", 150_000.0, 2022),
    ("A2301", "2023-01-10", "P01", "P05", 250_000.0, 2023),
    ("A2302", "2023-01-15", "P03", "P04", 100_000.0, 2023),
)

_PROJECTS = (
    # id, agreement, title fr, title ar, domain, commune, start, end, jobs, p-m, budget
    (
        "K22-01",
        "A2201",
        "Nettoyage des berges de l'Oum Er-Rbia",
        "تنظيف ضفاف أم الربيع",
        "site_works_environment",
        "05.301.01.01",
        "2022-03-01",
        "2022-06-30",
        10,
        40.0,
        180_000.0,
    ),
    (
        "K22-02",
        "A2201",
        "Soutien scolaire au quartier Amalou",
        "الدعم المدرسي بحي أمالو",
        "education_support",
        "05.301.01.01",
        "2022-03-01",
        "2022-06-30",
        10,
        40.0,
        120_000.0,
    ),
    (
        "K22-03",
        "A2202",
        "Réhabilitation de la piste d'El Hammam",
        "إصلاح مسلك الحمام",
        "trails",
        "05.301.07.07",
        "2022-03-01",
        "2022-06-30",
        12,
        48.0,
        150_000.0,
    ),
    (
        "K22-04",
        "A2203",
        "Restauration de la kasbah de Sidi Lamine",
        "ترميم قصبة سيدي لامين",
        "heritage",
        "05.301.05.25",
        "2022-04-01",
        "2022-06-30",
        10,
        30.0,
        150_000.0,
    ),
    (
        "K22-05",
        "A2202",
        "Animation culturelle et sportive",
        "تنشيط ثقافي ورياضي",
        "culture_sport",
        "05.301.07.07",
        "2022-05-01",
        "2022-06-30",
        6,
        12.0,
        50_000.0,
    ),
    (
        "K23-01",
        "A2301",
        "Numérisation des archives communales",
        "رقمنة الأرشيف الجماعي",
        "archive_digitisation",
        "05.301.01.01",
        "2023-02-01",
        "2023-04-30",
        8,
        24.0,
        150_000.0,
    ),
    (
        "K23-02",
        "A2301",
        "Accompagnement des personnes âgées",
        "مواكبة الأشخاص المسنين",
        "social_care",
        "05.301.05.25",
        "2023-02-01",
        "2023-05-31",
        6,
        24.0,
        100_000.0,
    ),
    (
        "K23-03",
        "A2302",
        "Aménagement d'espaces verts",
        "تهيئة المساحات الخضراء",
        "green_spaces",
        "05.301.07.07",
        "2023-03-01",
        "2023-05-31",
        5,
        15.0,
        100_000.0,
    ),
)

# project, month, jobs, women, youth, person-days, physical %, status
_PROGRESS = (
    ("K22-01", "2022-03", 10, 3, 6, 220, 25, "ongoing"),
    ("K22-01", "2022-04", 10, 3, 6, 220, 50, "ongoing"),
    ("K22-01", "2022-05", 10, 3, 6, 220, 75, "ongoing"),
    ("K22-01", "2022-06", 10, 3, 6, 220, 100, "completed"),
    ("K22-02", "2022-03", 0, 0, 0, 0, 0, "planned"),
    ("K22-02", "2022-04", 0, 0, 0, 0, 0, "planned"),
    ("K22-02", "2022-05", 8, 4, 5, 176, 50, "ongoing"),
    ("K22-02", "2022-06", 8, 4, 5, 176, 100, "completed"),
    ("K22-03", "2022-03", 12, 2, 7, 264, 20, "ongoing"),
    ("K22-03", "2022-04", 12, 2, 7, 264, 40, "ongoing"),
    ("K22-03", "2022-05", 0, 0, 0, 0, 40, "suspended"),
    ("K22-03", "2022-06", 0, 0, 0, 0, 40, "suspended"),
    ("K22-04", "2022-04", 5, 5, 2, 100, 10, "ongoing"),
    ("K22-04", "2022-06", 6, 6, 2, 120, 100, "completed"),
    ("K22-05", "2022-05", 0, 0, 0, 0, 0, "cancelled"),
    ("K23-01", "2023-02", 8, 2, 4, 176, 30, "ongoing"),
    ("K23-01", "2023-03", 8, 2, 4, 176, 60, "ongoing"),
    ("K23-01", "2023-04", 8, 2, 4, 176, 100, "completed"),
    ("K23-02", "2023-02", 6, 3, 3, 132, 20, "ongoing"),
    ("K23-02", "2023-03", 6, 3, 3, 132, 40, "ongoing"),
    ("K23-02", "2023-04", 6, 3, 3, 132, 40, "ongoing"),
    ("K23-02", "2023-05", 6, 3, 3, 132, 40, "ongoing"),
)

#: Made-up daily wage of the fixture (MAD per person-day).
TINY_DAILY_WAGE_MAD = 100.0

# project, people, women, youth, start, end, exit reason (special cases in _beneficiaries)
_COHORTS = (
    ("K22-01", 10, 3, 6, "2022-03-01", "2022-06-30", "contract_end"),
    ("K22-02", 8, 4, 5, "2022-05-01", "2022-06-30", "contract_end"),
    ("K22-03", 12, 2, 7, "2022-03-01", "2022-04-30", "project_stopped"),
    ("K22-04", 5, 5, 2, "2022-04-01", "2022-06-30", "contract_end"),
    ("K23-01", 8, 2, 4, "2023-02-01", "2023-04-30", "contract_end"),
    ("K23-02", 6, 3, 3, "2023-02-01", None, None),
)

_OLD_BANDS = ("35-44", "45-54", "55+")
_YOUNG_BANDS = ("15-24", "25-34")
_EDUCATION = ("none", "primary", "secondary", "higher")


def _beneficiaries() -> pd.DataFrame:
    rows: list[dict] = []
    commune_of = {p[0]: p[5] for p in _PROJECTS}

    def add(project, sex, young, start, end, exit_reason):
        i = len(rows)
        bands = _YOUNG_BANDS if young else _OLD_BANDS
        rows.append(
            {
                "beneficiary_key": f"B{i + 1:02d}",
                "project_id": project,
                "sex": sex,
                "age_band": bands[i % len(bands)],
                "education": _EDUCATION[i % len(_EDUCATION)],
                "residence_commune": commune_of[project],
                "start_date": start,
                "end_date": end,
                "exit_reason": exit_reason,
            }
        )

    for project, people, women, youth, start, end, exit_reason in _COHORTS:
        for k in range(people):
            # The first ``women`` people are women; youth are the *last* ``youth`` people,
            # so that women and youth overlap as little as the counts allow.
            add(
                project,
                "female" if k < women else "male",
                k >= people - youth,
                start,
                end,
                exit_reason,
            )
        if project == "K22-01":
            # The last person (a young man) resigns on 2022-04-30 ...
            rows[-1]["end_date"] = "2022-04-30"
            rows[-1]["exit_reason"] = "resigned"
            # ... and a young man replaces him from 2022-05-01.
            add(project, "male", True, "2022-05-01", "2022-06-30", "contract_end")
        if project == "K22-04":
            add(project, "female", False, "2022-06-01", "2022-06-30", "contract_end")
    return pd.DataFrame(rows)


#: Columns of :data:`~.reference.communes.COLUMNS` holding whole numbers and decimals.
_COMMUNE_INTS = (
    "population_2024",
    "population_2014",
    "households_2024",
    "active_2024",
    "unemployed_2024",
)
_COMMUNE_FLOATS = ("unemployment_rate_2024", "area_km2")


def _communes(province_code: str) -> gpd.GeoDataFrame:
    """Return the 3 communes as :func:`~.reference.communes.province_communes` would."""
    rows = []
    for *fields, (x, y) in _COMMUNES:
        names, figures = fields[:7], fields[7:]  # code .. cercle_ar, then population ..
        province = (province_code, "Khénifra", "خنيفرة", "05")
        square = box(x, y, x + 0.1, y + 0.1)
        rows.append((*names, *province, *figures, 100.0, True, square))
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in COLUMNS:
        if col in _COMMUNE_INTS:
            df[col] = df[col].astype("Int64")
        elif col in _COMMUNE_FLOATS:
            df[col] = df[col].astype("Float64")
        elif col == "has_boundary":
            df[col] = df[col].astype(bool)
        elif col != "geometry":
            df[col] = df[col].astype("string")
    return gpd.GeoDataFrame(df, geometry="geometry", crs="EPSG:4326")


def tiny_program() -> Program:
    """Return the tiny hand-countable programme described in this module's docstring.

    Returns
    -------
    Program
        A fresh ``Program`` (safe to modify) with typed tables built by
        :func:`awrach_analysis.model.schema.coerce`: 5 partners, 5 agreements in waves 2022 and
        2023, 8 projects over 3 communes of Khénifra, 22 progress rows, 51 beneficiaries
        and 3 targets. ``is_sample`` is True (the figures are made up).
    """
    province_code = "05.301"
    partners = pd.DataFrame(
        _PARTNERS, columns=["partner_id", "name_fr", "name_ar", "partner_type", "home_commune"]
    )
    agreements = pd.DataFrame(
        _AGREEMENTS,
        columns=["agreement_id", "signed_on", "partner_id", "cosigners", "budget_mad", "wave"],
    )
    projects = pd.DataFrame(
        _PROJECTS,
        columns=[
            "project_id",
            "agreement_id",
            "title_fr",
            "title_ar",
            "domain",
            "commune_code",
            "planned_start",
            "planned_end",
            "planned_jobs",
            "planned_person_months",
            "budget_mad",
        ],
    )
    progress = pd.DataFrame(
        _PROGRESS,
        columns=[
            "project_id",
            "month",
            "jobs_filled",
            "women",
            "youth",
            "person_days",
            "physical_progress_pct",
            "status",
        ],
    )
    progress["person_days"] = progress["person_days"].astype(float)
    progress["physical_progress_pct"] = progress["physical_progress_pct"].astype(float)
    progress["wages_paid_mad"] = progress["person_days"] * TINY_DAILY_WAGE_MAD
    targets = pd.DataFrame(
        [
            next(t for t in PUBLISHED_TARGETS if t["scope"] == "national"),
            {
                "target_id": "T-05.301-2022",
                "scope": "province",
                "scope_code": province_code,
                "wave": 2022,
                "period_start": "2022-01",
                "period_end": "2022-12",
                "jobs_target": 40,
                "source": TINY_SOURCE,
            },
            {
                "target_id": "T-05.301-2023",
                "scope": "province",
                "scope_code": province_code,
                "wave": 2023,
                "period_start": "2023-01",
                "period_end": "2023-12",
                "jobs_target": 20,
                "source": TINY_SOURCE,
            },
        ]
    )
    return Program(
        partners=schema.coerce(partners, "partners"),
        agreements=schema.coerce(agreements, "agreements"),
        projects=schema.coerce(projects, "projects"),
        progress=schema.coerce(progress, "progress"),
        beneficiaries=schema.coerce(_beneficiaries(), "beneficiaries"),
        targets=schema.coerce(targets, "targets"),
        communes=_communes(province_code),
        province_code=province_code,
        province="Khénifra",
        is_sample=True,
        problems=pd.DataFrame(),
        quarantine={},
        rows_read={},
        source=None,
        fingerprint="",
        meta={"generator": "awrach_analysis.testing.tiny_program", "notes": TINY_SOURCE},
    )
