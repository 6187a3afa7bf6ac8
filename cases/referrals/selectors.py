from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models as db
from django.db.models import IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import ngettext

from cases.models import Case, Referral, ReferralReason, Urgency
from cases.persons.selectors import DuplicateSuggestion, duplicate_candidates
from integrapsy import access, clock
from integrapsy.access import Capability
from integrapsy.accounts.models import Team, User
from integrapsy.dates import date_format
from integrapsy.directory.models import Language
from integrapsy.links import row_url

if TYPE_CHECKING:
    from integrapsy.directory.models import Location

# A referral that signals danger (urgent, or suicidal thoughts whatever urgency was chosen)
# sorts with the urgent ones.
_URGENCY_RANK = db.Case(
    When(urgency=Urgency.URGENT, then=Value(0)),
    When(alarm=True, then=Value(0)),
    When(urgency=Urgency.PRIORITY, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def referral_inbox(*, user: User) -> QuerySet[Referral]:
    """Open referrals for the user's teams: urgent first, then the longest waiting."""
    return (
        access.scope(user, Referral.objects.all(), Capability.VIEW_TEAM_REFERRALS)
        .filter(status__in=[Referral.Status.SUBMITTED, Referral.Status.INFO_REQUESTED])
        .annotate(urgency_rank=_URGENCY_RANK)
        .order_by("urgency_rank", "received_at")
    )


def referral_recent_decided(*, user: User, limit: int = 10) -> list[dict]:
    """The referrals decided last, each as the inbox lists it: its link, reference, decision and
    day, and the case it opened (read as these columns: no referral nor case made a row)."""
    statuses = dict(Referral.Status.choices)
    rows = (
        access.scope(user, Referral.objects.all(), Capability.VIEW_TEAM_REFERRALS)
        .filter(status__in=[Referral.Status.ACCEPTED, Referral.Status.DECLINED])
        .order_by("-decided_at")
        .values("code", "reference", "status", "decided_at", "case__reference")[:limit]
    )
    referral_url, case_url = row_url("cases:referral_detail"), row_url("cases:detail")
    return [
        {
            "url": referral_url(row["code"]),
            "reference": row["reference"],
            "status": statuses.get(row["status"], row["status"]),
            "case": row["case__reference"] or "",
            "case_url": case_url(row["case__reference"]) if row["case__reference"] else "",
            "day": date_format(timezone.localtime(row["decided_at"]), "SHORT_DATE_FORMAT") if row["decided_at"] else "",
        }
        for row in rows
    ]


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


# What the referral's page shows of it, read with it.
DETAIL_RELATED = (
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
# What a form that writes and tells the referrer needs: PostgreSQL plans every join against
# the referrals' many indexes, and twelve tables took longer to plan than the write took.
REFERRER_RELATED = ("organisation", "submitted_by")


def referral_get_for_team(
    *,
    user: User,
    code,
    capability: Capability = Capability.VIEW_TEAM_REFERRALS,
    related: tuple[str, ...] = DETAIL_RELATED,
) -> Referral:
    """A referral addressed to a team where the user holds ``capability`` (reading, or triage), or 404.

    Read with ``related``; its other languages are read where they are shown (once), not for
    every form it answers.
    """
    referrals = access.scope(user, Referral.objects.all(), capability).select_related(*related)
    return access.one_or_404(referrals, code=code)


def signals_danger(*, urgency: str, reasons) -> bool:
    """An urgent request or suicidal thoughts: the team is alerted and the crisis lines are shown."""
    return urgency == Urgency.URGENT or ReferralReason.SUICIDAL_THOUGHTS in (reasons or ())


def referral_form_crisis(form) -> dict:
    """The crisis lines beside a referral form whose answers signal danger, sent or refused."""
    if not form.is_bound:
        return {}
    urgency = form.data.get("urgency", "")
    reasons = form.data.getlist("reasons") if hasattr(form.data, "getlist") else form.data.get("reasons", [])
    if hasattr(form.data, "getlist"):  # and those of the family members referred on the same form
        reasons = [*reasons, *(r for k in form.data if k.endswith("-reasons") for r in form.data.getlist(k))]
    if not signals_danger(urgency=urgency, reasons=reasons):
        return {}
    return {"show_crisis_lines": True, "crisis": crisis_lines()}


def referral_family(*, user: User, referral: Referral) -> list[Referral]:
    """The other referrals of a family referred on one form that the user may read."""
    if referral.household_id is None:
        return []
    family = Referral.objects.filter(household_id=referral.household_id).exclude(pk=referral.pk)
    return list(access.scope(user, family, Capability.VIEW_TEAM_REFERRALS).order_by("received_at", "pk"))


def referral_is_alarming(referral: Referral) -> bool:
    """Urgent or suicidal thoughts, and still waiting for the team's decision."""
    return referral.alarm and referral.is_open


def referral_awaits_taker(referral: Referral) -> bool:
    """An alarming referral nobody has said they handle yet: a coordinator takes it now."""
    return referral_is_alarming(referral) and referral.taken_by_id is None


def referral_awaits_answer(referral: Referral) -> bool:
    """The team asked the referrer something: their answer is awaited."""
    return referral.status == Referral.Status.INFO_REQUESTED


def referrer_rows(*, user: User, limit: int = 200) -> list[dict]:
    """The referrer's list: each referral of their organisation, and whether the team awaits their answer."""
    return [
        {"referral": r, "awaits_answer": referral_awaits_answer(r)} for r in referrals_for_referrer(user=user)[:limit]
    ]


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
    return access.one_or_404(referrals_for_referrer(user=user), code=code)


def referral_flags(*, user: User, referral: Referral) -> dict:
    """What the team's referral page offers: triage (open referrals) and the first contact, to its coordinators."""
    may_triage = access.may(user, Capability.TRIAGE_REFERRALS, referral.team_id)
    return {
        "may_triage": may_triage and referral.is_open,
        "may_record_first_contact": may_triage and referral.status == Referral.Status.ACCEPTED,
    }


def waiting_days(referral: Referral) -> int:
    return _days_since(referral.received_at)


def _days_since(moment) -> int:
    return (clock.now() - moment).days


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


def referral_team(*, user: User, location: Location | None = None) -> Team:
    """The team a referral goes to: the one of the place where the person lives, else of the referrer's country."""
    if location is not None:
        return location.team
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


def alarm_reason(alarm: bool, reasons: list[str]) -> str:
    """Why a referral sorts with the urgent ones: what the inbox row says beside its urgency."""
    if not alarm:
        return ""
    if ReferralReason.SUICIDAL_THOUGHTS in reasons:
        return str(ReferralReason.SUICIDAL_THOUGHTS.label)
    return str(Urgency.URGENT.label)


# What the inbox shows of each referral, read as ``values()`` (no referral, place, language or
# user made a row; each join is planned against the referrals' many indexes: only these).
INBOX_FIELDS = (
    "code",
    "reference",
    "urgency",
    "alarm",
    "reasons",
    "status",
    "first_name",
    "last_name",
    "received_at",
    "organisation__name",
    "main_language_id",
    "main_language__name_fr",
    "main_language__name_nl",
    "main_language__name_en",
    "taken_by_id",
    "taken_by__first_name",
    "taken_by__last_name",
    "taken_by__username",
)


def inbox_rows(*, user: User) -> list[dict]:
    """The inbox's rows, each with the texts it shows: the page draws them without a lookup each."""
    urgencies, statuses = dict(Urgency.choices), dict(Referral.Status.choices)
    referral_url = row_url("cases:referral_detail")
    rows = []
    for r in referral_inbox(user=user).values(*INBOX_FIELDS)[:200]:
        days = _days_since(r["received_at"])
        language = r["main_language_id"] and Language.name_of(
            r["main_language__name_fr"], r["main_language__name_nl"], r["main_language__name_en"]
        )
        taken_by = r["taken_by_id"] and User.name_of(
            r["taken_by__first_name"], r["taken_by__last_name"], r["taken_by__username"]
        )
        rows.append(
            {
                "code": r["code"],
                "reference": r["reference"],
                "alarm": r["alarm"],
                "person": f"{r['first_name']} {r['last_name']}",
                "organisation": r["organisation__name"],
                "url": referral_url(r["code"]),
                "urgency": urgencies.get(r["urgency"], r["urgency"]),
                "status": statuses.get(r["status"], r["status"]),
                "language": language or "",
                "taken_by": taken_by or "",
                "waiting_days": days,
                "waiting": ngettext("%(d)s day", "%(d)s days", days) % {"d": localize(days)},
                "alarm_reason": alarm_reason(r["alarm"], r["reasons"]),
            }
        )
    return rows


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
