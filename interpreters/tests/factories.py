from datetime import timedelta

import factory
from django.utils import timezone

from cases.tests import factories as cases_factories
from integrapsy.accounts.models import Organisation, Role, User
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role
from integrapsy.directory.models import Location
from interpreters.models import BookingStatus, Gender, Interpreter, InterpreterBooking, InterpreterLanguage, Mode
from interpreters.services import blocked_range


class LanguageFactory(cases_factories.LanguageFactory):
    """Named after its code and variety, so that the languages of a matching test read apart."""

    name_fr = factory.LazyAttribute(lambda o: f"{o.code} {o.variety}".strip())
    name_nl = factory.LazyAttribute(lambda o: f"{o.code} {o.variety}".strip())
    name_en = factory.LazyAttribute(lambda o: f"{o.code} {o.variety}".strip())


def tigrinya():
    return LanguageFactory(code="tir", name_fr="Tigrinya", name_nl="Tigrinya", name_en="Tigrinya")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Centre {n}")
    kind = Location.Kind.RECEPTION_CENTRE
    team = factory.SubFactory(TeamFactory)
    address = "1 rue des Tilleuls"
    postcode = "62000"
    city = "Arras"
    country = "FR"


def setis():
    return OrganisationFactory(name="SéTIS test", kind=Organisation.Kind.INTERPRETING_SERVICE, country="BE")


class InterpreterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interpreter
        skip_postgeneration_save = True

    class Params:
        username = factory.Sequence(lambda n: f"interp{n}")
        first_name = factory.Sequence(lambda n: f"Interprète{n}")
        last_name = "Testeur"

    service = factory.LazyFunction(setis)
    user = factory.LazyAttribute(
        lambda o: make_user_with_role(
            Role.INTERPRETER,
            organisation=o.service,
            username=o.username,
            first_name=o.first_name,
            last_name=o.last_name,
        )
    )
    gender = Gender.MALE
    offers_on_site = True
    offers_phone = True
    offers_video = True

    @factory.post_generation
    def languages(obj, create, extracted, **kwargs):
        for lang in extracted if extracted is not None else [tigrinya()]:
            InterpreterLanguage.objects.create(interpreter=obj, language=lang)

    @factory.post_generation
    def territories(obj, create, extracted, **kwargs):
        if extracted:
            obj.territories.set(extracted)


def team_coordinator(team):
    user = User.objects.filter(memberships__team=team, memberships__role=Role.COORDINATOR).first()
    return user or make_user_with_role(Role.COORDINATOR, team=team)


def _blocked(o, index):
    return blocked_range(mode=o.mode, starts_at=o.starts_at, ends_at=o.ends_at)[index]


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking row as a given step left it (use the services to go through the steps)."""

    class Meta:
        model = InterpreterBooking

    team = factory.SubFactory(TeamFactory)
    language = factory.LazyFunction(tigrinya)
    mode = Mode.PHONE
    starts_at = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=5)).replace(second=0, microsecond=0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    blocked_from = factory.LazyAttribute(lambda o: _blocked(o, 0))
    blocked_until = factory.LazyAttribute(lambda o: _blocked(o, 1))
    requested_by = factory.LazyAttribute(lambda o: team_coordinator(o.team))
    requested_at = factory.LazyFunction(timezone.now)


def confirmed_booking(team, interpreter, starts_at, **kw):
    """A booking the interpreter has confirmed, for an hour from ``starts_at``."""
    return BookingFactory(team=team, interpreter=interpreter, status=BookingStatus.CONFIRMED, starts_at=starts_at, **kw)


def completed_booking(team, interpreter, *, days_ago, minutes, **kw):
    """A booking the interpreter did ``days_ago`` days ago, ``minutes`` of it billable."""
    return BookingFactory(
        team=team,
        interpreter=interpreter,
        status=BookingStatus.COMPLETED,
        billable_minutes=minutes,
        starts_at=timezone.now() - timedelta(days=days_ago),
        **kw,
    )


def past_confirmed(team, interpreter, *, hours_ago=2, **kw):
    """A confirmed booking that started ``hours_ago`` hours ago: its time is still to be recorded."""
    return confirmed_booking(team, interpreter, timezone.now() - timedelta(hours=hours_ago), **kw)


def overlapping_offers(team, interpreter, n, *, case=None):
    """``n`` phone bookings offered to the same interpreter, a minute apart, each overlapping all the others."""
    from cases.tests.factories import CaseFactory

    start = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    return [
        BookingFactory(
            team=team,
            case=case or CaseFactory(team=team),
            interpreter=interpreter,
            status=BookingStatus.OFFERED,
            mode=Mode.PHONE,
            starts_at=start + timedelta(minutes=i),
        )
        for i in range(n)
    ]
