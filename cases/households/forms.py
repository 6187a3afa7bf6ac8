from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import FamilyRelation, Person
from integrapsy import forms as core_forms

NOT_VISIBLE = _("Choose a person among the search results: this one is not among the persons you may see.")


class HouseholdAddForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    member = core_forms.ModelChoiceField(
        label=_("Family member"),
        queryset=Person.objects.none(),
        to_field_name="code",
        error_messages={"required": _("Choose the person to add."), "invalid_choice": NOT_VISIBLE},
    )
    relation = forms.ChoiceField(
        label=_("Who they are to this person"),
        choices=[("", "—"), *FamilyRelation.choices],
        error_messages={"required": _("Choose the relation.")},
    )

    def __init__(self, *args, choosable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = choosable


class HouseholdRemoveForm(forms.Form):
    member = forms.UUIDField(widget=forms.HiddenInput)
