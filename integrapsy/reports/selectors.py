"""Reads behind the coordinator dashboard: every figure is aggregated in the database.

What the team did (referrals received, consultations, orientations, interpreting, ambassadors'
contacts, group sessions) is read from the figures' lines (``facts``), written by a scheduled
task, so the page says as of when; for the period the page opens on (the last days), the task
also sums the lines once for each team (``TeamCounts``, ``dashboard_lines``), and the page reads
that, with the team's cases by status, the period's permanence slots and bookings, the days
referrals waited for a first contact and the names of the organisations and languages as they
stood at that run. What must be seen at once (urgent referrals waiting, open risk flags) is
read from the rows.

Each figure is aggregated whatever the number of rows, so the page's query count does not
grow with the data. The single-number figures (counts, sums) are read together, each as a
scalar subquery of one query (``_scalars``; the counts over the same rows in one pass,
``Counts``); the breakdowns (by organisation, kind, language, status) are one grouped query each.
"""

from __future__ import annotations

import functools
import uuid

from django.db.models import (
    BigIntegerField,
    Count,
    DateField,
    DateTimeField,
    IntegerField,
    JSONField,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, JSONObject, TruncDate
from django.http import Http404
from django.utils.translation import get_language

from cases.models import (
    Case,
    Consultation,
    OrientationStatus,
    PermanenceBooking,
    PermanenceSession,
    PermanenceSlot,
    Referral,
    RiskFlag,
    SlotAttendance,
    Urgency,
)
from cases.reminders.selectors import reminded_booking_codes
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import Organisation, Team, User
from integrapsy.directory.models import Language
from integrapsy.prepared import Param, PreparedQuery
from integrapsy.reports import facts
from integrapsy.reports.indicators import SMALL_CELL, latest_counts, mask
from integrapsy.reports.models import Fact, ReportJob, TeamCounts
from integrapsy.reports.periods import Period, weighted_percentile

# The consultations' kinds and the orientations' statuses, in the order the dashboard lists them.
KINDS = sorted(Consultation.Kind.values)
STATUSES = sorted(OrientationStatus.values)
OPEN_REFERRAL_STATUSES = [Referral.Status.SUBMITTED, Referral.Status.INFO_REQUESTED]
FOLLOW_UP_STATUSES = [Case.Status.OPEN, Case.Status.ACTIVE, Case.Status.ON_HOLD]


def report_teams(*, user: User) -> list[Team]:
    """The teams the user may report on, by name."""
    return _REPORT_TEAMS.run(access.scope_key(user, Capability.VIEW_DASHBOARD))


# Built and compiled once per scope (``integrapsy.prepared``): every report page reads it first.
_REPORT_TEAMS = PreparedQuery(lambda key: access.scope_of_key(Team.objects.all(), key).order_by("name"))


def language_label(row: dict, prefix: str = "language__") -> str:
    """A language's name in the active language, from ``values()`` columns."""
    lang = (get_language() or "fr")[:2]
    name = row.get(f"{prefix}name_{lang}") or row.get(f"{prefix}name_fr") or ""
    variety = row.get(f"{prefix}variety") or ""
    return f"{name} ({variety})" if variety else name


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _scalars_query(figures: dict[str, tuple[QuerySet, object]], team) -> QuerySet:
    """The one query of ``_scalars``: ``team`` a team id, or a prepared query's ``Param``."""
    columns = {}
    for name, (rows, aggregate) in figures.items():
        one_row = rows.order_by().annotate(_all=Value(1)).values("_all")
        if isinstance(aggregate, Counts):
            columns[name] = Subquery(
                one_row.annotate(value=aggregate.as_object()).values("value")[:1], output_field=JSONField()
            )
        else:
            columns[name] = Coalesce(
                Subquery(one_row.annotate(value=aggregate).values("value")[:1], output_field=IntegerField()), 0
            )
    return Team.objects.filter(pk=team).values(**columns)


def _scalars_read(read: dict, figures: dict[str, tuple[QuerySet, object]]) -> dict[str, int]:
    for name, (_rows, aggregate) in figures.items():
        if isinstance(aggregate, Counts):
            read.update(aggregate.read(read.pop(name)))
    return read


def _scalars(team: Team, figures: dict[str, tuple[QuerySet, object]]) -> dict[str, int]:
    """Several aggregates over different tables, read in one query: ``{name: (rows, aggregate)}``.

    Rows are counted with ``COUNT(*)``, which an index that holds the filter's columns answers alone.

    Each becomes ``(SELECT <aggregate> FROM <rows>)`` in one SELECT; an aggregate over no row
    reads 0. An aggregate may be ``Counts`` (several counts over the same rows, read in one pass):
    its counts come back under their own names.
    """
    return _scalars_read(_scalars_query(figures, team.pk).get(), figures)


class Counts:
    """Several counts over the same rows, each of the rows a condition keeps: one subquery of
    ``_scalars`` (one pass over the rows) instead of one each.

    ``column``: what is counted, a column that is never null, so that each count is a
    ``COUNT(*)`` of its rows; one an index holds (with the filter's), so the index answers alone.
    """

    def __init__(self, column: str, **conditions: Q):
        self.column = column
        self.conditions = conditions

    def as_object(self) -> JSONObject:
        return JSONObject(**{name: Count(self.column, filter=q) for name, q in self.conditions.items()})

    def read(self, value: dict | None) -> dict[str, int]:
        """The counts read (over no row, the subquery reads nothing: each is 0)."""
        value = value or {}
        return {name: int(value.get(name) or 0) for name in self.conditions}


# The figures the dashboard sums by key, read as one grouped query over the period's lines.
SUMMED_BY_KEY = (
    facts.CONSULTATION,
    facts.ORIENTATION,
    facts.LATE_CANCELLATION,
    facts.CONTACT,
    facts.ATTENDANCE,
    facts.ATTENDANCE_SESSION,
    facts.REFERRAL,
    facts.INTERPRETING,
)


def _lines_by_key(lines: QuerySet[Fact]) -> dict[str, dict[str, tuple[int, int]]]:
    """``{figure: {key: (n, amount)}}`` of the lines, each figure present (empty when no line).

    A figure's distinct keys are its groups here: the ambassadors of the contacts, the sessions
    of the attendance.
    """
    done: dict[str, dict[str, tuple[int, int]]] = {figure: {} for figure in SUMMED_BY_KEY}
    for row in (
        lines.filter(figure__in=SUMMED_BY_KEY)
        .values("figure", "key")
        .annotate(total=Sum("n"), amount_total=Sum("amount"))
        .order_by()
    ):
        done[row["figure"]][row["key"]] = (row["total"] or 0, row["amount_total"] or 0)
    return done


def _persons_of_lines(lines: QuerySet[Fact]) -> dict[str, tuple[QuerySet, object]]:
    """The distinct persons the dashboard counts over the lines, as ``_scalars`` figures.

    A person may have several lines (days, ambassadors): they are counted once.
    """
    return {
        "amb_persons": (lines.filter(figure=facts.CONTACT), Count("person", distinct=True)),
        "group_persons": (lines.filter(figure=facts.ATTENDANCE, key=facts.PRESENT), Count("person", distinct=True)),
    }


def _period_lines(team, period: Period) -> QuerySet[Fact]:
    """The team's lines of the period's days (``team`` and the period's days may be ``Param``)."""
    return Fact.objects.filter(team=team, day__gte=period.start, day__lte=period.end)


def _cases_by_status(team) -> dict[str, tuple[QuerySet, object]]:
    """The team's cases followed, by status, as ``_scalars`` figures (``team`` may be a ``Param``).

    A ``COUNT(*)`` each, which the index of their team and status answers alone (a range of it
    per status); one pass counting the three with FILTER took 1.5-2 times as long over a team's
    25,000 cases.
    """
    return {
        f"cases_{status}": (Case.objects.filter(team=team, status=status), Count("*")) for status in FOLLOW_UP_STATUSES
    }


def dashboard_lines(*, team: Team, period: Period) -> dict:
    """What the dashboard reads of the team's lines over the period, as JSON: ``done``
    (``{figure: {key: [n, amount]}}``) and the distinct persons; with the team's cases by
    status as they stand (``cases_by_status``), the period's permanence slots and bookings
    (``permanences``) and the days referrals waited for a first contact (``waits``). Written by
    the refresh for the period the page opens on (``services.team_counts_write``)."""
    lines = _period_lines(team, period)
    done = _lines_by_key(lines)
    permanences = _permanence_figures(
        team, start=period.start, end=period.end, starts_at=period.starts_at, ends_before=period.ends_before
    )
    read = _scalars(team, {**_persons_of_lines(lines), **_cases_by_status(team), **permanences})
    return {
        "done": {figure: {key: list(pair) for key, pair in keys.items()} for figure, keys in done.items()},
        "amb_persons": read["amb_persons"],
        "group_persons": read["group_persons"],
        "cases_by_status": {status: read[f"cases_{status}"] for status in FOLLOW_UP_STATUSES},
        "permanences": {name: read[name] for name in PERMANENCE_COUNTS},
        "waits": {str(days): n for days, n in _waits(team, period).items()},
        # The names the page shows with the lines' keys, as they were then (one query each less).
        "organisations": _organisation_names(done[facts.REFERRAL]),
        "languages": _language_names(done[facts.INTERPRETING]),
    }


def _waits(team: Team, period: Period) -> dict[int, int]:
    """The referrals received over the period and contacted since: how many waited each number
    of days (received that day or later: 0) for their first contact."""
    waits: dict[int, int] = {}
    for row in (
        Referral.objects.filter(
            team=team,
            received_at__gte=period.starts_at,
            received_at__lt=period.ends_before,
            first_contact_on__isnull=False,
        )
        .annotate(day=TruncDate("received_at"))
        .values("day", "first_contact_on")
        .annotate(n=Count("id"))
        .order_by()
    ):
        days = max((row["first_contact_on"] - row["day"]).days, 0)
        waits[days] = waits.get(days, 0) + row["n"]
    return waits


def _latest_lines(team: Team, period: Period) -> tuple[object, dict | None]:
    """When the lines were last written, and the team's dashboard lines over the period that run
    stored (None when it did not store them, or stored another version of the figures)."""
    as_of, found = latest_counts(team=team, kind=TeamCounts.Kind.DASHBOARD, period=period)
    # Written by another version of the figures (one more, one less): counted again instead.
    complete = (
        isinstance(found, dict)
        and set(found.get("done") or ()) >= set(SUMMED_BY_KEY)
        and {"amb_persons", "group_persons", "cases_by_status", "permanences", "waits", "organisations", "languages"}
        <= set(found)
        and isinstance(found["permanences"], dict)
        and set(found["permanences"]) >= set(PERMANENCE_COUNTS)
        and isinstance(found["waits"], dict)
    )
    return as_of, found if complete else None


_LANGUAGE_NAMES = ("name_fr", "name_nl", "name_en", "variety")


def _organisation_names(keys) -> dict[str, list[str]]:
    """The code and name of the organisations of ``keys`` (the lines' keys), as JSON."""
    rows = Organisation.objects.filter(pk__in=[int(key) for key in keys]).values_list("pk", "code", "name")
    return {str(pk): [str(code), name] for pk, code, name in rows}


def _language_names(keys) -> dict[str, dict]:
    """The names of the languages of ``keys`` (the lines' keys), as JSON."""
    rows = Language.objects.filter(pk__in=[int(key) for key in keys]).values("pk", *_LANGUAGE_NAMES)
    return {str(row["pk"]): {name: row[name] for name in _LANGUAGE_NAMES} for row in rows}


def _by_organisation(received: dict[str, tuple[int, int]], names: dict[str, list[str]]) -> list[dict]:
    """The referrals received by referring organisation (the lines' keys), most first."""
    rows = [
        {"organisation__code": uuid.UUID(code), "organisation__name": name, "n": received[key][0]}
        for key, (code, name) in names.items()
        if key in received
    ]
    # Ties by name, then code (read back from JSON, the rows come in any order).
    return sorted(rows, key=lambda row: (-row["n"], row["organisation__name"], str(row["organisation__code"])))


def _by_language(completed: dict[str, tuple[int, int]], names: dict[str, dict]) -> list[dict]:
    """The completed interpreter bookings by language (the lines' keys): minutes, most first."""
    languages = [{"pk": int(key), **row} for key, row in names.items() if key in completed]
    # Ties in the order of the languages' names (read back from JSON, the rows come in any order).
    ranked = sorted(
        languages,
        key=lambda row: (-completed[str(row["pk"])][1], row["name_en"], row["variety"] or "", row["pk"]),
    )
    return [
        {
            "pk": row["pk"],
            "label": language_label(row, prefix=""),
            "minutes": completed[str(row["pk"])][1],
            "n": completed[str(row["pk"])][0],
        }
        for row in ranked
    ]


def _reminder_effect(*, attended: int, no_show: int) -> dict:
    """No-show rate of a group of bookings, shown only when the group is not a small cell ("<5")."""
    marked = attended + no_show
    return {
        "marked": mask(marked),
        "no_show": mask(no_show),
        "rate": _percent(no_show, marked) if marked >= SMALL_CELL else None,
    }


# The period's permanence counts (``_permanence_figures``), as the dashboard reads them.
PERMANENCE_COUNTS = ("slots", "booked", "attended", "no_show", "reminded_attended", "reminded_no_show", "walk_ins")


def _permanence_figures(team, *, start, end, starts_at, ends_before) -> dict[str, tuple[QuerySet, object]]:
    """The period's permanence slots and bookings, as ``_scalars`` figures (the values may be
    ``Param`` markers): the slots of its scheduled sessions, their bookings by what became of
    them, and those of them whose person was sent a text reminder."""
    sessions = PermanenceSession.objects.filter(
        team=team, date__gte=start, date__lte=end, status=PermanenceSession.Status.SCHEDULED
    )
    session_bookings = PermanenceBooking.objects.filter(session__in=sessions)
    # Bookings of the period whose person was sent a text reminder (a subquery of their codes).
    reminded_codes = reminded_booking_codes(team=team, starts_at=starts_at, ends_before=ends_before)
    not_cancelled = ~Q(status=SlotAttendance.CANCELLED)
    return {
        "slots": (PermanenceSlot.objects.filter(session__in=sessions), Count("*")),
        "booking_counts": (
            session_bookings,
            Counts(
                "status",
                booked=Q(slot__isnull=False) & not_cancelled,
                attended=Q(status=SlotAttendance.ATTENDED),
                no_show=Q(status=SlotAttendance.NO_SHOW),
                reminded_attended=Q(status=SlotAttendance.ATTENDED, code__in=reminded_codes),
                reminded_no_show=Q(status=SlotAttendance.NO_SHOW, code__in=reminded_codes),
                walk_ins=Q(slot__isnull=True) & not_cancelled,
            ),
        ),
    }


@functools.cache
def _dashboard_figures(with_lines: bool) -> dict[str, tuple[QuerySet, object]]:
    """The dashboard's live counts, as ``_scalars`` figures, their values ``Param`` markers:
    urgent referrals and open risk flags; with ``with_lines`` (when the refresh has not stored
    them), the distinct persons of the period's lines, the cases by status and the period's
    permanence slots and bookings too. Built once per shape: the querysets are never read.
    """
    team = Param("team_id", BigIntegerField())
    start, end = Param("start", DateField()), Param("end", DateField())
    of_lines = (
        {
            **_persons_of_lines(_period_lines(team, Period(start, end))),
            **_cases_by_status(team),
            **_permanence_figures(
                team,
                start=start,
                end=end,
                starts_at=Param("starts_at", DateTimeField()),
                ends_before=Param("ends_before", DateTimeField()),
            ),
        }
        if with_lines
        else {}
    )
    return {
        "urgent_open": (
            Referral.objects.filter(team=team, status__in=OPEN_REFERRAL_STATUSES).filter(
                Q(urgency=Urgency.URGENT) | Q(alarm=True)
            ),
            Count("*"),
        ),
        "open_flags": (RiskFlag.objects.filter(case__team=team, acknowledged_at__isnull=True), Count("*")),
        **of_lines,
    }


# The dashboard's one query of counts, built and compiled once per shape (``integrapsy.prepared``).
_DASHBOARD_SCALARS = PreparedQuery(
    lambda with_lines: _scalars_query(_dashboard_figures(with_lines), Param("team_id", BigIntegerField()))
)


def dashboard(*, user: User, team: Team, period: Period) -> dict:
    """The figures of one team over one period (the team must be one the user may report on)."""
    if not access.may(user, Capability.VIEW_DASHBOARD, team.pk):
        raise Http404
    # What the team did, from the figures' lines (``facts``): no join through the cases; summed
    # by the refresh already for the period the page opens on.
    as_of, stored = _latest_lines(team, period)
    if stored is not None:
        done = {figure: {key: tuple(pair) for key, pair in stored["done"][figure].items()} for figure in SUMMED_BY_KEY}
    else:
        done = _lines_by_key(_period_lines(team, period))
    if stored is not None:
        organisations, languages = stored["organisations"], stored["languages"]
    else:
        organisations = _organisation_names(done[facts.REFERRAL])
        languages = _language_names(done[facts.INTERPRETING])
    by_org = _by_organisation(done[facts.REFERRAL], organisations)
    with_lines = stored is None
    read = _DASHBOARD_SCALARS.run(
        with_lines,
        team_id=team.pk,
        start=period.start,
        end=period.end,
        starts_at=period.starts_at,
        ends_before=period.ends_before,
    )
    figures = _scalars_read(read[0], _dashboard_figures(with_lines))
    persons = stored if stored is not None else figures
    urgent_open = figures["urgent_open"]
    # As the refresh counted them, with the rest of the figures ("as of" on the page): counting
    # them here was two thirds of the page's SQL at 25,000 cases a team.
    if stored is not None:
        counted = stored["cases_by_status"]
    else:
        counted = {status: figures[f"cases_{status}"] for status in FOLLOW_UP_STATUSES}
    cases_by_status = {status: n for status in FOLLOW_UP_STATUSES if (n := counted.get(status, 0))}
    open_flags = figures["open_flags"]
    # The period's permanences and the first contacts' waits: as the refresh counted them too.
    if stored is not None:
        permanences = stored["permanences"]
        waits = {int(days): n for days, n in stored["waits"].items()}
    else:
        permanences = figures
        waits = _waits(team, period)
    slots = permanences["slots"]
    bookings = {key: permanences[key] for key in ("booked", "attended", "no_show", "walk_ins")}
    marked = bookings["attended"] + bookings["no_show"]
    with_reminder = {"attended": permanences["reminded_attended"], "no_show": permanences["reminded_no_show"]}
    without_reminder = {
        "attended": bookings["attended"] - with_reminder["attended"],
        "no_show": bookings["no_show"] - with_reminder["no_show"],
    }

    consultations = {k: n for k in KINDS if (n := done[facts.CONSULTATION].get(k, (0, 0))[0])}
    by_language = _by_language(done[facts.INTERPRETING], languages)
    late_cancellations = sum(n for n, _ in done[facts.LATE_CANCELLATION].values())
    contacts = done[facts.CONTACT]  # by ambassador
    ambassadors = {
        "minutes": sum(amount for _, amount in contacts.values()),
        "contacts": sum(n for n, _ in contacts.values()),
        "persons": persons["amb_persons"],
        "ambassadors": len(contacts),
    }
    orientations = {st: n for st in STATUSES if (n := done[facts.ORIENTATION].get(st, (0, 0))[0])}
    attendance = {
        "came": done[facts.ATTENDANCE].get(facts.PRESENT, (0, 0))[0],
        "missed": done[facts.ATTENDANCE].get(facts.ABSENT, (0, 0))[0],
        "sessions": len(done[facts.ATTENDANCE_SESSION]),  # by session
        "persons": persons["group_persons"],
    }
    recorded = attendance["came"] + attendance["missed"]

    return {
        "as_of": as_of,
        "referrals": {"total": sum(r["n"] for r in by_org), "by_organisation": by_org},
        "waiting": {
            "contacted": sum(waits.values()),
            "median": _days(weighted_percentile(waits, 0.5)),
            "p90": _days(weighted_percentile(waits, 0.9)),
        },
        "urgent_open": urgent_open,
        "cases": {"total": sum(cases_by_status.values()), "by_status": cases_by_status},
        "open_risk_flags": open_flags,
        "permanences": {
            "slots": slots,
            **bookings,
            "occupancy": _percent(bookings["booked"], slots),
            "no_show_rate": _percent(bookings["no_show"], marked),
            "with_reminder": _reminder_effect(**with_reminder),
            "without_reminder": _reminder_effect(**without_reminder),
        },
        "consultations": {"total": sum(consultations.values()), "by_kind": consultations},
        "interpreting": {
            "hours": round(sum(r["minutes"] for r in by_language) / 60, 1),
            "by_language": by_language,
            "late_cancellations": late_cancellations,
        },
        "ambassadors": {**ambassadors, "hours": round((ambassadors["minutes"] or 0) / 60, 1)},
        "orientations": {"total": sum(orientations.values()), "by_status": orientations},
        "attendance": {**attendance, "rate": _percent(attendance["came"], recorded)},
    }


# --- Reports prepared in the background -------------------------------------------------


def indicators_in_background(*, team: Team | None, teams: list[Team]) -> bool:
    """The funder indicators of several teams are always prepared by a task."""
    return team is None and len(teams) > 1


def export_in_background(rows: int) -> bool:
    from django.conf import settings

    return rows > settings.REPORT_INLINE_MAX_ROWS


def report_job_of(*, user: User, code) -> ReportJob:
    """One of the user's own jobs; anybody else's is not found."""
    job = ReportJob.objects.filter(requested_by=user, code=code).first()
    if job is None:
        raise Http404
    capability = access.Capability.VIEW_INDICATORS if job.kind == ReportJob.Kind.INDICATORS else None
    if not access.can(user, capability or access.Capability.EXPORT_LISTS):
        raise Http404
    return job


def recent_report_jobs(*, user: User, kind: str, limit: int = 10) -> list[ReportJob]:
    """The user's files being prepared or still to download, newest first."""
    return list(
        ReportJob.objects.filter(requested_by=user, kind=kind)
        .exclude(status=ReportJob.Status.EXPIRED)
        .order_by("-created_at")[:limit]
    )
