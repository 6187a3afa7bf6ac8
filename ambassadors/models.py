"""Integration Ambassadors: profiles, assignments to cases, contacts and hours, training."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from integrapsy.accounts.models import Team
from integrapsy.directory.models import Language, Location
from integrapsy.fields import ref, user_ref

# Longest contact an ambassador may log at once: a full day of accompaniment.
MAX_CONTACT_MINUTES = 12 * 60


class Gender(models.TextChoices):
    FEMALE = "F", _("Woman")
    MALE = "M", _("Man")
    OTHER = "X", _("Other / not stated")


class Slot(models.TextChoices):
    """Half-days of the week an ambassador is usually available."""

    MON_AM = "mon_am", _("Monday morning")
    MON_PM = "mon_pm", _("Monday afternoon")
    TUE_AM = "tue_am", _("Tuesday morning")
    TUE_PM = "tue_pm", _("Tuesday afternoon")
    WED_AM = "wed_am", _("Wednesday morning")
    WED_PM = "wed_pm", _("Wednesday afternoon")
    THU_AM = "thu_am", _("Thursday morning")
    THU_PM = "thu_pm", _("Thursday afternoon")
    FRI_AM = "fri_am", _("Friday morning")
    FRI_PM = "fri_pm", _("Friday afternoon")
    SAT_AM = "sat_am", _("Saturday morning")
    SAT_PM = "sat_pm", _("Saturday afternoon")


class Ambassador(models.Model):
    """A user with the ambassador role, as colleagues and the planner know them."""

    TEAM_PATH = "team"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ambassador_profile", verbose_name=_("user")
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="ambassadors", verbose_name=_("team"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default=Gender.OTHER)
    languages = models.ManyToManyField(
        Language, through="AmbassadorLanguage", related_name="ambassadors", verbose_name=_("languages")
    )
    territories = models.ManyToManyField(
        Location,
        blank=True,
        related_name="ambassadors",
        verbose_name=_("territories"),
        help_text=_("The places where the ambassador usually goes."),
    )
    availability = models.JSONField(
        _("weekly availability"), default=list, blank=True, help_text=_("Half-days usually available.")
    )
    max_active_assignments = models.PositiveSmallIntegerField(_("maximum active assignments"), default=4)
    started_on = models.DateField(_("start date"))
    presentation = models.TextField(
        _("short presentation"),
        max_length=1000,
        blank=True,
        help_text=_("Shown to colleagues: background, what they like to do. Nothing private."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("integration ambassador")
        verbose_name_plural = _("integration ambassadors")
        constraints = [
            models.CheckConstraint(
                name="ambassador_max_assignments_positive",
                condition=Q(max_active_assignments__gte=1, max_active_assignments__lte=30),
                violation_error_message=_("The maximum must be between 1 and 30 active assignments."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def name(self) -> str:
        return str(self.user)

    @property
    def availability_labels(self) -> str:
        return ", ".join(str(label) for value, label in Slot.choices if value in (self.availability or []))


class AmbassadorLanguage(models.Model):
    class Level(models.TextChoices):
        NATIVE = "native", _("Mother tongue")
        FLUENT = "fluent", _("Fluent")
        WORKING = "working", _("Working knowledge")
        BASIC = "basic", _("Basic")

    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="ambassador_languages")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("language"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.FLUENT)

    class Meta:
        ordering = ["language__name_en", "language__variety"]
        verbose_name = _("language spoken")
        verbose_name_plural = _("languages spoken")
        constraints = [
            models.UniqueConstraint(fields=["ambassador", "language"], name="ambassadorlanguage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_level_display()})"


class Assignment(models.Model):
    """An ambassador's work with the person of a case, proposed by a coordinator."""

    TEAM_PATH = "case__team"

    class Role(models.TextChoices):
        PEER_SUPPORT = "peer_support", _("Peer support")
        MEDIATION = "mediation", _("Mediation")
        ACCOMPANIMENT = "accompaniment", _("Accompaniment to an appointment")
        LANGUAGE_SUPPORT = "language_support", _("Language support in a consultation or group")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    class EndReason(models.TextChoices):
        COMPLETED = "completed", _("Support completed")
        DECLINED = "declined", _("Declined by the ambassador")
        PERSON_LEFT = "person_left", _("The person moved or left")
        CASE_CLOSED = "case_closed", _("Case closed")
        REPLACED = "replaced", _("Another ambassador took over")
        OTHER = "other", _("Other")

    OPEN_STATUSES = (Status.PROPOSED, Status.ACCEPTED, Status.ACTIVE)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ambassador = ref(Ambassador, _("ambassador"), related_name="assignments")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ambassador_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PEER_SUPPORT)
    starts_on = models.DateField(_("start"))
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    over_limit_reason = models.CharField(
        _("reason for going beyond the maximum"),
        max_length=255,
        blank=True,
    )
    proposed_by = user_ref(_("proposed by"), null=True)
    proposed_at = models.DateTimeField(_("proposed at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("note on the end"), max_length=255, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [
            models.Index(fields=["ambassador", "status"], name="assignment_ambassador_status"),
            models.Index(fields=["case", "status"], name="assignment_case_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ambassador", "case"],
                condition=~Q(status="ended"),
                name="assignment_one_open_per_ambassador_and_case",
                violation_error_message=_("This ambassador is already assigned to this case."),
            ),
            models.CheckConstraint(
                name="assignment_status_valid",
                condition=Q(status__in=["accepted", "active", "ended", "proposed"]),
            ),
            models.CheckConstraint(
                name="assignment_planned_end_after_start",
                condition=Q(planned_end_on__isnull=True) | Q(planned_end_on__gte=models.F("starts_on")),
                violation_error_message=_("The planned end cannot be before the start."),
            ),
            models.CheckConstraint(
                name="assignment_ended_has_reason",
                condition=~Q(status="ended") | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ambassador_id} → {self.case_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Contact(models.Model):
    """A contact the ambassador had with the person, with its duration; never clinical."""

    TEAM_PATH = "assignment__case__team"

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        PHONE = "phone", _("Phone call")
        ACCOMPANIMENT = "accompaniment", _("Accompaniment")
        GROUP = "group", _("Group activity")
        CONSULTATION_SUPPORT = "consultation_support", _("Support in a consultation")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="contacts")
    occurred_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    kind = models.CharField(_("kind"), max_length=25, choices=Kind.choices, default=Kind.VISIT)
    note = models.CharField(
        _("short note"),
        max_length=500,
        blank=True,
        help_text=_("Practical and non-clinical: what was done, what is next. Nothing the person confided."),
    )
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    logged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("ambassador contact")
        verbose_name_plural = _("ambassador contacts")
        indexes = [models.Index(fields=["assignment", "-occurred_on"], name="contact_assignment_date")]
        constraints = [
            models.CheckConstraint(
                name="contact_duration_within_a_day",
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_CONTACT_MINUTES),
                violation_error_message=_("A contact lasts between 1 minute and 12 hours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.occurred_on} {self.duration_minutes} min"


# --- Training programme -----------------------------------------------------------------


# The modules of the ambassadors' training programme, stored under their English title and
# description: each reader sees them in their language. A module an administrator adds with
# another title, or a description rewritten, shows as it was typed.
PROGRAMME_MODULES: dict[str, str] = {
    gettext_noop("Intercultural mediation"): gettext_noop("The role of a third party, the stance to take, its limits."),
    gettext_noop("First-line psychological support"): gettext_noop(
        "Listening, reassuring, spotting distress and handing over."
    ),
    gettext_noop("Access to rights"): gettext_noop("Asylum, residence, social protection: whom to turn to."),
    gettext_noop("Care pathways"): gettext_noop("Doctor, PASS, CMP, emergencies: going with the person towards care."),
    gettext_noop("Citizenship of refugees"): gettext_noop("Local life, associations, taking part."),
    gettext_noop("Taking care of yourself"): gettext_noop("Recognising your own fatigue; spaces to talk."),
}


class TrainingModule(models.Model):
    """A module of the ambassadors' training programme."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    hours = models.PositiveSmallIntegerField(_("planned hours"), default=0)
    required_for_certificate = models.BooleanField(_("required for the certificate"), default=True)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The title in the reader's language (a module of the programme) or as typed."""
        return gettext(self.title) if self.title in PROGRAMME_MODULES else self.title

    @property
    def description_label(self) -> str:
        if self.description and PROGRAMME_MODULES.get(self.title) == self.description:
            return gettext(self.description)
        return self.description


class TrainingSession(models.Model):
    TEAM_PATH = "team"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    module = ref(TrainingModule, _("module"), related_name="sessions")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    trainer = models.CharField(_("trainer"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                name="trainingsession_duration_within_a_day",
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=MAX_CONTACT_MINUTES),
                violation_error_message=_("A session lasts between 15 minutes and 12 hours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module} {self.starts_at:%Y-%m-%d}"


class TrainingAttendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="training_attendances")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "ambassador"], name="trainingattendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.ambassador_id} @ {self.session_id}"


class ModuleCompletion(models.Model):
    ambassador = models.ForeignKey(Ambassador, on_delete=models.CASCADE, related_name="module_completions")
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField(_("completed on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("module completed")
        verbose_name_plural = _("modules completed")
        constraints = [
            models.UniqueConstraint(fields=["ambassador", "module"], name="modulecompletion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.ambassador_id} ✓ {self.module_id}"


# --- Language-support planner rules -----------------------------------------------------


class SupportActivity(models.TextChoices):
    """What the language support is for."""

    FIRST_ASSESSMENT = "first_assessment", _("First assessment")
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
    CONSULTATION = "consultation", _("Follow-up consultation")
    PERMANENCE = "permanence", _("Drop-in (permanence)")
    GROUP = "group", _("Group activity")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment to an appointment")


class Requirement(models.TextChoices):
    INTERPRETER = "interpreter", _("A professional interpreter is required")
    EITHER = "either", _("An ambassador may suffice")


class LanguageSupportRule(models.Model):
    """A team's own rule: for this activity, is a professional interpreter required?"""

    TEAM_PATH = "team"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="language_support_rules")
    activity = models.CharField(_("activity"), max_length=20, choices=SupportActivity.choices)
    requirement = models.CharField(_("who may support"), max_length=12, choices=Requirement.choices)
    explanation = models.CharField(_("why"), max_length=255, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team", "activity"]
        verbose_name = _("language-support rule")
        verbose_name_plural = _("language-support rules")
        constraints = [
            models.UniqueConstraint(fields=["team", "activity"], name="languagesupportrule_unique"),
            models.CheckConstraint(
                name="languagesupportrule_requirement_valid",
                condition=Q(requirement__in=["either", "interpreter"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.activity}: {self.requirement}"
