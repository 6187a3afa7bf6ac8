from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from integrapsy.accounts.demo import DEMO_USERS
from integrapsy.accounts.models import Role, User
from integrapsy.directory.models import Language

PROJECT_APPS = ("accounts", "directory", "cases", "interpreters", "ambassadors")


def _login(client, username: str, password: str) -> bool:
    """Sign in through the login page, as a person would (and as django-axes requires)."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in PROJECT_APPS}


@pytest.mark.django_db
def test_it_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    # Every demo login exists once (apps may add further fictional users, e.g. more ambassadors).
    assert User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).count() == len(DEMO_USERS)


@pytest.mark.django_db
def test_demo_logins_work(settings, client):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    for username, *_ in DEMO_USERS:
        assert username in out.getvalue()
        assert _login(client, username, "integrapsy"), username
        assert client.get("/").status_code == 200
        client.logout()
    assert User.objects.get(username="referrer").memberships.get().organisation.name == "CAES Croisilles"
    assert User.objects.get(username="psychologist_be").memberships.get().team.name == "IntegraPsy Wallonie picarde"
    assert User.objects.get(username="admin").memberships.get().role == Role.ADMIN


@pytest.mark.django_db
def test_it_seeds_at_least_twenty_languages_with_varieties(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert Language.objects.count() >= 20
    assert Language.objects.filter(code="ara", variety="Sudanese").exists()


@pytest.mark.django_db
def test_it_uses_demo_password_from_settings(settings, client):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "another-demo-pass"
    call_command("seed_demo", stdout=StringIO())
    assert _login(client, "coordinator", "another-demo-pass")


@pytest.mark.django_db
def test_it_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", "--force", stdout=StringIO())
    assert User.objects.filter(username="coordinator").exists()
