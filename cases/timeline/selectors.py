from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import BigIntegerField, DateTimeField, QuerySet
from django.utils import timezone

from cases.models import Case, TimelineEvent, Visibility
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import User
from integrapsy.dates import date_format
from integrapsy.prepared import Param, PreparedQuery


def visibilities(*, user: User, case: Case) -> list[str]:
    """Clinical events are for the psychologists of the case's team only."""
    if access.may(user, Capability.READ_CLINICAL, case.team_id):
        return [Visibility.TEAM, Visibility.CLINICAL]
    return [Visibility.TEAM]


def case_timeline(*, user: User, case: Case, family: str = "") -> QuerySet[TimelineEvent]:
    """The events of the case this user may see, newest first."""
    return _visible_events(case, visibilities(user=user, case=case), family)


def _visible_events(case, visible: list[str], family: str) -> QuerySet[TimelineEvent]:
    """``case``: a case, or a prepared query's ``Param`` standing for its id."""
    from cases.timeline.kinds import KIND_FAMILIES

    qs = TimelineEvent.objects.filter(case=case, visibility__in=visible).select_related("actor")
    # Only a registered family filters: anything else (a NUL, which PostgreSQL refuses) shows all.
    if family in KIND_FAMILIES:
        qs = qs.filter(kind__startswith=f"{family}.")
    return qs.order_by("-occurred_at", "-id")


def _timeline_page_query(shape) -> QuerySet[TimelineEvent]:
    visible, family, from_cursor, limit = shape
    # Of each event's author, what names them (``str(actor)``) and no more: a user row is some
    # twenty columns, read and made into an instance for each of the page's events.
    events = [f.name for f in TimelineEvent._meta.concrete_fields]
    qs = _visible_events(Param("case_id", BigIntegerField()), list(visible), family).only(
        *events, "actor__first_name", "actor__last_name", "actor__username"
    )
    if from_cursor:
        when, pk = Param("when", DateTimeField()), Param("pk", BigIntegerField())
        qs = qs.filter(occurred_at__lte=when).exclude(occurred_at=when, pk__gte=pk)
    return qs[:limit]


# A page of a case's timeline, built and compiled once per shape (what the reader may see, the
# family, from a cursor or not, the page's size: ``integrapsy.prepared``), then run with the case.
# Planned at each run: a case's events number from a few to thousands (one plan for all read a
# long timeline whole for its first page, 4.2 ms instead of 0.6 at ``--scale 100``).
_TIMELINE_PAGE = PreparedQuery(_timeline_page_query, server=False)


def case_timeline_kinds() -> list[tuple[str, str]]:
    """The families of events (``referral``, ``case``...) the filter offers: every registered one.

    Read from the registry, not from the case: the page costs no query for it, however long the
    timeline.
    """
    from cases.timeline.kinds import EVENT_KINDS, family_label

    families = {kind.split(".")[0] for kind in EVENT_KINDS}
    return sorted(((f, family_label(f)) for f in families), key=lambda item: str(item[1]).casefold())


@dataclass(frozen=True)
class TimelinePage:
    """One page of a timeline, newest first, and the cursor of the next (older) page."""

    events: list
    older: str  # cursor of the next page; "" on the last page
    is_first: bool


def _timeline_cursor(event: TimelineEvent) -> str:
    stamp = event.occurred_at.astimezone(datetime.UTC)
    return f"{stamp.strftime('%Y%m%d%H%M%S%f')}-{event.pk}"


# ASCII digits only: str.isdigit() lets "²" through, which int() refuses.
_CURSOR = re.compile(r"([0-9]{20})-([0-9]{1,18})\Z", re.ASCII)


def _parse_timeline_cursor(cursor: str) -> tuple[datetime.datetime, int] | None:
    """``None`` for anything that is not a cursor this page wrote: the newest page is shown."""
    match = _CURSOR.match(cursor or "")
    if match is None:
        return None
    stamp, pk = match.groups()
    try:
        when = datetime.datetime.strptime(stamp, "%Y%m%d%H%M%S%f").replace(tzinfo=datetime.UTC)
    except ValueError:
        return None
    return when, int(pk)


def case_timeline_page(*, user: User, case: Case, family: str = "", before: str = "", size: int = 30) -> TimelinePage:
    """A page of the case's timeline, read by keyset: events older than the ``before`` cursor.

    One query per page, and the same cost for the first page and the hundredth: the (case,
    -occurred_at) index is read from the cursor on, never counted nor skipped over.
    """
    from cases.timeline.kinds import KIND_FAMILIES

    position = _parse_timeline_cursor(before)
    shape = (
        tuple(visibilities(user=user, case=case)),
        family if family in KIND_FAMILIES else "",
        position is not None,
        size + 1,
    )
    values = {"case_id": case.pk}
    if position is not None:
        values["when"], values["pk"] = position
    rows = _TIMELINE_PAGE.run(shape, **values)
    older = _timeline_cursor(rows[size - 1]) if len(rows) > size else ""
    return TimelinePage(events=rows[:size], older=older, is_first=position is None)


def timeline_rows(events: list[TimelineEvent]) -> list[dict]:
    """Each event with what its line shows, written here once rather than by the template's
    filters: its kind's label and its summary in the reader's language, its time (in the ISO
    form of ``<time datetime>`` and as the locale writes it), its author and whether it is
    clinical. No query (the author is read with the event)."""
    from cases.timeline.kinds import label_of, summary_of

    rows = []
    for e in events:
        local = timezone.localtime(e.occurred_at)
        rows.append(
            {
                "event": e,
                "label": label_of(e.kind),
                "summary": summary_of(e),
                "iso": local.isoformat(),
                "when": date_format(local, "SHORT_DATETIME_FORMAT"),
                "actor": str(e.actor) if e.actor_id else "",
                "clinical": e.visibility == Visibility.CLINICAL,
            }
        )
    return rows
