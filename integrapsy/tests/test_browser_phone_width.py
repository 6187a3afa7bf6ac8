"""No page is wider than a phone: every GET page of the role × URL matrix, at 390 px, for one role per area.

A page wider than the screen scrolls sideways on a phone, and what sticks out (a hidden label
escaping a scrolling table, a long word) is easy to miss on a desktop.
"""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from playwright.sync_api import Error, Page

from integrapsy.tests import test_url_matrix as matrix
from integrapsy.tests.browser import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["coordinator", "psychologist", "referrer", "interpreter", "ambassador", "admin"]


def _sign_in(page: Page, base_url: str, user) -> None:
    """The session of a signed-in client, handed to the browser (the login form has its own journeys)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def _with_long_names() -> None:
    """Rows named as in real life (the matrix's short names fit any screen)."""
    from cases.tests.factories import ResourceFactory
    from integrapsy.directory.models import Country, Resource

    ResourceFactory(
        name="Consultation d'ethnopsychiatrie et de psychotraumatologie",
        kind=Resource.Kind.ADDICTION,
        country=Country.FRANCE,
        area="Nord",
        city="Valenciennes",
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_a_phone(page: Page, live_server, role):
    with override_settings(PASSWORD_HASHERS=matrix.FAST_HASHERS):
        world = matrix.build_world()
    _with_long_names()
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server.url, world["users"][role])
    too_wide, seen = [], 0
    for name, (kwargs_builder, statuses) in matrix.MATRIX.items():
        if statuses[role] != 200:
            continue
        url = reverse(name, kwargs=kwargs_builder(world) if kwargs_builder else {})
        try:
            response = page.goto(f"{live_server.url}{url}")
        except Error as exc:  # a file to download, not a page
            if "Download is starting" in str(exc):
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        assert "/accounts/login/" not in page.url, f"{name}: not signed in"
        seen += 1
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            widest = page.evaluate(
                """() => {
                    let best = null, right = 0;
                    for (const el of document.querySelectorAll('body *')) {
                        const r = el.getBoundingClientRect();
                        if (r.right > right) { right = r.right; best = el; }
                    }
                    const text = best ? (best.textContent || '').trim().slice(0, 40) : '';
                    if (!best) return '';
                    return `${best.tagName.toLowerCase()}.${best.className} «${text}» ${Math.round(right)}px`;
                }"""
            )
            too_wide.append(f"{name} ({url}): {width} px — {widest}")
    assert seen > 3
    assert not too_wide, f"Pages wider than a phone for the {role}:\n" + "\n".join(too_wide)
