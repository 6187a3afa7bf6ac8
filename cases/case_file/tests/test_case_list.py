"""The case list offers "New person" to those who may register someone met without a referral."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_coordinators_see_the_new_person_link(client, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("cases:list")).content.decode()
    assert reverse("cases:person_new") in html


def test_psychologists_do_not_see_it(client, psychologist):
    client.force_login(psychologist)
    html = client.get(reverse("cases:list")).content.decode()
    assert reverse("cases:person_new") not in html


def test_each_row_links_its_case_and_marks_a_high_risk(client, coordinator, team):
    from cases.tests.factories import CaseFactory, PersonFactory

    high = CaseFactory(team=team, risk_level="high", person=PersonFactory(first_name="Selam", alias="Sel"))
    low = CaseFactory(team=team, risk_level="low")
    none = CaseFactory(team=team, risk_level="none")
    client.force_login(coordinator)
    response = client.get(reverse("cases:list"))
    rows = {row["case"].pk: row for row in response.context["rows"]}
    assert rows[high.pk]["risk_alarm"] and not rows[low.pk]["risk_alarm"] and rows[none.pk]["risk"] == ""
    assert rows[high.pk]["person"] == high.person.display_name
    html = response.content.decode()
    assert f'href="{reverse("cases:detail", args=[high.reference])}"' in html
    assert f'<span class="badge text-bg-danger">{rows[high.pk]["risk"]}</span>' in html
