from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.case_file import selectors as case_selectors
from cases.orientations import selectors, services
from cases.orientations.forms import OrientationForm, OutcomeForm
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.audit.services import audit_record
from integrapsy.forms import posted, submit


@require_http_methods(["GET", "POST"])
def orientation_new(request: HttpRequest, reference: str) -> HttpResponse:
    access.require(request.user, Capability.ORIENT)
    case = case_selectors.case_get(user=request.user, reference=reference)
    resources = selectors.active_resources()
    initial = {}
    if request.GET.get("resource"):
        initial["resource"] = resources.filter(code=selectors.uuid_or_none(request.GET["resource"])).first()
    return submit(
        request,
        OrientationForm(posted(request), resources=resources, initial=initial),
        partial(services.orientation_create, case=case, actor=request.user, request=request),
        success=_("Orientation recorded."),
        then=_to_orientation,
        template="cases/orientation_form.html",
        context={"case": case, "title": _("Orient to a specialised resource")},
    )


def _to_orientation(orientation) -> str:
    return reverse("cases:orientation_detail", args=[orientation.code])


@require_http_methods(["GET"])
def orientation_detail(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.ORIENT)
    orientation = selectors.orientation_get(user=request.user, code=code)
    audit_record(action="orientation.viewed", request=request, obj=orientation, case_ref=orientation.case.reference)
    return render(
        request,
        "cases/orientation_detail.html",
        {
            "orientation": orientation,
            "case": orientation.case,
            "history": selectors.orientation_history(orientation=orientation),
            "outcome_form": OutcomeForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def orientation_outcome(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.ORIENT)
    orientation = selectors.orientation_get(user=request.user, code=code)
    return submit(
        request,
        OutcomeForm(posted(request)),
        partial(services.orientation_record_outcome, orientation=orientation, actor=request.user, request=request),
        success=_("Outcome recorded."),
        then=_to_orientation(orientation),
        template="cases/orientation_outcome.html",
        context={"orientation": orientation, "case": orientation.case},
    )


@require_http_methods(["GET"])
def orientation_todo(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.FOLLOW_UP_ORIENTATIONS)
    rows = list(selectors.overdue_orientations(user=request.user)[:300])
    return render(request, "cases/orientation_todo.html", {"orientations": rows})
