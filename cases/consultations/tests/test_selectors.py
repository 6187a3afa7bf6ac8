"""When a consultation may be logged after a permanence appointment: the rule the pages and the service share."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.consultations import selectors
from cases.models import Consultation, SlotAttendance
from cases.tests.factories import CaseFactory, ConsultationFactory, PermanenceBookingFactory, PermanenceSessionFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role


@pytest.fixture
def appointment(clinic):
    session = PermanenceSessionFactory(
        team=clinic.team, location=clinic.location, date=timezone.localdate() - timedelta(days=1)
    )
    return PermanenceBookingFactory(session=session, case=clinic.case, status=SlotAttendance.ATTENDED)


@pytest.mark.parametrize(
    ("status", "leads"),
    [
        (SlotAttendance.ATTENDED, True),
        (SlotAttendance.BOOKED, False),
        (SlotAttendance.NO_SHOW, False),
        (SlotAttendance.CANCELLED, False),
    ],
)
def test_only_an_attended_appointment_leads_to_a_consultation(appointment, status, leads):
    appointment.status = status
    assert selectors.booking_leads_to_consultation(appointment) is leads


def test_an_appointment_without_a_case_leads_to_none(appointment):
    appointment.case = None
    assert not selectors.booking_leads_to_consultation(appointment)


def test_the_psychologist_of_the_cases_team_is_offered_to_log_it(clinic, appointment):
    assert selectors.may_log_consultation(user=clinic.psychologist, booking=appointment)
    for user in (clinic.coordinator, clinic.social_worker, clinic.other_psychologist):
        assert not selectors.may_log_consultation(user=user, booking=appointment)


def test_not_twice(clinic, appointment):
    ConsultationFactory(case=clinic.case, psychologist=clinic.psychologist, booking=appointment)
    appointment.refresh_from_db()
    assert not selectors.may_log_consultation(user=clinic.psychologist, booking=appointment)


def test_the_cases_team_decides_not_the_sessions(clinic, appointment):
    """A case shared from another team is logged by the psychologists of the team that follows it."""
    appointment.case = CaseFactory(team=clinic.other_team)
    assert not selectors.may_log_consultation(user=clinic.psychologist, booking=appointment)
    assert selectors.may_log_consultation(user=clinic.other_psychologist, booking=appointment)


def test_a_draft_is_signed_by_its_author_only_once(clinic):
    draft = ConsultationFactory(case=clinic.case, psychologist=clinic.psychologist)
    assert selectors.may_sign(user=clinic.psychologist, consultation=draft)
    colleague = make_user_with_role(Role.PSYCHOLOGIST, team=clinic.team, username="colleague")
    assert not selectors.may_sign(user=colleague, consultation=draft)
    draft.status = Consultation.Status.SIGNED
    assert not selectors.may_sign(user=clinic.psychologist, consultation=draft)
