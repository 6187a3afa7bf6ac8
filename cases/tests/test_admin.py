import pytest
from django.urls import reverse

from cases.tests.factories import (
    ConsultationFactory,
    PermanenceBookingFactory,
    PermanenceSessionFactory,
    SlotRequestFactory,
)
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["permanencesession", "permanencebooking", "slotrequest", "consultation"])
def test_the_admin_lists_and_shows_rows_read_only_without_clinical_content(client, clinic, model):
    session = PermanenceSessionFactory(team=clinic.team, location=clinic.location, psychologist=clinic.psychologist)
    booking = PermanenceBookingFactory(session=session, case=clinic.case)
    consultation = ConsultationFactory(
        case=clinic.case, psychologist=clinic.psychologist, next_steps="Revoir la semaine prochaine"
    )
    request = SlotRequestFactory(slot=session.slots.last(), referral__team=clinic.team)
    obj = {"permanencesession": session, "permanencebooking": booking, "slotrequest": request}.get(model, consultation)
    client.force_login(make_user_with_role(Role.ADMIN))
    listing = client.get(reverse(f"admin:cases_{model}_changelist"))
    detail = client.get(reverse(f"admin:cases_{model}_change", args=[obj.pk]))
    assert listing.status_code == 200 and detail.status_code == 200
    for html in (listing.content.decode(), detail.content.decode()):
        assert "Notes cliniques confidentielles" not in html
        assert "Revoir la semaine prochaine" not in html
        assert "Dawit" not in html  # cases by reference, never persons by name
    assert client.get(reverse(f"admin:cases_{model}_add")).status_code == 403
    assert client.post(reverse(f"admin:cases_{model}_delete", args=[obj.pk])).status_code == 403


def test_the_team_does_not_reach_the_admin(client, clinic):
    client.force_login(clinic.coordinator)
    response = client.get(reverse("admin:cases_consultation_changelist"))
    assert response.status_code == 302
