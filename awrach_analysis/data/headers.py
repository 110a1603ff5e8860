"""Match the headers people write to the model's columns; spot personal data and totals rows."""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from ..model.schema import (
    ORGANISATION_WORDS,
    PERSON_WORDS,
    PERSONAL_DATA_HEADERS,
    PERSONAL_ID_WORDS,
    PERSONAL_NAME_WORDS,
    TABLES,
    TOTAL_LABELS,
)
from .parse import FILLER_WORDS, as_text, closest, header_key, loose_key, words

__all__ = [
    "GENERIC_ID_WORDS",
    "HeaderMatch",
    "column_aliases",
    "column_for_header",
    "match_header",
    "is_personal_header",
    "names_personal_id",
    "is_total_label",
    "formula_total_rows",
    "table_for_name",
]

#: Words that say "identifier" without saying of what: a header made only of them (and
#: filler words) names the table's key when the key is one id column (``N°``, ``Code``,
#: ``Identifiant``, ``رقم``).
GENERIC_ID_WORDS = frozenset(
    (
        "id", "identifiant", "identifier", "code", "n", "no", "nr", "num", "numero", "ref",
        "reference", "رقم", "رمز", "معرف",
    )
)  # fmt: skip

_TABLE_KEYS: dict[str, str] = {}
for _t in TABLES.values():
    for _alias in _t.aliases:
        _TABLE_KEYS.setdefault(header_key(_alias), _t.name)


def table_for_name(name: str) -> str | None:
    """Return the table a file stem or sheet name stands for (en/fr/ar, any case/accents).

    Examples
    --------
    >>> table_for_name("Suivi_mensuel"), table_for_name("المشاريع"), table_for_name("x")
    ('progress', 'projects', None)
    """
    return _TABLE_KEYS.get(header_key(name))


def column_aliases(table: str) -> dict[str, list[str]]:
    """Return every header accepted for each column of ``table``.

    A column's own aliases come first; an ``id`` column that references another table
    also accepts the headers of the column it references (``N° convention`` for
    ``projects.agreement_id``), unless another column of the table already uses them.
    """
    t = TABLES[table]
    out: dict[str, list[str]] = {c.name: list(c.aliases) for c in t.columns}
    taken = {header_key(a) for aliases in out.values() for a in aliases}
    for c in t.columns:
        if c.kind == "id" and c.references:
            ref_table, ref_column = c.references.split(".")
            for alias in TABLES[ref_table].column(ref_column).aliases:
                if header_key(alias) not in taken:
                    out[c.name].append(alias)
                    taken.add(header_key(alias))
    return out


@dataclass(frozen=True)
class HeaderMatch:
    """How a header was matched to a column of a table.

    Attributes
    ----------
    column : str or None
        Canonical column, ``None`` when the header names none (or several).
    strength : int
        0 exact (case, accents, spaces and punctuation folded, a unit in brackets
        ignored), 1 loose (word order and filler words ignored too), 2 a generic id word
        taken for the table's key. A lower strength wins when two headers name one column.
    candidates : tuple of str
        Columns a header could mean when it is ambiguous (``column`` is then ``None``).
    closest : tuple of str
        Accepted headers closest to an unknown header, best first (suggestions only).
    """

    column: str | None
    strength: int = 0
    candidates: tuple[str, ...] = ()
    closest: tuple[str, ...] = ()


class _Index:
    """Exact and loose header keys of one table."""

    def __init__(self, table: str):
        self.table = table
        self.aliases = column_aliases(table)
        self.exact: dict[str, str] = {}
        loose: dict[str, set[str]] = {}
        for name, aliases in self.aliases.items():
            for alias in aliases:
                self.exact.setdefault(header_key(alias), name)
                if key := loose_key(alias):
                    loose.setdefault(key, set()).add(name)
        #: loose key -> column, for keys that name exactly one column.
        self.loose = {k: next(iter(v)) for k, v in loose.items() if len(v) == 1}
        #: loose keys that several columns share: a header with one of them is not read.
        self.ambiguous = {k: tuple(sorted(v)) for k, v in loose.items() if len(v) > 1}
        t = TABLES[table]
        ids = [k for k in t.key if t.column(k).kind == "id"]
        #: The column a generic id header names, ``None`` when the key has no single id
        #: (progress: project and month; beneficiaries: two ids).
        self.generic_id = ids[0] if len(t.key) == 1 and ids else None
        self.generic_candidates = tuple(ids) if len(ids) > 1 else ()
        self.spellings = [a for aliases in self.aliases.values() for a in aliases]


_INDEX = {name: _Index(name) for name in TABLES}
_UNIT_SUFFIX = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


def match_header(table: str, header: Any) -> HeaderMatch:
    """Return how ``header`` matches a column of ``table`` (see :class:`HeaderMatch`).

    Tried in order: the header's key (:func:`~.parse.header_key`) among the accepted
    headers, then without a unit in brackets (``Budget (DH)``), then its loose key
    (:func:`~.parse.loose_key`: ``Début prévu`` = ``date de début``), then a generic id
    (``N°``, ``Code``) for a table whose key is one id column. A loose key shared by two
    columns is never resolved: ``candidates`` lists them.
    """
    return _match(table, as_text(header).strip())


#: Separator of a bilingual header, one language per line or ``French / Arabic``.
_BILINGUAL = re.compile(r"\s*[\r\n]+\s*|\s+/\s+")


@lru_cache(maxsize=8192)
def _match(table: str, text: str) -> HeaderMatch:
    index = _INDEX[table]
    if _BILINGUAL.search(text):
        # A bilingual header (the fill-in template's) names a column when every part
        # names that same column; a header mixing two columns names none.
        parts = [_match(table, part) for part in _BILINGUAL.split(text) if part]
        found = {m.column for m in parts}
        if len(found) == 1 and None not in found:
            return HeaderMatch(found.pop(), max(m.strength for m in parts))
        if None not in found:
            return HeaderMatch(None, 1, candidates=tuple(sorted(found)))
    forms = [text]
    if _UNIT_SUFFIX.search(text):
        forms.append(_UNIT_SUFFIX.sub("", text))
    for form in forms:
        if (column := index.exact.get(header_key(form))) is not None:
            return HeaderMatch(column, 0)
    for form in forms:
        key = loose_key(form)
        if key in index.loose:
            return HeaderMatch(index.loose[key], 1)
        if key in index.ambiguous:
            return HeaderMatch(None, 1, candidates=index.ambiguous[key])
    folded = set(words(text))
    if folded and folded <= GENERIC_ID_WORDS:
        if index.generic_id:
            return HeaderMatch(index.generic_id, 2)
        if index.generic_candidates:
            return HeaderMatch(None, 2, candidates=index.generic_candidates)
    near: dict[str, str] = {}  # column -> its closest spelling, best columns first
    for spelling in closest(text, index.spellings, n=10):
        near.setdefault(index.exact[header_key(spelling)], spelling)
    return HeaderMatch(None, 0, closest=tuple(list(near.values())[:3]))


def column_for_header(table: str, header: Any) -> str | None:
    """Return the canonical column a header names in ``table`` (None when unknown).

    Headers match in English, French or Arabic, whatever the case, accents, spacing,
    punctuation, word order, filler words (``de``, ``la``, ``date``, ``prévu``...) or
    Arabic letter variants; a unit in brackets at the end is ignored (``Budget (DH)``);
    ``N°``, ``Code`` or ``Identifiant`` alone name the table's key when it is one id.
    """
    return match_header(table, header).column


# --- personal data -------------------------------------------------------------------------

_PERSONAL_KEYS = {header_key(h) for h in PERSONAL_DATA_HEADERS}


def _word_set(items: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for item in items for w in words(item))


_ID_WORDS = _word_set(PERSONAL_ID_WORDS)
_NAME_WORDS = _word_set(PERSONAL_NAME_WORDS)
_ORG_WORDS = _word_set(ORGANISATION_WORDS)
_PERSON_WORDS = _word_set(PERSON_WORDS)
#: Person words that, alone, head a column of people's names (``Président``, ``الرئيس``);
#: not ``Bénéficiaires``, a count in a progress report.
_ROLE_WORDS = _PERSON_WORDS - _word_set(
    (
        "bénéficiaire",
        "beneficiary",
        "مستفيد",
        "personne",
        "person",
        "ouvrier",
        "travailleur",
        "عامل",
    )
)


def is_personal_header(header: Any) -> bool:
    """Return True when a header names personal data about a person.

    Personal: a header with a word of ``schema.PERSONAL_ID_WORDS`` (CIN, CNIE, phone, GSM,
    RIB, bank account, e-mail, birth: ``N°CIN``, ``N°Tél``, ``Né(e) le``, ``رقم البطاقة``),
    whoever it belongs to; or a header with a word of ``schema.PERSONAL_NAME_WORDS``
    (name, first name, address) unless it names an organisation
    (``schema.ORGANISATION_WORDS``: ``Nom de l'association``, ``اسم الجمعية`` are public)
    and no person (``Nom du président`` is personal); or a header made only of a role
    (``Président(e) de l'association``, ``Responsable``, ``الرئيس``), whose cells are names.
    Any header equal to one of ``schema.PERSONAL_DATA_HEADERS`` is personal.
    """
    text = as_text(header)
    if header_key(text) in _PERSONAL_KEYS or names_personal_id(text):
        return True
    folded = set(words(text))
    rest = folded - FILLER_WORDS - _ORG_WORDS - {"e"}  # "Président(e) de l'association"
    if rest and rest <= _ROLE_WORDS:
        return True
    if folded & _NAME_WORDS:
        return not (folded & _ORG_WORDS) or bool(folded & _PERSON_WORDS)
    return False


def names_personal_id(header: Any) -> bool:
    """Return True when a header names an identity number, phone, account, e-mail or birth.

    Such a header (a word of ``schema.PERSONAL_ID_WORDS``) is personal whatever the table.
    """
    folded = words(as_text(header))
    if set(folded) & _ID_WORDS:
        return True
    # "Né(e) le", "Née le", "Né à" (born on, born in); not "Ne pas remplir"
    return any(w in ("ne", "nee") and nxt in ("e", "le", "a") for w, nxt in pairwise(folded))


# --- totals rows ---------------------------------------------------------------------------

_TOTAL_KEYS = {loose_key(label) for label in TOTAL_LABELS}
_TOTAL_FIRST = {words(label)[0] for label in TOTAL_LABELS}
#: Cheap test first: every label holds one of these (most cells are not labels at all).
_TOTAL_HINT = re.compile(r"tota|مجموع|جمال", re.IGNORECASE)


def is_total_label(value: Any) -> bool:
    """Return True when a cell reads as the label of a totals row.

    ``Total``, ``Totaux``, ``TOTAL GÉNÉRAL``, ``Sous-total``, ``المجموع``, ``المجموع الفرعي``
    (``schema.TOTAL_LABELS``), alone or followed by up to three words (``Total 2022``,
    ``Total K1``, ``Total général :``).
    """
    if not isinstance(value, str) or not _TOTAL_HINT.search(value, 0, 40):
        return False
    folded = words(value)
    if not folded or len(folded) > 5:
        return False
    if loose_key(value) in _TOTAL_KEYS:
        return True
    return any(
        loose_key(" ".join(folded[:n])) in _TOTAL_KEYS and folded[0] in _TOTAL_FIRST for n in (1, 2)
    )


_COLUMN_SUM = re.compile(
    r"=\s*(?:SUM|SOMME|SUBTOTAL|SOUS\.TOTAL)\s*\(\s*(?:\d+\s*[;,]\s*)?"
    r"\$?([A-Z]{1,3})\$?(\d+)\s*:\s*\$?([A-Z]{1,3})\$?(\d+)\s*\)\s*$",
    re.IGNORECASE,
)


#: A column total anywhere in a sheet's XML (same column letters on both sides of ``:``).
_COLUMN_SUM_BYTES = re.compile(
    rb"(?i)(?:SUM|SUBTOTAL)\((?:\d+[;,])?\$?([A-Z]{1,3})\$?\d+:\$?\1\$?\d+\)"
)


def _is_column_sum(value: Any) -> bool:
    m = _COLUMN_SUM.match(value) if isinstance(value, str) else None
    return bool(m) and m[1].upper() == m[3].upper() and m[2] != m[4]


def formula_total_rows(path: Any) -> collections.defaultdict[str, set[int]]:
    """Return, per sheet of a workbook, the rows whose numbers are all column-total formulas.

    A row is a totals row when it holds at least one ``=SUM(C4:C11)`` (or ``SUBTOTAL``)
    over several rows of one column and no number typed as such (text labels allowed): a
    row-wise ``=SUM(D5:F5)`` beside typed numbers is data. Workbooks without any column
    ``SUM``/``SUBTOTAL`` in their sheets' XML are not opened a second time. An unreadable workbook
    gives no rows (reading it reports the problem).

    Parameters
    ----------
    path : str or Path
        An ``.xlsx``/``.xlsm`` file.

    Returns
    -------
    collections.defaultdict of str to set of int
        Sheet title -> Excel row numbers (an empty set for any other sheet).
    """
    import zipfile

    out: collections.defaultdict[str, set[int]] = collections.defaultdict(set)
    try:
        with zipfile.ZipFile(path) as z:
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
            if not any(_COLUMN_SUM_BYTES.search(z.read(n)) for n in sheets):
                return out
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - the reader reports unreadable workbooks
        return out
    try:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # other tools may declare fewer rows than the sheet holds
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
                sums = [v for v in row if _is_column_sum(v)]
                typed = [v for v in row if isinstance(v, (int, float)) and not isinstance(v, bool)]
                if sums and not typed:
                    out[ws.title].add(n)
    finally:
        wb.close()
    return out


def context_table(table: str, header: str) -> str | None:
    """Return the table whose column a header repeats for reading comfort, or None.

    A progress sheet may show each project's title or commune beside its id (the monthly
    template does): such a header names a column of a table that ``table`` references
    (``projects`` for ``progress``), in any of the languages of a bilingual header.
    """
    parts = [header, *(p for p in _BILINGUAL.split(as_text(header)) if p)]
    for c in TABLES[table].columns:
        ref = c.references.split(".")[0] if c.references else None
        if ref and ref != table and any(column_for_header(ref, p) for p in parts):
            return ref
    return None


#: Sheets that hold notes for people, not a table (the fill-in template's instructions).
NOTE_SHEETS = ("instructions", "notice", "lisez-moi", "read me", "تعليمات", "إرشادات")
_NOTE_KEYS = {header_key(n) for n in NOTE_SHEETS}


def is_note_sheet(name: str) -> bool:
    """Return True for a sheet of notes (``Instructions``, ``تعليمات``...): it is not read."""
    return header_key(name) in _NOTE_KEYS
