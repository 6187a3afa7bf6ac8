"""Every write on consultations, their addenda, and risk assessments with safety plans."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.consultations.selectors import booking_leads_to_consultation
from cases.models import (
    Case,
    Consultation,
    ConsultationAddendum,
    PermanenceBooking,
    ReferralReason,
    RiskFlag,
)
from cases.risk.services import FUTURE_TOLERANCE, HIGH_RISK, require_clinician, risk_flag_raise
from cases.timeline.record import timeline_record
from cases.timeline.texts import choice, in_language, iso_day, names_of, show_day
from integrapsy import access, clock
from integrapsy.accounts.models import Role, User
from integrapsy.audit.services import audit_record
from integrapsy.validators import required_text

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


def _validate(consultation: Consultation) -> None:
    errors: dict[str, str] = {}
    team_id = consultation.case.team_id
    if consultation.started_at and consultation.started_at > clock.now() + FUTURE_TOLERANCE:
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
    require_clinician(actor, case)
    if case.is_closed:
        raise ValidationError(_("This case is closed: reopen it to log a consultation."))
    if booking is not None:
        if booking.case_id != case.pk or not booking_leads_to_consultation(booking):
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
    require_clinician(actor, consultation.case)
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


def team_data(consultation: Consultation) -> dict:
    """What the whole team's event keeps: duration, mode and who was present; nothing that was said."""
    return {
        "minutes": consultation.duration_minutes,
        "mode": consultation.mode,
        "interpreter": bool(consultation.interpreter_id or consultation.interpreter_language_id),
        "interpreter_language": names_of(consultation.interpreter_language),
        "ambassador": bool(consultation.ambassador_id),
    }


def team_summary(data: dict) -> str:
    """ "45 min — with interpreter (Tigrinya)", in the active language."""
    parts = [_("%(minutes)s min") % {"minutes": data["minutes"]}]
    if data["mode"] != Consultation.Mode.IN_PERSON:
        parts.append(choice(Consultation, "mode", data["mode"]).lower())
    if data["interpreter"]:
        if data["interpreter_language"]:
            parts.append(_("with interpreter (%(language)s)") % {"language": in_language(data["interpreter_language"])})
        else:
            parts.append(_("with interpreter"))
    if data["ambassador"]:
        parts.append(_("with ambassador"))
    return " — ".join(parts)


def clinical_summary(data: dict) -> str:
    """Kind, presenting problems and risk level of a consultation (clinicians only), in the active language."""
    summary = choice(Consultation, "kind", data["kind"])
    problems = [str(ReferralReason(p).label) for p in data["problems"]]
    if problems:
        summary += " — " + ", ".join(problems)
    if data["risk_level"]:
        summary += " — " + _("risk: %(level)s") % {"level": choice(Consultation, "risk_level", data["risk_level"])}
    return summary


def addendum_summary(data: dict) -> str:
    return _("Addendum to the consultation of %(day)s") % {"day": show_day(data["day"])}


@transaction.atomic
def consultation_sign(*, consultation: Consultation, actor: User, request=None) -> Consultation:
    """Sign a draft: it is locked for good; suicidal thoughts or a high risk raise the case's flag."""
    consultation = (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("case", "interpreter_language")
        .get(pk=consultation.pk)
    )
    case = consultation.case
    require_clinician(actor, case)
    if consultation.is_signed:
        raise ValidationError(_("This consultation is already signed."))
    if consultation.psychologist_id != actor.pk:
        raise ValidationError(_("Only the author of a draft may sign it."))
    _validate(consultation)
    consultation.status = Consultation.Status.SIGNED
    consultation.signed_at = clock.now()
    consultation.save(update_fields=["status", "signed_at", "updated_at"])
    data = team_data(consultation)
    timeline_record(
        case=case,
        kind="consultation.logged",
        actor=actor,
        occurred_at=consultation.started_at,
        summary=team_summary(data),
        source=consultation,
        data=data,
    )
    data = {
        "consultation": str(consultation.code),
        "kind": consultation.kind,
        "problems": list(consultation.presenting_problems),
        "risk_level": consultation.risk_level,
    }
    timeline_record(
        case=case,
        kind="consultation.clinical",
        actor=actor,
        occurred_at=consultation.started_at,
        summary=clinical_summary(data),
        source=consultation,
        data=data,
    )
    if consultation.risk_level and consultation.risk_level != case.risk_level:
        case.risk_level = consultation.risk_level
        case.save(update_fields=["risk_level", "updated_at"])
    day = iso_day(timezone.localtime(consultation.started_at).date())
    if ReferralReason.SUICIDAL_THOUGHTS in consultation.presenting_problems:
        risk_flag_raise(
            case=case,
            source=RiskFlag.Source.CONSULTATION,
            reason_data={"why": "consultation_suicidal", "day": day},
            actor=actor,
            source_obj=consultation,
            request=request,
        )
    elif consultation.risk_level in HIGH_RISK:
        risk_flag_raise(
            case=case,
            source=RiskFlag.Source.CONSULTATION,
            reason_data={"why": "consultation_level", "level": consultation.risk_level, "day": day},
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
    require_clinician(actor, case)
    if not consultation.is_signed:
        raise ValidationError(_("This consultation is still a draft: change it directly."))
    text = required_text(text, field="text", message=_("Write the addendum."))
    addendum = ConsultationAddendum(consultation=consultation, author=actor, text=text)
    addendum.full_clean()
    addendum.save()
    data = {"consultation": str(consultation.code), "day": iso_day(timezone.localtime(consultation.started_at).date())}
    timeline_record(
        case=case,
        kind="consultation.addendum",
        actor=actor,
        summary=addendum_summary(data),
        source=consultation,
        data=data,
    )
    audit_record(
        action="consultation.addendum",
        actor=actor,
        request=request,
        obj=consultation,
        case_ref=case.reference,
    )
    return addendum
