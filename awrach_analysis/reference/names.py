"""Normalise French and Arabic place names and resolve them to HCP codes, exactly.

Two spellings of a name are the same when their *keys* are equal. The key ignores case,
accents, Arabic diacritics and letter variants, spaces, hyphens, apostrophes and doubled
letters, and folds a few systematic transliteration variants (``Ouled``/``Oulad``,
``My``/``Moulay``, ``Th``/``T``...). Anything looser is only ever *suggested*: a name
whose key is not in the index raises :class:`~awrach_analysis.errors.UnknownNameError`
listing the closest names, and is never accepted silently.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import AmbiguousNameError, UnknownNameError

# ---------------------------------------------------------------------------------------
# Text normalisation
# ---------------------------------------------------------------------------------------

#: Arabic harakat, Quranic marks, superscript alef and tatweel: dropped from keys.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")

#: Arabic letter variants folded to one letter (hamza seats, alef maqsura, ta marbuta,
#: and the Persian/Maghrebi letters used for g, k, y and v).
_ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        "ۀ": "ه",
        "ک": "ك",
        "ڭ": "ك",
        "ݣ": "ك",
        "گ": "ك",
        "ڤ": "ف",
    }
)

#: Whole-word equivalents in French transliterations (variant -> canonical form).
TOKEN_SYNONYMS: dict[str, str] = {
    "ouled": "oulad",
    "ouleds": "oulad",
    "ulad": "oulad",
    "my": "moulay",
    "mly": "moulay",
    "moulai": "moulay",
    "beni": "bni",
    "bani": "bni",
    "ouad": "oued",
    "wad": "oued",
    "wadi": "oued",
    "abdallah": "abdellah",
    "abdillah": "abdellah",
}

#: Letter groups written two ways in French transliterations, folded in every word
#: (applied in order, after accents are removed).
_LATIN_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("th", "t"),  # Thighza / Tighza (Amazigh spirant t)
    ("rh", "gh"),  # Rhafsai / Ghafsai, Irhzrane / Ighzrane (French notation of ghayn)
    ("y", "i"),  # Yahya / Yahia
)

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_ARABIC_CHAR = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_DOUBLED = re.compile(r"(.)\1+")

#: Leading words that say what kind of unit a name is; removed when the full name is
#: not itself a known name. Written as folded words (see :func:`_words`).
COMMUNE_PREFIXES: tuple[str, ...] = (
    "commune rurale de",
    "commune rurale d",
    "commune rurale",
    "commune urbaine de",
    "commune urbaine d",
    "commune urbaine",
    "commune territoriale de",
    "commune territoriale d",
    "commune de",
    "commune d",
    "commune",
    "municipalite de",
    "municipalite d",
    "municipalite",
    "cr",
    "cu",
    "الجماعه الترابيه",
    "الجماعه القرويه",
    "الجماعه الحضريه",
    "جماعه قرويه",
    "جماعه حضريه",
    "جماعه ترابيه",
    "الجماعه",
    "جماعه",
    "بلديه",
)
PROVINCE_PREFIXES: tuple[str, ...] = (
    "province de",
    "province d",
    "province du",
    "province",
    "prefecture de",
    "prefecture d",
    "prefecture du",
    "prefecture",
    "الاقليم",
    "اقليم",
    "عماله",
)
#: Trailing words marking an urban centre ("Thighza (Centre)", "تيغزة المركز").
CENTRE_SUFFIXES: tuple[str, ...] = ("centre", "المركز", "مركز")


def is_arabic(text: str) -> bool:
    """Return True when ``text`` contains Arabic letters."""
    return bool(_ARABIC_CHAR.search(text or ""))


def fold_arabic(text: str) -> str:
    """Fold Arabic spelling variants: diacritics, tatweel, hamza seats, ى, ة, Maghrebi letters.

    Parameters
    ----------
    text : str
        Any text; non-Arabic characters pass through unchanged.

    Returns
    -------
    str
        The text with ``أ إ آ ٱ`` -> ``ا``, ``ى``/``ئ`` -> ``ي``, ``ؤ`` -> ``و``, ``ة`` -> ``ه``,
        ``ڭ``/``گ`` -> ``ك``, and harakat and tatweel removed.
    """
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)


def fold_latin(text: str) -> str:
    """Return ``text`` without accents (``é`` -> ``e``, ``â`` -> ``a``), Arabic untouched."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not (unicodedata.combining(ch) and not is_arabic(ch)))


def fold_text(text: str) -> str:
    """Return ``text`` folded for comparison: case, accents, ligatures and Arabic variants.

    The one text folding of the package: place names (:func:`name_key`) and headers,
    table names and category labels (``data.parse.normalise``) are both built on it.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        NFKC-normalised, case-folded, Latin accents removed (:func:`fold_latin`), Arabic
        diacritics and letter variants folded (:func:`fold_arabic`), ``œ``/``æ`` spelled out.
    """
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = fold_arabic(fold_latin(text))
    return text.replace("œ", "oe").replace("æ", "ae")


def _words(text: str) -> list[str]:
    """Return the folded words of ``text``: case, accents and Arabic variants folded."""
    return _TOKEN.findall(fold_text(text))


def _fold_word(word: str) -> str:
    word = TOKEN_SYNONYMS.get(word, word)
    if word.isascii():
        for old, new in _LATIN_DIGRAPHS:
            word = word.replace(old, new)
    return word


def _key_of_words(words: Sequence[str]) -> str:
    return _DOUBLED.sub(r"\1", "".join(_fold_word(w) for w in words))


def name_key(text: str) -> str:
    """Return the comparison key of a place name.

    Two names resolve to the same place only if their keys are equal.

    Parameters
    ----------
    text : str
        A French or Arabic name, in any case, with or without accents, hyphens,
        apostrophes or spaces.

    Returns
    -------
    str
        Lower-case letters and digits only, Arabic folded (see :func:`fold_arabic`),
        transliteration variants folded (see :data:`TOKEN_SYNONYMS`), doubled letters
        collapsed.

    Examples
    --------
    >>> name_key("M'Rirt") == name_key("MRIRT")
    True
    >>> name_key("Had Bou Hssoussen") == name_key("Had Bouhssoussen")
    True
    >>> name_key("سيدي يحيى أوساعد") == name_key("سيدي يحيي او ساعد")
    True
    """
    return _key_of_words(_words(text))


def name_keys(text: str, prefixes: Iterable[str] = ()) -> list[str]:
    """Return the keys to try for ``text``: as written, then without a kind-of-unit prefix.

    Parameters
    ----------
    text : str
        The name as given by a user.
    prefixes : iterable of str
        Leading words to strip (:data:`COMMUNE_PREFIXES`, :data:`PROVINCE_PREFIXES`),
        tried longest first; ``"(Centre)"``/``"المركز"`` suffixes are stripped too.

    Returns
    -------
    list of str
        Distinct non-empty keys, the full name's first.
    """
    words = _words(text)
    keys = [_key_of_words(words)]
    core = list(words)
    for prefix in sorted(prefixes, key=lambda p: -len(p.split())):
        head = prefix.split()
        if len(core) > len(head) and core[: len(head)] == head:
            core = core[len(head) :]
            break
    if len(core) > 1 and core[-1] in CENTRE_SUFFIXES:
        core = core[:-1]
    keys.append(_key_of_words(core))
    return [k for k in dict.fromkeys(keys) if k]


# ---------------------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------------------


#: Tiers of a name, best first: the official HCP name, another spelling of the same
#: unit, a place inside it (urban centre, arrondissement).
TIER_OFFICIAL, TIER_VARIANT, TIER_PART = 0, 1, 2


@dataclass(frozen=True)
class _Entry:
    code: str
    tier: int
    scope: str


class NameIndex:
    """Exact lookup of place names by key, with suggestions for names not found.

    Parameters
    ----------
    kind : str
        What the index holds, for messages (``"commune"``, ``"province"``).
    prefixes : sequence of str
        Leading kind-of-unit words to strip from queries (see :func:`name_keys`).

    Notes
    -----
    Each name is stored with the code it stands for, a tier (:data:`TIER_OFFICIAL`,
    :data:`TIER_VARIANT`, :data:`TIER_PART`) and a scope (the province code for
    communes). A query is answered from the best tier that has the key; two different
    codes in that tier make the query ambiguous.
    """

    def __init__(self, kind: str, prefixes: Sequence[str] = ()):
        self.kind = kind
        self.prefixes = tuple(prefixes)
        self._entries: dict[str, set[_Entry]] = defaultdict(set)
        self._labels: dict[str, tuple[str, str, str]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, name: object, code: str, *, tier: int = TIER_OFFICIAL, scope: str = "") -> None:
        """Register ``name`` as a spelling of the unit ``code``.

        Parameters
        ----------
        name : object
            The name; ``None``, NA and empty strings are ignored.
        code : str
            HCP code the name stands for.
        tier : int
            :data:`TIER_OFFICIAL`, :data:`TIER_VARIANT` or :data:`TIER_PART`.
        scope : str
            Where the name is valid (province code for communes, ``""`` for provinces).
        """
        if not isinstance(name, str) or not name.strip():
            return
        key = name_key(name)
        if key:
            self._entries[key].add(_Entry(code, tier, scope))

    def set_label(self, code: str, fr: str, ar: str = "", context: str = "") -> None:
        """Set how ``code`` is named in messages (French, Arabic, and where it is)."""
        self._labels[code] = (fr, ar or fr, context)

    def label(self, code: str, arabic: bool = False, with_code: bool = False) -> str:
        """Return the display name of ``code`` (Arabic when ``arabic``), optionally with code."""
        fr, ar, context = self._labels.get(code, (code, code, ""))
        text = ar if arabic else fr
        if with_code:
            text += f" ({code}" + (f", {context}" if context else "") + ")"
        return text

    def codes(self) -> set[str]:
        """Return every code the index can resolve to."""
        return {e.code for entries in self._entries.values() for e in entries}

    def lookup(self, name: str, scope: str | None = None) -> list[str]:
        """Return the codes ``name`` stands for at its best tier (empty if none).

        Parameters
        ----------
        name : str
            The name to look up.
        scope : str, optional
            Restrict to entries of this scope (province code).

        Returns
        -------
        list of str
            Sorted distinct codes; more than one means the name is ambiguous.
        """
        for key in name_keys(name, self.prefixes):
            entries = [e for e in self._entries.get(key, ()) if scope is None or e.scope == scope]
            if entries:
                best = min(e.tier for e in entries)
                return sorted({e.code for e in entries if e.tier == best})
        return []

    def suggestions(self, name: str, scope: str | None = None, n: int = 5) -> list[str]:
        """Return up to ``n`` display names close to ``name`` (never used to resolve)."""
        keys = [
            k
            for k, entries in self._entries.items()
            if scope is None or any(e.scope == scope for e in entries)
        ]
        arabic = is_arabic(name)
        found: list[str] = []
        for query in name_keys(name, self.prefixes):
            for key in difflib.get_close_matches(query, keys, n=n * 2, cutoff=0.6):
                entries = [e for e in self._entries[key] if scope is None or e.scope == scope]
                best = min(e.tier for e in entries)
                codes = sorted({e.code for e in entries if e.tier == best})
                for code in codes:
                    label = self.label(code, arabic=arabic, with_code=len(codes) > 1)
                    if label not in found:
                        found.append(label)
        return found[:n]

    def resolve(self, name: str, scope: str | None = None, where: str = "") -> str:
        """Return the single code ``name`` stands for.

        Parameters
        ----------
        name : str
            The name to resolve.
        scope : str, optional
            Restrict to one scope (province code).
        where : str
            Words naming the scope for messages (``"in Khénifra (05.301)"``).

        Returns
        -------
        str
            The HCP code.

        Raises
        ------
        UnknownNameError
            No name has the same key; ``candidates`` lists the closest names.
        AmbiguousNameError
            The name stands for several units; ``candidates`` lists them with codes.
        """
        kind = f"{self.kind} {where}".strip()
        codes = self.lookup(name, scope)
        if len(codes) == 1:
            return codes[0]
        if codes:
            arabic = is_arabic(name)
            hint = (
                "Pass the province as well, or give the HCP code."
                if scope is None
                else "Give the HCP code instead."
            )
            raise AmbiguousNameError(
                name, kind, [self.label(c, arabic, with_code=True) for c in codes], hint
            )
        raise UnknownNameError(name, kind, self.suggestions(name, scope))
