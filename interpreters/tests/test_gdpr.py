"""The interpreter bookings in a person's subject-access export, and their erasure."""

import pytest

from cases.case_file import services as case_services
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.tests.erasure import anonymise, export_sections, rows_containing
from interpreters import services
from interpreters.models import BookingStatus, InterpreterBooking, Mode
from interpreters.tests.factories import BookingFactory, completed_booking

pytestmark = pytest.mark.django_db

BRIEFING = "Hewan Tesfalem vient avec son bébé"
DETAIL = "Bureau de Hewan, deuxième étage"
CANCEL = "Hewan hospitalisée ce jour"
DECLINE = "Je connais la famille Tesfalem"
WITHDRAW = "Voisin de Hewan Tesfalem, je me retire"


@pytest.fixture
def admin():
    return make_user_with_role(Role.ADMIN)


@pytest.fixture
def bookings(team, case, interpreter, coordinator, place, tir):
    done = completed_booking(
        team,
        interpreter,
        days_ago=10,
        minutes=75,
        case=case,
        language=tir,
        mode=Mode.ON_SITE,
        location=place,
        location_detail=DETAIL,
        briefing=BRIEFING,
    )
    cancelled = BookingFactory(team=team, case=case, language=tir, briefing=BRIEFING)
    services.booking_cancel(booking=cancelled, actor=coordinator, reason=CANCEL)
    declined = BookingFactory(team=team, case=case, language=tir)
    services.booking_offer(booking=declined, interpreter=interpreter, actor=coordinator)
    services.booking_decline(booking=declined, actor=interpreter.user, reason=DECLINE)
    withdrawn = BookingFactory(team=team, case=case, language=tir)
    services.booking_confirm(booking=withdrawn, actor=coordinator, interpreter=interpreter)
    services.booking_withdraw(booking=withdrawn, actor=interpreter.user, reason=WITHDRAW)
    return done, cancelled, declined


def _section(client, person) -> str:
    return export_sections(client, person)["interpreter_bookings"]


def test_the_export_lists_the_bookings_of_the_persons_cases(client, admin, case, bookings):
    done, cancelled, declined = bookings
    BookingFactory(team=case.team, briefing="Une autre personne")  # no case: not theirs
    client.force_login(admin)
    section = _section(client, case.person)
    assert section.count(case.reference) == 4
    assert "Yonas Haile" in section and "75 min" in section
    assert BRIEFING in section and DETAIL in section and CANCEL in section
    assert "Une autre personne" not in section
    assert done.language.name in section


def test_erasure_blanks_the_briefing_and_every_typed_text(client, admin, case, coordinator, bookings):
    done, _cancelled, _declined = bookings
    assert rows_containing(WITHDRAW)  # in the withdrawal, its audit and timeline events, the team's message
    assert rows_containing(BRIEFING, DETAIL, CANCEL, DECLINE)  # the check sees them before
    case_services.case_close(case=case, actor=coordinator, reason="fin du suivi")
    client.force_login(admin)
    response = anonymise(client, case.person)
    assert response.status_code == 302
    section = _section(client, case.person)
    for text in (BRIEFING, DETAIL, CANCEL, DECLINE, WITHDRAW, "Hewan", "Tesfalem"):
        assert text not in section, text
    assert rows_containing(BRIEFING, DETAIL, CANCEL, DECLINE, WITHDRAW, "Hewan", "Tesfalem") == []
    # What the timesheet and the indicators count stays.
    done.refresh_from_db()
    assert (done.status, done.billable_minutes, done.language_id) == (BookingStatus.COMPLETED, 75, done.language_id)
    assert InterpreterBooking.objects.filter(case=case).count() == 4
    assert AuditEvent.objects.filter(action="booking.cancelled").exists()
