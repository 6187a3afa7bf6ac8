import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.persons.models import Person
from integrapsy.accounts.models import Team
from integrapsy.directory.models import Language
from integrapsy.fields import ref, user_ref


class RiskLevel(models.TextChoices):
    NONE = "none", _("None")
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    IMMINENT = "imminent", _("Imminent")


class ReferenceCounter(models.Model):
    """Per-year counters behind public references such as IP-2026-00042."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="referencecounter_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.value}"


class Case(models.Model):
    """A follow-up episode of a person by a team."""

    TEAM_PATH = "team"

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases", verbose_name=_("team"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    lead_psychologist = user_ref(_("lead psychologist"), optional=True, related_name="led_cases")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="member_cases",
        verbose_name=_("team members involved"),
    )
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.NONE)
    main_language = ref(Language, _("main language"), optional=True, on_delete=models.SET_NULL, related_name="+")
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=255, blank=True)
    shared_with = models.ManyToManyField(
        Team, through="CaseShare", related_name="shared_cases", verbose_name=_("shared with")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The person's names read together (first, last, alias, one per line) and their search keys
    # (" first last alias "), copied onto the case by the database itself (triggers of migration
    # 0013, on every write of a case or of a person's names) so that the case list's search reads
    # the team's cases alone. The app never writes them: what it writes is replaced.
    search_names = models.TextField(editable=False, default="")
    search_keys = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # A team's cases by status (the dashboard's count, from the index alone), and the list
            # filtered by status and risk level: a page of them, newest first, read in order.
            models.Index(
                fields=["team", "status", "risk_level", "-opened_on", "-id"], name="case_team_status_risk_list"
            ),
            models.Index(fields=["person", "team", "status"], name="case_person_team_status"),
            # The case list and the planner: a team's cases, newest first, one page at a time.
            models.Index(fields=["team", "-opened_on", "-id"], name="case_team_opened"),
            # The funder indicators: the persons of a team's cases active in a period, read from
            # the index alone (PostgreSQL; elsewhere a plain index).
            models.Index(fields=["team", "opened_on"], include=["closed_on", "person"], name="case_team_active"),
        ]
        constraints = [
            # One open follow-up per person and team: accepting a referral twice opens one case.
            models.UniqueConstraint(
                fields=["person", "team"],
                condition=~Q(status="closed"),
                name="case_one_open_per_person_and_team",
                violation_error_message=_("This person already has an open case in this team."),
            ),
            models.CheckConstraint(
                name="case_closed_has_date",
                condition=Q(status="closed", closed_on__isnull=False) | ~Q(status="closed"),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class CaseShare(models.Model):
    """A case shared with another team, with the person's consent to sharing."""

    TEAM_PATH = "team"  # the team the case is shared with

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    shared_at = models.DateTimeField(auto_now_add=True)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("case share")
        verbose_name_plural = _("case shares")
        constraints = [models.UniqueConstraint(fields=["case", "team"], name="caseshare_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.team_id}"


class CoordinationNote(models.Model):
    """A short, non-clinical note any team member of the case may write."""

    TEAM_PATH = "case__team"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="coordination_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("coordination note")
        verbose_name_plural = _("coordination notes")

    def __str__(self) -> str:
        return self.text[:50]
