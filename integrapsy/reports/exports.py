"""Exports of lists (cases, referrals, interpreter bookings) and of the funder indicators.

Large exports stream: the CSV is written row by row over ``queryset.iterator()``, the XLSX
through openpyxl's write-only mode into a temporary file; memory does not grow with the rows.
The de-identified variant has no names, no phone, the year of birth only, and a stable
pseudonym per person (an HMAC of the person's code with the secret key).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Referral
from cases.referrals.models import reason_labels
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import Team, User
from integrapsy.reports.indicators import Indicators
from integrapsy.reports.periods import Period
from interpreters.models import InterpreterBooking

CHUNK_SIZE = 200
PSEUDONYM_LENGTH = 12
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
# The sheet of the funder indicators' XLSX, named in the language of whoever downloads it.
INDICATORS_SHEET = _("Indicators")
# The file name of an indicators download, in the downloader's language.
INDICATORS_STEM = pgettext_lazy("file name", "indicators")


def filename(stem: str, period: Period, fmt: str) -> str:
    """The name a downloaded file gets, inline or prepared in the background."""
    return f"integrapsy-{slugify(stem)}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"


def pseudonym(code) -> str:
    """A stable pseudonym for a person: the same code gives the same pseudonym, and cannot be reversed."""
    if not code:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), str(code).encode(), hashlib.sha256).hexdigest()
    return f"P-{digest[:PSEUDONYM_LENGTH]}"


def _birth_year(obj) -> int | None:
    return obj.birth_date.year if obj.birth_date else obj.birth_year


@dataclass(frozen=True)
class Column:
    label: Promise
    value: Callable[[Any], Any]
    identifying: bool = False  # left out of de-identified exports
    deidentified: Callable[[Any], Any] | None = None  # what replaces it there, if anything


@dataclass(frozen=True)
class ListExport:
    title: Promise
    rows: Callable[[User, Team | None, Period], QuerySet]
    columns: list[Column]

    def columns_for(self, *, deidentified: bool) -> list[tuple[Promise, Callable[[Any], Any]]]:
        out = []
        for col in self.columns:
            if not col.identifying or not deidentified:
                out.append((col.label, col.value))
            elif col.deidentified is not None:
                out.append((col.label, col.deidentified))
        return out


def _scoped(user, qs, team):
    """The rows the user may export: their report teams' (every team's for the administrator), or one team's."""
    return access.scope(user, qs, Capability.EXPORT_LISTS, within=None if team is None else [team.pk])


def _cases(user, team, period):
    qs = Case.objects.filter(opened_on__lte=period.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)
    )
    return (
        _scoped(user, qs, team)
        .select_related("person", "person__location", "team", "lead_psychologist", "main_language")
        .order_by("opened_on", "id")
    )


def _referrals(user, team, period):
    qs = Referral.objects.filter(received_at__gte=period.starts_at, received_at__lt=period.ends_before)
    return (
        _scoped(user, qs, team)
        .select_related("team", "organisation", "person", "case", "main_language")
        .order_by("received_at", "id")
    )


def _bookings(user, team, period):
    qs = InterpreterBooking.objects.filter(starts_at__gte=period.starts_at, starts_at__lt=period.ends_before)
    return (
        _scoped(user, qs, team)
        .select_related("team", "case", "case__person", "language", "interpreter__user", "location")
        .order_by("starts_at", "id")
    )


def _person_code(person):
    return person.code if person else None


EXPORTS: dict[str, ListExport] = {
    "cases": ListExport(
        _("Cases"),
        _cases,
        [
            Column(_("Reference"), lambda c: c.reference, identifying=True),
            Column(_("Pseudonym"), lambda c: pseudonym(c.person.code)),
            Column(_("First name"), lambda c: c.person.first_name, identifying=True),
            Column(_("Last name"), lambda c: c.person.last_name, identifying=True),
            Column(_("Alias"), lambda c: c.person.alias, identifying=True),
            Column(_("Sex"), lambda c: c.person.get_sex_display()),
            Column(
                _("Date of birth"),
                lambda c: c.person.birth_date,
                identifying=True,
            ),
            Column(_("Year of birth"), lambda c: _birth_year(c.person)),
            Column(_("Unaccompanied minor"), lambda c: c.person.unaccompanied_minor),
            Column(_("Nationality"), lambda c: c.person.nationality.name or c.person.nationality_original),
            Column(_("Nationality (ISO 3166 code)"), lambda c: c.person.nationality.code),
            Column(_("Phone"), lambda c: c.person.phone, identifying=True),
            Column(_("Location"), lambda c: c.person.location.name if c.person.location else "", identifying=True),
            Column(_("Team"), lambda c: c.team.name),
            Column(_("Territory"), lambda c: c.team.country),
            Column(_("Status"), lambda c: c.get_status_display()),
            Column(_("Risk level"), lambda c: c.get_risk_level_display()),
            Column(_("Main language"), lambda c: c.main_language.name if c.main_language else ""),
            Column(_("Lead psychologist"), lambda c: str(c.lead_psychologist or "")),
            Column(_("Opened on"), lambda c: c.opened_on),
            Column(_("Closed on"), lambda c: c.closed_on),
        ],
    ),
    "referrals": ListExport(
        _("Referrals"),
        _referrals,
        [
            Column(_("Reference"), lambda r: r.reference, identifying=True),
            Column(_("Pseudonym"), lambda r: pseudonym(_person_code(r.person))),
            Column(_("First name"), lambda r: r.first_name, identifying=True),
            Column(_("Last name"), lambda r: r.last_name, identifying=True),
            Column(_("Alias"), lambda r: r.alias, identifying=True),
            Column(_("Sex"), lambda r: r.get_sex_display()),
            Column(_("Date of birth"), lambda r: r.birth_date, identifying=True),
            Column(_("Year of birth"), lambda r: _birth_year(r)),
            Column(_("Unaccompanied minor"), lambda r: r.unaccompanied_minor),
            Column(_("Nationality"), lambda r: r.nationality.name or r.nationality_original),
            Column(_("Nationality (ISO 3166 code)"), lambda r: r.nationality.code),
            Column(_("Phone"), lambda r: r.phone, identifying=True),
            Column(_("Team"), lambda r: r.team.name),
            Column(_("Referring organisation"), lambda r: r.organisation.name),
            Column(_("Urgency"), lambda r: r.get_urgency_display()),
            Column(_("Reasons"), lambda r: ", ".join(reason_labels(r.reasons))),
            Column(_("Status"), lambda r: r.get_status_display()),
            Column(_("Received"), lambda r: r.received_at),
            Column(_("Decided"), lambda r: r.decided_at),
            Column(_("First contact"), lambda r: r.first_contact_on),
            Column(_("Case"), lambda r: r.case.reference if r.case else "", identifying=True),
        ],
    ),
    "bookings": ListExport(
        _("Interpreter bookings"),
        _bookings,
        [
            Column(_("Case"), lambda b: b.case.reference if b.case else "", identifying=True),
            Column(_("Pseudonym"), lambda b: pseudonym(_person_code(b.case.person if b.case else None))),
            Column(_("Person"), lambda b: b.case.person.display_name if b.case else "", identifying=True),
            Column(_("Team"), lambda b: b.team.name),
            Column(_("Language"), lambda b: b.language.name),
            Column(_("Mode"), lambda b: b.get_mode_display()),
            Column(_("For"), lambda b: b.get_serves_kind_display()),
            Column(_("Place"), lambda b: b.location.name if b.location else "", identifying=True),
            Column(_("Start"), lambda b: b.starts_at),
            Column(_("End"), lambda b: b.ends_at),
            Column(_("Status"), lambda b: b.get_status_display()),
            Column(_("Interpreter"), lambda b: str(b.interpreter.user) if b.interpreter else ""),
            Column(_("Minutes"), lambda b: b.billable_minutes),
            Column(_("Late cancellation"), lambda b: b.late_cancellation),
            Column(_("Cancelled by"), lambda b: b.get_cancelled_by_party_display()),
            Column(_("Who did not come"), lambda b: b.get_no_show_party_display()),
        ],
    ),
}


# --- Cells ------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (a phone number stays as it is)."""
    if value.startswith(_FORMULA_START) and not value.lstrip("+").replace(" ", "").isdigit():
        return "'" + value
    return value


def _cell(value) -> Any:
    """A value as both writers take it: local naive datetimes, text for the rest."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, (date, int, float)):
        return value
    return _text(str(value))


def _csv_value(value) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def list_rows(spec: ListExport, qs: QuerySet, *, deidentified: bool) -> tuple[list[str], Iterator[list]]:
    """The header and the rows of a list export, read chunk by chunk."""
    columns = spec.columns_for(deidentified=deidentified)
    header = [str(label) for label, _getter in columns]

    def rows():
        for obj in qs.iterator(chunk_size=CHUNK_SIZE):
            yield [_cell(getter(obj)) for _label, getter in columns]

    return header, rows()


def indicator_rows(data: Indicators) -> tuple[list[str], Iterator[list]]:
    header = [gettext("Section"), gettext("Indicator"), gettext("Value")]

    def rows():
        yield [gettext("Period"), f"{data.period.start.isoformat()} – {data.period.end.isoformat()}", ""]
        yield [gettext("Teams"), ", ".join(t.name for t in data.teams), ""]
        if data.as_of:  # when the figures' lines were written (``facts``)
            yield [gettext("Figures as of"), f"{timezone.localtime(data.as_of):%Y-%m-%d %H:%M}", ""]
        for section in data.sections:
            for row in section.rows:
                yield [
                    _text(str(section.title)),
                    _text(str(row.label)),
                    row.value if isinstance(row.value, int) else str(row.value),
                ]

    return header, rows()


class _Echo:
    """A file-like object whose ``write`` hands the line back, for a streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_file(header: list[str], rows: Iterable[list]):
    """The same CSV as ``csv_stream`` written into a temporary file (deleted when closed), rewound."""
    handle = tempfile.TemporaryFile(suffix=".csv")  # noqa: SIM115 — closed by the caller
    for line in csv_stream(header, rows):
        handle.write(line.encode("utf-8"))
    handle.seek(0)
    return handle


def csv_stream(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV lines one at a time (with a BOM so that spreadsheets read the UTF-8 accents)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_value(v) for v in row])


def xlsx_file(header: list[str], rows: Iterable[list], *, title: str):
    """An XLSX workbook written row by row into a temporary file (deleted when closed), rewound."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    # Closed (and so deleted) by the FileResponse once sent.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle
