import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.case_file.models import Case
from integrapsy.directory.models import Language
from integrapsy.fields import ref, user_ref


def localised(texts: dict | str | None) -> str:
    """A ``{"fr": ..., "en": ...}`` text of an instrument file in the active language."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    lang = (get_language() or "fr")[:2]
    return texts.get(lang) or texts.get("en") or texts.get("fr") or next(iter(texts.values()), "")


class Instrument(models.Model):
    """A questionnaire (PHQ-9, GAD-7...): its items, scale and scoring rule, stored as data.

    Loaded from a JSON file by ``manage.py load_instrument`` (format: cases/screenings/instruments/README.md).
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.SlugField(_("key"), max_length=30, help_text=_("e.g. phq9"))
    version = models.CharField(_("version"), max_length=20)
    name = models.CharField(_("name"), max_length=60)
    definition = models.JSONField(_("definition"))
    is_active = models.BooleanField(_("active"), default=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["name", "-loaded_at"]
        verbose_name = _("screening instrument")
        verbose_name_plural = _("screening instruments")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="instrument_unique_key_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def title(self) -> str:
        return localised(self.definition.get("title")) or self.name

    @property
    def items(self) -> list[dict]:
        return self.definition["items"]

    @property
    def scale(self) -> dict:
        return self.definition["scale"]

    @property
    def scoring(self) -> dict:
        return self.definition["scoring"]


class Screening(models.Model):
    """One administration of an instrument on a case: answers, total and band (clinical)."""

    TEAM_PATH = "case__team"

    # A screening is often given during a consultation: a nullable link to it will be added
    # here once consultations exist.

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (incomplete)")
        COMPLETED = "completed", _("Completed (scored)")

    class Mode(models.TextChoices):
        READ_ALOUD = "read_aloud", _("Read aloud to the person")
        SELF_COMPLETED = "self_completed", _("Self-completed")

    class HelperKind(models.TextChoices):
        NONE = "", _("Nobody")
        INTERPRETER = "interpreter", _("Interpreter")
        AMBASSADOR = "ambassador", _("Integration Ambassador")
        OTHER = "other", _("Someone else")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="screenings")
    instrument = ref(Instrument, _("questionnaire"), related_name="screenings")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    administered_on = models.DateField(_("administered on"))
    administered_by = user_ref(_("by"), on_delete=models.PROTECT)
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("language used"))
    mode = models.CharField(_("how"), max_length=20, choices=Mode.choices)
    helper_kind = models.CharField(
        _("helped by"), max_length=20, choices=HelperKind.choices, blank=True, default=HelperKind.NONE
    )
    helper = user_ref(_("interpreter or ambassador"), optional=True)
    helper_name = models.CharField(
        _("name of who helped"),
        max_length=120,
        blank=True,
        help_text=_("When they have no account here, e.g. an interpreter on the phone."),
    )
    # {"1": 2, "2": 0, ...}: item id -> value on the instrument's scale.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    total = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    band = models.CharField(_("band"), max_length=40, blank=True)
    # Extra results of the scoring rule, e.g. which PCL-5 clusters are met.
    result = models.JSONField(default=dict, blank=True)
    alert_raised = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-administered_on", "-id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        indexes = [models.Index(fields=["case", "status", "administered_on"], name="screening_case_status")]
        constraints = [
            models.CheckConstraint(
                name="screening_completed_has_total",
                condition=Q(status="draft") | Q(total__isnull=False, completed_at__isnull=False),
            ),
            models.CheckConstraint(name="screening_mode_valid", condition=Q(mode__in=["read_aloud", "self_completed"])),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.administered_on}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def helper_display(self) -> str:
        who = str(self.helper) if self.helper_id else self.helper_name
        if not self.helper_kind:
            return who
        label = self.get_helper_kind_display()
        return f"{label} ({who})" if who else str(label)
