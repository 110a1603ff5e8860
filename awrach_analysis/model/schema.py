"""The data model: tables, columns, types, header aliases and controlled vocabularies."""

from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------------------
# Controlled vocabularies: code -> labels in French, Arabic and English.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One value of a controlled vocabulary with its labels."""

    code: str
    fr: str
    ar: str
    en: str
    aliases: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        """Return the label in ``lang`` (``fr``, ``ar`` or ``en``)."""
        return getattr(self, lang)


def _vocab(*terms: Term) -> dict[str, Term]:
    return {t.code: t for t in terms}


PARTNER_TYPES = _vocab(
    Term("association", "Association", "جمعية", "Association", ("asso", "ass")),
    Term("cooperative", "Coopérative", "تعاونية", "Cooperative", ("coop", "coopé")),
    Term(
        "decentralized_service",
        "Service déconcentré de l'État",
        "مصلحة لاممركزة",
        "Decentralized state service",
        (
            "service deconcentre",
            "service extérieur",
            "décentralisé",
            "decentralized service",
            "services déconcentrés",
            "service de l'état",
            "مصلحة خارجية",
            "المصالح اللاممركزة",
        ),
    ),
    Term("commune", "Commune", "جماعة", "Commune"),
    Term("other", "Autre", "أخرى", "Other", ("autre",)),
)

#: Project domains: the five Awrach 1 domains published for Khenifra (rni.ma) plus the
#: national examples (boursenews.ma), grouped so that every published domain has a home.
DOMAINS = _vocab(
    Term(
        "site_works_environment",
        "Chantiers et environnement",
        "الأوراش والبيئة",
        "Site works and environment",
        (
            "environnement",
            "chantiers",
            "environment",
            "travaux de chantier",
            "travaux de chantier et environnement",
            "travaux",
            "البيئة",
            "الأوراش",
        ),
    ),
    Term(
        "green_spaces",
        "Espaces verts et aménagement paysager",
        "المساحات الخضراء وتهيئة المناظر",
        "Green spaces and landscaping",
        ("espaces verts", "landscaping", "المساحات الخضراء"),
    ),
    Term(
        "trails",
        "Pistes et sentiers",
        "المسالك والممرات",
        "Trails and tracks",
        ("pistes", "sentiers", "المسالك"),
    ),
    Term(
        "heritage",
        "Restauration du patrimoine",
        "ترميم التراث",
        "Heritage restoration",
        ("patrimoine", "التراث"),
    ),
    Term(
        "public_buildings",
        "Bâtiments publics",
        "البنايات العمومية",
        "Public buildings",
        ("batiments publics", "entretien des bâtiments publics"),
    ),
    Term(
        "social_care",
        "Accompagnement social",
        "الرعاية الاجتماعية",
        "Social care",
        (
            "social",
            "prise en charge sociale",
            "action sociale",
            "الدعم الاجتماعي",
            "المواكبة الاجتماعية",
        ),
    ),
    Term(
        "elderly_care",
        "Prise en charge des personnes âgées",
        "رعاية المسنين",
        "Elderly care",
        ("personnes agees", "المسنين"),
    ),
    Term(
        "education_support",
        "Soutien scolaire et services éducatifs",
        "الدعم التربوي والخدمات التعليمية",
        "Educational support and services",
        ("soutien scolaire", "education", "الدعم المدرسي", "الدعم التربوي"),
    ),
    Term(
        "literacy",
        "Alphabétisation",
        "محو الأمية",
        "Literacy",
        ("alphabetisation", "lutte contre l'analphabétisme", "الأمية"),
    ),
    Term(
        "archive_digitisation",
        "Numérisation des archives",
        "رقمنة الأرشيف",
        "Archive digitisation",
        ("numerisation", "archives", "الأرشيف"),
    ),
    Term(
        "culture_sport",
        "Activités culturelles et sportives",
        "الأنشطة الثقافية والرياضية",
        "Cultural and sports activities",
        (
            "culture",
            "sport",
            "activités culturelles",
            "activités sportives",
            "animation culturelle",
            "الأنشطة الثقافية",
            "الأنشطة الرياضية",
        ),
    ),
)

STATUSES = _vocab(
    Term(
        "planned",
        "Prévu",
        "مبرمج",
        "Planned",
        ("prevu", "programmé", "non démarré", "pas encore démarré", "لم ينطلق", "لم يبدأ"),
    ),
    Term(
        "ongoing",
        "En cours",
        "في طور الإنجاز",
        "Ongoing",
        (
            "en cours",
            "en cours de réalisation",
            "en cours d'exécution",
            "démarré",
            "قيد الإنجاز",
            "جار",
            "في طور الانجاز",
        ),
    ),
    Term("suspended", "Suspendu", "متوقف", "Suspended", ("suspendu", "arrêté", "à l'arrêt")),
    Term(
        "completed",
        "Achevé",
        "منجز",
        "Completed",
        ("acheve", "terminé", "termine", "réalisé", "clôturé", "منتهي", "مكتمل", "أنجز"),
    ),
    Term("cancelled", "Annulé", "ملغى", "Cancelled", ("annule", "canceled", "ملغي", "ألغي")),
)

SEXES = _vocab(
    Term("female", "Femme", "أنثى", "Female", ("f", "femme", "féminin", "feminin", "أنثى")),
    Term("male", "Homme", "ذكر", "Male", ("m", "h", "homme", "masculin", "ذكر")),
)

AGE_BANDS = _vocab(
    Term("15-24", "15–24 ans", "15–24 سنة", "15–24 years"),
    Term("25-34", "25–34 ans", "25–34 سنة", "25–34 years"),
    Term("35-44", "35–44 ans", "35–44 سنة", "35–44 years"),
    Term("45-54", "45–54 ans", "45–54 سنة", "45–54 years"),
    Term("55+", "55 ans et plus", "55 سنة فما فوق", "55 years and over", ("55-64", "55 +")),
)
#: Age bands that count as "young" (15–34) in the inclusion indicators.
YOUNG_AGE_BANDS = ("15-24", "25-34")

EDUCATION_LEVELS = _vocab(
    Term("none", "Sans diplôme", "بدون شهادة", "No diploma", ("aucun", "sans")),
    Term("primary", "Primaire", "ابتدائي", "Primary", ("primaire",)),
    Term("secondary", "Secondaire", "ثانوي", "Secondary", ("secondaire", "collège", "lycée")),
    Term("higher", "Supérieur", "عالي", "Higher education", ("superieur", "université")),
)

EXIT_REASONS = _vocab(
    Term("contract_end", "Fin de contrat", "انتهاء العقد", "End of contract", ("fin",)),
    Term("resigned", "Démission", "استقالة", "Resigned", ("demission",)),
    Term("found_job", "Emploi trouvé", "الحصول على شغل", "Found a job", ("emploi",)),
    Term("dismissed", "Renvoi", "فصل", "Dismissed", ("renvoi",)),
    Term("project_stopped", "Arrêt du chantier", "توقف الورش", "Site stopped", ("arret",)),
    Term("other", "Autre", "أخرى", "Other", ("autre",)),
)

TARGET_SCOPES = _vocab(
    Term("national", "National", "وطني", "National"),
    Term("province", "Province", "إقليم", "Province"),
    Term("commune", "Commune", "جماعة", "Commune"),
)

COMMUNE_TYPES = _vocab(
    Term("urban", "Urbaine", "حضرية", "Urban", ("municipalité", "municipality", "urbain")),
    Term("rural", "Rurale", "قروية", "Rural", ("rural",)),
)

VOCABULARIES: dict[str, dict[str, Term]] = {
    "partner_type": PARTNER_TYPES,
    "domain": DOMAINS,
    "status": STATUSES,
    "sex": SEXES,
    "age_band": AGE_BANDS,
    "education": EDUCATION_LEVELS,
    "exit_reason": EXIT_REASONS,
    "scope": TARGET_SCOPES,
    "commune_type": COMMUNE_TYPES,
}

# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

#: Column kinds understood by the loader.
KINDS = ("id", "text", "int", "float", "date", "month", "category", "commune", "idlist")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``kind`` is one of :data:`KINDS`: ``id`` (text key), ``text``, ``int`` (nullable
    integer), ``float``, ``date``, ``month`` (first day of the month), ``category``
    (a value of ``VOCABULARIES[vocab]``), ``commune`` (HCP commune code; names are
    resolved), ``idlist`` (semicolon-separated ids).
    """

    name: str
    kind: str
    required: bool = False
    description: str = ""
    unit: str = ""
    vocab: str | None = None
    min: float | None = None
    max: float | None = None
    fr: tuple[str, ...] = ()
    ar: tuple[str, ...] = ()
    references: str | None = None  # "table.column"

    @property
    def aliases(self) -> tuple[str, ...]:
        """Every header accepted for this column (English name first)."""
        return (self.name, *self.fr, *self.ar)


@dataclass(frozen=True)
class Table:
    """One table of the data model."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = True
    fr: tuple[str, ...] = ()
    ar: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def aliases(self) -> tuple[str, ...]:
        """Every file or sheet name accepted for this table (English first)."""
        return (self.name, *self.fr, *self.ar)

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        """Canonical column names, in order."""
        return [c.name for c in self.columns]


PARTNERS = Table(
    "partners",
    "Implementing partners and co-signing services.",
    (
        Column(
            "partner_id",
            "id",
            True,
            "Partner identifier",
            fr=("id_partenaire", "code partenaire"),
            ar=("رمز الشريك",),
        ),
        Column(
            "name_fr",
            "text",
            True,
            "Name in French",
            fr=(
                "nom",
                "nom_fr",
                "nom français",
                "raison sociale",
                "nom du partenaire",
                "nom de l'association",
                "nom de la coopérative",
                "nom de l'organisme",
                "dénomination",
            ),
            ar=("الاسم بالفرنسية",),
        ),
        Column(
            "name_ar",
            "text",
            False,
            "Name in Arabic",
            fr=("nom_ar", "nom arabe"),
            ar=("الاسم", "الاسم بالعربية", "اسم الجمعية", "اسم الشريك", "اسم التعاونية", "التسمية"),
        ),
        Column(
            "partner_type",
            "category",
            True,
            "Kind of partner",
            vocab="partner_type",
            fr=("type", "type de partenaire"),
            ar=("نوع الشريك",),
        ),
        Column(
            "home_commune",
            "commune",
            False,
            "Commune of the partner's seat (HCP code or name)",
            fr=("commune", "commune du siège"),
            ar=("جماعة المقر",),
        ),
    ),
    key=("partner_id",),
    fr=("partenaires",),
    ar=("الشركاء",),
)

AGREEMENTS = Table(
    "agreements",
    "Partnership agreements (conventions) signed for the programme.",
    (
        Column(
            "agreement_id",
            "id",
            True,
            "Agreement identifier",
            fr=("id_convention", "n° convention", "convention"),
            ar=("رقم الاتفاقية",),
        ),
        Column(
            "signed_on",
            "date",
            True,
            "Signing date",
            fr=("date de signature", "date_signature"),
            ar=("تاريخ التوقيع",),
        ),
        Column(
            "partner_id",
            "id",
            True,
            "Implementing partner",
            fr=("partenaire", "porteur"),
            ar=("الشريك المنفذ",),
            references="partners.partner_id",
        ),
        Column(
            "cosigners",
            "idlist",
            False,
            "Co-signing decentralized services (partner ids separated by ';')",
            fr=("cosignataires",),
            ar=("الموقعون",),
            references="partners.partner_id",
        ),
        Column(
            "budget_mad",
            "float",
            False,
            "Agreement budget",
            unit="MAD",
            min=0,
            fr=("budget", "montant", "budget (dh)"),
            ar=("الميزانية",),
        ),
        Column(
            "wave",
            "int",
            True,
            "Programme wave, named by its year (2022 = Awrach 1, 2023 = Awrach 2)",
            min=2022,
            max=2030,
            fr=("vague", "édition", "année"),
            ar=("الفوج", "السنة"),
        ),
    ),
    key=("agreement_id",),
    fr=("conventions",),
    ar=("الاتفاقيات",),
)

PROJECTS = Table(
    "projects",
    "Projects (work sites), one per agreement in the Khenifra 2022 wave.",
    (
        Column(
            "project_id",
            "id",
            True,
            "Project identifier",
            fr=("id_projet", "code projet", "projet"),
            ar=("رقم المشروع",),
        ),
        Column(
            "agreement_id",
            "id",
            True,
            "Agreement the project belongs to",
            fr=("id_convention", "convention"),
            ar=("رقم الاتفاقية",),
            references="agreements.agreement_id",
        ),
        Column(
            "title_fr",
            "text",
            True,
            "Title in French",
            fr=("intitulé", "intitule", "titre"),
            ar=("العنوان بالفرنسية",),
        ),
        Column(
            "title_ar",
            "text",
            False,
            "Title in Arabic",
            fr=("intitulé arabe", "titre_ar"),
            ar=("العنوان", "عنوان المشروع"),
        ),
        Column(
            "domain",
            "category",
            True,
            "Domain of work",
            vocab="domain",
            fr=("domaine", "secteur"),
            ar=("المجال",),
        ),
        Column(
            "commune_code",
            "commune",
            True,
            "Commune of the site (HCP code, or a name that resolves exactly)",
            fr=("commune", "code commune"),
            ar=("الجماعة",),
        ),
        Column(
            "planned_start",
            "date",
            True,
            "Planned start date",
            fr=("date début prévue", "debut prevu", "date de début", "date de démarrage"),
            ar=("تاريخ الانطلاق المتوقع",),
        ),
        Column(
            "planned_end",
            "date",
            True,
            "Planned end date",
            fr=("date fin prévue", "fin prevue", "date de fin"),
            ar=("تاريخ الانتهاء المتوقع",),
        ),
        Column(
            "planned_jobs",
            "int",
            True,
            "Jobs (positions) planned",
            unit="jobs",
            min=0,
            max=10000,
            fr=("emplois prévus", "postes prévus", "nombre d'emplois"),
            ar=("مناصب الشغل المتوقعة",),
        ),
        Column(
            "planned_person_months",
            "float",
            False,
            "Person-months planned",
            unit="person-months",
            min=0,
            fr=("hommes-mois prévus", "mois-personnes"),
            ar=("أشهر العمل المتوقعة",),
        ),
        Column(
            "budget_mad",
            "float",
            False,
            "Project budget",
            unit="MAD",
            min=0,
            fr=("budget", "montant"),
            ar=("الميزانية",),
        ),
    ),
    key=("project_id",),
    fr=("projets", "chantiers"),
    ar=("المشاريع", "الأوراش"),
)

PROGRESS = Table(
    "progress",
    "Monthly progress report, one row per project and month.",
    (
        Column(
            "project_id",
            "id",
            True,
            "Project",
            fr=("id_projet", "projet"),
            ar=("رقم المشروع",),
            references="projects.project_id",
        ),
        Column("month", "month", True, "Month reported (YYYY-MM)", fr=("mois",), ar=("الشهر",)),
        Column(
            "jobs_filled",
            "int",
            True,
            "Positions filled during the month",
            unit="jobs",
            min=0,
            max=10000,
            fr=("emplois occupés", "postes pourvus", "bénéficiaires actifs"),
            ar=("المناصب المشغولة",),
        ),
        Column(
            "women",
            "int",
            True,
            "Of whom women",
            unit="jobs",
            min=0,
            fr=("femmes", "dont femmes"),
            ar=("النساء", "منهم نساء"),
        ),
        Column(
            "youth",
            "int",
            False,
            "Of whom aged 15–34",
            unit="jobs",
            min=0,
            fr=("jeunes", "dont jeunes 15-34"),
            ar=("الشباب", "منهم شباب"),
        ),
        Column(
            "person_days",
            "float",
            False,
            "Person-days worked",
            unit="person-days",
            min=0,
            fr=("jours travaillés", "hommes-jours"),
            ar=("أيام العمل",),
        ),
        Column(
            "wages_paid_mad",
            "float",
            False,
            "Wages paid",
            unit="MAD",
            min=0,
            fr=("salaires versés", "salaires"),
            ar=("الأجور المدفوعة",),
        ),
        Column(
            "physical_progress_pct",
            "float",
            False,
            "Physical progress",
            unit="%",
            min=0,
            max=100,
            fr=("avancement physique", "taux d'avancement"),
            ar=("نسبة الإنجاز",),
        ),
        Column(
            "status",
            "category",
            True,
            "Status at the end of the month",
            vocab="status",
            fr=("statut", "état"),
            ar=("الوضعية", "الحالة"),
        ),
    ),
    key=("project_id", "month"),
    fr=("suivi", "avancement", "suivi mensuel"),
    ar=("التتبع", "التتبع الشهري"),
)

BENEFICIARIES = Table(
    "beneficiaries",
    "Beneficiaries, pseudonymous: no name, CIN or phone is ever read into the model.",
    (
        Column(
            "beneficiary_key",
            "id",
            True,
            "Pseudonymous key (never a CIN)",
            fr=("clé", "identifiant anonyme"),
            ar=("الرمز",),
        ),
        Column(
            "project_id",
            "id",
            True,
            "Project",
            fr=("id_projet", "projet"),
            ar=("رقم المشروع",),
            references="projects.project_id",
        ),
        Column("sex", "category", True, "Sex", vocab="sex", fr=("sexe", "genre"), ar=("الجنس",)),
        Column(
            "age_band",
            "category",
            True,
            "Age band",
            vocab="age_band",
            fr=("tranche d'âge", "age"),
            ar=("الفئة العمرية",),
        ),
        Column(
            "education",
            "category",
            False,
            "Education level",
            vocab="education",
            fr=("niveau d'instruction", "diplôme"),
            ar=("المستوى الدراسي",),
        ),
        Column(
            "residence_commune",
            "commune",
            False,
            "Commune of residence",
            fr=("commune de résidence",),
            ar=("جماعة الإقامة",),
        ),
        Column(
            "start_date",
            "date",
            True,
            "Contract start",
            fr=("date de début", "début"),
            ar=("تاريخ البداية",),
        ),
        Column(
            "end_date",
            "date",
            False,
            "Contract end",
            fr=("date de fin", "fin"),
            ar=("تاريخ النهاية",),
        ),
        Column(
            "exit_reason",
            "category",
            False,
            "Why the contract ended",
            vocab="exit_reason",
            fr=("motif de sortie",),
            ar=("سبب الخروج",),
        ),
    ),
    key=("beneficiary_key", "project_id"),
    required=False,
    fr=("bénéficiaires", "beneficiaires"),
    ar=("المستفيدون",),
)

PAYROLL = Table(
    "payroll",
    "Payroll, pseudonymous: one row per beneficiary, project and month worked (days, amount).",
    (
        Column(
            "beneficiary_key",
            "id",
            True,
            "Pseudonymous key (never a CIN)",
            fr=("clé", "identifiant anonyme"),
            ar=("الرمز",),
        ),
        Column(
            "project_id",
            "id",
            True,
            "Project",
            fr=("id_projet", "projet"),
            ar=("رقم المشروع",),
            references="projects.project_id",
        ),
        Column("month", "month", True, "Month paid (YYYY-MM)", fr=("mois",), ar=("الشهر",)),
        Column(
            "days_worked",
            "int",
            True,
            "Days worked in the month",
            unit="days",
            min=0,
            max=31,
            fr=("jours travaillés", "nombre de jours", "jours"),
            ar=("أيام العمل", "عدد الأيام"),
        ),
        Column(
            "amount_paid_mad",
            "float",
            False,
            "Amount paid for the month",
            unit="MAD",
            min=0,
            max=20000,
            fr=("montant versé", "montant payé", "salaire versé", "montant"),
            ar=("المبلغ المدفوع", "الأجر المدفوع"),
        ),
    ),
    key=("beneficiary_key", "project_id", "month"),
    required=False,
    fr=("paie", "état de paie", "états de paie", "paiements"),
    ar=("كشف الأداء", "الأداءات"),
)

TARGETS = Table(
    "targets",
    "Job targets with their published source.",
    (
        Column(
            "target_id", "id", True, "Target identifier", fr=("id_objectif",), ar=("رمز الهدف",)
        ),
        Column(
            "scope",
            "category",
            True,
            "Scope",
            vocab="scope",
            fr=("portée", "niveau"),
            ar=("المستوى",),
        ),
        Column(
            "scope_code",
            "id",
            True,
            "HCP code of the scope ('MA' for national)",
            fr=("code",),
            ar=("الرمز",),
        ),
        Column(
            "wave",
            "int",
            False,
            "Wave the target applies to (empty when it spans waves)",
            min=2022,
            max=2030,
            fr=("vague",),
            ar=("الفوج",),
        ),
        Column(
            "period_start",
            "month",
            True,
            "First month of the period",
            fr=("début de période",),
            ar=("بداية الفترة",),
        ),
        Column(
            "period_end",
            "month",
            True,
            "Last month of the period",
            fr=("fin de période",),
            ar=("نهاية الفترة",),
        ),
        Column(
            "jobs_target",
            "int",
            True,
            "Jobs to create in the period",
            unit="jobs",
            min=0,
            fr=("objectif emplois", "objectif"),
            ar=("الهدف",),
        ),
        Column(
            "source", "text", True, "Where the figure was published", fr=("source",), ar=("المصدر",)
        ),
    ),
    key=("target_id",),
    fr=("objectifs", "cibles"),
    ar=("الأهداف",),
)

#: Every table, in loading order (referenced tables first).
TABLES: dict[str, Table] = {
    t.name: t for t in (PARTNERS, AGREEMENTS, PROJECTS, PROGRESS, BENEFICIARIES, PAYROLL, TARGETS)
}

#: Headers that carry personal data; they are dropped on read and never stored. A header
#: is personal when it equals one of them, or when its words (``load.is_personal_header``)
#: include a word of :data:`PERSONAL_ID_WORDS`, or a word of :data:`PERSONAL_NAME_WORDS`
#: that is not about an organisation (:data:`ORGANISATION_WORDS`) rather than a person
#: (:data:`PERSON_WORDS`): identity numbers, names, phones, e-mail and postal addresses,
#: birth dates, social-security and bank numbers, in French, English, Arabic.
PERSONAL_DATA_HEADERS = (
    "cin",
    "cne",
    "cnie",
    "nom",
    "prénom",
    "prenom",
    "nom complet",
    "name",
    "full_name",
    "first_name",
    "last_name",
    "téléphone",
    "telephone",
    "tel",
    "phone",
    "gsm",
    "email",
    "adresse",
    "address",
    "الاسم الكامل",
    "رقم البطاقة الوطنية",
    "الهاتف",
    "العنوان",
    "naissance",
    "date de naissance",
    "né(e) le",
    "birth",
    "dob",
    "cnss",
    "rib",
    "compte bancaire",
    "mobile",
    "portable",
    "e mail",
    "courriel",
    "الازدياد",
    "تاريخ الازدياد",
    "الولادة",
    "الاسم العائلي",
    "الاسم الشخصي",
    "النسب",
    "الهاتف المحمول",
    "البريد الالكتروني",
    "الحساب البنكي",
    "الاسم",
    "اسم",
)

#: Words that make a header personal whoever it is about: identity card, phone, bank
#: account, e-mail, birth (``N°CIN``, ``N° CNIE``, ``N°Tél``, ``GSM``, ``Compte bancaire``,
#: ``رقم البطاقة``, ``رقم الهاتف``); ``Né(e) le``/``Né à`` are recognised as phrases.
PERSONAL_ID_WORDS = (
    "cin", "cnie", "cne", "cnss", "rib", "iban", "bancaire", "tel", "telephone", "phone",
    "gsm", "mobile", "portable", "email", "mail", "courriel", "naissance", "birth", "dob",
    "birthday", "هاتف", "محمول", "بطاقة", "ازدياد", "ولادة", "ميلاد", "بريد", "بنكي", "البنكي",
)  # fmt: skip

#: Words that name a person or where one lives, personal unless the header is about an
#: organisation (``Nom du président`` is personal, ``Nom de l'association`` is not).
PERSONAL_NAME_WORDS = (
    "nom", "prénom", "prenom", "patronyme", "name", "adresse", "address", "domicile",
    "اسم", "الاسم", "نسب", "النسب", "عنوان", "العنوان", "سكنى",
)  # fmt: skip

#: Words that say a name or address is an organisation's, which is public.
ORGANISATION_WORDS = (
    "association", "coopérative", "cooperative", "partenaire", "partner", "organisme",
    "organisation", "organization", "structure", "entreprise", "société", "company",
    "porteur", "établissement", "service", "projet", "project", "chantier", "commune", "siège",
    "jamaa", "جمعية", "تعاونية", "شريك", "مؤسسة", "هيئة", "مصلحة", "منظمة", "مشروع", "ورش",
    "جماعة", "مقر",
)  # fmt: skip

#: Words that say a name or address is a person's (it stays personal).
PERSON_WORDS = (
    "président", "présidente", "presidente", "bénéficiaire", "beneficiary", "représentant",
    "responsable", "gérant", "trésorier", "secrétaire", "directeur", "directrice",
    "contact", "ouvrier", "travailleur", "personne", "person", "manager", "رئيس",
    "رئيسة", "مستفيد", "ممثل", "مسؤول", "مدير", "أمين", "عامل",
)  # fmt: skip

#: Labels of totals and subtotals rows (a row whose first cell reads so is not data).
TOTAL_LABELS = (
    "total", "totaux", "total général", "total general", "sous-total", "sous total", "s/total",
    "grand total", "subtotal", "المجموع", "مجموع", "المجموع الفرعي", "المجموع العام",
    "الإجمالي", "المجموع الكلي",
)  # fmt: skip


# ---------------------------------------------------------------------------
# Typed frames: the dtypes every loaded table has (the contract of ``Program``).
# ---------------------------------------------------------------------------


#: Nullable integer dtypes from the smallest, with the range each holds.
_INT_DTYPES = (("Int8", -(2**7), 2**7 - 1), ("Int16", -(2**15), 2**15 - 1))


#: Tables that grow with the programme (rows per person and month): their codes are compact.
LARGE_TABLES = ("progress", "beneficiaries", "payroll")


def is_code(column: Column, table: str | Table | None) -> bool:
    """Return True for a column of repeated codes in a large table, loaded as a ``category``.

    In :data:`LARGE_TABLES`, commune codes and ids that refer to another table's key
    (foreign keys: the project of a progress, beneficiary or payroll row) repeat: each
    value is stored once and the rows hold a small integer. The small tables keep
    ``string`` codes (an analyst may set any value in them).
    """
    name = table.name if isinstance(table, Table) else table
    return name in LARGE_TABLES and (
        column.kind == "commune" or (column.kind == "id" and column.references is not None)
    )


def dtype_for(column: Column, table: str | Table | None = None):
    """Return the pandas dtype of a loaded column: the compact dtype contract, in one place.

    - ``id``/``text``/``commune``/``idlist`` -> ``string``, but codes in large tables
      (:func:`is_code`: commune codes and foreign keys of progress, beneficiaries,
      payroll) -> ``"category"`` (categories: the values present);
    - ``int`` -> the smallest nullable integer holding the column's declared bounds:
      ``Int8`` (days worked, 0-31), ``Int16`` (bounded by 32,767: jobs <= 10,000, waves),
      ``Int32`` otherwise (unbounded counts). pandas sums them as ``Int64`` (no overflow);
      a product must cast first (the analysis computes on float64/int64 arrays);
    - ``float`` -> ``Float64``; ``date`` and ``month`` -> ``datetime64[ns]`` (a month is
      stored as its first day);
    - ``category`` -> a ``CategoricalDtype`` whose categories are the vocabulary codes, in
      vocabulary order.

    ``table`` (name or :class:`Table`) is the table of the column; without it, codes are
    ``string``.
    """
    import pandas as pd

    if is_code(column, table):
        return "category"
    if column.kind in ("id", "text", "commune", "idlist"):
        return pd.StringDtype()
    if column.kind == "int":
        if column.min is not None and column.max is not None:
            for name, low, high in _INT_DTYPES:
                if low <= column.min and column.max <= high:
                    return pd.api.types.pandas_dtype(name)
        return pd.Int32Dtype()
    if column.kind == "float":
        return pd.Float64Dtype()
    if column.kind in ("date", "month"):
        return "datetime64[ns]"
    if column.kind == "category":
        return pd.CategoricalDtype(list(VOCABULARIES[column.vocab]), ordered=False)
    raise ValueError(f"unknown column kind {column.kind!r}")


def empty_frame(table: str | Table):
    """Return an empty DataFrame with the columns and dtypes of ``table``."""
    import pandas as pd

    t = TABLES[table] if isinstance(table, str) else table
    return pd.DataFrame(
        {
            c.name: pd.Series(dtype=pd.StringDtype()).astype("category")
            if is_code(c, t)
            else pd.Series(dtype=dtype_for(c, t))
            for c in t.columns
        }
    )


def drop_unused_codes(df, table: str | Table):
    """Return ``df`` with its code categories reduced to the values present, as loaded.

    A loaded table's codes (:func:`is_code`) have the values present as categories; a
    filtered frame keeps the categories of the whole table. This makes the two comparable.
    """
    t = TABLES[table] if isinstance(table, str) else table
    out = df.copy()
    for c in t.columns:
        if is_code(c, t) and c.name in out:
            out[c.name] = out[c.name].cat.remove_unused_categories()
    return out


def coerce(df, table: str | Table):
    """Return a copy of ``df`` cast to the dtypes of ``table`` (values must already be clean).

    Used by the loader after validation and by tests that build small fixtures by hand.
    Missing optional columns are added empty; extra columns are kept.
    """
    import pandas as pd

    t = TABLES[table] if isinstance(table, str) else table
    out = df.copy()
    for c in t.columns:
        if c.name not in out:
            out[c.name] = pd.Series([pd.NA] * len(out), index=out.index, dtype="object")
        dtype = dtype_for(c, t)
        if c.kind in ("date", "month"):
            out[c.name] = pd.to_datetime(out[c.name]).astype("datetime64[ns]")
            if c.kind == "month":
                out[c.name] = (
                    out[c.name].dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]")
                )
        elif is_code(c, t):
            if not isinstance(out[c.name].dtype, pd.CategoricalDtype):
                out[c.name] = out[c.name].astype(pd.StringDtype()).astype("category")
        else:
            out[c.name] = out[c.name].astype(dtype)
    return out
