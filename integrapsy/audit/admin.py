from django.contrib import admin

from integrapsy.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = [
        "occurred_at",
        "actor_username",
        "action",
        "object_type",
        "object_ref",
        "case_ref",
        "ip_address",
    ]
    list_filter = ["action"]
    search_fields = ["actor_username", "object_ref", "case_ref", "detail"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
