"""Names with direction overrides or invisible characters are refused; names are stored in NFC."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Person, Referral
from cases.persons import services
from integrapsy.accounts.models import Role
from integrapsy.accounts.tests.factories import make_user_with_role
from integrapsy.validators import validate_name_characters

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = ["Ahmed\u202egnp.exe", "Ah\u200bmed", "\u2066Ahmed\u2069", "Ahmed\ufeff", "Ah\u200dmed"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_validator_refuses_overrides_and_invisible_characters(name):
    with pytest.raises(ValidationError):
        validate_name_characters(name)


def test_ordinary_names_in_any_script_pass():
    for name in ("Ahmed", "أحمد", "Zoë", "Nguyễn", "ሰላም", "Abdul-Rahman", "O'Brien"):
        validate_name_characters(name)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_service_refuses_a_hostile_name(name):
    actor = make_user_with_role(Role.COORDINATOR)
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=actor, first_name=name)
    assert "first_name" in exc.value.error_dict
    assert not Person.objects.exists()


def test_names_are_stored_in_one_unicode_form():
    actor = make_user_with_role(Role.COORDINATOR)
    decomposed = unicodedata.normalize("NFD", "Zoë Nguyễn")
    person = services.person_create(actor=actor, first_name=decomposed.split()[0], last_name=decomposed.split()[1])
    person.refresh_from_db()
    assert person.first_name == "Zoë" and person.last_name == "Nguyễn"
    assert unicodedata.is_normalized("NFC", person.last_name)


def test_the_referral_form_says_so_beside_the_field_and_keeps_the_rest(client):
    referrer = make_user_with_role(Role.REFERRER)
    client.force_login(referrer)
    response = client.post(
        reverse("cases:referral_new"),
        {"first_name": "Ahmed\u202egnp.exe", "last_name": "Karimi", "urgency": "routine", "sex": "M"},
    )
    form = response.context["form"]
    assert "first_name" in form.errors
    assert "Karimi" in response.content.decode()
    assert not Referral.objects.exists()
