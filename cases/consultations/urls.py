"""Pages of the feature (URL names are those of the ``cases`` namespace)."""

from django.urls import path

from cases.consultations import views

urlpatterns = [
    # Consultations and risk (clinicians of the case's team only)
    path(
        "cases/<str:reference>/consultations/",
        views.consultation_list,
        name="consultation_list",
    ),
    path(
        "cases/<str:reference>/consultations/new/",
        views.consultation_new,
        name="consultation_new",
    ),
    path("consultations/<uuid:code>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<uuid:code>/edit/", views.consultation_edit, name="consultation_edit"),
    path("consultations/<uuid:code>/sign/", views.consultation_sign, name="consultation_sign"),
    path(
        "consultations/<uuid:code>/addendum/",
        views.consultation_addendum,
        name="consultation_addendum",
    ),
]
