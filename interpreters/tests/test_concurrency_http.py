"""Fifty coordinators confirm conflicting bookings of one interpreter at once, through the views."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.tests.factories import CaseFactory
from integrapsy.accounts.tests.factories import TeamFactory
from integrapsy.tests.concurrency import at_once
from interpreters.models import BookingStatus, InterpreterBooking
from interpreters.tests.factories import InterpreterFactory, overlapping_offers, team_coordinator

REQUESTS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_confirmations_one_succeeds_the_others_are_refused_clearly():
    team = TeamFactory(name="Équipe concurrence HTTP")
    coordinator = team_coordinator(team)
    interpreter = InterpreterFactory(username="course-http")
    bookings = overlapping_offers(team, interpreter, REQUESTS, case=CaseFactory(team=team))
    clients = []
    for _ in range(REQUESTS):
        client = Client()
        client.force_login(coordinator)
        clients.append(client)

    def confirm(client, booking):
        response = client.post(
            reverse("interpreters:booking_confirm", args=[booking.code]), {"interpreter": interpreter.code}
        )
        return response.status_code, response.content.decode()

    outcomes = at_once(confirm, zip(clients, bookings, strict=True), timeout=120)
    # Any failure must show in the assertion.
    results = [(0, repr(o)) if isinstance(o, Exception) else o for o in outcomes]
    statuses = sorted(status for status, _body in results)
    assert statuses == [302] + [409] * (REQUESTS - 1), [(s, b[:200]) for s, b in results if s not in (302, 409)]
    refusals = [body for status, body in results if status == 409]
    # A clear refusal: the match page again, with the reason on top, and no traceback.
    assert all('id="match-error"' in body and "Traceback" not in body for body in refusals)
    assert InterpreterBooking.objects.filter(interpreter=interpreter, status=BookingStatus.CONFIRMED).count() == 1
    assert InterpreterBooking.objects.filter(interpreter=interpreter, status=BookingStatus.OFFERED).count() == 49
