import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.case_file.models import Case, RiskLevel
from cases.permanences.models import PermanenceBooking
from integrapsy.directory.models import Language, Location
from integrapsy.fields import ref, user_ref


class Consultation(models.Model):
    """A psychologist's consultation with a person: confidential notes, signed like a medical record."""

    TEAM_PATH = "case__team"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video")

    class Kind(models.TextChoices):
        FIRST_ASSESSMENT = "first_assessment", _("First assessment")
        FOLLOW_UP = "follow_up", _("Follow-up")
        CRISIS = "crisis", _("Crisis")
        FAMILY = "family", _("Family")
        GROUP = "group", _("Group")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consultations")
    psychologist = user_ref(_("psychologist"), on_delete=models.PROTECT, related_name="consultations")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=45)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    place = ref(Location, _("place"), optional=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FOLLOW_UP)
    interpreter = user_ref(_("interpreter present"), optional=True)
    interpreter_language = ref(Language, _("interpreting language"), optional=True, related_name="+")
    ambassador = user_ref(_("ambassador present"), optional=True)
    social_worker = user_ref(_("social worker present"), optional=True)
    notes = models.TextField(_("notes"), max_length=20000, blank=True)
    presenting_problems = models.JSONField(_("presenting problems"), default=list, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=5000, blank=True)
    risk_level = models.CharField(_("suicide risk assessed"), max_length=10, choices=RiskLevel.choices, blank=True)
    booking = models.OneToOneField(
        PermanenceBooking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation",
        verbose_name=_("permanence slot"),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [models.Index(fields=["case", "-started_at"], name="consultation_case_time")]
        constraints = [
            models.CheckConstraint(
                name="consultation_signed_has_date",
                condition=Q(status="draft", signed_at__isnull=True) | Q(status="signed", signed_at__isnull=False),
            ),
            models.CheckConstraint(
                name="consultation_duration_positive",
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=600),
                violation_error_message=_("The duration must be between 1 and 600 minutes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.started_at:%Y-%m-%d}"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED


class ConsultationAddendum(models.Model):
    """What a psychologist adds to a signed consultation: never an edit, always an addition."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("addendum"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.created_at:%Y-%m-%d}"
