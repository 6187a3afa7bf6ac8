from datetime import date, time

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.reminders.models import Reminder, ReminderSettings, ReminderTemplate, TextContact
from cases.reminders.services import reminders_run
from cases.reminders.tests.conftest import booking_at, local
from cases.tests.factories import CaseFactory, LanguageFactory
from cases.tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def _contact_url(clinic):
    return reverse("cases:reminder_text_contact", args=[clinic.case.person.code])


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+33612345678"),  # French, typed the French way
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+32 470 12 34 56", "+32470123456"),  # Belgian
        ("+291 7 123456", "+2917123456"),  # Eritrean
    ],
)
def test_a_mobile_number_is_stored_in_e164(client, clinic, french, typed, stored):
    client.force_login(clinic.coordinator)
    response = client.post(_contact_url(clinic), {"mobile": typed, "reads": str(french.pk)})
    assert response.status_code == 302
    contact = TextContact.objects.get(person=clinic.case.person)
    assert (str(contact.mobile), contact.reads_language) == (stored, french)


def test_an_invalid_number_is_refused_beside_the_field_with_the_format_and_kept(client, clinic, french):
    client.force_login(clinic.coordinator)
    response = client.post(_contact_url(clinic), {"mobile": "06 12 34", "reads": str(french.pk)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "+33 6 12 34 56 78" in html  # the expected format
    assert 'value="06 12 34"' in html  # what was typed
    assert response.context["form"].errors["mobile"]
    assert not TextContact.objects.exists()


def test_does_not_read_texts_is_a_choice(client, clinic):
    client.force_login(clinic.social_worker)
    response = client.post(_contact_url(clinic), {"mobile": "+33612345678", "reads": "none"})
    assert response.status_code == 302
    contact = TextContact.objects.get(person=clinic.case.person)
    assert contact.does_not_read and contact.reads_language is None
    page = client.get(_contact_url(clinic)).content.decode()
    assert 'value="none" selected' in page


def test_another_teams_person_answers_404(client, clinic):
    client.force_login(clinic.coordinator)
    url = reverse("cases:reminder_text_contact", args=[clinic.other_case.person.code])
    assert client.get(url).status_code == 404


def test_the_text_reminder_consent_is_recorded_like_the_others(client, clinic):
    client.force_login(clinic.coordinator)
    response = client.post(
        reverse("cases:consent_add", args=[clinic.case.person.code]),
        {"purpose": "text_reminders", "given": "1", "given_on": timezone.localdate().isoformat(), "method": "oral"},
    )
    assert response.status_code == 302
    assert clinic.case.person.consents.get().purpose == "text_reminders"


# --- Templates --------------------------------------------------------------------------------


def _edit_url(clinic, **query):
    url = reverse("cases:reminder_template_edit", args=[clinic.team.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_template_page_previews_the_text_in_its_language(client, clinic, french):
    client.force_login(clinic.coordinator)
    html = client.get(_edit_url(clinic, language="fra", kind="reminder")).content.decode()
    assert 'id="reminder-preview" class="mb-0" dir="ltr"' in html
    assert "Rappel : rendez-vous le " in html and "CAES Croisilles" in html
    assert "{date}" in html  # the text being edited keeps its placeholders


def test_a_right_to_left_language_is_previewed_right_to_left(client, clinic):
    LanguageFactory(code="ara", name_fr="Arabe", name_nl="Arabisch", name_en="Arabic")
    ReminderTemplate.objects.create(team=clinic.team, language_code="ara", kind="reminder", text="موعد {date}")
    client.force_login(clinic.coordinator)
    html = client.get(_edit_url(clinic, language="ara", kind="reminder")).content.decode()
    assert 'dir="rtl"' in html
    listing = client.get(reverse("cases:reminder_templates", args=[clinic.team.code])).content.decode()
    assert 'dir="rtl" lang="ara"' in listing


def test_an_unknown_placeholder_is_refused_and_the_text_kept(client, clinic):
    client.force_login(clinic.coordinator)
    response = client.post(
        _edit_url(clinic), {"language_code": "tir", "kind": "reminder", "text": "ቆጸራ {date} {doctor}"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["text"]
    assert "ቆጸራ {date} {doctor}" in response.content.decode()
    assert not ReminderTemplate.objects.exists()


def test_a_coordinator_adds_a_text_in_tigrinya(client, clinic):
    client.force_login(clinic.coordinator)
    response = client.post(
        _edit_url(clinic), {"language_code": "tir", "kind": "reminder", "text": "ቆጸራ {date} {time} {place}"}
    )
    assert response.status_code == 302
    assert ReminderTemplate.objects.get(team=clinic.team, language_code="tir").text == "ቆጸራ {date} {time} {place}"


def test_another_teams_texts_answer_404(client, clinic):
    client.force_login(clinic.other_coordinator)
    assert client.get(_edit_url(clinic)).status_code == 404
    assert client.get(reverse("cases:reminder_settings", args=[clinic.team.code])).status_code == 404


def test_the_coordinator_changes_the_team_settings(client, clinic):
    client.force_login(clinic.coordinator)
    url = reverse("cases:reminder_settings", args=[clinic.team.code])
    response = client.post(
        url,
        {
            "sender_name": "Accueil",
            "permanence_reminders": "on",
            "first_hours": "24",
            "second_hours": "3",
            "quiet_from": "20:00",
            "quiet_until": "09:00",
        },
    )
    assert response.status_code == 302
    row = ReminderSettings.objects.get(team=clinic.team)
    assert (row.sender_name, row.interpreter_reminders, row.first_hours, row.quiet_until) == (
        "Accueil",
        False,
        24,
        time(9),
    )


# --- The list and the calls -------------------------------------------------------------------


def test_the_reminder_list_query_count_does_not_grow_with_rows(client, clinic):
    client.force_login(clinic.coordinator)
    booking_at(clinic, date(2027, 7, 6), time(10))
    reminders_run(now=local(2027, 7, 4, 10, 0))
    url = reverse("cases:reminder_list")
    one = count_queries(client, url)
    for _ in range(15):  # two reminders each: 32 rows in all
        case = CaseFactory(team=clinic.team)
        booking = booking_at(clinic, date(2027, 7, 6), time(10))
        booking.case, booking.person = case, case.person
        booking.save()
    reminders_run(now=local(2027, 7, 4, 10, 0))
    assert Reminder.objects.count() >= 30
    assert count_queries(client, url) == one


def test_the_list_shows_only_the_coordinators_teams(client, clinic):
    booking_at(clinic, date(2027, 7, 6), time(10))
    reminders_run(now=local(2027, 7, 4, 10, 0))
    client.force_login(clinic.other_coordinator)
    assert clinic.case.person.first_name not in client.get(reverse("cases:reminder_list")).content.decode()
    client.force_login(clinic.coordinator)
    assert clinic.case.person.first_name in client.get(reverse("cases:reminder_list")).content.decode()


def test_the_call_is_on_the_home_page_and_answered_there(client, clinic):
    booking_at(clinic, date(2027, 7, 6), time(10))
    reminders_run(now=local(2027, 7, 4, 10, 0))
    call = Reminder.objects.get(kind="first", status="to_call")
    client.force_login(clinic.coordinator)
    home = client.get(reverse("home")).content.decode()
    assert 'id="home-reminder-calls"' in home and reverse("cases:reminder_call", args=[call.code]) in home
    response = client.post(reverse("cases:reminder_call", args=[call.code]), {"reached": "1"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == "called"
    assert client.get(reverse("cases:reminder_call", args=[call.code])).status_code == 404  # done


def test_someone_elses_call_answers_404(client, clinic):
    booking_at(clinic, date(2027, 7, 6), time(10))
    reminders_run(now=local(2027, 7, 4, 10, 0))
    call = Reminder.objects.get(kind="first", status="to_call")
    client.force_login(clinic.other_coordinator)
    assert client.get(reverse("cases:reminder_call", args=[call.code])).status_code == 404


def test_the_ambassador_who_speaks_the_language_sees_the_call_on_their_home_page(client, clinic):
    from ambassadors.models import Ambassador, AmbassadorLanguage

    ambassador = Ambassador.objects.create(user=clinic.ambassador, team=clinic.team, started_on=date(2026, 1, 1))
    AmbassadorLanguage.objects.create(ambassador=ambassador, language=clinic.tigrinya)
    booking_at(clinic, date(2027, 7, 6), time(10))
    reminders_run(now=local(2027, 7, 4, 10, 0))
    client.force_login(clinic.ambassador)
    home = client.get(reverse("home")).content.decode()
    assert 'id="home-reminder-calls"' in home and "Tigrinya" in home
    client.force_login(clinic.coordinator)  # assigned to the ambassador: not on the coordinator's list
    assert 'id="home-reminder-calls"' not in client.get(reverse("home")).content.decode()
