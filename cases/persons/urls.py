"""Pages of the feature (URL names are those of the ``cases`` namespace)."""

from django.urls import path

from cases.persons import views

urlpatterns = [
    path("persons/new/", views.person_new, name="person_new"),
    path("persons/nationalities/", views.nationalities_unresolved, name="nationalities_unresolved"),
    path("persons/<uuid:code>/nationality/", views.nationality_resolve, name="nationality_resolve"),
    path("persons/<uuid:code>/", views.person_detail, name="person_detail"),
    path("persons/<uuid:code>/edit/", views.person_edit, name="person_edit"),
    path("persons/<uuid:code>/consent/", views.consent_add, name="consent_add"),
    path("persons/<uuid:code>/access-log/", views.person_access_log, name="person_access_log"),
    path("persons/<uuid:code>/merge/", views.person_merge, name="person_merge"),
]
