import pytest

from cases.tests.factories import CaseFactory
from integrapsy.accounts.tests.factories import TeamFactory
from interpreters.tests.factories import InterpreterFactory, LocationFactory, team_coordinator, tigrinya


@pytest.fixture
def team(db):
    return TeamFactory(name="Équipe interprètes")


@pytest.fixture
def coordinator(team):
    return team_coordinator(team)


@pytest.fixture
def place(team):
    return LocationFactory(team=team, name="CAES test")


@pytest.fixture
def case(team, place):
    case = CaseFactory(team=team, person__first_name="Hewan", person__last_name="Tesfalem")
    case.person.location = place
    case.person.save()
    return case


@pytest.fixture
def interpreter(team):
    return InterpreterFactory(first_name="Yonas", last_name="Haile", territories=[team])


@pytest.fixture
def tir(db):
    return tigrinya()
