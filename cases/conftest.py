from types import SimpleNamespace

import pytest

from cases.models import PersonLanguage
from cases.tests.factories import (
    CaseFactory,
    LanguageFactory,
    LocationFactory,
    PermanenceSessionFactory,
    ReferralFactory,
)
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role


@pytest.fixture
def clinic(db):
    """A team with one user per role, a place, a Tigrinya speaker's case, and another team."""
    team = TeamFactory(name="IntegraPsy Hauts-de-France")
    other_team = TeamFactory(name="IntegraPsy Wallonie picarde")
    tigrinya = LanguageFactory()
    case = CaseFactory(team=team, person__first_name="Dawit", person__last_name="Gebremedhin")
    PersonLanguage.objects.create(person=case.person, language=tigrinya, is_main=True)
    return SimpleNamespace(
        team=team,
        other_team=other_team,
        coordinator=make_user_with_role(Role.COORDINATOR, team=team, username="coordinator"),
        psychologist=make_user_with_role(Role.PSYCHOLOGIST, team=team, username="psychologist"),
        social_worker=make_user_with_role(Role.SOCIAL_WORKER, team=team, username="socialworker"),
        ambassador=make_user_with_role(Role.AMBASSADOR, team=team, username="ambassador"),
        interpreter=make_user_with_role(Role.INTERPRETER, username="interpreter"),
        other_psychologist=make_user_with_role(Role.PSYCHOLOGIST, team=other_team, username="psy-be"),
        other_coordinator=make_user_with_role(Role.COORDINATOR, team=other_team, username="coord-be"),
        location=LocationFactory(team=team, name="CAES Croisilles"),
        other_location=LocationFactory(team=other_team, name="Centre Croix-Rouge Tournai", city="Tournai"),
        tigrinya=tigrinya,
        case=case,
        other_case=CaseFactory(team=other_team),
    )


@pytest.fixture
def centre(clinic):
    """The CAES's referrer, an accepted referral (with its case) and an open one, and a session tomorrow."""
    caes = OrganisationFactory(name="CAES Croisilles (gestionnaire)", contact_email="caes@example.org")
    referrer = make_user_with_role(Role.REFERRER, organisation=caes, username="referrer", email="ref@example.org")
    accepted = ReferralFactory(
        team=clinic.team,
        organisation=caes,
        submitted_by=referrer,
        accepted=True,
        case=clinic.case,
        first_name="Dawit",
    )
    waiting = ReferralFactory(team=clinic.team, organisation=caes, submitted_by=referrer, first_name="Khadija")
    session = PermanenceSessionFactory(team=clinic.team, location=clinic.location, psychologist=clinic.psychologist)
    return SimpleNamespace(
        organisation=caes,
        referrer=referrer,
        accepted=accepted,
        waiting=waiting,
        session=session,
        slots=list(session.slots.order_by("start_time")),
    )
