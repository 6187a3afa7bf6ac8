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
    rows = {row["reference"]: row for row in response.context["rows"]}
    assert rows[high.reference]["risk_alarm"] and not rows[low.reference]["risk_alarm"]
    assert rows[none.reference]["risk"] == ""
    assert rows[high.reference]["person"] == high.person.display_name
    html = response.content.decode()
    assert f'href="{reverse("cases:detail", args=[high.reference])}"' in html
    assert f'<span class="badge text-bg-danger">{rows[high.reference]["risk"]}</span>' in html


def _filter_world(team):
    """Two teams, each with a psychologist, a place and a case; accents to sort."""
    from cases.tests.factories import CaseFactory
    from integrapsy.accounts.models import Role
    from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role
    from integrapsy.directory.models import Location

    other = TeamFactory(name="Équipe Tournai")
    for t, names in ((team, ("Élodie", "Zola", "Abel", "Été")), (other, ("Omar", "Autre", "Ailleurs", "Loin"))):
        make_user_with_role(Role.PSYCHOLOGIST, team=t, first_name=names[0], last_name=names[1])
        make_user_with_role(Role.PSYCHOLOGIST, team=t, username=f"psy2-{t.pk}", first_name="Anne", last_name="Bé")
        Location.objects.create(name=names[2], kind="reception_centre", team=t, city="Lille")
        Location.objects.create(name=names[3], kind="reception_centre", team=t, city="Arras")
        CaseFactory(team=t)
    return other


def test_the_filters_options_are_read_together_as_django_would_offer_them(client, coordinator, team):
    """One query for the teams, psychologists, places and languages: the same options, labels
    and order as the querysets they replace, of the user's teams only."""
    from django.db import connection
    from django.forms import ModelChoiceField
    from django.test.utils import CaptureQueriesContext

    from ambassadors.tests.factories import language
    from cases.case_file import selectors
    from integrapsy import access
    from integrapsy.forms import active_languages, id_choices

    other = _filter_world(team)
    language("prs", "", "Dari")
    language("pus", "", "Pachto")
    access.profile(coordinator)  # the user's roles, read once as on a page
    with CaptureQueriesContext(connection) as read:
        options = selectors.case_filter_options(user=coordinator)
    assert len(read) == 1
    teams = selectors.user_teams(user=coordinator)
    expected = {
        "team": teams,
        "lead_psychologist": selectors.team_psychologists_of(teams=teams),
        "location": selectors.user_locations(user=coordinator),
        "language": active_languages(),
    }
    for name, rows in expected.items():
        django_options = [(str(value), label) for value, label in ModelChoiceField(rows, empty_label="Tous").choices]
        assert id_choices(options[name], empty_label="Tous") == django_options, name
        assert len(django_options) > 1, name
    offered = {label for rows in options.values() for row in rows for label in [str(row)]}
    assert not offered & {other.name, "Omar Autre", "Ailleurs (Lille)", "Loin (Arras)"}


def test_a_filter_value_outside_the_options_is_refused_beside_the_field(client, coordinator, team):
    other = _filter_world(team)
    client.force_login(coordinator)
    response = client.get(reverse("cases:list"), {"team": str(other.pk), "q": "Selam"})
    form = response.context["form"]
    assert "team" in form.errors
    assert form["q"].value() == "Selam"  # what was typed stays
    assert 'id="id_team_error"' in response.content.decode()


def test_a_filter_by_team_lists_that_teams_cases(client, team):
    from cases.tests.factories import CaseFactory
    from integrapsy.accounts.models import Membership, Role
    from integrapsy.accounts.tests.factories import TeamFactory, make_user_with_role

    second = TeamFactory(name="Wallonie picarde")
    coordinator = make_user_with_role(Role.COORDINATOR, team=team)
    Membership.objects.create(user=coordinator, role=Role.COORDINATOR, team=second)
    mine, theirs = CaseFactory(team=team), CaseFactory(team=second)
    client.force_login(coordinator)
    response = client.get(reverse("cases:list"), {"team": str(second.pk)})
    shown = {row["reference"] for row in response.context["rows"]}
    assert theirs.reference in shown and mine.reference not in shown


def test_the_filters_options_are_kept_a_minute_for_the_users_of_the_same_teams(coordinator, team):
    """A second read within the minute costs no query, for another coordinator of the team too;
    a user of another team gets that team's lists; once the minute is over, a new place shows."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.case_file import selectors
    from integrapsy import access
    from integrapsy.accounts.models import Role
    from integrapsy.accounts.tests.factories import make_user_with_role
    from integrapsy.directory.models import Location

    other = _filter_world(team)
    colleague = make_user_with_role(Role.COORDINATOR, team=team, username="coord-colleague")
    outsider = make_user_with_role(Role.COORDINATOR, team=other, username="coord-tournai")
    for user in (coordinator, colleague, outsider):
        access.profile(user)  # the user's roles, read once as on a page
    first = selectors.case_filter_options(user=coordinator)
    with CaptureQueriesContext(connection) as read:
        again = selectors.case_filter_options(user=colleague)
    assert len(read) == 0
    assert [str(row) for row in again["location"]] == [str(row) for row in first["location"]]
    theirs = selectors.case_filter_options(user=outsider)
    assert {str(row) for row in theirs["location"]} == {"Ailleurs (Lille)", "Loin (Arras)"}
    assert not {str(row) for row in first["location"]} & {"Ailleurs (Lille)", "Loin (Arras)"}

    Location.objects.create(name="Nouveau lieu", kind="reception_centre", team=team, city="Douai")
    assert "Nouveau lieu (Douai)" not in {
        str(row) for row in selectors.case_filter_options(user=coordinator)["location"]
    }
    cache.clear()  # the minute is over
    assert "Nouveau lieu (Douai)" in {str(row) for row in selectors.case_filter_options(user=coordinator)["location"]}


def test_a_row_names_the_lead_place_and_team_as_the_case_page_does(client, coordinator, team):
    from cases.tests.factories import CaseFactory, PersonFactory
    from integrapsy.accounts.models import Role
    from integrapsy.accounts.tests.factories import make_user_with_role
    from integrapsy.directory.models import Location

    named = make_user_with_role(Role.PSYCHOLOGIST, team=team, username="psy-a", first_name="Anne", last_name="Bé")
    unnamed = make_user_with_role(Role.PSYCHOLOGIST, team=team, username="psy-b", first_name="", last_name="")
    place = Location.objects.create(name="Centre de Tournai", team=team)
    with_all = CaseFactory(team=team, lead_psychologist=named, person=PersonFactory(location=place))
    by_username = CaseFactory(team=team, lead_psychologist=unnamed)
    without = CaseFactory(team=team, lead_psychologist=None, person=PersonFactory(location=None))
    client.force_login(coordinator)
    rows = {row["reference"]: row for row in client.get(reverse("cases:list")).context["rows"]}
    assert (rows[with_all.reference]["lead"], rows[with_all.reference]["location"]) == (str(named), place.name)
    assert rows[by_username.reference]["lead"] == str(unnamed) == "psy-b"
    assert (rows[without.reference]["lead"], rows[without.reference]["location"]) == ("", "")
    assert rows[with_all.reference]["team"] == team.name
    assert rows[with_all.reference]["opened_on"] == with_all.opened_on
