"""The booking journey in headless Chromium: request, match, accept, record, timesheet."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.tests.factories import CaseFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import PHONE, login, settle
from interpreters.models import BookingStatus, InterpreterBooking
from interpreters.services import blocked_range
from interpreters.tests.factories import (
    BookingFactory,
    InterpreterFactory,
    LocationFactory,
    completed_booking,
    confirmed_booking,
    tigrinya,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch_user(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    login(page, base_url, username)


def test_psychologist_requests_coordinator_matches_interpreter_accepts_and_records(page: Page, live_server):
    base = live_server.url
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    make_user_with_role(Role.PSYCHOLOGIST, team=team, username="psychologist", first_name="Nadia")
    place = LocationFactory(team=team, name="CAES Croisilles")
    tir = tigrinya()
    yonas = InterpreterFactory(username="interpreter", first_name="Yonas", last_name="Haile", territories=[team])
    InterpreterFactory(username="abel", first_name="Abel", last_name="Tesfaye", territories=[team])
    case = CaseFactory(team=team, person__first_name="Hewan", person__last_name="Tesfalem", main_language=tir)
    case.person.location = place
    case.person.save()
    # Yonas came last time.
    completed_booking(team, yonas, days_ago=30, minutes=55, case=case)

    # The psychologist, on a phone, asks for a Tigrinya interpreter from the case page.
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base, "psychologist")
    page.goto(f"{base}/cases/{case.reference}/")
    page.locator(".case-sections a[href$='/planning/']").click()  # the "Planning" tab
    expect(page).to_have_url(re.compile(r"/planning/$"))
    assert_accessible(page)
    page.locator("#case-request-interpreter").click()
    expect(page.locator("#booking-form")).to_be_visible()
    assert_accessible(page)
    expect(page.locator("#booking-form select[name=language]")).to_have_value(str(tir.pk))
    expect(page.locator("#booking-form select[name=location]")).to_have_value(str(place.pk))
    day = timezone.localdate() + timedelta(days=4)
    page.locator("input[name=day]").fill(day.isoformat())
    page.locator("input[name=starts_at]").fill("10:00")
    page.locator("input[name=ends_at]").fill("11:00")
    page.locator("textarea[name=briefing]").fill("Suivi psychologique ; arriver 10 minutes avant.")
    page.locator("#booking-submit").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "requested")
    assert_accessible(page)
    booking = InterpreterBooking.objects.exclude(status=BookingStatus.COMPLETED).get()
    assert booking.case == case and booking.requested_by.username == "psychologist"

    # The coordinator picks the first suggestion: the interpreter who came last time.
    page.set_viewport_size({"width": 1280, "height": 900})
    _switch_user(page, base, "coordinator")
    page.goto(f"{base}/bookings/{booking.code}/")
    page.locator("#booking-match").click()
    first = page.locator("#suggestion-1")
    expect(first).to_have_attribute("data-interpreter", str(yonas.code))
    assert_accessible(page)
    first.locator("button[data-action=offer]").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "offered")
    expect(page.locator("#booking-interpreter")).to_contain_text("Yonas Haile")

    # The interpreter signs in on their phone and accepts.
    page.set_viewport_size({"width": 390, "height": 844})
    _switch_user(page, base, "interpreter")
    assert_accessible(page)
    page.goto(f"{base}/my-bookings/")
    page.locator(f"#my-offers [data-booking='{booking.code}'] a").click()
    expect(page.locator("#booking-person")).to_have_text("Hewan")
    expect(page.locator("body")).not_to_contain_text("Tesfalem")
    assert_accessible(page)
    page.locator("#booking-accept").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "confirmed")

    # Later: the consultation took place (the clock moves past it).
    start = timezone.now() - timedelta(hours=2)
    end = start + timedelta(hours=1)
    blocked_from, blocked_until = blocked_range(mode=booking.mode, starts_at=start, ends_at=end)
    InterpreterBooking.objects.filter(pk=booking.pk).update(
        starts_at=start, ends_at=end, blocked_from=blocked_from, blocked_until=blocked_until
    )
    page.goto(f"{base}/my-bookings/{booking.code}/")
    page.locator("#booking-complete").click()
    expect(page.locator("input[name=minutes]")).to_be_visible()
    assert_accessible(page)
    page.locator("input[name=minutes]").fill("50")
    page.locator("#booking-step-submit").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "completed")
    expect(page.locator("#booking-minutes")).to_contain_text("50")

    # The coordinator's timesheet of the month shows the 50 minutes.
    page.set_viewport_size({"width": 1280, "height": 900})
    _switch_user(page, base, "coordinator")
    month = timezone.localtime(start).strftime("%Y-%m")
    page.goto(f"{base}/timesheet/?month={month}")
    expect(page.locator(f"#timesheet-rows tr[data-booking='{booking.code}'] td[data-minutes]")).to_have_text("50")
    assert_accessible(page)


def test_interpreter_withdraws_on_a_phone_and_the_coordinator_matches_again(page: Page, live_server):
    base = live_server.url
    team = TeamFactory(name="IntegraPsy Wallonie picarde")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    tir = tigrinya()
    yonas = InterpreterFactory(username="interpreter", first_name="Yonas", last_name="Haile", territories=[team])
    abel = InterpreterFactory(username="abel", first_name="Abel", last_name="Tesfaye", territories=[team])
    case = CaseFactory(team=team, person__first_name="Hewan", person__last_name="Tesfalem", main_language=tir)
    start = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    booking = confirmed_booking(team, yonas, start, case=case, language=tir)

    # The interpreter, on their phone, opens the booking and gives it back.
    page.set_viewport_size(PHONE)
    login(page, base, "interpreter")
    page.goto(f"{base}/my-bookings/")
    page.locator(f"#my-upcoming [data-booking='{booking.code}'] a").click()
    settle(page)
    assert_accessible(page)
    page.locator("#booking-withdraw").click()
    expect(page.locator("#booking-step-form")).to_be_visible()
    assert_accessible(page)
    # Without a reason: the message is beside the field.
    page.locator("#booking-step-submit").click()
    expect(page.locator("#id_reason.is-invalid")).to_be_visible()
    expect(page.locator("#error_1_id_reason, .invalid-feedback").first).to_be_visible()
    settle(page)
    assert_accessible(page)
    page.locator("#id_reason").fill("Malade, fièvre depuis ce matin")
    page.locator("#booking-step-submit").click()
    expect(page.locator(f"#my-upcoming [data-booking='{booking.code}']")).to_have_count(0)
    settle(page)
    assert_accessible(page)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED and booking.interpreter is None

    # The coordinator, on a phone too, finds the booking waiting on the home page and matches it again.
    _switch_user(page, base, "coordinator")
    page.goto(f"{base}/")
    page.locator(f"a[href='/bookings/{booking.code}/']").first.click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "requested")
    expect(page.locator("#booking-withdrawals")).to_contain_text("Malade, fièvre depuis ce matin")
    expect(page.locator("#booking-withdrawals")).to_contain_text("Yonas Haile")
    settle(page)
    assert_accessible(page)
    page.locator("#booking-match").click()
    expect(page.locator("#suggestion-1")).to_have_attribute("data-interpreter", str(abel.code))
    settle(page)
    assert_accessible(page)
    page.locator("#suggestion-1 button[data-action=offer]").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "offered")
    expect(page.locator("#booking-interpreter")).to_contain_text("Abel Tesfaye")


def test_the_match_page_shows_the_best_ten_then_everyone_on_a_phone(page: Page, live_server):
    base = live_server.url
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    for i in range(12):
        InterpreterFactory(username=f"tir{i}", first_name="Interprète", last_name=f"N{i:02d}", territories=[team])
    booking = BookingFactory(team=team, case=CaseFactory(team=team), language=tigrinya())

    page.set_viewport_size(PHONE)
    login(page, base, "coordinator")
    page.goto(f"{base}/bookings/{booking.code}/match/")
    expect(page.locator("#suggestions > li")).to_have_count(10)
    more = page.locator("#suggestions-all")
    expect(more).to_have_text("Voir 2 autres interprètes")
    settle(page)
    assert_accessible(page)
    more.focus()
    page.keyboard.press("Enter")  # with the keyboard
    expect(page).to_have_url(re.compile(r"/match/\?all=1$"))
    expect(page.locator("#suggestions > li")).to_have_count(12)
    expect(page.locator("#suggestions-all")).to_have_count(0)
    settle(page)
    assert_accessible(page)
