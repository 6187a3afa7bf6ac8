"""Pages of the feature (URL names are those of the ``cases`` namespace)."""

from django.urls import path

from cases.gdpr import views

urlpatterns = [
    path("gdpr/persons/", views.gdpr_persons, name="gdpr_persons"),
    path("gdpr/persons/<uuid:code>/", views.gdpr_subject_access, name="gdpr_subject_access"),
    path("gdpr/persons/<uuid:code>/export.json", views.gdpr_subject_access_json, name="gdpr_subject_access_json"),
    path("gdpr/persons/<uuid:code>/anonymise/", views.gdpr_anonymise, name="gdpr_anonymise"),
]
