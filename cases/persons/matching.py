"""Name keys that survive transliteration, and the scoring of possible duplicates.

Names of people in exile reach us through French, Dutch or English ears and are written
in many ways (Mohammed / Muhammad / Mohamed, Abdelrahman / Abdul Rahman, Yonas /
Yohannes). A key keeps a name's consonant skeleton after folding the letters that
transliterations swap; two names whose keys are equal or close are proposed as the same.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

# Digraphs and letters that different transliterations render differently, folded to one.
_FOLDS = [
    ("sch", "s"),
    ("sh", "s"),
    ("ch", "s"),
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("dj", "j"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("z", "s"),
    ("x", "ks"),
    ("w", "u"),
    ("v", "f"),
    ("p", "b"),
]


_VOWELS = set("aeiouy")


def normalise(name: str) -> str:
    """Lower case, accents and punctuation removed, spaces and hyphens dropped."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", ascii_only.lower())


def name_key(name: str) -> str:
    """The transliteration-tolerant key of a name ('' for a name with no Latin letters)."""
    s = normalise(name)
    if not s:
        return ""
    # Arabic article variants: "abd el", "abdul", "abdoul", "abdal" -> "abdal".
    s = re.sub(r"^abd(?:e|u|ou|a|i)?l", "abdal", s)
    s = re.sub(r"^(?:el|al|ul)(?=[a-z]{3})", "", s)
    for old, new in _FOLDS:
        s = s.replace(old, new)
    # Doubled letters (Mohammed / Mohamed) count once.
    s = re.sub(r"(.)\1+", r"\1", s)
    # Keep the first letter, then consonants; an "h" counts only between two vowels
    # (Muhammad keeps it, Ahmed / Ahmad do not need it).
    kept = [s[0]]
    for i, c in enumerate(s[1:], start=1):
        if c in _VOWELS:
            continue
        if c == "h" and not (s[i - 1] in _VOWELS and i + 1 < len(s) and s[i + 1] in _VOWELS):
            continue
        kept.append(c)
    return re.sub(r"(.)\1+", r"\1", "".join(kept))[:100]


def key_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


@dataclass(frozen=True)
class Candidate:
    """A possible identity for the names, with the score and the reasons for it."""

    person_id: int
    score: int
    reasons: tuple[str, ...]


def score_candidate(
    *,
    first_key: str,
    last_key: str,
    alias_key: str,
    birth_year: int | None,
    nationality: str,
    person,
) -> Candidate | None:
    """Compare an entered identity with a person; ``None`` when they do not look alike."""
    from django.utils.translation import gettext as _

    entered = [k for k in (first_key, last_key, alias_key) if k]
    theirs = [k for k in (person.first_name_key, person.last_name_key, person.alias_key) if k]
    if not entered or not theirs:
        return None
    # Each entered name against its best match among theirs (names are often swapped).
    best = [max(key_similarity(e, t) for t in theirs) for e in entered]
    strong = sum(1 for s in best if s >= 0.99)
    close = sum(1 for s in best if 0.8 <= s < 0.99)
    if strong + close == 0:
        return None
    score = strong * 40 + close * 25
    reasons = []
    if strong:
        reasons.append(_("same name, as written or transliterated"))
    if close:
        reasons.append(_("similar name"))
    their_year = person.estimated_birth_year
    if birth_year and their_year:
        if abs(birth_year - their_year) <= 1:
            score += 20
            reasons.append(_("same year of birth"))
        else:
            score -= 30
    # Nationalities are country codes: equal or not.
    if str(nationality or "") and str(person.nationality or ""):
        if str(nationality) == str(person.nationality):
            score += 10
            reasons.append(_("same nationality"))
        else:
            score -= 10
    if score < 40:
        return None
    return Candidate(person_id=person.pk, score=min(score, 100), reasons=tuple(reasons))
