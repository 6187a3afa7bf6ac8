"""Blocks that apps add to the case page (bookings, assignments...), registered in ``ready()``.

``cases`` does not import the apps built on it: they hand it a template and a function
``context(user=..., case=..., case_access=...) -> dict`` (return ``{}`` to show nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CasePanel:
    template: str
    context: Callable[..., dict]
    order: int = 100


CASE_PANELS: list[CasePanel] = []


def register_case_panel(*panels: CasePanel) -> None:
    for panel in panels:
        if all(p.template != panel.template for p in CASE_PANELS):
            CASE_PANELS.append(panel)
    CASE_PANELS.sort(key=lambda p: p.order)


def render_context(*, user, case, case_access) -> list[dict]:
    out = []
    for panel in CASE_PANELS:
        ctx = panel.context(user=user, case=case, case_access=case_access)
        if ctx:
            out.append({"template": panel.template, **ctx})
    return out
