from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from cases.models import PermanenceBooking, PermanenceSession, SlotAttendance
from cases.permanences.services import permanence_slot_book
from cases.tests.factories import CaseFactory, PermanenceBookingFactory, PermanenceSessionFactory
from cases.tests.helpers import count_queries
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role

pytestmark = pytest.mark.django_db


def _tomorrow_session(clinic, **kw):
    return PermanenceSessionFactory(team=clinic.team, location=clinic.location, psychologist=clinic.psychologist, **kw)


def test_the_week_shows_sessions_with_free_and_booked_counts(client, clinic):
    session = _tomorrow_session(clinic)
    PermanenceBookingFactory(session=session, case=clinic.case)
    PermanenceSessionFactory(team=clinic.other_team, location=clinic.other_location)
    client.force_login(clinic.social_worker)
    response = client.get(reverse("cases:permanence_week"), {"week": session.date.isoformat()})
    html = response.content.decode()
    assert f'data-session="{session.code}"' in html
    assert 'data-free="3" data-booked="1"' in html
    assert "Croix-Rouge" not in html  # another team's permanence
    time_and_place = f"{session.start_time:%H:%M}–{session.end_time:%H:%M} · {clinic.location.name}</a>"
    assert time_and_place in html
    assert f'<div class="small">{clinic.psychologist}</div>' in html


def test_a_session_of_the_week_names_its_interpreting_language_and_says_it_is_cancelled(client, clinic):
    session = _tomorrow_session(clinic, interpreter_language=clinic.tigrinya)
    cancelled = _tomorrow_session(
        clinic, status=PermanenceSession.Status.CANCELLED, start_time=time(14), end_time=time(16)
    )
    client.force_login(clinic.social_worker)
    html = client.get(reverse("cases:permanence_week"), {"week": session.date.isoformat()}).content.decode()
    assert f"{clinic.psychologist} · {clinic.tigrinya.name}</div>" in html
    cancelled_line = html[html.index(f'data-session="{cancelled.code}"') :]
    assert 'class="fw-semibold session-cancelled"' in cancelled_line.split("</li>")[0]


def test_the_week_writes_its_counts_and_links_in_the_readers_language(client, clinic):
    session = _tomorrow_session(clinic, walk_in_places=4)
    PermanenceBookingFactory(session=session, case=clinic.case)
    client.force_login(clinic.social_worker)
    html = client.get(reverse("cases:permanence_week"), {"week": session.date.isoformat()}).content.decode()
    assert f'href="{reverse("cases:permanence_detail", args=[session.code])}"' in html
    assert ">3 libres<" in html and ">1 réservé<" in html and ">sans rendez-vous 0/4<" in html
    client.post(reverse("set_language"), {"language": "en"})
    html = client.get(reverse("cases:permanence_week"), {"week": session.date.isoformat()}).content.decode()
    assert ">3 free<" in html and ">1 booked<" in html and ">walk-ins 0/4<" in html
    today = timezone.localdate()
    assert [day.day for day in _week(clinic, today) if day.is_today] == [today]
    assert not any(day.is_today for day in _week(clinic, today + timedelta(days=14)))


def _week(clinic, monday):
    from cases.permanences import selectors

    return selectors.permanence_week(user=clinic.social_worker, monday=selectors.week_start(monday))


def test_the_week_filters_by_place_and_psychologist(client, clinic):
    session = _tomorrow_session(clinic)
    client.force_login(clinic.coordinator)
    url = reverse("cases:permanence_week")
    week = session.date.isoformat()
    colleague = make_user_with_role(Role.PSYCHOLOGIST, team=clinic.team, username="psy2")
    html = client.get(url, {"week": week, "psychologist": colleague.code}).content.decode()
    assert str(session.code) not in html
    html = client.get(url, {"week": week, "location": clinic.location.code}).content.decode()
    assert str(session.code) in html


def test_the_week_filter_draws_its_kept_lists_as_its_fields_would_and_checks_a_value_sent(client, clinic):
    from cases.permanences import selectors
    from cases.permanences.forms import WeekFilterForm
    from integrapsy.accounts.models import Membership

    # A psychologist of both teams, and one of the team only: each listed once, by last name.
    both = make_user_with_role(Role.PSYCHOLOGIST, team=clinic.team, username="psy-both", last_name="Aubert")
    Membership.objects.create(user=both, team=clinic.other_team, role=Role.PSYCHOLOGIST)
    coordinator = make_user_with_role(Role.COORDINATOR, team=clinic.team, username="coord-both")
    Membership.objects.create(user=coordinator, team=clinic.other_team, role=Role.COORDINATOR)
    form = WeekFilterForm(None, **selectors.week_filter_choices(user=coordinator))
    drawn = {name: str(form[name]) for name in ("location", "psychologist")}
    for name in drawn:  # what the field draws from its queryset, as before the lists were kept
        form.fields[name].widget.choices = form.fields[name].choices
    assert drawn == {name: str(form[name]) for name in drawn}
    assert drawn["psychologist"].count(f'value="{both.code}"') == 1
    assert "CAES Croisilles" in drawn["location"] and "Croix-Rouge Tournai" in drawn["location"]
    # The social worker sees the team's place only, and a place of the other team sent is refused.
    client.force_login(clinic.social_worker)
    url = reverse("cases:permanence_week")
    page = client.get(url, {"location": clinic.other_location.code})
    assert "location" in page.context["form"].errors
    assert "Croix-Rouge" not in str(page.context["form"]["location"])


def test_the_week_view_query_count_does_not_grow_with_sessions(client, clinic):
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    first = _tomorrow_session(clinic, date=monday)
    PermanenceBookingFactory(session=first, case=clinic.case)
    client.force_login(clinic.coordinator)
    url = f"{reverse('cases:permanence_week')}?week={monday.isoformat()}"
    one = count_queries(client, url)
    for i in range(29):
        session = _tomorrow_session(clinic, date=monday + timedelta(days=i % 7), start_time=time(13), end_time=time(16))
        PermanenceBookingFactory(session=session, case=CaseFactory(team=clinic.team))
    assert PermanenceSession.objects.count() == 30
    assert count_queries(client, url) == one


def test_the_session_page_query_count_does_not_grow_with_bookings(client, clinic):
    session = _tomorrow_session(clinic, end_time=time(18), slot_minutes=15, with_slots=False)
    from cases.models import PermanenceSlot
    from cases.permanences.services import _slot_times

    PermanenceSlot.objects.bulk_create(
        [PermanenceSlot(session=session, start_time=s, end_time=e) for s, e in _slot_times(time(9), time(18), 15)]
    )
    slots = list(session.slots.order_by("start_time"))
    PermanenceBookingFactory(session=session, slot=slots[0], case=clinic.case)
    client.force_login(clinic.psychologist)
    url = reverse("cases:permanence_detail", args=[session.code])
    one = count_queries(client, url)
    sheet = count_queries(client, reverse("cases:permanence_sheet", args=[session.code]))
    for slot in slots[1:30]:
        PermanenceBookingFactory(session=session, slot=slot, case=CaseFactory(team=clinic.team))
    assert count_queries(client, url) == one
    assert count_queries(client, reverse("cases:permanence_sheet", args=[session.code])) == sheet


def _plan(client, clinic, *, follow=False, **fields):
    """The coordinator posts the planning form: tomorrow 09:00-12:00 in 45-minute slots, unless said otherwise."""
    client.force_login(clinic.coordinator)
    data = {
        "location": clinic.location.pk,
        "date": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "slot_minutes": "45",
        "walk_in_places": "2",
        "psychologist": clinic.psychologist.pk,
        "weeks": "1",
    }
    return client.post(reverse("cases:permanence_new"), {**data, **fields}, follow=follow)


def test_a_coordinator_plans_a_weekly_series(client, clinic):
    response = _plan(
        client,
        clinic,
        ambassador=clinic.ambassador.pk,
        interpreter=clinic.interpreter.pk,
        interpreter_language=clinic.tigrinya.pk,
        weeks="8",
    )
    assert response.status_code == 302
    assert PermanenceSession.objects.filter(location=clinic.location).count() == 8


def test_a_bad_series_comes_back_with_the_error_beside_the_field_and_the_input_kept(client, clinic):
    response = _plan(client, clinic, end_time="11:50", walk_in_places="3", weeks="4")
    assert response.status_code == 400
    form = response.context["form"]
    assert "slot_minutes" in form.errors
    html = response.content.decode()
    assert 'value="11:50"' in html and 'value="3"' in html
    assert not PermanenceSession.objects.exists()


def test_booking_a_slot_from_the_session_page(client, clinic):
    session = _tomorrow_session(clinic)
    slot = session.slots.order_by("start_time").first()
    client.force_login(clinic.coordinator)
    url = reverse("cases:slot_book", args=[slot.code])
    assert clinic.case.reference in client.get(url).content.decode()
    response = client.post(url, {"case": clinic.case.reference, "note": "Vient avec son frère"})
    assert response.status_code == 302
    assert PermanenceBooking.objects.get(slot=slot).case == clinic.case


def test_a_taken_slot_is_refused_with_a_message_and_the_input_kept(client, clinic):
    session = _tomorrow_session(clinic)
    slot = session.slots.first()
    permanence_slot_book(slot=slot, actor=clinic.coordinator, case=CaseFactory(team=clinic.team))
    client.force_login(clinic.social_worker)
    response = client.post(
        reverse("cases:slot_book", args=[slot.code]), {"case": clinic.case.reference, "note": "Note gardée"}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert "Note gardée" in response.content.decode()
    assert PermanenceBooking.objects.filter(slot=slot).count() == 1


def test_booking_from_the_case_page_lists_free_slots_only(client, clinic):
    session = _tomorrow_session(clinic)
    taken, free = list(session.slots.order_by("start_time"))[:2]
    permanence_slot_book(slot=taken, actor=clinic.coordinator, case=CaseFactory(team=clinic.team))
    client.force_login(clinic.coordinator)
    url = reverse("cases:case_book", args=[clinic.case.reference])
    html = client.get(url).content.decode()
    assert str(free.code) in html and str(taken.code) not in html
    response = client.post(url, {"slot": free.code})
    assert response.status_code == 302
    assert PermanenceBooking.objects.get(slot=free).case == clinic.case


def test_marking_attended_offers_the_prefilled_consultation_to_the_psychologist(client, clinic):
    session = _tomorrow_session(clinic, date=timezone.localdate())
    booking = PermanenceBookingFactory(session=session, case=clinic.case)
    client.force_login(clinic.psychologist)
    response = client.post(reverse("cases:booking_attendance", args=[booking.code]), {"status": "attended"})
    expected = reverse("cases:consultation_new", args=[clinic.case.reference])
    assert response.status_code == 302 and response["Location"] == f"{expected}?booking={booking.code}"
    form_page = client.get(response["Location"])
    assert form_page.context["form"].initial["duration_minutes"] == 45
    assert form_page.context["form"].initial["place"] == clinic.location.pk


def test_seen_before_the_slots_time_the_consultation_starts_now_and_saves_as_a_draft(client, clinic):
    """Marked attended at 8:10 for a 9:00 slot: the form starts at 8:10, never at a time to come."""
    from datetime import datetime

    from cases.models import Consultation
    from integrapsy import clock

    session = _tomorrow_session(clinic)
    booking = PermanenceBookingFactory(session=session, case=clinic.case, slot=session.slots.order_by("start_time")[0])
    early = timezone.make_aware(datetime.combine(session.date, time(8, 10, 30)))
    client.force_login(clinic.psychologist)
    with clock.as_of(early):
        response = client.post(reverse("cases:booking_attendance", args=[booking.code]), {"status": "attended"})
        assert response.status_code == 302
        form = client.get(response["Location"]).context["form"]
        started_at = form.initial["started_at"]
        assert started_at == early.replace(second=0)
        data = {
            "started_at": timezone.localtime(started_at).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": form.initial["duration_minutes"],
            "mode": form.initial["mode"],
            "place": form.initial["place"],
            "kind": "first_assessment",
            "notes": "Vu en avance",
            "action": "draft",
        }
        saved = client.post(response["Location"], data)
    assert saved.status_code == 302, saved.context["form"].errors
    consultation = Consultation.objects.get(booking=booking)
    assert consultation.started_at == early.replace(second=0) and not consultation.is_signed


def test_seen_after_the_slots_time_the_consultation_starts_at_the_slot(client, clinic):
    from datetime import datetime

    from integrapsy import clock

    session = _tomorrow_session(clinic)
    booking = PermanenceBookingFactory(session=session, case=clinic.case, slot=session.slots.order_by("start_time")[1])
    client.force_login(clinic.psychologist)
    with clock.as_of(timezone.make_aware(datetime.combine(session.date, time(11, 30)))):
        client.post(reverse("cases:booking_attendance", args=[booking.code]), {"status": "attended"})
        url = reverse("cases:consultation_new", args=[clinic.case.reference])
        form = client.get(url, {"booking": booking.code}).context["form"]
    assert form.initial["started_at"] == timezone.make_aware(datetime.combine(session.date, time(9, 45)))


def test_a_social_worker_may_only_cancel_an_appointment(client, clinic):
    booking = PermanenceBookingFactory(session=_tomorrow_session(clinic), case=clinic.case)
    client.force_login(clinic.social_worker)
    url = reverse("cases:booking_attendance", args=[booking.code])
    choices = [c[0] for c in client.get(url).context["form"].fields["status"].choices]
    assert choices == ["cancelled"]
    response = client.post(url, {"status": "cancelled", "cancelled_by_party": "", "cancel_reason": ""})
    assert response.status_code == 400
    assert {"cancelled_by_party", "cancel_reason"} <= set(response.context["form"].errors)
    booking.refresh_from_db()
    assert booking.status == SlotAttendance.BOOKED


def test_the_day_sheet_lists_names_languages_and_interpreters(client, clinic):
    session = _tomorrow_session(clinic)
    permanence_slot_book(
        slot=session.slots.first(),
        actor=clinic.coordinator,
        case=clinic.case,
        interpreter_needed=True,
        interpreter_language=clinic.tigrinya,
    )
    client.force_login(clinic.coordinator)
    html = client.get(reverse("cases:permanence_sheet", args=[session.code])).content.decode()
    assert "Dawit Gebremedhin" in html and html.count("Tigrinya") >= 2


def test_the_coordinators_home_lists_appointments_not_recorded(client, clinic):
    past = _tomorrow_session(clinic, date=timezone.localdate() - timedelta(days=1))
    booking = PermanenceBookingFactory(session=past, case=clinic.case)
    client.force_login(clinic.coordinator)
    html = client.get(reverse("home")).content.decode()
    assert 'id="home-not-recorded"' in html
    assert reverse("cases:booking_attendance", args=[booking.code]) in html
    client.force_login(clinic.social_worker)
    assert 'id="home-not-recorded"' not in client.get(reverse("home")).content.decode()


def test_the_psychologists_home_lists_their_coming_permanences(client, clinic):
    session = _tomorrow_session(clinic)
    client.force_login(clinic.psychologist)
    html = client.get(reverse("home")).content.decode()
    assert reverse("cases:permanence_detail", args=[session.code]) in html


def test_a_coordinator_cancels_one_occurrence(client, clinic):
    session = _tomorrow_session(clinic)
    client.force_login(clinic.coordinator)
    url = reverse("cases:permanence_cancel", args=[session.code])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Psychologue malade"}).status_code == 302
    session.refresh_from_db()
    assert session.is_cancelled


def test_another_teams_permanence_is_a_404(client, clinic):
    session = PermanenceSessionFactory(team=clinic.other_team, location=clinic.other_location)
    client.force_login(clinic.coordinator)
    assert client.get(reverse("cases:permanence_detail", args=[session.code])).status_code == 404
    slot = session.slots.first()
    assert client.post(reverse("cases:slot_book", args=[slot.code]), {"case": clinic.case.reference}).status_code == 404


def _offered(response) -> list[str]:
    return [value for value, _label in response.context["form"].fields["case"].choices if value]


def test_the_booking_form_offers_the_most_recent_cases_and_finds_others(client, clinic, monkeypatch):
    from cases.permanences import selectors as permanence_selectors
    from cases.tests.factories import PersonFactory

    monkeypatch.setattr(permanence_selectors, "BOOKABLE_SHOWN", 5)
    today = timezone.localdate()
    old = CaseFactory(
        team=clinic.team,
        opened_on=today - timedelta(days=400),
        person=PersonFactory(first_name="Selam", last_name="Ghebremedhin"),
    )
    for i in range(8):
        CaseFactory(team=clinic.team, opened_on=today - timedelta(days=i))
    slot = _tomorrow_session(clinic).slots.first()
    client.force_login(clinic.coordinator)
    url = reverse("cases:slot_book", args=[slot.code])
    listed = client.get(url)
    assert len(_offered(listed)) == 5 and old.reference not in _offered(listed)
    assert 'id="case-search"' in listed.content.decode()
    found = client.get(url, {"q": "ghebre"})
    assert _offered(found) == [old.reference]
    # A case chosen from a search is valid when the form is posted.
    response = client.post(url, {"case": old.reference, "q": "ghebre"})
    assert response.status_code == 302
    assert PermanenceBooking.objects.get(slot=slot).case == old


def test_the_booking_form_never_offers_another_teams_case(client, clinic):
    other = CaseFactory(team=clinic.other_team)
    slot = _tomorrow_session(clinic).slots.first()
    client.force_login(clinic.coordinator)
    url = reverse("cases:slot_book", args=[slot.code])
    assert other.reference not in _offered(client.get(url, {"q": other.reference}))
    response = client.post(url, {"case": other.reference})
    assert response.status_code == 400 and "case" in response.context["form"].errors
    assert not PermanenceBooking.objects.filter(slot=slot).exists()


def test_the_booking_forms_query_count_does_not_grow_with_cases(client, clinic):
    session = _tomorrow_session(clinic, walk_in_places=3)
    client.force_login(clinic.coordinator)
    urls = [
        reverse("cases:slot_book", args=[session.slots.first().code]),
        reverse("cases:permanence_walk_in", args=[session.code]),
    ]
    before = [count_queries(client, url) for url in urls]
    CaseFactory.create_batch(30, team=clinic.team)
    assert [count_queries(client, url) for url in urls] == before


def test_a_nul_in_the_booking_search_is_ignored(client, clinic):
    slot = _tomorrow_session(clinic).slots.first()
    client.force_login(clinic.coordinator)
    url = reverse("cases:slot_book", args=[slot.code])
    assert client.get(url, {"q": "Da\x00wit"}).status_code == 200
    assert client.post(url, {"q": "\x00", "case": clinic.case.reference}).status_code == 302


def test_attendance_sent_twice_with_its_key_is_recorded_once(client, clinic):
    from cases.models import TimelineEvent

    session = _tomorrow_session(clinic, date=timezone.localdate())
    booking = PermanenceBookingFactory(session=session, case=clinic.case)
    client.force_login(clinic.psychologist)
    url = reverse("cases:booking_attendance", args=[booking.code])
    headers = {"Idempotency-Key": "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f", "X-Offline-Queued": "1"}
    before = TimelineEvent.objects.filter(case=clinic.case).count()
    answers = [client.post(url, {"status": "attended"}, headers=headers) for _ in range(2)]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert answers[1]["Idempotent-Replayed"] == "true"
    booking.refresh_from_db()
    assert booking.status == SlotAttendance.ATTENDED
    assert TimelineEvent.objects.filter(case=clinic.case).count() - before <= 1


def test_the_attendance_page_holds_first_names_and_times_only(client, clinic):
    session = _tomorrow_session(clinic, date=timezone.localdate())
    slot = session.slots.order_by("start_time").first()
    booking = PermanenceBookingFactory(
        session=session, slot=slot, case=clinic.case, note="Vient avec sa sœur", interpreter_language=clinic.tigrinya
    )
    client.force_login(clinic.psychologist)
    url = reverse("cases:permanence_attendance", args=[session.code])
    html = client.get(url).content.decode()
    person = booking.person
    assert person.first_name in html and slot.start_time.strftime("%H:%M") in html
    assert person.last_name not in html
    assert "Vient avec sa sœur" not in html and "Tigrinya" not in html
    assert reverse("cases:booking_attendance", args=[booking.code]) in html
    assert "data-offline=" in html
    client.force_login(clinic.social_worker)
    assert client.get(url).status_code == 404


def test_the_attendance_page_query_count_does_not_grow_with_bookings(client, clinic):
    session = _tomorrow_session(clinic, date=timezone.localdate(), slot_minutes=15)
    slots = list(session.slots.order_by("start_time"))
    PermanenceBookingFactory(session=session, slot=slots[0], case=clinic.case)
    client.force_login(clinic.coordinator)
    url = reverse("cases:permanence_attendance", args=[session.code])
    one = count_queries(client, url)
    for slot in slots[1:]:
        PermanenceBookingFactory(session=session, slot=slot, case=CaseFactory(team=clinic.team))
    assert len(slots) > 3
    assert count_queries(client, url) == one


# --- French plurals and dates --------------------------------------------------------------


def test_the_counts_agree_with_their_number_in_french(client, clinic):
    session = _tomorrow_session(clinic)
    PermanenceBookingFactory(session=session, case=clinic.case)
    client.force_login(clinic.coordinator)
    week = client.get(reverse("cases:permanence_week"), {"week": session.date.isoformat()}).content.decode()
    assert "3 libres" in week and "1 réservé<" in week and "1 réservés" not in week
    detail = client.get(reverse("cases:permanence_detail", args=[session.code])).content.decode()
    assert '<span id="slots-free">3 libres</span>, <span id="slots-booked">1 réservé</span>' in detail
    empty = _tomorrow_session(clinic, date=session.date + timedelta(days=1))
    detail = client.get(reverse("cases:permanence_detail", args=[empty.code])).content.decode()
    assert '<span id="slots-free">4 libres</span>, <span id="slots-booked">0 réservé</span>' in detail


def test_planning_one_permanence_says_it_in_the_singular(client, clinic):
    response = _plan(client, clinic, follow=True)
    html = response.content.decode()
    assert "1 permanence planifiée." in html and "(s)" not in html


def test_the_walk_in_page_shows_the_date_as_the_reader_writes_it(client, clinic):
    session = _tomorrow_session(clinic, date=timezone.localdate().replace(day=1) + timedelta(days=62))
    client.force_login(clinic.coordinator)
    html = client.get(reverse("cases:permanence_walk_in", args=[session.code])).content.decode()
    assert session.date.isoformat() not in html.split("<main", 1)[-1].split("<form", 1)[0]
    with translation.override("fr"):
        assert f"{date_format(session.date)} 09:00" in html
