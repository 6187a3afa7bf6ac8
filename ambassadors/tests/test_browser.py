"""The planner journey: the coordinator finds and assigns an ambassador, who accepts and logs a visit."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from ambassadors.models import Assignment, Contact
from ambassadors.tests.factories import AmbassadorFactory, language
from cases.models import PersonLanguage
from cases.tests.factories import CaseFactory, PersonFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.directory.models import Location
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import PHONE, login, logout
from interpreters.tests.factories import InterpreterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(db):
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    lens = Location.objects.create(
        name="Logements diffus Lens", kind="diffuse_housing", team=team, city="Lens", country="FR"
    )
    pashto = language("pus", name="Pachto")
    person = PersonFactory(first_name="Gul", last_name="Ahmadzai", location=lens, sex="F")
    PersonLanguage.objects.create(person=person, language=pashto, is_main=True)
    case = CaseFactory(team=team, person=person, main_language=pashto, status="active")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    farid = AmbassadorFactory(
        team=team,
        user=make_user_with_role(
            Role.AMBASSADOR, team=team, username="ambassador", first_name="Farid", last_name="Stanekzai"
        ),
        gender="M",
        speaks=[(pashto, "native")],
        availability=["tue_am", "thu_am"],
    )
    farid.territories.add(lens)
    gulalai = InterpreterFactory(
        username="gulalai", first_name="Gulalai", last_name="Wardak", gender="F", languages=[pashto], territories=[team]
    )
    return case, farid, gulalai


def test_coordinator_plans_a_pashto_consultation_and_the_ambassador_logs_a_visit(page: Page, live_server, setting):
    case, farid, gulalai = setting
    base = live_server.url

    # The coordinator opens the planner for a Pashto consultation.
    login(page, base, "coordinator")
    page.goto(f"{base}/language-support/")
    assert_accessible(page)
    page.locator("#id_case").select_option(case.reference)
    page.locator("#id_activity").select_option("consultation")
    page.locator("#id_day").fill("2026-03-03")
    page.locator("#id_part_of_day").select_option("am")
    page.locator("#planner-submit").click()
    expect(page.locator("#planner-rule")).to_have_attribute("data-requirement", "either")
    # Side by side: the interpreters' column and the ambassadors'.
    interpreter = page.locator(f"#planner-interpreters [data-interpreter='{gulalai.code}']")
    expect(interpreter).to_contain_text("Gulalai Wardak")
    expect(interpreter).to_have_attribute("data-available", "yes")
    expect(page.locator(f"#book-{gulalai.code}")).to_have_attribute("href", re.compile(rf"case={case.reference}"))
    ambassadors = page.locator("#planner-ambassadors")
    expect(ambassadors.locator(f"[data-ambassador='{farid.code}']")).to_contain_text("Farid Stanekzai")
    assert_accessible(page)

    # ...and assigns the ambassador.
    page.locator(f"#assign-{farid.code}").click()
    expect(page.locator("#id_ambassador")).to_have_value(str(farid.code))
    expect(page.locator("#id_role")).to_have_value("language_support")
    assert_accessible(page)
    page.locator("#assign-submit").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/planning/(#.*)?$"))
    expect(page.locator("#case-ambassadors [data-status='proposed']")).to_contain_text("Farid Stanekzai")
    assert Assignment.objects.get().status == "proposed"
    logout(page)

    # The ambassador, on a phone, accepts and logs a 30-minute visit.
    page.set_viewport_size(PHONE)
    login(page, base, "ambassador", check=False)
    assert_accessible(page)
    page.locator("#home-waiting a").first.click()
    expect(page.locator("#reduced-person")).to_contain_text("Gul")
    expect(page.locator("main")).not_to_contain_text("Ahmadzai")
    assert_accessible(page)
    page.locator("#accept-button").click()
    expect(page.locator("#assignment-status")).to_have_attribute("data-status", "accepted")
    page.locator("#id_occurred_on").fill(timezone.localdate().isoformat())
    page.locator("#id_duration_minutes").fill("30")
    page.locator("#id_kind").select_option("visit")
    page.locator("#id_note").fill("Visite au logement, rendez-vous fixé pour jeudi.")
    page.locator("#contact-submit").click()
    expect(page.locator("#my-minutes")).to_have_attribute("data-minutes", "30")
    expect(page.locator("#assignment-status")).to_have_attribute("data-status", "active")
    assert_accessible(page)
    assert Contact.objects.get().duration_minutes == 30
    logout(page)

    # The coordinator sees it on the case timeline.
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, base, "coordinator", check=False)
    page.goto(f"{base}/cases/{case.reference}/")
    timeline = page.locator("ol.timeline")
    expect(timeline.locator("li").first).to_contain_text("30 min")
    expect(timeline).to_contain_text("Farid Stanekzai")
    assert_accessible(page)
