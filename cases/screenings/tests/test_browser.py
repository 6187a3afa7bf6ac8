"""Browser journey: a PHQ-9 in Tigrinya with the interpreter, the chart, then an orientation."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Orientation, Screening
from cases.tests.factories import (
    CaseFactory,
    LanguageFactory,
    PersonFactory,
    ResourceFactory,
    ScreeningFactory,
    load_builtin,
)
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.tests.axe import assert_accessible
from integrapsy.tests.test_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_psychologist_screens_sees_the_chart_and_orients(page: Page, live_server):
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    psychologist = make_user_with_role(Role.PSYCHOLOGIST, team=team, username="psychologist", first_name="Nadia")
    make_user_with_role(Role.INTERPRETER, first_name="Yonas", last_name="Haile")
    tigrinya = LanguageFactory()
    arabic = LanguageFactory(code="ara", name_fr="Arabe", name_nl="Arabisch", name_en="Arabic")
    case = CaseFactory(team=team, person=PersonFactory(first_name="Tesfay"), main_language=tigrinya)
    phq9 = load_builtin("phq9")
    today = timezone.localdate()
    for days, total in ((60, 18), (30, 14)):
        ScreeningFactory(
            case=case,
            instrument=phq9,
            administered_by=psychologist,
            administered_on=today - timedelta(days=days),
            language=tigrinya,
            total=total,
        )
    hagos = ResourceFactory(name="Cabinet Hagos", area="Nord", city="Lille", languages=[tigrinya])
    ResourceFactory(name="Cabinet Ben Salah", area="Nord", city="Lille", languages=[arabic])
    ResourceFactory(name="Mekonnen", area="Pas-de-Calais", city="Calais", languages=[tigrinya])

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    login(page, live_server.url, "psychologist")
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    page.locator(".case-sections a[href$='/care/']").click()  # the "Care" tab
    expect(page.locator("#chart-phq9")).to_be_visible()
    assert_accessible(page)

    # Administer a PHQ-9 in Tigrinya, read aloud with the interpreter.
    page.locator("#screenings-link").click()
    page.locator("#administer-phq9").click()
    expect(page.locator("#screening-form")).to_be_visible()
    page.locator("#id_language").select_option(label="Tigrinya")
    page.locator("input[name=mode][value=read_aloud]").check()
    page.locator("input[name=helper_kind][value=interpreter]").check()
    page.locator("#id_helper").select_option(label="Yonas Haile")
    for item, value in enumerate([1, 1, 1, 1, 1, 1, 1, 1, 0], start=1):
        page.locator(f"input[name=item_{item}][value='{value}']").check()
    assert_accessible(page)
    page.locator("#save-complete").click()

    # The chart now has the two earlier points and the new one; the drop of 6 is marked.
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/screenings/$"))
    expect(page.locator("#chart-phq9")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-phq9'))")
    points = page.evaluate("() => Chart.getChart(document.getElementById('chart-phq9')).data.datasets[0].data")
    assert points == [18, 14, 8]
    expect(page.locator("#scores-phq9 tbody tr")).to_have_count(3)
    expect(page.locator("#scores-phq9 tbody tr[data-marked]")).to_have_count(1)
    assert_accessible(page)
    screening = Screening.objects.get(total=8)
    assert (screening.language, screening.helper.last_name, screening.mode) == (
        tigrinya,
        "Haile",
        "read_aloud",
    )

    # Orient the person to a psychologist in Lille who speaks Tigrinya.
    page.goto(f"{live_server.url}/cases/{case.reference}/care/")
    page.locator("#orient-link").click()
    page.locator("#search-directory").click()
    page.locator("#id_kind").select_option("psychologist")
    page.locator("#id_area").fill("Lille")
    page.locator("#id_language").select_option(label="Tigrinya")
    page.locator("#resource-search-submit").click()
    expect(page.locator("#resources tbody tr")).to_have_count(1)
    expect(page.locator(f"#resources tr[data-resource='{hagos.code}']")).to_be_visible()
    assert_accessible(page)
    page.locator(f"#resources tr[data-resource='{hagos.code}'] .orient-here").click()
    expect(page.locator("#id_resource")).to_have_value(str(hagos.pk))
    page.locator("#id_reason").fill("Suivi psychologique régulier en tigrinya")
    page.locator("#id_consent_to_share").check()
    page.locator("#id_what_was_sent").fill("Courrier d'orientation")
    page.locator("#id_sent_on").fill(today.isoformat())
    assert_accessible(page)
    page.locator("#save-orientation").click()
    expect(page.locator("#orientation-status")).to_have_attribute("data-status", "sent")

    # The service gives an appointment.
    page.locator("input[name=status][value=appointment_made]").check()
    page.locator("#id_appointment_on").fill((today + timedelta(days=7)).isoformat())
    page.locator("#save-outcome").click()
    expect(page.locator("#orientation-status")).to_have_attribute("data-status", "appointment_made")
    expect(page.locator("#appointment-on")).to_have_attribute("datetime", (today + timedelta(days=7)).isoformat())
    assert_accessible(page)
    assert Orientation.objects.get().resource == hagos
    page.wait_for_load_state("networkidle")  # no request left running against the test database
