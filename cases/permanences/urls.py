"""Pages of the feature (URL names are those of the ``cases`` namespace)."""

from django.urls import path

from cases.permanences import views

urlpatterns = [
    # Permanences and slots
    path("permanences/", views.permanence_week, name="permanence_week"),
    path("permanences/new/", views.permanence_new, name="permanence_new"),
    path("permanences/<uuid:code>/", views.permanence_detail, name="permanence_detail"),
    path("permanences/<uuid:code>/sheet/", views.permanence_sheet, name="permanence_sheet"),
    path("permanences/<uuid:code>/attendance/", views.permanence_attendance, name="permanence_attendance"),
    path("permanences/<uuid:code>/cancel/", views.permanence_cancel, name="permanence_cancel"),
    path("permanences/<uuid:code>/walk-in/", views.permanence_walk_in, name="permanence_walk_in"),
    path("slots/<uuid:code>/book/", views.slot_book, name="slot_book"),
    path("bookings/<uuid:code>/attendance/", views.booking_attendance, name="booking_attendance"),
    path("cases/<str:reference>/book/", views.case_book, name="case_book"),
    # Slots asked for by referrers, answered by the team's coordinators
    path(
        "referrals/mine/<uuid:code>/slot/",
        views.referral_slot_request,
        name="referral_status_slot",
    ),
    path("permanences/requests/", views.slot_request_list, name="permanence_requests"),
    path(
        "permanences/requests/<uuid:code>/confirm/",
        views.slot_request_confirm,
        name="permanence_request_confirm",
    ),
    path(
        "permanences/requests/<uuid:code>/decline/",
        views.slot_request_decline,
        name="permanence_request_decline",
    ),
]
