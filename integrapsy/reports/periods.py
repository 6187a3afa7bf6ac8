"""Reporting periods: whole days in the project's time zone, both ends included."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from integrapsy import clock

DEFAULT_DAYS = 90


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @classmethod
    def last_days(cls, days: int = DEFAULT_DAYS, *, today: date | None = None) -> Period:
        today = today or clock.localdate()
        return cls(start=today - timedelta(days=days - 1), end=today)

    @classmethod
    def year_to_date(cls, *, today: date | None = None) -> Period:
        today = today or clock.localdate()
        return cls(start=today.replace(month=1, day=1), end=today)

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends_before(self) -> datetime:
        """The first moment after the period (for ``__lt`` filters on datetimes)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def as_query(self) -> dict[str, str]:
        return {"date_from": self.start.isoformat(), "date_to": self.end.isoformat()}


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (28 February for a 29 February without match)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def weighted_percentile(counts: dict[int, int], fraction: float) -> float | None:
    """The ``fraction`` quantile of values given as {value: how many}, interpolated between ranks.

    Same definition as ``statistics.quantiles(..., method="inclusive")``; the values come
    aggregated from the database, so the memory used does not grow with the rows.
    """
    total = sum(counts.values())
    if not total:
        return None
    rank = fraction * (total - 1)
    lower_rank, upper_rank = math.floor(rank), math.ceil(rank)
    lower = upper = None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if lower is None and seen > lower_rank:
            lower = value
        if seen > upper_rank:
            upper = value
            break
    return lower + (upper - lower) * (rank - lower_rank)
