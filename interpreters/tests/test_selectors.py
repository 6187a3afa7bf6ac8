"""The flags the booking pages receive: what each side may do on a booking, and when."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from integrapsy.access import BookingAccess
from interpreters import selectors
from interpreters.models import BookingStatus, InterpreterBooking

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.get_fixed_timezone(60))
COORDINATOR = BookingAccess(manage=True, cancel=True)
REQUESTER = BookingAccess(manage=False, cancel=True)


def _booking(status, starts_in=timedelta(days=2)):
    return InterpreterBooking(status=status, starts_at=NOW + starts_in, ends_at=NOW + starts_in + timedelta(hours=1))


def _flags(status, rights=COORDINATOR, starts_in=timedelta(days=2)):
    return selectors.booking_flags(booking=_booking(status, starts_in), rights=rights, now=NOW)


def test_an_open_booking_is_matched_by_a_coordinator_until_it_starts():
    assert _flags(BookingStatus.REQUESTED)["may_match"]
    assert _flags(BookingStatus.OFFERED)["may_match"]
    assert not _flags(BookingStatus.CONFIRMED)["may_match"]
    assert not _flags(BookingStatus.REQUESTED, starts_in=-timedelta(minutes=1))["may_match"]
    assert not _flags(BookingStatus.REQUESTED, rights=REQUESTER)["may_match"]


def test_the_time_is_recorded_once_a_confirmed_booking_has_started():
    assert not _flags(BookingStatus.CONFIRMED)["may_complete"]
    assert _flags(BookingStatus.CONFIRMED, starts_in=timedelta(0))["may_complete"]
    assert not _flags(BookingStatus.CONFIRMED, rights=REQUESTER, starts_in=timedelta(0))["may_complete"]
    assert not _flags(BookingStatus.COMPLETED, starts_in=-timedelta(hours=2))["may_complete"]


@pytest.mark.parametrize("status", [BookingStatus.REQUESTED, BookingStatus.OFFERED, BookingStatus.CONFIRMED])
def test_the_requesting_team_may_cancel_a_booking_still_to_come(status):
    assert _flags(status, rights=REQUESTER)["may_cancel"]
    assert not _flags(status, rights=BookingAccess(manage=True, cancel=False))["may_cancel"]


@pytest.mark.parametrize("status", [BookingStatus.COMPLETED, BookingStatus.CANCELLED, BookingStatus.NO_SHOW])
def test_a_booking_that_ended_is_not_cancelled(status):
    assert not _flags(status)["may_cancel"]


def test_the_interpreter_answers_an_offer_before_it_starts_and_then_records_the_time():
    def mine(status, starts_in=timedelta(days=2)):
        return selectors.my_booking_flags(booking=_booking(status, starts_in), now=NOW)

    assert mine(BookingStatus.OFFERED)["may_answer"]
    assert not mine(BookingStatus.OFFERED, -timedelta(minutes=5))["may_answer"]
    assert not mine(BookingStatus.CONFIRMED)["may_answer"]
    assert mine(BookingStatus.CONFIRMED)["may_add_to_calendar"]
    assert not mine(BookingStatus.OFFERED)["may_add_to_calendar"]
    assert mine(BookingStatus.CONFIRMED, -timedelta(minutes=5))["may_complete"]
    assert not mine(BookingStatus.CONFIRMED)["may_complete"]
