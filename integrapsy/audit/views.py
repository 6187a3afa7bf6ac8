from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from integrapsy import access
from integrapsy.access import Capability
from integrapsy.audit.forms import AuditSearchForm
from integrapsy.audit.selectors import audit_search
from integrapsy.params import query_without

EVENTS_PER_PAGE = 50


@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_AUDIT)
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_search(user=request.user, **filters)
    page = Paginator(events.select_related(None), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "audit/audit_list.html", {"form": form, "page": page, "query": query_without(request, "page")}
    )
