"""The access policy: the one place that answers "may this user ...?" and "which rows?".

The capability table (``CAPABILITIES``: capability -> roles) is the single source. Three
functions read it for team-bound rows:

- ``teams_for(user, capability)``: the teams in which the user holds a role that has it;
- ``may(user, capability, team_id)``: whether they hold it in that team;
- ``scope(user, queryset, capability)``: the rows of those teams, following the ``TEAM_PATH``
  each model declares once (``TEAM_PATH = "session__team"`` on a permanence booking).

The rules that really differ are named functions below: a case shared with another team is
readable by it, a referrer reads their own organisation's referrals, an interpreter or an
ambassador reads their own rows. No team filter is written anywhere else.

Views and selectors call it; templates only receive the flags it computes. A row outside a
user's scope is answered with a 404 (``require`` and the views' lookups raise ``Http404``),
so that its existence does not leak; services refuse with ``PermissionDenied``
(``ensure_may``), which the views turn into the same 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import BigIntegerField, Func, Model, Q, Value
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from integrapsy.accounts.models import Membership, Role, Team
from integrapsy.prepared import PreparedQuery

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from integrapsy.accounts.models import User

    AnyUser: TypeAlias = User | AnonymousUser | None

M = TypeVar("M", bound=Model)


class Capability(StrEnum):
    ADMIN_SITE = "admin_site"
    VIEW_HOME = "view_home"
    CHANGE_OWN_PASSWORD = "change_own_password"
    VIEW_CASES = "view_cases"
    CHANGE_CASES = "change_cases"
    READ_CLINICAL = "read_clinical"
    VIEW_RISK_ALERTS = "view_risk_alerts"
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
    VIEW_TRAINING = "view_training"
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
    CONFIGURE_REMINDERS = "configure_reminders"
    RESOLVE_NATIONALITIES = "resolve_nationalities"


_STAFF = frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER})

# Which roles hold which capability. A team role holds it in the teams of its memberships;
# later features add their capabilities here.
CAPABILITIES: dict[Capability, frozenset[str]] = {
    Capability.ADMIN_SITE: frozenset({Role.ADMIN}),
    Capability.VIEW_HOME: frozenset(Role.values),
    Capability.CHANGE_OWN_PASSWORD: frozenset(Role.values),
    # Open a case of the team, or one shared with the team (``scope_cases``).
    Capability.VIEW_CASES: _STAFF,
    # Change a case of the team (status, members, closure, sharing) and the identity and
    # consents of its person. A team the case is shared with reads it and adds notes only.
    Capability.CHANGE_CASES: _STAFF,
    # Consultation notes, screening answers and scores, risk details and safety plans: for the
    # psychologists of the case's team only.
    Capability.READ_CLINICAL: frozenset({Role.PSYCHOLOGIST}),
    Capability.VIEW_RISK_ALERTS: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST}),
    Capability.SUBMIT_REFERRAL: frozenset({Role.REFERRER}),
    Capability.FOLLOW_OWN_REFERRALS: frozenset({Role.REFERRER}),
    # Accept, decline, ask the referrer, take an urgent referral, record the first contact.
    Capability.TRIAGE_REFERRALS: frozenset({Role.COORDINATOR}),
    Capability.VIEW_TEAM_REFERRALS: _STAFF,
    Capability.MERGE_PERSONS: frozenset({Role.COORDINATOR}),
    Capability.VIEW_AUDIT: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Capability.MANAGE_DATA_RIGHTS: frozenset({Role.ADMIN}),
    Capability.VIEW_PERMANENCES: _STAFF,
    Capability.PLAN_PERMANENCES: frozenset({Role.COORDINATOR}),
    Capability.BOOK_SLOTS: _STAFF,
    Capability.RECORD_ATTENDANCE: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST}),
    Capability.LOG_CONSULTATIONS: frozenset({Role.PSYCHOLOGIST}),
    # A referrer asks for a permanence slot for a person they referred; the team's
    # coordinators confirm or decline it.
    Capability.REQUEST_SLOTS: frozenset({Role.REFERRER}),
    Capability.ANSWER_SLOT_REQUESTS: frozenset({Role.COORDINATOR}),
    # Interpreter bookings: the team asks, the coordinator matches and confirms, the
    # interpreter sees only their own bookings.
    Capability.VIEW_BOOKINGS: _STAFF,
    Capability.REQUEST_BOOKINGS: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST}),
    Capability.MANAGE_BOOKINGS: frozenset({Role.COORDINATOR}),
    Capability.INTERPRET: frozenset({Role.INTERPRETER}),
    # Coordinators read their teams' timesheets (for invoicing); an interpreter their own.
    Capability.VIEW_TIMESHEET: frozenset({Role.COORDINATOR, Role.INTERPRETER}),
    Capability.VIEW_AMBASSADORS: _STAFF,
    Capability.MANAGE_AMBASSADORS: frozenset({Role.COORDINATOR}),
    Capability.PLAN_LANGUAGE_SUPPORT: frozenset({Role.COORDINATOR}),
    Capability.WORK_AS_AMBASSADOR: frozenset({Role.AMBASSADOR}),
    Capability.VIEW_TRAINING: _STAFF | {Role.AMBASSADOR},
    Capability.ADMINISTER_SCREENINGS: frozenset({Role.PSYCHOLOGIST}),
    Capability.VIEW_DIRECTORY: _STAFF,
    Capability.MANAGE_DIRECTORY: frozenset({Role.COORDINATOR}),
    Capability.ORIENT: _STAFF,
    Capability.FOLLOW_UP_ORIENTATIONS: frozenset({Role.COORDINATOR}),
    Capability.VIEW_ACTIVITIES: _STAFF,
    Capability.MANAGE_ACTIVITIES: frozenset({Role.COORDINATOR, Role.PSYCHOLOGIST}),
    # Dashboards, funder indicators and list exports: coordinators for their teams, the
    # administrator for every team.
    Capability.VIEW_DASHBOARD: frozenset({Role.COORDINATOR, Role.ADMIN}),
    Capability.VIEW_INDICATORS: frozenset({Role.COORDINATOR, Role.ADMIN}),
    Capability.EXPORT_LISTS: frozenset({Role.COORDINATOR, Role.ADMIN}),
    # Messages that could not be delivered: coordinators for their teams, the administrator all.
    Capability.VIEW_UNDELIVERED_MESSAGES: frozenset({Role.COORDINATOR, Role.ADMIN}),
    # Text reminders: coordinators choose their team's reminders, sender name and texts.
    Capability.CONFIGURE_REMINDERS: frozenset({Role.COORDINATOR}),
    # Nationalities written as free text before they were country codes, that no known
    # spelling matched: the administrator picks the country.
    Capability.RESOLVE_NATIONALITIES: frozenset({Role.ADMIN}),
}

# The administrator holds no team, yet holds these in every team.
ADMIN_WIDE: frozenset[Capability] = frozenset(
    {
        Capability.VIEW_AUDIT,
        Capability.VIEW_DASHBOARD,
        Capability.VIEW_INDICATORS,
        Capability.EXPORT_LISTS,
        Capability.VIEW_UNDELIVERED_MESSAGES,
    }
)


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


def profile(user: AnyUser) -> AccessProfile:
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


def has_role(user: AnyUser, *roles: str) -> bool:
    return bool(profile(user).roles.intersection(roles))


def can(user: AnyUser, capability: Capability) -> bool:
    """Whether the user holds the capability anywhere (menus, pages that list their teams' rows)."""
    return roles_hold(profile(user).roles, capability)


def roles_hold(roles: frozenset[str], capability: Capability) -> bool:
    """Whether a user with these roles (``profile(user).roles``) holds the capability anywhere."""
    return not roles.isdisjoint(CAPABILITIES[capability])


def require(user: AnyUser, capability: Capability) -> None:
    """Answer 404 (never 403) when the user lacks the capability."""
    if not can(user, capability):
        raise Http404


# --- The one scope rule -----------------------------------------------------------------


def _admin_wide(prof: AccessProfile, capability: Capability) -> bool:
    return capability in ADMIN_WIDE and Role.ADMIN in prof.roles


def _all_team_ids(user: AnyUser) -> frozenset[int]:
    cached = getattr(user, "_all_team_ids", None)
    if cached is None:
        cached = frozenset(Team.objects.values_list("pk", flat=True))
        user._all_team_ids = cached
    return cached


def teams_for(user: AnyUser, capability: Capability) -> frozenset[int]:
    """Ids of the teams in which the user holds a role that has ``capability``."""
    prof = profile(user)
    if _admin_wide(prof, capability):
        return _all_team_ids(user)
    return prof.team_ids(*CAPABILITIES[capability])


def may(user: AnyUser, capability: Capability, team_id: int | None) -> bool:
    """Whether the user holds ``capability`` in the team ``team_id`` (the row's team)."""
    prof = profile(user)
    if _admin_wide(prof, capability):
        return True
    return team_id is not None and team_id in prof.team_ids(*CAPABILITIES[capability])


def ensure_may(user: AnyUser, capability: Capability, team_id: int | None) -> None:
    """For services: refuse with ``PermissionDenied`` unless ``may`` (the views answer 404)."""
    if not may(user, capability, team_id):
        raise PermissionDenied


def team_path(model: type[Model]) -> str:
    """The lookup from the model to its team, declared once on the model (``TEAM_PATH``)."""
    path = getattr(model, "TEAM_PATH", None)
    if not isinstance(path, str):
        raise ImproperlyConfigured(f"{model.__name__} declares no TEAM_PATH for the access policy.")
    return path


def scope(
    user: AnyUser, queryset: QuerySet[M], capability: Capability, *, within: Iterable[int] | None = None
) -> QuerySet[M]:
    """The rows of the teams where the user holds ``capability``, through the model's ``TEAM_PATH``.

    With ``within``, only those of these teams (a report's chosen teams, one team's rows).
    The filter is the team column ``IN (...)`` alone, which the (team, ...) indexes serve.
    """
    team_path(queryset.model)  # a model without one is refused, whoever asks
    return scope_of_key(queryset, scope_key(user, capability, within=within))


def scope_key(user: AnyUser, capability: Capability, *, within: Iterable[int] | None = None) -> tuple[int, ...] | None:
    """What ``scope`` filters on for the user: the sorted ids of the teams, or None when it
    keeps every row (an administrator's wide capability). The shape of a prepared query."""
    prof = profile(user)
    if _admin_wide(prof, capability):
        if within is None:
            return None
        ids = frozenset(within)
    else:
        ids = prof.team_ids(*CAPABILITIES[capability])
        if within is not None:
            ids = ids.intersection(within)
    return tuple(sorted(ids))


def scope_of_key(queryset: QuerySet[M], key: tuple[int, ...] | None) -> QuerySet[M]:
    """``scope`` for a user whose ``scope_key`` is ``key``."""
    if key is None:
        return queryset
    if not key:
        return queryset.none()
    return queryset.filter(**{f"{team_path(queryset.model)}__in": list(key)})


def in_team(queryset: QuerySet[M], team) -> QuerySet[M]:
    """The rows of one team, ``team`` a team id or a prepared query's ``Param`` standing for one.

    For a caller that has checked ``may`` for that team first: the rows are then those of
    ``scope(user, queryset, capability, within=[team])``.
    """
    return queryset.filter(**{team_path(queryset.model): team})


def of_teams(queryset: QuerySet[M], teams: Iterable[int]) -> QuerySet[M]:
    """The rows of these teams, for work no user asks for (the figures a scheduled task counts)."""
    return queryset.filter(**{f"{team_path(queryset.model)}__in": sorted(set(teams))})


def one_or_404(queryset: QuerySet[M], **lookup) -> M:
    """The row of ``queryset`` that ``lookup`` names, or a 404.

    The queryset is already narrowed to what the user may see: a row outside it, a row that does
    not exist and a malformed code answer the same, so that existence does not leak.
    """
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as exc:  # a malformed code
        raise Http404 from exc


def organisations_for(user: AnyUser, capability: Capability) -> frozenset[int]:
    """Ids of the organisations for which the user holds a role that has ``capability`` (referrers, interpreters)."""
    return profile(user).organisation_ids(*CAPABILITIES[capability])


def requires_two_factor(user: AnyUser) -> bool:
    """Every role that reads health data (``DATA_ACCESS``) confirms a second factor (TOTP)."""
    return has_role(user, *TWO_FACTOR_ROLES)


def may_use_admin_site(user: AnyUser) -> bool:
    return bool(user is not None and user.is_active and user.is_staff and can(user, Capability.ADMIN_SITE))


def users_holding(
    queryset: QuerySet[User], *roles: str, teams: Iterable[int] | QuerySet[Team] | None = None
) -> QuerySet[User]:
    """Active users holding one of ``roles`` (in one of ``teams`` for team roles): who may be named on a row."""
    # One filter() call: the role and the team must be those of the same membership.
    lookups: dict[str, object] = {"memberships__role__in": sorted(roles)}
    if teams is not None:
        lookups["memberships__team__in"] = teams
    return queryset.filter(is_active=True, **lookups).distinct()


def holds_role(user: AnyUser, role: str, team_id: int | None = None) -> bool:
    """Whether a user named on a row holds ``role`` (in the team ``team_id`` for a team role)."""
    prof = profile(user)
    if team_id is None:
        return role in prof.roles
    return team_id in prof.team_ids(role)


# --- Cases, persons and referrals -------------------------------------------------------
# The policy reaches the cases' rows through the querysets it is given, so the core does not
# import the apps built on it.


class _BigInts(Func):
    """A list of ids for ``IN``, each cast to a bigint (PostgreSQL: ``((%s)::bigint, ...)``)."""

    template = "(%(expressions)s)"
    output_field = BigIntegerField()

    def __init__(self, ids: Iterable[int]):
        super().__init__(*(Cast(Value(pk), BigIntegerField()) for pk in ids))


def scope_cases(user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """The cases the user may open: their teams' cases and cases shared with their teams.

    Ambassadors reach only the cases they are assigned to, through their own reduced pages;
    interpreters and referrers reach none.
    """
    ids = teams_for(user, Capability.VIEW_CASES)
    if not ids:
        return queryset.none()
    shared = shared_case_ids(user, queryset.model)
    # The ids written as the column's type (bigint): the search's indexes (the names' trigrams,
    # the keys' list) begin with the team (``btree_gin``), whose operators compare a bigint with
    # a bigint only.
    teams = Q(**{f"{team_path(queryset.model)}__in": _BigInts(sorted(ids))})
    # Without shares the filter is the team alone, which the (team, -opened_on) index serves in
    # order: a page of a team's cases reads that page only. A subquery in an OR would make the
    # database read every case of every team (measured by ``manage.py benchmark``).
    if not shared:
        return queryset.filter(teams)
    return queryset.filter(teams | Q(pk__in=shared))


def scope_case_lookup(user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """``scope_cases`` for reading one case by its reference, in one query.

    The shares are a subquery here: costless on the one row a reference names, where the list
    (``scope_cases``) reads them first to keep its team index usable.
    """
    return case_lookup_of_teams(queryset, case_lookup_teams(user))


def case_lookup_teams(user: AnyUser) -> tuple[int, ...]:
    """The teams whose cases, and the cases shared with them, ``scope_case_lookup`` lets the
    user open: the query depends on them alone (a prepared query's shape)."""
    return tuple(sorted(teams_for(user, Capability.VIEW_CASES)))


def case_lookup_of_teams(queryset: QuerySet[M], team_ids: tuple[int, ...]) -> QuerySet[M]:
    """``scope_case_lookup`` for a user whose ``case_lookup_teams`` are ``team_ids``."""
    if not team_ids:
        return queryset.none()
    share_model = queryset.model._meta.get_field("shares").related_model
    shared = share_model.objects.filter(**{f"{team_path(share_model)}__in": list(team_ids)}).values("case_id")
    return queryset.filter(Q(**{f"{team_path(queryset.model)}__in": list(team_ids)}) | Q(pk__in=shared))


def shared_case_ids(user: AnyUser, case_model: type[Model]) -> frozenset[int]:
    """Ids of the cases shared with the user's teams: few, read once per request (cached on the user)."""
    cached = getattr(user, "_shared_case_ids", None)
    if cached is not None:
        return cached
    result = frozenset(_SHARED_CASE_IDS.run((case_model, scope_key(user, Capability.VIEW_CASES))))
    user._shared_case_ids = result
    return result


def _shared_case_ids_query(shape) -> QuerySet:
    case_model, key = shape
    share_model = case_model._meta.get_field("shares").related_model
    team_path(share_model)
    return scope_of_key(share_model.objects.all(), key).values_list("case_id", flat=True)


# Built once per set of teams (``integrapsy.prepared``): every case list reads it first.
_SHARED_CASE_IDS = PreparedQuery(_shared_case_ids_query)


def case_followed_by(case: Model, team_id: int | None) -> bool:
    """Whether a team follows the case: its own team, or a team the case is shared with."""
    if team_id is None:
        return False
    return case.team_id == team_id or case.shares.filter(team_id=team_id).exists()


def _related_model(model: type[Model], path: str) -> type[Model]:
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def scope_case_rows(user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Rows of the cases the user may open (``scope_cases``, shares included), for models whose
    ``TEAM_PATH`` goes through a case (``"case__team"``)."""
    path = team_path(queryset.model)
    case_path = path.removesuffix("__team")
    if case_path == path:
        raise ImproperlyConfigured(f"{queryset.model.__name__}'s TEAM_PATH does not go through a case.")
    case_model = _related_model(queryset.model, case_path)
    return queryset.filter(**{f"{case_path}__in": scope_cases(user, case_model.objects.all()).values("pk")})


@dataclass(frozen=True)
class CaseAccess:
    """What a user may do on one case they can open."""

    write: bool  # the case's own team: edit, close, share; the person's identity and consents
    note: bool  # coordination notes: the case's team and the teams it is shared with
    clinical: bool  # clinical content: psychologists of the case's team


def case_access(user: AnyUser, case: Model) -> CaseAccess:
    """Flags for a case the user may open (scope it first with ``scope_cases``)."""
    own_team = may(user, Capability.VIEW_CASES, case.team_id)
    return CaseAccess(
        write=may(user, Capability.CHANGE_CASES, case.team_id),
        note=own_team or case.pk in shared_case_ids(user, type(case)),
        clinical=may(user, Capability.READ_CLINICAL, case.team_id),
    )


def _persons_of(user: AnyUser, queryset: QuerySet[M], capability: Capability, cases: QuerySet) -> QuerySet[M]:
    referral_model = queryset.model._meta.get_field("referrals").related_model
    referrals = scope(user, referral_model.objects.filter(person__isnull=False), capability)
    return queryset.filter(Q(pk__in=cases.values("person_id")) | Q(pk__in=referrals.values("person_id")))


def scope_persons(user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Persons with a case (or a referral) the user may open."""
    if not teams_for(user, Capability.VIEW_CASES):
        return queryset.none()
    case_model = queryset.model._meta.get_field("cases").related_model
    cases = scope_cases(user, case_model.objects.all())
    return _persons_of(user, queryset, Capability.VIEW_TEAM_REFERRALS, cases)


def scope_persons_to_change(user: AnyUser, queryset: QuerySet[M], capability: Capability) -> QuerySet[M]:
    """Persons followed by a team where the user holds ``capability``: a case or a referral of that team.

    A case shared with the user's team is not enough: a person's record belongs to the teams
    that follow them.
    """
    if not teams_for(user, capability):
        return queryset.none()
    case_model = queryset.model._meta.get_field("cases").related_model
    return _persons_of(user, queryset, capability, scope(user, case_model.objects.all(), capability))


def may_change_person(user: AnyUser, person: Model, capability: Capability) -> bool:
    """For services and flags: ``scope_persons_to_change`` for one person."""
    return scope_persons_to_change(user, type(person)._base_manager.filter(pk=person.pk), capability).exists()


def scope_referrals_for_referrer(user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Referrals of the referrer's own organisation(s): status and dates only."""
    ids = organisations_for(user, Capability.FOLLOW_OWN_REFERRALS)
    return queryset.filter(organisation_id__in=sorted(ids)) if ids else queryset.none()


def may_request_slot_for(user: AnyUser, referral: Model) -> bool:
    """A referrer asks for slots for their own organisation's referrals only."""
    return referral.organisation_id in organisations_for(user, Capability.REQUEST_SLOTS)


# What each role may read, for the list of staff categories with access to health data
# (Belgian law of 30 July 2018, art. 9; GDPR art. 9 and 30).
DATA_ACCESS: dict[str, tuple[bool, Promise]] = {
    Role.PSYCHOLOGIST: (True, _("identity, case file, clinical notes, screenings, risk assessments of their team")),
    Role.COORDINATOR: (True, _("identity, case file and timeline without clinical content, of their team; audit")),
    Role.SOCIAL_WORKER: (True, _("identity, case file and timeline without clinical content, of their team")),
    Role.AMBASSADOR: (False, _("first name, languages and location of the persons they accompany; their own contacts")),
    Role.INTERPRETER: (False, _("first name, language, place and time of their own bookings")),
    Role.REFERRER: (False, _("status and dates of their own organisation's referrals")),
    Role.ADMIN: (True, _("users and reference data; audit log; subject-access exports and erasure")),
}
# The second factor follows from the table above: a role that reads health data needs it.
TWO_FACTOR_ROLES = frozenset(role for role, (health_data, _scope) in DATA_ACCESS.items() if health_data)


def scope_audit_events(user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Audit events the user may search: all for the administrator, those of their teams' staff for a coordinator."""
    if _admin_wide(profile(user), Capability.VIEW_AUDIT):
        return queryset
    members = scope(user, Membership.objects.all(), Capability.VIEW_AUDIT).values("user_id")
    return queryset.filter(actor_id__in=members)


# --- Interpreter bookings ---------------------------------------------------------------


def scope_bookings_for_interpreter(user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """An interpreter's own bookings, and nothing else."""
    if not can(user, Capability.INTERPRET):
        return queryset.none()
    return queryset.filter(interpreter__user=user)


@dataclass(frozen=True)
class BookingAccess:
    """What a staff member may do on one booking of their team."""

    manage: bool  # match, offer, confirm on the interpreter's behalf, record the time, no-show
    cancel: bool


def booking_access(user: AnyUser, booking: Model) -> BookingAccess:
    """Flags for a booking the user may see (scope it first with ``VIEW_BOOKINGS``)."""
    return BookingAccess(
        manage=may(user, Capability.MANAGE_BOOKINGS, booking.team_id),
        cancel=may(user, Capability.REQUEST_BOOKINGS, booking.team_id),
    )


# --- Ambassadors --------------------------------------------------------------------------
# An ambassador never reaches a case through ``scope_cases``: only their own assignments,
# through the reduced page of the ambassadors app.


def scope_assignments_for_ambassador(user: AnyUser, queryset: QuerySet[M], *, open_only: bool = False) -> QuerySet[M]:
    """The ambassador's own assignments, and nothing else.

    With ``open_only``, those still proposed, accepted or in progress: once an assignment
    ends, its reduced case page closes to the ambassador (their hours stay listed).
    """
    teams = teams_for(user, Capability.WORK_AS_AMBASSADOR)
    if not teams:
        return queryset.none()
    qs = queryset.filter(ambassador__user=user, ambassador__team__in=sorted(teams))
    return qs.exclude(status="ended") if open_only else qs


def scope_contacts_for_ambassador(user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Contacts on the ambassador's own assignments: never another ambassador's."""
    if not can(user, Capability.WORK_AS_AMBASSADOR):
        return queryset.none()
    return queryset.filter(assignment__ambassador__user=user)


# --- Screenings -------------------------------------------------------------------------


def screening_helpers(user: AnyUser, case: Model, queryset: QuerySet[User]) -> QuerySet[User]:
    """Who may be named as having helped give a questionnaire on the case.

    The Integration Ambassadors of the case's team, and the professional interpreters.
    """
    if not may(user, Capability.ADMINISTER_SCREENINGS, case.team_id):
        return queryset.none()
    return queryset.filter(
        Q(memberships__role=Role.AMBASSADOR, memberships__team=case.team_id) | Q(memberships__role=Role.INTERPRETER),
        is_active=True,
    ).distinct()


# --- Text reminders -----------------------------------------------------------------------
# Calls are a user's own rows (the call they are asked to make), or, for coordinators, the
# calls nobody of their team was found for.


def scope_reminder_calls(user: AnyUser, queryset: QuerySet[M]) -> QuerySet[M]:
    """Calls the user is asked to make, and for coordinators the calls nobody of their team was found for."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    coordinated = teams_for(user, Capability.CONFIGURE_REMINDERS)
    path = team_path(queryset.model)
    return queryset.filter(Q(call_assignee_id=user.pk) | Q(call_assignee__isnull=True, **{f"{path}__in": coordinated}))


def may_answer_reminder_call(user: AnyUser, reminder: Model) -> bool:
    """The person asked to call, or a coordinator of the team."""
    if reminder.call_assignee_id is not None and reminder.call_assignee_id == user.pk:
        return True
    return may(user, Capability.CONFIGURE_REMINDERS, reminder.team_id)
