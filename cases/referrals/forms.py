from django import forms
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Person, Referral, ReferralReason
from cases.referrals.services import referral_validate
from integrapsy import forms as core_forms
from integrapsy.accounts.models import User
from integrapsy.directory.models import Language
from integrapsy.forms import DateInput, active_languages


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
            *Person.IDENTITY_FIELDS,
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
            self.fields[name].queryset = active_languages()
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
