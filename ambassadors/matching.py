"""Ranking ambassadors for a person: each point of the score comes with its reason.

Pure functions on rows already read (see ``selectors.ambassador_candidates``): no query here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ambassadors.models import AmbassadorLanguage, Slot

# Weights, in the order the team cares about them: language first, then continuity.
SAME_LANGUAGE_AND_VARIETY = 40
SAME_LANGUAGE_OTHER_VARIETY = 25
OTHER_LANGUAGE_OF_THE_PERSON = 15
FLUENT_BONUS = 5
SAME_TERRITORY = 15
EARLIER_WORK = 15
GENDER_MATCH = 10
GENDER_MISMATCH = -25
AVAILABLE = 10
NOT_AVAILABLE = -10
FREE_PLACE = 3  # per free place below the maximum
AT_MAXIMUM = -30

FLUENT_LEVELS = (AmbassadorLanguage.Level.NATIVE, AmbassadorLanguage.Level.FLUENT)


@dataclass(frozen=True)
class Reason:
    text: str
    good: bool = True


@dataclass
class Suggestion:
    ambassador: object
    score: int = 0
    reasons: list[Reason] = field(default_factory=list)
    load: int = 0
    maximum: int = 0
    language_match: bool = False
    on_case: bool = False  # already assigned to the case the planner looks at

    @property
    def at_maximum(self) -> bool:
        return self.load >= self.maximum

    def add(self, points: int, text: str) -> None:
        self.score += points
        self.reasons.append(Reason(text, good=points >= 0))


@dataclass(frozen=True)
class Need:
    """What the person needs: their main language, place, preferences, when.

    The person's other languages count too: each language row of an ambassador says whether
    the person speaks it (``person_speaks``).
    """

    main_language: object | None = None
    location_id: int | None = None
    location_name: str = ""
    gender_preference: str = ""
    slot: str = ""
    person_id: int | None = None


def _language_points(suggestion: Suggestion, spoken: list, need: Need) -> None:
    best: tuple[int, str] | None = None
    main = need.main_language
    for al in spoken:
        lang = al.language
        fluent = FLUENT_BONUS if al.level in FLUENT_LEVELS else 0
        if lang.pk == main.pk:
            base = SAME_LANGUAGE_AND_VARIETY
            text = _("Speaks %(lang)s (%(level)s)") % {"lang": lang.name, "level": al.get_level_display()}
        elif lang.code == main.code:
            base = SAME_LANGUAGE_OTHER_VARIETY
            text = _("Speaks %(lang)s, another variety than the person's %(target)s (%(level)s)") % {
                "lang": lang.name,
                "target": main.name,
                "level": al.get_level_display(),
            }
        elif getattr(al, "person_speaks", False):
            base = OTHER_LANGUAGE_OF_THE_PERSON
            text = _("Speaks %(lang)s (%(level)s)") % {"lang": lang.name, "level": al.get_level_display()}
        else:
            continue
        if best is None or base + fluent > best[0]:
            best = (base + fluent, text)
    if best is not None:
        suggestion.language_match = True
        suggestion.add(*best)


def rank(ambassadors, need: Need) -> list[Suggestion]:
    """Score every ambassador for ``need``; those who share no language with the person are left out.

    Each ambassador carries what ``selectors`` read with it: ``spoken`` (their language rows,
    with ``language`` and ``person_speaks``), ``load`` (open assignments), ``goes_there`` (the
    place is one of their territories), ``worked_with`` (the person) and ``on_case``.
    """
    out = []
    slot_label = dict(Slot.choices).get(need.slot, "")
    for amb in ambassadors:
        s = Suggestion(
            ambassador=amb,
            load=getattr(amb, "load", 0) or 0,
            maximum=amb.max_active_assignments,
            on_case=getattr(amb, "on_case", False),
        )
        if need.main_language is not None:
            _language_points(s, amb.spoken, need)
            if not s.language_match:
                continue
        if need.location_id is not None and amb.goes_there:
            s.add(SAME_TERRITORY, _("Already goes to %(place)s") % {"place": need.location_name})
        if need.gender_preference:
            if amb.gender == need.gender_preference:
                s.add(GENDER_MATCH, _("Meets the gender preference"))
            else:
                s.add(GENDER_MISMATCH, _("Does not meet the gender preference"))
        if need.slot:
            if need.slot in (amb.availability or []):
                s.add(AVAILABLE, _("Usually available on %(slot)s") % {"slot": slot_label})
            else:
                s.add(NOT_AVAILABLE, _("Not usually available on %(slot)s") % {"slot": slot_label})
        if amb.worked_with:
            s.add(EARLIER_WORK, _("Has already worked with this person"))
        free = s.maximum - s.load
        if free > 0:
            s.add(
                FREE_PLACE * free,
                _("%(load)s of %(max)s assignments in progress") % {"load": s.load, "max": s.maximum},
            )
        else:
            s.add(
                AT_MAXIMUM,
                _("At the maximum: %(load)s of %(max)s assignments in progress") % {"load": s.load, "max": s.maximum},
            )
        out.append(s)
    out.sort(key=lambda s: (-s.score, s.ambassador.user.last_name, s.ambassador.user.first_name))
    return out
