from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    """One run of a scheduled job for one period: written before the job is enqueued, once."""

    job = models.CharField(max_length=80)
    period = models.CharField(max_length=40)
    enqueued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="scheduled_run_once")]
        ordering = ["-enqueued_at"]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"
