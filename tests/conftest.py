"""Session fixtures: one headless browser, and rendered pages built once and shared."""

from __future__ import annotations

from pathlib import Path

import browser_util
import pytest

TESTS_DIR = Path(__file__).resolve().parent
RENDER_CHECK = TESTS_DIR / "notebooks" / "render_check.ipynb"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (skipped unless it is installed).

    With ``AWRACH_REQUIRE_BROWSER=1`` (CI) a missing browser is a failure, not a skip.
    """
    reason = browser_util.browser_missing_reason()
    if reason:
        if browser_util.browser_required():
            pytest.fail(f"{browser_util.REQUIRE_ENV} is set but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = browser_util.launch(pw)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def kernel_session():
    """One Jupyter kernel shared by the tests that execute notebooks."""
    from awrach_analysis.documents.render import KernelSession

    with KernelSession(cwd=RENDER_CHECK.parent) as session:
        yield session


@pytest.fixture(scope="session")
def render_check(kernel_session, tmp_path_factory):
    """The test notebook executed and exported in French and Arabic (built once).

    Returns a dict ``lang -> (executed NotebookNode, html text, html path)``.
    """
    from awrach_analysis.documents import render

    out = tmp_path_factory.mktemp("render_check")
    built = {}
    for lang in ("fr", "ar"):
        nb = render.execute(RENDER_CHECK, {"lang": lang, "warn": True}, client=kernel_session)
        html = render.export_html(nb, lang=lang, title=f"render check <{lang}>")
        path = out / f"render_check_{lang}.html"
        path.write_text(html, encoding="utf-8")
        built[lang] = (nb, html, path)
    return built


# --- data sets and reports (built once per session) ----------------------------------------

#: A month of the bundled sample used by the report tests (Awrach 2, a wave in progress).
REPORT_MONTH = "2023-03"
#: Hostile free text put in every partner name and project title of ``hostile_dir``: markup a
#: browser or plotly would act on, mathtext, a spreadsheet formula, format placeholders and a
#: bidi override (the unit-level matrix is tests/test_injection_matrix.py).
HOSTILE = (
    "<script>alert(1)</script>",
    '<a href="https://example.org">x</a>',
    "<img src=x onerror=alert(1)>",
    "<b>bold</b>",
    "$x^^2$ {name} %s",
    '=HYPERLINK("http://x")',
    "abc\u202edef",
)


def _hostile_text(k: int) -> str:
    """Every payload of :data:`HOSTILE` in one name, starting with payload ``k``."""
    n = len(HOSTILE)
    return " | ".join(HOSTILE[(k + m) % n] for m in range(n))


def _sample_tables():
    from awrach_analysis.data import sample

    return sample.generate()


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory):
    """The deterministic sample written to a temporary folder (never the repository's)."""
    from awrach_analysis.data import sample

    out = tmp_path_factory.mktemp("sample")
    sample.write_sample(_sample_tables(), out)
    return out


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory):
    """The sample with partner names and project titles replaced by HTML payloads."""
    from awrach_analysis.data import sample

    tables = _sample_tables()
    for table, columns in (
        ("partners", ("name_fr", "name_ar")),
        ("projects", ("title_fr", "title_ar")),
    ):
        df = tables[table]
        for i, column in enumerate(columns):
            df[column] = [_hostile_text(j + i) for j in range(len(df))]
            df[column] = df[column].astype("string")
    out = tmp_path_factory.mktemp("hostile")
    sample.write_sample(tables, out)
    return out


@pytest.fixture(scope="session")
def short_sample_dir(tmp_path_factory):
    """The sample cut to its first two months of progress (2022-03 and 2022-04)."""
    import pandas as pd

    from awrach_analysis.data import sample

    tables = _sample_tables()
    progress = tables["progress"]
    tables["progress"] = progress[progress["month"] <= pd.Timestamp("2022-04-01")].reset_index(
        drop=True
    )
    bens = tables["beneficiaries"]
    tables["beneficiaries"] = bens[bens["start_date"] < pd.Timestamp("2022-05-01")].reset_index(
        drop=True
    )
    out = tmp_path_factory.mktemp("short_sample")
    sample.write_sample(tables, out)
    return out


@pytest.fixture(scope="session")
def built_reports(sample_dir, kernel_session, tmp_path_factory):
    """French and Arabic reports of REPORT_MONTH built with ``report.build`` (once).

    Returns a dict with ``out_dir``, ``result`` (BuildResult), ``fr`` and ``ar`` paths.
    """
    from awrach_analysis.documents import report

    out = tmp_path_factory.mktemp("reports")
    result = report.build(
        month=REPORT_MONTH,
        langs=("fr", "ar"),
        data=sample_dir,
        out_dir=out,
        progress=False,
        session=kernel_session,
    )
    paths = {p.name.rsplit("_", 1)[1].removesuffix(".html"): p for p in result.built}
    return {"out_dir": out, "result": result, **paths}


@pytest.fixture(scope="session")
def hostile_report(hostile_dir, kernel_session, tmp_path_factory):
    """The French report of REPORT_MONTH on the hostile data set: ``(html, path)``."""
    from awrach_analysis.documents import render, report

    params = {"data_path": str(hostile_dir), "province": None, "month": REPORT_MONTH, "lang": "fr"}
    nb = render.execute(report.default_notebook(), params, client=kernel_session)
    html = render.export_html(nb, lang="fr", title="hostile")
    path = tmp_path_factory.mktemp("hostile_report") / "hostile_fr.html"
    path.write_text(html, encoding="utf-8")
    return html, path


@pytest.fixture(scope="session")
def regional_sample_dir(tmp_path_factory):
    """The real reduced national sample, region 05 (Béni Mellal-Khénifra), written once.

    ``generate_national(region="05")`` written with ``sample.write_sample``, as
    ``awrach sample --region 05`` does: five provinces, one of them (Khénifra) with its
    published quota, the others with synthetic ones.
    """
    from awrach_analysis.data import sample
    from awrach_analysis.data.sample_national import generate_national

    out = tmp_path_factory.mktemp("regional_sample")
    sample.write_sample(generate_national(region="05"), out)
    return out
