"""The mail server down, in a browser: the coordinator confirms an interpreter booking, the page
answers at once; the administrator sees the message not delivered yet; the server is back, the
message goes, with the interpreter's calendar invitation intact."""

import email
import time
from datetime import timedelta

import icalendar
import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.tests.factories import CaseFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.notifications.models import OutboxMessage
from integrapsy.notifications.testing import deliver_pending
from integrapsy.notifications.tests.test_faults import DB_TASKS, Sink, free_port
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import PHONE, login
from interpreters.models import BookingStatus, InterpreterBooking
from interpreters.tests.factories import BookingFactory, InterpreterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = OutboxMessage.Status


def test_booking_confirmed_with_the_mail_server_down_is_delivered_once_it_is_back(page: Page, live_server, settings):
    # Requests only queue their tasks (rows for a worker); the mail server is down.
    settings.TASKS = DB_TASKS
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    settings.OUTBOX_BACKOFF_SECONDS = [0]  # two attempts, then the message is marked failed

    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    make_user_with_role(Role.ADMIN, username="admin", first_name="Alex")
    yonas = InterpreterFactory(username="interpreter", first_name="Yonas", last_name="Haile", territories=[team])
    yonas.user.email = "yonas@example.org"
    yonas.user.save()
    case = CaseFactory(team=team, person__first_name="Hewan", person__last_name="Tesfalem")
    booking = BookingFactory(team=team, case=case, language=yonas.languages.first(), status=BookingStatus.REQUESTED)

    # The coordinator confirms the booking for the interpreter: the page answers at once.
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/bookings/{booking.code}/match/")
    first = page.locator("#suggestion-1")
    expect(first).to_have_attribute("data-interpreter", str(yonas.code))
    started = time.monotonic()
    first.locator("button[data-action=confirm]").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "confirmed")
    assert time.monotonic() - started < 3
    assert_accessible(page)
    message = OutboxMessage.objects.get(template="interpreters.booking_confirmed")
    assert message.address == "yonas@example.org" and message.status == Status.PENDING and message.attempts == 0

    # The worker tries, and tries again: refused both times.
    counts = deliver_pending()
    assert counts[Status.FAILED] == 1 and counts[Status.SENT] == 0
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 2
    assert "refused" in message.last_error.lower() or "errno" in message.last_error.lower()

    # The administrator, on their own phone, sees it on their home page and in the list.
    admin_phone = page.context.browser.new_context(viewport=PHONE)
    page = admin_phone.new_page()
    login(page, live_server.url, "admin")
    expect(page.locator("#home-undelivered")).to_be_visible()
    assert_accessible(page)
    page.locator("#home-undelivered a").click()
    row = page.locator("main tbody tr", has_text="yonas@example.org")
    expect(row).to_have_count(1)
    assert_accessible(page)

    # The mail server is back; the administrator asks again, the worker delivers it once.
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_PORT = controller.port
        row.locator("button[type=submit]").click()
        expect(page.locator("main tbody tr", has_text="yonas@example.org")).to_have_count(0)
        assert deliver_pending()[Status.SENT] == 1
        assert deliver_pending()[Status.SENT] == 0
    finally:
        controller.stop()
        admin_phone.close()
    message.refresh_from_db()
    assert message.status == Status.SENT and message.sent_at is not None
    assert len(sink.received) == 1
    mail = email.message_from_bytes(sink.received[0])
    assert mail["To"] == "yonas@example.org"
    [invitation] = [part for part in mail.walk() if part.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(invitation.get_payload(decode=True))
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    booking = InterpreterBooking.objects.get(pk=booking.pk)
    assert event.decoded("DTSTART") == booking.starts_at
    assert event.decoded("DTEND") == booking.ends_at
    assert str(booking.code) in str(event["UID"])
    assert "Tesfalem" not in invitation.get_payload(decode=True).decode()  # never the surname
    assert booking.starts_at > timezone.now() + timedelta(days=1)
