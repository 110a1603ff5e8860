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
# # Monthly Awrach report (rendered by `awrach report`)
#
# - How far is the province from the target of the current wave; when is it reached at this pace?
# - Where do the jobs go compared with unemployment, commune by commune?
# - Which partner types and domains fill their positions; which partners report late?
# - Which projects need attention this month, and why?
# - What was set aside from the data, and which months are missing?

# %% tags=["parameters"]
data_path = None
province = None
scope = None  # "national", a region or a province (name or code): narrows a wider data set
month = None
lang = "fr"

# %%
from IPython.display import display

from awrach_analysis.analysis import indicators
from awrach_analysis.documents import report
from awrach_analysis.documents.notebook import start
from awrach_analysis.figures import charts, maps

session = start(data_path, province, month, lang, scope=scope, echo=False)
program, as_of, wave = session.program, session.as_of, session.wave
report.page_header(program, as_of, lang, wave=wave)

# %%
display(report.section("section.summary", lang))
report.headline_cards(
    indicators.headline(program, as_of=as_of, wave=wave),
    lang,
    as_of=as_of,
    readings=indicators.other_readings(program, as_of=as_of, wave=wave),
)

# %%
forecast = indicators.forecast(program, as_of=as_of, wave=wave)
target = indicators.target_for(program, wave)
display(report.section("section.progress", lang))
display(report.forecast_text(forecast, lang, source=target["source"]))
charts.burnup(
    indicators.monthly_jobs(program, wave=wave, as_of=as_of),
    forecast,
    lang,
    sample=program.is_sample,
)

# %%
communes = report.commune_view(indicators.commune_context(program, as_of=as_of, wave=wave))
display(report.section("section.communes", lang))
display(maps.commune_map(communes, program.communes, lang=lang))
report.commune_table(communes, lang)

# %%
display(report.section("report.section.partners", lang))
for level in ("partner_type", "domain"):
    display(
        report.group_table(
            indicators.breakdown(program, level, as_of=as_of, wave=wave),
            indicators.inclusion(program, by=level, as_of=as_of, wave=wave),
            level,
            lang,
        )
    )
display(report.section("section.reporting", lang))
report.reporting_table(indicators.reporting(program, as_of=as_of, wave=wave), lang)

# %%
attention = indicators.attention(program, as_of=as_of, wave=wave)
display(report.section("section.attention", lang))
display(report.attention_table(attention, program, lang, as_of=as_of))
if len(attention):
    display(charts.schedule_gantt(attention, lang, sample=program.is_sample))

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
