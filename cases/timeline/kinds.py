"""The kinds of timeline events and how each is named on the case page.

Apps register their own kinds in ``AppConfig.ready()``; the page renders an event as its
kind's label plus the event's short, non-clinical summary. A kind that knows how writes the
summary when the event is shown, from the event's ``data``, in the reader's language and date
format (``summary_of``); the text stored with the event is kept for events recorded before
their data held what the summary needs.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from cases.models import Visibility


@dataclass(frozen=True)
class EventKind:
    label: Promise
    # The visibility an event of this kind gets unless its writer says otherwise.
    visibility: str = Visibility.TEAM
    # The summary written from the event's data in the active language; it raises KeyError
    # (or ValueError) when the data lacks a piece, and the stored summary is shown instead.
    summary: Callable[[dict], str] | None = None


EVENT_KINDS: dict[str, EventKind] = {}


# The first part of a kind ("referral" in "referral.accepted"), as the timeline filter names it.
KIND_FAMILIES: dict[str, Promise] = {}


def register(kinds: dict[str, EventKind]) -> None:
    for name, kind in kinds.items():
        if name in EVENT_KINDS and EVENT_KINDS[name] != kind:
            raise ValueError(f"Timeline kind {name!r} registered twice.")
        EVENT_KINDS[name] = kind


def register_families(families: dict[str, Promise]) -> None:
    KIND_FAMILIES.update(families)


def family_label(family: str):
    return KIND_FAMILIES.get(family, family)


def label_of(kind: str):
    entry = EVENT_KINDS.get(kind)
    return entry.label if entry else kind


def summary_of(event) -> str:
    """The event's summary in the active language: written from its data when its kind knows how."""
    entry = EVENT_KINDS.get(event.kind)
    if entry is None or entry.summary is None or not isinstance(event.data, dict):
        return event.summary
    try:
        return str(entry.summary(event.data))
    except (KeyError, ValueError, TypeError, AttributeError, IndexError):
        # An event recorded before its data held every piece: the text stored with it.
        return event.summary
