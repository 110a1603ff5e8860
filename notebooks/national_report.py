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
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove_cell"]
# # National or regional Awrach report (rendered by `awrach report` for such a data set)
#
# - How far is the country (or the region) from its quota; which provinces reached theirs?
# - Where do the jobs go compared with unemployment, province by province and commune by commune?
# - Did the provinces of the first roll-out phase get further than the later ones?
# - What was set aside from the data?

# %% tags=["parameters"]
data_path = None
province = None
scope = None  # "national", a region or a province (name or code): narrows a wider data set
month = None
lang = "fr"

# %%
from IPython.display import display

from awrach_analysis.analysis import indicators, territories
from awrach_analysis.documents import report, report_national
from awrach_analysis.documents.notebook import start
from awrach_analysis.figures import territory_charts

session = start(data_path, province, month, lang, scope=scope, echo=False)
program, as_of = session.program, session.as_of
wave = session.wave if program.scope_level == "region" else None  # national quota: 2022–23
report.page_header(program, as_of, lang, wave=wave)

# %%
display(report.section("section.summary", lang))
report_national.scope_cards(
    territories.scope_headline(program, as_of=as_of, wave=wave),
    lang,
    as_of=as_of,
    readings=indicators.other_readings(program, as_of=as_of, wave=wave),
)

# %%
provinces = territories.territories(program, "province", as_of=as_of, wave=wave)
display(report.section("report.national.section.map", lang))
display(report_national.province_map(program, provinces, lang))
display(report_national.commune_map(program, as_of, wave, lang))

# %%
display(report.section("report.national.section.ranking", lang))
display(territory_charts.quota_ranking(provinces, lang, sample=program.is_sample))
report_national.province_table(provinces, lang)

# %%
display(report.section("report.national.section.equity", lang))
display(territory_charts.equity_dots(provinces, lang, sample=program.is_sample))
if program.scope_level == "national":
    report_national.province_table(
        territories.territories(program, "region", as_of=as_of, wave=wave), lang
    )

# %%
display(report.section("report.national.section.phase", lang))
territory_charts.phase_bars(
    territories.by_phase(program, as_of=as_of, wave=wave), lang, sample=program.is_sample
)

# %%
display(report.section("section.data_quality", lang))
report.data_quality(
    program, indicators.schedule(program, as_of=as_of, wave=wave), lang, as_of=as_of
)

# %%
display(report.section("section.method", lang))
report.method_and_sources(lang, program, as_of=as_of, wave=wave)

# %%
report.page_footer(program, lang)
