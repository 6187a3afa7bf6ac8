from django.urls import path

from interpreters import views

app_name = "interpreters"

urlpatterns = [
    path("bookings/", views.booking_list, name="booking_list"),
    path("bookings/new/", views.booking_new, name="booking_new"),
    path("bookings/<uuid:code>/", views.booking_detail, name="booking_detail"),
    path("bookings/<uuid:code>/match/", views.booking_match, name="booking_match"),
    path("bookings/<uuid:code>/offer/", views.booking_offer, name="booking_offer"),
    path("bookings/<uuid:code>/confirm/", views.booking_confirm, name="booking_confirm"),
    path("bookings/<uuid:code>/complete/", views.booking_complete, name="booking_complete"),
    path("bookings/<uuid:code>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<uuid:code>/no-show/", views.booking_no_show, name="booking_no_show"),
    path("my-bookings/", views.my_bookings, name="my_bookings"),
    path("my-bookings/<uuid:code>/", views.my_booking_detail, name="my_booking_detail"),
    path("my-bookings/<uuid:code>/accept/", views.my_booking_accept, name="my_booking_accept"),
    path("my-bookings/<uuid:code>/decline/", views.my_booking_decline, name="my_booking_decline"),
    path("my-bookings/<uuid:code>/withdraw/", views.my_booking_withdraw, name="my_booking_withdraw"),
    path("my-bookings/<uuid:code>/complete/", views.my_booking_complete, name="my_booking_complete"),
    path("my-bookings/<uuid:code>/booking.ics", views.my_booking_ics, name="my_booking_ics"),
    path("my-calendar/", views.my_calendar, name="my_calendar"),
    path("my-calendar/reset/", views.my_calendar_reset, name="my_calendar_reset"),
    path("my-calendar/unavailability/", views.my_unavailability_add, name="my_unavailability_add"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("timesheet/", views.timesheet, name="timesheet"),
    path("timesheet/export/", views.timesheet_export, name="timesheet_export"),
]
