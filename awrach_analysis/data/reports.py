"""Problem reports: reasons of set-aside rows, problem tables, counts, text and JSON."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

import pandas as pd

from .. import i18n
from ..errors import Problem
from ..model.schema import TABLES
from .rules import Rule

__all__ = [
    "problems_frame",
    "describe",
    "table_counts",
    "problem_counts",
    "report_text",
    "report_json",
    "reason_text",
    "quarantine_reasons",
    "problems_in",
]

_PROBLEM_FIELDS = [f.name for f in fields(Problem)]


def _cause(label: str, problem: Problem) -> tuple[tuple[str, str], ...]:
    """Return the located cause of a rejected row as the placeholders of a message.

    ``cause_key`` (``problem.cause.*``) and ``cause.*`` render, in any language, as
    "projects.csv, row 3, column 'signed_on': value '31/02/2022' is not a real date...".
    """
    if problem.rule == Rule.NO_HEADER and problem.row is None:
        return (("cause_key", "problem.cause.no_header"), ("cause.where", label))
    if problem.rule == Rule.MISSING_COLUMN and problem.row is None:
        params = {"cause_key": "problem.cause.missing_column", "cause.where": label}
        params["cause.name"] = dict(problem.params).get("name", repr(problem.column))
        return tuple(params.items())
    params = {
        "cause_key": "problem.cause.cell" if problem.column else "problem.cause.row",
        "cause.where": label,
        "cause.row": str(problem.row),
        "cause.column": repr(problem.column),
    }
    if problem.key:
        params["cause.message_key"] = problem.key
        params.update({f"cause.message.{n}": v for n, v in problem.params})
    else:
        params["cause.message"] = problem.message
    return tuple(params.items())


def reason_text(problem: Problem | Mapping[str, Any], lang: str) -> str:
    """Return why a problem sets its row aside, in ``lang`` (one item of ``reasons``).

    ``"column 'femmes': value '12' is more than jobs filled (9)."``; for a missing
    required column, ``"required column 'women' is missing from the file"``.

    Parameters
    ----------
    problem : Problem or mapping
        An error of the row (or the table's ``missing_column`` error).
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The reason.
    """
    get = problem.get if isinstance(problem, Mapping) else lambda k: getattr(problem, k, None)
    if get("rule") == Rule.NO_HEADER and _missing(get("row")):
        return i18n.t("problem.reason.no_header", lang)
    if get("rule") == Rule.MISSING_COLUMN and _missing(get("row")):
        params = dict(get("params") or ()) or {"name": repr(get("column"))}
        return i18n.problem_message("problem.reason.missing_column", params, lang)
    # the stored message is the English wording of key and params
    message = str(get("message") or "") if lang == "en" else i18n.problem_texts(problem, lang)[0]
    if _missing(get("column")):
        return message
    column = i18n.bidi_isolate(repr(get("column")), lang)
    return i18n.t("problem.reason.column", lang, column=column, message=message)


def _reasons_by_row(problems: list[Any], lang: str) -> dict[int, str]:
    """Return the reasons of every rejected row of one table, by Excel row, in ``lang``.

    ``problems`` are the table's problems in the order of :func:`_sorted`; a row's reasons
    are its errors, after the table's missing required columns, joined by "; ".
    """

    def get(p: Any, name: str) -> Any:
        return p.get(name) if isinstance(p, Mapping) else getattr(p, name)

    errors = [p for p in problems if get(p, "severity") == "error"]
    whole = [  # errors of the whole table that set every row aside
        reason_text(p, lang)
        for p in errors
        if _missing(get(p, "row")) and get(p, "rule") in (Rule.MISSING_COLUMN, Rule.NO_HEADER)
    ]
    by_row: dict[int, list[str]] = defaultdict(list)
    for p in errors:
        if not _missing(get(p, "row")):
            by_row[int(get(p, "row"))].append(reason_text(p, lang))
    return defaultdict(
        lambda: "; ".join(whole), {r: "; ".join(whole + v) for r, v in by_row.items()}
    )


def quarantine_reasons(program: Any, table: str, lang: str) -> pd.Series:
    """Return why each row of ``program.quarantine[table]`` was set aside, in ``lang``.

    The ``reasons`` column of the quarantine, worded from the catalogue in French, Arabic
    or English (in English it is the column itself), so that the rows rejected can be
    sent back to a partner in their language.

    Parameters
    ----------
    program : Program
        A loaded data set.
    table : str
        Table name.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    pandas.Series
        ``string`` dtype, aligned with the quarantine's index.
    """
    i18n.check_lang(lang)
    rows = program.quarantine.get(table)
    if rows is None or not len(rows):
        return pd.Series([], dtype="string", name="reasons")
    problems = program.problems
    mine = problems[problems["table"] == table].to_dict("records") if len(problems) else []
    reasons = _reasons_by_row(mine, lang)
    texts = [reasons[int(r)] for r in rows["excel_row"]]
    return pd.Series(texts, index=rows.index, dtype="string", name="reasons")


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Return problems as a DataFrame with one column per :class:`Problem` field, in order."""
    df = pd.DataFrame([p.to_dict() for p in problems], columns=_PROBLEM_FIELDS)
    df["row"] = df["row"].astype("Int64")
    for c in _PROBLEM_FIELDS:
        if c not in ("row", "params"):  # params stay tuples: i18n.problem_texts reads them
            df[c] = df[c].astype("string")
    return df


def problems_in(problems: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return ``Program.problems`` with ``message`` and ``suggestion`` in ``lang``.

    Parameters
    ----------
    problems : pandas.DataFrame
        ``Program.problems`` (or :func:`problems_frame` output).
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    pandas.DataFrame
        A copy; every other column unchanged (locations, values, rules, keys).
    """
    i18n.check_lang(lang)
    out = problems.copy()
    if len(out):
        texts = [i18n.problem_texts(r, lang) for r in out.to_dict("records")]
        out["message"] = pd.array([m for m, _ in texts], dtype="string")
        out["suggestion"] = pd.array([h for _, h in texts], dtype="string")
    return out


def describe(problem: Problem | Mapping[str, Any], lang: str = "en") -> str:
    """Return one problem as a sentence: where, what, and what to do, in ``lang``.

    Examples
    --------
    ``progress.csv, row 14, column 'femmes': value '12' is more than jobs filled (9).
    Check the two numbers for this project and month...``
    """
    p = problem.to_dict() if isinstance(problem, Problem) else dict(problem)
    iso = lambda x: i18n.bidi_isolate(str(x), lang)  # noqa: E731
    parts = []
    if p.get("file"):
        sheet = p.get("sheet")
        parts.append(iso(p["file"]) + (f" [{iso(sheet)}]" if not _missing(sheet) else ""))
    else:
        parts.append(i18n.t("validate.where.table", lang, table=iso(repr(p.get("table")))))
    if not _missing(p.get("row")):
        parts.append(i18n.t("validate.where.row", lang, row=iso(int(p["row"]))))
    if not _missing(p.get("column")):
        parts.append(i18n.t("validate.where.column", lang, column=iso(repr(p["column"]))))
    message, suggestion = i18n.problem_texts(p, lang)
    where = i18n.t("validate.where.separator", lang).join(parts)
    return i18n.key_value(where, f"{message} {suggestion}".strip(), lang)


def _missing(x: Any) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and x != x)


def _table_counts(program: Any) -> dict[str, dict[str, int]]:
    return {
        name: {
            "rows_read": int(program.rows_read.get(name, 0)),
            "accepted": len(program.table(name)),
            "quarantined": len(program.quarantine.get(name, ())),
        }
        for name in TABLES
    }


def table_counts(program: Any) -> pd.DataFrame:
    """Return the rows read, accepted and quarantined of every table of a loaded ``Program``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``table`` (every table of the model, in loading order, zeros for a
        table without file), columns ``rows_read``, ``accepted``, ``quarantined`` (int64);
        ``rows_read`` = ``accepted`` + ``quarantined``.
    """
    out = pd.DataFrame.from_dict(_table_counts(program), orient="index").astype("int64")
    out.index = pd.Index(out.index, name="table")
    return out


def problem_counts(problems: pd.DataFrame) -> pd.DataFrame:
    """Return how many problems each table has per severity and rule.

    Parameters
    ----------
    problems : pandas.DataFrame
        ``Program.problems`` (or :func:`problems_frame` output).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``table``, ``severity``, ``rule`` (sorted; only combinations that
        occur), one column ``problems`` (int64). Empty when there is no problem.
    """
    keys = ["table", "severity", "rule"]
    if problems.empty:
        index = pd.MultiIndex.from_arrays([[]] * 3, names=keys)
        return pd.DataFrame({"problems": pd.Series([], dtype="int64")}, index=index)
    counts = problems.groupby(keys, observed=True, dropna=False).size().astype("int64")
    return counts.rename("problems").to_frame()


def report_json(program: Any, lang: str = "en") -> dict[str, Any]:
    """Return the validation result of a loaded ``Program`` as a JSON-ready dict.

    Parameters
    ----------
    program : Program
        A loaded data set.
    lang : {"fr", "ar", "en"}, default "en"
        Language of each problem's ``message`` and ``suggestion``.

    Returns
    -------
    dict
        ``{"ok", "lang", "province_code", "province", "fingerprint", "tables",
        "problems"}``; ``ok`` is False when any problem is an error. Each problem has
        every :class:`Problem` field: the machine fields (``rule``, ``severity``, ``table``,
        ``key``, ``params`` as an object...) are the same in every language.
    """
    i18n.check_lang(lang)
    problems = program.problems
    records = []
    for r in problems.to_dict("records"):
        record: dict[str, Any] = {}
        for k, v in r.items():
            if k == "params":
                record[k] = {str(n): str(x) for n, x in (v if isinstance(v, tuple | list) else ())}
            else:
                record[k] = None if _missing(v) else (int(v) if k == "row" else str(v))
        record["message"], record["suggestion"] = i18n.problem_texts(r, lang)
        records.append(record)
    return {
        "ok": not (problems["severity"] == "error").any() if len(problems) else True,
        "lang": lang,
        "province_code": program.province_code,
        "province": program.province,
        "fingerprint": program.fingerprint,
        "tables": _table_counts(program),
        "problems": records,
    }


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def report_text(program: Any, lang: str = "en") -> str:
    """Return a readable validation report of a loaded ``Program``, in ``lang``.

    One line per problem (severity, file, sheet, row, column, value, message) with the
    suggestion on the next line, then ``rows read = accepted + quarantined`` per table.
    Headings, severity words, table names, messages and suggestions are in ``lang``; in
    Arabic every file name, sheet, row number, header, value and count is wrapped in a bidi
    isolate, so that it stays whole in right-to-left text.
    """
    i18n.check_lang(lang)

    def iso(text: str) -> str:
        return i18n.bidi_isolate(text, lang)

    def pad(text: str, width: int) -> str:  # isolate, then pad on the visible width
        return iso(text) + " " * (width - len(text)) if text else " " * width

    lines = [
        i18n.t("validate.data", lang, source=iso(str(program.source))),
        i18n.t(
            "validate.province",
            lang,
            province=iso(str(program.province)),
            code=iso(str(program.province_code)),
        ),
    ]
    problems = program.problems
    if len(problems):
        names = ("severity", "file", "sheet", "row", "column", "value")
        head = [i18n.t(f"validate.col.{h}", lang) for h in names]
        cells = []
        records = problems.to_dict("records")
        for r in records:
            where = r["file"] or f"({i18n.table_label(str(r['table']), lang)})"
            cells.append(
                [
                    i18n.t(f"problem.severity.{r['severity']}", lang),
                    _clip(where, 40),
                    "" if _missing(r["sheet"]) else _clip(str(r["sheet"]), 24),
                    "" if _missing(r["row"]) else str(int(r["row"])),
                    "" if _missing(r["column"]) else _clip(str(r["column"]), 28),
                    "" if _missing(r["value"]) else _clip(str(r["value"]), 24),
                ]
            )
        widths = [max(len(h), *(len(c[k]) for c in cells)) for k, h in enumerate(head)]
        indent = sum(widths) + 2 * len(widths)
        lines += [
            "",
            "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))
            + "  "
            + i18n.t("validate.col.message", lang),
        ]
        for c, r in zip(cells, records, strict=True):
            row = "  ".join(
                (x.ljust(w) if k == 0 else pad(x, w))
                for k, (x, w) in enumerate(zip(c, widths, strict=True))
            )
            message, suggestion = i18n.problem_texts(r, lang)
            lines.append(f"{row}  {message}")
            if suggestion:
                lines.append(" " * indent + f"→ {suggestion}")
    lines.append("")
    for name, n in _table_counts(program).items():
        lines.append(
            i18n.t(
                "validate.counts",
                lang,
                table=pad(i18n.table_label(name, lang), 14),
                read=iso(f"{n['rows_read']:>6}"),
                accepted=iso(f"{n['accepted']:>6}"),
                quarantined=iso(f"{n['quarantined']:>5}"),
            )
        )
    sev = Counter(problems["severity"]) if len(problems) else Counter()
    counts = {k: iso(str(sev.get(s, 0))) for k, s in (("errors", "error"), ("warnings", "warning"))}
    lines.append("")
    if sev.get("info"):
        total = i18n.t("validate.totals_info", lang, infos=iso(str(sev["info"])), **counts)
    else:
        total = i18n.t("validate.totals", lang, **counts)
    lines.append(total + (i18n.t("validate.set_aside", lang) if sev.get("error") else ""))
    return "\n".join(lines)
