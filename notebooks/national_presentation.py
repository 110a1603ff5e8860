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
# # Council presentation of a country or a region (rendered by `awrach slides` for such a data set)
#
# - The headline of the country or region, then its provinces: map, quotas, equity, roll-out phases.
# - Build the offline deck with `awrach slides --data DATA --lang ar` (add `--pdf` to print it);
#   a province's data set (or `--scope province NAME`) gets `council_presentation.ipynb` instead.
# - Speaker notes (press `S` in the deck) give every number in digits and in words.
# - Print figures (PNG 300 dpi, PDF) for the council's documents: `reports/YYYY-MM/figures/`.

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
from awrach_analysis.documents import slides, slides_national
from awrach_analysis.documents.render import setup_notebook

setup_notebook(lang)
program = load(data_path, province, scope=scope)
slides.check_province(program, province)
deck = slides_national.scope_deck(program, as_of=month, lang=lang)
written = deck.write_figures(figures_dir) if figures_dir else []
display(deck.deck_info(written))

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "01_title"}}
deck.title_slide()

# %% slideshow={"slide_type": "notes"}
deck.notes("01_title")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "02_headline"}}
display(deck.heading("02_headline"))
deck.headline_numbers()

# %% slideshow={"slide_type": "notes"}
deck.notes("02_headline")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "03_province_map"}}
display(deck.heading("03_province_map"))
deck.figure("03_province_map")

# %% slideshow={"slide_type": "notes"}
deck.notes("03_province_map")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "04_quota_ranking"}}
display(deck.heading("04_quota_ranking"))
deck.figure("04_quota_ranking")

# %% slideshow={"slide_type": "notes"}
deck.notes("04_quota_ranking")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "05_equity"}}
display(deck.heading("05_equity"))
deck.figure("05_equity")

# %% slideshow={"slide_type": "notes"}
deck.notes("05_equity")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "06_phases"}}
display(deck.heading("06_phases"))
deck.figure("06_phases")

# %% slideshow={"slide_type": "notes"}
deck.notes("06_phases")

# %% slideshow={"slide_type": "slide", "data": {"slide_key": "07_caveats_sources"}}
display(deck.heading("07_caveats_sources"))
deck.caveats()

# %% slideshow={"slide_type": "notes"}
deck.notes("07_caveats_sources")
