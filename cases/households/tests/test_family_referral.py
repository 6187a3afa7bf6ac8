"""A family referred on one form: one referral per person, linked to one household."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from cases.households import selectors
from cases.models import HouseholdLink, Referral
from cases.referrals import services
from cases.referrals.forms import FAMILY_MAX
from cases.tests.factories import referral_form_data
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import OrganisationFactory, make_user_with_role


@pytest.fixture
def referrer(db):
    return make_user_with_role(Role.REFERRER, organisation=OrganisationFactory(name="CAES Croisilles"))


def _form(**extra):
    data = referral_form_data(first_name="Amina", last_name="Haile", urgency="priority")
    data |= {
        "family-TOTAL_FORMS": str(FAMILY_MAX),
        "family-INITIAL_FORMS": "0",
        "family-MIN_NUM_FORMS": "0",
        "family-MAX_NUM_FORMS": str(FAMILY_MAX),
    }
    for i in range(FAMILY_MAX):
        data[f"family-{i}-sex"] = "X"
    data.update(extra)
    return data


def _member(i, first_name, relation, **extra):
    return {
        f"family-{i}-first_name": first_name,
        f"family-{i}-last_name": "Haile",
        f"family-{i}-relation": relation,
        f"family-{i}-reasons": ["sleep"],
        **{f"family-{i}-{k}": v for k, v in extra.items()},
    }


class TestFamilyReferralForm:
    def test_the_form_offers_family_blocks(self, client, referrer, team):
        client.force_login(referrer)
        html = client.get(reverse("cases:referral_new")).content.decode()
        assert html.count("data-family-member") == FAMILY_MAX
        assert 'name="family-TOTAL_FORMS"' in html

    def test_one_referral_per_person_all_in_one_household(self, client, referrer, team):
        client.force_login(referrer)
        response = client.post(
            reverse("cases:referral_new"),
            _form(**_member(0, "Yonas", "child", birth_year="2014"), **_member(2, "Selam", "child")),
        )
        assert response.status_code == 302
        lead, *members = Referral.objects.order_by("pk")
        assert [r.first_name for r in (lead, *members)] == ["Amina", "Yonas", "Selam"]
        assert {r.household_id for r in (lead, *members)} == {lead.household_id} != {None}
        assert [r.household_relation for r in (lead, *members)] == ["", "child", "child"]
        assert members[0].birth_year == 2014 and members[0].reasons == ["sleep"]
        assert all(m.urgency == "priority" and m.consent_given and m.team == lead.team for m in members)
        assert response["Location"] == reverse("cases:referral_status", args=[lead.code])

    def test_the_single_person_form_is_unchanged(self, client, referrer, team):
        client.force_login(referrer)
        data = {k: v for k, v in _form().items() if not k.startswith("family-")}
        response = client.post(reverse("cases:referral_new"), data)
        assert response.status_code == 302
        [referral] = Referral.objects.all()
        assert referral.household_id is None and referral.household_relation == ""

    def test_empty_family_blocks_send_one_referral(self, client, referrer, team):
        client.force_login(referrer)
        assert client.post(reverse("cases:referral_new"), _form()).status_code == 302
        [referral] = Referral.objects.all()
        assert referral.household_id is None

    def test_a_member_needing_a_correction_keeps_everything_typed(self, client, referrer, team):
        client.force_login(referrer)
        response = client.post(
            reverse("cases:referral_new"),
            _form(**_member(0, "Yonas", "", birth_date="2999-01-01", reasons=[])),
        )
        assert response.status_code == 400
        member = response.context["family"].forms[0]
        assert set(member.errors) == {"relation", "birth_date", "reasons"}
        html = response.content.decode()
        assert 'value="Yonas"' in html and 'value="Amina"' in html
        assert Referral.objects.count() == 0

    def test_suicidal_thoughts_of_a_member_show_the_crisis_lines(self, client, referrer, team):
        client.force_login(referrer)
        data = _form(**_member(0, "Yonas", "child"))
        data["family-0-reasons"] = ["suicidal_thoughts"]
        data["first_name"] = ""  # refused: the lines are shown on the refused form too
        response = client.post(reverse("cases:referral_new"), data)
        assert response.status_code == 400
        assert 'id="crisis-h"' in response.content.decode()


class TestAcceptingAFamily:
    def test_each_accepted_referral_joins_the_household_and_is_linked_to_the_first_person(
        self, referrer, team, coordinator
    ):
        lead, son, daughter = services.referral_submit_family(
            actor=referrer,
            team=team,
            members=[
                {"first_name": "Yonas", "relation": "child", "reasons": ["sleep"]},
                {"first_name": "Selam", "relation": "child", "reasons": ["sleep"]},
            ],
            first_name="Amina",
            reasons=["anxiety"],
            consent_given=True,
            consent_date=timezone.localdate(),
            consent_method="oral",
        )
        son_case = services.referral_accept(referral=son, actor=coordinator)
        assert not HouseholdLink.objects.exists()  # the first person is not known yet
        lead_case = services.referral_accept(referral=lead, actor=coordinator)
        daughter_case = services.referral_accept(referral=daughter, actor=coordinator)
        for case in (son_case, lead_case, daughter_case):
            case.person.refresh_from_db()
        assert {c.person.household_id for c in (son_case, lead_case, daughter_case)} == {lead.household_id}
        members = selectors.household_members(user=coordinator, person=lead_case.person)
        assert {(m.person, m.relation) for m in members} == {
            (son_case.person, "child"),
            (daughter_case.person, "child"),
        }
        siblings = selectors.household_members(user=coordinator, person=son_case.person)
        assert {(m.person, m.relation) for m in siblings} == {(lead_case.person, "parent"), (daughter_case.person, "")}

    def test_the_referral_page_lists_the_rest_of_the_family(self, client, referrer, team, coordinator):
        lead, son = services.referral_submit_family(
            actor=referrer,
            team=team,
            members=[{"first_name": "Yonas", "relation": "child", "reasons": ["sleep"]}],
            first_name="Amina",
            reasons=["anxiety"],
            consent_given=True,
            consent_date=timezone.localdate(),
            consent_method="oral",
        )
        client.force_login(coordinator)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the page in English, as the text below
        with translation.override("en"):
            html = client.get(reverse("cases:referral_detail", args=[son.code])).content.decode()
        assert reverse("cases:referral_detail", args=[lead.code]) in html
        assert "Child" in html
