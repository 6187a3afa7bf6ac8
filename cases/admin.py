"""Read-only lists of permanences, bookings, slot requests and consultations for the administrator.

The team works in the app's own pages; these lists help the administrator answer a question
about the data. They name cases by reference, never persons, and show no clinical content
(a consultation's notes, problems, next steps and risk level stay out of the admin).
"""

from django.contrib import admin

from cases.models import Consultation, PermanenceBooking, PermanenceSession, SlotRequest
from integrapsy.admin import ReadOnlyAdmin


@admin.register(PermanenceSession)
class PermanenceSessionAdmin(ReadOnlyAdmin):
    list_display = ["date", "start_time", "end_time", "location", "team", "psychologist", "walk_in_places", "status"]
    list_select_related = ["location", "team", "psychologist"]
    list_filter = ["status", "team"]
    date_hierarchy = "date"
    fields = [
        "team",
        "location",
        "date",
        "start_time",
        "end_time",
        "slot_minutes",
        "walk_in_places",
        "psychologist",
        "ambassador",
        "interpreter",
        "interpreter_language",
        "status",
        "cancel_reason",
        "cancelled_at",
    ]


@admin.register(PermanenceBooking)
class PermanenceBookingAdmin(ReadOnlyAdmin):
    list_display = ["session", "slot", "case", "status", "interpreter_needed", "booked_at", "marked_at"]
    list_select_related = ["session", "session__location", "slot", "case"]
    list_filter = ["status", "session__team"]
    fields = [
        "session",
        "slot",
        "case",
        "status",
        "interpreter_needed",
        "interpreter_language",
        "booked_at",
        "marked_at",
        "cancelled_by_party",
    ]


@admin.register(SlotRequest)
class SlotRequestAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "referral", "slot", "team", "status", "decided_at"]
    list_select_related = ["referral", "slot", "team"]
    list_filter = ["status", "team"]
    fields = ["team", "referral", "slot", "status", "interpreter_needed", "requested_at", "decided_at", "booking"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "case", "psychologist", "kind", "mode", "duration_minutes", "status"]
    list_select_related = ["case", "psychologist"]
    list_filter = ["status", "kind", "mode"]
    date_hierarchy = "started_at"
    # No notes, presenting problems, next steps or risk level: clinical content is read in the app.
    fields = [
        "case",
        "psychologist",
        "status",
        "started_at",
        "duration_minutes",
        "mode",
        "kind",
        "interpreter_language",
        "signed_at",
    ]
