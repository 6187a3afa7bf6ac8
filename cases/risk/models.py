import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.case_file.models import Case, RiskLevel


class RiskFlag(models.Model):
    """A suicide-risk alert on a case, open until a psychologist acknowledges it."""

    TEAM_PATH = "case__team"

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


class RiskAssessment(models.Model):
    """A psychologist's assessment of suicide risk; it acknowledges the open flag, if any."""

    TEAM_PATH = "case__team"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="risk_assessments")
    flag = models.OneToOneField(RiskFlag, on_delete=models.PROTECT, null=True, blank=True, related_name="assessment")
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    factors = models.TextField(_("risk and protective factors"), max_length=5000)
    actions_taken = models.TextField(_("actions taken"), max_length=5000)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("assessed at"))

    class Meta:
        ordering = ["-assessed_at", "-id"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")

    def __str__(self) -> str:
        return f"{self.case_id} {self.level} {self.assessed_at:%Y-%m-%d}"


class SafetyPlan(models.Model):
    """The Stanley–Brown safety plan written with the person, in their words."""

    STEPS = (
        "warning_signs",
        "coping_strategies",
        "people_and_places",
        "people_to_ask",
        "professionals",
        "safe_environment",
    )

    assessment = models.OneToOneField(RiskAssessment, on_delete=models.PROTECT, related_name="safety_plan")
    warning_signs = models.TextField(_("1. Warning signs"), max_length=2000, blank=True)
    coping_strategies = models.TextField(_("2. Own ways of coping"), max_length=2000, blank=True)
    people_and_places = models.TextField(
        _("3. People and places that take the mind off things"), max_length=2000, blank=True
    )
    people_to_ask = models.TextField(_("4. People to ask for help"), max_length=2000, blank=True)
    professionals = models.TextField(_("5. Professionals and crisis lines to call"), max_length=2000, blank=True)
    safe_environment = models.TextField(_("6. Making the environment safe"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")

    def __str__(self) -> str:
        return f"{self.assessment_id}"

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, step).strip() for step in self.STEPS)
