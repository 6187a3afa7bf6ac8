"""The status badge tag draws what the status include drew, for every status and mark."""

import itertools

import pytest
from django.template import Context, Template
from django.test.html import parse_html
from django.utils import translation

from interpreters.models import BookingStatus, InterpreterBooking

# ``interpreters/_status.html`` as it was, the reference the tag is held to.
_INCLUDE = Template(
    "{% load i18n %}<span class=\"badge {% if booking.status == 'confirmed' %}text-bg-success"
    "{% elif booking.status == 'completed' %}text-bg-primary"
    "{% elif booking.status == 'cancelled' or booking.status == 'no_show' %}text-bg-secondary"
    "{% elif booking.status == 'offered' %}text-bg-info{% else %}text-bg-warning{% endif %}\" "
    'data-status="{{ booking.status }}">{{ booking.get_status_display }}</span>'
    '{% if booking.late_cancellation %} <span class="badge text-bg-danger">{% translate "late" %}</span>{% endif %}'
    "{% if booking.short_notice and booking.is_open %} "
    '<span class="badge text-bg-warning">{% translate "short notice" %}</span>{% endif %}'
)
_TAG = Template("{% load bookings %}{% booking_status booking.status booking.late_cancellation booking.short_notice %}")


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_tag_draws_what_the_include_drew(language):
    for status, late, short in itertools.product(BookingStatus.values, [False, True], [False, True]):
        booking = InterpreterBooking(status=status, late_cancellation=late, short_notice=short)
        with translation.override(language):
            context = {"booking": booking}
            assert parse_html(_TAG.render(Context(context))) == parse_html(_INCLUDE.render(Context(context)))
