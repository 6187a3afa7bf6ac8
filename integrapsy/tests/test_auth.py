import pytest
from django.urls import reverse

from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role
from integrapsy.audit.models import AuditEvent


@pytest.mark.django_db
def test_login_is_audited_and_applies_the_preferred_language(client):
    user = make_user_with_role(Role.COORDINATOR, language="nl")
    response = client.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "nl"
    assert AuditEvent.objects.filter(action="user.login", actor=user).count() == 1


@pytest.mark.django_db
def test_failed_login_is_audited_and_keeps_the_username(client):
    user = make_user_with_role(Role.COORDINATOR)
    response = client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{user.username}"' in html
    assert "alert-danger" in html
    event = AuditEvent.objects.get(action="user.login_failed")
    assert event.detail == user.username
    assert event.actor is None


@pytest.mark.django_db
def test_logout_is_audited(client):
    user = make_user_with_role(Role.PSYCHOLOGIST)
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="user.logout", actor=user).exists()


@pytest.mark.django_db
def test_switching_language_is_remembered_for_the_user(client):
    user = make_user_with_role(Role.SOCIAL_WORKER)
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "nl"
    assert "Welkom" in client.get("/").content.decode() or "Hallo" in client.get("/").content.decode()


@pytest.mark.django_db
def test_home_page_is_french_by_default(client):
    client.force_login(make_user_with_role(Role.COORDINATOR))
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html
    assert "Bonjour" in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_its_home_section(client, role):
    client.force_login(make_user_with_role(role))
    response = client.get("/")
    assert response.status_code == 200
    assert f'id="role-{role.value}"' in response.content.decode()


@pytest.mark.django_db
def test_a_language_chosen_on_the_login_page_becomes_the_preference(client):
    user = make_user_with_role(Role.REFERRER)
    client.cookies["django_language"] = "nl"
    client.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"})
    user.refresh_from_db()
    assert user.language == "nl"
