from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.case_file import selectors as case_selectors
from cases.models import ReferralReason
from cases.permanences import selectors as permanence_selectors
from cases.persons import selectors as person_selectors
from cases.referrals import selectors, services
from cases.referrals.forms import (
    AcceptForm,
    DecisionForm,
    FirstContactForm,
    InfoAnswerForm,
    InfoRequestForm,
    ReferralForm,
)
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.audit.services import audit_record
from integrapsy.forms import add_service_errors


@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.SUBMIT_REFERRAL)
    locations = selectors.referrer_locations(user=request.user)
    form = ReferralForm(request.POST or None, locations=locations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        languages = list(data.pop("languages"))
        location = data.get("location")
        team = location.team if location else selectors.referrer_default_team(user=request.user)
        try:
            referral = services.referral_submit(
                actor=request.user, team=team, languages=languages, request=request, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Referral sent. The team will answer you here and by email."))
            return redirect("cases:referral_status", code=referral.code)
    return render(request, "cases/referral_form.html", {"form": form})


@require_http_methods(["GET"])
def referral_mine(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.FOLLOW_OWN_REFERRALS)
    referrals = selectors.referrals_for_referrer(user=request.user)[:200]
    return render(request, "cases/referral_mine.html", {"referrals": referrals})


@require_http_methods(["GET"])
def referral_status(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.FOLLOW_OWN_REFERRALS)
    referral = selectors.referral_get_for_referrer(user=request.user, code=code)
    return render(request, "cases/referral_status.html", _status_context(referral, InfoAnswerForm()))


def _status_context(referral, answer_form) -> dict:
    return {
        "referral": referral,
        "answer_form": answer_form,
        "crisis": selectors.crisis_lines(),
        **permanence_selectors.referral_slot_requests(referral=referral),
    }


@require_POST
def referral_answer(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.FOLLOW_OWN_REFERRALS)
    referral = selectors.referral_get_for_referrer(user=request.user, code=code)
    form = InfoAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.referral_answer_info(
                referral=referral, actor=request.user, answer=form.cleaned_data["answer"], request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Answer sent to the team."))
            return redirect("cases:referral_status", code=referral.code)
    return render(request, "cases/referral_status.html", _status_context(referral, form), status=400)


@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.VIEW_TEAM_REFERRALS)
    return render(
        request,
        "cases/inbox.html",
        {
            "referrals": selectors.inbox_rows(user=request.user),
            "recent": selectors.referral_recent_decided(user=request.user),
        },
    )


def _team_referral(request: HttpRequest, code, capability: Capability = Capability.VIEW_TEAM_REFERRALS):
    """The referral if it is addressed to a team where the user holds ``capability`` (404 otherwise)."""
    access.require(request.user, capability)
    return selectors.referral_get_for_team(user=request.user, code=code, capability=capability)


def _detail_context(request, referral, **forms):
    flags = selectors.referral_flags(user=request.user, referral=referral)
    suggestions = selectors.referral_duplicates(user=request.user, referral=referral) if flags["may_triage"] else []
    ctx = {
        "referral": referral,
        "reason_labels": [ReferralReason(r).label for r in referral.reasons if r != ReferralReason.OTHER],
        **flags,
        "suggestions": suggestions,
        "waiting_days": selectors.waiting_days(referral),
        "accept_form": AcceptForm(
            suggestions=suggestions, psychologists=case_selectors.team_psychologists(team=referral.team)
        ),
        "decline_form": DecisionForm(),
        "ask_form": InfoRequestForm(),
        "first_contact_form": FirstContactForm(),
        "slot_requests": permanence_selectors.referral_pending_slot_requests(referral=referral),
    }
    ctx.update(forms)
    return ctx


@require_http_methods(["GET"])
def referral_detail(request: HttpRequest, code) -> HttpResponse:
    referral = _team_referral(request, code)
    audit_record(action="referral.viewed", request=request, obj=referral)
    return render(request, "cases/referral_detail.html", _detail_context(request, referral))


@require_POST
def referral_accept(request: HttpRequest, code) -> HttpResponse:
    referral = _team_referral(request, code, Capability.TRIAGE_REFERRALS)
    suggestions = selectors.referral_duplicates(user=request.user, referral=referral) if referral.is_open else []
    form = AcceptForm(
        request.POST, suggestions=suggestions, psychologists=case_selectors.team_psychologists(team=referral.team)
    )
    if form.is_valid():
        choice = form.cleaned_data["person"]
        person = None if choice == "new" else person_selectors.person_get(user=request.user, code=choice)
        try:
            case = services.referral_accept(
                referral=referral,
                actor=request.user,
                person=person,
                lead_psychologist=form.cleaned_data["lead_psychologist"],
                request=request,
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Referral accepted: case %(ref)s.") % {"ref": case.reference})
            return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "cases/referral_detail.html",
        _detail_context(request, referral, accept_form=form),
        status=400,
    )


@require_POST
def referral_decline(request: HttpRequest, code) -> HttpResponse:
    referral = _team_referral(request, code, Capability.TRIAGE_REFERRALS)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.referral_decline(
                referral=referral, actor=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Referral declined; the referrer will see your reason."))
            return redirect("cases:inbox")
    return render(
        request,
        "cases/referral_detail.html",
        _detail_context(request, referral, decline_form=form),
        status=400,
    )


@require_POST
def referral_ask(request: HttpRequest, code) -> HttpResponse:
    referral = _team_referral(request, code, Capability.TRIAGE_REFERRALS)
    form = InfoRequestForm(request.POST)
    if form.is_valid():
        try:
            services.referral_request_info(
                referral=referral, actor=request.user, question=form.cleaned_data["question"], request=request
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Question sent to the referrer."))
            return redirect("cases:inbox")
    return render(request, "cases/referral_detail.html", _detail_context(request, referral, ask_form=form), status=400)


@require_POST
def referral_take(request: HttpRequest, code) -> HttpResponse:
    referral = _team_referral(request, code, Capability.TRIAGE_REFERRALS)
    try:
        services.referral_take(referral=referral, actor=request.user, request=request)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("You are handling this referral."))
    return redirect("cases:referral_detail", code=referral.code)


@require_POST
def referral_first_contact(request: HttpRequest, code) -> HttpResponse:
    referral = _team_referral(request, code, Capability.TRIAGE_REFERRALS)
    form = FirstContactForm(request.POST)
    if form.is_valid():
        try:
            services.referral_record_first_contact(
                referral=referral, actor=request.user, on=form.cleaned_data["on"], request=request
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("First contact recorded."))
            return redirect("cases:referral_detail", code=referral.code)
    return render(
        request,
        "cases/referral_detail.html",
        _detail_context(request, referral, first_contact_form=form),
        status=400,
    )
