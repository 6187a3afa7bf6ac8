from base64 import b32encode

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import check_for_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from integrapsy.accounts.forms import PasswordResetForm
from integrapsy.accounts.services import (
    totp_device_for_enrolment,
    totp_verify,
    user_password_changed,
    user_set_language,
)
from integrapsy.audit.services import audit_record
from integrapsy.forms import posted, submit
from integrapsy.params import safe_next


class LoginView(auth_views.LoginView):
    """Django's login, plus the audit trail and the user's preferred language."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        audit_record(action="user.login", actor=user, request=self.request)
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen and chosen != user.language and check_for_language(chosen):
            # A language picked on the login page wins and becomes the user's preference.
            user_set_language(user=user, language=chosen, request=self.request)
        elif user.language and check_for_language(user.language):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    def form_invalid(self, form):
        username = (self.request.POST.get("username") or "")[:150]
        audit_record(action="user.login_failed", request=self.request, detail=username)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit_record(action="user.logout", actor=request.user, request=request)
        response = super().post(request, *args, **kwargs)
        # The browser wipes what it keeps for the app (the offline queue, its key, the pages kept
        # for use without network), even if the page's own script could not.
        response["Clear-Site-Data"] = '"storage"'
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; it also ends the change asked of a new account."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "must_change": self.request.user.must_change_password}

    def form_valid(self, form):
        response = super().form_valid(form)
        user_password_changed(user=form.user, request=self.request, how="changed")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """A link to choose a new password, sent by email; the same answer for any address."""

    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        user_password_changed(user=form.user, request=self.request, how="reset")
        return response


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; signed-in users keep it as their preference."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language):
        user_set_language(user=request.user, language=language, request=request)
    return response


WRONG_CODE = _("This code is not valid. Check the time of your phone and try the newest code in a few seconds.")


class TwoFactorForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _qr_svg(uri: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Give the second factor; the first time, enrol an authenticator app with a QR code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # A path of this site only: "abc" would be read as a URL name and fail after the code was checked.
    next_url = safe_next(request, "")
    enrolled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()

    def verify(token):
        if not totp_verify(user=request.user, token=token, request=request):
            raise ValidationError({"token": WRONG_CODE})

    def page() -> dict:
        context = {"enrolled": enrolled, "next": next_url}
        if not enrolled:
            device = totp_device_for_enrolment(user=request.user)
            context["qr_svg"] = _qr_svg(device.config_url)
            context["secret"] = b32encode(device.bin_key).decode()
        return context

    return submit(
        request,
        TwoFactorForm(posted(request)),
        verify,
        success=[],
        then=next_url or "home",
        template="registration/two_factor.html",
        context=page,
    )
