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
# # 04 · Progress tracking: will the target be reached, and which projects are behind?
#
# - **Answers:** how jobs to date grow against the wave's target, and when the target is
#   reached from the projects still to start, the fill rate observed and the replacements
#   (the projection, in a chart and in words; docs/forecast.md has its back-test).
# - **Answers:** how activity moves month by month: positions occupied, full-time
#   equivalents, wages paid.
# - **Answers:** which projects are behind schedule and why (not started, stalled, overdue,
#   missing reports, under-filled, late start...), most severe first.
# - **Change:** `data_path`, `province`, `month` and `lang` in the next cell; `wave` in the
#   cell after it (`None`: all waves against the sum of their targets). Then *Run All*.

# %% tags=["parameters"]
data_path = None  # your data folder or workbook; None: the bundled Khénifra sample
province = None  # province name or HCP code; None: taken from the data
scope = None  # "national", a region or a province (name or code): narrows a wider data set
month = None  # "YYYY-MM"; None: the last month with a progress report
lang = "fr"  # "fr", "ar" or "en": language of labels and charts

# %%
import pandas as pd
from IPython.display import display

from awrach_analysis import i18n
from awrach_analysis.analysis import indicators
from awrach_analysis.documents import report
from awrach_analysis.documents.notebook import start
from awrach_analysis.figures import charts

session = start(data_path, province, month, lang, scope=scope)
program, as_of, wave = session.program, session.as_of, session.wave

# %%
monthly = indicators.monthly_jobs(program, wave=wave, as_of=as_of)
forecast = indicators.forecast(program, as_of=as_of, wave=wave)
target = indicators.target_for(program, wave)

# %% [markdown]
# ## Burn-up against the target, with the projection
#
# The solid line is jobs to date (people who started a contract), the horizontal line the
# target of the wave. The dashed line adds, month by month, the planned jobs of the projects
# not started yet (at their planned start, times the fill rate observed so far) and the
# contracts still owed by running projects (replacements); the band spans a fast and a slow
# scenario. When even the fast path crosses the target after the end of the wave's period,
# the target will not be reached in time.

# %%
charts.burnup(monthly, forecast, lang, sample=program.is_sample)

# %% [markdown]
# The projection in words, as the monthly report writes it, with the source of the
# target; then every figure of the projection (projects not started yet, fill rate,
# replacements, months of the band, whether the target is reachable before the end of the
# period; the paths month by month are in `path_*`).

# %%
display(report.forecast_text(forecast, lang, source=target["source"]))
pd.Series(forecast, name="forecast", dtype=object).to_frame()

# %% [markdown]
# ## Month by month
#
# Positions occupied in the month (`jobs_filled`), full-time equivalents (`fte`: 22
# person-days make one), wages paid in the month, then jobs to date, the share of the
# target and the gap still to fill (negative once exceeded). A drop in positions occupied
# while jobs to date stays flat is the end of contracts, not new hires. The chart stacks
# the positions occupied of every wave, to see how the waves overlap.

# %%
monthly[
    ["month", "jobs_filled", "fte", "wages_paid_mad", "jobs_to_date", "pct_of_target", "gap"]
].style.format(
    {
        "month": "{:%Y-%m}",
        "jobs_filled": "{:,}",
        "fte": "{:,.1f}",
        "wages_paid_mad": "{:,.0f}",
        "jobs_to_date": "{:,}",
        "pct_of_target": "{:.1f} %",
        "gap": "{:,.0f}",
    },
    na_rep="—",
).hide(axis="index")

# %%
charts.jobs_by_month(
    indicators.monthly_breakdown(program, "wave", as_of=as_of),
    by="wave",
    lang=lang,
    sample=program.is_sample,
)

# %% [markdown]
# ## Projects behind schedule, and why
#
# Each project gets every warning that applies; the main reason is the most severe. How
# many projects carry each warning (a project can carry several):

# %%
attention = indicators.attention(program, as_of=as_of, wave=wave)
indicators.flag_counts(attention).rename(
    index={code: i18n.t(f"reason.{code}", lang) for code in indicators.REASONS}
)

# %% [markdown]
# The projects themselves, most severe first, with every reason in words, the planned
# period and the physical progress of the last report. Call the partners at the top of the
# list first: suspended, not started and stalled projects hold jobs that are not being
# created. No count of people is shown per project.

# %%
report.attention_table(attention, program, lang, as_of=as_of, limit=50)

# %% [markdown]
# On the schedule chart, grey bars are the planned periods and coloured bars the actual
# ones (vermillion when a warning applies), with the main reason written next to each
# project; the vertical line is the month of the assessment.

# %%
if len(attention):
    display(charts.schedule_gantt(attention, lang, sample=program.is_sample))
else:
    print("No project needs attention at the end of the month.")
