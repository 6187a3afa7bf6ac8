"""Interpreter-assisted appointments get text reminders too: their source for ``cases.reminders``.

Only on-site appointments of a case, outside permanences (a permanence booking has its own
reminder): the text names the place; the person is not told about the interpreter.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cases.reminders.sources import Appointment, AppointmentSource, register_appointment_source
from interpreters.models import BookingStatus, InterpreterBooking, Mode, ServesKind

ACTIVE = [BookingStatus.REQUESTED, BookingStatus.OFFERED, BookingStatus.CONFIRMED]


def _appointments(queryset):
    for booking in queryset.select_related("case", "location"):
        yield Appointment(
            source="interpreter",
            key=str(booking.code),
            team_id=booking.team_id,
            person_id=booking.case.person_id,
            case_id=booking.case_id,
            starts_at=booking.starts_at.astimezone(UTC),
            place=booking.location.name if booking.location else booking.location_detail,
            cancelled=booking.status not in ACTIVE,
        )


def _reminded():
    return InterpreterBooking.objects.filter(case__isnull=False, mode=Mode.ON_SITE).exclude(
        serves_kind=ServesKind.PERMANENCE
    )


def coming(start: datetime, end: datetime):
    return list(_appointments(_reminded().filter(status__in=ACTIVE, starts_at__gte=start, starts_at__lt=end)))


def current(keys: list[str]) -> dict[str, Appointment]:
    return {a.key: a for a in _appointments(_reminded().filter(code__in=keys))}


register_appointment_source(AppointmentSource("interpreter", "interpreter_reminders", coming, current))
