"""Reads of persons, referrals, cases and the timeline, each scoped by the access policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case as When_
from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from cases.matching import Candidate, name_key, score_candidate
from cases.models import Case, Person, PersonLanguage, Referral, TimelineEvent, Urgency
from integrapsy import access
from integrapsy.accounts.models import Role, Team, User


def case_list(*, user: User, filters: dict | None = None) -> QuerySet[Case]:
    """Cases the user may open, filtered; rows carry what the list shows (no query per row)."""
    filters = filters or {}
    qs = access.scope_cases(user, Case.objects.all()).select_related(
        "person", "person__location", "team", "lead_psychologist", "main_language"
    )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("team"):
        qs = qs.filter(team=filters["team"])
    if filters.get("lead_psychologist"):
        qs = qs.filter(lead_psychologist=filters["lead_psychologist"])
    if filters.get("location"):
        qs = qs.filter(person__location=filters["location"])
    if filters.get("language"):
        qs = qs.filter(person__in=PersonLanguage.objects.filter(language=filters["language"]).values("person_id"))
    if filters.get("risk_level"):
        qs = qs.filter(risk_level=filters["risk_level"])
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(case_search(q))
    return qs.order_by("-opened_on", "-id")


def case_search(q: str) -> Q:
    """A case reference when the text holds a digit (names don't), a person's name otherwise.

    The name search is a subquery on persons alone (``person_id IN (...)``), which the database
    answers from the persons' name indexes (trigram indexes on PostgreSQL, the folded keys for
    spellings) and then joins to the cases: no OR across the two tables, which would make it
    read every case of the team.
    """
    q = q.replace("\x00", "")  # PostgreSQL refuses a NUL in a query; no name holds one
    if any(ch.isdigit() for ch in q):
        return Q(reference__icontains=q)
    names = Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(alias__icontains=q)
    key = name_key(q)
    if key:
        names |= Q(first_name_key=key) | Q(last_name_key=key) | Q(alias_key=key)
    return Q(person__in=Person.objects.filter(names).values("pk"))


def _open_risk_flag_columns() -> dict:
    """The open risk flag's date and source, read with the case: the banner costs no query."""
    from cases.models import RiskFlag

    open_flag = RiskFlag.objects.filter(case=OuterRef("pk"), acknowledged_at__isnull=True).order_by("raised_at", "pk")
    return {
        "open_risk_raised_at": Subquery(open_flag.values("raised_at")[:1]),
        "open_risk_source": Subquery(open_flag.values("source")[:1]),
    }


def case_get(*, user: User, reference: str) -> Case:
    """One case the user may open, or 404."""
    if "\x00" in reference:  # no reference holds one, and PostgreSQL refuses it in a query
        raise Http404
    try:
        return (
            access.scope_case_lookup(user, Case.objects.all())
            .select_related("person", "person__location", "team", "lead_psychologist", "main_language")
            .annotate(**_open_risk_flag_columns())
            .get(reference=reference)
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def case_timeline(*, user: User, case: Case, family: str = "") -> QuerySet[TimelineEvent]:
    """The events of the case this user may see, newest first."""
    qs = TimelineEvent.objects.filter(
        case=case, visibility__in=access.visible_timeline_visibilities(user, case)
    ).select_related("actor")
    if family:
        qs = qs.filter(kind__startswith=f"{family}.")
    return qs.order_by("-occurred_at", "-id")


def case_timeline_kinds() -> list[tuple[str, str]]:
    """The families of events (``referral``, ``case``...) the filter offers: every registered one.

    Read from the registry, not from the case: the page costs no query for it, however long the
    timeline.
    """
    from cases.timeline import EVENT_KINDS, family_label

    families = {kind.split(".")[0] for kind in EVENT_KINDS}
    return sorted(((f, family_label(f)) for f in families), key=lambda item: str(item[1]).casefold())


@dataclass(frozen=True)
class TimelinePage:
    """One page of a timeline, newest first, and the cursor of the next (older) page."""

    events: list
    older: str  # cursor of the next page; "" on the last page
    is_first: bool


def _timeline_cursor(event: TimelineEvent) -> str:
    stamp = event.occurred_at.astimezone(datetime.UTC)
    return f"{stamp.strftime('%Y%m%d%H%M%S%f')}-{event.pk}"


def _parse_timeline_cursor(cursor: str) -> tuple[datetime.datetime, int] | None:
    """``None`` for anything that is not a cursor this page wrote: the newest page is shown."""
    stamp, _sep, pk = (cursor or "").partition("-")
    if len(stamp) != 20 or not stamp.isdigit() or not pk.isdigit() or len(pk) > 18:
        return None
    try:
        when = datetime.datetime.strptime(stamp, "%Y%m%d%H%M%S%f").replace(tzinfo=datetime.UTC)
    except ValueError:
        return None
    return when, int(pk)


def case_timeline_page(*, user: User, case: Case, family: str = "", before: str = "", size: int = 30) -> TimelinePage:
    """A page of the case's timeline, read by keyset: events older than the ``before`` cursor.

    One query per page, and the same cost for the first page and the hundredth: the (case,
    -occurred_at) index is read from the cursor on, never counted nor skipped over.
    """
    qs = case_timeline(user=user, case=case, family=family)
    position = _parse_timeline_cursor(before)
    if position is not None:
        when, pk = position
        qs = qs.filter(occurred_at__lte=when).exclude(occurred_at=when, pk__gte=pk)
    rows = list(qs[: size + 1])
    older = _timeline_cursor(rows[size - 1]) if len(rows) > size else ""
    return TimelinePage(events=rows[:size], older=older, is_first=position is None)


def person_get(*, user: User, code) -> Person:
    try:
        return access.scope_persons(user, Person.objects.all()).select_related("location").get(code=code)
    except (Person.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def person_languages(*, person: Person) -> list[PersonLanguage]:
    return list(person.person_languages.select_related("language").order_by("-is_main", "language__name_en"))


def team_psychologists(*, team: Team) -> QuerySet[User]:
    return User.objects.filter(memberships__team=team, memberships__role=Role.PSYCHOLOGIST, is_active=True).order_by(
        "last_name", "first_name"
    )


def team_staff(*, team: Team) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__team=team,
            memberships__role__in=[Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER, Role.AMBASSADOR],
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def user_teams(*, user: User, roles=access.STAFF_ROLES) -> QuerySet[Team]:
    return Team.objects.filter(pk__in=access.team_ids(user, *roles)).order_by("name")


# --- Referrals --------------------------------------------------------------------------

_URGENCY_RANK = When_(
    When(urgency=Urgency.URGENT, then=Value(0)),
    When(urgency=Urgency.PRIORITY, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def referral_inbox(*, user: User) -> QuerySet[Referral]:
    """Open referrals for the user's teams: urgent first, then the longest waiting."""
    return (
        access.scope_referrals_for_team(user, Referral.objects.all())
        .filter(status__in=[Referral.Status.SUBMITTED, Referral.Status.INFO_REQUESTED])
        .select_related("organisation", "team", "main_language", "location", "taken_by")
        .annotate(urgency_rank=_URGENCY_RANK)
        .order_by("urgency_rank", "received_at")
    )


def referral_recent_decided(*, user: User, limit: int = 10) -> list[Referral]:
    return list(
        access.scope_referrals_for_team(user, Referral.objects.all())
        .filter(status__in=[Referral.Status.ACCEPTED, Referral.Status.DECLINED])
        .select_related("organisation", "case", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def urgent_referrals_untaken(*, user: User) -> list[Referral]:
    """Alarming referrals no coordinator has taken yet: the coordinators' banner."""
    if not access.has_role(user, Role.COORDINATOR):
        return []
    qs = (
        Referral.objects.filter(
            team_id__in=access.team_ids(user, Role.COORDINATOR),
            alarm=True,
            taken_by__isnull=True,
            status__in=[Referral.Status.SUBMITTED, Referral.Status.INFO_REQUESTED],
        )
        .select_related("organisation")
        .order_by("received_at")
    )
    return list(qs[:20])


def referral_get_for_team(*, user: User, code) -> Referral:
    try:
        return (
            access.scope_referrals_for_team(user, Referral.objects.all())
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


# --- Duplicates -------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateSuggestion:
    person: Person
    score: int
    reasons: tuple[str, ...]


def duplicate_candidates(
    *,
    user: User,
    first_name: str,
    last_name: str = "",
    alias: str = "",
    birth_year: int | None = None,
    nationality: str = "",
    exclude: Person | None = None,
    limit: int = 5,
) -> list[DuplicateSuggestion]:
    """Persons the user may see whose names match across transliterations, best first."""
    keys = {k for k in (name_key(first_name), name_key(last_name), name_key(alias)) if k}
    if not keys:
        return []
    # Candidates share at least one key, or a key's first letters (close spellings).
    prefixes = {k[:2] for k in keys if len(k) >= 2}
    match = Q(first_name_key__in=keys) | Q(last_name_key__in=keys) | Q(alias_key__in=keys)
    for p in prefixes:
        match |= Q(first_name_key__startswith=p) | Q(last_name_key__startswith=p)
    qs = access.scope_persons(user, Person.objects.filter(merged_into__isnull=True)).filter(match)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    scored: list[tuple[Candidate, Person]] = []
    for person in qs.select_related("location")[:500]:
        cand = score_candidate(
            first_key=name_key(first_name),
            last_key=name_key(last_name),
            alias_key=name_key(alias),
            birth_year=birth_year,
            nationality=nationality,
            person=person,
        )
        if cand is not None:
            scored.append((cand, person))
    scored.sort(key=lambda cp: (-cp[0].score, cp[1].last_name, cp[1].first_name))
    return [DuplicateSuggestion(person=p, score=c.score, reasons=c.reasons) for c, p in scored[:limit]]


def waiting_days(referral: Referral) -> int:
    return (timezone.now() - referral.received_at).days


def team_psychologists_of(*, teams) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__team__in=teams, memberships__role=Role.PSYCHOLOGIST, is_active=True)
        .distinct()
        .order_by("last_name", "first_name")
    )


def case_panels(*, user: User, case: Case, section: str) -> dict:
    """What a section of the case page shows besides the header: only that section's rows are read."""
    from cases.panels import render_context

    case_access = access.case_access(user, case)
    panels = render_context(user=user, case=case, case_access=case_access, section=section)
    return {
        "banners": [p for p in panels if p.get("banner")],
        "extra_panels": [p for p in panels if p["template"]],
    }


def case_referrals_panel(*, user: User, case: Case, case_access) -> dict:
    """The referrals that brought the person to this case (the "referrals and team" tab)."""
    return {"referrals": list(case.referrals.select_related("organisation").order_by("-received_at"))}


def case_team_panel(*, user: User, case: Case, case_access) -> dict:
    """Who follows the case: its members and the teams it is shared with."""
    return {"members": list(case.members.order_by("last_name")), "shares": list(case.shares.select_related("team"))}


def person_page(*, user: User, person: Person) -> dict:
    """The person's identity, languages, consents, and the cases and referrals the user may see."""
    return {
        "person": person,
        "languages": person_languages(person=person),
        "consents": list(person.consents.select_related("language", "recorded_by").order_by("-given_on")),
        "cases": list(access.scope_cases(user, person.cases.all()).select_related("team", "lead_psychologist")),
        "referrals": list(access.scope_referrals_for_team(user, person.referrals.all()).select_related("organisation")),
        "merged_persons": list(person.merged_persons.all()),
        "may_merge": access.can(user, access.Capability.MERGE_PERSONS),
        "may_see_access_log": access.may_see_access_log(user, set(person.cases.values_list("team_id", flat=True))),
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


def person_access_log(*, user: User, person: Person):
    """Who accessed this person's file; only for clinicians of a team following the person (else 404)."""
    from integrapsy.audit.selectors import audit_for_subject

    cases = list(person.cases.values_list("reference", "team_id"))
    if not access.may_see_access_log(user, {team for _ref, team in cases}):
        raise Http404
    referral_codes = [str(c) for c in person.referrals.values_list("code", flat=True)]
    return audit_for_subject(object_refs=[str(person.code), *referral_codes], case_refs=[ref for ref, _t in cases])


def gdpr_person_search(*, q: str, limit: int = 50) -> list[Person]:
    """For the data administrator: persons by name (spelling-tolerant), alias or case reference."""
    key = name_key(q)
    match = (
        Q(first_name__icontains=q)
        | Q(last_name__icontains=q)
        | Q(alias__icontains=q)
        | Q(cases__reference__iexact=q.strip())
    )
    if key:
        match |= Q(first_name_key=key) | Q(last_name_key=key) | Q(alias_key=key)
    return list(Person.objects.filter(match).distinct().select_related("location").order_by("last_name")[:limit])


def gdpr_person_get(*, code) -> Person:
    try:
        return Person.objects.select_related("location").get(code=code)
    except (Person.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
