"""The language-support planner: who may support an activity in the person's language.

Three parts, kept apart on purpose:

- the rules (``rule_for``): when a professional interpreter is required and when an
  ambassador may suffice. Defaults below; each team overrides them with
  ``LanguageSupportRule`` rows its coordinators edit;
- the ambassadors' side (``selectors.ambassador_suggestions``);
- the interpreters' side (``interpreter_suggestions``): the one place where the
  interpreters' matching (``interpreters.selectors.rank_interpreters``) plugs in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ambassadors.models import LanguageSupportRule, Requirement, Slot, SupportActivity

# Interpreters and ambassadors are sibling apps. The dependency goes one way only: the planner
# (here) reads the interpreters' selectors and choices; nothing in ``interpreters`` imports
# ``ambassadors``.
from interpreters import selectors as interpreter_selectors
from interpreters.models import Mode, ServesKind

# What applies when a team has not written its own rule. Clinical assessments need a neutral,
# trained interpreter bound by professional secrecy; peer support and everyday activities do not.
DEFAULT_RULES: dict[str, tuple[str, Promise]] = {
    SupportActivity.FIRST_ASSESSMENT: (
        Requirement.INTERPRETER,
        _("A first assessment explores the person's history and symptoms: it needs a professional interpreter."),
    ),
    SupportActivity.RISK_ASSESSMENT: (
        Requirement.INTERPRETER,
        _("A risk assessment needs every word rendered exactly: a professional interpreter is required."),
    ),
    SupportActivity.CONSULTATION: (
        Requirement.EITHER,
        _("For a follow-up consultation, an ambassador the person trusts may suffice."),
    ),
    SupportActivity.PERMANENCE: (
        Requirement.EITHER,
        _("At the drop-in, an ambassador may welcome the person and help them explain what they need."),
    ),
    SupportActivity.GROUP: (
        Requirement.EITHER,
        _("In a group activity, an ambassador may support the participants in their language."),
    ),
    SupportActivity.ACCOMPANIMENT: (
        Requirement.EITHER,
        _("Accompanying the person to an appointment is the ambassadors' work."),
    ),
}

PARTS_OF_DAY = ("am", "pm")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class RuleDecision:
    activity: str
    requirement: str
    explanation: str
    from_team: bool  # False: the default rule applies

    @property
    def interpreter_required(self) -> bool:
        return self.requirement == Requirement.INTERPRETER

    @property
    def requirement_label(self) -> str:
        return Requirement(self.requirement).label

    @property
    def activity_label(self) -> str:
        return SupportActivity(self.activity).label


def rule_for(*, team, activity: str, rules: dict[str, LanguageSupportRule] | None = None) -> RuleDecision:
    """The rule that applies to ``activity`` in ``team``: the team's own, or the default."""
    if rules is None:
        rules = team_rules(team=team)
    own = rules.get(activity)
    if own is not None:
        default_text = DEFAULT_RULES[activity][1] if own.requirement == DEFAULT_RULES[activity][0] else ""
        return RuleDecision(activity, own.requirement, own.explanation or str(default_text), from_team=True)
    requirement, text = DEFAULT_RULES[activity]
    return RuleDecision(activity, requirement, str(text), from_team=False)


def team_rules(*, team) -> dict[str, LanguageSupportRule]:
    return {r.activity: r for r in LanguageSupportRule.objects.filter(team=team)}


def all_rules(*, team) -> list[RuleDecision]:
    rules = team_rules(team=team)
    return [rule_for(team=team, activity=a, rules=rules) for a in SupportActivity.values]


def slot_of(day: date | None, part: str) -> str:
    """The availability half-day (``mon_am``...) of a date and a part of the day."""
    if day is None or part not in PARTS_OF_DAY:
        return ""
    code = f"{_WEEKDAYS[day.weekday()]}_{part}"
    return code if code in Slot.values else ""


# The time looked at when only a part of the day is given.
PART_OF_DAY_HOURS = {"am": (time(9, 0), time(12, 30)), "pm": (time(13, 30), time(17, 0))}
DEFAULT_LENGTH = timedelta(hours=1)

# What the interpreter booking serves, for each activity.
ACTIVITY_SERVES = {
    SupportActivity.FIRST_ASSESSMENT: ServesKind.CONSULTATION,
    SupportActivity.RISK_ASSESSMENT: ServesKind.CONSULTATION,
    SupportActivity.CONSULTATION: ServesKind.CONSULTATION,
    SupportActivity.PERMANENCE: ServesKind.PERMANENCE,
    SupportActivity.GROUP: ServesKind.GROUP_ACTIVITY,
    SupportActivity.ACCOMPANIMENT: ServesKind.CASE,
}
MODE_CHOICES = Mode.choices


@dataclass(frozen=True)
class SupportRequest:
    """An activity that needs support in the person's language."""

    team: object
    activity: str
    language: object | None
    case: object | None = None
    day: date | None = None
    part_of_day: str = ""
    location: object | None = None
    gender_preference: str = ""
    mode: str = Mode.ON_SITE
    starts_at: time | None = None
    ends_at: time | None = None

    @property
    def slot(self) -> str:
        return slot_of(self.day, self.part_of_day or self.derived_part_of_day)

    @property
    def derived_part_of_day(self) -> str:
        if self.starts_at is None:
            return ""
        return "am" if self.starts_at < time(13, 0) else "pm"

    @property
    def wanted_language(self):
        if self.language is not None:
            return self.language
        return self.case.main_language if self.case is not None else None

    @property
    def window(self) -> tuple[datetime, datetime] | None:
        """When the support is needed, as a time window; None without a day."""
        if self.day is None:
            return None
        if self.starts_at is not None:
            start = timezone.make_aware(datetime.combine(self.day, self.starts_at))
            if self.ends_at is not None and self.ends_at > self.starts_at:
                return start, timezone.make_aware(datetime.combine(self.day, self.ends_at))
            return start, start + DEFAULT_LENGTH
        first, last = PART_OF_DAY_HOURS.get(self.part_of_day, (PART_OF_DAY_HOURS["am"][0], PART_OF_DAY_HOURS["pm"][1]))
        return timezone.make_aware(datetime.combine(self.day, first)), timezone.make_aware(
            datetime.combine(self.day, last)
        )

    def booking_query(self) -> str:
        """The request form's address parameters that carry this request over (interpreters:booking_new)."""
        params: dict[str, str] = {"serves_kind": ACTIVITY_SERVES[self.activity], "mode": self.mode}
        if self.case is not None:
            params["case"] = self.case.reference
        language = self.wanted_language
        if language is not None:
            params["language"] = str(language.pk)
        if self.location is not None:
            params["location"] = str(self.location.pk)
        window = self.window
        if window is not None:
            start, end = (timezone.localtime(moment) for moment in window)
            params.update(day=start.date().isoformat(), starts_at=f"{start:%H:%M}", ends_at=f"{end:%H:%M}")
        if self.gender_preference:
            params["gender_preference"] = self.gender_preference
        return urlencode(params)


@dataclass
class InterpreterSide:
    suggestions: list = field(default_factory=list)
    note: Promise | str = ""
    booking_query: str = ""


def interpreter_suggestions(request: SupportRequest, *, user) -> InterpreterSide:
    """Interpreters for the request, ranked by the interpreters' own matching (the same scoring as a booking)."""
    language = request.wanted_language
    if language is None:
        return InterpreterSide(note=_("Choose a language to see the interpreters."))
    window = request.window
    suggestions = interpreter_selectors.rank_interpreters(
        user=user,
        language=language,
        mode=request.mode,
        starts_at=window[0] if window else None,
        ends_at=window[1] if window else None,
        location=request.location,
        gender_preference=request.gender_preference,
        case=request.case,
    )
    note = "" if window else _("Choose a day to check who is free.")
    return InterpreterSide(suggestions=suggestions, note=note, booking_query=request.booking_query())


def interpreter_cards(suggestions) -> list[dict]:
    """The planner's card of each interpreter shown: the suggestion and the texts it shows,
    written here once rather than by three plural template tags per card; their week's loads
    read together (one query)."""
    interpreter_selectors.read_week_loads(suggestions)
    score = gettext("score %(score)s")
    return [
        {
            "s": s,
            "score": score % {"score": s.score},
            "gender": s.interpreter.get_gender_display(),
            "knows": ngettext("Knows the person (%(n)s time)", "Knows the person (%(n)s times)", s.times_before)
            % {"n": s.times_before}
            if s.times_before
            else "",
            "load": ngettext("%(n)s booking that week", "%(n)s bookings that week", s.load) % {"n": s.load},
        }
        for s in suggestions
    ]
