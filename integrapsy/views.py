from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import Role
from integrapsy.accounts.selectors import staff_category_rows, user_home_context
from integrapsy.gdpr import selectors as gdpr_selectors
from integrapsy.navigation import HOME_PANELS
from integrapsy.notifications.selectors import oldest_pending_age_seconds


@require_GET
@never_cache
@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not.

    The age in seconds of the oldest message waiting to be sent is in the header
    ``X-Outbox-Oldest-Pending-Seconds`` (0 when none waits), and on a second line when one does:
    a growing age means no task worker is running, or the mail server refuses.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        oldest = oldest_pending_age_seconds()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    body = "ok" if oldest is None else f"ok\noldest pending message: {oldest} s"
    response = HttpResponse(body, content_type="text/plain")
    response["X-Outbox-Oldest-Pending-Seconds"] = str(oldest or 0)
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """One home page; each role the user holds adds its own section."""
    roles = access.profile(request.user).roles
    ctx = user_home_context(user=request.user)
    ctx["panels"] = [
        {"template": panel.template, **panel.context(user=request.user)}
        for panel in HOME_PANELS
        if access.can(request.user, panel.capability)
    ]
    ctx["role_sections"] = [
        {"role": role, "label": role.label, "template": f"home/_{role.value}.html"} for role in Role if role in roles
    ]
    return render(request, "home/index.html", ctx)


@require_GET
def staff_categories(request: HttpRequest) -> HttpResponse:
    """Staff categories with access to health data, generated from the roles and the access policy."""
    access.require(request.user, Capability.MANAGE_DATA_RIGHTS)
    return render(
        request,
        "home/staff_categories.html",
        {"rows": staff_category_rows(), "title": _("Staff categories with access to health data")},
    )


@require_GET
def retention_schedule(request: HttpRequest) -> HttpResponse:
    """The retention rules, their periods, the next daily run and what the last one did."""
    access.require(request.user, Capability.MANAGE_DATA_RIGHTS)
    return render(request, "home/retention_schedule.html", gdpr_selectors.retention_schedule())
