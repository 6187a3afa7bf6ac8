"""What a team hits in daily use, on a phone: full-name search, crisis lines on a refused alarming
referral, danger signals sorted first, registering a person from the case list, the data-rights
page from the administrator's menu, interpreters' reads in the audit trail, and a person seen before
their slot's time."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from cases.models import PermanenceSlot
from cases.tests.factories import (
    CaseFactory,
    PermanenceBookingFactory,
    PermanenceSessionFactory,
    PersonFactory,
    ReferralFactory,
)
from integrapsy.accounts.models import Organisation, Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.directory.models import Location
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.browser import PHONE, login, open_menu, settle
from interpreters.models import BookingStatus
from interpreters.tests.factories import BookingFactory, InterpreterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fr(text: str) -> str:
    with translation.override("fr"):
        return gettext(text)


@pytest.fixture
def team(db):
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    make_user_with_role(Role.COORDINATOR, team=team, username="coordinator", first_name="Claire")
    return team


@pytest.fixture
def rahman(team):
    place = Location.objects.create(name="CAES Croisilles", kind="reception_centre", team=team, city="Croisilles")
    person = PersonFactory(first_name="Mohammed", last_name="Abdul Rahman", birth_year=1990, location=place)
    return CaseFactory(team=team, person=person, reference="IP-2026-00042")


def test_a_full_name_and_a_spelling_variant_find_the_case(page: Page, live_server, team, rahman):
    CaseFactory(team=team, person=PersonFactory(first_name="Mohammed", last_name="Haidari"))
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "coordinator")
    for query in ("Mohammed Abdul Rahman", "Mouhamad Abdelrahman", "Rahman Mohammed"):
        page.goto(f"{base}/cases/")
        page.locator("#id_q").fill(query)
        page.locator("main form[role=search] button[type=submit]").click()
        rows = page.locator("main table tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("IP-2026-00042")
    assert_accessible(page)


def test_new_person_is_offered_on_the_case_list(page: Page, live_server, team):
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "coordinator")
    page.goto(f"{base}/cases/")
    page.get_by_role("link", name=fr("New person")).click()
    expect(page).to_have_url(re.compile(r"/persons/new/$"))
    assert_accessible(page)


@pytest.fixture
def referrer(team):
    centre = OrganisationFactory(name="CAES Croisilles", kind=Organisation.Kind.RECEPTION_CENTRE)
    Location.objects.create(name="CAES Croisilles", kind="reception_centre", team=team, city="Croisilles")
    return make_user_with_role(Role.REFERRER, organisation=centre, username="referrer", first_name="Sophie")


def fill_referral(page: Page, base: str, *, urgency: str, consent: bool) -> None:
    page.goto(f"{base}/referrals/new/")
    page.locator("#id_first_name").fill("Hewan")
    page.locator("#id_last_name").fill("Kidane")
    page.locator("#id_birth_year").fill("2001")
    page.locator("#id_location").select_option(label="CAES Croisilles (Croisilles)")
    page.locator("input[name=reasons][value=suicidal_thoughts]").check()
    page.locator(f"input[name=urgency][value={urgency}]").check()
    page.locator("#id_actions_taken").fill("Elle a parlé de mourir ce matin.")
    if consent:
        page.locator("#id_consent_given").check()
        page.locator("#id_consent_date").fill(timezone.localdate().isoformat())
        page.locator("input[name=consent_method][value=oral]").check()
    page.locator("main form button[type=submit]").click()


def test_a_refused_alarming_referral_shows_the_crisis_lines_and_keeps_the_text(page: Page, live_server, referrer):
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "referrer")
    # No consent recorded yet: the form is refused.
    fill_referral(page, base, urgency="urgent", consent=False)
    crisis = page.locator("#crisis-h").locator("xpath=..")
    for line in ("3114", "15", "0800 32 123", "112"):
        expect(crisis).to_contain_text(line)
    expect(page.locator("#id_first_name")).to_have_value("Hewan")
    expect(page.locator("#id_actions_taken")).to_have_value("Elle a parlé de mourir ce matin.")
    expect(page.locator("input[name=reasons][value=suicidal_thoughts]")).to_be_checked()
    settle(page)
    assert_accessible(page)


def test_a_referral_with_suicidal_thoughts_sorts_above_older_routine_ones(page: Page, live_server, team, referrer):
    old = timezone.now() - timedelta(days=20)
    ReferralFactory(team=team, first_name="Amina", urgency="routine", reasons=["anxiety"], received_at=old)
    ReferralFactory(team=team, first_name="Farid", urgency="routine", reasons=["sleep"], received_at=old)
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "referrer")
    # The urgency is left "routine"; the danger is in the reasons.
    fill_referral(page, base, urgency="routine", consent=True)
    expect(page.locator("#crisis-h")).to_be_visible()
    # The coordinator, on a phone of their own.
    other = page.context.browser.new_context(viewport=PHONE)
    try:
        phone = other.new_page()
        login(phone, base, "coordinator")
        phone.goto(f"{base}/referrals/inbox/")
        first = phone.locator("main table tbody tr").first
        expect(first).to_contain_text("Hewan")
        expect(first).to_have_class(re.compile("table-danger"))
        expect(first.locator(".badge")).to_have_text(fr("alert"))
        assert_accessible(phone)
    finally:
        other.close()


def test_the_administrator_reaches_data_rights_from_the_menu_and_finds_a_full_name(page: Page, live_server, rahman):
    PersonFactory(first_name="Mohammed", last_name="Rahmani", birth_year=1985)
    make_user_with_role(Role.ADMIN, username="admin")
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "admin")
    open_menu(page)
    page.locator("#main-nav").get_by_role("link", name=fr("Data rights")).click()
    expect(page).to_have_url(re.compile(r"/gdpr/persons/"))
    page.locator("#id_q").fill("Mohammed Abdul Rahman")
    page.locator("main form[role=search] button[type=submit]").click()
    first = page.locator("main .list-group-item").first
    expect(first).to_contain_text("Abdul Rahman")
    expect(first).to_contain_text(fr("Exact match"))
    expect(first).to_contain_text("IP-2026-00042")
    expect(first).to_contain_text("1990")
    expect(first).to_contain_text("CAES Croisilles")
    assert_accessible(page)


def test_an_interpreter_opening_a_booking_is_in_the_audit_trail(page: Page, live_server, team):
    yonas = InterpreterFactory(username="interpreter", first_name="Yonas", territories=[team])
    case = CaseFactory(team=team, person__first_name="Hewan")
    booking = BookingFactory(team=team, case=case, interpreter=yonas, status=BookingStatus.CONFIRMED)
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "interpreter")
    page.goto(f"{base}/my-bookings/{booking.code}/")
    expect(page.locator("main")).to_contain_text("Hewan")
    assert_accessible(page)
    event = AuditEvent.objects.get(action="booking.viewed")
    assert event.actor_id == yonas.user_id
    assert event.case_ref == case.reference


def test_a_person_seen_before_their_slot_gets_a_consultation_that_saves_at_once(page: Page, live_server, team):
    """Marked attended before the slot's time: the consultation starts now, never at a time to come."""
    psychologist = make_user_with_role(Role.PSYCHOLOGIST, team=team, username="psychologist", first_name="Nadia")
    case = CaseFactory(team=team, person__first_name="Dawit", person__last_name="Gebremedhin")
    # Today, one slot at the last minutes of the day: later than now whenever the test runs.
    session = PermanenceSessionFactory(
        team=team,
        psychologist=psychologist,
        date=timezone.localdate(),
        start_time=time(23, 0),
        end_time=time(23, 59),
        slot_minutes=45,
        with_slots=False,
    )
    slot = PermanenceSlot.objects.create(session=session, start_time=time(23, 58), end_time=time(23, 59))
    PermanenceBookingFactory(session=session, slot=slot, case=case, person=case.person)
    base = live_server.url
    page.set_viewport_size(PHONE)
    login(page, base, "psychologist")
    page.goto(f"{base}/permanences/{session.code}/")
    page.locator('tr[data-time="23:58"] a[href*="/attendance/"]').click()
    page.locator("input[name=status][value=attended]").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#from-booking")).to_be_visible()
    started = page.locator("#id_started_at").input_value()
    assert started and started <= timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    settle(page)
    assert_accessible(page)
    page.locator("#save-draft").click()
    expect(page.locator("#consultation-status")).to_have_attribute("data-status", "draft")
    assert_accessible(page)
