"""The lists behind the dashboard's figures that no other page shows (filtered by team and period).

They show references, dates and kinds only: no names, no clinical content.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from ambassadors.models import Contact
from cases.models import (
    Case,
    Consultation,
    Orientation,
    OrientationStatus,
    PermanenceBooking,
    PermanenceSession,
    Referral,
    SlotAttendance,
)
from integrapsy.access import Capability
from integrapsy.accounts.models import Team
from integrapsy.params import query_id
from integrapsy.reports.periods import Period
from integrapsy.reports.selectors import FOLLOW_UP_STATUSES
from interpreters.models import BookingStatus, InterpreterBooking


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _moment(value) -> str:
    return date_format(localtime(value), "SHORT_DATETIME_FORMAT") if value else "—"


def _case_ref(case) -> str:
    return case.reference if case else "—"


@dataclass(frozen=True)
class Column:
    label: Promise
    value: Callable[[Any], Any]
    secondary: bool = False  # hidden on small screens


@dataclass(frozen=True)
class ReportList:
    title: Promise
    rows: Callable[[Team, Period, dict], QuerySet]
    columns: list[Column]
    # The page that opens one row (shown to users who may open it).
    link: Callable[[Any], str | None] | None = None
    filters: dict[str, dict] | None = None  # GET parameter -> {allowed value: label}


def _referrals(team, period, f):
    qs = Referral.objects.filter(
        team=team, received_at__gte=period.starts_at, received_at__lt=period.ends_before
    ).select_related("organisation")
    if f.get("organisation"):
        qs = qs.filter(organisation__code=f["organisation"])
    if f.get("contacted") == "1":
        qs = qs.filter(first_contact_on__isnull=False)
    return qs.order_by("-received_at", "-id")


def _cases(team, period, f):
    qs = Case.objects.filter(team=team, status__in=FOLLOW_UP_STATUSES).select_related("lead_psychologist")
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("risk") == "open":
        qs = qs.filter(risk_flags__acknowledged_at__isnull=True)
    return qs.order_by("-opened_on", "-id")


def _consultations(team, period, f):
    qs = Consultation.objects.filter(
        case__team=team, started_at__gte=period.starts_at, started_at__lt=period.ends_before
    ).select_related("case", "psychologist")
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    return qs.order_by("-started_at", "-id")


def _slot_bookings(team, period, f):
    qs = PermanenceBooking.objects.filter(
        session__team=team,
        session__date__gte=period.start,
        session__date__lte=period.end,
        session__status=PermanenceSession.Status.SCHEDULED,
    ).select_related("session", "session__location", "slot", "case")
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    return qs.order_by("-session__date", "slot__start_time", "id")


def _interpreting(team, period, f):
    qs = InterpreterBooking.objects.filter(
        team=team, starts_at__gte=period.starts_at, starts_at__lt=period.ends_before
    ).select_related("language", "case", "interpreter__user")
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("late") == "1":
        qs = qs.filter(late_cancellation=True)
    if (language_id := query_id(f.get("language"))) is not None:
        qs = qs.filter(language_id=language_id)
    return qs.order_by("-starts_at", "-id")


def _contacts(team, period, f):
    return (
        Contact.objects.filter(assignment__case__team=team, occurred_on__gte=period.start, occurred_on__lte=period.end)
        .select_related("assignment__case", "assignment__ambassador__user")
        .order_by("-occurred_on", "-id")
    )


def _orientations(team, period, f):
    qs = Orientation.objects.filter(
        case__team=team, proposed_on__gte=period.start, proposed_on__lte=period.end
    ).select_related("case", "resource")
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    return qs.order_by("-proposed_on", "-id")


def _case_link(case) -> str | None:
    return reverse("cases:detail", kwargs={"reference": case.reference}) if case else None


LISTS: dict[str, ReportList] = {
    "referrals": ReportList(
        _("Referrals received"),
        _referrals,
        [
            Column(_("Reference"), lambda r: r.reference),
            Column(_("Received"), lambda r: _moment(r.received_at)),
            Column(_("Referring organisation"), lambda r: r.organisation.name),
            Column(_("Urgency"), lambda r: r.get_urgency_display(), secondary=True),
            Column(_("Status"), lambda r: r.get_status_display()),
            Column(_("First contact"), lambda r: _day(r.first_contact_on), secondary=True),
        ],
        link=lambda r: reverse("cases:referral_detail", kwargs={"code": r.code}),
        filters={"contacted": {"1": _("with a first contact")}},
    ),
    "cases": ReportList(
        _("Cases in follow-up"),
        _cases,
        [
            Column(_("Reference"), lambda c: c.reference),
            Column(_("Status"), lambda c: c.get_status_display()),
            Column(_("Risk level"), lambda c: c.get_risk_level_display()),
            Column(_("Opened"), lambda c: _day(c.opened_on), secondary=True),
            Column(_("Lead psychologist"), lambda c: c.lead_psychologist or "—", secondary=True),
        ],
        link=lambda c: _case_link(c),
        filters={
            "status": {s.value: s.label for s in Case.Status if s.value in FOLLOW_UP_STATUSES},
            "risk": {"open": _("with an open risk flag")},
        },
    ),
    "consultations": ReportList(
        _("Consultations"),
        _consultations,
        [
            Column(_("Date"), lambda c: _moment(c.started_at)),
            Column(_("Case"), lambda c: c.case.reference),
            Column(_("Kind"), lambda c: c.get_kind_display()),
            Column(_("Mode"), lambda c: c.get_mode_display(), secondary=True),
            Column(_("Duration (minutes)"), lambda c: c.duration_minutes, secondary=True),
            Column(_("Psychologist"), lambda c: c.psychologist, secondary=True),
        ],
        link=lambda c: _case_link(c.case),
        filters={"kind": dict(Consultation.Kind.choices)},
    ),
    "permanence-bookings": ReportList(
        _("Permanence bookings"),
        _slot_bookings,
        [
            Column(_("Date"), lambda b: _day(b.session.date)),
            Column(_("Time"), lambda b: f"{b.slot.start_time:%H:%M}" if b.slot else _("walk-in")),
            Column(_("Place"), lambda b: b.session.location.name, secondary=True),
            Column(_("Case"), lambda b: _case_ref(b.case)),
            Column(_("Attendance"), lambda b: b.get_status_display()),
        ],
        link=lambda b: _case_link(b.case),
        filters={"status": dict(SlotAttendance.choices)},
    ),
    "interpreting": ReportList(
        _("Interpreter bookings"),
        _interpreting,
        [
            Column(_("Start"), lambda b: _moment(b.starts_at)),
            Column(_("Language"), lambda b: b.language.name),
            Column(_("Mode"), lambda b: b.get_mode_display(), secondary=True),
            Column(_("Status"), lambda b: b.get_status_display()),
            Column(_("Minutes"), lambda b: b.billable_minutes if b.billable_minutes is not None else "—"),
            Column(_("Late cancellation"), lambda b: _("yes") if b.late_cancellation else "—", secondary=True),
            Column(_("Case"), lambda b: _case_ref(b.case), secondary=True),
        ],
        link=lambda b: reverse("interpreters:booking_detail", kwargs={"code": b.code}),
        filters={"status": dict(BookingStatus.choices), "late": {"1": _("late cancellations")}},
    ),
    "ambassador-contacts": ReportList(
        _("Ambassador contacts"),
        _contacts,
        [
            Column(_("Date"), lambda c: _day(c.occurred_on)),
            Column(_("Ambassador"), lambda c: c.assignment.ambassador.name),
            Column(_("Case"), lambda c: c.assignment.case.reference),
            Column(_("Kind"), lambda c: c.get_kind_display(), secondary=True),
            Column(_("Minutes"), lambda c: c.duration_minutes),
        ],
        link=lambda c: _case_link(c.assignment.case),
    ),
    "orientations": ReportList(
        _("Orientations"),
        _orientations,
        [
            Column(_("Proposed on"), lambda o: _day(o.proposed_on)),
            Column(_("Case"), lambda o: o.case.reference),
            Column(_("Resource"), lambda o: o.resource.name, secondary=True),
            Column(_("Status"), lambda o: o.get_status_display()),
            Column(_("Outcome on"), lambda o: _day(o.outcome_on), secondary=True),
        ],
        link=lambda o: reverse("cases:orientation_detail", kwargs={"code": o.code}),
        filters={"status": dict(OrientationStatus.choices)},
    ),
}

# Which capability opens each list's rows (the link is shown only to those who may follow it).
ROW_CAPABILITY = {
    "referrals": Capability.VIEW_TEAM_REFERRALS,
    "cases": Capability.VIEW_CASES,
    "consultations": Capability.VIEW_CASES,
    "permanence-bookings": Capability.VIEW_CASES,
    "interpreting": Capability.VIEW_BOOKINGS,
    "ambassador-contacts": Capability.VIEW_CASES,
    "orientations": Capability.VIEW_CASES,
}


def clean_filters(spec: ReportList, params) -> dict[str, str]:
    """Only the filters the list knows, with values it allows (others are ignored)."""
    out = {}
    for name, allowed in (spec.filters or {}).items():
        value = params.get(name, "")
        if value in allowed:
            out[name] = value
    if spec.rows is _referrals and params.get("organisation"):
        with contextlib.suppress(ValueError):
            out["organisation"] = str(uuid.UUID(params["organisation"]))
    if spec.rows is _interpreting and query_id(params.get("language")) is not None:
        out["language"] = params["language"]
    return out
