"""What text reminders add to the app: timeline kinds, the message, the home panel, the job, the eraser."""

from django.utils.translation import gettext_lazy as _

from cases.reminders import selectors
from cases.reminders.services import reminder_summary
from cases.timeline.kinds import EventKind, register, register_families
from integrapsy.access import Capability
from integrapsy.gdpr import Section, register_eraser, register_subject_provider
from integrapsy.navigation import HomePanel, NavItem, register_home_panel, register_nav
from integrapsy.notifications.messages import MessageTemplate, register_message_templates
from integrapsy.schedule.jobs import ScheduledJob, every, register_job

register(
    {
        "reminder.text_sent": EventKind(_("Text reminder sent"), summary=reminder_summary),
        "reminder.called": EventKind(_("Called about an appointment"), summary=reminder_summary),
        "reminder.not_reached": EventKind(_("Called about an appointment, not reached"), summary=reminder_summary),
    }
)
register_families({"reminder": _("Reminders")})

# The text is written when the reminder is due (in the person's language, from the team's
# template) and kept as it was sent: only a date, a time, a place and the sender name.
register_message_templates(
    MessageTemplate("reminders.text", _("Appointment text reminder"), "", "%(text)s"),
)

register_nav(
    NavItem(
        _("Text reminders"),
        "cases:reminder_list",
        Capability.PLAN_PERMANENCES,
        order=26,
        active_prefix="cases:reminder_",
    ),
)
register_home_panel(
    HomePanel(
        "cases/reminders/_home_calls.html",
        Capability.VIEW_HOME,
        lambda *, user: {"calls": selectors.calls_to_make(user=user, limit=10)},
        order=5,
    ),
)


def _run_reminders():
    from cases.reminders.tasks import run_reminders

    return run_reminders.enqueue()


register_job(ScheduledJob("reminders", _run_reminders, every(minutes=5)))


def _erase_text_contact(person):
    from cases.reminders.models import Reminder, TextContact
    from integrapsy.notifications.models import OutboxMessage

    message_ids = Reminder.objects.filter(person=person).values("outbox_message_id")
    OutboxMessage.objects.filter(pk__in=message_ids).update(address="", context={})
    TextContact.objects.filter(person=person).delete()


register_eraser("cases.text_contact", _erase_text_contact)


def _subject_data(person) -> list[Section]:
    """The person's mobile number, the language they read texts in, and the reminders about them."""
    from cases.gdpr.providers import export_value
    from cases.reminders.models import Reminder, TextContact

    rows = []
    contact = TextContact.objects.select_related("reads_language").filter(person=person).first()
    if contact is not None:
        reads = _("does not read texts") if contact.does_not_read else (contact.reads_language or "—")
        rows.append({"label": str(_("Mobile number")), "value": f"{contact.mobile or '—'} — {reads}"})
    for reminder in Reminder.objects.filter(person=person).order_by("send_at", "pk"):
        rows.append(
            {
                "label": f"{export_value(reminder.send_at)} — {reminder.get_kind_display()}",
                "value": " — ".join(
                    str(p)
                    for p in (
                        export_value(reminder.appointment_at),
                        reminder.place,
                        reminder.get_status_display(),
                        reminder.get_why_display() if reminder.why else "",
                    )
                    if p
                ),
            }
        )
    return [Section("text_reminders", _("Text reminders"), rows)]


register_subject_provider("cases.text_reminders", _subject_data)
