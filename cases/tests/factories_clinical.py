"""Factories for permanences, consultations and risk assessments."""

from datetime import time, timedelta

import factory
from django.utils import timezone

from cases.models import (
    Consultation,
    PermanenceBooking,
    PermanenceSession,
    PermanenceSlot,
    RiskAssessment,
    SlotRequest,
)
from cases.tests.factories import CaseFactory, ReferralFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.directory.models import Language, Location


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code", "variety")

    code = "tir"
    variety = ""
    name_fr = "Tigrinya"
    name_nl = "Tigrinya"
    name_en = "Tigrinya"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("team", "name")

    name = factory.Sequence(lambda n: f"Centre {n}")
    kind = Location.Kind.RECEPTION_CENTRE
    team = factory.SubFactory(TeamFactory)
    city = "Croisilles"
    country = "FR"


def _psychologist(session):
    user = session.team.memberships.filter(role=Role.PSYCHOLOGIST).first()
    return user.user if user else make_user_with_role(Role.PSYCHOLOGIST, team=session.team)


class PermanenceSessionFactory(factory.django.DjangoModelFactory):
    """A session tomorrow 9:00–12:00 with four 45-minute slots."""

    class Meta:
        model = PermanenceSession
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    location = factory.LazyAttribute(lambda s: LocationFactory(team=s.team, name="CAES Croisilles"))
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=1))
    start_time = time(9)
    end_time = time(12)
    slot_minutes = 45
    walk_in_places = 2
    psychologist = factory.LazyAttribute(_psychologist)

    @factory.post_generation
    def with_slots(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            PermanenceSlot.objects.bulk_create(
                [
                    PermanenceSlot(
                        session=obj,
                        start_time=time(9 + (i * 45) // 60, (i * 45) % 60),
                        end_time=time(9 + ((i + 1) * 45) // 60, ((i + 1) * 45) % 60),
                    )
                    for i in range(4)
                ]
            )


class PermanenceBookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PermanenceBooking

    session = factory.SubFactory(PermanenceSessionFactory)
    slot = factory.LazyAttribute(lambda b: b.session.slots.order_by("start_time").first())
    case = factory.LazyAttribute(lambda b: CaseFactory(team=b.session.team))
    person = factory.LazyAttribute(lambda b: b.case.person)


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    case = factory.SubFactory(CaseFactory)
    psychologist = factory.LazyAttribute(lambda c: c.case.team.memberships.filter(role=Role.PSYCHOLOGIST).first().user)
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    duration_minutes = 45
    notes = "Notes cliniques confidentielles"
    presenting_problems = factory.LazyFunction(lambda: ["anxiety"])


class RiskAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskAssessment

    case = factory.SubFactory(CaseFactory)
    level = "low"
    factors = "Facteurs de protection: famille"
    actions_taken = "Entretien de soutien"
    assessed_by = factory.LazyAttribute(lambda a: a.case.team.memberships.filter(role=Role.PSYCHOLOGIST).first().user)
    assessed_at = factory.LazyFunction(timezone.now)


class SlotRequestFactory(factory.django.DjangoModelFactory):
    """A referrer's pending request for the last slot of a session tomorrow."""

    class Meta:
        model = SlotRequest

    referral = factory.SubFactory(ReferralFactory)
    team = factory.LazyAttribute(lambda r: r.referral.team)
    slot = factory.LazyAttribute(lambda r: PermanenceSessionFactory(team=r.team).slots.order_by("start_time").last())
    requested_by = factory.LazyAttribute(lambda r: r.referral.submitted_by)
