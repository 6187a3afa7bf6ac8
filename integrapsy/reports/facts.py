"""What the figures count: each figure's source rows, the day they fall on, their key and person.

``services.facts_refresh`` writes, for each figure below, one ``Fact`` line per (team, day,
key, person) of its source rows: the number of rows and their minutes. The dashboard and the
funder indicators then read those lines by team and day, without joining the cases (and so
whatever the size of the history): a period's count is the sum of its days' lines, a count of
distinct persons (or organisations, ambassadors, sessions) is a distinct count over the lines.
Each figure keeps the definition the reports had when they read the source tables, and a test
(``test_facts``) holds them equal on a generated data set.

A row's team is the one the access policy gives it (``TEAM_PATH``); a datetime falls on its day
in the project's time zone, as the reports' periods do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models import When as W
from django.db.models.expressions import Case as Choice
from django.db.models.functions import Cast, Coalesce, TruncDate

from ambassadors.models import Contact
from cases.models import (
    Attendance,
    Case,
    Consultation,
    Orientation,
    PermanenceBooking,
    Person,
    Referral,
    Screening,
    SlotAttendance,
)
from integrapsy import access
from integrapsy.reports.models import PERSON_FIELDS
from interpreters.models import BookingStatus, InterpreterBooking

CASE = "case"  # a case, on the day it opened; its key is the day it closed ("" while open)
CONSULTATION = "consultation"
SCREENING = "screening"
ORIENTATION = "orientation"
ORIENTATION_RESOURCE = "orientation_resource"
PERMANENCE = "permanence"
INTERPRETING = "interpreting"
LATE_CANCELLATION = "late_cancellation"
CONTACT = "contact"
ATTENDANCE = "attendance"
ATTENDANCE_SESSION = "attendance_session"
REFERRAL = "referral"

PRESENT, ABSENT = "present", "absent"


@dataclass(frozen=True)
class Figure:
    name: str
    rows: Callable[[], QuerySet]  # the source rows that count
    day: object  # a date field, or TruncDate of a datetime
    person: str | None = None  # the path to the person, for distinct persons
    key: object = None  # a field path or an expression: kind, status, organisation...
    amount: str | None = None  # minutes, summed


def _day(field: str):
    return TruncDate(field)


FIGURES: tuple[Figure, ...] = (
    Figure(CASE, Case.objects.all, F("opened_on"), "person", Cast("closed_on", CharField())),
    Figure(CONSULTATION, Consultation.objects.all, _day("started_at"), "case__person", "kind"),
    Figure(
        SCREENING,
        lambda: Screening.objects.filter(status=Screening.Status.COMPLETED),
        F("administered_on"),
        "case__person",
    ),
    Figure(ORIENTATION, Orientation.objects.all, F("proposed_on"), "case__person", "status"),
    Figure(ORIENTATION_RESOURCE, Orientation.objects.all, F("proposed_on"), key="resource"),
    Figure(
        PERMANENCE,
        lambda: PermanenceBooking.objects.filter(status=SlotAttendance.ATTENDED),
        F("session__date"),
        "person",
    ),
    Figure(
        INTERPRETING,
        lambda: InterpreterBooking.objects.filter(status=BookingStatus.COMPLETED),
        _day("starts_at"),
        "case__person",
        "language",
        amount="billable_minutes",
    ),
    Figure(
        LATE_CANCELLATION,
        lambda: InterpreterBooking.objects.filter(late_cancellation=True),
        _day("starts_at"),
    ),
    Figure(
        CONTACT,
        Contact.objects.all,
        F("occurred_on"),
        "assignment__case__person",
        "assignment__ambassador",
        amount="duration_minutes",
    ),
    Figure(
        ATTENDANCE,
        Attendance.objects.all,
        _day("session__starts_at"),
        "enrolment__case__person",
        Choice(W(present=True, then=Value(PRESENT)), default=Value(ABSENT)),
    ),
    Figure(ATTENDANCE_SESSION, Attendance.objects.all, _day("session__starts_at"), key="session"),
    Figure(REFERRAL, Referral.objects.all, _day("received_at"), key="organisation"),
)

# The services that make a person "supported" in a period (besides a case active in it): the
# indicators' participants. Screenings and orientations are services given, not participation;
# a group session counts for those who came.
PARTICIPATION = Q(figure__in=(CONSULTATION, PERMANENCE, INTERPRETING, CONTACT)) | Q(figure=ATTENDANCE, key=PRESENT)


def _expression(value, output_field):
    if value is None:  # a typed NULL: PostgreSQL will not insert an untyped one into a number column
        return Cast(Value(None), output_field)
    return F(value) if isinstance(value, str) else value


PERSON_COLUMNS = tuple(f"f_{name}" for name in PERSON_FIELDS)


def _person_columns(path: str | None) -> dict:
    """The person's fields the indicators break down by ("" or a typed NULL when there is no person)."""
    columns = {}
    for name in PERSON_FIELDS:
        field = Person._meta.get_field(name)
        if isinstance(field, CharField):
            columns[f"f_{name}"] = Coalesce(F(f"{path}__{name}"), Value("")) if path else Value("")
        else:
            columns[f"f_{name}"] = F(f"{path}__{name}") if path else Cast(Value(None), field.__class__())
    return columns


def lines(figure: Figure) -> QuerySet:
    """The figure's lines, as ``values()`` rows: team, day, key, person, n and amount."""
    rows = figure.rows().order_by()
    key = (
        Value("")
        if figure.key is None
        else Coalesce(Cast(_expression(figure.key, CharField()), CharField()), Value(""))
    )
    return (
        rows.annotate(
            f_team=F(access.team_path(rows.model) + "_id"),
            f_day=figure.day,
            f_key=key,
            f_person=_expression(figure.person and figure.person + "_id", IntegerField()),
        )
        .annotate(**_person_columns(figure.person))
        .values("f_team", "f_day", "f_key", "f_person", *PERSON_COLUMNS)
        .annotate(
            f_n=Count("pk"),
            f_amount=Coalesce(Sum(figure.amount), 0) if figure.amount else Value(0, output_field=IntegerField()),
        )
        .values("f_team", "f_day", "f_key", "f_person", "f_n", "f_amount", *PERSON_COLUMNS)
        .order_by("f_team", "f_day")  # a team's lines side by side in the table
    )
