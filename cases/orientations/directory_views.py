from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.case_file import selectors as case_selectors
from cases.orientations import selectors
from cases.orientations.forms import ResourceFilterForm, ResourceForm
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.directory import services as directory_services
from integrapsy.forms import posted, submit
from integrapsy.params import query_without

RESOURCES_PER_PAGE = 25


@require_http_methods(["GET"])
def resource_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_DIRECTORY)
    form = ResourceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # Reached from a case to orient its person: each resource offers "orient here".
    case = None
    if filters.get("case") and access.can(request.user, Capability.ORIENT):
        try:
            case = case_selectors.case_get(user=request.user, reference=filters["case"])
        except Http404:
            case = None
    may_manage = access.can(request.user, Capability.MANAGE_DIRECTORY)
    page = Paginator(
        selectors.resource_search(user=request.user, filters=filters, include_inactive=may_manage),
        RESOURCES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/resource_list.html",
        {"form": form, "page": page, "query": query_without(request, "page"), "case": case, "may_manage": may_manage},
    )


@require_http_methods(["GET", "POST"])
def resource_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.MANAGE_DIRECTORY)
    return submit(
        request,
        ResourceForm(posted(request)),
        lambda languages, **data: directory_services.resource_create(
            actor=request.user, languages=list(languages), request=request, **data
        ),
        success=_("Resource added to the directory."),
        then="cases:resource_list",
        template="cases/resource_form.html",
        context={"title": _("Add a resource")},
    )


@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.MANAGE_DIRECTORY)
    resource = selectors.resource_get(user=request.user, code=code)
    # On a POST, a copy: the form's validation writes on its instance, the service on the resource.
    instance = type(resource).objects.get(pk=resource.pk) if request.method == "POST" else resource
    return submit(
        request,
        ResourceForm(posted(request), instance=instance),
        lambda languages, **data: directory_services.resource_update(
            resource=resource, actor=request.user, languages=list(languages), request=request, **data
        ),
        success=_("Resource updated."),
        then="cases:resource_list",
        template="cases/resource_form.html",
        context={"title": _("Edit a resource"), "resource": resource},
    )
