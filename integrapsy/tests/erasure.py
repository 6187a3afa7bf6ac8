"""Checks for erasure tests: is a text still anywhere in the database, or in a subject-access export?"""

import json

from django.apps import apps
from django.db import models
from django.urls import reverse

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
    return client.get(reverse("cases:gdpr_subject_access_json", args=[person.code])).content.decode()


def export_sections(client, person) -> dict[str, str]:
    """The sections of the subject-access export of ``person`` by key, each as ``label: value | label: value``."""
    data = json.loads(export_text(client, person))
    return {s["key"]: " | ".join(f"{r['label']}: {r['value']}" for r in s["rows"]) for s in data["sections"]}


def anonymise(client, person, reason: str = "Demande écrite"):
    """The administrator's confirmed request to anonymise ``person``: the response."""
    return client.post(reverse("cases:gdpr_anonymise", args=[person.code]), {"reason": reason, "confirm": "on"})
