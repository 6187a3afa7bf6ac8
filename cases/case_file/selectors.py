"""Reads of persons, referrals, cases and the timeline, each scoped by the access policy."""

from __future__ import annotations

from django.db.models import BooleanField, CharField, Expression, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from cases.models import Case, Person, PersonLanguage, RiskLevel
from cases.persons.matching import name_key
from integrapsy import access, prepared
from integrapsy import forms as core_forms
from integrapsy.access import Capability
from integrapsy.accounts.models import Role, Team, User
from integrapsy.directory.models import Location
from integrapsy.links import row_url
from integrapsy.pagination import CappedPaginator
from integrapsy.prepared import IdIn, Param, PreparedQuery

# The columns the list's rows show (``case_list_rows``, ``cases/case_list.html``).
CASE_LIST_FIELDS = (
    "reference",
    "status",
    "risk_level",
    "opened_on",
    "team__name",
    "person__first_name",
    "person__last_name",
    "person__alias",
    "person__location__name",
    "lead_psychologist__first_name",
    "lead_psychologist__last_name",
    "lead_psychologist__username",
)


def case_list(*, user: User, filters: dict | None = None) -> QuerySet[Case]:
    """Cases the user may open, filtered."""
    filters = filters or {}
    qs = access.scope_cases(user, Case.objects.all())
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("team"):
        qs = qs.filter(team=filters["team"])
    if filters.get("lead_psychologist"):
        qs = qs.filter(lead_psychologist=filters["lead_psychologist"])
    if filters.get("location"):
        qs = qs.filter(person__location=filters["location"])
    if filters.get("language"):
        qs = qs.filter(person__in=PersonLanguage.objects.filter(language=filters["language"]).values("person_id"))
    if filters.get("risk_level"):
        qs = qs.filter(risk_level=filters["risk_level"])
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(case_search(q))
    return qs.order_by("-opened_on", "-id")


CASES_PER_PAGE = 25


# A page of the list by its ids, scoped again (the ids come from the scoped list), in the
# list's order: the columns the list shows and no more (``values()``: five model instances a
# row cost more than the query). Built once per set of teams (``integrapsy.prepared``): its
# joins cost more to plan than to run, and a prepared statement is planned once.
_CASE_LIST_ROWS = PreparedQuery(
    lambda teams: (
        access.case_lookup_of_teams(Case.objects.filter(IdIn("pk", "ids")), teams)
        .order_by("-opened_on", "-id")
        .values(*CASE_LIST_FIELDS)
    )
)


def case_list_page(*, user: User, filters: dict, number):
    """One page of the case list (``case_list``), its count capped: the ids of its first rows
    in the list's order (their number is the count, a slice of them the page), then the page
    by those ids (``CappedPaginator``, ``ids_first``, ``rows_of_ids``)."""
    teams = access.case_lookup_teams(user)
    return CappedPaginator(
        case_list(user=user, filters=filters),
        CASES_PER_PAGE,
        ids_first=True,
        fields=CASE_LIST_FIELDS,
        rows_of_ids=lambda ids: _CASE_LIST_ROWS.run(teams, ids=ids),
    ).get_page(number)


def case_list_rows(cases) -> list[dict]:
    """The list's rows (``case_list``), each with the link and the texts it shows."""
    statuses, risks = dict(Case.Status.choices), dict(RiskLevel.choices)
    case_url = row_url("cases:detail")
    return [
        {
            "reference": case["reference"],
            "url": case_url(case["reference"]),
            "person": Person.name_of(case["person__first_name"], case["person__last_name"], case["person__alias"]),
            "status": statuses.get(case["status"], case["status"]),
            "risk": risks.get(case["risk_level"], case["risk_level"]) if case["risk_level"] != RiskLevel.NONE else "",
            "risk_alarm": case["risk_level"] in (RiskLevel.HIGH, RiskLevel.IMMINENT),
            "team": case["team__name"],
            "lead": User.name_of(
                case["lead_psychologist__first_name"],
                case["lead_psychologist__last_name"],
                case["lead_psychologist__username"],
            ),
            "location": case["person__location__name"] or "",
            "opened_on": case["opened_on"],
        }
        for case in cases
    ]


_MAX_WORDS = 6  # a name is rarely longer; more words would only add subqueries
_MAX_SPAN = 3  # "Abdul Rahman" may be written "Abdelrahman": words are also tried joined


def case_search(q: str) -> Q:
    """A case reference when the text holds a digit (names don't), a person's name otherwise.

    The name search reads the case rows alone: each case holds its person's names and their
    search keys (``Case.search_names``, ``Case.search_keys``, kept by the database, migration
    0013), which PostgreSQL answers from two indexes that begin with the team (the names'
    trigrams, the keys' list: migration 0016). The team's cases that hold the words are
    found without looking at any person of another team, however common the name.

    Several words match the cases whose person's names (first, last, alias, in any order) hold
    all of them: one condition per word, AND-ed on the same row. A word also matches through the
    words next to it read as one name, so "Mouhamad Abdel Rahman" finds "Mohammed Abdelrahman".
    """
    q = q.replace("\x00", "")  # PostgreSQL refuses a NUL in a query; no name holds one
    if any(ch.isdigit() for ch in q):
        return Q(reference__icontains=q.strip())
    words = q.split()[:_MAX_WORDS]
    if not words:
        return Q()
    spans = {
        (start, end): " ".join(words[start:end])
        for start in range(len(words))
        for end in range(start + 1, min(start + _MAX_SPAN, len(words)) + 1)
    }
    condition = Q()
    for i, word in enumerate(words):
        condition &= _names_match(word, [text for (start, end), text in spans.items() if start <= i < end])
    return condition


def _names_match(word: str, texts: list[str]) -> Q:
    """Cases one of whose person's names holds the word, or is written the same as one of the
    texts (the word, and the runs of words around it) once transliterated: its key, between
    spaces in ``search_keys``.

    ``search_names`` holds the names one per line: a text never holds a line break (its words
    are split on white space and joined by spaces), so it is found there exactly when one of
    the names holds it. A run of words held by a name holds the word too: only the word is
    looked for (a long text costs the trigram index more, and finds nothing more). A key is
    letters only: one of the three keys is one of the texts' keys (``HoldsKey``).
    """
    names = Q(search_names__icontains=word)
    keys = sorted({key for key in map(name_key, texts) if key})
    if keys:
        names |= Q(HoldsKey(keys))
    return names


class HoldsKey(Expression):
    """Whether one of the case's name keys (``search_keys``, each between spaces) is one of ``keys``.

    PostgreSQL: the case's keys as a list overlapping the keys sought, which the index of the
    team and the keys' list answers (migration 0016: one entry per key, where the keys'
    trigrams read twice as long). Elsewhere: each key sought between spaces in the text.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, keys: list[str]):
        super().__init__()
        self.keys = list(keys)
        self.column = F("search_keys")

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        sql = " OR ".join(f"{column} LIKE %s" for _ in self.keys)
        return f"({sql})", [value for key in self.keys for value in (*params, f"% {key} %")]

    def as_postgresql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        return f"string_to_array({column}, ' ') && %s::text[]", [*params, self.keys]


def _open_risk_flag_columns() -> dict:
    """The open risk flag's date and source, read with the case: the banner costs no query."""
    from cases.models import RiskFlag

    open_flag = RiskFlag.objects.filter(case=OuterRef("pk"), acknowledged_at__isnull=True).order_by("raised_at", "pk")
    return {
        "open_risk_raised_at": Subquery(open_flag.values("raised_at")[:1]),
        "open_risk_source": Subquery(open_flag.values("source")[:1]),
    }


# One case by its reference, for the teams the user may open cases of (the shape): built and
# compiled once per set of teams (``integrapsy.prepared``), then run with the reference.
_CASE_BY_REFERENCE = PreparedQuery(
    lambda team_ids: (
        access.case_lookup_of_teams(Case.objects.all(), team_ids)
        .select_related("person", "person__location", "team", "lead_psychologist", "main_language")
        .annotate(**_open_risk_flag_columns())
        .filter(reference=Param("reference", CharField()))
        .order_by()[:1]
    )
)


def case_get(*, user: User, reference: str) -> Case:
    """One case the user may open, or 404."""
    if "\x00" in reference:  # no reference holds one, and PostgreSQL refuses it in a query
        raise Http404
    return prepared.one_or_404(_CASE_BY_REFERENCE, access.case_lookup_teams(user), reference=reference)


def team_psychologists(*, team: Team) -> QuerySet[User]:
    return User.objects.filter(memberships__team=team, memberships__role=Role.PSYCHOLOGIST, is_active=True).order_by(
        "last_name", "first_name"
    )


def team_staff(*, team: Team) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__team=team,
            memberships__role__in=[Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER, Role.AMBASSADOR],
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def user_teams(*, user: User, capability: Capability = Capability.VIEW_CASES) -> QuerySet[Team]:
    """The teams in which the user holds ``capability``, by name."""
    return access.scope(user, Team.objects.all(), capability).order_by("name")


def team_psychologists_of(*, teams: QuerySet[Team]) -> QuerySet[User]:
    return access.users_holding(User.objects.all(), Role.PSYCHOLOGIST, teams=teams).order_by("last_name", "first_name")


def user_locations(*, user: User, capability: Capability = Capability.VIEW_CASES) -> QuerySet[Location]:
    """The active places of the teams in which the user holds ``capability``, by name."""
    return access.scope(user, Location.objects.filter(is_active=True), capability).order_by("name")


def case_filter_options(*, user: User) -> dict[str, list]:
    """The case list filter's teams, lead psychologists, places and languages: one query, kept
    a minute for every user of the same teams (``core_forms.kept_options``)."""
    key = access.scope_key(user, Capability.VIEW_CASES)
    return core_forms.kept_options("case-filter", key, lambda: _case_filter_lists(user=user))


def _case_filter_lists(*, user: User) -> dict[str, core_forms.Options]:
    teams = user_teams(user=user)
    return {
        "team": core_forms.Options(teams, ("name",), ("name",)),
        "lead_psychologist": core_forms.people_options(team_psychologists_of(teams=teams)),
        "location": core_forms.place_options(user_locations(user=user)),
        "language": core_forms.language_options(),
    }


def case_actions(*, case: Case, case_access: access.CaseAccess) -> dict:
    """What the case page offers: changes to the case's own team, notes to the teams it is shared with too."""
    return {
        "may_change": case_access.write and not case.is_closed,
        "may_add_note": case_access.note and not case.is_closed,
    }


def case_panels(*, user: User, case: Case, section: str) -> dict:
    """What a section of the case page shows besides the header: only that section's rows are read."""
    from cases.panels import render_context

    case_access = access.case_access(user, case)
    panels = render_context(user=user, case=case, case_access=case_access, section=section)
    return {
        "banners": [p for p in panels if p.get("banner")],
        "extra_panels": [p for p in panels if p["template"]],
    }


def case_team_panel(*, user: User, case: Case, case_access) -> dict:
    """Who follows the case: its members and the teams it is shared with."""
    return {"members": list(case.members.order_by("last_name")), "shares": list(case.shares.select_related("team"))}
