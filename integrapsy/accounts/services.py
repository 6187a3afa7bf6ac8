from __future__ import annotations

from django.conf import settings
from django.db import transaction

from integrapsy.accounts.models import User
from integrapsy.audit.services import audit_record


@transaction.atomic
def user_set_language(*, user: User, language: str, request=None) -> User:
    """Remember the user's preferred interface language."""
    if language not in dict(settings.LANGUAGES) or user.language == language:
        return user
    user.language = language
    user.save(update_fields=["language"])
    audit_record(action="user.language_changed", actor=user, request=request, obj=user, detail=language)
    return user
