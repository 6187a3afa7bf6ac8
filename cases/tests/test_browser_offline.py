"""Journeys without network for the clinical team, on a phone, with axe on each page."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from cases.models import Consultation, PermanenceBooking, SlotAttendance
from cases.tests.factories import PermanenceBookingFactory, PermanenceSessionFactory
from integrapsy.offline.models import IdempotencyKey
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import PHONE, login, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTES = "Il dort mieux depuis qu'il a retrouvé son cousin."

with translation.override("fr"):
    SIGN_IN = str(translation.gettext("Sign in to send what is waiting."))


def ready(page: Page):
    banner = page.locator("#offline-banner")
    expect(banner).to_have_attribute("data-ready", "true")
    return banner


def open_new_consultation(page: Page, base: str, clinic):
    """The psychologist, on a phone, at the case's new consultation form; its offline banner ready."""
    page.set_viewport_size(PHONE)
    login(page, base, "psychologist")
    page.goto(f"{base}/cases/{clinic.case.reference}/consultations/new/")
    return ready(page)


def write_offline(page: Page, *, duration: str = ""):
    """The network cut, a follow-up consultation in person written with its notes."""
    page.context.set_offline(True)
    page.locator("input[name=mode][value=in_person]").check()
    page.locator("#id_kind").select_option("follow_up")
    if duration:
        page.locator("#id_duration_minutes").fill(duration)
    page.locator("#id_notes").fill(NOTES)


def test_a_consultation_written_without_network_reaches_the_server_as_a_draft(page: Page, live_server, clinic):
    base = live_server.url
    banner = open_new_consultation(page, base, clinic)
    assert_accessible(page)

    write_offline(page)
    page.locator("#save-sign").click()  # signing needs the network: it is kept as a draft
    expect(banner).to_have_attribute("data-waiting", "1")
    expect(page.locator("#id_notes")).to_have_value("")  # kept on the device, not on the screen
    assert_accessible(page)
    assert not Consultation.objects.exists()

    page.context.set_offline(False)
    expect(banner).to_have_attribute("data-waiting", "0")
    consultation = Consultation.objects.get()
    assert consultation.notes == NOTES and not consultation.is_signed
    assert consultation.psychologist == clinic.psychologist
    link = banner.locator("a[data-sent]")
    expect(link).to_have_attribute("href", f"{base}/consultations/{consultation.code}/")
    settle(page)
    assert_accessible(page)


def test_attendance_marked_without_network_lands(page: Page, live_server, clinic):
    base = live_server.url
    session = PermanenceSessionFactory(
        team=clinic.team, location=clinic.location, psychologist=clinic.psychologist, date=timezone.localdate()
    )
    booking = PermanenceBookingFactory(session=session, case=clinic.case)
    page.set_viewport_size(PHONE)
    login(page, base, "coordinator")
    page.goto(f"{base}/permanences/{session.code}/")
    page.locator("#attendance-sheet").click()
    banner = ready(page)
    expect(page.locator("#attendance")).to_contain_text("Dawit")
    expect(page.locator("#attendance")).not_to_contain_text("Gebremedhin")
    assert_accessible(page)

    page.context.set_offline(True)
    page.locator(f"[data-booking='{booking.code}'] button[value=attended]").click()
    expect(banner).to_have_attribute("data-waiting", "1")
    assert_accessible(page)
    page.context.set_offline(False)
    expect(banner).to_have_attribute("data-waiting", "0")
    settle(page)
    assert_accessible(page)
    booking.refresh_from_db()
    assert booking.status == SlotAttendance.ATTENDED
    assert IdempotencyKey.objects.count() == 1
    assert PermanenceBooking.objects.count() == 1


def test_a_refused_item_comes_back_as_the_form_with_the_text_and_the_error(page: Page, live_server, clinic):
    base = live_server.url
    banner = open_new_consultation(page, base, clinic)

    # Written offline with a duration the server refuses (the browser's own check is off).
    write_offline(page, duration="900")
    page.locator("#save-draft").click()
    expect(banner).to_have_attribute("data-waiting", "1")

    page.context.set_offline(False)
    review = banner.locator("button[data-review]")
    expect(review).to_be_visible()
    expect(banner).to_have_attribute("data-waiting", "1")  # refused, still kept
    assert not Consultation.objects.exists()
    settle(page)
    assert_accessible(page)
    review.click()
    expect(page.locator("#id_notes")).to_have_value(NOTES)
    expect(page.locator("#id_duration_minutes")).to_have_class(re.compile("is-invalid"))
    settle(page)
    assert_accessible(page)

    page.locator("#id_duration_minutes").fill("50")
    page.locator("#save-draft").click()
    expect(page.locator("h1")).to_be_visible()
    consultation = Consultation.objects.get()
    assert (consultation.notes, consultation.duration_minutes) == (NOTES, 50)
    expect(ready(page)).to_have_attribute("data-waiting", "0")


def test_an_expired_session_asks_to_sign_in_and_then_sends(page: Page, live_server, clinic):
    base = live_server.url
    banner = open_new_consultation(page, base, clinic)

    write_offline(page)
    page.locator("#save-draft").click()
    expect(banner).to_have_attribute("data-waiting", "1")

    Session.objects.all().delete()  # the session ended on the server meanwhile
    page.context.set_offline(False)
    expect(banner).to_contain_text(SIGN_IN)
    expect(banner).to_have_attribute("data-waiting", "1")
    assert not Consultation.objects.exists()
    settle(page)
    assert_accessible(page)

    login(page, base, "psychologist", check=False)
    expect(ready(page)).to_have_attribute("data-waiting", "0")
    consultation = Consultation.objects.get()
    assert consultation.notes == NOTES and not consultation.is_signed
