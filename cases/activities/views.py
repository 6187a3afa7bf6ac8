from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.activities import selectors, services
from cases.activities.forms import ActivityForm, AttendanceForm, EnrolForm, SessionForm
from cases.models import Enrolment
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.forms import add_service_errors


@require_http_methods(["GET"])
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = list(selectors.activity_list(user=request.user)[:200])
    return render(
        request,
        "cases/activity_list.html",
        {"activities": activities, "may_create": access.can(request.user, Capability.MANAGE_ACTIVITIES)},
    )


@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.MANAGE_ACTIVITIES)
    teams = selectors.activity_teams(user=request.user)
    form = ActivityForm(
        request.POST or None,
        teams=teams,
        facilitators=selectors.team_facilitators(teams=teams),
        locations=selectors.activity_locations(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["facilitators"] = list(data["facilitators"])
        data["languages"] = list(data["languages"])
        try:
            activity = services.activity_create(actor=request.user, request=request, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Activity planned."))
            return redirect("cases:activity_detail", code=activity.code)
    return render(request, "cases/activity_form.html", {"form": form, "title": _("Plan a group activity")})


@require_http_methods(["GET"])
def activity_detail(request: HttpRequest, code) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, code=code)
    return render(
        request,
        "cases/activity_detail.html",
        selectors.activity_page(user=request.user, activity=activity),
    )


@require_http_methods(["GET", "POST"])
def activity_enrol(request: HttpRequest, code) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, code=code)
    form = EnrolForm(request.POST or None, cases=selectors.enrolable_cases(user=request.user, activity=activity))
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_add(
                activity=activity, actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if enrolment.status == Enrolment.Status.WAITING:
                messages.info(request, _("The activity is full: the person is on the waiting list."))
            else:
                messages.success(request, _("Person enrolled."))
            return redirect("cases:activity_detail", code=activity.code)
    return render(
        request,
        "cases/activity_form.html",
        {
            "form": form,
            "activity": activity,
            "title": _("Enrol a person in %(activity)s") % {"activity": activity},
        },
    )


@require_POST
def enrolment_withdraw(request: HttpRequest, code) -> HttpResponse:
    enrolment = selectors.enrolment_get(user=request.user, code=code)
    try:
        services.enrolment_withdraw(enrolment=enrolment, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The person left the activity."))
    return redirect("cases:activity_detail", code=enrolment.activity.code)


@require_http_methods(["GET", "POST"])
def session_add(request: HttpRequest, code) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, code=code)
    if not access.may(request.user, Capability.MANAGE_ACTIVITIES, activity.team_id):
        raise Http404
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_add(activity=activity, actor=request.user, request=request, **form.cleaned_data)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Session added."))
            return redirect("cases:activity_detail", code=activity.code)
    return render(
        request, "cases/activity_form.html", {"form": form, "activity": activity, "title": _("Add a session")}
    )


@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, code) -> HttpResponse:
    session = selectors.session_get(user=request.user, code=code)
    enrolments, present = selectors.session_attendance(session=session)
    queryset = session.activity.enrolments.filter(status=Enrolment.Status.ENROLLED).select_related(
        "case", "case__person"
    )
    form = AttendanceForm(
        request.POST or None,
        enrolments=queryset,
        initial={"present": [e for e in enrolments if e.pk in present]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                session=session,
                actor=request.user,
                present=list(form.cleaned_data["present"]),
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Attendance recorded."))
            return redirect("cases:activity_detail", code=session.activity.code)
    return render(
        request,
        "cases/activity_form.html",
        {
            "form": form,
            "activity": session.activity,
            "session": session,
            "title": _("Who came to the session"),
        },
    )
