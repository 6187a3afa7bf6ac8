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


@pytest.mark.django_db
def test_a_fields_options_are_read_once_however_often_they_are_drawn(django_assert_num_queries):
    teams = [TeamFactory(name="Alpha"), TeamFactory(name="Beta")]
    form = TeamForm()
    with django_assert_num_queries(2):  # one per field: the choice and the multiple choice
        first = str(form["team"]) + str(form["teams"])
        again = str(form["team"]) + str(form["teams"])
    assert first == again
    assert all(f'value="{team.pk}"' in first for team in teams)
    assert len(form.fields["team"].choices) == 3 and bool(form.fields["teams"].choices)


# --- The one form page -------------------------------------------------------------------


class NoteForm(django_forms.Form):
    text = django_forms.CharField()


def _page(monkeypatch, rf, method="get", data=None):
    """A request with a message store, and rendering replaced by a record of what was shown."""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse

    request = getattr(rf, method)("/notes/", data or {})
    request._messages = CookieStorage(request)
    shown = {}

    def render(request, template, context, status=200):
        shown.update(template=template, context=context, status=status)
        return HttpResponse(status=status)

    monkeypatch.setattr(forms, "render", render)
    return request, shown


def test_submit_shows_the_form_on_a_get(monkeypatch, rf):
    request, shown = _page(monkeypatch, rf)
    form = NoteForm(forms.posted(request))
    response = forms.submit(
        request, form, lambda **kw: None, success="ok", then="/", template="t.html", context={"title": "T"}
    )
    assert response.status_code == 200
    assert shown["context"] == {"title": "T", "form": form}
    assert not form.is_bound


def test_submit_runs_the_action_then_redirects_with_the_message(monkeypatch, rf):
    request, shown = _page(monkeypatch, rf, "post", {"text": "Bonjour"})
    calls = []
    response = forms.submit(
        request,
        NoteForm(forms.posted(request)),
        lambda **kw: calls.append(kw) or "note-1",
        success=lambda note: f"Saved {note}.",
        then=lambda note: f"/notes/{note}/",
        template="t.html",
        context=lambda: pytest.fail("no page is built after a success"),
    )
    assert calls == [{"text": "Bonjour"}]
    assert (response.status_code, response["Location"]) == (302, "/notes/note-1/")
    assert [m.message for m in request._messages] == ["Saved note-1."]


def test_submit_says_several_messages_of_their_level(monkeypatch, rf):
    from django.contrib import messages
    from django.contrib.messages.storage.base import Message

    request, _shown = _page(monkeypatch, rf, "post", {"text": "x"})
    forms.submit(
        request,
        NoteForm(forms.posted(request)),
        lambda **kw: None,
        success=["Saved.", Message(messages.WARNING, "Late.")],
        then="/",
        template="t.html",
    )
    assert [(m.level, m.message) for m in request._messages] == [
        (messages.SUCCESS, "Saved."),
        (messages.WARNING, "Late."),
    ]


def test_act_runs_the_action_then_redirects_with_the_message(monkeypatch, rf):
    request, _shown = _page(monkeypatch, rf, "post")
    response = forms.act(request, lambda: "note-1", success=lambda note: f"Signed {note}.", then="/notes/")
    assert (response.status_code, response["Location"]) == (302, "/notes/")
    assert [m.message for m in request._messages] == ["Signed note-1."]


@pytest.mark.parametrize(
    ("one_message_per_error", "said"),
    [(False, ["Already signed. Not yours."]), (True, ["Already signed.", "Not yours."])],
)
def test_act_says_a_refusal_as_an_error_and_goes_to_the_same_page(monkeypatch, rf, one_message_per_error, said):
    from django.contrib import messages

    request, _shown = _page(monkeypatch, rf, "post")

    def refuse():
        raise ValidationError(["Already signed.", "Not yours."])

    response = forms.act(request, refuse, success="ok", then="/notes/", one_message_per_error=one_message_per_error)
    assert (response.status_code, response["Location"]) == (302, "/notes/")
    assert [(m.level, m.message) for m in request._messages] == [(messages.ERROR, text) for text in said]


def test_an_invalid_form_comes_back_bound_with_a_400(monkeypatch, rf):
    request, shown = _page(monkeypatch, rf, "post", {})  # even an empty POST is a submission
    response = forms.submit(
        request, NoteForm(forms.posted(request)), pytest.fail, success="ok", then="/", template="t.html"
    )
    assert response.status_code == 400
    assert shown["context"]["form"].is_bound and "text" in shown["context"]["form"].errors


def test_a_service_refusal_goes_beside_the_field_with_a_400(monkeypatch, rf):
    request, shown = _page(monkeypatch, rf, "post", {"text": "Bonjour"})

    def refuse(**kw):
        raise ValidationError({"text": "Too polite."})

    response = forms.submit(
        request, NoteForm(forms.posted(request)), refuse, success="ok", then="/", template="t.html", form_name="note"
    )
    assert response.status_code == 400
    note = shown["context"]["note"]
    assert note.errors["text"] == ["Too polite."]
    assert note["text"].value() == "Bonjour"  # what was typed is kept
    assert not list(request._messages)
