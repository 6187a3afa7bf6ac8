from __future__ import annotations

from django.db.models import BigIntegerField

from cases.models import Case, RiskAssessment, RiskFlag, SafetyPlan
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import User
from integrapsy.prepared import Param, PreparedQuery

# A case's open risk flag with who raised it (the banner of every tab): compiled once.
_OPEN_FLAG = PreparedQuery(
    lambda shape: (
        RiskFlag.objects.filter(case_id=Param("case_id", BigIntegerField()), acknowledged_at__isnull=True)
        .select_related("raised_by")
        .order_by("-raised_at")[:1]
    )
)


def case_open_risk_flag(*, case: Case) -> RiskFlag | None:
    found = _OPEN_FLAG.run(case_id=case.pk)
    return found[0] if found else None


def open_risk_flags_for_home(*, user: User, limit: int = 20) -> list[RiskFlag]:
    """Open flags of the teams where the user is a psychologist or a coordinator."""
    return list(
        access.scope(user, RiskFlag.objects.filter(acknowledged_at__isnull=True), Capability.VIEW_RISK_ALERTS)
        .select_related("case", "case__person")
        .order_by("raised_at")[:limit]
    )


# A case's latest risk assessment with its assessor: compiled once (``integrapsy.prepared``).
_LATEST_ASSESSMENT = PreparedQuery(
    lambda shape: (
        RiskAssessment.objects.filter(case_id=Param("case_id", BigIntegerField()))
        .select_related("assessed_by")
        .order_by("-assessed_at", "-id")[:1]
    )
)


def latest_risk_assessment(*, user: User, case: Case) -> RiskAssessment | None:
    if not access.may(user, Capability.READ_CLINICAL, case.team_id):
        return None
    found = _LATEST_ASSESSMENT.run(case_id=case.pk)
    return found[0] if found else None


def risk_assessment_get(*, user: User, code) -> RiskAssessment:
    risk_assessments = access.scope(user, RiskAssessment.objects.all(), Capability.READ_CLINICAL).select_related(
        "case", "case__person", "case__team", "assessed_by", "flag"
    )
    return access.one_or_404(risk_assessments, code=code)


def safety_plan_of(assessment: RiskAssessment) -> SafetyPlan | None:
    try:
        return assessment.safety_plan
    except SafetyPlan.DoesNotExist:
        return None


def case_risk_banner(*, user: User, case: Case, case_access) -> dict:
    """The red banner while a flag is open: on every section of the case page, for everyone on the case.

    ``selectors.case_get`` reads the open flag's date and source with the case; a case read
    otherwise costs one query here.
    """
    if hasattr(case, "open_risk_raised_at"):
        raised_at = case.open_risk_raised_at
        flag = RiskFlag(case=case, raised_at=raised_at, source=case.open_risk_source) if raised_at else None
    else:
        flag = case_open_risk_flag(case=case)
    if flag is None:
        return {}
    return {"risk_flag": flag, "clinical": case_access.clinical, "banner": "cases/_case_risk_banner.html"}


def case_risk_panel(*, user: User, case: Case, case_access) -> dict:
    """The latest risk assessment, for the psychologists of the case's team."""
    if not case_access.clinical:
        return {}
    return {"clinical": True, "latest_assessment": latest_risk_assessment(user=user, case=case)}
