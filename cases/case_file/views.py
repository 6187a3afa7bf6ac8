from functools import partial
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.case_file import selectors, services
from cases.case_file.forms import CaseCloseForm, CaseFilterForm, CaseShareForm, CaseUpdateForm, CoordinationNoteForm
from cases.panels import SECTIONS, TIMELINE
from cases.persons import selectors as person_selectors
from cases.risk import selectors as risk_selectors
from cases.timeline import selectors as timeline_selectors
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import Team
from integrapsy.audit.services import audit_record
from integrapsy.forms import posted, submit
from integrapsy.links import cached_reverse
from integrapsy.params import query_without

EVENTS_PER_PAGE = 30


def case_for(request: HttpRequest, reference: str):
    """The case if the user may open it (404 otherwise), with what they may do on it."""
    access.require(request.user, Capability.VIEW_CASES)
    case = selectors.case_get(user=request.user, reference=reference)
    return case, access.case_access(request.user, case)


def case_page(case, **ctx) -> dict:
    """What every page about one case shows above its content: the case and its open risk flag."""
    return {"case": case, "open_risk_flag": risk_selectors.case_open_risk_flag(case=case), **ctx}


def case_to_change(request: HttpRequest, reference: str):
    """The case if the user's team follows it (404 otherwise, also for a team it is shared with)."""
    case, case_access = case_for(request, reference)
    if not case_access.write:
        raise Http404
    return case


@require_http_methods(["GET"])
def case_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_CASES)
    form = CaseFilterForm(request.GET or None, options=selectors.case_filter_options(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.case_list_page(user=request.user, filters=filters, number=request.GET.get("page"))
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.case_list_rows(page.object_list),
            "query": query_without(request, "page"),
            # "New person" registers someone met without a referral: the coordinators' triage.
            "may_register": access.can(request.user, Capability.TRIAGE_REFERRALS),
        },
    )


@require_http_methods(["GET"])
def case_detail(request: HttpRequest, reference: str, section: str = TIMELINE) -> HttpResponse:
    """A section (tab) of the case page: the timeline, care, planning or the case file."""
    case, case_access = case_for(request, reference)
    context = {
        "case": case,
        "person": case.person,
        "section": section,
        "sections": [
            {"key": key, "label": label, "url": cached_reverse(url_name, [case.reference])}
            for key, (label, url_name) in SECTIONS.items()
        ],
        **selectors.case_actions(case=case, case_access=case_access),
        **selectors.case_panels(user=request.user, case=case, section=section),
    }
    if section == TIMELINE:
        kind = request.GET.get("kind", "")
        timeline = timeline_selectors.case_timeline_page(
            user=request.user, case=case, family=kind, before=request.GET.get("before", ""), size=EVENTS_PER_PAGE
        )
        context.update(
            languages=person_selectors.person_languages(person=case.person),
            timeline=timeline,
            events=timeline_selectors.timeline_rows(timeline.events),
            kinds=timeline_selectors.case_timeline_kinds(),
            kind=kind,
            query=urlencode({"kind": kind}) if kind else "",
            older_query=urlencode({"kind": kind, "before": timeline.older} if kind else {"before": timeline.older}),
            note_form=CoordinationNoteForm(),
        )
    audit_record(
        action="case.viewed",
        request=request,
        obj=case,
        case_ref=case.reference,
        detail="" if section == TIMELINE else section,
    )
    return render(request, "cases/case_detail.html", context)


def _case_form(request: HttpRequest, case, form, service, *, success: str, **page) -> HttpResponse:
    """A form about the case on the case's form page: the service for the case, then back to the case."""
    return submit(
        request,
        form,
        partial(service, case=case, actor=request.user, request=request),
        success=success,
        then=reverse("cases:detail", args=[case.reference]),
        template="cases/form_page.html",
        context=lambda: case_page(case, **page),
    )


@require_POST
def case_note_add(request: HttpRequest, reference: str) -> HttpResponse:
    case, case_access = case_for(request, reference)
    if not case_access.note:
        raise Http404
    return _case_form(
        request,
        case,
        CoordinationNoteForm(request.POST),
        services.coordination_note_add,
        success=_("Note added to the timeline."),
        title=_("Add a coordination note"),
    )


@require_http_methods(["GET", "POST"])
def case_update(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_to_change(request, reference)
    form = CaseUpdateForm(
        posted(request),
        psychologists=selectors.team_psychologists(team=case.team),
        staff=selectors.team_staff(team=case.team),
        initial={"status": case.status, "lead_psychologist": case.lead_psychologist, "members": case.members.all()},
    )
    return _case_form(request, case, form, services.case_update, success=_("Case updated."), title=_("Edit the case"))


@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_to_change(request, reference)
    return _case_form(
        request,
        case,
        CaseCloseForm(posted(request)),
        services.case_close,
        success=_("Case closed."),
        title=_("Close the case"),
    )


@require_http_methods(["GET", "POST"])
def case_share(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_to_change(request, reference)
    return _case_form(
        request,
        case,
        CaseShareForm(posted(request), teams=Team.objects.exclude(pk=case.team_id).order_by("name")),
        services.case_share,
        success=_("Case shared."),
        title=_("Share the case with another team"),
        intro=_("Sharing needs the person's recorded consent to sharing."),
    )
