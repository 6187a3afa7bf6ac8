"""Helpers shared by the browser journeys (headless Chromium, see conftest.py)."""

import re

from playwright.sync_api import Page, expect

from integrapsy.tests.axe import assert_accessible

PHONE = {"width": 390, "height": 844}


def choose_language(page: Page, code: str) -> None:
    """Use the language selector in the footer of any page."""
    page.locator("#language-select").select_option(code)
    page.locator("#language-select").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def login(page: Page, base_url: str, username: str, password: str = "secret-pass-123", *, check=True) -> None:
    page.goto(f"{base_url}/accounts/login/")
    if check:
        assert_accessible(page)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").click()
    # On a phone the user menu is folded: wait for the page after the sign-in instead.
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    if page.viewport_size["width"] >= 768:
        expect(page.locator("#user-menu")).to_be_visible()


def open_menu(page: Page) -> None:
    """Unfold the menu on a phone-sized window and wait until it is open (its collapse animates)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        expect(page.locator("#main-nav.show")).to_be_visible()


def logout(page: Page) -> None:
    open_menu(page)
    page.locator("#user-menu").click()
    expect(page.locator("#user-menu + .dropdown-menu.show")).to_be_visible()
    page.locator("#user-menu + .dropdown-menu form[action$='/accounts/logout/'] button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def settle(page: Page) -> None:
    """Move the pointer away and wait past the buttons' colour transition, so axe reads settled colours.

    A banner that grows pushes the page down: the button under the pointer is then mid-hover.
    """
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)
