from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A form submission already processed, kept so that sending it again answers the first result.

    Only what the answer was is kept (a status and where it redirected), never what was typed:
    the form's data stays with the service that stored it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=64)
    url = models.CharField(_("URL"), max_length=2000)
    status = models.PositiveSmallIntegerField(_("status"))
    location = models.CharField(_("redirected to"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="offline_idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.key} {self.url} {self.status}"
