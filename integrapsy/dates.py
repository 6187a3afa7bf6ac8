"""Dates written as the reader's language writes them, where Django's formats fall short (CLDR, ``babel``)."""

from __future__ import annotations

import functools
from datetime import date, datetime

from babel.dates import format_skeleton
from django.utils import formats, timezone
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


# --- Dates of many rows --------------------------------------------------------------------

# The format characters of Django's ``date`` filter written by ``date_format`` without Django's
# formatter: those of numbers alone (day, month, year, hour, minute, second).
_NUMBERS = {
    "d": lambda v: f"{v.day:02d}",
    "j": lambda v: str(v.day),
    "m": lambda v: f"{v.month:02d}",
    "n": lambda v: str(v.month),
    "Y": lambda v: f"{v.year:04d}",
    "y": lambda v: f"{v.year % 100:02d}",
    "H": lambda v: f"{v.hour:02d}",
    "G": lambda v: str(v.hour),
    "i": lambda v: f"{v.minute:02d}",
    "s": lambda v: f"{v.second:02d}",
}


@functools.lru_cache(maxsize=64)
def _compiled(fmt: str) -> tuple | None:
    """The pieces of a format made of those numbers and of characters written as they are; None
    for any other (a name of a month or a day, an escape): Django's formatter writes it."""
    pieces = []
    for ch in fmt:
        if ch in _NUMBERS:
            pieces.append(_NUMBERS[ch])
        elif ch.isalpha() or ch == "\\":
            return None
        else:
            pieces.append(ch)
    return tuple(pieces)


def date_format(value: date | datetime, format_name: str) -> str:
    """``django.utils.formats.date_format(value, format_name)``, the same text, for a list's rows.

    Django's formatter reads the format's characters one by one for each value (a timeline's
    page spent two thirds of its rows' time there); the numeric formats the interface's
    languages use (``d/m/Y H:i``, ``j-n-Y``) are read once per format here. Any other format
    is Django's to write. ``value`` as given: a time already in the reader's time zone.
    """
    pieces = _compiled(formats.get_format(format_name))
    if pieces is None or (not isinstance(value, datetime) and any(p in _TIME_PIECES for p in pieces)):
        return formats.date_format(value, format_name)
    return "".join(p if isinstance(p, str) else p(value) for p in pieces)


_TIME_PIECES = frozenset(_NUMBERS[ch] for ch in "HGis")
