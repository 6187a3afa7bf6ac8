from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases.models import (
    Case,
    PermanenceBooking,
    PermanenceSession,
    PermanenceSlot,
    SlotAttendance,
    TimelineEvent,
)
from cases.permanences import selectors
from cases.permanences.services import (
    booking_attendance_record,
    permanence_session_cancel,
    permanence_session_create,
    permanence_slot_book,
    permanence_walk_in_record,
)
from cases.tests.factories import PermanenceBookingFactory, PermanenceSessionFactory
from integrapsy.accounts.models import Role, User
from integrapsy.accounts.tests.factories import make_user_with_role
from integrapsy.tests.concurrency import at_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _next_tuesday():
    today = timezone.localdate()
    return today + timedelta(days=(1 - today.weekday()) % 7 or 7)


def _create(clinic, **overrides):
    kwargs = {
        "actor": clinic.coordinator,
        "location": clinic.location,
        "psychologist": clinic.psychologist,
        "date": _next_tuesday(),
        "start_time": time(9),
        "end_time": time(12),
        "slot_minutes": 45,
        "walk_in_places": 2,
        **overrides,
    }
    return permanence_session_create(**kwargs)


# --- Sessions and series ----------------------------------------------------------------


def test_a_weekly_series_creates_one_session_a_week_with_its_slots(clinic):
    sessions = _create(
        clinic,
        weeks=8,
        ambassador=clinic.ambassador,
        interpreter=clinic.interpreter,
        interpreter_language=clinic.tigrinya,
    )
    assert len(sessions) == 8
    dates = [s.date for s in sessions]
    assert dates == [_next_tuesday() + timedelta(weeks=i) for i in range(8)]
    assert all(d.weekday() == 1 for d in dates)
    assert len({s.series for s in sessions}) == 1 and sessions[0].series is not None
    slots = PermanenceSlot.objects.filter(session=sessions[0]).order_by("start_time")
    assert [(s.start_time, s.end_time) for s in slots] == [
        (time(9), time(9, 45)),
        (time(9, 45), time(10, 30)),
        (time(10, 30), time(11, 15)),
        (time(11, 15), time(12)),
    ]
    assert PermanenceSlot.objects.count() == 32
    assert sessions[0].team == clinic.team


def test_a_single_session_has_no_series(clinic):
    (session,) = _create(clinic)
    assert session.series is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_time": time(12), "end_time": time(9)}, "end_time"),
        ({"start_time": time(9), "end_time": time(9)}, "end_time"),
        ({"slot_minutes": 40}, "slot_minutes"),
        ({"date": timezone.localdate() - timedelta(days=1)}, "date"),
        ({"weeks": 0}, "weeks"),
        ({"weeks": 60}, "weeks"),
    ],
)
def test_bad_sessions_are_refused_beside_the_field_and_nothing_is_saved(clinic, overrides, field):
    with pytest.raises(ValidationError) as exc:
        _create(clinic, **overrides)
    assert field in exc.value.message_dict
    assert PermanenceSession.objects.count() == 0
    assert PermanenceSlot.objects.count() == 0


def test_slot_length_error_says_what_does_not_divide(clinic):
    with pytest.raises(ValidationError) as exc:
        _create(clinic, slot_minutes=40)
    assert "40" in exc.value.message_dict["slot_minutes"][0]
    assert "180" in exc.value.message_dict["slot_minutes"][0]


def test_only_a_coordinator_of_the_places_team_plans(clinic):
    with pytest.raises(ValidationError) as exc:
        _create(clinic, actor=clinic.psychologist)
    assert "location" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _create(clinic, actor=clinic.other_coordinator)
    assert "location" in exc.value.message_dict


def test_presence_is_limited_to_the_right_roles(clinic):
    with pytest.raises(ValidationError) as exc:
        _create(
            clinic,
            psychologist=clinic.other_psychologist,
            ambassador=clinic.social_worker,
            interpreter=clinic.ambassador,
        )
    assert set(exc.value.message_dict) == {"psychologist", "ambassador", "interpreter"}


def test_cancelling_one_occurrence_cancels_its_appointments_only(clinic):
    sessions = _create(clinic, weeks=3)
    booking = permanence_slot_book(slot=sessions[1].slots.first(), actor=clinic.coordinator, case=clinic.case)
    permanence_session_cancel(session=sessions[1], actor=clinic.coordinator, reason="Grève des transports")
    statuses = list(PermanenceSession.objects.order_by("date").values_list("status", flat=True))
    assert statuses == ["scheduled", "cancelled", "scheduled"]
    booking.refresh_from_db()
    assert booking.status == SlotAttendance.CANCELLED
    assert booking.cancelled_by_party == PermanenceBooking.CancelledBy.TEAM
    assert TimelineEvent.objects.filter(case=clinic.case, kind="permanence.cancelled").count() == 1
    with pytest.raises(ValidationError):
        permanence_session_cancel(session=sessions[1], actor=clinic.coordinator, reason="encore")


def test_cancelling_needs_a_reason_and_a_coordinator(clinic):
    (session,) = _create(clinic)
    with pytest.raises(ValidationError) as exc:
        permanence_session_cancel(session=session, actor=clinic.coordinator, reason="  ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        permanence_session_cancel(session=session, actor=clinic.social_worker, reason="x")
    session.refresh_from_db()
    assert session.status == "scheduled"


# --- Booking ----------------------------------------------------------------------------


def test_booking_a_free_slot_writes_the_timeline(clinic):
    (session,) = _create(clinic)
    slot = session.slots.order_by("start_time")[1]
    booking = permanence_slot_book(
        slot=slot,
        actor=clinic.coordinator,
        case=clinic.case,
        interpreter_needed=True,
        interpreter_language=clinic.tigrinya,
    )
    assert booking.person == clinic.case.person
    assert booking.status == SlotAttendance.BOOKED
    event = TimelineEvent.objects.get(case=clinic.case, kind="permanence.booked")
    assert event.visibility == "team"
    assert "CAES Croisilles" in event.summary and "09:45" in event.summary


def test_a_booked_slot_refuses_a_second_booking_with_a_clear_message(clinic):
    (session,) = _create(clinic)
    slot = session.slots.first()
    permanence_slot_book(slot=slot, actor=clinic.coordinator, case=clinic.case)
    other = Case.objects.create(
        person=clinic.other_case.person,
        team=clinic.team,
        reference="IP-2026-77777",
        opened_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as exc:
        permanence_slot_book(slot=slot, actor=clinic.social_worker, case=other)
    assert "slot" in exc.value.message_dict
    assert PermanenceBooking.objects.filter(slot=slot).count() == 1


def test_the_database_itself_refuses_two_active_bookings_of_a_slot(clinic):
    booking = PermanenceBookingFactory(session=PermanenceSessionFactory(team=clinic.team), case=clinic.case)
    with pytest.raises(IntegrityError), transaction.atomic():
        PermanenceBooking.objects.create(
            session=booking.session, slot=booking.slot, person=booking.person, case=booking.case
        )


def test_a_cancelled_booking_frees_the_slot(clinic):
    (session,) = _create(clinic)
    slot = session.slots.first()
    booking = permanence_slot_book(slot=slot, actor=clinic.coordinator, case=clinic.case)
    booking_attendance_record(
        booking=booking,
        actor=clinic.coordinator,
        status="cancelled",
        cancelled_by_party="person",
        cancel_reason="Convocation à l'OFPRA",
    )
    again = permanence_slot_book(slot=slot, actor=clinic.coordinator, case=clinic.case)
    assert again.status == SlotAttendance.BOOKED


def test_booking_a_slot_in_the_past_is_refused(clinic):
    session = PermanenceSessionFactory(team=clinic.team, date=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        permanence_slot_book(slot=session.slots.first(), actor=clinic.coordinator, case=clinic.case)
    assert "slot" in exc.value.message_dict
    assert not PermanenceBooking.objects.exists()


def test_booking_a_case_of_another_team_is_refused(clinic):
    (session,) = _create(clinic)
    with pytest.raises(ValidationError) as exc:
        permanence_slot_book(slot=session.slots.first(), actor=clinic.coordinator, case=clinic.other_case)
    assert "case" in exc.value.message_dict


def test_booking_at_a_cancelled_session_is_refused(clinic):
    (session,) = _create(clinic)
    permanence_session_cancel(session=session, actor=clinic.coordinator, reason="Malade")
    with pytest.raises(ValidationError):
        permanence_slot_book(slot=session.slots.first(), actor=clinic.coordinator, case=clinic.case)


def test_an_interpreter_needed_needs_a_language(clinic):
    (session,) = _create(clinic)
    with pytest.raises(ValidationError) as exc:
        permanence_slot_book(
            slot=session.slots.first(), actor=clinic.coordinator, case=clinic.case, interpreter_needed=True
        )
    assert "interpreter_language" in exc.value.message_dict


# --- Attendance -------------------------------------------------------------------------


def _booking_today(clinic):
    session = PermanenceSessionFactory(
        team=clinic.team,
        location=clinic.location,
        psychologist=clinic.psychologist,
        date=timezone.localdate(),
    )
    return PermanenceBookingFactory(session=session, case=clinic.case)


def test_attendance_is_recorded_with_who_and_when(clinic):
    booking = _booking_today(clinic)
    booking_attendance_record(booking=booking, actor=clinic.psychologist, status="attended")
    booking.refresh_from_db()
    assert booking.status == SlotAttendance.ATTENDED
    assert booking.marked_by == clinic.psychologist and booking.marked_at is not None
    assert TimelineEvent.objects.filter(case=clinic.case, kind="permanence.attended").exists()


def test_no_show_and_cancellation(clinic):
    booking = _booking_today(clinic)
    booking_attendance_record(booking=booking, actor=clinic.coordinator, status="no_show")
    assert TimelineEvent.objects.filter(case=clinic.case, kind="permanence.no_show").exists()
    with pytest.raises(ValidationError) as exc:
        booking_attendance_record(booking=booking, actor=clinic.coordinator, status="cancelled")
    assert set(exc.value.message_dict) == {"cancelled_by_party", "cancel_reason"}
    booking_attendance_record(
        booking=booking,
        actor=clinic.social_worker,
        status="cancelled",
        cancelled_by_party="centre",
        cancel_reason="Transfert vers un autre centre",
    )
    booking.refresh_from_db()
    assert booking.status == "cancelled" and booking.cancel_reason == "Transfert vers un autre centre"


def test_attendance_cannot_be_recorded_before_the_day(clinic):
    booking = PermanenceBookingFactory(session=PermanenceSessionFactory(team=clinic.team), case=clinic.case)
    with pytest.raises(ValidationError) as exc:
        booking_attendance_record(booking=booking, actor=clinic.coordinator, status="attended")
    assert "status" in exc.value.message_dict


def test_social_workers_cannot_mark_attendance(clinic):
    booking = _booking_today(clinic)
    with pytest.raises(ValidationError):
        booking_attendance_record(booking=booking, actor=clinic.social_worker, status="attended")


def test_past_unmarked_slots_become_not_recorded_on_the_coordinators_list(clinic):
    past = PermanenceSessionFactory(team=clinic.team, date=timezone.localdate() - timedelta(days=2))
    forgotten = PermanenceBookingFactory(session=past, case=clinic.case)
    marked = PermanenceBookingFactory(
        session=past, case=clinic.case, slot=past.slots.order_by("start_time")[1], status="attended"
    )
    today = _booking_today(clinic)
    todo = selectors.bookings_not_recorded(user=clinic.coordinator)
    assert todo == [forgotten]
    assert marked not in todo and today not in todo
    assert selectors.bookings_not_recorded(user=clinic.psychologist) == []
    assert selectors.bookings_not_recorded(user=clinic.other_coordinator) == []
    rows = selectors.session_sheet(user=clinic.coordinator, session=past)["rows"]
    assert [r.not_recorded for r in rows[:2]] == [True, False]


def test_a_walk_in_is_recorded_without_a_slot(clinic):
    session = PermanenceSessionFactory(team=clinic.team, date=timezone.localdate())
    walk_in = permanence_walk_in_record(session=session, actor=clinic.psychologist, case=clinic.case)
    assert walk_in.slot is None and walk_in.status == SlotAttendance.ATTENDED
    assert TimelineEvent.objects.filter(case=clinic.case, kind="permanence.walk_in").exists()
    future = PermanenceSessionFactory(team=clinic.team, date=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ValidationError):
        permanence_walk_in_record(session=future, actor=clinic.psychologist, case=clinic.case)


# --- Two coordinators booking the same slot at once ---------------------------------------


def _book_concurrently(slot_pk: int, actor_pks: list[int], case_pks: list[int]) -> list[str]:
    def ready(actor_pk: int, case_pk: int):
        slot = PermanenceSlot.objects.select_related("session").get(pk=slot_pk)
        return slot, User.objects.get(pk=actor_pk), Case.objects.get(pk=case_pk)

    def book(slot, actor, case) -> str:
        permanence_slot_book(slot=slot, actor=actor, case=case)
        return "booked"

    def said(outcome) -> str:
        if isinstance(outcome, ValidationError):
            return "refused: " + " ".join(outcome.message_dict.get("slot", []))
        return outcome if isinstance(outcome, str) else f"error: {outcome!r}"  # anything else fails the test

    return [said(o) for o in at_once(book, zip(actor_pks, case_pks, strict=True), ready=ready, timeout=30)]


def _race(clinic):
    second = make_user_with_role(Role.COORDINATOR, team=clinic.team, username="coordinator2")
    other = Case.objects.create(
        person=clinic.other_case.person,
        team=clinic.team,
        reference="IP-2026-88888",
        opened_on=timezone.localdate(),
    )
    (session,) = _create(clinic)
    slot = session.slots.first()
    results = _book_concurrently(slot.pk, [clinic.coordinator.pk, second.pk], [clinic.case.pk, other.pk])
    assert sorted(r.split(":")[0] for r in results) == ["booked", "refused"], results
    refusal = next(r for r in results if r.startswith("refused"))
    # The threads run in the default language (French): accept either wording.
    assert "booked by someone else" in refusal or "quelqu" in refusal
    assert PermanenceBooking.objects.filter(slot=slot).exclude(status="cancelled").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_booking_one_slot_at_once_on_postgresql(clinic):
    assert connection.vendor == "postgresql"
    _race(clinic)


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_booking_one_slot_at_once(clinic):
    _race(clinic)
