"""The dashboard compares the no-show rate of bookings with and without a text reminder."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import SlotAttendance
from cases.reminders.tests.factories import to_call
from cases.tests.factories import CaseFactory, PermanenceBookingFactory, PermanenceSessionFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role

pytestmark = pytest.mark.django_db


def _bookings(team, n, status):
    session = PermanenceSessionFactory(team=team, date=timezone.localdate() - timedelta(days=3), with_slots=False)
    rows = []
    for i in range(n):
        slot = session.slots.create(start_time=f"{8 + i}:00", end_time=f"{8 + i}:30")
        rows.append(PermanenceBookingFactory(session=session, slot=slot, case=CaseFactory(team=team), status=status))
    return rows


def _reminded(booking):
    reminder = to_call(booking.case)
    reminder.source_key = str(booking.code)
    reminder.appointment_at = timezone.now() - timedelta(days=3)
    reminder.status = "queued"
    reminder.save()


def test_no_show_rates_with_and_without_a_reminder_hide_small_cells(client):
    team = TeamFactory(name="Équipe rappels")
    coordinator = make_user_with_role(Role.COORDINATOR, team=team)
    came = _bookings(team, 8, SlotAttendance.ATTENDED)
    missed = _bookings(team, 4, SlotAttendance.NO_SHOW)
    for booking in came[:5] + missed[:1]:
        _reminded(booking)
    client.force_login(coordinator)
    response = client.get(reverse("reports:dashboard"))
    data = response.context["data"]["permanences"]
    assert data["with_reminder"] == {"marked": 6, "no_show": "<5", "rate": 17}
    # 3 came and 3 did not come without a reminder: 6 marked, shown; the 3 no-shows are a small cell.
    assert data["without_reminder"] == {"marked": 6, "no_show": "<5", "rate": 50}
    html = response.content.decode()
    assert 'id="no-show-with-reminder"' in html and "17 %" in html


def test_a_small_group_shows_no_rate(client):
    team = TeamFactory(name="Équipe rappels")
    coordinator = make_user_with_role(Role.COORDINATOR, team=team)
    [booking] = _bookings(team, 1, SlotAttendance.NO_SHOW)
    _reminded(booking)
    client.force_login(coordinator)
    data = client.get(reverse("reports:dashboard")).context["data"]["permanences"]
    assert data["with_reminder"] == {"marked": "<5", "no_show": "<5", "rate": None}
    assert data["without_reminder"] == {"marked": 0, "no_show": 0, "rate": None}
