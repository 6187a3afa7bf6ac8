"""The messages sent to interpreters: never clinical content, never a surname."""

from django.utils.translation import gettext_lazy as _

from integrapsy.notifications.messages import MessageTemplate, register_message_templates

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
)
