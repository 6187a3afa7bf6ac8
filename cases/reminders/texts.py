"""What a text says: the shipped templates, the placeholders, the words it never contains, CLDR dates.

A text says only the date, the time, the place and the team's neutral sender name: a phone is
shared, lent, read over a shoulder, so nothing in it may tell that the person sees a
psychosocial team.
"""

from __future__ import annotations

import string
from datetime import datetime

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

PLACEHOLDERS = ("date", "time", "place", "sender")

# The templates shipped with the app, by ISO 639-3 code and kind; a team may replace them
# and add other languages.
SHIPPED: dict[str, dict[str, str]] = {
    "fra": {
        "reminder": (
            "Rappel : rendez-vous le {date} à {time}, {place}. Répondez STOP pour ne plus recevoir ces messages."
        ),
        "moved": "Votre rendez-vous est déplacé au {date} à {time}, {place}.",
        "cancelled": "Votre rendez-vous du {date} à {time}, {place}, est annulé. Nous vous recontacterons.",
    },
    "nld": {
        "reminder": (
            "Herinnering: afspraak op {date} om {time}, {place}. Antwoord STOP om geen berichten meer te krijgen."
        ),
        "moved": "Uw afspraak is verplaatst naar {date} om {time}, {place}.",
        "cancelled": "Uw afspraak van {date} om {time}, {place}, is geannuleerd. We nemen opnieuw contact op.",
    },
    "eng": {
        "reminder": "Reminder: appointment on {date} at {time}, {place}. Reply STOP to receive no more messages.",
        "moved": "Your appointment has moved to {date} at {time}, {place}.",
        "cancelled": "Your appointment on {date} at {time}, {place}, is cancelled. We will contact you again.",
    },
}

# Words that would tell what the appointment is about, in the languages the team writes in.
FORBIDDEN_WORDS: dict[str, tuple[str, ...]] = {
    "fra": (
        "psychologue",
        "psychologie",
        "psychiatr",
        "psychothérap",
        "santé mentale",
        "thérapie",
        "thérapeute",
        "trauma",
        "dépression",
        "suicid",
        "soins",
        "clinique",
        "consultation",
        "patient",
    ),
    "nld": (
        "psycholoog",
        "psychologie",
        "psychiat",
        "geestelijke gezondheid",
        "therapie",
        "therapeut",
        "trauma",
        "depressie",
        "zelfmoord",
        "suïcid",
        "kliniek",
        "consult",
        "patiënt",
    ),
    "eng": (
        "psycholog",
        "psychiatr",
        "mental health",
        "therapy",
        "therapist",
        "trauma",
        "ptsd",
        "depression",
        "suicid",
        "counsel",
        "clinic",
        "consultation",
        "patient",
    ),
}

# ISO 639-3 codes of the languages the teams meet, to the CLDR locale that formats their dates.
CLDR_LOCALES = {
    "fra": "fr",
    "nld": "nl",
    "eng": "en",
    "deu": "de",
    "ara": "ar",
    "apd": "ar_SD",
    "arb": "ar",
    "prs": "fa_AF",
    "fas": "fa",
    "pes": "fa",
    "pus": "ps",
    "pbt": "ps",
    "urd": "ur",
    "tir": "ti",
    "amh": "am",
    "som": "so",
    "kmr": "ku",
    "ckb": "ckb",
    "rus": "ru",
    "ukr": "uk",
    "spa": "es",
    "por": "pt",
    "ita": "it",
    "tur": "tr",
    "sqi": "sq",
    "als": "sq",
    "kat": "ka",
    "hye": "hy",
    "ben": "bn",
    "hin": "hi",
    "pan": "pa",
    "tam": "ta",
    "swh": "sw",
    "swa": "sw",
    "lin": "ln",
    "hau": "ha",
    "ful": "ff",
    "wol": "wo",
    "mya": "my",
    "vie": "vi",
    "zho": "zh",
    "cmn": "zh",
}


def cldr_locale(language_code: str) -> Locale:
    """The CLDR locale of an ISO 639-3 code (French when CLDR does not know the language)."""
    try:
        return Locale.parse(CLDR_LOCALES.get(language_code, language_code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("fr")


def is_right_to_left(language_code: str) -> bool:
    return cldr_locale(language_code).character_order == "right-to-left"


def format_when(moment: datetime, language_code: str) -> dict[str, str]:
    """``date`` and ``time`` of a moment, local time, written as the person's language writes them."""
    local = timezone.localtime(moment)
    locale = cldr_locale(language_code)
    return {
        "date": format_date(local.date(), format="full", locale=locale),
        "time": format_time(local.time(), format="short", locale=locale),
    }


def placeholders_in(text: str) -> list[str]:
    """The placeholders a template uses; a ``ValidationError`` for anything but the known ones."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValidationError(
            _("A brace is not closed: write placeholders as {date}, {time}, {place}, {sender}.")
        ) from exc
    names = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            raise ValidationError(
                _("Unknown placeholder {%(name)s}: use only {date}, {time}, {place} and {sender}."),
                params={"name": name},
            )
        names.append(name)
    return names


def forbidden_words_in(text: str) -> list[str]:
    """The words of ``FORBIDDEN_WORDS`` (any language) that a text contains."""
    lowered = text.lower()
    return sorted({word for words in FORBIDDEN_WORDS.values() for word in words if word in lowered})


def validate_template_text(text: str) -> None:
    placeholders_in(text)
    found = forbidden_words_in(text)
    if found:
        raise ValidationError(
            _("A text must not say what the appointment is about: remove “%(words)s”."),
            params={"words": ", ".join(found)},
        )


def render_text(text: str, *, moment: datetime, place: str, sender: str, language_code: str) -> str:
    """The text with its placeholders filled in (the template was validated)."""
    placeholders_in(text)
    values = {**format_when(moment, language_code), "place": place, "sender": sender}
    return text.format_map(values)
