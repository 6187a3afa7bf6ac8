from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from integrapsy import access
from integrapsy.access import Capability


@dataclass(frozen=True)
class NavItem:
    label: Promise
    url_name: str
    capability: Capability


# The main navigation, in order. Each item is shown only to roles holding its capability.
NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "home", Capability.VIEW_HOME),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        {"label": item.label, "url": reverse(item.url_name), "active": item.url_name == current}
        for item in NAV_ITEMS
        if access.can(user, item.capability)
    ]
    return {"nav_items": items, "may_use_admin_site": access.may_use_admin_site(user)}
