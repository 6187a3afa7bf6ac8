from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "integrapsy.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from datetime import datetime, time

        from django.utils import timezone

        from integrapsy.audit.models import AuditEvent
        from integrapsy.gdpr import RetentionRule, register_retention_rule

        def purge(cutoff, dry_run):
            moment = timezone.make_aware(datetime.combine(cutoff, time.min))
            count = AuditEvent.objects.filter(occurred_at__lt=moment).count()
            if count and not dry_run:
                AuditEvent.objects.purge_before(moment)
            return [f"audit log: {count} events older than {cutoff}"] if count else []

        register_retention_rule(
            RetentionRule("audit_log", _("Audit log (kept at least 6 months)"), 2, purge, minimum_years=0.5, bulk=True)
        )
