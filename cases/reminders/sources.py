"""The appointments that get reminders, from every app that has some.

``cases`` never imports the apps built on it: the interpreters app registers its bookings here
from its ``ready()``, as the permanences do below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Appointment:
    source: str
    key: str
    team_id: int
    person_id: int
    case_id: int | None
    starts_at: datetime
    place: str
    cancelled: bool = False


@dataclass(frozen=True)
class AppointmentSource:
    """``coming(start, end)``: active appointments starting in ``[start, end)``;
    ``current(keys)``: what became of these appointments (missing: deleted)."""

    key: str
    setting: str  # the ``ReminderSettings`` flag that turns them on
    coming: Callable[[datetime, datetime], Iterable[Appointment]]
    current: Callable[[list[str]], dict[str, Appointment]]


APPOINTMENT_SOURCES: dict[str, AppointmentSource] = {}


def register_appointment_source(source: AppointmentSource) -> None:
    APPOINTMENT_SOURCES.setdefault(source.key, source)


# --- Permanence bookings -------------------------------------------------------------------


def _permanence_appointments(queryset) -> Iterable[Appointment]:
    for booking in queryset.select_related("session", "session__location", "slot"):
        session = booking.session
        start = booking.slot.start_time if booking.slot else session.start_time
        yield Appointment(
            source="permanence",
            key=str(booking.code),
            team_id=session.team_id,
            person_id=booking.person_id,
            case_id=booking.case_id,
            starts_at=timezone.make_aware(datetime.combine(session.date, start)).astimezone(UTC),
            place=session.location.name,
            cancelled=booking.status == "cancelled" or session.status == "cancelled",
        )


def _permanences_coming(start: datetime, end: datetime) -> Iterable[Appointment]:
    from cases.permanences.models import PermanenceBooking

    first_day = timezone.localtime(start).date()
    last_day = timezone.localtime(end).date() + timedelta(days=1)
    bookings = PermanenceBooking.objects.filter(
        status="booked",
        slot__isnull=False,
        session__status="scheduled",
        session__date__gte=first_day,
        session__date__lte=last_day,
    )
    return [a for a in _permanence_appointments(bookings) if start <= a.starts_at < end]


def _permanences_current(keys: list[str]) -> dict[str, Appointment]:
    from cases.permanences.models import PermanenceBooking

    return {a.key: a for a in _permanence_appointments(PermanenceBooking.objects.filter(code__in=keys))}


register_appointment_source(
    AppointmentSource("permanence", "permanence_reminders", _permanences_coming, _permanences_current)
)


# --- Who calls when no text can help ---------------------------------------------------------
# A finder answers the users of a team who speak a language; the interpreters and ambassadors
# apps register theirs. The first finder (by ``order``) that names someone wins; without anyone,
# the team's coordinators see the call.


@dataclass(frozen=True)
class CallHelperFinder:
    key: str
    find: Callable  # (team_id, language) -> list of users
    order: int = 100


CALL_HELPER_FINDERS: list[CallHelperFinder] = []


def register_call_helper_finder(finder: CallHelperFinder) -> None:
    if all(existing.key != finder.key for existing in CALL_HELPER_FINDERS):
        CALL_HELPER_FINDERS.append(finder)
    CALL_HELPER_FINDERS.sort(key=lambda f: f.order)


# The staff's own languages are those of the app (their preferred language).
STAFF_LANGUAGES = {"fra": "fr", "nld": "nl", "eng": "en"}


def _staff_speaking(team_id: int, language) -> list:
    from integrapsy import access
    from integrapsy.accounts.models import Role, User

    ui_language = STAFF_LANGUAGES.get(language.code)
    if ui_language is None:
        return []
    staff = access.users_holding(User.objects.all(), Role.SOCIAL_WORKER, team_ids=[team_id])
    return list(staff.filter(language=ui_language).order_by("pk")[:1])


register_call_helper_finder(CallHelperFinder("staff", _staff_speaking, order=50))


def call_helpers(person, team_id: int):
    """The language to call the person in (their main one) and who calls: (language, user or None)."""
    from cases.persons.models import PersonLanguage

    spoken = list(PersonLanguage.objects.filter(person=person).select_related("language").order_by("-is_main", "pk"))
    for person_language in spoken:
        for finder in CALL_HELPER_FINDERS:
            found = finder.find(team_id, person_language.language)
            if found:
                return person_language.language, found[0]
    return (spoken[0].language if spoken else None), None
