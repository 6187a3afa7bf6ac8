"""Group activities: series, capacity, waiting list, attendance and the participants' timelines."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.activities import selectors, services
from cases.models import ActivitySession, Enrolment, GroupActivity, TimelineEvent
from cases.tests.factories import ActivitySessionFactory, CaseFactory, EnrolmentFactory, GroupActivityFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


@pytest.fixture
def activity(team):
    return GroupActivityFactory(team=team, title="Atelier d'art-thérapie", capacity=2)


def enrol(activity, actor, **kw):
    return services.enrolment_add(activity=activity, case=CaseFactory(team=activity.team), actor=actor, **kw)


def test_a_series_creates_its_sessions(team, psychologist):
    ambassador = make_user_with_role(Role.AMBASSADOR, team=team)
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    activity = services.activity_create(
        team=team,
        actor=psychologist,
        title="Groupe de parole femmes",
        kind=GroupActivity.Kind.WOMENS_GROUP,
        capacity=10,
        facilitators=[psychologist, ambassador],
        first_session_at=start,
        sessions_count=6,
        every_days=7,
    )
    starts = list(activity.sessions.values_list("starts_at", flat=True))
    assert starts == [start + timedelta(days=7 * i) for i in range(6)]
    assert set(activity.facilitators.all()) == {psychologist, ambassador}


def test_it_refuses_outsiders_as_facilitators_and_other_teams(team, psychologist):
    outsider = make_user_with_role(Role.PSYCHOLOGIST, team=TeamFactory(name="Autre"))
    kwargs = {"actor": psychologist, "title": "Sport", "kind": "sport", "capacity": 5}
    with pytest.raises(ValidationError) as exc:
        services.activity_create(team=outsider.memberships.get().team, **kwargs)
    assert set(exc.value.message_dict) == {"team"}
    with pytest.raises(ValidationError) as exc:
        services.activity_create(team=team, facilitators=[outsider], **kwargs)
    assert set(exc.value.message_dict) == {"facilitators"}
    assert not GroupActivity.objects.exists()


def test_capacity_then_waiting_list(activity, psychologist):
    first, second = enrol(activity, psychologist), enrol(activity, psychologist)
    assert {first.status, second.status} == {"enrolled"}
    with pytest.raises(ValidationError) as exc:
        enrol(activity, psychologist)
    assert "full (2 of 2" in exc.value.message_dict["case"][0]
    assert activity.enrolments.count() == 2
    waiting = enrol(activity, psychologist, waiting_list=True)
    assert waiting.status == Enrolment.Status.WAITING
    assert TimelineEvent.objects.filter(case=waiting.case, kind="activity.waiting").exists()


def test_leaving_gives_the_place_to_the_first_waiting(activity, psychologist):
    first = enrol(activity, psychologist)
    enrol(activity, psychologist)
    w1 = enrol(activity, psychologist, waiting_list=True)
    w2 = enrol(activity, psychologist, waiting_list=True)
    services.enrolment_withdraw(enrolment=first, actor=psychologist)
    w1.refresh_from_db()
    w2.refresh_from_db()
    assert (w1.status, w2.status) == ("enrolled", "waiting")
    assert TimelineEvent.objects.filter(case=w1.case, kind="activity.enrolled").count() == 1
    assert activity.enrolments.filter(status="enrolled").count() == 2


def test_the_same_person_cannot_be_enrolled_twice(activity, psychologist):
    e = enrol(activity, psychologist)
    with pytest.raises(ValidationError):
        services.enrolment_add(activity=activity, case=e.case, actor=psychologist)


def test_attendance_writes_took_part_on_each_participants_timeline_once(activity, psychologist):
    a, b = enrol(activity, psychologist), enrol(activity, psychologist)
    session = ActivitySessionFactory(activity=activity)
    services.attendance_record(session=session, actor=psychologist, present=[a])
    services.attendance_record(session=session, actor=psychologist, present=[a, b])
    for e in (a, b):
        [event] = TimelineEvent.objects.filter(case=e.case, kind="activity.attended")
        assert event.visibility == "team"
        assert "Atelier d'art-thérapie" in event.summary
        assert event.occurred_at == session.starts_at
    assert session.attendances.filter(present=True).count() == 2


def test_attendance_of_a_future_session_is_refused(activity, psychologist):
    session = ActivitySessionFactory(activity=activity, starts_at=timezone.now() + timedelta(days=2))
    with pytest.raises(ValidationError):
        services.attendance_record(session=session, actor=psychologist, present=[])


# --- Views --------------------------------------------------------------------------------


def test_plan_enrol_and_record_attendance_through_the_pages(client, team, coordinator, social_worker):
    client.force_login(coordinator)
    start = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("cases:activity_new"),
        {
            "team": team.pk,
            "title": "Sport collectif",
            "kind": "sport",
            "capacity": "1",
            "first_session_at": start,
            "sessions_count": "3",
            "every_days": "7",
            "duration_minutes": "90",
        },
    )
    activity = GroupActivity.objects.get()
    assert response["Location"] == reverse("cases:activity_detail", args=[activity.code])
    assert activity.sessions.count() == 3
    client.force_login(social_worker)
    case1, case2 = CaseFactory(team=team), CaseFactory(team=team)
    enrol_url = reverse("cases:activity_enrol", args=[activity.code])
    assert client.post(enrol_url, {"case": case1.pk}).status_code == 302
    # Full: refused beside the field, choice kept ...
    response = client.post(enrol_url, {"case": case2.pk})
    assert response.status_code == 400
    assert "case" in response.context["form"].errors
    assert response.context["form"]["case"].value() == str(case2.pk)
    # ... unless the waiting list is asked for.
    assert client.post(enrol_url, {"case": case2.pk, "waiting_list": "on"}).status_code == 302
    assert Enrolment.objects.get(case=case2).status == "waiting"
    session = activity.sessions.order_by("starts_at").first()
    e1 = Enrolment.objects.get(case=case1)
    url = reverse("cases:activity_attendance", args=[session.code])
    assert client.post(url, {"present": [e1.pk]}).status_code == 302
    html = client.get(reverse("cases:detail_planning", args=[case1.reference])).content.decode()
    assert 'id="activities-panel"' in html
    assert TimelineEvent.objects.filter(case=case1, kind="activity.attended").exists()
    # Social workers enrol but do not plan.
    assert client.get(reverse("cases:activity_new")).status_code == 404
    assert client.get(reverse("cases:activity_session_add", args=[activity.code])).status_code == 404


def test_withdraw_through_the_page(client, activity, psychologist):
    e = EnrolmentFactory(activity=activity)
    client.force_login(psychologist)
    response = client.post(reverse("cases:activity_withdraw", args=[e.code]))
    assert response["Location"] == reverse("cases:activity_detail", args=[activity.code])
    e.refresh_from_db()
    assert e.status == "withdrawn"


def test_other_teams_activities_are_not_found(client, psychologist):
    other = GroupActivityFactory(team=TeamFactory(name="Autre"))
    client.force_login(psychologist)
    assert client.get(reverse("cases:activity_detail", args=[other.code])).status_code == 404
    assert other not in client.get(reverse("cases:activity_list")).context["activities"]


@pytest.mark.parametrize("page", ["list", "detail"])
def test_activity_pages_query_count_does_not_grow(client, team, psychologist, page):
    client.force_login(psychologist)

    def add(n):
        for _i in range(n):
            a = GroupActivityFactory(team=team, capacity=40)
            ActivitySessionFactory(activity=a)
            EnrolmentFactory(activity=a)

    main = GroupActivityFactory(team=team, capacity=40)
    add(1)
    EnrolmentFactory(activity=main)
    ActivitySessionFactory(activity=main)
    url = reverse("cases:activity_list") if page == "list" else reverse("cases:activity_detail", args=[main.code])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add(29)
    for i in range(29):
        EnrolmentFactory(activity=main)
        ActivitySessionFactory(activity=main, starts_at=timezone.now() - timedelta(days=2 + i))
    assert ActivitySession.objects.filter(activity=main).count() == 30
    with CaptureQueriesContext(connection) as thirty:
        client.get(url)
    assert len(thirty) == len(one)


def test_attendance_is_offered_once_the_session_has_started(activity, psychologist):
    now = timezone.now()
    started = ActivitySessionFactory(activity=activity, starts_at=now - timedelta(minutes=1))
    coming = ActivitySessionFactory(activity=activity, starts_at=now + timedelta(hours=1))
    assert selectors.attendance_may_be_recorded(started, now=now)
    assert selectors.attendance_may_be_recorded(coming, now=coming.starts_at)
    assert not selectors.attendance_may_be_recorded(coming, now=now)
    page = selectors.activity_page(user=psychologist, activity=activity)
    assert {s.pk: s.may_record_attendance for s in page["sessions"]} == {started.pk: True, coming.pk: False}
    with pytest.raises(ValidationError):
        services.attendance_record(session=coming, actor=psychologist, present=[])
