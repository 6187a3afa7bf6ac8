"""Blocks that apps add to the case page (bookings, assignments...), registered in ``ready()``.

``cases`` does not import the apps built on it: they hand it a template and a function
``context(user=..., case=..., case_access=...) -> dict`` (return ``{}`` to show nothing).

The case page is split in sections (tabs), each its own address: the timeline, care, planning
and the case file. A panel belongs to one section, or to every section (``EVERY_SECTION``: the
risk banner). Only the panels of the section shown are read, so each tab costs a few queries
whatever the number of apps that add panels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

TIMELINE, CARE, PLANNING, FILE = "timeline", "care", "planning", "file"
EVERY_SECTION = "*"

# Section -> (label, URL name of the tab).
SECTIONS: dict[str, tuple] = {
    TIMELINE: (_("Timeline"), "cases:detail"),
    CARE: (_("Care"), "cases:detail_care"),
    PLANNING: (_("Planning"), "cases:detail_planning"),
    FILE: (_("Referrals and team"), "cases:detail_file"),
}


@dataclass(frozen=True)
class CasePanel:
    template: str
    context: Callable[..., dict]
    order: int = 100
    section: str = CARE


CASE_PANELS: list[CasePanel] = []


def _key(panel: CasePanel) -> str:
    return panel.template or f"{panel.context.__module__}.{panel.context.__qualname__}"


def register_case_panel(*panels: CasePanel) -> None:
    for panel in panels:
        # A panel with no template is a banner only (its context names the banner's template).
        if panel.section != EVERY_SECTION and panel.section not in SECTIONS:
            raise ValueError(f"Unknown case page section {panel.section!r}")
        if all(_key(p) != _key(panel) for p in CASE_PANELS):
            CASE_PANELS.append(panel)
    CASE_PANELS.sort(key=lambda p: p.order)


def render_context(*, user, case, case_access, section: str = CARE) -> list[dict]:
    out = []
    for panel in CASE_PANELS:
        if panel.section not in (section, EVERY_SECTION):
            continue
        ctx = panel.context(user=user, case=case, case_access=case_access)
        if ctx:
            out.append({"template": panel.template, **ctx})
    return out
