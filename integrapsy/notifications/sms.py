"""Text-message gateways, chosen by ``SMS_URL`` as Django chooses its email backend.

- ``console://``: the text is printed (``make run``);
- ``file:///path/to/file.jsonl``: one JSON line per text, appended (the tests read it);
- ``https+json://user:key@host/path`` (or ``http+json://`` for a gateway on the same machine):
  a POST of ``{"from", "to", "text", "reference"}`` as JSON with HTTP basic authentication,
  the body most providers accept; a 2xx answer is a text accepted, anything else an error the
  outbox retries. The gateway's receipts name the message by ``reference``.
"""

from __future__ import annotations

import base64
import json
import sys
import threading
import urllib.request
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings


@dataclass(frozen=True)
class TextMessage:
    to: str  # E.164
    text: str
    sender: str
    reference: str  # the outbox message's code, echoed by the gateway's receipts


class SmsGatewayError(Exception):
    """The gateway did not accept the text: the outbox tries again later."""


class ConsoleGateway:
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: TextMessage) -> str:
        self.stream.write(f"SMS from {message.sender} to {message.to} [{message.reference}]\n{message.text}\n\n")
        self.stream.flush()
        return message.reference


class FileGateway:
    _lock = threading.Lock()

    def __init__(self, path: str):
        self.path = path

    def send(self, message: TextMessage) -> str:
        line = json.dumps(
            {"from": message.sender, "to": message.to, "text": message.text, "reference": message.reference},
            ensure_ascii=False,
        )
        with self._lock, open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
        return message.reference


class HttpJsonGateway:
    def __init__(self, url: str, user: str = "", key: str = "", timeout: int = 15):
        self.url = url
        self.user = user
        self.key = key
        self.timeout = timeout

    def send(self, message: TextMessage) -> str:
        body = json.dumps(
            {"from": message.sender, "to": message.to, "text": message.text, "reference": message.reference}
        ).encode()
        request = urllib.request.Request(self.url, data=body, method="POST")  # noqa: S310 — http(s) only
        request.add_header("Content-Type", "application/json")
        request.add_header("Accept", "application/json")
        if self.user or self.key:
            token = base64.b64encode(f"{self.user}:{self.key}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 — http(s) only
                answer = response.read()
        except OSError as exc:  # refused, timed out, or an HTTP error status (HTTPError is an OSError)
            raise SmsGatewayError(f"{self.url}: {exc}") from exc
        try:
            data = json.loads(answer or b"{}")
        except ValueError:
            data = {}
        return str(data.get("id") or message.reference) if isinstance(data, dict) else message.reference


def gateway_from_url(url: str, *, timeout: int = 15):
    """The gateway an ``SMS_URL`` names."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return ConsoleGateway()
    if scheme == "file":
        return FileGateway(unquote(parts.path))
    if scheme in ("https+json", "http+json"):
        host = parts.hostname or ""
        netloc = f"[{host}]" if ":" in host else host
        if parts.port:
            netloc += f":{parts.port}"
        target = f"{scheme.split('+')[0]}://{netloc}{parts.path or '/'}"
        if parts.query:
            target += f"?{parts.query}"
        return HttpJsonGateway(target, unquote(parts.username or ""), unquote(parts.password or ""), timeout=timeout)
    raise ValueError(f"SMS_URL: unknown gateway {scheme!r} (console://, file:///path, https+json://user:key@host/path)")


def gateway():
    return gateway_from_url(settings.SMS_URL, timeout=getattr(settings, "SMS_TIMEOUT", 15))
