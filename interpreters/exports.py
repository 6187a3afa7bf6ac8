"""The monthly timesheet as CSV or XLSX, for the interpreting service's invoicing.

No person's name: a booking is identified by its code, date, team and language.
"""

from __future__ import annotations

import importlib.util
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from interpreters.models import BookingStatus


def xlsx_available() -> bool:
    """XLSX needs openpyxl (see requirements.txt); CSV always works."""
    return importlib.util.find_spec("openpyxl") is not None


def _header() -> list[str]:
    return [
        _("Interpreting service"),
        _("Interpreter"),
        _("Date"),
        _("Start"),
        _("End"),
        _("Team"),
        _("Language"),
        _("Mode"),
        _("Status"),
        _("Minutes"),
        _("Booking"),
    ]


def _cells(booking) -> list:
    start = timezone.localtime(booking.actual_start or booking.starts_at)
    end = timezone.localtime(booking.actual_end or booking.ends_at)
    status = _("Late cancellation") if booking.status == BookingStatus.CANCELLED else str(booking.get_status_display())
    return [
        booking.interpreter.service.name,
        str(booking.interpreter),
        start.strftime("%Y-%m-%d"),
        start.strftime("%H:%M"),
        end.strftime("%H:%M"),
        booking.team.name,
        booking.language.name,
        str(booking.get_mode_display()),
        str(status),
        booking.billable_minutes or 0,
        str(booking.code)[:8],
    ]


def timesheet_csv(rows, writer) -> None:
    writer.writerow(_header())
    for booking in rows:
        writer.writerow(_cells(booking))


def timesheet_xlsx(rows) -> bytes:
    from openpyxl import Workbook  # optional dependency, checked by xlsx_available()

    book = Workbook()
    sheet = book.active
    sheet.title = _("Timesheet")[:31]
    sheet.append(_header())
    for booking in rows:
        sheet.append(_cells(booking))
    sheet.append([""] * 8 + [_("Total"), sum(b.billable_minutes or 0 for b in rows), ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
