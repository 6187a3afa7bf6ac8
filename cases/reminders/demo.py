"""Fictional text contacts, consents, a team text in Arabic, and the reminders of the coming permanences.

Khadija reads French and agreed to texts; Dawit agreed but reads only Tigrinya, for which the
team has no text (a call for the ambassador); Zalmai does not read texts (a call too).
"""

from cases.models import Person
from cases.persons.services import consent_record, has_current_consent
from cases.reminders import services
from integrapsy import clock
from integrapsy.accounts.demo import TEAM_FR
from integrapsy.accounts.models import Team, User
from integrapsy.directory.models import Language

# first name, last name, mobile, language read (ISO 639-3) or "" (does not read), reads French
CONTACTS = [
    ("Khadija", "Warsame", "+33 6 12 34 56 01", "som", True),
    ("Dawit", "Gebremedhin", "+33 6 12 34 56 02", "tir", False),
    ("Zalmai", "Nouri", "+32 470 12 34 03", "", False),
]

ARABIC_REMINDER = "تذكير: موعد يوم {date} الساعة {time}، {place}. أرسل STOP لإيقاف الرسائل."


def seed(*, stdout) -> None:
    coordinator = User.objects.filter(username="coordinator").first()
    team = Team.objects.filter(name=TEAM_FR).first()
    if coordinator is None or team is None:
        stdout.write("  reminders: skipped (no demo accounts)")
        return
    for first_name, last_name, mobile, code, reads_french in CONTACTS:
        person = Person.objects.filter(first_name=first_name, last_name=last_name).first()
        if person is None:
            continue
        if not has_current_consent(person, services.TEXT_PURPOSE):
            consent_record(
                person=person,
                actor=coordinator,
                purpose=services.TEXT_PURPOSE,
                given=True,
                given_on=clock.localdate(),
                method="oral",
                language=Language.objects.filter(code="fra", variety="").first(),
            )
        services.text_contact_set(
            person=person,
            actor=coordinator,
            mobile=mobile,
            reads_language=Language.objects.filter(code=code, variety="").first() if code else None,
            does_not_read=not code,
            reads_french=reads_french,
        )
    services.reminder_template_save(
        team=team, actor=coordinator, language_code="ara", kind="reminder", text=ARABIC_REMINDER
    )
    # The permanences' reminders only: the interpreters' demo bookings are written after this.
    counts = services.reminders_run(sources=["permanence"])
    stdout.write(f"  reminders: {counts}")
