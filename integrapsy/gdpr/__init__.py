"""GDPR rights across the apps: what each app holds about a person, and how long it keeps it.

The core does not import the apps built on it. Each app registers, in ``AppConfig.ready()``:
- a *subject data provider*: ``provider(person) -> list[Section]`` for the subject-access export;
- *retention rules*: what becomes of its records after how long (``RetentionRule``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.utils.functional import Promise

from integrapsy import clock

_BULK_COUNT = re.compile(r": (\d+) ")


@dataclass
class Section:
    """One part of a subject-access export: a title and rows of (label, value) pairs."""

    key: str
    title: Promise | str
    rows: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class RetentionRule:
    """After ``years`` (from ``settings.RETENTION_YEARS[key]`` when set), ``apply`` handles what is due.

    ``apply(cutoff: date, dry_run: bool) -> list[str]`` returns one line per record handled
    (or that would be, in a dry run); a ``bulk`` rule returns one line per kind of record,
    "<what>: <count> ...", since it deletes many rows at once. It never touches an open case.
    """

    key: str
    description: Promise | str
    default_years: float
    apply: Callable[[date, bool], list[str]]
    minimum_years: float = 0
    bulk: bool = False

    @property
    def years(self) -> float:
        configured = float(getattr(settings, "RETENTION_YEARS", {}).get(self.key, self.default_years))
        return max(configured, self.minimum_years)

    def handled(self, lines: list[str]) -> int:
        """How many records the lines ``apply`` returned stand for."""
        if not self.bulk:
            return len(lines)
        return sum(int(found.group(1)) for line in lines if (found := _BULK_COUNT.search(line)))


SUBJECT_PROVIDERS: list[tuple[str, Callable]] = []
RETENTION_RULES: list[RetentionRule] = []
# ``eraser(person) -> int``: blank what the app holds that identifies the person (rows kept for counts).
ERASERS: list[tuple[str, Callable]] = []


def register_eraser(name: str, eraser: Callable) -> None:
    if all(n != name for n, _e in ERASERS):
        ERASERS.append((name, eraser))


def register_subject_provider(name: str, provider: Callable) -> None:
    if all(n != name for n, _p in SUBJECT_PROVIDERS):
        SUBJECT_PROVIDERS.append((name, provider))


def register_retention_rule(rule: RetentionRule) -> None:
    if all(r.key != rule.key for r in RETENTION_RULES):
        RETENTION_RULES.append(rule)


def subject_sections(person) -> list[Section]:
    sections: list[Section] = []
    for _name, provider in SUBJECT_PROVIDERS:
        sections.extend(provider(person))
    return sections


def cutoff_for(years: float, today: date | None = None) -> date:
    """The date before which records kept ``years`` are due."""
    return (today or clock.localdate()) - timedelta(days=round(365.25 * years))
