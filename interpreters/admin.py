from django.contrib import admin

from integrapsy.admin import ReadOnlyAdmin
from interpreters.models import BookingWithdrawal, Interpreter, InterpreterBooking, InterpreterLanguage, Unavailability


class InterpreterLanguageInline(admin.TabularInline):
    model = InterpreterLanguage
    extra = 1
    autocomplete_fields = ["language"]


class UnavailabilityInline(admin.TabularInline):
    model = Unavailability
    extra = 0


@admin.register(Interpreter)
class InterpreterAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "service",
        "gender",
        "offers_on_site",
        "offers_phone",
        "offers_video",
        "is_active",
    ]
    list_filter = ["service", "is_active", "gender"]
    search_fields = ["user__first_name", "user__last_name", "user__username"]
    raw_id_fields = ["user"]
    filter_horizontal = ["territories"]
    inlines = [InterpreterLanguageInline, UnavailabilityInline]


class BookingWithdrawalInline(admin.TabularInline):
    """Read-only, as the booking."""

    model = BookingWithdrawal
    extra = 0
    fields = ["withdrawn_at", "interpreter", "reason", "late"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InterpreterBooking)
class InterpreterBookingAdmin(ReadOnlyAdmin):
    """Read-only: bookings change through the app, so every step reaches the timeline."""

    list_display = ["starts_at", "language", "mode", "status", "interpreter", "team"]
    list_filter = ["status", "mode", "team"]
    date_hierarchy = "starts_at"
    inlines = [BookingWithdrawalInline]
