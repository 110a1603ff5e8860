"""HTML fragments of the national and regional report: headline cards, quota note, tables."""

from __future__ import annotations

from typing import Any

import pandas as pd
from markupsafe import Markup

from .. import i18n
from .report_html import Html, _safe, _table, headline_cards

#: Display simplification of the commune map of a whole country or region (degrees,
#: about 1 km): 1,503 communes stay under ~1.5 MB of GeoJSON.
COMMUNE_MAP_TOLERANCE = {"national": 0.01, "region": 0.004}


def scope_cards(headline_df: pd.DataFrame, lang: str, *, as_of: Any, readings=None) -> Html:
    """Return the headline cards of the country or region, then what its quota is made of.

    Parameters
    ----------
    headline_df : pandas.DataFrame
        ``territories.scope_headline(...)`` (its ``attrs["target"]`` says where the quota
        comes from).
    lang : {"fr", "ar", "en"}
        Language.
    as_of : month
        Month of the report.
    readings : dict, optional
        ``indicators.other_readings(...)``.

    Returns
    -------
    Html
        The cards of :func:`report_html.headline_cards` and a ``p.awrach-quota`` note: the
        national target and its source; for a region, the sum of its provinces' quotas,
        or, when some province has none, that there is no regional quota (with how many
        provinces have one); quotas marked synthetic are named so.
    """
    cards = headline_cards(headline_df, lang, as_of=as_of, readings=readings)
    text = quota_note(headline_df.attrs.get("target") or {}, lang)
    note = Markup('<p class="awrach-note awrach-quota">{}</p>').format(_safe(text))
    return Html("\n").join([cards, note])


def quota_note(target: dict, lang: str) -> str:
    """Return what the quota of a country or region is made of, in one or two sentences.

    Parameters
    ----------
    target : dict
        ``territories.scope_target(...)`` (``scope_headline(...).attrs["target"]``).
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The national target and its source; for a region, the sum of its provinces'
        quotas, or, when some province has none, that there is no quota for the whole
        (with how many provinces have one); quotas marked synthetic are named so.
    """
    n = target.get("provinces_with_target", 0)
    total = target.get("provinces", 0)
    if target.get("target") is None:
        text = i18n.t(
            "report.national.no_quota",
            lang,
            n=i18n.fmt_int(n, lang),
            total=i18n.fmt_int(total, lang),
        )
    else:
        text = i18n.t(
            "report.national.quota",
            lang,
            target=i18n.fmt_int(target["target"], lang),
            source=str(target.get("source") or ""),
            n=i18n.fmt_int(n, lang),
            total=i18n.fmt_int(total, lang),
        )
    if target.get("synthetic") or "synthetic" in str(target.get("source") or ""):
        text += " " + i18n.t("report.national.synthetic_quota", lang)
    return text


def _num(value: Any, lang: str, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "–"
    if isinstance(value, str):  # a suppressed count: "<5" or "x"
        return value
    return i18n.fmt_num(float(value), lang, digits) if digits else i18n.fmt_int(value, lang)


def province_table(provinces: pd.DataFrame, lang: str) -> Html:
    """Return the provinces ranked by share of quota, with equity and phase.

    Parameters
    ----------
    provinces : pandas.DataFrame
        ``territories(program, "province")`` (or ``"region"``).
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    Html
        One row per place, highest share of quota first, places without a quota last
        (their quota shown as "no quota", never a made-up one; a synthetic quota marked
        with ``*``): name, phase, jobs to date, quota, % of quota, women share, unemployed
        2024, jobs per 1,000 unemployed, equity ratio.
    """
    level = "province" if "province_code" in provinces else "region"
    d = provinces.copy()
    d["_v"] = pd.to_numeric(d["pct_of_target"], errors="coerce")
    d = d.sort_values(["_v", f"{level}_code"], ascending=[False, True], na_position="last")
    name = "name_ar" if lang == "ar" else "name_fr"
    no_quota = i18n.t("report.national.no_quota_cell", lang)
    rows = []
    for r in d.to_dict("records"):
        synthetic = bool(r.get("target_synthetic"))
        quota = no_quota if pd.isna(r["target"]) else _num(r["target"], lang)
        if synthetic and not pd.isna(r["target"]):
            quota += " *"
        rows.append(
            [
                str(r[name]),
                _num(r.get("phase"), lang),
                _num(r["jobs_to_date"], lang),
                quota,
                "–" if pd.isna(r["_v"]) else i18n.fmt_pct(r["_v"] / 100, lang),
                "–" if pd.isna(r["women_share"]) else i18n.fmt_pct(r["women_share"], lang),
                _num(r["unemployed_2024"], lang),
                _num(r["jobs_per_1000_unemployed"], lang, 1),
                _num(r["equity_ratio"], lang, 2),
            ]
        )
    header = [
        i18n.t(f"report.national.col.{level}", lang),
        *(
            i18n.t(f"report.national.col.{k}", lang)
            for k in (
                "phase",
                "jobs_to_date",
                "target",
                "pct_of_target",
                "women_share",
                "unemployed",
                "per_1000",
                "equity_ratio",
            )
        ),
    ]
    caption = i18n.t(f"report.national.table.{level}", lang)
    table = _table(header, rows, numeric=range(1, 9), caption=caption, css="awrach-provinces")
    if d["target_synthetic"].astype(bool).any() if "target_synthetic" in d else False:
        note = Markup('<p class="awrach-note">{}</p>').format(
            i18n.t("report.national.synthetic_mark", lang)
        )
        return Html("\n").join([table, note])
    return table


def province_map(program, provinces: pd.DataFrame, lang: str, *, context: str = "report"):
    """Return the choropleth of the scope's provinces: jobs per 1,000 unemployed.

    The provinces are dissolved from the scope's communes
    (:func:`~awrach_analysis.figures.maps.province_shapes`) and simplified for display.
    """
    from ..figures import maps
    from ..figures.style import source_line
    from ..reference.scopes import scope_label

    place = scope_label(program.province_code, lang)
    return maps.national_map(
        provinces,
        maps.province_shapes(program.communes),
        value="jobs_per_1000_unemployed",
        lang=lang,
        title=i18n.t("report.national.map.provinces", lang, place=place),
        source=source_line(lang, sample=program.is_sample),
        context=context,
    )


def commune_map(program, as_of: Any, wave: int | None, lang: str):
    """Return the choropleth of every commune of the scope, small counts hidden.

    Jobs per 1,000 unemployed from ``indicators.commune_context`` through
    ``commune_view`` (counts below 5 hidden, as in the province report), no cercle
    outlines, geometry simplified to :data:`COMMUNE_MAP_TOLERANCE` of the scope level.
    """
    from ..analysis import indicators
    from ..figures import maps
    from ..figures.style import source_line
    from ..reference.scopes import scope_label

    view = indicators.commune_view(indicators.commune_context(program, as_of=as_of, wave=wave))
    place = scope_label(program.province_code, lang)
    return maps.commune_map(
        view,
        program.communes,
        lang=lang,
        show_cercles=False,
        title=i18n.t("report.national.map.communes", lang, place=place),
        source=source_line(lang, sample=program.is_sample),
        tolerance=COMMUNE_MAP_TOLERANCE.get(program.scope_level, 0.002),
    )


__all__ = [
    "COMMUNE_MAP_TOLERANCE",
    "scope_cards",
    "quota_note",
    "province_table",
    "province_map",
    "commune_map",
]
