import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.case_file.models import Case
from integrapsy.directory.models import Resource
from integrapsy.fields import ref

# An orientation without an outcome this many days after it was proposed is on the to-do list.
ORIENTATION_OVERDUE_DAYS = 30


class OrientationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SENT = "sent", _("Sent to the service")
    APPOINTMENT_MADE = "appointment_made", _("Appointment made")
    ATTENDED = "attended", _("Attended")
    REFUSED_BY_PERSON = "refused_by_person", _("Refused by the person")
    REFUSED_BY_SERVICE = "refused_by_service", _("Refused by the service")
    NO_ANSWER = "no_answer", _("No answer")


# Statuses that are not yet an outcome: the orientation waits for news.
WAITING_STATUSES = [OrientationStatus.PROPOSED, OrientationStatus.SENT]


class Orientation(models.Model):
    """The needs assessment sends the person to a specialised resource of the directory."""

    TEAM_PATH = "case__team"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="orientations")
    resource = ref(Resource, _("resource"), related_name="orientations")
    reason = models.CharField(
        _("reason"),
        max_length=255,
        help_text=_("A short, non-clinical summary: the team and the service may read it."),
    )
    consent_to_share = models.BooleanField(
        _("the person agrees that we share information with the service"), default=False
    )
    what_was_sent = models.CharField(
        _("what was sent"),
        max_length=255,
        blank=True,
        help_text=_("e.g. orientation letter, phone call, summary of the needs assessment."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrientationStatus.choices, default=OrientationStatus.PROPOSED
    )
    proposed_on = models.DateField(_("proposed on"))
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    appointment_on = models.DateField(_("appointment on"), null=True, blank=True)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    refusal_reason = models.CharField(_("why the service refused"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-proposed_on", "-id"]
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        indexes = [models.Index(fields=["status", "proposed_on"], name="orientation_status_proposed")]
        constraints = [
            models.CheckConstraint(
                name="orientation_sent_after_proposed",
                condition=Q(sent_on__isnull=True) | Q(sent_on__gte=models.F("proposed_on")),
            ),
            models.CheckConstraint(
                name="orientation_sent_needs_consent",
                condition=Q(sent_on__isnull=True) | Q(consent_to_share=True),
            ),
            models.CheckConstraint(
                name="orientation_appointment_has_date",
                condition=~Q(status="appointment_made") | Q(appointment_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.resource_id}"

    @property
    def is_waiting(self) -> bool:
        return self.status in WAITING_STATUSES


class OrientationOutcome(models.Model):
    """One step of an orientation's history (append-only)."""

    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="outcomes")
    status = models.CharField(_("status"), max_length=20, choices=OrientationStatus.choices)
    on = models.DateField(_("date"))
    appointment_on = models.DateField(_("appointment on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "recorded_at"]
        verbose_name = _("orientation outcome")
        verbose_name_plural = _("orientation outcomes")

    def __str__(self) -> str:
        return f"{self.orientation_id} {self.status} {self.on}"
