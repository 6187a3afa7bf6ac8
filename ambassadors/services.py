"""Every write on ambassadors, assignments, contacts, training and the planner's rules."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ambassadors.models import (
    MAX_CONTACT_MINUTES,
    Ambassador,
    AmbassadorLanguage,
    Assignment,
    Contact,
    LanguageSupportRule,
    ModuleCompletion,
    Slot,
    TrainingAttendance,
    TrainingModule,
    TrainingSession,
)
from cases.models import Case
from cases.timeline.record import timeline_record
from cases.timeline.texts import choice
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.accounts.models import Membership, Role, Team, User
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Language, Location

# --- Profiles ---------------------------------------------------------------------------

PROFILE_FIELDS = ("gender", "availability", "max_active_assignments", "started_on", "presentation", "is_active")


def _check_availability(availability: list[str]) -> list[str]:
    valid = set(Slot.values)
    unknown = [s for s in availability if s not in valid]
    if unknown:
        raise ValidationError({"availability": _("Unknown half-day: %(slots)s.") % {"slots": ", ".join(unknown)}})
    # Kept in the week's order, whatever order they came in.
    return [s for s in Slot.values if s in set(availability)]


def _set_languages(ambassador: Ambassador, languages: list[tuple[Language, str]]) -> None:
    wanted = {lang.pk: level for lang, level in languages}
    AmbassadorLanguage.objects.filter(ambassador=ambassador).exclude(language_id__in=wanted).delete()
    for language_id, level in wanted.items():
        AmbassadorLanguage.objects.update_or_create(
            ambassador=ambassador, language_id=language_id, defaults={"level": level}
        )


@transaction.atomic
def ambassador_create(
    *,
    actor: User,
    user: User,
    team: Team,
    started_on: date,
    languages: list[tuple[Language, str]] = (),
    territories: list[Location] = (),
    request=None,
    **fields,
) -> Ambassador:
    """Give a user with the ambassador role the profile colleagues and the planner see."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown ambassador fields: {sorted(unknown)}")
    if not Membership.objects.filter(user=user, role=Role.AMBASSADOR, team=team).exists():
        raise ValidationError({"user": _("This person does not hold the ambassador role in this team.")})
    if Ambassador.objects.filter(user=user).exists():
        raise ValidationError({"user": _("This person already has an ambassador profile.")})
    if "availability" in fields:
        fields["availability"] = _check_availability(fields["availability"])
    ambassador = Ambassador(user=user, team=team, started_on=started_on, **fields)
    ambassador.full_clean()
    ambassador.save()
    _set_languages(ambassador, list(languages))
    ambassador.territories.set(territories)
    audit_record(action="ambassador.created", actor=actor, request=request, obj=ambassador)
    return ambassador


@transaction.atomic
def ambassador_update(
    *,
    ambassador: Ambassador,
    actor: User,
    languages: list[tuple[Language, str]] | None = None,
    territories: list[Location] | None = None,
    request=None,
    **fields,
) -> Ambassador:
    """Change an ambassador's languages, territories, availability or maximum load."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown ambassador fields: {sorted(unknown)}")
    if "availability" in fields:
        fields["availability"] = _check_availability(fields["availability"])
    for name, value in fields.items():
        setattr(ambassador, name, value)
    ambassador.full_clean()
    ambassador.save()
    if languages is not None:
        _set_languages(ambassador, list(languages))
    if territories is not None:
        ambassador.territories.set(territories)
    audit_record(
        action="ambassador.updated", actor=actor, request=request, obj=ambassador, detail=",".join(sorted(fields))
    )
    return ambassador


# --- Assignments ------------------------------------------------------------------------


def open_load(ambassador: Ambassador) -> int:
    """Assignments proposed, accepted or in progress: what counts against the maximum."""
    return ambassador.assignments.filter(status__in=Assignment.OPEN_STATUSES).count()


def _data(assignment: Assignment, **extra) -> dict:
    """What an assignment's timeline event keeps: written out in the reader's language when shown."""
    return {"ambassador": assignment.ambassador.name, "role": assignment.role, **extra}


def assignment_summary(data: dict) -> str:
    """ "Selam — Accompaniment", then why it ended, in the active language."""
    text = f"{data['ambassador']} — {choice(Assignment, 'role', data['role'])}"
    if data.get("reason"):
        text += f" — {choice(Assignment, 'end_reason', data['reason'])}"
    return text


def contact_summary(data: dict) -> str:
    return _("%(kind)s · %(minutes)s min — %(name)s") % {
        "kind": choice(Contact, "kind", data["kind"]),
        "minutes": data["minutes"],
        "name": data["ambassador"],
    }


def _record(assignment: Assignment, *, kind: str, actor: User, **extra) -> None:
    data = _data(assignment, **extra)
    timeline_record(case=assignment.case, kind=kind, actor=actor, summary=assignment_summary(data), data=data)


@transaction.atomic
def assignment_propose(
    *,
    case: Case,
    ambassador: Ambassador,
    actor: User,
    role: str,
    starts_on: date,
    planned_end_on: date | None = None,
    over_limit_reason: str = "",
    request=None,
) -> Assignment:
    """A coordinator proposes an ambassador for a case; beyond the maximum load it needs a reason."""
    if not access.may(actor, Capability.MANAGE_AMBASSADORS, case.team_id):
        raise ValidationError(_("Only a coordinator of the case's team may assign an ambassador."))
    if case.is_closed:
        raise ValidationError(_("This case is closed: reopen it before assigning an ambassador."))
    # Lock the ambassador: two coordinators cannot both take the last free place.
    ambassador = Ambassador.objects.select_for_update().select_related("user").get(pk=ambassador.pk)
    if not ambassador.is_active or not ambassador.user.is_active:
        raise ValidationError(
            {"ambassador": _("%(name)s is not active at the moment: choose another ambassador.") % {"name": ambassador}}
        )
    if not access.case_followed_by(case, ambassador.team_id):
        raise ValidationError({"ambassador": _("This ambassador works in another team than the case's.")})
    if Assignment.objects.filter(ambassador=ambassador, case=case, status__in=Assignment.OPEN_STATUSES).exists():
        raise ValidationError({"ambassador": _("This ambassador is already assigned to this case.")})
    if planned_end_on and planned_end_on < starts_on:
        raise ValidationError({"planned_end_on": _("The planned end cannot be before the start.")})
    over_limit_reason = over_limit_reason.strip()
    load = open_load(ambassador)
    if load >= ambassador.max_active_assignments and not over_limit_reason:
        raise ValidationError(
            {
                "over_limit_reason": _(
                    "%(name)s already has %(load)s assignments in progress for a maximum of %(max)s. "
                    "Say why they should take one more, or choose another ambassador."
                )
                % {"name": ambassador, "load": load, "max": ambassador.max_active_assignments}
            }
        )
    assignment = Assignment(
        ambassador=ambassador,
        case=case,
        role=role,
        starts_on=starts_on,
        planned_end_on=planned_end_on,
        over_limit_reason=over_limit_reason if load >= ambassador.max_active_assignments else "",
        proposed_by=actor,
        proposed_at=clock.now(),
    )
    assignment.full_clean()
    assignment.save()
    data = _data(assignment, over_limit=bool(assignment.over_limit_reason))
    timeline_record(
        case=case,
        kind="assignment.proposed",
        actor=actor,
        summary=assignment_summary(data),
        source=assignment,
        data=data,
    )
    audit_record(action="assignment.proposed", actor=actor, request=request, obj=assignment, case_ref=case.reference)
    return assignment


def _lock(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().select_related("ambassador__user", "case").get(pk=assignment.pk)


def _check_own(assignment: Assignment, actor: User) -> None:
    if assignment.ambassador.user_id != actor.pk:
        raise ValidationError(_("Only the ambassador of this assignment may do this."))


def _own_proposal(assignment: Assignment, actor: User) -> Assignment:
    """The assignment, locked, when it is the actor's and still waits for their answer."""
    assignment = _lock(assignment)
    _check_own(assignment, actor)
    if assignment.status != Assignment.Status.PROPOSED:
        raise ValidationError(_("This assignment is no longer waiting for an answer."))
    return assignment


@transaction.atomic
def assignment_accept(*, assignment: Assignment, actor: User, request=None) -> Assignment:
    """The ambassador accepts the assignment proposed to them."""
    assignment = _own_proposal(assignment, actor)
    return _move(assignment, Assignment.Status.ACCEPTED, actor=actor, request=request)


@transaction.atomic
def assignment_decline(*, assignment: Assignment, actor: User, note: str = "", request=None) -> Assignment:
    """The ambassador declines a proposed assignment: it ends, with the reason "declined"."""
    assignment = _own_proposal(assignment, actor)
    return _end(assignment, actor=actor, reason=Assignment.EndReason.DECLINED, note=note, request=request)


@transaction.atomic
def assignment_start(*, assignment: Assignment, actor: User, request=None) -> Assignment:
    """An accepted assignment starts (the first contact starts it too)."""
    assignment = _lock(assignment)
    if assignment.ambassador.user_id != actor.pk and not access.may(
        actor, Capability.MANAGE_AMBASSADORS, assignment.case.team_id
    ):
        raise ValidationError(_("Only the ambassador or a coordinator of the case may start it."))
    return _start(assignment, actor=actor, request=request)


def _start(assignment: Assignment, *, actor: User, request=None) -> Assignment:
    if assignment.status != Assignment.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted assignment can start."))
    return _move(assignment, Assignment.Status.ACTIVE, actor=actor, request=request)


# A step forward of an assignment: the field that says when, and the timeline and audit kind.
_STEPS = {
    Assignment.Status.ACCEPTED: ("accepted_at", "assignment.accepted"),
    Assignment.Status.ACTIVE: ("started_at", "assignment.started"),
}


def _move(assignment: Assignment, status: str, *, actor: User, request) -> Assignment:
    """The assignment moves on to ``status`` now."""
    stamp, kind = _STEPS[status]
    assignment.status = status
    setattr(assignment, stamp, clock.now())
    assignment.save(update_fields=["status", stamp])
    _record(assignment, kind=kind, actor=actor)
    audit_record(action=kind, actor=actor, request=request, obj=assignment)
    return assignment


def _end(assignment: Assignment, *, actor: User, reason: str, note: str, request=None, ended_on=None) -> Assignment:
    assignment.status = Assignment.Status.ENDED
    assignment.ended_on = ended_on or clock.localdate()
    assignment.end_reason = reason
    assignment.end_note = note.strip()[:255]
    assignment.full_clean()
    assignment.save(update_fields=["status", "ended_on", "end_reason", "end_note"])
    _record(assignment, kind="assignment.ended", actor=actor, reason=reason)
    audit_record(action="assignment.ended", actor=actor, request=request, obj=assignment, detail=reason)
    return assignment


@transaction.atomic
def assignment_end(
    *,
    assignment: Assignment,
    actor: User,
    reason: str,
    note: str = "",
    ended_on: date | None = None,
    request=None,
) -> Assignment:
    """A coordinator ends an assignment, with its reason."""
    assignment = _lock(assignment)
    if not access.may(actor, Capability.MANAGE_AMBASSADORS, assignment.case.team_id):
        raise ValidationError(_("Only a coordinator of the case's team may end an assignment."))
    if not assignment.is_open:
        raise ValidationError(_("This assignment has already ended."))
    if reason not in Assignment.EndReason.values:
        raise ValidationError({"reason": _("Choose why the assignment ends.")})
    ended_on = ended_on or clock.localdate()
    if ended_on > clock.localdate():
        raise ValidationError({"ended_on": _("The end date cannot be in the future.")})
    if ended_on < assignment.starts_on:
        raise ValidationError({"ended_on": _("The end date cannot be before the start of the assignment.")})
    return _end(assignment, actor=actor, reason=reason, note=note, ended_on=ended_on, request=request)


# --- Contacts ---------------------------------------------------------------------------


def _contact_moment(day: date) -> datetime:
    """When the contact goes on the timeline: now if today, midday of its day otherwise."""
    if day == clock.localdate():
        return clock.now()
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


@transaction.atomic
def contact_log(
    *,
    assignment: Assignment,
    actor: User,
    occurred_on: date,
    duration_minutes: int,
    kind: str,
    note: str = "",
    request=None,
) -> Contact:
    """The ambassador logs a contact on their assignment; the first one starts an accepted assignment."""
    assignment = _lock(assignment)
    _check_own(assignment, actor)
    if assignment.status == Assignment.Status.PROPOSED:
        raise ValidationError(_("Accept the assignment before logging contacts."))
    if assignment.status == Assignment.Status.ENDED:
        raise ValidationError(_("This assignment has ended: contacts can no longer be logged."))
    errors: dict[str, list[str]] = {}
    if duration_minutes is None or duration_minutes < 1:
        errors["duration_minutes"] = [_("Give the duration in minutes.")]
    elif duration_minutes > MAX_CONTACT_MINUTES:
        errors["duration_minutes"] = [
            _(
                "A contact cannot last more than 12 hours (720 minutes). "
                "Log each day separately if the support lasted longer."
            )
        ]
    if occurred_on > clock.localdate():
        errors["occurred_on"] = [_("The contact cannot be in the future.")]
    elif occurred_on < assignment.starts_on:
        errors["occurred_on"] = [
            _("The assignment starts on %(day)s: a contact cannot be before it.")
            % {"day": date_format(assignment.starts_on, "SHORT_DATE_FORMAT")}
        ]
    if errors:
        raise ValidationError(errors)
    if assignment.status == Assignment.Status.ACCEPTED:
        _start(assignment, actor=actor, request=request)
    contact = Contact(
        assignment=assignment,
        occurred_on=occurred_on,
        duration_minutes=duration_minutes,
        kind=kind,
        note=note.strip(),
        logged_by=actor,
    )
    contact.full_clean()
    contact.save()
    data = {"minutes": duration_minutes, "kind": kind, "ambassador": assignment.ambassador.name}
    timeline_record(
        case=assignment.case,
        kind="contact.logged",
        actor=actor,
        occurred_at=_contact_moment(occurred_on),
        summary=contact_summary(data),
        source=contact,
        data=data,
    )
    audit_record(action="contact.logged", actor=actor, request=request, obj=contact, case_ref=assignment.case.reference)
    return contact


# --- Training ---------------------------------------------------------------------------


@transaction.atomic
def training_session_create(
    *,
    actor: User,
    module: TrainingModule,
    team: Team,
    starts_at: datetime,
    duration_minutes: int,
    trainer: str,
    place: str = "",
    request=None,
) -> TrainingSession:
    """Plan a session of a training module for a team's ambassadors."""
    if not access.may(actor, Capability.MANAGE_AMBASSADORS, team.pk):
        raise ValidationError({"team": _("You coordinate no such team.")})
    session = TrainingSession(
        module=module,
        team=team,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        trainer=trainer.strip(),
        place=place.strip(),
    )
    session.full_clean()
    session.save()
    audit_record(action="training.session_created", actor=actor, request=request, obj=session)
    return session


@transaction.atomic
def training_attendance_set(
    *, session: TrainingSession, actor: User, ambassadors: list[Ambassador], request=None
) -> list[TrainingAttendance]:
    """Record who attended a session (the list replaces the previous one)."""
    if not access.may(actor, Capability.MANAGE_AMBASSADORS, session.team_id):
        raise ValidationError(_("Only a coordinator of the session's team records attendance."))
    if session.starts_at > clock.now():
        raise ValidationError({"ambassadors": _("Attendance is recorded once the session has taken place.")})
    wrong = [a for a in ambassadors if a.team_id != session.team_id]
    if wrong:
        raise ValidationError({"ambassadors": _("Some of these ambassadors are not in the session's team.")})
    wanted = {a.pk for a in ambassadors}
    TrainingAttendance.objects.filter(session=session).exclude(ambassador_id__in=wanted).delete()
    existing = set(TrainingAttendance.objects.filter(session=session).values_list("ambassador_id", flat=True))
    TrainingAttendance.objects.bulk_create(
        [TrainingAttendance(session=session, ambassador_id=pk, recorded_by=actor) for pk in wanted - existing]
    )
    audit_record(
        action="training.attendance", actor=actor, request=request, obj=session, detail=f"{len(wanted)} present"
    )
    return list(TrainingAttendance.objects.filter(session=session))


@transaction.atomic
def module_complete(
    *, ambassador: Ambassador, module: TrainingModule, actor: User, completed_on: date, request=None
) -> ModuleCompletion:
    """Record that an ambassador completed a module of the programme."""
    if not access.may(actor, Capability.MANAGE_AMBASSADORS, ambassador.team_id):
        raise ValidationError(_("Only a coordinator of the ambassador's team records a completion."))
    if completed_on > clock.localdate():
        raise ValidationError({"completed_on": _("The date cannot be in the future.")})
    completion, created = ModuleCompletion.objects.get_or_create(
        ambassador=ambassador, module=module, defaults={"completed_on": completed_on, "recorded_by": actor}
    )
    if not created:
        raise ValidationError({"module": _("This module is already recorded as completed.")})
    audit_record(action="training.module_completed", actor=actor, request=request, obj=ambassador, detail=module.title)
    return completion


# --- Planner rules ----------------------------------------------------------------------


@transaction.atomic
def language_support_rule_set(
    *, team: Team, activity: str, requirement: str, explanation: str = "", actor: User, request=None
) -> LanguageSupportRule:
    """A coordinator sets, for their team, who may support an activity in the person's language."""
    if not access.may(actor, Capability.PLAN_LANGUAGE_SUPPORT, team.pk):
        raise ValidationError(_("Only a coordinator of the team may change its rules."))
    rule = LanguageSupportRule.objects.filter(team=team, activity=activity).first() or LanguageSupportRule(
        team=team, activity=activity
    )
    rule.requirement = requirement
    rule.explanation = explanation.strip()
    rule.updated_by = actor
    rule.full_clean()
    rule.save()
    audit_record(action="planner.rule_set", actor=actor, request=request, obj=team, detail=f"{activity}={requirement}")
    return rule
