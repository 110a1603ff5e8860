"""The ``awrach`` command line: one subcommand per user task."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from . import __version__
from .errors import AwrachError, InputError, UnknownNameError


def _print_json(obj: object) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


# --- subcommand handlers: each returns the exit code ------------------------------------


def _cmd_summary(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _cmd_validate(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _cmd_communes(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _cmd_sample(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _cmd_report(args: argparse.Namespace) -> int:
    raise NotImplementedError


def _cmd_slides(args: argparse.Namespace) -> int:
    raise NotImplementedError


# --- parser --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``awrach`` command."""
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

    p = add("summary", _cmd_summary, "Print the programme in figures.")
    p.add_argument("--data", help="data folder or workbook (default: bundled sample)")
    p.add_argument("--province", help="province name or HCP code (default: from the data)")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = add("validate", _cmd_validate, "Check a data folder or workbook and list every problem.")
    p.add_argument("path", help="data folder, workbook or single table file")
    p.add_argument("--province", help="province name or HCP code (default: from the data)")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = add("communes", _cmd_communes, "List the communes of a province, or boundary coverage.")
    p.add_argument("--province", help="province or prefecture name or HCP code")
    p.add_argument("--coverage", action="store_true", help="national boundary coverage")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = add("sample", _cmd_sample, "Generate a deterministic sample data set.")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--province", default=None, help="province name or HCP code (default Khénifra)")
    p.add_argument("--seed", type=int, default=None, help="random seed")

    p = add("report", _cmd_report, "Render the monthly HTML report.")
    p.add_argument("--month", help="YYYY-MM (default: latest month with data)")
    p.add_argument("--all", action="store_true", help="every month that has data")
    p.add_argument("--lang", action="append", choices=["fr", "ar", "en"], help="repeatable")
    p.add_argument("--data", help="data folder or workbook (default: bundled sample)")
    p.add_argument("--province", help="province name or HCP code")
    p.add_argument("--out", help="output folder (default: reports/)")
    p.add_argument("--force", action="store_true", help="rebuild even when up to date")

    p = add("slides", _cmd_slides, "Render the council-session slide deck.")
    p.add_argument("--month", help="YYYY-MM (default: latest month with data)")
    p.add_argument("--lang", default="ar", choices=["fr", "ar", "en"])
    p.add_argument("--data", help="data folder or workbook (default: bundled sample)")
    p.add_argument("--province", help="province name or HCP code")
    p.add_argument("--out", help="output folder (default: reports/)")
    p.add_argument("--pdf", action="store_true", help="also print the deck to PDF")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``awrach`` command and return its exit code."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except InputError as exc:
        print(f"awrach: cannot read input: {exc}", file=sys.stderr)
        return 2
    except UnknownNameError as exc:
        print(f"awrach: {exc}", file=sys.stderr)
        return 2
    except AwrachError as exc:
        print(f"awrach: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
