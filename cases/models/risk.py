from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case


class RiskFlag(models.Model):
    """A suicide-risk alert on a case, open until a psychologist acknowledges it."""

    class Source(models.TextChoices):
        REFERRAL = "referral", _("Referral")
        CONSULTATION = "consultation", _("Consultation")
        SCREENING = "screening", _("Screening")
        RISK_LEVEL = "risk_level", _("Risk level set to high")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="risk_flags")
    source = models.CharField(_("raised by"), max_length=20, choices=Source.choices)
    reason = models.CharField(_("reason"), max_length=255)
    raised_at = models.DateTimeField(_("raised at"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("risk flag")
        verbose_name_plural = _("risk flags")
        constraints = [
            # At most one open flag per case: a new alarm while one is open joins it.
            models.UniqueConstraint(
                fields=["case"], condition=Q(acknowledged_at__isnull=True), name="riskflag_one_open_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.raised_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None
