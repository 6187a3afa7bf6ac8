import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.tests.factories import CaseFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(db):
    return TeamFactory(name="Équipe A")


def test_admin_searches_by_user_and_reference(client, team):
    admin = make_user_with_role(Role.ADMIN)
    coordinator = make_user_with_role(Role.COORDINATOR, team=team)
    audit_record(action="export.cases", actor=coordinator, detail="xlsx")
    audit_record(action="case.viewed", actor=coordinator, case_ref="IP-2026-00001")
    audit_record(action="case.viewed", actor=admin, case_ref="IP-2026-00002")
    client.force_login(admin)
    page = client.get(reverse("audit:list"), {"username": coordinator.username}).context["page"]
    assert {e.action for e in page.object_list} == {"export.cases", "case.viewed"}
    page = client.get(reverse("audit:list"), {"reference": "IP-2026-00002"}).context["page"]
    assert [e.actor for e in page.object_list] == [admin]


def test_a_coordinator_sees_only_their_teams_actors(client, team):
    coordinator = make_user_with_role(Role.COORDINATOR, team=team)
    colleague = make_user_with_role(Role.PSYCHOLOGIST, team=team)
    outsider = make_user_with_role(Role.PSYCHOLOGIST, team=TeamFactory(name="Équipe B"))
    audit_record(action="case.viewed", actor=colleague)
    audit_record(action="case.viewed", actor=outsider)
    client.force_login(coordinator)
    page = client.get(reverse("audit:list")).context["page"]
    assert [e.actor for e in page.object_list] == [colleague]


def test_bad_dates_are_explained(client, team):
    client.force_login(make_user_with_role(Role.ADMIN))
    response = client.get(reverse("audit:list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "date_to" in response.context["form"].errors


def test_query_count_does_not_grow_with_rows(client, team):
    admin = make_user_with_role(Role.ADMIN)
    client.force_login(admin)
    audit_record(action="x", actor=admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("audit:list")).status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for _ in range(29):
        audit_record(action="x", actor=admin)
    assert count() == one


def test_who_accessed_this_file_for_the_teams_psychologists(client, team):
    case = CaseFactory(team=team)
    coordinator = make_user_with_role(Role.COORDINATOR, team=team)
    client.force_login(coordinator)
    client.get(reverse("cases:detail", args=[case.reference]))
    assert client.get(reverse("cases:person_access_log", args=[case.person.code])).status_code == 404
    psychologist = make_user_with_role(Role.PSYCHOLOGIST, team=team)
    client.force_login(psychologist)
    page = client.get(reverse("cases:person_access_log", args=[case.person.code])).context["page"]
    assert [(e.actor, e.action) for e in page.object_list] == [(coordinator, "case.viewed")]
