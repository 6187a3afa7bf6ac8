from functools import partial

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.activities import selectors, services
from cases.activities.forms import ActivityForm, AttendanceForm, EnrolForm, SessionForm
from cases.models import Enrolment
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.forms import act, posted, submit


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
        posted(request),
        teams=teams,
        facilitators=selectors.team_facilitators(teams=teams),
        locations=selectors.activity_locations(user=request.user),
    )
    return submit(
        request,
        form,
        lambda facilitators, languages, **data: services.activity_create(
            actor=request.user, facilitators=list(facilitators), languages=list(languages), request=request, **data
        ),
        success=_("Activity planned."),
        then=_to_activity,
        template="cases/activity_form.html",
        context={"title": _("Plan a group activity")},
    )


def _to_activity(activity) -> str:
    return reverse("cases:activity_detail", args=[activity.code])


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
    return submit(
        request,
        EnrolForm(posted(request), cases=selectors.enrolable_cases(user=request.user, activity=activity)),
        partial(services.enrolment_add, activity=activity, actor=request.user, request=request),
        success=lambda enrolment: (
            Message(messages.INFO, _("The activity is full: the person is on the waiting list."))
            if enrolment.status == Enrolment.Status.WAITING
            else _("Person enrolled.")
        ),
        then=_to_activity(activity),
        template="cases/activity_form.html",
        context={"activity": activity, "title": _("Enrol a person in %(activity)s") % {"activity": activity}},
    )


@require_POST
def enrolment_withdraw(request: HttpRequest, code) -> HttpResponse:
    enrolment = selectors.enrolment_get(user=request.user, code=code)
    return act(
        request,
        partial(services.enrolment_withdraw, enrolment=enrolment, actor=request.user, request=request),
        success=_("The person left the activity."),
        then=reverse("cases:activity_detail", args=[enrolment.activity.code]),
    )


@require_http_methods(["GET", "POST"])
def session_add(request: HttpRequest, code) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, code=code)
    if not access.may(request.user, Capability.MANAGE_ACTIVITIES, activity.team_id):
        raise Http404
    return submit(
        request,
        SessionForm(posted(request)),
        partial(services.session_add, activity=activity, actor=request.user, request=request),
        success=_("Session added."),
        then=_to_activity(activity),
        template="cases/activity_form.html",
        context={"activity": activity, "title": _("Add a session")},
    )


@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, code) -> HttpResponse:
    session = selectors.session_get(user=request.user, code=code)
    enrolments, present = selectors.session_attendance(session=session)
    queryset = session.activity.enrolments.filter(status=Enrolment.Status.ENROLLED).select_related(
        "case", "case__person"
    )
    form = AttendanceForm(
        posted(request),
        enrolments=queryset,
        initial={"present": [e for e in enrolments if e.pk in present]},
    )
    return submit(
        request,
        form,
        lambda present: services.attendance_record(
            session=session, actor=request.user, present=list(present), request=request
        ),
        success=_("Attendance recorded."),
        then=_to_activity(session.activity),
        template="cases/activity_form.html",
        context={"activity": session.activity, "session": session, "title": _("Who came to the session")},
    )
