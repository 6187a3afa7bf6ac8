"""The tasks the schedule starts that belong to no single app."""

import logging

from django.core.management import call_command
from django_tasks import task, task_backends

from integrapsy.gdpr import RETENTION_RULES, cutoff_for

logger = logging.getLogger(__name__)


@task()
def apply_retention() -> int:
    """The daily retention run (as ``manage.py apply_retention``): the number of records handled."""
    total = 0
    for rule in RETENTION_RULES:
        cutoff = cutoff_for(rule.years)
        lines = rule.apply(cutoff, False)
        total += len(lines)
        logger.info("Retention %s before %s: %s item(s)", rule.key, cutoff, len(lines))
        for line in lines:
            logger.info("Retention %s: %s", rule.key, line)
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
