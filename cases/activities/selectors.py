"""Reads of group activities, scoped to the user's teams."""

from __future__ import annotations

from datetime import datetime

from django.db.models import BigIntegerField, Count, Min, Q, QuerySet

from cases.models import ActivitySession, Case, Enrolment, GroupActivity
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.accounts.models import Role, Team, User
from integrapsy.directory.models import Location
from integrapsy.prepared import Param, PreparedQuery


def _visible_activities(user: User) -> QuerySet[GroupActivity]:
    return access.scope(user, GroupActivity.objects.all(), Capability.VIEW_ACTIVITIES)


def activity_list(*, user: User) -> QuerySet[GroupActivity]:
    """The activities of the user's teams, with places taken and the next session (no query per row)."""
    access.require(user, access.Capability.VIEW_ACTIVITIES)
    return (
        _visible_activities(user)
        .select_related("team", "location")
        .annotate(
            enrolled_count=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED), distinct=True),
            waiting_count=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING), distinct=True),
            next_session=Min("sessions__starts_at", filter=Q(sessions__starts_at__gte=clock.now())),
        )
        .order_by("title")
    )


def activity_get(*, user: User, code) -> GroupActivity:
    access.require(user, access.Capability.VIEW_ACTIVITIES)
    return access.one_or_404(_visible_activities(user).select_related("team", "location"), code=code)


def activity_page(*, user: User, activity: GroupActivity) -> dict:
    enrolments = list(
        activity.enrolments.exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("case", "case__person")
        .order_by("enrolled_at", "id")
    )
    sessions = list(
        activity.sessions.annotate(present_count=Count("attendances", filter=Q(attendances__present=True))).order_by(
            "starts_at"
        )
    )
    enrolled = [e for e in enrolments if e.status == Enrolment.Status.ENROLLED]
    now = clock.now()
    for session in sessions:
        session.may_record_attendance = attendance_may_be_recorded(session, now=now)
    return {
        "activity": activity,
        "enrolled": enrolled,
        "waiting": [e for e in enrolments if e.status == Enrolment.Status.WAITING],
        "is_full": len(enrolled) >= activity.capacity,
        "sessions": sessions,
        "facilitators": list(activity.facilitators.order_by("last_name", "first_name")),
        "languages": list(activity.languages.all()),
        "may_manage": access.may(user, Capability.MANAGE_ACTIVITIES, activity.team_id),
        "now": clock.now(),
    }


def attendance_may_be_recorded(session: ActivitySession, *, now: datetime | None = None) -> bool:
    """Who came is recorded once the session has started."""
    return session.starts_at <= (now or clock.now())


def session_get(*, user: User, code) -> ActivitySession:
    access.require(user, access.Capability.VIEW_ACTIVITIES)
    sessions = ActivitySession.objects.select_related("activity", "activity__team")
    return access.one_or_404(sessions, code=code, activity__in=_visible_activities(user))


def session_attendance(*, session: ActivitySession) -> tuple[list[Enrolment], set[int]]:
    """The enrolled persons, and who was marked present."""
    enrolments = list(
        session.activity.enrolments.filter(status=Enrolment.Status.ENROLLED)
        .select_related("case", "case__person")
        .order_by("case__person__first_name", "id")
    )
    present = set(session.attendances.filter(present=True).values_list("enrolment_id", flat=True))
    return enrolments, present


def enrolment_get(*, user: User, code) -> Enrolment:
    access.require(user, access.Capability.VIEW_ACTIVITIES)
    enrolments = Enrolment.objects.select_related("activity", "case")
    return access.one_or_404(enrolments, code=code, activity__in=_visible_activities(user))


def enrolable_cases(*, user: User, activity: GroupActivity) -> QuerySet[Case]:
    """Open cases the user may open that are not already in (or waiting for) the activity."""
    taken = activity.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).values("case_id")
    return (
        access.scope_cases(user, Case.objects.exclude(status=Case.Status.CLOSED))
        .exclude(pk__in=taken)
        .select_related("person")
        .order_by("person__first_name", "person__last_name")
    )


def activity_teams(*, user: User) -> QuerySet[Team]:
    """The teams for which the user may plan and run group activities."""
    return access.scope(user, Team.objects.all(), Capability.MANAGE_ACTIVITIES).order_by("name")


def team_facilitators(*, teams: QuerySet[Team]) -> QuerySet[User]:
    return access.users_holding(
        User.objects.all(), Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER, Role.AMBASSADOR, teams=teams
    ).order_by("last_name", "first_name")


def activity_locations(*, user: User) -> QuerySet[Location]:
    """The places of the teams for which the user may plan group activities."""
    return access.scope(user, Location.objects.filter(is_active=True), Capability.MANAGE_ACTIVITIES).order_by("name")


# The person's group activities on a case, latest first: compiled once (``integrapsy.prepared``).
_CASE_ENROLMENTS = PreparedQuery(
    lambda shape: (
        Enrolment.objects.filter(case_id=Param("case_id", BigIntegerField()))
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .select_related("activity")
        .order_by("-enrolled_at")
    )
)


def activity_panel(*, user: User, case: Case, case_access) -> dict:
    """The case page's block of group activities the person is in or waiting for (linked when of the user's teams)."""
    enrolments = _CASE_ENROLMENTS.run(case_id=case.pk)
    return {
        "enrolments": [
            {"enrolment": e, "may_open": access.may(user, Capability.VIEW_ACTIVITIES, e.activity.team_id)}
            for e in enrolments
        ]
    }
