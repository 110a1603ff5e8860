"""The analyst notebooks run on a regional data set, narrowed or not, and read as such.

Each notebook of ``notebooks/0[1-6]_*.ipynb`` is executed on the reduced national sample
(region 05, Béni Mellal-Khénifra, from ``generate_national(region="05")``) once for the
whole region and once narrowed to the province of Khénifra (``scope="Khénifra"``), in the
shared kernel (``kernel_session``). The checks are what a user would notice: no error,
the scope named in the first line, provinces on a figure for the region, never a
"province 05", no address outside the page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from awrach_analysis.documents import render

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[1-6]_*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]

#: Scopes the notebooks run with on the regional data set, and the first printed line.
SCOPES = {
    "region": (None, "Région de Béni Mellal-Khénifra (05) · "),
    "khenifra": ("Khénifra", "Khénifra (05.301) · "),
}
#: The region's provinces (HCP codes).
PROVINCES = {"05.081", "05.091", "05.255", "05.301", "05.311"}
#: An address a browser would fetch or follow, outside the page.
OUTSIDE_URL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="session")
def regional_dir(request, tmp_path_factory):
    """The regional sample of Béni Mellal-Khénifra written once (conftest's when it has one)."""
    try:
        return request.getfixturevalue("regional_sample_dir")
    except pytest.FixtureLookupError:
        pass
    from awrach_analysis.data import sample
    from awrach_analysis.data.sample_national import generate_national

    out = tmp_path_factory.mktemp("regional_05")
    sample.write_sample(generate_national(region="05"), out)
    return out


@pytest.fixture(scope="session")
def run_regional(kernel_session, regional_dir):
    """Return ``run(scope, name)``: the notebook executed on the regional sample (cached)."""
    cache: dict[tuple[str, str], nbformat.NotebookNode] = {}

    def run(scope: str, name: str) -> nbformat.NotebookNode:
        if (scope, name) not in cache:
            params = {"data_path": str(regional_dir), "lang": "fr", "scope": SCOPES[scope][0]}
            path = ROOT / "notebooks" / f"{name}.ipynb"
            cache[scope, name] = render.execute(path, params, client=kernel_session)
        return cache[scope, name]

    return run


def _outputs(nb):
    for cell in nb.cells:
        yield from cell.get("outputs", [])


def _texts(nb) -> list[str]:
    """Every text of the outputs (the plotly.js library output left out)."""
    texts = []
    for out in _outputs(nb):
        if out.get("metadata", {}).get(render.PLOTLY_JS_OUTPUT):
            continue
        if out.get("output_type") == "stream":
            texts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            texts.append("\n".join(out.get("traceback", [])))
        for value in out.get("data", {}).values():
            texts.append(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    return texts


def _figures(nb) -> list[dict]:
    return [
        out["data"]["application/vnd.plotly.v1+json"]
        for out in _outputs(nb)
        if "application/vnd.plotly.v1+json" in out.get("data", {})
    ]


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_on_the_regional_sample_and_names_its_scope(run_regional, scope, name):
    nb = run_regional(scope, name)
    errors = [o for o in _outputs(nb) if o.get("output_type") == "error"]
    stderr = [o for o in _outputs(nb) if o.get("name") == "stderr"]
    assert not errors and not stderr, f"{name} ({scope}): {(errors or stderr)[0]}"
    first = next(o["text"] for o in _outputs(nb) if o.get("output_type") == "stream")
    assert first.startswith(SCOPES[scope][1]), first
    text = "\n".join(_texts(nb))
    assert not re.search(r"province\s+05\b(?!\.)", text, re.IGNORECASE), name
    assert not OUTSIDE_URL.search(text), OUTSIDE_URL.search(text).group(0)


def test_commune_notebook_maps_provinces_and_titles_the_region(run_regional):
    nb = run_regional("region", "03_communes")
    maps = [f for f in _figures(nb) if any(t["type"] == "choropleth" for t in f["data"])]
    provinces = [f for f in maps if set(f["data"][0].get("locations", [])) == PROVINCES]
    assert len(provinces) == 1, "no map of the region's five provinces"
    communes = [f for f in maps if f not in provinces]
    for fig in communes:
        title = fig["layout"]["title"]["text"].replace("<br>", " ")
        assert "Région de Béni Mellal-Khénifra" in title and "Province" not in title
        outlines = [t for t in fig["data"] if t.get("name") == "Limite de province"]
        assert len(outlines) == 1 and outlines[0]["lon"], "no province outlines"


def test_commune_notebook_on_a_province_keeps_cercles_and_the_commune_ranking(run_regional):
    nb = run_regional("khenifra", "03_communes")
    maps = [f for f in _figures(nb) if any(t["type"] == "choropleth" for t in f["data"])]
    assert len(maps) == 2  # no province map for one province
    assert all(
        "Province de Khénifra" in f["layout"]["title"]["text"].replace("<br>", " ") for f in maps
    )
    bars = [f for f in _figures(nb) if f["data"][0]["type"] == "bar"]
    assert len(bars[0]["data"][0]["y"]) == 22  # one bar per commune of Khénifra


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("03_communes", "Détail par commune (135 communes)"),
        ("05_partners_domains", "Détail par partenaire"),
        ("06_inclusion", "Détail par cercle et par commune"),
        ("01_data_quality", "Détail par partenaire"),
    ],
)
def test_long_tables_of_a_region_come_by_province_with_the_detail_folded(
    run_regional, name, folded
):
    html = [
        o["data"]["text/html"]
        for o in _outputs(run_regional("region", name))
        if "text/html" in o.get("data", {})
        and "application/vnd.plotly.v1+json" not in o["data"]  # tables, not figures
    ]
    details = [h for h in html if h.startswith("<details")]
    assert len(details) == 1 and folded in details[0]
    # The table just before the folded detail has one row per province (and a total).
    before = html[html.index(details[0]) - 1]
    names = ("Azilal", "Béni Mellal", "Fquih Ben Salah", "Khénifra", "Khouribga")
    assert all(n in before for n in names)
    assert before.count("<tr") <= len(names) + 3  # header row(s), provinces, total


def test_region_target_is_the_sum_of_its_provinces_quotas(run_regional, regional_dir):
    import pandas as pd

    targets = pd.read_csv(regional_dir / "targets.csv", dtype={"scope_code": str})
    wave_2023 = targets[(targets["scope"] == "province") & (targets["wave"] == 2023)]
    assert len(wave_2023) == len(PROVINCES)
    expected = int(wave_2023["jobs_target"].sum())
    nb = run_regional("region", "04_progress_tracking")
    title = _figures(nb)[0]["layout"]["title"]["text"]
    assert re.sub(r"\D", "", title.split("sur")[1].split(":")[0]) == str(expected)
