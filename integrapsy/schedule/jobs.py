"""The registry of scheduled jobs and one pass of the schedule."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduledJob:
    """``enqueue()`` starts the job (a task's enqueue); ``period(now)`` names the run ``now``
    belongs to, or None when the job is not due yet."""

    key: str
    enqueue: Callable[[], object]
    period: Callable[[datetime], str | None]


def daily(at: time) -> Callable[[datetime], str | None]:
    """Once a day, from ``at`` local time on."""

    def period(now: datetime) -> str | None:
        local = timezone.localtime(now)
        return local.date().isoformat() if local.time() >= at else None

    period.at = at  # for the pages that say when the job runs next
    return period


def every(minutes: int) -> Callable[[datetime], str | None]:
    def period(now: datetime) -> str | None:
        slot = int(now.timestamp() // (minutes * 60))
        return f"{minutes}m-{slot}"

    return period


JOBS: list[ScheduledJob] = []


def register_job(job: ScheduledJob) -> None:
    if all(existing.key != job.key for existing in JOBS):
        JOBS.append(job)


def run_schedule_once(now: datetime | None = None) -> list[str]:
    """Enqueue each job due and not yet run in its period; the ``job period`` pairs enqueued."""
    from integrapsy.schedule.models import ScheduledRun

    now = now or timezone.now()
    started = []
    for job in JOBS:
        period = job.period(now)
        if period is None:
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.key, period=period, enqueued_at=now)
                transaction.on_commit(job.enqueue)
        except IntegrityError:
            continue  # this period's run is already enqueued
        logger.info("Scheduled job %s enqueued for %s", job.key, period)
        started.append(f"{job.key} {period}")
    ScheduledRun.objects.filter(enqueued_at__lt=now - timedelta(days=7)).delete()
    return started
