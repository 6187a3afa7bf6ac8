from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from integrapsy.notifications.models import OutboxMessage
from integrapsy.notifications.services import outbox_render
from interpreters import ics, services
from interpreters.models import Mode


def _event(**kw):
    base = {
        "uid": "booking-1@integrapsy",
        "starts_at": datetime(2026, 3, 10, 9, 0, tzinfo=UTC),
        "ends_at": datetime(2026, 3, 10, 10, 0, tzinfo=UTC),
        "summary": "Interprétariat tigrinya — Hewan",
    }
    return ics.CalendarEvent(**{**base, **kw})


NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_a_calendar_is_rfc5545_shaped():
    text = ics.calendar([_event(location="CAES, 1 rue; Arras")], now=NOW, method="REQUEST")
    lines = text.split("\r\n")
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert "METHOD:REQUEST" in lines
    assert "DTSTART:20260310T090000Z" in lines and "DTEND:20260310T100000Z" in lines
    assert "DTSTAMP:20260301T120000Z" in lines
    assert "LOCATION:CAES\\, 1 rue\\; Arras" in lines
    assert "STATUS:CONFIRMED" in lines
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")


def test_long_lines_are_folded_at_75_octets_without_breaking_characters():
    text = ics.calendar([_event(description="é" * 200)], now=NOW)
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    unfolded = text.replace("\r\n ", "")
    assert "DESCRIPTION:" + "é" * 200 in unfolded


def test_newlines_are_escaped_and_cancelled_events_say_so():
    text = ics.calendar([_event(description="a\nb", cancelled=True, sequence=1)], now=NOW, method="CANCEL")
    assert "DESCRIPTION:a\\nb" in text
    assert "STATUS:CANCELLED" in text and "SEQUENCE:1" in text


@pytest.mark.django_db
@pytest.mark.parametrize(("then", "method"), [("", "REQUEST"), ("cancel", "CANCEL"), ("withdraw", "CANCEL")])
def test_the_invitation_attachment_names_its_charset_once(coordinator, team, tir, interpreter, case, then, method):
    starts_at = timezone.now() + timedelta(days=4)
    booking = services.booking_request(
        actor=coordinator,
        team=team,
        case=case,
        language=tir,
        mode=Mode.PHONE,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
    )
    services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
    if then == "cancel":
        services.booking_cancel(booking=booking, actor=coordinator, reason="Transfert")
    elif then == "withdraw":
        services.booking_withdraw(booking=booking, actor=interpreter.user, reason="Malade")
    message = OutboxMessage.objects.filter(recipient=interpreter.user).latest("pk")
    [part] = [p for p in outbox_render(message).message().walk() if p.get_content_type() == "text/calendar"]
    assert part["Content-Type"] == f'text/calendar; method="{method}"; charset="utf-8"'
