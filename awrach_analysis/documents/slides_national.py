"""The council deck of a country or a region: its provinces against quotas, equity, phases."""

from __future__ import annotations

from typing import Any

from .. import i18n
from ..errors import AwrachError
from .deck_html import big_numbers, bullets
from .report import Html, current_wave
from .slides import CouncilDeck, Slide, SlideText, _number, for_slide

#: The deck of a national or regional data set, in order (keys as in :data:`COUNCIL_DECK`).
SCOPE_DECK = (
    Slide("01_title"),
    Slide("02_headline"),
    Slide("03_province_map", print_figure=True),
    Slide("04_quota_ranking", print_figure=True),
    Slide("05_equity", print_figure=True),
    Slide("06_phases", print_figure=True),
    Slide("07_caveats_sources"),
)
#: Keys of its slides, in order.
SCOPE_SLIDES = tuple(slide.key for slide in SCOPE_DECK)
#: Its slides with a print figure (PNG 300 dpi + PDF in ``figures/``).
SCOPE_PRINT_FIGURES = tuple(slide.key for slide in SCOPE_DECK if slide.print_figure)
#: At most this many provinces read out in the speaker notes of a slide.
NOTES_ROWS = 5


class ScopeDeck(CouncilDeck):
    """The council presentation of a country or a region for one month.

    The same machinery as the province deck (:class:`CouncilDeck`: headings, notes,
    caveats, print figures), on the indicators of
    :mod:`awrach_analysis.analysis.territories`: the scope's headline and quota
    (``scope_headline``), one row per province (``territories``) and per roll-out phase
    (``by_phase``). As in the national report, a region is read on the wave of the month
    (its provinces' quotas are per wave) and the country over every wave (its published
    target covers 2022–2023).

    Attributes
    ----------
    provinces : pandas.DataFrame
        ``territories(program, "province")``.
    phases : pandas.DataFrame
        ``by_phase(program)``.
    headline : pandas.Series
        ``scope_headline`` values by indicator; its quota in :attr:`target`.
    """

    DECK = SCOPE_DECK
    CAVEATS = "07_caveats_sources"

    def __init__(self, program: Any, *, as_of: Any = None, lang: str = "ar"):
        from ..analysis import indicators, territories

        i18n.check_lang(lang)
        self.program = program
        self.lang = lang
        self.as_of = (
            indicators.default_as_of(program) if as_of is None else indicators.to_month(as_of)
        )
        self.wave = current_wave(program, self.as_of) if program.scope_level == "region" else None
        kw = {"as_of": self.as_of, "wave": self.wave}
        frame = territories.scope_headline(program, **kw)
        self.target = frame.attrs["target"]
        self.headline = frame.set_index("indicator")["value"]
        self.provinces = territories.territories(program, "province", **kw)
        self.phases = territories.by_phase(program, **kw)
        self.schedule = indicators.schedule(program, **kw)
        self.texts: dict[str, SlideText] = {}
        for key in SCOPE_SLIDES:
            self.texts[key] = getattr(self, "_text_" + key.split("_", 1)[1])(key)

    # --- helpers ---------------------------------------------------------------------------

    @property
    def province_name(self) -> str:
        """The country or the region in the deck's language."""
        from ..reference.scopes import scope_label

        return scope_label(str(self.program.province_code), self.lang)

    def _place(self, row: Any) -> str:
        name = row.get("name_ar" if self.lang == "ar" else "name_fr")
        return str(name) if isinstance(name, str) and name else str(row["province_code"])

    def _quota_counts(self) -> dict[str, int]:
        d = self.provinces
        has = d["target"].notna()
        return {
            "total": len(d),
            "missing": int((~has).sum()),
            "synthetic": int((has & d["target_synthetic"].astype(bool)).sum()),
            "reached": int((d["pct_of_target"] >= 100).fillna(False).sum()),
        }

    # --- texts ------------------------------------------------------------------------------

    def _text_title(self, key: str) -> SlideText:
        level = "national" if self.program.scope_level == "national" else "region"
        place, month = self.province_name, self.month_label
        title = self._m(f"deck.scope.title.{level}", place=place, month=month)
        notes = [
            self._m(
                "deck.scope.notes.title",
                place=place,
                month=month,
                provinces=self._spell(len(self.provinces)),
            )
        ]
        return SlideText(key, title, self._m("ui.programme"), notes)

    def _text_headline(self, key: str) -> SlideText:
        jobs = _number(self.headline.get("jobs_to_date"))
        pct = _number(self.headline.get("pct_of_target"))
        target = self.target.get("target")
        reached = int((self.provinces["projects"] > 0).sum())
        values = {
            "jobs": jobs,
            "pct": pct,
            "target": target,
            "provinces": reached,
            "all_provinces": len(self.provinces),
            "synthetic_target": bool(self.target.get("synthetic")),
        }
        if target is None or pct != pct:
            title = self._m(
                "deck.scope.headline_no_quota", jobs=self._int(jobs), provinces=self._int(reached)
            )
        else:
            title = self._m(
                "deck.scope.headline",
                jobs=self._int(jobs),
                provinces=self._int(reached),
                pct=self._pct(pct / 100),
            )
        notes = [
            self._m(
                "deck.scope.notes.headline",
                jobs=self._spell(jobs),
                provinces=self._spell(reached),
                all_provinces=self._spell(len(self.provinces)),
                target="—" if target is None else self._spell(target),
                pct="—" if pct != pct else self._pct(pct / 100),
            ),
            self.quota_note(),
        ]
        return SlideText(key, title, self._m("ui.as_of", month=self.month_label), notes, values)

    def _with_census(self) -> Any:
        d = self.provinces
        ok = d[(d["unemployed_2024"] > 0) & d["jobs_per_1000_unemployed"].notna()]
        return ok.sort_values(
            ["jobs_per_1000_unemployed", "province_code"], ascending=[False, True], kind="mergesort"
        )

    def _text_province_map(self, key: str) -> SlideText:
        from ..reference.scopes import scope_label

        ranked = self._with_census()
        place = scope_label(str(self.program.province_code), self.lang)
        subtitle = self._m("report.national.map.provinces", place=place)
        jobs = float(ranked["jobs_to_date"].sum())
        unemployed = float(ranked["unemployed_2024"].sum())
        if ranked.empty or jobs <= 0:
            return SlideText(key, self._m("deck.scope.map_empty"), subtitle)
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        average = jobs / unemployed * 1000
        title = self._m(
            "deck.scope.map",
            top=self._place(top),
            value=self._num(top["jobs_per_1000_unemployed"]),
            bottom=self._place(bottom),
            low=self._num(bottom["jobs_per_1000_unemployed"]),
            average=self._num(average),
        )
        notes = [
            self._m(
                "deck.scope.notes.province_row",
                province=self._place(r),
                jobs=self._spell(r["jobs_to_date"]),
                unemployed=self._spell(r["unemployed_2024"]),
                value=self._num(r["jobs_per_1000_unemployed"]),
            )
            for r in ranked.head(NOTES_ROWS).to_dict("records")
        ]
        values = {
            "top": str(top["province_code"]),
            "top_value": float(top["jobs_per_1000_unemployed"]),
            "bottom": str(bottom["province_code"]),
            "bottom_value": float(bottom["jobs_per_1000_unemployed"]),
            "average": average,
        }
        return SlideText(key, title, subtitle, notes, values)

    def _text_quota_ranking(self, key: str) -> SlideText:
        counts = self._quota_counts()
        title = self._m(
            "chart.quota.title", n=self._int(counts["reached"])
        )  # the chart's own message
        subtitle = self._m(
            "deck.scope.quota_subtitle",
            synthetic=self._int(counts["synthetic"]),
            missing=self._int(counts["missing"]),
        )
        d = self.provinces[self.provinces["pct_of_target"].notna()]
        d = d.sort_values(["pct_of_target", "province_code"], kind="mergesort")
        lowest = d.iloc[0] if len(d) else None
        notes = [
            self._m(
                "deck.scope.notes.quota",
                reached=self._spell(counts["reached"]),
                total=self._spell(counts["total"]),
                lowest="—" if lowest is None else self._place(lowest),
                pct="—" if lowest is None else self._pct(lowest["pct_of_target"] / 100),
                missing=self._spell(counts["missing"]),
                synthetic=self._spell(counts["synthetic"]),
            )
        ]
        values = {**counts, "lowest": None if lowest is None else str(lowest["province_code"])}
        return SlideText(key, title, subtitle, notes, values)

    def _text_equity(self, key: str) -> SlideText:
        d = self.provinces[self.provinces["share_of_unemployed"].fillna(0) > 0]
        below = int((d["share_of_jobs"].fillna(0) < d["share_of_unemployed"]).sum())
        title = self._m("chart.equity_provinces.title", n=self._int(below), total=self._int(len(d)))
        values: dict[str, Any] = {"below": below, "total": len(d), "lowest": None}
        if d.empty or d["equity_ratio"].isna().all():
            return SlideText(key, title, self._m("subtitle.equity"), [], values)
        low = d.sort_values(["equity_ratio", "province_code"], kind="mergesort").iloc[0]
        subtitle = self._m(
            "deck.scope.equity_subtitle",
            province=self._place(low),
            ratio=self._num(low["equity_ratio"], 2),
        )
        notes = [
            self._m(
                "deck.scope.notes.equity",
                province=self._place(low),
                unemployed=self._pct(low["share_of_unemployed"]),
                jobs=self._pct(low["share_of_jobs"]),
            )
        ]
        values.update(lowest=str(low["province_code"]), ratio=float(low["equity_ratio"]))
        return SlideText(key, title, subtitle, notes, values)

    def _text_phases(self, key: str) -> SlideText:
        ph = self.phases[self.phases["jobs_per_1000_unemployed"].notna()]
        subtitle = self._m("chart.phase.title")
        if ph.empty or float(ph["jobs_to_date"].sum()) <= 0:
            return SlideText(key, self._m("deck.scope.phases_empty"), subtitle)
        best = ph.sort_values(["jobs_per_1000_unemployed", "phase"], ascending=[False, True]).iloc[
            0
        ]
        title = self._m(
            "deck.scope.phases",
            phase=self._int(best["phase"]),
            value=self._num(best["jobs_per_1000_unemployed"]),
        )
        notes = [
            self._m(
                "deck.scope.notes.phase_row",
                phase=self._int(r["phase"]),
                start=i18n.fmt_month(r["start_month"], self.lang),
                provinces=self._spell(r["provinces"]),
                jobs=self._spell(r["jobs_to_date"]),
                value=self._num(r["jobs_per_1000_unemployed"]),
            )
            for r in self.phases.to_dict("records")
        ]
        values = {
            "best": int(best["phase"]),
            "per_1000": {
                int(r["phase"]): float(r["jobs_per_1000_unemployed"]) for _, r in ph.iterrows()
            },
        }
        return SlideText(key, title, subtitle, notes, values)

    # --- public API ---------------------------------------------------------------------------

    def quota_note(self) -> str:
        """Return what the scope's quota is made of (the national report's note)."""
        from .report_national import quota_note

        return quota_note(self.target, self.lang)

    def headline_numbers(self) -> Html:
        """Return the big numbers of slide 2 and, under them, what the quota is made of."""
        v = self.slide("02_headline").values
        pct = "—" if v["pct"] != v["pct"] else self._pct(v["pct"] / 100)
        numbers = big_numbers(
            [
                (self._int(v["jobs"]), self._m("label.jobs_to_date")),
                (pct, self._m("deck.scope.label.pct")),
                (
                    f"{self._int(v['provinces'])}/{self._int(v['all_provinces'])}",
                    self._m("deck.scope.label.provinces"),
                ),
            ]
        )
        return numbers + bullets([self.quota_note()], css_class="caveats")

    def _scope_caveats(self) -> list[str]:
        counts = self._quota_counts()
        return [
            self._m(
                "deck.scope.caveat.quota",
                missing=self._int(counts["missing"]),
                synthetic=self._int(counts["synthetic"]),
            )
        ]

    def figure(self, key: str) -> Any:
        """Return the interactive (plotly) figure of slide ``key``, sized for the slide.

        The national report's figures (:mod:`awrach_analysis.figures.territory_charts`,
        :func:`~awrach_analysis.documents.report_national.province_map`), in the large type
        of slides, without their own title and source line.
        """
        from ..figures import territory_charts
        from .report_national import province_map

        opts = {"context": "slides", "source": False, "sample": bool(self.program.is_sample)}
        if key == "03_province_map":
            fig = province_map(self.program, self.provinces, self.lang, context="slides")
        elif key == "04_quota_ranking":
            fig = territory_charts.quota_ranking(self.provinces, self.lang, **opts)
        elif key == "05_equity":
            fig = territory_charts.equity_dots(self.provinces, self.lang, **opts)
            rtl = self.lang == "ar"
            # one line above the plot (the slide has no chart title): never over the dots
            fig.update_layout(
                legend={
                    "orientation": "h",
                    "x": 1.0 if rtl else 0.0,
                    "xanchor": "right" if rtl else "left",
                    "y": 1.02,
                    "yanchor": "bottom",
                }
            )
        elif key == "06_phases":
            fig = territory_charts.phase_bars(self.phases, self.lang, **opts)
        else:
            raise AwrachError(f"Slide {key!r} has no figure.")
        return for_slide(fig)

    def print_figure(self, key: str, ax: Any = None) -> Any:
        """Draw the print (matplotlib) figure of slide ``key`` and return its Axes.

        The matplotlib twins of the slide's figures, with their titles and source line.
        """
        from ..figures import maps, territory_charts
        from ..figures.style import source_line

        sample = bool(self.program.is_sample)
        opts = {"context": "print", "sample": sample}
        if key == "03_province_map":
            text = self.slide(key)
            return maps.national_map_mpl(
                self.provinces,
                maps.province_shapes(self.program.communes),
                "jobs_per_1000_unemployed",
                self.lang,
                ax,
                title=text.subtitle,
                source=source_line(self.lang, sample),
            )
        if key == "04_quota_ranking":
            return territory_charts.quota_ranking_mpl(self.provinces, self.lang, ax, **opts)
        if key == "05_equity":
            return territory_charts.equity_dots_mpl(self.provinces, self.lang, ax, **opts)
        if key == "06_phases":
            return territory_charts.phase_bars_mpl(self.phases, self.lang, ax, **opts)
        raise AwrachError(f"Slide {key!r} has no print figure.")


def scope_deck(program: Any, *, as_of: Any = None, lang: str = "ar") -> ScopeDeck:
    """Return the council presentation of a national or regional ``program``.

    Parameters
    ----------
    program : Program
        Loaded data whose ``scope_level`` is ``"national"`` or ``"region"``.
    as_of : str or pandas.Timestamp, optional
        ``"YYYY-MM"``; default the last month with progress reports.
    lang : {"ar", "fr", "en"}, default "ar"
        Language of the deck.

    Returns
    -------
    ScopeDeck

    Raises
    ------
    AwrachError
        For a province's data set (its deck is :func:`slides.council_deck`).
    """
    if program.scope_level == "province":
        raise AwrachError(
            f"{program.province} is a province: its council deck is "
            "slides.council_deck (notebooks/council_presentation.ipynb)."
        )
    return ScopeDeck(program, as_of=as_of, lang=lang)


__all__ = ["SCOPE_DECK", "SCOPE_SLIDES", "SCOPE_PRINT_FIGURES", "ScopeDeck", "scope_deck"]
