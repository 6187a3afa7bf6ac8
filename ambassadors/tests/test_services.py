from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ambassadors import services
from ambassadors.models import Assignment, Contact
from ambassadors.tests.factories import AmbassadorFactory, language
from cases.models import CaseShare, TimelineEvent
from cases.tests.factories import CaseFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
from integrapsy.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

TODAY = timezone.localdate


@pytest.fixture
def ambassador(team):
    return AmbassadorFactory(team=team, max_active_assignments=2)


def propose(case, ambassador, coordinator, **kw):
    kw.setdefault("role", Assignment.Role.PEER_SUPPORT)
    kw.setdefault("starts_on", TODAY() - timedelta(days=3))
    return services.assignment_propose(case=case, ambassador=ambassador, actor=coordinator, **kw)


def kinds(case):
    return list(TimelineEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))


class TestLifecycle:
    def test_proposed_accepted_started_ended_each_on_the_timeline(self, case, ambassador, coordinator):
        a = propose(case, ambassador, coordinator)
        assert a.status == Assignment.Status.PROPOSED
        a = services.assignment_accept(assignment=a, actor=ambassador.user)
        assert a.status == Assignment.Status.ACCEPTED and a.accepted_at
        a = services.assignment_start(assignment=a, actor=ambassador.user)
        assert a.status == Assignment.Status.ACTIVE and a.started_at
        a = services.assignment_end(assignment=a, actor=coordinator, reason="completed", note="Fini")
        assert a.status == Assignment.Status.ENDED and a.ended_on == TODAY() and a.end_reason == "completed"
        assert kinds(case) == ["assignment.proposed", "assignment.accepted", "assignment.started", "assignment.ended"]
        events = TimelineEvent.objects.filter(case=case)
        assert set(events.values_list("visibility", flat=True)) == {"team"}
        assert all(ambassador.name in e.summary for e in events)
        assert AuditEvent.objects.filter(action__startswith="assignment.").count() == 4

    def test_the_first_contact_starts_an_accepted_assignment(self, case, ambassador, coordinator):
        a = propose(case, ambassador, coordinator)
        services.assignment_accept(assignment=a, actor=ambassador.user)
        contact = services.contact_log(
            assignment=a, actor=ambassador.user, occurred_on=TODAY(), duration_minutes=30, kind="visit"
        )
        a.refresh_from_db()
        assert a.status == Assignment.Status.ACTIVE
        assert kinds(case)[-2:] == ["assignment.started", "contact.logged"]
        event = TimelineEvent.objects.get(kind="contact.logged")
        assert "30" in event.summary and event.source == contact
        assert "Visite" not in event.summary  # the note stays off the timeline

    def test_declining_ends_it_with_the_reason(self, case, ambassador, coordinator):
        a = propose(case, ambassador, coordinator)
        a = services.assignment_decline(assignment=a, actor=ambassador.user, note="Pas disponible")
        assert a.status == Assignment.Status.ENDED and a.end_reason == "declined"
        assert kinds(case)[-1] == "assignment.ended"

    def test_only_the_ambassador_accepts(self, case, ambassador, coordinator, team):
        a = propose(case, ambassador, coordinator)
        other = AmbassadorFactory(team=team)
        for actor in (coordinator, other.user):
            with pytest.raises(ValidationError):
                services.assignment_accept(assignment=a, actor=actor)
        a.refresh_from_db()
        assert a.status == Assignment.Status.PROPOSED

    def test_no_contact_before_accepting_nor_after_the_end(self, case, ambassador, coordinator):
        a = propose(case, ambassador, coordinator)
        with pytest.raises(ValidationError, match="Accept"):
            services.contact_log(
                assignment=a, actor=ambassador.user, occurred_on=TODAY(), duration_minutes=5, kind="visit"
            )
        services.assignment_accept(assignment=a, actor=ambassador.user)
        services.assignment_end(assignment=a, actor=coordinator, reason="other")
        with pytest.raises(ValidationError):
            services.contact_log(
                assignment=a, actor=ambassador.user, occurred_on=TODAY(), duration_minutes=5, kind="visit"
            )
        assert Contact.objects.count() == 0

    def test_accepting_twice_is_refused(self, case, ambassador, coordinator):
        a = propose(case, ambassador, coordinator)
        services.assignment_accept(assignment=a, actor=ambassador.user)
        with pytest.raises(ValidationError):
            services.assignment_accept(assignment=a, actor=ambassador.user)

    def test_only_a_coordinator_of_the_case_team_proposes(self, case, ambassador, team):
        psychologist = make_user_with_role(Role.PSYCHOLOGIST, team=team)
        other_coordinator = make_user_with_role(Role.COORDINATOR, team=TeamFactory(name="Autre"))
        for actor in (psychologist, other_coordinator):
            with pytest.raises(ValidationError):
                propose(case, ambassador, actor)
        assert Assignment.objects.count() == 0


class TestBadInput:
    def test_beyond_the_maximum_needs_a_reason(self, team, ambassador, coordinator):
        for _ in range(2):
            propose(CaseFactory(team=team), ambassador, coordinator)
        case = CaseFactory(team=team)
        with pytest.raises(ValidationError) as exc:
            propose(case, ambassador, coordinator)
        assert "over_limit_reason" in exc.value.error_dict
        assert "2" in exc.value.message_dict["over_limit_reason"][0]
        assert not Assignment.objects.filter(case=case).exists()
        assert not TimelineEvent.objects.filter(case=case).exists()
        a = propose(case, ambassador, coordinator, over_limit_reason="Seule à parler tigrinya")
        assert a.over_limit_reason == "Seule à parler tigrinya"
        assert TimelineEvent.objects.get(case=case).data["over_limit"] is True

    def test_ended_assignments_free_a_place(self, team, ambassador, coordinator):
        first = propose(CaseFactory(team=team), ambassador, coordinator)
        propose(CaseFactory(team=team), ambassador, coordinator)
        services.assignment_end(assignment=first, actor=coordinator, reason="completed")
        assert propose(CaseFactory(team=team), ambassador, coordinator).over_limit_reason == ""

    def test_the_reason_is_not_kept_below_the_maximum(self, case, ambassador, coordinator):
        assert propose(case, ambassador, coordinator, over_limit_reason="inutile").over_limit_reason == ""

    @pytest.mark.parametrize("how", ["profile", "user"])
    def test_an_inactive_ambassador_cannot_be_assigned(self, case, ambassador, coordinator, how):
        if how == "profile":
            ambassador.is_active = False
            ambassador.save()
        else:
            ambassador.user.is_active = False
            ambassador.user.save()
        with pytest.raises(ValidationError) as exc:
            propose(case, ambassador, coordinator)
        assert "ambassador" in exc.value.error_dict
        assert Assignment.objects.count() == 0

    def test_an_ambassador_of_another_team_only_on_a_shared_case(self, case, coordinator):
        other_team = TeamFactory(name="Wallonie")
        outsider = AmbassadorFactory(team=other_team)
        with pytest.raises(ValidationError) as exc:
            propose(case, outsider, coordinator)
        assert "ambassador" in exc.value.error_dict
        CaseShare.objects.create(case=case, team=other_team)
        assert propose(case, outsider, coordinator).ambassador == outsider

    def test_twice_on_the_same_case_is_refused(self, case, ambassador, coordinator):
        propose(case, ambassador, coordinator)
        with pytest.raises(ValidationError) as exc:
            propose(case, ambassador, coordinator)
        assert "ambassador" in exc.value.error_dict

    def test_planned_end_before_start(self, case, ambassador, coordinator):
        with pytest.raises(ValidationError) as exc:
            propose(case, ambassador, coordinator, planned_end_on=TODAY() - timedelta(days=10))
        assert "planned_end_on" in exc.value.error_dict

    def test_a_closed_case_takes_no_ambassador(self, ambassador, coordinator, team):
        case = CaseFactory(team=team, status="closed", closed_on=TODAY())
        with pytest.raises(ValidationError):
            propose(case, ambassador, coordinator)

    @pytest.fixture
    def active(self, case, ambassador, coordinator):
        a = propose(case, ambassador, coordinator)
        services.assignment_accept(assignment=a, actor=ambassador.user)
        return a

    def test_a_contact_longer_than_twelve_hours(self, active, ambassador):
        with pytest.raises(ValidationError) as exc:
            services.contact_log(
                assignment=active, actor=ambassador.user, occurred_on=TODAY(), duration_minutes=721, kind="visit"
            )
        assert "12" in exc.value.message_dict["duration_minutes"][0]
        active.refresh_from_db()
        assert active.status == Assignment.Status.ACCEPTED  # nothing half-saved: not started either
        assert Contact.objects.count() == 0
        services.contact_log(
            assignment=active, actor=ambassador.user, occurred_on=TODAY(), duration_minutes=720, kind="visit"
        )

    def test_a_contact_before_the_assignment_started(self, active, ambassador):
        with pytest.raises(ValidationError) as exc:
            services.contact_log(
                assignment=active,
                actor=ambassador.user,
                occurred_on=active.starts_on - timedelta(days=1),
                duration_minutes=30,
                kind="visit",
            )
        assert "occurred_on" in exc.value.error_dict
        assert Contact.objects.count() == 0

    def test_a_contact_in_the_future(self, active, ambassador):
        with pytest.raises(ValidationError) as exc:
            services.contact_log(
                assignment=active,
                actor=ambassador.user,
                occurred_on=TODAY() + timedelta(days=1),
                duration_minutes=30,
                kind="visit",
            )
        assert "occurred_on" in exc.value.error_dict

    def test_another_ambassador_cannot_log_on_it(self, active, team):
        other = AmbassadorFactory(team=team)
        with pytest.raises(ValidationError):
            services.contact_log(
                assignment=active, actor=other.user, occurred_on=TODAY(), duration_minutes=5, kind="visit"
            )

    def test_the_database_refuses_a_contact_over_twelve_hours_too(self, active):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            Contact.objects.create(assignment=active, occurred_on=TODAY(), duration_minutes=800, kind="visit")

    def test_an_end_before_the_start(self, active, coordinator):
        with pytest.raises(ValidationError) as exc:
            services.assignment_end(
                assignment=active, actor=coordinator, reason="completed", ended_on=active.starts_on - timedelta(days=1)
            )
        assert "ended_on" in exc.value.error_dict


class TestProfiles:
    def test_create_needs_the_ambassador_role_in_the_team(self, team, coordinator):
        social_worker = make_user_with_role(Role.SOCIAL_WORKER, team=team)
        with pytest.raises(ValidationError) as exc:
            services.ambassador_create(actor=coordinator, user=social_worker, team=team, started_on=TODAY())
        assert "user" in exc.value.error_dict

    def test_create_keeps_languages_levels_and_availability_in_week_order(self, team, coordinator):
        user = make_user_with_role(Role.AMBASSADOR, team=team, username="senait")
        tir, amh = language("tir"), language("amh")
        amb = services.ambassador_create(
            actor=coordinator,
            user=user,
            team=team,
            started_on=TODAY(),
            languages=[(tir, "native"), (amh, "fluent")],
            availability=["thu_am", "mon_am"],
            gender="F",
            max_active_assignments=3,
        )
        assert amb.availability == ["mon_am", "thu_am"]
        assert dict(amb.ambassador_languages.values_list("language__code", "level")) == {
            "tir": "native",
            "amh": "fluent",
        }
        services.ambassador_update(ambassador=amb, actor=coordinator, languages=[(tir, "fluent")])
        assert list(amb.ambassador_languages.values_list("level", flat=True)) == ["fluent"]

    def test_unknown_availability_is_refused(self, ambassador, coordinator):
        with pytest.raises(ValidationError) as exc:
            services.ambassador_update(ambassador=ambassador, actor=coordinator, availability=["sun_night"])
        assert "availability" in exc.value.error_dict

    def test_maximum_must_be_positive(self, ambassador, coordinator):
        with pytest.raises(ValidationError):
            services.ambassador_update(ambassador=ambassador, actor=coordinator, max_active_assignments=0)
