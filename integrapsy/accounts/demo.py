"""Fictional organisations, teams and the demo accounts."""

from django.conf import settings

from integrapsy.accounts.models import Country, Membership, Organisation, Role, Team, User

OPERATOR = "IntegraPsy (opérateur)"
TEAM_FR = "IntegraPsy Hauts-de-France"
TEAM_BE = "IntegraPsy Wallonie picarde"
SETIS = "SéTIS wallon"

ORGANISATIONS = [
    (OPERATOR, Organisation.Kind.OPERATOR, Country.FRANCE, "contact@integrapsy.invalid"),
    (SETIS, Organisation.Kind.INTERPRETING_SERVICE, Country.BELGIUM, "planning@setis.invalid"),
    ("CAES Croisilles", Organisation.Kind.RECEPTION_CENTRE, Country.FRANCE, "caes.croisilles@example.org"),
    ("CADA Arras", Organisation.Kind.RECEPTION_CENTRE, Country.FRANCE, "cada.arras@example.org"),
    ("HUDA Lille", Organisation.Kind.RECEPTION_CENTRE, Country.FRANCE, "huda.lille@example.org"),
    (
        "Croix-Rouge — centre de Tournai",
        Organisation.Kind.RECEPTION_CENTRE,
        Country.BELGIUM,
        "tournai@example.org",
    ),
    ("Fedasil Mouscron", Organisation.Kind.RECEPTION_CENTRE, Country.BELGIUM, "mouscron@example.org"),
    ("Terre d'accueil (association)", Organisation.Kind.PARTNER, Country.FRANCE, "accueil@example.org"),
]

TEAMS = [
    (TEAM_FR, Country.FRANCE, "Pas-de-Calais, Nord", "equipe.hdf@integrapsy.invalid"),
    (
        TEAM_BE,
        Country.BELGIUM,
        "Hainaut occidental (Tournai, Mouscron, Ath)",
        "equipe.wapi@integrapsy.invalid",
    ),
]

# username, first name, last name, role, team or organisation
DEMO_USERS = [
    ("admin", "Alix", "Durand", Role.ADMIN, None),
    ("coordinator", "Claire", "Lemaire", Role.COORDINATOR, TEAM_FR),
    ("coordinator_be", "Luc", "Dumont", Role.COORDINATOR, TEAM_BE),
    ("psychologist", "Nadia", "Benali", Role.PSYCHOLOGIST, TEAM_FR),
    ("psychologist_be", "Pieter", "Vermeulen", Role.PSYCHOLOGIST, TEAM_BE),
    ("socialworker", "Julien", "Caron", Role.SOCIAL_WORKER, TEAM_FR),
    ("ambassador", "Senait", "Tesfay", Role.AMBASSADOR, TEAM_FR),
    ("interpreter", "Yonas", "Haile", Role.INTERPRETER, SETIS),
    ("referrer", "Sophie", "Martin", Role.REFERRER, "CAES Croisilles"),
    ("referrer_be", "Marie", "Dubois", Role.REFERRER, "Croix-Rouge — centre de Tournai"),
]


def _identity(username: str, first: str, last: str, organisation: Organisation | None) -> dict:
    """A demo account's name, demo address and organisation."""
    return {
        "first_name": first,
        "last_name": last,
        "email": f"{username}@integrapsy.invalid",
        "organisation": organisation,
    }


def demo_user(username: str, first: str, last: str, *, organisation: Organisation | None) -> tuple[User, bool]:
    """The demo account of that name, made once with its demo address; and whether it was just made."""
    return User.objects.get_or_create(username=username, defaults=_identity(username, first, last, organisation))


def seed(*, stdout) -> None:
    orgs = {}
    for name, kind, country, email in ORGANISATIONS:
        orgs[name], _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": kind, "country": country, "contact_email": email}
        )
    teams = {}
    for name, country, territory, email in TEAMS:
        teams[name], _ = Team.objects.update_or_create(
            name=name,
            defaults={
                "organisation": orgs[OPERATOR],
                "country": country,
                "territory": territory,
                "contact_email": email,
            },
        )
    for username, first, last, role, scope in DEMO_USERS:
        team = teams.get(scope)
        organisation = orgs.get(scope) if team is None else orgs[OPERATOR]
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                **_identity(username, first, last, organisation),
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
                "is_active": True,
                # Everybody knows the demo password: asking each visitor to change it would lock the next out.
                "must_change_password": False,
            },
        )
        if not user.check_password(settings.DEMO_PASSWORD):
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user,
            role=role,
            team=team,
            organisation=orgs.get(scope) if team is None else None,
        )
    stdout.write(f"  accounts: {len(DEMO_USERS)} demo users, {len(TEAMS)} teams")
