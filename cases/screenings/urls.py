"""Pages of the feature (URL names are those of the ``cases`` namespace)."""

from django.urls import path

from cases.screenings import views

urlpatterns = [
    # Screening questionnaires (clinical)
    path("cases/<str:reference>/screenings/", views.screening_list, name="screening_list"),
    path(
        "cases/<str:reference>/screenings/new/<slug:instrument>/",
        views.screening_new,
        name="screening_new",
    ),
    path(
        "cases/<str:reference>/screenings/<uuid:code>/",
        views.screening_detail,
        name="screening_detail",
    ),
    path(
        "cases/<str:reference>/screenings/<uuid:code>/edit/",
        views.screening_edit,
        name="screening_edit",
    ),
]
