import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_check(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _run_check({"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_it_starts_without_secret_key_in_debug():
    result = _run_check({"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    result = _run_check(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-and-random-enough-production-secret-key-9f8e7d",
            "DJANGO_ALLOWED_HOSTS": "integrapsy.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_defaults(settings):
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "nl", "en"]


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-and-random-enough-production-secret-key-9f8e7d",
    "DJANGO_ALLOWED_HOSTS": "integrapsy.example.org",
}


def _settings_in(env_overrides: dict[str, str], *names: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "integrapsy.settings", **env_overrides})
    code = f"from django.conf import settings; print(*[repr(getattr(settings, n)) for n in {names!r}])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_language_cookie_is_as_protected_as_the_session_cookie_in_production():
    names = ("LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_SAMESITE", "SESSION_COOKIE_SECURE")
    assert _settings_in(PRODUCTION, *names) == ["True", "'Lax'", "True"]
    assert _settings_in({"DJANGO_DEBUG": "1"}, *names) == ["False", "'Lax'", "False"]


def test_the_language_cookie_is_sent_over_https_only_when_secure(client, db, settings):
    from django.urls import reverse

    from integrapsy.accounts.models import Role
    from integrapsy.accounts.tests.factories import make_user_with_role

    settings.LANGUAGE_COOKIE_SECURE = True
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] is True and cookie["samesite"] == "Lax"
    # The login sets it to the user's own language, with the same flags.
    user = make_user_with_role(Role.COORDINATOR, language="en")
    client.cookies.clear()
    response = client.post(reverse("login"), {"username": user.username, "password": "secret-pass-123"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and cookie["secure"] is True and cookie["samesite"] == "Lax"
