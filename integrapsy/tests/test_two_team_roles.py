"""A user holding different roles in two teams holds each role in its own team only.

The user below is a social worker in team A and a coordinator in team B. They read team A's
referrals and persons as a social worker, but may not triage team A's referrals nor merge
team A's persons: those are a coordinator's powers, checked for the row's team in the view
(a 404, as for a row outside the scope) and again in the service.
"""

import uuid
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cases.case_file import services as case_services
from cases.models import Case, Person, Referral
from cases.persons import services as person_services
from cases.referrals import services as referral_services
from cases.tests.factories import CaseFactory, PersonFactory, ReferralFactory
from integrapsy.accounts.models import Membership, Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role

TRIAGE = ("referral_accept", "referral_decline", "referral_ask", "referral_take", "referral_first_contact")


def _post_data(name: str) -> dict:
    return {
        "referral_accept": {"person": "new"},
        "referral_decline": {"reason": "Déjà suivi ailleurs"},
        "referral_ask": {"question": "Quelles disponibilités ?"},
        "referral_take": {},
        "referral_first_contact": {"on": timezone.localdate().isoformat()},
    }[name]


def _team_world(team, label: str) -> SimpleNamespace:
    """An open alarming referral, an accepted one with its case, and two records of one person."""
    accepted_case = CaseFactory(team=team, person=PersonFactory(first_name="Amina", last_name=f"Diallo {label}"))
    duplicate = CaseFactory(team=team, person=PersonFactory(first_name="Muhammad", last_name=f"Adam {label}"))
    return SimpleNamespace(
        team=team,
        referral=ReferralFactory(team=team, alarm=True, first_name=f"Selam {label}"),
        accepted=ReferralFactory(
            team=team,
            accepted=True,
            case=accepted_case,
            decided_at=timezone.now(),
        ),
        keep=CaseFactory(
            team=team,
            person=PersonFactory(first_name="Mohammed", last_name=f"Adam {label}"),
            status=Case.Status.CLOSED,
            closed_on=timezone.localdate(),
        ).person,
        duplicate=duplicate.person,
    )


@pytest.fixture
def world(db):
    team_a, team_b = TeamFactory(name="Équipe A"), TeamFactory(name="Équipe B")
    user = make_user_with_role(Role.SOCIAL_WORKER, team=team_a, username="deux-equipes")
    Membership.objects.create(user=user, role=Role.COORDINATOR, team=team_b)
    make_user_with_role(Role.COORDINATOR, team=team_a)
    return SimpleNamespace(user=user, a=_team_world(team_a, "A"), b=_team_world(team_b, "B"))


def _referral_state(referral: Referral) -> tuple:
    referral.refresh_from_db()
    return (
        referral.status,
        referral.taken_by_id,
        referral.info_request,
        referral.decline_reason,
        referral.first_contact_on,
        referral.case_id,
    )


def _target(world_team, name: str) -> Referral:
    return world_team.accepted if name == "referral_first_contact" else world_team.referral


class TestTeamAsSocialWorker:
    """Team A's rows, where the user is a social worker."""

    @pytest.mark.parametrize("name", TRIAGE)
    def test_triage_answers_404_and_changes_nothing(self, client, world, name):
        client.force_login(world.user)
        referral = _target(world.a, name)
        before = _referral_state(referral)
        cases = Case.objects.count()
        url = reverse(f"cases:{name}", args=[referral.code])
        assert client.post(url, _post_data(name)).status_code == 404
        assert _referral_state(referral) == before
        assert Case.objects.count() == cases

    @pytest.mark.parametrize("name", TRIAGE)
    def test_triage_urls_take_no_get_whatever_the_row(self, client, world, name):
        # POST-only everywhere: a GET is refused before any row is looked up, so it tells nothing either.
        client.force_login(world.user)
        url = reverse(f"cases:{name}", args=[_target(world.a, name).code])
        assert client.get(url).status_code == 405
        assert client.get(reverse(f"cases:{name}", args=[uuid.uuid4()])).status_code == 405

    def test_the_referral_page_reads_without_the_triage_forms(self, client, world):
        client.force_login(world.user)
        html = client.get(reverse("cases:referral_detail", args=[world.a.referral.code])).content.decode()
        assert reverse("cases:referral_accept", args=[world.a.referral.code]) not in html
        assert reverse("cases:referral_take", args=[world.a.referral.code]) not in html
        html = client.get(reverse("cases:referral_detail", args=[world.a.accepted.code])).content.decode()
        assert reverse("cases:referral_first_contact", args=[world.a.accepted.code]) not in html

    def test_no_urgent_banner_for_team_a(self, client, world):
        client.force_login(world.user)
        html = client.get(reverse("home")).content.decode()
        assert world.b.referral.reference in html
        assert world.a.referral.reference not in html

    def test_merge_answers_404_and_merges_nothing(self, client, world):
        client.force_login(world.user)
        url = reverse("cases:person_merge", args=[world.a.keep.code])
        assert client.get(url).status_code == 404
        response = client.post(url, {"duplicate": world.a.duplicate.code, "confirm": "on"})
        assert response.status_code == 404
        assert Person.objects.get(pk=world.a.duplicate.pk).merged_into is None

    def test_a_team_a_duplicate_cannot_be_merged_into_a_team_b_person(self, client, world):
        client.force_login(world.user)
        url = reverse("cases:person_merge", args=[world.b.keep.code])
        assert client.post(url, {"duplicate": world.a.duplicate.code, "confirm": "on"}).status_code == 404
        assert Person.objects.get(pk=world.a.duplicate.pk).merged_into is None

    def test_the_person_page_offers_no_merge(self, client, world):
        client.force_login(world.user)
        html = client.get(reverse("cases:person_detail", args=[world.a.keep.code])).content.decode()
        assert reverse("cases:person_merge", args=[world.a.keep.code]) not in html

    def test_the_services_refuse_too(self, world):
        user, a = world.user, world.a
        with pytest.raises(PermissionDenied):
            referral_services.referral_accept(referral=a.referral, actor=user)
        with pytest.raises(PermissionDenied):
            referral_services.referral_decline(referral=a.referral, actor=user, reason="non")
        with pytest.raises(PermissionDenied):
            referral_services.referral_request_info(referral=a.referral, actor=user, question="?")
        with pytest.raises(PermissionDenied):
            referral_services.referral_take(referral=a.referral, actor=user)
        with pytest.raises(PermissionDenied):
            referral_services.referral_record_first_contact(referral=a.accepted, actor=user, on=timezone.localdate())
        with pytest.raises(PermissionDenied):
            person_services.person_merge(keep=a.keep, duplicate=a.duplicate, actor=user)
        with pytest.raises(PermissionDenied):
            case_services.person_register_with_case(actor=user, team=a.team, first_name="Amanuel")
        assert _referral_state(a.referral)[:2] == (Referral.Status.SUBMITTED, None)


class TestTeamAsCoordinator:
    """Team B's rows, where the same user is the coordinator."""

    def test_accept(self, client, world):
        client.force_login(world.user)
        response = client.post(reverse("cases:referral_accept", args=[world.b.referral.code]), {"person": "new"})
        assert response.status_code == 302
        assert _referral_state(world.b.referral)[0] == Referral.Status.ACCEPTED

    @pytest.mark.parametrize("name", ["referral_decline", "referral_ask", "referral_take", "referral_first_contact"])
    def test_the_other_triage_actions(self, client, world, name):
        client.force_login(world.user)
        referral = _target(world.b, name)
        before = _referral_state(referral)
        response = client.post(reverse(f"cases:{name}", args=[referral.code]), _post_data(name))
        assert response.status_code == 302
        assert _referral_state(referral) != before

    def test_the_referral_page_offers_the_triage(self, client, world):
        client.force_login(world.user)
        html = client.get(reverse("cases:referral_detail", args=[world.b.referral.code])).content.decode()
        assert reverse("cases:referral_accept", args=[world.b.referral.code]) in html
        html = client.get(reverse("cases:referral_detail", args=[world.b.accepted.code])).content.decode()
        assert reverse("cases:referral_first_contact", args=[world.b.accepted.code]) in html

    def test_merge(self, client, world):
        client.force_login(world.user)
        url = reverse("cases:person_merge", args=[world.b.keep.code])
        page = client.get(url)
        assert page.status_code == 200
        # Team B's duplicate is proposed; team A's, of the same name, is not.
        assert [s.person for s in page.context["suggestions"]] == [world.b.duplicate]
        assert reverse("cases:person_merge", args=[world.b.keep.code]) in client.get(
            reverse("cases:person_detail", args=[world.b.keep.code])
        ).content.decode("utf-8")
        response = client.post(url, {"duplicate": world.b.duplicate.code, "confirm": "on"})
        assert response.status_code == 302
        assert Person.objects.get(pk=world.b.duplicate.pk).merged_into_id == world.b.keep.pk


class TestOtherCoordinatorPowers:
    """Other rows a coordinator manages: checked for the row's team as well."""

    def test_training_attendance_of_team_a(self, client, world):
        from ambassadors.models import TrainingAttendance
        from ambassadors.tests.factories import AmbassadorFactory, TrainingSessionFactory

        session_a = TrainingSessionFactory(team=world.a.team)
        ambassador = AmbassadorFactory(team=world.a.team)
        client.force_login(world.user)
        url = reverse("ambassadors:training_session", args=[session_a.code])
        assert client.get(url).status_code == 200  # a social worker of team A reads it
        assert client.post(url, {"ambassadors": [ambassador.pk]}).status_code == 404
        assert not TrainingAttendance.objects.exists()

    def test_activity_sessions_of_team_a(self, world):
        from cases.activities import services as activity_services
        from cases.tests.factories import GroupActivityFactory

        activity = GroupActivityFactory(team=world.a.team)
        with pytest.raises(PermissionDenied):
            activity_services.session_add(activity=activity, actor=world.user, starts_at=timezone.now())
        assert not activity.sessions.exists()
