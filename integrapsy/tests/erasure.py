"""Checks for erasure tests: is a text still anywhere in the database, or in a subject-access export?"""

from django.apps import apps
from django.db import models

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def rows_containing(*texts: str) -> list[str]:
    """``app.Model.field #pk`` for every text column of every model that still holds one of ``texts``."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS) or field.choices:
                continue
            for text in texts:
                for pk in model._base_manager.filter(**{f"{field.name}__icontains": text}).values_list("pk", flat=True):
                    found.append(f"{model._meta.label}.{field.name} #{pk}: {text}")
    return found


def export_text(client, person) -> str:
    """The whole JSON subject-access export of ``person`` (the client is signed in as an administrator)."""
    from django.urls import reverse

    return client.get(reverse("cases:gdpr_subject_access_json", args=[person.code])).content.decode()
