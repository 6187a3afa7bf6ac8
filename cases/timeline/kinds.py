"""The kinds of timeline events and how each is named on the case page.

Apps register their own kinds in ``AppConfig.ready()``; the page renders an event as its
kind's label plus the event's short, non-clinical summary.
"""

from dataclasses import dataclass

from django.utils.functional import Promise

from cases.models import Visibility


@dataclass(frozen=True)
class EventKind:
    label: Promise
    # The visibility an event of this kind gets unless its writer says otherwise.
    visibility: str = Visibility.TEAM


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
