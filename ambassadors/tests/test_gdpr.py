"""The ambassadors' assignments and contacts in a person's subject-access export, and their erasure."""

import pytest
from django.utils import timezone

from ambassadors import services
from ambassadors.models import Assignment, Contact
from ambassadors.tests.factories import AmbassadorFactory
from cases.case_file import services as case_services
from cases.tests.factories import CaseFactory, PersonFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.tests.erasure import anonymise, export_sections, rows_containing

pytestmark = pytest.mark.django_db

NOTE = "Visite chez Gul Ahmadzai, rendez-vous à la préfecture"
END_NOTE = "Gul a déménagé chez son cousin"


@pytest.fixture
def world():
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    coordinator = make_user_with_role(Role.COORDINATOR, team=team)
    farid = AmbassadorFactory(
        team=team,
        user=make_user_with_role(
            Role.AMBASSADOR, team=team, username="farid", first_name="Farid", last_name="Stanekzai"
        ),
    )
    case = CaseFactory(team=team, person=PersonFactory(first_name="Gul", last_name="Ahmadzai"), status="active")
    assignment = services.assignment_propose(
        case=case,
        ambassador=farid,
        role=Assignment.Role.ACCOMPANIMENT,
        actor=coordinator,
        starts_on=timezone.localdate(),
    )
    services.assignment_accept(assignment=assignment, actor=farid.user)
    services.contact_log(
        assignment=assignment,
        actor=farid.user,
        occurred_on=timezone.localdate(),
        duration_minutes=45,
        kind=Contact.Kind.VISIT,
        note=NOTE,
    )
    services.assignment_end(assignment=assignment, actor=coordinator, reason="person_left", note=END_NOTE)
    return case, coordinator


@pytest.fixture
def admin():
    return make_user_with_role(Role.ADMIN)


def test_the_export_lists_the_assignments_and_contacts(client, admin, world):
    case, _ = world
    client.force_login(admin)
    sections = export_sections(client, case.person)
    assert case.reference in sections["ambassador_assignments"]
    assert "Farid Stanekzai" in sections["ambassador_assignments"] and END_NOTE in sections["ambassador_assignments"]
    assert NOTE in sections["ambassador_contacts"] and "45 min" in sections["ambassador_contacts"]
    assert timezone.localdate().isoformat() in sections["ambassador_contacts"]


def test_erasure_blanks_the_notes_and_keeps_dates_roles_and_durations(client, admin, world):
    case, coordinator = world
    assert rows_containing(NOTE, END_NOTE)  # the check sees them before
    case_services.case_close(case=case, actor=coordinator, reason="fin")
    client.force_login(admin)
    response = anonymise(client, case.person)
    assert response.status_code == 302
    sections = export_sections(client, case.person)
    exported = sections["ambassador_assignments"] + sections["ambassador_contacts"]
    for text in (NOTE, END_NOTE, "Gul", "Ahmadzai"):
        assert text not in exported, text
    assert rows_containing(NOTE, END_NOTE, "Ahmadzai") == []
    contact = Contact.objects.get()
    assert (contact.duration_minutes, contact.kind, contact.occurred_on) == (45, "visit", timezone.localdate())
    assignment = Assignment.objects.get()
    assert (assignment.role, assignment.status, assignment.end_reason) == ("accompaniment", "ended", "person_left")
