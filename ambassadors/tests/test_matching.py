"""Suggestion order and reasons."""

import pytest

from ambassadors import selectors
from ambassadors.models import Assignment
from ambassadors.tests.factories import AmbassadorFactory, AssignmentFactory, language
from cases.models import PersonLanguage
from cases.tests.factories import CaseFactory, PersonFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.directory.models import Location

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def sudanese():
    return language("ara", "Sudanese", "Sudanese Arabic")


@pytest.fixture
def place(team):
    return Location.objects.create(
        name="CAES Croisilles", kind="reception_centre", team=team, city="Croisilles", country="FR"
    )


@pytest.fixture
def case(team, sudanese, place):
    person = PersonFactory(first_name="Fatima", location=place, sex="F")
    PersonLanguage.objects.create(person=person, language=sudanese, is_main=True)
    return CaseFactory(team=team, person=person, main_language=sudanese)


def names(suggestions):
    return [s.ambassador.user.username for s in suggestions]


def reasons(suggestion):
    return [r.text for r in suggestion.reasons]


def test_language_and_variety_first_then_other_variety_and_no_one_without_the_language(
    team, coordinator, case, sudanese
):
    AmbassadorFactory(
        team=team,
        user=make_user_with_role(Role.AMBASSADOR, team=team, username="moroccan"),
        speaks=[(language("ara", "Moroccan", "Moroccan Arabic"), "native")],
    )
    AmbassadorFactory(
        team=team,
        user=make_user_with_role(Role.AMBASSADOR, team=team, username="sudanese"),
        speaks=[(sudanese, "fluent")],
    )
    AmbassadorFactory(
        team=team,
        user=make_user_with_role(Role.AMBASSADOR, team=team, username="pashto"),
        speaks=[(language("pus"), "native")],
    )
    got = selectors.case_suggestions(user=coordinator, case=case)
    assert names(got) == ["sudanese", "moroccan"]
    assert "Speaks Sudanese Arabic (Fluent)" in reasons(got[0])
    assert any("another variety" in r for r in reasons(got[1]))


def test_territory_gender_availability_earlier_work_and_load_each_count_with_a_reason(
    team, coordinator, case, sudanese, place
):
    def amb(username, **kw):
        return AmbassadorFactory(
            team=team,
            user=make_user_with_role(Role.AMBASSADOR, team=team, username=username),
            speaks=[(sudanese, "fluent")],
            **kw,
        )

    amb("plain", gender="M", availability=[])
    local = amb("local", gender="M", availability=[])
    local.territories.add(place)
    amb("woman", gender="F", availability=[])
    known = amb("known", gender="M", availability=[])
    AssignmentFactory(
        ambassador=known,
        case=CaseFactory(team=team, person=case.person, status="closed", closed_on=case.opened_on),
        status=Assignment.Status.ENDED,
        ended_on=case.opened_on,
        end_reason="completed",
    )
    busy = amb("busy", gender="M", availability=[], max_active_assignments=1)
    AssignmentFactory(ambassador=busy)

    got = selectors.case_suggestions(user=coordinator, case=case, gender_preference="F")
    by_name = {s.ambassador.user.username: s for s in got}
    assert names(got)[0] == "woman"
    assert "Meets the gender preference" in reasons(by_name["woman"])
    assert "Does not meet the gender preference" in reasons(by_name["plain"])
    assert "Already goes to CAES Croisilles" in reasons(by_name["local"])
    assert "Has already worked with this person" in reasons(by_name["known"])
    assert by_name["local"].score > by_name["plain"].score
    assert by_name["known"].score > by_name["plain"].score
    assert by_name["busy"].at_maximum and names(got)[-1] == "busy"
    assert "At the maximum: 1 of 1 assignments in progress" in reasons(by_name["busy"])
    assert [r.good for r in by_name["busy"].reasons if "maximum" in r.text] == [False]


def test_availability_on_the_day_asked(team, coordinator, case, sudanese):
    AmbassadorFactory(
        team=team,
        user=make_user_with_role(Role.AMBASSADOR, team=team, username="monday"),
        speaks=[(sudanese, "fluent")],
        availability=["mon_am"],
    )
    AmbassadorFactory(
        team=team,
        user=make_user_with_role(Role.AMBASSADOR, team=team, username="friday"),
        speaks=[(sudanese, "fluent")],
        availability=["fri_pm"],
    )
    got = selectors.case_suggestions(user=coordinator, case=case, slot="mon_am")
    assert names(got) == ["monday", "friday"]
    assert "Usually available on Monday morning" in reasons(got[0])
    assert "Not usually available on Monday morning" in reasons(got[1])


def test_inactive_ambassadors_ambassadors_of_other_teams_and_those_already_on_the_case_are_left_out(
    team, coordinator, case, sudanese
):
    AmbassadorFactory(team=team, speaks=[(sudanese, "native")], is_active=False)
    AmbassadorFactory(team=TeamFactory(name="Autre"), speaks=[(sudanese, "native")])
    on_case = AmbassadorFactory(team=team, speaks=[(sudanese, "native")])
    AssignmentFactory(ambassador=on_case, case=case)
    assert selectors.case_suggestions(user=coordinator, case=case) == []


def test_suggestions_read_a_fixed_number_of_queries(team, coordinator, case, sudanese):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            selectors.case_suggestions(user=coordinator, case=case, gender_preference="F", slot="mon_am")
        return len(ctx.captured_queries)

    AmbassadorFactory(team=team, speaks=[(sudanese, "native")])
    count()  # the user's access profile is read once, then cached
    one = count()
    for _ in range(15):
        AssignmentFactory(ambassador=AmbassadorFactory(team=team, speaks=[(sudanese, "native")]))
    assert count() == one
