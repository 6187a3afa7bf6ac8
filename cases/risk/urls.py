"""Pages of the feature (URL names are those of the ``cases`` namespace)."""

from django.urls import path

from cases.risk import views

urlpatterns = [
    path("cases/<str:reference>/risk/assess/", views.risk_assess, name="risk_assess"),
    path(
        "risk-assessments/<uuid:code>/",
        views.risk_assessment_detail,
        name="risk_assessment_detail",
    ),
]
