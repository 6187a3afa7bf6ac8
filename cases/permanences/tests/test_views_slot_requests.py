"""Pages of the slot requests: the referrer's, the coordinators' list and answers; the walk-in cap."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import PermanenceBooking, PermanenceSlot, SlotRequest
from cases.permanences.services import (
    _slot_times,
    permanence_session_cancel,
    permanence_slot_book,
    permanence_walk_in_record,
)
from cases.tests.factories import CaseFactory, PermanenceSessionFactory, ReferralFactory, SlotRequestFactory
from cases.tests.helpers import count_queries
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import OrganisationFactory, make_user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english(client):
    """These tests read the messages: the pages and the tests run in English (the default is French)."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def _accepted_referral(clinic, centre, **kw):
    return ReferralFactory(
        team=clinic.team, organisation=centre.organisation, submitted_by=centre.referrer, accepted=True, **kw
    )


# --- The referrer -------------------------------------------------------------------------


def test_the_referrer_picks_a_free_slot_grouped_by_day(client, clinic, centre):
    permanence_slot_book(slot=centre.slots[0], actor=clinic.coordinator, case=CaseFactory(team=clinic.team))
    other = PermanenceSessionFactory(team=clinic.other_team, location=clinic.other_location)
    client.force_login(centre.referrer)
    status_page = client.get(reverse("cases:referral_status", args=[centre.accepted.code])).content.decode()
    url = reverse("cases:referral_status_slot", args=[centre.accepted.code])
    assert url in status_page
    html = client.get(url).content.decode()
    assert f'data-day="{centre.session.date:%Y-%m-%d}"' in html
    assert str(centre.slots[0].code) not in html  # booked
    assert all(str(s.code) in html for s in centre.slots[1:])
    assert str(other.slots.first().code) not in html  # another team's
    assert "09:45–10:30 · CAES Croisilles" in html
    assert clinic.psychologist.get_full_name() not in html

    response = client.post(
        url,
        {
            "slot": centre.slots[1].code,
            "interpreter_needed": "on",
            "interpreter_language": clinic.tigrinya.pk,
            "note": "Disponible le matin",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:referral_status", args=[centre.accepted.code]
    )
    request = SlotRequest.objects.get()
    assert request.slot == centre.slots[1] and request.interpreter_language == clinic.tigrinya
    html = client.get(response["Location"]).content.decode()
    assert f'data-slot-request="{request.code}" data-status="pending"' in html
    assert "09:45" in html and "CAES Croisilles" in html and "Waiting for the team" in html
    assert url not in html  # one request at a time
    assert client.get(url).status_code == 302


def test_the_slots_can_be_filtered_by_place(client, clinic, centre):
    from cases.tests.factories import LocationFactory

    arras = LocationFactory(team=clinic.team, name="CADA Arras")
    elsewhere = PermanenceSessionFactory(team=clinic.team, location=arras)
    client.force_login(centre.referrer)
    url = reverse("cases:referral_status_slot", args=[centre.accepted.code])
    html = client.get(url, {"location": arras.code}).content.decode()
    assert str(elsewhere.slots.first().code) in html
    assert str(centre.slots[0].code) not in html


@pytest.mark.parametrize("which", ["booked", "past", "cancelled", "other_team"])
def test_a_slot_that_cannot_be_given_comes_back_with_the_error_beside_the_field_and_the_input_kept(
    client, clinic, centre, which
):
    if which == "booked":
        slot = centre.slots[0]
        permanence_slot_book(slot=slot, actor=clinic.coordinator, case=CaseFactory(team=clinic.team))
        message = "This slot is already booked: choose another one."
    elif which == "past":
        slot = PermanenceSessionFactory(team=clinic.team, date=timezone.localdate() - timedelta(days=2)).slots.first()
        message = "This slot is in the past: choose a coming slot."
    elif which == "cancelled":
        slot = centre.slots[0]
        permanence_session_cancel(session=centre.session, actor=clinic.coordinator, reason="Psychologue malade")
        message = "This permanence is cancelled: choose another slot."
    else:
        slot = PermanenceSessionFactory(team=clinic.other_team, location=clinic.other_location).slots.first()
        message = "Choose a slot of the team your referral was sent to."
    client.force_login(centre.referrer)
    response = client.post(
        reverse("cases:referral_status_slot", args=[centre.accepted.code]),
        {"slot": slot.code, "note": "Note gardée", "interpreter_needed": "on", "interpreter_language": ""},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["slot"] == [message]
    html = response.content.decode()
    assert 'id="slot-error"' in html and message in html
    assert "Note gardée" in html
    assert re.search(r'<input type="checkbox" name="interpreter_needed"[^>]* checked', html)
    assert form.errors["interpreter_language"] == ["Say which language the interpreter must speak."]
    assert not SlotRequest.objects.exists()


def test_no_slot_chosen_is_an_error_beside_the_field(client, centre):
    client.force_login(centre.referrer)
    response = client.post(reverse("cases:referral_status_slot", args=[centre.accepted.code]), {"note": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors["slot"] == ["Choose a slot."]


def test_another_organisations_referral_is_a_404(client, clinic, centre):
    stranger = make_user_with_role(Role.REFERRER, organisation=OrganisationFactory(name="Autre centre"))
    client.force_login(stranger)
    url = reverse("cases:referral_status_slot", args=[centre.accepted.code])
    assert client.get(url).status_code == 404
    assert client.post(url, {"slot": centre.slots[0].code}).status_code == 404
    assert client.get(reverse("cases:referral_status", args=[centre.accepted.code])).status_code == 404
    assert not SlotRequest.objects.exists()


def test_the_referrer_reads_the_decline_reason(client, clinic, centre):
    request = SlotRequestFactory(referral=centre.accepted, slot=centre.slots[0], requested_by=centre.referrer)
    client.force_login(clinic.coordinator)
    url = reverse("cases:permanence_request_decline", args=[request.code])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    assert client.post(url, {"reason": "Complet ce jour-là, essayez jeudi"}).status_code == 302
    client.force_login(centre.referrer)
    html = client.get(reverse("cases:referral_status", args=[centre.accepted.code])).content.decode()
    assert 'data-status="declined"' in html and "Complet ce jour-là, essayez jeudi" in html
    assert reverse("cases:referral_status_slot", args=[centre.accepted.code]) in html  # may ask again


def test_the_referral_status_page_query_count_does_not_grow_with_requests(client, clinic, centre):
    SlotRequestFactory(referral=centre.accepted, slot=centre.slots[0], status="declined", decline_reason="Complet")
    client.force_login(centre.referrer)
    url = reverse("cases:referral_status", args=[centre.accepted.code])
    one = count_queries(client, url)
    for _i in range(29):
        SlotRequestFactory(referral=centre.accepted, status="declined", decline_reason="Complet")
    assert centre.accepted.slot_requests.count() == 30
    assert count_queries(client, url) == one


def test_the_slot_choice_page_query_count_does_not_grow_with_slots(client, clinic, centre):
    client.force_login(centre.referrer)
    url = reverse("cases:referral_status_slot", args=[centre.accepted.code])
    PermanenceSlot.objects.filter(session=centre.session).exclude(pk=centre.slots[0].pk).delete()
    one = count_queries(client, url)
    long = PermanenceSessionFactory(
        team=clinic.team, location=clinic.location, end_time=time(17), slot_minutes=15, with_slots=False
    )
    PermanenceSlot.objects.bulk_create(
        [PermanenceSlot(session=long, start_time=s, end_time=e) for s, e in _slot_times(time(9), time(16, 15), 15)]
    )
    assert PermanenceSlot.objects.count() == 30
    assert count_queries(client, url) == one


# --- The coordinators ---------------------------------------------------------------------


def test_the_coordinator_sees_the_request_on_home_week_and_session_and_confirms_it(client, clinic, centre):
    request = SlotRequestFactory(
        referral=centre.accepted,
        slot=centre.slots[2],
        requested_by=centre.referrer,
        interpreter_needed=True,
        interpreter_language=clinic.tigrinya,
    )
    client.force_login(clinic.coordinator)
    home = client.get(reverse("home")).content.decode()
    assert 'id="home-slot-requests"' in home and reverse("cases:permanence_requests") in home
    week = client.get(reverse("cases:permanence_week"), {"week": centre.session.date.isoformat()})
    assert 'id="requested-slots"' in week.content.decode()
    session_url = reverse("cases:permanence_detail", args=[centre.session.code])
    assert f'data-slot-request="{request.code}"' in client.get(session_url).content.decode()
    listing = client.get(reverse("cases:permanence_requests")).content.decode()
    assert f'data-slot-request="{request.code}"' in listing and "Tigrinya" in listing

    response = client.post(reverse("cases:permanence_request_confirm", args=[request.code]), {"next": session_url})
    assert response.status_code == 302 and response["Location"] == session_url
    booking = PermanenceBooking.objects.get(slot=centre.slots[2])
    assert booking.case == centre.accepted.case and booking.interpreter_language == clinic.tigrinya
    page = client.get(session_url).content.decode()
    assert f'data-slot-request="{request.code}"' not in page
    client.force_login(centre.referrer)
    html = client.get(reverse("cases:referral_status", args=[centre.accepted.code])).content.decode()
    assert 'data-status="confirmed"' in html
    assert booking.case.reference not in html  # what the team holds stays with the team


def test_a_refused_confirmation_comes_back_as_a_clear_message(client, clinic, centre):
    request = SlotRequestFactory(referral=centre.waiting, slot=centre.slots[0], requested_by=centre.referrer)
    client.force_login(clinic.coordinator)
    listing = client.get(reverse("cases:permanence_requests")).content.decode()
    assert "Accept the referral first." in listing
    assert reverse("cases:permanence_request_confirm", args=[request.code]) not in listing
    referral_page = client.get(reverse("cases:referral_detail", args=[centre.waiting.code])).content.decode()
    assert 'id="referral-slot-request"' in referral_page
    response = client.post(reverse("cases:permanence_request_confirm", args=[request.code]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("Accept the referral first" in m for m in messages)
    assert not PermanenceBooking.objects.exists()


def test_a_hostile_next_address_is_not_followed(client, clinic, centre):
    request = SlotRequestFactory(referral=centre.accepted, slot=centre.slots[0])
    client.force_login(clinic.coordinator)
    response = client.post(
        reverse("cases:permanence_request_confirm", args=[request.code]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("cases:permanence_requests")


def test_other_roles_and_teams_cannot_answer(client, clinic, centre):
    request = SlotRequestFactory(referral=centre.accepted, slot=centre.slots[0])
    confirm = reverse("cases:permanence_request_confirm", args=[request.code])
    decline = reverse("cases:permanence_request_decline", args=[request.code])
    for user in (clinic.other_coordinator, clinic.psychologist, clinic.social_worker, centre.referrer):
        client.force_login(user)
        assert client.post(confirm).status_code == 404
        assert client.post(decline, {"reason": "Non"}).status_code == 404
        expected = 200 if user == clinic.other_coordinator else 404
        assert client.get(reverse("cases:permanence_requests")).status_code == expected
    request.refresh_from_db()
    assert request.is_pending
    client.force_login(clinic.other_coordinator)
    assert str(request.code) not in client.get(reverse("cases:permanence_requests")).content.decode()


def test_the_requests_list_query_count_does_not_grow_with_requests(client, clinic, centre):
    SlotRequestFactory(referral=centre.accepted, slot=centre.slots[0])
    client.force_login(clinic.coordinator)
    url = reverse("cases:permanence_requests")
    one = count_queries(client, url)
    home = count_queries(client, reverse("home"))
    session_url = reverse("cases:permanence_detail", args=[centre.session.code])
    session_page = count_queries(client, session_url)
    for i in range(29):
        SlotRequestFactory(
            referral=_accepted_referral(clinic, centre) if i % 2 else ReferralFactory(team=clinic.team),
            slot=centre.slots[i % 4],
            interpreter_needed=bool(i % 3),
            interpreter_language=clinic.tigrinya if i % 3 else None,
        )
    assert SlotRequest.objects.filter(status="pending").count() == 30
    assert count_queries(client, url) == one
    assert count_queries(client, reverse("home")) == home
    assert count_queries(client, session_url) == session_page


# --- Walk-in places -----------------------------------------------------------------------


def test_a_walk_in_beyond_the_places_is_refused_on_the_form_with_the_input_kept(client, clinic):
    session = PermanenceSessionFactory(
        team=clinic.team, location=clinic.location, date=timezone.localdate(), walk_in_places=1
    )
    permanence_walk_in_record(session=session, actor=clinic.psychologist, case=CaseFactory(team=clinic.team))
    client.force_login(clinic.coordinator)
    page = client.get(reverse("cases:permanence_detail", args=[session.code])).content.decode()
    assert "1 of 1 walk-in place used" in page and 'id="walk-ins-full"' in page
    response = client.post(
        reverse("cases:permanence_walk_in", args=[session.code]),
        {"case": clinic.case.reference, "note": "Venu avec son frère"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["The 1 walk-in place of this permanence is already used."]
    html = response.content.decode()
    assert "Venu avec son frère" in html and "already used" in html
    assert PermanenceBooking.objects.filter(session=session, slot__isnull=True).count() == 1


def test_the_session_page_says_how_many_walk_in_places_are_used(client, clinic):
    session = PermanenceSessionFactory(
        team=clinic.team, location=clinic.location, date=timezone.localdate(), walk_in_places=3
    )
    permanence_walk_in_record(session=session, actor=clinic.psychologist, case=clinic.case)
    client.force_login(clinic.psychologist)
    html = client.get(reverse("cases:permanence_detail", args=[session.code])).content.decode()
    assert 'data-used="1" data-places="3"' in html and "1 of 3 walk-in places used" in html
    assert reverse("cases:permanence_walk_in", args=[session.code]) in html


def test_a_walk_in_sent_twice_with_its_key_is_recorded_once(client, clinic):
    session = PermanenceSessionFactory(
        team=clinic.team, location=clinic.location, date=timezone.localdate(), walk_in_places=3
    )
    client.force_login(clinic.psychologist)
    url = reverse("cases:permanence_walk_in", args=[session.code])
    headers = {"Idempotency-Key": "0d9b1c2e-7f3a-4c5d-8e6f-9a0b1c2d3e4f"}
    for _ in range(2):
        assert client.post(url, {"case": clinic.case.reference}, headers=headers).status_code == 302
    assert PermanenceBooking.objects.filter(session=session, slot__isnull=True).count() == 1
