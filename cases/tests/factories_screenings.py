"""Factories for screenings, orientations, the directory and group activities."""

import json
from datetime import timedelta

import factory
from django.utils import timezone

from cases.management.commands.load_instrument import BUILTIN_DIR
from cases.models import (
    ActivitySession,
    Enrolment,
    GroupActivity,
    Instrument,
    Orientation,
    OrientationOutcome,
    OrientationStatus,
    Screening,
)
from cases.tests.factories import CaseFactory
from integrapsy.accounts.models import Country
from integrapsy.accounts.tests.factories import TeamFactory, UserFactory
from integrapsy.directory.models import Language, Resource


def builtin_definition(key: str) -> dict:
    return json.loads((BUILTIN_DIR / f"{key}.json").read_text(encoding="utf-8"))


def load_builtin(key: str) -> Instrument:
    """The shipped questionnaire, loaded through the loader's service."""
    from cases.services_screenings import instrument_load

    return instrument_load(definition=builtin_definition(key)).instrument


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code", "variety")

    code = "tir"
    variety = ""
    name_fr = "Tigrinya"
    name_nl = "Tigrinya"
    name_en = "Tigrinya"


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
