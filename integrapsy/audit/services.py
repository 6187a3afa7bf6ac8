from __future__ import annotations

from django.db import models

from integrapsy.audit.models import AuditEvent
from integrapsy.client_address import client_address


def audit_record(
    *,
    action: str,
    actor=None,
    request=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_ref: str = "",
    case_ref: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append one audit event; the one way anything is written to the audit log."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_ref = object_ref or str(getattr(obj, "code", None) or getattr(obj, "reference", None) or obj.pk)
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_username=getattr(actor, "username", "") or "",
        object_type=object_type[:60],
        object_ref=object_ref[:64],
        case_ref=case_ref[:32],
        ip_address=client_address(request),
        detail=detail[:255],
    )
