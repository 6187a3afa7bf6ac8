"""Validators shared by the apps' models."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) make a name display reversed
# ("Ahmed\u202egnp.exe"); zero-width characters hide inside one and defeat duplicate matching.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def validate_name_characters(value: str) -> None:
    """Refuse direction overrides and invisible characters in a person's name."""
    if value and _INVISIBLE.search(value):
        raise ValidationError(
            _("The name contains invisible or direction-changing characters: type it again without them."),
            code="invisible_characters",
        )


def normalise_name(value: str) -> str:
    """One Unicode form (NFC) for names, so that the same name typed on two keyboards compares equal."""
    return unicodedata.normalize("NFC", value) if value else value


def required_text(value: str, *, field: str, message: str) -> str:
    """What the user wrote in ``field``, trimmed; refused beside the field with ``message`` when empty."""
    value = value.strip()
    if not value:
        raise ValidationError({field: message})
    return value
