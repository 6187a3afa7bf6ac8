"""``as_field`` draws a field as crispy's ``as_crispy_field`` does, whatever its state."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms as django_forms
from django.test.html import parse_html
from django.utils.translation import gettext_lazy as _lazy

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
    note = django_forms.CharField(
        label="Note", max_length=5, widget=django_forms.Textarea(attrs={"rows": 3}), help_text="No clinical details."
    )
    styled = django_forms.CharField(label="", required=False, widget=django_forms.TextInput(attrs={"class": "wide"}))
    # Left to crispy: a checkbox, radio buttons, a hidden field.
    agree = django_forms.BooleanField(label="Agree", required=False)
    mode = django_forms.ChoiceField(label="Mode", choices=[("a", "A"), ("b", "B")], widget=django_forms.RadioSelect)
    token = django_forms.CharField(widget=django_forms.HiddenInput, required=False)


DATA = {"note": "too long", "name": "x" * 30, "status": "nope", "team": "0", "day": "not a day", "at": "", "mode": "c"}


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        ([("", "All"), ("open", "Open"), ("closed", "Closed")], "open", {}),
        ([("a&b", 'Tom & "Jerry"'), ("<x>", "l'été <b>")], "<x>", {"class": 'a "b"', "required": True}),
        ([(1, "One"), (2, "Two")], 2, {"disabled": True, "data-x": False, "aria-describedby": "h"}),
        ([("x", _lazy("Status"))], None, {}),
        ([("Group", [("a", "A"), ("b", "B")]), ("c", "C")], "b", {}),  # groups: left to the templates
        ([], "", {}),
        ([("a", "First"), ("a", "Again"), (None, "Nothing")], "a", {}),  # only the first is selected
        ([(None, "Nothing"), ("b", "B")], None, {"id": "other"}),
        ([("1", "One"), ("2", "Two")], ["2"], {}),
    ],
)
def test_the_select_writes_the_markup_of_djangos_templates(choices, value, attrs):
    ours = forms.Select(choices=choices, attrs=attrs).render("pick", value, attrs={"id": "id_pick"})
    theirs = django_forms.Select(choices=choices, attrs=attrs).render("pick", value, attrs={"id": "id_pick"})
    assert ours == theirs


@pytest.mark.django_db
def test_a_model_choice_is_drawn_by_the_select_with_the_same_markup():
    TeamFactory(name="Alpha & co")
    field = forms.ModelChoiceField(queryset=Team.objects.all(), empty_label="All", required=False)
    theirs = django_forms.ModelChoiceField(queryset=Team.objects.all(), empty_label="All", required=False)
    assert isinstance(field.widget, forms.Select)
    assert field.widget.render("team", "") == theirs.widget.render("team", "")


def test_the_select_does_not_go_through_the_templates(monkeypatch):
    def no_template(*args, **kwargs):
        raise AssertionError("drawn by a template")

    monkeypatch.setattr(django_forms.Select, "_render", no_template)
    assert "<option" in forms.Select(choices=[("a", "A")]).render("pick", "a")


@pytest.mark.parametrize(
    ("widget", "value", "attrs"),
    [
        (django_forms.TextInput(), 'Tom & "Jerry" <b>', {"maxlength": 100, "class": "form-control"}),
        (django_forms.TextInput(), None, {"required": True, "disabled": False, "placeholder": "l'été"}),
        (django_forms.NumberInput(), 12, {"min": 0}),
        (django_forms.EmailInput(), "a@b.example", {}),
        (django_forms.PasswordInput(render_value=True), "secret", {}),
        (django_forms.SearchInput(), "x", {}),
        (forms.DateInput(), "2026-12-04", {"aria-describedby": "id_day_helptext"}),
        (forms.TimeInput(), "", {}),
        (forms.DateTimeInput(), None, {}),
        (django_forms.URLInput(), "https://example.org/?a=1&b=2", {}),
    ],
)
def test_the_plain_inputs_are_written_as_djangos_jinja2_templates_write_them(widget, value, attrs):
    from django.forms.renderers import Jinja2

    ours = widget.render("field", value, attrs={"id": "id_field", **attrs}, renderer=forms.FormRenderer())
    theirs = widget.render("field", value, attrs={"id": "id_field", **attrs}, renderer=Jinja2())
    assert ours == theirs


def test_the_plain_inputs_do_not_go_through_the_templates(monkeypatch):
    from django.forms.renderers import Jinja2

    def no_template(*args, **kwargs):
        raise AssertionError("drawn by a template")

    monkeypatch.setattr(Jinja2, "get_template", no_template)
    drawn = django_forms.TextInput().render("q", "x", renderer=forms.FormRenderer())
    assert drawn == '<input type="text" name="q" value="x">'
    with pytest.raises(AssertionError):  # another template: Jinja2's
        django_forms.Textarea().render("note", "x", renderer=forms.FormRenderer())
