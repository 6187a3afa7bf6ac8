"""The flags a permanence's page receives: who may plan, book and record there, and when."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import PermanenceSession, SlotAttendance
from cases.permanences import selectors
from cases.tests.factories import PermanenceBookingFactory, PermanenceSessionFactory


def _session(clinic, days=1, **kwargs):
    return PermanenceSessionFactory(
        team=clinic.team, location=clinic.location, date=timezone.localdate() + timedelta(days=days), **kwargs
    )


def test_a_coordinator_plans_books_and_records(clinic):
    flags = selectors.session_flags(user=clinic.coordinator, session=_session(clinic, days=0))
    assert flags == {"may_plan": True, "may_book": True, "may_record": True, "may_record_walk_in": True}


def test_walk_ins_are_recorded_on_the_day_or_after_not_before(clinic):
    assert not selectors.session_flags(user=clinic.coordinator, session=_session(clinic, days=1))["may_record_walk_in"]
    assert selectors.session_flags(user=clinic.coordinator, session=_session(clinic, days=-1))["may_record_walk_in"]


def test_nothing_is_offered_at_a_cancelled_session(clinic):
    session = _session(
        clinic, status=PermanenceSession.Status.CANCELLED, cancelled_at=timezone.now(), cancel_reason="Malade"
    )
    assert not any(selectors.session_flags(user=clinic.coordinator, session=session).values())


def test_another_team_is_offered_nothing(clinic):
    assert not any(selectors.session_flags(user=clinic.other_coordinator, session=_session(clinic)).values())


@pytest.mark.parametrize(("days", "bookable"), [(1, True), (-1, False)])
def test_a_free_slot_is_bookable_until_it_starts(clinic, days, bookable):
    rows = selectors.session_sheet(user=clinic.coordinator, session=_session(clinic, days=days))["rows"]
    assert [row.may_book for row in rows] == [bookable] * len(rows)
    assert not any(
        row.may_book for row in selectors.session_sheet(user=clinic.ambassador, session=rows[0].slot.session)["rows"]
    )


def test_a_booked_slot_is_not_bookable_and_offers_the_consultation_once_attended(clinic):
    session = _session(clinic, days=-1)
    booking = PermanenceBookingFactory(session=session, case=clinic.case, status=SlotAttendance.BOOKED)
    row = selectors.session_sheet(user=clinic.psychologist, session=session)["rows"][0]
    assert row.booking == booking and not row.may_book and not row.may_log_consultation
    booking.status = SlotAttendance.ATTENDED
    booking.save()
    row = selectors.session_sheet(user=clinic.psychologist, session=session)["rows"][0]
    assert row.may_log_consultation
    assert not selectors.session_sheet(user=clinic.coordinator, session=session)["rows"][0].may_log_consultation
