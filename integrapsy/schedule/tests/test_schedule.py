from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role
from integrapsy.notifications.models import OutboxMessage
from integrapsy.notifications.services import outbox_queue
from integrapsy.schedule.jobs import JOBS, ScheduledJob, register_job, run_schedule_once
from integrapsy.schedule.models import ScheduledRun


def at(hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(2026, 12, 1, hour, minute))


def test_each_job_runs_once_per_period(db, django_capture_on_commit_callbacks):
    def core(lines):  # the jobs other apps register are checked in their own tests
        core_jobs = {"outbox_sweep", "prune_task_results", "retention", "reminders", "offline_keys_prune"}
        return [line for line in lines if line.split()[0] in core_jobs]

    with django_capture_on_commit_callbacks(execute=True):
        assert core(run_schedule_once(at(1))) == [  # retention: 02:00
            f"outbox_sweep 1m-{int(at(1).timestamp() // 60)}",
            f"reminders 5m-{int(at(1).timestamp() // 300)}",
        ]
        first = core(run_schedule_once(at(3)))
        again = run_schedule_once(at(3))
        later_that_day = core(run_schedule_once(at(23)))
    assert sorted(line.split()[0] for line in first) == [
        "offline_keys_prune",
        "outbox_sweep",
        "prune_task_results",
        "reminders",
        "retention",
    ]
    assert again == []  # nothing more in the same minute and day
    assert sorted(line.split()[0] for line in later_that_day) == ["outbox_sweep", "reminders"]
    assert ScheduledRun.objects.filter(job="retention").count() == 1


def test_the_retention_run_deletes_sent_messages_once(db, django_capture_on_commit_callbacks):
    user = make_user_with_role(Role.COORDINATOR)
    (old,) = outbox_queue(to=user, template="risk.raised", context={"ref": "IP-1"})
    OutboxMessage.objects.filter(pk=old.pk).update(status="sent", sent_at=timezone.now() - timedelta(days=120))
    from integrapsy.schedule.tasks import apply_retention

    assert apply_retention.call() >= 1
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    assert apply_retention.call() == 0  # running it again does nothing more


def test_a_later_job_registers_the_same_way(db, django_capture_on_commit_callbacks):
    runs = []
    job = ScheduledJob("tests.reminders", lambda: runs.append(1), lambda now: now.date().isoformat())
    register_job(job)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_schedule_once(at(9))
            run_schedule_once(at(10))
        assert runs == [1]
    finally:
        JOBS.remove(job)


def test_the_command_makes_one_pass(db):
    out = StringIO()
    call_command("run_schedule", "--once", stdout=out)
    assert "enqueued outbox_sweep" in out.getvalue()
    out = StringIO()
    call_command("run_schedule", "--once", stdout=out)
    assert "retention" not in out.getvalue()  # once a day at most


@pytest.mark.django_db(transaction=True)
def test_finished_task_rows_are_pruned_on_the_database_backend(settings):
    from django_tasks_db.models import DBTaskResult

    from integrapsy.schedule.tasks import prune_task_results

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    result = prune_task_results.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=20)
    )
    assert prune_task_results.call() is True
    assert not DBTaskResult.objects.filter(pk=result.id).exists()
