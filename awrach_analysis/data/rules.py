"""Validation rule codes (the ``Rule`` enum) and their documentation table ``RULES``."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Rule", "RULES", "PLAUSIBILITY_RULES"]


class Rule(StrEnum):
    """Code of a validation rule, as stored in ``Problem.rule`` (compares equal to its text).

    Every member is documented in :data:`RULES` (and so in data/README.md).
    """

    MISSING_TABLE = "missing_table"
    UNKNOWN_TABLE = "unknown_table"
    PERSONAL_DATA = "personal_data"
    UNKNOWN_COLUMN = "unknown_column"
    AMBIGUOUS_COLUMN = "ambiguous_column"
    COLUMN_FALLBACK = "column_fallback"
    NO_HEADER = "no_header"
    TOTALS_ROW = "totals_row"
    DUPLICATE_COLUMN = "duplicate_column"
    MISSING_COLUMN = "missing_column"
    REQUIRED = "required"
    TYPE = "type"
    AMBIGUOUS_NUMBER = "ambiguous_number"
    ALLOWED_VALUES = "allowed_values"
    RANGE = "range"
    COMMUNE = "commune"
    UNIQUE = "unique"
    REFERENCE = "reference"
    DATE_ORDER = "date_order"
    WOMEN_OVER_JOBS = "women_over_jobs"
    YOUTH_OVER_JOBS = "youth_over_jobs"
    JOBS_OVER_PLAN = "jobs_over_plan"
    MONTH_OUTSIDE_SPAN = "month_outside_span"
    TARGET_SCOPE = "target_scope"
    TARGET_WAVE = "target_wave"
    NO_TARGET = "no_target"
    PROVINCE = "province"
    CONTEXT_COLUMN = "context_column"
    NOTE_SHEET = "note_sheet"
    CSV_QUOTE = "csv_quote"
    ENCODING = "encoding"
    FORMULA_NO_VALUE = "formula_no_value"
    XLS_FORMATS = "xls_formats"
    SUBMISSION = "submission"
    MONTH_IN_FUTURE = "month_in_future"
    MONTH_IMPLAUSIBLE = "month_implausible"
    DATE_FAR_FUTURE = "date_far_future"
    AMOUNT_IMPLAUSIBLE = "amount_implausible"
    WAVE_INFERRED = "wave_inferred"
    BENEFICIARIES_COVERAGE = "beneficiaries_coverage"


#: Every validation rule: code -> (severity, what it checks). Documented in data/README.md.
RULES: dict[Rule, tuple[str, str]] = {
    Rule.MISSING_TABLE: (
        "error / warning",
        "A required table is absent (error). Absent targets are replaced by the published "
        "targets (warning); when a single table file is checked, absent tables are warnings.",
    ),
    Rule.UNKNOWN_TABLE: (
        "warning",
        "A file or sheet whose name and headers match no table; ignored.",
    ),
    Rule.PERSONAL_DATA: (
        "warning",
        "A column that looks like personal data (CIN, name, phone...). It is dropped on read; "
        "its values are never stored, shown or quarantined.",
    ),
    Rule.UNKNOWN_COLUMN: (
        "warning",
        "A column whose header matches no column of the table (the closest accepted headers "
        "are suggested).",
    ),
    Rule.AMBIGUOUS_COLUMN: (
        "warning",
        "A header that could name two columns of the table once folded (``N°`` in a table "
        "keyed by two ids); it is not read rather than guessed.",
    ),
    Rule.COLUMN_FALLBACK: (
        "info",
        "A required French name or title absent while the Arabic one is given: the Arabic "
        "column is read as the name or title.",
    ),
    Rule.NO_HEADER: (
        "error",
        "A sheet or file named after a table in whose first rows no header row was found: "
        "its rows are quarantined under this one problem.",
    ),
    Rule.TOTALS_ROW: (
        "info",
        "Totals and subtotals rows (Total, Sous-total, المجموع...): not data, so neither read "
        "nor counted in rows read; one line names their rows.",
    ),
    Rule.DUPLICATE_COLUMN: ("warning", "Two headers name the same column; the first one is used."),
    Rule.MISSING_COLUMN: (
        "error",
        "A required column is absent: every row of the table is quarantined.",
    ),
    Rule.REQUIRED: ("error", "A required value is empty."),
    Rule.TYPE: ("error", "A number, date or month that cannot be read."),
    Rule.AMBIGUOUS_NUMBER: (
        "warning",
        "A number such as 1,100 or 1.100 in a decimal column, read as one thousand one "
        "hundred although it could mean 1.1.",
    ),
    Rule.ALLOWED_VALUES: ("error", "A category value that is not in the vocabulary."),
    Rule.RANGE: ("error", "A number below the minimum (negative counts) or above the maximum."),
    Rule.COMMUNE: (
        "error / warning",
        "A commune that is unknown (error) or outside the province: an error for a "
        "project's site, a warning (value kept) for a partner's seat or a beneficiary's "
        "residence.",
    ),
    Rule.UNIQUE: (
        "error",
        "A key shared by several rows: all rows sharing it are quarantined, each naming "
        "the others.",
    ),
    Rule.REFERENCE: (
        "error",
        "A reference to a row that does not exist, or that was itself quarantined. In the "
        "store, progress rows of a project not (yet) in the reference tables wait in "
        "quarantine and are released when the project arrives.",
    ),
    Rule.DATE_ORDER: ("error", "An end date (or period end) before its start."),
    Rule.WOMEN_OVER_JOBS: ("error", "More women than jobs filled in a progress row."),
    Rule.YOUTH_OVER_JOBS: ("error", "More young people than jobs filled in a progress row."),
    Rule.JOBS_OVER_PLAN: ("warning", "More jobs filled in a month than planned for the project."),
    Rule.MONTH_OUTSIDE_SPAN: (
        "warning",
        "A progress month before the planned start or more than 6 months after the planned end.",
    ),
    Rule.TARGET_SCOPE: ("error", "A target whose scope code does not fit its scope."),
    Rule.TARGET_WAVE: ("warning", "A target whose wave lies outside its period."),
    Rule.NO_TARGET: (
        "warning",
        "No job target for the province: progress against target is unknown.",
    ),
    Rule.PROVINCE: (
        "warning",
        "The province was not given and could not be inferred, or sources disagree.",
    ),
    Rule.CONTEXT_COLUMN: (
        "info",
        "A column that repeats details of a referenced row for people (a project's title or "
        "commune beside its id in a progress sheet); it is not read.",
    ),
    Rule.NOTE_SHEET: (
        "info",
        "A sheet of notes for people (Instructions, تعليمات, such as the fill-in template's); "
        "it is not read.",
    ),
    Rule.CSV_QUOTE: (
        "warning",
        "A CSV quote that opens a value and is never closed (the lines after it are read as "
        "their own rows, the quote as a character), or a closed quote followed by more text. "
        "When the lines cannot be read as rows, the file is refused with the row and column.",
    ),
    Rule.ENCODING: (
        "warning",
        "A CSV file that is not UTF-8 and reads plausibly both as Windows-1256 (Arabic) and "
        "Windows-1252 (French) (the reading chosen is named), or a UTF-8 file with a few "
        "broken bytes (read as UTF-8, each broken byte shown as U+FFFD).",
    ),
    Rule.FORMULA_NO_VALUE: (
        "warning",
        "Formula cells saved without their result (files written by scripts) read as empty; "
        "counted per column.",
    ),
    Rule.XLS_FORMATS: (
        "warning",
        "An .xls sheet holds values between 0 and 1: the format cannot tell whether they are "
        "shown as percentages (45% is read 0.45).",
    ),
    Rule.SUBMISSION: (
        "error / info",
        "Store only: a row that does not belong in the file it came in (another month or "
        "another partner than the file's, or a project and month already sent in another "
        "file): quarantined. A template line left blank (nothing typed beyond the project and "
        "month) is noted (info) and not read.",
    ),
    Rule.MONTH_IN_FUTURE: (
        "error",
        "A progress month after the current month (AWRACH_TODAY fixes 'today'): the row is "
        "quarantined, so that a typo never becomes the 'as of' month.",
    ),
    Rule.MONTH_IMPLAUSIBLE: (
        "error",
        "A progress month more than 12 months after the project's planned end or before "
        "its planned start: most likely a typo in the year; the row is quarantined.",
    ),
    Rule.DATE_FAR_FUTURE: (
        "warning",
        "A date more than 5 years after today (e.g. 15/03/52 read as 2052); the message "
        "says when the year was written with two digits.",
    ),
    Rule.AMOUNT_IMPLAUSIBLE: (
        "warning",
        "Person-days above 31 per job filled, or wages above 1,000 MAD per person-day "
        "(per possible day when person-days are absent).",
    ),
    Rule.WAVE_INFERRED: (
        "error / warning",
        "No wave column: the wave is the year of the signing date (one warning per table, "
        "with the count); a signing year that is no wave is an error for the row.",
    ),
    Rule.BENEFICIARIES_COVERAGE: (
        "warning",
        "The beneficiaries table lists people for only some of the projects with jobs "
        "filled: jobs to date of the others are their peak monthly jobs filled.",
    ),
}

#: Rules checked by :mod:`awrach_analysis.data.plausibility`.
PLAUSIBILITY_RULES = (
    Rule.MONTH_IN_FUTURE,
    Rule.MONTH_IMPLAUSIBLE,
    Rule.DATE_FAR_FUTURE,
    Rule.AMOUNT_IMPLAUSIBLE,
    Rule.WAVE_INFERRED,
    Rule.BENEFICIARIES_COVERAGE,
)
