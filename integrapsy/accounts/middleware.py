import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from integrapsy import access

# Pages a signed-in user may reach before the second factor: to give it, or to leave.
_EXEMPT_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/i18n/", "/healthz", "/static/")


class _StepFirstMiddleware:
    """A signed-in user who has a step to take first (``must_first``) is sent to it (``to_step``)
    from any page but those the step needs (``exempt_prefixes``)."""

    exempt_prefixes = _EXEMPT_PREFIXES

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and self.must_first(user) and not request.path.startswith(self.exempt_prefixes):
            return self.to_step(request)
        return self.get_response(request)

    def must_first(self, user) -> bool:
        raise NotImplementedError

    def to_step(self, request):
        raise NotImplementedError


class TwoFactorRequiredMiddleware(_StepFirstMiddleware):
    """Roles that reach health data must confirm a TOTP code after their password."""

    def must_first(self, user) -> bool:
        return settings.OTP_REQUIRED and access.requires_two_factor(user) and not user.is_verified()

    def to_step(self, request):
        return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")


class PasswordChangeRequiredMiddleware(_StepFirstMiddleware):
    """An account an administrator created changes its password before anything else."""

    # To change it, or the pages above.
    exempt_prefixes = ("/accounts/password_change/", *_EXEMPT_PREFIXES)

    def must_first(self, user) -> bool:
        return user.must_change_password

    def to_step(self, request):
        return redirect("password_change")


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
