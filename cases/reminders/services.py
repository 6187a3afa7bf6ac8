"""Every write of text reminders: contact and settings, the scheduling job, calls, gateway callbacks."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import ConsentRecord, Person
from cases.persons.services import consent_record, has_current_consent
from cases.reminders import texts
from cases.reminders.models import Reminder, ReminderSettings, ReminderTemplate, TextContact, WebhookReceipt
from cases.reminders.sources import APPOINTMENT_SOURCES, Appointment, call_helpers
from cases.timeline.record import timeline_record
from cases.timeline.texts import choice, iso_moment, show_moment
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.accounts.models import Team, User
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Language
from integrapsy.notifications.models import OutboxMessage
from integrapsy.notifications.services import outbox_queue

logger = logging.getLogger(__name__)

Kind = Reminder.Kind
Status = Reminder.Status
Why = Reminder.Why
TEXT_PURPOSE = ConsentRecord.Purpose.TEXT_REMINDERS
MESSAGE_TEMPLATE = "reminders.text"
# Kinds that become a call when no text can help; the second reminder (a few hours before)
# then adds nothing to the call made for the first.
CALL_KINDS = (Kind.FIRST, Kind.MOVED, Kind.CANCELLED)
SECOND_REMINDER_MARGIN = timedelta(minutes=30)


# --- The person's number and language ---------------------------------------------------------


@transaction.atomic
def text_contact_set(
    *,
    person: Person,
    actor: User,
    mobile,
    reads_language: Language | None,
    does_not_read: bool,
    reads_french: bool = False,
    request=None,
) -> TextContact:
    """Record the person's mobile number (E.164) and the language they read texts in."""
    if does_not_read and reads_language is not None:
        raise ValidationError({"reads": _("Choose a language or “does not read texts”, not both.")})
    contact, _created = TextContact.objects.get_or_create(person=person)
    contact.mobile = mobile or ""
    contact.reads_language = None if does_not_read else reads_language
    contact.does_not_read = does_not_read
    contact.reads_french = reads_french and not does_not_read
    contact.updated_by = actor
    contact.full_clean()
    contact.save()
    audit_record(action="text_contact.updated", actor=actor, request=request, obj=person)
    return contact


# --- Team settings and templates -------------------------------------------------------------


def team_settings(team_id: int) -> ReminderSettings:
    """The team's settings row, or the defaults (not saved) when the team kept them."""
    found = ReminderSettings.objects.filter(team_id=team_id).first()
    return found or ReminderSettings(team_id=team_id)


@transaction.atomic
def reminder_settings_update(*, team: Team, actor: User, request=None, **fields) -> ReminderSettings:
    """Change which appointments get reminders, when, and the sender name."""
    if not access.may(actor, Capability.CONFIGURE_REMINDERS, team.pk):
        raise ValidationError(_("Only a coordinator of the team may change its reminders."))
    sender = (fields.get("sender_name") or "").strip()
    if texts.forbidden_words_in(sender):
        raise ValidationError({"sender_name": _("Choose a neutral sender name: it is read by others.")})
    settings_row, _created = ReminderSettings.objects.get_or_create(team=team)
    for name, value in fields.items():
        setattr(settings_row, name, value)
    settings_row.sender_name = sender
    settings_row.full_clean()
    settings_row.save()
    audit_record(action="reminder_settings.updated", actor=actor, request=request, obj=settings_row)
    return settings_row


@transaction.atomic
def reminder_template_save(
    *, team: Team, actor: User, language_code: str, kind: str, text: str, request=None
) -> ReminderTemplate:
    """Write the team's text for one kind of message in one language; placeholders and words checked."""
    if not access.may(actor, Capability.CONFIGURE_REMINDERS, team.pk):
        raise ValidationError(_("Only a coordinator of the team may change its texts."))
    text = text.strip()
    try:
        texts.validate_template_text(text)
    except ValidationError as exc:
        raise ValidationError({"text": exc.messages}) from exc
    template, _created = ReminderTemplate.objects.update_or_create(
        team=team, language_code=language_code, kind=kind, defaults={"text": text, "updated_by": actor}
    )
    audit_record(action="reminder_template.saved", actor=actor, request=request, obj=template, detail=language_code)
    return template


def template_text(team_id: int, language_code: str, kind: str) -> str | None:
    """The team's text for this language and kind, else the shipped one, else None."""
    own = (
        ReminderTemplate.objects.filter(team_id=team_id, language_code=language_code, kind=kind)
        .values_list("text", flat=True)
        .first()
    )
    return own if own is not None else texts.SHIPPED.get(language_code, {}).get(kind)


# --- Quiet hours ------------------------------------------------------------------------------


def next_allowed(moment: datetime, quiet_from: time = time(21), quiet_until: time = time(8)) -> datetime:
    """``moment``, or the end of the quiet hours it falls in (local time, across a DST change)."""
    local = timezone.localtime(moment)
    t = local.time()
    wraps = quiet_from > quiet_until  # 21:00 → 08:00 spans midnight
    quiet = (t >= quiet_from or t < quiet_until) if wraps else (quiet_from <= t < quiet_until)
    if not quiet:
        return moment
    day = local.date() + timedelta(days=1) if wraps and t >= quiet_from else local.date()
    return timezone.make_aware(datetime.combine(day, quiet_until))


# --- What a text can do for this person ---------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Where and in which language a text goes, or ``why`` none can."""

    number: str = ""
    language_code: str = ""
    template: str = ""
    why: str = ""


TEMPLATE_KIND = {Kind.FIRST: "reminder", Kind.SECOND: "reminder", Kind.MOVED: "moved", Kind.CANCELLED: "cancelled"}


def text_route(person: Person, team_id: int, kind: str) -> Route:
    """The consent, the number, the language read and its template, checked in this order."""
    if not has_current_consent(person, TEXT_PURPOSE):
        return Route(why=Why.NO_CONSENT)
    contact = TextContact.objects.select_related("reads_language").filter(person=person).first()
    if contact is None or not contact.mobile:
        return Route(why=Why.NO_NUMBER)
    if contact.does_not_read or (contact.reads_language is None and not contact.reads_french):
        return Route(why=Why.DOES_NOT_READ)
    template_kind = TEMPLATE_KIND[kind]
    candidates = [contact.reads_language.code] if contact.reads_language else []
    if contact.reads_french or (contact.reads_language and contact.reads_language.code == "fra"):
        candidates.append("fra")
    for code in candidates:
        text = template_text(team_id, code, template_kind)
        if text:
            return Route(number=str(contact.mobile), language_code=code, template=text)
    return Route(why=Why.NO_TEMPLATE)


# --- The job: schedule, watch for changes, send what is due -------------------------------------


def _planned(appointment: Appointment, kind: str, settings_row: ReminderSettings, now: datetime) -> datetime | None:
    hours = settings_row.first_hours if kind == Kind.FIRST else settings_row.second_hours
    planned = max(appointment.starts_at - timedelta(hours=hours), now)
    send_at = next_allowed(planned, settings_row.quiet_from, settings_row.quiet_until)
    if kind == Kind.FIRST and settings_row.second_hours:
        latest = appointment.starts_at - timedelta(hours=settings_row.second_hours)
    else:
        latest = appointment.starts_at - SECOND_REMINDER_MARGIN
    return send_at if send_at <= latest else None


def _create(appointment: Appointment, *, kind: str, send_at: datetime) -> Reminder | None:
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                team_id=appointment.team_id,
                person_id=appointment.person_id,
                case_id=appointment.case_id,
                source=appointment.source,
                source_key=appointment.key,
                appointment_at=appointment.starts_at,
                place=appointment.place[:200],
                kind=kind,
                send_at=send_at,
            )
    except IntegrityError:
        return None  # this appointment's reminder of this kind exists already


def reminders_schedule(*, now: datetime, sources: list[str] | None = None) -> int:
    """Write the reminders of the coming appointments (one row per appointment, kind and time)."""
    now = now.astimezone(UTC)
    settings_by_team = {s.team_id: s for s in ReminderSettings.objects.all()}
    horizon = max([48, *(s.first_hours for s in settings_by_team.values())])
    created = 0
    for source in APPOINTMENT_SOURCES.values():
        if sources is not None and source.key not in sources:
            continue
        for appointment in source.coming(now, now + timedelta(hours=horizon + 2)):
            settings_row = settings_by_team.get(appointment.team_id) or ReminderSettings(team_id=appointment.team_id)
            if not getattr(settings_row, source.setting):
                continue
            if appointment.starts_at - now > timedelta(hours=settings_row.first_hours + 1):
                continue
            kinds = [Kind.FIRST, Kind.SECOND] if settings_row.second_hours else [Kind.FIRST]
            for kind in kinds:
                if Reminder.objects.filter(
                    source=appointment.source,
                    source_key=appointment.key,
                    kind=kind,
                    appointment_at=appointment.starts_at,
                ).exists():
                    continue
                send_at = _planned(appointment, kind, settings_row, now)
                if send_at is not None and _create(appointment, kind=kind, send_at=send_at):
                    created += 1
    return created


INFORMED = (Status.QUEUED, Status.CALLED, Status.NOT_REACHED, Status.TO_CALL)


def reminders_watch_changes(*, now: datetime) -> int:
    """Appointments moved or cancelled since their reminders were written: drop those, tell the person."""
    now = now.astimezone(UTC)
    rows = list(
        Reminder.objects.filter(appointment_at__gt=now, kind__in=[Kind.FIRST, Kind.SECOND, Kind.MOVED]).exclude(
            status=Status.DROPPED
        )
    )
    by_source: dict[str, set[str]] = {}
    for row in rows:
        by_source.setdefault(row.source, set()).add(row.source_key)
    current: dict[tuple[str, str], Appointment | None] = {}
    for source_key, keys in by_source.items():
        source = APPOINTMENT_SOURCES.get(source_key)
        found = source.current(sorted(keys)) if source else {}
        for key in keys:
            current[(source_key, key)] = found.get(key)
    told = 0
    for row in rows:
        appointment = current.get((row.source, row.source_key))
        cancelled = appointment is None or appointment.cancelled
        moved = not cancelled and appointment.starts_at != row.appointment_at
        if not (cancelled or moved):
            continue
        informed = row.status in INFORMED
        if row.status == Status.SCHEDULED:
            Reminder.objects.filter(pk=row.pk, status=Status.SCHEDULED).update(
                status=Status.DROPPED, why=Why.APPOINTMENT_CANCELLED if cancelled else Why.APPOINTMENT_MOVED
            )
        if not informed:
            continue
        settings_row = team_settings(row.team_id)
        send_at = next_allowed(now, settings_row.quiet_from, settings_row.quiet_until)
        if cancelled:
            template = Appointment(
                row.source, row.source_key, row.team_id, row.person_id, row.case_id, row.appointment_at, row.place
            )
            told += bool(_create(template, kind=Kind.CANCELLED, send_at=send_at))
        else:
            told += bool(_create(appointment, kind=Kind.MOVED, send_at=send_at))
    return told


def _still_valid(reminder: Reminder, now: datetime) -> str:
    """Why a due reminder must not go out any more ("" when it may)."""
    if reminder.appointment_at <= now:
        return Why.TOO_LATE
    if reminder.kind == Kind.CANCELLED:
        return ""
    source = APPOINTMENT_SOURCES.get(reminder.source)
    appointment = source.current([reminder.source_key]).get(reminder.source_key) if source else None
    if appointment is None or appointment.cancelled:
        return Why.APPOINTMENT_CANCELLED
    if appointment.starts_at != reminder.appointment_at:
        return Why.APPOINTMENT_MOVED
    return ""


@transaction.atomic
def reminder_send(*, reminder: Reminder, now: datetime) -> str:
    """Send one due reminder by text, or make it a call, or drop it; what became of it."""
    claimed = Reminder.objects.select_for_update().filter(pk=reminder.pk, status=Status.SCHEDULED).first()
    if claimed is None:
        return "skipped"  # another run took it
    reminder = claimed
    why = _still_valid(reminder, now)
    if why:
        reminder.status, reminder.why = Status.DROPPED, why
        reminder.save(update_fields=["status", "why"])
        return reminder.status
    person = Person.objects.get(pk=reminder.person_id)
    route = text_route(person, reminder.team_id, reminder.kind)
    if not route.why:
        sender = team_settings(reminder.team_id).sender_name
        text = texts.render_text(
            route.template,
            moment=reminder.appointment_at,
            place=reminder.place,
            sender=sender,
            language_code=route.language_code,
        )
        messages = outbox_queue(
            to=route.number,
            template=MESSAGE_TEMPLATE,
            context={"text": text, "sender": sender},
            language="fr",
            team=reminder.team_id,
            channel=OutboxMessage.Channel.SMS,
        )
        reminder.status, reminder.language_code = Status.QUEUED, route.language_code
        reminder.outbox_message = messages[0] if messages else None
        reminder.save(update_fields=["status", "language_code", "outbox_message"])
        if reminder.case_id:
            data = _when(reminder)
            timeline_record(
                case=reminder.case,
                kind="reminder.text_sent",
                summary=reminder_summary(data),
                source=reminder,
                data=data,
            )
        return reminder.status
    if reminder.kind in CALL_KINDS:
        language, assignee = call_helpers(person, reminder.team_id)
        reminder.status, reminder.why = Status.TO_CALL, route.why
        reminder.call_language, reminder.call_assignee = language, assignee
        reminder.save(update_fields=["status", "why", "call_language", "call_assignee"])
        return reminder.status
    reminder.status, reminder.why = Status.DROPPED, route.why
    reminder.save(update_fields=["status", "why"])
    return reminder.status


def reminders_send_due(*, now: datetime, limit: int = 500) -> dict[str, int]:
    """Send every reminder whose time has come; counts by outcome."""
    now = now.astimezone(UTC)
    counts: dict[str, int] = {}
    due = Reminder.objects.filter(status=Status.SCHEDULED, send_at__lte=now).select_related("case")
    for reminder in list(due.order_by("send_at", "pk")[:limit]):
        outcome = reminder_send(reminder=reminder, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def reminders_run(*, now: datetime | None = None, sources: list[str] | None = None) -> dict[str, int]:
    """One pass of the job: watch the changes, schedule the coming appointments, send what is due."""
    # Real hours, not wall-clock ones: "48 h before" stays 48 h across a DST change.
    now = (now or clock.now()).astimezone(UTC)
    told = reminders_watch_changes(now=now)
    scheduled = reminders_schedule(now=now, sources=sources)
    counts = reminders_send_due(now=now)
    logger.info("Reminders: %s scheduled, %s changes told, sent %s", scheduled, told, counts)
    return {"scheduled": scheduled, "changes": told, **counts}


def _when(reminder: Reminder) -> dict:
    """The reminder as its timeline event keeps it: written out in the reader's language when shown."""
    return {"reminder_kind": reminder.kind, "at": iso_moment(reminder.appointment_at), "place": reminder.place}


def reminder_summary(data: dict) -> str:
    """ "Text 48 hours before — 01/12/2026 10:00 — CAES Croisilles", in the active language and date format."""
    kind = choice(Reminder, "kind", data["reminder_kind"])
    return f"{kind} — {show_moment(data['at'])} — {data['place']}"


# --- Calls ---------------------------------------------------------------------------------


@transaction.atomic
def reminder_call_answer(*, reminder: Reminder, actor: User, reached: bool, request=None) -> Reminder:
    """Record that the person was called about their appointment, reached or not (on the timeline)."""
    reminder = Reminder.objects.select_for_update(of=("self",)).select_related("case").get(pk=reminder.pk)
    if not access.may_answer_reminder_call(actor, reminder):
        raise ValidationError(_("This call is not yours to record."))
    if reminder.status != Status.TO_CALL:
        raise ValidationError(_("This call was already recorded."))
    reminder.status = Status.CALLED if reached else Status.NOT_REACHED
    reminder.answered_by, reminder.answered_at = actor, clock.now()
    reminder.save(update_fields=["status", "answered_by", "answered_at"])
    if reminder.case_id:
        data = _when(reminder)
        timeline_record(
            case=reminder.case,
            kind="reminder.called" if reached else "reminder.not_reached",
            actor=actor,
            summary=reminder_summary(data),
            source=reminder,
            data=data,
        )
    audit_record(action=f"reminder.{reminder.status}", actor=actor, request=request, obj=reminder)
    return reminder


# --- What the gateway tells ------------------------------------------------------------------


def webhook_accept(*, signature: str) -> bool:
    """Keep a signed request's signature; False when it was already taken (a replay)."""
    try:
        with transaction.atomic():
            WebhookReceipt.objects.create(signature=signature)
    except IntegrityError:
        return False
    WebhookReceipt.objects.filter(received_at__lt=clock.now() - timedelta(days=2)).delete()
    return True


@transaction.atomic
def text_stop_record(*, number: str) -> list[ConsentRecord]:
    """The person answered STOP: their consent to text reminders is withdrawn (on their timeline)."""
    withdrawn = []
    for contact in TextContact.objects.filter(mobile=number).select_related("person"):
        if not has_current_consent(contact.person, TEXT_PURPOSE):
            continue
        withdrawn.append(
            consent_record(
                person=contact.person,
                actor=None,
                purpose=TEXT_PURPOSE,
                given=False,
                given_on=clock.localdate(),
                method=ConsentRecord.Method.TEXT,
                note=_("Answered STOP to a text reminder."),
            )
        )
    return withdrawn
