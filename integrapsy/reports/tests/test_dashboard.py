from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Referral
from cases.tests.factories import CaseFactory, ReferralFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.reports.lists import LISTS
from integrapsy.reports.periods import Period, weighted_percentile, years_before
from integrapsy.reports.selectors import dashboard
from integrapsy.reports.services import facts_refresh
from integrapsy.reports.tests.factories import populate

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="Équipe dashboard")


@pytest.fixture
def coordinator(team):
    return make_user_with_role(Role.COORDINATOR, team=team, username="coord-dash")


def test_it_shows_every_figure_of_the_team(client, team, coordinator):
    populate(team, 4)
    client.force_login(coordinator)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    data = response.context["data"]
    assert data["referrals"]["total"] == 4
    assert data["urgent_open"] == 0  # the urgent ones were accepted
    assert data["cases"]["total"] == 4
    assert data["open_risk_flags"] == 4
    assert data["consultations"]["total"] == 4
    assert data["interpreting"]["hours"] == 4
    assert data["interpreting"]["by_language"][0]["n"] == 4
    assert data["ambassadors"]["hours"] == 6
    assert data["orientations"]["by_status"] == {"proposed": 4}
    assert data["attendance"]["came"] == 2 and data["attendance"]["missed"] == 2
    assert data["permanences"]["slots"] == 4 and data["permanences"]["booked"] == 4
    assert data["permanences"]["occupancy"] == 100 and data["permanences"]["no_show_rate"] == 50
    # Charts get their numbers through json_script, never through an inline script.
    body = response.content.decode()
    assert 'id="chart-data-organisations" type="application/json"' in body
    assert "reports_charts.js" in body


def test_waiting_time_median_and_90th_percentile(team, coordinator):
    received = timezone.localdate() - timedelta(days=20)
    # Late in the evening: the day counted is the local one, not the UTC one.
    at = timezone.make_aware(datetime.combine(received, time(23, 30)))
    for days in [1, 2, 3, 4, 10]:
        ReferralFactory(team=team, received_at=at, first_contact_on=received + timedelta(days=days))
    ReferralFactory(team=team, received_at=timezone.now() - timedelta(days=3))  # not contacted yet
    data = dashboard(user=coordinator, team=team, period=Period.last_days())
    assert data["waiting"] == {"contacted": 5, "median": 3, "p90": 7.6}


def test_weighted_percentile_matches_the_statistics_module():
    import statistics

    values = [0, 1, 1, 2, 5, 8, 8, 8, 13, 40]
    counts = {v: values.count(v) for v in set(values)}
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    assert weighted_percentile(counts, 0.5) == statistics.median(values)
    assert weighted_percentile(counts, 0.9) == pytest.approx(deciles[8])
    assert weighted_percentile({}, 0.5) is None


def test_years_before_handles_29_february():
    assert years_before(date(2028, 2, 29), 18) == date(2010, 2, 28)
    assert years_before(date(2026, 3, 1), 18) == date(2008, 3, 1)


def test_urgent_open_referrals_link_to_the_inbox(client, team, coordinator):
    ReferralFactory(team=team, urgency="urgent")
    ReferralFactory(team=team, urgency="urgent", status=Referral.Status.DECLINED)
    client.force_login(coordinator)
    response = client.get(reverse("reports:dashboard"))
    assert response.context["data"]["urgent_open"] == 1
    assert response.context["links"]["urgent"] == reverse("cases:inbox")


def test_the_team_selector_lists_only_the_coordinators_teams(client, team, coordinator):
    TeamFactory(name="Autre équipe")
    client.force_login(coordinator)
    response = client.get(reverse("reports:dashboard"))
    assert [code for code, _label in response.context["form"].fields["team"].choices] == [str(team.code)]


def test_another_teams_dashboard_is_not_found(client, coordinator):
    other = TeamFactory(name="Autre équipe")
    client.force_login(coordinator)
    assert client.get(reverse("reports:dashboard"), {"team": str(other.code)}).status_code == 404
    assert client.get(reverse("reports:list", args=["cases"]), {"team": str(other.code)}).status_code == 404


def test_the_administrator_chooses_among_every_team(client, team):
    other = TeamFactory(name="Autre équipe")
    admin = make_user_with_role(Role.ADMIN)
    CaseFactory(team=other)
    client.force_login(admin)
    response = client.get(reverse("reports:dashboard"), {"team": str(other.code)})
    assert response.status_code == 200
    assert response.context["data"]["cases"]["total"] == 1
    assert {c for c, _ in response.context["form"].fields["team"].choices} == {str(team.code), str(other.code)}
    # The administrator opens no case: figures lead to the reports' own lists instead.
    assert response.context["links"]["urgent"] is None
    assert response.context["links"]["case_status"]["open"].startswith(reverse("reports:list", args=["cases"]))


def test_bad_dates_come_back_with_the_message_beside_the_field(client, team, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("reports:dashboard"), {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert response.status_code == 400
    assert "date_to" in response.context["form"].errors
    assert response.context["form"]["date_from"].value() == "2026-05-01"


def test_with_no_team_at_all_the_page_explains_it(client):
    client.force_login(make_user_with_role(Role.ADMIN))
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert "data" not in response.context and response.context["teams"] == []


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
        assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboards_query_count_does_not_grow_with_the_rows(client, team, coordinator):
    client.force_login(coordinator)
    populate(team, 1)
    few = _queries(client, reverse("reports:dashboard"))
    populate(team, 29)
    many = _queries(client, reverse("reports:dashboard"))
    assert few == many


@pytest.mark.parametrize("what", sorted(LISTS))
def test_each_lists_query_count_does_not_grow_with_the_rows(client, team, coordinator, what):
    client.force_login(coordinator)
    populate(team, 1)
    url = reverse("reports:list", args=[what])
    few = _queries(client, url)
    assert len(client.get(url).context["rows"]) >= 1
    populate(team, 29)
    many = _queries(client, url)
    assert len(client.get(url).context["rows"]) >= 30
    assert few == many


def test_every_figure_links_to_a_list_that_answers(client, team, coordinator):
    populate(team, 2)
    client.force_login(coordinator)
    response = client.get(reverse("reports:dashboard"))
    links = response.context["links"]
    urls = [v for k, v in links.items() if isinstance(v, str)] + list(links["case_status"].values())
    for rows in response.context["rows"].values():
        urls += [r["url"] for r in rows]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_a_filtered_list_shows_only_its_rows(client, team, coordinator):
    populate(team, 4)
    client.force_login(coordinator)
    response = client.get(reverse("reports:list", args=["permanence-bookings"]), {"status": "no_show"})
    assert len(response.context["rows"]) == 2
    response = client.get(reverse("reports:list", args=["interpreting"]), {"late": "1"})
    assert response.context["rows"] == []
    assert client.get(reverse("reports:list", args=["nothing"])).status_code == 404


def test_counts_over_the_same_rows_are_the_counts_of_each_filter(team, coordinator):
    """The cases by status and the permanence bookings are each counted in one pass: the same
    numbers as one ``COUNT(*)`` per figure, walk-ins and cancelled bookings included."""
    from cases.models import Case, PermanenceBooking, PermanenceSession, SlotAttendance
    from cases.tests.factories import PermanenceBookingFactory

    populate(team, 4)
    CaseFactory(team=team, status=Case.Status.ON_HOLD)
    CaseFactory(team=team, status=Case.Status.CLOSED, closed_on=date.today())
    session = PermanenceSession.objects.filter(team=team).first()
    PermanenceBookingFactory(session=session, slot=None, case=CaseFactory(team=team), status=SlotAttendance.ATTENDED)
    PermanenceBookingFactory(
        session=session, slot=None, case=CaseFactory(team=team), status=SlotAttendance.CANCELLED, cancel_reason="Malade"
    )
    facts_refresh()  # the cases by status are those of the last refresh
    data = dashboard(user=coordinator, team=team, period=Period.last_days())
    cases = Case.objects.filter(team=team)
    assert data["cases"]["by_status"] == {
        status: n
        for status in (Case.Status.OPEN, Case.Status.ACTIVE, Case.Status.ON_HOLD)
        if (n := cases.filter(status=status).count())
    }
    bookings = PermanenceBooking.objects.filter(session__team=team)
    live = bookings.exclude(status=SlotAttendance.CANCELLED)
    assert data["permanences"]["booked"] == live.filter(slot__isnull=False).count() == 4
    assert data["permanences"]["walk_ins"] == live.filter(slot__isnull=True).count() == 1
    assert data["permanences"]["attended"] == bookings.filter(status=SlotAttendance.ATTENDED).count() == 3
    assert data["permanences"]["no_show"] == bookings.filter(status=SlotAttendance.NO_SHOW).count() == 2


def test_the_cases_by_status_are_those_of_the_last_refresh_then_counted_live_without_one(team, coordinator):
    """The cases by status come with the refresh's other figures (the page says when it ran);
    a period the refresh did not count is counted live, cases by status included."""
    from cases.models import Case

    populate(team, 2)  # ends with a refresh
    before = dashboard(user=coordinator, team=team, period=Period.last_days())
    CaseFactory(team=team, status=Case.Status.ON_HOLD)
    assert dashboard(user=coordinator, team=team, period=Period.last_days())["cases"] == before["cases"]
    facts_refresh()
    after = dashboard(user=coordinator, team=team, period=Period.last_days())
    assert (
        after["cases"]["by_status"][Case.Status.ON_HOLD] == before["cases"]["by_status"].get(Case.Status.ON_HOLD, 0) + 1
    )
    assert after["cases"]["total"] == before["cases"]["total"] + 1
    CaseFactory(team=team, status=Case.Status.ACTIVE)
    other_period = Period.last_days(30)
    live = dashboard(user=coordinator, team=team, period=other_period)
    cases = Case.objects.filter(team=team)
    assert live["cases"]["by_status"] == {
        status: n
        for status in (Case.Status.OPEN, Case.Status.ACTIVE, Case.Status.ON_HOLD)
        if (n := cases.filter(status=status).count())
    }


def test_a_team_with_no_case_and_no_permanence_reads_zeros(team, coordinator):
    data = dashboard(user=coordinator, team=team, period=Period.last_days())
    assert data["cases"] == {"total": 0, "by_status": {}}
    permanences = data["permanences"]
    assert (permanences["slots"], permanences["booked"], permanences["walk_ins"]) == (0, 0, 0)
    assert (permanences["attended"], permanences["no_show"], permanences["no_show_rate"]) == (0, 0, None)
    assert permanences["with_reminder"] == {"marked": 0, "no_show": 0, "rate": None}


def test_languages_with_the_same_hours_come_in_the_order_of_their_names_whatever_the_stored_order():
    """The names stored with the refresh come back from JSON in any order: equal hours are
    ordered by name, then variety, as when they are read from the languages."""
    from integrapsy.reports.selectors import _by_language

    completed = {"7": (1, 60), "3": (2, 60), "5": (1, 120)}
    names = {
        "7": {"name_fr": "Arabe", "name_nl": "Arabisch", "name_en": "Arabic", "variety": "Syrie"},
        "5": {"name_fr": "Dari", "name_nl": "Dari", "name_en": "Dari", "variety": ""},
        "3": {"name_fr": "Arabe", "name_nl": "Arabisch", "name_en": "Arabic", "variety": "Maroc"},
    }
    reordered = dict(reversed(list(names.items())))
    assert [row["pk"] for row in _by_language(completed, names)] == [5, 3, 7]
    assert _by_language(completed, reordered) == _by_language(completed, names)


def test_organisations_with_the_same_referrals_come_in_the_order_of_their_names_whatever_the_stored_order():
    from integrapsy.reports.selectors import _by_organisation

    received = {"1": (3, 0), "2": (3, 0), "3": (5, 0)}
    names = {
        "2": ["00000000-0000-0000-0000-000000000002", "CAES Béthune"],
        "3": ["00000000-0000-0000-0000-000000000003", "PRADA Lille"],
        "1": ["00000000-0000-0000-0000-000000000001", "CAES Arras"],
    }
    rows = _by_organisation(received, names)
    assert [row["organisation__name"] for row in rows] == ["PRADA Lille", "CAES Arras", "CAES Béthune"]
    assert _by_organisation(received, dict(reversed(list(names.items())))) == rows
