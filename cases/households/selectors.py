"""Reads of households: who a person's family members are, and whose case the reader may open."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cases.case_file.selectors import case_search
from cases.models import Case, FamilyRelation, HouseholdLink, Person
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import User

# How many persons a search for a family member offers at once.
CANDIDATES_SHOWN = 20


@dataclass(frozen=True)
class HouseholdMember:
    person: Person
    relation: str  # who they are to the person (a ``FamilyRelation``), "" when only the household links them
    case: Case | None  # a case of theirs the reader may open (the open one first), else None: the name only

    @property
    def relation_label(self) -> str:
        return FamilyRelation(self.relation).label if self.relation else ""


def household_members(*, user: User, person: Person) -> list[HouseholdMember]:
    """The other members of the person's household, who they are to them, and a case the reader may open."""
    if person.household_id is None:
        return []
    members = list(
        Person.objects.filter(household_id=person.household_id, merged_into__isnull=True)
        .exclude(pk=person.pk)
        .only("code", "first_name", "last_name", "alias", "household_id")
        .order_by("last_name", "first_name", "pk")
    )
    if not members:
        return []
    ids = [m.pk for m in members]
    relations: dict[int, str] = {}
    for link in HouseholdLink.objects.filter(
        Q(person=person, relative_id__in=ids) | Q(relative=person, person_id__in=ids)
    ):
        other = link.relative_id if link.person_id == person.pk else link.person_id
        relations[other] = link.relation_seen_from(person.pk)
    cases: dict[int, Case] = {}
    visible = access.scope_cases(user, Case.objects.filter(person_id__in=ids)).only(
        "reference", "person_id", "status", "opened_on", "team_id"
    )
    for case in sorted(visible, key=lambda c: (c.status == Case.Status.CLOSED, -c.opened_on.toordinal(), -c.pk)):
        cases.setdefault(case.person_id, case)
    return [HouseholdMember(person=m, relation=relations.get(m.pk, ""), case=cases.get(m.pk)) for m in members]


def household_query(raw: str | None) -> str:
    """The search for a family member as typed, without what no name holds, at most 100 characters."""
    return (raw or "").replace("\x00", "").strip()[:100]


def household_search(*, user: User, person: Person, q: str) -> dict:
    """The add page's results: the persons found, and which of them are already in the household."""
    return {
        "candidates": household_candidates(user=user, person=person, q=q),
        "members": {m.person.pk for m in household_members(user=user, person=person)},
    }


def household_candidates(*, user: User, person: Person, q: str) -> list[Person]:
    """Persons the user may change whose case a name or a reference ``q`` finds (the case list's search)."""
    q = household_query(q)
    if not q:
        return []
    found = Case.objects.filter(case_search(q)).values("person_id")
    persons = access.scope_persons_to_change(
        user, Person.objects.filter(merged_into__isnull=True, pk__in=found), Capability.CHANGE_CASES
    )
    return list(
        persons.exclude(pk=person.pk).select_related("location").order_by("last_name", "first_name")[:CANDIDATES_SHOWN]
    )


def household_choosable(*, user: User) -> QuerySet[Person]:
    """Every person the user may add to a household: those whose record they may change, as joining a
    household changes it (the search shows a few of them)."""
    return access.scope_persons_to_change(
        user, Person.objects.filter(merged_into__isnull=True), Capability.CHANGE_CASES
    )


def household_panel(*, user: User, case: Case, case_access) -> dict:
    """The case page's block: the person's family members, names and relations only."""
    members = household_members(user=user, person=case.person)
    return {"members": members} if members else {}


def household_names_by_person(*, persons: list[Person]) -> dict[int, list[str]]:
    """For a list of persons already read (a day sheet): the names of the others of the list in their household."""
    by_household: dict[int, list[Person]] = {}
    for p in persons:
        if p.household_id is not None and all(o.pk != p.pk for o in by_household.get(p.household_id, [])):
            by_household.setdefault(p.household_id, []).append(p)
    return {
        p.pk: [o.display_name for o in group if o.pk != p.pk]
        for group in by_household.values()
        if len(group) > 1
        for p in group
    }


def household_subject_rows(*, person: Person) -> list[dict]:
    """For the subject-access export: the person's household members and who they are to them."""
    if person.household_id is None:
        return []
    rows = []
    for member in household_members(user=None, person=person):
        rows.append(
            {
                "label": member.relation_label or str(_("Member of the same household")),
                "value": member.person.display_name,
            }
        )
    return rows
