from django import forms
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import FamilyRelation, Referral, ReferralReason
from cases.persons.models import Sex
from cases.referrals.services import REFERRAL_FIELDS, referral_validate
from integrapsy import clock
from integrapsy import forms as core_forms
from integrapsy.accounts.models import User
from integrapsy.directory.models import Language
from integrapsy.forms import DateInput, active_languages
from integrapsy.validators import validate_name_characters


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
        # What the service takes, and the other languages (its own argument).
        fields = [*REFERRAL_FIELDS, "languages"]
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

    def __init__(self, *args, locations, family=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Other members of the family referred on the same form (``family_formset``), checked with it.
        self.family = family
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
        if self.family is not None and self.family.is_bound and not self.family.is_valid():
            self.add_error(None, _("A family member needs a correction: see the messages in their block."))


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


# How many family members one referral form can add besides the first person.
FAMILY_MAX = 8


class FamilyMemberForm(forms.Form):
    """Another member of the family, referred on the same form: their own referral, linked to the first person's."""

    first_name = forms.CharField(
        label=_("First name"), max_length=100, validators=[validate_name_characters], required=True
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, validators=[validate_name_characters], required=False
    )
    relation = forms.ChoiceField(
        label=_("Who they are to the person referred"),
        choices=[("", "—"), *FamilyRelation.choices],
        error_messages={"required": _("Choose the relation.")},
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.OTHER)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    birth_year = forms.IntegerField(label=_("Year of birth (estimated)"), required=False)
    unaccompanied_minor = forms.BooleanField(label=_("Unaccompanied minor"), required=False)
    reasons = forms.MultipleChoiceField(
        label=_("Reasons for the referral"),
        choices=ReferralReason.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one reason for the referral.")},
    )
    reason_other = forms.CharField(label=_("Other reason"), max_length=255, required=False)

    def clean(self):
        data = super().clean()
        today = clock.localdate()
        if data.get("birth_date") and data["birth_date"] > today:
            self.add_error("birth_date", _("The date of birth cannot be in the future."))
        year = data.get("birth_year")
        if year is not None and not (1900 <= year <= today.year):
            self.add_error("birth_year", _("Enter a year between 1900 and this year."))
        if "other" in (data.get("reasons") or []) and not (data.get("reason_other") or "").strip():
            self.add_error("reason_other", _("Describe the other reason."))
        return data


FamilyFormSet = forms.formset_factory(
    FamilyMemberForm, extra=FAMILY_MAX, max_num=FAMILY_MAX, validate_max=True, absolute_max=FAMILY_MAX
)


def family_formset(data) -> forms.BaseFormSet:
    """The family members of a referral form; a form posted without them (the single-person form) has none."""
    if data is not None and "family-TOTAL_FORMS" not in data:
        data = None
    return FamilyFormSet(data, prefix="family")


def family_members(formset: forms.BaseFormSet) -> list[dict]:
    """The members filled in (empty blocks are left out), each a dict for ``referral_submit_family``."""
    if not formset.is_bound:
        return []
    return [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]
