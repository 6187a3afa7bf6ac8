"""Pages of the feature (URL names are those of the ``cases`` namespace)."""

from django.urls import path

from cases.activities import views

urlpatterns = [
    # Collective therapeutic activities
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<uuid:code>/", views.activity_detail, name="activity_detail"),
    path("activities/<uuid:code>/enrol/", views.activity_enrol, name="activity_enrol"),
    path("activities/<uuid:code>/sessions/new/", views.session_add, name="activity_session_add"),
    path(
        "activities/enrolments/<uuid:code>/withdraw/",
        views.enrolment_withdraw,
        name="activity_withdraw",
    ),
    path(
        "activities/sessions/<uuid:code>/attendance/",
        views.session_attendance,
        name="activity_attendance",
    ),
]
