from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import ConsentRecord, Person
from cases.persons.nationality import nationalities
from integrapsy import clock
from integrapsy import forms as core_forms
from integrapsy.accounts.models import Team
from integrapsy.directory.models import Language
from integrapsy.forms import DateInput, active_languages


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentRecord.Purpose.choices)
    given = forms.TypedChoiceField(
        label=_("The person"),
        choices=[("1", _("agrees")), ("0", _("refuses or withdraws"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    given_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    method = forms.ChoiceField(label=_("How"), choices=ConsentRecord.Method.choices)
    language = core_forms.ModelChoiceField(
        label=_("In which language"), required=False, queryset=Language.objects.none()
    )
    through_interpreter = forms.BooleanField(label=_("Through an interpreter"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].queryset = active_languages()


class PersonForm(forms.ModelForm):
    languages = core_forms.ModelMultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        queryset=Language.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    main_language = core_forms.ModelChoiceField(
        label=_("Main language"), required=False, queryset=Language.objects.none()
    )

    class Meta:
        model = Person
        fields = [*Person.IDENTITY_FIELDS, "location"]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].queryset = active_languages()
        self.fields["main_language"].queryset = active_languages()
        self.fields["location"].queryset = locations
        if self.instance.nationality_original and not self.instance.nationality:
            self.fields["nationality"].help_text = _("Written before as “%(text)s”: choose the country.") % {
                "text": self.instance.nationality_original
            }

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value and value > clock.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value


class MergeForm(forms.Form):
    duplicate = forms.UUIDField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I checked that both records are the same person. The history of both is kept."),
    )


class NewPersonForm(PersonForm):
    """A person met without a referral (walk-in at a permanence): identity, then a case."""

    team = core_forms.ModelChoiceField(label=_("Open a case in the team"), queryset=Team.objects.none())
    create_anyway = forms.BooleanField(
        label=_("None of the persons proposed is this person: create a new record"), required=False
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if teams.count() == 1:
            self.fields["team"].initial = teams.first()


def _nationality_choices():
    return [("", "---------"), *nationalities]


class NationalityResolveForm(forms.Form):
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        choices=_nationality_choices,
        error_messages={"required": _("Choose the country.")},
    )
