import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.gdpr.selectors import gdpr_person_search
from cases.tests.factories import CaseFactory, LocationFactory, PersonFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role


@pytest.fixture
def team(db):
    return TeamFactory(name="Équipe A")


@pytest.fixture
def admin(db):
    return make_user_with_role(Role.ADMIN)


def test_the_admin_menu_links_the_data_rights_page(client, admin, team):
    url = reverse("cases:gdpr_persons")
    client.force_login(admin)
    assert f'href="{url}"' in client.get(reverse("home")).content.decode()
    client.force_login(make_user_with_role(Role.COORDINATOR, team=team))
    assert f'href="{url}"' not in client.get(reverse("home")).content.decode()


def test_a_full_name_in_any_order_finds_the_person(team):
    wanted = CaseFactory(
        team=team, person=PersonFactory(first_name="Mohammed", last_name="Abdul Rahman", alias="Abu Ali")
    ).person
    CaseFactory(team=team, person=PersonFactory(first_name="Mohammed", last_name="Adam"))
    CaseFactory(team=team, person=PersonFactory(first_name="Amina", last_name="Rahman"))
    for q in ("Mohammed Abdul Rahman", "Rahman Mohammed", "abdul   mohammed", "Ali Rahman"):
        assert gdpr_person_search(q=q) == [wanted], q


def test_exact_matches_come_first(team):
    longer = PersonFactory(first_name="Amina", last_name="Aaron-Diallo")
    exact = PersonFactory(first_name="Amina", last_name="Diallo")
    found = gdpr_person_search(q="Amina Diallo")
    assert found == [exact, longer]
    assert found[0].exact and not found[1].exact
    case = CaseFactory(team=team, person=longer)
    assert gdpr_person_search(q=case.reference)[0] == longer


def test_the_page_tells_namesakes_apart_before_erase(client, admin, team):
    centre = LocationFactory(team=team, name="Centre de Croisilles")
    one = CaseFactory(
        team=team,
        person=PersonFactory(
            first_name="Yonas", last_name="Tesfaye", birth_date=datetime.date(1990, 5, 4), location=centre
        ),
    )
    two = CaseFactory(team=team, person=PersonFactory(first_name="Yonas", last_name="Tesfaye", birth_year=2001))
    client.force_login(admin)
    html = client.get(reverse("cases:gdpr_persons"), {"q": "Yonas Tesfaye"}).content.decode()
    for case, shown in ((one, "04/05/1990"), (two, "2001")):
        block = html[html.index(f'data-person="{case.person.code}"') :]
        erase = block.index(reverse("cases:gdpr_anonymise", args=[case.person.code]))
        assert shown in block[:erase]
        assert case.reference in block[:erase]
    first = html[html.index(f'data-person="{one.person.code}"') :]
    assert "Centre de Croisilles" in first[: first.index("anonymise")]


def test_the_page_query_count_does_not_grow_with_the_persons(client, admin, team):
    client.force_login(admin)
    url = reverse("cases:gdpr_persons")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"q": "Kidane"}).status_code == 200
        return len(ctx.captured_queries)

    CaseFactory(team=team, person=PersonFactory(first_name="Hewan", last_name="Kidane", location=LocationFactory()))
    one = count()
    for _ in range(29):
        CaseFactory(team=team, person=PersonFactory(first_name="Hewan", last_name="Kidane", location=LocationFactory()))
    assert count() == one
