import uuid
from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from cases.case_file.models import Case
from cases.persons.models import Person
from integrapsy.accounts.models import Team
from integrapsy.directory.models import Language
from integrapsy.fields import ref, user_ref


class TextContact(models.Model):
    """How a person may be reached by text: their mobile number and the language they read."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="text_contact")
    mobile = PhoneNumberField(_("mobile number"), blank=True)
    reads_language = ref(Language, _("reads texts in"), optional=True, related_name="+")
    does_not_read = models.BooleanField(_("does not read texts"), default=False)
    # When no text exists in the language they read, French is sent only to those who read it.
    reads_french = models.BooleanField(_("also reads French"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("text contact")
        verbose_name_plural = _("text contacts")
        constraints = [
            models.CheckConstraint(
                name="textcontact_reads_or_not",
                condition=Q(does_not_read=False) | Q(reads_language__isnull=True),
                violation_error_message=_("Choose a language or “does not read texts”, not both."),
            ),
        ]
        indexes = [models.Index(fields=["mobile"], name="textcontact_mobile")]

    def __str__(self) -> str:
        return str(self.mobile)


class ReminderSettings(models.Model):
    """A team's choices: which appointments get reminders, when, outside which hours, from which name."""

    TEAM_PATH = "team"

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="reminder_settings")
    sender_name = models.CharField(
        _("sender name"),
        max_length=11,
        default="RDV info",
        help_text=_("Up to 11 letters or digits, shown as the sender. Keep it neutral: it is read by others."),
    )
    permanence_reminders = models.BooleanField(_("remind permanence appointments"), default=True)
    interpreter_reminders = models.BooleanField(_("remind appointments with an interpreter"), default=True)
    first_hours = models.PositiveSmallIntegerField(_("first reminder, hours before"), default=48)
    second_hours = models.PositiveSmallIntegerField(
        _("second reminder, hours before"), default=2, help_text=_("0: no second reminder.")
    )
    quiet_from = models.TimeField(_("no texts from"), default=time(21))
    quiet_until = models.TimeField(_("no texts until"), default=time(8))

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(
                name="remindersettings_first_before_second",
                condition=Q(first_hours__gt=models.F("second_hours")),
                violation_error_message=_("The first reminder comes before the second."),
            ),
            models.CheckConstraint(
                name="remindersettings_first_hours_range",
                condition=Q(first_hours__gte=1, first_hours__lte=168),
                violation_error_message=_("The first reminder is sent between 1 and 168 hours before."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}: {self.sender_name}"


class TextKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    MOVED = "moved", _("Appointment moved")
    CANCELLED = "cancelled", _("Appointment cancelled")


class ReminderTemplate(models.Model):
    """A team's text for one kind of message in one language (ISO 639-3), replacing the shipped one."""

    TEAM_PATH = "team"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="reminder_templates")
    language_code = models.CharField(_("language (ISO 639-3)"), max_length=3)
    kind = models.CharField(_("message"), max_length=10, choices=TextKind.choices)
    text = models.TextField(_("text"), max_length=480)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["language_code", "kind"]
        verbose_name = _("text template")
        verbose_name_plural = _("text templates")
        constraints = [
            models.UniqueConstraint(fields=["team", "language_code", "kind"], name="remindertemplate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.language_code} {self.kind}"


class Reminder(models.Model):
    """One text (or one call) about one appointment: scheduled, then sent, replaced by a call, or dropped.

    The job that schedules them writes at most one row per appointment, kind and appointment
    time (``reminder_unique``), so it may run again and again.
    """

    class Kind(models.TextChoices):
        FIRST = "first", _("First reminder")
        SECOND = "second", _("Second reminder")
        MOVED = "moved", _("Appointment moved")
        CANCELLED = "cancelled", _("Appointment cancelled")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        QUEUED = "queued", _("Text sent to the outbox")
        TO_CALL = "to_call", _("To call")
        CALLED = "called", _("Called")
        NOT_REACHED = "not_reached", _("Called, not reached")
        DROPPED = "dropped", _("Not sent")

    class Why(models.TextChoices):
        NONE = "", "—"
        NO_CONSENT = "no_consent", _("no consent to text reminders")
        NO_NUMBER = "no_number", _("no mobile number")
        DOES_NOT_READ = "does_not_read", _("does not read texts")
        NO_TEMPLATE = "no_template", _("no text in the language they read")
        APPOINTMENT_CANCELLED = "cancelled", _("the appointment was cancelled")
        APPOINTMENT_MOVED = "moved", _("the appointment was moved")
        TOO_LATE = "too_late", _("too late to be useful")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="reminders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("person"))
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders")
    source = models.CharField(_("appointment"), max_length=20)  # a registered appointment source
    source_key = models.CharField(max_length=64)
    appointment_at = models.DateTimeField(_("appointment"))
    place = models.CharField(_("place"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    send_at = models.DateTimeField(_("to send at"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    why = models.CharField(_("why"), max_length=16, choices=Why.choices, blank=True)
    language_code = models.CharField(_("language"), max_length=3, blank=True)
    outbox_message = models.ForeignKey(
        "notifications.OutboxMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    call_language = models.ForeignKey(Language, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    call_assignee = user_ref(_("who calls"), optional=True, related_name="reminder_calls")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    TEAM_PATH = "team"

    class Meta:
        ordering = ["send_at", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["source", "source_key", "kind", "appointment_at"], name="reminder_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "send_at"], name="reminder_due"),
            models.Index(fields=["team", "-send_at"], name="reminder_team_list"),
            models.Index(fields=["source", "source_key"], name="reminder_source"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_key} {self.kind} {self.status}"

    @property
    def is_to_call(self) -> bool:
        return self.status == self.Status.TO_CALL


class WebhookReceipt(models.Model):
    """A signed request from the text gateway, kept so that the same request is not taken twice."""

    signature = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gateway request")
        verbose_name_plural = _("gateway requests")

    def __str__(self) -> str:
        return self.signature[:12]
