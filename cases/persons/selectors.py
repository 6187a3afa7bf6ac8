from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BigIntegerField, Prefetch, Q, QuerySet
from django.http import Http404

from cases.models import Case, Person, PersonLanguage
from cases.persons.matching import Candidate, name_key, score_candidate
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import User
from integrapsy.prepared import Param, PreparedQuery


def person_get(*, user: User, code) -> Person:
    """A person the user may read (their team follows them, or a case of theirs is shared with it), or 404."""
    return _get(access.scope_persons(user, Person.objects.all()), code)


def person_get_to_change(*, user: User, code, capability: Capability) -> Person:
    """A person followed by a team where the user holds ``capability`` (identity and consents, merge), or 404."""
    return _get(access.scope_persons_to_change(user, Person.objects.all(), capability), code)


def _get(persons: QuerySet[Person], code) -> Person:
    return access.one_or_404(persons.select_related("location"), code=code)


# A person's languages with each language, main first: compiled once (``integrapsy.prepared``).
_PERSON_LANGUAGES = PreparedQuery(
    lambda shape: (
        PersonLanguage.objects.filter(person_id=Param("person_id", BigIntegerField()))
        .select_related("language")
        .order_by("-is_main", "language__name_en")
    )
)


def person_languages(*, person: Person) -> list[PersonLanguage]:
    return _PERSON_LANGUAGES.run(person_id=person.pk)


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
    capability: Capability | None = None,
) -> list[DuplicateSuggestion]:
    """Persons the user may see (or, with ``capability``, change) whose names match across transliterations."""
    keys = {k for k in (name_key(first_name), name_key(last_name), name_key(alias)) if k}
    if not keys:
        return []
    # Candidates share at least one key, or a key's first letters (close spellings).
    prefixes = {k[:2] for k in keys if len(k) >= 2}
    match = Q(first_name_key__in=keys) | Q(last_name_key__in=keys) | Q(alias_key__in=keys)
    for p in prefixes:
        match |= Q(first_name_key__startswith=p) | Q(last_name_key__startswith=p)
    persons = Person.objects.filter(merged_into__isnull=True)
    if capability is None:
        persons = access.scope_persons(user, persons)
    else:
        persons = access.scope_persons_to_change(user, persons, capability)
    qs = persons.filter(match)
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


def person_consents(*, person: Person) -> dict:
    """``consent_states``: the current record per purpose (the latest, as ``has_current_consent`` reads it),
    each with ``state`` "agreed", "withdrawn" (a no after a yes) or "refused"; ``consents``: every record,
    newest first."""
    history = list(
        person.consents.select_related("language", "recorded_by").order_by("-given_on", "-recorded_at", "-pk")
    )
    states, seen = [], set()
    for record in history:
        if record.purpose in seen:
            continue
        seen.add(record.purpose)
        earlier_yes = any(r.purpose == record.purpose and r.given for r in history if r is not record)
        state = "agreed" if record.given else ("withdrawn" if earlier_yes else "refused")
        states.append({"record": record, "state": state})
    return {"consent_states": states, "consents": history}


def person_page(*, user: User, person: Person) -> dict:
    """The person's identity, languages, consents, household, and the cases and referrals the user may see."""
    from cases.households.selectors import household_members

    return {
        "person": person,
        "languages": person_languages(person=person),
        **person_consents(person=person),
        "cases": list(access.scope_cases(user, person.cases.all()).select_related("team", "lead_psychologist")),
        "referrals": list(
            access.scope(user, person.referrals.all(), Capability.VIEW_TEAM_REFERRALS).select_related("organisation")
        ),
        "merged_persons": list(person.merged_persons.all()),
        "household_members": household_members(user=user, person=person),
        # Identity and consents belong to the teams that follow the person, not to a team a case is shared with.
        "may_change": access.may_change_person(user, person, Capability.CHANGE_CASES),
        "may_merge": access.may_change_person(user, person, Capability.MERGE_PERSONS),
        "may_see_access_log": _may_see_access_log(user, person.cases.values_list("team_id", flat=True)),
    }


def merge_blocking_cases(*, user: User, references: list[str]) -> list[dict]:
    """The open cases that stop a merge, in the order given; ``may_open`` when the user may open the case."""
    visible = set(
        access.scope_cases(user, Case.objects.filter(reference__in=references)).values_list("reference", flat=True)
    )
    return [{"reference": ref, "may_open": ref in visible} for ref in references]


def _may_see_access_log(user: User, team_ids) -> bool:
    """ "Who accessed this file" is for clinicians of a team that follows the person."""
    return any(access.may(user, Capability.READ_CLINICAL, team_id) for team_id in set(team_ids))


def person_access_log(*, user: User, person: Person):
    """Who accessed this person's file; only for clinicians of a team following the person (else 404)."""
    from integrapsy.audit.selectors import audit_for_subject

    cases = list(person.cases.values_list("reference", "team_id"))
    if not _may_see_access_log(user, [team for _ref, team in cases]):
        raise Http404
    referral_codes = [str(c) for c in person.referrals.values_list("code", flat=True)]
    return audit_for_subject(object_refs=[str(person.code), *referral_codes], case_refs=[ref for ref, _t in cases])


def unresolved_nationalities(*, user: User) -> QuerySet[Person]:
    """Persons whose nationality is a text no known spelling matched, oldest first, with their case references."""
    if not access.can(user, Capability.RESOLVE_NATIONALITIES):
        return Person.objects.none()
    return (
        Person.objects.filter(nationality="", merged_into__isnull=True)
        .exclude(nationality_original="")
        .prefetch_related(Prefetch("cases", queryset=Case.objects.only("reference", "person_id").order_by("reference")))
        .order_by("nationality_original", "pk")
    )


def unresolved_nationality_get(*, user: User, code) -> Person:
    """One person whose nationality is still to resolve (404 otherwise)."""
    return _get(unresolved_nationalities(user=user), code)
