from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from cases.models import (
    Referral,
)
from integrapsy.accounts.models import Role, Team, User


def _notify(recipients: list[str], subject: str, body: str) -> None:
    """Send after the transaction commits, never with clinical content."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True))


def team_coordinator_emails(team: Team) -> list[str]:
    users = User.objects.filter(memberships__team=team, memberships__role=Role.COORDINATOR, is_active=True).values_list(
        "email", flat=True
    )
    return [*users, team.contact_email]


def team_clinician_and_coordinator_emails(team: Team) -> list[str]:
    return list(
        User.objects.filter(
            memberships__team=team,
            memberships__role__in=[Role.COORDINATOR, Role.PSYCHOLOGIST],
            is_active=True,
        ).values_list("email", flat=True)
    )


def referrer_contact_emails(referral: Referral) -> list[str]:
    return [referral.organisation.contact_email, referral.submitted_by.email]
