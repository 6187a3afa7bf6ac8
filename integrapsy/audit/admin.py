from django.contrib import admin

from integrapsy.admin import ReadOnlyAdmin
from integrapsy.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
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
