"""Slots asked for by referrers, answered by the team's coordinators; walk-in places as a cap."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases.models import (
    PermanenceBooking,
    PermanenceSession,
    SlotAttendance,
    SlotRequest,
    TimelineEvent,
)
from cases.permanences import selectors
from cases.permanences.services import (
    permanence_session_cancel,
    permanence_slot_book,
    permanence_walk_in_record,
    slot_request_confirm,
    slot_request_create,
    slot_request_decline,
)
from cases.referrals import services as referral_services
from cases.tests.factories import CaseFactory, PermanenceBookingFactory, PermanenceSessionFactory, ReferralFactory
from integrapsy.accounts.models import Role, User
from integrapsy.accounts.tests.factories import OrganisationFactory, make_user_with_role
from integrapsy.audit.models import AuditEvent
from integrapsy.tests.concurrency import at_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def _ask(centre, referral=None, slot=None, **kw):
    return slot_request_create(
        referral=referral or centre.accepted, actor=centre.referrer, slot=slot or centre.slots[0], **kw
    )


# --- Asking ------------------------------------------------------------------------------


def test_a_referrer_asks_for_a_free_slot_and_the_coordinators_are_told(
    clinic, centre, django_capture_on_commit_callbacks
):
    clinic.coordinator.email = "coord@example.org"
    clinic.coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(centre, interpreter_needed=True, interpreter_language=clinic.tigrinya, note="Vient avec sa sœur")
    assert request.status == SlotRequest.Status.PENDING
    assert request.team == clinic.team and request.requested_by == centre.referrer
    assert request.interpreter_language == clinic.tigrinya and request.note == "Vient avec sa sœur"
    # The slot is not held: it stays free for the team until a coordinator confirms.
    assert not PermanenceBooking.objects.exists()
    event = TimelineEvent.objects.get(case=clinic.case, kind="permanence.requested")
    assert event.visibility == "team" and "CAES Croisilles" in event.summary and "09:00" in event.summary
    assert AuditEvent.objects.filter(action="permanence.slot_requested", object_ref=str(request.code)).exists()
    assert len(mail.outbox) == 1
    assert "coord@example.org" in mail.outbox[0].to
    assert centre.accepted.reference in mail.outbox[0].subject
    assert "Dawit" not in mail.outbox[0].body  # no identity in the email


def test_a_referral_not_yet_accepted_may_ask_too_without_a_timeline(clinic, centre):
    request = _ask(centre, referral=centre.waiting)
    assert request.status == SlotRequest.Status.PENDING
    assert not TimelineEvent.objects.filter(kind="permanence.requested").exists()


@pytest.mark.parametrize("which", ["past", "booked", "cancelled", "other_team"])
def test_a_slot_that_cannot_be_given_is_refused_beside_the_field(clinic, centre, which):
    if which == "past":
        past = PermanenceSessionFactory(team=clinic.team, date=timezone.localdate() - timedelta(days=1))
        slot, expected = past.slots.first(), "in the past"
    elif which == "booked":
        permanence_slot_book(slot=centre.slots[0], actor=clinic.coordinator, case=CaseFactory(team=clinic.team))
        slot, expected = centre.slots[0], "already booked"
    elif which == "cancelled":
        permanence_session_cancel(session=centre.session, actor=clinic.coordinator, reason="Psychologue malade")
        slot, expected = centre.slots[0], "cancelled"
    else:
        other = PermanenceSessionFactory(team=clinic.other_team, location=clinic.other_location)
        slot, expected = other.slots.first(), "team your referral was sent to"
    with pytest.raises(ValidationError) as exc:
        _ask(centre, slot=slot)
    assert expected in exc.value.message_dict["slot"][0]
    assert not SlotRequest.objects.exists()


def test_an_interpreter_needs_a_language(centre):
    with pytest.raises(ValidationError) as exc:
        _ask(centre, interpreter_needed=True)
    assert "interpreter_language" in exc.value.message_dict


def test_one_pending_request_per_referral(centre):
    _ask(centre)
    with pytest.raises(ValidationError) as exc:
        _ask(centre, slot=centre.slots[1])
    assert "wait for the team's answer" in exc.value.messages[0]
    assert SlotRequest.objects.count() == 1


def test_the_database_refuses_two_pending_requests_for_one_referral(centre):
    first = _ask(centre)
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotRequest.objects.create(team=first.team, referral=first.referral, slot=centre.slots[1])


def test_only_the_referring_organisation_may_ask(clinic, centre):
    stranger = make_user_with_role(Role.REFERRER, organisation=OrganisationFactory(name="Autre centre"))
    for actor in (stranger, clinic.coordinator):
        with pytest.raises(ValidationError):
            slot_request_create(referral=centre.accepted, actor=actor, slot=centre.slots[0])
    assert not SlotRequest.objects.exists()


def test_a_declined_referral_cannot_ask_and_declining_answers_its_pending_request(clinic, centre):
    request = _ask(centre, referral=centre.waiting)
    referral_services.referral_decline(
        referral=centre.waiting, actor=clinic.coordinator, reason="Déjà suivie par le CMP"
    )
    request.refresh_from_db()
    assert request.status == SlotRequest.Status.DECLINED and request.decline_reason == "Déjà suivie par le CMP"
    with pytest.raises(ValidationError) as exc:
        _ask(centre, referral=centre.waiting, slot=centre.slots[1])
    assert "declined" in exc.value.messages[0]


# --- Confirming and declining ------------------------------------------------------------


def test_confirming_books_the_slot_in_the_case_and_tells_the_referrer(
    clinic, centre, django_capture_on_commit_callbacks
):
    request = _ask(centre, interpreter_needed=True, interpreter_language=clinic.tigrinya, note="Le matin")
    with django_capture_on_commit_callbacks(execute=True):
        booking = slot_request_confirm(slot_request=request, actor=clinic.coordinator)
    request.refresh_from_db()
    assert request.status == SlotRequest.Status.CONFIRMED and request.booking == booking
    assert request.decided_by == clinic.coordinator and request.decided_at is not None
    assert booking.slot == centre.slots[0] and booking.case == clinic.case and booking.person == clinic.case.person
    assert booking.interpreter_language == clinic.tigrinya and booking.note == "Le matin"
    assert booking.booked_by == clinic.coordinator and booking.status == SlotAttendance.BOOKED
    assert TimelineEvent.objects.filter(case=clinic.case, kind="permanence.booked").count() == 1
    assert AuditEvent.objects.filter(action="permanence.slot_request_confirmed").exists()
    assert {a for m in mail.outbox[-2:] for a in m.to} == {"caes@example.org", "ref@example.org"}
    # Emails go out in the default language (French): "confirmé".
    assert centre.accepted.reference in mail.outbox[-1].subject and "confirm" in mail.outbox[-1].subject


def test_a_request_for_a_referral_not_accepted_waits_until_it_is(clinic, centre):
    request = _ask(centre, referral=centre.waiting)
    with pytest.raises(ValidationError) as exc:
        slot_request_confirm(slot_request=request, actor=clinic.coordinator)
    assert "Accept the referral first" in exc.value.messages[0]
    request.refresh_from_db()
    assert request.status == SlotRequest.Status.PENDING
    [row] = selectors.slot_requests_to_answer(user=clinic.coordinator)
    assert not row.may_confirm and row.why_not == "Accept the referral first."

    case = referral_services.referral_accept(referral=centre.waiting, actor=clinic.coordinator)
    booking = slot_request_confirm(slot_request=request, actor=clinic.coordinator)
    assert booking.case == case and booking.person == case.person


def test_a_slot_booked_meanwhile_is_refused_clearly_and_the_request_stays_open(clinic, centre):
    request = _ask(centre)
    permanence_slot_book(slot=centre.slots[0], actor=clinic.social_worker, case=CaseFactory(team=clinic.team))
    [row] = selectors.slot_requests_to_answer(user=clinic.coordinator)
    assert not row.may_confirm and row.why_not == "Slot already booked."
    with pytest.raises(ValidationError) as exc:
        slot_request_confirm(slot_request=request, actor=clinic.coordinator)
    assert "no longer free" in exc.value.messages[0]
    request.refresh_from_db()
    assert request.status == SlotRequest.Status.PENDING and request.booking is None


def test_a_request_is_answered_once(clinic, centre):
    request = _ask(centre)
    slot_request_confirm(slot_request=request, actor=clinic.coordinator)
    with pytest.raises(ValidationError) as exc:
        slot_request_confirm(slot_request=request, actor=clinic.coordinator)
    assert "already answered" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        slot_request_decline(slot_request=request, actor=clinic.coordinator, reason="Non")
    assert PermanenceBooking.objects.count() == 1


def test_only_a_coordinator_of_the_team_answers(clinic, centre):
    request = _ask(centre)
    for actor in (clinic.other_coordinator, clinic.psychologist, clinic.social_worker, centre.referrer):
        with pytest.raises(ValidationError):
            slot_request_confirm(slot_request=request, actor=actor)
        with pytest.raises(ValidationError):
            slot_request_decline(slot_request=request, actor=actor, reason="Non")
    request.refresh_from_db()
    assert request.is_pending
    assert selectors.slot_requests_to_answer(user=clinic.other_coordinator) == []
    assert selectors.slot_requests_to_answer(user=clinic.psychologist) == []


def test_declining_needs_a_reason_the_referrer_reads(clinic, centre, django_capture_on_commit_callbacks):
    request = _ask(centre)
    with pytest.raises(ValidationError) as exc:
        slot_request_decline(slot_request=request, actor=clinic.coordinator, reason="  ")
    assert "reason" in exc.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        slot_request_decline(
            slot_request=request, actor=clinic.coordinator, reason="Créneau réservé aux urgences; mardi suivant ?"
        )
    request.refresh_from_db()
    assert request.status == SlotRequest.Status.DECLINED
    assert request.decline_reason == "Créneau réservé aux urgences; mardi suivant ?"
    event = TimelineEvent.objects.get(case=clinic.case, kind="permanence.request_declined")
    assert "mardi suivant" in event.summary
    assert "mardi suivant" in mail.outbox[-1].body
    # The referral may ask again.
    assert _ask(centre, slot=centre.slots[1]).is_pending


def test_cancelling_the_permanence_declines_its_requests(clinic, centre):
    request = _ask(centre)
    permanence_session_cancel(session=centre.session, actor=clinic.coordinator, reason="Grève des transports")
    request.refresh_from_db()
    assert request.status == SlotRequest.Status.DECLINED
    assert "Grève des transports" in request.decline_reason


def test_the_referrer_sees_place_date_time_and_answer_only(clinic, centre):
    request = _ask(centre)
    state = selectors.referral_slot_requests(referral=centre.accepted)
    assert state["slot_requests"] == [request] and not state["may_request_slot"]
    slot_request_decline(slot_request=request, actor=clinic.coordinator, reason="Complet")
    state = selectors.referral_slot_requests(referral=centre.accepted)
    assert state["may_request_slot"]


def test_free_slots_for_a_referral_are_the_teams_coming_free_ones_by_day(clinic, centre):
    permanence_slot_book(slot=centre.slots[0], actor=clinic.coordinator, case=CaseFactory(team=clinic.team))
    later = PermanenceSessionFactory(
        team=clinic.team, location=clinic.location, date=timezone.localdate() + timedelta(days=3)
    )
    cancelled = PermanenceSessionFactory(
        team=clinic.team, location=clinic.location, date=timezone.localdate() + timedelta(days=4)
    )
    PermanenceSession.objects.filter(pk=cancelled.pk).update(status=PermanenceSession.Status.CANCELLED)
    PermanenceSessionFactory(team=clinic.team, date=timezone.localdate() - timedelta(days=1))
    PermanenceSessionFactory(team=clinic.other_team, location=clinic.other_location)
    days = selectors.referral_free_slots(referral=centre.accepted)
    assert [d.day for d in days] == [centre.session.date, later.date]
    assert days[0].slots == centre.slots[1:]
    assert len(days[1].slots) == 4


# --- Two coordinators confirming two requests for one slot at once ------------------------


def _refused_or_error(outcome) -> str:
    if isinstance(outcome, ValidationError):
        return "refused: " + " ".join(outcome.messages)
    return outcome if isinstance(outcome, str) else f"error: {outcome!r}"  # anything else fails the test


def _confirm_concurrently(pairs: list[tuple[int, int]]) -> list[str]:
    def ready(request_pk: int, actor_pk: int):
        return SlotRequest.objects.get(pk=request_pk), User.objects.get(pk=actor_pk)

    def confirm(request, actor) -> str:
        slot_request_confirm(slot_request=request, actor=actor)
        return "confirmed"

    return [_refused_or_error(o) for o in at_once(confirm, pairs, ready=ready, timeout=30)]


def _race(clinic, centre):
    second = make_user_with_role(Role.COORDINATOR, team=clinic.team, username="coordinator2")
    other = ReferralFactory(
        team=clinic.team, organisation=centre.organisation, submitted_by=centre.referrer, accepted=True
    )
    slot = centre.slots[0]
    first = _ask(centre, slot=slot)
    rival = _ask(centre, referral=other, slot=slot)
    results = _confirm_concurrently([(first.pk, clinic.coordinator.pk), (rival.pk, second.pk)])
    assert sorted(r.split(":")[0] for r in results) == ["confirmed", "refused"], results
    refusal = next(r for r in results if r.startswith("refused"))
    # The threads run in the default language (French): accept either wording.
    assert "no longer free" in refusal or "plus libre" in refusal
    assert PermanenceBooking.objects.filter(slot=slot).exclude(status="cancelled").count() == 1
    statuses = sorted(SlotRequest.objects.values_list("status", flat=True))
    assert statuses == ["confirmed", "pending"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_confirming_two_requests_for_one_slot_on_postgresql(clinic, centre):
    assert connection.vendor == "postgresql"
    _race(clinic, centre)


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_confirming_two_requests_for_one_slot(clinic, centre):
    _race(clinic, centre)


# --- Walk-in places ------------------------------------------------------------------------


def _today_session(clinic, places=2):
    return PermanenceSessionFactory(
        team=clinic.team, location=clinic.location, date=timezone.localdate(), walk_in_places=places
    )


def test_walk_ins_beyond_the_places_are_refused(clinic):
    session = _today_session(clinic, places=2)
    for _i in range(2):
        permanence_walk_in_record(session=session, actor=clinic.psychologist, case=CaseFactory(team=clinic.team))
    with pytest.raises(ValidationError) as exc:
        permanence_walk_in_record(session=session, actor=clinic.coordinator, case=clinic.case)
    assert exc.value.messages == ["All 2 walk-in places of this permanence are used."]
    assert PermanenceBooking.objects.filter(session=session, slot__isnull=True).count() == 2


def test_a_cancelled_walk_in_frees_its_place_and_slots_do_not_count(clinic):
    session = _today_session(clinic, places=1)
    PermanenceBookingFactory(session=session, case=CaseFactory(team=clinic.team))  # a slot, not a walk-in
    walk_in = permanence_walk_in_record(session=session, actor=clinic.psychologist, case=CaseFactory(team=clinic.team))
    with pytest.raises(ValidationError) as exc:
        permanence_walk_in_record(session=session, actor=clinic.psychologist, case=clinic.case)
    assert exc.value.messages == ["The 1 walk-in place of this permanence is already used."]
    PermanenceBooking.objects.filter(pk=walk_in.pk).update(status="cancelled", cancel_reason="Saisie en double")
    assert permanence_walk_in_record(session=session, actor=clinic.psychologist, case=clinic.case).pk


def test_a_session_without_walk_in_places_takes_none(clinic):
    session = _today_session(clinic, places=0)
    with pytest.raises(ValidationError) as exc:
        permanence_walk_in_record(session=session, actor=clinic.psychologist, case=clinic.case)
    assert "no walk-in places" in exc.value.messages[0]


def _walk_in_concurrently(session_pk: int, actor_pks: list[int], case_pks: list[int]) -> list[str]:
    from cases.models import Case

    def ready(actor_pk: int, case_pk: int):
        session = PermanenceSession.objects.get(pk=session_pk)
        return session, User.objects.get(pk=actor_pk), Case.objects.get(pk=case_pk)

    def walk_in(session, actor, case) -> str:
        permanence_walk_in_record(session=session, actor=actor, case=case)
        return "recorded"

    pairs = zip(actor_pks, case_pks, strict=True)
    return [_refused_or_error(o) for o in at_once(walk_in, pairs, ready=ready, timeout=30)]


def _walk_in_race(clinic):
    session = _today_session(clinic, places=1)
    other = CaseFactory(team=clinic.team)
    results = _walk_in_concurrently(
        session.pk, [clinic.coordinator.pk, clinic.psychologist.pk], [clinic.case.pk, other.pk]
    )
    assert sorted(r.split(":")[0] for r in results) == ["recorded", "refused"], results
    assert PermanenceBooking.objects.filter(session=session, slot__isnull=True).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_walk_ins_for_the_last_place_at_once_on_postgresql(clinic):
    assert connection.vendor == "postgresql"
    _walk_in_race(clinic)


@pytest.mark.django_db(transaction=True)
def test_two_walk_ins_for_the_last_place_at_once(clinic):
    _walk_in_race(clinic)


def test_erasing_the_person_blanks_the_reason_kept_in_the_declined_slot_message(clinic, centre):
    from integrapsy.gdpr import ERASERS
    from integrapsy.notifications.models import OutboxMessage
    from integrapsy.tests.erasure import rows_containing

    reason = "Dawit suivi au CMP de Lens"
    slot_request_decline(slot_request=_ask(centre), actor=clinic.coordinator, reason=reason)
    assert OutboxMessage.objects.filter(template="permanence.slot_declined").count() == 2
    assert any("OutboxMessage" in row for row in rows_containing(reason))
    for _name, eraser in ERASERS:  # as erasing the person's identity does
        eraser(centre.accepted.person)
    assert not any("OutboxMessage" in row for row in rows_containing(reason))
