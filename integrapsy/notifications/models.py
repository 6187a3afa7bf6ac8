import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrapsy.fields import ref, user_ref


class OutboxMessage(models.Model):
    """One message to one recipient, from the moment a service decides to send it until it is sent.

    It never carries clinical content: a template key and the few references its text needs.
    """

    # For the access policy: a message without a team is for the administrator only.
    TEAM_PATH = "team"

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        SMS = "sms", _("text message")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be delivered")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = user_ref(_("recipient"), optional=True)
    # An email address, or a mobile number in E.164 form for a text message.
    address = models.CharField(_("address"), max_length=254)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    template = models.CharField(_("message"), max_length=80)
    language = models.CharField(_("language"), max_length=8, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    team = ref("accounts.Team", _("team"), optional=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # What the text gateway calls the message; its delivery receipt says whether it arrived.
    gateway_ref = models.CharField(_("gateway reference"), max_length=100, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next_idx"),
            models.Index(fields=["status", "sent_at"], name="outbox_status_sent_idx"),
            models.Index(fields=["claim_token"], name="outbox_claim_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.address} ({self.status})"
