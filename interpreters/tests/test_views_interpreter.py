from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.tests.factories import CaseFactory
from interpreters import services
from interpreters.models import BookingStatus
from interpreters.tests.factories import BookingFactory, InterpreterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered(team, case, coordinator, interpreter):
    booking = BookingFactory(team=team, case=case, briefing="Arriver 10 minutes avant.")
    services.booking_offer(booking=booking, interpreter=interpreter, actor=coordinator)
    return booking


def test_my_bookings_show_only_what_the_booking_needs(client, interpreter, offered, case):
    client.force_login(interpreter.user)
    response = client.get(reverse("interpreters:my_bookings"))
    assert response.status_code == 200
    assert [b.code for b in response.context["offers"]] == [offered.code]
    detail = client.get(reverse("interpreters:my_booking_detail", args=[offered.code]))
    content = detail.content.decode()
    assert case.person.first_name in content
    assert "Arriver 10 minutes avant." in content
    assert case.person.last_name not in content
    assert case.reference not in content  # never the case file


def test_another_interpreters_booking_answers_404(client, offered):
    other = InterpreterFactory(username="other")
    client.force_login(other.user)
    for name in ("my_booking_detail", "my_booking_decline", "my_booking_complete", "my_booking_ics"):
        assert client.get(reverse(f"interpreters:{name}", args=[offered.code])).status_code == 404
    assert client.post(reverse("interpreters:my_booking_accept", args=[offered.code])).status_code == 404
    offered.refresh_from_db()
    assert offered.status == BookingStatus.OFFERED


def test_accept_confirms_and_mails_the_invitation(client, interpreter, offered, django_capture_on_commit_callbacks):
    client.force_login(interpreter.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("interpreters:my_booking_accept", args=[offered.code]))
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == BookingStatus.CONFIRMED and offered.confirmed_by == interpreter.user
    assert mail.outbox[-1].attachments[0][0] == "booking.ics"


def test_accept_when_already_booked_then_says_so(client, coordinator, team, interpreter, offered):
    clash = BookingFactory(team=team, starts_at=offered.starts_at, ends_at=offered.ends_at)
    services.booking_confirm(booking=clash, actor=coordinator, interpreter=interpreter)
    client.force_login(interpreter.user)
    response = client.post(reverse("interpreters:my_booking_accept", args=[offered.code]), follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])
    offered.refresh_from_db()
    assert offered.status == BookingStatus.OFFERED


def test_decline(client, interpreter, offered):
    client.force_login(interpreter.user)
    response = client.post(reverse("interpreters:my_booking_decline", args=[offered.code]), {"reason": "Pas libre"})
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == BookingStatus.REQUESTED and offered.interpreter is None


def test_record_the_actual_time_and_bad_input(client, team, interpreter):
    start = timezone.now() - timedelta(hours=3)
    booking = BookingFactory(
        team=team,
        interpreter=interpreter,
        status=BookingStatus.CONFIRMED,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    client.force_login(interpreter.user)
    url = reverse("interpreters:my_booking_complete", args=[booking.code])
    local = timezone.localtime(start).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"actual_start": local, "minutes": "0"})
    assert response.status_code == 400
    assert "minutes" in response.context["form"].errors
    response = client.post(url, {"actual_start": local, "minutes": "50"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED and booking.billable_minutes == 50


def test_ics_download(client, coordinator, interpreter, offered, case):
    services.booking_confirm(booking=offered, actor=interpreter.user)
    client.force_login(interpreter.user)
    response = client.get(reverse("interpreters:my_booking_ics", args=[offered.code]))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert f"UID:booking-{offered.code}@integrapsy" in text
    assert case.person.last_name not in text
    assert "Arriver" not in text  # the briefing stays in the app


def test_calendar_feed_with_its_token_and_without(client, coordinator, interpreter, offered, case):
    services.booking_confirm(booking=offered, actor=interpreter.user)
    url = reverse("interpreters:calendar_feed", args=[interpreter.calendar_token])
    response = client.get(url)  # not signed in: a phone's calendar
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("BEGIN:VEVENT") == 1
    assert case.person.first_name in text
    assert case.person.last_name not in text
    wrong = client.get(reverse("interpreters:calendar_feed", args=["not-the-token"]))
    assert wrong.status_code == 404
    assert interpreter.calendar_token not in wrong.content.decode()
    assert "BEGIN:VCALENDAR" not in wrong.content.decode()


def test_reset_the_feed_address(client, interpreter):
    old = reverse("interpreters:calendar_feed", args=[interpreter.calendar_token])
    client.force_login(interpreter.user)
    response = client.post(reverse("interpreters:my_calendar_reset"))
    assert response.status_code == 302
    client.logout()
    assert client.get(old).status_code == 404
    interpreter.refresh_from_db()
    assert client.get(reverse("interpreters:calendar_feed", args=[interpreter.calendar_token])).status_code == 200


def test_add_an_unavailability_and_bad_input(client, interpreter):
    client.force_login(interpreter.user)
    url = reverse("interpreters:my_unavailability_add")
    start = timezone.localtime() + timedelta(days=3)
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post(
        url, {"starts_at": start.strftime(fmt), "ends_at": (start - timedelta(hours=2)).strftime(fmt)}
    )
    assert response.status_code == 400
    assert "ends_at" in response.context["form"].errors
    assert not interpreter.unavailabilities.exists()
    client.post(url, {"starts_at": start.strftime(fmt), "ends_at": (start + timedelta(days=2)).strftime(fmt)})
    assert interpreter.unavailabilities.count() == 1


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("interpreters:my_bookings"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_my_bookings_query_count_does_not_grow(client, team, interpreter):
    client.force_login(interpreter.user)
    BookingFactory(team=team, case=CaseFactory(team=team), interpreter=interpreter, status=BookingStatus.OFFERED)
    one = _queries(client)
    for i in range(29):
        status = BookingStatus.OFFERED if i % 2 else BookingStatus.CANCELLED
        start = timezone.now() + timedelta(days=1 + i) * (1 if i % 2 else -1)
        BookingFactory(
            team=team,
            case=CaseFactory(team=team),
            interpreter=interpreter,
            status=status,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
    assert _queries(client) == one


def test_opening_a_booking_is_audited(client, interpreter, offered):
    from integrapsy.audit.models import AuditEvent

    client.force_login(interpreter.user)
    assert client.get(reverse("interpreters:my_booking_detail", args=[offered.code])).status_code == 200
    event = AuditEvent.objects.get(action="booking.viewed")
    assert event.actor == interpreter.user


@pytest.mark.parametrize(
    "language, expected",
    # French and Dutch write month abbreviations in lowercase; English capitalises them.
    [("fr", "mar. 7 déc."), ("nl", "di 7 dec"), ("en", "Tue 7 Dec")],
)
def test_my_bookings_name_the_day_as_the_reader_writes_it(
    client, settings, interpreter, team, case, coordinator, language, expected
):
    starts = timezone.make_aware(timezone.datetime(2027, 12, 7, 10, 0))
    booking = BookingFactory(team=team, case=case, starts_at=starts, ends_at=starts + timedelta(hours=1))
    services.booking_offer(booking=booking, interpreter=interpreter, actor=coordinator)
    client.force_login(interpreter.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    content = client.get(reverse("interpreters:my_bookings")).content.decode()
    assert f"{expected}, 10:00–11:00" in content
    assert "Déc" not in content
