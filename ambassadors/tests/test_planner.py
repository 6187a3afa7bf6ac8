"""The language-support planner: its rules, its two sides, and the team's rules page."""

from datetime import date

import pytest
from django.urls import reverse

from ambassadors import planner
from ambassadors.models import LanguageSupportRule, Requirement, SupportActivity
from ambassadors.tests.factories import AmbassadorFactory, AssignmentFactory, language
from cases.models import PersonLanguage
from cases.tests.factories import CaseFactory, PersonFactory
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory(name="IntegraPsy Hauts-de-France")


@pytest.fixture
def coordinator(team):
    return make_user_with_role(Role.COORDINATOR, team=team, username="coord")


@pytest.fixture
def pashto():
    return language("pus", name="Pashto")


@pytest.fixture
def case(team, pashto):
    person = PersonFactory(first_name="Gul", last_name="Ahmadzai")
    PersonLanguage.objects.create(person=person, language=pashto, is_main=True)
    return CaseFactory(team=team, person=person, main_language=pashto)


@pytest.fixture
def farid(team, pashto):
    return AmbassadorFactory(
        team=team,
        user=make_user_with_role(Role.AMBASSADOR, team=team, username="farid", first_name="Farid"),
        speaks=[(pashto, "native")],
        availability=["tue_am"],
    )


class TestRules:
    @pytest.mark.parametrize(
        ("activity", "required"),
        [
            ("first_assessment", True),
            ("risk_assessment", True),
            ("consultation", False),
            ("permanence", False),
            ("group", False),
            ("accompaniment", False),
        ],
    )
    def test_defaults(self, team, activity, required):
        decision = planner.rule_for(team=team, activity=activity)
        assert decision.interpreter_required is required
        assert decision.explanation
        assert not decision.from_team

    def test_every_activity_has_a_default(self):
        assert set(planner.DEFAULT_RULES) == set(SupportActivity.values)

    def test_a_team_rule_overrides_the_default_for_that_team_only(self, team):
        LanguageSupportRule.objects.create(
            team=team, activity="group", requirement=Requirement.INTERPRETER, explanation="Groupes de parole."
        )
        mine = planner.rule_for(team=team, activity="group")
        assert (mine.interpreter_required, mine.explanation, mine.from_team) == (True, "Groupes de parole.", True)
        assert not planner.rule_for(team=TeamFactory(name="Autre"), activity="group").interpreter_required

    def test_slots(self):
        assert planner.slot_of(date(2026, 3, 3), "am") == "tue_am"
        assert planner.slot_of(date(2026, 3, 8), "pm") == ""  # Sunday: no availability slot
        assert planner.slot_of(None, "am") == ""

    def test_the_interpreters_side_is_empty_with_a_note_until_it_is_connected(self, team, pashto):
        side = planner.interpreter_suggestions(
            planner.SupportRequest(team=team, activity="consultation", language=pashto), user=None
        )
        assert side.suggestions == [] and side.note


class TestPlannerPage:
    def test_for_a_pashto_consultation_it_shows_the_rule_both_sides_and_the_ambassador(
        self, client, coordinator, case, farid
    ):
        client.force_login(coordinator)
        response = client.get(
            reverse("ambassadors:planner"),
            {"case": case.reference, "activity": "consultation", "day": "2026-03-03", "part_of_day": "am"},
        )
        html = response.content.decode()
        assert 'id="planner-rule" data-requirement="either"' in html
        assert 'id="planner-interpreters"' in html and 'id="interpreters-note"' in html
        side = html.split('id="planner-ambassadors"')[1]
        assert f'data-ambassador="{farid.code}"' in side
        assert f'id="assign-{farid.code}"' in side
        assert f"/cases/{case.reference}/ambassadors/?ambassador={farid.code}&amp;role=language_support" in side

    def test_a_first_assessment_says_an_interpreter_is_required(self, client, coordinator, case, farid):
        client.force_login(coordinator)
        html = client.get(
            reverse("ambassadors:planner"), {"case": case.reference, "activity": "first_assessment"}
        ).content.decode()
        assert 'data-requirement="interpreter"' in html
        assert 'id="ambassadors-cannot-replace"' in html

    def test_without_a_case_it_plans_by_language_with_no_assign_button(self, client, coordinator, pashto, farid):
        client.force_login(coordinator)
        html = client.get(
            reverse("ambassadors:planner"), {"language": pashto.pk, "activity": "permanence"}
        ).content.decode()
        assert f'data-ambassador="{farid.code}"' in html
        assert f'id="assign-{farid.code}"' not in html

    def test_neither_case_nor_language_is_explained(self, client, coordinator):
        client.force_login(coordinator)
        response = client.get(reverse("ambassadors:planner"), {"activity": "consultation"})
        assert "language" in response.context["form"].errors
        assert response.context["result"] is None

    def test_a_case_of_another_team_is_refused(self, client, coordinator, pashto):
        other = CaseFactory(team=TeamFactory(name="Autre"))
        client.force_login(coordinator)
        response = client.get(reverse("ambassadors:planner"), {"case": other.reference, "activity": "consultation"})
        assert "case" in response.context["form"].errors

    def test_it_keeps_a_fixed_number_of_queries(self, client, team, coordinator, case, pashto):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.force_login(coordinator)
        AmbassadorFactory(team=team, speaks=[(pashto, "native")])
        params = {"case": case.reference, "activity": "consultation", "day": "2026-03-03", "part_of_day": "am"}

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("ambassadors:planner"), params).status_code == 200
            return len(ctx.captured_queries)

        count()
        one = count()
        for _ in range(29):
            AssignmentFactory(ambassador=AmbassadorFactory(team=team, speaks=[(pashto, "native")]))
            CaseFactory(team=team)
        assert count() == one


class TestRulesPage:
    def test_a_coordinator_edits_the_team_rules(self, client, team, coordinator):
        client.force_login(coordinator)
        url = reverse("ambassadors:planner_rules")
        data = {}
        for activity, (requirement, _text) in planner.DEFAULT_RULES.items():
            data[f"{activity}-requirement"] = requirement
            data[f"{activity}-explanation"] = ""
        data["group-requirement"] = "interpreter"
        data["group-explanation"] = "Groupes de parole."
        response = client.post(url, data)
        assert response.status_code == 302
        assert planner.rule_for(team=team, activity="group").explanation == "Groupes de parole."
        assert planner.rule_for(team=team, activity="group").interpreter_required

    def test_bad_input_saves_nothing(self, client, team, coordinator):
        client.force_login(coordinator)
        data = {f"{a}-requirement": "interpreter" for a in planner.DEFAULT_RULES}
        data["group-requirement"] = "nonsense"
        data["consultation-explanation"] = "Gardé"
        response = client.post(reverse("ambassadors:planner_rules"), data)
        assert response.status_code == 200
        assert "Gardé" in response.content.decode()
        assert not LanguageSupportRule.objects.exists()
