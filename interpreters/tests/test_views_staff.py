from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cases.tests.factories import CaseFactory
from integrapsy.accounts.tests.factories import TeamFactory
from interpreters import services
from interpreters.models import BookingStatus, InterpreterBooking, Mode
from interpreters.tests.factories import (
    BookingFactory,
    InterpreterFactory,
    LanguageFactory,
    LocationFactory,
    completed_booking,
    past_confirmed,
)

pytestmark = pytest.mark.django_db


def _form(case=None, **overrides):
    day = timezone.localdate() + timedelta(days=7)
    data = {
        "case": case.reference if case else "",
        "team": case.team.pk if case else "",
        "serves_kind": "consultation",
        "mode": Mode.PHONE,
        "day": day.isoformat(),
        "starts_at": "10:00",
        "ends_at": "11:00",
        "gender_preference": "",
        "same_as_before": "on",
        "briefing": "Suivi",
    }
    data.update(overrides)
    return data


def test_request_from_the_case_page(client, psychologist, case, tir, place):
    client.force_login(psychologist)
    page = client.get(reverse("cases:detail_planning", args=[case.reference]))
    assert b'id="case-request-interpreter"' in page.content
    url = reverse("interpreters:booking_new") + f"?case={case.reference}"
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"].initial["case"] == case.reference
    response = client.post(url, _form(case, language=tir.pk, mode=Mode.ON_SITE, location=place.pk))
    booking = InterpreterBooking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("interpreters:booking_detail", args=[booking.code])
    assert booking.case == case and booking.location == place and booking.requested_by == psychologist
    assert booking.starts_at == timezone.make_aware(
        timezone.datetime.combine(timezone.localdate() + timedelta(days=7), timezone.datetime.min.time()).replace(
            hour=10
        )
    )


def test_the_request_form_is_prefilled_from_its_address(client, coordinator, case, tir, place):
    pashto = LanguageFactory(code="pus", name_fr="Pachto")
    client.force_login(coordinator)
    day = (timezone.localdate() + timedelta(days=9)).isoformat()
    query = {
        "case": case.reference,
        "language": pashto.pk,
        "mode": Mode.ON_SITE,
        "location": place.pk,
        "serves_kind": "permanence",
        "day": day,
        "starts_at": "09:30",
        "ends_at": "10:45",
        "gender_preference": "F",
    }
    response = client.get(reverse("interpreters:booking_new"), query)
    initial = response.context["form"].initial
    assert initial["case"] == case.reference and initial["language"] == pashto
    assert (initial["mode"], initial["location"], initial["serves_kind"]) == (Mode.ON_SITE, place, "permanence")
    assert initial["day"].isoformat() == day
    assert (initial["starts_at"].isoformat(), initial["ends_at"].isoformat()) == ("09:30:00", "10:45:00")
    assert initial["gender_preference"] == "F"
    html = response.content.decode()
    assert 'name="starts_at" value="09:30"' in html and 'name="ends_at" value="10:45"' in html


def test_bad_prefill_values_are_ignored(client, coordinator, case, tir):
    other_place = LocationFactory(team=TeamFactory(name="Ailleurs"))
    client.force_login(coordinator)
    response = client.get(
        reverse("interpreters:booking_new"),
        {"case": case.reference, "language": "999999", "mode": "telepathy", "location": other_place.pk, "day": "x"},
    )
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["mode"] == Mode.ON_SITE  # the default stays
    assert initial.get("location") != other_place and initial["language"] == case.main_language
    assert initial["day"] > timezone.localdate()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "09:00"}, "ends_at"),
        ({"day": (timezone.localdate() - timedelta(days=1)).isoformat()}, "starts_at"),
        ({"mode": Mode.ON_SITE}, "location"),
    ],
    ids=["end-before-start", "in-the-past", "on-site-without-place"],
)
def test_bad_request_keeps_the_input_and_puts_the_error_beside_the_field(
    client, psychologist, case, tir, overrides, field
):
    client.force_login(psychologist)
    response = client.post(reverse("interpreters:booking_new"), _form(case, language=tir.pk, **overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert form.data["briefing"] == "Suivi"
    assert not InterpreterBooking.objects.exists()


def test_short_notice_rare_language_is_warned(client, psychologist, case, tir):
    client.force_login(psychologist)
    # Tomorrow morning is always less than two working days away.
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = _form(case, language=tir.pk, day=tomorrow.isoformat(), starts_at="08:00", ends_at="09:00")
    response = client.post(reverse("interpreters:booking_new"), data, follow=True)
    booking = InterpreterBooking.objects.get()
    assert booking.short_notice
    assert any(m.level_tag == "warning" for m in response.context["messages"])


def test_a_case_of_another_team_answers_404(client, psychologist, tir):
    other = CaseFactory(team=TeamFactory(name="Autre"))
    client.force_login(psychologist)
    assert client.get(reverse("interpreters:booking_new") + f"?case={other.reference}").status_code == 404


def test_match_page_ranks_and_offer_works(client, coordinator, team, case, tir):
    came = InterpreterFactory(first_name="Yonas", username="yonas")
    InterpreterFactory(first_name="Abel", username="abel")
    completed_booking(team, came, days_ago=20, minutes=50, case=case)
    booking = BookingFactory(team=team, case=case, same_as_before=True)
    client.force_login(coordinator)
    response = client.get(reverse("interpreters:booking_match", args=[booking.code]))
    assert response.status_code == 200
    assert response.context["suggestions"].shown[0].interpreter == came
    assert f'id="suggestion-1" data-interpreter="{came.code}"'.encode() in response.content
    response = client.post(reverse("interpreters:booking_offer", args=[booking.code]), {"interpreter": str(came.code)})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.OFFERED and booking.interpreter == came


def test_the_loser_of_a_race_gets_a_clear_message_and_the_ranked_list_again(client, coordinator, team, tir):
    interpreter = InterpreterFactory(first_name="Yonas", username="yonas")
    InterpreterFactory(first_name="Abel", username="abel")
    mine = BookingFactory(team=team)
    theirs = BookingFactory(team=team, starts_at=mine.starts_at, ends_at=mine.ends_at)
    services.booking_confirm(booking=theirs, actor=coordinator, interpreter=interpreter)
    client.force_login(coordinator)
    response = client.post(
        reverse("interpreters:booking_confirm", args=[mine.code]), {"interpreter": str(interpreter.code)}
    )
    assert response.status_code == 409
    assert b'id="match-error"' in response.content
    suggestions = response.context["suggestions"].shown
    assert [s.interpreter.user.first_name for s in suggestions] == ["Abel", "Yonas"]
    assert not suggestions[1].available
    mine.refresh_from_db()
    assert mine.status == BookingStatus.REQUESTED


def test_offer_to_an_interpreter_without_the_language_is_refused(client, coordinator, team):
    from interpreters.tests.factories import LanguageFactory

    dari = InterpreterFactory(username="dari", languages=[LanguageFactory(code="prs")])
    booking = BookingFactory(team=team)
    client.force_login(coordinator)
    response = client.post(reverse("interpreters:booking_offer", args=[booking.code]), {"interpreter": str(dari.code)})
    assert response.status_code == 400
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_cancel_late_shows_the_warning_and_records_it(client, coordinator, team, interpreter):
    booking = BookingFactory(team=team, starts_at=timezone.now() + timedelta(hours=5))
    services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
    client.force_login(coordinator)
    url = reverse("interpreters:booking_cancel", args=[booking.code])
    assert client.get(url).context["intro"]
    response = client.post(url, {"reason": ""})
    assert "reason" in response.context["form"].errors
    client.post(url, {"reason": "Transfert"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.late_cancellation


def test_coordinator_records_the_time_for_the_interpreter(client, coordinator, team, interpreter):
    booking = past_confirmed(team, interpreter)
    client.force_login(coordinator)
    url = reverse("interpreters:booking_complete", args=[booking.code])
    response = client.post(
        url, {"actual_start": timezone.localtime(booking.starts_at).strftime("%Y-%m-%dT%H:%M"), "minutes": "45"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED and booking.billable_minutes == 45


def test_no_show(client, coordinator, team, interpreter):
    booking = past_confirmed(team, interpreter)
    client.force_login(coordinator)
    client.post(reverse("interpreters:booking_no_show", args=[booking.code]), {"party": "person"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW and booking.no_show_party == "person"


def test_psychologist_cannot_offer(client, psychologist, team, interpreter):
    booking = BookingFactory(team=team)
    client.force_login(psychologist)
    response = client.post(
        reverse("interpreters:booking_offer", args=[booking.code]), {"interpreter": str(interpreter.code)}
    )
    assert response.status_code == 404


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("interpreters:booking_list") + "?when=all")
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["page"].object_list)


def test_booking_list_query_count_does_not_grow(client, coordinator, team, interpreter):
    client.force_login(coordinator)
    BookingFactory(team=team, case=CaseFactory(team=team), interpreter=interpreter, status=BookingStatus.OFFERED)
    one, rows = _list_queries(client)
    assert rows == 1
    for _ in range(24):
        BookingFactory(team=team, case=CaseFactory(team=team), interpreter=interpreter, status=BookingStatus.OFFERED)
    for _ in range(5):
        BookingFactory(team=team)
    many, rows = _list_queries(client)
    assert rows == 25  # one full page of 30 bookings
    assert many == one


def test_home_page_shows_waiting_requests_to_the_coordinator(client, coordinator, team):
    booking = BookingFactory(team=team)
    client.force_login(coordinator)
    response = client.get(reverse("home"))
    assert reverse("interpreters:booking_detail", args=[booking.code]).encode() in response.content


def test_booking_list_rows_show_the_case_the_interpreter_and_the_place(client, coordinator, team, interpreter, place):
    client.force_login(coordinator)
    case = CaseFactory(team=team)
    booked = BookingFactory(team=team, case=case, interpreter=interpreter, status=BookingStatus.OFFERED, location=place)
    bare = BookingFactory(team=team, location=None)
    response = client.get(reverse("interpreters:booking_list") + "?when=all")
    rows = {row["code"]: row for row in response.context["rows"]}
    assert rows[booked.code]["case"] == f"{case.reference} · {case.person.first_name}"
    assert rows[booked.code]["interpreter"] == str(interpreter)
    assert rows[booked.code]["location"] == booked.location.name
    assert rows[booked.code]["language"] == booked.language.name
    assert rows[booked.code]["when"] == date_format(timezone.localtime(booked.starts_at), "SHORT_DATETIME_FORMAT")
    assert rows[bare.code]["case"] == "" and rows[bare.code]["location"] == "" and rows[bare.code]["interpreter"] == ""
    html = response.content.decode()
    assert f'href="{reverse("interpreters:booking_detail", args=[booked.code])}"' in html
    assert 'data-status="offered"' in html and 'data-status="requested"' in html


def test_a_long_booking_list_is_counted_up_to_its_cap_and_says_so(client, coordinator, team, monkeypatch):
    from interpreters import views

    monkeypatch.setattr(views, "BOOKINGS_COUNTED", 3)
    client.force_login(coordinator)
    for _ in range(3):
        BookingFactory(team=team)
    response = client.get(reverse("interpreters:booking_list") + "?when=all")
    assert response.context["page"].paginator.count == 3
    assert b'id="booking-capped"' not in response.content
    BookingFactory(team=team)
    response = client.get(reverse("interpreters:booking_list") + "?when=all")
    assert response.context["page"].paginator.capped
    assert "Plus de 3 réservations" in response.content.decode()
