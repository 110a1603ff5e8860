"""The council deck of a region (national sample, region 05): its slides, figures, offline."""

from __future__ import annotations

import re

import pytest

from awrach_analysis.documents import deck_build, slides, slides_national

#: The provinces of Béni Mellal-Khénifra, and the one with a published quota.
PROVINCES = {"05.081", "05.091", "05.255", "05.301", "05.311"}
PUBLISHED = "05.301"


@pytest.fixture(scope="module")
def regional_decks(regional_sample_dir, kernel_session, tmp_path_factory):
    """The regional deck built in French and Arabic by ``build_slides`` (once)."""
    out = tmp_path_factory.mktemp("regional_decks")
    return {
        lang: slides.build_slides(
            lang=lang, data_path=regional_sample_dir, out_dir=out, client=kernel_session
        )
        for lang in ("fr", "ar")
    }


@pytest.fixture(scope="module")
def regional_program(regional_sample_dir):
    from awrach_analysis.data.load import load

    return load(regional_sample_dir)


@pytest.fixture(scope="module")
def deck_fr(regional_program):
    return slides_national.scope_deck(regional_program, lang="fr")


def _sections(html: str) -> list[str]:
    body = html.split('<div class="slides">', 1)[1].split('<script id="reveal-js">')[0]
    return re.findall(r'<section\s+data-slide-key="([^"]+)">', body)[::2]


def test_the_notebook_is_chosen_by_the_scope_of_the_data(regional_sample_dir, sample_dir):
    assert deck_build.default_notebook(regional_sample_dir) == deck_build.SCOPE_NOTEBOOK
    # narrowed to one of its provinces, or a province's own data: the province deck
    assert deck_build.default_notebook(regional_sample_dir, "Khénifra") == (
        deck_build.COUNCIL_NOTEBOOK
    )
    assert deck_build.default_notebook(sample_dir) == deck_build.COUNCIL_NOTEBOOK
    assert deck_build.default_notebook() == deck_build.COUNCIL_NOTEBOOK  # bundled sample


def test_regional_deck_has_its_seven_slides_in_both_languages(regional_decks):
    for lang, result in regional_decks.items():
        assert result.slides == len(slides_national.SCOPE_SLIDES) == 7
        assert result.province == "Béni Mellal-Khénifra"
        assert result.html.name == f"awrach_beni-mellal-khenifra_2023-12_slides_{lang}.html"
        html = result.html.read_text(encoding="utf-8")
        assert _sections(html) == list(slides_national.SCOPE_SLIDES)
        for key in ("03_province_map", "04_quota_ranking", "05_equity", "06_phases"):
            slide = html.split(f'data-slide-key="{key}"')[2].split("data-slide-key=")[0]
            assert slide.count('class="plotly-graph-div"') == 1, key
        # the map is drawn from the provinces' own shapes, keyed by their codes
        the_map = html.split('data-slide-key="03_province_map"')[2].split("data-slide-key=")[0]
        assert all(f'"{code}"' in the_map for code in PROVINCES)
        assert html.count('id="plotly-js"') == 1
        assert len(re.findall(r'<aside class="notes">', html)) == 7
    ar = regional_decks["ar"].html.read_text(encoding="utf-8")
    tag = re.search(r"<html\b([^>]*)>", ar).group(1)
    assert dict(re.findall(r'(\w+)="([^"]*)"', tag)) == {"lang": "ar", "dir": "rtl"}
    assert '"rtl": true' in ar
    assert "معطيات تجريبية" in ar  # the synthetic-data banner of the sample
    fr = regional_decks["fr"].html.read_text(encoding="utf-8")
    assert "Données d&#39;exemple" in fr or "Données d'exemple" in fr


def test_regional_deck_loads_nothing_from_outside(regional_decks):
    for result in regional_decks.values():
        html = result.html.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=", html)
        assert not re.search(r"<link[^>]+stylesheet", html)
        for marker in ("require.js", "mermaid", "fonts.googleapis", "unpkg.com", "cdnjs"):
            assert marker not in html, marker
        assert "world_110m" not in html.replace("world_110m.json", "")  # no CDN topology URL
        assert "default-src 'none'" in html


def test_print_figures_exist_as_png_and_pdf(regional_decks):
    from PIL import Image

    names = sorted(p.name for p in regional_decks["ar"].figures)
    assert names == sorted(
        f"{k}.{e}" for k in slides_national.SCOPE_PRINT_FIGURES for e in ("png", "pdf")
    )
    assert slides_national.SCOPE_PRINT_FIGURES == (
        "03_province_map",
        "04_quota_ranking",
        "05_equity",
        "06_phases",
    )
    for path in regional_decks["ar"].figures:
        if path.suffix == ".png":
            assert round(Image.open(path).info["dpi"][0]) == 300
        else:
            assert path.read_bytes().startswith(b"%PDF")


def test_headline_and_quota_say_which_quotas_are_synthetic(deck_fr):
    v = deck_fr.slide("02_headline").values
    d = deck_fr.provinces
    assert set(d["province_code"]) == PROVINCES
    # the headline's jobs are the provinces' jobs summed (one definition: territories)
    assert v["jobs"] == d["jobs_to_date"].sum()
    assert v["provinces"] == 5 and v["all_provinces"] == 5
    assert v["synthetic_target"] is True
    q = deck_fr.slide("04_quota_ranking").values
    assert q["total"] == 5 and q["missing"] == 0
    assert q["synthetic"] == 4  # every province but Khénifra, whose quota is published
    assert not bool(d.set_index("province_code").at[PUBLISHED, "target_synthetic"])
    assert q["reached"] == int((d["pct_of_target"] >= 100).sum())
    subtitle = deck_fr.slide("04_quota_ranking").subtitle
    assert "synthétiques" in subtitle and ": 4" in subtitle.replace("\u202f", " ")
    assert any("synthétique" in item for item in deck_fr._scope_caveats())


def test_map_equity_and_phase_messages_follow_the_indicators(deck_fr):
    d = deck_fr.provinces.set_index("province_code")
    m = deck_fr.slide("03_province_map").values
    assert m["top_value"] == d["jobs_per_1000_unemployed"].max()
    assert m["bottom_value"] == d["jobs_per_1000_unemployed"].min()
    assert m["average"] == pytest.approx(
        d["jobs_to_date"].sum() / d["unemployed_2024"].sum() * 1000
    )
    e = deck_fr.slide("05_equity").values
    assert e["lowest"] == d["equity_ratio"].idxmin()
    assert e["below"] == int((d["share_of_jobs"] < d["share_of_unemployed"]).sum())
    ph = deck_fr.phases.set_index("phase")
    p = deck_fr.slide("06_phases").values
    assert p["best"] == ph["jobs_per_1000_unemployed"].idxmax()
    assert set(p["per_1000"]) == {1, 2, 3}


def test_every_print_figure_draws_in_arabic(regional_program):
    import matplotlib.pyplot as plt

    deck = slides_national.scope_deck(regional_program, lang="ar")
    for key in deck.print_figures:
        ax = deck.print_figure(key)
        try:
            fig = ax.get_figure(root=True)
            texts = [t.get_text() for a in fig.axes for t in a.texts] + [
                a.get_title(loc) for a in fig.axes for loc in ("left", "center", "right")
            ]
            assert any("\u0600" <= ch <= "\u06ff" for t in texts for ch in t), key
        finally:
            plt.close(ax.get_figure(root=True))


def test_a_province_narrowed_from_the_region_gets_the_province_deck(
    regional_sample_dir, kernel_session, tmp_path
):
    result = slides.build_slides(
        lang="fr",
        data_path=regional_sample_dir,
        province="05.301",
        out_dir=tmp_path,
        client=kernel_session,
    )
    assert result.slides == len(slides.COUNCIL_SLIDES) == 9
    assert result.province == "Khénifra"
    assert _sections(result.html.read_text(encoding="utf-8")) == list(slides.COUNCIL_SLIDES)


def test_cli_scope_province_gives_the_province_deck(regional_sample_dir, tmp_path, capsys):
    from awrach_analysis import cli

    argv = ["slides", "--data", str(regional_sample_dir), "--lang", "fr", "--out", str(tmp_path)]
    assert cli.main([*argv, "--scope", "province", "Khénifra"]) == 0
    err = capsys.readouterr().err
    assert "9 slides" in err and "Khénifra" in err


def test_the_province_deck_refuses_to_be_a_scope_deck(sample_dir):
    from awrach_analysis.data.load import load
    from awrach_analysis.errors import AwrachError

    with pytest.raises(AwrachError, match="province"):
        slides_national.scope_deck(load(sample_dir), lang="fr")


def test_scope_notebook_is_committed_clean_and_paired():
    import nbformat

    nb = nbformat.read(deck_build.SCOPE_NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    keys = [
        c.metadata["slideshow"]["data"]["slide_key"]
        for c in nb.cells
        if c.metadata.get("slideshow", {}).get("slide_type") == "slide"
    ]
    assert keys == list(slides_national.SCOPE_SLIDES)
    assert deck_build.SCOPE_NOTEBOOK.with_suffix(".py").exists()
