"""The administrator resolves a nationality no known spelling matched, on a phone, each page checked with axe-core."""

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from cases.models import Person
from cases.tests.factories import CaseFactory, PersonFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import PHONE, login, open_menu, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fr(text: str) -> str:
    """What the French page says for ``text`` (the catalogue's translation)."""
    with translation.override("fr"):
        return str(translation.gettext(text))


def test_the_administrator_resolves_one_unmapped_nationality(page: Page, live_server):
    make_user_with_role(Role.ADMIN, username="admin")
    grace = PersonFactory(first_name="Grâce", last_name="Mbuyi", nationality="", nationality_original="Congo")
    case = CaseFactory(person=grace)
    PersonFactory(first_name="Jean", nationality="", nationality_original="Érythrée / Éthiopie")
    base = live_server.url

    page.set_viewport_size(PHONE)
    login(page, base, "admin")
    # The menu folds behind its button on a phone.
    open_menu(page)
    page.locator("#main-nav").get_by_role("link", name=fr("Nationalities to resolve")).click()
    expect(page.locator("h1")).to_have_text(fr("Nationalities to resolve"))
    row = page.locator(f"li[data-person='{grace.code}']")
    expect(row).to_contain_text("« Congo »")
    expect(row).to_contain_text(case.reference)
    settle(page)
    assert_accessible(page)

    row.get_by_role("link").click()
    expect(page.locator("#nationality-original")).to_have_text("« Congo »")
    select = page.locator("select[name=nationality]")
    # Sent without a country: refused beside the field.
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_nationality.is-invalid, select[name=nationality].is-invalid")).to_be_visible()
    expect(page.locator("main")).to_contain_text(fr("Choose the country."))
    settle(page)
    assert_accessible(page)

    # With the keyboard: the select is focused, a country chosen, Tab to the button, Enter.
    select.focus()
    select.select_option("CD")
    expect(select).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("main form button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(fr("Nationalities to resolve"))
    with translation.override("fr"):
        from cases.persons.nationality import nationality_name

        congo = nationality_name("CD")
    expect(page.locator("main")).to_contain_text(congo)
    expect(page.locator(f"li[data-person='{grace.code}']")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Érythrée / Éthiopie")  # the other one still waits
    settle(page)
    assert_accessible(page)

    grace = Person.objects.get(pk=grace.pk)
    assert grace.nationality.code == "CD" and grace.nationality_original == ""
    assert AuditEvent.objects.filter(action="person.nationality_resolved", object_ref=str(grace.code)).exists()
