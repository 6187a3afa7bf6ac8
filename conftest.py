"""Fixtures shared by every app's tests."""

import pytest
from django.utils import translation

from cases.tests.factories import CaseFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and other cached values start from nothing in every test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def in_english():
    """For tests that read the messages: they run in English (the interface defaults to French).

    A module asks for it with ``pytestmark = pytest.mark.usefixtures("in_english")``.
    """
    with translation.override("en"):
        yield


# The defaults for tests that need a team, its staff and a case; a test module or a feature's
# conftest may define its own (a ``team`` defined there is the one these fixtures use).
@pytest.fixture
def team(db):
    return TeamFactory(name="IntegraPsy Hauts-de-France")


@pytest.fixture
def coordinator(team):
    return make_user_with_role(Role.COORDINATOR, team=team)


@pytest.fixture
def psychologist(team):
    return make_user_with_role(Role.PSYCHOLOGIST, team=team)


@pytest.fixture
def social_worker(team):
    return make_user_with_role(Role.SOCIAL_WORKER, team=team)


@pytest.fixture
def case(team):
    return CaseFactory(team=team)


@pytest.fixture
def role_users(db):
    """One user per role, in the same team (Hauts-de-France) or organisation."""
    team = TeamFactory(name="Équipe test")
    return {role: make_user_with_role(role, team=team) for role in ROLE_NAMES}


ROLE_NAMES = [
    "admin",
    "coordinator",
    "psychologist",
    "social_worker",
    "ambassador",
    "interpreter",
    "referrer",
]


@pytest.fixture(scope="session", autouse=True)
def _patient_browser_assertions():
    """On a busy 2-core machine a page may take more than Playwright's default 5 s to answer."""
    try:
        from playwright.sync_api import expect
    except ImportError:  # browser tests are not installed
        return
    expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` run only on PostgreSQL: on SQLite they are deselected, not skipped."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    keep = [item for item in items if item.get_closest_marker("postgres") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.fixture
def catalogue():
    """``catalogue(msgid, fr=..., nl=...)`` adds translations to the loaded catalogues for one test.

    The project's ``.po`` files are merged later: a test that shows a page "in French" adds the
    French of the strings it checks, then reads the page.
    """
    from django.utils.translation import trans_real

    missing = object()
    added = []

    def add(msgid: str, *, context: str = "", **texts: str) -> None:
        key = f"{context}\x04{msgid}" if context else msgid
        for language, text in texts.items():
            first = trans_real.translation(language)._catalog._catalogs[0]
            added.append((first, key, first.get(key, missing)))
            first[key] = text

    yield add
    for first, key, before in reversed(added):
        if before is missing:
            first.pop(key, None)
        else:
            first[key] = before
