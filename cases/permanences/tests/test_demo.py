from io import StringIO

import pytest
from django.apps import apps

from cases import demo as cases_demo
from cases.models import Consultation, PermanenceBooking, PermanenceSession, RiskFlag, SlotRequest
from cases.permanences import demo, selectors
from cases.tests.helpers import seed_demo
from integrapsy.accounts.models import User

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("cases").get_models()}


def test_the_demo_is_idempotent_and_covers_both_sides(settings):
    settings.DEBUG = True
    seed_demo(demo)
    first = _counts()
    demo.seed(stdout=StringIO())
    assert _counts() == first
    sessions = PermanenceSession.objects.all()
    # The coming weeks, and last week's permanence whose appointments nobody marked.
    assert sessions.filter(location__name="CAES Croisilles").count() == demo.WEEKS + 1
    assert sessions.filter(location__name="Centre Croix-Rouge Tournai").count() == demo.WEEKS
    assert PermanenceBooking.objects.filter(status="booked").count() >= 2
    assert Consultation.objects.filter(status="signed").count() == len(demo.CONSULTATIONS)
    assert RiskFlag.objects.filter(acknowledged_at__isnull=True).count() == 1


def test_the_demo_does_nothing_without_the_demo_accounts():
    out = StringIO()
    demo.seed(stdout=out)
    assert "skipped" in out.getvalue()
    assert not PermanenceSession.objects.exists()


def test_the_demo_referrer_asked_for_a_slot_and_last_weeks_appointments_are_not_recorded(settings):
    settings.DEBUG = True
    seed_demo(cases_demo)
    request = SlotRequest.objects.get()
    assert request.is_pending and request.requested_by.username == "referrer"
    coordinator = User.objects.get(username="coordinator")
    [row] = selectors.slot_requests_to_answer(user=coordinator)
    assert row.may_confirm
    assert len(selectors.bookings_not_recorded(user=coordinator)) == 2
    first = _counts()
    cases_demo.seed(stdout=StringIO())
    assert _counts() == first
