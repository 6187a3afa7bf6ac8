"""Every write on persons, referrals, cases and the timeline."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases.models import (
    Case,
    CaseShare,
    ConsentRecord,
    CoordinationNote,
    Person,
    ReferenceCounter,
)
from cases.persons.services import has_current_consent, person_create
from cases.timeline.record import timeline_record
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.accounts.models import Role, Team, User
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Language
from integrapsy.validators import required_text


def next_reference(prefix: str, *, year: int | None = None) -> str:
    """``PREFIX-YYYY-NNNNN``, numbered per year, safe under concurrent requests."""
    year = year or clock.localdate().year
    with transaction.atomic():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
        counter.value += 1
        counter.save(update_fields=["value"])
    return f"{prefix}-{year}-{counter.value:05d}"


@transaction.atomic
def person_register_with_case(
    *,
    actor: User,
    team: Team,
    languages: list[Language] = (),
    main_language: Language | None = None,
    request=None,
    **fields,
) -> Case:
    """A person met without a referral: register them and open their case in one step."""
    access.ensure_may(actor, Capability.TRIAGE_REFERRALS, team.pk)
    person = person_create(actor=actor, languages=languages, main_language=main_language, request=request, **fields)
    return case_open(person=person, team=team, actor=actor, main_language=main_language, request=request)


@transaction.atomic
def case_open(
    *,
    person: Person,
    team: Team,
    actor: User,
    opened_on: date | None = None,
    lead_psychologist: User | None = None,
    main_language: Language | None = None,
    occurred_at: datetime | None = None,
    request=None,
) -> Case:
    """Open a follow-up of the person by the team (one open case per person and team)."""
    if lead_psychologist is not None and not access.holds_role(lead_psychologist, Role.PSYCHOLOGIST, team.pk):
        raise ValidationError({"lead_psychologist": _("The lead psychologist must be a psychologist of the team.")})
    if Case.objects.filter(person=person, team=team).exclude(status=Case.Status.CLOSED).exists():
        raise ValidationError(_("This person already has an open case in this team."))
    case = Case(
        person=person,
        team=team,
        reference=next_reference("IP"),
        opened_on=opened_on or clock.localdate(),
        lead_psychologist=lead_psychologist,
        main_language=main_language,
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as exc:
        raise ValidationError(_("This person already has an open case in this team.")) from exc
    timeline_record(case=case, kind="case.opened", actor=actor, summary=case.reference, occurred_at=occurred_at)
    audit_record(action="case.opened", actor=actor, request=request, obj=case, case_ref=case.reference)
    return case


def case_updated_summary(data: dict) -> str:
    """What changed on a case ("status: follow-up; lead psychologist: ..."), in the active language."""
    texts = []
    for change in data["changes"]:
        if change[0] == "status":
            texts.append(_("status: %(status)s") % {"status": Case.Status(change[1]).label})
        elif change[0] == "lead_psychologist":
            texts.append(_("lead psychologist: %(name)s") % {"name": change[1]})
        else:
            texts.append(_("team members involved"))
    return "; ".join(str(t) for t in texts)


@transaction.atomic
def case_update(
    *,
    case: Case,
    actor: User,
    status: str,
    lead_psychologist: User | None,
    members: list[User],
    request=None,
) -> Case:
    """Change a case's status, lead psychologist and members (closing has its own service)."""
    access.ensure_may(actor, Capability.CHANGE_CASES, case.team_id)
    if status == Case.Status.CLOSED:
        raise ValidationError({"status": _("Use “Close the case” to close it, with a reason.")})
    if lead_psychologist is not None and not access.holds_role(lead_psychologist, Role.PSYCHOLOGIST, case.team_id):
        raise ValidationError({"lead_psychologist": _("The lead psychologist must be a psychologist of the team.")})
    changes = []  # kept in the event's data: the timeline writes them in the reader's language
    if case.status != status:
        changes.append(["status", status])
    if case.lead_psychologist_id != (lead_psychologist.pk if lead_psychologist else None):
        changes.append(["lead_psychologist", str(lead_psychologist or "—")])
    case.status = status
    case.lead_psychologist = lead_psychologist
    case.save(update_fields=["status", "lead_psychologist", "updated_at"])
    before = set(case.members.values_list("pk", flat=True))
    case.members.set(members)
    if before != {m.pk for m in members}:
        changes.append(["members"])
    if changes:
        data = {"changes": changes}
        timeline_record(case=case, kind="case.updated", actor=actor, summary=case_updated_summary(data), data=data)
        audit_record(action="case.updated", actor=actor, request=request, obj=case, case_ref=case.reference)
    return case


@transaction.atomic
def case_share(*, case: Case, team: Team, actor: User, reason: str = "", request=None) -> CaseShare:
    """Share a case with another team; needs the person's current consent to sharing."""
    access.ensure_may(actor, Capability.CHANGE_CASES, case.team_id)
    if case.is_closed:
        raise ValidationError(_("A closed case cannot be shared."))
    if access.case_followed_by(case, team.pk):
        raise ValidationError({"team": _("The case is already followed by this team.")})
    if not has_current_consent(case.person, ConsentRecord.Purpose.SHARING):
        raise ValidationError(_("Record the person's consent to sharing before sharing the case with another team."))
    share = CaseShare.objects.create(case=case, team=team, shared_by=actor, reason=reason)
    timeline_record(case=case, kind="case.shared", actor=actor, summary=team.name, source=share)
    audit_record(
        action="case.shared",
        actor=actor,
        request=request,
        obj=case,
        case_ref=case.reference,
        detail=team.name,
    )
    return share


@transaction.atomic
def case_close(*, case: Case, actor: User, reason: str, closed_on: date | None = None, request=None) -> Case:
    """Close a case with a reason."""
    access.ensure_may(actor, Capability.CHANGE_CASES, case.team_id)
    closed_on = closed_on or clock.localdate()
    if case.is_closed:
        raise ValidationError(_("This case is already closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing the case.")})
    if closed_on < case.opened_on or closed_on > clock.localdate():
        raise ValidationError({"closed_on": _("The closing date must be between the opening date and today.")})
    case.status = Case.Status.CLOSED
    case.closed_on = closed_on
    case.closure_reason = reason.strip()
    case.save(update_fields=["status", "closed_on", "closure_reason", "updated_at"])
    timeline_record(case=case, kind="case.closed", actor=actor, summary=case.closure_reason)
    audit_record(action="case.closed", actor=actor, request=request, obj=case, case_ref=case.reference)
    return case


@transaction.atomic
def coordination_note_add(*, case: Case, actor: User, text: str, request=None) -> CoordinationNote:
    """Add a short non-clinical coordination note; it appears on the timeline."""
    text = required_text(text, field="text", message=_("Write the note."))
    note = CoordinationNote(case=case, author=actor, text=text)
    note.full_clean()
    note.save()
    timeline_record(case=case, kind="note.added", actor=actor, summary=text[:255], source=note)
    audit_record(action="note.added", actor=actor, request=request, obj=case, case_ref=case.reference)
    return note
