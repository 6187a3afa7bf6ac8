"""The access policy: the one place that answers "may this user ...?" and "which rows?".

Views and selectors call it; templates only receive the flags it computes. A row outside
a user's scope is answered with a 404 (``get_or_404``-style helpers raise ``Http404``),
so that its existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q
from django.http import Http404

from integrapsy.accounts.models import Role


class Capability(StrEnum):
    ADMIN_SITE = "admin_site"
    VIEW_HOME = "view_home"
    CHANGE_OWN_PASSWORD = "change_own_password"
    VIEW_CASES = "view_cases"
    SUBMIT_REFERRAL = "submit_referral"
    FOLLOW_OWN_REFERRALS = "follow_own_referrals"
    TRIAGE_REFERRALS = "triage_referrals"
    VIEW_TEAM_REFERRALS = "view_team_referrals"
    MERGE_PERSONS = "merge_persons"
    VIEW_AUDIT = "view_audit"
    MANAGE_DATA_RIGHTS = "manage_data_rights"
    VIEW_PERMANENCES = "view_permanences"
    PLAN_PERMANENCES = "plan_permanences"
    BOOK_SLOTS = "book_slots"
    RECORD_ATTENDANCE = "record_attendance"
    LOG_CONSULTATIONS = "log_consultations"
    REQUEST_SLOTS = "request_slots"
    ANSWER_SLOT_REQUESTS = "answer_slot_requests"
    VIEW_BOOKINGS = "view_bookings"
    REQUEST_BOOKINGS = "request_bookings"
    MANAGE_BOOKINGS = "manage_bookings"
    INTERPRET = "interpret"
    VIEW_TIMESHEET = "view_timesheet"
    VIEW_AMBASSADORS = "view_ambassadors"
    MANAGE_AMBASSADORS = "manage_ambassadors"
    PLAN_LANGUAGE_SUPPORT = "plan_language_support"
    WORK_AS_AMBASSADOR = "work_as_ambassador"
    ADMINISTER_SCREENINGS = "administer_screenings"
    VIEW_DIRECTORY = "view_directory"
    MANAGE_DIRECTORY = "manage_directory"
    ORIENT = "orient"
    FOLLOW_UP_ORIENTATIONS = "follow_up_orientations"
    VIEW_ACTIVITIES = "view_activities"
    MANAGE_ACTIVITIES = "manage_activities"
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_INDICATORS = "view_indicators"
    EXPORT_LISTS = "export_lists"
    VIEW_UNDELIVERED_MESSAGES = "view_undelivered_messages"


BOOKING_REQUEST_ROLES = frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST})

# Which roles hold which capability. Later features add their capabilities here.
CAPABILITIES: dict[Capability, frozenset[str]] = {
    Capability.ADMIN_SITE: frozenset({Role.ADMIN}),
    Capability.VIEW_HOME: frozenset(Role.values),
    Capability.CHANGE_OWN_PASSWORD: frozenset(Role.values),
    Capability.VIEW_CASES: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER}),
    Capability.SUBMIT_REFERRAL: frozenset({Role.REFERRER}),
    Capability.FOLLOW_OWN_REFERRALS: frozenset({Role.REFERRER}),
    Capability.TRIAGE_REFERRALS: frozenset({Role.COORDINATOR}),
    Capability.VIEW_TEAM_REFERRALS: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER}),
    Capability.MERGE_PERSONS: frozenset({Role.COORDINATOR}),
    Capability.VIEW_AUDIT: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Capability.MANAGE_DATA_RIGHTS: frozenset({Role.ADMIN}),
    Capability.VIEW_PERMANENCES: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER}),
    Capability.PLAN_PERMANENCES: frozenset({Role.COORDINATOR}),
    Capability.BOOK_SLOTS: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER}),
    Capability.RECORD_ATTENDANCE: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST}),
    Capability.LOG_CONSULTATIONS: frozenset({Role.PSYCHOLOGIST}),
    # A referrer asks for a permanence slot for a person they referred; the team's
    # coordinators confirm or decline it.
    Capability.REQUEST_SLOTS: frozenset({Role.REFERRER}),
    Capability.ANSWER_SLOT_REQUESTS: frozenset({Role.COORDINATOR}),
    # Interpreter bookings: the team asks, the coordinator matches and confirms, the
    # interpreter sees only their own bookings.
    Capability.VIEW_BOOKINGS: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER}),
    Capability.REQUEST_BOOKINGS: BOOKING_REQUEST_ROLES,
    Capability.MANAGE_BOOKINGS: frozenset({Role.COORDINATOR}),
    Capability.INTERPRET: frozenset({Role.INTERPRETER}),
    Capability.VIEW_TIMESHEET: frozenset({Role.COORDINATOR, Role.INTERPRETER}),
    Capability.VIEW_AMBASSADORS: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER}),
    Capability.MANAGE_AMBASSADORS: frozenset({Role.COORDINATOR}),
    Capability.PLAN_LANGUAGE_SUPPORT: frozenset({Role.COORDINATOR}),
    Capability.WORK_AS_AMBASSADOR: frozenset({Role.AMBASSADOR}),
    Capability.ADMINISTER_SCREENINGS: frozenset({Role.PSYCHOLOGIST}),
    Capability.VIEW_DIRECTORY: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER}),
    Capability.MANAGE_DIRECTORY: frozenset({Role.COORDINATOR}),
    Capability.ORIENT: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER}),
    Capability.FOLLOW_UP_ORIENTATIONS: frozenset({Role.COORDINATOR}),
    Capability.VIEW_ACTIVITIES: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER}),
    Capability.MANAGE_ACTIVITIES: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST}),
    # Dashboards, funder indicators and list exports: coordinators for their teams, the
    # administrator for every team.
    Capability.VIEW_DASHBOARD: frozenset({Role.COORDINATOR, Role.ADMIN}),
    Capability.VIEW_INDICATORS: frozenset({Role.COORDINATOR, Role.ADMIN}),
    Capability.EXPORT_LISTS: frozenset({Role.COORDINATOR, Role.ADMIN}),
    # Messages that could not be delivered: coordinators for their teams, the administrator all.
    Capability.VIEW_UNDELIVERED_MESSAGES: frozenset({Role.COORDINATOR, Role.ADMIN}),
}

CLINICAL_ROLES = frozenset({Role.PSYCHOLOGIST})
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER})


@dataclass(frozen=True)
class AccessProfile:
    """What the policy needs to know about a user, read once per request."""

    roles: frozenset[str] = frozenset()
    teams_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    organisations_by_role: dict[str, frozenset[int]] = field(default_factory=dict)

    def team_ids(self, *roles: str) -> frozenset[int]:
        wanted = roles or tuple(self.teams_by_role)
        return frozenset().union(*(self.teams_by_role.get(r, frozenset()) for r in wanted))

    def organisation_ids(self, *roles: str) -> frozenset[int]:
        wanted = roles or tuple(self.organisations_by_role)
        return frozenset().union(*(self.organisations_by_role.get(r, frozenset()) for r in wanted))


_EMPTY = AccessProfile()


def profile(user) -> AccessProfile:
    """The user's roles and scopes, cached on the user object (one query per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_access_profile", None)
    if cached is not None:
        return cached
    teams: dict[str, set[int]] = {}
    orgs: dict[str, set[int]] = {}
    roles: set[str] = set()
    for role, team_id, org_id in user.memberships.values_list("role", "team_id", "organisation_id"):
        roles.add(role)
        if team_id is not None:
            teams.setdefault(role, set()).add(team_id)
        if org_id is not None:
            orgs.setdefault(role, set()).add(org_id)
    result = AccessProfile(
        roles=frozenset(roles),
        teams_by_role={r: frozenset(ids) for r, ids in teams.items()},
        organisations_by_role={r: frozenset(ids) for r, ids in orgs.items()},
    )
    user._access_profile = result
    return result


def has_role(user, *roles: str) -> bool:
    return bool(profile(user).roles.intersection(roles))


def can(user, capability: Capability) -> bool:
    return has_role(user, *CAPABILITIES[capability])


def require(user, capability: Capability) -> None:
    """Answer 404 (never 403) when the user lacks the capability."""
    if not can(user, capability):
        raise Http404


def team_ids(user, *roles: str) -> frozenset[int]:
    """Teams in which the user holds one of ``roles`` (any role when none is given)."""
    return profile(user).team_ids(*roles)


def organisation_ids(user, *roles: str) -> frozenset[int]:
    return profile(user).organisation_ids(*roles)


def is_clinician_in(user, team_id: int) -> bool:
    """Clinical content is for psychologists of the team that follows the case."""
    return team_id in profile(user).team_ids(*CLINICAL_ROLES)


def requires_two_factor(user) -> bool:
    """Every role that reads health data (``DATA_ACCESS``) confirms a second factor (TOTP)."""
    return has_role(user, *TWO_FACTOR_ROLES)


def may_use_admin_site(user) -> bool:
    return user.is_active and user.is_staff and can(user, Capability.ADMIN_SITE)


# --- Cases, persons and referrals -------------------------------------------------------
# The policy reaches the cases' rows through the querysets it is given, so the core does not
# import the apps built on it.


def staff_team_ids(user) -> frozenset[int]:
    """Teams whose cases the user follows as coordinator, psychologist or social worker."""
    return profile(user).team_ids(*STAFF_ROLES)


def scope_cases(user, queryset):
    """The cases the user may open: their teams' cases and cases shared with their teams.

    Ambassadors reach only the cases they are assigned to, through their own reduced pages;
    interpreters and referrers reach none.
    """
    ids = staff_team_ids(user)
    if not ids:
        return queryset.none()
    shared = shared_case_ids(user, queryset.model)
    # Without shares the filter is the team alone, which the (team, -opened_on) index serves in
    # order: a page of a team's cases reads that page only. A subquery in an OR would make the
    # database read every case of every team (measured by ``manage.py benchmark``).
    if not shared:
        return queryset.filter(team_id__in=ids)
    return queryset.filter(Q(team_id__in=ids) | Q(pk__in=shared))


def scope_case_lookup(user, queryset):
    """``scope_cases`` for reading one case by its reference, in one query.

    The shares are a subquery here: costless on the one row a reference names, where the list
    (``scope_cases``) reads them first to keep its team index usable.
    """
    ids = staff_team_ids(user)
    if not ids:
        return queryset.none()
    share_model = queryset.model._meta.get_field("shares").related_model
    shared = share_model.objects.filter(team_id__in=ids).values("case_id")
    return queryset.filter(Q(team_id__in=ids) | Q(pk__in=shared))


def shared_case_ids(user, case_model) -> frozenset[int]:
    """Ids of the cases shared with the user's teams: few, read once per request (cached on the user)."""
    cached = getattr(user, "_shared_case_ids", None)
    if cached is not None:
        return cached
    share_model = case_model._meta.get_field("shares").related_model
    result = frozenset(share_model.objects.filter(team_id__in=staff_team_ids(user)).values_list("case_id", flat=True))
    user._shared_case_ids = result
    return result


@dataclass(frozen=True)
class CaseAccess:
    """What a user may do on one case they can open."""

    write: bool
    clinical: bool
    coordinate: bool


def case_access(user, case) -> CaseAccess:
    """Flags for a case the user may open (scope it first with ``scope_cases``)."""
    prof = profile(user)
    own_team = case.team_id in prof.team_ids(*STAFF_ROLES)
    return CaseAccess(
        write=bool(staff_team_ids(user)),
        clinical=is_clinician_in(user, case.team_id),
        coordinate=own_team and case.team_id in prof.team_ids(Role.COORDINATOR),
    )


def visible_timeline_visibilities(user, case) -> list[str]:
    """Clinical events are for psychologists of the case's team only."""
    return ["team", "clinical"] if is_clinician_in(user, case.team_id) else ["team"]


def scope_persons(user, queryset):
    """Persons with a case (or a referral) the user may open."""
    ids = staff_team_ids(user)
    if not ids:
        return queryset.none()
    case_model = queryset.model._meta.get_field("cases").related_model
    referral_model = queryset.model._meta.get_field("referrals").related_model
    cases = scope_cases(user, case_model.objects.all()).values("person_id")
    referrals = referral_model.objects.filter(team_id__in=ids, person__isnull=False).values("person_id")
    return queryset.filter(Q(pk__in=cases) | Q(pk__in=referrals))


def scope_referrals_for_team(user, queryset):
    """Referrals addressed to the user's teams (staff view)."""
    return queryset.filter(team_id__in=staff_team_ids(user))


def scope_referrals_for_referrer(user, queryset):
    """Referrals of the referrer's own organisation(s): status and dates only."""
    return queryset.filter(organisation_id__in=profile(user).organisation_ids(Role.REFERRER))


def may_see_access_log(user, case_team_ids) -> bool:
    """ "Who accessed this file" is for clinicians of a team that follows the person."""
    return bool(profile(user).team_ids(*CLINICAL_ROLES).intersection(case_team_ids))


# What each role may read, for the list of staff categories with access to health data
# (Belgian law of 30 July 2018, art. 9; GDPR art. 9 and 30).
DATA_ACCESS: dict[str, tuple[bool, str]] = {
    Role.PSYCHOLOGIST: (True, "identity, case file, clinical notes, screenings, risk assessments of their team"),
    Role.COORDINATOR: (True, "identity, case file and timeline without clinical content, of their team; audit"),
    Role.SOCIAL_WORKER: (True, "identity, case file and timeline without clinical content, of their team"),
    Role.AMBASSADOR: (False, "first name, languages and location of the persons they accompany; their own contacts"),
    Role.INTERPRETER: (False, "first name, language, place and time of their own bookings"),
    Role.REFERRER: (False, "status and dates of their own organisation's referrals"),
    Role.ADMIN: (True, "users and reference data; audit log; subject-access exports and erasure"),
}
# The second factor follows from the table above: a role that reads health data needs it.
TWO_FACTOR_ROLES = frozenset(role for role, (health_data, _scope) in DATA_ACCESS.items() if health_data)

# --- Permanences, consultations and risk ------------------------------------------------


def scope_team_rows(user, queryset, *roles: str):
    """Rows carrying a ``team`` of the user's (staff roles unless ``roles`` are given)."""
    ids = profile(user).team_ids(*(roles or STAFF_ROLES))
    return queryset.filter(team_id__in=ids) if ids else queryset.none()


def may_plan_in(user, team_id: int) -> bool:
    """Coordinators plan the permanences of their own teams."""
    return team_id in profile(user).team_ids(Role.COORDINATOR)


def may_record_attendance_in(user, team_id: int) -> bool:
    return team_id in profile(user).team_ids(Role.COORDINATOR, *CLINICAL_ROLES)


def may_book_in(user, team_id: int) -> bool:
    return team_id in staff_team_ids(user)


def may_request_slot_for(user, referral) -> bool:
    """A referrer asks for slots for their own organisation's referrals only."""
    return referral.organisation_id in profile(user).organisation_ids(Role.REFERRER)


def scope_slot_requests_for_team(user, queryset):
    """Slot requests addressed to the teams the user coordinates: they confirm or decline them."""
    ids = profile(user).team_ids(Role.COORDINATOR)
    return queryset.filter(team_id__in=ids) if ids else queryset.none()


def scope_slot_requests_for_referrer(user, queryset):
    """Slot requests made for the referrer's own organisation's referrals."""
    ids = profile(user).organisation_ids(Role.REFERRER)
    return queryset.filter(referral__organisation_id__in=ids) if ids else queryset.none()


def users_holding(queryset, role: str, team_ids=None):
    """Active users holding ``role`` (in one of ``team_ids`` for team roles): who may be present."""
    qs = queryset.filter(is_active=True, memberships__role=role)
    if team_ids is not None:
        qs = qs.filter(memberships__team_id__in=team_ids)
    return qs.distinct()


def holds_role(user, role: str, team_id: int | None = None) -> bool:
    prof = profile(user)
    if team_id is None:
        return role in prof.roles
    return team_id in prof.team_ids(role)


def risk_alert_team_ids(user) -> frozenset[int]:
    """Teams whose open risk flags the user sees on their home page: psychologists and coordinators."""
    return profile(user).team_ids(Role.COORDINATOR, *CLINICAL_ROLES)


# --- Interpreter bookings ---------------------------------------------------------------


def scope_bookings_for_team(user, queryset):
    """Bookings requested by the user's teams (staff view)."""
    return queryset.filter(team_id__in=staff_team_ids(user))


def scope_bookings_for_interpreter(user, queryset):
    """An interpreter's own bookings, and nothing else."""
    if not has_role(user, Role.INTERPRETER):
        return queryset.none()
    return queryset.filter(interpreter__user=user)


@dataclass(frozen=True)
class BookingAccess:
    """What a staff member may do on one booking of their team."""

    manage: bool  # match, offer, confirm on the interpreter's behalf, record the time, no-show
    cancel: bool


def booking_access(user, booking) -> BookingAccess:
    """Flags for a booking the user may see (scope it first with ``scope_bookings_for_team``)."""
    prof = profile(user)
    return BookingAccess(
        manage=booking.team_id in prof.team_ids(Role.COORDINATOR),
        cancel=booking.team_id in prof.team_ids(*BOOKING_REQUEST_ROLES),
    )


def timesheet_teams(user) -> frozenset[int]:
    """Teams whose interpreter timesheets the user may read (coordinators, for invoicing)."""
    return profile(user).team_ids(Role.COORDINATOR)


# --- Ambassadors --------------------------------------------------------------------------
# An ambassador never reaches a case through ``scope_cases``: only their own assignments,
# through the reduced page of the ambassadors app.


def coordinator_team_ids(user) -> frozenset[int]:
    return profile(user).team_ids(Role.COORDINATOR)


def scope_ambassadors(user, queryset):
    """Ambassadors of the teams the user works in as staff."""
    return queryset.filter(team_id__in=staff_team_ids(user))


def scope_ambassadors_to_manage(user, queryset):
    """Ambassadors of the teams the user coordinates."""
    return queryset.filter(team_id__in=coordinator_team_ids(user))


def scope_assignments_for_staff(user, queryset):
    """Assignments on the cases the user may open."""
    case_model = queryset.model._meta.get_field("case").related_model
    return queryset.filter(case__in=scope_cases(user, case_model.objects.all()).values("pk"))


def scope_assignments_to_manage(user, queryset):
    """Assignments on cases of the teams the user coordinates."""
    return queryset.filter(case__team_id__in=coordinator_team_ids(user))


def scope_assignments_for_ambassador(user, queryset, *, open_only: bool = False):
    """The ambassador's own assignments, and nothing else.

    With ``open_only``, those still proposed, accepted or in progress: once an assignment
    ends, its reduced case page closes to the ambassador (their hours stay listed).
    """
    if not has_role(user, Role.AMBASSADOR):
        return queryset.none()
    qs = queryset.filter(ambassador__user=user, ambassador__team_id__in=profile(user).team_ids(Role.AMBASSADOR))
    return qs.exclude(status="ended") if open_only else qs


def scope_contacts_for_ambassador(user, queryset):
    """Contacts on the ambassador's own assignments: never another ambassador's."""
    if not has_role(user, Role.AMBASSADOR):
        return queryset.none()
    return queryset.filter(assignment__ambassador__user=user)


def may_manage_case_assignments(user, case) -> bool:
    """Coordinators of the case's team propose and end ambassadors' assignments."""
    return case.team_id in coordinator_team_ids(user)


def scope_training_sessions(user, queryset):
    """Sessions of the teams the user works in (as staff or as ambassador)."""
    return queryset.filter(team_id__in=profile(user).team_ids(*STAFF_ROLES, Role.AMBASSADOR))


# --- Screenings, orientations and group activities --------------------------------------


def screening_helpers(user, case, queryset):
    """Who may be named as having helped give a questionnaire on the case.

    The Integration Ambassadors of the case's team, and the professional interpreters.
    """
    if not is_clinician_in(user, case.team_id):
        return queryset.none()
    return queryset.filter(
        Q(memberships__role=Role.AMBASSADOR, memberships__team_id=case.team_id) | Q(memberships__role=Role.INTERPRETER),
        is_active=True,
    ).distinct()


def scope_orientations(user, queryset):
    """Orientations of the cases the user may open."""
    case_model = queryset.model._meta.get_field("case").related_model
    return queryset.filter(case__in=scope_cases(user, case_model.objects.all()))


def scope_orientations_to_follow_up(user, queryset):
    """The coordinator's to-do list covers their own teams' cases."""
    return queryset.filter(case__team_id__in=team_ids(user, Role.COORDINATOR))


def scope_group_activities(user, queryset):
    """Group activities of the user's teams."""
    return queryset.filter(team_id__in=staff_team_ids(user))


def activity_teams(user) -> frozenset[int]:
    """Teams for which the user may create and run group activities."""
    return profile(user).team_ids(Role.COORDINATOR, Role.PSYCHOLOGIST)


# --- Dashboards, indicators and exports -------------------------------------------------


def scope_report_teams(user, queryset):
    """Teams whose dashboard, indicators and exports the user may see: all for the administrator,
    the teams they coordinate for a coordinator, none for anybody else."""
    if has_role(user, Role.ADMIN):
        return queryset
    ids = profile(user).team_ids(Role.COORDINATOR)
    return queryset.filter(pk__in=ids) if ids else queryset.none()


def may_report_on(user, team_id: int) -> bool:
    return has_role(user, Role.ADMIN) or team_id in profile(user).team_ids(Role.COORDINATOR)


def scope_report_rows(user, queryset, team_field: str = "team"):
    """Rows counted or exported for the user: those whose ``team_field`` is one of their report teams."""
    if has_role(user, Role.ADMIN):
        return queryset
    ids = profile(user).team_ids(Role.COORDINATOR)
    return queryset.filter(**{f"{team_field}__in": ids}) if ids else queryset.none()


# --- Notification outbox ----------------------------------------------------------------


def scope_outbox_messages(user, queryset):
    """Outbox messages the user may see and retry: all for the administrator, those of the
    teams they coordinate for a coordinator (a message with no team: the administrator only)."""
    return scope_report_rows(user, queryset, team_field="team_id")


def may_handle_outbox_message(user, team_id: int | None) -> bool:
    return has_role(user, Role.ADMIN) or (team_id is not None and team_id in profile(user).team_ids(Role.COORDINATOR))


# --- Text reminders -----------------------------------------------------------------------


def may_configure_reminders(user, team_id: int) -> bool:
    """Coordinators choose their team's reminders, sender name and texts."""
    return team_id in profile(user).team_ids(Role.COORDINATOR)


def scope_reminders(user, queryset):
    """Reminders of the teams the user coordinates."""
    return scope_team_rows(user, queryset, Role.COORDINATOR)


def scope_reminder_calls(user, queryset):
    """Calls the user is asked to make, and for coordinators the calls nobody of their team was found for."""
    coordinated = profile(user).team_ids(Role.COORDINATOR)
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(Q(call_assignee_id=user.pk) | Q(call_assignee__isnull=True, team_id__in=coordinated))


def may_answer_reminder_call(user, reminder) -> bool:
    if reminder.call_assignee_id is not None:
        return reminder.call_assignee_id == user.pk or may_configure_reminders(user, reminder.team_id)
    return may_configure_reminders(user, reminder.team_id)
