from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.case_file.views import case_page
from cases.consultations.views import clinical_case
from cases.models import SafetyPlan
from cases.risk import selectors, services
from cases.risk.forms import RiskAssessmentForm
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.audit.services import audit_record
from integrapsy.forms import posted, submit


@require_http_methods(["GET", "POST"])
def risk_assess(request: HttpRequest, reference: str) -> HttpResponse:
    access.require(request.user, Capability.LOG_CONSULTATIONS)
    case = clinical_case(request, reference)

    def record(**data):
        plan = {step: data.pop(step) for step in SafetyPlan.STEPS}
        return services.risk_assessment_record(case=case, actor=request.user, safety_plan=plan, request=request, **data)

    return submit(
        request,
        RiskAssessmentForm(posted(request)),
        record,
        success=_("Risk assessment recorded."),
        then=lambda assessment: reverse("cases:risk_assessment_detail", args=[assessment.code]),
        template="cases/risk_assessment_form.html",
        context=lambda: case_page(case, latest=selectors.latest_risk_assessment(user=request.user, case=case)),
    )


@require_http_methods(["GET"])
def risk_assessment_detail(request: HttpRequest, code) -> HttpResponse:
    access.require(request.user, Capability.VIEW_CASES)
    assessment = selectors.risk_assessment_get(user=request.user, code=code)
    audit_record(action="risk.assessment_viewed", request=request, obj=assessment, case_ref=assessment.case.reference)
    return render(
        request,
        "cases/risk_assessment_detail.html",
        case_page(assessment.case, assessment=assessment, plan=selectors.safety_plan_of(assessment)),
    )
