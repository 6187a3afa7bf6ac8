"""No interpreter ever holds two overlapping bookings, even under concurrent confirmations."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrapsy.accounts.tests.factories import TeamFactory
from integrapsy.tests.concurrency import at_once
from interpreters import services
from interpreters.models import BookingStatus, InterpreterBooking, Mode
from interpreters.tests.factories import (
    BookingFactory,
    InterpreterFactory,
    confirmed_booking,
    overlapping_offers,
    team_coordinator,
)

ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="exclusion constraints exist on PostgreSQL only")

THREADS = 20


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("service_check", [True, False], ids=["with-service-check", "database-alone"])
def test_twenty_concurrent_confirmations_exactly_one_succeeds(monkeypatch, service_check):
    if not service_check:
        # As if every thread had passed the service's check at the same moment.
        monkeypatch.setattr(services, "interpreter_conflicts", lambda **kw: InterpreterBooking.objects.none())
    team = TeamFactory(name="Équipe concurrence")
    coordinator = team_coordinator(team)
    interpreter = InterpreterFactory(username="race")
    bookings = overlapping_offers(team, interpreter, THREADS)

    def confirm(booking):
        services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
        return "confirmed"

    def said(outcome) -> str:  # any other failure must show in the assertion
        if isinstance(outcome, services.BookingConflict):
            return "conflict"
        return outcome if isinstance(outcome, str) else f"error: {outcome!r}"

    results = [said(o) for o in at_once(confirm, [(b,) for b in bookings])]
    assert sorted(results) == ["confirmed"] + ["conflict"] * (THREADS - 1), results
    assert InterpreterBooking.objects.filter(interpreter=interpreter, status=BookingStatus.CONFIRMED).count() == 1


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db
def test_the_database_refuses_an_overlap_written_past_the_service(team, interpreter, place):
    start = timezone.now() + timedelta(days=2)
    confirmed_booking(team, interpreter, start)
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        confirmed_booking(team, interpreter, start + timedelta(minutes=30), ends_at=start + timedelta(hours=2))
    # The on-site buffer is part of what is compared.
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        confirmed_booking(
            team,
            interpreter,
            start + timedelta(hours=1, minutes=10),
            mode=Mode.ON_SITE,
            location=place,
            ends_at=start + timedelta(hours=2),
        )


@pytest.mark.django_db
def test_service_refuses_the_second_of_overlapping_confirmations(team, interpreter):
    """The guarantee the service gives on every database (on SQLite, inside BEGIN IMMEDIATE)."""
    coordinator = team_coordinator(team)
    first, *others = overlapping_offers(team, interpreter, 5)
    services.booking_confirm(booking=first, actor=coordinator, interpreter=interpreter)
    for booking in others:
        with pytest.raises(services.BookingConflict):
            services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
        booking.refresh_from_db()
        assert booking.status == BookingStatus.OFFERED
    assert InterpreterBooking.objects.filter(status=BookingStatus.CONFIRMED).count() == 1


@pytest.mark.django_db
def test_a_confirmation_stopped_by_a_deadlock_is_told_it_lost_the_race(monkeypatch, team, interpreter):
    """PostgreSQL stops one of two overlapping confirmations checked at once: that one is a conflict."""
    from django.db import OperationalError

    class Deadlock(Exception):
        sqlstate = services.DEADLOCK_DETECTED

    def stopped(self, *args, **kwargs):
        raise OperationalError("deadlock detected") from Deadlock()

    booking = BookingFactory(team=team, status=BookingStatus.REQUESTED)
    monkeypatch.setattr(InterpreterBooking, "save", stopped)
    with pytest.raises(services.BookingConflict):
        services.booking_confirm(booking=booking, actor=team_coordinator(team), interpreter=interpreter)

    def broken(self, *args, **kwargs):  # another database error is not a conflict
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(InterpreterBooking, "save", broken)
    booking.refresh_from_db()  # nothing was written
    assert booking.status == BookingStatus.REQUESTED
    with pytest.raises(OperationalError):
        services.booking_confirm(booking=booking, actor=team_coordinator(team), interpreter=interpreter)
