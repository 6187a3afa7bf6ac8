"""Every write on consultations, their addenda, and risk assessments with safety plans."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    Case,
    Consultation,
    ConsultationAddendum,
    PermanenceBooking,
    ReferralReason,
    RiskAssessment,
    RiskFlag,
    RiskLevel,
    SafetyPlan,
    SlotAttendance,
    Visibility,
)
from cases.services import risk_flag_raise, timeline_record
from cases.timeline import EventKind, register, register_families
from integrapsy import access
from integrapsy.accounts.models import Role, User
from integrapsy.audit.services import audit_record

register(
    {
        # What the whole team sees: that a consultation took place, never what was said.
        "consultation.logged": EventKind(gettext_lazy("Consultation")),
        "consultation.clinical": EventKind(
            gettext_lazy("Consultation: clinical summary"), visibility=Visibility.CLINICAL
        ),
        "consultation.addendum": EventKind(gettext_lazy("Addendum to a consultation"), visibility=Visibility.CLINICAL),
        "risk.assessed": EventKind(gettext_lazy("Risk assessment"), visibility=Visibility.CLINICAL),
    }
)
register_families({"consultation": gettext_lazy("Consultations")})

HIGH_RISK = (RiskLevel.HIGH, RiskLevel.IMMINENT)
# A few minutes of clock difference between a phone and the server is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=10)

CONSULTATION_FIELDS = (
    "started_at",
    "duration_minutes",
    "mode",
    "place",
    "kind",
    "interpreter",
    "interpreter_language",
    "ambassador",
    "social_worker",
    "notes",
    "presenting_problems",
    "next_steps",
    "risk_level",
)


def _require_clinician(actor: User, case: Case) -> None:
    if not access.is_clinician_in(actor, case.team_id):
        raise ValidationError(_("Only the psychologists of the case's team may do this."))


def _validate(consultation: Consultation) -> None:
    errors: dict[str, str] = {}
    team_id = consultation.case.team_id
    if consultation.started_at and consultation.started_at > timezone.now() + FUTURE_TOLERANCE:
        errors["started_at"] = _("A consultation cannot be in the future: log it once it has taken place.")
    unknown = set(consultation.presenting_problems) - set(ReferralReason.values)
    if unknown:
        errors["presenting_problems"] = _("Unknown presenting problem.")
    if consultation.interpreter_id and not access.holds_role(consultation.interpreter, Role.INTERPRETER):
        errors["interpreter"] = _("Choose an interpreter.")
    if consultation.ambassador_id and not access.holds_role(consultation.ambassador, Role.AMBASSADOR, team_id):
        errors["ambassador"] = _("Choose an ambassador of the team.")
    if consultation.social_worker_id and not access.holds_role(consultation.social_worker, Role.SOCIAL_WORKER, team_id):
        errors["social_worker"] = _("Choose a social worker of the team.")
    if consultation.interpreter_id and not consultation.interpreter_language_id:
        errors["interpreter_language"] = _("Say in which language the interpreter worked.")
    if errors:
        raise ValidationError(errors)
    consultation.full_clean(exclude=["case", "psychologist", "booking"])


def _apply(consultation: Consultation, fields: dict) -> None:
    unknown = set(fields) - set(CONSULTATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown consultation fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(consultation, name, value)
    consultation.presenting_problems = sorted(set(consultation.presenting_problems or []))


@transaction.atomic
def consultation_create(
    *,
    case: Case,
    actor: User,
    booking: PermanenceBooking | None = None,
    sign: bool = False,
    request=None,
    **fields,
) -> Consultation:
    """Log a consultation as a draft (or sign it at once)."""
    _require_clinician(actor, case)
    if case.is_closed:
        raise ValidationError(_("This case is closed: reopen it to log a consultation."))
    if booking is not None:
        if booking.case_id != case.pk or booking.status != SlotAttendance.ATTENDED:
            raise ValidationError(_("This appointment is not an attended appointment of this case."))
        if Consultation.objects.filter(booking=booking).exists():
            raise ValidationError(_("A consultation was already logged for this appointment."))
    consultation = Consultation(case=case, psychologist=actor, booking=booking)
    _apply(consultation, fields)
    _validate(consultation)
    consultation.save()
    audit_record(action="consultation.created", actor=actor, request=request, obj=consultation, case_ref=case.reference)
    if sign:
        consultation = consultation_sign(consultation=consultation, actor=actor, request=request)
    return consultation


@transaction.atomic
def consultation_update(
    *, consultation: Consultation, actor: User, sign: bool = False, request=None, **fields
) -> Consultation:
    """Change a draft (its author only); a signed consultation is completed by an addendum instead."""
    consultation = Consultation.objects.select_for_update(of=("self",)).select_related("case").get(pk=consultation.pk)
    _require_clinician(actor, consultation.case)
    if consultation.is_signed:
        raise ValidationError(_("This consultation is signed: it can no longer be changed. Add an addendum instead."))
    if consultation.psychologist_id != actor.pk:
        raise ValidationError(_("Only the author of a draft may change it."))
    _apply(consultation, fields)
    _validate(consultation)
    consultation.save()
    audit_record(
        action="consultation.updated",
        actor=actor,
        request=request,
        obj=consultation,
        case_ref=consultation.case.reference,
    )
    if sign:
        consultation = consultation_sign(consultation=consultation, actor=actor, request=request)
    return consultation


def team_summary(consultation: Consultation) -> str:
    """What the whole team reads: duration, mode and who was present; nothing that was said."""
    parts = [_("%(minutes)s min") % {"minutes": consultation.duration_minutes}]
    if consultation.mode != Consultation.Mode.IN_PERSON:
        parts.append(str(consultation.get_mode_display()).lower())
    if consultation.interpreter_id or consultation.interpreter_language_id:
        if consultation.interpreter_language_id:
            parts.append(_("with interpreter (%(language)s)") % {"language": consultation.interpreter_language.name})
        else:
            parts.append(_("with interpreter"))
    if consultation.ambassador_id:
        parts.append(_("with ambassador"))
    return " — ".join(parts)


def _clinical_summary(consultation: Consultation) -> str:
    problems = [str(ReferralReason(p).label) for p in consultation.presenting_problems]
    summary = str(consultation.get_kind_display())
    if problems:
        summary += " — " + ", ".join(problems)
    if consultation.risk_level:
        summary += " — " + _("risk: %(level)s") % {"level": consultation.get_risk_level_display()}
    return summary


@transaction.atomic
def consultation_sign(*, consultation: Consultation, actor: User, request=None) -> Consultation:
    """Sign a draft: it is locked for good; suicidal thoughts or a high risk raise the case's flag."""
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("case", "interpreter_language")
        .get(pk=consultation.pk)
    )
    case = consultation.case
    _require_clinician(actor, case)
    if consultation.is_signed:
        raise ValidationError(_("This consultation is already signed."))
    if consultation.psychologist_id != actor.pk:
        raise ValidationError(_("Only the author of a draft may sign it."))
    _validate(consultation)
    consultation.status = Consultation.Status.SIGNED
    consultation.signed_at = timezone.now()
    consultation.save(update_fields=["status", "signed_at", "updated_at"])
    timeline_record(
        case=case,
        kind="consultation.logged",
        actor=actor,
        occurred_at=consultation.started_at,
        summary=team_summary(consultation),
        source=consultation,
    )
    timeline_record(
        case=case,
        kind="consultation.clinical",
        actor=actor,
        occurred_at=consultation.started_at,
        summary=_clinical_summary(consultation),
        source=consultation,
        data={"consultation": str(consultation.code)},
    )
    if consultation.risk_level and consultation.risk_level != case.risk_level:
        case.risk_level = consultation.risk_level
        case.save(update_fields=["risk_level", "updated_at"])
    day = date_format(timezone.localtime(consultation.started_at), "SHORT_DATE_FORMAT")
    if ReferralReason.SUICIDAL_THOUGHTS in consultation.presenting_problems:
        risk_flag_raise(
            case=case,
            source=RiskFlag.Source.CONSULTATION,
            reason=_("Suicidal thoughts recorded in the consultation of %(day)s") % {"day": day},
            actor=actor,
            source_obj=consultation,
            request=request,
        )
    elif consultation.risk_level in HIGH_RISK:
        risk_flag_raise(
            case=case,
            source=RiskFlag.Source.CONSULTATION,
            reason=_("Risk level %(level)s recorded in the consultation of %(day)s")
            % {"level": consultation.get_risk_level_display(), "day": day},
            actor=actor,
            source_obj=consultation,
            request=request,
        )
    audit_record(action="consultation.signed", actor=actor, request=request, obj=consultation, case_ref=case.reference)
    return consultation


@transaction.atomic
def consultation_addendum_add(
    *, consultation: Consultation, actor: User, text: str, request=None
) -> ConsultationAddendum:
    """Complete a signed consultation: who, when and what are kept; the original never changes."""
    consultation = Consultation.objects.select_related("case").get(pk=consultation.pk)
    case = consultation.case
    _require_clinician(actor, case)
    if not consultation.is_signed:
        raise ValidationError(_("This consultation is still a draft: change it directly."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the addendum.")})
    addendum = ConsultationAddendum(consultation=consultation, author=actor, text=text)
    addendum.full_clean()
    addendum.save()
    day = date_format(timezone.localtime(consultation.started_at), "SHORT_DATE_FORMAT")
    timeline_record(
        case=case,
        kind="consultation.addendum",
        actor=actor,
        summary=_("Addendum to the consultation of %(day)s") % {"day": day},
        source=consultation,
        data={"consultation": str(consultation.code)},
    )
    audit_record(
        action="consultation.addendum",
        actor=actor,
        request=request,
        obj=consultation,
        case_ref=case.reference,
    )
    return addendum


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
    _require_clinician(actor, case)
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
    assessed_at = assessed_at or timezone.now()
    if assessed_at > timezone.now() + FUTURE_TOLERANCE:
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
    level_label = RiskLevel(level).label
    timeline_record(
        case=case,
        kind="risk.assessed",
        actor=actor,
        occurred_at=assessed_at,
        summary=_("Level: %(level)s") % {"level": level_label}
        + ("" if plan.is_empty else " — " + _("safety plan recorded")),
        source=assessment,
        data={"assessment": str(assessment.code), "level": level},
    )
    previous = case.risk_level
    case.risk_level = level
    case.save(update_fields=["risk_level", "updated_at"])
    if flag is not None:
        flag.acknowledged_at = timezone.now()
        flag.acknowledged_by = actor
        flag.save(update_fields=["acknowledged_at", "acknowledged_by"])
        timeline_record(
            case=case,
            kind="risk.acknowledged",
            actor=actor,
            summary=_("A psychologist of the team assessed the risk."),
            source=flag,
        )
        audit_record(action="risk.acknowledged", actor=actor, request=request, obj=case, case_ref=case.reference)
    elif level in HIGH_RISK and previous not in HIGH_RISK:
        risk_flag_raise(
            case=case,
            source=RiskFlag.Source.RISK_LEVEL,
            reason=_("Risk level set to %(level)s in an assessment") % {"level": level_label},
            actor=actor,
            source_obj=assessment,
            request=request,
        )
    audit_record(action="risk.assessed", actor=actor, request=request, obj=assessment, case_ref=case.reference)
    return assessment
