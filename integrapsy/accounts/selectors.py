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
