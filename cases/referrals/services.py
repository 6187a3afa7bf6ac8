from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.case_file.services import case_open, next_reference
from cases.households.services import household_from_referral, household_new
from cases.models import (
    Case,
    ConsentRecord,
    Person,
    Referral,
    ReferralReason,
    RiskFlag,
    SlotRequest,
    Urgency,
)
from cases.notifications import referrer_contacts, team_coordinators
from cases.persons.services import consent_record, person_create
from cases.referrals.selectors import referral_awaits_answer, referral_team, signals_danger
from cases.risk.services import risk_flag_raise
from cases.timeline.record import timeline_record
from integrapsy import access, clock, ratelimits
from integrapsy.access import Capability
from integrapsy.accounts.models import Team, User
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Language
from integrapsy.notifications.services import outbox_queue
from integrapsy.validators import normalise_name, required_text


def _referral_status_mail(referral: Referral) -> None:
    """Tell the referring organisation that the status changed (status and dates only)."""
    outbox_queue(
        to=referrer_contacts(referral),
        template="referral.status",
        context={"ref": referral.reference, "status": referral.status},
        team=referral.team_id,
    )


REFERRAL_FIELDS = (
    *Person.IDENTITY_FIELDS,
    "main_language",
    "interpreter_needed",
    "interpreter_language",
    "location",
    "reasons",
    "reason_other",
    "urgency",
    "actions_taken",
    *Referral.CONSENT_FIELDS,
)


def referral_validate(referral: Referral) -> None:
    """The rules a referral must meet before it is saved, each error named by its field."""
    errors: dict[str, list[str]] = {}
    today = clock.localdate()
    if not referral.consent_given:
        errors.setdefault("consent_given", []).append(
            _(
                "We can only receive a referral the person has agreed to. Explain to them, in a "
                "language they understand, what the team does and that they may refuse; then tick this box."
            )
        )
    else:
        if not referral.consent_date:
            errors.setdefault("consent_date", []).append(_("Give the date the person agreed."))
        if not referral.consent_method:
            errors.setdefault("consent_method", []).append(_("Say how the person agreed."))
    if referral.consent_date and referral.consent_date > today:
        errors.setdefault("consent_date", []).append(_("The date of consent cannot be in the future."))
    if referral.birth_date and referral.birth_date > today:
        errors.setdefault("birth_date", []).append(_("The date of birth cannot be in the future."))
    if referral.birth_year and not (1900 <= referral.birth_year <= today.year):
        errors.setdefault("birth_year", []).append(_("Enter a year between 1900 and this year."))
    if not referral.reasons:
        errors.setdefault("reasons", []).append(_("Tick at least one reason for the referral."))
    if "other" in referral.reasons and not referral.reason_other.strip():
        errors.setdefault("reason_other", []).append(_("Describe the other reason."))
    if referral.interpreter_needed and not referral.interpreter_language_id:
        errors.setdefault("interpreter_language", []).append(_("Say which language the interpreter must speak."))
    if errors:
        raise ValidationError(errors)


def submitted_summary(data: dict) -> str:
    """ "R-2026-00012 — CAES Croisilles — Urgent", the urgency in the active language."""
    urgency = Urgency(data["urgency"]).label
    return f"{data['reference']} — {data['organisation']} — {urgency}"


@transaction.atomic
def referral_submit(
    *,
    actor: User,
    team: Team | None = None,
    languages: list[Language] = (),
    request=None,
    rate_limit: bool = True,
    **fields,
) -> Referral:
    """A referrer sends a person to a team (by default ``referral_team``); alarming referrals alert the coordinators.

    ``rate_limit=False`` for the other members of a family referred on one form: the form counts once.
    """
    if rate_limit:
        ratelimits.consume(user=actor, action="referral")
    unknown = set(fields) - set(REFERRAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown referral fields: {sorted(unknown)}")
    organisations = access.organisations_for(actor, Capability.SUBMIT_REFERRAL)
    if not organisations:
        raise ValidationError(_("Only staff of a reception centre or partner may submit a referral."))
    team = team or referral_team(user=actor, location=fields.get("location"))
    referral = Referral(
        team=team,
        organisation_id=actor.organisation_id if actor.organisation_id in organisations else min(organisations),
        submitted_by=actor,
        received_at=clock.now(),
        **fields,
    )
    for field in ("first_name", "last_name", "alias"):
        setattr(referral, field, normalise_name(getattr(referral, field)))
    referral_validate(referral)
    referral.alarm = signals_danger(urgency=referral.urgency, reasons=referral.reasons)
    referral.reference = next_reference("OR")
    referral.full_clean(exclude=["reference"])
    referral.save()
    referral.languages.set(languages)
    audit_record(action="referral.submitted", actor=actor, request=request, obj=referral)
    if referral.alarm:
        outbox_queue(
            to=team_coordinators(team),
            template="referral.urgent",
            context={"ref": referral.reference, "org": referral.organisation.name},
            team=team,
        )
    return referral


# What each family member's referral takes from the first person's: the rest is the member's own.
FAMILY_SHARED_FIELDS = (
    "main_language",
    "interpreter_needed",
    "interpreter_language",
    "location",
    "urgency",
    "actions_taken",
    *Referral.CONSENT_FIELDS,
)
FAMILY_MEMBER_FIELDS = (
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "birth_year",
    "unaccompanied_minor",
    "reasons",
    "reason_other",
)


@transaction.atomic
def referral_submit_family(
    *,
    actor: User,
    members: list[dict],
    team: Team | None = None,
    languages: list[Language] = (),
    request=None,
    **fields,
) -> list[Referral]:
    """A family referred on one form: one referral per person, all to the first one's team and in one household."""
    lead = referral_submit(actor=actor, team=team, languages=languages, request=request, **fields)
    if not members:
        return [lead]
    household = household_new()
    lead.household = household
    lead.save(update_fields=["household"])
    referrals = [lead]
    shared = {name: fields[name] for name in FAMILY_SHARED_FIELDS if name in fields}
    for member in members:
        unknown = set(member) - {*FAMILY_MEMBER_FIELDS, "relation"}
        if unknown:
            raise TypeError(f"Unknown family member fields: {sorted(unknown)}")
        own = {name: member[name] for name in FAMILY_MEMBER_FIELDS if name in member}
        try:
            referral = referral_submit(
                actor=actor, team=lead.team, languages=languages, request=request, rate_limit=False, **shared, **own
            )
            referral.household = household
            referral.household_relation = member["relation"]
            referral.full_clean(exclude=["reference"])
        except ValidationError as exc:
            # Said of the member, not of the first person's field of the same name.
            name = " ".join(filter(None, [own.get("first_name", ""), own.get("last_name", "")]))
            raise ValidationError(
                _("Family member %(name)s: %(errors)s") % {"name": name, "errors": " ".join(exc.messages)}
            ) from exc
        referral.save(update_fields=["household", "household_relation"])
        referrals.append(referral)
    return referrals


def _lock_open_referral(referral: Referral) -> Referral:
    """Re-read the referral under a row lock; two coordinators cannot both decide it."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if not locked.is_open:
        raise ValidationError(
            _("This referral was already handled (%(status)s).") % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def referral_take(*, referral: Referral, actor: User, request=None) -> Referral:
    """A coordinator takes an urgent referral: it leaves the banner of the others."""
    access.ensure_may(actor, Capability.TRIAGE_REFERRALS, referral.team_id)
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.taken_by_id is None:
        locked.taken_by = actor
        locked.taken_at = clock.now()
        locked.save(update_fields=["taken_by", "taken_at"])
        audit_record(action="referral.taken", actor=actor, request=request, obj=locked)
    return locked


@transaction.atomic
def referral_request_info(*, referral: Referral, actor: User, question: str, request=None) -> Referral:
    """Ask the referrer for more information; they answer in the portal."""
    access.ensure_may(actor, Capability.TRIAGE_REFERRALS, referral.team_id)
    question = required_text(question, field="question", message=_("Write your question to the referrer."))
    referral = _lock_open_referral(referral)
    referral.status = Referral.Status.INFO_REQUESTED
    referral.info_request = question
    referral.info_response = ""
    if referral.taken_by_id is None:
        referral.taken_by, referral.taken_at = actor, clock.now()
    referral.save(update_fields=["status", "info_request", "info_response", "taken_by", "taken_at"])
    audit_record(action="referral.info_requested", actor=actor, request=request, obj=referral)
    _referral_status_mail(referral)
    return referral


@transaction.atomic
def referral_answer_info(*, referral: Referral, actor: User, answer: str, request=None) -> Referral:
    """The referrer answers the team's question; the referral goes back to the inbox."""
    answer = required_text(answer, field="answer", message=_("Write your answer."))
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral_awaits_answer(referral):
        raise ValidationError(_("The team has not asked anything on this referral."))
    referral.status = Referral.Status.SUBMITTED
    referral.info_response = answer
    referral.save(update_fields=["status", "info_response"])
    audit_record(action="referral.info_given", actor=actor, request=request, obj=referral)
    outbox_queue(
        to=team_coordinators(referral.team),
        template="referral.info_given",
        context={"ref": referral.reference},
        team=referral.team_id,
    )
    return referral


@transaction.atomic
def referral_decline(*, referral: Referral, actor: User, reason: str, request=None) -> Referral:
    """Decline a referral with a reason the referrer may read."""
    access.ensure_may(actor, Capability.TRIAGE_REFERRALS, referral.team_id)
    reason = required_text(reason, field="reason", message=_("Give the reason: the referrer will read it."))
    referral = _lock_open_referral(referral)
    referral.status = Referral.Status.DECLINED
    referral.decline_reason = reason
    referral.decided_at = clock.now()
    referral.decided_by = actor
    referral.save(update_fields=["status", "decline_reason", "decided_at", "decided_by"])
    # A permanence slot asked for this person will not be given: the referrer reads the same reason.
    referral.slot_requests.filter(status=SlotRequest.Status.PENDING).update(
        status=SlotRequest.Status.DECLINED,
        decline_reason=reason[:500],
        decided_by=actor,
        decided_at=referral.decided_at,
    )
    audit_record(action="referral.declined", actor=actor, request=request, obj=referral)
    _referral_status_mail(referral)
    return referral


@transaction.atomic
def referral_accept(
    *,
    referral: Referral,
    actor: User,
    person: Person | None = None,
    lead_psychologist: User | None = None,
    request=None,
) -> Case:
    """Accept a referral: link or create the person, open a case or attach to the open one."""
    access.ensure_may(actor, Capability.TRIAGE_REFERRALS, referral.team_id)
    referral = _lock_open_referral(referral)
    team = referral.team
    if person is None:
        person = person_create(
            actor=actor,
            first_name=referral.first_name,
            last_name=referral.last_name,
            alias=referral.alias,
            sex=referral.sex,
            birth_date=referral.birth_date,
            birth_year=referral.birth_year,
            unaccompanied_minor=referral.unaccompanied_minor,
            nationality=referral.nationality,
            nationality_original=referral.nationality_original,
            phone=referral.phone,
            location=referral.location,
            languages=list(referral.languages.all()),
            main_language=referral.main_language,
            request=request,
        )
    elif person.merged_into_id is not None:
        raise ValidationError({"person": _("This person was merged into another record: choose that one.")})
    case = Case.objects.select_for_update().filter(person=person, team=team).exclude(status=Case.Status.CLOSED).first()
    if case is None:
        case = case_open(
            person=person,
            team=team,
            actor=actor,
            lead_psychologist=lead_psychologist,
            main_language=referral.main_language,
            request=request,
        )
    consent_record(
        person=person,
        actor=actor,
        purpose=ConsentRecord.Purpose.REFERRAL,
        given=True,
        given_on=referral.consent_date,
        method=referral.consent_method,
        language=referral.consent_language,
        through_interpreter=referral.consent_through_interpreter,
        note=_("Recorded by %(org)s with referral %(ref)s")
        % {"org": referral.organisation.name, "ref": referral.reference},
    )
    referral.status = Referral.Status.ACCEPTED
    referral.person = person
    referral.case = case
    referral.decided_at = clock.now()
    referral.decided_by = actor
    if referral.taken_by_id is None:
        referral.taken_by, referral.taken_at = actor, referral.decided_at
    referral.save(update_fields=["status", "person", "case", "decided_at", "decided_by", "taken_by", "taken_at"])
    if referral.household_id is not None:
        household_from_referral(referral=referral, actor=actor, request=request)
    data = {
        "urgency": referral.urgency,
        "reasons": referral.reasons,
        "reference": referral.reference,
        "organisation": referral.organisation.name,
    }
    timeline_record(
        case=case,
        kind="referral.submitted",
        actor=referral.submitted_by,
        occurred_at=referral.received_at,
        summary=submitted_summary(data),
        source=referral,
        data=data,
    )
    timeline_record(case=case, kind="referral.accepted", actor=actor, summary=referral.reference, source=referral)
    if ReferralReason.SUICIDAL_THOUGHTS in referral.reasons:
        risk_flag_raise(
            case=case,
            source=RiskFlag.Source.REFERRAL,
            reason_data={"why": "referral", "org": referral.organisation.name, "ref": referral.reference},
            actor=actor,
            source_obj=referral,
        )
    audit_record(action="referral.accepted", actor=actor, request=request, obj=referral, case_ref=case.reference)
    _referral_status_mail(referral)
    return case


@transaction.atomic
def referral_record_first_contact(*, referral: Referral, actor: User, on: date, request=None) -> Referral:
    """The date the team first met the person: the referrer sees it."""
    access.ensure_may(actor, Capability.TRIAGE_REFERRALS, referral.team_id)
    if on > clock.localdate() or on < timezone.localtime(referral.received_at).date():
        raise ValidationError({"on": _("The first contact must be between the referral date and today.")})
    # One conditional write, not a locked read then a write: the status is checked by the row
    # as it stands, and the referral read by the caller (its referrer with it) stays in use.
    accepted = Referral.objects.filter(pk=referral.pk, status=Referral.Status.ACCEPTED)
    if not accepted.update(first_contact_on=on):
        raise ValidationError(_("Only an accepted referral has a first contact."))
    referral.first_contact_on = on
    audit_record(action="referral.first_contact", actor=actor, request=request, obj=referral)
    _referral_status_mail(referral)
    return referral
