"""Generate the deterministic sample data set: published facts plus labelled synthetic detail.

For Khénifra (HCP ``05.301``) the sample reproduces every published figure of
:mod:`awrach_analysis.reference.facts`
(84 agreements, 42 associations and 4 cooperatives, 84 projects
over the 22 communes, 1,100 jobs and beneficiaries of whom 183 women; 61 sites and 1,257
beneficiaries in 2023, quota 953). For any other province the same structure is scaled by
population and the province targets are marked synthetic. Everything else (names, dates,
durations, jobs per project, people, wages...) is synthetic and documented table by table
in the ``README.md`` written next to the data (:func:`readme_text`).

The generator is pure (:func:`generate` returns frames); :func:`write_sample` writes them.
The same seed gives byte-identical files.
"""

from __future__ import annotations

import calendar
import csv
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import config, i18n
from ..errors import AwrachError
from ..model import schema
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

_KHENIFRA = config.DEFAULT_PROVINCE_CODE

SYNTHETIC_NOTE = (
    "Synthetic data set. Only the figures listed in 'facts' are published (see README.md for "
    "each source); every name, date, amount, person and monthly figure is made up by the "
    "generator. Beneficiaries are pseudonymous keys, not real people."
)

# ---------------------------------------------------------------------------------------------
# Reference communes (HCP census via the communes module)
# ---------------------------------------------------------------------------------------------


def _province_reference(province: str) -> tuple[str, str, pd.DataFrame]:
    """Return (HCP code, French name, communes) of ``province``.

    The communes frame has ``commune_code, name_fr, name_ar, commune_type, population_2024``,
    sorted by code.
    """
    from ..reference import communes as ref

    code = ref.resolve_province(province)
    gdf = ref.province_communes(code)
    frame = pd.DataFrame(
        {
            "commune_code": gdf["commune_code"].astype(str).to_numpy(),
            "name_fr": gdf["name_fr"].astype(str).to_numpy(),
            "name_ar": gdf["name_ar"].astype(str).to_numpy(),
            "commune_type": gdf["commune_type"].astype(str).to_numpy(),
            "population_2024": gdf["population_2024"].astype("int64").to_numpy(),
        }
    ).sort_values("commune_code", ignore_index=True)
    if frame.empty:
        raise AwrachError(f"Province {province!r} ({code}) has no commune to put projects in.")
    return code, str(gdf["province_fr"].iloc[0]), frame


# ---------------------------------------------------------------------------------------------
# Months and small helpers
# ---------------------------------------------------------------------------------------------


def _month(text: str) -> int:
    """Return the month index (year * 12 + month - 1) of ``YYYY-MM``."""
    year, month = text.split("-")
    return int(year) * 12 + int(month) - 1


def _first_day(m: int) -> date:
    return date(m // 12, m % 12 + 1, 1)


def _days_in(m: int) -> int:
    return calendar.monthrange(m // 12, m % 12 + 1)[1]


def _last_day(m: int) -> date:
    return date(m // 12, m % 12 + 1, _days_in(m))


def _month_text(m: int) -> str:
    return f"{m // 12:04d}-{m % 12 + 1:02d}"


def _allocate(total: int, weights, minimum: int = 0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights``, each at least ``minimum``.

    Largest-remainder rounding, ties broken by position: deterministic and exact.
    """
    w = np.asarray(weights, dtype=float)
    rest = total - minimum * len(w)
    if rest < 0:
        raise ValueError(f"cannot give {minimum} to each of {len(w)} items out of {total}")
    share = w / w.sum() * rest
    out = np.floor(share).astype(int)
    order = np.argsort(-(share - out), kind="stable")
    out[order[: rest - out.sum()]] += 1
    return out + minimum


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


# ---------------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------------


@dataclass
class _Project:
    index: int
    commune: int  # row of the communes frame
    domain: str
    planned_jobs: int
    duration: int
    planned_start: int  # month index
    project_id: str = ""
    agreement_id: str = ""
    partner_id: str = ""
    delay: int = 0
    suspended: bool = False
    cancelled: bool = False
    missing_month: int | None = None
    staffed: int = 0
    schedule: list[tuple[int, str, int]] = field(default_factory=list)  # month, state, k


@dataclass
class _Person:
    project: int
    slot: int
    start: int
    end: int
    end_day: int | None
    exit_reason: str
    sex: str = "male"
    age_band: str = "25-34"
    education: str = "none"
    residence: str = ""
    key: str = ""


class _Builder:
    """Accumulate the rows of every table, wave after wave."""

    def __init__(self, code: str, communes: pd.DataFrame, seed: int):
        self.code = code
        self.communes = communes
        self.seed = seed
        self.partners: list[dict[str, Any]] = []
        self.agreements: list[dict[str, Any]] = []
        self.projects: list[dict[str, Any]] = []
        self.progress: list[dict[str, Any]] = []
        self.beneficiaries: list[dict[str, Any]] = []
        self.trouble: dict[str, Any] = {
            "late_start": [],
            "suspended": [],
            "cancelled": [],
            "underfilled": [],
            "missing_report": [],
            "replacements": {},
        }
        self._names: set[str] = set()
        self._counters = {"association": 0, "cooperative": 0}
        self._combo_order: dict[str, list[tuple[int, int]]] = {}
        self._seat = int(np.argmax(communes["population_2024"].to_numpy()))
        self.last_month = _month(LAST_MONTH)
        for sid, fr, ar, _ in _SERVICES:
            self.partners.append(
                {
                    "partner_id": sid,
                    "name_fr": fr,
                    "name_ar": ar,
                    "partner_type": "decentralized_service",
                    "home_commune": communes["commune_code"].iloc[self._seat],
                }
            )
        self.wave_partners: dict[int, list[str]] = {}

    # --- names --------------------------------------------------------------------------

    def _new_partner(self, kind: str, commune: int, rng: np.random.Generator) -> str:
        stems, purposes = (
            (_ASSOCIATION_STEMS, _ASSOCIATION_PURPOSES)
            if kind == "association"
            else (_COOPERATIVE_STEMS, _COOPERATIVE_ACTIVITIES)
        )
        if kind not in self._combo_order:
            combos = [(i, j) for i in range(len(stems)) for j in range(len(purposes))]
            self._combo_order[kind] = [combos[i] for i in rng.permutation(len(combos))]
        cfr = self.communes["name_fr"].iloc[commune]
        car = self.communes["name_ar"].iloc[commune]
        order = self._combo_order[kind]
        for attempt in range(len(order) * 10):
            i, j = order[(self._counters[kind] + attempt) % len(order)]
            suffix = "" if attempt < len(order) else f" {attempt // len(order) + 1}"
            if kind == "association":
                fr = f"Association {stems[i][0]} {purposes[j][0]} {_de(cfr)}{suffix}"
                ar = f"جمعية {stems[i][1]} {purposes[j][1]} ب{car}{suffix}"
            else:
                fr = f"Coopérative {purposes[j][0]} {stems[i][0]} {_de(cfr)}{suffix}"
                ar = f"تعاونية {stems[i][1]} {purposes[j][1]} ب{car}{suffix}"
            if fr not in self._names:
                break
        self._names.add(fr)
        self._counters[kind] += 1
        prefix = "ASSO" if kind == "association" else "COOP"
        pid = f"{prefix}-{self._counters[kind]:03d}"
        self.partners.append(
            {
                "partner_id": pid,
                "name_fr": fr,
                "name_ar": ar,
                "partner_type": kind,
                "home_commune": self.communes["commune_code"].iloc[commune],
            }
        )
        return pid

    # --- one wave -----------------------------------------------------------------------

    def add_wave(self, spec: _WaveSpec) -> None:
        """Generate every row of one wave."""
        rng = np.random.default_rng([self.seed, spec.wave])
        projects = self._projects(spec, rng)
        self._partners_and_agreements(spec, projects, rng)
        self._inject_trouble(spec, projects, rng)
        people = self._people(spec, projects, rng)
        self._describe_people(spec, projects, people, rng)
        self._progress_rows(spec, projects, people, rng)

    def _projects(self, spec: _WaveSpec, rng: np.random.Generator) -> list[_Project]:
        n_c = len(self.communes)
        weights = self.communes["population_2024"].to_numpy(dtype=float) ** 0.6
        if spec.projects >= n_c:
            per_commune = _allocate(spec.projects, weights, minimum=1)
        else:
            chosen = rng.choice(n_c, spec.projects, replace=False, p=weights / weights.sum())
            per_commune = np.bincount(chosen, minlength=n_c)
        communes = np.repeat(np.arange(n_c), per_commune)
        domains = list(_DOMAIN_WEIGHTS)
        p = np.array(list(_DOMAIN_WEIGHTS.values()))
        drawn = [domains[i] for i in rng.choice(len(domains), spec.projects, p=p / p.sum())]
        # every published domain appears at least once (as far as there are projects)
        wanted = _PUBLISHED_DOMAINS[: spec.projects]
        for dom in wanted:
            if dom not in drawn:
                counts = pd.Series(drawn).value_counts()
                donor = next(i for i, d in enumerate(drawn) if d not in wanted or counts[d] > 1)
                drawn[donor] = dom
        size = np.array([_DOMAIN_SIZE[d] for d in drawn]) * rng.lognormal(0, 0.35, spec.projects)
        least = min(4, spec.planned_jobs // spec.projects)
        jobs = _allocate(spec.planned_jobs, size, minimum=least)
        sw = np.array(spec.start_weights)
        starts = rng.choice(len(spec.start_months), spec.projects, p=sw / sw.sum())
        # the last start month always has a site (so that the wave reaches its last month)
        # and, when there are enough sites, so has every other one: take a site from the
        # most crowded start month (no random draw, so a non-empty draw is left as it is)
        n_starts = len(spec.start_months)
        for s in reversed(range(n_starts)):
            counts = np.bincount(starts, minlength=n_starts)
            if counts[s] == 0 and (s == n_starts - 1 or spec.projects >= n_starts):
                donor = int(np.argmax(counts))
                if counts[donor] > 1 or s == n_starts - 1:
                    starts[np.flatnonzero(starts == donor)[-1]] = s
        dw = np.array(spec.duration_weights)
        durations = rng.choice(len(spec.durations), spec.projects, p=dw / dw.sum())
        width = max(3, len(str(spec.projects)))
        yy = spec.wave % 100
        out = []
        for i in range(spec.projects):
            proj = _Project(
                index=i,
                commune=int(communes[i]),
                domain=drawn[i],
                planned_jobs=int(jobs[i]),
                duration=int(spec.durations[durations[i]]),
                planned_start=_month(spec.start_months[starts[i]]),
            )
            proj.project_id = f"P{yy}-{i + 1:0{width}d}"
            proj.agreement_id = f"A{yy}-{i + 1:0{width}d}"
            out.append(proj)
        return out

    def _partners_and_agreements(
        self, spec: _WaveSpec, projects: list[_Project], rng: np.random.Generator
    ) -> None:
        n, k = len(projects), spec.partners
        sizes = np.ones(k, dtype=int)
        perm = rng.permutation(k)
        for e in range(n - k):
            sizes[perm[e % k]] += 1
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        groups = [list(range(bounds[g], bounds[g + 1])) for g in range(k)]
        # cooperatives take the groups with the most manual work
        manual = [
            sum(projects[i].domain in _COOPERATIVE_DOMAINS for i in grp) / len(grp)
            for grp in groups
        ]
        coop_groups = set(
            np.argsort(-np.array(manual) + rng.uniform(0, 0.01, k), kind="stable")[
                : spec.cooperatives
            ].tolist()
        )
        previous = [pid for w, ids in self.wave_partners.items() if w < spec.wave for pid in ids]
        homes = {p["partner_id"]: p["home_commune"] for p in self.partners}
        used: set[str] = set()
        ids: list[str] = []
        for g, grp in enumerate(groups):
            first = projects[grp[0]]
            kind = "cooperative" if g in coop_groups else "association"
            home = self.communes["commune_code"].iloc[first.commune]
            reuse = [
                pid
                for pid in previous
                if pid not in used and homes[pid] == home and pid.startswith(kind[:4].upper())
            ]
            if reuse and rng.uniform() < spec.reuse_share:
                pid = reuse[0]
            else:
                pid = self._new_partner(kind, first.commune, rng)
            used.add(pid)
            ids.append(pid)
            for i in grp:
                projects[i].partner_id = pid
        self.wave_partners[spec.wave] = ids

        sign_first = _month(spec.sign_window[0])
        sign_last = _month(spec.sign_window[1])
        for proj in projects:
            services = [s for s in _SERVICES if proj.domain in s[3]]
            cos = [services[int(rng.integers(len(services)))][0]]
            if rng.uniform() < 0.3:
                other = [s[0] for s in _SERVICES if s[0] not in cos]
                cos.append(other[int(rng.integers(len(other)))])
            first = sign_first
            if spec.sign_lead_months > 0:
                first = max(sign_first, proj.planned_start - spec.sign_lead_months)
            first_day = _first_day(first)
            week_before = _first_day(proj.planned_start).toordinal() - 7
            last_day = min(_last_day(sign_last), date.fromordinal(week_before))
            signed = date.fromordinal(
                int(rng.integers(first_day.toordinal(), last_day.toordinal() + 1))
            )
            wage = DAILY_WAGE_MAD.get(spec.wave, max(DAILY_WAGE_MAD.values()))
            person_months = proj.planned_jobs * proj.duration
            monthly = WORKING_DAYS_PER_MONTH * wage + SUPERVISION_FEE_MAD
            budget = round(person_months * monthly, -2)
            self.agreements.append(
                {
                    "agreement_id": proj.agreement_id,
                    "signed_on": signed,
                    "partner_id": proj.partner_id,
                    "cosigners": ";".join(sorted(cos)),
                    "budget_mad": float(budget),
                    "wave": spec.wave,
                }
            )
            title_fr, title_ar = self._title(proj, rng)
            self.projects.append(
                {
                    "project_id": proj.project_id,
                    "agreement_id": proj.agreement_id,
                    "title_fr": title_fr,
                    "title_ar": title_ar,
                    "domain": proj.domain,
                    "commune_code": self.communes["commune_code"].iloc[proj.commune],
                    "planned_start": _first_day(proj.planned_start),
                    "planned_end": _last_day(proj.planned_start + proj.duration - 1),
                    "planned_jobs": proj.planned_jobs,
                    "planned_person_months": float(person_months),
                    "budget_mad": float(budget),
                }
            )

    def _title(self, proj: _Project, rng: np.random.Generator) -> tuple[str, str]:
        templates = _TITLES[proj.domain]
        cfr = self.communes["name_fr"].iloc[proj.commune]
        car = self.communes["name_ar"].iloc[proj.commune]
        start = int(rng.integers(len(templates)))
        for lot in range(1, 1000):
            for t in range(len(templates)):
                tfr, tar = templates[(start + t) % len(templates)]
                fr, ar = tfr.format(fr=cfr), tar.format(ar=car)
                if lot > 1:
                    fr, ar = f"{fr} (lot {lot})", f"{ar} (الشطر {lot})"
                if fr not in self._names:
                    self._names.add(fr)
                    return fr, ar
        raise AwrachError("could not make a unique project title")  # pragma: no cover

    def _inject_trouble(
        self, spec: _WaveSpec, projects: list[_Project], rng: np.random.Generator
    ) -> None:
        order = [projects[i] for i in rng.permutation(len(projects))]
        taken: set[int] = set()

        def pick(count: int, ok) -> list[_Project]:
            chosen = []
            for proj in order:
                if len(chosen) == count:
                    break
                if proj.index not in taken and ok(proj):
                    chosen.append(proj)
                    taken.add(proj.index)
            return sorted(chosen, key=lambda p: p.index)

        last = self.last_month
        t = spec.trouble
        big_enough = len(projects) >= 10
        median_jobs = float(np.median([p.planned_jobs for p in projects]))
        for proj in pick(t.cancelled if big_enough else 0, lambda p: p.duration >= 4):
            proj.cancelled = True
            self.trouble["cancelled"].append(proj.project_id)
        for proj in pick(
            t.suspended if big_enough else 0,
            # a smaller site: its second team must fit in the published number of people
            lambda p: (
                p.duration >= 4
                and p.planned_start + p.duration + 2 <= last
                and p.planned_jobs <= median_jobs
            ),
        ):
            proj.suspended = True
            self.trouble["suspended"].append(proj.project_id)
        delays = (2, 3, 4, 2)
        n_late = min(t.late_start, max(1, len(projects) // 10))

        def room(p: _Project) -> int:
            """Months a site can start late and still end by ``LAST_MONTH``."""
            return last - (p.planned_start + p.duration - 1)

        # only sites with room for a real delay (two months at least) start late
        for n, proj in enumerate(pick(n_late, lambda p: room(p) >= min(delays))):
            proj.delay = min(delays[n % len(delays)], room(proj))
            self.trouble["late_start"].append(
                {"project_id": proj.project_id, "delay_months": proj.delay}
            )
        n_missing = min(t.missing_report, max(1, len(projects) // 20))
        for proj in pick(n_missing, lambda p: p.duration >= 3):
            proj.missing_month = (
                1 if proj.duration <= 3 else int(rng.integers(1, proj.duration - 1))
            )

        # schedules: (month, state, working index)
        for proj in projects:
            m0 = proj.planned_start + proj.delay
            if proj.cancelled:
                work = 2
                proj.schedule = [(m0 + k, "working", k) for k in range(work)]
                proj.schedule.append((m0 + work, "cancelled", work - 1))
            elif proj.suspended:
                before, pause = 2, 2
                proj.schedule = [(m0 + k, "working", k) for k in range(before)]
                proj.schedule += [(m0 + before + k, "suspended", before - 1) for k in range(pause)]
                proj.schedule += [
                    (m0 + pause + k, "working", k) for k in range(before, proj.duration)
                ]
            else:
                proj.schedule = [(m0 + k, "working", k) for k in range(proj.duration)]
            if proj.schedule[-1][0] > last:
                raise AwrachError(f"{proj.project_id} would run past {LAST_MONTH}")
        for proj in projects:
            if proj.missing_month is not None:
                month = proj.schedule[proj.missing_month][0]
                self.trouble["missing_report"].append(
                    {"project_id": proj.project_id, "month": _month_text(month)}
                )

        # under-filled sites: enough of them that replacements are needed to reach the
        # published number of distinct beneficiaries
        for proj in projects:
            proj.staffed = proj.planned_jobs
        rehired = sum(p.planned_jobs for p in projects if p.suspended)
        minimum_replacements = max(2, round(0.02 * spec.beneficiaries))
        under: list[_Project] = []
        candidates = [
            p for p in order if p.index not in taken and p.planned_jobs >= 6 and p.duration >= 2
        ]
        # larger sites first (stable: otherwise in random order), so that a few sites
        # account for the shortfall
        candidates.sort(key=lambda p: p.planned_jobs < 12)

        def replacements() -> int:
            return spec.beneficiaries - sum(p.staffed for p in projects) - rehired

        while candidates and (len(under) < t.underfilled or replacements() < minimum_replacements):
            proj = candidates.pop(0)
            loss = round(proj.planned_jobs * rng.uniform(0.2, 0.4))
            proj.staffed = proj.planned_jobs - min(max(loss, 1), int(proj.planned_jobs * 0.45))
            taken.add(proj.index)
            under.append(proj)
        if replacements() < 0:
            raise AwrachError("the sample cannot reach its beneficiaries figure")
        for proj in sorted(under, key=lambda p: p.index):
            self.trouble["underfilled"].append(
                {
                    "project_id": proj.project_id,
                    "planned_jobs": proj.planned_jobs,
                    "staffed": proj.staffed,
                }
            )
        self._replacements = replacements()
        self.trouble["replacements"][str(spec.wave)] = self._replacements

    def _people(
        self, spec: _WaveSpec, projects: list[_Project], rng: np.random.Generator
    ) -> list[_Person]:
        people: list[_Person] = []
        slots: list[tuple[int, int]] = []  # (project index, person index) eligible to leave
        for proj in projects:
            working = [m for m, state, _ in proj.schedule if state == "working"]
            if proj.suspended:
                pause_start = next(m for m, s, _ in proj.schedule if s == "suspended")
                segments = [
                    ([m for m in working if m < pause_start], "project_stopped"),
                    ([m for m in working if m > pause_start], "contract_end"),
                ]
            elif proj.cancelled:
                segments = [(working, "project_stopped")]
            else:
                segments = [(working, "contract_end")]
            for seg, reason in segments:
                for s in range(proj.staffed):
                    people.append(_Person(proj.index, s, seg[0], seg[-1], None, reason))
                    if not (proj.suspended or proj.cancelled) and len(seg) >= 2:
                        slots.append((proj.index, len(people) - 1))
        if self._replacements > len(slots):
            raise AwrachError("not enough positions for the replacements")  # pragma: no cover
        chosen = sorted(rng.choice(len(slots), self._replacements, replace=False).tolist())
        for c in chosen:
            _, who = slots[c]
            leaver = people[who]
            leave = int(rng.integers(leaver.start, leaver.end))
            successor = _Person(
                leaver.project, leaver.slot, leave + 1, leaver.end, None, "contract_end"
            )
            leaver.end = leave
            leaver.end_day = int(rng.integers(3, 27))
            leaver.exit_reason = _EXIT_EARLY[int(rng.choice(len(_EXIT_EARLY), p=_EXIT_EARLY_P))]
            people.append(successor)
        if len(people) != spec.beneficiaries:
            raise AwrachError("beneficiary count mismatch")  # pragma: no cover
        people.sort(key=lambda p: (p.project, p.start, p.slot))
        width = max(4, len(str(len(people))))
        for n, person in enumerate(people, start=1):
            person.key = f"B{spec.wave % 100}-{n:0{width}d}"
        return people

    def _describe_people(
        self,
        spec: _WaveSpec,
        projects: list[_Project],
        people: list[_Person],
        rng: np.random.Generator,
    ) -> None:
        n = len(people)
        w = np.array([_DOMAIN_WOMEN[projects[p.project].domain] for p in people])
        women = set(rng.choice(n, spec.women, replace=False, p=w / w.sum()).tolist())
        bands = list(schema.AGE_BANDS)
        levels = list(schema.EDUCATION_LEVELS)
        ages = rng.choice(len(bands), n, p=_AGE_P)
        pop = self.communes["population_2024"].to_numpy(dtype=float)
        codes = self.communes["commune_code"].to_numpy()
        for i, person in enumerate(people):
            proj = projects[person.project]
            person.sex = "female" if i in women else "male"
            person.age_band = bands[ages[i]]
            kind = "skilled" if proj.domain in _SKILLED_DOMAINS else "manual"
            person.education = levels[int(rng.choice(len(levels), p=_EDUCATION_P[kind]))]
            if len(codes) > 1 and rng.uniform() < 0.1:
                others = np.delete(np.arange(len(codes)), proj.commune)
                ow = pop[others]
                person.residence = codes[int(rng.choice(others, p=ow / ow.sum()))]
            else:
                person.residence = codes[proj.commune]
            self.beneficiaries.append(
                {
                    "beneficiary_key": person.key,
                    "project_id": proj.project_id,
                    "sex": person.sex,
                    "age_band": person.age_band,
                    "education": person.education,
                    "residence_commune": person.residence,
                    "start_date": _first_day(person.start),
                    "end_date": (
                        _last_day(person.end)
                        if person.end_day is None
                        else date(person.end // 12, person.end % 12 + 1, person.end_day)
                    ),
                    "exit_reason": person.exit_reason,
                }
            )

    def _progress_rows(
        self,
        spec: _WaveSpec,
        projects: list[_Project],
        people: list[_Person],
        rng: np.random.Generator,
    ) -> None:
        wage = DAILY_WAGE_MAD.get(spec.wave, max(DAILY_WAGE_MAD.values()))
        young = set(schema.YOUNG_AGE_BANDS)
        month_stats: dict[tuple[int, int], list[float]] = {}
        for person in people:
            for m in range(person.start, person.end + 1):
                full = WORKING_DAYS_PER_MONTH
                if m == person.end and person.end_day is not None:
                    full = round(WORKING_DAYS_PER_MONTH * person.end_day / _days_in(m))
                days = max(1, full - int(rng.choice(_ABSENCES)))
                stats = month_stats.setdefault((person.project, m), [0, 0, 0, 0.0])
                stats[0] += 1
                stats[1] += person.sex == "female"
                stats[2] += person.age_band in young
                stats[3] += days
        for proj in projects:
            gamma = rng.uniform(0.8, 1.25)
            working_months = {m for m, s, _ in proj.schedule if s == "working"}
            for p, m in month_stats:
                if p == proj.index and m not in working_months:
                    raise AwrachError("a beneficiary works outside the schedule")
            for pos, (m, state, k) in enumerate(proj.schedule):
                if pos == proj.missing_month:
                    continue
                jobs, women, youth, days = month_stats.get((proj.index, m), [0, 0, 0, 0.0])
                if state != "working":
                    jobs = women = youth = 0
                    days = 0.0
                pct = round(100 * ((k + 1) / proj.duration) ** gamma, 1)
                if state == "working" and pos == len(proj.schedule) - 1:
                    status = "completed"
                else:
                    status = {
                        "working": "ongoing",
                        "suspended": "suspended",
                        "cancelled": "cancelled",
                    }[state]
                self.progress.append(
                    {
                        "project_id": proj.project_id,
                        "month": _first_day(m),
                        "jobs_filled": jobs,
                        "women": women,
                        "youth": youth,
                        "person_days": float(days),
                        "wages_paid_mad": round(days * wage, 2),
                        "physical_progress_pct": 100.0 if status == "completed" else min(pct, 99.0),
                        "status": status,
                    }
                )

    # --- output -------------------------------------------------------------------------

    def targets(self, specs: list[_WaveSpec]) -> list[dict[str, Any]]:
        rows = [dict(t) for t in facts.PUBLISHED_TARGETS if t["scope"] == "national"]
        for spec in specs:
            rows.append(
                {
                    "target_id": f"T-{self.code}-{spec.wave}",
                    "scope": "province",
                    "scope_code": self.code,
                    "wave": spec.wave,
                    "period_start": f"{spec.wave}-01",
                    "period_end": f"{spec.wave}-12",
                    "jobs_target": spec.target,
                    "source": spec.target_source,
                }
            )
        return rows


def _frame(rows: list[dict[str, Any]], table: str) -> pd.DataFrame:
    t = schema.TABLES[table]
    df = pd.DataFrame(rows, columns=t.column_names)
    df = schema.coerce(df, t)
    return df.sort_values(list(t.key), ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def generate(
    province: str = config.DEFAULT_PROVINCE_CODE, seed: int = config.DEFAULT_SEED
) -> dict[str, Any]:
    """Generate a deterministic sample data set for ``province``.

    Parameters
    ----------
    province : str
        Province name (any spelling the commune resolver accepts) or HCP code. For Khénifra
        (``05.301``, the default) the published facts are reproduced exactly; any other
        province gets the same structure scaled by population.
    seed : int
        Random seed; the same seed gives the same tables.

    Returns
    -------
    dict
        ``partners, agreements, projects, progress, beneficiaries, targets``: DataFrames with
        the canonical columns and dtypes of :data:`awrach_analysis.model.schema.TABLES`, sorted by
        key; and ``meta``: the contents of ``dataset.json`` (province, seed, reproduced
        fact keys, trouble injected, synthetic parameters).

    Raises
    ------
    awrach_analysis.errors.UnknownNameError
        When ``province`` is not a known province.
    """
    code, name, communes = _province_reference(province)
    specs, fact_keys = _wave_specs(code, communes)
    builder = _Builder(code, communes, int(seed))
    for spec in specs:
        builder.add_wave(spec)
    tables: dict[str, Any] = {
        "partners": _frame(builder.partners, "partners"),
        "agreements": _frame(builder.agreements, "agreements"),
        "projects": _frame(builder.projects, "projects"),
        "progress": _frame(builder.progress, "progress"),
        "beneficiaries": _frame(builder.beneficiaries, "beneficiaries"),
        "targets": _frame(builder.targets(specs), "targets"),
    }
    as_of = tables["progress"]["month"].max()
    tables["meta"] = {
        "province_code": code,
        "province": name,
        "is_sample": True,
        "generator": GENERATOR,
        "seed": int(seed),
        "synthetic_note": SYNTHETIC_NOTE,
        "facts": fact_keys,
        "as_of": as_of.strftime("%Y-%m"),
        "trouble": builder.trouble,
        "parameters": {
            "daily_wage_mad": {str(k): v for k, v in DAILY_WAGE_MAD.items()},
            "working_days_per_month": WORKING_DAYS_PER_MONTH,
            "supervision_fee_mad_per_person_month": SUPERVISION_FEE_MAD,
            "synthetic_women_share": SYNTHETIC_WOMEN_SHARE,
        },
        "communes": len(communes),
    }
    return tables


#: Files written by :func:`write_sample`, in order.
SAMPLE_FILES = (
    "partners.csv",
    "agreements.csv",
    "projects.csv",
    "progress.csv",
    "beneficiaries.csv",
    "targets.csv",
    config.DATASET_META_FILE,
    "README.md",
)


def _format_float(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _cell(value: Any, kind: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "month":
        return pd.Timestamp(value).strftime("%Y-%m")
    if kind == "int":
        return str(int(value))
    if kind == "float":
        return _format_float(float(value))
    return str(value)


def write_sample(tables: dict[str, Any], out_dir: str | Path) -> list[Path]:
    """Write a generated data set as CSV files, ``dataset.json`` and ``README.md``.

    Parameters
    ----------
    tables : dict
        The output of :func:`generate`.
    out_dir : str or Path
        Folder to write into (created if needed). Files of the same names are replaced;
        other files are left alone.

    Returns
    -------
    list of Path
        The files written, in :data:`SAMPLE_FILES` order.

    Notes
    -----
    CSV files are UTF-8 without BOM with Unix (LF) line endings and canonical English headers;
    dates are ISO (``2022-03-01``), months ``YYYY-MM``, numbers use a dot and at most two
    decimals without trailing zeros. The output depends only on ``tables``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in schema.TABLES.items():
        df = tables[name]
        path = out / f"{name}.csv"
        kinds = [table.column(c).kind for c in table.column_names]
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(table.column_names)
            for row in df[table.column_names].itertuples(index=False, name=None):
                writer.writerow([_cell(v, k) for v, k in zip(row, kinds, strict=True)])
        written.append(path)
    meta_path = out / config.DATASET_META_FILE
    meta_path.write_text(
        json.dumps(tables["meta"], ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    written.append(meta_path)
    readme = out / "README.md"
    readme.write_text(readme_text(tables), encoding="utf-8", newline="\n")
    written.append(readme)
    return written


# ---------------------------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------------------------


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _month_name(text: str) -> str:
    """English name of the month of ``YYYY-MM`` (``i18n``'s, independent of the locale)."""
    return i18n.fmt_month(text, "en").rsplit(" ", 1)[0]


def _cohorts_text() -> str:
    """``February, May, August and October 2023``: the 2023 cohort start months."""
    names = [_month_name(m) for m in STARTS_2023]
    return f"{', '.join(names[:-1])} and {names[-1]} {STARTS_2023[-1][:4]}"


def readme_text(tables: dict[str, Any]) -> str:
    """Return the ``README.md`` that documents a generated data set.

    It states, table by table and column by column, which figures are published (with their
    source) and which are synthetic, the seed, the command that regenerates the files, the
    trouble injected (project ids) and the credits for the commune data. The prose lives in
    the template ``templates/sample/README.md.j2``; this function computes its values.

    Parameters
    ----------
    tables : dict
        The output of :func:`generate`.

    Returns
    -------
    str
        Markdown text ending with a newline.
    """
    import jinja2

    from ..reference.communes import ATTRIBUTION

    meta = tables["meta"]
    code, name, seed = meta["province_code"], meta["province"], meta["seed"]
    published = code == _KHENIFRA
    trouble = meta["trouble"]
    params = meta["parameters"]
    agreements = tables["agreements"]
    projects = tables["projects"].merge(agreements[["agreement_id", "wave"]], on="agreement_id")
    bens = tables["beneficiaries"].merge(projects[["project_id", "wave"]], on="project_id")
    waves = sorted(int(w) for w in agreements["wave"].unique())
    impl = agreements.merge(tables["partners"], on="partner_id")

    def per_wave(count) -> list[str]:
        return [_n(count(w)) for w in waves]

    def partners_of(kind: str):
        return lambda w: impl.loc[
            (impl["wave"] == w) & (impl["partner_type"] == kind), "partner_id"
        ].nunique()

    def ids(items: list[Any]) -> str:
        return ", ".join(f"`{i}`" for i in items) if items else "none"

    by_key = {f.key: f for f in facts.FACTS}
    context = {
        "name": name,
        "code": code,
        "seed": seed,
        "cmd": "awrach sample --out DIR"
        + ("" if published else f" --province {code}")
        + ("" if seed == config.DEFAULT_SEED else f" --seed {seed}"),
        "make_sample": published and seed == config.DEFAULT_SEED,
        "as_of": meta["as_of"],
        "published": published,
        "pub": "**published**" if published else "synthetic",
        "facts": [
            {
                "description": by_key[key].description,
                "key": key,
                "value": _n(by_key[key].value),
                "source": by_key[key].source,
            }
            for key in meta["facts"]
        ],
        "n_projects": _n(tables["projects"].shape[0]),
        "waves": [str(w) for w in waves],
        "wave_rows": [
            ("agreements = projects", per_wave(lambda w: (agreements["wave"] == w).sum())),
            ("implementing partners: association", per_wave(partners_of("association"))),
            ("implementing partners: cooperative", per_wave(partners_of("cooperative"))),
            (
                "communes covered",
                per_wave(lambda w: projects.loc[projects["wave"] == w, "commune_code"].nunique()),
            ),
            (
                "planned jobs",
                per_wave(lambda w: projects.loc[projects["wave"] == w, "planned_jobs"].sum()),
            ),
            (
                "beneficiaries (distinct)",
                per_wave(lambda w: bens.loc[bens["wave"] == w, "beneficiary_key"].nunique()),
            ),
            (
                "of whom women",
                per_wave(lambda w: ((bens["wave"] == w) & (bens["sex"] == "female")).sum()),
            ),
            (
                "replacements (people hired after someone left)",
                per_wave(lambda w: trouble["replacements"][str(w)]),
            ),
        ],
        "sign_lead_months": SIGN_LEAD_MONTHS_2023,
        "working_days": params["working_days_per_month"],
        "first_start_2022": _month_name(STARTS_2022[0]),
        "last_start_2022": _month_name(STARTS_2022[-1]),
        "cohorts": _cohorts_text(),
        "contract_months": _n(facts.fact("contract_months_2023")),
        "last_month": LAST_MONTH,
        "daily_wages": ", ".join(f"{v:g} in {k}" for k, v in params["daily_wage_mad"].items()),
        "women_share": f"{params['synthetic_women_share']:.0%}",
        "targets": [
            {
                "target_id": row.target_id,
                "scope": row.scope,
                "scope_code": row.scope_code,
                "wave": None if pd.isna(row.wave) else f"{row.wave}",
                "jobs": _n(row.jobs_target),
                "source": row.source,
            }
            for row in tables["targets"].itertuples(index=False)
        ],
        "late_start": ", ".join(
            f"`{x['project_id']}` (+{x['delay_months']} months)" for x in trouble["late_start"]
        )
        or "none",
        "suspended": ids(trouble["suspended"]),
        "cancelled": ids(trouble["cancelled"]),
        "underfilled": ", ".join(
            f"`{x['project_id']}` ({x['staffed']} of {x['planned_jobs']})"
            for x in trouble["underfilled"]
        )
        or "none",
        "missing_report": ", ".join(
            f"`{x['project_id']}` ({x['month']})" for x in trouble["missing_report"]
        )
        or "none",
        "replacements": ", ".join(f"{v} in {k}" for k, v in trouble["replacements"].items()),
        "census": ATTRIBUTION["census"],
        "boundaries": ATTRIBUTION["boundaries"],
    }
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(config.TEMPLATES_DIR / "sample"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("README.md.j2").render(context)


def build_program(tables: dict[str, Any]):
    """Return a :class:`~awrach_analysis.model.program.Program` built from :func:`generate` output.

    No file is read or written: useful in tests and notebooks to work on a generated data
    set of any province without going through the loader.

    Parameters
    ----------
    tables : dict
        The output of :func:`generate`.

    Returns
    -------
    awrach_analysis.model.program.Program
        With the province's reference communes, ``is_sample=True`` and ``meta`` set.
    """
    from ..model.program import Program
    from ..reference import communes as ref

    meta = tables["meta"]
    frames = {name: tables[name].copy() for name in schema.TABLES}
    return Program(
        **frames,
        communes=ref.province_communes(meta["province_code"]),
        province_code=meta["province_code"],
        province=meta["province"],
        is_sample=True,
        problems=pd.DataFrame(columns=list(_PROBLEM_COLUMNS)),
        quarantine={},
        rows_read={name: len(df) for name, df in frames.items()},
        source=None,
        fingerprint="",
        meta=dict(meta),
    )


_PROBLEM_COLUMNS = (
    "file",
    "sheet",
    "row",
    "column",
    "value",
    "rule",
    "severity",
    "message",
    "suggestion",
    "table",
)

__all__ = [
    "DAILY_WAGE_MAD",
    "GENERATOR",
    "SAMPLE_FILES",
    "build_program",
    "generate",
    "readme_text",
    "write_sample",
]
