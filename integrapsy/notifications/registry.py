"""What the outbox adds to the app: the home panel of undelivered messages, the retention of sent ones."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrapsy.access import Capability
from integrapsy.gdpr import RetentionRule, register_retention_rule
from integrapsy.navigation import HomePanel, register_home_panel
from integrapsy.notifications import selectors
from integrapsy.notifications.models import OutboxMessage


def _purge_sent(cutoff, dry_run):
    moment = timezone.make_aware(datetime.combine(cutoff, time.min))
    sent = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT, sent_at__lt=moment)
    count = sent.count()
    if count and not dry_run:
        sent.delete()
    return [f"outbox: {count} messages sent before {cutoff}"] if count else []


register_home_panel(
    HomePanel(
        "notifications/_home_undelivered.html",
        Capability.VIEW_UNDELIVERED_MESSAGES,
        lambda *, user: {"undelivered_count": selectors.undelivered_count(user=user)},
        order=2,
    ),
)
register_retention_rule(RetentionRule("outbox_sent", _("Messages sent (90 days)"), 90 / 365.25, _purge_sent, bulk=True))
