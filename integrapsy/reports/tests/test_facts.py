"""The figures' lines: what the dashboard and the indicators read equals what the source rows count."""

import itertools
import random
from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from ambassadors.models import Assignment
from ambassadors.tests.factories import AmbassadorFactory, AssignmentFactory, ContactFactory
from cases.models import (
    Attendance,
    Case,
    CaseShare,
    Consultation,
    OrientationStatus,
    Screening,
    SlotAttendance,
)
from cases.persons.models import Sex
from cases.tests.factories import (
    ActivitySessionFactory,
    CaseFactory,
    ConsultationFactory,
    EnrolmentFactory,
    GroupActivityFactory,
    LanguageFactory,
    OrientationFactory,
    PermanenceBookingFactory,
    PermanenceSessionFactory,
    PersonFactory,
    ReferralFactory,
    ResourceFactory,
    ScreeningFactory,
)
from integrapsy import access, clock
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import OrganisationFactory, TeamFactory, make_user_with_role
from integrapsy.reports import facts, selectors, services
from integrapsy.reports.indicators import Counts, assemble, counts, indicators, report_teams_of
from integrapsy.reports.models import Fact, FactsRefresh, TeamCounts
from integrapsy.reports.periods import Period
from integrapsy.reports.tests import reference
from integrapsy.schedule.jobs import JOBS
from interpreters.models import BookingStatus
from interpreters.tests.factories import BookingFactory, InterpreterFactory

pytestmark = pytest.mark.django_db

YEAR = 2026
PERIODS = [
    Period(date(YEAR, 3, 1), date(YEAR, 5, 31)),
    Period(date(YEAR, 1, 1), date(YEAR, 12, 31)),
    Period(date(YEAR, 6, 15), date(YEAR, 6, 15)),  # one day, with rows on both sides of its midnights
    Period(date(YEAR, 6, 16), date(YEAR, 9, 30)),
]


def _moment(rng: random.Random) -> datetime:
    """A moment of the year in the project's time zone, some of them close to a midnight of 15 June."""
    if rng.random() < 0.15:
        day = date(YEAR, 6, rng.choice([14, 15, 16]))
        return timezone.make_aware(datetime.combine(day, time(rng.choice([0, 23]), rng.choice([5, 55]))))
    day = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
    return timezone.make_aware(datetime.combine(day, time(rng.randrange(24), rng.randrange(60))))


def _day(rng: random.Random) -> date:
    return timezone.localtime(_moment(rng)).date()


def generate(seed: int) -> dict:
    """Three teams in two countries, a few dozen persons and rows of every kind the figures count."""
    rng = random.Random(seed)
    teams = [
        TeamFactory(name="Équipe Lille", country="FR"),
        TeamFactory(name="Équipe Arras", country="FR"),
        TeamFactory(name="Équipe Tournai", country="BE"),
    ]
    organisations = [OrganisationFactory(name=f"CAES {i}") for i in range(3)]
    resources = [ResourceFactory() for _ in range(3)]
    psychologists = {t.pk: make_user_with_role(Role.PSYCHOLOGIST, team=t) for t in teams}
    ambassadors = {t.pk: [AmbassadorFactory(team=t) for _ in range(2)] for t in teams}
    activities = {t.pk: GroupActivityFactory(team=t) for t in teams}
    group_sessions = {
        t.pk: [ActivitySessionFactory(activity=activities[t.pk], starts_at=_moment(rng)) for _ in range(3)]
        for t in teams
    }
    permanence_sessions = {
        t.pk: [PermanenceSessionFactory(team=t, psychologist=psychologists[t.pk], date=_day(rng)) for _ in range(3)]
        for t in teams
    }
    places = {
        "organisations": organisations,
        "resources": resources,
        "psychologists": psychologists,
        "ambassadors": ambassadors,
        "activities": activities,
        "group_sessions": group_sessions,
        "permanence_sessions": permanence_sessions,
        "languages": [
            LanguageFactory(code=code, name_fr=name, name_nl=name, name_en=name)
            for code, name in (("tir", "Tigrinya"), ("prs", "Dari"), ("pus", "Pashto"))
        ],
        "bookings": itertools.count(),
    }
    for _ in range(24):
        birth = rng.random()
        person = PersonFactory(
            sex=rng.choice(Sex.values),
            birth_date=date(rng.randrange(1950, 2015), rng.randrange(1, 13), rng.randrange(1, 29))
            if birth < 0.6
            else None,
            birth_year=rng.randrange(1950, 2015) if 0.6 <= birth < 0.9 else None,
            nationality=rng.choice(["ER", "SD", "AF", "", "ZZ", "SY"]),
            unaccompanied_minor=rng.random() < 0.2,
        )
        for team in rng.sample(teams, rng.choice([1, 1, 2])):
            opened = date(YEAR - 1, 6, 1) + timedelta(days=rng.randrange(540))
            closed = opened + timedelta(days=rng.randrange(1, 200)) if rng.random() < 0.4 else None
            case = CaseFactory(
                person=person,
                team=team,
                opened_on=opened,
                closed_on=closed,
                status=Case.Status.CLOSED if closed else Case.Status.ACTIVE,
            )
            if rng.random() < 0.2:
                CaseShare.objects.create(case=case, team=rng.choice([t for t in teams if t != team]), reason="Suivi")
            _rows_of(rng, case, team, places)
    for team in teams:  # interpreting without a case, in two languages
        start = _moment(rng)
        for language in places["languages"][:2]:
            BookingFactory(
                team=team,
                language=language,
                interpreter=InterpreterFactory(),
                status=BookingStatus.COMPLETED,
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
                billable_minutes=30,
            )
    return {
        "teams": teams,
        "admin": make_user_with_role(Role.ADMIN),
        "coordinator": make_user_with_role(Role.COORDINATOR, team=teams[0]),
    }


def _rows_of(rng, case, team, places: dict):
    """A case's rows of every kind, drawn at random among the team's ``places``."""
    organisations, resources = places["organisations"], places["resources"]
    psychologists, ambassadors, activities = places["psychologists"], places["ambassadors"], places["activities"]
    group_sessions, permanence_sessions = places["group_sessions"], places["permanence_sessions"]
    ReferralFactory(
        team=team, person=case.person, case=case, organisation=rng.choice(organisations), received_at=_moment(rng)
    )
    for _ in range(rng.randrange(4)):
        ConsultationFactory(
            case=case,
            psychologist=psychologists[team.pk],
            started_at=_moment(rng),
            kind=rng.choice(Consultation.Kind.values),
        )
    if rng.random() < 0.5:
        ScreeningFactory(
            case=case,
            administered_on=_day(rng),
            status=rng.choice([Screening.Status.COMPLETED, Screening.Status.DRAFT]),
        )
    if rng.random() < 0.5:
        OrientationFactory(
            case=case,
            resource=rng.choice(resources),
            proposed_on=_day(rng),
            status=rng.choice([s for s in OrientationStatus.values if s != OrientationStatus.APPOINTMENT_MADE]),
        )
    if rng.random() < 0.6:
        PermanenceBookingFactory(
            session=rng.choice(permanence_sessions[team.pk]),
            slot=None,
            case=case,
            person=case.person,
            status=(status := rng.choice(SlotAttendance.values)),
            cancel_reason="Parti" if status == SlotAttendance.CANCELLED else "",
        )
    if rng.random() < 0.5:
        start = _moment(rng)
        BookingFactory(
            team=team,
            case=case,
            # In turn, not drawn: the draws stay as they were, and the same whatever the row ids.
            language=places["languages"][next(places["bookings"]) % len(places["languages"])],
            interpreter=InterpreterFactory(),
            status=(booking_status := rng.choice(BookingStatus.values)),
            late_cancellation=booking_status == BookingStatus.CANCELLED and rng.random() < 0.7,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            billable_minutes=60,
        )
    if rng.random() < 0.4:
        assignment = AssignmentFactory(
            ambassador=rng.choice(ambassadors[team.pk]),
            case=case,
            status=Assignment.Status.ACTIVE,
            starts_on=date(YEAR - 1, 12, 1),
        )
        for _ in range(rng.randrange(1, 3)):
            ContactFactory(assignment=assignment, occurred_on=_day(rng), duration_minutes=rng.randrange(10, 120))
    if rng.random() < 0.5:
        enrolment = EnrolmentFactory(activity=activities[team.pk], case=case)
        for session in rng.sample(group_sessions[team.pk], rng.randrange(1, 3)):
            Attendance.objects.create(session=session, enrolment=enrolment, present=rng.random() < 0.7)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_indicators_from_the_lines_equal_the_source_rows(seed):
    world = generate(seed)
    services.facts_refresh()
    for user in (world["admin"], world["coordinator"]):
        for team in (None, *world["teams"]):
            teams = report_teams_of(user, team)
            for period in PERIODS:
                expected = reference.indicator_counts(user=user, period=period, teams=teams)
                assert counts(user=user, period=period, teams=teams) == expected, (user, team, period)
                shown = indicators(user=user, period=period, team=team).sections
                assert shown == assemble(period, teams, expected).sections


def test_the_generated_set_has_small_cells_and_figures_of_every_kind():
    """The equality above is worth something only if the set counts something of each kind."""
    world = generate(1)
    services.facts_refresh()
    data = indicators(user=world["admin"], period=PERIODS[1])
    values = [r.value for s in data.sections for r in s.rows]
    assert "<5" in values
    assert isinstance(data.value("services_given", "consultations"), int)  # 5 or more
    raw = counts(user=world["admin"], period=PERIODS[1], teams=data.teams)
    assert all(raw.services[key]["times"] for key in raw.services)
    assert set(Fact.objects.values_list("figure", flat=True)) == {f.name for f in facts.FIGURES}
    boards = [selectors.dashboard(user=world["admin"], team=t, period=PERIODS[1]) for t in world["teams"]]
    assert any(board["interpreting"]["late_cancellations"] for board in boards)
    assert any(len(board["referrals"]["by_organisation"]) > 1 for board in boards)
    assert any(len(board["interpreting"]["by_language"]) > 1 for board in boards)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_dashboard_from_the_lines_equals_the_source_rows(seed):
    world = generate(seed)
    services.facts_refresh()
    for team in world["teams"]:
        for period in PERIODS:
            data = selectors.dashboard(user=world["admin"], team=team, period=period)
            expected = reference.dashboard_activity(team=team, period=period)
            assert data["referrals"]["by_organisation"] == expected["by_organisation"]
            assert data["interpreting"]["by_language"] == expected["by_language"]
            assert data["interpreting"]["late_cancellations"] == expected["late_cancellations"]
            assert data["consultations"]["by_kind"] == expected["consultations"]
            assert data["orientations"]["by_status"] == expected["orientations"]
            assert {k: data["ambassadors"][k] for k in expected["ambassadors"]} == expected["ambassadors"]
            assert {k: data["attendance"][k] for k in expected["attendance"]} == expected["attendance"]


def test_a_refresh_writes_the_lines_again_and_records_when():
    world = generate(3)
    first = services.facts_refresh()
    lines = sorted(Fact.objects.values_list("team", "day", "figure", "key", "person", "n", "amount"))
    assert first.rows == len(lines) > 0
    second = services.facts_refresh()
    assert sorted(Fact.objects.values_list("team", "day", "figure", "key", "person", "n", "amount")) == lines
    assert second.as_of >= first.as_of
    assert selectors.dashboard(user=world["admin"], team=world["teams"][0], period=PERIODS[1])["as_of"] == second.as_of


def test_a_row_written_after_the_refresh_counts_from_the_next_one():
    world = generate(4)
    services.facts_refresh()
    team, admin, period = world["teams"][0], world["admin"], PERIODS[1]
    before = counts(user=admin, period=period, teams=[team]).services["consultations"]["times"]
    case = Case.objects.filter(team=team).first()
    ConsultationFactory(case=case, started_at=timezone.make_aware(datetime(YEAR, 4, 2, 10)))
    assert counts(user=admin, period=period, teams=[team]).services["consultations"]["times"] == before
    services.facts_refresh()
    assert counts(user=admin, period=period, teams=[team]).services["consultations"]["times"] == before + 1


# The generated set's year, seen from its last month: "the year to date" holds its rows whatever today is.
IN_THE_YEAR = timezone.make_aware(datetime(YEAR, 12, 1, 12))


def test_a_refresh_counts_each_teams_year_to_date_ahead_and_the_page_reads_them(django_assert_num_queries):
    world = generate(5)
    with clock.as_of(IN_THE_YEAR):
        _counted_ahead_and_read(world, services.facts_refresh(), django_assert_num_queries)


def _counted_ahead_and_read(world, run, django_assert_num_queries):
    period = Period.year_to_date()
    stored = TeamCounts.objects.filter(run=run, kind=TeamCounts.Kind.INDICATORS, start=period.start, end=period.end)
    assert sorted(stored.values_list("team", flat=True)) == sorted(t.pk for t in world["teams"])
    admin = world["admin"]
    for team in world["teams"]:
        live = counts(user=admin, period=period, teams=[team])
        assert Counts.from_json(stored.get(team=team).counts) == live
        assert live.people["total"] > 0  # the year to date holds something to count
        with django_assert_num_queries(2):  # the team, then its stored counts with their run
            shown = indicators(user=admin, period=period, team=team)
        assert shown.sections == assemble(period, [team], live).sections
        assert shown.as_of == run.as_of


def test_another_period_or_a_newer_run_is_counted_from_the_lines():
    world = generate(6)
    with clock.as_of(IN_THE_YEAR):
        services.facts_refresh()
        _counted_from_the_lines(world)


def _counted_from_the_lines(world):
    team, admin = world["teams"][0], world["admin"]
    period = Period.year_to_date()
    stored = TeamCounts.objects.get(team=team, kind=TeamCounts.Kind.INDICATORS)
    stored.counts = {**stored.counts, "referrals": 4242}  # what the page shows comes from here
    stored.save()
    assert indicators(user=admin, period=period, team=team).value("cooperation", "referrals") == 4242
    # Written by another version of the counts (one more, one less): counted from the lines.
    live = assemble(period, [team], counts(user=admin, period=period, teams=[team])).sections
    for other_shape in (
        {**stored.counts, "volunteers": 3},
        {k: v for k, v in stored.counts.items() if k != "resources"},
    ):
        TeamCounts.objects.filter(pk=stored.pk).update(counts=other_shape)
        assert indicators(user=admin, period=period, team=team).sections == live
    TeamCounts.objects.filter(pk=stored.pk).update(counts={**stored.counts, "referrals": 4242})
    other = Period(period.start, period.end - timedelta(days=1))
    assert (
        indicators(user=admin, period=other, team=team).sections
        == assemble(other, [team], counts(user=admin, period=other, teams=[team])).sections
    )
    newer = FactsRefresh.objects.create(as_of=timezone.now() + timedelta(minutes=1), seconds=0, rows=0)
    shown = indicators(user=admin, period=period, team=team)
    assert shown.as_of == newer.as_of  # not the stored counts of the run before
    assert shown.sections == assemble(period, [team], counts(user=admin, period=period, teams=[team])).sections


def test_a_refresh_sums_each_teams_dashboard_lines_ahead_and_the_page_reads_them():
    """The dashboard over its last days reads what the refresh summed of the lines, equal to the
    lines counted live; two queries fewer (the lines' own and the first contacts' waits), and
    one fewer for each of the organisations' and the languages' names (stored with them)."""
    world = generate(5)
    admin = world["admin"]
    with clock.as_of(IN_THE_YEAR):
        # Referrals of the last days contacted since, 0 and 2 days after they came.
        for days in (0, 2):
            received = IN_THE_YEAR - timedelta(days=5)
            ReferralFactory(
                team=world["teams"][0], received_at=received, first_contact_on=received.date() + timedelta(days=days)
            )
        # A drop-in of the last days, with a walk-in who came.
        session = PermanenceSessionFactory(team=world["teams"][0], date=(IN_THE_YEAR - timedelta(days=4)).date())
        PermanenceBookingFactory(
            session=session, slot=None, case=CaseFactory(team=world["teams"][0]), status=SlotAttendance.ATTENDED
        )
        run = services.facts_refresh()
        period = Period.last_days()
        stored = TeamCounts.objects.filter(run=run, kind=TeamCounts.Kind.DASHBOARD, start=period.start, end=period.end)
        assert sorted(stored.values_list("team", flat=True)) == sorted(t.pk for t in world["teams"])
        boards = []
        access.profile(admin)  # the user's roles, read once as on a page
        for team in world["teams"]:
            with CaptureQueriesContext(connection) as read:
                from_store = selectors.dashboard(user=admin, team=team, period=period)
            assert from_store["as_of"] == run.as_of
            stored.get(team=team).delete()
            with CaptureQueriesContext(connection) as counted:
                live = selectors.dashboard(user=admin, team=team, period=period)
            assert from_store == live
            names = bool(live["referrals"]["by_organisation"]) + bool(live["interpreting"]["by_language"])
            assert len(read) == len(counted) - 2 - names
            boards.append(live)
        # The last days hold something of each summed figure to compare.
        assert any(board["consultations"]["total"] for board in boards)
        assert any(board["ambassadors"]["persons"] for board in boards)
        assert any(board["attendance"]["persons"] for board in boards)
        assert any(board["interpreting"]["by_language"] for board in boards)
        assert any(board["referrals"]["by_organisation"] for board in boards)
        assert boards[0]["waiting"]["contacted"] == 2
        assert boards[0]["permanences"]["walk_ins"] and boards[0]["permanences"]["attended"]


def test_the_dashboard_reads_the_stored_lines_of_the_latest_run_only():
    world = generate(6)
    team, admin = world["teams"][0], world["admin"]
    with clock.as_of(IN_THE_YEAR):
        services.facts_refresh()
        period = Period.last_days()
        live = selectors.dashboard(user=admin, team=team, period=period)
        stored = TeamCounts.objects.get(team=team, kind=TeamCounts.Kind.DASHBOARD)
        stored.counts["done"][facts.CONSULTATION] = {"crisis": [4242, 0]}
        stored.save()
        shown = selectors.dashboard(user=admin, team=team, period=period)
        assert shown["consultations"]["by_kind"] == {"crisis": 4242}  # what the page shows comes from here
        other = Period(period.start, period.end - timedelta(days=1))
        assert selectors.dashboard(user=admin, team=team, period=other)["consultations"]["by_kind"] != {"crisis": 4242}
        # Written by another version of the figures: counted from the lines again.
        complete = stored.counts
        for older in (
            {"done": {}},
            {k: v for k, v in complete.items() if k != "waits"},
            {**complete, "permanences": {k: v for k, v in complete["permanences"].items() if k != "walk_ins"}},
            {**complete, "permanences": None},
        ):
            stored.counts = older
            stored.save()
            assert selectors.dashboard(user=admin, team=team, period=period) == live
        newer = FactsRefresh.objects.create(as_of=timezone.now() + timedelta(minutes=1), seconds=0, rows=0)
        shown = selectors.dashboard(user=admin, team=team, period=period)
        assert shown["as_of"] == newer.as_of
        assert {k: v for k, v in shown.items() if k != "as_of"} == {k: v for k, v in live.items() if k != "as_of"}


def test_a_persons_or_a_teams_lines_go_with_them():
    """The lines hold no foreign-key constraint in the database: the ORM's cascade removes them."""
    team, other = TeamFactory(), TeamFactory()
    person = PersonFactory()
    line = {"day": date(YEAR, 3, 2), "figure": facts.CONSULTATION, "key": "", "n": 1}
    Fact.objects.create(team=team, person=person, **line)
    Fact.objects.create(team=other, person=None, **line)
    person.delete()
    assert list(Fact.objects.values_list("team", flat=True)) == [other.pk]
    other.delete()
    assert not Fact.objects.exists()


def test_the_refresh_is_a_scheduled_job():
    assert "facts_refresh" in {job.key for job in JOBS}


def test_the_pages_say_as_of_when(client):
    coordinator = make_user_with_role(Role.COORDINATOR, team=TeamFactory(country="FR"))
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("reports:indicators")).content.decode()
    assert "have not been counted yet" in page
    run = services.facts_refresh()
    for url in (reverse("reports:indicators"), reverse("reports:dashboard")):
        page = client.get(url).content.decode()
        assert 'id="figures-as-of"' in page
        with translation.override("en"):
            assert timezone.localtime(run.as_of).strftime("%H:%M") in page
        assert "every 15 minutes" in page
    assert FactsRefresh.objects.count() == 1


def test_the_indicators_file_says_as_of_when(client):
    coordinator = make_user_with_role(Role.COORDINATOR, team=TeamFactory(country="FR"))
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    run = services.facts_refresh()
    body = b"".join(client.get(reverse("reports:indicators_export", args=["csv"])).streaming_content).decode()
    assert f"Figures as of,{timezone.localtime(run.as_of):%Y-%m-%d %H:%M}" in body
