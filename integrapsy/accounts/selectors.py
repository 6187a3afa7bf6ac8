from __future__ import annotations

from integrapsy.accounts.models import Membership, User


def user_memberships(*, user: User) -> list[Membership]:
    """The user's roles with their team or organisation, for display."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("team", "organisation")
        .order_by("role", "team__name", "organisation__name")
    )


def user_home_context(*, user: User) -> dict:
    """What every home page shows about the signed-in user."""
    return {"memberships": user_memberships(user=user)}


def staff_category_rows() -> list[dict]:
    """Each role, whether it reaches health data, what it reads, and who holds it now."""
    from django.db.models import Count, Q

    from integrapsy.access import DATA_ACCESS
    from integrapsy.accounts.models import Role

    counts = dict(
        Membership.objects.filter(user__is_active=True)
        .values_list("role")
        .annotate(n=Count("user", distinct=True, filter=Q(user__is_active=True)))
    )
    return [
        {
            "role": role.label,
            "health_data": DATA_ACCESS[role][0],
            "scope": DATA_ACCESS[role][1],
            "active_users": counts.get(role.value, 0),
        }
        for role in Role
    ]
