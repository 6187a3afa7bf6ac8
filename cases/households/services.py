"""Writes of households: family links between persons, each change on the cases' timelines and the audit log."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cases.models import Case, FamilyRelation, Household, HouseholdLink, Person, Referral
from cases.timeline.record import timeline_record
from integrapsy import access
from integrapsy.access import Capability
from integrapsy.accounts.models import User
from integrapsy.audit.services import audit_record


def household_new() -> Household:
    """An empty household; its label names no one, so that it outlives an erased member."""
    return Household.objects.create(label=f"H-{uuid.uuid4().hex[:8]}")


def household_join(
    *, persons: list[Person], household: Household | None = None, actor: User | None = None, request=None
) -> Household:
    """Put the persons in one household: theirs, or ``household``; the members of their other households
    follow, each move in the audit log."""
    households = {p.household_id for p in persons if p.household_id} | ({household.pk} if household else set())
    target = household or (Household.objects.get(pk=min(households)) if households else household_new())
    others = households - {target.pk}
    if others:
        moved = list(Person.objects.filter(household_id__in=others))
        Person.objects.filter(pk__in=[p.pk for p in moved]).update(household=target)
        for person in moved:
            audit_record(
                action="household.joined", actor=actor, request=request, obj=person, detail=f"household={target.label}"
            )
    Person.objects.filter(pk__in=[p.pk for p in persons]).update(household=target)
    for p in persons:
        p.household = target
    return target


def _link_between(a: Person, b: Person) -> HouseholdLink | None:
    return HouseholdLink.objects.filter(Q(person=a, relative=b) | Q(person=b, relative=a)).first()


def member_added_summary(data: dict) -> str:
    """ "Household of Amina Haile: Yonas Haile added (child)", in the reader's language."""
    return _("Household of %(person)s: %(relative)s added (%(relation)s)") % {
        "person": data["person"],
        "relative": data["relative"],
        "relation": FamilyRelation(data["relation"]).label.lower(),
    }


def member_removed_summary(data: dict) -> str:
    return _("Household of %(person)s: %(member)s removed") % {"person": data["person"], "member": data["member"]}


def _record(*, kind: str, persons: list[Person], actor: User | None, data: dict, summary, request=None) -> None:
    """The change on the open cases of every person concerned, and once per person in the audit log.

    Each case's event points at the other person it names, so that erasing that person finds it.
    """
    first, second = persons
    for case in Case.objects.filter(person__in=persons).exclude(status=Case.Status.CLOSED).order_by("pk"):
        other = second if case.person_id == first.pk else first
        timeline_record(case=case, kind=kind, actor=actor, summary=summary(data), source=other, data=data)
    for person in persons:
        audit_record(action=kind, actor=actor, request=request, obj=person)


@transaction.atomic
def household_link_add(
    *, person: Person, relative: Person | None, relation: str, actor: User, request=None
) -> HouseholdLink:
    """Record that ``relative`` is ``person``'s ``relation``; both join one household."""
    if not access.may_change_person(actor, person, Capability.CHANGE_CASES):
        raise PermissionDenied
    if relation not in FamilyRelation.values:
        raise ValidationError({"relation": _("Choose the relation.")})
    # Joining a household changes the relative's record too: it must be one the user may change.
    if relative is None or not access.may_change_person(actor, relative, Capability.CHANGE_CASES):
        raise ValidationError(
            {"member": _("Choose a person among the search results: this one is not among the persons you may see.")}
        )
    if relative.pk == person.pk:
        raise ValidationError({"member": _("A person cannot be their own family member.")})
    if relative.merged_into_id is not None:
        raise ValidationError({"member": _("This person was merged into another record: choose that one.")})
    if _link_between(person, relative) is not None:
        raise ValidationError(
            {"member": _("%(name)s is already linked to this person.") % {"name": relative.display_name}}
        )
    household_join(persons=[person, relative], actor=actor, request=request)
    return _link_create(person=person, relative=relative, relation=relation, actor=actor, request=request)


def _link_create(*, person: Person, relative: Person, relation: str, actor: User | None, request=None) -> HouseholdLink:
    link = HouseholdLink(person=person, relative=relative, relation=relation, created_by=actor)
    link.full_clean()
    link.save()
    _record(
        kind="household.member_added",
        persons=[person, relative],
        actor=actor,
        data={"person": person.display_name, "relative": relative.display_name, "relation": link.relation},
        summary=member_added_summary,
        request=request,
    )
    return link


@transaction.atomic
def household_member_remove(*, person: Person, member: Person, actor: User, request=None) -> None:
    """Take ``member`` out of ``person``'s household, with their family links; a household of one is undone."""
    if not access.may_change_person(actor, person, Capability.CHANGE_CASES):
        raise PermissionDenied
    if person.household_id is None or member.household_id != person.household_id or member.pk == person.pk:
        raise ValidationError({"member": _("This person is not in the household.")})
    household_id = person.household_id
    HouseholdLink.objects.filter(Q(person=member) | Q(relative=member)).delete()
    Person.objects.filter(pk=member.pk).update(household=None)
    member.household = None
    left = list(Person.objects.filter(household_id=household_id).values_list("pk", flat=True))
    if len(left) <= 1:
        Person.objects.filter(pk__in=left).update(household=None)
        if person.pk in left:
            person.household = None
    _record(
        kind="household.member_removed",
        persons=[person, member],
        actor=actor,
        data={"person": person.display_name, "member": member.display_name},
        summary=member_removed_summary,
        request=request,
    )


def household_fold(*, keep: Person, duplicate: Person) -> None:
    """For a merge of persons: the duplicate's household and family links become the kept person's."""
    HouseholdLink.objects.filter(Q(person=keep, relative=duplicate) | Q(person=duplicate, relative=keep)).delete()
    linked = set(HouseholdLink.objects.filter(person=keep).values_list("relative_id", flat=True)) | set(
        HouseholdLink.objects.filter(relative=keep).values_list("person_id", flat=True)
    )
    for link in HouseholdLink.objects.filter(Q(person=duplicate) | Q(relative=duplicate)):
        other = link.relative_id if link.person_id == duplicate.pk else link.person_id
        if other in linked:
            link.delete()  # the kept person's own link with them says it already
            continue
        if link.person_id == duplicate.pk:
            link.person = keep
        else:
            link.relative = keep
        link.save(update_fields=["person", "relative"])
        linked.add(other)
    if duplicate.household_id is not None:
        household_join(persons=[keep, duplicate])
        Person.objects.filter(pk=duplicate.pk).update(household=None)
        if Person.objects.filter(household_id=keep.household_id).count() <= 1:
            Person.objects.filter(pk=keep.pk).update(household=None)
            keep.household = None


def household_erase(person: Person) -> int:
    """For erasure: the person's family links go; they leave their household (a household of one is undone)."""
    count, _detail = HouseholdLink.objects.filter(Q(person=person) | Q(relative=person)).delete()
    household_id = Person.objects.filter(pk=person.pk).values_list("household_id", flat=True).first()
    if household_id is not None:
        count += Person.objects.filter(pk=person.pk).update(household=None)
        left = Person.objects.filter(household_id=household_id)
        if left.count() <= 1:
            left.update(household=None)
    return count


def household_from_referral(*, referral: Referral, actor: User, request=None) -> None:
    """A family member's referral accepted: the person joins the family's household, and is linked to the
    first person referred on the form as soon as both referrals are accepted."""
    person = referral.person
    household_join(persons=[person], household=referral.household, actor=actor, request=request)
    accepted = Referral.objects.filter(
        household_id=referral.household_id, status=Referral.Status.ACCEPTED, person__isnull=False
    ).exclude(pk=referral.pk)
    for other in accepted.select_related("person"):
        if bool(other.household_relation) == bool(referral.household_relation):
            continue  # two members, or the same first person twice: no relation was given between them
        lead, member = (referral, other) if other.household_relation else (other, referral)
        if lead.person_id == member.person_id or _link_between(lead.person, member.person) is not None:
            continue
        _link_create(
            person=lead.person, relative=member.person, relation=member.household_relation, actor=actor, request=request
        )
