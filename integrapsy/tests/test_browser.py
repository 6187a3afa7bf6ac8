"""End-to-end journeys in headless Chromium, each page checked with axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Page, base_url: str, username: str, password: str = "secret-pass-123") -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label(re.compile("Nom d’utilisateur|Nom d'utilisateur|Gebruikersnaam|Username")).fill(username)
    page.get_by_label(re.compile("Mot de passe|Wachtwoord|Password")).fill(password)
    page.get_by_role("button", name=re.compile("Se connecter|Aanmelden|Sign in")).click()


def test_coordinator_logs_in_switches_to_dutch_and_logs_out(page: Page, live_server):
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)

    login(page, live_server.url, "coordinator")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Claire")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page)

    page.get_by_label("Langue").select_option("nl")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hallo Claire")
    assert_accessible(page)

    expect(page.get_by_role("button", name="Menu openen")).to_be_visible()  # Dutch label
    logout(page)
