"""Every write on interpreters and their bookings."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from cases.models import Case
from cases.notifications import team_coordinators
from cases.timeline.record import timeline_record
from cases.timeline.texts import choice, in_language, iso_moment, names_of, show_moment
from integrapsy import clock
from integrapsy.accounts.models import Organisation, Team, User
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Language, Location
from integrapsy.notifications.services import outbox_queue
from integrapsy.validators import required_text
from interpreters import ics
from interpreters.models import (
    ON_SITE_BUFFER,
    BookingStatus,
    BookingWithdrawal,
    CancelledBy,
    Interpreter,
    InterpreterBooking,
    InterpreterLanguage,
    Mode,
    NoShowParty,
    ServesKind,
    Unavailability,
    new_calendar_token,
)

# A request for a rare language less than this many working days ahead is warned.
RARE_LANGUAGE_NOTICE_DAYS = 2
# A language fewer active interpreters than this speak is rare.
RARE_LANGUAGE_INTERPRETERS = 3
LATE_CANCELLATION = timedelta(hours=24)
MAX_BOOKING = timedelta(hours=8)
MAX_MINUTES = 12 * 60
NO_OVERLAP_CONSTRAINT = "booking_no_overlap"
# PostgreSQL's code for a deadlock: two confirmations of overlapping times written at once may
# each wait for the other while the exclusion constraint is checked, and one of them is stopped.
DEADLOCK_DETECTED = "40P01"


class BookingConflict(ValidationError):
    """The interpreter already holds a booking at that time (someone else was quicker)."""


# --- Helpers ----------------------------------------------------------------------------


def blocked_range(*, mode: str, starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """The time the interpreter is held: on site, with the travel and briefing buffer."""
    buffer = ON_SITE_BUFFER if mode == Mode.ON_SITE else timedelta(0)
    return starts_at - buffer, ends_at + buffer


def add_working_days(moment: datetime, days: int) -> datetime:
    """``moment`` moved ``days`` working days (Monday to Friday) later."""
    current = timezone.localtime(moment)
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def is_rare_language(language: Language) -> bool:
    speakers = (
        Interpreter.objects.filter(is_active=True, interpreter_languages__language__code=language.code)
        .distinct()
        .count()
    )
    return speakers < RARE_LANGUAGE_INTERPRETERS


def is_short_notice(*, language: Language, starts_at: datetime, now: datetime | None = None) -> bool:
    now = now or clock.now()
    return starts_at < add_working_days(now, RARE_LANGUAGE_NOTICE_DAYS) and is_rare_language(language)


def booking_summary(booking: InterpreterBooking) -> str:
    """Short, non-clinical text for the timeline: language, mode, time, interpreter."""
    parts = [
        booking.language.name,
        booking.get_mode_display(),
        date_format(timezone.localtime(booking.starts_at), "SHORT_DATETIME_FORMAT"),
    ]
    if booking.interpreter_id:
        parts.append(str(booking.interpreter))
    return " — ".join(str(p) for p in parts)


def booking_data(booking: InterpreterBooking, **extra) -> dict:
    """What a booking's timeline event keeps: written out in the reader's language and date format when shown."""
    return {
        "booking": str(booking.code),
        "status": booking.status,
        "language": names_of(booking.language),
        "mode": booking.mode,
        "starts_at": iso_moment(booking.starts_at),
        "interpreter": str(booking.interpreter) if booking.interpreter_id else "",
        **extra,
    }


def booking_event_summary(data: dict) -> str:
    """ "Tigrinya — On site — 01/12/2026 10:00 — Yonas Haile", then the step's detail, in the active language."""
    parts = [
        in_language(data["language"]),
        choice(InterpreterBooking, "mode", data["mode"]),
        show_moment(data["starts_at"]),
    ]
    if data["interpreter"]:
        parts.append(data["interpreter"])
    if data.get("on_behalf"):
        parts.append(_("confirmed on the interpreter's behalf"))
    if data.get("minutes") is not None:
        parts.append(_("%(minutes)s min") % {"minutes": data["minutes"]})
    if data.get("late_withdrawal"):
        parts.append(_("late withdrawal"))
    if data.get("cancelled_by"):
        if data.get("late"):
            parts.append(_("late cancellation"))
        parts.append(CancelledBy(data["cancelled_by"]).label)
        parts.append(data.get("reason", ""))
    elif data.get("reason"):
        parts.append(data["reason"])
    if data.get("no_show_party"):
        parts.append(NoShowParty(data["no_show_party"]).label)
    return " — ".join(str(p) for p in parts)


def _record(booking: InterpreterBooking, *, kind: str, actor: User | None, request, **extra) -> None:
    """The timeline event (when the booking serves a case) and the audit event of one step."""
    if booking.case_id:
        data = booking_data(booking, **extra)
        timeline_record(
            case=booking.case,
            kind=kind,
            actor=actor,
            summary=booking_event_summary(data),
            source=booking,
            data=data,
        )
    audit_record(
        action=kind,
        actor=actor,
        request=request,
        obj=booking,
        case_ref=booking.case.reference if booking.case_id else "",
        detail="; ".join(f"{key}={value}" for key, value in extra.items()),
    )


def interpreter_conflicts(*, interpreter: Interpreter, blocked_from: datetime, blocked_until: datetime, exclude=None):
    """The interpreter's held bookings overlapping the time given."""
    qs = InterpreterBooking.objects.filter(
        interpreter=interpreter,
        status__in=[BookingStatus.CONFIRMED, BookingStatus.COMPLETED],
        blocked_from__lt=blocked_until,
        blocked_until__gt=blocked_from,
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs


def _unavailable(interpreter: Interpreter, booking: InterpreterBooking) -> bool:
    return interpreter.unavailabilities.filter(
        starts_at__lt=booking.blocked_until, ends_at__gt=booking.blocked_from
    ).exists()


def _check_fits(booking: InterpreterBooking, interpreter: Interpreter) -> None:
    """The interpreter can take this booking: language, mode, the person's wish, free."""
    if not interpreter.is_active:
        raise ValidationError({"interpreter": _("This interpreter is not active.")})
    if not interpreter.interpreter_languages.filter(language__code=booking.language.code).exists():
        raise ValidationError(
            {
                "interpreter": _("%(name)s does not interpret %(language)s.")
                % {"name": interpreter, "language": booking.language.name}
            }
        )
    if not interpreter.offers(booking.mode):
        raise ValidationError(
            {
                "interpreter": _("%(name)s does not work %(mode)s.")
                % {"name": interpreter, "mode": booking.get_mode_display().lower()}
            }
        )
    if booking.excluded_interpreters.filter(pk=interpreter.pk).exists():
        raise ValidationError({"interpreter": _("The person does not want this interpreter.")})
    if _unavailable(interpreter, booking):
        raise ValidationError({"interpreter": _("This interpreter is unavailable at that time.")})


def _check_not_past(booking: InterpreterBooking) -> None:
    if booking.starts_at <= clock.now():
        raise ValidationError(_("This booking has already started."))


def _conflict_error(interpreter: Interpreter) -> BookingConflict:
    return BookingConflict(
        _(
            "%(name)s was just booked at that time by someone else, or already holds a booking "
            "then. Choose another interpreter below."
        )
        % {"name": interpreter}
    )


def _notify_interpreter(
    booking: InterpreterBooking, *, template: str, attach_ics: bool, cancelled: bool | None = None
) -> None:
    """Queue the interpreter's message (sent after the commit); never clinical content, never a surname.

    Called in the interpreter's language: the booking's summary and invitation are written in it.
    ``cancelled``: the invitation takes the booking out of their calendar (by default, when it is cancelled).
    """
    user = booking.interpreter.user
    if cancelled is None:
        cancelled = booking.status == BookingStatus.CANCELLED
    method = "CANCEL" if cancelled else "REQUEST"
    attachments = []
    if attach_ics:
        attachments.append(
            {
                "filename": "booking.ics",
                "content": booking_ics(booking, method=method, cancelled=cancelled),
                # Django's email adds the charset of a text attachment itself: naming it here too
                # repeated it in the header.
                "mimetype": f"text/calendar; method={method}",
            }
        )
    outbox_queue(
        to=user,
        template=template,
        context={"what": booking_summary(booking)},
        attachments=attachments,
        team=booking.team_id,
    )


# --- Calendar ---------------------------------------------------------------------------


def booking_calendar_event(
    booking: InterpreterBooking, *, url: str = "", cancelled: bool | None = None
) -> ics.CalendarEvent:
    """What a calendar shows of a booking: first name only, no clinical detail, no briefing.

    ``cancelled``: the event is gone from the interpreter's calendar (by default, when the booking is cancelled).
    """
    if cancelled is None:
        cancelled = booking.status == BookingStatus.CANCELLED
    first_name = booking.case.person.first_name if booking.case_id else ""
    summary = _("Interpreting %(language)s") % {"language": booking.language.name}
    if first_name:
        summary = f"{summary} — {first_name}"
    if booking.mode == Mode.ON_SITE and booking.location_id:
        place = booking.location
        location = ", ".join(p for p in (place.name, place.address, f"{place.postcode} {place.city}".strip()) if p)
        if booking.location_detail:
            location = f"{location} ({booking.location_detail})"
    else:
        location = str(booking.get_mode_display())
    description = "\n".join(
        [
            f"{_('Mode')}: {booking.get_mode_display()}",
            f"{_('Team')}: {booking.team.name}",
            _("The briefing and the details are in IntegraPsy."),
        ]
    )
    return ics.CalendarEvent(
        uid=f"booking-{booking.code}@integrapsy",
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        summary=summary,
        location=location,
        description=description,
        url=url,
        sequence=1 if cancelled else 0,
        cancelled=cancelled,
        organizer_email=booking.team.contact_email,
        attendee_email=booking.interpreter.user.email if booking.interpreter_id else "",
        attendee_name=booking.interpreter.user.get_full_name() if booking.interpreter_id else "",
    )


def booking_ics(
    booking: InterpreterBooking, *, method: str = "PUBLISH", url: str = "", cancelled: bool | None = None
) -> str:
    return ics.calendar([booking_calendar_event(booking, url=url, cancelled=cancelled)], now=clock.now(), method=method)


# --- Interpreters -----------------------------------------------------------------------


@transaction.atomic
def interpreter_register(
    *,
    user: User,
    service: Organisation,
    actor: User | None,
    gender: str,
    languages: list[Language],
    offers_on_site: bool = True,
    offers_phone: bool = True,
    offers_video: bool = False,
    territories: list[Team] = (),
    request=None,
) -> Interpreter:
    """Give a user with the interpreter role their interpreter profile."""
    if service.kind != Organisation.Kind.INTERPRETING_SERVICE:
        raise ValidationError({"service": _("Choose an interpreting service.")})
    interpreter = Interpreter(
        user=user,
        service=service,
        gender=gender,
        offers_on_site=offers_on_site,
        offers_phone=offers_phone,
        offers_video=offers_video,
    )
    interpreter.full_clean()
    interpreter.save()
    InterpreterLanguage.objects.bulk_create(
        [InterpreterLanguage(interpreter=interpreter, language=lang) for lang in languages]
    )
    interpreter.territories.set(territories)
    audit_record(action="interpreter.registered", actor=actor, request=request, obj=interpreter)
    return interpreter


@transaction.atomic
def calendar_token_reset(*, interpreter: Interpreter, actor: User, request=None) -> Interpreter:
    """A new secret feed address; the old one stops working at once."""
    interpreter.calendar_token = new_calendar_token()
    interpreter.save(update_fields=["calendar_token"])
    audit_record(action="interpreter.calendar_reset", actor=actor, request=request, obj=interpreter)
    return interpreter


@transaction.atomic
def unavailability_add(
    *,
    interpreter: Interpreter,
    actor: User,
    starts_at: datetime,
    ends_at: datetime,
    reason: str = "",
    request=None,
) -> Unavailability:
    """A period when the interpreter takes no booking."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if ends_at <= clock.now():
        raise ValidationError({"ends_at": _("This period is already over.")})
    period = Unavailability(interpreter=interpreter, starts_at=starts_at, ends_at=ends_at, reason=reason)
    period.full_clean()
    period.save()
    audit_record(action="interpreter.unavailability_added", actor=actor, request=request, obj=interpreter)
    return period


# --- Bookings ---------------------------------------------------------------------------


@transaction.atomic
def booking_request(
    *,
    actor: User,
    team: Team,
    language: Language,
    mode: str,
    starts_at: datetime,
    ends_at: datetime,
    case: Case | None = None,
    serves_kind: str = ServesKind.CONSULTATION,
    serves: Model | None = None,
    location: Location | None = None,
    location_detail: str = "",
    gender_preference: str = "",
    same_as_before: bool = False,
    excluded_interpreters: list[Interpreter] = (),
    briefing: str = "",
    request=None,
) -> InterpreterBooking:
    """Ask for an interpreter; ``short_notice`` is set when a rare language is asked too late."""
    now = clock.now()
    errors: dict[str, str] = {}
    if starts_at <= now:
        errors["starts_at"] = _("A booking cannot start in the past.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    elif ends_at - starts_at > MAX_BOOKING:
        errors["ends_at"] = _("A booking lasts at most 8 hours.")
    if mode == Mode.ON_SITE and location is None:
        errors["location"] = _("An on-site booking needs a place.")
    if case is not None and case.is_closed:
        errors["case"] = _("This case is closed.")
    if errors:
        raise ValidationError(errors)
    blocked_from, blocked_until = blocked_range(mode=mode, starts_at=starts_at, ends_at=ends_at)
    booking = InterpreterBooking(
        team=team,
        case=case,
        serves_kind=serves_kind,
        serves_type=ContentType.objects.get_for_model(serves) if serves is not None else None,
        serves_id=str(serves.pk) if serves is not None else "",
        language=language,
        mode=mode,
        location=location,
        location_detail=location_detail,
        starts_at=starts_at,
        ends_at=ends_at,
        blocked_from=blocked_from,
        blocked_until=blocked_until,
        gender_preference=gender_preference,
        same_as_before=same_as_before,
        briefing=briefing,
        short_notice=is_short_notice(language=language, starts_at=starts_at, now=now),
        requested_by=actor,
        requested_at=now,
    )
    booking.full_clean()
    booking.save()
    booking.excluded_interpreters.set(excluded_interpreters)
    _record(booking, kind="booking.requested", actor=actor, request=request)
    return booking


@transaction.atomic
def booking_offer(
    *, booking: InterpreterBooking, interpreter: Interpreter, actor: User, request=None
) -> InterpreterBooking:
    """Offer the booking to one interpreter, who accepts or declines it in the app."""
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.OFFERED):
        raise ValidationError(_("Only a booking waiting for an interpreter can be offered."))
    _check_not_past(booking)
    _check_fits(booking, interpreter)
    if interpreter_conflicts(
        interpreter=interpreter, blocked_from=booking.blocked_from, blocked_until=booking.blocked_until
    ).exists():
        raise _conflict_error(interpreter)
    booking.interpreter = interpreter
    booking.status = BookingStatus.OFFERED
    booking.offered_at = clock.now()
    booking.save(update_fields=["interpreter", "status", "offered_at"])
    _record(booking, kind="booking.offered", actor=actor, request=request)
    with override(interpreter.user.language or settings.LANGUAGE_CODE):
        _notify_interpreter(booking, template="interpreters.booking_offered", attach_ics=False)
    return booking


@transaction.atomic
def booking_decline(*, booking: InterpreterBooking, actor: User, reason: str = "", request=None) -> InterpreterBooking:
    """The interpreter declines an offer: the booking waits for another interpreter."""
    if booking.status != BookingStatus.OFFERED or booking.interpreter.user_id != actor.pk:
        raise ValidationError(_("Only an offer made to you can be declined."))
    interpreter = booking.interpreter
    booking.declined_by.add(interpreter)
    _record(booking, kind="booking.declined", actor=actor, request=request, reason=reason.strip()[:120])
    booking.interpreter = None
    booking.status = BookingStatus.REQUESTED
    booking.offered_at = None
    booking.save(update_fields=["interpreter", "status", "offered_at"])
    return booking


@transaction.atomic
def booking_confirm(
    *,
    booking: InterpreterBooking,
    actor: User,
    interpreter: Interpreter | None = None,
    request=None,
) -> InterpreterBooking:
    """Confirm the booking: the interpreter accepts their offer, or the coordinator confirms for them.

    Raises ``BookingConflict`` when the interpreter already holds a booking at that time, even
    one confirmed a moment ago by a concurrent request (the database refuses the overlap).
    """
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.OFFERED):
        raise ValidationError(_("Only a requested or offered booking can be confirmed."))
    interpreter = interpreter or booking.interpreter
    if interpreter is None:
        raise ValidationError({"interpreter": _("Choose the interpreter.")})
    is_interpreter = interpreter.user_id == actor.pk
    if is_interpreter and (booking.status != BookingStatus.OFFERED or booking.interpreter_id != interpreter.pk):
        raise ValidationError(_("Only an offer made to you can be accepted."))
    _check_not_past(booking)
    _check_fits(booking, interpreter)
    # Under SQLite's IMMEDIATE transaction this check and the write below are serialised;
    # on PostgreSQL concurrent confirmations can both pass it, and the exclusion constraint
    # then refuses the second write.
    if interpreter_conflicts(
        interpreter=interpreter,
        blocked_from=booking.blocked_from,
        blocked_until=booking.blocked_until,
        exclude=booking,
    ).exists():
        raise _conflict_error(interpreter)
    booking.interpreter = interpreter
    booking.status = BookingStatus.CONFIRMED
    booking.confirmed_at = clock.now()
    booking.confirmed_by = actor
    booking.offered_at = booking.offered_at or booking.confirmed_at
    try:
        with transaction.atomic():
            booking.save(update_fields=["interpreter", "status", "confirmed_at", "confirmed_by", "offered_at"])
    except IntegrityError as exc:
        if NO_OVERLAP_CONSTRAINT in str(exc):
            raise _conflict_error(interpreter) from exc
        raise
    except OperationalError as exc:
        # The one stopped lost the race to an overlapping confirmation: the same answer.
        if getattr(exc.__cause__, "sqlstate", None) == DEADLOCK_DETECTED:
            raise _conflict_error(interpreter) from exc
        raise
    _record(booking, kind="booking.confirmed", actor=actor, request=request, on_behalf=not is_interpreter)
    with override(interpreter.user.language or settings.LANGUAGE_CODE):
        _notify_interpreter(booking, template="interpreters.booking_confirmed", attach_ics=True)
    return booking


@transaction.atomic
def booking_complete(
    *, booking: InterpreterBooking, actor: User, actual_start: datetime, minutes: int, request=None
) -> InterpreterBooking:
    """Record the actual time of a confirmed booking (by the interpreter or the coordinator)."""
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError(_("Only a confirmed booking can be completed."))
    errors = {}
    if actual_start > clock.now():
        errors["actual_start"] = _("The actual start cannot be in the future.")
    elif abs(actual_start - booking.starts_at) > timedelta(hours=12):
        errors["actual_start"] = _("The actual start must be on the day of the booking.")
    if not 1 <= minutes <= MAX_MINUTES:
        errors["minutes"] = _("Enter between 1 and 720 minutes.")
    if errors:
        raise ValidationError(errors)
    booking.actual_start = actual_start
    booking.actual_end = actual_start + timedelta(minutes=minutes)
    booking.billable_minutes = minutes
    booking.status = BookingStatus.COMPLETED
    booking.completed_at = clock.now()
    booking.completed_by = actor
    booking.save(
        update_fields=[
            "actual_start",
            "actual_end",
            "billable_minutes",
            "status",
            "completed_at",
            "completed_by",
        ]
    )
    _record(
        booking,
        kind="booking.completed",
        actor=actor,
        request=request,
        minutes=minutes,
    )
    return booking


CANCELLABLE = (BookingStatus.REQUESTED, BookingStatus.OFFERED, BookingStatus.CONFIRMED)


def booking_is_cancellable(booking: InterpreterBooking) -> bool:
    """Requested, offered or confirmed: neither held, missed nor cancelled already."""
    return booking.status in CANCELLABLE


def cancellation_is_late(booking: InterpreterBooking, *, now: datetime | None = None) -> bool:
    """Cancelling now is late: less than 24 hours before the start."""
    return booking.starts_at - (now or clock.now()) < LATE_CANCELLATION


def cancellation_is_billable(
    booking: InterpreterBooking, *, by: str = CancelledBy.TEAM, now: datetime | None = None
) -> bool:
    """Cancelling now is billed as planned: late, of a confirmed booking, by the team (not the interpreter)."""
    return (
        by == CancelledBy.TEAM and booking.status == BookingStatus.CONFIRMED and cancellation_is_late(booking, now=now)
    )


@transaction.atomic
def booking_cancel(
    *, booking: InterpreterBooking, actor: User, reason: str, by: str = CancelledBy.TEAM, request=None
) -> InterpreterBooking:
    """Cancel a booking; less than 24 hours before the start it is late, and billable if it was confirmed.

    A late cancellation by the interpreter is not billable.
    """
    if not booking_is_cancellable(booking):
        raise ValidationError(_("This booking can no longer be cancelled."))
    if by == CancelledBy.INTERPRETER and (booking.interpreter_id is None or booking.interpreter.user_id != actor.pk):
        raise ValidationError(_("Only your own bookings can be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the cancellation.")})
    now = clock.now()
    was_confirmed = booking.status == BookingStatus.CONFIRMED
    booking.late_cancellation = cancellation_is_late(booking, now=now)
    if cancellation_is_billable(booking, by=by, now=now):
        booking.billable_minutes = booking.planned_minutes
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.cancelled_by = actor
    booking.cancelled_by_party = by
    booking.cancel_reason = reason.strip()
    booking.save(
        update_fields=[
            "late_cancellation",
            "billable_minutes",
            "status",
            "cancelled_at",
            "cancelled_by",
            "cancelled_by_party",
            "cancel_reason",
        ]
    )
    _record(
        booking,
        kind="booking.cancelled",
        actor=actor,
        request=request,
        cancelled_by=by,
        late=booking.late_cancellation,
        reason=booking.cancel_reason[:120],
    )
    if was_confirmed and by == CancelledBy.TEAM:
        with override(booking.interpreter.user.language or settings.LANGUAGE_CODE):
            _notify_interpreter(booking, template="interpreters.booking_cancelled", attach_ics=True)
    return booking


def booking_is_withdrawable(booking: InterpreterBooking, *, now: datetime | None = None) -> bool:
    """The booked interpreter may give back a confirmed booking until it starts."""
    return booking.status == BookingStatus.CONFIRMED and booking.starts_at > (now or clock.now())


@transaction.atomic
def booking_withdraw(*, booking: InterpreterBooking, actor: User, reason: str, request=None) -> BookingWithdrawal:
    """The interpreter gives back a confirmed booking: it waits for another interpreter, the coordinators are told.

    Less than 24 hours before the start the withdrawal is late, as a cancellation would be; it is
    never billable, since the interpreter gave the booking back.
    """
    if booking.interpreter_id is None or booking.interpreter.user_id != actor.pk:
        raise ValidationError(_("Only your own bookings can be given back."))
    now = clock.now()
    if not booking_is_withdrawable(booking, now=now):
        raise ValidationError(_("Only a confirmed booking that has not started can be given back."))
    reason = required_text(
        reason, field="reason", message=_("Say why you withdraw, so the team can find someone else.")
    )
    interpreter = booking.interpreter
    # Only while the booking is still theirs and confirmed: a second click, or a coordinator's
    # change in between, finds nothing to give back.
    released = InterpreterBooking.objects.filter(
        pk=booking.pk, status=BookingStatus.CONFIRMED, interpreter=interpreter
    ).update(status=BookingStatus.REQUESTED, interpreter=None, offered_at=None, confirmed_at=None, confirmed_by=None)
    if not released:
        raise ValidationError(_("Only a confirmed booking that has not started can be given back."))
    withdrawal = BookingWithdrawal(
        booking=booking,
        interpreter=interpreter,
        reason=reason,
        withdrawn_at=now,
        late=cancellation_is_late(booking, now=now),
    )
    withdrawal.full_clean()
    withdrawal.save()
    # The ranking then tells the coordinator this interpreter gave it back.
    booking.declined_by.add(interpreter)
    booking.status = BookingStatus.REQUESTED
    _record(
        booking,
        kind="booking.withdrawn",
        actor=actor,
        request=request,
        reason=reason[:120],
        late_withdrawal=withdrawal.late,
    )
    # The interpreter's calendar drops the event their confirmation had put there.
    with override(interpreter.user.language or settings.LANGUAGE_CODE):
        _notify_interpreter(booking, template="interpreters.withdrawal_noted", attach_ics=True, cancelled=True)
    booking.interpreter = None
    booking.offered_at = booking.confirmed_at = booking.confirmed_by = None
    outbox_queue(
        to=team_coordinators(booking.team),
        template="interpreters.booking_withdrawn",
        context={
            **booking_message_when(booking),
            "booking": str(booking.code),
            "interpreter": str(interpreter),
            "reason": reason,
            "late": withdrawal.late,
        },
        team=booking.team_id,
    )
    return withdrawal


def booking_message_when(booking: InterpreterBooking) -> dict:
    """A booking as stored in a message to the team: written out in each recipient's language."""
    language = booking.language
    return {
        "language": {"fr": language.name_fr, "nl": language.name_nl, "en": language.name_en},
        "mode": booking.mode,
        "starts_at": booking.starts_at.isoformat(),
    }


@transaction.atomic
def booking_no_show(*, booking: InterpreterBooking, actor: User, party: str, request=None) -> InterpreterBooking:
    """Record that the interpreter or the person did not come to a confirmed booking."""
    if booking.status != BookingStatus.CONFIRMED:
        raise ValidationError(_("Only a confirmed booking can be marked as a no-show."))
    if booking.starts_at > clock.now():
        raise ValidationError(_("This booking has not started yet."))
    if party not in NoShowParty.values:
        raise ValidationError({"party": _("Say who did not come.")})
    booking.status = BookingStatus.NO_SHOW
    booking.no_show_party = party
    booking.save(update_fields=["status", "no_show_party"])
    _record(booking, kind="booking.no_show", actor=actor, request=request, no_show_party=party)
    return booking
