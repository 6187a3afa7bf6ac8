import json
from datetime import time, timedelta

import factory
from django.utils import timezone

from cases.management.commands.load_instrument import BUILTIN_DIR
from cases.models import (
    ActivitySession,
    Case,
    ConsentRecord,
    Consultation,
    Enrolment,
    GroupActivity,
    Instrument,
    Orientation,
    OrientationOutcome,
    OrientationStatus,
    PermanenceBooking,
    PermanenceSession,
    PermanenceSlot,
    Person,
    Referral,
    RiskAssessment,
    Screening,
    SlotRequest,
)
from cases.persons.matching import name_key
from integrapsy.accounts.models import Country, Organisation, Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, UserFactory, make_user_with_role
from integrapsy.directory.models import Language, Location, Resource


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Iterator(["Yonas", "Mohammed", "Amina", "Saïd", "Hewan", "Farid", "Zahra"])
    last_name = factory.Sequence(lambda n: f"Testperson{n}")
    birth_year = 1995
    nationality = "ER"
    alias = ""
    first_name_key = factory.LazyAttribute(lambda p: name_key(p.first_name))
    last_name_key = factory.LazyAttribute(lambda p: name_key(p.last_name))
    alias_key = factory.LazyAttribute(lambda p: name_key(p.alias))


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    reference = factory.Sequence(lambda n: f"IP-2026-9{n:04d}")
    opened_on = factory.LazyFunction(timezone.localdate)


def consent(person, actor, purpose=ConsentRecord.Purpose.SHARING, *, given=True, on=None) -> ConsentRecord:
    """The person's oral answer about ``purpose``, recorded by ``actor`` through the service (today unless ``on``)."""
    from cases.persons.services import consent_record

    return consent_record(
        person=person, actor=actor, purpose=purpose, given=given, given_on=on or timezone.localdate(), method="oral"
    )


def referral_form_data(**overrides) -> dict:
    """What a referrer posts on the referral form: Hewan, anxious, routine, consent given orally today."""
    return {
        "first_name": "Hewan",
        "reasons": ["anxiety"],
        "urgency": "routine",
        "sex": "F",
        "consent_given": "on",
        "consent_date": timezone.localdate().isoformat(),
        "consent_method": "oral",
        **overrides,
    }


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    class Params:
        # Accepted by the team: with its case (a new one unless given) and that case's person.
        accepted = factory.Trait(
            status=Referral.Status.ACCEPTED,
            case=factory.SubFactory(CaseFactory, team=factory.SelfAttribute("..team")),
            person=factory.SelfAttribute("case.person"),
        )

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.RECEPTION_CENTRE)
    submitted_by = factory.LazyAttribute(lambda r: make_user_with_role(Role.REFERRER, organisation=r.organisation))
    reference = factory.Sequence(lambda n: f"OR-2026-9{n:04d}")
    first_name = "Hewan"
    last_name = "Tesfamariam"
    reasons = ["anxiety"]
    consent_given = True
    consent_date = factory.LazyFunction(timezone.localdate)
    consent_method = "oral"
    received_at = factory.LazyFunction(timezone.now)


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


def builtin_definition(key: str) -> dict:
    return json.loads((BUILTIN_DIR / f"{key}.json").read_text(encoding="utf-8"))


def load_builtin(key: str) -> Instrument:
    """The shipped questionnaire, loaded through the loader's service."""
    from cases.screenings.services import instrument_load

    return instrument_load(definition=builtin_definition(key)).instrument


class ScreeningFactory(factory.django.DjangoModelFactory):
    """A completed PHQ-9 (total 9, mild) unless told otherwise."""

    class Meta:
        model = Screening

    case = factory.SubFactory(CaseFactory)
    instrument = factory.LazyFunction(lambda: load_builtin("phq9"))
    status = Screening.Status.COMPLETED
    administered_on = factory.LazyFunction(timezone.localdate)
    administered_by = factory.SubFactory(UserFactory)
    language = factory.SubFactory(LanguageFactory)
    mode = Screening.Mode.READ_ALOUD
    answers = factory.LazyFunction(lambda: {str(i): 1 for i in range(1, 10)} | {"9": 0})
    total = 8
    band = "mild"
    completed_at = factory.LazyFunction(timezone.now)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cabinet de psychologie {n}")
    kind = Resource.Kind.PSYCHOLOGIST
    country = Country.FRANCE
    area = "Nord"
    city = "Lille"

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.languages.set(extracted)


class OrientationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Orientation
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    resource = factory.SubFactory(ResourceFactory)
    reason = "Suivi psychologique régulier en tigrinya"
    consent_to_share = True
    proposed_on = factory.LazyFunction(timezone.localdate)
    status = OrientationStatus.PROPOSED

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create:
            OrientationOutcome.objects.create(orientation=obj, status=OrientationStatus.PROPOSED, on=obj.proposed_on)


class GroupActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupActivity

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"Groupe de parole {n}")
    kind = GroupActivity.Kind.TALK_GROUP
    capacity = 8


class ActivitySessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivitySession

    activity = factory.SubFactory(GroupActivityFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    activity = factory.SubFactory(GroupActivityFactory)
    case = factory.SubFactory(CaseFactory, team=factory.SelfAttribute("..activity.team"))
    status = Enrolment.Status.ENROLLED
    enrolled_at = factory.LazyFunction(timezone.now)


def screenings_world(world: dict) -> dict:
    """The rows the role x URL matrix needs for screenings, orientations and activities."""
    case, other_case = world["case"], world["other_case"]
    activity = GroupActivityFactory(team=case.team)
    other_activity = GroupActivityFactory(team=other_case.team)
    return {
        "screening": ScreeningFactory(case=case),
        "draft_screening": ScreeningFactory(
            case=case, status=Screening.Status.DRAFT, total=None, band="", completed_at=None
        ),
        "other_screening": ScreeningFactory(case=other_case),
        "orientation": OrientationFactory(case=case),
        "other_orientation": OrientationFactory(case=other_case),
        "resource": ResourceFactory(),
        "activity": activity,
        "activity_session": ActivitySessionFactory(activity=activity),
        "enrolment": EnrolmentFactory(activity=activity, case=case),
        "other_activity": other_activity,
        "other_activity_session": ActivitySessionFactory(activity=other_activity),
    }
