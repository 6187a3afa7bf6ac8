from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from integrapsy.accounts.services import user_set_language
from integrapsy.audit.services import audit_record


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
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
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
        return super().post(request, *args, **kwargs)


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; signed-in users keep it as their preference."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language):
        user_set_language(user=request.user, language=language, request=request)
    return response
