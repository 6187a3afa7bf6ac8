from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from integrapsy import access
from integrapsy.accounts.models import User
from integrapsy.audit.models import AuditEvent


def audit_search(
    *,
    user: User,
    username: str = "",
    reference: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit events the user may search: all for the administrator, their team's for a coordinator."""
    qs = access.scope_audit_events(user, AuditEvent.objects.all())
    if username:
        qs = qs.filter(actor_username__icontains=username)
    if reference:
        qs = qs.filter(Q(case_ref__iexact=reference) | Q(object_ref__iexact=reference) | Q(detail__icontains=reference))
    if action:
        qs = qs.filter(action__startswith=action)
    if date_from:
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_at__date__lte=date_to)
    return qs.order_by("-occurred_at", "-id")


def audit_for_subject(*, object_refs: list[str], case_refs: list[str]) -> QuerySet[AuditEvent]:
    """Who read or changed a person's file: events on the person or on any of their cases."""
    return AuditEvent.objects.filter(
        Q(object_ref__in=[r for r in object_refs if r]) | Q(case_ref__in=[r for r in case_refs if r])
    ).order_by("-occurred_at", "-id")
