"""Notebook views that follow the scope: a province in detail, wider scopes by province."""

from __future__ import annotations

from typing import Any

import pandas as pd
from markupsafe import Markup

from .. import i18n
from .report_html import Html, commune_table, group_table


def heading(program, lang: str) -> str:
    """Return the name of the data set's scope for a heading.

    A province: ``"Khénifra (05.301)"``; a region: ``"Région de Béni Mellal-Khénifra (05)"``;
    the country: ``"Maroc"``.
    """
    from ..reference.scopes import scope_label

    level = program.scope_level
    if level == "province":
        return f"{program.province} ({program.province_code})"
    name = scope_label(program.province_code, lang)
    if level == "national":
        return name
    return f"{i18n.t('scope.heading.region', lang, name=name)} ({program.province_code})"


def folded(content: Any, summary: str) -> Html:
    """Return ``content`` inside a ``<details>`` block: shown on a click, hidden at first.

    ``content`` is an :class:`Html` (or anything with ``_repr_html_``: a DataFrame, a
    Styler), or a DataFrame, rendered with escaping. ``summary`` is plain text (escaped).
    """
    if isinstance(content, pd.DataFrame):
        body = Markup(content.to_html(escape=True))
    elif isinstance(content, Markup):
        body = content
    elif hasattr(content, "to_html"):  # a Styler: it escapes as it was told to
        body = Markup(content.to_html())
    else:
        body = Markup(content._repr_html_())
    return Html('<details class="awrach-detail"><summary>{}</summary>{}</details>').format(
        summary, body
    )


def _provinces(program, as_of: Any, wave: int | None) -> pd.DataFrame:
    from ..analysis import territories

    return territories.territories(program, "province", as_of=as_of, wave=wave)


def province_maps(program, lang: str, *, as_of: Any, wave: int | None) -> list:
    """Return the province map of a region or the country (nothing for a province)."""
    if program.scope_level == "province":
        return []
    from .report_national import province_map

    return [province_map(program, _provinces(program, as_of, wave), lang)]


def commune_tables(program, communes: pd.DataFrame, lang: str, *, as_of: Any, wave) -> list:
    """Return the commune table of a province, or the province table and the communes folded.

    Parameters
    ----------
    program : Program
        The data set.
    communes : pandas.DataFrame
        ``report.commune_view(indicators.commune_context(...))``.
    lang : {"fr", "ar", "en"}
        Language.
    as_of, wave
        Month and wave of the figures.

    Returns
    -------
    list
        Things to display, in order.
    """
    table = commune_table(communes, lang)
    if program.scope_level == "province":
        return [table]
    from .report_national import province_table

    summary = i18n.t("scope.detail.communes", lang, n=i18n.fmt_int(len(communes), lang))
    return [province_table(_provinces(program, as_of, wave), lang), folded(table, summary)]


def commune_ranking(program, communes: pd.DataFrame, lang: str, *, as_of: Any, wave) -> list:
    """Return the commune ranking of a province, or the provinces' equity chart elsewhere.

    A ranking of a region's hundred-odd communes is a page-long bar chart; the provinces'
    shares of jobs against their shares of the unemployed say it in one figure.
    """
    from ..figures import charts, territory_charts

    if program.scope_level == "province":
        return [charts.commune_ranking(communes, lang, sample=program.is_sample)]
    provinces = _provinces(program, as_of, wave)
    return [territory_charts.equity_dots(provinces, lang, sample=program.is_sample)]


def partner_tables(program, lang: str, *, as_of: Any, wave: int | None) -> list:
    """Return the partner table of a province, or the province table and the partners folded."""
    from ..analysis import indicators

    def table(level: str) -> Html:
        return group_table(
            indicators.breakdown(program, level, as_of=as_of, wave=wave),
            indicators.inclusion(program, by=level, as_of=as_of, wave=wave),
            level,
            lang,
        )

    partners = table("partner")
    if program.scope_level == "province":
        return [partners]
    n = indicators.breakdown(program, "partner", as_of=as_of, wave=wave)["partner_id"].nunique()
    summary = i18n.t("scope.detail.partners", lang, n=i18n.fmt_int(n, lang))
    return [table("province"), folded(partners, summary)]


def place_levels(program) -> tuple[str, ...]:
    """Return the place levels a notebook tables: cercles and communes, or provinces.

    The last level is the one charted.
    """
    if program.scope_level == "province":
        return ("commune_type", "cercle", "commune")
    return ("commune_type", "province")


def inclusion_detail(program, lang: str, *, as_of: Any, wave: int | None) -> list:
    """Return, for a region or the country, women and youth by cercle and commune, folded.

    Nothing for a province (its notebook tables them in full). Counts below 5 are hidden
    as in :func:`~awrach_analysis.analysis.indicators.inclusion`.
    """
    if program.scope_level == "province":
        return []
    from ..analysis import indicators

    tables = []
    for level in ("cercle", "commune"):
        table = indicators.inclusion(program, by=level, as_of=as_of, wave=wave)
        labels = [i18n.group_label(row, level, lang) for row in table.to_dict("records")]
        tables.append(Markup(table.set_axis(labels).to_html(escape=True)))
    return [folded(Html("").join(tables), i18n.t("scope.detail.cercles", lang))]


def partner_provinces(program) -> pd.Series:
    """Return the province code of each implementing partner (of its first project)."""
    projects = program.projects[["agreement_id", "commune_code"]].merge(
        program.agreements[["agreement_id", "partner_id"]], on="agreement_id", how="left"
    )
    projects = projects.sort_values(["partner_id", "commune_code"], kind="stable")
    first = projects.drop_duplicates("partner_id").set_index("partner_id")["commune_code"]
    return first.astype("string").str.slice(0, 6)


def reporting_grid(program, reporting: pd.DataFrame, lang: str, *, as_of: Any) -> list:
    """Return the reports grid: partners × months, or provinces × months with partners folded.

    Each cell counts the projects that reported in the month; its colour, the projects
    that did not (darker: more missing).
    """
    from ..analysis import indicators
    from ..reference.communes import province_label

    grid = indicators.reporting_grid(program, as_of=as_of)
    partners = reporting["partner_id"]

    def styled(frame: pd.DataFrame, index) -> Any:
        reported = frame.pivot(index=index, columns="month", values="projects_reported")
        missing = frame.pivot(index=index, columns="month", values="projects_missing")
        order = partners if index == "partner_id" else reported.index
        return (
            reported.reindex(order)
            .style.background_gradient(cmap="Reds", axis=None, gmap=missing.reindex(order), vmin=0)
            .format_index("{:%Y-%m}", axis=1)
            .format_index(escape="html", axis=0)
        )

    by_partner = styled(grid, "partner_id")
    if program.scope_level == "province":
        return [by_partner]
    where = partner_provinces(program)
    codes = grid["partner_id"].map(where)
    grid = grid.assign(province=[province_label(c, lang) if pd.notna(c) else "—" for c in codes])
    by_province = (
        grid.groupby(["province", "month"], as_index=False)[
            ["projects_reported", "projects_missing"]
        ]
        .sum()
        .sort_values(["province", "month"])
    )
    summary = i18n.t("scope.detail.partners", lang, n=i18n.fmt_int(len(partners), lang))
    return [styled(by_province, "province"), folded(by_partner, summary)]


__all__ = [
    "heading",
    "folded",
    "province_maps",
    "commune_tables",
    "commune_ranking",
    "partner_tables",
    "place_levels",
    "inclusion_detail",
    "partner_provinces",
    "reporting_grid",
]
