from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.case_file.models import Case
from integrapsy.audit.models import AppendOnlyModel
from integrapsy.fields import user_ref


class Visibility(models.TextChoices):
    TEAM = "team", _("Team")
    CLINICAL = "clinical", _("Clinicians only")


class TimelineEvent(AppendOnlyModel):
    """One thing that happened on a case. Written only by ``cases.services.timeline_record``."""

    TEAM_PATH = "case__team"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="timeline_events")
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=60)
    actor = user_ref(_("by"), optional=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.TEAM)
    summary = models.CharField(_("summary"), max_length=255)
    data = models.JSONField(default=dict, blank=True)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        indexes = [
            models.Index(fields=["case", "-occurred_at", "-id"], name="timeline_case_time"),
            models.Index(fields=["case", "kind"], name="timeline_case_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.occurred_at:%Y-%m-%d}"
