"""The time the services read: now, or a moment in the past while demo history is written.

The demo tells months of history through the services themselves (a referral received in
June, accepted a week later...). ``as_of`` sets that moment for the current context only
(thread- and task-safe, unlike patching ``timezone.now``); everywhere else ``now()`` is
``timezone.now()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_AS_OF: ContextVar[datetime | None] = ContextVar("integrapsy_as_of", default=None)


def now() -> datetime:
    """The current moment (aware), or the one ``as_of`` set."""
    moment = _AS_OF.get()
    return moment if moment is not None else timezone.now()


def localdate() -> date:
    """Today in the project's time zone, at ``now()``."""
    return timezone.localtime(now()).date()


@contextmanager
def as_of(moment: datetime) -> Iterator[None]:
    """Run what follows as if it were ``moment`` (demo history written through the services)."""
    if timezone.is_naive(moment):
        raise ValueError("as_of needs an aware datetime")
    token = _AS_OF.set(moment)
    try:
        yield
    finally:
        _AS_OF.reset(token)
