"""Every write on the directory of resources, which coordinators maintain in the app."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from integrapsy.accounts.models import User
from integrapsy.audit.services import audit_record
from integrapsy.directory.models import Language, Resource

RESOURCE_FIELDS = (
    "name",
    "kind",
    "country",
    "area",
    "address",
    "city",
    "phone",
    "email",
    "website",
    "accepts_without_papers",
    "free_of_charge",
    "notes",
    "is_active",
)


def _save(resource: Resource, languages: list[Language]) -> Resource:
    try:
        resource.full_clean()
    except ValidationError as exc:
        if "__all__" in getattr(exc, "error_dict", {}):
            raise ValidationError({"name": _("A resource with this name already exists in this city.")}) from exc
        raise
    resource.save()
    resource.languages.set(languages)
    return resource


@transaction.atomic
def resource_create(*, actor: User, languages: list[Language] = (), request=None, **fields) -> Resource:
    """Add a service to the directory."""
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resource fields: {sorted(unknown)}")
    resource = _save(Resource(**fields), list(languages))
    audit_record(action="resource.created", actor=actor, request=request, obj=resource)
    return resource


@transaction.atomic
def resource_update(
    *, resource: Resource, actor: User, languages: list[Language] | None = None, request=None, **fields
) -> Resource:
    """Correct a resource of the directory, or take it out (``is_active=False``)."""
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resource fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(resource, name, value)
    _save(resource, list(resource.languages.all()) if languages is None else list(languages))
    audit_record(action="resource.updated", actor=actor, request=request, obj=resource, detail=",".join(sorted(fields)))
    return resource
