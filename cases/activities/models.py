import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.case_file.models import Case
from integrapsy.accounts.models import Team
from integrapsy.directory.models import Language, Location
from integrapsy.fields import ref


class GroupActivity(models.Model):
    """A collective therapeutic activity: once or a series of sessions, for a limited group."""

    TEAM_PATH = "team"

    class Kind(models.TextChoices):
        TALK_GROUP = "talk_group", _("Talk group")
        ART_THERAPY = "art_therapy", _("Art therapy")
        SPORT = "sport", _("Sport")
        PSYCHOEDUCATION = "psychoeducation", _("Psychoeducation")
        WOMENS_GROUP = "womens_group", _("Women's group")
        PARENTS_GROUP = "parents_group", _("Parents' group")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="group_activities", verbose_name=_("team"))
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    location = ref(Location, _("location"), optional=True, related_name="group_activities")
    place = models.CharField(
        _("place details"), max_length=200, blank=True, help_text=_("Room, address or meeting point.")
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_activities",
        verbose_name=_("facilitators"),
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), help_text=_("Number of participants."))
    languages = models.ManyToManyField(Language, blank=True, related_name="+", verbose_name=_("languages"))
    interpreter_needs = models.CharField(
        _("interpreter needs"),
        max_length=255,
        blank=True,
        help_text=_("e.g. a Tigrinya interpreter at every session."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("group activity")
        verbose_name_plural = _("group activities")
        constraints = [
            models.CheckConstraint(name="groupactivity_capacity_positive", condition=Q(capacity__gte=1)),
            models.UniqueConstraint(fields=["team", "title"], name="groupactivity_unique_title_per_team"),
        ]

    def __str__(self) -> str:
        return self.title


class ActivitySession(models.Model):
    """One meeting of a group activity."""

    TEAM_PATH = "activity__team"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(GroupActivity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["activity", "starts_at"], name="activitysession_unique_start"),
            models.CheckConstraint(name="activitysession_duration_positive", condition=Q(duration_minutes__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.starts_at:%Y-%m-%d %H:%M}"


class Enrolment(models.Model):
    """A person (through their case) in a group activity, or on its waiting list."""

    TEAM_PATH = "activity__team"

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITING = "waiting", _("On the waiting list")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(GroupActivity, on_delete=models.CASCADE, related_name="enrolments")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("case"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    enrolled_at = models.DateTimeField(_("since"))
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["enrolled_at", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["activity", "case"], name="enrolment_unique_case_per_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.case_id} {self.status}"


class Attendance(models.Model):
    """Whether an enrolled person came to one session."""

    TEAM_PATH = "session__activity__team"

    session = models.ForeignKey(ActivitySession, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_unique_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.enrolment_id} {self.present}"
