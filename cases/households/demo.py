"""A fictional family among the demo persons: two spouses, and the reference adult of a minor."""

from __future__ import annotations

from cases.households import services
from cases.models import FamilyRelation, HouseholdLink, Person
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import User

# (first, last), relation, (first, last): the second is the first's relation.
LINKS = [
    (("Yonas", "Tesfamariam"), FamilyRelation.SPOUSE, ("Hewan", "Kidane")),
    (("Senay", "Habte"), FamilyRelation.GUARDIAN, ("Yonas", "Tesfamariam")),
]


def seed(*, stdout) -> None:
    coordinator = User.objects.filter(username="coordinator").first()
    if coordinator is None:
        return
    created = 0
    for (first, last), relation, (other_first, other_last) in LINKS:
        person = Person.objects.filter(first_name=first, last_name=last, merged_into__isnull=True).first()
        relative = Person.objects.filter(first_name=other_first, last_name=other_last, merged_into__isnull=True).first()
        if (
            person is None
            or relative is None
            or not access.may_change_person(coordinator, person, Capability.CHANGE_CASES)
        ):
            continue
        if HouseholdLink.objects.filter(person__in=[person, relative], relative__in=[person, relative]).exists():
            continue
        services.household_link_add(person=person, relative=relative, relation=relation, actor=coordinator)
        created += 1
    stdout.write(f"  households: {created} family links")
