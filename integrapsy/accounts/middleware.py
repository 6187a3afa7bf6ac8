import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from integrapsy import access

# Pages a signed-in user may reach before the second factor: to give it, or to leave.
_EXEMPT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/i18n/", "/healthz", "/static/")


class TwoFactorRequiredMiddleware:
    """Roles that reach health data must confirm a TOTP code after their password."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.OTP_REQUIRED
            and user.is_authenticated
            and access.requires_two_factor(user)
            and not user.is_verified()
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


# Pages a user asked to change their password may reach before: to change it, or those above.
_PASSWORD_CHANGE_EXEMPT_PREFIXES = ("/accounts/password_change/", *_EXEMPT_PREFIXES)


class PasswordChangeRequiredMiddleware:
    """An account an administrator created changes its password before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(_PASSWORD_CHANGE_EXEMPT_PREFIXES)
        ):
            return redirect("password_change")
        return self.get_response(request)


# The session's last refresh, in seconds since the epoch, kept in the session itself.
_REFRESHED_KEY = "_refreshed"


class SessionRefreshMiddleware:
    """Keep a session alive while it is used: an idle timeout without a write on every request.

    The session expires ``SESSION_COOKIE_AGE`` after it was last saved. Saving it on every
    request (``SESSION_SAVE_EVERY_REQUEST``) costs a database write per page; here it is saved
    when ``SESSION_REFRESH_SECONDS`` have passed since the last save, so the idle timeout holds
    to within that margin. A negative interval turns the refresh off (the test settings do, so
    that a page's query count does not depend on the clock).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if settings.SESSION_REFRESH_SECONDS < 0:
            return response
        # ``session_key`` does not load the session: a visitor without one costs nothing.
        if session is not None and session.session_key and not session.modified:
            now = int(time.time())
            try:
                refreshed = int(session.get(_REFRESHED_KEY, 0))
            except (TypeError, ValueError):
                refreshed = 0
            if now - refreshed >= settings.SESSION_REFRESH_SECONDS:
                session[_REFRESHED_KEY] = now
        return response


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user are never stored by the browser or a proxy.

    They carry personal (often health) data: the back button on a shared computer, or a cache
    on the way, must not show them to the next person. Static files are answered before this
    (WhiteNoise), with their long cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
