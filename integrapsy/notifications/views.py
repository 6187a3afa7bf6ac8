from functools import partial

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from integrapsy import access
from integrapsy.access import Capability
from integrapsy.forms import act
from integrapsy.notifications import selectors, services

MESSAGES_PER_PAGE = 50


@require_GET
def undelivered_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_UNDELIVERED_MESSAGES)
    page = Paginator(selectors.undelivered_messages(user=request.user), MESSAGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [{"message": m, "label": selectors.message_label(m)} for m in page.object_list]
    return render(
        request,
        "notifications/undelivered_list.html",
        {"title": _("Messages not delivered"), "page": page, "rows": rows, "query": ""},
    )


@require_POST
def undelivered_retry(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.VIEW_UNDELIVERED_MESSAGES)
    message = get_object_or_404(selectors.undelivered_messages(user=request.user), code=code)
    return act(
        request,
        partial(services.outbox_retry, message=message, actor=request.user, request=request),
        success=_("The message will be sent again in a moment."),
        then="notifications:undelivered",
    )
