from django.contrib import admin

from integrapsy.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "template", "address", "status", "attempts", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("address", "template")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
