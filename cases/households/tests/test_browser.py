"""On a phone: a coordinator adds a family member from the person page and sees them on the case page."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cases.models import HouseholdLink
from cases.tests.factories import CaseFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import PHONE, login, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_adds_a_son_and_sees_him_on_the_mothers_case(page: Page, live_server):
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    mother = CaseFactory(team=team, person__first_name="Amina", person__last_name="Haile")
    son = CaseFactory(team=team, person__first_name="Yonas", person__last_name="Haile")
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "coordinator")

    page.goto(f"{base}{reverse('cases:person_detail', args=[mother.person.code])}")
    page.locator(f"a[href='{reverse('cases:household_add', args=[mother.person.code])}']").click()
    page.locator("#household-q").fill("Yonas")
    page.locator("#household-search button[type=submit]").click()
    settle(page)
    assert_accessible(page)
    page.locator(f"input[name=member][value='{son.person.code}']").check()
    page.locator("#id_relation").select_option("child")
    page.locator("main form[method=post] button[type=submit]").click()

    household = page.locator("section[data-panel=household]")
    expect(household).to_contain_text("Yonas Haile")
    settle(page)
    assert_accessible(page)
    assert HouseholdLink.objects.filter(person=mother.person, relative=son.person, relation="child").exists()

    page.goto(f"{base}{reverse('cases:detail', args=[mother.reference])}")
    panel = page.locator("section[data-panel=household]")
    expect(panel.locator(f"a[href='{reverse('cases:detail', args=[son.reference])}']")).to_have_text("Yonas Haile")
    settle(page)
    assert_accessible(page)
