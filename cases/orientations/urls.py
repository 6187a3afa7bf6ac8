"""Pages of the feature (URL names are those of the ``cases`` namespace)."""

from django.urls import path

from cases.orientations import directory_views, views

urlpatterns = [
    # Orientations to specialised resources, and the directory of resources
    path("cases/<str:reference>/orient/", views.orientation_new, name="orientation_new"),
    path("orientations/to-follow-up/", views.orientation_todo, name="orientation_todo"),
    path("orientations/<uuid:code>/", views.orientation_detail, name="orientation_detail"),
    path(
        "orientations/<uuid:code>/outcome/",
        views.orientation_outcome,
        name="orientation_outcome",
    ),
    path("directory/", directory_views.resource_list, name="resource_list"),
    path("directory/new/", directory_views.resource_new, name="resource_new"),
    path("directory/<uuid:code>/edit/", directory_views.resource_edit, name="resource_edit"),
]
