from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

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
