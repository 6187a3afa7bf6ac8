"""``{% booking_status booking %}``: a booking's status badge, with its late and short-notice marks.

A tag rather than an include: the bookings list draws it on every row.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from interpreters.models import OPEN_STATUSES, BookingStatus

register = template.Library()

_BADGE = {
    BookingStatus.CONFIRMED: "text-bg-success",
    BookingStatus.COMPLETED: "text-bg-primary",
    BookingStatus.CANCELLED: "text-bg-secondary",
    BookingStatus.NO_SHOW: "text-bg-secondary",
    BookingStatus.OFFERED: "text-bg-info",
}
_LABELS = dict(BookingStatus.choices)


@register.simple_tag
def booking_status(status: str, late_cancellation: bool = False, short_notice: bool = False) -> SafeString:
    """``{% booking_status booking.status booking.late_cancellation booking.short_notice %}``."""
    html = format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        _BADGE.get(status, "text-bg-warning"),
        status,
        _LABELS.get(status, status),
    )
    if late_cancellation:
        html += format_html(' <span class="badge text-bg-danger">{}</span>', _("late"))
    if short_notice and status in OPEN_STATUSES:
        html += format_html(' <span class="badge text-bg-warning">{}</span>', _("short notice"))
    return html
