from functools import partial

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.case_file.views import case_for, case_page
from cases.consultations import selectors, services
from cases.consultations.forms import AddendumForm, ConsultationForm
from cases.models import Consultation
from cases.permanences import selectors as permanence_selectors
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Location
from integrapsy.forms import act, posted, submit
from integrapsy.offline import services as offline

CONSULTATIONS_PER_PAGE = 25


def clinical_case(request: HttpRequest, reference: str):
    """The case, for a psychologist of its team only: anyone else gets a 404."""
    case, case_access = case_for(request, reference)
    if not case_access.clinical:
        raise Http404
    return case


def _consultation_form(case, data=None, **kwargs) -> ConsultationForm:
    return ConsultationForm(
        data,
        places=Location.objects.filter(team_id=case.team_id, is_active=True).order_by("name"),
        **selectors.team_people(case=case),
        **kwargs,
    )


@require_http_methods(["GET"])
def consultation_list(request: HttpRequest, reference: str) -> HttpResponse:
    case = clinical_case(request, reference)
    page = Paginator(selectors.case_consultations(user=request.user, case=case), CONSULTATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    audit_record(action="consultation.list_viewed", request=request, obj=case, case_ref=case.reference)
    return render(request, "cases/consultation_list.html", case_page(case, page=page))


def _booking_initial(request: HttpRequest, case) -> tuple:
    """Prefill from an attended permanence appointment (``?booking=<code>``)."""
    code = request.GET.get("booking") or request.POST.get("booking")
    if not code:
        return None, {}
    booking = permanence_selectors.booking_get(user=request.user, code=code)
    if booking.case_id != case.pk or not selectors.booking_leads_to_consultation(booking):
        raise Http404
    return booking, selectors.consultation_prefill(booking=booking)


def _signs(request: HttpRequest) -> bool:
    # What the offline queue sends is saved as a draft: signing is done with the network, on purpose.
    return request.POST.get("action") == "sign" and not offline.is_queued(request)


def _signed_or_draft(consultation: Consultation) -> str:
    return _("Consultation signed.") if consultation.is_signed else _("Draft saved.")


def _to_consultation(consultation: Consultation) -> str:
    return reverse("cases:consultation_detail", args=[consultation.code])


@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest, reference: str) -> HttpResponse:
    access.require(request.user, Capability.LOG_CONSULTATIONS)
    case = clinical_case(request, reference)
    booking, initial = _booking_initial(request, case)
    form = _consultation_form(
        case,
        posted(request),
        initial={"started_at": timezone.localtime(clock.now()).replace(second=0, microsecond=0), **initial},
    )
    return submit(
        request,
        form,
        partial(
            services.consultation_create,
            case=case,
            actor=request.user,
            booking=booking,
            sign=_signs(request),
            request=request,
        ),
        success=_signed_or_draft,
        then=_to_consultation,
        template="cases/consultation_form.html",
        context=lambda: case_page(case, booking=booking, title=_("Log a consultation")),
    )


@require_http_methods(["GET"])
def consultation_detail(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.VIEW_CASES)
    consultation = selectors.consultation_get(user=request.user, code=code)
    audit_record(action="consultation.viewed", request=request, obj=consultation, case_ref=consultation.case.reference)
    return render(request, "cases/consultation_detail.html", _detail_context(request, consultation))


def _detail_context(request, consultation) -> dict:
    return case_page(
        consultation.case,
        consultation=consultation,
        addenda=selectors.consultation_addenda(consultation=consultation),
        addendum_form=AddendumForm(),
        may_sign=selectors.may_sign(user=request.user, consultation=consultation),
        problem_labels=[
            label
            for value, label in ConsultationForm.base_fields["presenting_problems"].choices
            if value in consultation.presenting_problems
        ],
    )


def _consultation(request: HttpRequest, code):
    """The consultation if the user logs consultations and sees it (404 otherwise)."""
    access.require(request.user, Capability.LOG_CONSULTATIONS)
    return selectors.consultation_get(user=request.user, code=code)


@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, code) -> HttpResponse:
    consultation = _consultation(request, code)
    case = consultation.case
    if consultation.is_signed and request.method == "GET":
        messages.warning(
            request, _("This consultation is signed: it can no longer be changed. Add an addendum instead.")
        )
        return redirect("cases:consultation_detail", code=consultation.code)
    initial = {name: getattr(consultation, name) for name in services.CONSULTATION_FIELDS}
    initial["started_at"] = timezone.localtime(consultation.started_at)
    return submit(
        request,
        _consultation_form(case, posted(request), initial=initial),
        partial(
            services.consultation_update,
            consultation=consultation,
            actor=request.user,
            sign=_signs(request),
            request=request,
        ),
        success=_signed_or_draft,
        then=_to_consultation,
        template="cases/consultation_form.html",
        context=lambda: case_page(case, consultation=consultation, title=_("Edit the draft consultation")),
    )


@require_POST
def consultation_sign(request: HttpRequest, code) -> HttpResponse:
    consultation = _consultation(request, code)
    return act(
        request,
        partial(services.consultation_sign, consultation=consultation, actor=request.user, request=request),
        success=_("Consultation signed."),
        then=reverse("cases:consultation_detail", args=[consultation.code]),
        one_message_per_error=True,
    )


@require_POST
def consultation_addendum(request: HttpRequest, code) -> HttpResponse:
    consultation = _consultation(request, code)
    return submit(
        request,
        AddendumForm(request.POST),
        partial(services.consultation_addendum_add, consultation=consultation, actor=request.user, request=request),
        success=_("Addendum added."),
        then=_to_consultation(consultation),
        template="cases/consultation_detail.html",
        context=lambda: _detail_context(request, consultation),
        form_name="addendum_form",
    )
