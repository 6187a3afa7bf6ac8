"""What the ambassadors app holds about a person (assignments and contacts), and how it is erased."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ambassadors.models import Assignment, Contact
from cases.gdpr.providers import export_value
from cases.models import Person
from integrapsy.gdpr import Section


def _join(*parts) -> str:
    return " — ".join(str(p) for p in parts if p not in (None, ""))


def subject_data(person: Person) -> list[Section]:
    """The ambassadors' assignments to the person's cases and the contacts they logged."""
    assignments = list(
        Assignment.objects.filter(case__person=person)
        .select_related("case", "ambassador__user")
        .prefetch_related("contacts")
        .order_by("starts_on", "id")
    )
    rows = []
    contacts = []
    for a in assignments:
        name = a.ambassador.user.get_full_name()
        rows.append(
            {
                "label": _join(export_value(a.starts_on), a.case.reference, name),
                "value": _join(
                    a.get_role_display(),
                    a.get_status_display(),
                    export_value(a.planned_end_on),
                    export_value(a.ended_on),
                    a.get_end_reason_display() if a.end_reason else "",
                    a.end_note,
                    a.over_limit_reason,
                ),
            }
        )
        contacts.extend(
            {
                "label": _join(export_value(c.occurred_on), a.case.reference, name),
                "value": _join(c.get_kind_display(), f"{c.duration_minutes} min", c.note),
            }
            for c in sorted(a.contacts.all(), key=lambda c: (c.occurred_on, c.pk))
        )
    return [
        Section("ambassador_assignments", _("Integration Ambassadors"), rows),
        Section("ambassador_contacts", _("Ambassadors' contacts"), contacts),
    ]


def erase(person: Person) -> int:
    """Blank the contact notes and every typed text of the assignments; dates, roles and durations stay."""
    assignments = Assignment.objects.filter(case__person=person)
    count = Contact.objects.filter(assignment__in=assignments).update(note="")
    count += assignments.update(end_note="", over_limit_reason="")
    return count
