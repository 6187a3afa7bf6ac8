"""The signature of the text gateway's requests: HMAC-SHA256 of ``"<timestamp>." + body``.

The gateway sends ``X-Sms-Timestamp`` (Unix seconds) and ``X-Sms-Signature`` (hex digest with
``SMS_WEBHOOK_SECRET``). A request older than ``SMS_WEBHOOK_MAX_AGE_SECONDS``, or one whose
signature was already received, is refused as a replay.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from django.conf import settings


def sign(body: bytes, timestamp: int | str, secret: str | None = None) -> str:
    secret = settings.SMS_WEBHOOK_SECRET if secret is None else secret
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signed_payload(request) -> tuple[dict, str] | None:
    """The JSON body and its signature when the signature is right and fresh; None otherwise."""
    secret = settings.SMS_WEBHOOK_SECRET
    timestamp = request.headers.get("X-Sms-Timestamp", "")
    signature = request.headers.get("X-Sms-Signature", "")
    if not secret or not timestamp.isdigit() or not signature:
        return None
    if not hmac.compare_digest(sign(request.body, timestamp, secret), signature.lower()):
        return None
    if abs(time.time() - int(timestamp)) > settings.SMS_WEBHOOK_MAX_AGE_SECONDS:
        return None
    try:
        payload = json.loads(request.body)
    except ValueError:
        return None
    return (payload, signature.lower()) if isinstance(payload, dict) else None
