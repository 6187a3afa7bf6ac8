"""A reception centre asks for a permanence slot on a phone; a coordinator confirms it; the centre sees it."""

import pytest
from playwright.sync_api import Page, expect

from cases.models import PermanenceBooking
from cases.tests.factories import (
    CaseFactory,
    LanguageFactory,
    LocationFactory,
    PermanenceSessionFactory,
    ReferralFactory,
)
from integrapsy.accounts.models import Organisation, Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import PHONE, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def test_a_referrer_asks_for_a_slot_and_a_coordinator_confirms_it(page: Page, live_server):
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    caes = OrganisationFactory(name="CAES Croisilles", kind=Organisation.Kind.RECEPTION_CENTRE)
    referrer = make_user_with_role(Role.REFERRER, organisation=caes, username="referrer", first_name="Sophie")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    psychologist = make_user_with_role(Role.PSYCHOLOGIST, team=team, username="psychologist", first_name="Nadia")
    tigrinya = LanguageFactory()
    caes_place = LocationFactory(team=team, name="CAES Croisilles")
    case = CaseFactory(team=team, person__first_name="Dawit", person__last_name="Gebremedhin")
    referral = ReferralFactory(
        team=team,
        organisation=caes,
        submitted_by=referrer,
        accepted=True,
        case=case,
        first_name="Dawit",
        last_name="Gebremedhin",
    )
    session = PermanenceSessionFactory(team=team, location=caes_place, psychologist=psychologist)
    slot = session.slots.order_by("start_time")[1]  # 09:45
    base = live_server.url

    # On a phone, the centre asks for the 9:45 slot, with a Tigrinya interpreter.
    page.set_viewport_size(PHONE)
    login(page, base, "referrer")
    page.goto(f"{base}/referrals/mine/{referral.code}/")
    assert_accessible(page)
    page.locator("#ask-slot").click()
    expect(page.locator(f'fieldset[data-day="{session.date:%Y-%m-%d}"]')).to_be_visible()
    assert_accessible(page)
    page.locator("#id_note").fill("Disponible après le petit-déjeuner")
    page.locator("#slot-request-send").click()
    # Nothing chosen: the error is beside the slots, the note is kept.
    expect(page.locator("#slot-error")).to_be_visible()
    expect(page.locator("#id_note")).to_have_value("Disponible après le petit-déjeuner")
    assert_accessible(page)
    page.locator(f"#slot-{slot.code}").check()
    page.locator("#id_interpreter_needed").check()
    page.locator("#id_interpreter_language").select_option(str(tigrinya.pk))
    page.locator("#slot-request-send").click()
    request_row = page.locator("#slot-requests li[data-slot-request]")
    expect(request_row).to_have_attribute("data-status", "pending")
    expect(request_row).to_contain_text("09:45")
    expect(request_row).to_contain_text("CAES Croisilles")
    expect(page.locator("#ask-slot")).to_have_count(0)
    assert_accessible(page)
    logout(page)

    # The coordinator sees it on the home page and confirms it.
    page.set_viewport_size(DESKTOP)
    login(page, base, "coordinator")
    expect(page.locator("#home-slot-requests")).to_contain_text("Dawit")
    page.locator("#home-slot-requests a").click()
    row = page.locator('#slot-requests tr[data-time="09:45"]')
    expect(row).to_contain_text("Tigrinya")
    assert_accessible(page)
    row.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Dawit Gebremedhin")
    expect(page.locator("#slot-requests tbody tr[data-slot-request]")).to_have_count(0)
    page.goto(f"{base}/permanences/{session.code}/")
    expect(page.locator('tr[data-time="09:45"]')).to_have_attribute("data-status", "booked")
    expect(page.locator('tr[data-time="09:45"]')).to_contain_text("Dawit Gebremedhin")
    assert_accessible(page)
    logout(page)
    assert PermanenceBooking.objects.get(slot=slot).interpreter_language == tigrinya

    # Back on the phone, the centre reads that the appointment is confirmed.
    page.set_viewport_size(PHONE)
    login(page, base, "referrer")
    page.goto(f"{base}/referrals/mine/{referral.code}/")
    expect(page.locator("#slot-requests li[data-slot-request]")).to_have_attribute("data-status", "confirmed")
    expect(page.locator("main")).not_to_contain_text(case.reference)
    assert_accessible(page)
