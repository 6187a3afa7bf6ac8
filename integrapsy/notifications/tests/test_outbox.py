"""The outbox: a message is a row of the caller's transaction, delivered once, in its recipient's language."""

import re
import smtplib
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.notifications import selectors, services
from integrapsy.notifications.messages import MessageTemplate, register_message_templates
from integrapsy.notifications.models import OutboxMessage
from integrapsy.notifications.testing import deliver_pending

Status = OutboxMessage.Status
EN = {"Accept-Language": "en"}  # the page's texts as written in the code, whatever the catalogues say

register_message_templates(
    MessageTemplate("tests.hello", "Test message", "Hello %(ref)s", "Reference %(ref)s, nothing clinical.")
)


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def team(db):
    return TeamFactory(name="Équipe outbox", contact_email="team@example.org")


@pytest.fixture
def coordinator(team):
    return make_user_with_role(Role.COORDINATOR, team=team, username="coord-outbox", email="coord@example.org")


def queue(to, **kw):
    kw.setdefault("template", "tests.hello")
    kw.setdefault("context", {"ref": "IP-1"})
    return services.outbox_queue(to=to, **kw)


def test_a_message_is_written_in_the_transaction_and_sent_once_after_the_commit(
    coordinator, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        (message,) = queue(coordinator, team=team)
        assert message.status == Status.PENDING and not mail.outbox  # nothing sent before the commit
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 1 and message.sent_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["coord@example.org"]
    assert mail.outbox[0].subject == "Hello IP-1"
    # Delivered once: a second delivery of the same message (a duplicate task) does nothing.
    assert services.outbox_deliver(message.pk) == "skipped"
    assert deliver_pending()[Status.SENT] == 0
    assert len(mail.outbox) == 1
    actions = set(AuditEvent.objects.filter(object_ref=str(message.code)).values_list("action", flat=True))
    assert actions == {"outbox.queued", "outbox.sent"}


def test_a_rolled_back_action_sends_nothing(coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue(coordinator)
        raise RuntimeError("the action fails")
    assert not OutboxMessage.objects.exists() and not mail.outbox


def test_one_message_per_address_a_user_before_the_bare_address(coordinator):
    messages = queue([coordinator, "COORD@example.org", "team@example.org", "", None])
    assert [(m.recipient, m.address) for m in messages] == [
        (coordinator, "coord@example.org"),
        (None, "team@example.org"),
    ]
    assert queue([]) == []


def test_an_unknown_template_fails_in_the_callers_transaction(coordinator):
    with pytest.raises(LookupError):
        queue(coordinator, template="no.such.message")


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("en", "IntegraPsy: risk flag raised on case IP-7"),
        ("nl", "IntegraPsy: risicosignaal gegeven in dossier IP-7"),
        ("fr", "IntegraPsy : alerte risque déclenchée sur le dossier IP-7"),
    ],
)
def test_the_message_is_written_in_the_recipients_language_when_delivered(
    coordinator, language, subject, django_capture_on_commit_callbacks
):
    coordinator.language = language
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        (message,) = queue(coordinator, template="risk.raised", context={"ref": "IP-7"})
    assert message.language == language
    assert " ".join(mail.outbox[-1].subject.replace("\u202f", " ").replace("\xa0", " ").split()) == subject


def test_a_bare_address_gets_the_sites_language(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (message,) = queue("someone@example.org", template="risk.raised", context={"ref": "IP-7"})
    assert message.language == settings.LANGUAGE_CODE == "fr"
    assert "alerte risque" in mail.outbox[-1].subject


def test_attachments_are_sent(coordinator, django_capture_on_commit_callbacks):
    ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        queue(coordinator, attachments=[{"filename": "booking.ics", "content": ics, "mimetype": "text/calendar"}])
    assert mail.outbox[-1].attachments == [("booking.ics", ics, "text/calendar")]


def _make_due(message):
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_refused_message_is_tried_again_with_back_off_then_marked_failed(
    coordinator, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        (message,) = queue(coordinator)
    waits = []
    for attempt in range(1, 6):
        message.refresh_from_db()
        assert message.status == Status.PENDING and message.attempts == attempt
        assert "SMTPServerDisconnected" in message.last_error
        waits.append(round((message.next_attempt_at - timezone.now()).total_seconds() / 60))
        assert deliver_pending()[Status.SENT] == 0  # not due yet: nothing tried
        message.refresh_from_db()
        assert message.attempts == attempt
        _make_due(message)
        deliver_pending()
    assert waits == [1, 5, 30, 120, 720]
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == 6
    assert AuditEvent.objects.filter(action="outbox.failed", object_ref=str(message.code)).exists()
    assert not mail.outbox
    # Failed for good: the sweep leaves it alone; somebody retries it from the list.
    _make_due(message)
    assert deliver_pending() == {"released": 0, Status.SENT: 0, Status.PENDING: 0, Status.FAILED: 0}


def test_a_message_held_by_a_worker_that_died_is_sent_after_the_claim_timeout(coordinator, settings):
    (message,) = queue(coordinator)
    claimed = services._claim(OutboxMessage.objects.filter(pk=message.pk), limit=1)
    assert [m.pk for m in claimed] == [message.pk]
    # The worker dies here. Before the timeout nobody takes the message again:
    assert deliver_pending()["released"] == 0 and not mail.outbox
    settings.OUTBOX_CLAIM_TIMEOUT_SECONDS = 0
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - timedelta(seconds=1))
    counts = deliver_pending()
    assert counts["released"] == 1 and counts[Status.SENT] == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2 and len(mail.outbox) == 1


def _failed(to, team):
    (message,) = queue(to, team=team)
    OutboxMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, attempts=6, last_error="SMTPError: 550")
    return message


def test_coordinators_see_and_retry_their_teams_undelivered_messages_the_admin_all(
    client, coordinator, team, django_capture_on_commit_callbacks
):
    other_team = TeamFactory(name="Autre équipe")
    ours = _failed("a@example.org", team)
    theirs = _failed("b@example.org", other_team)
    teamless = _failed("c@example.org", None)
    admin = make_user_with_role(Role.ADMIN)
    assert list(selectors.undelivered_messages(user=coordinator)) == [ours]
    assert set(selectors.undelivered_messages(user=admin)) == {ours, theirs, teamless}

    client.force_login(coordinator)
    home = client.get(reverse("home"), headers=EN).content.decode()
    assert "1 message could not be delivered" in home and reverse("notifications:undelivered") in home
    page = client.get(reverse("notifications:undelivered"), headers=EN).content.decode()
    assert "a@example.org" in page and "SMTPError: 550" in page and "Test message" in page
    assert "b@example.org" not in page
    # Another team's message: not found, and left as it was.
    assert client.post(reverse("notifications:retry", args=[theirs.code])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:retry", args=[ours.code]))
    assert response.status_code == 302
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.status == Status.SENT and theirs.status == Status.FAILED
    assert mail.outbox[-1].to == ["a@example.org"]
    assert AuditEvent.objects.filter(action="outbox.retried", actor=coordinator).count() == 1

    client.force_login(admin)
    assert "2 messages could not be delivered" in client.get(reverse("home"), headers=EN).content.decode()


def test_the_home_page_says_nothing_when_every_message_was_delivered(client, coordinator):
    client.force_login(coordinator)
    assert "could not be delivered" not in client.get(reverse("home"), headers=EN).content.decode()


def test_other_roles_do_not_see_the_list(client, team):
    psychologist = make_user_with_role(Role.PSYCHOLOGIST, team=team)
    _failed("a@example.org", team)
    client.force_login(psychologist)
    assert client.get(reverse("notifications:undelivered"), headers=EN).status_code == 404
    assert "could not be delivered" not in client.get(reverse("home"), headers=EN).content.decode()


def test_sent_messages_are_deleted_after_90_days(coordinator):
    from integrapsy.gdpr import RETENTION_RULES, cutoff_for

    rule = next(r for r in RETENTION_RULES if r.key == "outbox_sent")
    old, recent, failed = queue(coordinator), queue(coordinator), queue(coordinator)
    now = timezone.now()
    # Two days beyond the 90: the cutoff is a local midnight, and summer time may lie between.
    OutboxMessage.objects.filter(pk=old[0].pk).update(status=Status.SENT, sent_at=now - timedelta(days=92))
    OutboxMessage.objects.filter(pk=recent[0].pk).update(status=Status.SENT, sent_at=now - timedelta(days=80))
    OutboxMessage.objects.filter(pk=failed[0].pk).update(status=Status.FAILED, created_at=now - timedelta(days=200))
    assert cutoff_for(rule.years) == timezone.localdate() - timedelta(days=90)
    assert rule.apply(cutoff_for(rule.years), True) == [f"outbox: 1 messages sent before {cutoff_for(rule.years)}"]
    assert OutboxMessage.objects.count() == 3  # a dry run
    rule.apply(cutoff_for(rule.years), False)
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent[0].pk, failed[0].pk}


def test_healthz_reports_the_oldest_pending_message(client, coordinator):
    assert client.get("/healthz")["X-Outbox-Oldest-Pending-Seconds"] == "0"
    (message,) = queue(coordinator)
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert 600 <= int(response["X-Outbox-Oldest-Pending-Seconds"]) < 660
    assert response.content.decode().startswith("ok\noldest pending message: 6")


ROOT = Path(settings.BASE_DIR)
FAIL_SILENTLY = "fail_" + "silently"  # spelt so, this file does not match itself


def _project_python_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0].startswith(".") or parts[0] in {"node_modules", "staticfiles"} or "migrations" in parts:
            continue
        yield path


def test_nothing_is_mailed_outside_the_delivery_task_and_nothing_fails_silently():
    delivery = ROOT / "integrapsy" / "notifications" / "services.py"
    offenders = []
    for path in _project_python_files():
        text = path.read_text(encoding="utf-8")
        if FAIL_SILENTLY in text:
            offenders.append(f"{path}: {FAIL_SILENTLY}")
        if path == delivery or "tests" in path.relative_to(ROOT).parts:
            continue
        # A call, not the name of a method Django asks to override (PasswordResetForm.send_mail).
        for needle in (
            r"(?<!def )\bsend_mail\(",
            r"\bsend_mass_mail\(",
            r"\bmail_admins\(",
            r"\bmail_managers\(",
            r"\bEmailMessage\(",
            r"\bEmailMultiAlternatives\(",
            r"\bget_connection\(",
        ):
            if re.search(needle, text):
                offenders.append(f"{path}: {needle}")
    assert offenders == []
