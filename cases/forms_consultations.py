from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import _languages
from cases.forms_permanences import UserChoiceField
from cases.models import Consultation, ReferralReason, RiskLevel, SafetyPlan
from integrapsy import forms as core_forms
from integrapsy.accounts.models import User
from integrapsy.directory.models import Location


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ConsultationForm(forms.Form):
    started_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), initial=45, min_value=1, max_value=600)
    mode = forms.ChoiceField(label=_("Mode"), choices=Consultation.Mode.choices, widget=forms.RadioSelect)
    place = core_forms.ModelChoiceField(label=_("Place"), required=False, queryset=Location.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Consultation.Kind.choices)
    interpreter = UserChoiceField(label=_("Interpreter present"), required=False, queryset=User.objects.none())
    interpreter_language = core_forms.ModelChoiceField(
        label=_("Interpreting language"), required=False, queryset=_languages()
    )
    ambassador = UserChoiceField(label=_("Ambassador present"), required=False, queryset=User.objects.none())
    social_worker = UserChoiceField(label=_("Social worker present"), required=False, queryset=User.objects.none())
    presenting_problems = forms.MultipleChoiceField(
        label=_("Presenting problems"),
        required=False,
        choices=ReferralReason.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Suicidal thoughts raise the case's risk flag when you sign."),
    )
    notes = forms.CharField(
        label=_("Notes (confidential)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Read only by the psychologists of the case's team."),
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    risk_level = forms.ChoiceField(
        label=_("Suicide risk assessed"),
        required=False,
        choices=[("", _("Not assessed in this consultation")), *RiskLevel.choices],
        help_text=_("High or imminent raises the case's risk flag when you sign."),
    )

    def __init__(self, *args, places, interpreters, ambassadors, social_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["interpreter"].queryset = interpreters
        self.fields["ambassador"].queryset = ambassadors
        self.fields["social_worker"].queryset = social_workers
        self.fields["interpreter_language"].queryset = _languages()


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Added below the signed consultation with your name and the time; nothing is overwritten."),
    )


class RiskAssessmentForm(forms.Form):
    level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, widget=forms.RadioSelect)
    factors = forms.CharField(
        label=_("Risk and protective factors"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    actions_taken = forms.CharField(label=_("Actions taken"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    warning_signs = forms.CharField(
        label=SafetyPlan._meta.get_field("warning_signs").verbose_name,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Thoughts, moods, situations that tell a crisis may be coming."),
    )
    coping_strategies = forms.CharField(
        label=SafetyPlan._meta.get_field("coping_strategies").verbose_name,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the person can do alone to feel better (walk, music, prayer...)."),
    )
    people_and_places = forms.CharField(
        label=SafetyPlan._meta.get_field("people_and_places").verbose_name,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    people_to_ask = forms.CharField(
        label=SafetyPlan._meta.get_field("people_to_ask").verbose_name,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and phone numbers."),
    )
    professionals = forms.CharField(
        label=SafetyPlan._meta.get_field("professionals").verbose_name,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. the team's psychologist, 3114 (France), 0800 32 123 (Belgium), 112."),
    )
    safe_environment = forms.CharField(
        label=SafetyPlan._meta.get_field("safe_environment").verbose_name,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Means put out of reach, with whom."),
    )

    ASSESSMENT_FIELDS = ("level", "factors", "actions_taken")

    def assessment_fields(self):
        return [self[name] for name in self.ASSESSMENT_FIELDS]

    def plan_fields(self):
        return [self[name] for name in SafetyPlan.STEPS]
