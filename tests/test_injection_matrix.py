"""Every free-text field, every hostile value, every output: shown as text, never as markup.

The free-text fields of the data model are the ``text`` columns of ``model/schema.py``
(partner ``name_fr``/``name_ar``, project ``title_fr``/``title_ar``) plus the commune names
the figures and tables show. Each is filled with a hostile value and passed through the HTML
fragments of the report, the index page, the slide fragments, the plotly figures (whose
labels and hover text plotly renders as HTML: ``<b>`` and ``<a href>`` work there) and the
matplotlib figures (which would parse ``$...$`` as maths).
"""

from __future__ import annotations

import dataclasses
import json
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from awrach_analysis.analysis import indicators  # noqa: E402
from awrach_analysis.documents import deck_html, report  # noqa: E402
from awrach_analysis.figures import charts, maps  # noqa: E402
from awrach_analysis.testing import tiny_program  # noqa: E402

LONG = "Ⱥ" * 5000
HOSTILE = {
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(1)>",
    "bold": "<b>bold</b>",
    "link": '<a href="http://x">x</a>',
    "maths": "$x^^2$",
    "formula": '=HYPERLINK("http://x")',
    "format": "{name} %s %(x)s {0}",
    "bidi": "abc\u202edef",
    "long": LONG,
}
#: Raw markup that must never reach an output unescaped (each is a tag plotly or a browser
#: would act on).
MARKUP = ("<script", "<img", "<b>bold", '<a href="http://x"')

#: The free-text columns per table (``text`` columns of the schema, plus commune names).
FREE_TEXT = {
    "partners": ("name_fr", "name_ar"),
    "projects": ("title_fr", "title_ar"),
    "communes": ("name_fr", "name_ar"),
}


def test_free_text_fields_are_the_text_columns_of_the_schema():
    """A new text column added to the schema must be added to this matrix."""
    from awrach_analysis.model import schema

    text = {
        (name, col.name)
        for name, table in schema.TABLES.items()
        for col in table.columns
        if col.kind == "text"
    }
    covered = {(t, c) for t, cols in FREE_TEXT.items() for c in cols}
    # ``targets.source`` is reference text published by the ministry (checked separately by
    # test_report's forecast_text test); the rest must be in the matrix.
    assert text - covered <= {("targets", "source")}, text - covered


def _hostile_program(value: str):
    """The tiny programme with every free-text field set to ``value`` (plus a row number)."""
    prog = tiny_program()
    replaced = {}
    for table, columns in FREE_TEXT.items():
        df = getattr(prog, table).copy()
        for column in columns:
            if column in df.columns:
                df[column] = [f"{value} {i}" for i in range(len(df))]
                df[column] = df[column].astype("string")
        replaced[table] = df
    return dataclasses.replace(prog, **replaced)


@pytest.fixture(scope="module", params=list(HOSTILE), ids=list(HOSTILE))
def hostile(request):
    return request.param, HOSTILE[request.param], _hostile_program(HOSTILE[request.param])


def _no_markup(text: str, where: str) -> None:
    for mark in MARKUP:
        assert mark not in text, f"{mark!r} reaches {where} unescaped"


def _report_fragments(prog, lang: str) -> dict[str, str]:
    as_of, wave = "2022-06", 2022
    communes = report.commune_view(indicators.commune_context(prog, as_of=as_of, wave=wave))
    out = {
        "page_header": report.page_header(prog, as_of, lang, wave=wave),
        "commune_table": report.commune_table(communes, lang),
        "reporting_table": report.reporting_table(
            indicators.reporting(prog, as_of=as_of, wave=wave), lang
        ),
        "attention_table": report.attention_table(
            indicators.attention(prog, as_of=as_of, wave=wave), prog, lang, as_of=as_of
        ),
        "data_quality": report.data_quality(
            prog, indicators.schedule(prog, as_of=as_of, wave=wave), lang, as_of=as_of
        ),
        "page_footer": report.page_footer(prog, lang),
    }
    for level in ("partner", "partner_type", "domain", "commune"):
        out[f"group_table[{level}]"] = report.group_table(
            indicators.breakdown(prog, level, as_of=as_of, wave=wave),
            indicators.inclusion(prog, by=level, as_of=as_of, wave=wave),
            level,
            lang,
        )
    return {k: str(v) for k, v in out.items()}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_report_fragments_show_hostile_text_escaped(hostile, lang):
    name, value, prog = hostile
    fragments = _report_fragments(prog, lang)
    for where, html in fragments.items():
        _no_markup(html, where)
    shown = "".join(fragments.values())
    if name == "link":
        # Shown, escaped, in at least one table (partner names in the partner table).
        assert "&lt;a href=&#34;http://x&#34;&gt;x&lt;/a&gt;" in shown
    if name == "format":
        assert "{name} %s %(x)s {0}" in shown, "placeholders are shown, never filled"
    if name == "long":
        assert LONG in shown, "a long name is shown whole"


def test_index_page_escapes_titles_and_province_names():
    entries = []
    for i, value in enumerate(HOSTILE.values()):
        entries.append(
            {
                "month": f"2023-0{1 + i % 9}",
                "lang": "fr",
                "province": value,
                "province_code": "05.301",
                "href": f"2023-0{1 + i % 9}/r{i}.html",
                "title": value,
                "is_sample": True,
            }
        )
    html = str(report.index_html(entries))
    _no_markup(html, "index page")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "{name} %s %(x)s {0}" in html
    assert LONG in html


@pytest.mark.parametrize("name", list(HOSTILE))
def test_slide_fragments_escape_hostile_text(name):
    value = HOSTILE[name]
    out = {
        "title_slide": deck_html.title_slide(value, value, banner=value),
        "heading": deck_html.heading(value, value),
        "bullets": deck_html.bullets([value, value]),
        "big_numbers": deck_html.big_numbers([(value, value)]),
        "deck_table": deck_html.deck_table(
            pd.DataFrame({"a": [value], "b": [value]}), {"a": value, "b": value}, alert=["b"]
        ),
        "speaker_notes": deck_html.speaker_notes([value]),
    }
    for where, html in out.items():
        _no_markup(str(html), f"slide {where}")
        if name == "format":
            assert "{name} %s %(x)s {0}" in str(html), where


def _strings(obj):
    """Every string inside a (nested) plotly figure dictionary."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _strings(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _strings(v)


def _plotly_figures(prog, lang: str) -> dict:
    as_of, wave = "2022-06", 2022
    ctx = indicators.commune_context(prog)
    return {
        "burnup": charts.burnup(
            indicators.monthly_jobs(prog), indicators.forecast(prog, method="linear"), lang
        ),
        "jobs_by_month": charts.jobs_by_month(
            indicators.monthly_breakdown(prog, "partner_type"), "partner_type", lang
        ),
        "commune_ranking": charts.commune_ranking(ctx, lang),
        "equity_scatter": charts.equity_scatter(ctx, lang),
        "schedule_gantt": charts.schedule_gantt(indicators.schedule(prog), lang),
        "attention_gantt": charts.schedule_gantt(
            indicators.attention(prog, as_of=as_of, wave=wave), lang
        ),
        "inclusion_shares[commune]": charts.inclusion_shares(
            indicators.inclusion(prog, by="commune"), "commune", lang
        ),
        "inclusion_shares[partner]": charts.inclusion_shares(
            indicators.inclusion(prog, by="partner"), "partner", lang
        ),
        "commune_map": maps.commune_map(
            report.commune_view(indicators.commune_context(prog, as_of=as_of, wave=wave)),
            prog.communes,
            lang=lang,
        ),
    }


@pytest.mark.parametrize("name", ["script", "img", "bold", "link"])
def test_plotly_labels_and_hover_text_carry_no_markup_from_data(name):
    prog = _hostile_program(HOSTILE[name])
    for where, fig in _plotly_figures(prog, "fr").items():
        dumped = json.loads(fig.to_json())  # plain lists: customdata included
        for s in _strings(dumped):
            _no_markup(s, f"plotly {where}")
        # The escaped name is there: the data is shown, not dropped.
        text = json.dumps(dumped)
        if where in ("commune_ranking", "commune_map", "schedule_gantt"):
            assert "&lt;" in text, f"{where} shows the escaped name"


def _drawn_texts(fig) -> list[matplotlib.text.Text]:
    fig.canvas.draw()  # mathtext would raise here on "$x^^2$"
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def test_matplotlib_figures_draw_every_hostile_value_literally():
    value = " ".join(HOSTILE[k] for k in ("maths", "bold", "format", "bidi"))
    prog = _hostile_program(value)
    ctx = indicators.commune_context(prog)
    builders = {
        "commune_ranking_mpl": lambda: charts.commune_ranking_mpl(ctx, "fr"),
        "equity_scatter_mpl": lambda: charts.equity_scatter_mpl(ctx, "fr"),
        "schedule_gantt_mpl": lambda: charts.schedule_gantt_mpl(
            indicators.schedule(prog), "fr", only_flagged=False
        ),
        "inclusion_shares_mpl": lambda: charts.inclusion_shares_mpl(
            indicators.inclusion(prog, by="partner"), "partner", "fr"
        ),
    }
    for where, build in builders.items():
        ax = build()
        fig = ax.get_figure(root=True)
        try:
            texts = _drawn_texts(fig)
            hostile = [t for t in texts if "$x^^2$" in t.get_text()]
            assert hostile, f"{where}: the data-derived text is in the figure"
            assert all(t.get_parse_math() is False for t in hostile), where
        finally:
            plt.close(fig)


def test_ids_in_tables_are_escaped():
    html = str(report.ids_html('<b>bold</b>, <a href="http://x">x</a>'))
    _no_markup(html, "ids_html")
    assert re.search(r"&lt;b&gt;bold", html)


def _hostile_problems(value: str):
    """Problems whose file, sheet, header, value and placeholders are all ``value``."""
    from awrach_analysis.data import problems, reports

    found = [
        problems.make(
            "missing_column",
            "problem.missing_column",
            file=value,
            sheet=value,
            row=3,
            column=value,
            value=value,
            table="partners",
            name=value,
            where=value,
            accepted=value,
        )
    ]
    return reports.problems_frame(found)


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
@pytest.mark.parametrize("name", list(HOSTILE))
def test_data_quality_escapes_file_sheet_header_and_value_in_messages(name, lang):
    value = HOSTILE[name]
    prog = dataclasses.replace(tiny_program(), problems=_hostile_problems(value))
    html = str(
        report.data_quality(prog, indicators.schedule(prog, as_of="2022-06"), lang, as_of="2022-06")
    )
    _no_markup(html, "data quality")
    # the problem is listed: file, sheet and header are named (escaped), never dropped
    from markupsafe import escape

    assert html.count(str(escape(value))) >= 3, "file, sheet and header are shown"
    if name == "format":
        assert "%(x)s" in html and "{0}" in html, "placeholders are shown, never filled"


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory):
    """The sample with free text, one category and one id set to hostile values."""
    import shutil

    from awrach_analysis import config

    src = tmp_path_factory.mktemp("hostile_matrix") / "data"
    shutil.copytree(config.SAMPLE_DIR, src)
    values = list(HOSTILE.values())
    partners = pd.read_csv(src / "partners.csv", dtype=str, keep_default_na=False)
    for column in ("name_fr", "name_ar"):
        partners[column] = [values[i % len(values)] for i in range(len(partners))]
    partners.loc[0, "partner_type"] = HOSTILE["formula"]  # not a type: quoted in a problem
    partners.loc[1, "partner_type"] = HOSTILE["bold"]
    partners.to_csv(src / "partners.csv", index=False)
    projects = pd.read_csv(src / "projects.csv", dtype=str, keep_default_na=False)
    for column in ("title_fr", "title_ar"):
        projects[column] = [values[(i + 3) % len(values)] for i in range(len(projects))]
    projects.to_csv(src / "projects.csv", index=False)
    return src


def test_validate_text_and_json_show_hostile_values_whole_and_unformatted(hostile_folder, capsys):
    from awrach_analysis import cli

    cli.main(["validate", str(hostile_folder), "--lang", "fr"])
    text = capsys.readouterr().out
    cli.main(["validate", str(hostile_folder), "--json"])
    raw = capsys.readouterr().out
    data = json.loads(raw)
    values = {str(v) for v in _strings(data)}
    # the category values people typed are quoted exactly, in text and JSON
    assert any(HOSTILE["bold"] in v for v in values), "the bad partner type is quoted"
    assert any(HOSTILE["formula"] in v for v in values)
    assert HOSTILE["bold"] in text
    assert "{name}" not in text.replace(HOSTILE["format"], ""), "no placeholder left unfilled"


def test_csv_export_neutralises_formulas_in_free_text(hostile_folder, tmp_path):
    import openpyxl

    from awrach_analysis.data import store

    ref = store.write_reference_workbook(hostile_folder, tmp_path / "ref.xlsx")
    db = tmp_path / "s.duckdb"
    store.ingest([ref], db)
    store.export_tables(tmp_path / "export", db)
    for table in ("partners", "projects"):
        text = (tmp_path / "export" / f"{table}.csv").read_text(encoding="utf-8")
        assert "'=HYPERLINK" in text, f"{table}: the formula-like title is kept as text"
        assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text, table
        assert LONG in text, f"{table}: a long name is exported whole"
    path, _ = store.export_quarantine(tmp_path / "q.xlsx", db)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and v.startswith(("=", "+", "@"))), v


@pytest.mark.parametrize("name", ["bold", "link", "maths", "format"])
def test_council_deck_shows_hostile_names_as_text_in_every_slide(name):
    from awrach_analysis.documents import slides

    value = HOSTILE[name]
    deck = slides.council_deck(_hostile_program(value), lang="fr")
    html = [str(deck.title_slide()), str(deck.three_numbers()), str(deck.caveats())]
    for key in slides.COUNCIL_SLIDES:
        html += [str(deck.heading(key)), str(deck.notes(key))]
    for key in ("05_communes_attention", "08_projects_attention"):
        html.append(str(deck.table(key)))
    for where, fragment in enumerate(html):
        _no_markup(fragment, f"slide fragment {where}")
    if name == "format":
        assert "{name} %s %(x)s {0}" in "".join(html)
    for key in ("03_jobs_vs_target", "04_commune_map", "06_partners_domains", "07_inclusion"):
        for s in _strings(json.loads(deck.figure(key).to_json())):
            _no_markup(s, f"slide figure {key}")
    for key in slides.PRINT_FIGURES:
        ax = deck.print_figure(key)
        fig = ax.get_figure(root=True)
        try:
            for t in _drawn_texts(fig):
                if "$x^^2$" in t.get_text():
                    assert t.get_parse_math() is False, key
        finally:
            plt.close(fig)


#: An override in a name must end with the name: followed by POP DIRECTIONAL FORMATTING
#: before any character of the text around it (the value is "abc\u202edef <row>").
_CONTAINED = re.compile("\u202edef \\d+\u202c")


def _bidi_contained(text: str, where: str) -> None:
    found = text.count("\u202e")
    assert len(_CONTAINED.findall(text)) == found, f"an override leaks out of a name in {where}"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_bidi_override_in_a_name_cannot_reverse_the_text_after_it(lang):
    # Without containment "abc\u202edef 1 : 24,0 (12 emplois)" shows the commune's figures
    # reversed in French hover text ("(emplois 21) 0,42 : 1 fed").
    prog = _hostile_program(HOSTILE["bidi"])
    seen = 0
    for where, html in _report_fragments(prog, lang).items():
        _bidi_contained(html, where)
        seen += html.count("\u202e")
    for where, fig in _plotly_figures(prog, lang).items():
        for s in _strings(json.loads(fig.to_json())):
            _bidi_contained(s, f"plotly {where}")
            seen += s.count("\u202e")
    assert seen > 50, "the names are shown"


def test_data_quality_location_keeps_a_file_name_override_inside_the_name():
    prog = dataclasses.replace(tiny_program(), problems=_hostile_problems("abc\u202edef 1"))
    html = str(
        report.data_quality(prog, indicators.schedule(prog, as_of="2022-06"), "fr", as_of="2022-06")
    )
    assert "\u202e" in html
    _bidi_contained(html, "data quality")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("abc\u202edef", "abc\u202edef\u202c"),
        ("a\u202eb\u202cc", "a\u202eb\u202cc"),  # balanced: unchanged
        ("a\u2069\u202eb", "a\u202eb\u202c"),  # a stray PDI would close an outer isolate
        ("a\u2067b\u202ec\u2069d", "a\u2067b\u202ec\u2069d"),  # PDI closes the override too
        ("\u202c\u202c", ""),
    ],
)
def test_contain_bidi_balances_controls_and_keeps_every_visible_character(text, expected):
    from awrach_analysis import i18n

    assert i18n.contain_bidi(text) == expected
