"""The main menu and the home-page panels, which the apps fill in from ``AppConfig.ready()``.

The core does not import the apps built on it; they register here what they add.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from integrapsy.access import Capability, roles_hold


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    capability: Capability
    order: int = 100
    # Other views under this entry, so it shows as current there too.
    active_prefix: str = ""


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page for the roles holding ``capability``."""

    template: str
    capability: Capability
    context: Callable[..., dict]  # called with user=...
    order: int = 100


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "home", Capability.VIEW_HOME, order=0),
    NavItem(_("Audit log"), "audit:list", Capability.VIEW_AUDIT, order=90),
]
HOME_PANELS: list[HomePanel] = []


def register_nav(*items: NavItem) -> None:
    for item in items:
        if all(existing.url_name != item.url_name for existing in NAV_ITEMS):
            NAV_ITEMS.append(item)
    NAV_ITEMS.sort(key=lambda i: i.order)
    menu.cache_clear()


@lru_cache(maxsize=1024)
def menu(roles: frozenset[str], current: str, urlconf, prefix: str) -> tuple[dict, ...]:
    """The entries a user with ``roles`` may use, on the view ``current``, for a URLconf and prefix.

    Every page draws the menu: its addresses are reversed once per set of roles, view, URLconf
    and script prefix, not at each request. The labels stay lazy: each request translates them
    into its own language. ``prefix`` is the script prefix the addresses were reversed under.
    """
    return tuple(
        {"label": item.label, "url": reverse(item.url_name, urlconf=urlconf), "active": _active(item, current)}
        for item in NAV_ITEMS
        if roles_hold(roles, item.capability)
    )


def _active(item: NavItem, current: str) -> bool:
    return current == item.url_name or bool(item.active_prefix and current.startswith(item.active_prefix))


def register_home_panel(*panels: HomePanel) -> None:
    for panel in panels:
        if all(existing.template != panel.template for existing in HOME_PANELS):
            HOME_PANELS.append(panel)
    HOME_PANELS.sort(key=lambda p: p.order)
