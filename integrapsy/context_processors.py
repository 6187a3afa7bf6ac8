from django.urls import reverse

from integrapsy import access
from integrapsy.navigation import NAV_ITEMS


def navigation(request):
    """The menu entries the user's roles may use, and which one is current."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = request.resolver_match
    current = match.view_name if match else ""
    items = []
    for item in NAV_ITEMS:
        if not access.can(user, item.capability):
            continue
        active = current == item.url_name or bool(item.active_prefix and current.startswith(item.active_prefix))
        items.append({"label": item.label, "url": reverse(item.url_name), "active": active})
    return {"nav_items": items, "may_use_admin_site": access.may_use_admin_site(user)}
