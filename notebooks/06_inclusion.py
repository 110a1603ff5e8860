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
# # 06 · Inclusion: women and young people among the people hired
#
# - **Answers:** what share of the people hired are women, and what share are aged 15–34,
#   for the province and by partner type, domain, commune type, cercle and commune.
# - **Answers:** how those shares vary by age band and education (when the data hold a
#   beneficiaries list), and month by month among the positions occupied.
# - **Privacy:** every count below 5 people shows as `<5`; a cell that would let someone
#   work a hidden count back out by subtraction shows as `x`, and its share is left blank.
# - **Change:** `data_path`, `province`, `month` and `lang` in the next cell; `wave` in the
#   cell after it (`None` for all waves together). Then *Run ▸ Run All Cells*.

# %% tags=["parameters"]
data_path = None  # your data folder or workbook; None: the bundled Khénifra sample
province = None  # province name or HCP code; None: taken from the data
scope = None  # "national", a region or a province (name or code): narrows a wider data set
month = None  # "YYYY-MM"; None: the last month with a progress report
lang = "fr"  # "fr", "ar" or "en": language of labels and charts

# %%
from IPython.display import display

from awrach_analysis import i18n
from awrach_analysis.analysis import indicators
from awrach_analysis.documents import scope_views
from awrach_analysis.documents.notebook import start
from awrach_analysis.figures import charts
from awrach_analysis.reference import facts

session = start(data_path, province, month, lang, scope=scope)
program, as_of, wave = session.program, session.as_of, session.wave  # wave: None for all

# %% [markdown]
# ## The province
#
# People hired to date (contracts started by the end of the month; a person hired on two
# sites counts on each), of whom women and people aged 15–34, with their shares. Then the
# published figures for this province and the country to compare with, each with its
# source (`awrach_analysis.reference.facts`); a province without published figures shows only the
# national ones.

# %%
overall = indicators.inclusion(program, as_of=as_of, wave=wave)
print("Counted from:", overall.attrs["jobs_to_date_method"])
display(overall)
published = facts.facts_table()
published[
    published["scope"].isin([program.province_code, "national"])
    & published["key"].str.match(r"(beneficiaries|women|men)_")
]

# %% [markdown]
# ## By who delivers: partner type and domain
#
# Compare each group with the province row above: a partner type or a domain far below the
# province share of women is where outreach to women would change the most. A hidden cell
# (`<5` or `x`) has no bar on the chart, never a bar at zero.

# %%
for level in ("partner_type", "domain"):
    table = indicators.inclusion(program, by=level, as_of=as_of, wave=wave)
    display(
        table.set_axis([i18n.group_label(row, level, lang) for row in table.to_dict("records")])
    )
    display(charts.inclusion_shares(table, level, lang, sample=program.is_sample))

# %% [markdown]
# ## By where: commune type, cercle and commune
#
# Urban municipalities and rural communes side by side, then each cercle and each commune
# (for a region or the country: each province, with cercles and communes a click away).
# Commune tables are where small counts are most frequent: expect many hidden cells.

# %%
levels = scope_views.place_levels(program)  # provinces for a region or the country
for level in levels:
    table = indicators.inclusion(program, by=level, as_of=as_of, wave=wave)
    display(
        table.set_axis([i18n.group_label(row, level, lang) for row in table.to_dict("records")])
    )
display(charts.inclusion_shares(table, levels[-1], lang, sample=program.is_sample))
display(*scope_views.inclusion_detail(program, lang, as_of=as_of, wave=wave))

# %% [markdown]
# ## By who is hired: age band and education
#
# These come from the beneficiaries list (pseudonymous: no name, CIN or phone is ever
# read), so they need one for every project with jobs; without it this section says so.
# The youth column counts the 15–24 and 25–34 bands, so it is hidden where it would give
# an age band's count back.

# %%
if overall.attrs["jobs_to_date_method"] == "beneficiaries":
    for level in ("age_band", "education"):
        table = indicators.inclusion(program, by=level, as_of=as_of, wave=wave)
        display(
            table.set_axis([i18n.group_label(row, level, lang) for row in table.to_dict("records")])
        )
        display(charts.inclusion_shares(table, level, lang, sample=program.is_sample))
else:
    print("No beneficiaries list for every project: age band and education are not available.")

# %% [markdown]
# ## Month by month
#
# Women and young people among the people published at the end of each month (the
# disclosure rule: people join these figures in batches of at least 5 per project, so a
# difference of two months never tells one person's sex or age; the reports' monthly
# women counts are not shown for that reason), passed through the same suppression as
# the tables above.

# %%
indicators.suppress_small(
    indicators.monthly_jobs(program, wave=wave, as_of=as_of)[
        ["month", "jobs_to_date", "people_published", "women", "youth"]
    ],
    ["people_published", "women", "youth"],
    complements={"women": "people_published", "youth": "people_published"},
)

# %% [markdown]
# ## For print
#
# The partner-type chart drawn with matplotlib, in the notebook's language, for council
# documents (save it with `awrach_analysis.figures.save_figure(ax, "reports/figures/women")`).

# %%
ax = charts.inclusion_shares_mpl(
    indicators.inclusion(program, by="partner_type", as_of=as_of, wave=wave),
    "partner_type",
    lang,
    sample=program.is_sample,
)
