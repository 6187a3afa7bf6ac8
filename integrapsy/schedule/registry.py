"""The jobs of the core: the daily retention run and the outbox sweep.

Later jobs (reminders, report summaries) register the same way from their app's ``ready()``.
"""

from datetime import time

from integrapsy.schedule.jobs import ScheduledJob, daily, every, register_job


def _retention():
    from integrapsy.schedule.tasks import apply_retention

    return apply_retention.enqueue()


def _prune_task_results():
    from integrapsy.schedule.tasks import prune_task_results

    return prune_task_results.enqueue()


def _outbox_sweep():
    from integrapsy.notifications.tasks import deliver_due

    return deliver_due.enqueue()


register_job(ScheduledJob("retention", _retention, daily(time(2, 0))))
register_job(ScheduledJob("prune_task_results", _prune_task_results, daily(time(2, 30))))
register_job(ScheduledJob("outbox_sweep", _outbox_sweep, every(minutes=1)))
