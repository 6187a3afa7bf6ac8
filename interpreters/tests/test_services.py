from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import TimelineEvent
from integrapsy.audit.models import AuditEvent
from interpreters import services
from interpreters.models import BookingStatus, CancelledBy, InterpreterBooking, Mode, NoShowParty
from interpreters.tests.factories import BookingFactory, InterpreterFactory, LanguageFactory, past_confirmed

pytestmark = pytest.mark.django_db


def _in(days=5, hour=10):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=hour)))


def request(actor, team, *, case=None, language, mode=Mode.PHONE, starts_at=None, hours=1, **kw):
    starts_at = starts_at or _in()
    return services.booking_request(
        actor=actor,
        team=team,
        case=case,
        language=language,
        mode=mode,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        **kw,
    )


# --- Request ----------------------------------------------------------------------------


def test_request_records_the_booking_on_the_timeline_and_in_the_audit(psychologist, team, case, tir, place):
    booking = request(psychologist, team, case=case, language=tir, mode=Mode.ON_SITE, location=place, briefing="Suivi")
    assert booking.status == BookingStatus.REQUESTED
    # On site: 15 minutes held on each side for travel and the briefing.
    assert booking.blocked_from == booking.starts_at - timedelta(minutes=15)
    assert booking.blocked_until == booking.ends_at + timedelta(minutes=15)
    event = TimelineEvent.objects.get(case=case, kind="booking.requested")
    assert event.visibility == "team"
    assert event.source == booking
    assert AuditEvent.objects.filter(action="booking.requested", object_ref=str(booking.code)).exists()


def test_phone_booking_holds_no_buffer(psychologist, team, tir):
    booking = request(psychologist, team, language=tir, mode=Mode.PHONE)
    assert (booking.blocked_from, booking.blocked_until) == (booking.starts_at, booking.ends_at)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"starts_at": timezone.now() - timedelta(hours=1)}, "starts_at"),
        ({"hours": -1}, "ends_at"),
        ({"hours": 9}, "ends_at"),
        ({"mode": Mode.ON_SITE}, "location"),
    ],
    ids=["in-the-past", "end-before-start", "too-long", "on-site-without-place"],
)
def test_request_refuses_bad_input_beside_the_field(psychologist, team, tir, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        request(psychologist, team, language=tir, **kwargs)
    assert field in exc.value.message_dict
    assert not InterpreterBooking.objects.exists()


def test_rare_language_at_short_notice_is_allowed_but_flagged(psychologist, team, tir):
    soon = timezone.now() + timedelta(hours=3)
    assert request(psychologist, team, language=tir, starts_at=soon).short_notice
    assert not request(psychologist, team, language=tir, starts_at=_in(days=10)).short_notice


def test_common_language_is_never_short_notice(psychologist, team):
    arabic = LanguageFactory(code="ara")
    for i in range(3):
        InterpreterFactory(languages=[arabic], username=f"ara{i}")
    soon = timezone.now() + timedelta(hours=3)
    assert not request(psychologist, team, language=arabic, starts_at=soon).short_notice


def test_working_days_skip_the_weekend():
    friday = timezone.make_aware(datetime(2026, 3, 6, 10, 0))
    assert services.add_working_days(friday, 2).date().isoformat() == "2026-03-10"


# --- Offer, accept, decline, confirm on behalf -------------------------------------------


def test_offer_then_interpreter_accepts_and_gets_an_ics_invitation(
    coordinator, psychologist, team, case, tir, interpreter, django_capture_on_commit_callbacks
):
    booking = request(psychologist, team, case=case, language=tir)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_offer(booking=booking, interpreter=interpreter, actor=coordinator)
    assert booking.status == BookingStatus.OFFERED
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_confirm(booking=booking, actor=interpreter.user)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.confirmed_by == interpreter.user
    kinds = list(TimelineEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))
    assert kinds[-3:] == ["booking.requested", "booking.offered", "booking.confirmed"]
    invitation = mail.outbox[-1]
    assert invitation.to == [interpreter.user.email]
    (name, content, mimetype) = invitation.attachments[0]
    assert name == "booking.ics" and mimetype.startswith("text/calendar")
    assert "METHOD:REQUEST" in content and f"UID:booking-{booking.code}@integrapsy" in content
    assert case.person.last_name not in content


def test_interpreter_declines_and_the_booking_waits_again(coordinator, team, tir, interpreter):
    booking = request(coordinator, team, language=tir)
    services.booking_offer(booking=booking, interpreter=interpreter, actor=coordinator)
    services.booking_decline(booking=booking, actor=interpreter.user, reason="Pas libre")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    assert booking.interpreter is None
    assert list(booking.declined_by.all()) == [interpreter]


def test_coordinator_confirms_on_behalf_from_requested(coordinator, team, tir, interpreter):
    booking = request(coordinator, team, language=tir)
    services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.confirmed_by == coordinator


def test_another_interpreter_cannot_accept_an_offer(coordinator, team, tir, interpreter):
    other = InterpreterFactory(username="other")
    booking = request(coordinator, team, language=tir)
    services.booking_offer(booking=booking, interpreter=interpreter, actor=coordinator)
    with pytest.raises(ValidationError):
        services.booking_confirm(booking=booking, actor=other.user, interpreter=other)
    with pytest.raises(ValidationError):
        services.booking_decline(booking=booking, actor=other.user)


def test_offer_refuses_an_interpreter_without_the_language(coordinator, team, interpreter):
    dari = LanguageFactory(code="prs")
    booking = request(coordinator, team, language=dari)
    with pytest.raises(ValidationError) as exc:
        services.booking_offer(booking=booking, interpreter=interpreter, actor=coordinator)
    assert "interpreter" in exc.value.message_dict
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_offer_refuses_a_mode_the_interpreter_does_not_work(coordinator, team, tir):
    no_video = InterpreterFactory(offers_video=False, username="novideo")
    booking = request(coordinator, team, language=tir, mode=Mode.VIDEO)
    with pytest.raises(ValidationError, match="interpreter"):
        services.booking_offer(booking=booking, interpreter=no_video, actor=coordinator)


def test_offer_refuses_an_excluded_interpreter(coordinator, team, tir, interpreter):
    booking = request(coordinator, team, language=tir, excluded_interpreters=[interpreter])
    with pytest.raises(ValidationError):
        services.booking_offer(booking=booking, interpreter=interpreter, actor=coordinator)


def test_offer_refuses_an_interpreter_on_leave(coordinator, team, tir, interpreter):
    booking = request(coordinator, team, language=tir)
    services.unavailability_add(
        interpreter=interpreter,
        actor=interpreter.user,
        starts_at=booking.starts_at - timedelta(days=1),
        ends_at=booking.ends_at + timedelta(days=1),
        reason="Congé",
    )
    with pytest.raises(ValidationError):
        services.booking_offer(booking=booking, interpreter=interpreter, actor=coordinator)


def test_unavailability_refuses_end_before_start(interpreter):
    start = timezone.now() + timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        services.unavailability_add(
            interpreter=interpreter,
            actor=interpreter.user,
            starts_at=start,
            ends_at=start - timedelta(hours=1),
        )
    assert "ends_at" in exc.value.message_dict


# --- No double booking (service check; PostgreSQL's constraint in test_concurrency) -------


def test_confirm_refuses_an_overlap_including_the_on_site_buffer(coordinator, team, tir, interpreter, place):
    first = request(coordinator, team, language=tir, mode=Mode.ON_SITE, location=place, starts_at=_in(hour=10))
    services.booking_confirm(booking=first, actor=coordinator, interpreter=interpreter)
    # Starts 10 minutes after the first ends: inside the 15-minute buffer.
    second = request(
        coordinator,
        team,
        language=tir,
        mode=Mode.ON_SITE,
        location=place,
        starts_at=_in(hour=11) + timedelta(minutes=10),
    )
    with pytest.raises(services.BookingConflict):
        services.booking_confirm(booking=second, actor=coordinator, interpreter=interpreter)
    second.refresh_from_db()
    assert second.status == BookingStatus.REQUESTED


def test_back_to_back_phone_bookings_are_fine(coordinator, team, tir, interpreter):
    first = request(coordinator, team, language=tir, starts_at=_in(hour=10))
    second = request(coordinator, team, language=tir, starts_at=_in(hour=11))
    services.booking_confirm(booking=first, actor=coordinator, interpreter=interpreter)
    services.booking_confirm(booking=second, actor=coordinator, interpreter=interpreter)
    assert second.status == BookingStatus.CONFIRMED


def test_a_cancelled_booking_frees_the_time(coordinator, team, tir, interpreter):
    first = request(coordinator, team, language=tir)
    services.booking_confirm(booking=first, actor=coordinator, interpreter=interpreter)
    services.booking_cancel(booking=first, actor=coordinator, reason="Transfert")
    second = request(coordinator, team, language=tir)
    services.booking_confirm(booking=second, actor=coordinator, interpreter=interpreter)
    assert second.status == BookingStatus.CONFIRMED


# --- Complete, cancel, no-show ----------------------------------------------------------


def test_interpreter_records_the_actual_time(team, interpreter, case):
    booking = past_confirmed(team, interpreter, case=case)
    services.booking_complete(booking=booking, actor=interpreter.user, actual_start=booking.starts_at, minutes=50)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED
    assert booking.billable_minutes == 50
    assert booking.actual_end == booking.starts_at + timedelta(minutes=50)
    assert TimelineEvent.objects.filter(case=case, kind="booking.completed").exists()


@pytest.mark.parametrize(
    ("start_shift", "minutes", "field"),
    [
        (timedelta(hours=5), 50, "actual_start"),
        (timedelta(days=-2), 50, "actual_start"),
        (timedelta(0), 0, "minutes"),
    ],
    ids=["future", "another-day", "no-minutes"],
)
def test_complete_refuses_bad_time(team, interpreter, start_shift, minutes, field):
    booking = past_confirmed(team, interpreter)
    with pytest.raises(ValidationError) as exc:
        services.booking_complete(
            booking=booking,
            actor=interpreter.user,
            actual_start=booking.starts_at + start_shift,
            minutes=minutes,
        )
    assert field in exc.value.message_dict
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_cancellation_more_than_24_hours_ahead_is_not_billable(coordinator, team, tir, interpreter):
    booking = request(coordinator, team, language=tir, starts_at=_in(days=3))
    services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
    services.booking_cancel(booking=booking, actor=coordinator, reason="Transfert")
    assert booking.status == BookingStatus.CANCELLED
    assert not booking.late_cancellation
    assert booking.billable_minutes is None


def test_late_cancellation_of_a_confirmed_booking_stays_billable(coordinator, team, tir, interpreter, case):
    booking = request(
        coordinator, team, case=case, language=tir, starts_at=timezone.now() + timedelta(hours=20), hours=2
    )
    services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
    services.booking_cancel(booking=booking, actor=coordinator, reason="Rendez-vous préfecture")
    assert booking.late_cancellation
    assert booking.billable_minutes == 120
    assert booking.cancelled_by == coordinator and booking.cancelled_by_party == CancelledBy.TEAM
    assert TimelineEvent.objects.filter(case=case, kind="booking.cancelled").exists()


def test_late_cancellation_by_the_interpreter_is_not_billable(coordinator, team, tir, interpreter):
    booking = request(coordinator, team, language=tir, starts_at=timezone.now() + timedelta(hours=5))
    services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
    services.booking_cancel(booking=booking, actor=interpreter.user, reason="Malade", by=CancelledBy.INTERPRETER)
    assert booking.late_cancellation and booking.billable_minutes is None


# --- The interpreter withdraws from a confirmed booking -----------------------------------


def test_withdrawal_sends_the_booking_back_to_matching_and_tells_the_coordinators(
    coordinator, team, tir, interpreter, case
):
    from integrapsy.notifications.models import OutboxMessage
    from integrapsy.notifications.services import outbox_render

    booking = request(coordinator, team, case=case, language=tir, starts_at=_in(days=3))
    services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
    withdrawal = services.booking_withdraw(booking=booking, actor=interpreter.user, reason="  Malade  ")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED and booking.is_open
    assert booking.interpreter is None and booking.confirmed_at is None and booking.confirmed_by is None
    assert list(booking.declined_by.all()) == [interpreter]
    assert (withdrawal.interpreter, withdrawal.reason, withdrawal.late) == (interpreter, "Malade", False)
    assert booking.billable_minutes is None and not booking.late_cancellation
    event = TimelineEvent.objects.get(case=case, kind="booking.withdrawn")
    assert "Malade" in event.summary and event.actor == interpreter.user
    assert AuditEvent.objects.filter(action="booking.withdrawn", actor=interpreter.user).exists()
    [message] = OutboxMessage.objects.filter(template="interpreters.booking_withdrawn")
    assert message.recipient == coordinator and message.context["booking"] == str(booking.code)
    message.language = "en"  # written in the recipient's language when delivered
    email = outbox_render(message)
    assert email.subject.startswith("IntegraPsy: an interpreter withdrew — Tigrinya — By phone — ")
    assert "Yonas Haile withdrew from this booking" in email.body and "Reason: Malade" in email.body
    assert "Less than 24 hours" not in email.body
    assert case.person.last_name not in email.body and case.person.first_name not in email.body
    # The interpreter's calendar drops the event.
    [noted] = OutboxMessage.objects.filter(template="interpreters.withdrawal_noted")
    assert noted.recipient == interpreter.user
    [invitation] = noted.attachments
    assert "METHOD:CANCEL" in invitation["content"] and "STATUS:CANCELLED" in invitation["content"]
    assert f"UID:booking-{booking.code}@integrapsy" in invitation["content"]
    # The coordinator finds someone else: the same booking can be offered again.
    other = InterpreterFactory(username="autre", first_name="Awet", last_name="Kidane")
    services.booking_offer(booking=booking, interpreter=other, actor=coordinator)
    assert booking.status == BookingStatus.OFFERED


def test_a_late_withdrawal_is_late_but_never_billable(coordinator, team, tir, interpreter):
    from integrapsy.notifications.models import OutboxMessage
    from integrapsy.notifications.services import outbox_render

    booking = request(coordinator, team, language=tir, starts_at=timezone.now() + timedelta(hours=5), hours=2)
    services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
    withdrawal = services.booking_withdraw(booking=booking, actor=interpreter.user, reason="Urgence familiale")
    booking.refresh_from_db()
    assert withdrawal.late
    assert booking.billable_minutes is None and booking.status == BookingStatus.REQUESTED
    event = AuditEvent.objects.get(action="booking.withdrawn")
    message = OutboxMessage.objects.get(template="interpreters.booking_withdrawn")
    message.language = "en"
    email = outbox_render(message)
    assert "Less than 24 hours before the start" in email.body
    assert "Urgence familiale" in event.detail


def test_withdrawal_needs_a_reason(coordinator, team, tir, interpreter):
    booking = request(coordinator, team, language=tir)
    services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
    with pytest.raises(ValidationError) as exc:
        services.booking_withdraw(booking=booking, actor=interpreter.user, reason="   ")
    assert "reason" in exc.value.message_dict
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.interpreter == interpreter


def test_only_the_booked_interpreter_withdraws_and_only_before_the_start(coordinator, team, tir, interpreter):
    booking = request(coordinator, team, language=tir)
    services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
    other = InterpreterFactory(username="autre")
    for actor in (other.user, coordinator):
        with pytest.raises(ValidationError):
            services.booking_withdraw(booking=booking, actor=actor, reason="x")
    started = past_confirmed(team, interpreter, hours_ago=1)
    with pytest.raises(ValidationError):
        services.booking_withdraw(booking=started, actor=interpreter.user, reason="x")
    offered = request(coordinator, team, language=tir, starts_at=_in(days=6))
    services.booking_offer(booking=offered, interpreter=interpreter, actor=coordinator)
    with pytest.raises(ValidationError):
        services.booking_withdraw(booking=offered, actor=interpreter.user, reason="x")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and not booking.withdrawals.exists()


def test_cancel_needs_a_reason(coordinator, team, tir):
    booking = request(coordinator, team, language=tir)
    with pytest.raises(ValidationError) as exc:
        services.booking_cancel(booking=booking, actor=coordinator, reason="  ")
    assert "reason" in exc.value.message_dict


def test_no_show_of_the_person(coordinator, team, interpreter, case):
    booking = past_confirmed(team, interpreter, case=case)
    services.booking_no_show(booking=booking, actor=coordinator, party=NoShowParty.PERSON)
    assert booking.status == BookingStatus.NO_SHOW
    assert TimelineEvent.objects.filter(case=case, kind="booking.no_show").exists()


def test_no_show_before_the_start_is_refused(coordinator, team, tir, interpreter):
    booking = request(coordinator, team, language=tir)
    services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
    with pytest.raises(ValidationError):
        services.booking_no_show(booking=booking, actor=coordinator, party=NoShowParty.INTERPRETER)


# --- Forbidden transitions --------------------------------------------------------------

FORBIDDEN = [
    (BookingStatus.REQUESTED, "complete"),
    (BookingStatus.REQUESTED, "no_show"),
    (BookingStatus.REQUESTED, "decline"),
    (BookingStatus.OFFERED, "complete"),
    (BookingStatus.CONFIRMED, "offer"),
    (BookingStatus.CONFIRMED, "confirm"),
    (BookingStatus.CONFIRMED, "decline"),
    (BookingStatus.COMPLETED, "cancel"),
    (BookingStatus.COMPLETED, "confirm"),
    (BookingStatus.COMPLETED, "complete"),
    (BookingStatus.CANCELLED, "confirm"),
    (BookingStatus.CANCELLED, "offer"),
    (BookingStatus.CANCELLED, "cancel"),
    (BookingStatus.NO_SHOW, "complete"),
    (BookingStatus.NO_SHOW, "cancel"),
]


@pytest.mark.parametrize(("status", "step"), FORBIDDEN, ids=[f"{s}-{a}" for s, a in FORBIDDEN])
def test_forbidden_transitions(coordinator, team, interpreter, status, step):
    start = timezone.now() - timedelta(hours=1)
    booking = BookingFactory(
        team=team,
        status=status,
        interpreter=None if status == BookingStatus.REQUESTED else interpreter,
        starts_at=start,
        billable_minutes=60 if status == BookingStatus.COMPLETED else None,
    )
    calls = {
        "offer": lambda: services.booking_offer(booking=booking, interpreter=interpreter, actor=coordinator),
        "confirm": lambda: services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter),
        "decline": lambda: services.booking_decline(booking=booking, actor=interpreter.user),
        "complete": lambda: services.booking_complete(
            booking=booking, actor=coordinator, actual_start=start, minutes=30
        ),
        "cancel": lambda: services.booking_cancel(booking=booking, actor=coordinator, reason="x"),
        "no_show": lambda: services.booking_no_show(booking=booking, actor=coordinator, party="person"),
    }
    with pytest.raises(ValidationError):
        calls[step]()
    booking.refresh_from_db()
    assert booking.status == status


def test_reset_calendar_token_changes_it(interpreter):
    before = interpreter.calendar_token
    services.calendar_token_reset(interpreter=interpreter, actor=interpreter.user)
    interpreter.refresh_from_db()
    assert interpreter.calendar_token != before and len(interpreter.calendar_token) >= 40


# --- The cancellation rules, which the cancel page reads too ----------------------------------

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.get_fixed_timezone(60))


def _booking(status, starts_in):
    return InterpreterBooking(status=status, starts_at=NOW + starts_in, ends_at=NOW + starts_in + timedelta(hours=1))


@pytest.mark.parametrize(
    ("status", "cancellable"),
    [
        (BookingStatus.REQUESTED, True),
        (BookingStatus.OFFERED, True),
        (BookingStatus.CONFIRMED, True),
        (BookingStatus.COMPLETED, False),
        (BookingStatus.CANCELLED, False),
        (BookingStatus.NO_SHOW, False),
    ],
)
def test_which_bookings_may_be_cancelled(status, cancellable):
    assert services.booking_is_cancellable(_booking(status, timedelta(days=3))) is cancellable


def test_a_cancellation_is_late_under_24_hours_before_the_start():
    assert not services.cancellation_is_late(_booking(BookingStatus.CONFIRMED, timedelta(hours=24)), now=NOW)
    assert services.cancellation_is_late(_booking(BookingStatus.CONFIRMED, timedelta(hours=23, minutes=59)), now=NOW)


def test_only_a_late_cancellation_of_a_confirmed_booking_by_the_team_is_billable():
    soon = timedelta(hours=3)
    assert services.cancellation_is_billable(_booking(BookingStatus.CONFIRMED, soon), now=NOW)
    assert not services.cancellation_is_billable(
        _booking(BookingStatus.CONFIRMED, soon), by=CancelledBy.INTERPRETER, now=NOW
    )
    assert not services.cancellation_is_billable(_booking(BookingStatus.OFFERED, soon), now=NOW)
    assert not services.cancellation_is_billable(_booking(BookingStatus.CONFIRMED, timedelta(days=2)), now=NOW)


def test_the_admin_shows_a_bookings_withdrawals_read_only(client, coordinator, team, tir, interpreter):
    from django.urls import reverse

    from integrapsy.accounts.models import Role
    from integrapsy.accounts.tests.factories import make_user_with_role

    booking = request(coordinator, team, language=tir)
    services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
    services.booking_withdraw(booking=booking, actor=interpreter.user, reason="Malade")
    client.force_login(make_user_with_role(Role.ADMIN))
    response = client.get(reverse("admin:interpreters_interpreterbooking_change", args=[booking.pk]))
    assert response.status_code == 200
    assert "Malade" in response.content.decode()
    assert 'name="withdrawals-0-reason"' not in response.content.decode()


def test_a_booking_is_given_back_once(coordinator, team, tir, interpreter):
    from integrapsy.notifications.models import OutboxMessage

    booking = request(coordinator, team, language=tir)
    services.booking_confirm(booking=booking, actor=coordinator, interpreter=interpreter)
    stale = InterpreterBooking.objects.select_related("interpreter").get(pk=booking.pk)  # a second tab
    services.booking_withdraw(booking=booking, actor=interpreter.user, reason="Malade")
    with pytest.raises(ValidationError):
        services.booking_withdraw(booking=stale, actor=interpreter.user, reason="Malade")
    assert booking.withdrawals.count() == 1
    assert OutboxMessage.objects.filter(template="interpreters.booking_withdrawn").count() == 1
