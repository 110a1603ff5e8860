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
# # 03 · Communes: where the jobs go, compared with unemployment
#
# - **Answers:** which communes get jobs, on an interactive map and on a map ready to print.
# - **Answers:** how many jobs each commune gets per 1,000 unemployed (HCP census 2024), and
#   whether its share of the jobs matches its share of the unemployed (equity ratio).
# - **Answers:** which communes are below their share, and which have no project at all.
# - **Change:** `data_path`, `province`, `month` and `lang` in the next cell; `wave` in the
#   cell after it (`None` for all waves together). Then *Run ▸ Run All Cells*.
# - **Privacy:** commune counts below 5 people show as `<5` (or `x` when hidden to protect
#   another cell), and the rates computed from them are left blank.

# %% tags=["parameters"]
data_path = None  # your data folder or workbook; None: the bundled Khénifra sample
province = None  # province name or HCP code; None: taken from the data
scope = None  # "national", a region or a province (name or code): narrows a wider data set
month = None  # "YYYY-MM"; None: the last month with a progress report
lang = "fr"  # "fr", "ar" or "en": language of labels, maps and charts

# %%
from IPython.display import display

from awrach_analysis.analysis import indicators
from awrach_analysis.documents import report, scope_views
from awrach_analysis.documents.notebook import start
from awrach_analysis.figures import charts, maps

session = start(data_path, province, month, lang, scope=scope)
program, as_of, wave = session.program, session.as_of, session.wave  # wave: None for all

# %%
context = indicators.commune_context(program, as_of=as_of, wave=wave)
communes = report.commune_view(context)
print(
    "Jobs of projects whose commune is not in the reference list:",
    context.attrs["jobs_outside_communes"],
)

# %% [markdown]
# ## Jobs per 1,000 unemployed, on the map
#
# Darker communes get more jobs for the size of their unemployed population (2024
# census). Grey communes have no value: no project, or a count hidden because it is
# below 5. Hover over a commune for its name, jobs to date out of planned jobs and its
# unemployment rate; thick lines are the cercle boundaries (the province boundaries for a
# region or the country, whose provinces are mapped first). Communes without a boundary in
# the reference data are listed under the map.

# %%
display(*scope_views.province_maps(program, lang, as_of=as_of, wave=wave))
maps.commune_map(communes, program.communes, lang=lang)

# %% [markdown]
# For comparison, the 2024 unemployment rate of each commune: communes dark here and
# light on the first map have many unemployed and few jobs.

# %%
maps.commune_map(communes, program.communes, value="unemployment_rate_2024", lang=lang)

# %% [markdown]
# ## The same map, for print
#
# A classed map (natural breaks) with scale bar, north arrow and source line, for council
# documents. To save it: `from awrach_analysis.figures import save_figure` then
# `save_figure(ax, "reports/figures/communes")` writes a 300 dpi PNG and a PDF.

# %%
ax = maps.commune_map_mpl(communes, program.communes, lang=lang)

# %% [markdown]
# ## Commune table with census context
#
# Sorted by jobs per 1,000 unemployed, highest first. The **equity ratio** is the commune's
# share of the jobs divided by its share of the province's unemployed: 1 means jobs in
# proportion to unemployment, below 1 fewer jobs than its share, above 1 more. A commune
# with a high unemployment rate and a low ratio is where new projects would help most.
# For a region or the country, the provinces come first and the communes a click away.

# %%
display(*scope_views.commune_tables(program, communes, lang, as_of=as_of, wave=wave))

# %% [markdown]
# ## Ranking and equity
#
# The ranking shows every commune, including those without any job (at zero); the vertical
# line is the province average. On the scatter, each dot is a commune: on the diagonal its
# share of jobs equals its share of the unemployed, below it the commune gets less than
# its share. For a region or the country, the provinces' shares replace the ranking.

# %%
display(*scope_views.commune_ranking(program, communes, lang, as_of=as_of, wave=wave))
charts.equity_scatter(communes, lang, sample=program.is_sample)

# %% [markdown]
# The full commune frame for your own sorting and filtering (counts below 5 hidden as
# above). Sort it with, for example, `communes.sort_values("equity_ratio")`.

# %%
communes
