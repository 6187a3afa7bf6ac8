"""The reminders' task: one pass of the job, enqueued by the schedule every few minutes."""

from django_tasks import task


@task()
def run_reminders() -> dict:
    from cases.reminders.services import reminders_run

    return reminders_run()
