"""Journeys without network, on a phone, with axe on each page (headless Chromium, see conftest.py)."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from cases.models import Referral
from integrapsy.accounts.models import Organisation, Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role
from integrapsy.directory.models import Location
from integrapsy.offline.models import IdempotencyKey
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import PHONE, login, logout, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the page's IndexedDB holds, as the browser keeps it (the queue's items, the key).
READ_STORE = """async () => {
  const names = (await indexedDB.databases()).map((d) => d.name);
  if (!names.includes("integrapsy-offline")) return null;
  const db = await new Promise((ok, ko) => {
    const r = indexedDB.open("integrapsy-offline");
    r.onsuccess = () => ok(r.result);
    r.onerror = ko;
  });
  const read = (name) => new Promise((ok) => {
    const r = db.transaction(name).objectStore(name).getAll();
    r.onsuccess = () => ok(r.result);
  });
  const queue = await read("queue"), keys = await read("keys"), sent = await read("sent");
  db.close();
  const bytes = (buf) => Array.from(new Uint8Array(buf)).map((b) => String.fromCharCode(b)).join("");
  return {
    queue: queue.map((i) => ({
      id: i.id, url: i.url, label: i.label, state: i.state,
      sealed: bytes(i.sealed.data), ivLength: i.sealed.iv.length,
    })),
    keys: keys.map((k) => ({
      isCryptoKey: k.key instanceof CryptoKey, extractable: k.key.extractable,
      algorithm: k.key.algorithm.name, usages: k.key.usages,
    })),
    sent: sent.map((s) => ({ id: s.id, url: s.url })),
  };
}"""

with translation.override("fr"):
    SIGN_IN = str(translation.gettext("Sign in to send what is waiting."))


@pytest.fixture
def setting(db):
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    caes = OrganisationFactory(name="CAES Croisilles", kind=Organisation.Kind.RECEPTION_CENTRE)
    Location.objects.create(name="CAES Croisilles", kind="reception_centre", team=team, city="Croisilles", country="FR")
    make_user_with_role(Role.REFERRER, organisation=caes, username="referrer", first_name="Sophie")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    return team


def fill_referral(page: Page) -> None:
    page.locator("#id_first_name").fill("Hewan")
    page.locator("#id_last_name").fill("Kidane")
    page.locator("#id_location").select_option(label="CAES Croisilles (Croisilles)")
    page.locator("input[name=reasons][value=despair]").check()
    page.locator("input[name=urgency][value=routine]").check()
    page.locator("#id_consent_given").check()
    page.locator("#id_consent_date").fill("2026-01-05")
    page.locator("input[name=consent_method][value=oral]").check()


def test_a_referral_sent_without_network_reaches_the_inbox_once(page: Page, live_server, setting):
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "referrer")
    page.goto(f"{base}/referrals/new/")
    banner = page.locator("#offline-banner")
    expect(banner).to_have_attribute("data-ready", "true")
    assert_accessible(page)

    # The network drops; the referrer fills the form and sends it.
    fill_referral(page)
    page.context.set_offline(True)
    page.locator("main form[data-offline] button[type=submit]").click()
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("data-waiting", "1")
    expect(page.locator("#offline-count")).to_contain_text("1")
    expect(page.locator(".offline-queued")).to_be_visible()
    settle(page)
    assert_accessible(page)
    assert Referral.objects.count() == 0

    # On the device: one item, encrypted under a key that cannot leave the browser.
    store = page.evaluate(READ_STORE)
    (item,) = store["queue"]
    assert item["url"] == "/referrals/new/" and item["state"] == "waiting"
    assert item["ivLength"] == 12
    assert "Hewan" not in item["sealed"] and "Kidane" not in item["sealed"]
    assert store["keys"] == [
        {"isCryptoKey": True, "extractable": False, "algorithm": "AES-GCM", "usages": ["encrypt", "decrypt"]}
    ]

    # The network returns: the queue goes by itself, and the banner says what was sent.
    page.context.set_offline(False)
    expect(banner).to_have_attribute("data-waiting", "0")
    sent = banner.locator("a[data-sent]")
    expect(sent).to_have_count(1)
    referral = Referral.objects.get()
    assert (referral.first_name, referral.last_name) == ("Hewan", "Kidane")
    assert IdempotencyKey.objects.get().key == item["id"]
    settle(page)
    assert_accessible(page)

    # The same request again, twice (a retry after a lost answer): still one referral.
    csrf = banner.get_attribute("data-csrf")
    for _ in range(2):
        replay = page.request.post(
            f"{base}/referrals/new/",
            form={"first_name": "Hewan", "reasons": "despair", "urgency": "routine", "sex": "F"},
            headers={"Idempotency-Key": item["id"], "X-CSRFToken": csrf, "X-Offline-Queued": "1"},
            max_redirects=0,
        )
        assert replay.status == 302
        assert replay.headers["idempotent-replayed"] == "true"
    assert Referral.objects.count() == 1

    # Signing out wipes what the device kept.
    assert page.evaluate(READ_STORE) is not None
    logout(page)
    expect(page.locator("#offline-banner")).to_have_attribute("data-ready", "true")
    assert page.evaluate(READ_STORE) is None
    assert page.evaluate("async () => (await caches.keys()).filter((k) => k === 'integrapsy-pages')") == []

    # The team's inbox: the referral, once.
    login(page, base, "coordinator", check=False)
    page.goto(f"{base}/referrals/inbox/")
    expect(page.locator("main")).to_contain_text(referral.reference)
    assert page.locator("main").inner_text().count(referral.reference) == 1
    assert_accessible(page)
    expect(page).to_have_url(re.compile(r"/referrals/inbox/"))


def test_the_app_is_installable_and_opens_its_offline_pages_without_network(page: Page, live_server, setting):
    """Lighthouse-style: a manifest with name, start URL, display and icons; a worker controlling "/"."""
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "referrer")
    page.goto(f"{base}/referrals/new/")
    expect(page.locator("#offline-banner")).to_have_attribute("data-ready", "true")
    scope = page.evaluate(
        "async () => { const r = await navigator.serviceWorker.ready; return r.scope + ' ' + r.active.scriptURL; }"
    )
    assert scope == f"{base}/ {base}/sw.js"
    manifest = page.evaluate(
        "async () => { const href = document.querySelector('link[rel=manifest]').href;"
        " const r = await fetch(href); return [r.headers.get('content-type'), await r.json()]; }"
    )
    content_type, body = manifest
    assert content_type == "application/manifest+json"
    assert body["name"] and body["short_name"] and body["display"] == "standalone"
    assert body["start_url"] == "/" and body["scope"] == "/"
    icons = {icon["sizes"]: icon["src"] for icon in body["icons"]}
    assert {"192x192", "512x512"} <= set(icons)
    for size, src in icons.items():
        width = page.evaluate(
            "async (src) => { const img = new Image(); img.src = src; await img.decode(); return img.naturalWidth; }",
            src,
        )
        assert f"{width}x{width}" == size

    # Reloaded once under the worker (the page it keeps is the one it answered), then without network.
    page.reload()
    expect(page.locator("#offline-banner")).to_have_attribute("data-ready", "true")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    page.goto(f"{base}/referrals/new/")
    expect(page.locator("main form[data-offline]")).to_be_visible()
    assert_accessible(page)
    # Any other page: the offline page, which names nobody.
    page.goto(f"{base}/referrals/mine/")
    expect(page.locator("h1")).to_have_text(re.compile("network|réseau", re.I))
    expect(page.locator("main")).not_to_contain_text("Sophie")
    assert_accessible(page)
    # It wiped nothing: the referral form still opens, and what waits is still counted.
    page.goto(f"{base}/referrals/new/")
    fill_referral(page)
    page.locator("main form[data-offline] button[type=submit]").click()
    expect(page.locator("#offline-banner")).to_have_attribute("data-waiting", "1")
    page.goto(f"{base}/referrals/mine/")
    expect(page.locator("#offline-banner")).to_have_attribute("data-waiting", "1")
    page.context.set_offline(False)
    expect(page.locator("#offline-banner")).to_have_attribute("data-waiting", "0")
    assert Referral.objects.count() == 1

    # Logging out wipes the pages kept for use without network, and the queue.
    kept = "async () => (await caches.keys()).filter((k) => k === 'integrapsy-pages')"
    assert page.evaluate(kept) == ["integrapsy-pages"]
    page.goto(f"{base}/")
    logout(page)
    expect(page.locator("#offline-banner")).to_have_attribute("data-ready", "true")
    assert page.evaluate(kept) == []
    assert page.evaluate(READ_STORE) is None


AGE_ITEMS = """async (hours) => {
  const db = await new Promise((ok) => {
    const r = indexedDB.open("integrapsy-offline");
    r.onsuccess = () => ok(r.result);
  });
  const tx = db.transaction("queue", "readwrite");
  const store = tx.objectStore("queue");
  const items = await new Promise((ok) => { const r = store.getAll(); r.onsuccess = () => ok(r.result); });
  for (const item of items) store.put(Object.assign(item, { createdAt: Date.now() - hours * 3600 * 1000 }));
  await new Promise((ok) => { tx.oncomplete = ok; });
  db.close();
  return items.length;
}"""


def queue_a_referral_offline(page: Page, base: str) -> None:
    page.goto(f"{base}/referrals/new/")
    expect(page.locator("#offline-banner")).to_have_attribute("data-ready", "true")
    fill_referral(page)
    page.context.set_offline(True)
    page.locator("main form[data-offline] button[type=submit]").click()
    expect(page.locator("#offline-banner")).to_have_attribute("data-waiting", "1")


def test_what_waits_longer_than_the_maximum_age_is_wiped_unsent(page: Page, live_server, setting):
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "referrer", check=False)
    queue_a_referral_offline(page, base)
    assert page.evaluate(AGE_ITEMS, 13) == 1  # the default maximum age is 12 hours
    page.context.set_offline(False)
    page.reload()
    expect(page.locator("#offline-banner")).to_have_attribute("data-waiting", "0")
    assert page.evaluate(READ_STORE)["queue"] == []
    assert Referral.objects.count() == 0


def test_another_user_signing_in_on_the_phone_wipes_what_waits(page: Page, live_server, setting):
    from django.contrib.sessions.models import Session

    base = live_server.url
    page.set_viewport_size(PHONE)
    make_user_with_role(
        Role.REFERRER, organisation=Organisation.objects.get(name="CAES Croisilles"), username="other-referrer"
    )
    login(page, base, "referrer", check=False)
    queue_a_referral_offline(page, base)
    Session.objects.all().delete()
    page.context.set_offline(False)
    expect(page.locator("#offline-banner")).to_contain_text(SIGN_IN)
    login(page, base, "other-referrer", check=False)
    expect(page.locator("#offline-banner")).to_have_attribute("data-ready", "true")
    store = page.evaluate(READ_STORE)
    assert store["queue"] == [] and len(store["keys"]) == 1
    assert Referral.objects.count() == 0
