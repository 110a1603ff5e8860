"""Every error the package raises, with messages a user can act on."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


class AwrachError(Exception):
    """Base class of every error raised on purpose by awrach_analysis."""


class InputError(AwrachError):
    """The input cannot be read at all (missing file, not a table, unknown format).

    The command line turns it into exit code 2.
    """


class ValidationError(AwrachError):
    """The input was read but holds errors; ``problems`` lists every one of them."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


class RenderError(AwrachError):
    """A notebook could not be run or exported; the message says which cell and why.

    Attributes
    ----------
    notebook : str
        Notebook path or name.
    cell_number : int or None
        1-based position of the failing cell among all cells, as JupyterLab shows it.
    source : str
        Source of the failing cell.
    traceback : str
        Error text of the cell (ANSI colours removed).
    """

    def __init__(
        self,
        message: str,
        *,
        notebook: str = "",
        cell_number: int | None = None,
        source: str = "",
        traceback: str = "",
    ):
        self.notebook = notebook
        self.cell_number = cell_number
        self.source = source
        self.traceback = traceback
        parts = [message]
        if source:
            parts.append("--- cell source ---\n" + source.rstrip())
        if traceback:
            parts.append("--- error ---\n" + traceback.rstrip())
        super().__init__("\n".join(parts))


class PrintError(AwrachError):
    """A deck or report could not be printed to PDF (no Chromium, or the browser failed)."""


class UnknownNameError(AwrachError, LookupError):
    """A place name could not be resolved; ``candidates`` holds the closest known names."""

    def __init__(self, name: str, kind: str, candidates: list[str]):
        self.name = name
        self.kind = kind
        self.candidates = candidates
        hint = (
            "Did you mean: " + ", ".join(repr(c) for c in candidates) + "?"
            if candidates
            else "No close match; check the spelling or use the HCP code."
        )
        super().__init__(f"Unknown {kind} {name!r}. {hint}")


class MissingTranslationError(AwrachError, KeyError):
    """A message key, one of its placeholders, or a vocabulary code has no translation.

    A ``KeyError`` too, so ``except KeyError`` around a catalogue lookup keeps working.
    Raised by :func:`awrach_analysis.i18n.t` and :func:`awrach_analysis.i18n.label`.
    """

    def __str__(self) -> str:  # KeyError would show the message between quotes
        return str(self.args[0]) if self.args else ""


class AmbiguousNameError(UnknownNameError):
    """A name matches several places; ``candidates`` lists them with their codes."""

    def __init__(self, name: str, kind: str, candidates: list[str], hint: str = ""):
        super().__init__(name, kind, candidates)
        message = (
            f"Ambiguous {kind} {name!r}: it names {len(candidates)} places: "
            + "; ".join(candidates)
            + ". "
            + (hint or "Give the HCP code instead.")
        )
        Exception.__init__(self, message)


@dataclass(frozen=True)
class Problem:
    """One problem found in the input, located as the user sees it in a spreadsheet.

    Attributes
    ----------
    file : str
        File name as given (for a workbook, the workbook).
    sheet : str or None
        Sheet name for Excel workbooks, ``None`` for CSV/Parquet.
    row : int or None
        Row number as shown by Excel (the header is row 1, the first data row is 2).
    column : str or None
        Column header as written in the file.
    value : str or None
        Offending value, as text.
    rule : str
        Short machine-readable rule name (``required``, ``type``, ``range``...).
    severity : str
        ``"error"`` (row quarantined) or ``"warning"`` (row kept).
    message : str
        What is wrong, in one sentence.
    suggestion : str
        What to do about it.
    table : str
        Canonical table name (``projects``, ``progress``...).
    key : str
        Catalogue key of the message (``problem.<...>``; its suggestion is ``<key>.hint``),
        so that it can be shown in any language (:func:`awrach_analysis.i18n.problem_texts`).
        Empty for problems whose text exists in English only.
    params : tuple of (str, str)
        Values of the message's placeholders, as text. Never a personal value.
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    rule: str
    severity: str
    message: str
    suggestion: str
    table: str = ""
    key: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as a plain dict (for JSON and DataFrames)."""
        return asdict(self)

    def __str__(self) -> str:
        where = self.file + (f" [{self.sheet}]" if self.sheet else "")
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        value = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{self.severity.upper()} {where}{value}: {self.message} {self.suggestion}".strip()


class PseudonymKeyError(InputError):
    """A CIN must be pseudonymised but no usable secret is configured.

    Attributes
    ----------
    texts : dict of str to str
        The message in each language (``fr``, ``ar``, ``en``), from the catalogue.
    key : str
        Catalogue key of the message (``privacy.key_missing``...).
    """

    def __init__(self, texts: dict[str, str], key: str):
        self.texts = dict(texts)
        self.key = key
        order = [lang for lang in ("fr", "ar", "en") if lang in self.texts]
        super().__init__("\n".join(self.texts[lang] for lang in order))
