"""Reads of consultations and risk: clinical content for psychologists of the case's team only."""

from __future__ import annotations

from datetime import datetime

from django.db.models import BigIntegerField, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Case, Consultation, PermanenceBooking, SlotAttendance
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.accounts.models import Role, User
from integrapsy.prepared import Param, PreparedQuery


def booking_leads_to_consultation(booking: PermanenceBooking) -> bool:
    """A consultation may be logged after an appointment that took place, of a person with a case."""
    return booking.status == SlotAttendance.ATTENDED and booking.case_id is not None


def consultation_prefill(*, booking: PermanenceBooking) -> dict:
    """What the consultation form starts from after an attended appointment; never a time to come.

    A person may be marked attended before their slot's time (seen early): the consultation then
    starts now, so that it can be saved at once.
    """
    session = booking.session
    start = booking.slot.start_time if booking.slot else session.start_time
    started_at = timezone.make_aware(datetime.combine(session.date, start))
    now = timezone.localtime(clock.now()).replace(second=0, microsecond=0)
    return {
        "started_at": min(started_at, now),
        "duration_minutes": session.slot_minutes,
        "mode": Consultation.Mode.IN_PERSON,
        "place": session.location_id,
        "interpreter": session.interpreter_id,
        "interpreter_language": booking.interpreter_language_id or session.interpreter_language_id,
        "ambassador": session.ambassador_id,
    }


def may_log_consultation(*, user: User, booking: PermanenceBooking) -> bool:
    """Offer to log an appointment's consultation: it took place, none is logged yet, the user is its clinician."""
    return (
        booking_leads_to_consultation(booking)
        and not hasattr(booking, "consultation")
        and access.may(user, Capability.READ_CLINICAL, booking.case.team_id)
    )


def may_sign(*, user: User, consultation: Consultation) -> bool:
    """A draft is signed by its author only, once."""
    return not consultation.is_signed and consultation.psychologist_id == user.pk


def consultation_get(*, user: User, code) -> Consultation:
    """One consultation, for a psychologist of its case's team; anyone else gets a 404."""
    consultations = access.scope(user, Consultation.objects.all(), Capability.READ_CLINICAL).select_related(
        "case",
        "case__person",
        "case__team",
        "psychologist",
        "place",
        "interpreter",
        "interpreter_language",
        "ambassador",
        "social_worker",
        "booking",
    )
    return access.one_or_404(consultations, code=code)


def consultation_addenda(*, consultation: Consultation) -> list:
    return list(consultation.addenda.select_related("author").order_by("created_at", "id"))


def case_consultations(*, user: User, case: Case) -> QuerySet[Consultation]:
    """The case's consultations, newest first (clinicians only)."""
    if not access.may(user, Capability.READ_CLINICAL, case.team_id):
        raise Http404
    return case.consultations.select_related("psychologist", "interpreter_language", "place").order_by(
        "-started_at", "-id"
    )


def my_draft_consultations(*, user: User, limit: int = 10) -> list[Consultation]:
    """The psychologist's drafts still to sign."""
    if not access.can(user, Capability.LOG_CONSULTATIONS):
        return []
    return list(
        Consultation.objects.filter(psychologist=user, status=Consultation.Status.DRAFT)
        .select_related("case", "case__person")
        .order_by("started_at")[:limit]
    )


def team_people(*, case: Case) -> dict:
    """Who may be recorded as present at a consultation of this case."""
    team = [case.team_id]
    users = User.objects.all()
    return {
        "interpreters": access.users_holding(users, Role.INTERPRETER).order_by("last_name"),
        "ambassadors": access.users_holding(users, Role.AMBASSADOR, teams=team).order_by("last_name"),
        "social_workers": access.users_holding(users, Role.SOCIAL_WORKER, teams=team).order_by("last_name"),
    }


# The latest consultations of a case (``case_consultations``' first rows), compiled once per
# number of rows (``integrapsy.prepared``).
_LATEST_CONSULTATIONS = PreparedQuery(
    lambda limit: (
        Consultation.objects.filter(case_id=Param("case_id", BigIntegerField()))
        .select_related("psychologist", "interpreter_language", "place")
        .order_by("-started_at", "-id")[:limit]
    )
)


def case_consultations_panel(*, user: User, case: Case, case_access, limit: int = 5) -> dict:
    """The latest consultations, for the psychologists of the case's team."""
    if not case_access.clinical:
        return {}
    return {
        "consultations": _LATEST_CONSULTATIONS.run(limit, case_id=case.pk),
        "may_log": access.may(user, Capability.LOG_CONSULTATIONS, case.team_id) and not case.is_closed,
    }
