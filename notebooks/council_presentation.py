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

# %% [markdown] slideshow={"slide_type": "skip"}
# # Council presentation: the month in about ten slides
#
# - One message per slide: each title is a full sentence filled with the month's indicators.
# - Build the offline deck with `awrach slides --month 2023-06 --lang ar` (add `--pdf` to print it).
# - Speaker notes (press `S` in the deck) give every number in digits and in words.
# - Print figures (PNG 300 dpi, PDF) for the council's documents: `reports/YYYY-MM/figures/`.
# - Change the parameters below to preview another month or language in JupyterLab.

# %% slideshow={"slide_type": "skip"} tags=["parameters"]
data_path = None
province = None
scope = None  # "national", a region or a province (name or code): narrows a wider data set
month = None
lang = "ar"
figures_dir = None

# %% slideshow={"slide_type": "skip"}
from IPython.display import display

from awrach_analysis.data.load import load
from awrach_analysis.documents import slides
from awrach_analysis.documents.render import setup_notebook

setup_notebook(lang)
program = load(data_path, province, scope=scope)
slides.check_province(program, province)
deck = slides.council_deck(program, as_of=month, lang=lang)
written = deck.write_figures(figures_dir) if figures_dir else []
display(deck.deck_info(written))

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "01_title"}}
deck.title_slide()

# %% slideshow={"slide_type": "notes"}
deck.notes("01_title")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "02_three_numbers"}}
display(deck.heading("02_three_numbers"))
deck.three_numbers()

# %% slideshow={"slide_type": "notes"}
deck.notes("02_three_numbers")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "03_jobs_vs_target"}}
display(deck.heading("03_jobs_vs_target"))
deck.figure("03_jobs_vs_target")

# %% slideshow={"slide_type": "notes"}
deck.notes("03_jobs_vs_target")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "04_commune_map"}}
display(deck.heading("04_commune_map"))
deck.figure("04_commune_map")

# %% slideshow={"slide_type": "notes"}
deck.notes("04_commune_map")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "05_communes_attention"}}
display(deck.heading("05_communes_attention"))
deck.table("05_communes_attention")

# %% slideshow={"slide_type": "notes"}
deck.notes("05_communes_attention")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "06_partners_domains"}}
display(deck.heading("06_partners_domains"))
deck.figure("06_partners_domains")

# %% slideshow={"slide_type": "notes"}
deck.notes("06_partners_domains")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "07_inclusion"}}
display(deck.heading("07_inclusion"))
deck.figure("07_inclusion")

# %% slideshow={"slide_type": "notes"}
deck.notes("07_inclusion")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "08_projects_attention"}}
display(deck.heading("08_projects_attention"))
deck.table("08_projects_attention")

# %% slideshow={"slide_type": "notes"}
deck.notes("08_projects_attention")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "09_caveats_sources"}}
display(deck.heading("09_caveats_sources"))
deck.caveats()

# %% slideshow={"slide_type": "notes"}
deck.notes("09_caveats_sources")
