from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from cases.models import Person
from cases.persons.matching import name_key


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
