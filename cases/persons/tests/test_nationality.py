"""Nationality as a country code: the mapping of the old free texts, the administrator's resolution, the forms."""

import importlib

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from cases.models import Person, Referral
from cases.persons import services
from cases.persons.nationality import STATELESS, UNKNOWN, nationality_name
from cases.tests.factories import CaseFactory, LocationFactory, PersonFactory, ReferralFactory
from cases.tests.helpers import count_queries
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role
from integrapsy.audit.models import AuditEvent

migration = importlib.import_module("cases.migrations.0010_nationality_codes")
nationality_code = migration.nationality_code


# --- The data migration's mapping, as a plain function ---------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # The country's name in French, Dutch and English, whatever the case and the accents.
        ("Érythrée", "ER"),
        ("erythree", "ER"),
        ("ÉRYTHRÉE", "ER"),
        ("Eritrea", "ER"),
        ("Soudan", "SD"),
        ("Soedan", "SD"),
        ("Sudan", "SD"),
        ("Syrië", "SY"),
        ("Syrie", "SY"),
        ("Ivoorkust", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("cote d'ivoire", "CI"),
        ("Soudan du Sud", "SS"),
        ("Zuid-Soedan", "SS"),
        # Adjectives, feminine forms, short forms and abbreviations.
        ("érythréenne", "ER"),
        ("Eritrees", "ER"),
        ("Sudanese", "SD"),
        ("soudanaise", "SD"),
        ("Afghaanse", "AF"),
        ("RDC", "CD"),
        ("R.D.C.", "CD"),
        ("Congo-Kinshasa", "CD"),
        ("Congo Brazzaville", "CG"),
        ("Guinée Conakry", "GN"),
        ("Kosovar", "XK"),
        ("  Afghanistan (Kaboul) ", "AF"),
        # A close misspelling of one name only.
        ("Afganistan", "AF"),
        ("Erythre", "ER"),
        # Stateless and unknown are answers of their own.
        ("Apatride", STATELESS),
        ("staatloos", STATELESS),
        ("Stateless", STATELESS),
        ("inconnue", UNKNOWN),
        ("Onbekend", UNKNOWN),
        ("?", UNKNOWN),
    ],
)
def test_known_spellings_map_to_a_code(text, code):
    assert nationality_code(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Congo",  # which one?
        "congolais",
        "Érythrée / Éthiopie",  # two countries
        "Kurde",  # a people, not a country
        "Tchétchénie",
        "Niger ou Nigeria",
        "xyz",
    ],
)
def test_what_names_no_single_country_is_left_for_the_administrator(text):
    assert nationality_code(text) == ""


def test_niger_and_nigeria_are_not_confused():
    assert nationality_code("Niger") == "NE"
    assert nationality_code("Nigeria") == "NG"
    assert nationality_code("nigérien") == "NE"
    assert nationality_code("nigériane") == "NG"


@pytest.mark.django_db(transaction=True)
def test_the_migration_maps_what_it_can_and_keeps_the_rest():
    """Run for real: back to the free-text column, rows as they were, then forward again."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("cases", "0009_households")], [("cases", "0010_nationality_codes")]
    persons = {text: PersonFactory(nationality="") for text in ("Érythrée", "erythreen", "Congo", "")}
    referral = ReferralFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = MigrationExecutor(connection).loader.project_state(before).apps
        OldPerson, OldReferral = old.get_model("cases", "Person"), old.get_model("cases", "Referral")
        # The texts as they were in the column before the migration.
        for text, person in persons.items():
            OldPerson.objects.filter(pk=person.pk).update(nationality=text)
        OldReferral.objects.filter(pk=referral.pk).update(nationality="Soedan")
        MigrationExecutor(connection).migrate(after)
        got = {
            t: Person.objects.values_list("nationality", "nationality_original").get(pk=p.pk)
            for t, p in persons.items()
        }
        assert got == {"Érythrée": ("ER", ""), "erythreen": ("ER", ""), "Congo": ("", "Congo"), "": ("", "")}
        assert Referral.objects.values_list("nationality", "nationality_original").get(pk=referral.pk) == ("SD", "")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


# --- Names in the reader's language -----------------------------------------------------------


def test_names_come_from_the_catalogues_in_each_language():
    with translation.override("nl"):
        assert nationality_name("ER") == "Eritrea"
        assert nationality_name("SY") == "Syrië"
    with translation.override("fr"):
        assert nationality_name("ER") == "Érythrée"
    with translation.override("en"):
        assert nationality_name("XX") == "Stateless"
        assert nationality_name("ZZ") == "Unknown"
    assert nationality_name("") == ""


@pytest.mark.django_db
def test_a_dutch_page_shows_the_dutch_name(client):
    coordinator = make_user_with_role(Role.COORDINATOR)
    case = CaseFactory(team=coordinator.memberships.get().team, person__nationality="ER")
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    body = client.get(reverse("cases:person_detail", args=[case.person.code])).content.decode()
    assert 'lang="nl"' in body
    assert "Eritrea" in body and "Érythrée" not in body


# --- The administrator resolves what was not mapped -------------------------------------------


@pytest.fixture
def admin(db):
    return make_user_with_role(Role.ADMIN)


@pytest.fixture
def unresolved(db):
    person = PersonFactory(first_name="Grâce", nationality="", nationality_original="Congo")
    CaseFactory(person=person)
    return person


def test_the_service_gives_the_country_and_audits_it(admin, unresolved):
    person = services.nationality_resolve(person=unresolved, actor=admin, nationality="CD")
    person.refresh_from_db()
    assert person.nationality.code == "CD" and person.nationality_original == ""
    event = AuditEvent.objects.get(action="person.nationality_resolved")
    assert event.actor == admin and event.object_ref == str(person.code)
    assert "Congo" in event.detail and "CD" in event.detail


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PSYCHOLOGIST, Role.SOCIAL_WORKER, Role.REFERRER])
def test_only_the_administrator_may_resolve(unresolved, role):
    with pytest.raises(PermissionDenied):
        services.nationality_resolve(person=unresolved, actor=make_user_with_role(role), nationality="CD")
    unresolved.refresh_from_db()
    assert unresolved.nationality_original == "Congo"


def test_the_service_refuses_no_country_a_wrong_code_and_a_second_time(admin, unresolved):
    with pytest.raises(ValidationError) as exc:
        services.nationality_resolve(person=unresolved, actor=admin, nationality="")
    assert "nationality" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.nationality_resolve(person=unresolved, actor=admin, nationality="QQ")
    assert "nationality" in exc.value.error_dict
    services.nationality_resolve(person=unresolved, actor=admin, nationality="CG")
    with pytest.raises(ValidationError):
        services.nationality_resolve(person=unresolved, actor=admin, nationality="CD")
    assert Person.objects.get(pk=unresolved.pk).nationality.code == "CG"


def test_the_page_lists_the_texts_and_the_form_resolves_one(client, admin, unresolved):
    PersonFactory(nationality="ER")  # nothing to resolve
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("cases:nationalities_unresolved"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "“Congo”" in body and "Grâce" in body  # the page is in English: English quotation marks
    assert unresolved.cases.get().reference in body
    url = reverse("cases:nationality_resolve", args=[unresolved.code])
    assert url in body
    form = client.get(url).content.decode()
    assert '<select name="nationality"' in form and 'value="CD"' in form and 'value="XX"' in form
    response = client.post(url, {"nationality": "CD"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:nationalities_unresolved")
    assert "Democratic Republic of the Congo" in response.content.decode()
    unresolved.refresh_from_db()
    assert unresolved.nationality.code == "CD"
    assert AuditEvent.objects.filter(action="person.nationality_resolved").count() == 1
    # Resolved: the page no longer lists it, and its form is gone.
    assert "“Congo”" not in client.get(reverse("cases:nationalities_unresolved")).content.decode()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("value", ["", "QQ", "Congo", "\x00"])
def test_bad_input_is_refused_beside_the_field(client, admin, unresolved, value):
    client.force_login(admin)
    response = client.post(reverse("cases:nationality_resolve", args=[unresolved.code]), {"nationality": value})
    assert response.status_code == 400
    assert "nationality" in response.context["form"].errors
    unresolved.refresh_from_db()
    assert unresolved.nationality_original == "Congo" and not unresolved.nationality


def test_the_menu_shows_the_page_to_the_administrator_only(client, admin, unresolved):
    url = reverse("cases:nationalities_unresolved")
    client.force_login(admin)
    assert url in client.get(reverse("home")).content.decode()
    client.force_login(make_user_with_role(Role.COORDINATOR))
    assert url not in client.get(reverse("home")).content.decode()
    assert client.get(url).status_code == 404
    assert client.get(reverse("cases:nationality_resolve", args=[unresolved.code])).status_code == 404


def test_the_list_costs_the_same_for_one_person_and_for_thirty(client, admin):
    client.force_login(admin)
    url = reverse("cases:nationalities_unresolved")
    CaseFactory(person=PersonFactory(nationality="", nationality_original="Congo"))
    one = count_queries(client, url)
    for i in range(29):
        CaseFactory(person=PersonFactory(nationality="", nationality_original=f"Pays {i}"))
    assert count_queries(client, url) == one


# --- The person and referral forms ------------------------------------------------------------


@pytest.fixture
def coordinator(db):
    return make_user_with_role(Role.COORDINATOR)


def _person_data(person, **overrides):
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "alias": "",
        "sex": person.sex,
        "birth_year": person.birth_year or "",
        "nationality": "",
        "phone": "",
        **overrides,
    }


def test_the_person_form_is_a_country_select_and_choosing_resolves(client, coordinator):
    person = PersonFactory(nationality="", nationality_original="Erythrée-Éthiopie")
    CaseFactory(person=person, team=coordinator.memberships.get().team)
    client.force_login(coordinator)
    url = reverse("cases:person_edit", args=[person.code])
    with translation.override("en"):
        form = client.get(url).content.decode()
    assert '<select name="nationality"' in form
    assert "Erythrée-Éthiopie" in form  # what was written, as a hint beside the select
    assert client.post(url, _person_data(person, nationality="ET")).status_code == 302
    person.refresh_from_db()
    assert person.nationality.code == "ET" and person.nationality_original == ""


def test_the_person_form_refuses_a_text_beside_the_field_and_keeps_the_rest(client, coordinator):
    person = PersonFactory(nationality="ER")
    CaseFactory(person=person, team=coordinator.memberships.get().team)
    client.force_login(coordinator)
    url = reverse("cases:person_edit", args=[person.code])
    response = client.post(url, _person_data(person, nationality="Érythrée", alias="Yoni"))
    assert response.status_code == 400
    assert "nationality" in response.context["form"].errors
    assert 'value="Yoni"' in response.content.decode()
    person.refresh_from_db()
    assert person.nationality.code == "ER" and person.alias == ""


def test_editing_another_field_keeps_the_text_to_resolve(client, coordinator):
    person = PersonFactory(nationality="", nationality_original="Congo")
    CaseFactory(person=person, team=coordinator.memberships.get().team)
    client.force_login(coordinator)
    url = reverse("cases:person_edit", args=[person.code])
    assert client.post(url, _person_data(person, alias="Grâce")).status_code == 302
    person.refresh_from_db()
    assert person.nationality_original == "Congo" and person.alias == "Grâce"


def test_the_referral_form_offers_the_countries_and_the_code_reaches_the_person(client, db):
    referrer = make_user_with_role(Role.REFERRER)
    client.force_login(referrer)
    with translation.override("nl"):
        form = client.get(reverse("cases:referral_new"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<select name="nationality"' in form and 'value="ER"' in form
    referral = ReferralFactory(nationality="SD", location=LocationFactory())
    coordinator = make_user_with_role(Role.COORDINATOR, team=referral.team)
    from cases.referrals.services import referral_accept

    case = referral_accept(referral=referral, actor=coordinator)
    assert case.person.nationality.code == "SD"


def test_an_unresolved_referral_text_follows_the_person_it_creates(db):
    referral = ReferralFactory(nationality="", nationality_original="Congo")
    coordinator = make_user_with_role(Role.COORDINATOR, team=referral.team)
    from cases.referrals.services import referral_accept

    case = referral_accept(referral=referral, actor=coordinator)
    assert case.person.nationality_original == "Congo" and not case.person.nationality
