"""The language-support planner: who may support an activity in the person's language.

Three parts, kept apart on purpose:

- the rules (``rule_for``): when a professional interpreter is required and when an
  ambassador may suffice. Defaults below; each team overrides them with
  ``LanguageSupportRule`` rows its coordinators edit;
- the ambassadors' side (``selectors.ambassador_suggestions``);
- the interpreters' side (``interpreter_suggestions``): the one place where the
  interpreters' matching plugs in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ambassadors.models import LanguageSupportRule, Requirement, Slot, SupportActivity

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

    @property
    def slot(self) -> str:
        return slot_of(self.day, self.part_of_day)


@dataclass
class InterpreterSide:
    suggestions: list = field(default_factory=list)
    note: Promise | str = ""


def interpreter_suggestions(request: SupportRequest, *, user) -> InterpreterSide:
    """SéTIS interpreters for the request, ranked by the interpreters' matching.

    The interpreters app's matching is not part of this code base yet: until it is, the
    planner shows an empty column with this note. Wire it here (and only here): call its
    ranking with the request's language, day, part of day, place and gender preference,
    and return its suggestions (each with its reasons and a booking link).
    """
    return InterpreterSide(
        suggestions=[],
        note=_("The interpreters' availability is not connected to the planner yet: book SéTIS as usual."),
    )
