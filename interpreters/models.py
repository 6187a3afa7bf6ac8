import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from integrapsy.accounts.models import Organisation, Team
from integrapsy.directory.models import Language, Location
from integrapsy.fields import ref, user_ref

# Travel and the briefing around an on-site booking: the interpreter is not free then.
ON_SITE_BUFFER = timedelta(minutes=15)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Gender(models.TextChoices):
    FEMALE = "F", _("Woman")
    MALE = "M", _("Man")
    OTHER = "X", _("Other / not stated")


class Mode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video")


class Interpreter(models.Model):
    """A professional social interpreter of an interpreting service, who signs in to see their bookings."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="interpreter_profile",
        verbose_name=_("user account"),
    )
    service = ref(
        Organisation,
        _("interpreting service"),
        related_name="interpreters",
        limit_choices_to={"kind": Organisation.Kind.INTERPRETING_SERVICE},
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default=Gender.OTHER)
    offers_on_site = models.BooleanField(_("on site"), default=True)
    offers_phone = models.BooleanField(_("by phone"), default=True)
    offers_video = models.BooleanField(_("by video"), default=False)
    territories = models.ManyToManyField(
        Team,
        blank=True,
        related_name="+",
        verbose_name=_("territories covered on site"),
        help_text=_("The areas of the teams where the interpreter comes on site."),
    )
    languages = models.ManyToManyField(
        Language, through="InterpreterLanguage", related_name="+", verbose_name=_("languages")
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The secret in the private calendar feed's address; the interpreter can reset it.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")

    def __str__(self) -> str:
        return str(self.user)

    # The field that says whether the interpreter works in each mode.
    MODE_FIELDS = {Mode.ON_SITE: "offers_on_site", Mode.PHONE: "offers_phone", Mode.VIDEO: "offers_video"}

    def offers(self, mode: str) -> bool:
        field = self.MODE_FIELDS.get(mode)
        return bool(field and getattr(self, field))

    @property
    def mode_labels(self) -> list[str]:
        return [label for value, label in Mode.choices if self.offers(value)]


class InterpreterLanguage(models.Model):
    interpreter = models.ForeignKey(Interpreter, on_delete=models.CASCADE, related_name="interpreter_languages")
    language = ref(Language, _("language or dialect"), related_name="+")

    class Meta:
        verbose_name = _("language interpreted")
        verbose_name_plural = _("languages interpreted")
        constraints = [
            models.UniqueConstraint(fields=["interpreter", "language"], name="interpreterlanguage_unique"),
        ]

    def __str__(self) -> str:
        return str(self.language)


class Unavailability(models.Model):
    """A period when the interpreter takes no booking (leave, training...)."""

    interpreter = models.ForeignKey(Interpreter, on_delete=models.CASCADE, related_name="unavailabilities")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        constraints = [
            models.CheckConstraint(
                name="unavailability_ends_after_start",
                condition=Q(ends_at__gt=F("starts_at")),
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interpreter_id} {self.starts_at:%Y-%m-%d}"


class ServesKind(models.TextChoices):
    CONSULTATION = "consultation", _("A consultation")
    PERMANENCE = "permanence", _("A permanence session")
    GROUP_ACTIVITY = "group_activity", _("A group activity")
    CASE = "case", _("The case in general")


class GenderPreference(models.TextChoices):
    ANY = "", _("No preference")
    FEMALE = "F", _("A woman")
    MALE = "M", _("A man")


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    OFFERED = "offered", _("Offered to an interpreter")
    CONFIRMED = "confirmed", _("Confirmed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


# The statuses of a booking still waiting for an interpreter.
OPEN_STATUSES = (BookingStatus.REQUESTED, BookingStatus.OFFERED)

# The statuses in which an interpreter holds the time: two of these never overlap.
HOLDING_STATUSES = [BookingStatus.COMPLETED, BookingStatus.CONFIRMED]


class NoShowParty(models.TextChoices):
    INTERPRETER = "interpreter", _("The interpreter did not come")
    PERSON = "person", _("The person did not come")


class CancelledBy(models.TextChoices):
    TEAM = "team", _("The team")
    INTERPRETER = "interpreter", _("The interpreter")


class InterpreterBooking(models.Model):
    """A request for an interpreter at a given time, and what became of it."""

    TEAM_PATH = "team"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = ref(Team, _("team"), related_name="interpreter_bookings")
    case = ref(Case, _("case"), optional=True, related_name="interpreter_bookings")
    # What the interpreter is needed for; the row served (a consultation, a permanence session...)
    # is attached through a generic link, so the apps that own those rows need no change here.
    serves_kind = models.CharField(_("for"), max_length=20, choices=ServesKind.choices, default=ServesKind.CONSULTATION)
    serves_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    serves_id = models.CharField(max_length=64, blank=True)
    serves = GenericForeignKey("serves_type", "serves_id")

    language = ref(Language, _("language or dialect"), related_name="+")
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    location = ref(Location, _("place"), optional=True, related_name="+")
    location_detail = models.CharField(
        _("room or access details"), max_length=200, blank=True, help_text=_("e.g. office 2, first floor.")
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    # The time the interpreter is held, buffer included: what the no-overlap rule compares.
    blocked_from = models.DateTimeField(editable=False)
    blocked_until = models.DateTimeField(editable=False)
    gender_preference = models.CharField(
        _("interpreter's gender"), max_length=1, choices=GenderPreference.choices, blank=True
    )
    same_as_before = models.BooleanField(_("the same interpreter as before, if possible"), default=False)
    excluded_interpreters = models.ManyToManyField(
        Interpreter,
        blank=True,
        related_name="+",
        verbose_name=_("interpreters the person does not want"),
    )
    briefing = models.TextField(
        _("briefing for the interpreter"),
        max_length=1000,
        blank=True,
        help_text=_("Practical context only (who, where, how to behave). No clinical detail."),
    )
    short_notice = models.BooleanField(_("short notice"), default=False, editable=False)

    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    interpreter = ref(Interpreter, _("interpreter"), optional=True, related_name="bookings")
    declined_by = models.ManyToManyField(Interpreter, blank=True, related_name="+", verbose_name=_("declined by"))
    requested_by = user_ref(_("requested by"), on_delete=models.PROTECT)
    requested_at = models.DateTimeField(_("requested at"))
    offered_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_end = models.DateTimeField(_("actual end"), null=True, blank=True)
    billable_minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_by_party = models.CharField(max_length=12, choices=CancelledBy.choices, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=255, blank=True)
    late_cancellation = models.BooleanField(_("late cancellation"), default=False)
    no_show_party = models.CharField(_("who did not come"), max_length=12, choices=NoShowParty.choices, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("interpreter booking")
        verbose_name_plural = _("interpreter bookings")
        indexes = [
            models.Index(fields=["team", "status", "starts_at"], name="booking_team_status"),
            models.Index(fields=["interpreter", "blocked_from"], name="booking_interpreter_time"),
            models.Index(fields=["case", "starts_at"], name="booking_case_time"),
            # An interpreter's load in a week (the match page counts it for every candidate): the
            # status (and the id, the match page leaving its booking out) are in the index, so the count
            # reads no booking row (an index-only scan).
            models.Index(
                fields=["interpreter", "starts_at"], include=["status", "id"], name="booking_interpreter_starts"
            ),
            # A team's bookings in time order: the upcoming list reads one page of it.
            models.Index(fields=["team", "starts_at", "id"], include=["ends_at"], name="booking_team_starts"),
        ]
        # On PostgreSQL a migration adds ``booking_no_overlap``, an exclusion constraint on the
        # blocked time of each interpreter's confirmed and completed bookings (not declared here:
        # it does not exist on SQLite, where the service checks inside an IMMEDIATE transaction).
        constraints = [
            models.CheckConstraint(
                name="booking_ends_after_start",
                condition=Q(ends_at__gt=F("starts_at")),
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                name="booking_blocked_covers_time",
                condition=Q(blocked_from__lte=F("starts_at"), blocked_until__gte=F("ends_at")),
            ),
            models.CheckConstraint(
                name="booking_on_site_has_place",
                condition=~Q(mode="on_site") | Q(location__isnull=False),
                violation_error_message=_("An on-site booking needs a place."),
            ),
            models.CheckConstraint(
                name="booking_held_has_interpreter",
                condition=~Q(status__in=["completed", "confirmed", "no_show", "offered"])
                | Q(interpreter__isnull=False),
            ),
            models.CheckConstraint(
                name="booking_completed_has_minutes",
                condition=~Q(status="completed") | Q(billable_minutes__isnull=False),
            ),
            models.CheckConstraint(
                name="booking_status_valid",
                condition=Q(status__in=sorted(BookingStatus.values)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def planned_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class BookingWithdrawal(models.Model):
    """An interpreter giving back a booking they had confirmed; the booking waits for another interpreter."""

    TEAM_PATH = "booking__team"

    booking = models.ForeignKey(
        InterpreterBooking, on_delete=models.CASCADE, related_name="withdrawals", verbose_name=_("booking")
    )
    interpreter = models.ForeignKey(
        Interpreter, on_delete=models.PROTECT, related_name="withdrawals", verbose_name=_("interpreter")
    )
    reason = models.CharField(_("reason"), max_length=255)
    withdrawn_at = models.DateTimeField(_("withdrawn at"))
    # Less than 24 hours before the start, as for a cancellation: never billable, since the
    # interpreter gave it back.
    late = models.BooleanField(_("late withdrawal"), default=False)

    class Meta:
        ordering = ["-withdrawn_at", "-id"]
        verbose_name = _("withdrawal from a booking")
        verbose_name_plural = _("withdrawals from bookings")

    def __str__(self) -> str:
        return f"{self.booking_id} {self.withdrawn_at:%Y-%m-%d %H:%M}"
