from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
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
    family_formset,
    family_members,
)
from cases.referrals.models import reason_labels
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.audit.services import audit_record
from integrapsy.forms import posted, submit


@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.SUBMIT_REFERRAL)
    family = family_formset(posted(request))
    form = ReferralForm(posted(request), locations=selectors.referrer_locations(user=request.user), family=family)

    def send(languages, **data):
        members = family_members(family)
        if not members:
            return [services.referral_submit(actor=request.user, languages=list(languages), request=request, **data)]
        return services.referral_submit_family(
            actor=request.user, members=members, languages=list(languages), request=request, **data
        )

    return submit(
        request,
        form,
        send,
        success=lambda referrals: (
            _("Referral sent. The team will answer you here and by email.")
            if len(referrals) == 1
            else ngettext(
                "%(count)d referral sent, one per person of the family. The team will answer you here and by email.",
                "%(count)d referrals sent, one per person of the family. The team will answer you here and by email.",
                len(referrals),
            )
            % {"count": len(referrals)}
        ),
        then=lambda referrals: reverse("cases:referral_status", args=[referrals[0].code]),
        template="cases/referral_form.html",
        context=lambda: {**selectors.referral_form_crisis(form), "family": family},
    )


@require_http_methods(["GET"])
def referral_mine(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Capability.FOLLOW_OWN_REFERRALS)
    return render(request, "cases/referral_mine.html", {"rows": selectors.referrer_rows(user=request.user)})


@require_http_methods(["GET"])
def referral_status(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.FOLLOW_OWN_REFERRALS)
    referral = selectors.referral_get_for_referrer(user=request.user, code=code)
    return render(request, "cases/referral_status.html", _status_context(referral))


def _status_context(referral) -> dict:
    return {
        "referral": referral,
        "may_answer": selectors.referral_awaits_answer(referral),
        "show_crisis_lines": selectors.referral_is_alarming(referral),
        "answer_form": InfoAnswerForm(),
        "crisis": selectors.crisis_lines(),
        **permanence_selectors.referral_slot_requests(referral=referral),
    }


@require_POST
def referral_answer(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.FOLLOW_OWN_REFERRALS)
    referral = selectors.referral_get_for_referrer(user=request.user, code=code)
    return submit(
        request,
        InfoAnswerForm(request.POST),
        partial(services.referral_answer_info, referral=referral, actor=request.user, request=request),
        success=_("Answer sent to the team."),
        then=reverse("cases:referral_status", args=[referral.code]),
        template="cases/referral_status.html",
        context=lambda: _status_context(referral),
        form_name="answer_form",
    )


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


def _team_referral(
    request: HttpRequest,
    code,
    capability: Capability = Capability.VIEW_TEAM_REFERRALS,
    related: tuple[str, ...] = selectors.DETAIL_RELATED,
):
    """The referral if it is addressed to a team where the user holds ``capability`` (404 otherwise)."""
    access.require(request.user, capability)
    return selectors.referral_get_for_team(user=request.user, code=code, capability=capability, related=related)


def _detail_context(request, referral) -> dict:
    flags = selectors.referral_flags(user=request.user, referral=referral)
    suggestions = selectors.referral_duplicates(user=request.user, referral=referral) if flags["may_triage"] else []
    return {
        "referral": referral,
        "reason_labels": reason_labels(r for r in referral.reasons if r != ReferralReason.OTHER),
        **flags,
        "may_take": flags["may_triage"] and selectors.referral_awaits_taker(referral),
        "suggestions": suggestions,
        "waiting_days": selectors.waiting_days(referral),
        "family_referrals": selectors.referral_family(user=request.user, referral=referral),
        "accept_form": AcceptForm(
            suggestions=suggestions, psychologists=case_selectors.team_psychologists(team=referral.team)
        ),
        "decline_form": DecisionForm(),
        "ask_form": InfoRequestForm(),
        "first_contact_form": FirstContactForm(),
        "slot_requests": permanence_selectors.referral_pending_slot_requests(referral=referral),
    }


@require_http_methods(["GET"])
def referral_detail(request: HttpRequest, code) -> HttpResponse:
    referral = _team_referral(request, code)
    audit_record(action="referral.viewed", request=request, obj=referral)
    return render(request, "cases/referral_detail.html", _detail_context(request, referral))


def _on_detail(
    request: HttpRequest, referral, form, service, *, form_name: str, success, then, page_referral=None
) -> HttpResponse:
    """A form of the referral page: the service for the referral, or the page again with the form's errors.

    ``page_referral``: when the service was given the referral read with less than its page
    shows, how to read it whole for the page drawn again.
    """
    return submit(
        request,
        form,
        partial(service, referral=referral, actor=request.user, request=request),
        success=success,
        then=then,
        template="cases/referral_detail.html",
        context=lambda: _detail_context(request, page_referral() if page_referral else referral),
        form_name=form_name,
    )


def _on_writing_form(request: HttpRequest, code, form, service, **kwargs) -> HttpResponse:
    """A triage form that writes the referral and tells the referrer (decline, ask, first contact).

    The service is given the referral read with its referrer only (twelve tables joined took
    longer to plan than the write took); the page drawn again on an error reads it whole.
    """
    referral = _team_referral(request, code, Capability.TRIAGE_REFERRALS, related=selectors.REFERRER_RELATED)
    return _on_detail(
        request,
        referral,
        form,
        service,
        page_referral=lambda: _team_referral(request, code, Capability.TRIAGE_REFERRALS),
        **kwargs,
    )


@require_POST
def referral_accept(request: HttpRequest, code) -> HttpResponse:
    referral = _team_referral(request, code, Capability.TRIAGE_REFERRALS)
    suggestions = selectors.referral_duplicates(user=request.user, referral=referral) if referral.is_open else []
    form = AcceptForm(
        request.POST, suggestions=suggestions, psychologists=case_selectors.team_psychologists(team=referral.team)
    )

    def accept(*, person, **arguments):
        known = None if person == "new" else person_selectors.person_get(user=request.user, code=person)
        return services.referral_accept(person=known, **arguments)

    return _on_detail(
        request,
        referral,
        form,
        accept,
        form_name="accept_form",
        success=lambda case: _("Referral accepted: case %(ref)s.") % {"ref": case.reference},
        then=lambda case: reverse("cases:detail", args=[case.reference]),
    )


@require_POST
def referral_decline(request: HttpRequest, code) -> HttpResponse:
    return _on_writing_form(
        request,
        code,
        DecisionForm(request.POST),
        services.referral_decline,
        form_name="decline_form",
        success=_("Referral declined; the referrer will see your reason."),
        then="cases:inbox",
    )


@require_POST
def referral_ask(request: HttpRequest, code) -> HttpResponse:
    return _on_writing_form(
        request,
        code,
        InfoRequestForm(request.POST),
        services.referral_request_info,
        form_name="ask_form",
        success=_("Question sent to the referrer."),
        then="cases:inbox",
    )


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
    return _on_writing_form(
        request,
        code,
        FirstContactForm(request.POST),
        services.referral_record_first_contact,
        form_name="first_contact_form",
        success=_("First contact recorded."),
        then=reverse("cases:referral_detail", args=[code]),
    )
