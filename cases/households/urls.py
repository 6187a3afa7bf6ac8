"""Pages of the feature (URL names are those of the ``cases`` namespace)."""

from django.urls import path

from cases.households import views

urlpatterns = [
    path("persons/<uuid:code>/household/add/", views.household_add, name="household_add"),
    path("persons/<uuid:code>/household/remove/", views.household_remove, name="household_remove"),
]
