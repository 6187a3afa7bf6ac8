from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from integrapsy import views
from integrapsy.accounts import views as account_views
from integrapsy.offline import views as offline_views

admin.site.site_header = "IntegraPsy"
admin.site.site_title = "IntegraPsy"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # At the root: a service worker controls the pages under the folder it is served from.
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
    path("", include("integrapsy.offline.urls")),
    path("gdpr/staff-categories/", views.staff_categories, name="staff_categories"),
    path("gdpr/retention/", views.retention_schedule, name="retention_schedule"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", account_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password_reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/2fa/", account_views.two_factor, name="two_factor"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("audit/", include("integrapsy.audit.urls")),
    path("reports/", include("integrapsy.reports.urls")),
    path("messages/", include("integrapsy.notifications.urls")),
    path("", include("cases.urls")),
    path("", include("interpreters.urls")),
    path("", include("ambassadors.urls")),
]
