"""Reads of orientations and of the directory of resources, scoped by the access policy."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import BigIntegerField, Q, QuerySet

from cases.models import Case, Orientation
from cases.orientations.models import ORIENTATION_OVERDUE_DAYS, WAITING_STATUSES
from integrapsy import access, clock
from integrapsy.accounts.models import User
from integrapsy.directory.models import Resource
from integrapsy.prepared import Param, PreparedQuery


def resource_search(*, user: User, filters: dict | None = None, include_inactive: bool = False) -> QuerySet[Resource]:
    """The directory, filtered by kind, territory, language, papers and cost; one query per page."""
    access.require(user, access.Capability.VIEW_DIRECTORY)
    filters = filters or {}
    qs = Resource.objects.all() if include_inactive else Resource.objects.filter(is_active=True)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("country"):
        qs = qs.filter(country=filters["country"])
    if filters.get("area"):
        area = filters["area"].strip()
        qs = qs.filter(Q(area__icontains=area) | Q(city__icontains=area))
    if filters.get("language"):
        qs = qs.filter(languages=filters["language"])
    if filters.get("without_papers"):
        qs = qs.filter(accepts_without_papers=True)
    if filters.get("free"):
        qs = qs.filter(free_of_charge=True)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(notes__icontains=q) | Q(city__icontains=q))
    return qs.prefetch_related("languages").order_by("country", "area", "city", "name")


def resource_get(*, user: User, code) -> Resource:
    access.require(user, access.Capability.VIEW_DIRECTORY)
    return access.one_or_404(Resource.objects.prefetch_related("languages"), code=code)


def active_resources() -> QuerySet[Resource]:
    return Resource.objects.filter(is_active=True).order_by("name")


def orientation_get(*, user: User, code) -> Orientation:
    """One orientation of a case the user may open, or 404."""
    orientations = access.scope_case_rows(user, Orientation.objects.all()).select_related(
        "case", "case__person", "case__team", "resource", "created_by"
    )
    return access.one_or_404(orientations, code=code)


def orientation_history(*, orientation: Orientation) -> list:
    return list(orientation.outcomes.select_related("recorded_by").order_by("on", "recorded_at"))


# A case's orientations with their resource, latest first: compiled once (``integrapsy.prepared``).
_CASE_ORIENTATIONS = PreparedQuery(
    lambda shape: (
        Orientation.objects.filter(case_id=Param("case_id", BigIntegerField()))
        .select_related("resource")
        .order_by("-proposed_on", "-id")
    )
)


def case_orientations(*, case: Case) -> list[Orientation]:
    return _CASE_ORIENTATIONS.run(case_id=case.pk)


def overdue_orientations(*, user: User) -> QuerySet[Orientation]:
    """The coordinator's to-do list: orientations still without an outcome after 30 days."""
    limit = clock.localdate() - timedelta(days=ORIENTATION_OVERDUE_DAYS)
    return (
        access.scope(user, Orientation.objects.all(), access.Capability.FOLLOW_UP_ORIENTATIONS)
        .filter(status__in=WAITING_STATUSES, proposed_on__lte=limit)
        .exclude(case__status=Case.Status.CLOSED)
        .select_related("case", "case__person", "resource")
        .order_by("proposed_on", "id")
    )


def orientation_panel(*, user: User, case: Case, case_access) -> dict:
    """The case page's block of orientations: whoever may open the case sees it."""
    return {
        "orientations": case_orientations(case=case),
        "may_orient": access.can(user, access.Capability.ORIENT) and not case.is_closed,
    }


def overdue_home_panel(*, user: User) -> dict:
    rows = list(overdue_orientations(user=user)[:11])
    return {"overdue_orientations": rows[:10], "overdue_more": len(rows) > 10}


def uuid_or_none(value: str):
    """A UUID from a query string, or ``None`` when it is not one."""
    import uuid

    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None
