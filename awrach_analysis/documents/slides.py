"""The council deck's content: slides, titles, speaker notes, figures and print figures."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import i18n
from ..errors import AwrachError
from ..errors import PrintError as PrintError
from .deck_assets import reveal_credit as reveal_credit
from .deck_build import DeckInfo as DeckInfo
from .deck_build import build_slides as build_slides
from .deck_build import check_province as check_province
from .deck_build import month_text as month_text
from .deck_html import big_numbers as big_numbers
from .deck_html import bullets as bullets
from .deck_html import deck_table as deck_table
from .deck_html import escape as escape
from .deck_html import heading as heading
from .deck_html import speaker_notes as speaker_notes
from .deck_html import title_slide as title_slide
from .printing import print_pdf as print_pdf
from .report import Html, commune_view  # shared with the report

# The notebooks and the CLI reach the deck through this module: the names imported "as"
# themselves above are its public entry points, defined in deck_assets, deck_build, deck_html
# and printing.

#: Exit code of ``awrach slides --pdf`` when the deck was written but could not be printed.
EXIT_NO_PDF = 3


# ---------------------------------------------------------------------------------------
# The council presentation: one message per slide, computed from the data
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slide:
    """One slide of the council deck.

    ``key`` (``"NN_name"``) gives its place, its print figure's file stem and the method
    writing its texts (``CouncilDeck._text_<name>``); ``print_figure`` says whether
    :meth:`CouncilDeck.print_figure` draws it for the council's own documents.
    """

    key: str
    print_figure: bool = False


#: The council deck, in order: the one list every other list of slides is derived from.
COUNCIL_DECK = (
    Slide("01_title"),
    Slide("02_three_numbers"),
    Slide("03_jobs_vs_target", print_figure=True),
    Slide("04_commune_map", print_figure=True),
    Slide("05_communes_attention", print_figure=True),
    Slide("06_partners_domains", print_figure=True),
    Slide("07_inclusion", print_figure=True),
    Slide("08_projects_attention", print_figure=True),
    Slide("09_caveats_sources"),
)
#: Keys of the slides, in order; print figures are named after their slide.
COUNCIL_SLIDES = tuple(slide.key for slide in COUNCIL_DECK)
#: Slides that have a print figure (PNG 300 dpi + PDF in ``figures/``).
PRINT_FIGURES = tuple(slide.key for slide in COUNCIL_DECK if slide.print_figure)
#: At most this many rows in a slide table (the report has the full lists).
TABLE_ROWS = 5
#: Height of a slide figure in CSS pixels (the slide is 720 high; the title takes the rest).
FIGURE_HEIGHT = 530


def spell_number(value: Any, lang: str) -> str:
    """Return a count as digits followed by words, for speaker notes read aloud.

    ``spell_number(2357, "fr")`` → ``"2 357 (deux mille trois cent cinquante-sept)"``.
    Words come from the ``num2words`` package; without it, or for non-integers, the
    digits alone are returned.

    Parameters
    ----------
    value : int or float
        A count.
    lang : {"fr", "ar", "en"}
        Language.

    Returns
    -------
    str
    """
    digits = i18n.fmt_int(value, lang)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return digits
    if number != number or number != int(number) or abs(number) >= 10**9:
        return digits
    try:
        from num2words import num2words
    except ImportError:  # optional: the notes keep the digits
        return digits
    words = num2words(int(number), lang=lang)
    if lang == "ar":
        words = re.sub(r" و (?=\S)", " و", words)  # the conjunction is written joined
    return f"{digits} ({words})"


@dataclass
class SlideText:
    """What one slide says.

    Attributes
    ----------
    key : str
        Slide key (``"03_jobs_vs_target"``), also the stem of its print figure.
    title : str
        The message of the slide, a full sentence computed from the data.
    subtitle : str
        Scope or second message.
    notes : list of str
        Speaker notes, numbers written out.
    values : dict
        The raw numbers behind the texts (for tests and reuse).
    """

    key: str
    title: str
    subtitle: str = ""
    notes: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


def _number(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return out


class CouncilDeck:
    """The council presentation of one month: texts, figures, tables and print figures.

    Every indicator is computed once, when the deck is made; each slide's message is a
    sentence of :data:`awrach_analysis.i18n.CATALOGUE` (keys ``slide.*``, ``notes.*``...)
    filled with those values. Build it with :func:`council_deck`.

    Attributes
    ----------
    program : Program
        The data.
    lang : str
        Language of every text and figure.
    as_of : pandas.Timestamp
        Reference month.
    texts : dict of str to SlideText
        What each slide of :data:`COUNCIL_SLIDES` says.
    """

    #: The slides of this deck, in order (a wider scope's deck has its own list).
    DECK: tuple[Slide, ...] = COUNCIL_DECK
    #: The last slide: caveats and sources.
    CAVEATS = "09_caveats_sources"

    def __init__(self, program: Any, *, as_of: Any = None, lang: str = "ar"):
        from ..analysis import indicators

        i18n.check_lang(lang)
        self.program = program
        self.lang = lang
        self.as_of = (
            indicators.default_as_of(program) if as_of is None else indicators.to_month(as_of)
        )
        kw = {"as_of": self.as_of}
        self.headline = indicators.headline(program, **kw).set_index("indicator")["value"]
        self.monthly = indicators.monthly_jobs(program, **kw)
        self.forecast = indicators.forecast(program, **kw)
        self.context = indicators.commune_context(program, **kw)
        # What figures show: counts below 5 hidden with the rates computed from them, as in
        # the report (a hover label or a rate must not give a small count back).
        self.context_view = commune_view(self.context)
        self.schedule = indicators.schedule(program, **kw)
        self.attention = indicators.attention(program, **kw)
        self.domains = indicators.breakdown(program, "domain", **kw)
        self.inclusion_total = indicators.inclusion(program, **kw)
        self.inclusion_by_type = indicators.inclusion(program, by="commune_type", **kw)
        self.texts: dict[str, SlideText] = {}
        for key in COUNCIL_SLIDES:
            self.texts[key] = getattr(self, "_text_" + key.split("_", 1)[1])(key)

    # --- helpers ---------------------------------------------------------------------------

    def _m(self, key: str, **values: Any) -> str:
        return i18n.t(key, self.lang, **values)

    def _int(self, value: Any) -> str:
        return i18n.fmt_int(value, self.lang)

    def _spell(self, value: Any) -> str:
        return spell_number(value, self.lang)

    def _pct(self, share: Any) -> str:
        return i18n.fmt_pct(share, self.lang)

    def _num(self, value: Any, digits: int = 0) -> str:
        return i18n.fmt_num(value, self.lang, digits)

    @property
    def month_label(self) -> str:
        """The reference month in words (``"octobre 2023"``, ``"أكتوبر 2023"``)."""
        return i18n.fmt_month(self.as_of, self.lang)

    @property
    def province_name(self) -> str:
        """The province in the deck's language."""
        from ..reference.communes import province_label

        label = province_label(self.program.province_code, self.lang)
        return label if label != self.program.province_code else self.program.province

    def _commune(self, row: Any) -> str:
        return i18n.commune_name(row, self.lang)

    # --- texts ------------------------------------------------------------------------------

    def _text_title(self, key: str) -> SlideText:
        title = self._m("ui.slides_title", province=self.province_name, month=self.month_label)
        notes = [self._m("notes.title", province=self.province_name, month=self.month_label)]
        return SlideText(key, title, self._m("ui.programme"), notes)

    def _text_three_numbers(self, key: str) -> SlideText:
        agreements = _number(self.headline.get("agreements"))
        jobs = _number(self.headline.get("jobs_to_date"))
        target = _number(self.headline.get("target"))
        pct = _number(self.headline.get("pct_of_target"))
        reached = int((self.context["projects"] > 0).sum())
        values = {
            "agreements": agreements,
            "jobs": jobs,
            "communes": reached,
            "all_communes": len(self.context),
            "target": target,
            "pct": pct,
        }
        title = self._m(
            "slide.three_numbers",
            jobs=self._int(jobs),
            communes=self._int(reached),
            agreements=self._int(agreements),
        )
        notes = [
            self._m(
                "notes.three_numbers",
                agreements=self._spell(agreements),
                jobs=self._spell(jobs),
                communes=self._spell(reached),
                all_communes=self._spell(len(self.context)),
                target=self._spell(target),
                pct=self._pct(pct / 100),
            )
        ]
        return SlideText(key, title, self._m("ui.as_of", month=self.month_label), notes, values)

    def _text_jobs_vs_target(self, key: str) -> SlideText:
        fc = self.forecast
        jobs = _number(self.headline.get("jobs_to_date"))
        target = _number(fc.get("target"))
        pace = _number(fc.get("pace_per_month"))
        month = self.month_label
        if target != target or target <= 0:
            title = self._m("title.burnup_no_target", achieved=self._int(jobs), month=month)
            subtitle = ""
        else:
            title = self._m(
                "title.burnup",
                achieved=self._int(jobs),
                target=self._int(target),
                pct=self._pct(jobs / target),
            )
            kind = "forecast_plan" if fc.get("method") == "pipeline" else "forecast"
            if jobs >= target:
                subtitle = self._m("title.forecast_done")
            elif fc.get("reachable") and fc.get("month_reached") is not None:
                subtitle = self._m(
                    f"title.{kind}_reached",
                    pace=self._num(pace, 1),
                    month=i18n.fmt_month(fc["month_reached"], self.lang),
                )
            else:
                subtitle = self._m(
                    f"title.{kind}_unreachable",
                    pace=self._num(pace, 1),
                    month=i18n.fmt_month(fc["period_end"], self.lang),
                )
        notes = [
            self._m(
                "notes.jobs",
                month=month,
                jobs=self._spell(jobs),
                target=self._spell(target) if target == target else "—",
                pace=self._num(pace, 1),
            )
        ]
        if subtitle:
            notes.append(subtitle)
        values = {
            "jobs": jobs,
            "target": target,
            "pace": pace,
            "reachable": bool(fc.get("reachable")),
            "month_reached": fc.get("month_reached"),
        }
        return SlideText(key, title, subtitle, notes, values)

    def _ranked(self):
        ctx = self.context
        ok = ctx[
            (ctx["unemployed_2024"].astype("Float64") > 0) & ctx["jobs_per_1000_unemployed"].notna()
        ]
        return ok.sort_values(
            ["jobs_per_1000_unemployed", "unemployment_rate_2024"],
            ascending=[True, False],
            kind="mergesort",
        )

    def _text_commune_map(self, key: str) -> SlideText:
        ranked = self._ranked()
        ctx = self.context
        unemployed = _number(ctx["unemployed_2024"].astype("Float64").sum())
        jobs = _number(ctx.loc[ctx["unemployed_2024"].astype("Float64") > 0, "jobs_to_date"].sum())
        if ranked.empty or jobs <= 0:
            return SlideText(key, self._m("title.ranking_empty"), self._m("subtitle.ranking"))
        top = ranked.iloc[-1]
        average = jobs / unemployed * 1000
        names = {
            "top": self._commune(top),
            "value": self._num(top["jobs_per_1000_unemployed"]),
            "average": self._num(average),
        }
        notes = [self._m("notes.map", **names)]
        values = {
            "top": str(top["commune_code"]),
            "top_value": float(top["jobs_per_1000_unemployed"]),
            "average": average,
        }
        return SlideText(
            key, self._m("title.ranking", **names), self._m("subtitle.ranking"), notes, values
        )

    def _text_communes_attention(self, key: str) -> SlideText:
        ranked = self._ranked()
        if ranked.empty:
            return SlideText(key, self._m("slide.communes_none"))
        low = ranked.iloc[0]
        by_rate = ranked.sort_values(
            ["unemployment_rate_2024", "jobs_per_1000_unemployed"],
            ascending=[False, True],
            kind="mergesort",
        )
        high = by_rate.iloc[0]
        if low["commune_code"] == high["commune_code"]:
            title = self._m("slide.communes_same", commune=self._commune(low))
        else:
            title = self._m(
                "slide.communes_split",
                low=self._commune(low),
                value=self._num(low["jobs_per_1000_unemployed"]),
                high=self._commune(high),
                rate=self._pct(_number(high["unemployment_rate_2024"]) / 100),
            )
        shown = ranked.head(TABLE_ROWS)
        notes = [
            self._m(
                "notes.commune_row",
                commune=self._commune(r),
                rate=self._pct(_number(r["unemployment_rate_2024"]) / 100),
                unemployed=self._spell(r["unemployed_2024"]),
                jobs=self._spell(r["jobs_to_date"]),
                value=self._num(r["jobs_per_1000_unemployed"]),
            )
            for _, r in shown.iterrows()
        ]
        values = {
            "lowest": str(low["commune_code"]),
            "highest_rate": str(high["commune_code"]),
            "listed": [str(c) for c in shown["commune_code"]],
        }
        return SlideText(
            key, title, self._m("slide.communes_subtitle", n=self._int(len(shown))), notes, values
        )

    def implementing_partners(self) -> Any:
        """Return the partners that implement at least one agreement, with their type."""
        import pandas as pd

        program = self.program
        signed = program.agreements
        if "signed_on" in signed:
            end = self.as_of + pd.offsets.MonthEnd(0)
            signed = signed[signed["signed_on"].isna() | (signed["signed_on"] <= end)]
        ids = set(signed["partner_id"].dropna().astype(str))
        return program.partners[program.partners["partner_id"].astype(str).isin(ids)]

    def _text_partners_domains(self, key: str) -> SlideText:
        partners = self.implementing_partners()
        types = partners["partner_type"].astype(str).value_counts()
        n_assoc, n_coop = int(types.get("association", 0)), int(types.get("cooperative", 0))
        dom = self.domains.sort_values("jobs_to_date", ascending=False, kind="mergesort")
        total = _number(dom["jobs_to_date"].sum())
        top = dom.iloc[0] if len(dom) else None
        domain = i18n.label("domain", top["domain"], self.lang) if top is not None else "—"
        top_jobs = _number(top["jobs_to_date"]) if top is not None else 0.0
        share = top_jobs / total if total > 0 else float("nan")
        title = self._m(
            "slide.partners",
            partners=self._int(len(partners)),
            associations=self._int(n_assoc),
            cooperatives=self._int(n_coop),
            domain=domain,
            share=self._pct(share),
        )
        notes = [
            self._m(
                "notes.partners",
                partners=self._spell(len(partners)),
                associations=self._spell(n_assoc),
                cooperatives=self._spell(n_coop),
                domain=domain,
                jobs=self._spell(top_jobs),
            )
        ]
        values = {
            "partners": len(partners),
            "associations": n_assoc,
            "cooperatives": n_coop,
            "top_domain": None if top is None else str(top["domain"]),
            "share": share,
        }
        return SlideText(
            key, title, self._m("slide.partners_subtitle", month=self.month_label), notes, values
        )

    def _text_inclusion(self, key: str) -> SlideText:
        from ..reference import facts

        total = self.inclusion_total.iloc[-1]

        def share(count_col: str, share_col: str) -> str:
            if i18n.is_suppressed(total[count_col]):
                return self._int(total[count_col])  # the mark, kept left to right in Arabic
            return self._pct(total[share_col])

        women, youth = share("women", "women_share"), share("youth", "youth_share")
        title = self._m("title.inclusion", women=women, youth=youth)
        by = self._m("subtitle.by.commune_type")
        notes = [
            self._m(
                "notes.inclusion",
                people=self._spell(total["people"]),
                women=self._spell(total["women"]),  # a small-cell mark is kept as such
                youth=self._spell(total["youth"]),
                pub_women=self._spell(facts.fact("women_2022")),
                pub_total=self._spell(facts.fact("beneficiaries_2022")),
            )
        ]
        values = {
            "people": total["people"],
            "women": total["women"],
            "youth": total["youth"],
            "women_share": total["women_share"],
            "youth_share": total["youth_share"],
        }
        return SlideText(key, title, self._m("subtitle.inclusion", by=by), notes, values)

    def _text_projects_attention(self, key: str) -> SlideText:
        n, total = len(self.attention), self.schedule.attrs.get("projects", len(self.schedule))
        if n == 0:
            title = self._m("slide.attention_none", total=self._int(total))
        else:
            title = self._m("title.schedule", n=self._int(n), total=self._int(total))
        counts = self.attention["reason"].astype(str).value_counts()
        sep = "، " if self.lang == "ar" else ", "
        by_reason = (
            sep.join(
                i18n.key_value(i18n.t("reason." + code, self.lang), self._spell(count), self.lang)
                for code, count in counts.items()
            )
            or "—"
        )
        notes = [
            self._m(
                "notes.attention", n=self._spell(n), total=self._spell(total), by_reason=by_reason
            )
        ]
        values = {
            "n": n,
            "total": total,
            "by_reason": counts.to_dict(),
            "listed": list(self.attention["project_id"].astype(str).head(TABLE_ROWS)),
        }
        subtitle = self._m("slide.attention_subtitle") if n else ""
        return SlideText(key, title, subtitle, notes, values)

    def _text_caveats_sources(self, key: str) -> SlideText:
        missing = int(_number(self.schedule["missing_months"].fillna(0).sum()))
        projects = int((self.schedule["missing_months"].fillna(0) > 0).sum())
        quarantined = int(self.program.quarantined_rows)
        title = self._m(
            "slide.caveats", missing=self._int(missing), quarantined=self._int(quarantined)
        )
        notes = [
            self._m(
                "notes.caveats", missing=self._spell(missing), quarantined=self._spell(quarantined)
            )
        ]
        values = {"missing": missing, "projects_missing": projects, "quarantined": quarantined}
        return SlideText(key, title, "", notes, values)

    # --- public API ---------------------------------------------------------------------------

    def slide(self, key: str) -> SlideText:
        """Return the texts of slide ``key`` (one of :data:`COUNCIL_SLIDES`)."""
        if key not in self.texts:
            raise AwrachError(f"Unknown slide {key!r}. Slides: {', '.join(self.texts)}.")
        return self.texts[key]

    def heading(self, key: str) -> Html:
        """Return the heading of slide ``key``: its message and subtitle."""
        text = self.slide(key)
        return heading(text.title, text.subtitle)

    def notes(self, key: str) -> Html:
        """Return the speaker notes of slide ``key`` (display in a ``notes`` cell)."""
        return speaker_notes(self.slide(key).notes)

    def title_slide(self) -> Html:
        """Return the opening slide (with the sample-data banner when it applies)."""
        text = self.slide("01_title")
        banner = i18n.t("ui.sample_banner", self.lang) if self.program.is_sample else ""
        return title_slide(text.title, text.subtitle, banner=banner)

    def three_numbers(self) -> Html:
        """Return the big numbers of slide 2."""
        v = self.slide("02_three_numbers").values
        return big_numbers(
            [
                (self._int(v["agreements"]), self._m("label.agreements")),
                (self._int(v["jobs"]), self._m("label.jobs_to_date")),
                (self._int(v["communes"]), self._m("label.communes_reached")),
            ]
        )

    def table(self, key: str) -> Html:
        """Return the table of slide ``05_communes_attention`` or ``08_projects_attention``."""
        import pandas as pd

        if key == "05_communes_attention":
            shown = self._ranked().head(TABLE_ROWS)
            rows = pd.DataFrame(
                {
                    "commune": [self._commune(r) for _, r in shown.iterrows()],
                    "rate": [self._pct(_number(x) / 100) for x in shown["unemployment_rate_2024"]],
                    "unemployed": [self._int(x) for x in shown["unemployed_2024"]],
                    "jobs": [self._int(x) for x in shown["jobs_to_date"]],
                    "per_1000": [self._num(x) for x in shown["jobs_per_1000_unemployed"]],
                }
            )
            columns = {
                "commune": i18n.t("ui.commune", self.lang),
                "rate": self._m("col.unemployment_rate"),
                "unemployed": i18n.t("col.unemployed_2024", self.lang)
                if "col.unemployed_2024" in i18n.CATALOGUE
                else "",
                "jobs": i18n.t("col.jobs_to_date", self.lang),
                "per_1000": self._m("col.per_1000"),
            }
            return deck_table(
                rows,
                columns,
                numeric=["rate", "unemployed", "jobs", "per_1000"],
                alert=["per_1000"],
                max_rows=TABLE_ROWS,
            )
        if key == "08_projects_attention":
            shown = self.attention.head(TABLE_ROWS)
            title_col = "title_ar" if self.lang == "ar" else "title_fr"
            titles = [
                r[title_col]
                if isinstance(r.get(title_col), str) and r[title_col].strip()
                else r["title_fr"]
                for _, r in shown.iterrows()
            ]
            communes = self.program.communes
            rows = pd.DataFrame(
                {
                    "project": [
                        f"{pid} — {i18n.shorten(t, 38)}"
                        for pid, t in zip(shown["project_id"], titles, strict=True)
                    ],
                    "commune": [
                        i18n.commune_name(str(c), self.lang, communes=communes)
                        for c in shown["commune_code"]
                    ],
                    "reason": [i18n.t("reason." + str(c), self.lang) for c in shown["reason"]],
                    "follow_up": [self._m("followup." + str(c)) for c in shown["reason"]],
                }
            )
            columns = {
                "project": self._m("col.project"),
                "commune": i18n.t("ui.commune", self.lang),
                "reason": self._m("col.reason"),
                "follow_up": self._m("col.follow_up"),
            }
            return deck_table(rows, columns, alert=["reason"], max_rows=TABLE_ROWS)
        raise AwrachError(f"Slide {key!r} has no table.")

    def caveats(self) -> Html:
        """Return the caveats and sources of the last slide, with the reveal.js credit."""
        from ..reference import facts

        v = self.slide(self.CAVEATS).values
        items = []
        if self.program.is_sample:
            items.append(self._m("caveat.sample"))
        items += self._scope_caveats()
        items += [
            self._m(
                "caveat.missing",
                missing=self._int(v["missing"]),
                projects=self._int(v["projects_missing"]),
            ),
            self._m("caveat.quarantine", quarantined=self._int(v["quarantined"])),
            self._m("caveat.press"),
            self._m("caveat.census"),
        ]
        sources = Markup("").join(Markup("<li>{}</li>").format(s) for s in facts.PRESS_SOURCES)
        # Html is a markupsafe.Markup: the texts are escaped by ``format``.
        return bullets(items, css_class="caveats") + Markup(
            '<div class="sources"><p><strong>{}</strong></p><ul>{}</ul>'
            '<p class="credits">{}</p></div>'
        ).format(self._m("ui.published_sources"), sources, reveal_credit())

    def _scope_caveats(self) -> list[str]:
        """Caveats of the deck's scope, after the sample's (none for a province)."""
        return []

    def figure(self, key: str) -> Any:
        """Return the interactive (plotly) figure of slide ``key``, sized for the slide.

        The slide's heading carries the message, so the chart's own title, subtitle and
        source line are removed (the sources slide lists the sources).
        """
        from ..figures import charts, maps

        sample = bool(self.program.is_sample)
        if key == "03_jobs_vs_target":
            fig = charts.burnup(
                self.monthly,
                self.forecast,
                self.lang,
                context="slides",
                source=False,
                sample=sample,
            )
        elif key == "04_commune_map":
            fig = maps.commune_map(
                self.context_view,
                self.program.communes,
                "jobs_per_1000_unemployed",
                self.lang,
                context="slides",
            )
        elif key == "06_partners_domains":
            fig = self._domains_figure()
        elif key == "07_inclusion":
            fig = charts.inclusion_shares(
                self.inclusion_by_type,
                "commune_type",
                self.lang,
                context="slides",
                source=False,
                sample=sample,
            )
        else:
            raise AwrachError(f"Slide {key!r} has no figure.")
        return for_slide(fig)

    def _domains_frame(self) -> Any:
        dom = self.domains.sort_values("jobs_to_date", ascending=True, kind="mergesort")
        dom = dom.assign(label=[i18n.label("domain", d, self.lang) for d in dom["domain"]])
        return dom

    def _domains_figure(self) -> Any:
        import plotly.graph_objects as go

        from ..figures import style

        dom = self._domains_frame()
        rtl = self.lang == "ar"
        fig = go.Figure(
            go.Bar(
                x=[float(x) for x in dom["jobs_to_date"]],
                y=[i18n.safe(x) for x in dom["label"]],
                orientation="h",
                marker={"color": style.COLORS["achieved"]},
                text=[self._int(x) for x in dom["jobs_to_date"]],
                textposition="outside",
                cliponaxis=False,
                hoverinfo="skip",
                uid="domains-0",
            )
        )
        style.plotly_layout(fig, self.lang, context="slides")
        fig.update_yaxes(side="right" if rtl else "left", showgrid=False)
        fig.update_xaxes(
            autorange="reversed" if rtl else True,
            rangemode="tozero",
            title={"text": i18n.safe(self._m("label.jobs_to_date"))},
        )
        return fig

    def print_figure(self, key: str, ax: Any = None) -> Any:
        """Draw the print (matplotlib) figure of slide ``key`` and return its Axes.

        Print figures keep their titles and source line: they are pasted into the council's
        own documents, where no slide heading explains them.
        """
        from ..figures import charts, maps

        sample = bool(self.program.is_sample)
        opts = {"context": "print", "sample": sample}
        if key == "03_jobs_vs_target":
            return charts.burnup_mpl(self.monthly, self.forecast, self.lang, ax, **opts)
        if key == "04_commune_map":
            return maps.commune_map_mpl(
                self.context_view, self.program.communes, "jobs_per_1000_unemployed", self.lang, ax
            )
        if key == "05_communes_attention":
            return charts.commune_ranking_mpl(self.context_view, self.lang, ax, **opts)
        if key == "06_partners_domains":
            return self._domains_mpl(ax)
        if key == "07_inclusion":
            return charts.inclusion_shares_mpl(
                self.inclusion_by_type, "commune_type", self.lang, ax, **opts
            )
        if key == "08_projects_attention":
            return charts.schedule_gantt_mpl(self.attention, self.lang, ax, **opts)
        raise AwrachError(f"Slide {key!r} has no print figure.")

    def _domains_mpl(self, ax: Any = None) -> Any:
        import matplotlib.pyplot as plt

        from ..figures import style

        dom = self._domains_frame()
        rtl = self.lang == "ar"
        with style.mpl_style(self.lang, "print"):
            if ax is None:
                width, _ = style.sizes("print")["figsize"]
                _, ax = plt.subplots(figsize=(width, 0.32 * len(dom) + 1.6))
            values = [float(x) for x in dom["jobs_to_date"]]
            ax.barh(range(len(dom)), values, color=style.COLORS["achieved"])
            ax.set_yticks(range(len(dom)), list(dom["label"]))
            for i, v in enumerate(values):
                ax.annotate(
                    self._int(v),
                    (v, i),
                    xytext=(-4 if rtl else 4, 0),
                    textcoords="offset points",
                    va="center",
                    ha="right" if rtl else "left",
                )
            ax.grid(axis="y", visible=False)
            if rtl:
                ax.invert_xaxis()
                ax.yaxis.tick_right()
            ax.set_xlabel(self._m("label.jobs_to_date"))
            text = self.slide("06_partners_domains")
            style.add_titles(ax, text.title, text.subtitle, lang=self.lang, context="print")
            style.add_source(
                ax,
                style.source_line(self.lang, self.program.is_sample),
                lang=self.lang,
                context="print",
            )
        return ax

    @property
    def print_figures(self) -> tuple[str, ...]:
        """Keys of the slides of this deck that have a print figure."""
        return tuple(slide.key for slide in self.DECK if slide.print_figure)

    def write_figures(
        self, folder: str | Path, *, keys: Sequence[str] | None = None, dpi: int = 300
    ) -> list[str]:
        """Write the print figures to ``folder`` as PNG and PDF; return the file names.

        Parameters
        ----------
        folder : str or Path
            Where to write (created when missing).
        keys : sequence of str, optional
            Slides whose figure to write (default :attr:`print_figures`, all of them:
            :data:`PRINT_FIGURES` for a province).
        dpi : int, default 300
            Resolution of the PNG files.

        Returns
        -------
        list of str
            File names, named after the slides (``03_jobs_vs_target.png``...). A slide
            with nothing to draw (no project needing attention) gets no file.
        """
        import matplotlib.pyplot as plt

        from ..figures import save_figure

        folder = Path(folder)
        written: list[str] = []
        for key in self.print_figures if keys is None else keys:
            if key == "08_projects_attention" and self.attention.empty:
                continue
            ax = self.print_figure(key)
            try:
                paths = save_figure(ax, folder / key, formats=("png", "pdf"), dpi=dpi)
            finally:
                plt.close(ax.get_figure(root=True))
            written += [p.name for p in paths]
        return written

    def deck_info(self, figures: Sequence[str] = ()) -> DeckInfo:
        """Return what the builder needs to name the files (displayed in a hidden cell)."""
        return DeckInfo(
            month=self.as_of.strftime("%Y-%m"),
            province=self.program.province,
            province_code=str(self.program.province_code),
            lang=self.lang,
            figures=list(figures),
        )


def for_slide(fig: Any, *, height: int = FIGURE_HEIGHT) -> Any:
    """Return a chart made for the report adapted to a slide.

    Removes the figure's own title, subtitle and source line (the slide heading states the
    message, the last slide the sources), sets the slide height and keeps the large type
    of the ``slides`` context.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        A chart from :mod:`awrach_analysis.figures.charts` or :mod:`awrach_analysis.figures.maps`.
    height : int
        Height in CSS pixels.

    Returns
    -------
    plotly.graph_objects.Figure
        ``fig``, changed in place.
    """
    fig.update_layout(title={"text": None, "subtitle": {"text": None}})
    # assigned, not passed to update_layout (which would merge element by element)
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name != "source"]
    fig.update_layout(height=height, width=None, autosize=True)
    margin = fig.layout.margin
    fig.update_layout(margin={"t": 50, "b": min(margin.b or 60, 90), "l": margin.l, "r": margin.r})
    return fig


def council_deck(program: Any, *, as_of: Any = None, lang: str = "ar") -> CouncilDeck:
    """Return the council presentation of ``program`` at month ``as_of`` in ``lang``.

    Parameters
    ----------
    program : Program
        Loaded data (``awrach_analysis.data.load.load``).
    as_of : str or pandas.Timestamp, optional
        ``"YYYY-MM"``; default the last month with progress reports.
    lang : {"ar", "fr", "en"}, default "ar"
        Language of the deck.

    Returns
    -------
    CouncilDeck
    """
    return CouncilDeck(program, as_of=as_of, lang=lang)
