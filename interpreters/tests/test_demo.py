"""The interpreters' demo uses the persons of the cases demo and tells one long continuity story."""

from io import StringIO

import pytest
from django.core.management import call_command

from cases.models import Person
from interpreters.models import BookingStatus, InterpreterBooking
from interpreters.selectors import match_interpreters

pytestmark = pytest.mark.django_db


def test_it_books_for_the_cases_demo_persons_with_a_long_history(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    persons = Person.objects.count()
    hewan = InterpreterBooking.objects.filter(case__person__first_name="Hewan", case__person__last_name="Kidane")
    history = hewan.filter(status=BookingStatus.COMPLETED, interpreter__user__username="interpreter")
    assert history.count() == 6
    # Every booking serves a case of the cases demo, each within the case's life.
    for booking in InterpreterBooking.objects.select_related("case__person"):
        assert (booking.case.person.first_name, booking.case.person.last_name) in {
            ("Hewan", "Kidane"),
            ("Ahmad Shah", "Noori"),
            ("Yonas", "Tesfamariam"),
            ("Rebwar", "Aziz"),
        }
        assert booking.starts_at.date() >= booking.case.opened_on
    # The next request for Hewan goes to the interpreter she knows.
    offered = hewan.get(status=BookingStatus.OFFERED)
    assert match_interpreters(booking=offered)[0].interpreter.user.username == "interpreter"
    call_command("seed_demo", stdout=StringIO())
    assert Person.objects.count() == persons
