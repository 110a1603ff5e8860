"""The programme's roll-out in three phases (2022): which province started when, with sources."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd


@dataclass(frozen=True)
class Phase:
    """One roll-out phase as the press published it."""

    number: int
    start_month: str  # YYYY-MM
    names: tuple[str, ...]  # provinces and prefectures, spelled as published
    source: str


#: The three phases (``../shared/FACTS.md``, "Roll-out by province (2022)"). Names are kept
#: as published; :func:`rollout` matches them to HCP codes with the project's resolver.
PHASES: tuple[Phase, ...] = (
    Phase(
        1,
        "2022-01",
        (
            "M'diq-Fnideq",
            "El Hajeb",
            "Errachidia",
            "Azilal",
            "Nouaceur",
            "Al Haouz",
            "Figuig",
            "Oued Eddahab",
            "Sidi Kacem",
            "Taroudant",
        ),
        "aujourdhui.ma (phase 2 article recalling phase 1)",
    ),
    Phase(
        2,
        "2022-02",
        (
            "Al Hoceima",
            "Chefchaouen",
            "Ouezzane",
            "Guercif",
            "Jerada",
            "Boulemane",
            "Taounate",
            "Moulay Yacoub",
            "Khémisset",
            "Sidi Kacem",
            "Sidi Slimane",
            "Khénifra",
            "Berrechid",
            "Sidi Bennour",
            "Chichaoua",
            "Essaouira",
            "Rehamna",
            "Youssoufia",
            "Ouarzazate",
            "Tinghir",
            "Zagora",
            "Chtouka-Aït Baha",
            "Tata",
            "Sidi Ifni",
            "Es-Semara",
            "Tarfaya",
            "Tiznit",
            "Taourirt",
        ),
        "lavieeco; aujourdhui.ma; hespress (maghress)",
    ),
    Phase(
        3,
        "2022-03",
        (
            "Fahs-Anjra",
            "Larache",
            "Tanger-Assilah",
            "Tétouan",
            "Berkane",
            "Driouch",
            "Nador",
            "Oujda-Angad",
            "Meknès",
            "Fès",
            "Ifrane",
            "Sefrou",
            "Taza",
            "Kénitra",
            "Rabat",
            "Salé",
            "Skhirat-Témara",
            "Béni Mellal",
            "Fquih Ben Salah",
            "Khouribga",
            "Benslimane",
            "El Jadida",
            "Casablanca",
            "Médiouna",
            "Mohammedia",
            "Settat",
            "El Kelâa des Sraghna",
            "Marrakech",
            "Safi",
            "Midelt",
            "Agadir Ida-Outanane",
            "Inezgane-Aït Melloul",
            "Assa-Zag",
            "Guelmim",
            "Tan-Tan",
            "Boujdour",
            "Laâyoune",
            "Aousserd",
        ),
        "telquel (2022-03-01); lapresse.it",
    ),
)

#: Spellings of the press that the HCP names write otherwise (recorded, not guessed).
SPELLINGS: dict[str, str] = {
    "Skhirat-Témara": "Skhirate-Témara",
    "Mohammedia": "Mohammadia",
}

#: Phase of every province the press did not name: the programme went nationwide on
#: 1 March 2022 ("39 provinces, notably…", telquel).
UNNAMED_PHASE = 3


@lru_cache(maxsize=1)
def _rollout() -> pd.DataFrame:
    from .communes import provinces, resolve_province

    rows: dict[str, dict] = {}
    for phase in PHASES:
        for name in phase.names:
            code = resolve_province(SPELLINGS.get(name, name))
            if code in rows:  # Sidi Kacem is in the lists of phases 1 and 2: the first holds
                rows[code]["note"] = f"also listed in phase {phase.number} ({phase.source})"
                continue
            rows[code] = {
                "province_code": code,
                "phase": phase.number,
                "start_month": phase.start_month,
                "published_name": name,
                "source": phase.source,
                "note": "",
            }
    last = PHASES[-1]
    for code in provinces()["code"]:
        if code not in rows:
            rows[code] = {
                "province_code": code,
                "phase": UNNAMED_PHASE,
                "start_month": last.start_month,
                "published_name": "",
                "source": last.source,
                "note": "not named in the press lists: nationwide from 1 March 2022",
            }
    out = pd.DataFrame(sorted(rows.values(), key=lambda r: r["province_code"]))
    out["phase"] = out["phase"].astype("int8")
    return out


def rollout() -> pd.DataFrame:
    """Return the roll-out phase of every province and prefecture (75 rows).

    Returns
    -------
    pandas.DataFrame
        ``province_code``, ``phase`` (1, 2 or 3), ``start_month`` (``YYYY-MM``),
        ``published_name`` (as the press spelled it; empty when not named), ``source`` and
        ``note`` (Sidi Kacem, listed in phases 1 and 2, is in phase 1; provinces the press
        did not name are in phase 3), sorted by code.
    """
    return _rollout().copy()


def phase_of(province_code: str) -> int:
    """Return the roll-out phase (1–3) of the province ``province_code``."""
    table = _rollout()
    match = table.loc[table["province_code"] == province_code, "phase"]
    if match.empty:
        raise KeyError(f"no province {province_code!r} in the roll-out table")
    return int(match.iloc[0])
