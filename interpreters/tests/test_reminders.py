"""Appointments with an interpreter get text reminders through the source this app registers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.reminders.models import Reminder
from cases.reminders.services import reminders_run
from cases.reminders.tests.conftest import SmsFile, reachable
from cases.tests.factories import LanguageFactory
from integrapsy.notifications.testing import deliver_pending
from interpreters.models import BookingStatus, Mode, ServesKind
from interpreters.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def french(db):
    return LanguageFactory(code="fra", name_fr="Français", name_nl="Frans", name_en="French")


@pytest.fixture
def sms(settings, tmp_path):
    settings.SMS_URL = f"file://{tmp_path / 'sms.jsonl'}"
    return SmsFile(tmp_path / "sms.jsonl")


def _booking(team, case, place, **fields):
    starts = (timezone.now() + timedelta(days=5)).replace(hour=14, minute=0, second=0, microsecond=0)
    defaults = {
        "team": team,
        "case": case,
        "mode": Mode.ON_SITE,
        "location": place,
        "status": BookingStatus.REQUESTED,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "serves_kind": ServesKind.CONSULTATION,
    }
    return BookingFactory(**{**defaults, **fields})


def test_an_on_site_appointment_with_an_interpreter_is_reminded(team, coordinator, case, place, french, sms):
    booking = _booking(team, case, place)
    reachable(case.person, coordinator, french)
    reminders_run(now=booking.starts_at - timedelta(hours=48))
    deliver_pending()
    [text] = sms.sent()
    assert "CAES test" in text["text"] and "interpr" not in text["text"].lower()
    assert Reminder.objects.get(kind="first").source == "interpreter"


def test_phone_and_permanence_interpreting_and_cancelled_bookings_are_not(team, coordinator, case, place, french, sms):
    _booking(team, case, place, mode=Mode.PHONE)
    _booking(team, case, place, serves_kind=ServesKind.PERMANENCE)
    cancelled = _booking(team, case, place, status=BookingStatus.CANCELLED)
    reminders_run(now=cancelled.starts_at - timedelta(hours=48))
    assert not Reminder.objects.exists()


def test_a_cancelled_interpreter_appointment_drops_its_reminder(team, coordinator, case, place, french, sms):
    booking = _booking(team, case, place)
    reachable(case.person, coordinator, french)
    reminders_run(now=booking.starts_at - timedelta(hours=49))
    type(booking).objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    reminders_run(now=booking.starts_at - timedelta(hours=48))
    deliver_pending()
    assert sms.sent() == []
    assert Reminder.objects.get(kind="first").why == "cancelled"
