"""Helpers for the tests of the apps that send messages."""

from django.core import mail


def deliver_pending() -> dict:
    """Deliver now every message that is due, as a worker's sweep would."""
    from integrapsy.notifications.services import outbox_deliver_due

    return outbox_deliver_due()


def mailed_to() -> set[str]:
    """Every address of the emails sent so far (one email per recipient)."""
    return {address for message in mail.outbox for address in message.to}
