"""Every write on persons, referrals, cases and the timeline."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases.matching import name_key
from cases.models import (
    Case,
    CaseShare,
    ConsentRecord,
    CoordinationNote,
    Person,
    PersonLanguage,
    ReferenceCounter,
    Referral,
    ReferralReason,
    RiskFlag,
    SlotRequest,
    TimelineEvent,
    Urgency,
)
from cases.timeline import EVENT_KINDS
from integrapsy import access
from integrapsy.accounts.models import Role, Team, User
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Language

# --- The timeline writer ----------------------------------------------------------------


def timeline_record(
    *,
    case: Case,
    kind: str,
    actor: User | None = None,
    summary: str = "",
    visibility: str | None = None,
    occurred_at: datetime | None = None,
    data: dict | None = None,
    source: Model | None = None,
) -> TimelineEvent:
    """Append one event to the case timeline; the only writer of ``TimelineEvent``."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"Unknown timeline kind {kind!r}: register it in cases.timeline.")
    now = timezone.now()
    return TimelineEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        summary=summary[:255],
        visibility=visibility or EVENT_KINDS[kind].visibility,
        occurred_at=occurred_at or now,
        recorded_at=now,
        data=data or {},
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=str(source.pk) if source is not None else "",
    )


# --- References -------------------------------------------------------------------------


def _next_reference(prefix: str, *, year: int | None = None) -> str:
    """``PREFIX-YYYY-NNNNN``, numbered per year, safe under concurrent requests."""
    year = year or timezone.localdate().year
    with transaction.atomic():
        counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
        counter.value += 1
        counter.save(update_fields=["value"])
    return f"{prefix}-{year}-{counter.value:05d}"


# --- Persons ----------------------------------------------------------------------------


def _refresh_name_keys(person: Person) -> None:
    person.first_name_key = name_key(person.first_name)
    person.last_name_key = name_key(person.last_name)
    person.alias_key = name_key(person.alias)


def _set_languages(person: Person, languages: list[Language], main_language: Language | None) -> None:
    wanted = {lang.pk: lang for lang in languages}
    if main_language is not None:
        wanted[main_language.pk] = main_language
    PersonLanguage.objects.filter(person=person).exclude(language_id__in=wanted).delete()
    existing = set(PersonLanguage.objects.filter(person=person).values_list("language_id", flat=True))
    PersonLanguage.objects.filter(person=person).update(is_main=False)
    PersonLanguage.objects.bulk_create(
        [PersonLanguage(person=person, language_id=pk) for pk in wanted if pk not in existing]
    )
    if main_language is not None:
        PersonLanguage.objects.filter(person=person, language=main_language).update(is_main=True)


PERSON_FIELDS = (
    "first_name",
    "last_name",
    "alias",
    "sex",
    "birth_date",
    "birth_year",
    "unaccompanied_minor",
    "nationality",
    "phone",
    "location",
    "household",
)


@transaction.atomic
def person_create(
    *,
    actor: User,
    first_name: str,
    languages: list[Language] = (),
    main_language: Language | None = None,
    request=None,
    **fields,
) -> Person:
    """Register a person in exile."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    person = Person(first_name=first_name, created_by=actor, **fields)
    _refresh_name_keys(person)
    person.full_clean()
    person.save()
    _set_languages(person, list(languages), main_language)
    audit_record(action="person.created", actor=actor, request=request, obj=person)
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    actor: User,
    languages: list[Language] | None = None,
    main_language: Language | None = None,
    request=None,
    **fields,
) -> Person:
    """Correct or complete a person's identity."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(person, name, value)
    _refresh_name_keys(person)
    person.full_clean()
    person.save()
    if languages is not None:
        _set_languages(person, list(languages), main_language)
    audit_record(action="person.updated", actor=actor, request=request, obj=person, detail=",".join(sorted(fields)))
    return person


@transaction.atomic
def consent_record(
    *,
    person: Person,
    actor: User | None,
    purpose: str,
    given: bool,
    given_on: date,
    method: str,
    language: Language | None = None,
    through_interpreter: bool = False,
    note: str = "",
    request=None,
) -> ConsentRecord:
    """Record the person's consent (or refusal) for one purpose; every open case shows it."""
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("The date of consent cannot be in the future.")})
    consent = ConsentRecord(
        person=person,
        purpose=purpose,
        given=given,
        given_on=given_on,
        method=method,
        language=language,
        through_interpreter=through_interpreter,
        note=note,
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    for case in person.cases.exclude(status=Case.Status.CLOSED):
        timeline_record(
            case=case,
            kind="consent.recorded",
            actor=actor,
            summary=f"{consent.get_purpose_display()} — {_('yes') if given else _('no')}",
            source=consent,
            data={"purpose": purpose, "given": given},
        )
    audit_record(action="consent.recorded", actor=actor, request=request, obj=person, detail=f"{purpose}={given}")
    return consent


def has_current_consent(person: Person, purpose: str) -> bool:
    """The latest record for the purpose says yes."""
    latest = person.consents.filter(purpose=purpose).order_by("-given_on", "-recorded_at").first()
    return bool(latest and latest.given)


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, actor: User, request=None) -> Person:
    """Fold a duplicate into the person kept, moving all their history; nothing is deleted."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with themselves."))
    if duplicate.merged_into_id is not None or keep.merged_into_id is not None:
        raise ValidationError(_("One of these persons was already merged."))
    open_teams = set(keep.cases.exclude(status=Case.Status.CLOSED).values_list("team_id", flat=True))
    clash = duplicate.cases.exclude(status=Case.Status.CLOSED).filter(team_id__in=open_teams)
    if clash.exists():
        raise ValidationError(_("Both persons have an open case in the same team: close one of the two cases first."))
    moved_cases = list(duplicate.cases.all())
    duplicate.cases.update(person=keep)
    duplicate.referrals.update(person=keep)
    duplicate.consents.update(person=keep)
    for pl in duplicate.person_languages.all():
        PersonLanguage.objects.get_or_create(person=keep, language_id=pl.language_id)
    # Other apps' rows that point at the duplicate follow it too.
    for rel in Person._meta.related_objects:
        if rel.one_to_many and rel.related_model not in (
            Case,
            Referral,
            ConsentRecord,
            PersonLanguage,
            Person,
        ):
            rel.related_model._base_manager.filter(**{rel.field.name: duplicate}).update(**{rel.field.name: keep})
    for field in (
        "last_name",
        "alias",
        "birth_date",
        "birth_year",
        "nationality",
        "phone",
        "location",
        "household",
    ):
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    _refresh_name_keys(keep)
    keep.save()
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into"])
    summary = _("%(duplicate)s merged into %(kept)s") % {
        "duplicate": duplicate.display_name,
        "kept": keep.display_name,
    }
    for case in {*moved_cases, *keep.cases.exclude(status=Case.Status.CLOSED)}:
        timeline_record(case=case, kind="person.merged", actor=actor, summary=summary, source=keep)
    audit_record(action="person.merged", actor=actor, request=request, obj=keep, detail=str(duplicate.code))
    return keep


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
    person = person_create(actor=actor, languages=languages, main_language=main_language, request=request, **fields)
    return case_open(person=person, team=team, actor=actor, main_language=main_language, request=request)


@transaction.atomic
def person_anonymise(*, person: Person, actor: User | None, reason: str, request=None) -> Person:
    """Erase what identifies a person in every app, keeping the rows that the indicators count."""
    from integrapsy.gdpr import ERASERS

    if not reason.strip():
        raise ValidationError({"reason": _("Give the legal ground or the request this erasure answers.")})
    if person.cases.exclude(status=Case.Status.CLOSED).exists():
        raise ValidationError(_("This person has an open case: close it before erasing their identity."))
    code = str(person.code)
    for _name, eraser in ERASERS:
        eraser(person)
    for case in person.cases.all():
        timeline_record(case=case, kind="person.anonymised", actor=actor, summary="")
    audit_record(
        action="person.anonymised",
        actor=actor,
        request=request,
        object_type="cases.person",
        object_ref=code,
        detail=reason[:255],
    )
    person.refresh_from_db()
    return person


# --- Cases ------------------------------------------------------------------------------


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
    if lead_psychologist is not None and team.pk not in access.team_ids(lead_psychologist, Role.PSYCHOLOGIST):
        raise ValidationError({"lead_psychologist": _("The lead psychologist must be a psychologist of the team.")})
    if Case.objects.filter(person=person, team=team).exclude(status=Case.Status.CLOSED).exists():
        raise ValidationError(_("This person already has an open case in this team."))
    case = Case(
        person=person,
        team=team,
        reference=_next_reference("IP"),
        opened_on=opened_on or timezone.localdate(),
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
    if status == Case.Status.CLOSED:
        raise ValidationError({"status": _("Use “Close the case” to close it, with a reason.")})
    if lead_psychologist is not None and case.team_id not in access.team_ids(lead_psychologist, Role.PSYCHOLOGIST):
        raise ValidationError({"lead_psychologist": _("The lead psychologist must be a psychologist of the team.")})
    changes = []
    if case.status != status:
        changes.append(_("status: %(status)s") % {"status": Case.Status(status).label})
    if case.lead_psychologist_id != (lead_psychologist.pk if lead_psychologist else None):
        changes.append(_("lead psychologist: %(name)s") % {"name": lead_psychologist or "—"})
    case.status = status
    case.lead_psychologist = lead_psychologist
    case.save(update_fields=["status", "lead_psychologist", "updated_at"])
    before = set(case.members.values_list("pk", flat=True))
    case.members.set(members)
    if before != {m.pk for m in members}:
        changes.append(_("team members involved"))
    if changes:
        timeline_record(case=case, kind="case.updated", actor=actor, summary="; ".join(str(c) for c in changes))
        audit_record(action="case.updated", actor=actor, request=request, obj=case, case_ref=case.reference)
    return case


@transaction.atomic
def case_share(*, case: Case, team: Team, actor: User, reason: str = "", request=None) -> CaseShare:
    """Share a case with another team; needs the person's current consent to sharing."""
    if case.is_closed:
        raise ValidationError(_("A closed case cannot be shared."))
    if team.pk == case.team_id or case.shares.filter(team=team).exists():
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
    closed_on = closed_on or timezone.localdate()
    if case.is_closed:
        raise ValidationError(_("This case is already closed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for closing the case.")})
    if closed_on < case.opened_on or closed_on > timezone.localdate():
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
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    note = CoordinationNote(case=case, author=actor, text=text)
    note.full_clean()
    note.save()
    timeline_record(case=case, kind="note.added", actor=actor, summary=text[:255], source=note)
    audit_record(action="note.added", actor=actor, request=request, obj=case, case_ref=case.reference)
    return note


# --- Suicide-risk flag ------------------------------------------------------------------


@transaction.atomic
def risk_flag_raise(
    *,
    case: Case,
    source: str,
    reason: str,
    actor: User | None = None,
    source_obj: Model | None = None,
    request=None,
) -> RiskFlag:
    """Raise the case's risk flag (or join the open one): a red banner until a psychologist acknowledges it.

    ``reason`` may hold clinical detail: it goes to a clinical timeline event only; the team
    sees that a flag was raised, not why.
    """
    now = timezone.now()
    flag = RiskFlag.objects.select_for_update().filter(case=case, acknowledged_at__isnull=True).first()
    created = flag is None
    if created:
        try:
            with transaction.atomic():
                flag = RiskFlag.objects.create(
                    case=case, source=source, reason=reason[:255], raised_at=now, raised_by=actor
                )
        except IntegrityError:
            flag = RiskFlag.objects.get(case=case, acknowledged_at__isnull=True)
            created = False
    if created:
        timeline_record(case=case, kind="risk.raised", actor=actor, summary=RiskFlag.Source(source).label, source=flag)
    timeline_record(
        case=case,
        kind="risk.raised_detail",
        actor=actor,
        summary=reason,
        source=source_obj or flag,
        data={"source": source},
    )
    if created:
        audit_record(action="risk.raised", actor=actor, request=request, obj=case, case_ref=case.reference)
        with override(settings.LANGUAGE_CODE):
            subject = _("IntegraPsy: risk flag raised on case %(ref)s") % {"ref": case.reference}
            body = _("A suicide-risk flag was raised on case %(ref)s. Sign in to IntegraPsy.") % {"ref": case.reference}
        _notify(team_clinician_and_coordinator_emails(case.team), subject, body)
    return flag


def open_risk_flag(case: Case) -> RiskFlag | None:
    return case.risk_flags.filter(acknowledged_at__isnull=True).first()


# --- Notifications ----------------------------------------------------------------------


def _notify(recipients: list[str], subject: str, body: str) -> None:
    """Send after the transaction commits, never with clinical content."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True))


def team_coordinator_emails(team: Team) -> list[str]:
    users = User.objects.filter(memberships__team=team, memberships__role=Role.COORDINATOR, is_active=True).values_list(
        "email", flat=True
    )
    return [*users, team.contact_email]


def team_clinician_and_coordinator_emails(team: Team) -> list[str]:
    return list(
        User.objects.filter(
            memberships__team=team,
            memberships__role__in=[Role.COORDINATOR, Role.PSYCHOLOGIST],
            is_active=True,
        ).values_list("email", flat=True)
    )


def referrer_contact_emails(referral: Referral) -> list[str]:
    return [referral.organisation.contact_email, referral.submitted_by.email]


def _referral_status_mail(referral: Referral) -> None:
    """Tell the referring organisation that the status changed (status and dates only)."""
    with override(settings.LANGUAGE_CODE):
        subject = _("IntegraPsy: referral %(ref)s — %(status)s") % {
            "ref": referral.reference,
            "status": referral.get_status_display(),
        }
        body = _(
            "The status of your referral %(ref)s is now: %(status)s.\n"
            "Sign in to IntegraPsy to see the details you are allowed to see."
        ) % {"ref": referral.reference, "status": referral.get_status_display()}
    _notify(referrer_contact_emails(referral), subject, body)


# --- Referrals --------------------------------------------------------------------------

REFERRAL_FIELDS = (
    "first_name",
    "last_name",
    "alias",
    "sex",
    "birth_date",
    "birth_year",
    "unaccompanied_minor",
    "nationality",
    "phone",
    "main_language",
    "interpreter_needed",
    "interpreter_language",
    "location",
    "reasons",
    "reason_other",
    "urgency",
    "actions_taken",
    "consent_given",
    "consent_date",
    "consent_method",
    "consent_language",
    "consent_through_interpreter",
)


def referral_validate(referral: Referral) -> None:
    """The rules a referral must meet before it is saved, each error named by its field."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
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


@transaction.atomic
def referral_submit(
    *,
    actor: User,
    team: Team,
    languages: list[Language] = (),
    request=None,
    **fields,
) -> Referral:
    """A referrer sends a person to the team; alarming referrals alert the coordinators."""
    unknown = set(fields) - set(REFERRAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown referral fields: {sorted(unknown)}")
    organisations = access.organisation_ids(actor, Role.REFERRER)
    if not organisations:
        raise ValidationError(_("Only staff of a reception centre or partner may submit a referral."))
    referral = Referral(
        team=team,
        organisation_id=actor.organisation_id if actor.organisation_id in organisations else min(organisations),
        submitted_by=actor,
        received_at=timezone.now(),
        **fields,
    )
    referral_validate(referral)
    referral.alarm = referral.urgency == Urgency.URGENT or ReferralReason.SUICIDAL_THOUGHTS in referral.reasons
    referral.reference = _next_reference("OR")
    referral.full_clean(exclude=["reference"])
    referral.save()
    referral.languages.set(languages)
    audit_record(action="referral.submitted", actor=actor, request=request, obj=referral)
    if referral.alarm:
        with override(settings.LANGUAGE_CODE):
            subject = _("IntegraPsy: urgent referral %(ref)s to take now") % {"ref": referral.reference}
            body = _(
                "An urgent referral (%(ref)s) from %(org)s is waiting in the inbox. Sign in to IntegraPsy to take it."
            ) % {"ref": referral.reference, "org": referral.organisation.name}
        _notify(team_coordinator_emails(team), subject, body)
    return referral


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
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.taken_by_id is None:
        locked.taken_by = actor
        locked.taken_at = timezone.now()
        locked.save(update_fields=["taken_by", "taken_at"])
        audit_record(action="referral.taken", actor=actor, request=request, obj=locked)
    return locked


@transaction.atomic
def referral_request_info(*, referral: Referral, actor: User, question: str, request=None) -> Referral:
    """Ask the referrer for more information; they answer in the portal."""
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("Write your question to the referrer.")})
    referral = _lock_open_referral(referral)
    referral.status = Referral.Status.INFO_REQUESTED
    referral.info_request = question
    referral.info_response = ""
    if referral.taken_by_id is None:
        referral.taken_by, referral.taken_at = actor, timezone.now()
    referral.save(update_fields=["status", "info_request", "info_response", "taken_by", "taken_at"])
    audit_record(action="referral.info_requested", actor=actor, request=request, obj=referral)
    _referral_status_mail(referral)
    return referral


@transaction.atomic
def referral_answer_info(*, referral: Referral, actor: User, answer: str, request=None) -> Referral:
    """The referrer answers the team's question; the referral goes back to the inbox."""
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write your answer.")})
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.INFO_REQUESTED:
        raise ValidationError(_("The team has not asked anything on this referral."))
    referral.status = Referral.Status.SUBMITTED
    referral.info_response = answer
    referral.save(update_fields=["status", "info_response"])
    audit_record(action="referral.info_given", actor=actor, request=request, obj=referral)
    _notify(team_coordinator_emails(referral.team), _("IntegraPsy: the referrer answered"), referral.reference)
    return referral


@transaction.atomic
def referral_decline(*, referral: Referral, actor: User, reason: str, request=None) -> Referral:
    """Decline a referral with a reason the referrer may read."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason: the referrer will read it.")})
    referral = _lock_open_referral(referral)
    referral.status = Referral.Status.DECLINED
    referral.decline_reason = reason
    referral.decided_at = timezone.now()
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
    referral.decided_at = timezone.now()
    referral.decided_by = actor
    if referral.taken_by_id is None:
        referral.taken_by, referral.taken_at = actor, referral.decided_at
    referral.save(update_fields=["status", "person", "case", "decided_at", "decided_by", "taken_by", "taken_at"])
    timeline_record(
        case=case,
        kind="referral.submitted",
        actor=referral.submitted_by,
        occurred_at=referral.received_at,
        summary=f"{referral.reference} — {referral.organisation.name} — {referral.get_urgency_display()}",
        source=referral,
        data={"urgency": referral.urgency, "reasons": referral.reasons},
    )
    timeline_record(case=case, kind="referral.accepted", actor=actor, summary=referral.reference, source=referral)
    if ReferralReason.SUICIDAL_THOUGHTS in referral.reasons:
        risk_flag_raise(
            case=case,
            source=RiskFlag.Source.REFERRAL,
            reason=_("Suicidal thoughts reported by %(org)s in referral %(ref)s")
            % {"org": referral.organisation.name, "ref": referral.reference},
            actor=actor,
            source_obj=referral,
        )
    audit_record(action="referral.accepted", actor=actor, request=request, obj=referral, case_ref=case.reference)
    _referral_status_mail(referral)
    return case


@transaction.atomic
def referral_record_first_contact(*, referral: Referral, actor: User, on: date, request=None) -> Referral:
    """The date the team first met the person: the referrer sees it."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted referral has a first contact."))
    if on > timezone.localdate() or on < referral.received_at.date():
        raise ValidationError({"on": _("The first contact must be between the referral date and today.")})
    referral.first_contact_on = on
    referral.save(update_fields=["first_contact_on"])
    audit_record(action="referral.first_contact", actor=actor, request=request, obj=referral)
    _referral_status_mail(referral)
    return referral
