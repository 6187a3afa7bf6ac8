"""Every write on orientations to specialised resources."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from cases.models import Case, Orientation, OrientationOutcome, OrientationStatus
from cases.screenings.services import day_moment
from cases.timeline.record import timeline_record
from cases.timeline.texts import choice, iso_day, show_day
from integrapsy import clock
from integrapsy.accounts.models import User
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Resource


def _short(day: date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def proposed_summary(data: dict) -> str:
    """ "Centre Essor (Mental-health centre, Lille)", the kind of service in the active language."""
    return f"{data['name']} ({choice(Resource, 'kind', data['resource_kind'])}, {data['city']})"


def outcome_summary(data: dict) -> str:
    """ "Centre Essor: appointment made (12/03/2027)", in the active language and date format."""
    summary = f"{data['name']}: {OrientationStatus(data['status']).label}"
    if data["appointment_on"]:
        summary += f" ({show_day(data['appointment_on'])})"
    return summary


@transaction.atomic
def orientation_create(
    *,
    case: Case,
    resource: Resource,
    actor: User,
    reason: str,
    consent_to_share: bool,
    what_was_sent: str = "",
    proposed_on: date | None = None,
    sent_on: date | None = None,
    request=None,
) -> Orientation:
    """Orient the person to a resource of the directory; it may be sent at once."""
    today = clock.localdate()
    proposed_on = proposed_on or today
    errors: dict[str, str] = {}
    if case.is_closed:
        raise ValidationError(_("This case is closed."))
    if not resource.is_active:
        errors["resource"] = _("This resource is no longer in the directory.")
    if not reason.strip():
        errors["reason"] = _("Give a short, non-clinical reason.")
    if proposed_on > today:
        errors["proposed_on"] = _("The date cannot be in the future.")
    if sent_on is not None:
        if sent_on > today:
            errors["sent_on"] = _("The date cannot be in the future.")
        elif sent_on < proposed_on:
            errors["sent_on"] = _("It cannot be sent before it was proposed.")
        if not consent_to_share:
            errors["consent_to_share"] = _("Nothing may be sent to the service without the person's consent to share.")
    if errors:
        raise ValidationError(errors)
    orientation = Orientation(
        case=case,
        resource=resource,
        reason=reason.strip(),
        consent_to_share=consent_to_share,
        what_was_sent=what_was_sent.strip(),
        proposed_on=proposed_on,
        sent_on=sent_on,
        status=OrientationStatus.SENT if sent_on else OrientationStatus.PROPOSED,
        created_by=actor,
    )
    orientation.full_clean()
    orientation.save()
    OrientationOutcome.objects.create(
        orientation=orientation, status=OrientationStatus.PROPOSED, on=proposed_on, recorded_by=actor
    )
    if sent_on:
        OrientationOutcome.objects.create(
            orientation=orientation, status=OrientationStatus.SENT, on=sent_on, recorded_by=actor
        )
    data = {
        "resource": str(resource.code),
        "status": orientation.status,
        "name": resource.name,
        "resource_kind": resource.kind,
        "city": resource.city,
    }
    timeline_record(
        case=case,
        kind="orientation.proposed",
        actor=actor,
        summary=proposed_summary(data),
        occurred_at=day_moment(proposed_on),
        source=orientation,
        data=data,
    )
    audit_record(action="orientation.created", actor=actor, request=request, obj=orientation, case_ref=case.reference)
    return orientation


@transaction.atomic
def orientation_record_outcome(
    *,
    orientation: Orientation,
    actor: User,
    status: str,
    on: date,
    appointment_on: date | None = None,
    refusal_reason: str = "",
    note: str = "",
    request=None,
) -> Orientation:
    """Record what became of an orientation: sent, appointment made, attended, refused, no answer."""
    orientation = Orientation.objects.select_for_update().select_related("case", "resource").get(pk=orientation.pk)
    today = clock.localdate()
    errors: dict[str, str] = {}
    if status == OrientationStatus.PROPOSED or status not in OrientationStatus.values:
        errors["status"] = _("Choose what happened.")
    if on > today:
        errors["on"] = _("The date cannot be in the future.")
    elif on < orientation.proposed_on:
        errors["on"] = _("The date is before the orientation was proposed (%(day)s).") % {
            "day": _short(orientation.proposed_on)
        }
    elif orientation.sent_on and on < orientation.sent_on and status != OrientationStatus.SENT:
        errors["on"] = _("The date is before the orientation was sent (%(day)s).") % {
            "day": _short(orientation.sent_on)
        }
    if status == OrientationStatus.SENT and not orientation.consent_to_share:
        errors["status"] = _("Nothing may be sent to the service without the person's consent to share.")
    if status == OrientationStatus.APPOINTMENT_MADE:
        if appointment_on is None:
            errors["appointment_on"] = _("Give the date of the appointment.")
        elif appointment_on < (orientation.sent_on or orientation.proposed_on):
            errors["appointment_on"] = _("The appointment cannot be before the orientation was sent.")
    if status == OrientationStatus.REFUSED_BY_SERVICE and not refusal_reason.strip():
        errors["refusal_reason"] = _("Say why the service refused.")
    if errors:
        raise ValidationError(errors)
    orientation.status = status
    if status == OrientationStatus.SENT:
        orientation.sent_on = on
    else:
        orientation.outcome_on = on
    if status == OrientationStatus.APPOINTMENT_MADE:
        orientation.appointment_on = appointment_on
    if status == OrientationStatus.REFUSED_BY_SERVICE:
        orientation.refusal_reason = refusal_reason.strip()
    orientation.full_clean()
    orientation.save()
    outcome = OrientationOutcome.objects.create(
        orientation=orientation,
        status=status,
        on=on,
        appointment_on=appointment_on if status == OrientationStatus.APPOINTMENT_MADE else None,
        note=(refusal_reason.strip() if status == OrientationStatus.REFUSED_BY_SERVICE else note.strip())[:255],
        recorded_by=actor,
    )
    data = {
        "orientation": str(orientation.code),
        "status": status,
        "name": orientation.resource.name,
        "appointment_on": iso_day(appointment_on) if status == OrientationStatus.APPOINTMENT_MADE else None,
    }
    timeline_record(
        case=orientation.case,
        kind="orientation.outcome",
        actor=actor,
        summary=outcome_summary(data),
        occurred_at=day_moment(on),
        source=outcome,
        data=data,
    )
    audit_record(
        action="orientation.outcome",
        actor=actor,
        request=request,
        obj=orientation,
        case_ref=orientation.case.reference,
        detail=status,
    )
    return orientation
