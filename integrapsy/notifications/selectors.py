"""Reads of the outbox."""

from __future__ import annotations

from django.db.models import Min
from django.utils import timezone

from integrapsy import access
from integrapsy.access import Capability
from integrapsy.notifications.messages import MESSAGE_TEMPLATES
from integrapsy.notifications.models import OutboxMessage


def undelivered_messages(*, user):
    """Messages that could not be delivered, for those who may see them, newest first."""
    queryset = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).select_related("recipient", "team")
    return access.scope(user, queryset, Capability.VIEW_UNDELIVERED_MESSAGES).order_by("-created_at")


def undelivered_count(*, user) -> int:
    return undelivered_messages(user=user).count()


def message_label(message: OutboxMessage) -> str:
    template = MESSAGE_TEMPLATES.get(message.template)
    return str(template.label) if template else message.template


def oldest_pending_age_seconds() -> int | None:
    """How long the oldest message waiting to be sent has waited (None when none waits)."""
    oldest = OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING]
    ).aggregate(oldest=Min("created_at"))["oldest"]
    if oldest is None:
        return None
    return max(0, int((timezone.now() - oldest).total_seconds()))
