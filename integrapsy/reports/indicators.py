"""Funder indicators (Interreg France-Wallonie-Vlaanderen): counts only, small cells hidden.

Every cell between 1 and 4 is shown as "<5", on the page and in the exports, so that no
person can be singled out; since the persons by gender, age, nationality and territory add
up to the persons supported, a second cell of such a block is hidden too ("hidden") when one
"<5" could otherwise be worked out from the total (``suppression``). Each block is one
aggregate query: the cost does not grow with the number of persons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Contact
from cases.models import (
    Attendance,
    Case,
    CaseShare,
    Consultation,
    Orientation,
    PermanenceBooking,
    Person,
    Referral,
    Screening,
    SlotAttendance,
)
from cases.persons.models import Sex
from cases.persons.nationality import UNKNOWN, nationality_name
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import Country, Team, User
from integrapsy.reports.periods import Period, years_before
from integrapsy.reports.suppression import SMALL_CELL, Hidden, Line, suppress
from interpreters.models import BookingStatus, InterpreterBooking

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


def report_rows(*, user: User, teams: list[int]) -> ReportRows:
    """The rows of ``teams`` (teams the user may report on), whatever the model."""
    return lambda qs: access.scope(user, qs, Capability.VIEW_INDICATORS, within=teams)


def _active_cases(rows: ReportRows, period: Period) -> QuerySet:
    return rows(Case.objects.filter(opened_on__lte=period.end)).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)
    )


def participant_ids(rows: ReportRows, period: Period) -> Q:
    """Persons supported in the period: a case active in it, or a service received in it.

    One ``IN`` over the UNION of the sources, which the database answers as one semi-join; an OR
    of one ``IN`` per source made PostgreSQL test every person against every source in turn
    (more than nine minutes for the indicators of a million persons, measured by ``benchmark``).
    """
    s, e = period.starts_at, period.ends_before
    sources = [
        _active_cases(rows, period).values("person_id"),
        rows(Consultation.objects.filter(started_at__gte=s, started_at__lt=e)).values("case__person_id"),
        rows(
            PermanenceBooking.objects.filter(
                session__date__gte=period.start, session__date__lte=period.end, status=SlotAttendance.ATTENDED
            )
        ).values("person_id"),
        rows(
            InterpreterBooking.objects.filter(
                starts_at__gte=s, starts_at__lt=e, status=BookingStatus.COMPLETED, case__isnull=False
            )
        ).values("case__person_id"),
        rows(Contact.objects.filter(occurred_on__gte=period.start, occurred_on__lte=period.end)).values(
            "assignment__case__person_id"
        ),
        rows(Attendance.objects.filter(session__starts_at__gte=s, session__starts_at__lt=e, present=True)).values(
            "enrolment__case__person_id"
        ),
    ]
    union = sources[0].order_by().union(*(source.order_by() for source in sources[1:]))
    return Q(pk__in=union)


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


def indicators(*, user: User, period: Period, team: Team | None = None) -> Indicators:
    """The funder indicators over the teams the user may report on (or one of them)."""
    teams = access.scope(user, Team.objects.all(), Capability.VIEW_INDICATORS)
    if team is not None:
        teams = teams.filter(pk=team.pk)
    team_list = list(teams.order_by("name"))
    rows = report_rows(user=user, teams=[t.pk for t in team_list])
    s, e = period.starts_at, period.ends_before

    participants = Person.objects.filter(participant_ids(rows, period))
    bands = age_band_filters(period.start)
    cross_border = CaseShare.objects.filter(case__in=_active_cases(rows, period)).exclude(
        team__country=F("case__team__country")
    )
    people = participants.aggregate(
        total=Count("id"),
        **{f"sex_{value}": Count("id", filter=Q(sex=value)) for value in Sex.values},
        **{f"age_{key}": Count("id", filter=q) for key, q in bands.items()},
        unaccompanied=Count("id", filter=Q(unaccompanied_minor=True)),
        cross_border=Count("id", filter=Q(pk__in=cross_border.values("case__person_id"))),
    )
    # One count per country, each a semi-join of its own: inside the aggregate above, the
    # country's participants would be a subplan run once per person.
    for country in Country.values:
        in_country = report_rows(user=user, teams=[t.pk for t in team_list if t.country == country])
        people[f"territory_{country}"] = Person.objects.filter(participant_ids(in_country, period)).count()
    nationalities = _by_nationality(participants)

    def service(qs, person_field):
        return qs.aggregate(times=Count("id"), persons=Count(person_field, distinct=True))

    services = {
        "consultations": (
            _("Consultations"),
            service(rows(Consultation.objects.filter(started_at__gte=s, started_at__lt=e)), "case__person"),
        ),
        "screenings": (
            _("Screenings"),
            service(
                rows(
                    Screening.objects.filter(
                        status=Screening.Status.COMPLETED,
                        administered_on__gte=period.start,
                        administered_on__lte=period.end,
                    )
                ),
                "case__person",
            ),
        ),
        "orientations": (
            _("Orientations to specialised services"),
            service(
                rows(Orientation.objects.filter(proposed_on__gte=period.start, proposed_on__lte=period.end)),
                "case__person",
            ),
        ),
        "permanences": (
            _("Permanence appointments attended"),
            service(
                rows(
                    PermanenceBooking.objects.filter(
                        session__date__gte=period.start,
                        session__date__lte=period.end,
                        status=SlotAttendance.ATTENDED,
                    )
                ),
                "person",
            ),
        ),
        "interpreting": (
            _("Interpreter bookings"),
            service(
                rows(
                    InterpreterBooking.objects.filter(starts_at__gte=s, starts_at__lt=e, status=BookingStatus.COMPLETED)
                ),
                "case__person",
            ),
        ),
        "ambassadors": (
            _("Ambassador support (contacts)"),
            service(
                rows(Contact.objects.filter(occurred_on__gte=period.start, occurred_on__lte=period.end)),
                "assignment__case__person",
            ),
        ),
        "activities": (
            _("Group activities (attendances)"),
            service(
                rows(Attendance.objects.filter(session__starts_at__gte=s, session__starts_at__lt=e, present=True)),
                "enrolment__case__person",
            ),
        ),
    }
    organisations = rows(Referral.objects.filter(received_at__gte=s, received_at__lt=e)).aggregate(
        organisations=Count("organisation", distinct=True), referrals=Count("id")
    )
    resources = rows(Orientation.objects.filter(proposed_on__gte=period.start, proposed_on__lte=period.end)).aggregate(
        n=Count("resource", distinct=True)
    )

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
            [Row(code, nationality_name(code), n) for code, n in nationalities],
        ),
        Section(
            "territory",
            _("By territory"),
            [Row(value, label, people[f"territory_{value}"]) for value, label in Country.choices],
        ),
        Section(
            "services",
            _("Persons who received each service"),
            [Row(key, label, data["persons"]) for key, (label, data) in services.items()],
        ),
        Section(
            "services_given",
            _("Services given (number)"),
            [Row(key, label, data["times"]) for key, (label, data) in services.items()],
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
                Row("referring", _("Referring organisations"), organisations["organisations"]),
                Row("referrals", _("Referrals received"), organisations["referrals"]),
                Row("resources", _("Services oriented to"), resources["n"]),
            ],
        ),
    ]
    return Indicators(period=period, teams=team_list, sections=_shown(sections))


def _by_nationality(participants: QuerySet) -> list[tuple[str, int]]:
    """(country code, persons), most persons first, then by name in the reader's language.

    No nationality recorded (or one still to resolve) counts as unknown.
    """
    counts: dict[str, int] = {}
    for row in participants.values("nationality").annotate(n=Count("id")).order_by():
        code = row["nationality"] or UNKNOWN
        counts[code] = counts.get(code, 0) + row["n"]
    return sorted(counts.items(), key=lambda item: (-item[1], nationality_name(item[0]).casefold()))


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
