"""The regional report (national variant of the monthly report) and a notebook run with scope."""

from __future__ import annotations

import json
import re

import pytest
import regional_util

#: The report's size limit: a national commune map included, the page stays small.
MAX_BYTES = 3_000_000


@pytest.fixture(scope="module")
def regional_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("regional") / "reg"
    regional_util.write_regional(out)
    return out


@pytest.fixture(scope="module")
def regional_reports(regional_dir, tmp_path_factory, kernel_session):
    from awrach_analysis.documents import report

    out = tmp_path_factory.mktemp("regional_reports")
    result = report.build(
        months=["2023-12"],
        langs=("fr", "ar"),
        data=regional_dir,
        out_dir=out,
        progress=False,
        index=False,
        session=kernel_session,
    )
    return {p.name.rsplit("_", 1)[1][:2]: p for p in result.built}


def _figures(html: str) -> list[dict]:
    """Return the plotly figures of a page (the JSON of each Plotly.newPlot call)."""
    out = []
    for m in re.finditer(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*(\{.*?\})", html, re.S):
        try:
            out.append({"data": json.loads(m.group(1))})
        except ValueError:
            continue
    return out


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_regional_report_has_map_ranking_and_banner(regional_reports, lang):
    path = regional_reports[lang]
    html = path.read_text(encoding="utf-8")
    assert path.name == f"awrach_beni-mellal-khenifra_2023-12_{lang}.html"
    assert path.stat().st_size <= MAX_BYTES
    assert 'class="awrach-banner"' in html  # the data are the sample
    if lang == "ar":
        assert 'dir="rtl"' in html and "جهة بني ملال-خنيفرة" in html
    else:
        assert "région de Béni Mellal-Khénifra" in html
    # province map: a choropleth keyed by province code with the region's 5 provinces
    assert '"featureidkey":"properties.province_code"' in html.replace(" ", "")
    for code in ("05.081", "05.091", "05.255", "05.301", "05.311"):
        assert f'"{code}"' in html
    # commune map of the region (its communes keyed by commune code)
    assert '"featureidkey":"properties.commune_code"' in html.replace(" ", "")
    # ranking against quota: the table, the provinces without quota said so
    assert "awrach-provinces" in html
    assert ("pas de quota" if lang == "fr" else "لا حصة") in html


def test_notebook_run_with_scope(regional_dir, kernel_session):
    from awrach_analysis.documents import render
    from awrach_analysis.documents.report import default_notebook

    nb = render.execute(
        default_notebook(),
        {"data_path": str(regional_dir), "scope": "Khénifra", "month": "2023-12", "lang": "fr"},
        client=kernel_session,
    )
    text = json.dumps(nb["cells"], ensure_ascii=False)
    assert "province de Khénifra" in text  # the province report of the narrowed data
    assert "Azilal" not in text


@pytest.fixture(scope="module")
def reduced_national_report(regional_sample_dir, tmp_path_factory, kernel_session):
    """The French report of the real reduced national sample (region 05)."""
    from awrach_analysis.documents import report

    out = tmp_path_factory.mktemp("reduced_national_report")
    result = report.build(
        months=["2023-12"],
        langs=("fr",),
        data=regional_sample_dir,
        out_dir=out,
        progress=False,
        index=False,
        session=kernel_session,
    )
    (path,) = result.built
    return path


def test_the_reduced_national_sample_gets_the_national_report(reduced_national_report):
    from awrach_analysis import i18n

    html = reduced_national_report.read_text(encoding="utf-8")
    assert reduced_national_report.stat().st_size <= MAX_BYTES
    assert 'class="awrach-banner"' in html and "région de Béni Mellal-Khénifra" in html
    flat = html.replace(" ", "")
    assert '"featureidkey":"properties.province_code"' in flat
    assert '"featureidkey":"properties.commune_code"' in flat
    for code in ("05.081", "05.091", "05.255", "05.301", "05.311"):
        assert f'"{code}"' in html
    # every province has a quota here: Khénifra's published one, the others synthetic,
    # marked so in the ranking table and said in the quota note
    assert "pas de quota" not in html
    assert " *" in html and i18n.t("report.national.synthetic_quota", "fr") in html
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?://", html)
