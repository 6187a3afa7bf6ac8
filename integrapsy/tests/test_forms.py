"""The shared choice fields refuse, beside the field, values that would break the database."""

import pytest
from django import forms as django_forms
from django.core.exceptions import ValidationError

from integrapsy import forms
from integrapsy.accounts.models import Team
from integrapsy.accounts.tests.factories import TeamFactory


class TeamForm(django_forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.all())
    teams = forms.ModelMultipleChoiceField(queryset=Team.objects.all(), required=False)
    by_code = forms.ModelChoiceField(queryset=Team.objects.all(), to_field_name="code", required=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"team": "1\x00"}, "team"),
        ({"team": "9223372036854775808"}, "team"),
        ({"team": "-99999999999999999999"}, "team"),
        ({"team": "1", "teams": ["1", "99999999999999999999999"]}, "teams"),
        ({"team": "1", "teams": ["\x00"]}, "teams"),
        ({"team": "1", "by_code": "abc\x00def"}, "by_code"),
    ],
)
def test_hostile_values_are_errors_beside_their_field(data, field):
    team = TeamFactory()
    data = {k: (v.replace("1", str(team.pk), 1) if v == "1" else v) for k, v in data.items()}
    form = TeamForm(data)
    assert not form.is_valid()
    assert field in form.errors
    assert form.data[field] == data[field]  # what was typed is kept for the page


@pytest.mark.django_db
def test_ordinary_values_still_work():
    team = TeamFactory()
    form = TeamForm({"team": str(team.pk), "teams": [str(team.pk)], "by_code": str(team.code)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["team"] == team


def test_the_check_itself():
    field = forms.ModelChoiceField(queryset=Team.objects.none())
    with pytest.raises(ValidationError):
        forms.refuse_hostile_value(field, "\x00")
    forms.refuse_hostile_value(field, "²")  # not an ASCII integer: left to the field, which refuses it
    forms.refuse_hostile_value(field, "42")
