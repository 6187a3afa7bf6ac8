"""Every write on the outbox: queueing a message, delivering it, retrying it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import Team, User
from integrapsy.audit.services import audit_record
from integrapsy.notifications import sms
from integrapsy.notifications.messages import message_template
from integrapsy.notifications.models import OutboxMessage
from integrapsy.notifications.sms import TextMessage

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status
Recipient = User | str


def _recipients(to: Recipient | Iterable[Recipient] | None) -> list[tuple[User | None, str]]:
    """(user, address) pairs, one per address (a user wins over the same bare address)."""
    if to is None:
        return []
    items = [to] if isinstance(to, User | str) else list(to)
    seen: dict[str, tuple[User | None, str]] = {}
    for item in items:
        user = item if isinstance(item, User) else None
        address = (item.email if user else item or "").strip()
        if not address:
            continue
        key = address.lower()
        if key not in seen or (user is not None and seen[key][0] is None):
            seen[key] = (user, address)
    return sorted(seen.values(), key=lambda pair: pair[1].lower())


def outbox_queue(
    *,
    to: Recipient | Iterable[Recipient] | None,
    template: str,
    context: dict,
    language: str | None = None,
    attachments: Iterable[dict] = (),
    team: Team | int | None = None,
    channel: str = OutboxMessage.Channel.EMAIL,
) -> list[OutboxMessage]:
    """Write one message per recipient in the caller's transaction; delivery starts once it commits.

    ``to`` is a user, an address, or several of them. ``context`` holds what the template's text
    needs, never clinical content. ``attachments`` are ``{"filename", "content", "mimetype"}``
    dicts of text (an .ics invitation). Without ``language``, each message is written in its
    recipient's preferred language (the site's language for a bare address). A text message
    (``channel="sms"``) goes to a mobile number in E.164 form; its body is its text.
    """
    message_template(template)  # an unknown key fails here, in the caller's transaction
    team_id = team.pk if isinstance(team, Team) else team
    messages = []
    for user, address in _recipients(to):
        message = OutboxMessage.objects.create(
            recipient=user,
            address=address,
            template=template,
            language=language or (user.language if user else "") or settings.LANGUAGE_CODE,
            context=context,
            attachments=list(attachments),
            team_id=team_id,
            channel=channel,
        )
        audit_record(action="outbox.queued", obj=message, detail=template)
        messages.append(message)
        transaction.on_commit(lambda pk=message.pk: enqueue_delivery(pk))
    return messages


def enqueue_delivery(message_id: int, *, run_after=None) -> None:
    """Ask a worker to deliver the message; if that fails the sweep delivers it anyway."""
    from integrapsy.notifications.tasks import deliver_message

    task = deliver_message
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the sweep takes it when it is due
        task = task.using(run_after=run_after)
    try:
        task.enqueue(message_id)
    except Exception:  # the row is safe: the sweep delivers it
        logger.exception("Could not enqueue the delivery of outbox message %s", message_id)


# --- Delivery ---------------------------------------------------------------------------


def _claim(queryset: QuerySet, limit: int) -> list[OutboxMessage]:
    """Take up to ``limit`` due messages for this worker: no other worker gets them.

    On PostgreSQL the rows are locked with SKIP LOCKED, so workers take different rows;
    on SQLite (one writer at a time) a conditional UPDATE pending → sending claims them.
    """
    now = timezone.now()
    token = uuid.uuid4()
    due = queryset.filter(status=Status.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at", "pk")
    claim = {"status": Status.SENDING, "claimed_at": now, "claim_token": token, "attempts": F("attempts") + 1}
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
            if ids:
                OutboxMessage.objects.filter(pk__in=ids).update(**claim)
    else:
        ids = list(due.values_list("pk", flat=True)[:limit])
        if ids:
            OutboxMessage.objects.filter(pk__in=ids, status=Status.PENDING).update(**claim)
    if not ids:
        return []
    return list(OutboxMessage.objects.filter(claim_token=token, status=Status.SENDING).select_related("recipient"))


def _language(message: OutboxMessage) -> str:
    return message.language or (message.recipient.language if message.recipient else "") or settings.LANGUAGE_CODE


def outbox_render(message: OutboxMessage) -> EmailMessage:
    """The email of a message, written in its recipient's language."""
    template = message_template(message.template)
    with translation.override(_language(message)):
        subject, body = template.render(message.context)
    email = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [message.address])
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment.get("mimetype") or "text/plain")
    return email


def _backoff() -> list[int]:
    return list(getattr(settings, "OUTBOX_BACKOFF_SECONDS", [60, 300, 1800, 7200, 43200]))


def outbox_render_text(message: OutboxMessage) -> TextMessage:
    """The text message of a message on the ``sms`` channel, written in its language."""
    template = message_template(message.template)
    with translation.override(_language(message)):
        _subject, body = template.render(message.context)
    return TextMessage(
        to=message.address, text=body, sender=message.context.get("sender", ""), reference=str(message.code)
    )


def _send(message: OutboxMessage) -> str:
    """Send one claimed message; mark it sent, or schedule the next attempt, or mark it failed."""
    gateway_ref = ""
    try:
        if message.channel == OutboxMessage.Channel.SMS:
            gateway_ref = sms.gateway().send(outbox_render_text(message))[:100]
        else:
            outbox_render(message).send()
    except Exception as exc:  # any failure of rendering, of the mail server or of the text gateway
        return _failed_attempt(message, exc)
    now = timezone.now()
    done = OutboxMessage.objects.filter(pk=message.pk, claim_token=message.claim_token, status=Status.SENDING).update(
        status=Status.SENT, sent_at=now, last_error="", claim_token=None, gateway_ref=gateway_ref
    )
    if done:
        audit_record(action="outbox.sent", obj=message, detail=message.template)
    logger.info("Outbox message %s (%s) sent after %s attempt(s)", message.code, message.template, message.attempts)
    return Status.SENT


def _failed_attempt(message: OutboxMessage, exc: Exception) -> str:
    error = f"{type(exc).__name__}: {exc}"[:1000]
    backoff = _backoff()
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(pk=message.pk, claim_token=message.claim_token, status=Status.SENDING)
    if message.attempts > len(backoff):
        if claimed.update(status=Status.FAILED, last_error=error, claim_token=None):
            audit_record(action="outbox.failed", obj=message, detail=f"{message.template}: {error}")
        logger.warning("Outbox message %s (%s) failed for good: %s", message.code, message.template, error)
        return Status.FAILED
    next_attempt = now + timedelta(seconds=backoff[message.attempts - 1])
    if claimed.update(status=Status.PENDING, last_error=error, next_attempt_at=next_attempt, claim_token=None):
        transaction.on_commit(lambda: enqueue_delivery(message.pk, run_after=next_attempt))
    logger.warning(
        "Outbox message %s (%s) not sent (attempt %s), next at %s: %s",
        message.code,
        message.template,
        message.attempts,
        next_attempt.isoformat(),
        error,
    )
    return Status.PENDING


def outbox_deliver(message_id: int) -> str:
    """Deliver one message if it is due and nobody else holds it; what became of it."""
    claimed = _claim(OutboxMessage.objects.filter(pk=message_id), limit=1)
    if not claimed:
        return "skipped"
    return _send(claimed[0])


def outbox_release_stale(*, timeout_seconds: int | None = None) -> int:
    """A message claimed longer than the claim timeout (its worker died) waits to be sent again."""
    if timeout_seconds is None:
        timeout_seconds = settings.OUTBOX_CLAIM_TIMEOUT_SECONDS
    now = timezone.now()
    stale = OutboxMessage.objects.filter(status=Status.SENDING, claimed_at__lt=now - timedelta(seconds=timeout_seconds))
    released = stale.update(
        status=Status.PENDING, claim_token=None, next_attempt_at=now, last_error="worker stopped while sending"
    )
    if released:
        logger.warning("Outbox: %s message(s) released after their worker stopped while sending", released)
    return released


def outbox_deliver_due(*, batch: int = 50, max_messages: int = 1000) -> dict[str, int]:
    """Release stale claims, then deliver every message that is due; counts by outcome."""
    counts = {"released": outbox_release_stale(), Status.SENT: 0, Status.PENDING: 0, Status.FAILED: 0}
    handled = 0
    while handled < max_messages:
        claimed = _claim(OutboxMessage.objects.all(), limit=min(batch, max_messages - handled))
        if not claimed:
            break
        for message in claimed:
            counts[_send(message)] += 1
        handled += len(claimed)
    return counts


@transaction.atomic
def outbox_retry(*, message: OutboxMessage, actor: User, request=None) -> OutboxMessage:
    """Try a failed message again now, with a fresh series of attempts."""
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if not access.may(actor, Capability.VIEW_UNDELIVERED_MESSAGES, message.team_id):
        raise ValidationError(_("You may not retry this message."))
    if message.status != Status.FAILED:
        raise ValidationError(_("This message is no longer waiting for a retry."))
    message.status = Status.PENDING
    message.attempts = 0
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(action="outbox.retried", actor=actor, request=request, obj=message, detail=message.template)
    transaction.on_commit(lambda: enqueue_delivery(message.pk))
    return message


@transaction.atomic
def outbox_receipt_record(*, code, delivered: bool, error: str = "") -> OutboxMessage | None:
    """The text gateway's receipt: the message arrived, or it could not be delivered (shown as failed)."""
    message = OutboxMessage.objects.select_for_update().filter(code=code, channel=OutboxMessage.Channel.SMS).first()
    if message is None:
        return None
    if delivered:
        if message.delivered_at is None:
            message.delivered_at = timezone.now()
            message.save(update_fields=["delivered_at"])
            audit_record(action="outbox.delivered", obj=message, detail=message.template)
    elif message.status != Status.FAILED:
        message.status = Status.FAILED
        message.last_error = (error or "not delivered")[:1000]
        message.save(update_fields=["status", "last_error"])
        audit_record(action="outbox.failed", obj=message, detail=f"{message.template}: {message.last_error}")
    return message
