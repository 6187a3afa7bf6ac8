"""Reference fields declared the same way across the apps.

`ref()` and `user_ref()` return plain `ForeignKey` fields: the migration state is exactly
what the long form gives, so using them changes no table.
"""

from typing import Any

from django.conf import settings
from django.db import models


def ref(
    to: Any,
    verbose_name: Any,
    *,
    on_delete: Any = models.PROTECT,
    related_name: str | None = None,
    optional: bool = False,
    **options: Any,
) -> models.ForeignKey:
    """A foreign key; `optional` makes it nullable and blank in forms."""
    if optional:
        options.setdefault("null", True)
        options.setdefault("blank", True)
    return models.ForeignKey(to, on_delete=on_delete, related_name=related_name, verbose_name=verbose_name, **options)


def user_ref(
    verbose_name: Any, *, on_delete: Any = models.SET_NULL, related_name: str | None = "+", **options: Any
) -> models.ForeignKey:
    """A reference to an account; by default the row outlives the account (SET_NULL, no reverse name)."""
    return ref(settings.AUTH_USER_MODEL, verbose_name, on_delete=on_delete, related_name=related_name, **options)
