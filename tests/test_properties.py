"""Property-based tests: parsers read back what the formatters write, tables never lose rows.

Hypothesis draws numbers, dates, months, header spellings and whole tables; each property
is what a user relies on: a value written the French, Arabic or English way is read as
itself, and whatever a table holds, the loader either reads it (rows read = accepted +
quarantined) or refuses it with one of the project's documented errors.
"""

from __future__ import annotations

import datetime as dt
import string

import pandas as pd
import pytest
from fixtures.awrach_tables import assert_invariants, base_tables, csv_text, write_csv_folder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awrach_analysis import i18n, load
from awrach_analysis.data import parse
from awrach_analysis.data.load import column_for_header
from awrach_analysis.errors import AwrachError
from awrach_analysis.model.schema import TABLES

LANGS = st.sampled_from(["fr", "ar", "en"])
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PROFILE = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# --- numbers ----------------------------------------------------------------------------


@PROFILE
@given(n=st.integers(-(10**12), 10**12), lang=LANGS)
def test_a_whole_number_formatted_in_any_language_reads_back_as_itself(n, lang):
    assert parse.parse_number(i18n.fmt_int(n, lang), integer=True)[0] == n


@PROFILE
@given(
    n=st.integers(0, 10**9),
    sep=st.sampled_from([" ", "\u00a0", "\u202f", ".", ""]),
    arabic=st.booleans(),
)
def test_a_whole_number_typed_with_any_thousands_separator_reads_back(n, sep, arabic):
    text = f"{n:,}".replace(",", sep)
    if arabic:
        text = text.translate(ARABIC_DIGITS)
    value, ambiguous = parse.parse_number(text, integer=True)
    assert value == n
    # "1.100" could be 1.1: the reader says so, and only for that shape.
    assert ambiguous == (sep == "." and 1000 <= n < 1_000_000)


@PROFILE
@given(cents=st.integers(-(10**9), 10**9), lang=LANGS)
def test_a_decimal_formatted_in_any_language_reads_back_as_itself(cents, lang):
    value = cents / 100
    text = i18n.fmt_num(value, lang, 2)
    assert parse.parse_number(text)[0] == pytest.approx(value, abs=1e-9)


@PROFILE
@given(percent=st.integers(0, 100), lang=LANGS)
def test_a_percentage_reads_as_the_number_a_person_sees(percent, lang):
    assert parse.parse_number(i18n.fmt_pct(percent / 100, lang))[0] == percent


# --- dates and months -------------------------------------------------------------------

DATES = st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31))


@PROFILE
@given(d=DATES, form=st.sampled_from(["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]))
def test_a_date_typed_in_the_usual_forms_reads_back_as_itself(d, form):
    assert parse.parse_date(d.strftime(form)) == pd.Timestamp(d)


@PROFILE
@given(d=DATES, lang=LANGS)
def test_a_date_formatted_in_any_language_reads_back_as_itself(d, lang):
    assert parse.parse_date(i18n.fmt_date(d, lang)) == pd.Timestamp(d)


@PROFILE
@given(d=DATES)
def test_an_excel_date_cell_reads_as_its_day(d):
    assert parse.parse_date(dt.datetime(d.year, d.month, d.day)) == pd.Timestamp(d)
    serial = (pd.Timestamp(d) - pd.Timestamp("1899-12-30")).days
    assert parse.parse_date(serial) == pd.Timestamp(d)


@PROFILE
@given(d=DATES, lang=LANGS, short=st.booleans())
def test_a_month_formatted_in_any_language_reads_back_as_itself(d, lang, short):
    month = pd.Timestamp(d.year, d.month, 1)
    if short and lang == "ar":
        return  # Arabic has no short month names: fmt_month gives the full one
    assert parse.parse_month(i18n.fmt_month(month, lang, short=short)) == month


@PROFILE
@given(d=DATES, form=st.sampled_from(["%Y-%m", "%m/%Y", "%Y/%m"]))
def test_a_month_typed_in_the_usual_forms_reads_back_as_itself(d, form):
    assert parse.parse_month(d.strftime(form)) == pd.Timestamp(d.year, d.month, 1)


# --- headers ----------------------------------------------------------------------------

ALIASES = [
    (table.name, column.name, alias)
    for table in TABLES.values()
    for column in table.columns
    for alias in column.aliases
]


def _respell(alias: str, data) -> str:
    """Write an accepted header the way a person might: case, spaces, a trailing colon."""
    text = alias
    case = data.draw(st.sampled_from(["same", "upper", "lower", "title"]))
    text = {"same": text, "upper": text.upper(), "lower": text.lower(), "title": text.title()}[case]
    pad = data.draw(st.sampled_from(["", " ", "  ", "\u00a0"]))
    tail = data.draw(st.sampled_from(["", ":", " :", "*"]))
    return pad + text.replace(" ", data.draw(st.sampled_from([" ", "  "]))) + tail + pad


@PROFILE
@given(item=st.sampled_from(ALIASES), data=st.data())
def test_every_accepted_header_is_recognised_however_it_is_spaced_or_cased(item, data):
    table, column, alias = item
    assert column_for_header(table, _respell(alias, data)) == column


# --- whole tables -----------------------------------------------------------------------

CELL = st.one_of(
    st.just(""),
    st.just("   "),
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(alphabet=string.printable + "éèàçÉ" + "أبتثجحخدذرزسشصضطظعغفقكلمنهوي٠١٢٣", max_size=12),
    st.sampled_from(["2022-03", "03/2022", "mars 2022", "مارس 2022", "2031-09", "1,100", "45%"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_progress_table_is_read_or_refused_and_never_loses_a_row(tmp_path_factory, data):
    """Random headers (aliases), blank and mixed cells, Unicode: no row is ever lost."""
    tables = base_tables()
    columns = list(tables["progress"][0])
    n_rows = data.draw(st.integers(0, 8), label="rows")
    rows = []
    for i in range(n_rows):
        if i < 3 and data.draw(st.booleans()):
            rows.append(dict(tables["progress"][i % len(tables["progress"])]))
        else:
            rows.append({c: data.draw(CELL, label=c) for c in columns})
    spec = TABLES["progress"]
    headers = {
        c: data.draw(st.sampled_from(spec.column(c).aliases), label=f"header {c}") for c in columns
    }
    tables["progress"] = rows or [dict.fromkeys(columns, "")]
    folder = tmp_path_factory.mktemp("prop")
    write_csv_folder(folder, tables, headers={"progress": headers})
    if not rows:  # header only
        (folder / "progress.csv").write_text(
            csv_text([dict.fromkeys(columns, "")], headers=headers).splitlines()[0] + "\r\n",
            encoding="utf-8",
        )
    try:
        program = load(folder)
    except AwrachError:
        return  # a documented refusal, with its message
    assert_invariants(program)
    blank = sum(all(not str(v).strip() for v in r.values()) for r in rows)
    assert program.rows_read["progress"] == len(rows) - blank
