from django import forms
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, ConsentRecord, Person, Referral, ReferralReason, RiskLevel
from cases.services import referral_validate
from integrapsy import forms as core_forms
from integrapsy.accounts.models import Team, User
from integrapsy.directory.models import Language, Location


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _languages():
    return Language.objects.filter(is_active=True).order_by("name_fr", "variety")


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, alias or reference; spelling variants are found too."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + Case.Status.choices)
    team = core_forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.none(), empty_label=_("All")
    )
    lead_psychologist = core_forms.ModelChoiceField(
        label=_("Lead psychologist"), required=False, queryset=User.objects.none(), empty_label=_("All")
    )
    location = core_forms.ModelChoiceField(
        label=_("Location"), required=False, queryset=Location.objects.none(), empty_label=_("All")
    )
    language = core_forms.ModelChoiceField(
        label=_("Language"), required=False, queryset=Language.objects.none(), empty_label=_("All")
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), required=False, choices=[("", _("All"))] + RiskLevel.choices)

    def __init__(self, *args, teams, psychologists, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["lead_psychologist"].queryset = psychologists
        self.fields["location"].queryset = locations
        self.fields["language"].queryset = _languages()


class CoordinationNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Coordination note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Practical, non-clinical information for the team. No clinical details here."),
    )


class CaseUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[c for c in Case.Status.choices if c[0] != "closed"])
    lead_psychologist = core_forms.ModelChoiceField(
        label=_("Lead psychologist"), required=False, queryset=User.objects.none()
    )
    members = core_forms.ModelMultipleChoiceField(
        label=_("Team members involved"),
        required=False,
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, psychologists, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_psychologist"].queryset = psychologists
        self.fields["members"].queryset = staff


class CaseCloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for closing"), max_length=255)
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput(), initial=timezone.localdate)


class CaseShareForm(forms.Form):
    team = core_forms.ModelChoiceField(label=_("Share with the team"), queryset=Team.objects.none())
    reason = forms.CharField(
        label=_("Why"),
        max_length=255,
        required=False,
        help_text=_("e.g. the person moved from Calais to Tournai."),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


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
        self.fields["language"].queryset = _languages()


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
        fields = [
            "first_name",
            "last_name",
            "alias",
            "sex",
            "birth_date",
            "birth_year",
            "unaccompanied_minor",
            "nationality",
            "phone",
            "location",
        ]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].queryset = _languages()
        self.fields["main_language"].queryset = _languages()
        self.fields["location"].queryset = locations

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value


class MergeForm(forms.Form):
    duplicate = forms.UUIDField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I checked that both records are the same person. The history of both is kept."),
    )


class ReferralForm(forms.ModelForm):
    reasons = forms.MultipleChoiceField(
        label=_("Reasons for the referral"),
        choices=ReferralReason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one reason for the referral.")},
    )
    languages = core_forms.ModelMultipleChoiceField(
        label=_("Other languages spoken"),
        required=False,
        queryset=Language.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    class Meta:
        model = Referral
        fields = [
            "first_name",
            "last_name",
            "alias",
            "sex",
            "birth_date",
            "birth_year",
            "unaccompanied_minor",
            "nationality",
            "phone",
            "main_language",
            "languages",
            "interpreter_needed",
            "interpreter_language",
            "location",
            "reasons",
            "reason_other",
            "urgency",
            "actions_taken",
            "consent_given",
            "consent_date",
            "consent_method",
            "consent_language",
            "consent_through_interpreter",
        ]
        widgets = {
            "birth_date": DateInput(),
            "consent_date": DateInput(),
            "urgency": forms.RadioSelect,
            "consent_method": forms.RadioSelect,
            "actions_taken": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "birth_year": _("If the exact date is not known."),
            "phone": _("e.g. +33 6 12 34 56 78"),
            "actions_taken": _("Appointments made, people already involved, what the person asked for."),
        }

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("main_language", "interpreter_language", "consent_language", "languages"):
            self.fields[name].queryset = _languages()
        self.fields["location"].queryset = locations
        self.fields["consent_method"].choices = Referral.ConsentMethod.choices
        self.fields["consent_method"].required = False
        self.fields["consent_given"].label = _(
            "The person agrees to be referred to the psychosocial team and to the sharing of this information with it"
        )

    def _post_clean(self):
        # The form fields have checked types and lengths; the service's rules come next, each
        # beside its field (the model's own constraint would only say "invalid" on top).
        self.instance = construct_instance(self, self.instance, self._meta.fields)
        try:
            self.instance.full_clean(
                exclude=self._get_validation_exclusions(), validate_unique=False, validate_constraints=False
            )
        except forms.ValidationError as exc:
            self._update_errors(exc)
        try:
            referral_validate(self.instance)
        except forms.ValidationError as exc:
            self._update_errors(exc)


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the referrer will read it)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InfoRequestForm(forms.Form):
    question = forms.CharField(
        label=_("Your question to the referrer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class InfoAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class AcceptForm(forms.Form):
    person = forms.ChoiceField(label=_("Person"), widget=forms.RadioSelect)
    lead_psychologist = core_forms.ModelChoiceField(
        label=_("Lead psychologist"), required=False, queryset=User.objects.none()
    )

    def __init__(self, *args, suggestions, psychologists, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("new", _("Create a new person from the referral"))]
        for s in suggestions:
            choices.append((str(s.person.code), s.person.display_name))
        self.fields["person"].choices = choices
        self.fields["person"].initial = "new"
        self.fields["lead_psychologist"].queryset = psychologists


class FirstContactForm(forms.Form):
    on = forms.DateField(label=_("First contact on"), widget=DateInput(), initial=timezone.localdate)


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


class GdprSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, alias or case reference"), max_length=100)


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label=_("Legal ground or request"),
        max_length=255,
        help_text=_("e.g. erasure request of 12/03/2026 received by email"),
    )
    confirm = forms.BooleanField(label=_("I understand that the identity cannot be restored."))
