"""The retention run: one pass of every rule, recorded in the audit log for the administrator's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from integrapsy.gdpr import RETENTION_RULES, RetentionRule, cutoff_for

RETENTION_ACTION = "retention.applied"


@dataclass(frozen=True)
class RetentionOutcome:
    rule: RetentionRule
    cutoff: date
    lines: list[str]

    @property
    def handled(self) -> int:
        return self.rule.handled(self.lines)


def encode_outcomes(outcomes: list[RetentionOutcome]) -> str:
    return " ".join(f"{o.rule.key}={o.handled}" for o in outcomes)


def decode_outcomes(detail: str) -> dict[str, int]:
    """The counts per rule key that ``encode_outcomes`` wrote (what is not understood is left out)."""
    counts = {}
    for part in detail.split():
        key, _sep, value = part.partition("=")
        if value.isdigit():
            counts[key] = int(value)
    return counts


def retention_apply(*, dry_run: bool = False) -> list[RetentionOutcome]:
    """Apply every retention rule (or list what it would do); a real run is written to the audit log."""
    from integrapsy.audit.services import audit_record

    outcomes = []
    for rule in RETENTION_RULES:
        cutoff = cutoff_for(rule.years)
        outcomes.append(RetentionOutcome(rule, cutoff, rule.apply(cutoff, dry_run)))
    if not dry_run:
        with transaction.atomic():
            audit_record(action=RETENTION_ACTION, object_type="retention", detail=encode_outcomes(outcomes))
    return outcomes
