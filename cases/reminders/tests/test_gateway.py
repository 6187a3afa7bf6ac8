import base64
import json
import threading
import time as clock
from datetime import date, time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse

from cases.models import ConsentRecord, TimelineEvent
from cases.persons.services import has_current_consent
from cases.reminders.models import Reminder
from cases.reminders.services import reminders_run
from cases.reminders.tests.conftest import booking_at, local, reachable
from cases.reminders.webhooks import sign
from integrapsy.notifications.models import OutboxMessage
from integrapsy.notifications.sms import ConsoleGateway, FileGateway, HttpJsonGateway, gateway_from_url
from integrapsy.notifications.testing import deliver_pending

pytestmark = pytest.mark.django_db

APPOINTMENT_DAY = date(2027, 7, 6)


class FakeGateway:
    """An HTTP text gateway on 127.0.0.1: records each request, answers with ``status``."""

    def __init__(self, status=200):
        self.status = status
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — the stdlib's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append(
                    {"path": self.path, "auth": self.headers.get("Authorization"), "body": json.loads(body)}
                )
                answer = json.dumps({"id": f"gw-{len(gateway.requests)}"}).encode()
                self.send_response(gateway.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http+json://acme:s3cret@127.0.0.1:{self.server.server_port}/v1/messages"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_sms_url_chooses_the_gateway():
    assert isinstance(gateway_from_url("console://"), ConsoleGateway)
    assert gateway_from_url("file:///tmp/sms.jsonl").path == "/tmp/sms.jsonl"
    http = gateway_from_url("https+json://user:k%40y@sms.example.org/api/send")
    assert isinstance(http, HttpJsonGateway) and isinstance(gateway_from_url("file:///x"), FileGateway)
    assert (http.url, http.user, http.key) == ("https://sms.example.org/api/send", "user", "k@y")
    with pytest.raises(ValueError):
        gateway_from_url("carrier-pigeon://")


def test_the_http_gateway_gets_each_reminder_exactly_once(clinic, french, settings):
    reachable(clinic.case.person, clinic.coordinator, french)
    booking_at(clinic, APPOINTMENT_DAY, time(10))
    with FakeGateway() as gateway:
        settings.SMS_URL = gateway.url
        for _ in range(3):
            reminders_run(now=local(2027, 7, 4, 10, 0))
            deliver_pending()
    assert len(gateway.requests) == 1
    [request] = gateway.requests
    assert request["path"] == "/v1/messages"
    assert request["auth"] == "Basic " + base64.b64encode(b"acme:s3cret").decode()
    message = OutboxMessage.objects.get(channel="sms")
    assert request["body"]["to"] == "+33612345678"
    assert request["body"]["reference"] == str(message.code)
    assert request["body"]["text"].startswith("Rappel : rendez-vous le mardi 6 juillet 2027")
    assert (message.status, message.gateway_ref, message.attempts) == ("sent", "gw-1", 1)


def test_a_gateway_that_is_down_is_retried_then_shown_as_not_delivered(clinic, french, settings, client):
    settings.OUTBOX_BACKOFF_SECONDS = [3600]
    reachable(clinic.case.person, clinic.coordinator, french)
    booking_at(clinic, APPOINTMENT_DAY, time(10))
    with FakeGateway(status=503) as gateway:
        settings.SMS_URL = gateway.url
        reminders_run(now=local(2027, 7, 4, 10, 0))
        deliver_pending()
        message = OutboxMessage.objects.get(channel="sms")
        assert (message.status, message.attempts) == ("pending", 1)
        assert "503" in message.last_error
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=local(2026, 1, 1, 0, 0))
        deliver_pending()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 2)
    assert len(gateway.requests) == 2
    client.force_login(clinic.coordinator)
    assert "+33612345678" in client.get(reverse("notifications:undelivered")).content.decode()


# --- The signed webhook ---------------------------------------------------------------------


def _post(client, name, payload, *, secret="test-webhook-secret", timestamp=None, signature=None):
    body = json.dumps(payload).encode()
    timestamp = str(int(clock.time()) if timestamp is None else timestamp)
    return client.post(
        reverse(name),
        data=body,
        content_type="application/json",
        headers={"X-Sms-Timestamp": timestamp, "X-Sms-Signature": signature or sign(body, timestamp, secret)},
    )


@pytest.fixture
def sent(clinic, french, sms):
    reachable(clinic.case.person, clinic.coordinator, french)
    booking_at(clinic, APPOINTMENT_DAY, time(10))
    reminders_run(now=local(2027, 7, 4, 10, 0))
    deliver_pending()
    return OutboxMessage.objects.get(channel="sms")


def test_a_signed_receipt_marks_the_text_delivered(client, sent):
    response = _post(client, "cases:reminder_sms_receipt", {"reference": str(sent.code), "status": "delivered"})
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.delivered_at is not None


def test_a_failed_receipt_shows_the_text_as_not_delivered(client, sent):
    _post(client, "cases:reminder_sms_receipt", {"reference": str(sent.code), "status": "failed", "error": "absent"})
    sent.refresh_from_db()
    assert (sent.status, sent.last_error) == ("failed", "absent")


@pytest.mark.parametrize(
    "tamper",
    [
        {"secret": "wrong-secret"},
        {"signature": "0" * 64},
        {"timestamp": int(clock.time()) - 3600},  # too old: signed, but not fresh
    ],
)
def test_a_bad_signature_is_refused_and_changes_nothing(client, sent, tamper):
    response = _post(client, "cases:reminder_sms_receipt", {"reference": str(sent.code), "status": "failed"}, **tamper)
    assert response.status_code == 403
    sent.refresh_from_db()
    assert (sent.status, sent.delivered_at) == ("sent", None)


def test_a_replayed_request_is_refused(client, sent):
    payload = {"reference": str(sent.code), "status": "delivered"}
    body = json.dumps(payload).encode()
    timestamp = str(int(clock.time()))
    headers = {"X-Sms-Timestamp": timestamp, "X-Sms-Signature": sign(body, timestamp, "test-webhook-secret")}
    url = reverse("cases:reminder_sms_receipt")
    assert client.post(url, data=body, content_type="application/json", headers=headers).status_code == 200
    assert client.post(url, data=body, content_type="application/json", headers=headers).status_code == 403


def test_without_a_secret_every_request_is_refused(client, sent, settings):
    settings.SMS_WEBHOOK_SECRET = ""
    response = _post(client, "cases:reminder_sms_receipt", {"reference": str(sent.code), "status": "failed"}, secret="")
    assert response.status_code == 403


def test_stop_withdraws_the_consent_on_the_timeline_and_the_next_reminder_is_not_sent(client, clinic, sent, sms):
    person = clinic.case.person
    response = _post(client, "cases:reminder_sms_inbound", {"from": "+33612345678", "text": "Stop "})
    assert response.status_code == 200 and response.json()["withdrawn"] == 1
    assert not has_current_consent(person, "text_reminders")
    latest = ConsentRecord.objects.filter(person=person, purpose="text_reminders").first()
    assert (latest.given, latest.method) == (False, "text")
    assert TimelineEvent.objects.filter(case=clinic.case, kind="consent.recorded", data__given=False).exists()
    reminders_run(now=local(2027, 7, 6, 8, 0))
    deliver_pending()
    assert len(sms.sent()) == 1  # the first reminder only
    assert Reminder.objects.get(kind="second").status == "dropped"


def test_a_stop_with_a_bad_signature_changes_nothing(client, clinic, sent):
    response = _post(client, "cases:reminder_sms_inbound", {"from": "+33612345678", "text": "STOP"}, secret="x")
    assert response.status_code == 403
    assert has_current_consent(clinic.case.person, "text_reminders")
