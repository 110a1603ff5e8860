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
# # 02 · Programme overview: the headline figures against the targets, wave by wave
#
# - **Answers:** how many agreements, projects, partners, communes and jobs each wave counts.
# - **Answers:** how many jobs are filled to date against the province target of each wave,
#   and how far from it (share of the target).
# - **Answers:** how jobs to date grew month by month towards each target.
# - **Change:** `data_path`, `province`, `month` (`"YYYY-MM"`: the figures at the end of that
#   month) and `lang` (`"fr"`, `"ar"`, `"en"`) in the next cell, then *Run ▸ Run All Cells*.
# - **Check first:** `01_data_quality`; rows set aside there are not counted here.

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
from awrach_analysis.analysis.summary import program_summary, waves_table
from awrach_analysis.documents.notebook import start
from awrach_analysis.figures import charts

session = start(data_path, province, month, lang, scope=scope)
program, as_of, wave = session.program, session.as_of, session.wave

# %% [markdown]
# ## The programme in figures, by wave
#
# One column per wave (Awrach 1 is 2022, Awrach 2 is 2023). Partners are the implementing
# partners of the wave's agreements, by type; co-signing services are the decentralized
# state services named on the agreements. `jobs_filled_to_date` counts people who started
# a contract by the end of the month; `jobs_filled_basis` says how (from the beneficiaries
# list, or a lower bound from monthly reports when there is none). Projects are counted by
# the status of their last report. Women and young people are in `06_inclusion`, where
# small counts are hidden.

# %%
summary = program_summary(program, as_of=as_of)
waves_table(summary)

# %% [markdown]
# The national target the province contributes to, with its source. Province data cannot
# measure national achievement; they give the province's part of it.

# %%
pd.Series(summary["national_target"], name="national", dtype=object).to_frame()

# %% [markdown]
# ## Headline figures against the target
#
# The indicators of the monthly report, one column per wave and one for all waves
# together (whose target is the sum of the wave targets). `jobs_to_date` is compared with
# `target`: `pct_of_target` above 100 % means the target is exceeded. `active_projects`
# and `jobs_filled_month` describe the month itself: a finished wave shows zero there.
# Shares are of the jobs to date; wages are in dirhams, from the start to the end of the
# month.

# %%
table = indicators.headline_by_wave(program, as_of=as_of)
(
    table.rename(columns=lambda w: i18n.wave_label(w, lang))
    .style.format("{:,.0f}", na_rep="—")
    .format("{:.1f} %", subset=pd.IndexSlice[["pct_of_target"], :], na_rep="—")
    .format("{:.1%}", subset=pd.IndexSlice[["women_share", "youth_share"], :], na_rep="—")
)

# %% [markdown]
# ## Jobs to date against the target, month by month
#
# One burn-up chart per wave: the line is jobs to date, the horizontal line the wave's
# target, the dashed line and band the projection from the planned projects not started
# yet, the fill rate observed and the replacements (docs/forecast.md).
# A line that levels off well below the target is the signal to look at
# `04_progress_tracking`, which explains the projection and lists the projects behind
# schedule.

# %%
for wave in program.waves:
    display(
        charts.burnup(
            indicators.monthly_jobs(program, wave=wave, as_of=as_of),
            indicators.forecast(program, as_of=as_of, wave=wave),
            lang,
            sample=program.is_sample,
        )
    )
