"""A case shared with a partner team: the partner reads it and adds notes; the case's team changes it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cases.case_file import services as case_services
from cases.models import Case, CaseShare, ConsentRecord, CoordinationNote
from cases.persons import services as person_services
from cases.tests.factories import CaseFactory, ReferralFactory, consent
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role

PARTNER_ROLES = [Role.PSYCHOLOGIST, Role.COORDINATOR]


@pytest.fixture
def shared(db):
    """Team A's case, shared with team B (the partner), with the person's consent to sharing."""
    team_a, team_b = TeamFactory(name="IntegraPsy Hauts-de-France"), TeamFactory(name="IntegraPsy Wallonie picarde")
    case = CaseFactory(team=team_a, person__first_name="Hewan")
    ReferralFactory(team=team_a, status="accepted", person=case.person, case=case, decided_at=timezone.now())
    owner = make_user_with_role(Role.COORDINATOR, team=team_a)
    consent(case.person, owner)
    CaseShare.objects.create(case=case, team=team_b, shared_by=owner)
    return case, team_a, team_b, owner


def _state(case: Case) -> tuple:
    case.refresh_from_db()
    person = case.person
    person.refresh_from_db()
    return (
        case.status,
        case.closed_on,
        case.lead_psychologist_id,
        case.shares.count(),
        person.first_name,
        person.consents.count(),
    )


def _changes(case: Case, team_c) -> dict[str, tuple[str, dict]]:
    """Each change the case's team may make, as (url, data)."""
    person = case.person
    return {
        "update": (reverse("cases:update", args=[case.reference]), {"status": Case.Status.ACTIVE}),
        "close": (
            reverse("cases:close", args=[case.reference]),
            {"reason": "Suivi terminé", "closed_on": timezone.localdate().isoformat()},
        ),
        "share": (reverse("cases:share", args=[case.reference]), {"team": team_c.pk, "reason": "Transfert"}),
        "person_edit": (
            reverse("cases:person_edit", args=[person.code]),
            {"first_name": "Autre", "sex": person.sex, "birth_year": person.birth_year or ""},
        ),
        "consent_add": (
            reverse("cases:consent_add", args=[person.code]),
            {
                "purpose": ConsentRecord.Purpose.INTERPRETER,
                "given": "1",
                "given_on": timezone.localdate().isoformat(),
                "method": "oral",
            },
        ),
    }


CHANGES = ["update", "close", "share", "person_edit", "consent_add"]


class TestPartnerTeam:
    @pytest.mark.parametrize("role", PARTNER_ROLES)
    @pytest.mark.parametrize("change", CHANGES)
    def test_it_cannot_change_the_case_nor_the_person(self, client, shared, role, change):
        case, _team_a, team_b, _owner = shared
        client.force_login(make_user_with_role(role, team=team_b))
        url, data = _changes(case, TeamFactory(name="Troisième équipe"))[change]
        before = _state(case)
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
        assert _state(case) == before

    @pytest.mark.parametrize("role", PARTNER_ROLES)
    def test_it_reads_the_case_and_adds_a_note(self, client, shared, role):
        case, _team_a, team_b, _owner = shared
        client.force_login(make_user_with_role(role, team=team_b))
        for name in ("cases:detail", "cases:detail_care", "cases:detail_planning", "cases:detail_file"):
            assert client.get(reverse(name, args=[case.reference])).status_code == 200
        assert client.get(reverse("cases:person_detail", args=[case.person.code])).status_code == 200
        response = client.post(reverse("cases:note_add", args=[case.reference]), {"text": "Vu à Tournai"})
        assert response.status_code == 302
        assert CoordinationNote.objects.get(case=case).text == "Vu à Tournai"

    @pytest.mark.parametrize("role", PARTNER_ROLES)
    def test_links_it_would_get_a_404_on_are_not_shown(self, client, shared, role):
        case, _team_a, team_b, _owner = shared
        client.force_login(make_user_with_role(role, team=team_b))
        html = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        assert reverse("cases:note_add", args=[case.reference]) in html
        for name in ("cases:update", "cases:close", "cases:share"):
            assert reverse(name, args=[case.reference]) not in html
        html = client.get(reverse("cases:person_detail", args=[case.person.code])).content.decode()
        for name in ("cases:person_edit", "cases:consent_add", "cases:person_merge"):
            assert reverse(name, args=[case.person.code]) not in html
        html = client.get(reverse("cases:detail_file", args=[case.reference])).content.decode()
        referral = case.referrals.get()
        assert referral.reference in html
        assert reverse("cases:referral_detail", args=[referral.code]) not in html

    def test_the_planning_tab_links_only_its_own_teams_rows(self, client, shared):
        from ambassadors.tests.factories import AmbassadorFactory, AssignmentFactory
        from cases.tests.factories import EnrolmentFactory, GroupActivityFactory
        from interpreters.tests.factories import BookingFactory

        case, team_a, team_b, _owner = shared
        booking = BookingFactory(team=team_a, case=case)
        assignment = AssignmentFactory(ambassador=AmbassadorFactory(team=team_a), case=case)
        theirs = EnrolmentFactory(activity=GroupActivityFactory(team=team_a, title="Groupe A"), case=case)
        ours = EnrolmentFactory(activity=GroupActivityFactory(team=team_b, title="Groupe B"), case=case)
        client.force_login(make_user_with_role(Role.PSYCHOLOGIST, team=team_b))
        html = client.get(reverse("cases:detail_planning", args=[case.reference])).content.decode()
        assert str(booking.code) in html and assignment.ambassador.name in html and "Groupe A" in html
        assert reverse("interpreters:booking_detail", args=[booking.code]) not in html
        assert reverse("ambassadors:ambassador_detail", args=[assignment.ambassador.code]) not in html
        assert reverse("cases:activity_detail", args=[theirs.activity.code]) not in html
        assert reverse("cases:activity_detail", args=[ours.activity.code]) in html

    def test_the_services_refuse_too(self, shared):
        case, _team_a, team_b, _owner = shared
        partner = make_user_with_role(Role.COORDINATOR, team=team_b)
        refusals = [
            lambda: case_services.case_update(
                case=case, actor=partner, status=Case.Status.ACTIVE, lead_psychologist=None, members=[]
            ),
            lambda: case_services.case_close(case=case, actor=partner, reason="fin"),
            lambda: case_services.case_share(case=case, team=TeamFactory(), actor=partner),
            lambda: person_services.person_update(person=case.person, actor=partner, first_name="Autre"),
            lambda: consent(case.person, partner, ConsentRecord.Purpose.INTERPRETER),
        ]
        before = _state(case)
        for refuse in refusals:
            with pytest.raises(PermissionDenied):
                refuse()
        assert _state(case) == before


class TestOwningTeam:
    def test_it_sees_and_uses_the_changes(self, client, shared):
        case, team_a, _team_b, owner = shared
        client.force_login(make_user_with_role(Role.SOCIAL_WORKER, team=team_a))
        html = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
        for name in ("cases:update", "cases:close", "cases:share", "cases:note_add"):
            assert reverse(name, args=[case.reference]) in html
        html = client.get(reverse("cases:person_detail", args=[case.person.code])).content.decode()
        assert reverse("cases:person_edit", args=[case.person.code]) in html
        assert reverse("cases:consent_add", args=[case.person.code]) in html
        changes = _changes(case, TeamFactory(name="Troisième équipe"))
        for change in CHANGES:
            url, data = changes[change]
            assert client.get(url).status_code == 200, change
        url, data = changes["close"]
        assert client.post(url, data).status_code == 302
        case.refresh_from_db()
        assert case.is_closed

    def test_a_partner_with_its_own_case_of_the_person_changes_the_person(self, client, shared):
        case, _team_a, team_b, _owner = shared
        CaseFactory(team=team_b, person=case.person)
        client.force_login(make_user_with_role(Role.PSYCHOLOGIST, team=team_b))
        url, data = _changes(case, TeamFactory(name="Troisième équipe"))["consent_add"]
        assert client.post(url, data).status_code == 302
        # ...but the case of team A still belongs to team A.
        url, data = _changes(case, TeamFactory(name="Quatrième équipe"))["update"]
        assert client.post(url, data).status_code == 404
