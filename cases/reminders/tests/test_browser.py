"""The text-reminder journey in headless Chromium, on a phone, each page checked with axe-core."""

import json
import time as clock
import urllib.request
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from cases.models import ConsentRecord, PersonLanguage
from cases.reminders.models import Reminder
from cases.reminders.services import reminders_run
from cases.reminders.webhooks import sign
from cases.tests.factories import CaseFactory, LanguageFactory, LocationFactory, PermanenceSessionFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import login


def fr(text: str) -> str:
    """What the French page says for ``text`` (the catalogue's translation)."""
    with translation.override("fr"):
        return str(translation.gettext(text))


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _stop(base_url: str, number: str) -> int:
    body = json.dumps({"from": number, "text": "STOP"}).encode()
    timestamp = str(int(clock.time()))
    request = urllib.request.Request(f"{base_url}/sms/inbound/", data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Sms-Timestamp", timestamp)
    request.add_header("X-Sms-Signature", sign(body, timestamp))
    with urllib.request.urlopen(request) as response:  # noqa: S310 — the live test server
        return response.status


def test_consent_number_booking_reminder_then_stop(page: Page, live_server, sms):
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    psychologist = make_user_with_role(Role.PSYCHOLOGIST, team=team, username="psychologist")
    somali = LanguageFactory(code="som", name_fr="Somali", name_nl="Somalisch", name_en="Somali")
    LanguageFactory(code="fra", name_fr="Français", name_nl="Frans", name_en="French")
    case = CaseFactory(team=team, person__first_name="Khadija", person__last_name="Warsame")
    PersonLanguage.objects.create(person=case.person, language=somali, is_main=True)
    caes = LocationFactory(team=team, name="CAES Croisilles")
    day = timezone.localdate() + timedelta(days=3)
    session = PermanenceSessionFactory(team=team, location=caes, psychologist=psychologist, date=day)
    base = live_server.url

    page.set_viewport_size(PHONE)
    login(page, base, "coordinator")

    # Khadija agrees to text reminders; she reads French and gives her Belgian number.
    page.goto(f"{base}/persons/{case.person.code}/consent/")
    page.locator("select[name=purpose]").select_option("text_reminders")
    page.locator("input[name=given][value='1']").check()
    page.locator("select[name=method]").select_option("oral")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    with translation.override("fr"):
        purpose = str(ConsentRecord.Purpose("text_reminders").label)
    expect(page.locator("main")).to_contain_text(purpose)

    page.get_by_role("link", name=fr("Mobile number and text reminders")).click()
    page.locator("input[name=mobile]").fill("0470 12 34")  # too short: refused, kept
    page.locator("select[name=reads]").select_option(label="Somali")
    page.locator("input[name=reads_french]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("input[name=mobile]")).to_have_value("0470 12 34")
    expect(page.locator("main")).to_contain_text("+32 470 12 34 56")
    assert_accessible(page)
    page.locator("input[name=mobile]").fill("+32 470 12 34 56")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Khadija")

    # She is booked into the 9:00 slot.
    page.goto(f"{base}/permanences/{session.code}/")
    page.locator('tr[data-time="09:00"] a').click()
    page.locator("#case-q").fill("Warsame")
    page.locator("#case-q").press("Enter")
    page.locator("select[name=case]").select_option(case.reference)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator('tr[data-time="09:00"]')).to_have_attribute("data-status", "booked")

    # 48 hours before, the job runs: the reminder is in the outbox, in French (no Somali text).
    starts = timezone.make_aware(datetime.combine(day, time(9)))
    reminders_run(now=starts - timedelta(hours=48))
    [text] = sms.sent()
    assert text["to"] == "+32470123456" and text["text"].startswith("Rappel : rendez-vous le ")
    page.goto(f"{base}/reminders/")
    row = page.locator("#reminder-list tbody tr").filter(has_text=fr("First reminder"))
    expect(row).to_contain_text("Khadija Warsame")
    expect(row).to_contain_text(fr("Text sent to the outbox"))
    assert_accessible(page)

    # She answers STOP; the second reminder, 2 hours before, is not sent.
    assert _stop(base, "+32470123456") == 200
    reminders_run(now=starts - timedelta(hours=1))  # 2 h before is 7:00, quiet: it was due at 8:00
    assert len(sms.sent()) == 1
    assert Reminder.objects.get(kind="second").why == "no_consent"
    page.reload()
    expect(page.locator("#reminder-list tbody tr").filter(has_text=fr("Second reminder"))).to_contain_text(
        fr("Not sent")
    )


def test_the_live_preview_fills_the_placeholders_and_turns_right_to_left(page: Page, live_server):
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator")
    LanguageFactory(code="ara", name_fr="Arabe", name_nl="Arabisch", name_en="Arabic")
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "coordinator")
    page.goto(f"{base}/reminders/teams/{team.code}/texts/edit/")
    preview = page.locator("#reminder-preview")
    expect(preview).to_have_attribute("dir", "ltr")
    expect(preview).to_contain_text("Rappel : rendez-vous le ")
    page.locator("select[name=language_code]").select_option("ara")
    page.locator("textarea[name=text]").fill("موعد {date} {time} {place}")
    expect(preview).to_have_attribute("dir", "rtl")
    expect(preview).to_contain_text("CAES Croisilles")
    expect(preview).not_to_contain_text("{date}")
    assert_accessible(page)
    page.locator("textarea[name=text]").fill("موعد {date} {doctor}")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("textarea[name=text]")).to_have_value("موعد {date} {doctor}")
    expect(page.locator("main")).to_contain_text("{doctor}")
    assert_accessible(page)
