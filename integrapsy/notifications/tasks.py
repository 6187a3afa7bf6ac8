"""The outbox's tasks: one delivery, and the sweep that delivers whatever is due."""

from django_tasks import task

from integrapsy.notifications import services


@task()
def deliver_message(message_id: int) -> str:
    return services.outbox_deliver(message_id)


@task()
def deliver_due() -> dict:
    """Messages whose task was lost, whose retry is due, or whose worker died while sending."""
    return services.outbox_deliver_due()
