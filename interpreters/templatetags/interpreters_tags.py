from datetime import datetime

from babel.dates import format_skeleton
from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, to_locale

from integrapsy import clock

register = template.Library()


@register.filter
def booking_day(moment: datetime) -> str:
    """A booking's day, short and in the CLDR form of the active language; with the year when it is not this one.

    "sam. 16 mars" this year, "sam. 16 mars 2030" for a booking in another year.
    """
    if not moment:
        return ""
    day = timezone.localtime(moment).date()
    skeleton = "EEEdMMM" if day.year == clock.localdate().year else "EEEdMMMy"
    return format_skeleton(skeleton, day, locale=to_locale(get_language() or settings.LANGUAGE_CODE))
