"""Build the synthetic sample programme (tables of every wave) from the wave specifications.

:func:`generate` is pure: the same province and seed give the same frames. Writing them out
(CSV, ``dataset.json``, ``README.md``) is :mod:`awrach_analysis.data.sample`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from .. import config
from ..errors import AwrachError
from ..model import schema
from ..reference import facts
from .allocation import allocate, dispersion_factors
from .sample_specs import (
    _ABSENCES,
    _AGE_P,
    _ASSOCIATION_PURPOSES,
    _ASSOCIATION_STEMS,
    _COOPERATIVE_ACTIVITIES,
    _COOPERATIVE_DOMAINS,
    _COOPERATIVE_STEMS,
    _DOMAIN_SIZE,
    _DOMAIN_WEIGHTS,
    _DOMAIN_WOMEN,
    _EDUCATION_P,
    _EXIT_EARLY,
    _EXIT_EARLY_P,
    _PUBLISHED_DOMAINS,
    _SERVICES,
    _SKILLED_DOMAINS,
    _TITLES,
    DAILY_WAGE_MAD,
    GENERATOR,
    LAST_MONTH,
    MIN_JOBS_PER_SITE,
    SUPERVISION_FEE_MAD,
    SYNTHETIC_NOTE,
    SYNTHETIC_WOMEN_SHARE,
    WORKING_DAYS_PER_MONTH,
    _days_in,
    _de,
    _first_day,
    _last_day,
    _month,
    _month_text,
    _province_reference,
    _wave_specs,
    _WaveSpec,
)

# ---------------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------------


@dataclass
class _Project:
    index: int
    commune: int  # row of the communes frame
    domain: str
    planned_jobs: int
    duration: int
    planned_start: int  # month index
    project_id: str = ""
    agreement_id: str = ""
    partner_id: str = ""
    delay: int = 0
    suspended: bool = False
    cancelled: bool = False
    missing_month: int | None = None
    staffed: int = 0
    schedule: list[tuple[int, str, int]] = field(default_factory=list)  # month, state, k


@dataclass
class _Person:
    project: int
    slot: int
    start: int
    end: int
    end_day: int | None
    exit_reason: str
    sex: str = "male"
    age_band: str = "25-34"
    education: str = "none"
    residence: str = ""
    key: str = ""


class _Builder:
    """Accumulate the rows of every table, wave after wave."""

    def __init__(self, code: str, communes: pd.DataFrame, seed: int):
        self.code = code
        self.communes = communes
        self.seed = seed
        self.partners: list[dict[str, Any]] = []
        self.agreements: list[dict[str, Any]] = []
        self.projects: list[dict[str, Any]] = []
        self.progress: list[dict[str, Any]] = []
        self.beneficiaries: list[dict[str, Any]] = []
        self.trouble: dict[str, Any] = {
            "late_start": [],
            "suspended": [],
            "cancelled": [],
            "underfilled": [],
            "missing_report": [],
            "replacements": {},
        }
        self._names: set[str] = set()
        self._counters = {"association": 0, "cooperative": 0}
        self._combo_order: dict[str, list[tuple[int, int]]] = {}
        self._seat = int(np.argmax(communes["population_2024"].to_numpy()))
        # one dispersion factor per commune for the whole data set: a commune whose
        # associations apply a lot does so in every wave, for sites and jobs alike
        self.weight = communes["weight"].to_numpy(dtype=float) * dispersion_factors(
            len(communes), np.random.default_rng([seed, 0])
        )
        self.last_month = _month(LAST_MONTH)
        for sid, fr, ar, _ in _SERVICES:
            self.partners.append(
                {
                    "partner_id": sid,
                    "name_fr": fr,
                    "name_ar": ar,
                    "partner_type": "decentralized_service",
                    "home_commune": communes["parent_commune_code"].iloc[self._seat],
                }
            )
        self.wave_partners: dict[int, list[str]] = {}

    # --- names --------------------------------------------------------------------------

    def _new_partner(self, kind: str, commune: int, rng: np.random.Generator) -> str:
        stems, purposes = (
            (_ASSOCIATION_STEMS, _ASSOCIATION_PURPOSES)
            if kind == "association"
            else (_COOPERATIVE_STEMS, _COOPERATIVE_ACTIVITIES)
        )
        if kind not in self._combo_order:
            combos = [(i, j) for i in range(len(stems)) for j in range(len(purposes))]
            self._combo_order[kind] = [combos[i] for i in rng.permutation(len(combos))]
        cfr = self.communes["place_fr"].iloc[commune]
        car = self.communes["place_ar"].iloc[commune]
        order = self._combo_order[kind]
        for attempt in range(len(order) * 10):
            i, j = order[(self._counters[kind] + attempt) % len(order)]
            suffix = "" if attempt < len(order) else f" {attempt // len(order) + 1}"
            if kind == "association":
                fr = f"Association {stems[i][0]} {purposes[j][0]} {_de(cfr)}{suffix}"
                ar = f"جمعية {stems[i][1]} {purposes[j][1]} ب{car}{suffix}"
            else:
                fr = f"Coopérative {purposes[j][0]} {stems[i][0]} {_de(cfr)}{suffix}"
                ar = f"تعاونية {stems[i][1]} {purposes[j][1]} ب{car}{suffix}"
            if fr not in self._names:
                break
        self._names.add(fr)
        self._counters[kind] += 1
        prefix = "ASSO" if kind == "association" else "COOP"
        pid = f"{prefix}-{self._counters[kind]:03d}"
        self.partners.append(
            {
                "partner_id": pid,
                "name_fr": fr,
                "name_ar": ar,
                "partner_type": kind,
                "home_commune": self.communes["commune_code"].iloc[commune],
            }
        )
        return pid

    # --- one wave -----------------------------------------------------------------------

    def add_wave(self, spec: _WaveSpec) -> None:
        """Generate every row of one wave."""
        rng = np.random.default_rng([self.seed, spec.wave])
        projects = self._projects(spec, rng)
        self._partners_and_agreements(spec, projects, rng)
        self._inject_trouble(spec, projects, rng)
        people = self._people(spec, projects, rng)
        self._describe_people(spec, projects, people, rng)
        self._progress_rows(spec, projects, people, rng)

    def _projects(self, spec: _WaveSpec, rng: np.random.Generator) -> list[_Project]:
        """Draw the wave's sites: commune, domain, planned jobs, duration and start.

        Sites and jobs go to units (communes; in the six divided cities, arrondissements
        and a small share to the city's own code) by the samples' allocation rule
        (:mod:`~awrach_analysis.data.allocation`): in proportion to the commune's unemployed
        times one log-normal factor per commune, the same for sites and jobs in every wave, with
        one site per commune first when the wave covers every commune. Within a commune the
        jobs are split between its sites by domain (manual works employ more) and chance,
        each site getting a few positions at least.
        """
        n_c = len(self.communes)
        weight = self.weight
        per_commune = allocate(
            weight, spec.projects, rng, dispersion=0, minimum=1 if spec.every_commune else 0
        )
        communes = np.repeat(np.arange(n_c), per_commune)
        domains = list(_DOMAIN_WEIGHTS)
        p = np.array(list(_DOMAIN_WEIGHTS.values()))
        drawn = [domains[i] for i in rng.choice(len(domains), spec.projects, p=p / p.sum())]
        # every published domain appears at least once (as far as there are projects)
        wanted = _PUBLISHED_DOMAINS[: spec.projects]
        for dom in wanted:
            if dom not in drawn:
                counts = pd.Series(drawn).value_counts()
                donor = next(i for i, d in enumerate(drawn) if d not in wanted or counts[d] > 1)
                drawn[donor] = dom
        size = np.array([_DOMAIN_SIZE[d] for d in drawn]) * rng.lognormal(0, 0.35, spec.projects)
        least = min(MIN_JOBS_PER_SITE, spec.planned_jobs // spec.projects)
        # a commune's jobs follow the same weight as its sites; communes without a site get none
        with_site = np.where(per_commune > 0, weight, 0.0)
        if with_site.sum() <= 0:
            with_site = (per_commune > 0).astype(float)
        per_commune_jobs = allocate(
            with_site, spec.planned_jobs, rng, dispersion=0, minimum=least * per_commune
        )
        jobs = np.zeros(spec.projects, dtype=np.int64)
        for c in np.flatnonzero(per_commune):
            sites = np.flatnonzero(communes == c)
            jobs[sites] = allocate(
                size[sites], int(per_commune_jobs[c]), rng, dispersion=0, minimum=least
            )
        sw = np.array(spec.start_weights)
        starts = rng.choice(len(spec.start_months), spec.projects, p=sw / sw.sum())
        # the last start month always has a site (so that the wave reaches its last month)
        # and, when there are enough sites, so has every other one: take a site from the
        # most crowded start month (no random draw, so a non-empty draw is left as it is)
        n_starts = len(spec.start_months)
        for s in reversed(range(n_starts)):
            counts = np.bincount(starts, minlength=n_starts)
            if counts[s] == 0 and (s == n_starts - 1 or spec.projects >= n_starts):
                donor = int(np.argmax(counts))
                if counts[donor] > 1 or s == n_starts - 1:
                    starts[np.flatnonzero(starts == donor)[-1]] = s
        dw = np.array(spec.duration_weights)
        durations = rng.choice(len(spec.durations), spec.projects, p=dw / dw.sum())
        width = max(3, len(str(spec.projects)))
        yy = spec.wave % 100
        out = []
        for i in range(spec.projects):
            proj = _Project(
                index=i,
                commune=int(communes[i]),
                domain=drawn[i],
                planned_jobs=int(jobs[i]),
                duration=int(spec.durations[durations[i]]),
                planned_start=_month(spec.start_months[starts[i]]),
            )
            proj.project_id = f"P{yy}-{i + 1:0{width}d}"
            proj.agreement_id = f"A{yy}-{i + 1:0{width}d}"
            out.append(proj)
        return out

    def _partners_and_agreements(
        self, spec: _WaveSpec, projects: list[_Project], rng: np.random.Generator
    ) -> None:
        n, k = len(projects), spec.partners
        sizes = np.ones(k, dtype=int)
        perm = rng.permutation(k)
        for e in range(n - k):
            sizes[perm[e % k]] += 1
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        groups = [list(range(bounds[g], bounds[g + 1])) for g in range(k)]
        # cooperatives take the groups with the most manual work
        manual = [
            sum(projects[i].domain in _COOPERATIVE_DOMAINS for i in grp) / len(grp)
            for grp in groups
        ]
        coop_groups = set(
            np.argsort(-np.array(manual) + rng.uniform(0, 0.01, k), kind="stable")[
                : spec.cooperatives
            ].tolist()
        )
        previous = [pid for w, ids in self.wave_partners.items() if w < spec.wave for pid in ids]
        homes = {p["partner_id"]: p["home_commune"] for p in self.partners}
        used: set[str] = set()
        ids: list[str] = []
        for g, grp in enumerate(groups):
            first = projects[grp[0]]
            kind = "cooperative" if g in coop_groups else "association"
            home = self.communes["commune_code"].iloc[first.commune]
            reuse = [
                pid
                for pid in previous
                if pid not in used and homes[pid] == home and pid.startswith(kind[:4].upper())
            ]
            if reuse and rng.uniform() < spec.reuse_share:
                pid = reuse[0]
            else:
                pid = self._new_partner(kind, first.commune, rng)
            used.add(pid)
            ids.append(pid)
            for i in grp:
                projects[i].partner_id = pid
        self.wave_partners[spec.wave] = ids

        sign_first = _month(spec.sign_window[0])
        sign_last = _month(spec.sign_window[1])
        for proj in projects:
            services = [s for s in _SERVICES if proj.domain in s[3]]
            cos = [services[int(rng.integers(len(services)))][0]]
            if rng.uniform() < 0.3:
                other = [s[0] for s in _SERVICES if s[0] not in cos]
                cos.append(other[int(rng.integers(len(other)))])
            first = sign_first
            if spec.sign_lead_months > 0:
                first = max(sign_first, proj.planned_start - spec.sign_lead_months)
            first_day = _first_day(first)
            week_before = _first_day(proj.planned_start).toordinal() - 7
            last_day = min(_last_day(sign_last), date.fromordinal(week_before))
            signed = date.fromordinal(
                int(rng.integers(first_day.toordinal(), last_day.toordinal() + 1))
            )
            wage = DAILY_WAGE_MAD.get(spec.wave, max(DAILY_WAGE_MAD.values()))
            person_months = proj.planned_jobs * proj.duration
            monthly = WORKING_DAYS_PER_MONTH * wage + SUPERVISION_FEE_MAD
            budget = round(person_months * monthly, -2)
            self.agreements.append(
                {
                    "agreement_id": proj.agreement_id,
                    "signed_on": signed,
                    "partner_id": proj.partner_id,
                    "cosigners": ";".join(sorted(cos)),
                    "budget_mad": float(budget),
                    "wave": spec.wave,
                }
            )
            title_fr, title_ar = self._title(proj, rng)
            self.projects.append(
                {
                    "project_id": proj.project_id,
                    "agreement_id": proj.agreement_id,
                    "title_fr": title_fr,
                    "title_ar": title_ar,
                    "domain": proj.domain,
                    "commune_code": self.communes["commune_code"].iloc[proj.commune],
                    "planned_start": _first_day(proj.planned_start),
                    "planned_end": _last_day(proj.planned_start + proj.duration - 1),
                    "planned_jobs": proj.planned_jobs,
                    "planned_person_months": float(person_months),
                    "budget_mad": float(budget),
                }
            )

    def _title(self, proj: _Project, rng: np.random.Generator) -> tuple[str, str]:
        templates = _TITLES[proj.domain]
        cfr = self.communes["place_fr"].iloc[proj.commune]
        car = self.communes["place_ar"].iloc[proj.commune]
        start = int(rng.integers(len(templates)))
        for lot in range(1, 1000):
            for t in range(len(templates)):
                tfr, tar = templates[(start + t) % len(templates)]
                fr, ar = tfr.format(fr=cfr), tar.format(ar=car)
                if lot > 1:
                    fr, ar = f"{fr} (lot {lot})", f"{ar} (الشطر {lot})"
                if fr not in self._names:
                    self._names.add(fr)
                    return fr, ar
        raise AwrachError("could not make a unique project title")  # pragma: no cover

    def _inject_trouble(
        self, spec: _WaveSpec, projects: list[_Project], rng: np.random.Generator
    ) -> None:
        order = [projects[i] for i in rng.permutation(len(projects))]
        taken: set[int] = set()

        def pick(count: int, ok) -> list[_Project]:
            chosen = []
            for proj in order:
                if len(chosen) == count:
                    break
                if proj.index not in taken and ok(proj):
                    chosen.append(proj)
                    taken.add(proj.index)
            return sorted(chosen, key=lambda p: p.index)

        last = self.last_month
        t = spec.trouble
        big_enough = len(projects) >= 10
        median_jobs = float(np.median([p.planned_jobs for p in projects]))
        for proj in pick(t.cancelled if big_enough else 0, lambda p: p.duration >= 4):
            proj.cancelled = True
            self.trouble["cancelled"].append(proj.project_id)
        for proj in pick(
            t.suspended if big_enough else 0,
            # a smaller site: its second team must fit in the published number of people
            lambda p: (
                p.duration >= 4
                and p.planned_start + p.duration + 2 <= last
                and p.planned_jobs <= median_jobs
            ),
        ):
            proj.suspended = True
            self.trouble["suspended"].append(proj.project_id)
        delays = (2, 3, 4, 2)
        n_late = min(t.late_start, max(1, len(projects) // 10))

        def room(p: _Project) -> int:
            """Months a site can start late and still end by ``LAST_MONTH``."""
            return last - (p.planned_start + p.duration - 1)

        # only sites with room for a real delay (two months at least) start late
        for n, proj in enumerate(pick(n_late, lambda p: room(p) >= min(delays))):
            proj.delay = min(delays[n % len(delays)], room(proj))
            self.trouble["late_start"].append(
                {"project_id": proj.project_id, "delay_months": proj.delay}
            )
        n_missing = min(t.missing_report, max(1, len(projects) // 20))
        for proj in pick(n_missing, lambda p: p.duration >= 3):
            proj.missing_month = (
                1 if proj.duration <= 3 else int(rng.integers(1, proj.duration - 1))
            )

        # schedules: (month, state, working index)
        for proj in projects:
            m0 = proj.planned_start + proj.delay
            if proj.cancelled:
                work = 2
                proj.schedule = [(m0 + k, "working", k) for k in range(work)]
                proj.schedule.append((m0 + work, "cancelled", work - 1))
            elif proj.suspended:
                before, pause = 2, 2
                proj.schedule = [(m0 + k, "working", k) for k in range(before)]
                proj.schedule += [(m0 + before + k, "suspended", before - 1) for k in range(pause)]
                proj.schedule += [
                    (m0 + pause + k, "working", k) for k in range(before, proj.duration)
                ]
            else:
                proj.schedule = [(m0 + k, "working", k) for k in range(proj.duration)]
            if proj.schedule[-1][0] > last:
                raise AwrachError(f"{proj.project_id} would run past {LAST_MONTH}")
        for proj in projects:
            if proj.missing_month is not None:
                month = proj.schedule[proj.missing_month][0]
                self.trouble["missing_report"].append(
                    {"project_id": proj.project_id, "month": _month_text(month)}
                )

        # under-filled sites: enough of them that replacements are needed to reach the
        # published number of distinct beneficiaries
        for proj in projects:
            proj.staffed = proj.planned_jobs
        rehired = sum(p.planned_jobs for p in projects if p.suspended)
        minimum_replacements = max(2, round(0.02 * spec.beneficiaries))
        under: list[_Project] = []
        candidates = [
            p for p in order if p.index not in taken and p.planned_jobs >= 6 and p.duration >= 2
        ]
        # larger sites first (stable: otherwise in random order), so that a few sites
        # account for the shortfall
        candidates.sort(key=lambda p: p.planned_jobs < 12)

        def replacements() -> int:
            return spec.beneficiaries - sum(p.staffed for p in projects) - rehired

        while candidates and (len(under) < t.underfilled or replacements() < minimum_replacements):
            proj = candidates.pop(0)
            loss = round(proj.planned_jobs * rng.uniform(0.2, 0.4))
            proj.staffed = proj.planned_jobs - min(max(loss, 1), int(proj.planned_jobs * 0.45))
            taken.add(proj.index)
            under.append(proj)
        if replacements() < 0:
            raise AwrachError("the sample cannot reach its beneficiaries figure")
        for proj in sorted(under, key=lambda p: p.index):
            self.trouble["underfilled"].append(
                {
                    "project_id": proj.project_id,
                    "planned_jobs": proj.planned_jobs,
                    "staffed": proj.staffed,
                }
            )
        self._replacements = replacements()
        self.trouble["replacements"][str(spec.wave)] = self._replacements

    def _people(
        self, spec: _WaveSpec, projects: list[_Project], rng: np.random.Generator
    ) -> list[_Person]:
        people: list[_Person] = []
        slots: list[tuple[int, int]] = []  # (project index, person index) eligible to leave
        for proj in projects:
            working = [m for m, state, _ in proj.schedule if state == "working"]
            if proj.suspended:
                pause_start = next(m for m, s, _ in proj.schedule if s == "suspended")
                segments = [
                    ([m for m in working if m < pause_start], "project_stopped"),
                    ([m for m in working if m > pause_start], "contract_end"),
                ]
            elif proj.cancelled:
                segments = [(working, "project_stopped")]
            else:
                segments = [(working, "contract_end")]
            for seg, reason in segments:
                for s in range(proj.staffed):
                    people.append(_Person(proj.index, s, seg[0], seg[-1], None, reason))
                    if not (proj.suspended or proj.cancelled) and len(seg) >= 2:
                        slots.append((proj.index, len(people) - 1))
        if self._replacements > len(slots):
            raise AwrachError("not enough positions for the replacements")  # pragma: no cover
        chosen = sorted(rng.choice(len(slots), self._replacements, replace=False).tolist())
        for c in chosen:
            _, who = slots[c]
            leaver = people[who]
            leave = int(rng.integers(leaver.start, leaver.end))
            successor = _Person(
                leaver.project, leaver.slot, leave + 1, leaver.end, None, "contract_end"
            )
            leaver.end = leave
            leaver.end_day = int(rng.integers(3, 27))
            leaver.exit_reason = _EXIT_EARLY[int(rng.choice(len(_EXIT_EARLY), p=_EXIT_EARLY_P))]
            people.append(successor)
        if len(people) != spec.beneficiaries:
            raise AwrachError("beneficiary count mismatch")  # pragma: no cover
        people.sort(key=lambda p: (p.project, p.start, p.slot))
        width = max(4, len(str(len(people))))
        for n, person in enumerate(people, start=1):
            person.key = f"B{spec.wave % 100}-{n:0{width}d}"
        return people

    def _describe_people(
        self,
        spec: _WaveSpec,
        projects: list[_Project],
        people: list[_Person],
        rng: np.random.Generator,
    ) -> None:
        n = len(people)
        w = np.array([_DOMAIN_WOMEN[projects[p.project].domain] for p in people])
        women = set(rng.choice(n, spec.women, replace=False, p=w / w.sum()).tolist())
        bands = list(schema.AGE_BANDS)
        levels = list(schema.EDUCATION_LEVELS)
        ages = rng.choice(len(bands), n, p=_AGE_P)
        pop = self.communes["population_2024"].to_numpy(dtype=float)
        codes = self.communes["commune_code"].to_numpy()
        for i, person in enumerate(people):
            proj = projects[person.project]
            person.sex = "female" if i in women else "male"
            person.age_band = bands[ages[i]]
            kind = "skilled" if proj.domain in _SKILLED_DOMAINS else "manual"
            person.education = levels[int(rng.choice(len(levels), p=_EDUCATION_P[kind]))]
            if len(codes) > 1 and rng.uniform() < 0.1:
                others = np.delete(np.arange(len(codes)), proj.commune)
                ow = pop[others]
                person.residence = codes[int(rng.choice(others, p=ow / ow.sum()))]
            else:
                person.residence = codes[proj.commune]
            self.beneficiaries.append(
                {
                    "beneficiary_key": person.key,
                    "project_id": proj.project_id,
                    "sex": person.sex,
                    "age_band": person.age_band,
                    "education": person.education,
                    "residence_commune": person.residence,
                    "start_date": _first_day(person.start),
                    "end_date": (
                        _last_day(person.end)
                        if person.end_day is None
                        else _first_day(person.end).replace(day=person.end_day)
                    ),
                    "exit_reason": person.exit_reason,
                }
            )

    def _progress_rows(
        self,
        spec: _WaveSpec,
        projects: list[_Project],
        people: list[_Person],
        rng: np.random.Generator,
    ) -> None:
        wage = DAILY_WAGE_MAD.get(spec.wave, max(DAILY_WAGE_MAD.values()))
        young = set(schema.YOUNG_AGE_BANDS)
        month_stats: dict[tuple[int, int], list[float]] = {}
        for person in people:
            for m in range(person.start, person.end + 1):
                full = WORKING_DAYS_PER_MONTH
                if m == person.end and person.end_day is not None:
                    full = round(WORKING_DAYS_PER_MONTH * person.end_day / _days_in(m))
                days = max(1, full - int(rng.choice(_ABSENCES)))
                stats = month_stats.setdefault((person.project, m), [0, 0, 0, 0.0])
                stats[0] += 1
                stats[1] += person.sex == "female"
                stats[2] += person.age_band in young
                stats[3] += days
        for proj in projects:
            gamma = rng.uniform(0.8, 1.25)
            working_months = {m for m, s, _ in proj.schedule if s == "working"}
            for p, m in month_stats:
                if p == proj.index and m not in working_months:
                    raise AwrachError("a beneficiary works outside the schedule")
            for pos, (m, state, k) in enumerate(proj.schedule):
                if pos == proj.missing_month:
                    continue
                jobs, women, youth, days = month_stats.get((proj.index, m), [0, 0, 0, 0.0])
                if state != "working":
                    jobs = women = youth = 0
                    days = 0.0
                pct = round(100 * ((k + 1) / proj.duration) ** gamma, 1)
                if state == "working" and pos == len(proj.schedule) - 1:
                    status = "completed"
                else:
                    status = {
                        "working": "ongoing",
                        "suspended": "suspended",
                        "cancelled": "cancelled",
                    }[state]
                self.progress.append(
                    {
                        "project_id": proj.project_id,
                        "month": _first_day(m),
                        "jobs_filled": jobs,
                        "women": women,
                        "youth": youth,
                        "person_days": float(days),
                        "wages_paid_mad": round(days * wage, 2),
                        "physical_progress_pct": 100.0 if status == "completed" else min(pct, 99.0),
                        "status": status,
                    }
                )

    # --- output -------------------------------------------------------------------------

    def targets(self, specs: list[_WaveSpec]) -> list[dict[str, Any]]:
        rows = [dict(t) for t in facts.PUBLISHED_TARGETS if t["scope"] == "national"]
        for spec in specs:
            rows.append(
                {
                    "target_id": f"T-{self.code}-{spec.wave}",
                    "scope": "province",
                    "scope_code": self.code,
                    "wave": spec.wave,
                    "period_start": f"{spec.wave}-01",
                    "period_end": f"{spec.wave}-12",
                    "jobs_target": spec.target,
                    "source": spec.target_source,
                }
            )
        return rows


def _frame(rows: list[dict[str, Any]], table: str) -> pd.DataFrame:
    t = schema.TABLES[table]
    df = pd.DataFrame(rows, columns=t.column_names)
    df = schema.coerce(df, t)
    return df.sort_values(list(t.key), ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def generate(
    province: str = config.DEFAULT_PROVINCE_CODE, seed: int = config.DEFAULT_SEED
) -> dict[str, Any]:
    """Generate a deterministic sample data set for ``province``.

    Parameters
    ----------
    province : str
        Province name (any spelling the commune resolver accepts) or HCP code. For Khénifra
        (``05.301``, the default) the published facts are reproduced exactly; any other
        province gets the same structure scaled by population.
    seed : int
        Random seed; the same seed gives the same tables.

    Returns
    -------
    dict
        ``partners, agreements, projects, progress, beneficiaries, targets``: DataFrames with
        the canonical columns and dtypes of :data:`awrach_analysis.model.schema.TABLES`, sorted by
        key; and ``meta``: the contents of ``dataset.json`` (province, seed, reproduced
        fact keys, trouble injected, synthetic parameters).

    Raises
    ------
    awrach_analysis.errors.UnknownNameError
        When ``province`` is not a known province.
    """
    code, name, communes = _province_reference(province)
    specs, fact_keys = _wave_specs(code, communes)
    builder = _Builder(code, communes, int(seed))
    for spec in specs:
        builder.add_wave(spec)
    tables: dict[str, Any] = {
        "partners": _frame(builder.partners, "partners"),
        "agreements": _frame(builder.agreements, "agreements"),
        "projects": _frame(builder.projects, "projects"),
        "progress": _frame(builder.progress, "progress"),
        "beneficiaries": _frame(builder.beneficiaries, "beneficiaries"),
        "targets": _frame(builder.targets(specs), "targets"),
    }
    as_of = tables["progress"]["month"].max()
    tables["meta"] = {
        "province_code": code,
        "province": name,
        "is_sample": True,
        "generator": GENERATOR,
        "seed": int(seed),
        "synthetic_note": SYNTHETIC_NOTE,
        "facts": fact_keys,
        "as_of": as_of.strftime("%Y-%m"),
        "trouble": builder.trouble,
        "parameters": {
            "daily_wage_mad": {str(k): v for k, v in DAILY_WAGE_MAD.items()},
            "working_days_per_month": WORKING_DAYS_PER_MONTH,
            "supervision_fee_mad_per_person_month": SUPERVISION_FEE_MAD,
            "synthetic_women_share": SYNTHETIC_WOMEN_SHARE,
        },
        "communes": len(communes),
    }
    return tables
