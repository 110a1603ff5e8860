"""Write the fill-in workbooks people type data into: the whole data set, or a partner's month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__, config, i18n
from ..errors import InputError, UnknownNameError
from ..model.schema import TABLES, VOCABULARIES, Column
from . import problems
from .parse import is_blank, parse_month
from .safe_output import keep_text
from .validate import SPAN_GRACE_MONTHS

__all__ = [
    "TEMPLATE_LANGS",
    "TEMPLATE_TABLES",
    "PARTNER_COLUMNS",
    "FIRST_DATA_ROW",
    "HEADER_ROW",
    "header_text",
    "sheet_name",
    "workbook_template",
    "program_workbook",
    "write_table_sheet",
    "partner_projects",
    "write_partner_sheet",
    "partner_template",
    "fill_partner_sheet",
    "write_correction_sheet",
    "save",
]

#: Languages a template can be written in (headers are always French and Arabic).
TEMPLATE_LANGS = ("fr", "ar")
#: Sheets of the provincial workbook, one per table of the data model. Beneficiaries carry
#: a pseudonymous key and categories only: no column of personal data.
TEMPLATE_TABLES = ("partners", "agreements", "projects", "progress", "targets", "beneficiaries")
#: Columns of a partner's monthly sheet: read-only context first, then what the partner types.
PARTNER_CONTEXT = ("project_id", "title", "commune_code", "month")
PARTNER_INPUTS = tuple(
    c for c in TABLES["progress"].column_names if c not in ("project_id", "month")
)
PARTNER_COLUMNS = PARTNER_CONTEXT + PARTNER_INPUTS
#: Row of the generation note, of the headers, and the first data row (as Excel numbers them).
NOTE_ROW, HEADER_ROW, FIRST_DATA_ROW = 1, 2, 3
#: Rows of the provincial workbook that get drop-down lists and checks.
WORKBOOK_ROWS = 5000

_HEADER_FILL = "DDEBF7"
_LOCKED_FILL = "EDEDED"
_DATE_FORMAT = "DD/MM/YYYY"
_NUMBER_FORMATS = {"int": "0", "float": "General", "date": _DATE_FORMAT, "month": "@", "id": "@"}


def _check(lang: str) -> str:
    return i18n.check_lang(lang, among=TEMPLATE_LANGS)


def _other(lang: str) -> str:
    return "ar" if lang == "fr" else "fr"


def _text(key: str, lang: str) -> str:
    """Return a catalogue text as written (headers must stay exactly as the loader knows them)."""
    return i18n.CATALOGUE[key][lang]


def header_text(table: str, column: str, lang: str) -> str:
    """Return the bilingual header of a column: the sheet's language first, one per line.

    Parameters
    ----------
    table, column : str
        A column of the data model; ``column`` may also be ``"title"`` (the project's title
        shown beside its id in a partner's sheet).
    lang : {"fr", "ar"}
        Language of the sheet.

    Returns
    -------
    str
        Two lines, e.g. ``Date début prévue`` then ``تاريخ الانطلاق المتوقع``; the loader reads
        it back to the very same column (``load.column_for_header``).
    """
    _check(lang)
    key = "template.header.title" if column == "title" else f"template.header.{table}.{column}"
    return f"{_text(key, lang)}\n{_text(key, _other(lang))}"


def sheet_name(table: str, lang: str) -> str:
    """Return the sheet name of ``table`` in ``lang`` (a name the loader knows the table by)."""
    return _text(f"template.sheet.{table}", _check(lang))


# --- shared pieces -------------------------------------------------------------------------


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="A6A6A6")
    return {
        "header_font": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor=_HEADER_FILL),
        "locked_fill": PatternFill("solid", fgColor=_LOCKED_FILL),
        "wrap": Alignment(wrap_text=True, vertical="center"),
        "top": Alignment(wrap_text=True, vertical="top"),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "unlocked": Protection(locked=False),
        "locked": Protection(locked=True),
    }


def _province_names(province_code: str) -> tuple[str, str, pd.DataFrame]:
    from ..reference import communes

    table = communes.province_communes(province_code)
    first = table.iloc[0] if len(table) else {}
    return str(first.get("province_fr", province_code)), str(first.get("province_ar", "")), table


def _generated(generated_on: dt.date | None) -> str:
    return (generated_on or dt.date.today()).strftime("%d/%m/%Y")


def _note(ws, text: str, width: int) -> None:
    """Write the generation note above the headers (merged across the table) and in print."""
    from openpyxl.styles import Alignment, Font

    cell = ws.cell(NOTE_ROW, 1, text)
    cell.font = Font(italic=True, color="595959")
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    if width > 1:
        ws.merge_cells(start_row=NOTE_ROW, start_column=1, end_row=NOTE_ROW, end_column=width)
    ws.row_dimensions[NOTE_ROW].height = 30
    ws.oddHeader.center.text = text.replace("&", "&&")[:240]


def _instructions(workbook, lang: str, intro: str):
    """Return the instructions sheet, creating it (texts in ``lang`` then the other language)."""
    title = _text("template.sheet.instructions", lang)
    if title in workbook.sheetnames:
        return workbook[title]
    st = _styles()
    ws = workbook.create_sheet(title, 0)
    ws.sheet_view.rightToLeft = lang == "ar"
    row = 1
    for language in (lang, _other(lang)):
        cell = ws.cell(row, 1, _text("template.instructions.title", language))
        cell.font = st["header_font"]
        row += 1
        for key in (intro, "headers", "numbers", "dates", "lists", "personal", "save"):
            ws.cell(row, 1, "• " + _text(f"template.instructions.{key}", language))
            ws.cell(row, 1).alignment = st["top"]
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            ws.row_dimensions[row].height = 32
            row += 1
        row += 1
    ws.cell(row, 1, _text("template.instructions.columns", lang)).font = st["header_font"]
    row += 1
    for col, key in enumerate(("sheet", "column", "what", "required"), start=1):
        cell = ws.cell(row, col, _text(f"template.instructions.{key}", lang))
        cell.font, cell.fill = st["header_font"], st["header_fill"]
    for letter, width in zip("ABCD", (26, 34, 26, 12), strict=True):
        ws.column_dimensions[letter].width = width
    ws.cell(1, 6, _text("template.instructions.lists_title", lang)).font = st["header_font"]
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    return ws


def _describe(ws, sheet: str, table: str, columns: Iterable[str], lang: str) -> None:
    """Add one line per column to the instructions' table of columns."""
    row = max(c.row for c in ws["A"] if c.value is not None) + 1
    for name in columns:
        column = TABLES[table].column(name)
        what = _text(f"template.kind.{column.kind}", lang)
        if column.vocab:
            what += f" ({_text(f'template.list.{column.vocab}', lang)})"
        values = (sheet, header_text(table, name, lang).replace("\n", " / "), what)
        for col, value in enumerate(values, start=1):
            ws.cell(row, col, value).alignment = _styles()["top"]
        ws.cell(row, 4, _text("template.yes" if column.required else "template.no", lang))
        row += 1


def _list_values(vocab: str, lang: str, communes: pd.DataFrame) -> list[str]:
    if vocab == "commune":
        return list(_commune_names(communes, lang).values())
    return [i18n.label(vocab, code, lang) for code in VOCABULARIES[vocab]]


def _list_ref(workbook, vocab: str, lang: str, communes: pd.DataFrame) -> str:
    """Return the defined name of a drop-down list, writing it on the instructions sheet once."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.workbook.defined_name import DefinedName

    name = f"awrach_list_{vocab}"
    if name in workbook.defined_names:
        return name
    ws = workbook[_text("template.sheet.instructions", lang)]
    col = 6 + sum(1 for n in workbook.defined_names if n.startswith("awrach_list_"))
    ws.cell(2, col, _text(f"template.list.{vocab}", lang)).font = _styles()["header_font"]
    values = _list_values(vocab, lang, communes)
    for i, value in enumerate(values):
        ws.cell(3 + i, col, value)
    letter = get_column_letter(col)
    ws.column_dimensions[letter].width = min(45, max(14, *(len(v) + 2 for v in values)))
    ref = f"{quote_sheetname(ws.title)}!${letter}$3:${letter}${2 + len(values)}"
    workbook.defined_names[name] = DefinedName(name, attr_text=ref)
    return name


def _commune_names(communes: pd.DataFrame, lang: str) -> dict[str, str]:
    """Return commune code -> name in ``lang`` (a name the loader resolves back to the code)."""
    rows = communes[["commune_code", "name_fr", "name_ar"]].to_dict("records")
    return {str(row["commune_code"]): i18n.commune_name(row, lang) for row in rows}


def _validation(workbook, column: Column, lang: str, communes: pd.DataFrame):
    """Return the data validation of an input column (None for free text and ids)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = column.kind
    title = _text("template.dv.title", lang)

    def number(value: float) -> str:
        return f"{value:g}"

    if kind in ("int", "float"):
        low = number(column.min if column.min is not None else 0)
        word = "whole" if kind == "int" else "decimal"
        if column.max is not None:
            high = number(column.max)
            message = i18n.t(f"template.dv.{word}_range", lang, min=low, max=high)
            dv = DataValidation(type=word, operator="between", formula1=low, formula2=high)
        else:
            message = i18n.t(f"template.dv.{word}", lang, min=low)
            dv = DataValidation(type=word, operator="greaterThanOrEqual", formula1=low)
    elif kind == "date":
        message = i18n.t("template.dv.date", lang)
        dv = DataValidation(
            type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2099,12,31)"
        )
    elif kind in ("category", "commune"):
        vocab = column.vocab if kind == "category" else "commune"
        message = i18n.t("template.dv.list", lang)
        dv = DataValidation(type="list", formula1=_list_ref(workbook, vocab, lang, communes))
    else:
        return None
    dv.allow_blank = True
    dv.showErrorMessage = True
    dv.errorTitle, dv.error = title, message
    dv.promptTitle, dv.prompt = None, None
    return dv


def _cell_value(column: Column, value: Any, lang: str, names: dict[str, str]) -> Any:
    """Return a model value as a person would type it in the template.

    ``names`` maps commune codes to names; a code outside it (a partner's seat in another
    province) is written as the code.
    """
    if is_blank(value):
        return None
    if column.kind == "category":
        return i18n.label(column.vocab, value, lang)
    if column.kind == "commune":
        return names.get(str(value), str(value))
    if column.kind == "date":
        return pd.Timestamp(value).to_pydatetime()
    if column.kind == "month":
        return f"{pd.Timestamp(value):%Y-%m}"
    if column.kind == "int":
        return int(value)
    if column.kind == "float":
        number = float(value)
        return int(number) if number.is_integer() else number
    return str(value)


def _width(texts: Iterable[Any]) -> float:
    longest = 0
    for text in texts:
        if text is None:
            continue
        lines = str(text.strftime(_DATE_FORMAT) if isinstance(text, dt.date) else text)
        longest = max(longest, *(len(line) for line in lines.split("\n")))
    return float(min(60, max(11, longest + 3)))


def _header_row(ws, headers: list[str]) -> None:
    st = _styles()
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(HEADER_ROW, col, text)
        cell.font, cell.fill = st["header_font"], st["header_fill"]
        cell.alignment, cell.border, cell.protection = st["wrap"], st["border"], st["locked"]
    ws.row_dimensions[HEADER_ROW].height = 36
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 1).coordinate


# --- the provincial workbook ---------------------------------------------------------------


def write_table_sheet(
    workbook,
    table: str,
    lang: str,
    *,
    province_code: str,
    rows: pd.DataFrame | None = None,
    note: str = "",
    max_rows: int = WORKBOOK_ROWS,
):
    """Add the sheet of one table to a template workbook, optionally filled with rows.

    Parameters
    ----------
    workbook : openpyxl.Workbook
        The workbook; its instructions sheet (with the drop-down lists) is created when absent.
    table : str
        One of :data:`TEMPLATE_TABLES`.
    lang : {"fr", "ar"}
        Language of the sheet name, of the headers' first line, of list values; Arabic
        sheets are right to left.
    province_code : str
        HCP code of the province: its communes make the commune drop-down list.
    rows : DataFrame, optional
        Typed rows of the table (a ``Program`` table) written as a person would type them
        (labels, commune names, real dates). Used to export a data set in the template form.
    note : str
        Generation note written above the headers.
    max_rows : int
        Data rows that get drop-down lists and number/date checks.

    Returns
    -------
    openpyxl.worksheet.worksheet.Worksheet
        The new sheet: note on row 1, bilingual headers on row 2 (frozen, locked), input
        cells unlocked (the sheet is protected without a password, so that headers stay
        as the loader reads them).
    """
    from openpyxl.utils import get_column_letter

    _check(lang)
    st = _styles()
    _, _, communes = _province_names(province_code)
    _instructions(workbook, lang, "workbook")
    spec = TABLES[table]
    ws = workbook.create_sheet(sheet_name(table, lang))
    ws.sheet_view.rightToLeft = lang == "ar"
    headers = [header_text(table, c.name, lang) for c in spec.columns]
    _note(ws, note, len(headers))
    _header_row(ws, headers)
    records = [] if rows is None else rows.to_dict("records")
    names = _commune_names(communes, lang)
    last = FIRST_DATA_ROW + max(max_rows, len(records) + 500) - 1
    for col, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(col)
        values = [_cell_value(column, r.get(column.name), lang, names) for r in records]
        for i, value in enumerate(values):
            cell = ws.cell(FIRST_DATA_ROW + i, col, value)
            cell.protection = st["unlocked"]
            cell.number_format = _NUMBER_FORMATS.get(column.kind, "General")
        dim = ws.column_dimensions[letter]
        dim.protection = st["unlocked"]
        dim.number_format = _NUMBER_FORMATS.get(column.kind, "General")
        sample = values[:200] + (_list_values(column.vocab, lang, communes) if column.vocab else [])
        dim.width = _width([*headers[col - 1].split("\n"), *sample])
        dv = _validation(workbook, column, lang, communes)
        if dv is not None:
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
            ws.add_data_validation(dv)
    ws.protection.sheet = True
    for option in ("formatCells", "formatColumns", "formatRows", "insertRows", "deleteRows"):
        setattr(ws.protection, option, False)
    ws.protection.sort = False
    ws.protection.autoFilter = False
    _describe(
        workbook[_text("template.sheet.instructions", lang)],
        ws.title,
        table,
        spec.column_names,
        lang,
    )
    return ws


def workbook_template(
    province: str | None = None,
    lang: str = "fr",
    *,
    program=None,
    generated_on: dt.date | None = None,
):
    """Return the empty workbook a provincial team keeps, one sheet per table.

    Parameters
    ----------
    province : str, optional
        Province name or HCP code (default: the program's, else ``config.DEFAULT_PROVINCE``).
    lang : {"fr", "ar"}
        Language of the sheets.
    program : Program, optional
        When given, every table is filled with its accepted rows (the data set in the
        template form: it loads back to the same tables).
    generated_on : date, optional
        Date written in the note (default today).

    Returns
    -------
    openpyxl.Workbook
        Instructions sheet first, then :data:`TEMPLATE_TABLES`.
    """
    import openpyxl

    from ..reference import communes

    _check(lang)
    if province is not None:
        code = communes.resolve_province(province)
    elif program is not None:
        code = program.province_code
    else:
        code = config.DEFAULT_PROVINCE_CODE
    name_fr, name_ar, _ = _province_names(code)
    note = i18n.t(
        "template.note.workbook",
        lang,
        version=__version__,
        date=_generated(generated_on),
        province=name_ar if lang == "ar" and name_ar else name_fr,
        code=code,
    )
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    _instructions(wb, lang, "workbook")
    for table in TEMPLATE_TABLES:
        rows = program.table(table) if program is not None else None
        write_table_sheet(wb, table, lang, province_code=code, rows=rows, note=note)
    wb.active = 1
    return wb


def program_workbook(program, lang: str = "fr", *, generated_on: dt.date | None = None):
    """Return a loaded data set written in the template form (it loads back to itself)."""
    return workbook_template(None, lang, program=program, generated_on=generated_on)


# --- a partner's monthly sheet -------------------------------------------------------------


def _month(month: Any) -> pd.Timestamp:
    try:
        value = parse_month(month)
    except ValueError as exc:
        raise problems.error(InputError, "error.not_a_month", value=repr(month)) from exc
    if value is None:
        raise problems.error(InputError, "error.no_month")
    return value


def partner_projects(program, partner_id: str, month: Any) -> pd.DataFrame:
    """Return the projects a partner reports on for a month, sorted by project id.

    A project is due from the month of its planned start to ``SPAN_GRACE_MONTHS`` months
    after its planned end (the span outside of which a progress row gets a warning).

    Raises
    ------
    UnknownNameError
        When the partner is not in ``program.partners`` (with the closest ids).
    InputError
        When the partner has no project running that month (its projects' span is given).
    """
    import difflib

    ids = program.partners["partner_id"].astype(str).tolist()
    if partner_id not in ids:
        close = difflib.get_close_matches(partner_id, ids)
        error = UnknownNameError(partner_id, "partner", close)
        hint = f"Did you mean {', '.join(map(repr, close))}?" if close else "No close match."
        error.args = (
            f"Unknown partner {partner_id!r}. {hint} Partner ids are those of the partners "
            f"table ({len(ids)} partners, e.g. {ids[0] if ids else '-'}).",
        )
        raise error
    first = _month(month)
    agreements = program.agreements.loc[program.agreements["partner_id"] == partner_id]
    projects = program.projects.loc[
        program.projects["agreement_id"].isin(agreements["agreement_id"])
    ]
    start = projects["planned_start"].dt.to_period("M").dt.to_timestamp()
    end = (projects["planned_end"].dt.to_period("M") + SPAN_GRACE_MONTHS).dt.to_timestamp()
    due = projects.loc[(start <= first) & (first <= end)]
    if due.empty:
        if not len(projects):
            raise problems.error(
                InputError, "error.partner_no_project", partner=partner_id, month=f"{first:%Y-%m}"
            )
        raise problems.error(
            InputError,
            "error.partner_nothing_due",
            partner=partner_id,
            month=f"{first:%Y-%m}",
            start=f"{start.min():%Y-%m}",
            end=f"{projects['planned_end'].max():%Y-%m}",
        )
    return due.sort_values("project_id").reset_index(drop=True)


def write_partner_sheet(
    workbook,
    program,
    partner_id: str,
    month: Any,
    lang: str,
    rows: pd.DataFrame | None = None,
    *,
    generated_on: dt.date | None = None,
):
    """Add a partner's monthly progress sheet, pre-filled with its projects, to a workbook.

    Parameters
    ----------
    workbook : openpyxl.Workbook
        The workbook (an instructions sheet is added when absent).
    program : Program
        The data set that holds the partner, its agreements and projects.
    partner_id : str
        The partner.
    month : str or Timestamp
        The month reported (``"2023-06"``).
    lang : {"fr", "ar"}
        Language of the sheet.
    rows : DataFrame, optional
        Progress rows (``progress`` columns) to fill the input cells with, e.g. the
        figures already received, or rows sent back for correction.
    generated_on : date, optional
        Date written in the note (default today).

    Returns
    -------
    openpyxl.worksheet.worksheet.Worksheet
        One line per project due that month: project id, title and commune, and month
        locked (grey); the month's figures typed in unlocked cells with checks and the
        status drop-down. The sheet is protected (no password).
    """
    _check(lang)
    st = _styles()
    first = _month(month)
    projects = partner_projects(program, partner_id, first)
    communes = program.communes
    partner = program.partners.loc[program.partners["partner_id"] == partner_id].iloc[0]
    name = partner.get("name_ar") if lang == "ar" else None
    name = name if isinstance(name, str) and name.strip() else partner["name_fr"]
    province = program.province
    if lang == "ar":
        province = _province_names(program.province_code)[1] or province
    note = i18n.t(
        "template.note.partner",
        lang,
        version=__version__,
        date=_generated(generated_on),
        province=province,
        code=program.province_code,
        partner=name,
        partner_id=partner_id,
        month=i18n.fmt_month(first, lang),
    )
    _instructions(workbook, lang, "partner")
    ws = workbook.create_sheet(sheet_name("progress", lang))
    ws.sheet_view.rightToLeft = lang == "ar"
    headers = [
        header_text("projects" if c in ("title", "commune_code") else "progress", c, lang)
        for c in PARTNER_COLUMNS
    ]
    _note(ws, note, len(headers))
    _header_row(ws, headers)
    title_col = "title_ar" if lang == "ar" else "title_fr"
    names = _commune_names(communes, lang)
    spec = TABLES["progress"]
    for i, project in enumerate(projects.to_dict("records")):
        r = FIRST_DATA_ROW + i
        title = project.get(title_col)
        if is_blank(title):
            title = project.get("title_fr")
        context = (
            project["project_id"],
            title,
            names.get(str(project["commune_code"]), str(project["commune_code"])),
            f"{first:%Y-%m}",
        )
        for col, value in enumerate(context, start=1):
            cell = ws.cell(r, col, value)
            keep_text(cell)  # a title starting with "=" is shown, never run as a formula
            cell.fill, cell.protection, cell.border = st["locked_fill"], st["locked"], st["border"]
            cell.alignment = st["top"]
            cell.number_format = "@"
        for col, name_ in enumerate(PARTNER_INPUTS, start=len(PARTNER_CONTEXT) + 1):
            cell = ws.cell(r, col)
            cell.protection, cell.border = st["unlocked"], st["border"]
            cell.number_format = _NUMBER_FORMATS.get(spec.column(name_).kind, "General")
    from openpyxl.utils import get_column_letter

    last = FIRST_DATA_ROW + len(projects) - 1
    for col, column in enumerate(PARTNER_COLUMNS, start=1):
        letter = get_column_letter(col)
        values = [ws.cell(r, col).value for r in range(FIRST_DATA_ROW, last + 1)]
        if column == "status":
            values += _list_values("status", lang, communes)
        width = _width([*headers[col - 1].split("\n"), *values])
        ws.column_dimensions[letter].width = min(width, 45) if column == "title" else width
        if column in PARTNER_INPUTS:
            dv = _validation(workbook, spec.column(column), lang, communes)
            if dv is not None:
                dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
                ws.add_data_validation(dv)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _describe(
        workbook[_text("template.sheet.instructions", lang)],
        ws.title,
        "progress",
        ["project_id", "month", *PARTNER_INPUTS],
        lang,
    )
    if rows is not None:
        fill_partner_sheet(ws, rows, lang)
    return ws


def partner_template(
    program,
    partner_id: str,
    month: Any,
    lang: str = "fr",
    rows: pd.DataFrame | None = None,
    *,
    generated_on: dt.date | None = None,
):
    """Return a workbook with the instructions and one partner's monthly progress sheet.

    See :func:`write_partner_sheet` for the parameters.
    """
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    ws = write_partner_sheet(wb, program, partner_id, month, lang, rows, generated_on=generated_on)
    wb.active = wb.sheetnames.index(ws.title)
    return wb


def fill_partner_sheet(ws, rows: pd.DataFrame, lang: str) -> int:
    """Type progress rows into a partner's sheet, matching each row on its project id.

    Parameters
    ----------
    ws : openpyxl.worksheet.worksheet.Worksheet
        A sheet written by :func:`write_partner_sheet`.
    rows : DataFrame
        Progress rows (typed ``progress`` columns); rows for other projects are ignored,
        as are rows of another month than the sheet's.
    lang : {"fr", "ar"}
        Language of the sheet (status labels).

    Returns
    -------
    int
        Number of rows written.
    """
    lines = {
        ws.cell(r, 1).value: r for r in range(FIRST_DATA_ROW, ws.max_row + 1) if ws.cell(r, 1).value
    }
    spec = TABLES["progress"]
    written = 0
    for record in rows.to_dict("records"):
        r = lines.get(str(record.get("project_id")))
        sheet_month = ws.cell(r, PARTNER_COLUMNS.index("month") + 1).value if r else None
        if r is None or f"{pd.Timestamp(record['month']):%Y-%m}" != sheet_month:
            continue
        for col, name in enumerate(PARTNER_INPUTS, start=len(PARTNER_CONTEXT) + 1):
            ws.cell(r, col).value = _cell_value(spec.column(name), record.get(name), lang, {})
        written += 1
    return written


def _typed(column: Column | None, value: Any) -> Any:
    """Return a number for a number column's text that is exactly a number, else the text."""
    if column is None or column.kind not in ("int", "float") or not isinstance(value, str):
        return value
    text = value.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    head, dot, tail = text.lstrip("-").partition(".")
    if dot and head.isdigit() and tail.isdigit():
        return float(text)
    return value


def write_correction_sheet(
    workbook,
    title: str,
    table: str,
    headers: list[str],
    rows: list[list[Any]],
    lang: str,
    *,
    province_code: str,
    note: str,
    context: int = 3,
    neutralise: Any = None,
):
    """Add a sheet of rows sent back for correction, formatted like the fill-in template.

    Parameters
    ----------
    workbook : openpyxl.Workbook
        The workbook; its instructions sheet (with the drop-down lists) is created when absent.
    title : str
        Sheet name (a partner id, or a table's name).
    table : str
        Table of the rows: headers naming one of its columns are written as the template's
        bilingual header (which the loader reads back to the same column) and get the
        template's checks and drop-down lists.
    headers : list of str
        Headers as the partner wrote them; the last ``context`` ones are context columns
        written as given (e.g. reference, reason, suggestion).
    rows : list of list
        Cell values, aligned with ``headers``. Text of number columns that is exactly a
        number is written as a number; other values as given.
    lang : {"fr", "ar"}
        Language of the headers' first line, of the lists; Arabic sheets are right to left.
    province_code : str
        Province whose communes make the commune drop-down list.
    note : str
        Note written above the headers.
    context : int
        Number of trailing context columns: grey, locked, wrapped.
    neutralise : callable, optional
        Applied to every text written (formula-looking text shown as text).

    Returns
    -------
    openpyxl.worksheet.worksheet.Worksheet
        Note on row 1, headers on row 2 (frozen, locked), the rows from row 3: the cells to
        correct unlocked, the context columns locked (the sheet is protected, no password).
    """
    from openpyxl.utils import get_column_letter

    from .headers import column_for_header

    _check(lang)
    st = _styles()
    safe = neutralise or (lambda v: v)
    _, _, communes = _province_names(province_code)
    _instructions(workbook, lang, "quarantine")
    ws = workbook.create_sheet(title[:31])
    ws.sheet_view.rightToLeft = lang == "ar"
    n_data = len(headers) - context
    columns: list[Column | None] = []
    shown = []
    for j, header in enumerate(headers):
        name = column_for_header(table, header) if j < n_data else None
        column = TABLES[table].column(name) if name else None
        if column is not None and any(c is column for c in columns):
            column = None  # a second column naming the same field keeps its own header
        columns.append(column)
        shown.append(header_text(table, column.name, lang) if column is not None else header)
    _note(ws, note, len(headers))
    _header_row(ws, [safe(h) for h in shown])
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            cell = ws.cell(FIRST_DATA_ROW + i, j + 1, safe(_typed(columns[j], value)))
            cell.border = st["border"]
            if j >= n_data:
                cell.fill, cell.protection, cell.alignment = (
                    st["locked_fill"],
                    st["locked"],
                    st["top"],
                )
            else:
                cell.protection = st["unlocked"]
                if columns[j] is not None:
                    cell.number_format = _NUMBER_FORMATS.get(columns[j].kind, "General")
    last = FIRST_DATA_ROW + max(len(rows), 1) - 1
    for j, column in enumerate(columns):
        letter = get_column_letter(j + 1)
        values = [ws.cell(r, j + 1).value for r in range(FIRST_DATA_ROW, last + 1)]
        if column is not None and column.vocab:
            values += _list_values(column.vocab, lang, communes)
        ws.column_dimensions[letter].width = min(_width([*shown[j].split("\n"), *values]), 45)
        if column is not None:
            dv = _validation(workbook, column, lang, communes)
            if dv is not None:
                dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last}")
                ws.add_data_validation(dv)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    return ws


def save(workbook, path: str | Path) -> Path:
    """Write a template workbook to ``path`` (an ``.xlsx`` file) and return the path."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise problems.error(InputError, "error.template_not_xlsx", name=path)
    if not path.parent.is_dir():
        raise problems.error(InputError, "error.no_such_folder", name=path.parent)
    workbook.save(path)
    return path
