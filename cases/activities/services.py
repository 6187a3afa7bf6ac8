"""Every write on collective therapeutic activities: sessions, enrolments, waiting list, attendance."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.activities.selectors import attendance_may_be_recorded
from cases.models import ActivitySession, Attendance, Case, Enrolment, GroupActivity
from cases.timeline.record import timeline_record
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.accounts.models import Role, Team, User
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Language, Location

MAX_SERIES = 52


def _team_members(team: Team):
    return User.objects.filter(
        memberships__team=team,
        memberships__role__in=[Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER, Role.AMBASSADOR],
    )


def enrolled_summary(data: dict) -> str:
    """The activity's title, and whether the place came from the waiting list (in the active language)."""
    if data["from_waiting_list"]:
        return _("%(activity)s (from the waiting list)") % {"activity": data["title"]}
    return data["title"]


def attended_summary(data: dict) -> str:
    return _("Took part in %(activity)s") % {"activity": data["title"]}


@transaction.atomic
def activity_create(
    *,
    team: Team,
    actor: User,
    title: str,
    kind: str,
    capacity: int,
    description: str = "",
    location: Location | None = None,
    place: str = "",
    facilitators: list[User] = (),
    languages: list[Language] = (),
    interpreter_needs: str = "",
    first_session_at: datetime | None = None,
    sessions_count: int = 1,
    every_days: int = 7,
    duration_minutes: int = 90,
    request=None,
) -> GroupActivity:
    """Plan a group activity, once or as a series of sessions."""
    errors: dict[str, str] = {}
    if not access.may(actor, Capability.MANAGE_ACTIVITIES, team.pk):
        errors["team"] = _("You can plan activities only for your own team.")
    if location is not None and location.team_id != team.pk:
        errors["location"] = _("Choose a place of this team.")
    facilitators = list(facilitators)
    if facilitators:
        allowed = set(_team_members(team).filter(pk__in=[f.pk for f in facilitators]).values_list("pk", flat=True))
        if len(allowed) != len({f.pk for f in facilitators}):
            errors["facilitators"] = _("Facilitators must be members of the team.")
    if not 1 <= sessions_count <= MAX_SERIES:
        errors["sessions_count"] = _("Between 1 and %(n)s sessions.") % {"n": MAX_SERIES}
    if sessions_count > 1 and every_days < 1:
        errors["every_days"] = _("Give the number of days between two sessions.")
    if GroupActivity.objects.filter(team=team, title__iexact=title.strip()).exists():
        errors["title"] = _("Your team already has an activity with this title.")
    if errors:
        raise ValidationError(errors)
    activity = GroupActivity(
        team=team,
        title=title.strip(),
        kind=kind,
        capacity=capacity,
        description=description,
        location=location,
        place=place,
        interpreter_needs=interpreter_needs,
        created_by=actor,
    )
    activity.full_clean()
    activity.save()
    activity.facilitators.set(facilitators)
    activity.languages.set(languages)
    if first_session_at is not None:
        ActivitySession.objects.bulk_create(
            ActivitySession(
                activity=activity,
                starts_at=first_session_at + timedelta(days=every_days * i),
                duration_minutes=duration_minutes,
            )
            for i in range(sessions_count)
        )
    audit_record(action="activity.created", actor=actor, request=request, obj=activity)
    return activity


@transaction.atomic
def session_add(
    *, activity: GroupActivity, actor: User, starts_at: datetime, duration_minutes: int = 90, request=None
) -> ActivitySession:
    """Add one session to an activity (its team's coordinators and psychologists)."""
    access.ensure_may(actor, Capability.MANAGE_ACTIVITIES, activity.team_id)
    if activity.sessions.filter(starts_at=starts_at).exists():
        raise ValidationError({"starts_at": _("There is already a session at this time.")})
    session = ActivitySession(activity=activity, starts_at=starts_at, duration_minutes=duration_minutes)
    session.full_clean()
    session.save()
    audit_record(action="activity.session_added", actor=actor, request=request, obj=activity)
    return session


def _enrolled_count(activity: GroupActivity) -> int:
    return activity.enrolments.filter(status=Enrolment.Status.ENROLLED).count()


@transaction.atomic
def enrolment_add(
    *, activity: GroupActivity, case: Case, actor: User, waiting_list: bool = False, request=None
) -> Enrolment:
    """Enrol a person in an activity; when it is full, only on the waiting list, if asked."""
    # Lock the activity: two enrolments at once cannot both take the last place.
    activity = GroupActivity.objects.select_for_update().get(pk=activity.pk)
    if case.is_closed:
        raise ValidationError({"case": _("This case is closed.")})
    existing = Enrolment.objects.filter(activity=activity, case=case).first()
    if existing is not None and existing.status != Enrolment.Status.WITHDRAWN:
        raise ValidationError(
            {"case": _("This person is already %(status)s.") % {"status": existing.get_status_display().lower()}}
        )
    enrolled = _enrolled_count(activity)
    if enrolled < activity.capacity:
        status = Enrolment.Status.ENROLLED
    elif waiting_list:
        status = Enrolment.Status.WAITING
    else:
        raise ValidationError(
            {
                "case": _(
                    "The activity is full (%(n)s of %(capacity)s places taken): "
                    "tick “waiting list” to put the person on it."
                )
                % {"n": enrolled, "capacity": activity.capacity}
            }
        )
    enrolment = existing or Enrolment(activity=activity, case=case)
    enrolment.status = status
    enrolment.enrolled_at = clock.now()
    enrolment.enrolled_by = actor
    enrolment.full_clean()
    enrolment.save()
    timeline_record(
        case=case,
        kind="activity.enrolled" if status == Enrolment.Status.ENROLLED else "activity.waiting",
        actor=actor,
        summary=activity.title,
        source=enrolment,
        data={"activity": str(activity.code), "title": activity.title, "from_waiting_list": False},
    )
    audit_record(action=f"activity.{status}", actor=actor, request=request, obj=enrolment, case_ref=case.reference)
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, actor: User, request=None) -> Enrolment:
    """Take a person out of an activity; the first on the waiting list takes the place."""
    activity = GroupActivity.objects.select_for_update().get(pk=enrolment.activity_id)
    enrolment = Enrolment.objects.select_related("case").get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError(_("This person has already left the activity."))
    freed = enrolment.status == Enrolment.Status.ENROLLED
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.save(update_fields=["status"])
    timeline_record(
        case=enrolment.case, kind="activity.withdrawn", actor=actor, summary=activity.title, source=enrolment
    )
    audit_record(
        action="activity.withdrawn",
        actor=actor,
        request=request,
        obj=enrolment,
        case_ref=enrolment.case.reference,
    )
    if freed and _enrolled_count(activity) < activity.capacity:
        waiting = (
            activity.enrolments.filter(status=Enrolment.Status.WAITING)
            .select_related("case")
            .order_by("enrolled_at", "id")
            .first()
        )
        if waiting is not None:
            waiting.status = Enrolment.Status.ENROLLED
            waiting.save(update_fields=["status"])
            data = {"activity": str(activity.code), "title": activity.title, "from_waiting_list": True}
            timeline_record(
                case=waiting.case,
                kind="activity.enrolled",
                actor=actor,
                summary=enrolled_summary(data),
                source=waiting,
                data=data,
            )
            audit_record(
                action="activity.enrolled",
                actor=actor,
                request=request,
                obj=waiting,
                case_ref=waiting.case.reference,
            )
    return enrolment


@transaction.atomic
def attendance_record(
    *, session: ActivitySession, actor: User, present: list[Enrolment], request=None
) -> list[Attendance]:
    """Record who came to a session; each one who came gets "took part in ..." on their timeline."""
    if not attendance_may_be_recorded(session):
        raise ValidationError(_("Attendance can be recorded once the session has started."))
    activity = session.activity
    enrolments = list(
        activity.enrolments.filter(status=Enrolment.Status.ENROLLED).select_related("case").order_by("id")
    )
    present_ids = {e.pk for e in present}
    unknown = present_ids - {e.pk for e in enrolments}
    if unknown:
        raise ValidationError({"present": _("Only enrolled persons can be marked present.")})
    before = {a.enrolment_id: a for a in session.attendances.all()}
    rows = []
    for enrolment in enrolments:
        is_present = enrolment.pk in present_ids
        attendance = before.get(enrolment.pk)
        was_present = attendance is not None and attendance.present
        if attendance is None:
            attendance = Attendance(session=session, enrolment=enrolment)
        attendance.present = is_present
        attendance.recorded_by = actor
        attendance.save()
        rows.append(attendance)
        if is_present and not was_present:
            data = {"activity": str(activity.code), "session": str(session.code), "title": activity.title}
            timeline_record(
                case=enrolment.case,
                kind="activity.attended",
                actor=actor,
                summary=attended_summary(data),
                occurred_at=session.starts_at,
                source=attendance,
                data=data,
            )
    session.attendance_recorded_at = clock.now()
    session.save(update_fields=["attendance_recorded_at"])
    audit_record(action="activity.attendance", actor=actor, request=request, obj=activity, detail=str(session.code))
    return rows
