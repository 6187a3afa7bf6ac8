"""Password reset by email, and the password change asked of accounts an administrator created."""

import re
from io import StringIO
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from integrapsy.accounts.models import Role, User
from integrapsy.accounts.tests.factories import make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.notifications.models import OutboxMessage
from integrapsy.notifications.testing import deliver_pending

pytestmark = pytest.mark.django_db


def _ask_reset(client, email):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def _reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)


def test_the_login_page_links_to_the_password_reset(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in html
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200
    assert '<html lang="fr">' in page.content.decode() and "Mot de passe oublié" in page.content.decode()


def test_known_and_unknown_addresses_get_the_same_answer(client):
    user = make_user_with_role(Role.SOCIAL_WORKER, email="julien@example.org")
    known = _ask_reset(client, "Julien@Example.org")
    unknown = _ask_reset(client, "nobody@example.org")
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("password_reset_done"), 302)]
    csrf = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
    assert csrf.sub(b"", known.content) == csrf.sub(b"", unknown.content)
    deliver_pending()
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_the_reset_email_goes_through_the_account_email_function_in_the_users_language(client):
    make_user_with_role(Role.INTERPRETER, email="yonas@example.org", language="nl")
    with mock.patch("integrapsy.accounts.forms.send_account_email") as send:
        _ask_reset(client, "yonas@example.org")
    assert send.call_count == 1
    kwargs = send.call_args.kwargs
    assert kwargs["to"] == "yonas@example.org"
    assert kwargs["subject"] == "IntegraPsy: kies een nieuw wachtwoord"
    assert "/accounts/reset/" in kwargs["body"]


def test_a_mail_server_failure_is_not_hidden(client):
    make_user_with_role(Role.REFERRER, email="sophie@example.org")
    response = _ask_reset(client, "sophie@example.org")
    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]  # the page answers at once
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=SMTPException("down")):
        deliver_pending()
    message = OutboxMessage.objects.get(address="sophie@example.org")
    assert message.status == OutboxMessage.Status.PENDING and "down" in message.last_error
    assert not mail.outbox


def test_the_emailed_link_sets_a_new_password_once(client):
    user = make_user_with_role(Role.COORDINATOR, email="claire@example.org", must_change_password=True)
    _ask_reset(client, user.email)
    deliver_pending()
    link = _reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "Une-phrase-longue-42", "new_password2": "Une-phrase-longue-42"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Une-phrase-longue-42")
    assert not user.must_change_password  # the user chose it: nothing more to change
    assert AuditEvent.objects.filter(action="user.password_reset", actor=user).exists()
    # The link was used: it does not work a second time.
    again = client.get(link, follow=True)
    assert again.status_code == 200 and not again.context["validlink"]
    assert (
        client.post(reverse("login"), {"username": user.username, "password": "Une-phrase-longue-42"}).status_code
        == 302
    )


def test_a_user_an_administrator_creates_must_change_the_password_first(client):
    client.force_login(make_user_with_role(Role.ADMIN))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nouvelle",
            "usable_password": "true",
            "password1": "Mot-de-passe-provisoire-7",
            "password2": "Mot-de-passe-provisoire-7",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="nouvelle").must_change_password


def test_until_changed_every_page_leads_to_the_password_change(client):
    user = make_user_with_role(Role.PSYCHOLOGIST, must_change_password=True)
    response = client.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"}, follow=True)
    assert response.redirect_chain[-1] == (reverse("password_change"), 302)
    assert "choisissez votre propre mot de passe" in response.content.decode()
    for url in (reverse("home"), reverse("cases:list"), reverse("password_reset")):
        assert client.get(url)["Location"] == reverse("password_change"), url
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "secret-pass-123",
            "new_password1": "Ma-propre-phrase-31",
            "new_password2": "Ma-propre-phrase-31",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert not user.must_change_password
    assert AuditEvent.objects.filter(action="user.password_changed", actor=user).exists()
    assert client.get(reverse("home")).status_code == 200


def test_the_forced_change_lets_the_user_leave(client):
    client.force_login(make_user_with_role(Role.REFERRER, must_change_password=True))
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_demo_accounts_are_not_asked_to_change_their_password(client, settings):
    from integrapsy.accounts import demo

    demo.seed(stdout=StringIO())
    User.objects.filter(username="coordinator").update(must_change_password=True)
    demo.seed(stdout=StringIO())  # seed_demo again puts the demo accounts back as they were
    assert not User.objects.filter(username__in=[u[0] for u in demo.DEMO_USERS], must_change_password=True).exists()
    response = client.post(reverse("login"), {"username": "coordinator", "password": settings.DEMO_PASSWORD})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
