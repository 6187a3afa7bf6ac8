import factory

from integrapsy.accounts.models import TEAM_ROLES, Country, Membership, Organisation, Role, Team, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.RECEPTION_CENTRE
    country = Country.FRANCE
    contact_email = factory.LazyAttribute(lambda o: f"contact{o.name.split()[-1]}@example.org")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    organisation = factory.SubFactory(OrganisationFactory, name="Operator", kind=Organisation.Kind.OPERATOR)
    country = Country.FRANCE
    territory = "Pas-de-Calais"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = "Test"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_user_with_role(role: str, *, team: Team | None = None, organisation: Organisation | None = None, **kw):
    """A user holding ``role`` in ``team`` (team roles) or ``organisation`` (others)."""
    role = Role(role)
    if role in TEAM_ROLES:
        team = team or TeamFactory()
        user = UserFactory(username=kw.pop("username", f"{role.value}-{team.pk}"), organisation=team.organisation, **kw)
        Membership.objects.get_or_create(user=user, role=role, team=team)
    elif role == Role.ADMIN:
        user = UserFactory(username=kw.pop("username", "admin-user"), is_staff=True, is_superuser=True, **kw)
        Membership.objects.get_or_create(user=user, role=role)
    else:
        kind = (
            Organisation.Kind.INTERPRETING_SERVICE if role == Role.INTERPRETER else Organisation.Kind.RECEPTION_CENTRE
        )
        organisation = organisation or OrganisationFactory(
            name="SéTIS test" if role == Role.INTERPRETER else "Centre test", kind=kind
        )
        user = UserFactory(
            username=kw.pop("username", f"{role.value}-{organisation.pk}"), organisation=organisation, **kw
        )
        Membership.objects.get_or_create(user=user, role=role, organisation=organisation)
    return user
