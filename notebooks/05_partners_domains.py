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
# # 05 · Partners and domains: who delivers what, how well positions are filled, who reports
#
# - **Answers:** which kinds of partners (associations, cooperatives...) carry which domains
#   of work (site works, social care, archives...), in projects and in jobs.
# - **Answers:** how well each partner type, domain and partner fills its planned positions
#   (fill rate: peak positions occupied / planned jobs).
# - **Answers:** which partners send every monthly report, and which leave months missing.
# - **Change:** `data_path`, `province`, `month` and `lang` in the next cell; `wave` in the
#   cell after it (`None` for all waves together). Then *Run ▸ Run All Cells*.
# - **Privacy:** counts below 5 people show as `<5`, and so do fill rates that would reveal them.

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
from awrach_analysis.documents import report, scope_views
from awrach_analysis.documents.notebook import start

session = start(data_path, province, month, lang, scope=scope)
program, as_of, wave = session.program, session.as_of, session.wave

# %% [markdown]
# ## Who delivers what
#
# Projects by domain of work (rows) and type of implementing partner (columns). A domain
# carried by a single partner type depends on few organisations: a delay there is felt
# across the whole domain.

# %%
table = indicators.project_crosstab(program, "domain", "partner_type", as_of=as_of, wave=wave)
table.rename(
    index={
        c: i18n.t("ui.total", lang) if c == "total" else i18n.label("domain", c, lang)
        for c in table.index
    },
    columns={
        c: i18n.t("ui.total", lang) if c == "total" else i18n.label("partner_type", c, lang)
        for c in table.columns
    },
)

# %% [markdown]
# ## Jobs and fill rates by partner type and by domain
#
# Projects, planned jobs, people hired to date (of whom women and people aged 15–34), and
# the fill rate: the sum of each project's highest monthly positions occupied divided by
# its planned jobs. A fill rate well below 100 % means positions were planned but never
# staffed: ask the partners whether candidates were missing or contracts were not signed.

# %%
for level in ("partner_type", "domain"):
    display(
        report.group_table(
            indicators.breakdown(program, level, as_of=as_of, wave=wave),
            indicators.inclusion(program, by=level, as_of=as_of, wave=wave),
            level,
            lang,
        )
    )

# %% [markdown]
# ## Partner by partner
#
# The same figures for each implementing partner. Look for partners with a low fill rate
# on several projects: the problem is then the partner's capacity, not one site.

# %%
display(*scope_views.partner_tables(program, lang, as_of=as_of, wave=wave))

# %% [markdown]
# ## Reporting punctuality
#
# How many partners sent a progress report for every month of their projects' active
# spans, then the partners with months missing, least complete first. The data hold no
# submission date, so this measures completeness, not lateness. The month-by-month grid
# is in `01_data_quality`.

# %%
report.reporting_table(indicators.reporting(program, as_of=as_of, wave=wave), lang, limit=30)
