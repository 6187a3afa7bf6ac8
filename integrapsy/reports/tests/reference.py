"""The reports' figures read from the source tables, as they were before the figures' lines.

These are the definitions the dashboard and the funder indicators keep: ``test_facts`` holds
what the pages read from ``Fact`` equal to what these queries count, on a generated data set.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from ambassadors.models import Contact
from cases.models import (
    Attendance,
    Consultation,
    Orientation,
    PermanenceBooking,
    Person,
    Referral,
    Screening,
    SlotAttendance,
)
from integrapsy.accounts.models import Country, Team, User
from integrapsy.reports.indicators import (
    Counts,
    ReportRows,
    _active_cases,
    people_counts,
    report_rows,
)
from integrapsy.reports.periods import Period
from integrapsy.reports.selectors import language_label
from interpreters.models import BookingStatus, InterpreterBooking


def participants(rows: ReportRows, period: Period):
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
    return Person.objects.filter(pk__in=union)


def _service(qs, person_field):
    return qs.aggregate(times=Count("id"), persons=Count(person_field, distinct=True))


def indicator_counts(*, user: User, period: Period, teams: list[Team]) -> Counts:
    rows = report_rows(user=user, teams=[t.pk for t in teams])
    s, e = period.starts_at, period.ends_before
    people, nationalities = people_counts(participants(rows, period), rows, period)
    for country in Country.values:
        in_country = report_rows(user=user, teams=[t.pk for t in teams if t.country == country])
        people[f"territory_{country}"] = participants(in_country, period).count()
    services = {
        "consultations": _service(
            rows(Consultation.objects.filter(started_at__gte=s, started_at__lt=e)), "case__person"
        ),
        "screenings": _service(
            rows(
                Screening.objects.filter(
                    status=Screening.Status.COMPLETED,
                    administered_on__gte=period.start,
                    administered_on__lte=period.end,
                )
            ),
            "case__person",
        ),
        "orientations": _service(
            rows(Orientation.objects.filter(proposed_on__gte=period.start, proposed_on__lte=period.end)),
            "case__person",
        ),
        "permanences": _service(
            rows(
                PermanenceBooking.objects.filter(
                    session__date__gte=period.start, session__date__lte=period.end, status=SlotAttendance.ATTENDED
                )
            ),
            "person",
        ),
        "interpreting": _service(
            rows(InterpreterBooking.objects.filter(starts_at__gte=s, starts_at__lt=e, status=BookingStatus.COMPLETED)),
            "case__person",
        ),
        "ambassadors": _service(
            rows(Contact.objects.filter(occurred_on__gte=period.start, occurred_on__lte=period.end)),
            "assignment__case__person",
        ),
        "activities": _service(
            rows(Attendance.objects.filter(session__starts_at__gte=s, session__starts_at__lt=e, present=True)),
            "enrolment__case__person",
        ),
    }
    organisations = rows(Referral.objects.filter(received_at__gte=s, received_at__lt=e)).aggregate(
        organisations=Count("organisation", distinct=True), referrals=Count("id")
    )
    resources = rows(Orientation.objects.filter(proposed_on__gte=period.start, proposed_on__lte=period.end)).aggregate(
        n=Count("resource", distinct=True)
    )
    return Counts(
        people=people,
        nationalities=nationalities,
        services=services,
        organisations=organisations["organisations"],
        referrals=organisations["referrals"],
        resources=resources["n"],
    )


def _by(qs, field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("id")).order_by(field)}


def dashboard_activity(*, team: Team, period: Period) -> dict:
    """The dashboard's figures of what the team did, which it reads from the figures' lines."""
    contacts = Contact.objects.filter(
        assignment__case__team=team, occurred_on__gte=period.start, occurred_on__lte=period.end
    )
    group = Attendance.objects.filter(
        session__activity__team=team,
        session__starts_at__gte=period.starts_at,
        session__starts_at__lt=period.ends_before,
    )
    amb = contacts.aggregate(
        minutes=Sum("duration_minutes"),
        contacts=Count("id"),
        persons=Count("assignment__case__person", distinct=True),
        ambassadors=Count("assignment__ambassador", distinct=True),
    )
    att = group.aggregate(
        came=Count("id", filter=Q(present=True)),
        missed=Count("id", filter=Q(present=False)),
        sessions=Count("session", distinct=True),
        persons=Count("enrolment__case__person", distinct=True, filter=Q(present=True)),
    )
    late = InterpreterBooking.objects.filter(
        team=team, starts_at__gte=period.starts_at, starts_at__lt=period.ends_before, late_cancellation=True
    ).count()
    by_org = list(
        Referral.objects.filter(team=team, received_at__gte=period.starts_at, received_at__lt=period.ends_before)
        .values("organisation__code", "organisation__name")
        .annotate(n=Count("id"))
        .order_by("-n", "organisation__name")
    )
    by_language = [
        {"pk": row["language"], "label": language_label(row), "minutes": row["minutes"] or 0, "n": row["n"]}
        for row in InterpreterBooking.objects.filter(
            team=team,
            starts_at__gte=period.starts_at,
            starts_at__lt=period.ends_before,
            status=BookingStatus.COMPLETED,
        )
        .values("language", "language__name_fr", "language__name_nl", "language__name_en", "language__variety")
        .annotate(minutes=Sum("billable_minutes"), n=Count("id"))
        .order_by("-minutes", "language__name_en")
    ]
    return {
        "by_language": by_language,
        "by_organisation": by_org,
        "late_cancellations": late,
        "consultations": _by(
            Consultation.objects.filter(
                case__team=team, started_at__gte=period.starts_at, started_at__lt=period.ends_before
            ),
            "kind",
        ),
        "orientations": _by(
            Orientation.objects.filter(case__team=team, proposed_on__gte=period.start, proposed_on__lte=period.end),
            "status",
        ),
        "ambassadors": {**amb, "minutes": amb["minutes"] or 0},
        "attendance": att,
    }
