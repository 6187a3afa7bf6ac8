from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.tests.factories import CaseFactory
from integrapsy import clock
from interpreters import services
from interpreters.models import BookingStatus
from interpreters.tests.factories import BookingFactory, InterpreterFactory, confirmed_booking, past_confirmed

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
    booking = past_confirmed(team, interpreter, hours_ago=3)
    client.force_login(interpreter.user)
    url = reverse("interpreters:my_booking_complete", args=[booking.code])
    local = timezone.localtime(booking.starts_at).strftime("%Y-%m-%dT%H:%M")
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
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
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
        )
    assert _queries(client) == one


def test_opening_a_booking_is_audited(client, interpreter, offered):
    from integrapsy.audit.models import AuditEvent

    client.force_login(interpreter.user)
    assert client.get(reverse("interpreters:my_booking_detail", args=[offered.code])).status_code == 200
    event = AuditEvent.objects.get(action="booking.viewed")
    assert event.actor == interpreter.user


@pytest.mark.parametrize(
    ("language", "this_year", "next_year"),
    [
        ("en", "Thu 13 Dec", "Sat, 16 Mar 2030"),
        ("fr", "jeu. 13 déc.", "sam. 16 mars 2030"),
        ("nl", "do 13 dec", "za 16 mrt 2030"),
    ],
)
def test_my_bookings_say_the_year_of_a_booking_in_another_year(
    client, team, interpreter, language, this_year, next_year
):
    tz = timezone.get_current_timezone()
    for start in (datetime(2029, 12, 13, 10, 0, tzinfo=tz), datetime(2030, 3, 16, 10, 0, tzinfo=tz)):
        confirmed_booking(team, interpreter, start)
    client.force_login(interpreter.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with clock.as_of(datetime(2029, 12, 1, 9, 0, tzinfo=tz)):
        response = client.get(reverse("interpreters:my_bookings"))
    content = response.content.decode()
    assert f"{this_year}, 10:00–11:00" in content
    assert f"{next_year}, 10:00–11:00" in content
    assert "2029" not in content


# --- Withdrawing from a confirmed booking -------------------------------------------------


@pytest.fixture
def confirmed(offered, interpreter):
    services.booking_confirm(booking=offered, actor=interpreter.user)
    return offered


def test_the_interpreter_withdraws_and_the_coordinator_sees_it_to_match_again(
    client, coordinator, interpreter, confirmed
):
    client.force_login(interpreter.user)
    detail = client.get(reverse("interpreters:my_booking_detail", args=[confirmed.code]))
    url = reverse("interpreters:my_booking_withdraw", args=[confirmed.code])
    assert url in detail.content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Malade, fièvre"})
    assert response.status_code == 302 and response["Location"] == reverse("interpreters:my_bookings")
    confirmed.refresh_from_db()
    assert confirmed.status == BookingStatus.REQUESTED and confirmed.interpreter is None
    # Given back, the booking is no longer the interpreter's.
    assert client.get(reverse("interpreters:my_booking_detail", args=[confirmed.code])).status_code == 404
    client.force_login(coordinator)
    page = client.get(reverse("interpreters:booking_detail", args=[confirmed.code]))
    assert page.context["may_match"]
    assert [w.reason for w in page.context["withdrawals"]] == ["Malade, fièvre"]
    assert "Malade, fièvre" in page.content.decode()
    match = client.get(reverse("interpreters:booking_match", args=[confirmed.code]))
    assert match.status_code == 200
    [mine] = [s for s in match.context["suggestions"].shown if s.interpreter == interpreter]
    assert str(_("Declined this request earlier")) in [str(r) for r in mine.reasons]


def test_withdrawing_without_a_reason_says_so_beside_the_field(client, interpreter, confirmed):
    client.force_login(interpreter.user)
    url = reverse("interpreters:my_booking_withdraw", args=[confirmed.code])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    with translation.override("fr"):
        expected = _("Say why you withdraw, so the team can find someone else.")
    assert response.context["form"].errors["reason"] == [expected]
    response = client.post(url, {"reason": "Pas libre " * 30})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert "Pas libre Pas libre" in response.content.decode()  # what was typed comes back
    confirmed.refresh_from_db()
    assert confirmed.status == BookingStatus.CONFIRMED and confirmed.interpreter == interpreter


def test_only_the_booked_interpreter_may_withdraw(client, coordinator, confirmed):
    url = reverse("interpreters:my_booking_withdraw", args=[confirmed.code])
    for user in (InterpreterFactory(username="other").user, coordinator):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x"}).status_code == 404
    confirmed.refresh_from_db()
    assert confirmed.status == BookingStatus.CONFIRMED


def test_a_booking_that_started_cannot_be_given_back(client, team, interpreter):
    booking = past_confirmed(team, interpreter, hours_ago=0.5)
    client.force_login(interpreter.user)
    detail = client.get(reverse("interpreters:my_booking_detail", args=[booking.code]))
    assert not detail.context["may_withdraw"]
    url = reverse("interpreters:my_booking_withdraw", args=[booking.code])
    assert client.post(url, {"reason": "x"})["Location"] == reverse(
        "interpreters:my_booking_detail", args=[booking.code]
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


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
    with clock.as_of(timezone.make_aware(timezone.datetime(2027, 12, 1, 9, 0))):
        content = client.get(reverse("interpreters:my_bookings")).content.decode()
    assert f"{expected}, 10:00–11:00" in content
    assert "Déc" not in content
