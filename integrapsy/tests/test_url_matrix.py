"""Every URL of the project × every role (and anonymous): the expected status of a GET.

A URL that exists but is missing here fails ``test_every_url_is_in_the_matrix``: add each
new URL with the status every role must get (404, never 403, for rows outside a scope).
"""

from collections.abc import Callable

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import ROLE_NAMES

ANON = "anonymous"
ROLES = [ANON, *ROLE_NAMES]
LOGIN = 302  # anonymous users are sent to the login page


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Expected status per role: ``default`` for every signed-in role, anonymous → login."""
    statuses = dict.fromkeys(ROLE_NAMES, default)
    statuses[ANON] = LOGIN
    statuses.update(overrides)
    return statuses


STAFF_200 = {"coordinator": 200, "psychologist": 200, "social_worker": 200}


def CASE(w):  # noqa: N802
    return {"reference": w["case"].reference}


def PERSON(w):  # noqa: N802
    return {"code": w["case"].person.code}


def REFERRAL(w):  # noqa: N802
    return {"code": w["referral"].code}


def SCREENING(w):  # noqa: N802
    return {"reference": w["case"].reference, "code": w["screening"].code}


def CODE(key):  # noqa: N802
    return lambda w: {"code": w[key].code}


PSYCHOLOGIST_200 = {"psychologist": 200}
ACTIVITY_MANAGERS_200 = {"coordinator": 200, "psychologist": 200}


# url name -> (kwargs builder from the ``world`` fixture, or None; expected status per role)
MATRIX: dict[str, tuple[Callable | None, dict[str, int]]] = {
    "home": (None, expect(200)),
    "healthz": (None, expect(200, anonymous=200)),
    "login": (None, expect(302, anonymous=200)),  # signed-in users go on to their home page
    "logout": (None, expect(405)),  # POST only
    "password_change": (None, expect(200)),
    "password_change_done": (None, expect(200)),
    "set_language": (None, expect(405, anonymous=405)),  # POST only, also on the login page
    # Django's admin: staff only; others are sent to the admin's own login page.
    "admin:index": (None, expect(302, admin=200)),
    # Cases, persons and referrals
    "cases:list": (None, expect(404, **STAFF_200)),
    "cases:detail": (CASE, expect(404, **STAFF_200)),
    "cases:note_add": (CASE, expect(405)),
    "cases:update": (CASE, expect(404, **STAFF_200)),
    "cases:close": (CASE, expect(404, **STAFF_200)),
    "cases:share": (CASE, expect(404, **STAFF_200)),
    "cases:person_detail": (PERSON, expect(404, **STAFF_200)),
    "cases:person_edit": (PERSON, expect(404, **STAFF_200)),
    "cases:consent_add": (PERSON, expect(404, **STAFF_200)),
    "cases:person_merge": (PERSON, expect(404, coordinator=200)),
    "cases:referral_new": (None, expect(404, referrer=200)),
    "cases:referral_mine": (None, expect(404, referrer=200)),
    "cases:referral_status": (REFERRAL, expect(404, referrer=200)),
    "cases:referral_answer": (REFERRAL, expect(405)),
    "cases:inbox": (None, expect(404, **STAFF_200)),
    "cases:referral_detail": (REFERRAL, expect(404, **STAFF_200)),
    "cases:referral_accept": (REFERRAL, expect(405)),
    "cases:referral_decline": (REFERRAL, expect(405)),
    "cases:referral_ask": (REFERRAL, expect(405)),
    "cases:referral_take": (REFERRAL, expect(405)),
    "cases:referral_first_contact": (REFERRAL, expect(405)),
    # Screening questionnaires: clinical, for the psychologists of the case's team only
    "cases:screening_list": (CASE, expect(404, **PSYCHOLOGIST_200)),
    "cases:screening_new": (
        lambda w: {"reference": w["case"].reference, "instrument": "phq9"},
        expect(404, **PSYCHOLOGIST_200),
    ),
    "cases:screening_detail": (SCREENING, expect(404, **PSYCHOLOGIST_200)),
    "cases:screening_edit": (
        lambda w: {"reference": w["case"].reference, "code": w["draft_screening"].code},
        expect(404, **PSYCHOLOGIST_200),
    ),
    # Orientations and the directory of resources
    "cases:orientation_new": (CASE, expect(404, **STAFF_200)),
    "cases:orientation_todo": (None, expect(404, coordinator=200)),
    "cases:orientation_detail": (CODE("orientation"), expect(404, **STAFF_200)),
    "cases:orientation_outcome": (CODE("orientation"), expect(404, **STAFF_200)),
    "cases:resource_list": (None, expect(404, **STAFF_200)),
    "cases:resource_new": (None, expect(404, coordinator=200)),
    "cases:resource_edit": (CODE("resource"), expect(404, coordinator=200)),
    # Collective therapeutic activities
    "cases:activity_list": (None, expect(404, **STAFF_200)),
    "cases:activity_new": (None, expect(404, **ACTIVITY_MANAGERS_200)),
    "cases:activity_detail": (CODE("activity"), expect(404, **STAFF_200)),
    "cases:activity_enrol": (CODE("activity"), expect(404, **STAFF_200)),
    "cases:activity_session_add": (CODE("activity"), expect(404, **ACTIVITY_MANAGERS_200)),
    "cases:activity_withdraw": (CODE("enrolment"), expect(405)),
    "cases:activity_attendance": (CODE("session"), expect(404, **STAFF_200)),
}

# The same pages for rows of another team or organisation: 404 for every role.
OUTSIDE_SCOPE: dict[str, Callable] = {
    "cases:detail": lambda w: {"reference": w["other_case"].reference},
    "cases:update": lambda w: {"reference": w["other_case"].reference},
    "cases:person_detail": lambda w: {"code": w["other_case"].person.code},
    "cases:referral_detail": lambda w: {"code": w["other_referral"].code},
    "cases:referral_status": lambda w: {"code": w["other_referral"].code},
    "cases:screening_list": lambda w: {"reference": w["other_case"].reference},
    "cases:screening_new": lambda w: {"reference": w["other_case"].reference, "instrument": "phq9"},
    "cases:screening_detail": lambda w: {
        "reference": w["other_case"].reference,
        "code": w["other_screening"].code,
    },
    # A screening reached through another case's reference is not found either.
    "cases:screening_edit": lambda w: {
        "reference": w["other_case"].reference,
        "code": w["draft_screening"].code,
    },
    "cases:orientation_new": lambda w: {"reference": w["other_case"].reference},
    "cases:orientation_detail": lambda w: {"code": w["other_orientation"].code},
    "cases:orientation_outcome": lambda w: {"code": w["other_orientation"].code},
    "cases:activity_detail": lambda w: {"code": w["other_activity"].code},
    "cases:activity_enrol": lambda w: {"code": w["other_activity"].code},
    "cases:activity_session_add": lambda w: {"code": w["other_activity"].code},
    "cases:activity_attendance": lambda w: {"code": w["other_session"].code},
}

# Django admin pages are covered by admin:index and Django's own permission checks.
EXCLUDED_NAMESPACES = ("admin",)


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def project_url_names() -> set[str]:
    names = set(_walk(get_resolver().url_patterns))
    return {n for n in names if not n.startswith(tuple(f"{ns}:" for ns in EXCLUDED_NAMESPACES))}


def test_every_url_is_in_the_matrix():
    missing = project_url_names() - set(MATRIX) - {"admin:index"}
    assert not missing, f"URLs missing from the role × URL matrix: {sorted(missing)}"
    stale = set(MATRIX) - project_url_names() - {"admin:index"}
    assert not stale, f"Matrix lists URLs that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(role_users):
    """Objects the parametrised URLs point at; features add theirs here."""
    from cases.tests.factories import CaseFactory, ReferralFactory
    from cases.tests.factories_screenings import screenings_world
    from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory

    team = role_users["coordinator"].memberships.get().team
    referrer_org = role_users["referrer"].organisation
    other_team = TeamFactory(name="Autre équipe")
    world = {
        "users": role_users,
        "case": CaseFactory(team=team),
        "referral": ReferralFactory(
            team=team, organisation=referrer_org, submitted_by=role_users["referrer"]
        ),
        "other_case": CaseFactory(team=other_team),
        "other_referral": ReferralFactory(
            team=other_team, organisation=OrganisationFactory(name="Autre centre")
        ),
    }
    world.update(screenings_world(world))
    return world


CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_role_url_matrix(client, world, url_name, role):
    kwargs_builder, statuses = MATRIX[url_name]
    kwargs = kwargs_builder(world) if kwargs_builder else {}
    if role != ANON:
        client.force_login(world["users"][role])
    response = client.get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == statuses[role], (
        f"{url_name} as {role}: got {response.status_code}, expected {statuses[role]}"
    )
    if role == ANON and statuses[role] == LOGIN and url_name != "admin:index":
        assert response["Location"].startswith(reverse("login"))


OUTSIDE = [(name, role) for name in OUTSIDE_SCOPE for role in ROLE_NAMES]


@pytest.mark.parametrize(("url_name", "role"), OUTSIDE, ids=[f"{n}-{r}" for n, r in OUTSIDE])
def test_rows_outside_the_scope_answer_404(client, world, url_name, role):
    client.force_login(world["users"][role])
    response = client.get(reverse(url_name, kwargs=OUTSIDE_SCOPE[url_name](world)))
    assert response.status_code == 404
