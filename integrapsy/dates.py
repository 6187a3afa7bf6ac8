"""Dates written as the reader's language writes them, where Django's formats fall short (CLDR, ``babel``)."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton
from django.utils import timezone
from django.utils.translation import get_language

from integrapsy import clock

# The CLDR locale of each interface language: English as written in Europe, Belgian Dutch.
CLDR_LOCALES = {"fr": "fr_FR", "nl": "nl_BE", "en": "en_GB"}


def cldr_locale() -> str:
    return CLDR_LOCALES.get((get_language() or "fr")[:2], "fr_FR")


def day_month(value: date | datetime | None) -> str:
    """Weekday, day and month, abbreviated: "mar. 1 déc.", "di 1 dec", "Tue 1 Dec" (months lowercase in
    fr/nl); with the year when it is not this one: "sam. 16 mars 2030"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    skeleton = "MMMEd" if value.year == clock.localdate().year else "yMMMEd"
    return format_skeleton(skeleton, value, locale=cldr_locale())
