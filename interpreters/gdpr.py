"""What the interpreters app holds about a person (the bookings of their cases), and how it is erased."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.gdpr.providers import ERASED, export_value
from cases.models import Person
from integrapsy.audit.models import AuditEvent
from integrapsy.gdpr import Section
from integrapsy.notifications.models import OutboxMessage
from interpreters.models import BookingWithdrawal, InterpreterBooking

# The steps whose audit detail carries what someone typed (a reason).
TYPED_DETAIL_ACTIONS = ("booking.declined", "booking.cancelled", "booking.withdrawn")
# The messages to an interpreter that carry an invitation (.ics) of a booking.
INVITATION_TEMPLATES = (
    "interpreters.booking_confirmed",
    "interpreters.booking_cancelled",
    "interpreters.withdrawal_noted",
)


def _bookings(person: Person):
    return InterpreterBooking.objects.filter(case__person=person)


def subject_data(person: Person) -> list[Section]:
    """The interpreter bookings of the person's cases: when, language, mode, interpreter, status, minutes."""
    rows = []
    for b in (
        _bookings(person)
        .select_related("case", "language", "interpreter__user", "location")
        .order_by("starts_at", "id")
    ):
        rows.append(
            {
                "label": " — ".join(
                    p
                    for p in (
                        f"{export_value(b.starts_at)}–{export_value(b.ends_at)[-5:]}",
                        b.case.reference,
                        b.language.name,
                        str(b.get_mode_display()),
                    )
                    if p
                ),
                "value": " — ".join(
                    str(p)
                    for p in (
                        b.get_status_display(),
                        b.get_serves_kind_display(),
                        b.interpreter.user.get_full_name() if b.interpreter_id else "",
                        b.location.name if b.location_id else "",
                        b.location_detail,
                        f"{b.billable_minutes} min" if b.billable_minutes is not None else "",
                        b.briefing,
                        b.cancel_reason,
                    )
                    if p
                ),
            }
        )
    return [Section("interpreter_bookings", _("Interpreter bookings"), rows)]


def erase(person: Person) -> int:
    """Blank the briefings and every typed text of the person's bookings; dates, languages and minutes stay."""
    bookings = _bookings(person)
    codes = [str(code) for code in bookings.values_list("code", flat=True)]
    count = bookings.update(briefing="", location_detail="", cancel_reason="")
    count += BookingWithdrawal.objects.filter(booking__in=bookings).update(reason=ERASED)
    for message in OutboxMessage.objects.filter(
        template="interpreters.booking_withdrawn", context__booking__in=codes, context__has_key="reason"
    ):
        message.context = {**message.context, "reason": ERASED}
        message.save(update_fields=["context"])
        count += 1
    # The invitations sent to interpreters name the person (first name): the message stays, its
    # attachment goes.
    interpreters = bookings.exclude(interpreter__isnull=True).values("interpreter__user_id")
    for message in OutboxMessage.objects.filter(
        template__in=INVITATION_TEMPLATES, recipient_id__in=interpreters
    ).exclude(attachments=[]):
        if any(f"booking-{code}@" in str(a.get("content", "")) for a in message.attachments for code in codes):
            message.attachments = []
            message.save(update_fields=["attachments"])
            count += 1
    count += AuditEvent.objects.filter(
        object_type=InterpreterBooking._meta.label_lower, object_ref__in=codes, action__in=TYPED_DETAIL_ACTIONS
    ).redact_for_erasure(detail=ERASED)
    return count
