"""The ``awrach`` command line: one subcommand per user task."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from . import __version__
from .errors import AmbiguousNameError, AwrachError, InputError, UnknownNameError

#: Environment variables that name the user's locale, in the order POSIX consults them.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """Return the language of messages from the environment's locale.

    The first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides:
    ``ar_MA.UTF-8`` -> ``"ar"``, ``fr_FR`` -> ``"fr"``, ``en_US.UTF-8`` -> ``"en"``.
    French (the programme's working language) when it names another language, or
    ``C``/``POSIX``, or when none is set.

    Parameters
    ----------
    environ : mapping, optional
        Environment (default ``os.environ``).

    Returns
    -------
    str
        ``"fr"``, ``"ar"`` or ``"en"``.
    """
    from .config import DEFAULT_LANGUAGE, LANGUAGES

    env = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = env.get(name, "")
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
            return code if code in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _kind_params(kind: str) -> dict[str, str]:
    """Return the placeholder ``kind`` of a name error, translated when it is known."""
    from . import i18n

    key = "error.kind." + kind.replace(" ", "_")
    return {"kind_key": key} if key in i18n.CATALOGUE else {"kind": kind}


def error_text(exc: BaseException, lang: str) -> str:
    """Return an error as one line in ``lang``, for the command line.

    Errors raised with a catalogue key (``InputError`` from the loader, bad months...) and
    unknown or ambiguous place names are worded in ``lang``; any other error keeps its
    (English) text. Only the first line of a long message is kept (a failed notebook
    cell's source and traceback stay in the exception).

    Parameters
    ----------
    exc : BaseException
        The error.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
        The message, without the ``awrach:`` prefix.
    """
    from . import i18n

    key = getattr(exc, "key", "")
    texts = getattr(exc, "texts", None)  # already worded in every language (PseudonymKeyError)
    if isinstance(texts, dict) and texts.get(lang):
        text = texts[lang]
    elif key:
        text = i18n.problem_message(key, getattr(exc, "params", ()), lang)
    elif isinstance(exc, AmbiguousNameError):
        text = i18n.problem_message(
            "error.ambiguous_name",
            {
                **_kind_params(exc.kind),
                "name": repr(exc.name),
                "n": str(len(exc.candidates)),
                "candidates": "; ".join(exc.candidates),
            },
            lang,
        )
    elif isinstance(exc, UnknownNameError):
        hint = "error.unknown_name.candidates" if exc.candidates else "error.unknown_name.none"
        text = i18n.problem_message(
            "error.unknown_name",
            {
                **_kind_params(exc.kind),
                "name": repr(exc.name),
                "hint_key": hint,
                "hint.names": ", ".join(repr(c) for c in exc.candidates),
            },
            lang,
        )
    else:
        text = str(exc)
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _print_json(obj: object) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


#: Levels ``--scope`` takes before a name.
SCOPE_LEVEL_WORDS = ("national", "region", "province")


def scope_text(words: Sequence[str] | None, province: str | None = None) -> str | None:
    """Return the scope named by ``--scope`` (or ``--province``) as a code, or None.

    ``--scope national``, ``--scope region NAME`` and ``--scope province NAME`` (a name or
    an HCP code); ``--scope NAME`` alone is looked up as a region, then as a province.
    ``--province NAME`` is ``--scope province NAME`` (it also takes a region or
    ``national``, as ``load(province=...)`` does).

    Raises
    ------
    UnknownNameError
        When the name is not a region (or a province) of the level asked.
    InputError
        When the words are not one of the forms above, or ``--scope`` and ``--province``
        name different places.
    """
    from .data import problems
    from .model.codes import NATIONAL_CODE, scope_level
    from .reference.communes import resolve_province
    from .reference.scopes import regions, resolve_scope

    code = None
    if words:
        level, *rest = [w for w in words if w.strip()] or [""]
        name = " ".join(rest).strip()
        if level == "national" and not name:
            code = NATIONAL_CODE
        elif level == "province" and name:
            code = resolve_province(name)
        elif level == "region" and name:
            code = resolve_scope(name)
            if scope_level(code) != "region":
                raise UnknownNameError(name, "region", list(regions()["name_fr"]))
        elif level not in SCOPE_LEVEL_WORDS and not name:
            code = resolve_scope(level)
        else:
            raise problems.error(InputError, "error.scope_words", words=" ".join(words))
    if province is not None:  # any scope, as load(province=) always took it
        asked = resolve_scope(province)
        if code is not None and code != asked:
            raise problems.error(InputError, "error.scope_and_province", scope=code, province=asked)
        code = asked
    return code


def _scope(args: argparse.Namespace) -> str | None:
    """Return the scope code of a command's ``--scope``/``--province`` options."""
    return scope_text(getattr(args, "scope", None), getattr(args, "province", None))


# --- subcommand handlers: each returns the exit code ------------------------------------


def _cmd_summary(args: argparse.Namespace) -> int:
    from .analysis.summary import format_summary, program_summary
    from .data.load import load

    program = load(args.data, scope=_scope(args))
    summary = program_summary(program)
    if args.json:
        _print_json(summary)
    else:
        sys.stdout.write(format_summary(summary))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .data.load import load
    from .data.validate import report_json, report_text

    program = load(args.path, scope=_scope(args))
    result = report_json(program, args.lang)
    if args.json:
        _print_json(result)
    else:
        print(report_text(program, args.lang))
    return 0 if result["ok"] else 1


def _cmd_communes(args: argparse.Namespace) -> int:
    import pandas as pd

    from .config import DEFAULT_PROVINCE_CODE
    from .reference import communes

    def plain(value: object) -> object:
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return None
        return value.item() if hasattr(value, "item") else value

    def table(rows: list[list[str]], right: set[int]) -> None:
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for n, row in enumerate(rows):
            cells = [
                c.rjust(w) if i in right else c.ljust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ]
            print("  ".join(cells).rstrip())
            if n == 0:
                print("  ".join("-" * w for w in widths))

    if args.coverage:
        cov = communes.coverage()
        total = communes.coverage_total()
        if args.json:
            records = [{k: plain(v) for k, v in row.items()} for row in cov.to_dict("records")]
            _print_json({"provinces": records, "total": total})
            return 0
        rows = [["code", "province", "communes", "with polygon", "without", "%"]]
        for r in cov.itertuples(index=False):
            rows.append(
                [
                    r.province_code,
                    r.province_fr,
                    str(r.communes),
                    str(r.with_boundary),
                    str(r.without_boundary),
                    f"{r.pct:.1f}",
                ]
            )
        rows.append(
            [
                "",
                "Morocco (total)",
                str(total["communes"]),
                str(total["with_boundary"]),
                str(total["without_boundary"]),
                f"{total['pct']:.1f}",
            ]
        )
        table(rows, right={2, 3, 4, 5})
        print(f"\nSources: {communes.ATTRIBUTION['boundaries']}")
        return 0

    df = communes.province_communes(args.province or DEFAULT_PROVINCE_CODE)
    fields = [c for c in communes.COLUMNS if c != "geometry"]  # every attribute, no polygon
    if args.json:
        _print_json([{k: plain(row[k]) for k in fields} for row in df[fields].to_dict("records")])
        return 0
    first = df.iloc[0] if len(df) else None
    if first is not None:
        print(
            f"{first['province_fr']} – {first['province_ar']} ({first['province_code']}): "
            f"{len(df)} communes, population 2024 {int(df['population_2024'].sum()):,}\n"
        )
    rows = [["code", "commune", "type", "cercle", "pop. 2024", "unempl. %", "polygon", "الجماعة"]]
    for r in df.itertuples(index=False):
        rate = r.unemployment_rate_2024
        rows.append(
            [
                r.commune_code,
                r.name_fr,
                r.commune_type,
                r.cercle_fr if isinstance(r.cercle_fr, str) else "(municipality)",
                f"{int(r.population_2024):,}",
                "n/a" if pd.isna(rate) else f"{rate:.1f}",
                "yes" if r.has_boundary else "no",
                r.name_ar,
            ]
        )
    table(rows, right={4, 5})
    print(f"\nSources: {communes.ATTRIBUTION['census']}\n{communes.ATTRIBUTION['boundaries']}")
    return 0


def _cmd_sample(args: argparse.Namespace) -> int:
    import time

    from . import config
    from .data.sample import generate, write_sample

    seed = config.DEFAULT_SEED if args.seed is None else args.seed
    began = time.perf_counter()
    if args.scale == "national" or args.region:
        from .data.sample_national import generate_national

        if args.province:
            raise AwrachError("--province cannot be combined with --scale national or --region.")
        tables = generate_national(seed=seed, region=args.region)
    else:
        tables = generate(args.province or config.DEFAULT_PROVINCE_CODE, seed=seed)
    written = write_sample(tables, args.out)
    meta = tables["meta"]
    rows = sum(len(tables[name]) for name in tables if name != "meta")
    print(
        f"Wrote {len(written)} files to {args.out}: synthetic sample for "
        f"{meta['province']} ({meta['province_code']}), seed {seed}, data up to {meta['as_of']}"
        + (f"; {rows:,} rows in {time.perf_counter() - began:.1f} s." if "scope" in meta else ".")
    )
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .documents.report import build

    result = build(
        month=args.month,
        all_months=args.all,
        langs=args.lang,
        data=args.data,
        province=_scope(args),
        out_dir=args.out,
        force=args.force,
    )
    for path in result.paths:  # every report asked for, built now or already up to date
        print(path)
    index = f"; index: {result.index}" if result.index is not None else ""
    print(
        f"awrach: {len(result.built)} report(s) built, "
        f"{len(result.up_to_date)} already up to date{index}",
        file=sys.stderr,
    )
    return 0


def _cmd_slides(args: argparse.Namespace) -> int:
    # Exit codes: 0 deck written (and printed with --pdf); 1 the deck could not be built
    # (nothing written); 2 bad option value; 3 deck and figures written but --pdf could not
    # print (no Chromium or Playwright): the HTML can still be printed from a browser.
    from pathlib import Path

    from .data import problems
    from .documents import slides

    try:
        month = slides.month_text(args.month) if args.month else None
    except AwrachError as exc:
        print(f"awrach slides: {error_text(exc, args.lang or default_lang())}", file=sys.stderr)
        return 2
    if args.data and not Path(args.data).exists():
        # checked here: inside the notebook it would only surface as a failed cell
        raise problems.error(InputError, "error.no_such_data", path=args.data)
    result = slides.build_slides(
        month=month,
        lang=args.lang or "ar",
        data_path=args.data,
        province=_scope(args),
        out_dir=args.out,
        pdf=False,
    )
    print(result.html)
    for path in result.figures:
        print(path)
    summary = (
        f"awrach: {result.slides} slides ({result.lang}, {result.province}, {result.month}); "
        f"{len(result.figures)} print figure files in {result.html.parent / 'figures'}"
    )
    if not args.pdf:
        print(summary, file=sys.stderr)
        return 0
    try:
        result.pdf = slides.print_pdf(result.html)
    except slides.PrintError as exc:
        print(summary, file=sys.stderr)
        print(f"awrach slides: {error_text(exc, args.lang or default_lang())}", file=sys.stderr)
        return slides.EXIT_NO_PDF
    print(result.pdf)
    print(f"{summary}; PDF printed", file=sys.stderr)
    return 0


def _cmd_notebooks(args: argparse.Namespace) -> int:
    from .documents.notebook import copy_notebooks

    written = copy_notebooks(args.dest, force=args.force)
    for path in written:
        print(path)
    print(
        f"awrach: {len(written)} files copied to {args.dest}; open them with "
        "`jupyter lab` (the kernel needs this package installed).",
        file=sys.stderr,
    )
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from .data import template
    from .data.load import load

    if args.partner is None and args.month is not None:
        print("awrach template: --month goes with --partner ID.", file=sys.stderr)
        return 2
    if args.partner is not None:
        if args.month is None:
            print("awrach template: --partner needs --month YYYY-MM.", file=sys.stderr)
            return 2
        program = load(args.data, scope=_scope(args))
        wb = template.partner_template(program, args.partner, args.month, args.lang)
        what = f"monthly progress sheet of partner {args.partner} for {args.month}"
    else:
        province = _scope(args)
        if province is None and args.data:  # the province of the data set
            province = load(args.data).province_code
        wb = template.workbook_template(province, args.lang)
        what = "data-entry workbook (one sheet per table)"
    path = template.save(wb, args.out)
    print(path)
    print(f"awrach: wrote the {what} ({args.lang})", file=sys.stderr)
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    # Exit codes: 0 every file went in whole; 1 some rows were quarantined; 2 a file could
    # not be read (nothing of it went in) or the store is busy.
    from .data import store
    from .i18n import t

    lang = args.lang
    results = store.ingest(
        args.files,
        args.store,
        month=args.month,
        partner=args.partner,
        province=args.province,
        wait=args.wait,
        on_result=lambda r: print(r.line(lang), flush=True),
    )
    counts = {s: sum(r.status == s for r in results) for s in store.STATUSES}
    print(
        t(
            "store.ingest.summary",
            lang,
            files=len(results),
            store=args.store or store.DEFAULT_STORE,
            **counts,
        ),
        file=sys.stderr,
    )
    if counts["unreadable"]:
        return 2
    return 1 if any(r.rows_quarantined for r in results) else 0


def _cmd_status(args: argparse.Namespace) -> int:
    from .data import store

    result = store.status(args.store, args.month, months=args.months)
    if args.json:
        _print_json(result)
    else:
        sys.stdout.write(store.format_status(result, args.lang))
    return 0


def _cmd_quarantine(args: argparse.Namespace) -> int:
    from .data import store
    from .i18n import t

    path, rows = store.export_quarantine(
        args.export, args.store, partner=args.partner, lang=args.lang
    )
    print(t("store.export.written", args.lang, rows=rows, path=path))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from .data import store
    from .i18n import t

    written = store.export_tables(args.out, args.store)
    print(t("store.export.tables", args.lang, files=len(written), path=args.out))
    return 0


def _cmd_forget(args: argparse.Namespace) -> int:
    from .data import store
    from .i18n import fmt_int, t

    # Exit codes: 0 the beneficiary was removed; 1 no row holds the key; 2 bad input.
    result = store.forget(args.key, args.store or store.DEFAULT_STORE)
    if not result.total:
        print(t("store.forget.not_found", args.lang), file=sys.stderr)
        return 1
    tables = ", ".join(f"{name}: {fmt_int(n, args.lang)}" for name, n in result.removed.items())
    rows = fmt_int(result.total, args.lang)
    print(t("store.forget.removed", args.lang, rows=rows, tables=tables))
    return 0


# --- parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``awrach`` command."""
    from .config import LANGUAGES

    parser = argparse.ArgumentParser(
        prog="awrach",
        description="Follow Awrach projects: load and validate data, summarise, report.",
    )
    parser.add_argument("--version", action="version", version=f"awrach-analysis {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_: str):
        p = sub.add_parser(name, help=help_, description=help_)
        p.set_defaults(handler=handler)
        return p

    def province_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--province",
            help="province name or HCP code (default: from the data); "
            "the same as --scope province NAME",
        )

    def scope_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--scope",
            nargs="+",
            metavar="LEVEL [NAME]",
            help="what the figures cover: 'national', 'region NAME' or 'province NAME' "
            "(name or HCP code); a national or regional data set is narrowed to it "
            "(default: the data set's own scope)",
        )

    def lang_option(p: argparse.ArgumentParser, what: str = "messages") -> None:
        p.add_argument(
            "--lang",
            choices=list(LANGUAGES),
            default=None,
            help=f"language of {what}: fr, ar or en (default: from the locale, "
            "LC_ALL/LC_MESSAGES/LANG; French when unknown)",
        )

    p = add("summary", _cmd_summary, "Print the programme in figures.")
    p.add_argument("--data", help="data folder, workbook or store (default: bundled sample)")
    province_option(p)
    scope_option(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    lang_option(p, "error messages")

    p = add("validate", _cmd_validate, "Check a data folder or workbook and list every problem.")
    p.add_argument(
        "path", nargs="?", help="data folder, workbook or single table file (default: the sample)"
    )
    province_option(p)
    scope_option(p)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    lang_option(p, "the report and messages")

    p = add("communes", _cmd_communes, "List the communes of a province, or boundary coverage.")
    p.add_argument("--province", help="province or prefecture name or HCP code")
    p.add_argument("--coverage", action="store_true", help="national boundary coverage")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    lang_option(p, "error messages")

    p = add("sample", _cmd_sample, "Generate a deterministic sample data set.")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--province", default=None, help="province name or HCP code (default Khénifra)")
    p.add_argument(
        "--scale",
        choices=["province", "national"],
        default="province",
        help="one province (default) or the whole country (75 provinces, with payroll)",
    )
    p.add_argument(
        "--region", default=None, help="region code or name: the national sample's rows there"
    )
    p.add_argument("--seed", type=int, default=None, help="random seed")
    lang_option(p, "error messages")

    p = add("template", _cmd_template, "Write a fill-in workbook, or a partner's monthly sheet.")
    p.add_argument("out", help="the .xlsx file to write")
    p.add_argument("--lang", default="fr", choices=["fr", "ar"], help="language of the sheets")
    province_option(p)
    scope_option(p)
    p.add_argument("--data", help="data folder or workbook (default: bundled sample)")
    p.add_argument("--partner", help="partner id: write its monthly progress sheet")
    p.add_argument("--month", help="YYYY-MM, the month the partner reports (with --partner)")

    p = add("report", _cmd_report, "Render the monthly HTML report.")
    p.add_argument("--month", help="YYYY-MM (default: latest month with data)")
    p.add_argument("--all", action="store_true", help="every month that has data")
    p.add_argument(
        "--lang",
        action="append",
        choices=list(LANGUAGES),
        help="language of a report, repeatable (default: fr and ar); the first one is also "
        "the language of error messages (default: from the locale)",
    )
    p.add_argument("--data", help="data folder, workbook or store (default: bundled sample)")
    province_option(p)
    scope_option(p)
    p.add_argument("--out", help="output folder (default: reports/)")
    p.add_argument("--force", action="store_true", help="rebuild even when up to date")

    p = add("slides", _cmd_slides, "Render the council-session slide deck.")
    p.epilog = (
        "Exit codes: 0 done; 1 deck not built; 2 bad --month or missing --data; "
        "3 deck written but --pdf could not print (no Chromium)."
    )
    p.add_argument("--month", help="YYYY-MM (default: latest month with data)")
    p.add_argument(
        "--lang",
        default=None,
        choices=list(LANGUAGES),
        help="language of the deck (default: ar) and of error messages (default: the locale)",
    )
    p.add_argument("--data", help="data folder, workbook or store (default: bundled sample)")
    province_option(p)
    scope_option(p)
    p.add_argument("--out", help="output folder (default: reports/)")
    p.add_argument("--pdf", action="store_true", help="also print the deck to PDF")

    p = add("notebooks", _cmd_notebooks, "Copy the analyst notebooks into a folder.")
    p.add_argument("dest", help="folder to copy into (created when missing)")
    p.add_argument("--force", action="store_true", help="overwrite existing files")
    lang_option(p, "error messages")
    store_help = "store file (default: data/store/awrach.duckdb)"
    p = add("ingest", _cmd_ingest, "Add partners' files to the monthly store.")
    p.epilog = (
        "Exit codes: 0 every file went in; 1 some rows were quarantined; "
        "2 a file could not be read, or another process holds the store."
    )
    p.add_argument("files", nargs="+", help="progress files, reference workbook, corrections")
    p.add_argument("--store", help=store_help)
    p.add_argument("--month", help="YYYY-MM of the files (default: read from the rows)")
    p.add_argument("--partner", help="partner id (default: from the files' projects)")
    p.add_argument("--province", help="province name or HCP code (default: from the data)")
    lang_option(p, "messages")
    p.add_argument(
        "--wait", type=float, default=30.0, help="seconds to wait for a busy store (default 30)"
    )

    p = add("status", _cmd_status, "Who sent what: partners x months, partners to chase.")
    p.add_argument("--store", help=store_help)
    p.add_argument("--month", help="YYYY-MM (default: latest month received)")
    p.add_argument("--months", type=int, default=6, help="months shown (default 6)")
    lang_option(p, "the table and messages")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = add("quarantine", _cmd_quarantine, "Export quarantined rows for partners to correct.")
    p.add_argument("--export", required=True, metavar="OUT.xlsx", help="workbook to write")
    p.add_argument("--store", help=store_help)
    p.add_argument("--partner", help="only this partner's rows")
    lang_option(p, "the workbook and messages")

    p = add("export", _cmd_export, "Write the store's consolidated tables as CSV and Parquet.")
    p.add_argument("--store", help=store_help)
    p.add_argument("--out", required=True, help="output folder")
    lang_option(p, "messages")

    p = add("forget", _cmd_forget, "Remove one beneficiary everywhere in the store.")
    p.epilog = (
        "KEY is the pseudonymous key (ps-...) or the CIN, pseudonymised with the secret "
        "(AWRACH_PSEUDONYM_KEY). The deletion is logged with a count, never the identity. "
        "Exit codes: 0 removed; 1 not found; 2 the store or the secret is missing."
    )
    p.add_argument("key", metavar="KEY", help="pseudonymous key or CIN of the beneficiary")
    p.add_argument("--store", help=store_help)
    lang_option(p, "messages")
    return parser


#: Commands whose --lang defaults to the locale (``report``, ``slides`` and ``template``
#: have their own default language for what they write).
_LOCALE_LANG_COMMANDS = (
    "summary",
    "validate",
    "communes",
    "sample",
    "notebooks",
    "ingest",
    "status",
    "quarantine",
    "export",
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``awrach`` command and return its exit code."""
    from . import i18n

    args = build_parser().parse_args(argv)
    asked = getattr(args, "lang", None)
    if getattr(args, "command", None) == "template":
        asked = None  # its --lang is the sheets' language; messages follow the locale
    lang = (asked[0] if isinstance(asked, list) else asked) or default_lang()
    if getattr(args, "command", None) in _LOCALE_LANG_COMMANDS:
        args.lang = lang
    try:
        return args.handler(args)
    except InputError as exc:
        message = i18n.t("error.cli.input", lang, message=error_text(exc, lang))
        print(message, file=sys.stderr)
        return 2
    except UnknownNameError as exc:
        print(i18n.t("error.cli.other", lang, message=error_text(exc, lang)), file=sys.stderr)
        return 2
    except AwrachError as exc:
        print(i18n.t("error.cli.other", lang, message=error_text(exc, lang)), file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader (e.g. `| head`) closed the pipe: stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
