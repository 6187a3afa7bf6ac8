"""``{% booking_status booking %}``: a booking's status badge, with its late and short-notice marks.

A tag rather than an include: the bookings list draws it on every row.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from interpreters.models import BookingStatus, InterpreterBooking

register = template.Library()

_BADGE = {
    BookingStatus.CONFIRMED: "text-bg-success",
    BookingStatus.COMPLETED: "text-bg-primary",
    BookingStatus.CANCELLED: "text-bg-secondary",
    BookingStatus.NO_SHOW: "text-bg-secondary",
    BookingStatus.OFFERED: "text-bg-info",
}


@register.simple_tag
def booking_status(booking: InterpreterBooking) -> SafeString:
    html = format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        _BADGE.get(booking.status, "text-bg-warning"),
        booking.status,
        booking.get_status_display(),
    )
    if booking.late_cancellation:
        html += format_html(' <span class="badge text-bg-danger">{}</span>', _("late"))
    if booking.short_notice and booking.is_open:
        html += format_html(' <span class="badge text-bg-warning">{}</span>', _("short notice"))
    return html
