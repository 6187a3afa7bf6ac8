"""The permanence-to-safety-plan journey in headless Chromium, each page checked with axe-core."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import PermanenceSession, PersonLanguage
from cases.tests.factories import CaseFactory, LanguageFactory, LocationFactory, PermanenceSessionFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.tests.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NOTES = "Il dit qu'il pense à en finir depuis la lettre de refus."


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("secret-pass-123")
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_from_a_booked_slot_to_a_safety_plan(page: Page, live_server):
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    psychologist = make_user_with_role(Role.PSYCHOLOGIST, team=team, username="psychologist", first_name="Nadia")
    make_user_with_role(Role.SOCIAL_WORKER, team=team, username="socialworker", first_name="Julien")
    tigrinya = LanguageFactory()
    caes = LocationFactory(team=team, name="CAES Croisilles")
    case = CaseFactory(team=team, person__first_name="Dawit", person__last_name="Gebremedhin")
    PersonLanguage.objects.create(person=case.person, language=tigrinya, is_main=True)
    session = PermanenceSessionFactory(team=team, location=caes, psychologist=psychologist)
    base = live_server.url

    # The coordinator books Dawit into the 9:00 slot at CAES Croisilles, on a phone.
    page.set_viewport_size(PHONE)
    sign_in(page, base, "coordinator")
    page.goto(f"{base}/permanences/?week={session.date.isoformat()}")
    assert_accessible(page)
    page.locator(f'[data-session="{session.code}"] a').click()
    expect(page.locator("#slots")).to_be_visible()
    assert_accessible(page)
    page.locator('tr[data-time="09:00"] a').click()
    # The person is found by name with the keyboard (a team may follow thousands of cases).
    page.locator("#case-q").fill("Gebremedhin")
    page.locator("#case-q").press("Enter")
    expect(page.locator("#case-q")).to_have_value("Gebremedhin")
    page.locator("select[name=case]").select_option(case.reference)
    page.locator("input[name=interpreter_needed]").check()
    page.locator("select[name=interpreter_language]").select_option(str(tigrinya.pk))
    assert_accessible(page)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator('tr[data-time="09:00"]')).to_have_attribute("data-status", "booked")
    expect(page.locator('tr[data-time="09:00"]')).to_contain_text("Dawit Gebremedhin")

    # The day of the permanence has come and gone: the psychologist records it.
    PermanenceSession.objects.filter(pk=session.pk).update(date=timezone.localdate() - timedelta(days=1))
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, "psychologist")
    assert_accessible(page)
    page.goto(f"{base}/permanences/{session.code}/")
    page.locator('tr[data-time="09:00"] a[href*="/attendance/"]').click()
    page.locator("input[name=status][value=attended]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#from-booking")).to_be_visible()
    assert_accessible(page)
    page.locator("input[name=presenting_problems][value=suicidal_thoughts]").check()
    page.locator("textarea[name=notes]").fill(NOTES)
    page.locator("#save-sign").click()
    expect(page.locator("#consultation-status")).to_have_attribute("data-status", "signed")
    expect(page.locator("#consultation-notes")).to_contain_text("pense à en finir")

    # The banner appears on every page of the case.
    expect(page.locator("#risk-banner")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/cases/{case.reference}/")
    expect(page.locator("#risk-banner")).to_be_visible()
    assert_accessible(page)

    # The psychologist acknowledges it with an assessment and a safety plan.
    page.locator("#risk-acknowledge").click()
    page.locator("input[name=level][value=moderate]").check()
    page.locator("textarea[name=factors]").fill("Isolement, refus de la demande d'asile; liens avec son cousin")
    page.locator("textarea[name=actions_taken]").fill("Plan de sécurité rédigé ensemble, revu dans 3 jours")
    page.locator("textarea[name=warning_signs]").fill("Ne dort plus, reste dans sa chambre")
    page.locator("textarea[name=coping_strategies]").fill("Marcher, écouter de la musique")
    page.locator("textarea[name=people_and_places]").fill("Le terrain de foot du centre")
    page.locator("textarea[name=people_to_ask]").fill("Son cousin à Lille")
    page.locator("textarea[name=professionals]").fill("Psychologue de l'équipe; 3114")
    page.locator("textarea[name=safe_environment]").fill("Médicaments confiés à l'infirmière du CAES")
    assert_accessible(page)
    page.locator("#risk-save").click()
    expect(page.locator("#safety-plan")).to_contain_text("Son cousin à Lille")
    expect(page.locator("#risk-banner")).to_have_count(0)
    assert_accessible(page)

    # The social worker sees that a consultation took place, not what was said.
    page.set_viewport_size(PHONE)
    sign_in(page, base, "socialworker")
    page.goto(f"{base}/cases/{case.reference}/")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("45 min")
    expect(timeline).to_contain_text("Tigrinya")
    expect(page.locator("#risk-banner")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("pense à en finir")
    expect(page.locator("main")).not_to_contain_text("Son cousin")
    assert_accessible(page)
    consultation_links = page.locator('a[href^="/consultations/"]')
    expect(consultation_links).to_have_count(0)
    from cases.models import Consultation

    code = Consultation.objects.get().code
    response = page.goto(f"{base}/consultations/{code}/")
    assert response is not None and response.status == 404
