"""A long text field counts its characters and says when the limit is reached, on a phone, accessibly."""

import re

import pytest
from playwright.sync_api import Page, expect

from integrapsy.accounts.models import Organisation, Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import PHONE, choose_language, login, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def referrer_on_a_phone(page: Page, live_server) -> None:
    """A reception centre's referrer signed in on a phone, with a team to refer to."""
    TeamFactory(name="IntegraPsy Hauts-de-France")
    centre = OrganisationFactory(name="CAES Croisilles", kind=Organisation.Kind.RECEPTION_CENTRE)
    make_user_with_role(Role.REFERRER, organisation=centre, username="referrer")
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "referrer")


def test_the_referral_form_counts_the_characters_of_what_the_centre_did(page: Page, live_server):
    referrer_on_a_phone(page, live_server)
    choose_language(page, "en")
    page.goto(f"{live_server.url}/referrals/new/")
    field = page.locator("#id_actions_taken")
    counter = page.locator("#id_actions_taken-counter")
    live = page.locator("#id_actions_taken-counter-live")
    expect(counter).to_have_text("0 / 2,000 characters")
    assert "id_actions_taken-counter" in field.get_attribute("aria-describedby").split()
    expect(live).to_have_attribute("aria-live", "polite")

    field.fill("x" * 1980)
    expect(counter).to_have_text("1,980 / 2,000 characters")
    expect(live).to_have_text("1,980 / 2,000 characters")  # said once typing pauses
    settle(page)
    assert_accessible(page)

    field.focus()
    field.press("End")
    page.keyboard.insert_text("y" * 120)  # pasted beyond the limit: the browser keeps 2,000
    assert len(field.input_value()) == 2000
    full = re.compile(r"Limit reached: 2,000 / 2,000 characters\. What goes beyond is not kept\.")
    expect(counter).to_have_text(full)
    expect(live).to_have_text(full)
    expect(counter).to_have_class(re.compile(r"\bis-full\b"))
    settle(page)
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_french_numbers_are_grouped_the_french_way(page: Page, live_server):
    referrer_on_a_phone(page, live_server)
    page.goto(f"{live_server.url}/referrals/new/")
    page.locator("#id_actions_taken").fill("x" * 1980)
    expect(page.locator("#id_actions_taken-counter")).to_have_text(re.compile(r"^1\s980 / 2\s000 "))
