"""The referral journey: a reception centre refers, the team triages, the centre sees the status."""

import re

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case, Referral
from integrapsy.accounts.models import Organisation, Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role
from integrapsy.directory.models import Language, Location
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import PHONE, choose_language, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCEPTED = {"fr": "Acceptée", "nl": "Aanvaard"}


@pytest.fixture
def setting(db):
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    caes = OrganisationFactory(name="CAES Croisilles", kind=Organisation.Kind.RECEPTION_CENTRE)
    Location.objects.create(name="CAES Croisilles", kind="reception_centre", team=team, city="Croisilles", country="FR")
    Language.objects.create(code="tir", name_fr="Tigrinya", name_nl="Tigrinya", name_en="Tigrinya")
    make_user_with_role(Role.REFERRER, organisation=caes, username="referrer", first_name="Sophie")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    make_user_with_role(Role.PSYCHOLOGIST, team=team, username="psychologist", first_name="Nadia")
    return team


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_referral_with_suicidal_thoughts_from_centre_to_case(page: Page, live_server, setting, language):
    base = live_server.url
    page.set_viewport_size(PHONE)

    # The reception centre refers Hewan, who spoke of suicide.
    page.goto(f"{base}/accounts/login/")
    if language != "fr":
        choose_language(page, language)
    login(page, base, "referrer")
    page.goto(f"{base}/referrals/new/")
    assert_accessible(page)
    page.locator("#id_first_name").fill("Hewan")
    page.locator("#id_last_name").fill("Kidane")
    page.locator("#id_birth_year").fill("2001")
    page.locator("#id_location").select_option(label="CAES Croisilles (Croisilles)")
    page.locator("#id_main_language").select_option(label="Tigrinya")
    page.locator("input[name=reasons][value=despair]").check()
    page.locator("input[name=reasons][value=suicidal_thoughts]").check()
    page.locator("input[name=urgency][value=priority]").check()
    page.locator("#id_consent_given").check()
    page.locator("#id_consent_date").fill("2026-01-05")
    page.locator("input[name=consent_method][value=oral]").check()
    page.locator("main form button[type=submit]").click()

    # At once: what to do now.
    crisis = page.locator("#crisis-h").locator("xpath=..")
    expect(crisis).to_contain_text("3114")
    expect(crisis).to_contain_text("0800 32 123")
    assert_accessible(page)
    referral = Referral.objects.get()
    assert referral.alarm
    logout(page)

    # The coordinator sees the banner, opens the referral and accepts it.
    login(page, base, "coordinator", check=False)
    banner = page.locator("#urgent-h").locator("xpath=..")
    expect(banner).to_contain_text(referral.reference)
    assert_accessible(page)
    banner.get_by_role("link", name=referral.reference).click()
    expect(page).to_have_url(re.compile(rf"/referrals/{referral.code}/$"))
    assert_accessible(page)
    page.locator("form[action$='/accept/'] button[type=submit]").click()
    case = Case.objects.get()
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/$"))
    expect(page.locator("h1")).to_contain_text("Hewan Kidane")
    assert_accessible(page)
    page.goto(f"{base}/")
    expect(page.locator("#urgent-h")).to_have_count(0)  # taken: the banner is gone
    logout(page)

    # Back at the centre: "accepted", and nothing of the case.
    login(page, base, "referrer", check=False)
    page.goto(f"{base}/referrals/mine/")
    assert_accessible(page)
    page.get_by_role("link", name=referral.reference).click()
    expect(page.locator("#referral-status")).to_have_text(ACCEPTED[language])
    assert case.reference not in page.content()
    assert_accessible(page)
