from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.case_file import selectors as case_selectors
from cases.screenings import selectors, services
from cases.screenings.forms import DRAFT, ScreeningForm
from cases.screenings.models import localised
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.audit.services import audit_record
from integrapsy.forms import posted, submit


def _clinical_case_for(request: HttpRequest, reference: str):
    """The case, if the user is a psychologist of its team; 404 for everyone else."""
    access.require(request.user, Capability.ADMINISTER_SCREENINGS)
    case = case_selectors.case_get(user=request.user, reference=reference)
    selectors.require_clinical(user=request.user, case=case)
    return case


@require_http_methods(["GET"])
def screening_list(request: HttpRequest, reference: str) -> HttpResponse:
    case = _clinical_case_for(request, reference)
    screenings = selectors.case_screenings(user=request.user, case=case)
    audit_record(action="screenings.viewed", request=request, obj=case, case_ref=case.reference)
    return render(
        request,
        "cases/screening_list.html",
        {
            "case": case,
            "screenings": screenings,
            "screening_charts": selectors.charts_from(screenings),
            "instruments": selectors.instruments_in_use(),
        },
    )


def _form_context(case, instrument, screening=None) -> dict:
    return {
        "case": case,
        "instrument": instrument,
        "instructions": localised(instrument.definition.get("instructions")),
        "screening": screening,
    }


@require_http_methods(["GET", "POST"])
def screening_new(request: HttpRequest, reference: str, instrument: str) -> HttpResponse:
    case = _clinical_case_for(request, reference)
    instrument = selectors.instrument_in_use(key=instrument)
    form = ScreeningForm(
        posted(request),
        instrument=instrument,
        helpers=selectors.helper_choices(user=request.user, case=case),
        initial={"language": case.main_language},
    )
    return submit(
        request,
        form,
        lambda **_data: services.screening_save(
            case=case,
            instrument=instrument,
            actor=request.user,
            complete=request.POST.get("action") != DRAFT,
            request=request,
            **form.service_kwargs(),
        ),
        success=lambda screening: (
            Message(messages.INFO, _("Saved as a draft: it has no score until every item is answered."))
            if screening.is_draft
            else _("Questionnaire saved and scored.")
        ),
        then=reverse("cases:screening_list", args=[case.reference]),
        template="cases/screening_form.html",
        context=_form_context(case, instrument),
    )


@require_http_methods(["GET"])
def screening_detail(request: HttpRequest, reference: str, code) -> HttpResponse:
    case = _clinical_case_for(request, reference)
    screening = selectors.screening_get(user=request.user, case=case, code=code)
    audit_record(action="screening.viewed", request=request, obj=screening, case_ref=case.reference)
    return render(
        request,
        "cases/screening_detail.html",
        {
            "case": case,
            "screening": screening,
            "band_label": selectors.band_label(screening),
            "items": selectors.screening_items(screening),
            "clusters": selectors.cluster_results(screening),
        },
    )


@require_http_methods(["GET", "POST"])
def screening_edit(request: HttpRequest, reference: str, code) -> HttpResponse:
    case = _clinical_case_for(request, reference)
    screening = selectors.screening_get(user=request.user, case=case, code=code)
    if not screening.is_draft:
        messages.info(request, _("A completed questionnaire cannot be changed."))
        return redirect("cases:screening_detail", reference=case.reference, code=screening.code)
    form = ScreeningForm(
        posted(request),
        instrument=screening.instrument,
        helpers=selectors.helper_choices(user=request.user, case=case),
        initial=ScreeningForm.initial_from(screening),
    )
    return submit(
        request,
        form,
        lambda **_data: services.screening_update_draft(
            screening=screening,
            actor=request.user,
            complete=request.POST.get("action") != DRAFT,
            request=request,
            **form.service_kwargs(),
        ),
        success=lambda saved: (
            Message(messages.INFO, _("Draft saved.")) if saved.is_draft else _("Questionnaire saved and scored.")
        ),
        then=reverse("cases:screening_list", args=[case.reference]),
        template="cases/screening_form.html",
        context=_form_context(case, screening.instrument, screening),
    )
