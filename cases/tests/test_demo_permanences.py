from io import StringIO

import pytest
from django.apps import apps

from cases import demo_permanences
from cases.models import Consultation, PermanenceBooking, PermanenceSession, RiskFlag
from integrapsy.accounts import demo as accounts_demo
from integrapsy.directory import demo as directory_demo

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("cases").get_models()}


def test_the_demo_is_idempotent_and_covers_both_sides(settings):
    settings.DEBUG = True
    out = StringIO()
    accounts_demo.seed(stdout=out)
    directory_demo.seed(stdout=out)
    demo_permanences.seed(stdout=out)
    first = _counts()
    demo_permanences.seed(stdout=out)
    assert _counts() == first
    sessions = PermanenceSession.objects.all()
    assert sessions.filter(location__name="CAES Croisilles").count() == demo_permanences.WEEKS
    assert sessions.filter(location__name="Centre Croix-Rouge Tournai").count() == demo_permanences.WEEKS
    assert PermanenceBooking.objects.filter(status="booked").count() >= 2
    assert Consultation.objects.filter(status="signed").count() == len(demo_permanences.CONSULTATIONS)
    assert RiskFlag.objects.filter(acknowledged_at__isnull=True).count() == 1


def test_the_demo_does_nothing_without_the_demo_accounts():
    out = StringIO()
    demo_permanences.seed(stdout=out)
    assert "skipped" in out.getvalue()
    assert not PermanenceSession.objects.exists()
