"""Fixtures shared by every app's tests."""

import pytest

from integrapsy.accounts.tests.factories import make_user_with_role

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


@pytest.fixture
def role_users(db):
    """One user per role, in the same team (Hauts-de-France) or organisation."""
    from integrapsy.accounts.tests.factories import TeamFactory

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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
