"""Faults: the mail server down, a worker killed while sending, two workers on the same outbox.

A real SMTP server (aiosmtpd) listens on a free loopback port and counts what it receives;
workers are real ``manage.py db_worker`` processes on the test database.
"""

import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone

from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.notifications.models import OutboxMessage
from integrapsy.notifications.services import outbox_queue
from integrapsy.notifications.testing import deliver_pending

Status = OutboxMessage.Status
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """The SMTP server's handler: every message received, as bytes."""

    def __init__(self):
        self.received: list[bytes] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        with self.lock:
            self.received.append(envelope.content)
        return "250 OK"

    def bodies(self) -> list[str]:
        with self.lock:
            messages = [email.message_from_bytes(raw) for raw in self.received]
        return [(m.get_payload(decode=True) or b"").decode().strip() for m in messages]


@pytest.fixture
def smtp_sink():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()


class HangingServer:
    """Accepts connections and never answers: a mail server stuck mid-conversation."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)

    def close(self):
        for conn in self.conns:
            conn.close()
        self.sock.close()


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(smtp_port: int, **env) -> subprocess.Popen:
    """A real task worker on the test database, mailing to ``smtp_port``, that exits when idle."""
    environ = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DJANGO_DEBUG": "0",
        **{k: str(v) for k, v in env.items()},
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval=0.1"],
        cwd=django_settings.BASE_DIR,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(predicate, timeout: float = 90, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def finish(worker: subprocess.Popen, timeout: float = 120) -> None:
    try:
        _out, err = worker.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        raise
    assert worker.returncode == 0, err.decode()[-2000:]


def test_mail_server_down_the_action_succeeds_the_message_waits_then_goes_once(
    db, settings, smtp_sink, django_capture_on_commit_callbacks
):
    from cases.risk.services import risk_flag_raise
    from cases.tests.factories import CaseFactory

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5  # nobody there
    team = TeamFactory(name="Équipe panne")
    psychologist = make_user_with_role(Role.PSYCHOLOGIST, team=team, email="psy@example.org")
    case = CaseFactory(team=team)
    with django_capture_on_commit_callbacks(execute=True):
        flag = risk_flag_raise(case=case, source="other", reason="CLINICAL-DETAIL-XYZ", actor=psychologist)
    assert flag.is_open  # the action went through
    message = OutboxMessage.objects.get()
    assert message.status == Status.PENDING and message.attempts == 1
    assert message.context == {"ref": case.reference}  # never the clinical reason
    assert "refused" in message.last_error.lower() or "errno" in message.last_error.lower()
    assert message.next_attempt_at > timezone.now()

    settings.EMAIL_PORT = smtp_sink.port  # the mail server is back
    assert deliver_pending()[Status.SENT] == 0  # not before the retry is due
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert deliver_pending()[Status.SENT] == 1
    assert deliver_pending()[Status.SENT] == 0
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2 and message.last_error == ""
    assert len(smtp_sink.received) == 1
    assert case.reference in smtp_sink.bodies()[0] and "CLINICAL-DETAIL" not in smtp_sink.received[0].decode()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_the_message_is_taken_again_and_sent_once(settings, smtp_sink):
    from integrapsy.notifications.tasks import deliver_due

    settings.TASKS = DB_TASKS
    user = make_user_with_role(Role.COORDINATOR, team=TeamFactory(name="Équipe kill"), email="coord@example.org")
    with transaction.atomic():
        (message,) = outbox_queue(to=user, template="referral.info_given", context={"ref": "OR-KILL-1"})
    stuck = HangingServer()
    try:
        worker = start_worker(stuck.port, DJANGO_EMAIL_TIMEOUT=120)
        wait_for(
            lambda: OutboxMessage.objects.filter(pk=message.pk, status=Status.SENDING).exists(),
            what="the worker to take the message",
        )
        time.sleep(0.5)  # it is talking to the stuck mail server now
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        stuck.close()
    message.refresh_from_db()
    assert message.status == Status.SENDING and not smtp_sink.received

    # Another worker, within the claim timeout, leaves it alone...
    deliver_due.enqueue()
    finish(start_worker(smtp_sink.port, OUTBOX_CLAIM_TIMEOUT_SECONDS=600))
    message.refresh_from_db()
    assert message.status == Status.SENDING and not smtp_sink.received
    # ...and after it, takes it again and sends it once.
    time.sleep(1.1)
    deliver_due.enqueue()
    finish(start_worker(smtp_sink.port, OUTBOX_CLAIM_TIMEOUT_SECONDS=1))
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 2
    deliver_due.enqueue()
    finish(start_worker(smtp_sink.port, OUTBOX_CLAIM_TIMEOUT_SECONDS=1))
    assert smtp_sink.bodies() == ["OR-KILL-1"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_send_200_messages_each_exactly_once(settings, smtp_sink):
    from integrapsy.notifications.tasks import deliver_due

    settings.TASKS = DB_TASKS
    user = make_user_with_role(Role.COORDINATOR, team=TeamFactory(name="Équipe charge"), email="coord@example.org")
    with transaction.atomic():
        for i in range(200):
            outbox_queue(to=user, template="referral.info_given", context={"ref": f"OR-{i:04d}"})
    # Beside one task per message, sweeps that take whatever is due: the workers compete for rows.
    for _ in range(4):
        deliver_due.enqueue()
    workers = [start_worker(smtp_sink.port), start_worker(smtp_sink.port)]
    for worker in workers:
        finish(worker, timeout=300)
    bodies = smtp_sink.bodies()
    assert len(bodies) == 200 and sorted(bodies) == [f"OR-{i:04d}" for i in range(200)]
    assert OutboxMessage.objects.filter(status=Status.SENT, attempts=1).count() == 200
