"""Exactly once: a form sent again with the same idempotency key answers the first result."""

import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from integrapsy.offline.models import IdempotencyKey

HEADER = "Idempotency-Key"
FIELD = "client_id"
# Sent by the browser's queue with what it sends later: a consultation it carries is never signed.
QUEUED_HEADER = "X-Offline-Queued"
REPLAYED_HEADER = "Idempotent-Replayed"
_VALID_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}\Z")


class _Taken(Exception):
    """Another request holds (or held) the same key."""


def idempotency_key(request: HttpRequest) -> str:
    """The key a POST carries (header first, then the hidden field); empty when it carries none."""
    return (request.headers.get(HEADER) or request.POST.get(FIELD) or "").strip()


def is_queued(request: HttpRequest) -> bool:
    """Whether the browser's offline queue sent this request, rather than the user pressing a button."""
    return request.headers.get(QUEUED_HEADER) == "1"


def _replay(request: HttpRequest, record: IdempotencyKey) -> HttpResponse:
    if record.url != request.path:
        return HttpResponse(_("This key was already used for another form."), status=409, content_type="text/plain")
    messages.info(request, _("Already received: nothing was recorded twice."))
    response = redirect(record.location) if record.location else HttpResponse(status=record.status)
    response[REPLAYED_HEADER] = "true"
    return response


def submission_once(request: HttpRequest, respond: Callable[[], HttpResponse]) -> HttpResponse:
    """Run ``respond`` once per (user, key); a replay, even a concurrent one, answers the first redirect.

    The key is written in the same transaction as what the form's service writes, so either both
    are there or neither is. A page that answers with the form and its errors releases the key:
    nothing was recorded, and the corrected form may be sent with the same key.
    """
    key = idempotency_key(request)
    if request.method != "POST" or not key or not request.user.is_authenticated:
        return respond()
    if not _VALID_KEY.match(key):
        return HttpResponseBadRequest(_("This idempotency key is not valid."), content_type="text/plain")
    record = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if record is not None:
        return _replay(request, record)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(user=request.user, key=key, url=request.path, status=0)
            except IntegrityError as exc:
                raise _Taken from exc
            response = respond()
            if 300 <= response.status_code < 400 and response.has_header("Location"):
                record.status = response.status_code
                record.location = response["Location"]
                record.save(update_fields=["status", "location"])
            else:
                record.delete()
    except _Taken:
        return _replay(request, IdempotencyKey.objects.get(user=request.user, key=key))
    return response


def idempotency_keys_prune(*, now=None) -> int:
    """Delete the keys older than ``OFFLINE_KEY_RETENTION_DAYS``; the number deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OFFLINE_KEY_RETENTION_DAYS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
