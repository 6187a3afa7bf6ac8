import factory
from django.utils import timezone

from cases.matching import name_key
from cases.models import Case, Person, Referral
from integrapsy.accounts.models import Organisation, Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Iterator(["Yonas", "Mohammed", "Amina", "Saïd", "Hewan", "Farid", "Zahra"])
    last_name = factory.Sequence(lambda n: f"Testperson{n}")
    birth_year = 1995
    nationality = "Érythrée"
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


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

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
