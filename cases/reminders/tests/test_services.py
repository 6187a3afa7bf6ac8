from datetime import UTC, date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import SlotAttendance, TimelineEvent
from cases.permanences.services import booking_attendance_record, permanence_session_cancel
from cases.reminders import services
from cases.reminders.models import Reminder, ReminderSettings, ReminderTemplate
from cases.reminders.services import next_allowed, reminders_run
from cases.reminders.tests.conftest import booking_at, consent, local, reachable
from cases.tests.factories import LanguageFactory
from integrapsy.notifications.models import OutboxMessage
from integrapsy.notifications.testing import deliver_pending

pytestmark = pytest.mark.django_db

# Tuesday 6 July 2027, 10:00: far enough to be in the future of every test run.
APPOINTMENT_DAY = date(2027, 7, 6)


def _run(now):
    counts = reminders_run(now=now)
    deliver_pending()
    return counts


# --- Quiet hours --------------------------------------------------------------------------


def test_a_moment_outside_the_quiet_hours_is_kept():
    moment = local(2027, 7, 5, 14, 0)
    assert next_allowed(moment) == moment


def test_a_moment_in_the_evening_moves_to_eight_the_next_morning():
    assert next_allowed(local(2027, 7, 5, 22, 30)) == local(2027, 7, 6, 8, 0)


def test_a_moment_before_dawn_moves_to_eight_the_same_morning():
    assert next_allowed(local(2027, 7, 6, 6, 15)) == local(2027, 7, 6, 8, 0)


def test_quiet_hours_across_the_spring_dst_change():
    # 27 March 2027, 23:00 CET (UTC+1); the clocks go forward that night: 08:00 is CEST (UTC+2).
    moved = next_allowed(local(2027, 3, 27, 23, 0))
    assert timezone.localtime(moved).hour == 8
    assert moved.utcoffset() == timedelta(hours=2)
    assert moved.astimezone(UTC) - local(2027, 3, 27, 23, 0).astimezone(UTC) == timedelta(
        hours=8
    )  # not nine: an hour was skipped


def test_quiet_hours_across_the_autumn_dst_change():
    # 30 October 2027, 22:00 CEST (UTC+2); the clocks go back that night: 08:00 is CET (UTC+1).
    moved = next_allowed(local(2027, 10, 30, 22, 0))
    assert timezone.localtime(moved).hour == 8
    assert moved.utcoffset() == timedelta(hours=1)
    assert moved.astimezone(UTC) - local(2027, 10, 30, 22, 0).astimezone(UTC) == timedelta(hours=11)


def test_a_reminder_due_in_the_night_before_a_dst_morning_is_sent_at_eight_local(clinic, french):
    # Appointment on Monday 29 March 2027 at 09:30 (CEST): 48 h before falls on Saturday 27 at
    # 08:30 CET, fine; 2 h before is 07:30 CEST, in the quiet hours: moved to 08:00 CEST.
    booking = booking_at(clinic, date(2027, 3, 29), time(9, 30))
    reminders_run(now=local(2027, 3, 27, 8, 0))
    second = Reminder.objects.get(source_key=str(booking.code), kind="second")
    assert second.send_at == local(2027, 3, 29, 8, 0)
    assert timezone.localtime(second.send_at).utcoffset() == timedelta(hours=2)
    first = Reminder.objects.get(source_key=str(booking.code), kind="first")
    assert first.send_at == local(2027, 3, 27, 8, 30)  # 48 real hours before, in CET


# --- The schedule -----------------------------------------------------------------------------


def test_reminders_are_written_48_and_2_hours_before_a_booking(clinic, french):
    booking = booking_at(clinic, APPOINTMENT_DAY, time(10))
    assert reminders_run(now=local(2027, 7, 3, 10, 0))["scheduled"] == 0  # 72 h before: too early
    reminders_run(now=local(2027, 7, 4, 9, 30))
    rows = {r.kind: r for r in Reminder.objects.filter(source="permanence", source_key=str(booking.code))}
    assert rows["first"].send_at == local(2027, 7, 4, 10, 0)
    assert rows["second"].send_at == local(2027, 7, 6, 8, 0)
    assert all(r.status == "scheduled" for r in rows.values())


def test_the_job_is_idempotent(clinic, french):
    reachable(clinic.case.person, clinic.coordinator, french)
    booking_at(clinic, APPOINTMENT_DAY, time(10))
    for _ in range(3):
        _run(local(2027, 7, 4, 9, 30))
        _run(local(2027, 7, 4, 10, 1))
    assert Reminder.objects.count() == 2
    assert OutboxMessage.objects.filter(channel="sms").count() == 1


def test_team_settings_choose_the_hours_and_turn_reminders_off(clinic, french):
    ReminderSettings.objects.create(team=clinic.team, first_hours=24, second_hours=0)
    booking = booking_at(clinic, APPOINTMENT_DAY, time(10))
    reminders_run(now=local(2027, 7, 5, 9, 30))
    assert list(Reminder.objects.values_list("kind", "send_at")) == [("first", local(2027, 7, 5, 10, 0))]
    Reminder.objects.all().delete()
    ReminderSettings.objects.filter(team=clinic.team).update(permanence_reminders=False)
    reminders_run(now=local(2027, 7, 5, 9, 30))
    assert not Reminder.objects.filter(source_key=str(booking.code)).exists()


# --- Consent, number, language -------------------------------------------------------------------


def test_without_a_current_consent_nothing_is_ever_sent(clinic, french, sms):
    person = clinic.case.person
    services.text_contact_set(
        person=person, actor=clinic.coordinator, mobile="+33612345678", reads_language=french, does_not_read=False
    )
    booking_at(clinic, APPOINTMENT_DAY, time(10))
    _run(local(2027, 7, 4, 10, 0))
    _run(local(2027, 7, 6, 8, 0))
    assert sms.sent() == []
    assert not OutboxMessage.objects.filter(channel="sms").exists()
    first = Reminder.objects.get(kind="first")
    assert (first.status, first.why) == ("to_call", "no_consent")
    assert Reminder.objects.get(kind="second").status == "dropped"


def test_a_withdrawn_consent_stops_the_texts(clinic, french, sms):
    reachable(clinic.case.person, clinic.coordinator, french)
    consent(clinic.case.person, clinic.coordinator, given=False)
    booking_at(clinic, APPOINTMENT_DAY, time(10))
    _run(local(2027, 7, 4, 10, 0))
    assert sms.sent() == []


def test_a_reminder_goes_through_the_outbox_with_only_date_time_place_and_sender(clinic, french, sms):
    reachable(clinic.case.person, clinic.coordinator, french)
    ReminderSettings.objects.create(team=clinic.team, sender_name="Accueil")
    booking = booking_at(clinic, APPOINTMENT_DAY, time(10))
    _run(local(2027, 7, 4, 10, 0))
    [text] = sms.sent()
    assert text["to"] == "+33612345678"
    assert text["from"] == "Accueil"
    assert text["text"].startswith("Rappel : rendez-vous le mardi 6 juillet 2027 à 10:00, CAES Croisilles.")
    message = OutboxMessage.objects.get(channel="sms")
    assert message.status == "sent" and message.team_id == clinic.team.pk
    assert text["reference"] == str(message.code)
    reminder = Reminder.objects.get(kind="first", source_key=str(booking.code))
    assert reminder.status == "queued" and reminder.outbox_message == message
    assert TimelineEvent.objects.filter(case=clinic.case, kind="reminder.text_sent").exists()


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("nld", "Herinnering: afspraak op dinsdag 6 juli 2027 om 10:00, CAES Croisilles."),
        ("eng", "Reminder: appointment on Tuesday, July 6, 2027 at 10:00"),
    ],
)
def test_dates_are_written_in_the_language_the_person_reads(clinic, sms, code, expected):
    language = LanguageFactory(code=code, name_fr=code, name_nl=code, name_en=code)
    reachable(clinic.case.person, clinic.coordinator, language)
    booking_at(clinic, APPOINTMENT_DAY, time(10))
    _run(local(2027, 7, 4, 10, 0))
    [text] = sms.sent()
    assert text["text"].replace("\u202f", " ").startswith(expected)


def test_a_team_text_in_arabic_is_written_with_arabic_dates(clinic, sms):
    arabic = LanguageFactory(code="ara", name_fr="Arabe", name_nl="Arabisch", name_en="Arabic")
    ReminderTemplate.objects.create(
        team=clinic.team, language_code="ara", kind="reminder", text="موعد {date} {time} {place}"
    )
    reachable(clinic.case.person, clinic.coordinator, arabic)
    booking_at(clinic, APPOINTMENT_DAY, time(10))
    _run(local(2027, 7, 4, 10, 0))
    [text] = sms.sent()
    assert "يوليو" in text["text"]  # July, in Arabic


def test_no_template_in_their_language_french_only_if_they_read_french(clinic, sms):
    tigrinya = clinic.tigrinya
    reachable(clinic.case.person, clinic.coordinator, tigrinya)
    booking_at(clinic, APPOINTMENT_DAY, time(10))
    _run(local(2027, 7, 4, 10, 0))
    assert sms.sent() == []
    assert Reminder.objects.get(kind="first").why == "no_template"

    other = booking_at(clinic, APPOINTMENT_DAY + timedelta(days=7), time(10))
    services.text_contact_set(
        person=clinic.case.person,
        actor=clinic.coordinator,
        mobile="+32470123456",
        reads_language=tigrinya,
        does_not_read=False,
        reads_french=True,
    )
    _run(local(2027, 7, 11, 10, 0))
    [text] = sms.sent()
    assert text["to"] == "+32470123456" and text["text"].startswith("Rappel")
    assert Reminder.objects.get(source_key=str(other.code), kind="first").language_code == "fra"


def test_a_person_who_does_not_read_gets_a_call(clinic, sms):
    consent(clinic.case.person, clinic.coordinator)
    services.text_contact_set(
        person=clinic.case.person,
        actor=clinic.coordinator,
        mobile="+33612345678",
        reads_language=None,
        does_not_read=True,
    )
    booking_at(clinic, APPOINTMENT_DAY, time(10))
    _run(local(2027, 7, 4, 10, 0))
    assert sms.sent() == []
    first = Reminder.objects.get(kind="first")
    assert (first.status, first.why) == ("to_call", "does_not_read")
    assert first.call_language == clinic.tigrinya


def test_reading_a_language_and_not_reading_are_exclusive(clinic, french):
    with pytest.raises(ValidationError):
        services.text_contact_set(
            person=clinic.case.person, actor=clinic.coordinator, mobile="", reads_language=french, does_not_read=True
        )


# --- Cancelled, moved ----------------------------------------------------------------------------


def test_a_booking_cancelled_between_scheduling_and_sending_sends_nothing(clinic, french, sms):
    reachable(clinic.case.person, clinic.coordinator, french)
    booking = booking_at(clinic, APPOINTMENT_DAY, time(10))
    reminders_run(now=local(2027, 7, 4, 9, 0))  # written, not due yet
    booking_attendance_record(
        booking=booking,
        actor=clinic.coordinator,
        status="cancelled",
        cancelled_by_party="person",
        cancel_reason="Moved",
    )
    # The send step alone, as a worker that took the reminder just after the cancellation would.
    services.reminders_send_due(now=local(2027, 7, 4, 10, 0))
    deliver_pending()
    assert sms.sent() == []
    assert set(Reminder.objects.values_list("kind", "status", "why")) == {
        ("first", "dropped", "cancelled"),
        ("second", "scheduled", ""),
    }
    _run(local(2027, 7, 4, 10, 5))
    assert sms.sent() == []  # nobody was told of it: no cancellation text either
    assert Reminder.objects.get(kind="second").status == "dropped"


def test_a_person_reminded_of_a_cancelled_appointment_is_told(clinic, french, sms):
    reachable(clinic.case.person, clinic.coordinator, french)
    booking = booking_at(clinic, APPOINTMENT_DAY, time(10))
    _run(local(2027, 7, 4, 10, 0))
    permanence_session_cancel(session=booking.session, actor=clinic.coordinator, reason="Psychologue malade")
    _run(local(2027, 7, 4, 22, 0))  # in the quiet hours: written for 08:00
    assert len(sms.sent()) == 1
    _run(local(2027, 7, 5, 8, 0))
    texts_sent = [t["text"] for t in sms.sent()]
    assert len(texts_sent) == 2
    assert texts_sent[1].startswith("Votre rendez-vous du mardi 6 juillet 2027 à 10:00, CAES Croisilles, est annulé")
    assert "malade" not in texts_sent[1]  # the reason stays with the team
    assert booking.__class__.objects.get(pk=booking.pk).status == SlotAttendance.CANCELLED


def test_a_moved_appointment_is_told_and_reminded_at_its_new_time(clinic, french, sms):
    from cases.reminders.sources import APPOINTMENT_SOURCES

    reachable(clinic.case.person, clinic.coordinator, french)
    booking = booking_at(clinic, APPOINTMENT_DAY, time(10))
    _run(local(2027, 7, 4, 10, 0))
    # Permanence bookings are not moved in place; the source answers what any moved appointment would.
    booking.slot.start_time = time(11)
    booking.slot.save()
    _run(local(2027, 7, 4, 12, 0))
    assert sms.sent()[-1]["text"] == "Votre rendez-vous est déplacé au mardi 6 juillet 2027 à 11:00, CAES Croisilles."
    assert Reminder.objects.get(kind="second", appointment_at=local(2027, 7, 6, 10, 0)).status == "dropped"
    _run(local(2027, 7, 6, 9, 0))
    assert sms.sent()[-1]["text"].startswith("Rappel : rendez-vous le mardi 6 juillet 2027 à 11:00")
    assert "permanence" in APPOINTMENT_SOURCES and "interpreter" in APPOINTMENT_SOURCES


# --- Calls ---------------------------------------------------------------------------------


def test_the_call_goes_to_the_ambassador_who_speaks_the_language_and_lands_on_the_timeline(clinic):
    from ambassadors.models import Ambassador, AmbassadorLanguage

    ambassador = Ambassador.objects.create(user=clinic.ambassador, team=clinic.team, started_on=date(2026, 1, 1))
    AmbassadorLanguage.objects.create(ambassador=ambassador, language=clinic.tigrinya)
    booking_at(clinic, APPOINTMENT_DAY, time(10))
    _run(local(2027, 7, 4, 10, 0))
    call = Reminder.objects.get(kind="first")
    assert call.status == "to_call" and call.call_assignee == clinic.ambassador
    with pytest.raises(ValidationError):
        services.reminder_call_answer(reminder=call, actor=clinic.social_worker, reached=True)
    services.reminder_call_answer(reminder=call, actor=clinic.ambassador, reached=False)
    call.refresh_from_db()
    assert call.status == "not_reached"
    event = TimelineEvent.objects.get(case=clinic.case, kind="reminder.not_reached")
    assert event.actor == clinic.ambassador
    with pytest.raises(ValidationError):
        services.reminder_call_answer(reminder=call, actor=clinic.ambassador, reached=True)


def test_without_a_speaker_the_coordinators_see_the_call(clinic):
    from cases.reminders.selectors import calls_to_make

    booking_at(clinic, APPOINTMENT_DAY, time(10))
    _run(local(2027, 7, 4, 10, 0))
    assert [r.kind for r in calls_to_make(user=clinic.coordinator)] == ["first"]
    assert calls_to_make(user=clinic.other_coordinator) == []
    assert calls_to_make(user=clinic.ambassador) == []


# --- Templates -------------------------------------------------------------------------------


def test_an_unknown_placeholder_is_refused(clinic):
    with pytest.raises(ValidationError) as exc:
        services.reminder_template_save(
            team=clinic.team, actor=clinic.coordinator, language_code="tir", kind="reminder", text="{date} {doctor}"
        )
    assert "text" in exc.value.message_dict
    assert not ReminderTemplate.objects.exists()


def test_a_clinical_word_is_refused_in_a_template_and_in_the_sender_name(clinic):
    with pytest.raises(ValidationError):
        services.reminder_template_save(
            team=clinic.team,
            actor=clinic.coordinator,
            language_code="fra",
            kind="reminder",
            text="RDV avec la psychologue le {date}",
        )
    with pytest.raises(ValidationError):
        services.reminder_settings_update(team=clinic.team, actor=clinic.coordinator, sender_name="Clinic")


def test_only_the_team_coordinator_changes_its_texts(clinic):
    with pytest.raises(ValidationError):
        services.reminder_template_save(
            team=clinic.team, actor=clinic.other_coordinator, language_code="tir", kind="reminder", text="{date}"
        )


# --- Data rights ------------------------------------------------------------------------------


def test_the_subject_access_export_lists_the_number_and_the_reminders(clinic, french):
    from integrapsy.gdpr import SUBJECT_PROVIDERS

    reachable(clinic.case.person, clinic.coordinator, french)
    booking_at(clinic, APPOINTMENT_DAY, time(10))
    reminders_run(now=local(2027, 7, 4, 9, 30))
    provider = dict(SUBJECT_PROVIDERS)["cases.text_reminders"]
    [section] = provider(clinic.case.person)
    assert "+33612345678" in section.rows[0]["value"]
    assert len(section.rows) == 3  # the number, two reminders


def test_erasing_the_person_removes_their_number_everywhere(clinic, french, sms):
    from cases.persons.services import person_anonymise
    from cases.reminders.models import TextContact

    reachable(clinic.case.person, clinic.coordinator, french)
    booking_at(clinic, APPOINTMENT_DAY, time(10))
    _run(local(2027, 7, 4, 10, 0))
    clinic.case.__class__.objects.filter(pk=clinic.case.pk).update(status="closed", closed_on=timezone.localdate())
    person_anonymise(person=clinic.case.person, actor=clinic.coordinator, reason="Art. 17")
    assert not TextContact.objects.exists()
    assert OutboxMessage.objects.get(channel="sms").address == ""
