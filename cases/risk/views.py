from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.consultations.views import clinical_case_for_request, clinical_page
from cases.models import SafetyPlan
from cases.risk import selectors, services
from cases.risk.forms import RiskAssessmentForm
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.audit.services import audit_record
from integrapsy.forms import add_service_errors


@require_http_methods(["GET", "POST"])
def risk_assess(request: HttpRequest, reference: str) -> HttpResponse:
    access.require(request.user, Capability.LOG_CONSULTATIONS)
    case = clinical_case_for_request(request, reference)
    form = RiskAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        plan = {step: data.pop(step) for step in SafetyPlan.STEPS}
        try:
            assessment = services.risk_assessment_record(
                case=case, actor=request.user, safety_plan=plan, request=request, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Risk assessment recorded."))
            return redirect("cases:risk_assessment_detail", code=assessment.code)
    return render(
        request,
        "cases/risk_assessment_form.html",
        clinical_page(
            case,
            form=form,
            latest=selectors.latest_risk_assessment(user=request.user, case=case),
        ),
    )


@require_http_methods(["GET"])
def risk_assessment_detail(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.VIEW_CASES)
    assessment = selectors.risk_assessment_get(user=request.user, code=code)
    audit_record(action="risk.assessment_viewed", request=request, obj=assessment, case_ref=assessment.case.reference)
    return render(
        request,
        "cases/risk_assessment_detail.html",
        clinical_page(assessment.case, assessment=assessment, plan=selectors.safety_plan_of(assessment)),
    )
