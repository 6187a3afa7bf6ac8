"""Reads of ambassadors, assignments, contacts and training, each scoped by the access policy."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    Exists,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.http import Http404

from ambassadors import matching, planner
from ambassadors.models import (
    Ambassador,
    AmbassadorLanguage,
    Assignment,
    Contact,
    LanguageSupportRule,
    ModuleCompletion,
    SupportActivity,
    TrainingAttendance,
    TrainingModule,
    TrainingSession,
)
from cases.models import Case, PersonLanguage
from integrapsy import access, clock
from integrapsy import forms as core_forms
from integrapsy.access import Capability
from integrapsy.accounts.models import Role, Team, User
from integrapsy.directory.models import Location
from integrapsy.prepared import Param, PreparedQuery
from integrapsy.subqueries import row_total


def _open_load(ambassador: str = "pk"):
    """Open assignments of the ambassador the row names (``ambassador``: the path to its id)."""
    return row_total(
        Assignment.objects.filter(ambassador=OuterRef(ambassador), status__in=Assignment.OPEN_STATUSES),
        per="ambassador",
        total=Count("pk"),
    )


def _minutes_of_assignment():
    return row_total(Contact.objects.filter(assignment=OuterRef("pk")), per="assignment", total=Sum("duration_minutes"))


def _minutes_of_ambassador():
    return row_total(
        Contact.objects.filter(assignment__ambassador=OuterRef("pk")),
        per="assignment__ambassador",
        total=Sum("duration_minutes"),
    )


def _with_profile(qs: QuerySet[Ambassador]) -> QuerySet[Ambassador]:
    return (
        qs.select_related("user", "team")
        .prefetch_related(
            Prefetch("ambassador_languages", queryset=AmbassadorLanguage.objects.select_related("language")),
            "territories",
        )
        .annotate(load=_open_load())
    )


# --- Profiles ---------------------------------------------------------------------------


def ambassador_list(*, user: User, active_only: bool = False) -> QuerySet[Ambassador]:
    """Ambassadors of the user's teams with their languages, territories, load and hours."""
    qs = access.scope(user, Ambassador.objects.all(), Capability.VIEW_AMBASSADORS)
    if active_only:
        qs = qs.filter(is_active=True, user__is_active=True)
    return _with_profile(qs).annotate(minutes=_minutes_of_ambassador()).order_by("user__last_name", "user__first_name")


def ambassador_get(*, user: User, code) -> Ambassador:
    return access.one_or_404(ambassador_list(user=user), code=code)


def ambassador_get_to_manage(*, user: User, code) -> Ambassador:
    return access.one_or_404(
        _with_profile(access.scope(user, Ambassador.objects.all(), Capability.MANAGE_AMBASSADORS)), code=code
    )


def ambassador_of(*, user: User) -> Ambassador | None:
    """The signed-in ambassador's own profile."""
    if not access.can(user, Capability.WORK_AS_AMBASSADOR):
        return None
    return _with_profile(Ambassador.objects.filter(user=user)).annotate(minutes=_minutes_of_ambassador()).first()


def ambassador_assignments(*, user: User, ambassador: Ambassador) -> list[Assignment]:
    """An ambassador's assignments on cases the user may open (their profile page)."""
    return list(
        access.scope_case_rows(user, ambassador.assignments.all())
        .select_related("case__person")
        .annotate(minutes=_minutes_of_assignment())
        .order_by("status", "-starts_on")
    )


def users_without_profile(*, user: User) -> QuerySet[User]:
    """Users holding the ambassador role in a team the user coordinates, without a profile yet."""
    teams = access.teams_for(user, Capability.MANAGE_AMBASSADORS)
    return access.users_holding(
        User.objects.filter(ambassador_profile__isnull=True), Role.AMBASSADOR, teams=teams
    ).order_by("last_name", "first_name")


def coordinator_teams(*, user: User) -> QuerySet[Team]:
    """The teams whose ambassadors the user manages."""
    return access.scope(user, Team.objects.all(), Capability.MANAGE_AMBASSADORS).order_by("name")


def coordinator_locations(*, user: User) -> QuerySet[Location]:
    """The active places of the teams whose ambassadors the user manages."""
    return access.scope(user, Location.objects.filter(is_active=True), Capability.MANAGE_AMBASSADORS).order_by("name")


def planner_options(*, user: User) -> dict[str, list]:
    """The planner form's languages and places (``coordinator_locations``), read together in one
    query and kept a minute for the users of the same teams (``core_forms.kept_options``)."""
    return core_forms.kept_options(
        "planner",
        access.scope_key(user, Capability.MANAGE_AMBASSADORS),
        lambda: {
            "language": core_forms.language_options(),
            "location": core_forms.place_options(coordinator_locations(user=user)),
        },
    )


# --- The ambassador's own pages ---------------------------------------------------------


def my_assignments(*, user: User) -> list[Assignment]:
    """The ambassador's assignments: first name, place, role, status and their hours; nothing else."""
    return list(
        access.scope_assignments_for_ambassador(user, Assignment.objects.all())
        .select_related("case__person__location")
        .only(
            "code",
            "role",
            "status",
            "starts_on",
            "planned_end_on",
            "ended_on",
            "end_reason",
            "case__id",
            "case__person__id",
            "case__person__first_name",
            "case__person__location__name",
            "case__person__location__city",
        )
        .annotate(minutes=_minutes_of_assignment())
        .order_by("ended_on", "-starts_on", "-id")
    )


def my_assignment_get(*, user: User, code) -> Assignment:
    """One of the ambassador's assignments still in progress, or 404."""
    assignments = access.scope_assignments_for_ambassador(
        user, Assignment.objects.all(), open_only=True
    ).select_related("ambassador__user", "case__person__location", "case__team")
    return access.one_or_404(assignments, code=code)


@dataclass(frozen=True)
class ReducedCase:
    """What an ambassador may know of the person they support."""

    first_name: str
    languages: list[str]
    location: str


def reduced_case(*, user: User, assignment: Assignment) -> dict:
    """The ambassador's reduced view: first name, languages, place, their assignment and own contacts."""
    person = assignment.case.person
    languages = [
        pl.language.name
        for pl in PersonLanguage.objects.filter(person_id=person.pk)
        .select_related("language")
        .order_by("-is_main", "language__name_en")
    ]
    location = person.location
    contacts = list(
        access.scope_contacts_for_ambassador(user, Contact.objects.filter(assignment=assignment)).order_by(
            "-occurred_on", "-id"
        )
    )
    return {
        "person": ReducedCase(
            first_name=person.first_name,
            languages=languages,
            location=f"{location.name} ({location.city})" if location else "",
        ),
        "assignment": assignment,
        "contacts": contacts,
        "minutes": sum(c.duration_minutes for c in contacts),
        **assignment_flags(assignment),
    }


def assignment_flags(assignment: Assignment) -> dict:
    """What the ambassador may do on their assignment: answer a proposal, then log contacts until it ends."""
    return {
        "may_answer": assignment.status == Assignment.Status.PROPOSED,
        "may_log_contact": assignment.status in (Assignment.Status.ACCEPTED, Assignment.Status.ACTIVE),
    }


# --- Case page panel --------------------------------------------------------------------


def _case_assignments(team_ids) -> QuerySet[Assignment]:
    # The case's own scope as a subquery: one query for the panel, none to read the shares first.
    case = access.case_lookup_of_teams(Case.objects.filter(pk=Param("case_id", BigIntegerField())), team_ids)
    return (
        Assignment.objects.filter(case__in=case.values("pk"))
        .select_related("ambassador__user")
        .annotate(minutes=_minutes_of_assignment(), contact_count=_contacts_count())
        .order_by("ended_on", "-starts_on")
    )


# Compiled once per set of teams the user may open cases of (``integrapsy.prepared``).
_CASE_ASSIGNMENTS = PreparedQuery(_case_assignments)


def case_assignments(*, user: User, case: Case) -> list[Assignment]:
    """The ambassadors on a case the user may open, with their hours."""
    return _CASE_ASSIGNMENTS.run(access.case_lookup_teams(user), case_id=case.pk)


def _contacts_count():
    return row_total(Contact.objects.filter(assignment=OuterRef("pk")), per="assignment", total=Count("pk"))


def _cases_to_manage(user: User):
    """Cases of the teams the user coordinates: inside ``scope_cases`` (own teams), shares aside."""
    return access.scope(user, Case.objects.all(), Capability.MANAGE_AMBASSADORS)


def case_to_manage(*, user: User, reference: str) -> Case:
    """A case of a team the user coordinates, or 404."""
    if "\x00" in reference:  # no reference holds one, and PostgreSQL refuses it in a query
        raise Http404
    try:
        return (
            _cases_to_manage(user).select_related("person__location", "team", "main_language").get(reference=reference)
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def assignment_to_manage(*, user: User, code) -> Assignment:
    assignments = access.scope(user, Assignment.objects.all(), Capability.MANAGE_AMBASSADORS).select_related(
        "ambassador__user", "case__person"
    )
    return access.one_or_404(assignments, code=code)


# --- Suggestions ------------------------------------------------------------------------


def _need_for(*, case: Case | None, language=None, location=None, gender_preference="", slot="") -> matching.Need:
    main = language
    person_id = None
    if case is not None:
        person_id = case.person_id
        main = language or case.main_language
        if main is None:
            first = (
                PersonLanguage.objects.filter(person_id=case.person_id)
                .select_related("language")
                .order_by("-is_main", "pk")
                .first()
            )
            main = first.language if first else None
        location = location or case.person.location
    return matching.Need(
        main_language=main,
        location_id=location.pk if location else None,
        location_name=location.name if location else "",
        gender_preference=gender_preference,
        slot=slot,
        person_id=person_id,
    )


@dataclass(frozen=True)
class _Shape:
    """Which of the ranking's facts its query computes: those whose values the need has."""

    language: bool
    person: bool
    case: bool
    place: bool


def _candidate_facts(shape: _Shape, *, ambassador: str) -> dict:
    """What the ranking needs of each ambassador, computed by the database with the row.

    ``ambassador`` is the path from the row to the ambassador's id: their load, whether they
    worked with the person, are on the case already, go to the place (the values ``Param``
    markers, see ``_CANDIDATES``).
    """
    theirs = OuterRef(ambassador)
    facts = {"load": _open_load(ambassador)}
    facts["worked_with"] = (
        Exists(Assignment.objects.filter(ambassador=theirs, case__person_id=Param("person_id", BigIntegerField())))
        if shape.person
        else Value(False)
    )
    facts["on_case"] = (
        Exists(
            Assignment.objects.filter(
                ambassador=theirs, case_id=Param("case_id", BigIntegerField()), status__in=Assignment.OPEN_STATUSES
            )
        )
        if shape.case
        else Value(False)
    )
    facts["goes_there"] = (
        Exists(
            Ambassador.territories.through.objects.filter(
                ambassador_id=theirs, location_id=Param("location_id", BigIntegerField())
            )
        )
        if shape.place
        else Value(False)
    )
    return facts


_FACTS = ("load", "worked_with", "on_case", "goes_there")


def _candidate_rows(shape: _Shape) -> QuerySet:
    """The query of ``_candidates`` for a shape: ambassadors, or their language rows that count."""
    team_ambassadors = access.in_team(
        Ambassador.objects.filter(is_active=True, user__is_active=True), Param("team_id", BigIntegerField())
    )
    if not shape.language:
        return team_ambassadors.select_related("user", "team").annotate(**_candidate_facts(shape, ambassador="pk"))
    counts = Q(language__code=Param("language_code", CharField()))
    person_speaks = Value(False)
    if shape.person:
        theirs = PersonLanguage.objects.filter(person_id=Param("person_id", BigIntegerField()))
        counts |= Q(language_id__in=theirs.values("language_id"))
        person_speaks = Exists(theirs.filter(language_id=OuterRef("language_id")))
    return (
        AmbassadorLanguage.objects.filter(counts, ambassador__in=team_ambassadors)
        .select_related("language", "ambassador__user", "ambassador__team")
        .annotate(person_speaks=person_speaks, **_candidate_facts(shape, ambassador="ambassador"))
        .order_by(
            "ambassador__user__last_name",
            "ambassador__user__first_name",
            "ambassador_id",
            "language__name_en",
            "language__variety",
        )
    )


# Built and compiled once per shape (``integrapsy.prepared``), then run with each need's values.
_CANDIDATES = PreparedQuery(_candidate_rows)


def _candidates(*, user: User, team: Team, need: matching.Need, case: Case | None) -> list[Ambassador]:
    """The team's active ambassadors who may support the need, each with ``spoken`` and the facts of ``rank``.

    One query: the ambassadors' languages that count for the person (the main language in any
    variety, the person's other languages), each row with its ambassador and their facts.
    Without a language to match, every active ambassador of the team. Nobody when the user
    may not see the team's ambassadors.
    """
    if not access.may(user, Capability.VIEW_AMBASSADORS, team.pk):
        return []
    shape = _Shape(
        language=need.main_language is not None,
        person=need.person_id is not None,
        case=case is not None,
        place=need.location_id is not None,
    )
    values = {"team_id": team.pk, "person_id": need.person_id, "location_id": need.location_id}
    if case is not None:
        values["case_id"] = case.pk
    if need.main_language is not None:
        values["language_code"] = need.main_language.code
    rows = _CANDIDATES.run(shape, **values)
    if not shape.language:
        ambassadors = rows
        for amb in ambassadors:
            amb.spoken = []
        return ambassadors
    ambassadors: dict[int, Ambassador] = {}
    for row in rows:
        amb = ambassadors.get(row.ambassador_id)
        if amb is None:
            amb = ambassadors[row.ambassador_id] = row.ambassador
            amb.spoken = []
            for name in _FACTS:
                setattr(amb, name, getattr(row, name))
        amb.spoken.append(row)
    return list(ambassadors.values())


def ambassador_suggestions(
    *,
    user: User,
    team: Team,
    case: Case | None = None,
    language=None,
    location=None,
    gender_preference: str = "",
    slot: str = "",
) -> list[matching.Suggestion]:
    """Active ambassadors of the team ranked for the case's person (or a language), with reasons.

    A fixed number of queries (one, two when the case has no main language), whatever the number of ambassadors.
    """
    need = _need_for(case=case, language=language, location=location, gender_preference=gender_preference, slot=slot)
    return matching.rank(_candidates(user=user, team=team, need=need, case=case), need)


def case_suggestions(*, user: User, case: Case, gender_preference: str = "", slot: str = ""):
    """Suggestions for a case, leaving out ambassadors already on it."""
    return [
        s
        for s in ambassador_suggestions(
            user=user, team=case.team, case=case, gender_preference=gender_preference, slot=slot
        )
        if not s.on_case
    ]


@dataclass
class PlannerResult:
    request: planner.SupportRequest
    rule: planner.RuleDecision
    interpreters: planner.InterpreterSide
    ambassadors: list[matching.Suggestion]


def plan_support(
    *, user: User, request: planner.SupportRequest, rules: dict[str, LanguageSupportRule] | None = None
) -> PlannerResult:
    """Everything the planner shows for one request: the rule, then both sides.

    ``rules``: the team's own rules already read (``PlannerCases.rules_for``), or None to read them.
    """
    ambassadors = ambassador_suggestions(
        user=user,
        team=request.team,
        case=request.case,
        language=request.language,
        location=request.location,
        gender_preference=request.gender_preference,
        slot=request.slot,
    )
    return PlannerResult(
        request=request,
        rule=planner.rule_for(team=request.team, activity=request.activity, rules=rules),
        interpreters=planner.interpreter_suggestions(request, user=user),
        ambassadors=ambassadors,
    )


# The planner's case list shows the most recent open cases; an older one comes through ?case=.
PLANNER_CASES = 100


@dataclass(frozen=True)
class PlannerCases:
    """The planner's case list (reference, label), or the case the address names, read whole.

    ``activity``: the activity the address asks for, when it is one; ``named`` then carries its
    team's own rule for it (``own_rule``, None when the team has none), read with the case.
    """

    choices: list[tuple[str, str]]
    named: Case | None = None
    activity: str = ""

    def rules_for(self, *, case: Case | None, activity: str) -> dict[str, LanguageSupportRule] | None:
        """The team's own rules as ``planner.rule_for`` reads them, when read with ``case``; else None."""
        if case is None or case is not self.named or not self.activity or activity != self.activity:
            return None
        own = getattr(case, "own_rule", None)
        return {activity: own} if own is not None else {}


def _open_cases_to_manage(key) -> QuerySet:
    """``_cases_to_manage`` but closed cases, for a user whose scope key is ``key``."""
    return access.scope_of_key(Case.objects.all(), key).exclude(status=Case.Status.CLOSED)


# The planner's two reads of cases, built and compiled once per set of teams (``integrapsy.prepared``).
_PLANNER_CASE_ROWS = PreparedQuery(
    lambda key: (
        _open_cases_to_manage(key)
        .order_by("-opened_on", "-id")
        .values_list("reference", "person__first_name", "person__last_name")[:PLANNER_CASES]
    )
)


def _planner_named_case(shape) -> QuerySet:
    key, with_rule = shape
    named = (
        _open_cases_to_manage(key)
        .filter(reference=Param("reference", CharField()))
        .select_related("person__location", "team", "main_language")
    )
    if with_rule:
        rule = Q(team__language_support_rules__activity=Param("activity", CharField()))
        named = named.annotate(own_rule=FilteredRelation("team__language_support_rules", condition=rule))
        named = named.select_related("own_rule")
    return named


_PLANNER_NAMED_CASE = PreparedQuery(_planner_named_case)


def planner_cases(*, user: User, include: str = "", activity: str = "") -> PlannerCases:
    """The cases the planner's form offers: the case ``include`` names, or the recent open ones.

    Opened from a case page (``include`` names a case the user may plan for), the form offers
    that case alone, read whole with its team's own rule for ``activity`` (one query): the
    coordinator came to plan for it, and the recent cases are a link away (the planner without
    a case). Otherwise the most recent open cases of the teams the user coordinates, at most
    ``PLANNER_CASES`` (a team may follow thousands), read as the options show them (names, not
    cases: a hundred cases read whole with their person, place, team and language cost more
    than the rest of the plan). One query or, when ``include`` names a case the user may not
    plan for, two, whatever the data.
    """
    key = access.scope_key(user, Capability.MANAGE_AMBASSADORS)
    activity = activity if activity in SupportActivity.values else ""
    if include and "\x00" not in include:
        found = _PLANNER_NAMED_CASE.run((key, bool(activity)), reference=include, activity=activity)
        if found:
            named = found[0]
            return PlannerCases(
                choices=[_case_choice(named.reference, named.person.first_name, named.person.last_name)],
                named=named,
                activity=activity,
            )
    rows = _PLANNER_CASE_ROWS.run(key)
    rows.sort(key=lambda row: (row[1], row[0]))
    return PlannerCases(choices=[_case_choice(*row) for row in rows], activity=activity)


def _case_choice(reference: str, first: str, last: str) -> tuple[str, str]:
    return reference, f"{first} {last} — {reference}".strip()


def planner_case(*, cases: PlannerCases, reference: str) -> Case | None:
    """The chosen case (the one the address named, already read and scoped), or None."""
    named = cases.named
    return named if reference and named is not None and named.reference == reference else None


# --- Training ---------------------------------------------------------------------------


@dataclass
class Progress:
    ambassador: Ambassador
    minutes: int
    completed: int
    required: int
    completed_module_ids: set

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.required) if self.required else 100

    @property
    def certified(self) -> bool:
        return self.required > 0 and self.completed >= self.required


def _training_minutes():
    return row_total(
        TrainingAttendance.objects.filter(ambassador=OuterRef("pk")),
        per="ambassador",
        total=Sum("session__duration_minutes"),
    )


def training_progress(*, ambassadors: QuerySet[Ambassador]) -> list[Progress]:
    """Each ambassador's hours of training and required modules completed, towards the certificate."""
    required_ids = set(TrainingModule.objects.filter(required_for_certificate=True).values_list("pk", flat=True))
    rows = list(
        ambassadors.select_related("user")
        .annotate(training_minutes=_training_minutes())
        .prefetch_related(
            Prefetch("module_completions", queryset=ModuleCompletion.objects.only("ambassador", "module"))
        )
        .order_by("user__last_name", "user__first_name")
    )
    out = []
    for amb in rows:
        done = {c.module_id for c in amb.module_completions.all()}
        out.append(
            Progress(
                ambassador=amb,
                minutes=amb.training_minutes,
                completed=len(done & required_ids),
                required=len(required_ids),
                completed_module_ids=done,
            )
        )
    return out


def training_overview(*, user: User) -> dict:
    """The programme: modules, the teams' sessions, and each ambassador's progress."""
    sessions = (
        access.scope(user, TrainingSession.objects.all(), Capability.VIEW_TRAINING)
        .select_related("module", "team")
        .annotate(present=Count("attendances"))
        .order_by("-starts_at")
    )
    return {
        "modules": list(TrainingModule.objects.order_by("order", "title")),
        "sessions": sessions,
        "progress": training_progress(
            ambassadors=access.scope(user, Ambassador.objects.all(), Capability.VIEW_AMBASSADORS)
        ),
    }


def my_training(*, user: User, ambassador: Ambassador) -> dict:
    modules = list(TrainingModule.objects.order_by("order", "title"))
    progress = training_progress(ambassadors=Ambassador.objects.filter(pk=ambassador.pk))[0]
    attended = list(
        TrainingAttendance.objects.filter(ambassador=ambassador)
        .select_related("session__module")
        .order_by("-session__starts_at")
    )
    upcoming = list(
        access.scope(user, TrainingSession.objects.all(), Capability.VIEW_TRAINING)
        .filter(starts_at__gte=_now())
        .select_related("module")
        .order_by("starts_at")[:10]
    )
    return {"modules": modules, "progress": progress, "attended": attended, "upcoming": upcoming}


def _now():
    return clock.now()


def training_session_get(*, user: User, code) -> TrainingSession:
    training_sessions = access.scope(user, TrainingSession.objects.all(), Capability.VIEW_TRAINING).select_related(
        "module", "team"
    )
    return access.one_or_404(training_sessions, code=code)


def session_attendees(*, session: TrainingSession) -> set[int]:
    return set(session.attendances.values_list("ambassador_id", flat=True))


def team_ambassadors(*, team: Team) -> QuerySet[Ambassador]:
    return Ambassador.objects.filter(team=team, is_active=True).select_related("user").order_by("user__last_name")


# --- Home panels ------------------------------------------------------------------------


def home_for_ambassador(*, user: User) -> dict:
    """Proposals waiting for the ambassador's answer, and their hours this month."""
    today = clock.localdate()
    mine = access.scope_assignments_for_ambassador(user, Assignment.objects.all(), open_only=True)
    minutes = access.scope_contacts_for_ambassador(
        user, Contact.objects.filter(occurred_on__year=today.year, occurred_on__month=today.month)
    ).aggregate(m=Sum("duration_minutes"))["m"]
    return {
        "waiting": list(
            mine.filter(status=Assignment.Status.PROPOSED)
            .select_related("case__person__location")
            .only("code", "role", "starts_on", "case__person__first_name", "case__person__location__name")
            .order_by("starts_on")[:10]
        ),
        "open_count": mine.count(),
        "month_minutes": minutes or 0,
    }


def home_for_coordinator(*, user: User) -> dict:
    """Proposals the ambassadors have not answered yet, and ambassadors at their maximum."""
    waiting = (
        access.scope(user, Assignment.objects.filter(status=Assignment.Status.PROPOSED), Capability.MANAGE_AMBASSADORS)
        .select_related("ambassador__user", "case")
        .order_by("proposed_at")
    )
    full = [
        a
        for a in _with_profile(
            access.scope(user, Ambassador.objects.filter(is_active=True), Capability.MANAGE_AMBASSADORS)
        )
        if a.load >= a.max_active_assignments
    ]
    return {"waiting_answers": list(waiting[:10]), "full_ambassadors": full}
