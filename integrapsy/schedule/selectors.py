"""Reads of the schedule: when a job ran last and when it runs next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from integrapsy import clock
from integrapsy.schedule.jobs import JOBS
from integrapsy.schedule.models import ScheduledRun


@dataclass(frozen=True)
class JobTimes:
    last_enqueued_at: datetime | None
    next_run_at: datetime | None
    # Past today's time and not started yet: it starts at the schedule's next pass (if run_schedule runs).
    due: bool


def job_times(*, key: str) -> JobTimes:
    """When a daily job was last started (runs are kept 7 days) and when it starts next."""
    now = clock.now()
    last = ScheduledRun.objects.filter(job=key).order_by("-enqueued_at").values_list("enqueued_at", flat=True).first()
    job = next((j for j in JOBS if j.key == key), None)
    at = getattr(job.period, "at", None) if job else None
    if at is None:
        return JobTimes(last, None, False)
    local = timezone.localtime(now)
    today_at = timezone.make_aware(datetime.combine(local.date(), at))
    if local.time() < at:
        return JobTimes(last, today_at, False)
    if not ScheduledRun.objects.filter(job=key, period=job.period(now)).exists():
        return JobTimes(last, today_at, True)
    return JobTimes(last, timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), at)), False)
