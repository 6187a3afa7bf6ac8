from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import IntegerField, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from cases.models import Case, Referral, Urgency
from cases.persons.selectors import DuplicateSuggestion, duplicate_candidates
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import Team, User

_URGENCY_RANK = When_(
    When(urgency=Urgency.URGENT, then=Value(0)),
    When(urgency=Urgency.PRIORITY, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def referral_inbox(*, user: User) -> QuerySet[Referral]:
    """Open referrals for the user's teams: urgent first, then the longest waiting."""
    return (
        access.scope(user, Referral.objects.all(), Capability.VIEW_TEAM_REFERRALS)
        .filter(status__in=[Referral.Status.SUBMITTED, Referral.Status.INFO_REQUESTED])
        .select_related("organisation", "team", "main_language", "location", "taken_by")
        .annotate(urgency_rank=_URGENCY_RANK)
        .order_by("urgency_rank", "received_at")
    )


def referral_recent_decided(*, user: User, limit: int = 10) -> list[Referral]:
    return list(
        access.scope(user, Referral.objects.all(), Capability.VIEW_TEAM_REFERRALS)
        .filter(status__in=[Referral.Status.ACCEPTED, Referral.Status.DECLINED])
        .select_related("organisation", "case", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def urgent_referrals_untaken(*, user: User) -> list[Referral]:
    """Alarming referrals no coordinator has taken yet: the coordinators' banner."""
    qs = (
        access.scope(user, Referral.objects.all(), Capability.TRIAGE_REFERRALS)
        .filter(
            alarm=True,
            taken_by__isnull=True,
            status__in=[Referral.Status.SUBMITTED, Referral.Status.INFO_REQUESTED],
        )
        .select_related("organisation")
        .order_by("received_at")
    )
    return list(qs[:20])


def referral_get_for_team(*, user: User, code, capability: Capability = Capability.VIEW_TEAM_REFERRALS) -> Referral:
    """A referral addressed to a team where the user holds ``capability`` (reading, or triage), or 404."""
    try:
        return (
            access.scope(user, Referral.objects.all(), capability)
            .select_related(
                "organisation",
                "team",
                "submitted_by",
                "main_language",
                "interpreter_language",
                "consent_language",
                "location",
                "person",
                "case",
                "decided_by",
                "taken_by",
            )
            .prefetch_related("languages")
            .get(code=code)
        )
    except (Referral.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def referrals_for_referrer(*, user: User) -> QuerySet[Referral]:
    """The referrer's organisation's referrals: only what the status page shows."""
    return (
        access.scope_referrals_for_referrer(user, Referral.objects.all())
        .only(
            "code",
            "reference",
            "first_name",
            "last_name",
            "status",
            "urgency",
            "alarm",
            "received_at",
            "decided_at",
            "first_contact_on",
            "decline_reason",
            "info_request",
            "info_response",
            "organisation_id",
            # For the permanence slots the referrer may ask for: which team, and whether a case is open.
            "team_id",
            "case_id",
        )
        .order_by("-received_at")
    )


def referral_get_for_referrer(*, user: User, code) -> Referral:
    try:
        return referrals_for_referrer(user=user).get(code=code)
    except (Referral.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def referral_flags(*, user: User, referral: Referral) -> dict:
    """What the team's referral page offers: triage (open referrals) and the first contact, to its coordinators."""
    may_triage = access.may(user, Capability.TRIAGE_REFERRALS, referral.team_id)
    return {
        "may_triage": may_triage and referral.is_open,
        "may_record_first_contact": may_triage and referral.status == Referral.Status.ACCEPTED,
    }


def waiting_days(referral: Referral) -> int:
    return (timezone.now() - referral.received_at).days


def case_referrals_panel(*, user: User, case: Case, case_access) -> dict:
    """The referrals that brought the person to this case (the "referrals and team" tab).

    A team the case is shared with sees them, without the link to the referral's page (not theirs).
    """
    referrals = case.referrals.select_related("organisation").order_by("-received_at")
    return {
        "referrals": [
            {"referral": r, "may_open": access.may(user, Capability.VIEW_TEAM_REFERRALS, r.team_id)} for r in referrals
        ]
    }


def referrer_locations(*, user: User):
    """Places a referrer may choose as where the person lives."""
    from integrapsy.directory.models import Location

    return Location.objects.filter(is_active=True).select_related("team").order_by("country", "name")


def referrer_default_team(*, user: User) -> Team:
    """The team covering the referrer's country when no location was given."""
    country = user.organisation.country if user.organisation_id else "FR"
    return Team.objects.filter(country=country).order_by("pk").first() or Team.objects.order_by("pk").first()


def referral_duplicates(*, user: User, referral: Referral) -> list[DuplicateSuggestion]:
    return duplicate_candidates(
        user=user,
        first_name=referral.first_name,
        last_name=referral.last_name,
        alias=referral.alias,
        birth_year=referral.birth_date.year if referral.birth_date else referral.birth_year,
        nationality=referral.nationality,
    )


def inbox_rows(*, user: User) -> list[dict]:
    return [{"referral": r, "waiting_days": waiting_days(r)} for r in referral_inbox(user=user)[:200]]


@dataclass(frozen=True)
class CrisisLine:
    country: str
    label: str
    number: str


def crisis_lines() -> list[CrisisLine]:
    """What to do now, shown to the referrer of an alarming referral."""
    from django.utils.translation import gettext as _

    return [
        CrisisLine("FR", _("Suicide prevention line (France, 24/7, free)"), "3114"),
        CrisisLine("FR", _("Medical emergency (SAMU, France)"), "15"),
        CrisisLine("BE", _("Suicide prevention line (Belgium, 24/7, free)"), "0800 32 123"),
        CrisisLine("BE", _("Emergency (Belgium and Europe)"), "112"),
    ]
