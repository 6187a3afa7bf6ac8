from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ambassadors import planner as planner_rules_module
from ambassadors import selectors, services
from ambassadors.forms import (
    AmbassadorForm,
    AmbassadorNewForm,
    AssignmentEndForm,
    AssignmentForm,
    AttendanceForm,
    ContactForm,
    DeclineForm,
    ModuleCompletionForm,
    PlannerForm,
    SupportRuleForm,
    TrainingSessionForm,
)
from ambassadors.models import Ambassador, Assignment, SupportActivity, TrainingModule
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.audit.services import audit_record
from integrapsy.forms import act, add_service_errors, posted, submit
from integrapsy.pagination import asks_for_everyone, everyone_query, shortlist

# --- Profiles ---------------------------------------------------------------------------


@require_http_methods(["GET"])
def ambassador_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_AMBASSADORS)
    return render(
        request,
        "ambassadors/ambassador_list.html",
        {
            "ambassadors": selectors.ambassador_list(user=request.user),
            "may_manage": access.can(request.user, Capability.MANAGE_AMBASSADORS),
        },
    )


def _locations(user):
    return selectors.coordinator_locations(user=user)


@require_http_methods(["GET", "POST"])
def ambassador_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.MANAGE_AMBASSADORS)
    form = AmbassadorNewForm(
        posted(request),
        users=selectors.users_without_profile(user=request.user),
        teams=selectors.coordinator_teams(user=request.user),
        locations=_locations(request.user),
    )
    return submit(
        request,
        form,
        lambda user, team, territories, **_data: services.ambassador_create(
            actor=request.user,
            user=user,
            team=team,
            languages=form.languages(),
            territories=list(territories),
            request=request,
            **form.profile_fields(),
        ),
        success=_("Ambassador profile created."),
        then=_to_ambassador,
        template="ambassadors/form_page.html",
        context={"title": _("New ambassador profile")},
    )


def _to_ambassador(ambassador) -> str:
    return reverse("ambassadors:ambassador_detail", args=[ambassador.code])


def _ambassador(request: HttpRequest, code):
    """The ambassador profile if the user sees it (404 otherwise)."""
    access.require(request.user, Capability.VIEW_AMBASSADORS)
    return selectors.ambassador_get(user=request.user, code=code)


@require_http_methods(["GET"])
def ambassador_detail(request: HttpRequest, code) -> HttpResponse:
    ambassador = _ambassador(request, code)
    return render(
        request,
        "ambassadors/ambassador_detail.html",
        {
            "ambassador": ambassador,
            "assignments": selectors.ambassador_assignments(user=request.user, ambassador=ambassador),
            "progress": selectors.training_progress(ambassadors=Ambassador.objects.filter(pk=ambassador.pk))[0],
            "may_manage": access.may(request.user, Capability.MANAGE_AMBASSADORS, ambassador.team_id),
        },
    )


@require_http_methods(["GET", "POST"])
def ambassador_edit(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.MANAGE_AMBASSADORS)
    ambassador = selectors.ambassador_get_to_manage(user=request.user, code=code)
    form = AmbassadorForm(
        posted(request), initial=AmbassadorForm.initial_for(ambassador), locations=_locations(request.user)
    )
    return submit(
        request,
        form,
        lambda territories, **_data: services.ambassador_update(
            ambassador=ambassador,
            actor=request.user,
            languages=form.languages(),
            territories=list(territories),
            request=request,
            **form.profile_fields(),
        ),
        success=_("Ambassador profile updated."),
        then=_to_ambassador(ambassador),
        template="ambassadors/form_page.html",
        context={"title": _("Edit the profile of %(name)s") % {"name": ambassador.name}},
    )


# --- Assignments (coordinators) ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def case_assign(request: HttpRequest, reference: str) -> HttpResponse:
    """Suggestions for the case, ranked with their reasons, and the form to assign one."""
    access.require(request.user, Capability.MANAGE_AMBASSADORS)
    case = selectors.case_to_manage(user=request.user, reference=reference)
    candidates = selectors.ambassador_list(user=request.user).filter(team=case.team)
    initial = {"role": request.GET.get("role") or Assignment.Role.PEER_SUPPORT}
    if request.GET.get("ambassador"):
        initial["ambassador"] = request.GET["ambassador"]
    gender = request.GET.get("gender", "")
    return submit(
        request,
        AssignmentForm(posted(request), ambassadors=candidates, initial=initial),
        partial(services.assignment_propose, case=case, actor=request.user, request=request),
        success=_("Assignment proposed: the ambassador will answer."),
        then=reverse("cases:detail_planning", args=[case.reference]),
        template="ambassadors/case_assign.html",
        context=lambda: {
            "case": case,
            "suggestions": selectors.case_suggestions(
                user=request.user, case=case, gender_preference=gender if gender in ("F", "M") else ""
            ),
            "gender": gender,
        },
    )


@require_http_methods(["GET", "POST"])
def assignment_end(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.MANAGE_AMBASSADORS)
    assignment = selectors.assignment_to_manage(user=request.user, code=code)
    return submit(
        request,
        AssignmentEndForm(posted(request)),
        partial(services.assignment_end, assignment=assignment, actor=request.user, request=request),
        success=_("Assignment ended."),
        then=reverse("cases:detail_planning", args=[assignment.case.reference]),
        template="ambassadors/form_page.html",
        context={
            "title": _("End the assignment of %(name)s") % {"name": assignment.ambassador.name},
            "back": assignment.case,
        },
    )


# --- The ambassador's own pages ---------------------------------------------------------


@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.WORK_AS_AMBASSADOR)
    assignments = selectors.my_assignments(user=request.user)
    return render(
        request,
        "ambassadors/mine.html",
        {
            "open_assignments": [a for a in assignments if a.is_open],
            "past_assignments": [a for a in assignments if not a.is_open],
            "minutes": sum(a.minutes for a in assignments),
        },
    )


def _mine_context(request, assignment) -> dict:
    return {
        **selectors.reduced_case(user=request.user, assignment=assignment),
        "contact_form": ContactForm(),
        "decline_form": DeclineForm(),
    }


def _my_assignment(request: HttpRequest, code):
    """The assignment if it is the ambassador's own (404 otherwise)."""
    access.require(request.user, Capability.WORK_AS_AMBASSADOR)
    return selectors.my_assignment_get(user=request.user, code=code)


@require_http_methods(["GET"])
def mine_detail(request: HttpRequest, code) -> HttpResponse:
    """The reduced case page: first name, languages, place, the assignment and own contacts."""
    assignment = _my_assignment(request, code)
    audit_record(action="assignment.viewed", request=request, obj=assignment, case_ref=assignment.case.reference)
    return render(request, "ambassadors/mine_detail.html", _mine_context(request, assignment))


@require_POST
def mine_accept(request: HttpRequest, code) -> HttpResponse:
    assignment = _my_assignment(request, code)
    return act(
        request,
        partial(services.assignment_accept, assignment=assignment, actor=request.user, request=request),
        success=_("Thank you: the assignment is accepted."),
        then=reverse("ambassadors:mine_detail", args=[assignment.code]),
    )


def _on_mine_detail(request: HttpRequest, assignment, form, service, *, form_name: str, success: str, then: str):
    """A form of the ambassador's case page: the service for the assignment, or the page again with its errors."""
    return submit(
        request,
        form,
        partial(service, assignment=assignment, actor=request.user, request=request),
        success=success,
        then=then,
        template="ambassadors/mine_detail.html",
        context=lambda: _mine_context(request, assignment),
        form_name=form_name,
    )


@require_POST
def mine_decline(request: HttpRequest, code) -> HttpResponse:
    assignment = _my_assignment(request, code)
    return _on_mine_detail(
        request,
        assignment,
        DeclineForm(request.POST),
        services.assignment_decline,
        form_name="decline_form",
        success=_("You declined the assignment; the coordinator is told."),
        then="ambassadors:mine",
    )


@require_POST
def mine_contact(request: HttpRequest, code) -> HttpResponse:
    assignment = _my_assignment(request, code)
    return _on_mine_detail(
        request,
        assignment,
        ContactForm(request.POST),
        services.contact_log,
        form_name="contact_form",
        success=_("Contact logged."),
        then=reverse("ambassadors:mine_detail", args=[assignment.code]),
    )


@require_http_methods(["GET"])
def my_training(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.WORK_AS_AMBASSADOR)
    ambassador = selectors.ambassador_of(user=request.user)
    ctx = {"ambassador": ambassador}
    if ambassador is not None:
        ctx.update(selectors.my_training(user=request.user, ambassador=ambassador))
    return render(request, "ambassadors/my_training.html", ctx)


# --- Training (colleagues) --------------------------------------------------------------


@require_http_methods(["GET"])
def training(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_AMBASSADORS)
    return render(
        request,
        "ambassadors/training.html",
        {
            **selectors.training_overview(user=request.user),
            "may_manage": access.can(request.user, Capability.MANAGE_AMBASSADORS),
        },
    )


@require_http_methods(["GET", "POST"])
def training_session_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.MANAGE_AMBASSADORS)
    return submit(
        request,
        TrainingSessionForm(posted(request), teams=selectors.coordinator_teams(user=request.user)),
        partial(services.training_session_create, actor=request.user, request=request),
        success=_("Session planned."),
        then=lambda session: reverse("ambassadors:training_session", args=[session.code]),
        template="ambassadors/form_page.html",
        context={"title": _("Plan a training session")},
    )


@require_http_methods(["GET", "POST"])
def training_session(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.VIEW_AMBASSADORS)
    session = selectors.training_session_get(user=request.user, code=code)
    may_manage = access.may(request.user, Capability.MANAGE_AMBASSADORS, session.team_id)
    if request.method == "POST" and not may_manage:
        raise Http404
    ambassadors = selectors.team_ambassadors(team=session.team)
    attendees = selectors.session_attendees(session=session)
    form = AttendanceForm(posted(request), ambassadors=ambassadors, initial={"ambassadors": list(attendees)})
    return submit(
        request,
        form,
        lambda ambassadors: services.training_attendance_set(
            session=session, actor=request.user, ambassadors=list(ambassadors), request=request
        ),
        success=_("Attendance recorded."),
        then=reverse("ambassadors:training_session", args=[session.code]),
        template="ambassadors/training_session.html",
        context={
            "session": session,
            "may_manage": may_manage,
            "attendees": [a for a in ambassadors if a.pk in attendees],
        },
    )


@require_http_methods(["GET", "POST"])
def ambassador_training(request: HttpRequest, code) -> HttpResponse:
    """One ambassador's progress towards the certificate; coordinators record completed modules."""
    ambassador = _ambassador(request, code)
    if request.method == "POST":
        access.require(request.user, Capability.MANAGE_AMBASSADORS)
    ctx = selectors.my_training(user=request.user, ambassador=ambassador)
    may_manage = access.may(request.user, Capability.MANAGE_AMBASSADORS, ambassador.team_id)
    remaining = TrainingModule.objects.exclude(pk__in=ctx["progress"].completed_module_ids).order_by("order")
    if request.method == "POST" and not may_manage:
        raise Http404
    return submit(
        request,
        ModuleCompletionForm(posted(request), modules=remaining),
        partial(services.module_complete, ambassador=ambassador, actor=request.user, request=request),
        success=_("Module recorded as completed."),
        then=reverse("ambassadors:ambassador_training", args=[ambassador.code]),
        template="ambassadors/ambassador_training.html",
        context={**ctx, "ambassador": ambassador, "may_complete": may_manage and remaining.exists()},
    )


# --- The language-support planner -------------------------------------------------------


@require_http_methods(["GET"])
def planner(request: HttpRequest) -> HttpResponse:
    """For an activity, who may support it in the person's language: interpreters and ambassadors."""
    access.require(request.user, Capability.PLAN_LANGUAGE_SUPPORT)
    cases = selectors.planner_cases(
        user=request.user, include=request.GET.get("case", ""), activity=request.GET.get("activity", "")
    )
    # Opened from a case (``?case=``), the form starts with that case chosen, unsent: no error
    # yet. Come to choose another case (``?choose=case``), it starts with the rest of what was
    # asked, unsent too.
    choosing = request.GET.get("choose") == "case"
    asked = None if choosing else (request.GET if any(key != "case" for key in request.GET) else None)
    initial = {"case": request.GET.get("case", "")}
    if choosing:
        initial = {name: value for name, value in request.GET.items() if name in PlannerForm.base_fields}
    form = PlannerForm(
        asked,
        cases=cases.choices,
        case_named=cases.named is not None,
        locations=_locations(request.user),
        options=selectors.planner_options(user=request.user),
        initial=initial,
    )
    result, assign_role = None, ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        case = selectors.planner_case(cases=cases, reference=data["case"])
        teams = selectors.coordinator_teams(user=request.user)
        support_request = planner_rules_module.SupportRequest(
            team=case.team if case else teams.first(),
            activity=data["activity"],
            language=data["language"],
            case=case,
            day=data["day"],
            part_of_day=data["part_of_day"],
            location=data["location"] or (case.person.location if case else None),
            gender_preference=data["gender_preference"],
            mode=data["mode"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
        )
        result = selectors.plan_support(
            user=request.user,
            request=support_request,
            rules=cases.rules_for(case=case, activity=data["activity"]),
        )
        assign_role = _ACTIVITY_ROLE[data["activity"]]
    everyone = asks_for_everyone(request)
    interpreters = shortlist(result.interpreters.suggestions, everyone=everyone) if result else None
    return render(
        request,
        "ambassadors/planner.html",
        {
            "form": form,
            "result": result,
            "interpreters": interpreters,
            "interpreter_cards": planner_rules_module.interpreter_cards(interpreters.shown) if result else [],
            "ambassadors": shortlist(result.ambassadors, everyone=everyone) if result else None,
            "everyone_query": everyone_query(request),
            "assign_role": assign_role,
            "may_book_interpreter": access.can(request.user, Capability.REQUEST_BOOKINGS),
            # Planning for a case, the form offers that case alone: the recent cases are a link
            # away, which keeps what else was asked.
            "another_case_url": _another_case_url(request) if cases.named is not None else "",
        },
    )


def _another_case_url(request: HttpRequest) -> str:
    kept = [(name, value) for name, value in request.GET.items() if name in PlannerForm.base_fields and name != "case"]
    return f"{reverse('ambassadors:planner')}?{urlencode([*kept, ('choose', 'case')])}"


# The assignment role the planner proposes for each activity.
_ACTIVITY_ROLE = {
    SupportActivity.FIRST_ASSESSMENT: Assignment.Role.LANGUAGE_SUPPORT,
    SupportActivity.RISK_ASSESSMENT: Assignment.Role.LANGUAGE_SUPPORT,
    SupportActivity.CONSULTATION: Assignment.Role.LANGUAGE_SUPPORT,
    SupportActivity.PERMANENCE: Assignment.Role.PEER_SUPPORT,
    SupportActivity.GROUP: Assignment.Role.LANGUAGE_SUPPORT,
    SupportActivity.ACCOMPANIMENT: Assignment.Role.ACCOMPANIMENT,
}


@require_http_methods(["GET", "POST"])
def planner_rules(request: HttpRequest) -> HttpResponse:
    """The team's rules: when a professional interpreter is required, when an ambassador may suffice."""
    access.require(request.user, Capability.MANAGE_AMBASSADORS)
    teams = list(selectors.coordinator_teams(user=request.user))
    team = next((t for t in teams if str(t.code) == request.GET.get("team")), teams[0] if teams else None)
    if team is None:
        return render(request, "ambassadors/planner_rules.html", {"rows": [], "teams": teams})
    rows = []
    errors = False
    for decision in planner_rules_module.all_rules(team=team):
        prefix = decision.activity
        form = SupportRuleForm(
            request.POST or None,
            prefix=prefix,
            initial={"requirement": decision.requirement, "explanation": decision.explanation},
        )
        rows.append({"decision": decision, "form": form})
    # Every row is validated (not stopping at the first invalid one) so that each shows its errors.
    valid = [row["form"].is_valid() for row in rows]
    if request.method == "POST" and all(valid):
        # All the rules or none: a refused row leaves the others as they were.
        with transaction.atomic():
            for row in rows:
                try:
                    services.language_support_rule_set(
                        team=team,
                        activity=row["decision"].activity,
                        actor=request.user,
                        request=request,
                        **row["form"].cleaned_data,
                    )
                except ValidationError as exc:
                    add_service_errors(row["form"], exc)
                    errors = True
            if errors:
                transaction.set_rollback(True)
        if not errors:
            messages.success(request, _("Rules saved."))
            return redirect(f"{request.path}?team={team.code}")
    # Several forms on one page, so not ``submit``; the same answer: 400 when a form shows errors.
    status = 400 if any(row["form"].errors for row in rows) else 200
    return render(
        request, "ambassadors/planner_rules.html", {"rows": rows, "teams": teams, "team": team}, status=status
    )
