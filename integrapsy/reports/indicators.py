"""Funder indicators (Interreg France-Wallonie-Vlaanderen): counts only, small cells hidden.

Every cell between 1 and 4 is shown as "<5", on the page and in the exports, so that no
person can be singled out; since the persons by gender, age, nationality and territory add
up to the persons supported, a second cell of such a block is hidden too ("hidden") when one
"<5" could otherwise be worked out from the total (``suppression``). The services are read
from the figures' lines (``facts``), written by a scheduled task: the page says as of when.
Each block is one aggregate query: the cost does not grow with the number of persons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from datetime import datetime

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DateField,
    F,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseShare
from cases.persons.models import Sex
from cases.persons.nationality import UNKNOWN, nationality_name
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import Country, Team, User
from integrapsy.prepared import Param, PreparedQuery
from integrapsy.reports import facts
from integrapsy.reports.models import Fact, FactsRefresh, TeamCounts
from integrapsy.reports.periods import Period, years_before
from integrapsy.reports.suppression import SMALL_CELL, Hidden, Line, suppress

SMALL_CELL_LABEL = "<5"
HIDDEN_LABEL = _("hidden")

# The blocks whose rows add up to the persons supported (each person in one row; a person
# followed in both countries counts in both territories, so that block may add up to more,
# and is protected the same way).
PARTITIONS = ("gender", "age", "nationality", "territory")


def mask(n: int) -> int | str:
    """A count as it may be shown: "<5" between 1 and 4, so that nobody is singled out."""
    return SMALL_CELL_LABEL if 0 < n < SMALL_CELL else n


@dataclass(frozen=True)
class Row:
    key: str
    label: str | Promise
    value: int | str  # as shown: a count, "<5" or "hidden"


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    rows: list[Row]


@dataclass(frozen=True)
class Indicators:
    period: Period
    teams: list[Team]
    sections: list[Section]
    as_of: datetime | None = None  # when the figures' lines were written (``facts``)

    def value(self, section: str, row: str) -> int | str:
        """One cell, by keys (for tests and exports)."""
        for s in self.sections:
            if s.key == section:
                for r in s.rows:
                    if r.key == row:
                        return r.value
        raise KeyError(f"{section}.{row}")


# Narrows a queryset to the report's teams, through each model's team path (``access.scope``).
ReportRows = Callable[[QuerySet], QuerySet]


def report_rows(*, user: User | None, teams: list[int]) -> ReportRows:
    """The rows of ``teams`` (teams the user may report on), whatever the model; without a
    user, the rows of these teams (what the scheduled refresh counts ahead of the page)."""
    if user is None:
        return lambda qs: access.of_teams(qs, teams)
    return lambda qs: access.scope(user, qs, Capability.VIEW_INDICATORS, within=teams)


def _active_cases(rows: ReportRows, period: Period) -> QuerySet:
    return rows(Case.objects.filter(opened_on__lte=period.end)).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)
    )


def age_band_filters(start) -> dict[str, Q]:
    """Age at the start of the period, from the date of birth, else the (estimated) year of birth."""
    t18, t30, t55 = (years_before(start, n) for n in (18, 30, 55))
    y18, y30, y55 = (start.year - n for n in (18, 30, 55))
    by_year = Q(birth_date__isnull=True)
    return {
        "under_18": Q(birth_date__gt=t18) | (by_year & Q(birth_year__gt=y18)),
        "18_29": Q(birth_date__lte=t18, birth_date__gt=t30) | (by_year & Q(birth_year__lte=y18, birth_year__gt=y30)),
        "30_54": Q(birth_date__lte=t30, birth_date__gt=t55) | (by_year & Q(birth_year__lte=y30, birth_year__gt=y55)),
        "55_plus": Q(birth_date__lte=t55) | (by_year & Q(birth_year__lte=y55)),
        "unknown": by_year & Q(birth_year__isnull=True),
    }


AGE_BANDS = {
    "under_18": _("Under 18"),
    "18_29": _("18–29"),
    "30_54": _("30–54"),
    "55_plus": _("55 and over"),
    "unknown": _("Age not known"),
}


# The services of the indicators, in their order: (figure, label).
SERVICES = (
    (facts.CONSULTATION, "consultations", _("Consultations")),
    (facts.SCREENING, "screenings", _("Screenings")),
    (facts.ORIENTATION, "orientations", _("Orientations to specialised services")),
    (facts.PERMANENCE, "permanences", _("Permanence appointments attended")),
    (facts.INTERPRETING, "interpreting", _("Interpreter bookings")),
    (facts.CONTACT, "ambassadors", _("Ambassador support (contacts)")),
    (facts.ATTENDANCE, "activities", _("Group activities (attendances)")),
)


@dataclass(frozen=True)
class Counts:
    """The indicators' counts before any is hidden (see ``Indicators`` for what is shown)."""

    people: dict[str, int]  # total, sex_*, age_*, unaccompanied, cross_border, territory_*
    nationalities: list[tuple[str, int]]
    services: dict[str, dict[str, int]]  # {key: {"times": n, "persons": n}}
    organisations: int
    referrals: int
    resources: int

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Counts | None:
        """The counts stored by a refresh; None when another version of them wrote it (a count
        more or less): they are then counted again."""
        if not isinstance(data, dict) or set(data) != {f.name for f in fields(cls)}:
            return None
        return cls(**{**data, "nationalities": [tuple(pair) for pair in data["nationalities"]]})


def report_teams_of(user: User, team: Team | None) -> list[Team]:
    """The teams of the report: those the user may report on, or the one asked for among them."""
    teams = access.scope(user, Team.objects.all(), Capability.VIEW_INDICATORS)
    if team is not None:
        teams = teams.filter(pk=team.pk)
    return list(teams.order_by("name"))


def people_counts(persons: QuerySet, rows: ReportRows, period: Period, *, person: str = "id") -> tuple[dict, list]:
    """Persons supported, by gender, age band, unaccompanied, followed across the border, and
    by nationality: one query grouped by nationality, added up here.

    ``persons`` are rows that name a person (``person``) with the person's fields: the
    persons themselves, or the figures' lines (where a person has several lines, all alike).
    """
    bands = age_band_filters(period.start)
    cross_border = CaseShare.objects.filter(case__in=_active_cases(rows, period)).exclude(
        team__country=F("case__team__country")
    )

    def persons_where(q: Q | None = None) -> Count:
        return Count(person, distinct=person != "id", filter=q)

    groups = persons.values("nationality").annotate(
        total=persons_where(),
        **{f"sex_{value}": persons_where(Q(sex=value)) for value in Sex.values},
        **{f"age_{key}": persons_where(q) for key, q in bands.items()},
        unaccompanied=persons_where(Q(unaccompanied_minor=True)),
        cross_border=persons_where(Q(**{f"{person}__in": cross_border.values("case__person_id")})),
    )
    people: dict[str, int] = {}
    by_code: dict[str, int] = {}
    for row in groups.order_by():
        code = row.pop("nationality") or UNKNOWN  # not recorded, or still to resolve
        by_code[code] = by_code.get(code, 0) + row["total"]
        for name, n in row.items():
            people[name] = people.get(name, 0) + n
    if not people:
        people = dict.fromkeys(groups.query.annotations, 0)
    nationalities = sorted(by_code.items(), key=lambda item: (-item[1], nationality_name(item[0]).casefold()))
    return people, nationalities


def supported(rows: ReportRows, period: Period) -> QuerySet:
    """The lines of the persons supported in the period: a case active in it, or a service received in it."""
    active_case = Q(figure=facts.CASE, day__lte=period.end) & (Q(key="") | Q(key__gte=period.start.isoformat()))
    service = facts.PARTICIPATION & Q(day__gte=period.start, day__lte=period.end)
    return rows(Fact.objects.filter(active_case | service, person__isnull=False))


def counts(*, user: User | None, period: Period, teams: list[Team]) -> Counts:
    """The counts of the indicators, from the figures' lines (``facts``)."""
    rows = report_rows(user=user, teams=[t.pk for t in teams])
    people, nationalities = people_counts(supported(rows, period), rows, period, person="person")
    # One count per country, each a semi-join of its own: inside the aggregate above, the
    # country's participants would be a subplan run once per person. A country with none of
    # the teams counts nobody, a country with all of them everybody.
    for country in Country.values:
        in_country = [t.pk for t in teams if t.country == country]
        if len(in_country) in (0, len(teams)):
            people[f"territory_{country}"] = people["total"] if in_country else 0
        else:
            lines = supported(report_rows(user=user, teams=in_country), period)
            people[f"territory_{country}"] = lines.aggregate(n=Count("person", distinct=True))["n"]
    # Every service, the referrals and the resources oriented to: one grouped read of the lines.
    named = ~Q(key="")
    by_figure = {
        row["figure"]: row
        for row in rows(Fact.objects.filter(day__gte=period.start, day__lte=period.end))
        .values("figure")
        .annotate(
            times=Sum("n"),
            persons=Count("person", distinct=True),
            present=Sum("n", filter=Q(key=facts.PRESENT)),
            persons_present=Count("person", distinct=True, filter=Q(key=facts.PRESENT)),
            keys=Count("key", distinct=True, filter=named),
        )
        .order_by()
    }

    def service(figure: str) -> dict[str, int]:
        row = by_figure.get(figure, {})
        if figure == facts.ATTENDANCE:  # those who came
            return {"times": row.get("present") or 0, "persons": row.get("persons_present") or 0}
        return {"times": row.get("times") or 0, "persons": row.get("persons") or 0}

    return Counts(
        people=people,
        nationalities=nationalities,
        services={key: service(figure) for figure, key, _label in SERVICES},
        organisations=by_figure.get(facts.REFERRAL, {}).get("keys") or 0,
        referrals=by_figure.get(facts.REFERRAL, {}).get("times") or 0,
        resources=by_figure.get(facts.ORIENTATION_RESOURCE, {}).get("keys") or 0,
    )


def facts_as_of() -> datetime | None:
    """When the figures' lines were last written (``None``: not yet)."""
    return FactsRefresh.objects.order_by("-as_of").values_list("as_of", flat=True).first()


def _latest_counts_query(shape) -> QuerySet:
    stored = TeamCounts.objects.filter(
        run=OuterRef("pk"),
        team_id=Param("team_id", BigIntegerField()),
        kind=Param("kind", CharField()),
        start=Param("start", DateField()),
        end=Param("end", DateField()),
    )
    return (
        FactsRefresh.objects.order_by("-as_of")
        .annotate(stored=Subquery(stored.values("counts")[:1], output_field=JSONField()))
        .values_list("as_of", "stored")[:1]
    )


# The latest run and what it stored for a team, kind and period: compiled once (``integrapsy.prepared``).
_LATEST_COUNTS = PreparedQuery(_latest_counts_query)


def latest_counts(*, team: Team, kind: str, period: Period) -> tuple[datetime | None, dict | None]:
    """When the lines were last written, and the counts of ``kind`` that run stored for the team
    over the period (``services.team_counts_write``; None when it stored none): one query."""
    found = _LATEST_COUNTS.run(team_id=team.pk, kind=kind, start=period.start, end=period.end)
    return found[0] if found else (None, None)


def indicators(*, user: User, period: Period, team: Team | None = None) -> Indicators:
    """The funder indicators over the teams the user may report on (or one of them): one team's
    year to date as the latest refresh counted it, any other report counted now."""
    teams = report_teams_of(user, team)
    if len(teams) != 1:
        return assemble(period, teams, counts(user=user, period=period, teams=teams), as_of=facts_as_of())
    as_of, stored = latest_counts(team=teams[0], kind=TeamCounts.Kind.INDICATORS, period=period)
    found = Counts.from_json(stored) if stored is not None else None
    return assemble(period, teams, found or counts(user=user, period=period, teams=teams), as_of=as_of)


def assemble(period: Period, teams: list[Team], c: Counts, *, as_of: datetime | None = None) -> Indicators:
    """The sections of the indicators from their counts, small cells hidden."""
    people = c.people
    sections = [
        Section("participants", _("Participants"), [Row("total", _("Persons supported"), people["total"])]),
        Section(
            "gender",
            _("By gender"),
            [Row(value, label, people[f"sex_{value}"]) for value, label in Sex.choices],
        ),
        Section(
            "age",
            _("By age at the start of the period"),
            [Row(key, label, people[f"age_{key}"]) for key, label in AGE_BANDS.items()],
        ),
        Section(
            "minors",
            _("Unaccompanied minors"),
            [Row("unaccompanied", _("Unaccompanied minors"), people["unaccompanied"])],
        ),
        Section(
            "nationality",
            _("By country of nationality"),
            [Row(code, nationality_name(code), n) for code, n in c.nationalities],
        ),
        Section(
            "territory",
            _("By territory"),
            [Row(value, label, people[f"territory_{value}"]) for value, label in Country.choices],
        ),
        Section(
            "services",
            _("Persons who received each service"),
            [Row(key, label, c.services[key]["persons"]) for _f, key, label in SERVICES],
        ),
        Section(
            "services_given",
            _("Services given (number)"),
            [Row(key, label, c.services[key]["times"]) for _f, key, label in SERVICES],
        ),
        Section(
            "cross_border",
            _("Joint cross-border actions"),
            [
                Row(
                    "persons",
                    _("Persons followed by a French and a Belgian team together"),
                    people["cross_border"],
                )
            ],
        ),
        Section(
            "cooperation",
            _("Organisations cooperating"),
            [
                Row("referring", _("Referring organisations"), c.organisations),
                Row("referrals", _("Referrals received"), c.referrals),
                Row("resources", _("Services oriented to"), c.resources),
            ],
        ),
    ]
    return Indicators(period=period, teams=teams, sections=_shown(sections), as_of=as_of)


def _shown(sections: list[Section]) -> list[Section]:
    """The sections with their counts as they may be shown (``suppression``)."""
    counts = {(s.key, r.key): r.value for s in sections for r in s.rows}
    total = ("participants", "total")
    lines = [Line(total, tuple((s.key, r.key) for r in s.rows)) for s in sections if s.key in PARTITIONS]
    hidden = suppress(counts, lines)
    labels = {Hidden.PRIMARY: SMALL_CELL_LABEL, Hidden.COMPLEMENTARY: HIDDEN_LABEL}
    return [
        Section(
            s.key,
            s.title,
            [
                Row(r.key, r.label, labels[hidden[(s.key, r.key)]] if (s.key, r.key) in hidden else r.value)
                for r in s.rows
            ],
        )
        for s in sections
    ]
