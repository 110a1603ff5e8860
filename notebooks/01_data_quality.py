# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python (awrach-analysis)
#     language: python
#     name: awrach-analysis
# ---

# %% [markdown]
# # 01 · Data quality: what was loaded, what was set aside, what is missing
#
# - **Answers:** how many rows of each table were read, accepted and set aside (quarantined).
# - **Answers:** why each row was set aside: file, sheet, Excel row, column, value, and what to do.
# - **Answers:** which partners sent their monthly progress reports, month by month, and
#   which did not.
# - **Change:** `data_path` (your folder or workbook; `None` = the bundled Khénifra sample),
#   `province`, `month` (`"YYYY-MM"`; `None` = last month with a report) and `lang`
#   (`"fr"`, `"ar"`, `"en"`) in the next cell, then *Run ▸ Run All Cells*.
# - **Fix the data, not the notebook:** correct the file and row named in the problems table,
#   then run again. Read this notebook first: the other five count only accepted rows.

# %% tags=["parameters"]
data_path = None  # your data folder or workbook; None: the bundled Khénifra sample
province = None  # province name or HCP code; None: taken from the data
scope = None  # "national", a region or a province (name or code): narrows a wider data set
month = None  # "YYYY-MM"; None: the last month with a progress report
lang = "fr"  # "fr", "ar" or "en": language of labels and charts

# %%
import pandas as pd
from IPython.display import display

from awrach_analysis.analysis import indicators
from awrach_analysis.data import validate
from awrach_analysis.documents import report, scope_views
from awrach_analysis.documents.notebook import start

pd.set_option("display.max_colwidth", 200)  # show problem messages and suggestions whole
session = start(data_path, province, month, lang, scope=scope)
program, as_of, wave = session.program, session.as_of, session.wave

# %% [markdown]
# ## What was loaded
#
# One row per table. `rows_read` counts the data rows found in the files; each of them is
# either `accepted` (used by every indicator) or `quarantined` (set aside, listed below).
# Nothing is dropped silently: the two columns always add up to the first. A table with
# no file (for example no beneficiaries list) shows zeros.

# %%
validate.table_counts(program)

# %% [markdown]
# ## What was set aside, and why
#
# First the problems counted by table, rule and severity, then every problem with where it
# is (file, sheet, Excel row, column), the value read, what is wrong and a suggestion.
# An **error** sets the row aside; a **warning** keeps it but asks for a check. A project
# set aside takes its progress rows and beneficiaries with it: fix the project first.
# Columns that look like personal data (CIN, names, phones) are dropped when the files
# are read; only the fact that they were there is reported, never their values.

# %%
problems = validate.problems_in(program.problems, lang)  # messages in the chosen language
if problems.empty:
    print("No problem found: every row of every table was accepted.")
else:
    display(validate.problem_counts(problems))
    display(problems)

# %% [markdown]
# The rows set aside, as they were read, with the reasons (in `lang`) and their Excel row. The
# beneficiaries table is left out on purpose: its rows describe people, and the problems
# table above already says which rows were rejected and why.

# %%
for name, rows in program.quarantine.items():
    if len(rows) and name != "beneficiaries":
        print(f"{name}: {len(rows)} row(s) set aside")
        display(rows.assign(reasons=validate.quarantine_reasons(program, name, lang)))
print("Rows set aside in all tables:", program.quarantined_rows)

# %% [markdown]
# ## Are the monthly progress reports complete?
#
# Months with no progress report at all for the whole province come first: a gap there
# usually means a file was not sent, not that work stopped. Then, per implementing partner,
# the months expected (the active span of each of its projects), the months reported, the
# months missing, the share received (`punctuality`: the data hold no submission date, so
# this is completeness, not lateness) and the projects that never sent a report, for the
# partners with something missing, least complete first.

# %%
gaps = report.missing_months(program, as_of)
print("Months without any progress report:", ", ".join(gaps) if gaps else "none")
reporting = indicators.rank_reporting(indicators.reporting(program, as_of=as_of))
print("Partners with every monthly report:", reporting["complete"].sum(), "of", len(reporting))
reporting[~reporting["complete"]].drop(columns=["fill_rate", "complete"])

# %% [markdown]
# ### Reports received, partner by month
#
# Each cell counts the projects of a partner that sent a progress report for that month.
# The colour shows what is missing: white when every project expected to report that
# month (the month is inside its active span) did, redder the more of them did not. A red
# cell is a report to ask for. Partners are in the order of the table above (least
# complete first); partners whose projects never reported show a row of white zeros and
# are counted in `projects_never_reported` above.

# %%
display(*scope_views.reporting_grid(program, reporting, lang, as_of=as_of))

# %% [markdown]
# ## What to do next
#
# Send the problems table to whoever keeps the files (each line says where and what to
# fix), ask the least complete partners for their missing reports, then load the data
# again. The other notebooks use the accepted rows only: `02_programme_overview` for the
# headline figures, `04_progress_tracking` for the projects behind schedule.
