"""Hostile query strings and ``next`` values: pages answer as for no parameter, never a 500."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.tests.factories import CaseFactory, SlotRequestFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.params import query_id, query_token, safe_next

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "\x00",
            "²",
            "٣",
            "20261201000000000000-²",
            "²0261201000000000000-1",
            "20261201000000000000-99999999999999999999",
            "99999999999999999999",
            "-1",
            "1e309",
            "abc",
            "//evil.example/",
            "https://evil.example/",
            "<script>alert(1)</script>",
        ]
    ),
)
PARAMS = ["before", "kind", "page", "language", "team", "q", "status", "period", "start", "end", "next", "lang"]


@pytest.fixture
def world(db):
    team = TeamFactory()
    coordinator = make_user_with_role(Role.COORDINATOR, team=team)
    case = CaseFactory(team=team)
    return {"team": team, "coordinator": coordinator, "case": case}


def test_the_listed_hostile_values_answer_200(client, world):
    client.force_login(world["coordinator"])
    case_url = reverse("cases:detail", args=[world["case"].reference])
    for query in ("before=20261201000000000000-²", "before=²", "kind=%00", "kind=referral%00", "before=-"):
        assert client.get(f"{case_url}?{query}").status_code == 200, query
    interpreting = reverse("reports:list", args=["interpreting"])
    for query in ("language=²", "language=99999999999999999999", "language=%00", "language=-3"):
        assert client.get(f"{interpreting}?{query}").status_code == 200, query


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], derandomize=True)
@given(name=st.sampled_from(PARAMS), value=HOSTILE)
def test_random_query_values_never_give_a_server_error(client, world, name, value):
    client.force_login(world["coordinator"])
    for url in (
        reverse("cases:detail", args=[world["case"].reference]),
        reverse("cases:list"),
        reverse("cases:inbox"),
        reverse("cases:permanence_week"),
        reverse("reports:list", args=["interpreting"]),
        reverse("reports:list", args=["cases"]),
        reverse("reports:dashboard"),
    ):
        response = client.get(url, {name: value})
        assert response.status_code < 500, (url, name, value)


@pytest.mark.parametrize("target", ["abc", "//evil.example/x", "https://evil.example/", "javascript:alert(1)", "\x00"])
def test_a_foreign_or_bare_next_falls_back_after_the_action(client, world, target):
    request = SlotRequestFactory(referral__team=world["team"])
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("cases:permanence_request_decline", args=[request.code]), {"next": target, "reason": "Complet"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:permanence_requests")
    request.refresh_from_db()
    assert not request.is_pending


def test_a_path_of_the_site_is_kept_as_next(rf):
    request = rf.post("/x/", {"next": "/cases/?page=2"})
    assert safe_next(request, "/home/") == "/cases/?page=2"
    assert safe_next(rf.post("/x/", {"next": "//evil.example/"}), "/home/") == "/home/"


def test_ids_and_tokens_are_parsed_strictly():
    assert query_id("42") == 42
    assert query_id("²") is None and query_id("٣") is None
    assert query_id("9" * 19) is None and query_id("0") is None and query_id(None) is None
    assert query_token("referral", {"referral"}) == "referral"
    assert query_token("referral\x00", {"referral"}) == ""
