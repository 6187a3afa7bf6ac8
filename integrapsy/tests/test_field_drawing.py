"""``as_field`` draws a field as crispy's ``as_crispy_field`` does, whatever its state."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms as django_forms
from django.test.html import parse_html

from integrapsy import forms
from integrapsy.accounts.models import Team
from integrapsy.accounts.tests.factories import TeamFactory
from integrapsy.templatetags.fields import as_field


class EveryKindForm(django_forms.Form):
    q = django_forms.CharField(label="Search", required=False, max_length=100, help_text="Name <b>or</b> reference.")
    name = django_forms.CharField(label="Name & alias", max_length=20)
    status = django_forms.ChoiceField(label="Status", required=False, choices=[("", "All"), ("open", "Open")])
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.all(), empty_label="All", required=False)
    teams = forms.ModelMultipleChoiceField(label="Teams", queryset=Team.objects.all(), required=False)
    day = django_forms.DateField(label="Day", widget=forms.DateInput(), required=False)
    at = django_forms.TimeField(label="At", widget=forms.TimeInput())
    styled = django_forms.CharField(label="", required=False, widget=django_forms.TextInput(attrs={"class": "wide"}))
    # Left to crispy: a checkbox, radio buttons, a hidden field.
    agree = django_forms.BooleanField(label="Agree", required=False)
    mode = django_forms.ChoiceField(label="Mode", choices=[("a", "A"), ("b", "B")], widget=django_forms.RadioSelect)
    token = django_forms.CharField(widget=django_forms.HiddenInput, required=False)


DATA = {"name": "x" * 30, "status": "nope", "team": "0", "day": "not a day", "at": "", "mode": "c"}


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, DATA], ids=["unbound", "with errors"])
@pytest.mark.parametrize("name", list(EveryKindForm.base_fields))
def test_a_field_is_drawn_as_crispy_draws_it(name, data):
    TeamFactory(name="Alpha & co")
    ours, theirs = EveryKindForm(data), EveryKindForm(data)
    assert parse_html(as_field(ours[name])) == parse_html(as_crispy_field(theirs[name]))
    # Drawn twice, the same (crispy adds its classes to the widget once).
    assert parse_html(as_field(ours[name])) == parse_html(as_crispy_field(theirs[name]))


def test_a_forms_crispy_helper_is_left_to_crispy():
    from crispy_forms.helper import FormHelper

    form = EveryKindForm()
    form.helper = FormHelper()
    form.helper.field_template = "bootstrap5/field.html"
    assert parse_html(as_field(form["q"])) == parse_html(as_crispy_field(EveryKindForm()["q"]))
