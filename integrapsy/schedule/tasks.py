"""The tasks the schedule starts that belong to no single app."""

import logging

from django.core.management import call_command
from django_tasks import task, task_backends

logger = logging.getLogger(__name__)


@task()
def apply_retention() -> int:
    """The daily retention run (as ``manage.py apply_retention``): the number of records handled."""
    from integrapsy.gdpr.services import retention_apply

    total = 0
    for outcome in retention_apply():
        total += len(outcome.lines)
        logger.info("Retention %s before %s: %s item(s)", outcome.rule.key, outcome.cutoff, len(outcome.lines))
        for line in outcome.lines:
            logger.info("Retention %s: %s", outcome.rule.key, line)
    return total


@task()
def prune_task_results() -> bool:
    """Delete the rows of tasks finished more than 14 days ago (the outbox keeps what matters)."""
    from django_tasks_db import DatabaseBackend

    if not isinstance(task_backends["default"], DatabaseBackend):
        return False
    call_command("prune_db_task_results", "--min-age-days=14", verbosity=0)
    logger.info("Finished task rows older than 14 days pruned")
    return True
