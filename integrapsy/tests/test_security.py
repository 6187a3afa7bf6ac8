import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role
from integrapsy.audit.models import AuditEvent


def _login(client, user, password="secret-pass-123"):
    return client.post(reverse("login"), {"username": user.username, "password": password})


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_with_a_clear_message(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = make_user_with_role(Role.SOCIAL_WORKER)
    for _ in range(2):
        assert _login(client, user, "wrong").status_code == 200
    response = _login(client, user, "wrong")
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    # Even the right password is refused while locked.
    assert _login(client, user).status_code == 429
    from axes.utils import reset

    reset(username=user.username)  # what the admin's unlock does
    assert _login(client, user).status_code == 302


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
@pytest.mark.parametrize(
    ("role", "needs_2fa"),
    [
        (Role.ADMIN, True),
        (Role.COORDINATOR, True),
        (Role.PSYCHOLOGIST, True),
        (Role.SOCIAL_WORKER, True),
        (Role.REFERRER, False),
        (Role.INTERPRETER, False),
        (Role.AMBASSADOR, False),
    ],
)
def test_two_factor_is_required_for_roles_reaching_health_data(client, role, needs_2fa):
    user = make_user_with_role(role)
    _login(client, user)
    response = client.get("/")
    if needs_2fa:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor"))
    else:
        assert response.status_code == 200


def test_the_second_factor_follows_who_reads_health_data():
    from integrapsy import access

    reads_health_data = {role for role, (health_data, _scope) in access.DATA_ACCESS.items() if health_data}
    assert reads_health_data == access.TWO_FACTOR_ROLES
    assert Role.SOCIAL_WORKER in access.TWO_FACTOR_ROLES
    assert not access.TWO_FACTOR_ROLES & {Role.AMBASSADOR, Role.INTERPRETER, Role.REFERRER}


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
def test_enrolment_with_a_qr_code_then_verification(client):
    user = make_user_with_role(Role.PSYCHOLOGIST)
    _login(client, user)
    page = client.get(reverse("two_factor"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    bad = client.post(reverse("two_factor"), {"token": "000000", "next": "/"})
    assert bad.status_code == 400 and "token" in bad.context["form"].errors
    device.refresh_from_db()
    device.throttle_reset()  # wrong codes slow the next try down by seconds; skip the wait
    good = client.post(reverse("two_factor"), {"token": f"{totp(device.bin_key):06d}", "next": "/cases/"})
    assert good.status_code == 302 and good["Location"] == "/cases/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="user.two_factor_enrolled", actor=user).exists()


@pytest.mark.django_db
@override_settings(OTP_REQUIRED=True)
@pytest.mark.parametrize("next_url", ["https://evil.example/", "abc"], ids=["offsite", "bare"])
def test_two_factor_goes_home_instead_of_an_offsite_or_bare_next(client, next_url):
    user = make_user_with_role(Role.COORDINATOR)
    device = TOTPDevice.objects.create(user=user, name="x", confirmed=True)
    _login(client, user)
    response = client.post(reverse("two_factor"), {"token": f"{totp(device.bin_key):06d}", "next": next_url})
    assert response.status_code == 302 and response["Location"] == reverse("home")


@pytest.mark.django_db
def test_security_headers(client):
    client.force_login(make_user_with_role(Role.COORDINATOR))
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_in_templates():
    """CSP forbids inline scripts: templates load scripts from files only."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
            offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
        if re.search(r"\son(click|load|change|submit)=", text):
            offenders.append(f"{path.relative_to(root)}: inline event handler")
    assert not offenders, offenders


@pytest.mark.django_db
def test_session_expires_after_inactivity(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def _session_expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.mark.django_db
def test_a_session_in_use_is_kept_alive_without_a_write_on_every_request(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SESSION_REFRESH_SECONDS = 60  # as in production (the test settings turn it off)
    user = make_user_with_role(Role.SOCIAL_WORKER)
    assert _login(client, user).status_code == 302
    client.get(reverse("home"))  # the first page after logging in refreshes the session
    first = _session_expiry(client)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in queries.captured_queries if "UPDATE" in q["sql"] and "django_session" in q["sql"]]
    assert _session_expiry(client) == first
    # Once the refresh interval has passed, the next request pushes the expiry back.
    settings.SESSION_REFRESH_SECONDS = 0
    client.get(reverse("home"))
    assert _session_expiry(client) > first


@pytest.mark.django_db
def test_an_idle_session_ends(client, settings):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    user = make_user_with_role(Role.SOCIAL_WORKER)
    _login(client, user)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=timezone.now())
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.django_db
def test_pages_of_a_signed_in_user_are_never_stored(client):
    client.force_login(make_user_with_role(Role.COORDINATOR))
    for url in (reverse("home"), reverse("cases:list"), reverse("password_change")):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


@pytest.mark.django_db
def test_static_files_keep_their_cache_for_everybody(client, settings):
    from django.test import Client

    settings.WHITENOISE_USE_FINDERS = True  # serve static/ as in debug mode, without collectstatic
    anonymous = Client().get("/static/css/app.css")
    client.force_login(make_user_with_role(Role.COORDINATOR))
    signed_in = client.get("/static/css/app.css")
    for response in (anonymous, signed_in):
        assert response.status_code == 200
        assert "no-store" not in response["Cache-Control"]
        assert "max-age=" in response["Cache-Control"] and "public" in response["Cache-Control"]
