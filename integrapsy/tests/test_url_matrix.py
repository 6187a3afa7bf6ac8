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
    return {"users": role_users}


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
