from datetime import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from cases.households import services
from cases.households.forms import NOT_VISIBLE
from cases.models import Case, CaseShare, FamilyRelation, HouseholdLink, Person
from cases.tests.factories import CaseFactory, ConsultationFactory, PermanenceBookingFactory, PermanenceSessionFactory
from cases.tests.helpers import count_queries
from integrapsy.accounts.models import Membership, Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role


def _add_url(person):
    return reverse("cases:household_add", args=[person.code])


def _link(actor, a: Case, b: Case, relation=FamilyRelation.CHILD):
    a.person.refresh_from_db()
    b.person.refresh_from_db()
    return services.household_link_add(person=a.person, relative=b.person, relation=relation, actor=actor)


class TestAddFromThePersonPage:
    def test_search_then_add_then_both_pages_show_it(self, client, team, coordinator):
        mother = CaseFactory(team=team, person__first_name="Amina", person__last_name="Haile")
        son = CaseFactory(team=team, person__first_name="Yonas", person__last_name="Haile")
        client.force_login(coordinator)
        page = client.get(_add_url(mother.person), {"q": "Yonas"})
        assert page.status_code == 200
        assert f'name="member" id="member-1" value="{son.person.code}"' in page.content.decode()
        assert f'value="{mother.person.code}"' not in page.content.decode()  # not offered to themselves
        response = client.post(
            _add_url(mother.person), {"q": "Yonas", "member": str(son.person.code), "relation": "child"}
        )
        assert response.status_code == 302
        assert HouseholdLink.objects.filter(person=mother.person, relative=son.person, relation="child").exists()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the page in English, as the text below
        with translation.override("en"):
            html = client.get(reverse("cases:person_detail", args=[son.person.code])).content.decode()
            assert "Amina Haile</a> — Parent" in html
            html = client.get(reverse("cases:detail", args=[mother.reference])).content.decode()
            assert f'<a href="{reverse("cases:detail", args=[son.reference])}">Yonas Haile</a> — Child' in html

    def test_adding_oneself_is_refused_beside_the_field_with_the_search_kept(self, client, team, coordinator):
        mother = CaseFactory(team=team, person__first_name="Amina")
        client.force_login(coordinator)
        response = client.post(
            _add_url(mother.person), {"q": "Amina", "member": str(mother.person.code), "relation": "sibling"}
        )
        assert response.status_code == 400
        assert "member" in response.context["form"].errors
        html = response.content.decode()
        assert 'value="Amina"' in html
        assert '<option value="sibling" selected>' in html

    def test_adding_twice_is_refused_beside_the_field(self, client, team, coordinator):
        mother, son = CaseFactory(team=team), CaseFactory(team=team)
        _link(coordinator, mother, son)
        client.force_login(coordinator)
        response = client.post(_add_url(mother.person), {"member": str(son.person.code), "relation": "other"})
        assert response.status_code == 400
        assert "member" in response.context["form"].errors
        assert HouseholdLink.objects.count() == 1

    def test_a_person_the_user_may_not_see_is_refused_beside_the_field(self, client, team, coordinator):
        mother = CaseFactory(team=team)
        stranger = CaseFactory(team=TeamFactory())
        client.force_login(coordinator)
        response = client.post(_add_url(mother.person), {"member": str(stranger.person.code), "relation": "child"})
        assert response.status_code == 400
        with translation.override("en"):
            assert response.context["form"].errors["member"] == [str(NOT_VISIBLE)]
        assert not HouseholdLink.objects.exists()

    def test_missing_choices_are_said_beside_their_fields(self, client, team, coordinator):
        mother = CaseFactory(team=team)
        client.force_login(coordinator)
        response = client.post(_add_url(mother.person), {"q": "x"})
        assert response.status_code == 400
        assert set(response.context["form"].errors) == {"member", "relation"}


class TestAccess:
    def test_a_role_outside_the_team_gets_404(self, client, team, coordinator):
        mother, son = CaseFactory(team=team), CaseFactory(team=team)
        _link(coordinator, mother, son)
        outsider = make_user_with_role(Role.COORDINATOR, team=TeamFactory())
        client.force_login(outsider)
        assert client.get(_add_url(mother.person)).status_code == 404
        response = client.post(
            reverse("cases:household_remove", args=[mother.person.code]), {"member": str(son.person.code)}
        )
        assert response.status_code == 404
        assert HouseholdLink.objects.count() == 1

    def test_a_team_the_case_is_shared_with_reads_but_does_not_change_the_household(self, client, team, coordinator):
        mother, son = CaseFactory(team=team), CaseFactory(team=team)
        _link(coordinator, mother, son)
        partner = TeamFactory()
        CaseShare.objects.create(case=mother, team=partner, shared_by=coordinator)
        reader = make_user_with_role(Role.SOCIAL_WORKER, team=partner)
        client.force_login(reader)
        html = client.get(reverse("cases:detail", args=[mother.reference])).content.decode()
        assert son.person.display_name in html
        assert reverse("cases:detail", args=[son.reference]) not in html  # the son's case is not shared
        assert client.get(_add_url(mother.person)).status_code == 404

    def test_a_reader_who_may_not_open_the_other_case_sees_the_name_only(self, client, team, coordinator):
        mother = CaseFactory(team=team)
        other_team = TeamFactory()
        son = CaseFactory(team=other_team)
        # Linked by a coordinator of both teams: joining a household changes both persons' records.
        both = make_user_with_role(Role.COORDINATOR, team=team, username="coordinator-both")
        Membership.objects.create(user=both, role=Role.COORDINATOR, team=other_team)
        make_user_with_role(Role.PSYCHOLOGIST, team=other_team)
        ConsultationFactory(case=son, notes="Cauchemars depuis la traversée")
        _link(both, mother, son)
        reader = make_user_with_role(Role.PSYCHOLOGIST, team=team)
        client.force_login(reader)
        html = client.get(reverse("cases:detail", args=[mother.reference])).content.decode()
        assert son.person.display_name in html
        assert reverse("cases:detail", args=[son.reference]) not in html
        assert "Cauchemars" not in html

    def test_a_person_seen_through_a_shared_case_cannot_be_added(self, client, team, coordinator):
        mother = CaseFactory(team=team)
        son = CaseFactory(team=TeamFactory())
        CaseShare.objects.create(case=son, team=team, shared_by=coordinator)
        client.force_login(coordinator)
        response = client.post(
            _add_url(mother.person), {"q": son.reference, "member": str(son.person.code), "relation": "child"}
        )
        # Joining a household changes the son's record, which belongs to the team that follows him.
        assert response.status_code == 400
        assert "member" in response.context["form"].errors
        assert not HouseholdLink.objects.exists()
        assert Person.objects.get(pk=son.person.pk).household_id is None

    def test_removing_a_member(self, client, team, coordinator):
        mother, son = CaseFactory(team=team), CaseFactory(team=team)
        _link(coordinator, mother, son)
        client.force_login(coordinator)
        response = client.post(
            reverse("cases:household_remove", args=[mother.person.code]), {"member": str(son.person.code)}
        )
        assert response.status_code == 302
        assert not HouseholdLink.objects.exists()
        assert set(Person.objects.values_list("household_id", flat=True)) == {None}


class TestQueryCounts:
    def _family(self, team, coordinator, size):
        head = CaseFactory(team=team)
        for _ in range(size):
            _link(coordinator, head, CaseFactory(team=team), FamilyRelation.CHILD)
        head.person.refresh_from_db()
        return head

    def test_case_page_panel_costs_the_same_for_1_and_30_members(self, client, team, coordinator):
        client.force_login(coordinator)
        one = count_queries(client, reverse("cases:detail", args=[self._family(team, coordinator, 1).reference]))
        many = self._family(team, coordinator, 30)
        assert count_queries(client, reverse("cases:detail", args=[many.reference])) == one

    def test_person_page_costs_the_same_for_1_and_30_members(self, client, team, coordinator):
        client.force_login(coordinator)
        one = count_queries(
            client, reverse("cases:person_detail", args=[self._family(team, coordinator, 1).person.code])
        )
        many = self._family(team, coordinator, 30)
        assert count_queries(client, reverse("cases:person_detail", args=[many.person.code])) == one

    def test_search_costs_the_same_for_1_and_20_results(self, client, team, coordinator):
        head = CaseFactory(team=team)
        CaseFactory(team=team, person__first_name="Hewan")
        client.force_login(coordinator)
        url = f"{_add_url(head.person)}?q=Hewan"
        one = count_queries(client, url)
        for _ in range(19):
            CaseFactory(team=team, person__first_name="Hewan")
        assert count_queries(client, url) == one


@pytest.mark.django_db
def test_the_day_sheet_says_who_belongs_to_the_same_household(client, clinic):
    session = PermanenceSessionFactory(team=clinic.team, location=clinic.location, psychologist=clinic.psychologist)
    slots = list(session.slots.order_by("start_time"))
    mother = CaseFactory(team=clinic.team, person__first_name="Amina", person__last_name="Haile")
    son = CaseFactory(team=clinic.team, person__first_name="Yonas", person__last_name="Haile")
    _link(clinic.coordinator, mother, son)
    PermanenceBookingFactory(session=session, slot=slots[0], case=mother)
    PermanenceBookingFactory(session=session, slot=slots[1], case=son)
    PermanenceBookingFactory(session=session, slot=slots[2], case=clinic.case)
    client.force_login(clinic.psychologist)
    html = client.get(reverse("cases:permanence_sheet", args=[session.code])).content.decode()
    rows = {s.code: html.split(f'data-slot="{s.code}"')[1].split("</tr>")[0] for s in slots[:3]}
    assert "Yonas Haile" in rows[slots[0].code].split("data-household")[1]
    assert "Amina Haile" in rows[slots[1].code].split("data-household")[1]
    assert "data-household" not in rows[slots[2].code]
    assert time(9) == slots[0].start_time


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 302),
        ("psychologist", 302),
        ("social_worker", 302),
        ("ambassador", 404),
        ("interpreter", 404),
        ("referrer", 404),
        ("admin", 404),
    ],
)
def test_who_may_remove_a_member(client, role_users, role, status):
    team = role_users["coordinator"].memberships.get().team
    mother, son = CaseFactory(team=team), CaseFactory(team=team)
    _link(role_users["coordinator"], mother, son)
    client.force_login(role_users[role])
    response = client.post(
        reverse("cases:household_remove", args=[mother.person.code]), {"member": str(son.person.code)}
    )
    assert response.status_code == status
    assert HouseholdLink.objects.exists() == (status == 404)
