from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrapsy.fields import user_ref


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def delete(self):
        raise AppendOnlyError("Append-only records cannot be deleted.")

    def update(self, **kwargs):
        raise AppendOnlyError("Append-only records cannot be changed.")

    def redact_for_erasure(self, **fields) -> int:
        """Blank identifying text when the law requires erasure: the one exception to append-only."""
        return super().update(**fields)

    def purge_before(self, moment) -> int:
        """Drop records older than their retention period (audit log only, by ``apply_retention``)."""
        return super().filter(occurred_at__lt=moment)._raw_delete(self.db)


class AppendOnlyModel(models.Model):
    """A record that is written once: saving it again or deleting it raises."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError(f"{self._meta.verbose_name} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name} cannot be deleted.")


class AuditEvent(AppendOnlyModel):
    """Who did or read what, on which object, when and from where. Never changed, never deleted."""

    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = user_ref(_("who"), optional=True, on_delete=models.PROTECT)
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_ref = models.CharField(_("object"), max_length=64, blank=True)
    case_ref = models.CharField(_("case"), max_length=32, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["actor", "-occurred_at"], name="audit_actor_time")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"
