"""Pieces of a timeline summary kept in an event's data, and how each is written out when shown.

A service keeps codes, dates and names (``names_of``, ``iso_moment``, ``iso_day``); the kind's summary function
writes them in the reader's language and date format (``in_language``, ``show_moment``,
``choice``). No query: a page of events costs the same with every summary written out.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language


def names_of(language) -> dict | None:
    """A language's names in the interface languages, as an event keeps them."""
    if language is None:
        return None
    return {"fr": language.name_fr, "nl": language.name_nl, "en": language.name_en}


def in_language(texts: dict | str | None) -> str:
    """A ``{"fr": ..., "nl": ..., "en": ...}`` text in the active language (French, else any, when missing)."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    lang = (get_language() or "fr")[:2]
    return texts.get(lang) or texts.get("fr") or texts.get("en") or next(iter(texts.values()), "")


def iso_moment(value: datetime) -> str:
    return value.isoformat()


def iso_day(value: date) -> str:
    return value.isoformat()


def show_moment(value: str) -> str:
    """A kept moment as the reader's language writes a short date and time (local time)."""
    return date_format(timezone.localtime(datetime.fromisoformat(value)), "SHORT_DATETIME_FORMAT")


def show_day(value: str) -> str:
    return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")


def choice(model: type[Model], field: str, value: str) -> str:
    """The label of a kept choice code in the active language (``ValueError`` for an unknown code)."""
    labels = dict(model._meta.get_field(field).flatchoices)
    if value not in labels:
        raise ValueError(f"unknown {model.__name__}.{field} {value!r}")
    return str(labels[value])
