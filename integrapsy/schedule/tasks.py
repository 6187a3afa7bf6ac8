"""The tasks the schedule starts that belong to no single app."""

import logging

from django_tasks import task

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
