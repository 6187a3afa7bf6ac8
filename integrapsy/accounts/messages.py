"""Messages about the account itself, queued in the outbox like every other message."""

from django.utils.translation import gettext_lazy as _

from integrapsy.notifications.messages import MessageTemplate, register_message_templates

# The text is written in the user's language when it is queued (Django's password-reset
# templates render it, with the one-time link); the outbox delivers it as it is.
register_message_templates(
    MessageTemplate("account.message", _("Password reset"), "%(subject)s", "%(body)s"),
)
