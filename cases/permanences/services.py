"""Every write on permanence sessions, their slots and bookings."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import (
    Case,
    PermanenceBooking,
    PermanenceSession,
    PermanenceSlot,
    Referral,
    SlotAttendance,
    SlotRequest,
    Visibility,
)
from cases.notifications import permanence_when, referrer_contacts, team_coordinators
from cases.timeline.record import timeline_record
from cases.timeline.texts import choice, show_day
from integrapsy import access, clock, ratelimits
from integrapsy.access import Capability
from integrapsy.accounts.models import Role, User
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Language, Location
from integrapsy.notifications.services import outbox_queue
from integrapsy.validators import required_text

MAX_WEEKS = 26


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _slot_times(start: time, end: time, length: int) -> list[tuple[time, time]]:
    out = []
    current = _minutes(start)
    while current + length <= _minutes(end):
        out.append((time(current // 60, current % 60), time((current + length) // 60, (current + length) % 60)))
        current += length
    return out


def _when(session: PermanenceSession, at: time | None = None) -> dict:
    """The slot as a timeline event keeps it: place, day and time, written out when shown."""
    return permanence_when(session.location.name, session.date, at or session.start_time)


def permanence_summary(data: dict) -> str:
    """ "CAES Croisilles — 01/12/2026 09:45", then who cancelled and why, or the referrer, as kept."""
    when = data["when"]
    text = f"{when['place']} — {show_day(when['day'])} {when['at']}"
    if data.get("by"):
        text += f" — {choice(PermanenceBooking, 'cancelled_by_party', data['by'])}: {data.get('reason', '')}"
    elif data.get("reason"):
        text += f" — {data['reason']}"
    if data.get("organisation"):
        text += f" — {data['organisation']}"
    return text


def _record(case, *, kind: str, actor, source, data: dict, **extra) -> None:
    timeline_record(
        case=case, kind=kind, actor=actor, summary=permanence_summary(data), source=source, data=data, **extra
    )


def _booking_logged(booking: PermanenceBooking, *, kind: str, actor: User, data: dict, request=None, **extra) -> None:
    """A booking made or marked: on its case's timeline (when it has a case) and in the audit log, under one name."""
    case = booking.case
    if case is not None:
        _record(case, kind=kind, actor=actor, source=booking, data=data, **extra)
    audit_record(action=kind, actor=actor, request=request, obj=booking, case_ref=case.reference if case else "")


def _message_when(session: PermanenceSession, slot) -> dict:
    """The slot as a message stores it (written out when delivered, in the recipient's language)."""
    return permanence_when(session.location.name, session.date, slot.start_time or session.start_time)


def _validate_presence(
    *,
    team_id: int,
    psychologist: User,
    ambassador: User | None,
    interpreter: User | None,
    errors: dict,
) -> None:
    if not access.holds_role(psychologist, Role.PSYCHOLOGIST, team_id):
        errors["psychologist"] = _("Choose a psychologist of the team.")
    if ambassador is not None and not access.holds_role(ambassador, Role.AMBASSADOR, team_id):
        errors["ambassador"] = _("Choose an ambassador of the team.")
    if interpreter is not None and not access.holds_role(interpreter, Role.INTERPRETER):
        errors["interpreter"] = _("Choose an interpreter.")


@transaction.atomic
def permanence_session_create(
    *,
    actor: User,
    location: Location,
    psychologist: User,
    date: date,
    start_time: time,
    end_time: time,
    slot_minutes: int = 45,
    walk_in_places: int = 0,
    ambassador: User | None = None,
    interpreter: User | None = None,
    interpreter_language: Language | None = None,
    weeks: int = 1,
    request=None,
) -> list[PermanenceSession]:
    """Plan one session, or the same session every week for ``weeks`` weeks, with its slots."""
    errors: dict[str, str] = {}
    team_id = location.team_id
    if not access.may(actor, Capability.PLAN_PERMANENCES, team_id):
        errors["location"] = _("You can only plan permanences at your team's places.")
    if end_time <= start_time:
        errors["end_time"] = _("The end must be after the start.")
    elif not slot_minutes or slot_minutes < 5:
        errors["slot_minutes"] = _("A slot lasts at least 5 minutes.")
    else:
        length = _minutes(end_time) - _minutes(start_time)
        if length % slot_minutes:
            errors["slot_minutes"] = _(
                "Slots of %(slot)s minutes do not divide the session of %(length)s minutes: "
                "change the slot length or the end time."
            ) % {"slot": slot_minutes, "length": length}
    if date < clock.localdate():
        errors["date"] = _("A permanence cannot be planned in the past.")
    if not 1 <= weeks <= MAX_WEEKS:
        errors["weeks"] = _("Repeat for 1 to %(max)s weeks.") % {"max": MAX_WEEKS}
    if walk_in_places < 0:
        errors["walk_in_places"] = _("Enter a number of places, 0 or more.")
    _validate_presence(
        team_id=team_id,
        psychologist=psychologist,
        ambassador=ambassador,
        interpreter=interpreter,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    sessions = _sessions_write(
        actor=actor,
        location=location,
        psychologist=psychologist,
        date=date,
        start_time=start_time,
        end_time=end_time,
        slot_minutes=slot_minutes,
        walk_in_places=walk_in_places,
        ambassador=ambassador,
        interpreter=interpreter,
        interpreter_language=interpreter_language,
        weeks=weeks,
    )
    audit_record(
        action="permanence.created",
        actor=actor,
        request=request,
        obj=sessions[0],
        detail=f"{weeks} week(s)",
    )
    return sessions


def _sessions_write(*, actor, location, date, start_time, end_time, slot_minutes, weeks, **fields):
    """Save the sessions of a series and their slots (validated by the caller)."""
    series = uuid.uuid4() if weeks > 1 else None
    sessions = []
    for week in range(weeks):
        session = PermanenceSession(
            team_id=location.team_id,
            location=location,
            date=date + timedelta(weeks=week),
            start_time=start_time,
            end_time=end_time,
            slot_minutes=slot_minutes,
            series=series,
            created_by=actor,
            **fields,
        )
        session.full_clean()
        session.save()
        PermanenceSlot.objects.bulk_create(
            [
                PermanenceSlot(session=session, start_time=start, end_time=end)
                for start, end in _slot_times(start_time, end_time, slot_minutes)
            ]
        )
        sessions.append(session)
    return sessions


@transaction.atomic
def permanence_session_cancel(
    *, session: PermanenceSession, actor: User, reason: str, request=None
) -> PermanenceSession:
    """Cancel one occurrence; its appointments are cancelled by the team with the same reason."""
    session = PermanenceSession.objects.select_for_update(of=("self",)).select_related("location").get(pk=session.pk)
    if not access.may(actor, Capability.PLAN_PERMANENCES, session.team_id):
        raise ValidationError(_("Only a coordinator of the team may cancel this permanence."))
    if session.is_cancelled:
        raise ValidationError(_("This permanence is already cancelled."))
    reason = required_text(reason, field="reason", message=_("Give the reason: the persons booked will be told."))
    now = clock.now()
    session.status = PermanenceSession.Status.CANCELLED
    session.cancel_reason = reason
    session.cancelled_at = now
    session.cancelled_by = actor
    session.save(update_fields=["status", "cancel_reason", "cancelled_at", "cancelled_by"])
    for booking in session.bookings.filter(status=SlotAttendance.BOOKED).select_related("case", "slot"):
        booking.status = SlotAttendance.CANCELLED
        booking.cancelled_by_party = PermanenceBooking.CancelledBy.TEAM
        booking.cancel_reason = reason
        booking.marked_by, booking.marked_at = actor, now
        booking.save(update_fields=["status", "cancelled_by_party", "cancel_reason", "marked_by", "marked_at"])
        if booking.case is not None:
            _record(
                booking.case,
                kind="permanence.cancelled",
                actor=actor,
                source=booking,
                data={"when": _when(session, booking.slot.start_time if booking.slot else None), "reason": reason},
            )
    # Requests for its slots can no longer be met: the referrers read why.
    for slot_request in _pending_requests().filter(slot__session=session):
        _slot_request_decline_write(
            slot_request,
            actor=actor,
            reason=_("The permanence is cancelled: %(reason)s") % {"reason": reason},
            request=request,
        )
    audit_record(action="permanence.cancelled", actor=actor, request=request, obj=session, detail=reason)
    return session


def _check_case(actor: User, session: PermanenceSession, case: Case) -> None:
    if case.is_closed:
        raise ValidationError({"case": _("This case is closed.")})
    followed_here = access.case_followed_by(case, session.team_id)
    if not followed_here or not access.scope_cases(actor, Case.objects.filter(pk=case.pk)).exists():
        raise ValidationError({"case": _("Choose a case followed by the team of this permanence.")})


def _new_booking(
    session: PermanenceSession,
    case: Case,
    actor: User,
    interpreter_needed: bool,
    interpreter_language: Language | None,
    note: str,
    **fields,
) -> PermanenceBooking:
    """The booking of a case's person at a session, a slot's or a walk-in's (unsaved)."""
    return PermanenceBooking(
        session=session,
        person=case.person,
        case=case,
        interpreter_needed=interpreter_needed,
        interpreter_language=interpreter_language if interpreter_needed else None,
        note=note.strip(),
        booked_by=actor,
        **fields,
    )


@transaction.atomic
def permanence_slot_book(
    *,
    slot: PermanenceSlot,
    actor: User,
    case: Case,
    interpreter_needed: bool = False,
    interpreter_language: Language | None = None,
    note: str = "",
    request=None,
) -> PermanenceBooking:
    """Book a case's person into a free slot; the database refuses a second booking of the slot."""
    session = PermanenceSession.objects.select_related("location").get(pk=slot.session_id)
    if not access.may(actor, Capability.BOOK_SLOTS, session.team_id):
        raise ValidationError(_("You cannot book at this team's permanences."))
    if session.is_cancelled:
        raise ValidationError(_("This permanence is cancelled."))
    starts = timezone.make_aware(datetime.combine(session.date, slot.start_time))
    if starts <= clock.now():
        raise ValidationError({"slot": _("This slot is in the past: choose a coming slot.")})
    if interpreter_needed and interpreter_language is None:
        raise ValidationError({"interpreter_language": _("Say which language the interpreter must speak.")})
    _check_case(actor, session, case)
    taken = _("This slot has just been booked by someone else: choose another one.")
    if PermanenceBooking.objects.filter(slot=slot).exclude(status=SlotAttendance.CANCELLED).exists():
        raise ValidationError({"slot": taken})
    booking = _new_booking(session, case, actor, interpreter_needed, interpreter_language, note, slot=slot)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        raise ValidationError({"slot": taken}) from exc
    _booking_logged(
        booking,
        kind="permanence.booked",
        actor=actor,
        data={"session": str(session.code), "when": _when(session, slot.start_time)},
        request=request,
    )
    return booking


@transaction.atomic
def permanence_walk_in_record(
    *,
    session: PermanenceSession,
    actor: User,
    case: Case,
    interpreter_needed: bool = False,
    interpreter_language: Language | None = None,
    note: str = "",
    request=None,
) -> PermanenceBooking:
    """Record a person who came without an appointment (no slot), within the session's walk-in places."""
    if not access.may(actor, Capability.RECORD_ATTENDANCE, session.team_id):
        raise ValidationError(_("You cannot record attendance at this team's permanences."))
    # The session's row lock makes two walk-ins recorded at once count each other.
    session = PermanenceSession.objects.select_for_update(of=("self",)).select_related("location").get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError(_("This permanence is cancelled."))
    if session.date > clock.localdate():
        raise ValidationError(_("Walk-ins are recorded on the day of the permanence or after."))
    used = session.bookings.filter(slot__isnull=True).exclude(status=SlotAttendance.CANCELLED).count()
    if used >= session.walk_in_places:
        if session.walk_in_places == 0:
            raise ValidationError(_("This permanence has no walk-in places: book a free slot instead."))
        raise ValidationError(
            ngettext(
                "The %(places)s walk-in place of this permanence is already used.",
                "All %(places)s walk-in places of this permanence are used.",
                session.walk_in_places,
            )
            % {"places": session.walk_in_places}
        )
    _check_case(actor, session, case)
    now = clock.now()
    booking = _new_booking(
        session,
        case,
        actor,
        interpreter_needed,
        interpreter_language,
        note,
        status=SlotAttendance.ATTENDED,
        marked_by=actor,
        marked_at=now,
    )
    booking.full_clean()
    booking.save()
    _booking_logged(
        booking,
        kind="permanence.walk_in",
        actor=actor,
        data={"when": _when(session)},
        request=request,
        occurred_at=session.starts_at if session.date < clock.localdate() else now,
    )
    return booking


@transaction.atomic
def booking_attendance_record(
    *,
    booking: PermanenceBooking,
    actor: User,
    status: str,
    cancelled_by_party: str = "",
    cancel_reason: str = "",
    request=None,
) -> PermanenceBooking:
    """Mark a booking attended or not come, or cancel it (by whom, why) to free the slot."""
    booking = (
        PermanenceBooking.objects.select_for_update(of=("self",))
        .select_related("session", "session__location", "slot", "case")
        .get(pk=booking.pk)
    )
    session = booking.session
    if status not in SlotAttendance.values or status == SlotAttendance.BOOKED:
        raise ValidationError({"status": _("Choose attended, did not come or cancelled.")})
    if status == SlotAttendance.CANCELLED:
        if not access.may(actor, Capability.BOOK_SLOTS, session.team_id):
            raise ValidationError(_("You cannot change this team's appointments."))
    elif not access.may(actor, Capability.RECORD_ATTENDANCE, session.team_id):
        raise ValidationError(_("Only the team's coordinators and psychologists record attendance."))
    if booking.status == SlotAttendance.CANCELLED:
        raise ValidationError(_("This appointment was cancelled; book a new one if needed."))
    if hasattr(booking, "consultation") and status != SlotAttendance.ATTENDED:
        raise ValidationError(_("A consultation was logged for this appointment: it stays attended."))
    errors: dict[str, str] = {}
    if status == SlotAttendance.CANCELLED:
        if cancelled_by_party not in PermanenceBooking.CancelledBy.values:
            errors["cancelled_by_party"] = _("Say who cancelled.")
        if not cancel_reason.strip():
            errors["cancel_reason"] = _("Say why the appointment is cancelled.")
    elif session.date > clock.localdate():
        errors["status"] = _("Attendance is recorded from the day of the permanence.")
    if errors:
        raise ValidationError(errors)
    booking.status = status
    booking.marked_by, booking.marked_at = actor, clock.now()
    if status == SlotAttendance.CANCELLED:
        booking.cancelled_by_party = cancelled_by_party
        booking.cancel_reason = cancel_reason.strip()
    booking.full_clean()
    booking.save()
    data = {"when": _when(session, booking.slot.start_time if booking.slot else None)}
    if status == SlotAttendance.CANCELLED:
        data.update(by=booking.cancelled_by_party, reason=booking.cancel_reason)
    _booking_logged(
        booking, kind=f"permanence.{status}", actor=actor, data=data, request=request, visibility=Visibility.TEAM
    )
    return booking


def _slot_starts(session: PermanenceSession, slot: PermanenceSlot) -> datetime:
    return timezone.make_aware(datetime.combine(session.date, slot.start_time))


def _slot_is_taken(slot: PermanenceSlot) -> bool:
    return PermanenceBooking.objects.filter(slot=slot).exclude(status=SlotAttendance.CANCELLED).exists()


def _pending_requests():
    return SlotRequest.objects.filter(status=SlotRequest.Status.PENDING).select_related(
        "referral",
        "referral__case",
        "referral__organisation",
        "referral__submitted_by",
        "slot",
        "slot__session",
        "slot__session__location",
    )


@transaction.atomic
def slot_request_create(
    *,
    referral: Referral,
    actor: User,
    slot: PermanenceSlot,
    interpreter_needed: bool = False,
    interpreter_language: Language | None = None,
    note: str = "",
    request=None,
) -> SlotRequest:
    """A referrer asks for a free coming slot of the team their referral went to; the coordinators are told."""
    ratelimits.consume(user=actor, action="slot_request")
    referral = (
        Referral.objects.select_for_update(of=("self",)).select_related("case", "organisation").get(pk=referral.pk)
    )
    if not access.may_request_slot_for(actor, referral):
        raise ValidationError(_("Only the organisation that referred this person may ask for a slot."))
    if referral.status == Referral.Status.DECLINED:
        raise ValidationError(_("This referral was declined: no slot can be asked for it."))
    if referral.case is not None and referral.case.is_closed:
        raise ValidationError(_("The team has closed this person's follow-up: send a new referral if needed."))
    pending = _("A slot was already requested for this person: wait for the team's answer.")
    if referral.slot_requests.filter(status=SlotRequest.Status.PENDING).exists():
        raise ValidationError(pending)
    session = PermanenceSession.objects.select_related("location").get(pk=slot.session_id)
    errors: dict[str, str] = {}
    if session.team_id != referral.team_id:
        errors["slot"] = _("Choose a slot of the team your referral was sent to.")
    elif session.is_cancelled:
        errors["slot"] = _("This permanence is cancelled: choose another slot.")
    elif _slot_starts(session, slot) <= clock.now():
        errors["slot"] = _("This slot is in the past: choose a coming slot.")
    elif _slot_is_taken(slot):
        errors["slot"] = _("This slot is already booked: choose another one.")
    if interpreter_needed and interpreter_language is None:
        errors["interpreter_language"] = _("Say which language the interpreter must speak.")
    if errors:
        raise ValidationError(errors)
    slot_request = SlotRequest(
        team_id=referral.team_id,
        referral=referral,
        slot=slot,
        interpreter_needed=interpreter_needed,
        interpreter_language=interpreter_language if interpreter_needed else None,
        note=note.strip(),
        requested_by=actor,
    )
    try:
        with transaction.atomic():
            slot_request.save()
    except IntegrityError as exc:  # the same request sent twice at once
        raise ValidationError(pending) from exc
    if referral.case is not None:
        _record(
            referral.case,
            kind="permanence.requested",
            actor=actor,
            source=slot_request,
            data={
                "session": str(session.code),
                "when": _when(session, slot.start_time),
                "organisation": referral.organisation.name,
            },
        )
    audit_record(
        action="permanence.slot_requested",
        actor=actor,
        request=request,
        obj=slot_request,
        case_ref=referral.case.reference if referral.case else "",
        detail=referral.reference,
    )
    outbox_queue(
        to=team_coordinators(referral.team),
        template="permanence.slot_requested",
        context={"org": referral.organisation.name, "ref": referral.reference, "when": _message_when(session, slot)},
        team=referral.team_id,
    )
    return slot_request


def _lock_pending_request(slot_request: SlotRequest, actor: User) -> SlotRequest:
    """Re-read the request under a row lock; two coordinators cannot both answer it."""
    locked = (
        SlotRequest.objects.select_for_update(of=("self",))
        .select_related(
            "referral",
            "referral__case",
            "referral__organisation",
            "referral__submitted_by",
            "slot",
            "slot__session",
            "slot__session__location",
        )
        .get(pk=slot_request.pk)
    )
    if not access.may(actor, Capability.ANSWER_SLOT_REQUESTS, locked.team_id):
        raise ValidationError(_("Only a coordinator of the team may answer this request."))
    if not locked.is_pending:
        raise ValidationError(
            _("This request was already answered (%(status)s).") % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def slot_request_confirm(*, slot_request: SlotRequest, actor: User, request=None) -> PermanenceBooking:
    """Book the requested slot through the booking service; a slot taken meanwhile is refused clearly."""
    slot_request = _lock_pending_request(slot_request, actor)
    referral = slot_request.referral
    if referral.status != Referral.Status.ACCEPTED or referral.case is None:
        raise ValidationError(
            _("Accept the referral first: the appointment goes into the person's case. The request waits until then.")
        )
    slot, session = slot_request.slot, slot_request.slot.session
    taken = _("This slot is no longer free: decline the request with a reason, the referrer can then ask for another.")
    if session.is_cancelled:
        raise ValidationError(_("This permanence is cancelled: decline the request."))
    if _slot_starts(session, slot) <= clock.now():
        raise ValidationError(_("This slot has passed: decline the request with a reason."))
    try:
        booking = permanence_slot_book(
            slot=slot,
            actor=actor,
            case=referral.case,
            interpreter_needed=slot_request.interpreter_needed,
            interpreter_language=slot_request.interpreter_language,
            note=slot_request.note,
            request=request,
        )
    except ValidationError as exc:
        if "slot" in getattr(exc, "error_dict", {}):
            raise ValidationError(taken) from exc
        raise ValidationError(exc.messages) from exc
    slot_request.status = SlotRequest.Status.CONFIRMED
    slot_request.booking = booking
    slot_request.decided_by, slot_request.decided_at = actor, clock.now()
    slot_request.save(update_fields=["status", "booking", "decided_by", "decided_at"])
    audit_record(
        action="permanence.slot_request_confirmed",
        actor=actor,
        request=request,
        obj=slot_request,
        case_ref=referral.case.reference,
    )
    outbox_queue(
        to=referrer_contacts(referral),
        template="permanence.slot_confirmed",
        context={"ref": referral.reference, "when": _message_when(session, slot)},
        team=referral.team_id,
    )
    return booking


@transaction.atomic
def slot_request_decline(*, slot_request: SlotRequest, actor: User, reason: str, request=None) -> SlotRequest:
    """Decline a requested slot with a reason the referrer reads."""
    reason = required_text(reason, field="reason", message=_("Give the reason: the referrer will read it."))
    slot_request = _lock_pending_request(slot_request, actor)
    return _slot_request_decline_write(slot_request, actor=actor, reason=reason, request=request)


def _slot_request_decline_write(slot_request: SlotRequest, *, actor: User, reason: str, request=None) -> SlotRequest:
    """Mark a pending request declined, on the timeline if there is a case, and tell the referrer."""
    session = slot_request.slot.session
    slot_request.status = SlotRequest.Status.DECLINED
    slot_request.decline_reason = reason[:500]
    slot_request.decided_by, slot_request.decided_at = actor, clock.now()
    slot_request.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    referral = slot_request.referral
    if referral.case is not None:
        _record(
            referral.case,
            kind="permanence.request_declined",
            actor=actor,
            source=slot_request,
            data={"when": _when(session, slot_request.slot.start_time), "reason": reason},
        )
    audit_record(
        action="permanence.slot_request_declined",
        actor=actor,
        request=request,
        obj=slot_request,
        case_ref=referral.case.reference if referral.case else "",
        detail=reason,
    )
    outbox_queue(
        to=referrer_contacts(referral),
        template="permanence.slot_declined",
        context={"ref": referral.reference, "when": _message_when(session, slot_request.slot), "reason": reason},
        team=referral.team_id,
    )
    return slot_request
