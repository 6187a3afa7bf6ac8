"""The messages sent to interpreters, and to the team about them: never clinical content, never a surname."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from integrapsy.notifications.messages import MessageTemplate, register_message_templates
from interpreters.models import Mode


def _with_booking(context: dict) -> dict:
    """The booking stored in a message (``services.booking_message_when``), written in the active language."""
    names = context["language"]
    starts_at = timezone.localtime(datetime.fromisoformat(context["starts_at"]))
    mode = str(Mode(context["mode"]).label) if context["mode"] in Mode.values else context["mode"]
    context["what"] = " — ".join(
        [
            names.get((get_language() or "fr")[:2]) or names["fr"],
            mode,
            date_format(starts_at, "SHORT_DATETIME_FORMAT"),
        ]
    )
    context["late"] = (
        gettext("Less than 24 hours before the start: find another interpreter quickly.") + "\n"
        if context.get("late")
        else ""
    )
    return context


register_message_templates(
    MessageTemplate(
        "interpreters.booking_offered",
        _("Booking offered to an interpreter"),
        _("IntegraPsy: a booking is offered to you"),
        _("A booking is offered to you: %(what)s.\nSign in to IntegraPsy to accept or decline it."),
    ),
    MessageTemplate(
        "interpreters.booking_confirmed",
        _("Booking confirmed to the interpreter"),
        _("IntegraPsy: booking confirmed — %(what)s"),
        _("Your booking is confirmed: %(what)s.\nThe invitation is attached; the briefing is in IntegraPsy."),
    ),
    MessageTemplate(
        "interpreters.booking_cancelled",
        _("Booking cancelled, told to the interpreter"),
        _("IntegraPsy: booking cancelled — %(what)s"),
        _("This booking is cancelled: %(what)s."),
    ),
    MessageTemplate(
        "interpreters.withdrawal_noted",
        _("Withdrawal noted, told to the interpreter"),
        _("IntegraPsy: you withdrew — %(what)s"),
        _(
            "You withdrew from this booking: %(what)s.\n"
            "The attached file takes it out of your calendar; the team is finding another interpreter."
        ),
    ),
    MessageTemplate(
        "interpreters.booking_withdrawn",
        _("An interpreter withdrew from a booking"),
        _("IntegraPsy: an interpreter withdrew — %(what)s"),
        _(
            "%(interpreter)s withdrew from this booking: %(what)s.\n"
            "Reason: %(reason)s\n"
            "%(late)s"
            "The booking waits for an interpreter again: sign in to IntegraPsy to find another one."
        ),
        prepare=_with_booking,
    ),
)
