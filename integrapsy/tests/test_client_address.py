"""The client's address behind the proxy: lockouts and the audit log use the trusted hop only."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.client_address import client_address

MALFORMED = ["unknown", "1.2.3.4:5555", "[::1]", "999.1.1.1", "", " ", "fe80::1%eth0", "01.2.3.4", "a" * 300]


def _address(forwarded=None, remote="127.0.0.1"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.mark.parametrize("value", MALFORMED)
def test_a_malformed_address_is_none(settings, value):
    settings.PROXY_COUNT = 1
    assert _address(forwarded=f"192.0.2.1, {value}") is None
    assert _address(remote=value) is None


def test_the_client_is_the_hop_the_last_trusted_proxy_appended(settings):
    settings.PROXY_COUNT = 1
    assert _address("203.0.113.66, 192.0.2.7") == "192.0.2.7"  # the left part is the client's own say
    assert _address(" 192.0.2.7 ") == "192.0.2.7"
    assert _address("2001:DB8::0:1") == "2001:db8::1"
    assert _address("::ffff:192.0.2.9") == "192.0.2.9"
    settings.PROXY_COUNT = 2
    assert _address("203.0.113.66, 192.0.2.7, 10.0.0.2") == "192.0.2.7"
    assert _address("10.0.0.2") is None  # fewer hops than proxies: nobody to trust
    settings.PROXY_COUNT = 0
    assert _address("192.0.2.7", remote="198.51.100.3") == "198.51.100.3"


def test_without_the_header_it_is_the_connection(settings):
    settings.PROXY_COUNT = 1
    assert _address(remote="198.51.100.3") == "198.51.100.3"
    assert client_address(None) is None


def _login(client, user, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": user.username, "password": password},
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_wrong_passwords_from_one_client_do_not_lock_out_another_behind_the_proxy(client, settings):
    settings.PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5
    user = make_user_with_role(Role.SOCIAL_WORKER)
    # Client A changes the part of the header it writes itself: it is still client A.
    statuses = [_login(client, user, "wrong", f"10.9.9.{i}, 192.0.2.10").status_code for i in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert _login(client, user, "secret-pass-123", "192.0.2.10").status_code == 429
    # Client B, same proxy (same REMOTE_ADDR), same username: not locked out.
    assert _login(client, user, "secret-pass-123", "203.0.113.20").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("forwarded", ["unknown", "1.2.3.4:5555", "[::1]", "999.1.1.1", "192.0.2.1, unknown", ""])
def test_a_malformed_forwarded_header_is_no_server_error(client, settings, forwarded):
    """On PostgreSQL the address goes to an ``inet`` column: a malformed one used to answer 500."""
    settings.PROXY_COUNT = 1
    user = make_user_with_role(Role.REFERRER)
    assert _login(client, user, "wrong", forwarded).status_code == 200
    assert AuditEvent.objects.get(action="user.login_failed").ip_address is None
    assert _login(client, user, "secret-pass-123", forwarded).status_code == 302
    assert AuditEvent.objects.get(action="user.login").ip_address is None


@pytest.mark.django_db
def test_the_audit_log_and_the_lockout_record_the_trusted_hop(client, settings):
    from axes.models import AccessAttempt

    settings.PROXY_COUNT = 1
    user = make_user_with_role(Role.COORDINATOR)
    _login(client, user, "wrong", "203.0.113.66, 192.0.2.7")
    assert AuditEvent.objects.get(action="user.login_failed").ip_address == "192.0.2.7"
    assert AccessAttempt.objects.get(username=user.username).ip_address == "192.0.2.7"
    _login(client, user, "secret-pass-123", "203.0.113.66, 192.0.2.7")
    assert AuditEvent.objects.get(action="user.login").ip_address == "192.0.2.7"
