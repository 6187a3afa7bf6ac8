from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from cases.models import (
    Case,
    TimelineEvent,
)
from cases.timeline.kinds import EVENT_KINDS
from integrapsy import clock
from integrapsy.accounts.models import User


def timeline_record(
    *,
    case: Case,
    kind: str,
    actor: User | None = None,
    summary: str = "",
    visibility: str | None = None,
    occurred_at: datetime | None = None,
    data: dict | None = None,
    source: Model | None = None,
) -> TimelineEvent:
    """Append one event to the case timeline; the only writer of ``TimelineEvent``."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"Unknown timeline kind {kind!r}: register it in cases.timeline.")
    now = clock.now()
    return TimelineEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        summary=summary[:255],
        visibility=visibility or EVENT_KINDS[kind].visibility,
        occurred_at=occurred_at or now,
        recorded_at=now,
        data=data or {},
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=str(source.pk) if source is not None else "",
    )
