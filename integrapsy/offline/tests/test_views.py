"""Installable: the manifest, the service worker and the icons, as a browser checks them."""

import json
import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import OrganisationFactory, make_user_with_role
from integrapsy.offline import icons

STATIC = Path(__file__).resolve().parents[3] / "static"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_manifest_has_what_installability_asks(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] and manifest["short_name"]
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] in ("standalone", "fullscreen", "minimal-ui")
    assert manifest["theme_color"] and manifest["background_color"]
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert icon["src"].startswith(settings.STATIC_URL)
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        width, height = png_size(Path(path).read_bytes())
        assert f"{width}x{height}" == icon["sizes"]


def test_the_icons_are_the_ones_the_script_draws():
    for size in icons.SIZES:
        data = (STATIC / "img" / "icons" / f"icon-{size}.png").read_bytes()
        assert png_size(data) == (size, size)
        assert data == icons.png(size)


def test_the_service_worker_controls_the_whole_site(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    for module in ("core", "routing", "strategies", "precaching"):
        assert f"vendor/workbox/workbox-{module}.prod.js" in body
    assert "js/offline_queue.js" in body
    # The shell it keeps: the static files and the offline page, nothing with a name in it.
    assert "/offline/" in body and "css/app.css" in body


def test_every_page_links_the_manifest_and_loads_the_offline_script(client, db):
    html = client.get(reverse("login")).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert "js/offline.js" in html
    assert 'data-max-age-hours="12"' in html
    assert 'data-user=""' in html


def test_the_banner_carries_the_user_and_the_maximum_age(client, db, settings):
    settings.OFFLINE_MAX_AGE_HOURS = 6
    referrer = make_user_with_role(Role.REFERRER, organisation=OrganisationFactory())
    client.force_login(referrer)
    html = client.get(reverse("cases:referral_new")).content.decode()
    assert f'data-user="{referrer.pk}"' in html
    assert 'data-max-age-hours="6"' in html
    assert "data-offline=" in html  # the referral form queues without network


def test_the_offline_page_names_nobody(client, db):
    referrer = make_user_with_role(Role.REFERRER, organisation=OrganisationFactory(), first_name="Zénobie")
    client.force_login(referrer)
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zénobie" not in html and referrer.username not in html


@pytest.mark.parametrize("path", ["/sw.js", "/manifest.webmanifest", "/offline/"])
def test_they_are_open_without_signing_in(client, db, path):
    assert client.get(path).status_code == 200


def test_logout_asks_the_browser_to_wipe_what_it_keeps(client, db):
    referrer = make_user_with_role(Role.REFERRER, organisation=OrganisationFactory())
    client.force_login(referrer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"storage"'


def test_the_staff_categories_page_says_what_may_sit_on_a_phone(client, db, settings):
    settings.OFFLINE_MAX_AGE_HOURS = 8
    admin = make_user_with_role(Role.ADMIN)
    client.force_login(admin)
    html = client.get(reverse("staff_categories")).content.decode()
    assert 'id="on-a-device"' in html
    assert "8 heures" in html  # the maximum age, from the setting
    with translation.override("fr"):
        nothing_clinical = translation.gettext(
            "Nothing clinical that others wrote is kept for reading without network: no case page, no "
            "consultation, no note. A consultation written without network is saved as a draft; it is signed "
            "with the network."
        )
    assert nothing_clinical in html
