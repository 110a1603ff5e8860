"""HTML fragments of the monthly report: header, cards, forecast, tables (data escaped)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from markupsafe import Markup, escape

from .. import config, i18n
from ..errors import AwrachError
from .report_build import month_key, report_title


class Html(Markup):
    """An HTML fragment that Jupyter and nbconvert display as HTML (``text/html``).

    A :class:`markupsafe.Markup`: text joined to it, added to it or passed to its
    ``format`` is escaped, so a fragment built as ``Html("<p>{}</p>").format(text)`` can
    never carry data unescaped.
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


def _safe(text: Any) -> Markup:
    """Return data text escaped for HTML, a missing value as ``""`` (see :func:`i18n.safe`)."""
    return Markup(i18n.safe(text))


def _headers(lang: str, *keys: str) -> list[str]:
    """Return the column headers of a table: one catalogue message per key."""
    return [i18n.t(key, lang) for key in keys]


def current_wave(program, as_of: Any) -> int | None:
    """Return the wave a monthly report is about: the one whose province target covers ``as_of``.

    Falls back on the latest wave with an agreement signed by the end of ``as_of``, then
    on the latest wave; ``None`` when the data set has no wave.
    """
    import pandas as pd

    month = pd.Timestamp(as_of).to_period("M").to_timestamp()
    targets = program.targets
    rows = targets[
        (targets["scope"].astype("string") == "province")
        & targets["wave"].notna()
        & (targets["period_start"] <= month)
        & (targets["period_end"] >= month)
    ]
    if len(rows):
        return int(rows["wave"].max())
    agreements = program.agreements
    started = agreements[agreements["signed_on"] < month + pd.offsets.MonthBegin(1)]
    if len(started):
        return int(started["wave"].max())
    return max(program.waves) if program.waves else None


def page_header(program, as_of: Any, lang: str, *, wave: int | None = None) -> Html:
    """Return the report's title block: title, wave and month, and the sample banner.

    Parameters
    ----------
    program : Program
        The data set (``is_sample`` shows the banner).
    as_of : month
        Month of the report.
    lang : {"fr", "ar", "en"}
        Language.
    wave : int, optional
        Wave the report is about.

    Returns
    -------
    Html
        ``<header>`` with an ``<h1>``; the banner has class ``awrach-banner``.
    """
    month = i18n.fmt_month(as_of, lang)
    title = report_title(program, month_key(as_of), lang)
    parts = [
        Markup('<header class="awrach-title">'),
        Markup("<h1>{}</h1>").format(title),
        Markup('<p class="awrach-note">{} · {}</p>').format(
            i18n.wave_label(wave, lang), i18n.t("ui.as_of", lang, month=month)
        ),
    ]
    if program.is_sample:
        parts.append(
            Markup(
                '<div class="awrach-banner" role="note">{}. <span class="detail">{}</span></div>'
            ).format(i18n.t("ui.sample_banner", lang), i18n.t("report.sample_detail", lang))
        )
    parts.append(Markup("</header>"))
    return Html("\n").join(parts)


def section(key: str, lang: str) -> Html:
    """Return a section title (``<h2>``) from a catalogue key such as ``"section.summary"``."""
    anchor = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
    return Html('<h2 id="{}" class="awrach-section-title">{}</h2>').format(
        anchor, i18n.t(key, lang)
    )


def paragraph(sentence: str, *, css: str = "") -> Html:
    """Return one escaped paragraph."""
    if css:
        return Html('<p class="{}">{}</p>').format(css, _safe(sentence))
    return Html("<p>{}</p>").format(_safe(sentence))


def _fmt_indicator(code: str, value: Any, lang: str) -> str:

    if code == "pct_of_target":
        return i18n.fmt_pct(None if value is None else float(value) / 100, lang)
    if code in ("women_share", "youth_share"):
        return i18n.fmt_pct(value, lang)
    if code == "wages_paid_mad":
        return i18n.fmt_mad(value, lang, compact=True)
    return i18n.fmt_int(value, lang)


def _fmt_change(code: str, change: Any, lang: str) -> str:

    if code in ("women_share", "youth_share"):
        return i18n.t("report.points", lang, value=i18n.fmt_signed(float(change) * 100, lang, 1))
    if code == "pct_of_target":
        return i18n.t("report.points", lang, value=i18n.fmt_signed(float(change), lang, 1))
    if code == "wages_paid_mad":
        return i18n.fmt_mad(change, lang, compact=True, signed=True)
    return i18n.fmt_signed(change, lang)


def _shown_as_zero(code: str, change: float) -> bool:
    """Whether a change rounds to zero at the precision it is shown with."""
    if code in ("women_share", "youth_share"):
        return round(change * 100, 1) == 0
    if code == "pct_of_target":
        return round(change, 1) == 0
    return round(change) == 0


#: Headline indicators shown as cards, in order (target and share go under jobs to date).
CARD_INDICATORS = (
    "agreements",
    "active_projects",
    "jobs_filled_month",
    "jobs_to_date",
    "women_share",
    "youth_share",
    "wages_paid_mad",
)


def headline_cards(
    headline_df, lang: str, *, as_of: Any, readings: dict[str, Any] | None = None
) -> Html:
    """Return the headline figures as cards, each with its change since the previous month.

    Parameters
    ----------
    headline_df : pandas.DataFrame
        Output of ``indicators.headline`` (indicator, value, previous, change, unit).
    lang : {"fr", "ar", "en"}
        Language.
    as_of : month
        Month of the report (the change is against the month before).
    readings : dict, optional
        ``indicators.other_readings(...)``: each card that could be misread says what it
        counts and shows the other reading (jobs to date: contracts, replacements
        included, and the positions filled at the peak; women: hired since the wave
        began and working this month; active projects: from the reports received, and
        the projects without a report this month, shown instead of a fall).

    Returns
    -------
    Html
        A ``div.awrach-cards`` with one ``div.awrach-card`` per indicator of
        :data:`CARD_INDICATORS`; jobs to date also shows the target and its share.
    """
    import pandas as pd

    rows = {r.indicator: r for r in headline_df.itertuples(index=False)}
    previous_month = i18n.fmt_month(pd.Timestamp(as_of) - pd.offsets.MonthBegin(1), lang)
    cards = [Markup('<div class="awrach-cards">')]
    for code in CARD_INDICATORS:
        if code not in rows:
            continue
        row = rows[code]
        value = _fmt_indicator(code, row.value, lang)
        change = row.change
        if change is None or pd.isna(change):
            change_text, css = "", ""
        elif _shown_as_zero(code, float(change)):
            change_text, css = i18n.t("report.no_change", lang, month=previous_month), ""
        else:
            change_text = i18n.t(
                "report.change_since",
                lang,
                change=_fmt_change(code, change, lang),
                month=previous_month,
            )
            css = " up" if float(change) > 0 else " down"
        extra = Markup("")
        note = _card_note(code, readings, lang, as_of)
        missing = (readings or {}).get("projects_without_report") or 0
        if code == "active_projects" and missing > 0:
            # A missing report is not a fall: say how many projects did not report.
            change_text = i18n.tn(
                "card.active_projects.missing", lang, missing, n=i18n.fmt_int(missing, lang)
            )
            css = " missing"
        if code == "jobs_to_date" and "target" in rows and pd.notna(rows["target"].value):
            pct = rows.get("pct_of_target")
            extra = Markup('<div class="target">{}</div>').format(
                i18n.t(
                    "report.of_target",
                    lang,
                    target=i18n.fmt_int(rows["target"].value, lang),
                    pct=_fmt_indicator("pct_of_target", pct.value if pct else None, lang),
                )
            )
        cards.append(
            Markup(
                '<div class="awrach-card" data-indicator="{}"><div class="label">{}</div>'
                '<div class="value aw-num">{}</div>{}<div class="change{}">{}</div>{}</div>'
            ).format(
                code,
                i18n.t("indicator." + code, lang),
                _safe(value),
                extra,
                css,
                _safe(change_text),
                note,
            )
        )
    cards.append(Markup("</div>"))
    return Html("\n").join(cards)


def _card_note(code: str, readings: dict[str, Any] | None, lang: str, as_of: Any) -> Markup:
    """Return the note of a card saying what it counts and its other reading ("" if none)."""
    if not readings:
        return Markup("")
    month = i18n.fmt_month(as_of, lang)
    if code == "jobs_to_date":
        text = i18n.t(
            "card.jobs_to_date.note",
            lang,
            positions=i18n.fmt_int(readings["peak_positions"], lang),
        )
    elif code == "women_share":
        text = i18n.t(
            "card.women_share.note",
            lang,
            month=month,
            share=i18n.fmt_pct(readings["women_share_month"], lang),
        )
    elif code == "active_projects":
        text = i18n.t("card.active_projects.note", lang, month=month)
    else:
        return Markup("")
    return Markup('<p class="awrach-note">{}</p>').format(text)


def forecast_text(forecast: dict[str, Any], lang: str, *, source: str | None = None) -> Html:
    """Return the projection in words: when the target is reached at the current pace, and when.

    Parameters
    ----------
    forecast : dict
        Output of ``indicators.forecast``.
    lang : {"fr", "ar", "en"}
        Language.
    source : str, optional
        Where the target was published (``indicators.target_for(...)["source"]``).

    Returns
    -------
    Html
        The projection in bold, then the target with its source (class ``awrach-forecast``).
    """
    import pandas as pd

    target = forecast.get("target")
    if target is None or pd.isna(target):
        return Html(paragraph(i18n.t("report.forecast_no_target", lang), css="awrach-forecast"))
    from ..analysis.indicators import FORECAST_WINDOW_MONTHS

    pace = i18n.fmt_int(forecast.get("pace_per_month"), lang)
    end = i18n.fmt_month(forecast.get("period_end"), lang)
    achieved = forecast.get("achieved") or 0
    if achieved >= target:
        first = i18n.t("title.forecast_done", lang)
    elif forecast.get("reachable") and forecast.get("month_reached") is not None:
        first = i18n.t(
            "title.forecast_reached",
            lang,
            pace=pace,
            month=i18n.fmt_month(forecast["month_reached"], lang),
        )
    else:
        first = i18n.t("title.forecast_unreachable", lang, pace=pace, month=end)
    sentences = [first + "."]
    low, high = forecast.get("month_low"), forecast.get("month_high")
    n = i18n.fmt_int(FORECAST_WINDOW_MONTHS, lang)
    if forecast.get("method") == "pipeline":
        return _forecast_plan_text(forecast, lang, source=source)
    if achieved < target and low is not None and high is not None and low != high:
        sentences.append(
            i18n.t(
                "report.forecast_range",
                lang,
                n=n,
                low=i18n.fmt_month(low, lang),
                high=i18n.fmt_month(high, lang),
            )
        )
    elif achieved < target and low is not None and high is None:
        sentences.append(
            i18n.t("report.forecast_range_open", lang, n=n, end=end, low=i18n.fmt_month(low, lang))
        )
    return _forecast_html(sentences, forecast, target, end, lang, source)


def _forecast_plan_text(forecast: dict[str, Any], lang: str, *, source: str | None) -> Html:
    """Return the pipeline forecast in words (see :func:`forecast_text`)."""
    target = forecast["target"]
    achieved = forecast.get("achieved") or 0
    pace = forecast.get("pace_per_month") or 0.0
    pace_txt = i18n.fmt_num(pace, lang, 0 if pace >= 10 else 1)
    end = i18n.fmt_month(forecast.get("period_end"), lang)
    low, high = forecast.get("month_low"), forecast.get("month_high")
    if achieved >= target:
        sentences = [i18n.t("title.forecast_done", lang) + "."]
    else:
        reached = forecast.get("month_reached")
        if forecast.get("reachable") and reached is not None:
            first = i18n.t(
                "title.forecast_plan_reached",
                lang,
                pace=pace_txt,
                month=i18n.fmt_month(reached, lang),
            )
        else:
            first = i18n.t("title.forecast_plan_unreachable", lang, pace=pace_txt, month=end)
        sentences = [first + "."]
        if low is not None and high is not None and low != high:
            sentences.append(
                i18n.t(
                    "report.forecast_plan_range",
                    lang,
                    low=i18n.fmt_month(low, lang),
                    high=i18n.fmt_month(high, lang),
                )
            )
        elif low is not None and high is None:
            sentences.append(
                i18n.t(
                    "report.forecast_plan_range_open",
                    lang,
                    low=i18n.fmt_month(low, lang),
                    end=end,
                )
            )
        sentences.append(
            i18n.t(
                "report.forecast_plan_detail",
                lang,
                projects=i18n.fmt_int(forecast.get("pipeline_projects"), lang),
                jobs=i18n.fmt_int(forecast.get("pipeline_jobs"), lang),
                expected=i18n.fmt_int(forecast.get("pipeline_expected"), lang),
                fill=i18n.fmt_pct(forecast.get("fill_rate"), lang),
                repl=i18n.fmt_num(forecast.get("replacements_per_month") or 0.0, lang, 0),
            )
        )
    return _forecast_html(sentences, forecast, target, end, lang, source)


def _forecast_html(
    sentences: list[str], forecast: dict[str, Any], target: Any, end: str, lang: str, source
) -> Html:
    """Return the projection sentences in bold, then the target with its source."""
    # Latin source names keep their own order in Arabic.
    source = i18n.ltr(source or forecast.get("source") or "", lang)
    target_sentence = i18n.t(
        "report.forecast_target",
        lang,
        target=i18n.fmt_int(target, lang),
        end=end,
        source=source or i18n.t("ui.not_available", lang),
    )
    return Html(
        '<div class="awrach-forecast"><p class="lead"><strong>{}</strong></p>'
        '<p class="awrach-note">{}</p></div>'
    ).format(Markup(" ").join(sentences), target_sentence)


#: Ids of projects, partners and agreements (``P23-061``, ``ASSO-001``, ``K22-01``).
_ID = re.compile(r"(?<![\w-])[A-Z]{1,5}\d{0,2}-\d{2,4}(?![\w-])")


def ids_html(text: Any) -> Markup:
    """Return ``text`` escaped, each id in it kept whole and left to right.

    A project id such as ``P23-061`` would break at its hyphen at the end of a line, and in
    Arabic text its parts could be reordered: each id is wrapped in
    ``<bdi dir="ltr" class="aw-id">`` (``white-space: nowrap`` in the house CSS).

    Parameters
    ----------
    text : Any
        Plain text (escaped here), or :class:`markupsafe.Markup` (kept as it is).

    Returns
    -------
    markupsafe.Markup
        Safe HTML.
    """
    if isinstance(text, Markup):
        return text
    return Markup(
        _ID.sub(
            lambda m: f'<bdi dir="ltr" class="aw-id">{m.group(0)}</bdi>',
            str(escape(i18n.contain_bidi(str(text)))),
        )
    )


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: Iterable[int] = (),
    caption: str | None = None,
    total: bool = False,
    css: str = "",
) -> Html:
    """Return a table; every header and cell is escaped here (callers pass plain text)."""
    numeric = set(numeric)

    def th(j: int) -> Markup:
        return Markup(
            '<th scope="col" class="num">{}</th>' if j in numeric else '<th scope="col">{}</th>'
        )

    # Focusable region: a table wider than a phone scrolls, and a keyboard must reach it.
    name = caption or (header[0] if header else "")
    out = [
        Markup(
            '<div class="awrach-table {}" tabindex="0" role="region" aria-label="{}"><table>'
        ).format(_safe(css), _safe(name))
    ]
    if caption:
        out.append(Markup("<caption>{}</caption>").format(caption))
    out.append(Markup("<thead><tr>"))
    out += [th(j).format(_safe(h)) for j, h in enumerate(header)]
    out.append(Markup("</tr></thead><tbody>"))
    for i, row in enumerate(rows):
        is_total = total and i == len(rows) - 1
        out.append(Markup('<tr class="total">' if is_total else "<tr>"))
        out += [
            Markup('<td class="num"><bdi dir="ltr">{}</bdi></td>').format(_safe(v))
            if j in numeric
            else Markup("<td>{}</td>").format(ids_html(v))
            for j, v in enumerate(row)
        ]
        out.append(Markup("</tr>"))
    out.append(Markup("</tbody></table></div>"))
    return Html("").join(out)


def _count(value: Any, lang: str) -> str:

    return i18n.fmt_int(value, lang)


def commune_table(view_df, lang: str) -> Html:
    """Return the commune table (from :func:`commune_view`), sorted by jobs per 1,000 unemployed.

    Columns: commune, population 2024, unemployed 2024, unemployment rate, projects, jobs
    to date, jobs per 1,000 unemployed, equity ratio; a province total row closes it.
    Rates hidden with their count (see :func:`commune_view`) show "—".
    """
    import pandas as pd

    def rate(value: Any, digits: int) -> str:
        return "—" if value is None or pd.isna(value) else i18n.fmt_num(value, lang, digits)

    df = view_df.sort_values(
        ["jobs_per_1000_unemployed", "commune_code"], ascending=[False, True], na_position="last"
    )
    header = _headers(
        lang,
        "ui.commune",
        "col.population_2024",
        "col.unemployed_2024",
        "col.unemployment_rate_2024",
        "col.projects",
        "col.jobs_to_date",
        "col.jobs_per_1000_unemployed",
        "col.equity_ratio",
    )
    rows = []
    for r in df.to_dict("records"):
        unemployment = r.get("unemployment_rate_2024")
        rows.append(
            [
                i18n.commune_name(r, lang),
                _count(r.get("population_2024"), lang),
                _count(r.get("unemployed_2024"), lang),
                i18n.fmt_pct(None if pd.isna(unemployment) else float(unemployment) / 100, lang, 1),
                _count(r.get("projects"), lang),
                _count(r.get("jobs_to_date"), lang),
                rate(r.get("jobs_per_1000_unemployed"), 1),
                rate(r.get("equity_ratio"), 2),
            ]
        )
    from ..analysis.indicators import unemployment_rate

    unemployed = float(view_df["unemployed_2024"].sum())
    jobs = view_df.attrs.get("jobs_total")
    province_rate = unemployment_rate(view_df)
    rows.append(
        [
            i18n.t("ui.total", lang),
            _count(view_df["population_2024"].sum(), lang),
            _count(unemployed, lang),
            i18n.fmt_pct(None if pd.isna(province_rate) else province_rate / 100, lang, 1),
            _count(view_df["projects"].sum(), lang),
            _count(jobs, lang),
            rate(1000 * jobs / unemployed if jobs is not None and unemployed else None, 1),
            rate(1.0, 2),
        ]
    )
    table = _table(header, rows, numeric=range(1, 8), total=True)
    note = paragraph(
        i18n.t("ui.suppressed_note", lang, n=config.SMALL_COUNT_THRESHOLD), css="awrach-note"
    )
    return Html(table + note)


def group_table(breakdown_df, inclusion_df, by: str, lang: str) -> Html:
    """Return one breakdown level as a table: projects, planned jobs, people, women, youth.

    Parameters
    ----------
    breakdown_df : pandas.DataFrame
        ``indicators.breakdown(program, by, ...)``.
    inclusion_df : pandas.DataFrame
        ``indicators.inclusion(program, by=by, ...)`` (counts already suppressed, with its
        total row).
    by : str
        The level (``"partner_type"``, ``"domain"``...).
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    Html
        The table, a total row last; fill rates of groups whose peak jobs filled is below
        5 are not shown (they would give the count back).
    """
    import pandas as pd

    from ..analysis.indicators import LEVELS

    keys = list(LEVELS[by])
    code = keys[0]
    detail = inclusion_df[~inclusion_df["is_total"].astype(bool)]
    total = inclusion_df[inclusion_df["is_total"].astype(bool)]
    people = {
        str(k): r
        for k, r in zip(detail[code].astype("string"), detail.to_dict("records"), strict=True)
    }
    header = [
        i18n.t(f"level.{by}", lang),
        i18n.t("col.projects", lang),
        i18n.t("col.planned_jobs", lang),
        i18n.t("col.people", lang),
        i18n.t("col.women", lang),
        i18n.t("col.youth", lang),
        i18n.t("col.fill_rate", lang),
    ]
    rows = []
    for r in breakdown_df.to_dict("records"):
        p = people.get(str(r[code]), {})
        small = (
            pd.isna(r.get("peak_jobs_filled"))
            or r["peak_jobs_filled"] < config.SMALL_COUNT_THRESHOLD
        )
        rows.append(
            [
                i18n.group_label(r, by, lang),
                _count(r["projects"], lang),
                _count(r["planned_jobs"], lang),
                _count(p.get("people"), lang),
                _count(p.get("women"), lang),
                _count(p.get("youth"), lang),
                "—" if small else i18n.fmt_pct(r["fill_rate"], lang),
            ]
        )
    t = total.iloc[0] if len(total) else {}
    planned = breakdown_df["planned_jobs"].sum()
    peak = breakdown_df["peak_jobs_filled"].sum()
    rows.append(
        [
            i18n.t("ui.total", lang),
            _count(breakdown_df["projects"].sum(), lang),
            _count(planned, lang),
            _count(t.get("people"), lang),
            _count(t.get("women"), lang),
            _count(t.get("youth"), lang),
            i18n.fmt_pct(peak / planned if planned else None, lang),
        ]
    )
    caption = i18n.t("report.by", lang, level=i18n.t(f"level.{by}", lang).lower())
    return _table(header, rows, numeric=range(1, 7), total=True, caption=caption)


def reporting_table(reporting_df, lang: str, *, limit: int = 15) -> Html:
    """Return reporting punctuality: how many partners sent every report, and those who did not.

    Parameters
    ----------
    reporting_df : pandas.DataFrame
        ``indicators.reporting(program, ...)``.
    lang : {"fr", "ar", "en"}
        Language.
    limit : int
        Partners listed at most (least punctual first).

    Returns
    -------
    Html
        A sentence and a table of the partners with missing reports.
    """
    df = reporting_df
    late = df[df["missing_months"] > 0].sort_values(
        ["punctuality", "missing_months", "partner_id"], ascending=[True, False, True]
    )
    parts = [
        paragraph(
            i18n.tn(
                "report.reporting_summary",
                lang,
                int((df["missing_months"] == 0).sum()),
                ok=i18n.fmt_int((df["missing_months"] == 0).sum(), lang),
                total=i18n.fmt_int(len(df), lang),
            )
        )
    ]
    if len(late):
        header = _headers(
            lang,
            "col.partner_id",
            "col.partner_type",
            "col.projects",
            "col.months_expected",
            "col.months_reported",
            "col.missing_months",
            "col.punctuality",
        )
        rows = [
            [
                i18n.group_label(r, "partner", lang),
                i18n.label("partner_type", r["partner_type"], lang),
                _count(r["projects"], lang),
                _count(r["months_expected"], lang),
                _count(r["months_reported"], lang),
                _count(r["missing_months"], lang),
                i18n.fmt_pct(r["punctuality"], lang),
            ]
            for r in late.head(limit).to_dict("records")
        ]
        parts.append(
            paragraph(i18n.t("report.reporting_worst", lang, n=i18n.fmt_int(len(late), lang)))
        )
        parts.append(_table(header, rows, numeric=range(2, 7)))
        if len(late) > limit:
            parts.append(
                paragraph(
                    i18n.tn(
                        "report.more_rows",
                        lang,
                        len(late) - limit,
                        n=i18n.fmt_int(len(late) - limit, lang),
                    ),
                    css="awrach-note",
                )
            )
    return Html("").join(parts)


def attention_table(attention_df, program, lang: str, *, as_of: Any, limit: int = 30) -> Html:
    """Return the projects needing attention, most severe first, each with its reason in words.

    Parameters
    ----------
    attention_df : pandas.DataFrame
        ``indicators.attention(program, ...)``.
    program : Program
        For partner and commune names.
    lang : {"fr", "ar", "en"}
        Language.
    as_of : month
        Month of the report.
    limit : int
        Rows shown at most.

    Returns
    -------
    Html
        A sentence ("Projects needing attention: n of N") and the table: project, commune,
        partner, status, main reason, explanation (every flag), planned period, physical
        progress. No count of people is shown per project.
    """
    import pandas as pd

    month = i18n.fmt_month(as_of, lang)
    if attention_df.empty:
        return paragraph(i18n.t("report.attention_none", lang, month=month))
    partners = program.partners.set_index("partner_id")
    communes = program.communes
    # N of "n of N": the projects of the wave under review at that month (not the data set).
    total = attention_df.attrs.get("projects", len(attention_df))
    header = _headers(
        lang,
        "col.project_id",
        "ui.commune",
        "col.partner_id",
        "col.status",
        "col.reason",
        "report.col.explanation",
        "report.col.period",
        "col.physical_progress_pct",
    )
    rows = []
    for r in attention_df.head(limit).to_dict("records"):
        title = (
            r.get("title_ar") if lang == "ar" and pd.notna(r.get("title_ar")) else r.get("title_fr")
        )
        pid = r.get("partner_id")
        partner = (
            i18n.group_label({**partners.loc[pid].to_dict(), "partner_id": pid}, "partner", lang)
            if pid in partners.index
            else str(pid)
        )
        try:
            commune = i18n.commune_name(str(r["commune_code"]), lang, communes)
        except AwrachError:
            commune = str(r["commune_code"])
        flags = list(r.get("flags") or ())
        from ..analysis.indicators import UNDERFILL_THRESHOLD

        threshold = i18n.fmt_pct(UNDERFILL_THRESHOLD, lang)
        explanation = " ".join(i18n.t(f"reason_help.{f}", lang, threshold=threshold) for f in flags)
        progress = r.get("physical_progress_pct")
        rows.append(
            [
                f"{r['project_id']} — {title}",
                commune,
                partner,
                i18n.label("status", r.get("status"), lang),
                i18n.t(f"reason.{r['reason']}", lang),
                explanation,
                f"{i18n.fmt_month(r['planned_start'], lang, short=True)} – "
                f"{i18n.fmt_month(r['planned_end'], lang, short=True)}",
                i18n.fmt_pct(None if pd.isna(progress) else float(progress) / 100, lang),
            ]
        )
    parts = [
        paragraph(
            i18n.t(
                "title.schedule",
                lang,
                n=i18n.fmt_int(len(attention_df), lang),
                total=i18n.fmt_int(total, lang),
            )
        ),
        _table(header, rows, numeric=(7,), css="awrach-attention"),
    ]
    if len(attention_df) > limit:
        parts.append(
            paragraph(
                i18n.tn(
                    "report.more_rows",
                    lang,
                    len(attention_df) - limit,
                    n=i18n.fmt_int(len(attention_df) - limit, lang),
                ),
                css="awrach-note",
            )
        )
    return Html("").join(parts)
