import json
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from cases.reminders.services import text_contact_set
from cases.tests import factories
from cases.tests.factories import LanguageFactory, PermanenceBookingFactory, PermanenceSessionFactory


class SmsFile:
    """The texts the ``file://`` gateway wrote, one JSON object each."""

    def __init__(self, path):
        self.path = path

    def sent(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture
def sms(settings, tmp_path):
    path = tmp_path / "sms.jsonl"
    settings.SMS_URL = f"file://{path}"
    settings.SMS_WEBHOOK_SECRET = "test-webhook-secret"
    return SmsFile(path)


@pytest.fixture
def french(db):
    return LanguageFactory(code="fra", name_fr="Français", name_nl="Frans", name_en="French")


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def consent(person, actor, given=True, on: date | None = None):
    return factories.consent(person, actor, "text_reminders", given=given, on=on)


def reachable(person, actor, language, mobile="+33612345678", **kw):
    """The person agreed to text reminders and reads ``language``."""
    consent(person, actor)
    return text_contact_set(
        person=person, actor=actor, mobile=mobile, reads_language=language, does_not_read=False, **kw
    )


def booking_at(clinic, day: date, at: time = time(9)):
    """A booking of the clinic's case in the first slot of a session on ``day`` starting at ``at``."""
    session = PermanenceSessionFactory(
        team=clinic.team,
        location=clinic.location,
        psychologist=clinic.psychologist,
        date=day,
        start_time=at,
        end_time=time(at.hour + 3, at.minute),
        with_slots=False,
    )
    slot = session.slots.create(start_time=at, end_time=time(at.hour + 1, at.minute))
    return PermanenceBookingFactory(session=session, slot=slot, case=clinic.case)
