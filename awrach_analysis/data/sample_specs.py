"""Parameters, vocabulary and wave specifications of the synthetic sample programme.

Everything :mod:`awrach_analysis.data.sample_build` draws from: the synthetic constants
(wages, working days, start months), the reference communes of a province, month helpers, the
French/Arabic vocabulary of titles and partner names, and the per-wave specifications that
reproduce the published facts of :mod:`awrach_analysis.reference.facts`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from .. import config
from ..errors import AwrachError
from ..model import months
from ..reference import facts

#: Value of ``generator`` in ``dataset.json``.
GENERATOR = "awrach sample"

#: Synthetic daily wage per wave (MAD). No Awrach wage in dirhams is published; this is the
#: order of magnitude of the legal minimum wages (SMAG/SMIG) of the period.
DAILY_WAGE_MAD: dict[int, float] = {2022: 100.0, 2023: 105.0}
#: Working days in a full month of work (synthetic; a few absences are drawn on top).
WORKING_DAYS_PER_MONTH = 22
#: Supervision fee per beneficiary-month used in budgets (the published Ifrane example).
SUPERVISION_FEE_MAD = 190.0
#: Synthetic share of women for waves without a published figure.
SYNTHETIC_WOMEN_SHARE = 0.18
#: Last month any generated activity may reach.
LAST_MONTH = "2023-12"
#: Months in which 2022 (Awrach 1) sites may start (drawn at random, weighted early).
STARTS_2022 = ("2022-03", "2022-04", "2022-05", "2022-06", "2022-07")
#: Start months of the 2023 (Awrach 2) cohorts. With the published 3-month contracts the last
#: cohort (October) works until December 2023, so monthly reports run to the end of 2023.
STARTS_2023 = ("2023-02", "2023-05", "2023-08", "2023-10")
#: Agreements of a 2023 cohort are signed in the months before it starts (synthetic).
SIGN_LEAD_MONTHS_2023 = 2
#: Positions every site plans at least (fewer only when a wave has fewer jobs than that per
#: site); the rest of a commune's jobs is split between its sites by domain and chance.
MIN_JOBS_PER_SITE = 4

_KHENIFRA = config.DEFAULT_PROVINCE_CODE

SYNTHETIC_NOTE = (
    "Synthetic data set. Only the figures listed in 'facts' are published (see README.md for "
    "each source); every name, date, amount, person and monthly figure is made up by the "
    "generator. Beneficiaries are pseudonymous keys, not real people."
)

# ---------------------------------------------------------------------------------------------
# Reference communes (HCP census via the communes module)
# ---------------------------------------------------------------------------------------------


#: Share of a divided city's allocation weight left on the city's own code (synthetic): the
#: projects whose partner names the city but not the arrondissement, shown as "<city>
#: (arrondissement non précisé)". The rest goes to the arrondissements.
CITY_UNASSIGNED_SHARE = 0.02


def unit_weights(units: pd.DataFrame, weight: np.ndarray) -> np.ndarray:
    """Return the allocation weights of ``units``: ``weight``, the cities' own rows apart.

    Parameters
    ----------
    units : pandas.DataFrame
        Units (``unit_type``, ``parent_commune_code``, ``commune_code``), as
        :func:`awrach_analysis.reference.arrondissements.unit_table` gives them.
    weight : array of float
        Each unit's weight (its unemployed, maybe weighted); a city's own row has none.

    Returns
    -------
    numpy.ndarray
        ``weight``, except that a divided city's own row gets
        :data:`CITY_UNASSIGNED_SHARE` of the summed weights of its arrondissements.
    """
    out = np.asarray(weight, dtype=float).copy()
    kind = units["unit_type"].astype(str).to_numpy()
    city = kind == "city"
    if city.any():
        parent = units["parent_commune_code"].astype(str).to_numpy()
        arr = kind == "arrondissement"
        sums = pd.Series(out[arr]).groupby(parent[arr]).sum()
        codes = units["commune_code"].astype(str).to_numpy()[city]
        out[city] = CITY_UNASSIGNED_SHARE * sums.reindex(codes).fillna(0.0).to_numpy()
    return out


def _province_reference(province: str) -> tuple[str, str, pd.DataFrame]:
    """Return (HCP code, French name, units) of ``province``.

    The units are the province's communes, each divided city replaced by its
    arrondissements plus the city's own row (``reference.arrondissements.unit_table``).
    The frame has ``commune_code`` (the unit's code), ``name_fr, name_ar, commune_type,
    population_2024, unemployed_2024, unit_type, parent_commune_code, place_fr, place_ar``
    (the name in titles: the city's plain name on its own row) and ``weight`` (the
    allocation weight, :func:`unit_weights` of the unemployed), sorted by code. A commune
    without a census unemployment figure (a few in the far south) gets its population times
    the province's unemployed per inhabitant; a city's own row has neither (0).
    """
    from ..reference import communes as ref
    from ..reference.arrondissements import unit_table

    code = ref.resolve_province(province)
    units = unit_table()
    units = units[units["province_code"] == code].reset_index(drop=True)
    city = (units["unit_type"] == "city").to_numpy()
    population = units["population_2024"].fillna(0).astype("int64").to_numpy()
    # an integer column (RGPH 2024); only a unit without a census figure is NaN here
    unemployed = units["unemployed_2024"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    known = ~np.isnan(unemployed)
    rate = unemployed[known].sum() / population[known].sum() if population[known].sum() else 0
    unemployed = np.where(known, unemployed, np.round(population * rate))
    unemployed[city] = 0
    names = {lang: units[f"name_{lang}"].astype(str).to_numpy() for lang in ("fr", "ar")}
    plain = ref.commune_table().set_index("commune_code")
    parents = units["parent_commune_code"].astype(str).to_numpy()
    frame = pd.DataFrame(
        {
            "commune_code": units["commune_code"].astype(str).to_numpy(),
            "name_fr": names["fr"],
            "name_ar": names["ar"],
            "commune_type": units["commune_type"].astype(str).to_numpy(),
            "population_2024": population,
            "unemployed_2024": unemployed.astype("int64"),
            "unit_type": units["unit_type"].astype(str).to_numpy(),
            "parent_commune_code": parents,
            "place_fr": np.where(
                city, plain["name_fr"].reindex(parents).astype(str).to_numpy(), names["fr"]
            ),
            "place_ar": np.where(
                city, plain["name_ar"].reindex(parents).astype(str).to_numpy(), names["ar"]
            ),
        }
    ).sort_values("commune_code", ignore_index=True)
    if frame.empty:
        raise AwrachError(f"Province {province!r} ({code}) has no commune to put projects in.")
    frame["weight"] = unit_weights(frame, frame["unemployed_2024"].to_numpy(float))
    name = ref.provinces().set_index("code").loc[code, "name_fr"]
    return code, str(name), frame


# ---------------------------------------------------------------------------------------------
# Months and small helpers
# ---------------------------------------------------------------------------------------------


def _month(text: str) -> int:
    """Return the month ordinal of ``YYYY-MM`` (:func:`awrach_analysis.model.months.ordinal`)."""
    return months.ordinal(months.to_month(text))


def _first_day(m: int) -> date:
    return months.from_ordinal(m).date()


def _days_in(m: int) -> int:
    return int(months.from_ordinal(m).days_in_month)


def _last_day(m: int) -> date:
    return _first_day(m).replace(day=_days_in(m))


def _month_text(m: int) -> str:
    return months.month_text(months.from_ordinal(m))


def _starts_with_vowel(text: str) -> bool:
    first = unicodedata.normalize("NFD", text[:1])[:1].upper()
    return first in "AEIOUY"


def _de(name: str) -> str:
    """French ``de`` with elision: ``d'Aguelmous``, ``de Lehri``."""
    return f"d'{name}" if _starts_with_vowel(name) else f"de {name}"


# ---------------------------------------------------------------------------------------------
# Vocabulary of the synthetic content (names and titles in French and Arabic)
# ---------------------------------------------------------------------------------------------

#: Decentralized state services that co-sign agreements, with the domains they follow.
_SERVICES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "SD-AGR",
        "Direction provinciale de l'Agriculture",
        "المديرية الإقليمية للفلاحة",
        ("site_works_environment", "green_spaces"),
    ),
    (
        "SD-EDU",
        "Direction provinciale de l'Éducation nationale",
        "المديرية الإقليمية للتربية الوطنية",
        ("education_support", "literacy"),
    ),
    ("SD-SAN", "Délégation de la Santé", "مندوبية الصحة", ("social_care", "elderly_care")),
    (
        "SD-EQU",
        "Direction provinciale de l'Équipement",
        "المديرية الإقليمية للتجهيز",
        ("trails", "public_buildings"),
    ),
    (
        "SD-JEC",
        "Délégation de la Jeunesse et de la Culture",
        "مندوبية الشباب والثقافة",
        ("culture_sport", "heritage", "archive_digitisation"),
    ),
    (
        "SD-EFO",
        "Direction provinciale des Eaux et Forêts",
        "المديرية الإقليمية للمياه والغابات",
        ("site_works_environment", "trails", "green_spaces"),
    ),
    (
        "SD-ENT",
        "Délégation de l'Entraide nationale",
        "مندوبية التعاون الوطني",
        ("social_care", "elderly_care", "literacy"),
    ),
)

#: Domain weights: the five Awrach 1 domains published for Khénifra dominate.
_DOMAIN_WEIGHTS: dict[str, float] = {
    "site_works_environment": 0.22,
    "green_spaces": 0.12,
    "trails": 0.07,
    "heritage": 0.04,
    "public_buildings": 0.07,
    "social_care": 0.12,
    "elderly_care": 0.04,
    "education_support": 0.13,
    "literacy": 0.05,
    "archive_digitisation": 0.07,
    "culture_sport": 0.07,
}
#: The domains published for Khénifra's Awrach 1 (rni.ma): each appears in every wave.
_PUBLISHED_DOMAINS = (
    "site_works_environment",
    "social_care",
    "education_support",
    "archive_digitisation",
    "culture_sport",
)
#: Relative size of a site by domain (manual works employ more people).
_DOMAIN_SIZE = {
    "site_works_environment": 1.3,
    "green_spaces": 1.2,
    "trails": 1.3,
    "heritage": 1.0,
    "public_buildings": 1.1,
    "social_care": 0.8,
    "elderly_care": 0.7,
    "education_support": 0.8,
    "literacy": 0.7,
    "archive_digitisation": 0.6,
    "culture_sport": 0.8,
}
#: Relative chance that a position goes to a woman, by domain.
_DOMAIN_WOMEN = {
    "site_works_environment": 0.4,
    "green_spaces": 0.7,
    "trails": 0.3,
    "heritage": 0.6,
    "public_buildings": 0.4,
    "social_care": 3.0,
    "elderly_care": 3.0,
    "education_support": 3.0,
    "literacy": 3.0,
    "archive_digitisation": 2.5,
    "culture_sport": 1.2,
}
#: Domains whose workers are mostly schooled.
_SKILLED_DOMAINS = ("education_support", "literacy", "archive_digitisation")
_EDUCATION_P = {"manual": (0.78, 0.14, 0.07, 0.01), "skilled": (0.10, 0.15, 0.50, 0.25)}
_AGE_P = (0.31, 0.37, 0.18, 0.10, 0.04)  # 15-24, 25-34, 35-44, 45-54, 55+ (skewed young)

#: Titles per domain, French and Arabic, with the commune name inserted.
_TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    "site_works_environment": (
        ("Nettoyage et entretien des berges de l'oued à {fr}", "تنظيف وصيانة ضفاف الوادي ب{ar}"),
        (
            "Plantation d'arbres et lutte contre l'érosion à {fr}",
            "غرس الأشجار ومحاربة التعرية ب{ar}",
        ),
        ("Collecte et tri des déchets à {fr}", "جمع وفرز النفايات ب{ar}"),
        ("Chantier de protection de l'environnement à {fr}", "ورش حماية البيئة ب{ar}"),
    ),
    "green_spaces": (
        ("Aménagement des espaces verts à {fr}", "تهيئة المساحات الخضراء ب{ar}"),
        ("Entretien des jardins publics à {fr}", "صيانة الحدائق العمومية ب{ar}"),
    ),
    "trails": (
        ("Réhabilitation des pistes rurales à {fr}", "إصلاح المسالك القروية ب{ar}"),
        ("Aménagement de sentiers pédestres à {fr}", "تهيئة ممرات الراجلين ب{ar}"),
    ),
    "heritage": (
        ("Restauration du patrimoine bâti à {fr}", "ترميم التراث المعماري ب{ar}"),
        ("Valorisation du patrimoine local à {fr}", "تثمين التراث المحلي ب{ar}"),
    ),
    "public_buildings": (
        ("Entretien et peinture des écoles à {fr}", "صيانة وصباغة المدارس ب{ar}"),
        ("Réhabilitation des bâtiments communaux à {fr}", "إعادة تأهيل البنايات الجماعية ب{ar}"),
    ),
    "social_care": (
        (
            "Accompagnement social des familles vulnérables à {fr}",
            "المواكبة الاجتماعية للأسر في وضعية هشاشة ب{ar}",
        ),
        (
            "Aide aux personnes en situation de handicap à {fr}",
            "مساعدة الأشخاص في وضعية إعاقة ب{ar}",
        ),
    ),
    "elderly_care": (
        ("Aide à domicile aux personnes âgées à {fr}", "المساعدة المنزلية للمسنين ب{ar}"),
    ),
    "education_support": (
        ("Soutien scolaire aux élèves du primaire à {fr}", "الدعم المدرسي لتلاميذ الابتدائي ب{ar}"),
        ("Animation du préscolaire à {fr}", "تنشيط التعليم الأولي ب{ar}"),
    ),
    "literacy": (("Cours d'alphabétisation des adultes à {fr}", "دروس محو الأمية للكبار ب{ar}"),),
    "archive_digitisation": (
        ("Numérisation des archives de l'état civil à {fr}", "رقمنة أرشيف الحالة المدنية ب{ar}"),
        ("Numérisation des archives communales à {fr}", "رقمنة الأرشيف الجماعي ب{ar}"),
    ),
    "culture_sport": (
        (
            "Animation culturelle et sportive des jeunes à {fr}",
            "التنشيط الثقافي والرياضي للشباب ب{ar}",
        ),
        ("Animation de la maison de jeunes à {fr}", "تنشيط دار الشباب ب{ar}"),
    ),
}

_ASSOCIATION_STEMS = (
    ("Al Amal", "الأمل"),
    ("Annour", "النور"),
    ("Tiwizi", "تويزة"),
    ("Al Wifaq", "الوفاق"),
    ("Ajial", "أجيال"),
    ("Attadamoun", "التضامن"),
    ("Al Khair", "الخير"),
    ("Attawasol", "التواصل"),
    ("Assafaa", "الصفاء"),
    ("Al Fath", "الفتح"),
    ("Al Massira", "المسيرة"),
    ("Annahda", "النهضة"),
    ("Al Baraka", "البركة"),
    ("Al Mostakbal", "المستقبل"),
    ("Al Ikhlass", "الإخلاص"),
    ("Assalam", "السلام"),
    ("Tilelli", "تيليلي"),
    ("Tifawin", "تيفاوين"),
    ("Azetta", "أزطا"),
    ("Al Wahda", "الوحدة"),
    ("Al Irada", "الإرادة"),
    ("Al Yasmine", "الياسمين"),
    ("Al Atlas", "الأطلس"),
    ("Al Majd", "المجد"),
    ("Al Fajr", "الفجر"),
    ("Arrahma", "الرحمة"),
)
_ASSOCIATION_PURPOSES = (
    ("pour le développement", "للتنمية"),
    ("des œuvres sociales", "للأعمال الاجتماعية"),
    ("pour l'environnement", "للبيئة"),
    ("culturelle et sportive", "الثقافية والرياضية"),
    ("pour l'éducation et la formation", "للتربية والتكوين"),
    ("pour le développement durable", "للتنمية المستدامة"),
    ("de la jeunesse", "للشباب"),
    ("d'aide aux personnes âgées", "لمساعدة المسنين"),
)
_COOPERATIVE_STEMS = (
    ("Tifaout", "تيفاوت"),
    ("Izourane", "إزوران"),
    ("Aghbalou", "أغبالو"),
    ("Tamazirt", "تمازيرت"),
    ("Assif", "أسيف"),
    ("Adrar", "أدرار"),
    ("Tagadirt", "تاكاديرت"),
    ("Ighrem", "إغرم"),
)
_COOPERATIVE_ACTIVITIES = (
    ("agricole", "الفلاحية"),
    ("de services et travaux", "للخدمات والأشغال"),
    ("des plantes aromatiques et médicinales", "للنباتات العطرية والطبية"),
    ("apicole", "لتربية النحل"),
    ("forestière", "الغابوية"),
)
#: Domains a cooperative is given when there is a choice.
_COOPERATIVE_DOMAINS = ("site_works_environment", "green_spaces", "trails")

_EXIT_EARLY = ("resigned", "found_job", "dismissed", "other")
_EXIT_EARLY_P = (0.45, 0.35, 0.10, 0.10)
_ABSENCES = (0, 0, 0, 0, 1, 1, 2)

# ---------------------------------------------------------------------------------------------
# Wave specifications
# ---------------------------------------------------------------------------------------------


@dataclass
class _Trouble:
    """How many projects of a wave get each kind of trouble."""

    late_start: int = 0
    suspended: int = 0
    cancelled: int = 0
    missing_report: int = 0
    underfilled: int = 0


@dataclass
class _WaveSpec:
    wave: int
    projects: int
    planned_jobs: int
    beneficiaries: int
    women: int
    partners: int
    cooperatives: int
    start_months: tuple[str, ...]
    start_weights: tuple[float, ...]
    durations: tuple[int, ...]
    duration_weights: tuple[float, ...]
    sign_window: tuple[str, str]
    trouble: _Trouble
    #: Whether every commune gets at least one site (published for Khénifra in 2022).
    every_commune: bool = False
    #: When > 0, an agreement is signed at most this many months before its site starts
    #: (within ``sign_window``); 0 means anywhere in ``sign_window``.
    sign_lead_months: int = 0
    reuse_share: float = 0.0
    target: int = 0
    target_source: str = ""


def _wave_specs(code: str, communes: pd.DataFrame) -> tuple[list[_WaveSpec], list[str]]:
    """Return the wave specifications of ``code`` and the fact keys they reproduce."""
    n_communes = len(communes)
    durations_2022 = (3, 4, 5, 6, 7, 8)
    duration_w_2022 = (0.08, 0.10, 0.17, 0.30, 0.17, 0.18)  # mean 5.9 months
    contract_2023 = int(facts.fact("contract_months_2023"))
    targets = {t["wave"]: t for t in facts.PUBLISHED_TARGETS if t["scope_code"] == code}

    if code == _KHENIFRA:
        n22 = int(facts.fact("projects_2022"))
        if int(facts.fact("agreements_2022")) != n22 or int(facts.fact("communes_2022")) != (
            n_communes
        ):
            raise AwrachError("facts.py and the commune reference disagree for Khénifra.")
        jobs22 = int(facts.fact("jobs_target_2022"))
        ben22 = int(facts.fact("beneficiaries_2022"))
        women22 = int(facts.fact("women_2022"))
        coops22 = int(facts.fact("cooperatives_2022"))
        partners22 = int(facts.fact("associations_2022")) + coops22
        n23 = int(facts.fact("sites_2023"))
        ben23 = int(facts.fact("beneficiaries_2023"))
        jobs23 = ben23  # one position per published beneficiary
        keys = [
            "agreements_2022",
            "associations_2022",
            "cooperatives_2022",
            "partners_2022",
            "projects_2022",
            "communes_2022",
            "jobs_target_2022",
            "beneficiaries_2022",
            "women_2022",
            "men_2022",
            "sites_2023",
            "beneficiaries_2023",
            "jobs_target_2023",
            "contract_months_2023",
            "jobs_target_national",
        ]
        target22, target23 = targets[2022]["jobs_target"], targets[2023]["jobs_target"]
        src22, src23 = targets[2022]["source"], targets[2023]["source"]
    else:
        ratio = float(communes["population_2024"].sum()) / facts.fact("population_2024_khenifra")
        n22 = max(n_communes, round(facts.fact("projects_2022") * ratio))
        jobs22 = max(round(facts.fact("jobs_target_2022") * ratio), 6 * n22)
        ben22 = jobs22
        women22 = round(ben22 * SYNTHETIC_WOMEN_SHARE)
        partners22 = min(n22, max(2, round(facts.fact("partners_2022") * ratio)))
        coops22 = max(1, round(facts.fact("cooperatives_2022") * ratio))
        n23 = max(1, round(facts.fact("sites_2023") * ratio))
        ben23 = max(round(facts.fact("beneficiaries_2023") * ratio), 6 * n23)
        jobs23 = ben23
        keys = ["contract_months_2023", "jobs_target_national"]
        target22 = jobs22
        target23 = round(facts.fact("jobs_target_2023") * ratio)
        src22 = src23 = (
            "synthetic: Khénifra's published figure scaled by population (RGPH 2024); "
            "no figure is published for this province"
        )

    partners23 = min(n23, max(1, round(n23 * partners22 / n22)))
    return [
        _WaveSpec(
            wave=2022,
            projects=n22,
            planned_jobs=jobs22,
            beneficiaries=ben22,
            women=women22,
            partners=partners22,
            cooperatives=min(coops22, partners22 - 1),
            start_months=STARTS_2022,
            start_weights=(0.30, 0.28, 0.20, 0.12, 0.10),
            durations=durations_2022,
            duration_weights=duration_w_2022,
            sign_window=("2022-02", "2022-03"),
            trouble=_Trouble(
                late_start=4, suspended=1, cancelled=1, missing_report=2, underfilled=4
            ),
            every_commune=True,
            target=int(target22),
            target_source=src22,
        ),
        _WaveSpec(
            wave=2023,
            projects=n23,
            planned_jobs=jobs23,
            beneficiaries=ben23,
            women=round(ben23 * SYNTHETIC_WOMEN_SHARE),
            partners=partners23,
            cooperatives=1 if partners23 > 2 else 0,
            start_months=STARTS_2023,
            start_weights=(0.34, 0.26, 0.22, 0.18),
            durations=(contract_2023,),
            duration_weights=(1.0,),
            sign_window=("2023-01", STARTS_2023[-1]),
            sign_lead_months=SIGN_LEAD_MONTHS_2023,
            trouble=_Trouble(late_start=2, missing_report=1, underfilled=2),
            reuse_share=0.75,
            target=int(target23),
            target_source=src23,
        ),
    ], keys
