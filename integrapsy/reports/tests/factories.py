"""Rows of every kind the dashboard and the indicators count, for a team."""

import itertools
from datetime import timedelta

from django.utils import timezone

from ambassadors.models import Assignment
from ambassadors.tests.factories import AmbassadorFactory, AssignmentFactory, ContactFactory
from cases.models import Attendance, Referral, RiskFlag, SlotAttendance
from cases.tests.factories import (
    ActivitySessionFactory,
    CaseFactory,
    ConsultationFactory,
    EnrolmentFactory,
    GroupActivityFactory,
    OrientationFactory,
    PermanenceBookingFactory,
    PermanenceSessionFactory,
    ReferralFactory,
    ResourceFactory,
)
from integrapsy.accounts.models import Organisation, Role
from integrapsy.accounts.tests.factories import OrganisationFactory, make_user_with_role
from integrapsy.reports import services
from interpreters.models import BookingStatus
from interpreters.tests.factories import BookingFactory, InterpreterFactory

_batches = itertools.count()


def populate(team, n: int) -> None:
    """``n`` persons of ``team``, each with a row of every kind, all in the last 30 days.

    The figures' lines are written again at the end, as the scheduled refresh would.
    """
    now = timezone.now()
    today = timezone.localdate()
    organisation = OrganisationFactory(name=f"CAES {team.name}", kind=Organisation.Kind.RECEPTION_CENTRE)
    psychologist = make_user_with_role(Role.PSYCHOLOGIST, team=team)
    session = PermanenceSessionFactory(team=team, psychologist=psychologist, date=today - timedelta(days=3))
    interpreter = InterpreterFactory(username=f"interp-{team.pk}-{next(_batches)}")
    ambassador = AmbassadorFactory(team=team)
    resource = ResourceFactory()
    activity = GroupActivityFactory(team=team)
    activity_session = ActivitySessionFactory(activity=activity, starts_at=now - timedelta(days=4))
    first_booking = now - timedelta(days=20)
    for i in range(n):
        case = CaseFactory(team=team, opened_on=today - timedelta(days=10))
        ReferralFactory(
            team=team,
            organisation=organisation,
            received_at=now - timedelta(days=12),
            first_contact_on=today - timedelta(days=10 - i % 3),
            status=Referral.Status.ACCEPTED,
            person=case.person,
            case=case,
            urgency="urgent" if i % 2 else "routine",
        )
        ConsultationFactory(case=case, psychologist=psychologist, started_at=now - timedelta(days=2))
        RiskFlag.objects.create(case=case, source=RiskFlag.Source.OTHER, reason="Test", raised_at=now)
        PermanenceBookingFactory(
            session=session,
            slot=session.slots.order_by("start_time")[i] if i < session.slots.count() else None,
            case=case,
            person=case.person,
            status=SlotAttendance.NO_SHOW if i % 2 else SlotAttendance.ATTENDED,
        )
        start = first_booking + timedelta(hours=3 * i)
        BookingFactory(
            team=team,
            case=case,
            interpreter=interpreter,
            status=BookingStatus.COMPLETED,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            billable_minutes=60,
        )
        assignment = AssignmentFactory(ambassador=ambassador, case=case, status=Assignment.Status.ACTIVE)
        ContactFactory(assignment=assignment, occurred_on=today - timedelta(days=1), duration_minutes=90)
        OrientationFactory(case=case, resource=resource, proposed_on=today - timedelta(days=5))
        enrolment = EnrolmentFactory(activity=activity, case=case)
        Attendance.objects.create(session=activity_session, enrolment=enrolment, present=bool(i % 3))
    services.facts_refresh()
