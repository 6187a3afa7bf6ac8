import pytest
from django.apps import apps

from cases.models import Case, GroupActivity, Orientation, RiskFlag, Screening
from cases.screenings import demo as screening_demo
from cases.tests.helpers import seed_demo
from integrapsy.directory.models import Resource

pytestmark = pytest.mark.django_db


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in ("cases", "directory")}


def _seed():
    return seed_demo(screening_demo)


def test_it_is_idempotent_and_fills_every_part(settings):
    settings.DEMO_PASSWORD = "integrapsy"
    out = _seed()
    first = _counts()
    _seed()
    assert _counts() == first
    assert "screenings:" in out
    assert Resource.objects.filter(country="FR").count() >= 10 and Resource.objects.filter(country="BE").count() >= 10
    assert Resource.objects.filter(kind="psychologist", city="Lille", languages__code="tir").exists()
    assert GroupActivity.objects.count() == 2
    assert Orientation.objects.filter(status="appointment_made").exists()
    # Some improve, one worsens (and its item 9 raised the flag).
    by_case = {}
    for s in Screening.objects.filter(instrument__key="phq9").order_by("administered_on"):
        by_case.setdefault(s.case_id, []).append(s.total)
    trends = sorted(totals[-1] - totals[0] for totals in by_case.values())
    assert trends[0] < 0 and trends[-1] > 0
    worsening = Case.objects.get(pk=next(k for k, v in by_case.items() if v[-1] > v[0]))
    assert RiskFlag.objects.filter(case=worsening, source="screening").exists()
    assert all(s.total is not None for s in Screening.objects.all())
