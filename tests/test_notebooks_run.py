"""The analyst notebooks run top to bottom on two provinces, cleanly, and never show small counts.

Each notebook of ``notebooks/0[1-6]_*.ipynb`` is executed once per data set in the shared
kernel of the test worker (``kernel_session``, reset between notebooks), with its parameters
injected papermill-style by :func:`awrach_analysis.documents.render.execute`. The executed copies
are
cached for the session, so the checks below read outputs without running anything again.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from awrach_analysis import config, i18n
from awrach_analysis.documents import render

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[1-6]_*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]

#: Data sets the notebooks run on, with the parameters injected. Azilal runs in Arabic, so
#: both text directions are exercised.
DATASETS = ("khenifra", "azilal")

#: Text of a warning in an output (UserWarning, FutureWarning, "Warning:" ...).
WARNING_TEXT = re.compile(r"Warning\b")


# --- data sets and executed notebooks (built once per session) ---------------------------


@pytest.fixture(scope="session")
def azilal_dir(tmp_path_factory):
    """The generated sample of another province (Azilal, 05.081), written to a tmp folder."""
    from awrach_analysis.data import sample

    out = tmp_path_factory.mktemp("azilal")
    sample.write_sample(sample.generate("Azilal"), out)
    return out


#: Planted problems of the dirty data set (see ``dirty_dir``).
CIN_PREFIX = "ZQ"
BAD_COMMUNE = "05.301.99.99"


@pytest.fixture(scope="session")
def dirty_dir(tmp_path_factory):
    """The bundled sample with problems planted, and what a user should see about them.

    - a ``CIN`` column in beneficiaries.csv (personal data: must be dropped, never shown);
    - progress.csv data row 5: women = 999 (more than jobs filled);
    - projects.csv data row 4: a commune code that does not exist, which takes the
      project's progress rows and beneficiaries with it.
    """
    out = tmp_path_factory.mktemp("dirty")
    for path in config.SAMPLE_DIR.iterdir():
        if path.is_file():
            shutil.copy(path, out / path.name)
    benef = pd.read_csv(out / "beneficiaries.csv", dtype=str, keep_default_na=False)
    benef.insert(1, "CIN", [f"{CIN_PREFIX}{700000 + i}" for i in range(len(benef))])
    benef.to_csv(out / "beneficiaries.csv", index=False)
    progress = pd.read_csv(out / "progress.csv", dtype=str, keep_default_na=False)
    projects = pd.read_csv(out / "projects.csv", dtype=str, keep_default_na=False)
    bad_project = projects.loc[3, "project_id"]
    projects.loc[3, "commune_code"] = BAD_COMMUNE
    projects.to_csv(out / "projects.csv", index=False)
    women_row = 4
    assert progress.loc[women_row, "project_id"] != bad_project
    progress.loc[women_row, "women"] = "999"
    progress.to_csv(out / "progress.csv", index=False)
    return {
        "path": out,
        # Excel rows: the header is row 1, data row i (0-based) is row i + 2.
        "project_excel_row": 3 + 2,
        "women_excel_row": women_row + 2,
        "progress_set_aside": 1 + int((progress["project_id"] == bad_project).sum()),
        "beneficiaries_set_aside": int((benef["project_id"] == bad_project).sum()),
        "beneficiary_keys_set_aside": benef.loc[
            benef["project_id"] == bad_project, "beneficiary_key"
        ].tolist(),
        "rows": {"projects": len(projects), "progress": len(progress), "beneficiaries": len(benef)},
    }


@pytest.fixture(scope="session")
def executed(kernel_session, azilal_dir, dirty_dir):
    """Return ``run(dataset, name)``: the notebook executed on that data set (cached)."""
    from awrach_analysis.documents import render

    params = {
        "khenifra": {"data_path": None, "lang": "fr"},
        "azilal": {"data_path": str(azilal_dir), "lang": "ar"},
        "dirty": {"data_path": str(dirty_dir["path"]), "lang": "fr"},
    }
    cache: dict[tuple[str, str], nbformat.NotebookNode] = {}

    def run(dataset: str, name: str) -> nbformat.NotebookNode:
        key = (dataset, name)
        if key not in cache:
            path = ROOT / "notebooks" / f"{name}.ipynb"
            cache[key] = render.execute(path, params[dataset], client=kernel_session)
        return cache[key]

    return run


# --- reading outputs ------------------------------------------------------------------------


def _outputs(nb):
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            yield index, out


def _is_plotly_js(out) -> bool:
    """The output of ``notebook.start`` that holds plotly.js and nothing else (library code)."""
    return bool(out.get("metadata", {}).get(render.PLOTLY_JS_OUTPUT)) and out.get("data") == {
        "text/html": render.plotly_js_html()
    }


def _texts(nb) -> list[str]:
    """Every text an output holds: streams, errors and each MIME type (JSON as text).

    The plotly.js library that ``notebook.start`` outputs once is left out (its code holds
    words like "Warning"); only an output that is exactly that library is.
    """
    texts = []
    for _, out in _outputs(nb):
        if _is_plotly_js(out):
            continue
        if out.get("output_type") == "stream":
            texts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            texts.append("\n".join(out.get("traceback", [])))
        for value in out.get("data", {}).values():
            texts.append(value if isinstance(value, str) else json.dumps(value))
    return texts


def _all_text(nb) -> str:
    return "\n".join(_texts(nb))


def _html(nb) -> list[str]:
    return [
        out["data"]["text/html"] for _, out in _outputs(nb) if "text/html" in out.get("data", {})
    ]


def _plotly(nb) -> list[dict]:
    return [
        out["data"]["application/vnd.plotly.v1+json"]
        for _, out in _outputs(nb)
        if "application/vnd.plotly.v1+json" in out.get("data", {})
    ]


class _Tables(HTMLParser):
    """Collect the HTML tables of a page as lists of rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _tables(nb) -> list[list[list[str]]]:
    parser = _Tables()
    for html in _html(nb):
        parser.feed(html)
    return [t for t in parser.tables if t]


#: Headers of columns that count people, in every language.
PEOPLE_COLUMNS = {"people", "women", "youth", "jobs_to_date"} | {
    i18n.t(f"col.{c}", lang)
    for c in ("people", "women", "youth", "jobs_to_date")
    for lang in config.LANGUAGES
}
_SPACES = re.compile(r"[\s\u00a0\u202f\u200e\u200f\u2066-\u2069,]")  # and bidi isolates
#: Cells that hold no count: the suppression marks, and "no value" in every language.
NOT_A_COUNT = {"<5", "x", "—", "", "<NA>"} | {
    i18n.t("ui.not_available", lang) for lang in config.LANGUAGES
}


def _count_cells(nb) -> list[str]:
    """Cells of every people-count column of every table (header row first, body rows)."""
    cells = []
    for table in _tables(nb):
        header, body = table[0], table[1:]
        for j, name in enumerate(header):
            if name not in PEOPLE_COLUMNS:
                continue
            offset = j - len(header)  # align from the right: index cells may differ
            cells += [row[offset] for row in body if len(row) >= -offset]
    return cells


# --- the notebooks run ------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_without_error_or_warning(executed, dataset, name):
    nb = executed(dataset, name)
    stderr = [
        (i, out.get("text", ""))
        for i, out in _outputs(nb)
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    ]
    assert not stderr, f"{name} on {dataset} wrote to stderr: {stderr}"
    warnings = [t for t in _texts(nb) if WARNING_TEXT.search(t)]
    assert not warnings, f"{name} on {dataset} shows a warning: {warnings[0][:500]}"
    # It ran on the data asked for: the first printed line names the province.
    first_print = next(out["text"] for _, out in _outputs(nb) if out.get("output_type") == "stream")
    expected = {"khenifra": "Khénifra (05.301)", "azilal": "Azilal (05.081)"}[dataset]
    assert first_print.startswith(expected)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code_cells), "a code cell did not run"


# --- what the analyst sees --------------------------------------------------------------------


def test_data_quality_on_clean_data_says_nothing_was_set_aside(executed):
    text = _all_text(executed("khenifra", "01_data_quality"))
    assert "No problem found: every row of every table was accepted." in text
    assert "Rows set aside in all tables: 0" in text


def test_data_quality_shows_rows_set_aside_where_and_why(executed, dirty_dir):
    nb = executed("dirty", "01_data_quality")
    text = _all_text(nb)
    rows = dirty_dir["rows"]
    counts = {t[0]: t[1:] for t in _tables(nb)[0][1:]}  # table -> read, accepted, quarantined
    assert counts["projects"] == [str(rows["projects"]), str(rows["projects"] - 1), "1"]
    n = dirty_dir["progress_set_aside"]
    assert counts["progress"] == [str(rows["progress"]), str(rows["progress"] - n), str(n)]
    n = dirty_dir["beneficiaries_set_aside"]
    assert counts["beneficiaries"] == [
        str(rows["beneficiaries"]),
        str(rows["beneficiaries"] - n),
        str(n),
    ]
    # The problems table names file, Excel row, column and value of each planted error.
    problems = next(t for t in _tables(nb) if "suggestion" in t[0])
    assert [
        "projects.csv",
        "<NA>",
        str(dirty_dir["project_excel_row"]),
        "commune_code",
        BAD_COMMUNE,
        "commune",
        "error",
    ] == problems[1][1:8]
    women = [r for r in problems if r[4:6] == ["women", "999"]]
    assert women and women[0][1] == "progress.csv"
    assert women[0][3] == str(dirty_dir["women_excel_row"])
    assert "personal_data" in text
    # Personal data never reaches an output; rejected beneficiaries are not listed.
    assert CIN_PREFIX + "700000" not in text and not re.search(CIN_PREFIX + r"\d{6}", text)
    assert not [k for k in dirty_dir["beneficiary_keys_set_aside"] if k in text]
    set_aside = 1 + dirty_dir["progress_set_aside"] + dirty_dir["beneficiaries_set_aside"]
    assert f"Rows set aside in all tables: {set_aside}" in text


def test_data_quality_grid_has_one_row_per_partner_and_one_column_per_month(executed):
    nb = executed("khenifra", "01_data_quality")
    grid = next(t for t in _tables(nb) if "2022-03" in t[0])
    partners = pd.read_csv(config.SAMPLE_DIR / "agreements.csv")["partner_id"].nunique()
    months = pd.read_csv(config.SAMPLE_DIR / "progress.csv")["month"].unique()
    body = [r for r in grid[1:] if re.match(r"(ASSO|COOP)-\d{3}$", r[0])]
    assert len(body) == partners
    assert grid[0][-len(months) :] == sorted(months)
    # Every progress report of the sample is counted once, in its partner's row and month.
    reports = len(pd.read_csv(config.SAMPLE_DIR / "progress.csv"))
    assert sum(int(cell) for row in body for cell in row[-len(months) :]) == reports


def test_partners_and_domains_cross_table_counts_every_project_of_the_wave(executed):
    from awrach_analysis.reference.facts import fact

    nb = executed("khenifra", "05_partners_domains")
    table = next(t for t in _tables(nb) if "Association" in t[0] and "Total" in t[0])
    total = next(r for r in table if r[0] == "Total")
    # The sample's last month is in Awrach 2 (2023): its 61 published work sites.
    assert total[-1] == str(fact("sites_2023"))
    assert sum(int(r[-1]) for r in table[1:] if r[0] not in ("Total", "domain")) == int(total[-1])


def test_overview_compares_each_wave_with_its_published_target(executed):
    nb = executed("khenifra", "02_programme_overview")
    table = next(t for t in _tables(nb) if "Awrach 1 (2022)" in t[0])
    assert table[0][1:] == ["Awrach 1 (2022)", "Awrach 2 (2023)", "Toutes vagues"]
    row = {r[0]: r[1:] for r in table[1:]}
    # Targets of the two waves (maroc24; taxinews/assabah) and their sum for all waves.
    assert row["target"] == ["1,100", "953", "2,053"]
    # One burn-up chart per wave.
    titles = [f["layout"]["title"]["text"] for f in _plotly(nb)]
    assert len(titles) == 2


@pytest.mark.parametrize(("dataset", "communes"), [("khenifra", 22), ("azilal", 44)])
def test_communes_table_and_maps_cover_every_commune(executed, dataset, communes):
    nb = executed(dataset, "03_communes")
    table = next(t for t in _tables(nb) if len(t[0]) == 8)  # the commune table
    assert len(table) == 1 + communes + 1  # header, communes, total
    maps = [f for f in _plotly(nb) if any(t["type"] == "choropleth" for t in f["data"])]
    assert len(maps) == 2
    for fig in maps:
        drawn = sum(len(t.get("locations", [])) for t in fig["data"] if t["type"] == "choropleth")
        assert drawn == communes - len(fig["layout"]["meta"]["no_boundary"])


@pytest.mark.parametrize("dataset", DATASETS)
def test_progress_tracking_lists_the_projects_planted_behind_schedule(
    executed, dataset, azilal_dir
):
    folder = config.SAMPLE_DIR if dataset == "khenifra" else azilal_dir
    trouble = json.loads((folder / "dataset.json").read_text(encoding="utf-8"))["trouble"]
    planted = {
        (item if isinstance(item, str) else item["project_id"])
        for key in ("late_start", "suspended", "cancelled", "underfilled", "missing_report")
        for item in trouble.get(key, [])
    }
    current = {p for p in planted if p.startswith("P23-")}  # the wave of the last month
    assert current
    nb = executed(dataset, "04_progress_tracking")
    attention = next(h for h in _html(nb) if "awrach-attention" in h)
    listed = set(re.findall(r"P2\d-\d{3}", attention))
    assert current <= listed
    assert any("awrach-forecast" in h for h in _html(nb)), "the projection in words is missing"


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("name", ["03_communes", "05_partners_domains", "06_inclusion"])
def test_no_count_below_five_people_is_shown(executed, dataset, name):
    cells = _count_cells(executed(dataset, name))
    assert cells, f"{name}: no table of people counts found"
    for cell in cells:
        number = _SPACES.sub("", cell)
        if cell in NOT_A_COUNT or number in NOT_A_COUNT:
            continue
        assert number.isdigit(), f"{name} on {dataset}: unexpected count cell {cell!r}"
        assert int(number) >= config.SMALL_COUNT_THRESHOLD, f"{name} on {dataset}: {cell!r}"


def test_inclusion_hides_small_counts_as_marks(executed):
    # Khénifra 2023: 45 people for the cooperatives, fewer than 5 of them women.
    nb = executed("khenifra", "06_inclusion")
    tables = _tables(nb)
    by_type = next(t for t in tables if "Coopérative" in [r[0] for r in t])
    header = by_type[0]
    cooperative = next(r for r in by_type if r[0] == "Coopérative")
    assert cooperative[header.index("women")] == "<5"
    assert cooperative[header.index("women_share")] == "NaN"
    assert "<5" in _count_cells(nb)


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("name", ["03_communes", "06_inclusion"])
def test_print_figure_is_shown_once(executed, dataset, name):
    # The matplotlib figure (print map, print chart) appears once, as an image.
    nb = executed(dataset, name)
    images = [i for i, out in _outputs(nb) if "image/png" in out.get("data", {})]
    assert len(images) == 1, f"{name} on {dataset}: {len(images)} images"
    cell = nb.cells[images[0]]
    assert "_mpl(" in cell.source
