from django.urls import get_script_prefix, get_urlconf

from integrapsy import access
from integrapsy.navigation import menu


def navigation(request):
    """The menu entries the user's roles may use, and which one is current."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = request.resolver_match
    return {
        "nav_items": menu(
            access.profile(user).roles, match.view_name if match else "", get_urlconf(), get_script_prefix()
        ),
        "may_use_admin_site": access.may_use_admin_site(user),
    }
