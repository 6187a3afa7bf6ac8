from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from cases.models import (
    Case,
    RiskAssessment,
    RiskFlag,
    RiskLevel,
    SafetyPlan,
)
from cases.notifications import team_clinicians_and_coordinators
from cases.timeline.record import timeline_record
from cases.timeline.texts import in_language, show_day
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.accounts.models import User
from integrapsy.audit.services import audit_record
from integrapsy.notifications.services import outbox_queue

HIGH_RISK = (RiskLevel.HIGH, RiskLevel.IMMINENT)

# A few minutes of clock difference between a phone and the server is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=10)


def require_clinician(actor: User, case: Case) -> None:
    """Refuse a clinical write by anybody but a psychologist of the case's team."""
    if not access.may(actor, Capability.READ_CLINICAL, case.team_id):
        raise ValidationError(_("Only the psychologists of the case's team may do this."))


# Why a flag was raised, kept as a code and its pieces (``reason_data``) and written out in
# the reader's language: clinical, so on the clinicians' event only.
_REASONS = {
    "text": lambda r: in_language(r["texts"]),
    "referral": lambda r: (
        _("Suicidal thoughts reported by %(org)s in referral %(ref)s") % {"org": r["org"], "ref": r["ref"]}
    ),
    "consultation_suicidal": lambda r: (
        _("Suicidal thoughts recorded in the consultation of %(day)s") % {"day": show_day(r["day"])}
    ),
    "consultation_level": lambda r: (
        _("Risk level %(level)s recorded in the consultation of %(day)s")
        % {"level": RiskLevel(r["level"]).label, "day": show_day(r["day"])}
    ),
    "assessment_level": lambda r: (
        _("Risk level set to %(level)s in an assessment") % {"level": RiskLevel(r["level"]).label}
    ),
}


def reason_text(reason: dict) -> str:
    """The text of a kept reason (``{"why": "referral", "org": ..., "ref": ...}``) in the active language."""
    return str(_REASONS[reason["why"]](reason))


def raised_detail_summary(data: dict) -> str:
    return reason_text(data["reason"])


def assessed_summary(data: dict) -> str:
    """ "Level: high — safety plan recorded", in the active language."""
    text = _("Level: %(level)s") % {"level": RiskLevel(data["level"]).label}
    return text + (" — " + _("safety plan recorded") if data["safety_plan"] else "")


def acknowledged_summary(data: dict) -> str:
    return _("A psychologist of the team assessed the risk.")


def raised_summary(data: dict) -> str:
    """Where the flag came from (a referral, a consultation...), never why: that is for clinicians."""
    return str(RiskFlag.Source(data["source"]).label)


@transaction.atomic
def risk_assessment_record(
    *,
    case: Case,
    actor: User,
    level: str,
    factors: str,
    actions_taken: str,
    safety_plan: dict[str, str] | None = None,
    assessed_at: datetime | None = None,
    request=None,
) -> RiskAssessment:
    """Record a risk assessment and safety plan; it acknowledges the open risk flag.

    Setting the level to high or imminent when no flag is open raises one, so the team is alerted.
    """
    require_clinician(actor, case)
    safety_plan = {k: (v or "").strip() for k, v in (safety_plan or {}).items()}
    unknown = set(safety_plan) - set(SafetyPlan.STEPS)
    if unknown:
        raise TypeError(f"Unknown safety plan steps: {sorted(unknown)}")
    errors: dict[str, str] = {}
    if level not in RiskLevel.values:
        errors["level"] = _("Choose the risk level.")
    if not factors.strip():
        errors["factors"] = _("Describe the risk and protective factors.")
    if not actions_taken.strip():
        errors["actions_taken"] = _("Say what was done (even “nothing needed”).")
    if level in (RiskLevel.MODERATE, *HIGH_RISK):
        if not safety_plan.get("warning_signs"):
            errors["warning_signs"] = _("From a moderate risk, write the safety plan: start with the warning signs.")
        if not safety_plan.get("professionals"):
            errors["professionals"] = _("Write the professionals and crisis lines the person can call.")
    assessed_at = assessed_at or clock.now()
    if assessed_at > clock.now() + FUTURE_TOLERANCE:
        errors["assessed_at"] = _("An assessment cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    flag = RiskFlag.objects.select_for_update().filter(case=case, acknowledged_at__isnull=True).first()
    assessment = RiskAssessment(
        case=case,
        flag=flag,
        level=level,
        factors=factors.strip(),
        actions_taken=actions_taken.strip(),
        assessed_by=actor,
        assessed_at=assessed_at,
    )
    assessment.full_clean(exclude=["flag"])
    assessment.save()
    plan = SafetyPlan(assessment=assessment, **safety_plan)
    if not plan.is_empty:
        plan.full_clean()
        plan.save()
    data = {"assessment": str(assessment.code), "level": level, "safety_plan": not plan.is_empty}
    timeline_record(
        case=case,
        kind="risk.assessed",
        actor=actor,
        occurred_at=assessed_at,
        summary=assessed_summary(data),
        source=assessment,
        data=data,
    )
    previous = case.risk_level
    case.risk_level = level
    case.save(update_fields=["risk_level", "updated_at"])
    if flag is not None:
        flag.acknowledged_at = clock.now()
        flag.acknowledged_by = actor
        flag.save(update_fields=["acknowledged_at", "acknowledged_by"])
        timeline_record(
            case=case,
            kind="risk.acknowledged",
            actor=actor,
            summary=acknowledged_summary({}),
            source=flag,
        )
        audit_record(action="risk.acknowledged", actor=actor, request=request, obj=case, case_ref=case.reference)
    elif level in HIGH_RISK and previous not in HIGH_RISK:
        risk_flag_raise(
            case=case,
            source=RiskFlag.Source.RISK_LEVEL,
            reason_data={"why": "assessment_level", "level": level},
            actor=actor,
            source_obj=assessment,
            request=request,
        )
    audit_record(action="risk.assessed", actor=actor, request=request, obj=assessment, case_ref=case.reference)
    return assessment


@transaction.atomic
def risk_flag_raise(
    *,
    case: Case,
    source: str,
    reason: str = "",
    reason_data: dict | None = None,
    actor: User | None = None,
    source_obj: Model | None = None,
    request=None,
) -> RiskFlag:
    """Raise the case's risk flag (or join the open one): a red banner until a psychologist acknowledges it.

    ``reason`` (a text as typed) or ``reason_data`` (a known reason, see ``reason_text``) may
    hold clinical detail: it goes to a clinical timeline event only; the team sees that a flag
    was raised, not why.
    """
    if reason_data is not None:
        reason = reason_text(reason_data)
    now = clock.now()
    flag = RiskFlag.objects.select_for_update().filter(case=case, acknowledged_at__isnull=True).first()
    created = flag is None
    if created:
        try:
            with transaction.atomic():
                flag = RiskFlag.objects.create(
                    case=case, source=source, reason=reason[:255], raised_at=now, raised_by=actor
                )
        except IntegrityError:
            flag = RiskFlag.objects.get(case=case, acknowledged_at__isnull=True)
            created = False
    if created:
        timeline_record(
            case=case,
            kind="risk.raised",
            actor=actor,
            summary=raised_summary({"source": source}),
            source=flag,
            data={"source": source},
        )
    timeline_record(
        case=case,
        kind="risk.raised_detail",
        actor=actor,
        summary=reason,
        source=source_obj or flag,
        data={"source": source, **({"reason": reason_data} if reason_data is not None else {})},
    )
    if created:
        audit_record(action="risk.raised", actor=actor, request=request, obj=case, case_ref=case.reference)
        outbox_queue(
            to=team_clinicians_and_coordinators(case.team),
            template="risk.raised",
            context={"ref": case.reference},
            team=case.team_id,
        )
    return flag
