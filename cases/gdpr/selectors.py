from __future__ import annotations

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Concat

from cases.models import Case, Person
from cases.persons.matching import name_key
from integrapsy import access


def _word_match(word: str) -> Q:
    """One word of the search, in the first name, last name or alias (spelling-tolerant for whole names)."""
    match = Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(alias__icontains=word)
    if key := name_key(word):
        match |= Q(first_name_key=key) | Q(last_name_key=key) | Q(alias_key=key)
    return match


def gdpr_person_search(*, q: str, limit: int = 50) -> list[Person]:
    """For the data administrator: persons by name (spelling-tolerant), alias or case reference.

    A search of several words finds the persons whose names hold every word, in any order across
    first name, last name and alias. Exact matches (the whole name either way round, an alias,
    a case reference) come first. Each person carries ``case_references`` to tell namesakes apart;
    the number of queries does not depend on the number of persons found.
    """
    q = " ".join(q.split())
    words = q.split(" ") if q else []
    if not words:
        return []
    by_reference = Exists(Case.objects.filter(person=OuterRef("pk"), reference__iexact=q))
    names = Q()
    for word in words:
        names &= _word_match(word)
    key = name_key(q)
    if key:
        names |= Q(first_name_key=key) | Q(last_name_key=key) | Q(alias_key=key)
    exact = (
        Q(alias__iexact=q)
        | Q(full_name__iexact=q)
        | Q(reversed_name__iexact=q)
        | Q(first_name__iexact=q)
        | Q(last_name__iexact=q)
        | Q(by_reference=True)
    )
    persons = list(
        Person.objects.annotate(
            full_name=Concat("first_name", Value(" "), "last_name"),
            reversed_name=Concat("last_name", Value(" "), "first_name"),
            by_reference=by_reference,
        )
        .filter(names | Q(by_reference=True))
        .annotate(exact=ExpressionWrapper(exact, output_field=BooleanField()))
        .select_related("location")
        .prefetch_related(Prefetch("cases", queryset=Case.objects.only("reference", "person_id").order_by("reference")))
        .order_by("-exact", "last_name", "first_name", "pk")[:limit]
    )
    for person in persons:
        person.case_references = [case.reference for case in person.cases.all()]
    return persons


def gdpr_person_get(*, code) -> Person:
    return access.one_or_404(Person.objects.select_related("location"), code=code)
