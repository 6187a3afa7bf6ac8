import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

from cases.case_file.models import Case
from cases.persons.models import Person
from integrapsy.accounts.models import Team
from integrapsy.directory.models import Language, Location
from integrapsy.fields import ref, user_ref


class PermanenceSession(models.Model):
    """A drop-in session: a psychologist present at a place, on a date, with slots and walk-in places."""

    TEAM_PATH = "team"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="permanence_sessions", verbose_name=_("team"))
    location = ref(Location, _("place"), related_name="permanence_sessions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=45)
    walk_in_places = models.PositiveSmallIntegerField(_("walk-in places"), default=0)
    psychologist = user_ref(_("psychologist"), on_delete=models.PROTECT, related_name="permanence_sessions")
    ambassador = user_ref(_("ambassador"), optional=True)
    interpreter = user_ref(_("interpreter"), optional=True)
    interpreter_language = ref(Language, _("interpreting language"), optional=True, related_name="+")
    # Sessions created together as a weekly series share this code.
    series = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = _("permanence")
        verbose_name_plural = _("permanences")
        indexes = [models.Index(fields=["team", "date"], name="permanence_team_date")]
        constraints = [
            models.CheckConstraint(
                name="permanence_ends_after_start",
                condition=Q(end_time__gt=F("start_time")),
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                name="permanence_slot_length_positive",
                condition=Q(slot_minutes__gte=5),
                violation_error_message=_("A slot lasts at least 5 minutes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location.name} {date_format(self.date, 'SHORT_DATE_FORMAT')} {time_format(self.start_time)}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.start_time))


class PermanenceSlot(models.Model):
    """A bookable appointment within a session."""

    TEAM_PATH = "session__team"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(PermanenceSession, on_delete=models.CASCADE, related_name="slots")
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))

    class Meta:
        ordering = ["start_time"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["session", "start_time"], name="slot_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"


class SlotAttendance(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")


class PermanenceBooking(models.Model):
    """A person's place at a session: in a slot, or as a walk-in (no slot)."""

    TEAM_PATH = "session__team"

    class CancelledBy(models.TextChoices):
        PERSON = "person", _("The person")
        TEAM = "team", _("The team")
        CENTRE = "centre", _("The reception centre")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(PermanenceSession, on_delete=models.PROTECT, related_name="bookings")
    slot = models.ForeignKey(PermanenceSlot, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings")
    person = ref(Person, _("person"), related_name="permanence_bookings")
    case = ref(Case, _("case"), optional=True, related_name="permanence_bookings")
    status = models.CharField(
        _("attendance"), max_length=10, choices=SlotAttendance.choices, default=SlotAttendance.BOOKED
    )
    interpreter_needed = models.BooleanField(_("an interpreter is needed"), default=False)
    interpreter_language = ref(Language, _("interpreting language"), optional=True, related_name="+")
    note = models.CharField(_("practical note"), max_length=255, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_party = models.CharField(_("cancelled by"), max_length=10, choices=CancelledBy.choices, blank=True)
    cancel_reason = models.CharField(_("why"), max_length=255, blank=True)

    class Meta:
        ordering = ["session", "slot__start_time", "booked_at"]
        verbose_name = _("permanence booking")
        verbose_name_plural = _("permanence bookings")
        constraints = [
            # Two coordinators booking the same slot at once: the database keeps one.
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(slot__isnull=False) & ~Q(status="cancelled"),
                name="booking_one_active_per_slot",
                violation_error_message=_("This slot is already booked."),
            ),
            models.CheckConstraint(
                name="booking_cancel_has_reason",
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.person_id}"

    @property
    def is_walk_in(self) -> bool:
        return self.slot_id is None


class SlotRequest(models.Model):
    """A referrer's request for a permanence slot for the person they referred; a coordinator answers it.

    A request does not hold the slot. The database allows one active booking per slot
    (``booking_one_active_per_slot``); a pending request stored as a booking would either
    block the slot for everyone before the team agreed (a centre could fill a morning with
    requests) or need an exception in that constraint and in every count of booked slots.
    So requests live apart: several may name the same slot, and confirming one books it
    through ``permanence_slot_book``, where the constraint keeps the first confirmation and
    refuses the second.
    """

    TEAM_PATH = "team"

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the team's answer")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="slot_requests", verbose_name=_("team"))
    referral = ref("cases.Referral", _("referral"), related_name="slot_requests")
    slot = models.ForeignKey(PermanenceSlot, on_delete=models.PROTECT, related_name="requests", verbose_name=_("slot"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    interpreter_needed = models.BooleanField(_("an interpreter is needed"), default=False)
    interpreter_language = ref(Language, _("interpreting language"), optional=True, related_name="+")
    note = models.CharField(_("practical note"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining (shown to the referrer)"), max_length=500, blank=True)
    booking = models.OneToOneField(
        PermanenceBooking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="slot_request",
        verbose_name=_("booking"),
    )

    class Meta:
        ordering = ["requested_at"]
        verbose_name = _("slot request")
        verbose_name_plural = _("slot requests")
        indexes = [models.Index(fields=["team", "status", "requested_at"], name="slot_request_todo")]
        constraints = [
            # One question at a time per referral: the team answers before the centre asks again.
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status="pending"),
                name="slot_request_one_pending",
                violation_error_message=_("A slot was already requested for this person: wait for the team's answer."),
            ),
            models.CheckConstraint(
                name="slot_request_declined_has_reason",
                condition=~Q(status="declined") | ~Q(decline_reason=""),
            ),
            models.CheckConstraint(
                name="slot_request_confirmed_has_booking",
                condition=~Q(status="confirmed") | Q(booking__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.slot_id} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
