from datetime import timedelta

import factory
from django.utils import timezone

from ambassadors.models import (
    Ambassador,
    AmbassadorLanguage,
    Assignment,
    Contact,
    TrainingModule,
    TrainingSession,
)
from cases.tests.factories import CaseFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.directory.models import Language


def language(code: str, variety: str = "", name: str = "") -> Language:
    name = name or f"{code} {variety}".strip()
    lang, _ = Language.objects.get_or_create(
        code=code, variety=variety, defaults={"name_fr": name, "name_nl": name, "name_en": name}
    )
    return lang


class AmbassadorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ambassador
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    user = factory.LazyAttributeSequence(
        lambda o, n: make_user_with_role(Role.AMBASSADOR, team=o.team, username=f"amb{n}", last_name=f"Amb{n:03d}")
    )
    gender = "F"
    started_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    max_active_assignments = 4
    availability = factory.LazyFunction(lambda: ["mon_am", "tue_am"])

    @factory.post_generation
    def speaks(obj, create, extracted, **kwargs):
        """``speaks=[(language, level), ...]``."""
        for lang, level in extracted or []:
            AmbassadorLanguage.objects.create(ambassador=obj, language=lang, level=level)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    ambassador = factory.SubFactory(AmbassadorFactory)
    case = factory.LazyAttribute(lambda o: CaseFactory(team=o.ambassador.team))
    role = Assignment.Role.PEER_SUPPORT
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    status = Assignment.Status.PROPOSED
    proposed_at = factory.LazyFunction(timezone.now)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    assignment = factory.SubFactory(AssignmentFactory, status=Assignment.Status.ACTIVE)
    occurred_on = factory.LazyFunction(timezone.localdate)
    duration_minutes = 30
    kind = Contact.Kind.VISIT
    note = "Visite au centre."


class TrainingModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingModule

    title = factory.Sequence(lambda n: f"Module {n}")
    order = factory.Sequence(lambda n: n)
    hours = 6


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    module = factory.SubFactory(TrainingModuleFactory)
    team = factory.SubFactory(TeamFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    duration_minutes = 180
    trainer = "Hélène Roussel"
