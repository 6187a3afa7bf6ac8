from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from interpreters import services
from interpreters.models import Gender, Mode
from interpreters.selectors import match_interpreters, rank_interpreters, read_week_loads
from interpreters.tests.factories import (
    BookingFactory,
    InterpreterFactory,
    LanguageFactory,
    completed_booking,
    confirmed_booking,
)

pytestmark = pytest.mark.django_db


def _names(suggestions):
    return [s.interpreter.user.first_name for s in suggestions]


def _booking(team, case=None, **kw):
    return BookingFactory(team=team, case=case, **kw)


def _history(team, case, interpreter, times):
    for i in range(times):
        completed_booking(team, interpreter, days_ago=30 * (i + 1), minutes=60, case=case)


def test_continuity_puts_the_interpreter_who_came_before_first(team, case, tir):
    InterpreterFactory(first_name="Abel", username="abel")
    came = InterpreterFactory(first_name="Yonas", username="yonas")
    _history(team, case, came, 3)
    suggestions = match_interpreters(booking=_booking(team, case, language=tir, same_as_before=True))
    assert _names(suggestions) == ["Yonas", "Abel"]
    assert suggestions[0].times_before == 3
    assert any("3" in r for r in suggestions[0].reasons)


@pytest.mark.parametrize(("times", "words"), [(1, "once"), (3, "3 times")])
def test_the_history_reason_is_a_real_plural(team, case, tir, times, words):
    from django.utils import translation

    came = InterpreterFactory(first_name="Yonas", username="yonas")
    _history(team, case, came, times)
    with translation.override("en"):
        reasons = match_interpreters(booking=_booking(team, case, language=tir))[0].reasons
    assert any(f"Has interpreted for this person {words}, last on" in r for r in reasons), reasons
    assert not any("(s)" in r for r in reasons)


def test_more_history_ranks_higher(team, case, tir):
    once = InterpreterFactory(first_name="Once", username="once")
    often = InterpreterFactory(first_name="Often", username="often")
    _history(team, case, once, 1)
    _history(team, case, often, 4)
    assert _names(match_interpreters(booking=_booking(team, case, language=tir)))[:2] == ["Often", "Once"]


def test_excluded_interpreter_is_last_and_not_available_even_on_a_later_booking(team, case, tir):
    unwanted = InterpreterFactory(first_name="Dawit", username="dawit")
    InterpreterFactory(first_name="Selam", username="selam")
    _history(team, case, unwanted, 5)
    earlier = _booking(team, case, language=tir)
    earlier.excluded_interpreters.add(unwanted)
    suggestions = match_interpreters(booking=_booking(team, case, language=tir))
    assert _names(suggestions) == ["Selam", "Dawit"]
    assert not suggestions[-1].available
    assert suggestions[-1].blockers


def test_gender_preference(team, tir):
    InterpreterFactory(first_name="Man", gender=Gender.MALE, username="man")
    InterpreterFactory(first_name="Woman", gender=Gender.FEMALE, username="woman")
    suggestions = match_interpreters(booking=_booking(team, language=tir, gender_preference=Gender.FEMALE))
    assert _names(suggestions) == ["Woman", "Man"]
    assert all(s.available for s in suggestions)


def test_dialect_match_beats_the_language_alone(team):
    arabic = LanguageFactory(code="ara")
    sudanese = LanguageFactory(code="ara", variety="Sudanese")
    moroccan = LanguageFactory(code="ara", variety="Moroccan")
    InterpreterFactory(first_name="Generic", languages=[arabic], username="generic")
    InterpreterFactory(first_name="Sudan", languages=[sudanese], username="sudan")
    InterpreterFactory(first_name="Maroc", languages=[moroccan], username="maroc")
    InterpreterFactory(first_name="Dari", languages=[LanguageFactory(code="prs")], username="dari")
    suggestions = match_interpreters(booking=_booking(team, language=sudanese))
    assert _names(suggestions) == ["Sudan", "Generic", "Maroc"]


def test_busy_interpreter_is_not_available_and_says_why(team, tir, coordinator):
    busy = InterpreterFactory(first_name="Busy", username="busy")
    InterpreterFactory(first_name="Free", username="free")
    booking = _booking(team, language=tir)
    confirmed_booking(
        team, busy, booking.starts_at + timedelta(minutes=30), ends_at=booking.ends_at + timedelta(minutes=30)
    )
    suggestions = match_interpreters(booking=booking)
    assert _names(suggestions) == ["Free", "Busy"]
    assert not suggestions[1].available


def test_mode_and_territory(team, place, tir):
    from integrapsy.accounts.tests.factories import TeamFactory

    InterpreterFactory(first_name="Far", territories=[TeamFactory(name="Ailleurs")], username="far")
    InterpreterFactory(first_name="Near", territories=[team], username="near")
    InterpreterFactory(first_name="PhoneOnly", offers_on_site=False, territories=[team], username="phoneonly")
    booking = _booking(team, language=tir, mode=Mode.ON_SITE, location=place)
    suggestions = match_interpreters(booking=booking)
    assert _names(suggestions) == ["Near", "Far", "PhoneOnly"]
    assert not suggestions[-1].available


def test_declined_earlier_ranks_lower(team, tir, coordinator):
    first = InterpreterFactory(first_name="Aaron", username="aaron")
    InterpreterFactory(first_name="Zoe", username="zoe")
    booking = _booking(team, language=tir)
    services.booking_offer(booking=booking, interpreter=first, actor=coordinator)
    services.booking_decline(booking=booking, actor=first.user)
    assert _names(match_interpreters(booking=booking)) == ["Zoe", "Aaron"]


def _count_queries(booking):
    with CaptureQueriesContext(connection) as ctx:
        match_interpreters(booking=booking)
    return len(ctx.captured_queries)


def test_match_list_query_count_does_not_grow(team, case, tir, place):
    booking = _booking(team, case, language=tir, mode=Mode.ON_SITE, location=place)
    InterpreterFactory(username="first", territories=[team])
    one = _count_queries(booking)
    for i in range(29):
        interpreter = InterpreterFactory(username=f"many{i}", territories=[team])
        _history(team, case, interpreter, 1)
    assert _count_queries(booking) == one


def test_a_suggestion_is_its_interpreter_as_the_model_reads_them_made_without_a_query(team, case, tir):
    made = InterpreterFactory(
        first_name="Selam", last_name="Tesfaye", username="selam", gender=Gender.FEMALE, offers_video=False
    )
    InterpreterFactory(first_name="Abel", username="abel")
    suggestions = {
        s.interpreter.user.username: s for s in match_interpreters(booking=_booking(team, case, language=tir))
    }
    with CaptureQueriesContext(connection) as ctx:
        interpreter = suggestions["selam"].interpreter
        shown = (
            interpreter.pk,
            interpreter.code,
            str(interpreter),
            interpreter.service.name,
            interpreter.get_gender_display(),
            interpreter.offers(Mode.VIDEO),
            interpreter.offers(Mode.PHONE),
        )
    assert ctx.captured_queries == []
    assert shown == (
        made.pk,
        made.code,
        "Selam Tesfaye",
        made.service.name,
        made.get_gender_display(),
        False,
        True,
    )
    assert suggestions["selam"].interpreter is interpreter  # made once


# --- Ranking for a need not booked yet (the language-support planner) ---------------------


def test_a_plan_is_ranked_exactly_like_the_equivalent_booking(team, case, tir, place, coordinator):
    came = InterpreterFactory(first_name="Yonas", username="yonas", territories=[team])
    InterpreterFactory(first_name="Abel", username="abel", gender=Gender.FEMALE)
    InterpreterFactory(first_name="Away", username="away", territories=[team])
    _history(team, case, came, 2)
    booking = _booking(
        team, case, language=tir, mode=Mode.ON_SITE, location=place, gender_preference="M", same_as_before=True
    )
    from interpreters.models import Unavailability

    away = Unavailability.objects.create(
        interpreter=_interpreter("Away"), starts_at=booking.starts_at, ends_at=booking.ends_at
    )
    planned = rank_interpreters(
        user=coordinator,
        language=tir,
        mode=Mode.ON_SITE,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        location=place,
        gender_preference="M",
        case=case,
    )
    booked = match_interpreters(booking=booking)
    assert [(s.interpreter, s.score, s.reasons, s.blockers) for s in planned] == [
        (s.interpreter, s.score, s.reasons, s.blockers) for s in booked
    ]
    assert _names(planned) == ["Yonas", "Abel", "Away"]
    assert planned[0].times_before == 2 and not planned[-1].available
    assert away.interpreter == planned[-1].interpreter


def _interpreter(first_name):
    from interpreters.models import Interpreter

    return Interpreter.objects.get(user__first_name=first_name)


def test_without_a_time_nobody_is_checked_for_being_busy(team, tir, coordinator):
    busy = InterpreterFactory(first_name="Busy", username="busy")
    start = timezone.now() + timedelta(days=2)
    confirmed_booking(team, busy, start, ends_at=start + timedelta(hours=1))
    planned = rank_interpreters(user=coordinator, language=tir, mode=Mode.PHONE)
    assert planned[0].available
    read_week_loads(planned)
    assert planned[0].load == 1  # one booking in the coming seven days


def test_the_load_counts_the_bookings_held_in_the_week_wanted(team, tir, coordinator):
    busy = InterpreterFactory(first_name="Busy", username="busy")
    monday = timezone.localdate() + timedelta(days=14 - timezone.localdate().weekday())
    for day in (0, 2, 9):  # Monday and Wednesday of that week, and the week after
        start = timezone.make_aware(timezone.datetime.combine(monday + timedelta(days=day), time(10)))
        confirmed_booking(team, busy, start)
    friday = timezone.make_aware(timezone.datetime.combine(monday + timedelta(days=4), time(14)))
    planned = rank_interpreters(
        user=coordinator, language=tir, mode=Mode.PHONE, starts_at=friday, ends_at=friday + timedelta(hours=1)
    )
    assert planned[0].load is None  # read for the suggestions shown only
    read_week_loads(planned)
    assert planned[0].load == 2 and planned[0].available


def test_the_loads_of_a_match_leave_out_the_booking_matched_and_are_read_together(team, tir, django_assert_num_queries):
    """Each interpreter's load is counted for those shown, in one query whatever their number;
    the booking being matched is not among what they already hold."""
    first = InterpreterFactory(first_name="Une", username="une", languages=[tir])
    second = InterpreterFactory(first_name="Deux", username="deux", languages=[tir])
    wednesday = timezone.localdate() + timedelta(days=9 - timezone.localdate().weekday())
    at = timezone.make_aware(timezone.datetime.combine(wednesday, time(14)))
    booking = _booking(team, language=tir, starts_at=at)
    confirmed_booking(team, first, at - timedelta(hours=4))  # the same Wednesday, in the morning
    booking.interpreter, booking.status = first, "confirmed"
    booking.save()
    suggestions = match_interpreters(booking=booking)
    with django_assert_num_queries(1):
        read_week_loads(suggestions)
    loads = {s.interpreter.user.first_name: s.load for s in suggestions}
    assert loads == {"Une": 1, "Deux": 0}
    assert second.pk in {s.interpreter_id for s in suggestions}
    with django_assert_num_queries(0):  # read already
        read_week_loads(suggestions)
    with django_assert_num_queries(0):
        read_week_loads([])


def test_only_those_who_see_bookings_get_a_ranking(team, tir):
    from integrapsy.accounts.models import Role
    from integrapsy.accounts.tests.factories import make_user_with_role

    InterpreterFactory(username="someone")
    ambassador = make_user_with_role(Role.AMBASSADOR, team=team)
    assert rank_interpreters(user=ambassador, language=tir, mode=Mode.PHONE) == []


def test_the_interpreters_app_does_not_import_the_ambassadors_app():
    # Sibling apps: the planner (in ambassadors) reads the interpreters' selectors, never the reverse.
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[1]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and any(
            line.lstrip().startswith(("from ambassadors", "import ambassadors"))
            for line in path.read_text().splitlines()
        )
    ]
    assert offenders == []


# The match page's queries: the session, the user, their memberships, the booking, the
# interpreters with their facts, those who interpreted for the person before, the bookings
# they hold at that time.
MATCH_PAGE_QUERIES = 7


def _busy_interpreter(team, case, booking, place, i, tir):
    """An interpreter of the language with everything the ranking reads: history, load, clash, leave, wishes."""
    interpreter = InterpreterFactory(username=f"many{i}", territories=[team], languages=[tir])
    _history(team, case, interpreter, 2)
    clash = booking.starts_at - timedelta(minutes=30) if i % 2 else booking.starts_at + timedelta(days=1)
    confirmed_booking(team, interpreter, clash, mode=Mode.ON_SITE, location=place)
    interpreter.unavailabilities.create(
        starts_at=booking.starts_at - timedelta(days=i % 3), ends_at=booking.starts_at + timedelta(hours=1 + i % 4)
    )
    if i % 3 == 0:
        booking.excluded_interpreters.add(interpreter)
    if i % 5 == 0:
        booking.declined_by.add(interpreter)
    return interpreter


def test_the_match_page_reads_a_fixed_and_small_number_of_queries(client, coordinator, team, case, tir, place):
    from django.urls import reverse

    from cases.tests.helpers import count_queries

    booking = _booking(team, case, language=tir, mode=Mode.ON_SITE, location=place)
    url = reverse("interpreters:booking_match", args=[booking.code])
    client.force_login(coordinator)
    _busy_interpreter(team, case, booking, place, 0, tir)
    one = count_queries(client, url)
    for i in range(1, 30):
        _busy_interpreter(team, case, booking, place, i, tir)
    many = count_queries(client, url)
    suggestions = client.get(url).context["suggestions"]
    assert (len(suggestions.shown), suggestions.hidden) == (10, 20)  # the best ten, the rest on asking
    assert 'id="suggestions-all"' in client.get(url).content.decode()
    assert len(client.get(url, {"all": "1"}).context["suggestions"].shown) == 30
    assert one == many == count_queries(client, url + "?all=1") == MATCH_PAGE_QUERIES <= 10


@pytest.mark.parametrize("mode", [Mode.ON_SITE, Mode.PHONE])
def test_the_busy_bookings_are_every_held_booking_whose_held_time_overlaps(team, tir, place, mode):
    """Read from the index of the bookings' starts, the busy ones are those of the plain overlap."""
    from interpreters.models import InterpreterBooking
    from interpreters.selectors import held_overlapping
    from interpreters.services import MAX_BOOKING

    interpreter = InterpreterFactory(first_name="Held", username="held")
    wanted = timezone.now().replace(second=0, microsecond=0) + timedelta(days=3)
    window = services.blocked_range(mode=Mode.ON_SITE, starts_at=wanted, ends_at=wanted + timedelta(hours=1))
    # Bookings of every length up to the longest, ending or starting around the time wanted.
    outcomes = set()
    for offset_minutes in (-MAX_BOOKING.total_seconds() // 60 - 20, -8 * 60, -90, -75, -61, -30, 0, 59, 74, 75, 90):
        for length in (timedelta(minutes=30), timedelta(hours=1), MAX_BOOKING):
            starts_at = wanted + timedelta(minutes=offset_minutes)
            InterpreterBooking.objects.filter(interpreter=interpreter).delete()
            confirmed_booking(
                team,
                interpreter,
                starts_at,
                ends_at=starts_at + length,
                mode=mode,
                location=place if mode == Mode.ON_SITE else None,
            )
            held = InterpreterBooking.objects.filter(interpreter=interpreter)
            overlap = held.filter(blocked_from__lt=window[1], blocked_until__gt=window[0])
            read = held_overlapping(held, blocked_from=window[0], blocked_until=window[1])
            assert list(read) == list(overlap), (offset_minutes, length)
            outcomes.add(bool(overlap))
    assert outcomes == {True, False}  # held at that time, and not


def test_a_suggestions_interpreter_is_the_one_the_database_holds(team, tir):
    """Made from the ranking's row without ``Model.__init__``: the same fields, the others
    read when asked for, an instance as ``from_db`` makes it."""
    made = InterpreterFactory(first_name="Made", username="made", languages=[tir])
    booking = _booking(team, language=tir)
    shown = next(s for s in match_interpreters(booking=booking) if s.interpreter_id == made.pk).interpreter
    assert shown == made and shown.code == made.code and shown.gender == made.gender
    assert shown.user == made.user and shown.user.first_name == "Made"
    assert shown.service.name == made.service.name
    assert not shown._state.adding and shown._state.db == "default"
    assert "is_active" not in shown.__dict__  # a field the ranking does not read...
    assert shown.is_active and shown.calendar_token == made.calendar_token  # ...read when asked for
    assert shown.user.email == made.user.email
