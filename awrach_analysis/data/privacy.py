"""Personal data on read: keyed pseudonyms for identity numbers, and no personal value in messages.

Two rules live here and only here (see PRIVACY.md):

- **Pseudonymous keys.** A beneficiary identifier that is a CIN/CNIE (the column header
  says so, or a value looks like one) is replaced on read by
  ``ps-`` + the first 20 hex digits of HMAC-SHA-256(secret, normalised CIN). The secret
  comes from ``AWRACH_PSEUDONYM_KEY`` or from the file named by
  ``AWRACH_PSEUDONYM_KEY_FILE`` (outside the repository); the same CIN always gives the
  same pseudonym with the same secret, so duplicates across files and months are still
  found. The CIN itself is dropped before any check, message or quarantine sees it.
- **No personal value in a message.** A problem about a cell of the beneficiaries or
  payroll table,
  or whose value or header looks like personal data (CIN, phone, e-mail, bank account),
  carries no value and is worded by :func:`redact` from the catalogue ("personal data,
  not shown"), whatever code created it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import config, i18n
from ..errors import PseudonymKeyError
from ..model.schema import TABLES
from .parse import as_text, is_blank, normalise

__all__ = [
    "KEY_ENV",
    "KEY_FILE_ENV",
    "PREFIX",
    "looks_like_cin",
    "looks_personal",
    "is_cin_header",
    "is_pseudonym",
    "pseudonym",
    "secret_key",
    "identifier_position",
    "pseudonymise_rows",
    "redact",
    "personal_value_guard",
    "shown",
    "PUBLIC_COLUMNS",
]

#: Environment variable holding the pseudonym secret itself.
KEY_ENV = "AWRACH_PSEUDONYM_KEY"
#: Environment variable naming a file (outside the repository) that holds the secret.
KEY_FILE_ENV = "AWRACH_PSEUDONYM_KEY_FILE"
#: Every pseudonym starts with this prefix (and so never looks like a CIN).
PREFIX = "ps-"
#: Hex digits kept from the HMAC (80 bits: no collision among millions of people).
DIGITS = 20
#: Shortest secret accepted (characters): a short secret could be guessed.
MIN_SECRET = 16

# Moroccan CIN/CNIE: one or two letters then digits (BE123456, A12345). Spaces and dots
# typed inside are ignored; a hyphen is not (keys such as B22-0001 are not CINs).
_CIN = re.compile(r"[A-Z]{1,2}\d{3,7}")
_PSEUDONYM = re.compile(r"ps-[0-9a-f]{20}")
_PHONE = re.compile(r"(?<!\d)(?:(?:\+|00)212[ .\-]?|0)[5-7](?:[ .\-]?\d){8}(?!\d)")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_RIB = re.compile(r"(?:\d[ \-]?){24}")
_CIN_WORDS = {"cin", "cnie", "c.i.n", "c.i.n."}
_CIN_PHRASES = ("carte nationale", "carte d'identite", "البطاقة الوطنية", "رقم البطاقة")


def _compact(text: str) -> str:
    return re.sub(r"[\s.]", "", text).upper()


def looks_like_cin(text: Any) -> bool:
    """Return True when ``text`` has the shape of a Moroccan CIN/CNIE.

    Examples
    --------
    >>> looks_like_cin("BE123456"), looks_like_cin(" a 12345 "), looks_like_cin("B22-0001")
    (True, True, False)
    """
    if is_blank(text):
        return False
    return bool(_CIN.fullmatch(_compact(as_text(text))))


def is_pseudonym(text: Any) -> bool:
    """Return True when ``text`` is already a pseudonym made by :func:`pseudonym`."""
    return not is_blank(text) and bool(_PSEUDONYM.fullmatch(as_text(text).strip()))


def looks_personal(text: Any) -> bool:
    """Return True when a value looks like personal data: CIN, phone, e-mail or bank account.

    Used on every problem, whatever its table, so that a phone typed in a wrong column is
    not quoted back.
    """
    if is_blank(text):
        return False
    s = as_text(text).strip()
    return bool(looks_like_cin(s) or _EMAIL.search(s) or _PHONE.search(s) or _RIB.fullmatch(s))


def is_cin_header(header: Any) -> bool:
    """Return True when a column header says it holds CIN/CNIE numbers (fr/ar/en).

    Examples
    --------
    >>> is_cin_header("N° CIN"), is_cin_header("CNIE"), is_cin_header("clé")
    (True, True, False)
    """
    if is_blank(header):
        return False
    text = normalise(as_text(header))
    words = set(re.split(r"[\s°/_\-]+", text))
    if words & _CIN_WORDS:
        return True
    return any(normalise(p) in text for p in _CIN_PHRASES)


def secret_key(environ: dict[str, str] | None = None) -> bytes:
    """Return the pseudonym secret from the environment.

    ``AWRACH_PSEUDONYM_KEY`` holds the secret itself; ``AWRACH_PSEUDONYM_KEY_FILE`` names
    a file holding it (surrounding whitespace ignored), which must lie outside the
    project folder so that it is never committed or shipped with the data.

    Raises
    ------
    PseudonymKeyError
        When neither is set, the file cannot be read or lies inside the project, or the
        secret is shorter than :data:`MIN_SECRET` characters. The message is in French,
        Arabic and English.
    """
    env = os.environ if environ is None else environ
    value = env.get(KEY_ENV, "")
    if not value and env.get(KEY_FILE_ENV):
        path = Path(env[KEY_FILE_ENV]).expanduser()
        try:
            resolved = path.resolve()
            inside = config.IN_CHECKOUT and resolved.is_relative_to(config.PROJECT_DIR.resolve())
            if inside:
                raise _error("privacy.key_file_inside", file=path.name)
            value = resolved.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            raise _error("privacy.key_file_unreadable", file=path.name) from None
    value = value.strip()
    if not value:
        raise _error("privacy.key_missing", env=KEY_ENV, env_file=KEY_FILE_ENV)
    if len(value) < MIN_SECRET:
        raise _error("privacy.key_short", n=MIN_SECRET, env=KEY_ENV)
    return value.encode("utf-8")


def _error(key: str, **params: Any) -> PseudonymKeyError:
    texts = {lang: i18n.t(key, lang, **params) for lang in config.LANGUAGES}
    return PseudonymKeyError(texts, key)


def pseudonym(value: Any, key: bytes) -> str:
    """Return the keyed pseudonym of an identity number.

    The CIN is normalised first (spaces and dots removed, upper case), so ``"be 123456"``
    and ``"BE123456"`` give the same pseudonym. Different secrets give unrelated
    pseudonyms; without the secret the CIN cannot be recovered.

    Parameters
    ----------
    value : Any
        The identifier as read.
    key : bytes
        The secret (:func:`secret_key`).

    Returns
    -------
    str
        ``"ps-"`` followed by 20 lowercase hex digits.
    """
    digest = hmac.new(key, _compact(as_text(value)).encode("utf-8"), hashlib.sha256)
    return PREFIX + digest.hexdigest()[:DIGITS]


#: Tables whose rows are about one person each: the beneficiaries and their payroll.
PERSON_TABLES = frozenset({"beneficiaries", "payroll"})


def identifier_position(table: str, headers: list[str], column_of) -> int | None:
    """Return the position of a CIN column to read as the beneficiary key, if any.

    In a table of :data:`PERSON_TABLES`, when no header names ``beneficiary_key`` but one
    says CIN or CNIE, that column is the identifier (it is pseudonymised on read by
    :func:`pseudonymise_rows`). ``column_of(header)`` maps a header to its column.
    """
    if table not in PERSON_TABLES:
        return None
    if any(column_of(h) == "beneficiary_key" for h in headers if h):
        return None
    return next((pos for pos, h in enumerate(headers) if is_cin_header(h)), None)


def pseudonymise_rows(
    table: str, headers: list[str], columns: dict[str, int], rows: list[list[Any]]
) -> None:
    """Replace CIN identifiers of the beneficiaries and payroll by their pseudonyms.

    ``rows`` (the list) is changed in place: each changed row is replaced by a new list,
    so the row lists the caller read from the sheet are never modified.

    The beneficiary key column is pseudonymised when its header says CIN/CNIE or when any
    of its values looks like a CIN (then every value of the column is, so that one typo
    cannot leave a CIN in clear). Values that are already pseudonyms are kept. The secret
    is asked for only when there is something to pseudonymise.

    Raises
    ------
    PseudonymKeyError
        When a CIN must be pseudonymised and no secret is configured.
    """
    if table not in PERSON_TABLES or "beneficiary_key" not in columns:
        return
    pos = columns["beneficiary_key"]
    values = {r[pos] for r in rows if pos < len(r)}  # each distinct key checked once
    if not (is_cin_header(headers[pos]) or any(looks_like_cin(v) for v in values)):
        return
    key = secret_key()
    memo: dict[str, str] = {}
    for i, r in enumerate(rows):
        if pos >= len(r) or is_blank(r[pos]) or is_pseudonym(r[pos]):
            continue
        text = as_text(r[pos])
        if text not in memo:
            memo[text] = pseudonym(text, key)
        rows[i] = [*r[:pos], memo[text], *r[pos + 1 :]]  # the caller's row lists stay as read


# --- no personal value in a message --------------------------------------------------------

#: Rules about headers, files and tables: no cell value in them, worded as they are.
_HEADER_RULES = frozenset(
    {
        "personal_data",
        "unknown_column",
        "duplicate_column",
        "missing_column",
        "missing_table",
        "unknown_table",
        "beneficiaries_coverage",
        "province",
        # about a header, a sheet or a whole column: no cell value is quoted
        "ambiguous_column",
        "column_fallback",
        "context_column",
        "note_sheet",
        "no_header",
        "totals_row",
        "wave_inferred",
        "formula_no_value",
        "xls_formats",
    }
)
_PERSONAL_RULE_KEYS = {
    "required": "problem.personal.required",
    "type": "problem.personal.type",
    "allowed_values": "problem.personal.allowed_values",
    "range": "problem.personal.range",
    "commune": "problem.personal.commune",
    "unique": "problem.personal.unique",
    "reference": "problem.personal.reference",
    "date_order": "problem.personal.date_order",
    "date_far_future": "problem.personal.date_implausible",
    "two_digit_year": "problem.personal.date_implausible",
}


def shown(value: Any, table: str | None = None, canonical: str | None = None) -> str:
    """Return a cell as text for a quarantine frame, or a mark when it may be personal.

    A phone, e-mail, CIN or bank account typed in a wrong column is not kept in the
    quarantine (nor in any export or store made from it). In the beneficiaries and payroll
    tables (``table``), every cell is a fact about a person (sex, age, dates, days, amounts,
    or a birth date or name typed in a wrong column), so only the pseudonymous key and the
    :data:`PUBLIC_COLUMNS` (given by their ``canonical`` column name) are kept; the row
    is found again by its file, sheet and Excel row.
    """
    if looks_personal(value):
        return i18n.t("privacy.hidden_value", "en")
    if table in PERSON_TABLES and not is_blank(value):
        public = (table, canonical) in PUBLIC_COLUMNS
        key = canonical == "beneficiary_key" and is_pseudonym(value)
        if not (public or key):
            return i18n.t("privacy.hidden_value", "en")
    return as_text(value)


#: Columns of the beneficiaries table that name something public, not the person: the
#: project a contract belongs to. Their values may be quoted (unless they look personal).
PUBLIC_COLUMNS = frozenset({("beneficiaries", "project_id"), ("payroll", "project_id")})


def personal_value_guard(
    table: str, column: str | None, value: Any, canonical: str | None = None
) -> bool:
    """Return True when a problem about this cell must not show its value.

    True for every cell of the beneficiaries and payroll tables (except
    :data:`PUBLIC_COLUMNS`, given by their ``canonical`` column name), for a column whose
    header looks like an identity number, a phone or an e-mail (a file read without its
    header row), and for any value that looks like personal data (:func:`looks_personal`).
    """
    return (
        (table in PERSON_TABLES and (table, canonical) not in PUBLIC_COLUMNS)
        or (column is not None and (is_cin_header(column) or looks_personal(column)))
        or looks_personal(value)
    )


def redact(problem, canonical: str | None = None):
    """Return ``problem`` without any personal value: THE rule, applied where problems are made.

    When :func:`personal_value_guard` holds for a cell problem, the value is removed and
    the message and suggestion are replaced by the catalogue's wording for the rule
    (``problem.personal.<rule>``), which names the row and column but never the value:
    "... (personal data, not shown)". A header that itself looks like personal data (a
    file without its header row) is replaced by the column's position when known.
    Problems about headers, files and tables are returned unchanged unless their header
    looks personal. ``canonical`` is the cell's column name when the caller knows it
    (``project_id`` of a beneficiary may then be quoted).
    """
    column = problem.column
    header_personal = column is not None and looks_personal(column)
    cell = problem.row is not None and problem.rule not in _HEADER_RULES
    if not header_personal and not (
        cell and personal_value_guard(problem.table, column, problem.value, canonical)
    ):
        if problem.value is not None and looks_personal(problem.value):
            return replace(problem, value=None)
        return problem
    key = (
        "problem.personal.header"
        if header_personal
        else _PERSONAL_RULE_KEYS.get(problem.rule, "problem.personal.other")
    )
    described = "" if header_personal else _column_label(problem.table, column)
    params = (("column", described), ("rule", problem.rule))
    message, suggestion = i18n.problem_texts({"key": key, "params": params}, "en")
    return replace(
        problem,
        column=i18n.t("privacy.hidden_header", "en") if header_personal else column,
        value=None,
        message=message,
        suggestion=suggestion,
        key=key,
        params=params,
    )


def _column_label(table: str, header: str | None) -> str:
    """Return the header as written (kept: it is not personal) for the message."""
    if header:
        return header
    t = TABLES.get(table)
    return t.name if t else ""
